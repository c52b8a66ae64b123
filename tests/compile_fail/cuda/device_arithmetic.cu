// expect: + - * / run on host tensors only
#include <radicand/radicand.hpp>
int main() {
  const radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  const auto y = x * 2.f;
  (void)y;
}
