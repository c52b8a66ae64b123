// flags: -ftz=true -DRADICAND_ALLOW_FAST_MATH
// The positive control of ftz_true.cu: the caller's explicit opt-in compiles.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  x.rsqrt_();
  return static_cast<int>(x.numel()) - 2;
}
