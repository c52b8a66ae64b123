// expect: radicand_needs_ftz_false
// flags: --use_fast_math
// --use_fast_math implies -ftz=true: refused the same way.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  const radicand::tensor<float, radicand::cuda_t> y = x * 2.f;
  return static_cast<int>(y.numel()) - 2;
}
