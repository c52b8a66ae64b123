// expect: the tensors of one operation must be on the same device
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float> x = radicand::zeros<float>({2, 2});
  const radicand::tensor<float, radicand::cuda_t> row = radicand::ones<float>({2}, radicand::cuda);
  x[0] = row;
}
