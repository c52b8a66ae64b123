// Computes an rsqrt with radicand from FetchContent; exits with 0 when it is right.
#include <radicand/radicand.hpp>

#include <cstdio>

namespace rd = radicand;

int main() {
  const rd::tensor<float> x = {1.f, 4.f, 16.f, 0.25f};
  const rd::tensor<float> y = rd::rsqrt(x);
  const float expected[] = {1.f, 0.5f, 0.25f, 2.f};
  for (int i = 0; i < 4; ++i) {
    if (y.data()[i] != expected[i]) {
      std::printf("rsqrt(%g) = %g, expected %g\n", static_cast<double>(x.data()[i]),
                  static_cast<double>(y.data()[i]), static_cast<double>(expected[i]));
      return 1;
    }
  }
  std::printf("radicand %s (%s): rsqrt(%s) = %s\n", rd::version(), rd::simd_backend(),
              rd::to_string(x).c_str(), rd::to_string(y).c_str());
  return 0;
}
