// expect: radicand_needs_ftz_false
// flags: -ftz=true
// Flushing float subnormals to zero would change results: refused when the device code compiles.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  x.rsqrt_();
  return static_cast<int>(x.numel()) - 2;
}
