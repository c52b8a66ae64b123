// radicand tests: the device's float-only algorithms, run on the host with the hardware estimate
// replaced by ones at the edges of its documented bound, so that their exactness is shown to
// follow from that bound alone (the GPU bundle's exhaustive suite checks the hardware's own). The
// reference is 1/sqrt in double rounded to float, the scalar backend's algorithm, which the
// accuracy suite proves against MPFR on every float. In the main suite only: it does not depend
// on the CPU backend.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

/// The device's float rsqrt fast path (math::rsqrt_f32_from_estimate<Bits>) with the estimate
/// 1/sqrt(x) (1 + sign d) rounded to float, d = 2^-21 - 2^-23, so that with that one rounding
/// (2^-24) the estimate stays within the bound the device's keeps (device_rsqrt_estimate_bits),
/// on every pattern in `patterns`: how many settled results differ from 1/sqrt in double rounded
/// to float (correctly rounded for every float), and how many settled.
template <int Bits>
void check_device_fast_path(const std::vector<std::uint32_t>& patterns, int sign,
                            std::size_t& wrong, std::size_t& settled) {
  namespace m = radicand::detail::math;
  const double d = std::ldexp(1.0, -m::device_rsqrt_estimate_bits) - 0x1p-23;
  for (std::uint32_t b : patterns) {
    const float x = radicand::detail::bits_float(b);
    const float exact = static_cast<float>(1.0 / std::sqrt(static_cast<double>(x)));
    const long double truth = 1.0L / std::sqrt(static_cast<long double>(x));
    const float y = static_cast<float>(truth * (1.0L + sign * static_cast<long double>(d)));
    float z = 0;
    if (!m::rsqrt_f32_from_estimate<Bits>(x, std::isfinite(y) ? y : exact, z)) continue;
    ++settled;
    if (radicand::detail::float_bits(z) != radicand::detail::float_bits(exact)) ++wrong;
  }
}

}  // namespace

TEST_CASE("device float rsqrt: the float-only fast path is exact for any estimate within the bound",
          "[accuracy][float][device]") {
  // Every float in [1, 4) (the rest are power-of-4 scalings of these), every 7th of the top
  // binade, every 64th subnormal, every 4099th pattern, and the hardest case.
  std::vector<std::uint32_t> patterns;
  for (std::uint32_t b = 0x3f800000u; b < 0x40800000u; ++b) patterns.push_back(b);
  for (std::uint32_t b = 0x7f000000u; b < 0x7f800000u; b += 7) patterns.push_back(b);
  for (std::uint32_t b = 0; b < 0x00800000u; b += 64) patterns.push_back(b);
  for (std::uint64_t b = 0; b < 0x100000000ull; b += 4099)
    patterns.push_back(static_cast<std::uint32_t>(b));
  patterns.push_back(0x403a18e3u);
  std::size_t positive_normals = 0;
  for (std::uint32_t b : patterns)
    if (b >= 0x00800000u && b < 0x7f800000u) ++positive_normals;
  constexpr int bits = radicand::detail::math::device_rsqrt_estimate_bits;
  for (int sign : {-1, 0, 1}) {
    std::size_t wrong = 0, settled = 0;
    check_device_fast_path<bits>(patterns, sign, wrong, settled);
    INFO("estimate 1/sqrt(x) (1 + " << sign << " d): " << settled << " of " << positive_normals
                                    << " positive normals settled");
    CHECK(wrong == 0);
    // Only positive normals settle, and all but a few near a midpoint.
    CHECK(settled <= positive_normals);
    CHECK(settled > positive_normals - positive_normals / 1000);
  }
  // The test can fail: with the slack of a 2^-30 estimate, the estimates at 2^-21 misround.
  std::vector<std::uint32_t> some;
  for (std::size_t i = 0; i < patterns.size(); i += 16) some.push_back(patterns[i]);
  std::size_t wrong_high = 0, wrong_low = 0, settled = 0;
  check_device_fast_path<30>(some, 1, wrong_high, settled);
  check_device_fast_path<30>(some, -1, wrong_low, settled);
  CHECK(wrong_high > 0);
  CHECK(wrong_low > 0);
}
