// radicand built with RADICAND_OPENMP: the consumer's code sees OpenMP, and a tensor large enough
// to be split between threads gets the same rsqrt as the raw kernel. Exits with 0 when it does.
#include <radicand/radicand.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace rd = radicand;

static_assert(RADICAND_HAS_OPENMP == 1, "RADICAND_OPENMP must build the consumer with OpenMP");

int main() {
  const std::int64_t n = std::int64_t{1} << 20;
  const rd::tensor<float> x = rd::arange(1.f, static_cast<float>(n + 1));
  const rd::tensor<float> y = rd::rsqrt(x);
  std::vector<float> expected(static_cast<std::size_t>(n));
  rd::kernels::rsqrt(x.data(), expected.data(), expected.size());
  if (y.numel() != n ||
      std::memcmp(y.data(), expected.data(), expected.size() * sizeof(float)) != 0) {
    std::printf("rsqrt of %lld elements differs from the raw kernel\n", static_cast<long long>(n));
    return 1;
  }
  std::printf("rsqrt of %lld elements with OpenMP: ok; rsqrt(4) = %g\n", static_cast<long long>(n),
              static_cast<double>(y.data()[3]));
  return 0;
}
