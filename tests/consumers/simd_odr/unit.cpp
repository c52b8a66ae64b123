// Compiled once per x86-64 level; UNIT names the level (baseline, avx2, v4).
#include "unit.hpp"

#include <radicand/radicand.hpp>

#include <cstdint>

#define CONSUMER_CAT2(a, b) a##b
#define CONSUMER_CAT(a, b) CONSUMER_CAT2(a, b)
#define CONSUMER_STR2(x) #x
#define CONSUMER_STR(x) CONSUMER_STR2(x)

namespace rd = radicand;

unit_result CONSUMER_CAT(run_, UNIT)(const std::vector<float>& in) {
  unit_result r;
  r.backend = rd::simd_backend();
#if defined(RADICAND_KERNEL_ARCH)
  r.compiled_backend = CONSUMER_STR(RADICAND_KERNEL_ARCH);
#else
  r.compiled_backend = nullptr;
#endif
  const auto n = static_cast<std::int64_t>(in.size());
  const rd::tensor<float> y = rd::rsqrt(rd::from_vector(in, {n}));
  r.from_tensor.assign(y.data(), y.data() + n);
  r.from_kernel.resize(in.size());
  rd::kernels::rsqrt(in.data(), r.from_kernel.data(), in.size());
  return r;
}
