// Runs every unit the CPU supports on the same inputs and checks that each reports its own
// backend and that all results equal the correctly rounded rsqrt. Exits with 0 when they do.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "unit.hpp"

namespace {

std::uint32_t bits(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

float from_bits(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

// Specials, powers of two, subnormals and pseudo-random bit patterns; an odd count, so that
// vector loops have a tail.
std::vector<float> inputs() {
  std::vector<float> in = {0.f, -0.f, 1.f, 4.f, 0.25f, 2.f, 3.f, -1.f};
  in.push_back(std::numeric_limits<float>::infinity());
  in.push_back(-std::numeric_limits<float>::infinity());
  in.push_back(std::numeric_limits<float>::quiet_NaN());
  in.push_back(std::numeric_limits<float>::denorm_min());
  in.push_back(std::numeric_limits<float>::min());
  in.push_back(std::numeric_limits<float>::max());
  for (int e = -149; e <= 127; ++e) in.push_back(std::ldexp(1.f, e));
  std::uint32_t state = 12345u;
  while (in.size() < 4099) {
    state = state * 1664525u + 1013904223u;
    in.push_back(from_bits(state));
  }
  return in;
}

// float's rsqrt as 1/sqrt in double rounded once to float is correctly rounded.
float reference(float x) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(x))); }

bool same(float a, float b) { return (std::isnan(a) && std::isnan(b)) || bits(a) == bits(b); }

int check(const char* unit, const unit_result& r, const std::vector<float>& in) {
  std::printf("%-8s unit: rd::simd_backend() = %s\n", unit, r.backend);
  int failures = 0;
  if (r.compiled_backend != nullptr && std::strcmp(r.backend, r.compiled_backend) != 0) {
    std::printf("  ODR violation: the unit compiled for %s called another unit's simd_backend()\n",
                r.compiled_backend);
    ++failures;
  }
  for (std::size_t i = 0; i < in.size(); ++i) {
    const float want = reference(in[i]);
    if (!same(r.from_tensor[i], want) || !same(r.from_kernel[i], want)) {
      if (failures < 10) {
        std::printf("  rsqrt(%a) = %a (tensor), %a (kernel), expected %a\n",
                    static_cast<double>(in[i]), static_cast<double>(r.from_tensor[i]),
                    static_cast<double>(r.from_kernel[i]), static_cast<double>(want));
      }
      ++failures;
    }
  }
  return failures;
}

}  // namespace

int main() {
  const std::vector<float> in = inputs();
  int failures = check("baseline", run_baseline(in), in);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    failures += check("avx2", run_avx2(in), in);
  } else {
    std::printf("avx2     unit: skipped, this CPU lacks AVX2 or FMA\n");
  }
#if defined(HAVE_V4)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
    failures += check("v4", run_v4(in), in);
  } else {
    std::printf("v4       unit: skipped, this CPU lacks AVX-512\n");
  }
#endif
  std::printf("%s\n", failures == 0 ? "all units agree" : "FAILED");
  return failures == 0 ? 0 : 1;
}
