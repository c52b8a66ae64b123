// flags: -ffast-math -DRADICAND_ALLOW_FAST_MATH
// The positive control of fast_math.cpp: the caller's explicit opt-in compiles.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float> x = {1.f, 4.f};
  x.rsqrt_();
  return static_cast<int>(x.numel()) - 2;
}
