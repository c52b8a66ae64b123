// expect: the tensors of one operation must be on the same device
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float> x = radicand::ones<float>({2});
  const radicand::tensor<float, radicand::cuda_t> y = radicand::ones<float>({2}, radicand::cuda);
  x *= y;
}
