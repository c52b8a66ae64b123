// expect: the tensors of one operation must be on the same device
#include <radicand/radicand.hpp>
int main() {
  const radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  const radicand::tensor<float> y = radicand::ones<float>({2});
  const auto z = x + y;
  (void)z;
}
