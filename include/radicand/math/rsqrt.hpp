// radicand: correctly rounded reciprocal square root, one definition for host and device.
#ifndef RADICAND_MATH_RSQRT_HPP
#define RADICAND_MATH_RSQRT_HPP

#include <cmath>
#include <cstdint>

#include "../config.hpp"
#include "../dtype.hpp"
#include "rounded.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace math {

/// IEEE square root, rounded to nearest even: std::sqrt on the host, the _rn intrinsic on the
/// device (whatever -prec-sqrt says). Double division is IEEE on both.
RADICAND_HOST_DEVICE inline double sqrt_rn(double x) noexcept {
#if defined(__CUDA_ARCH__)
  return __dsqrt_rn(x);
#else
  return std::sqrt(x);
#endif
}

/// The bits of the NaN that rsqrt and sqrt return for every NaN result (API.md): positive and
/// quiet, without payload, whatever NaN came in and whatever the hardware makes (x86's default
/// NaN is negative, CUDA's 0x7fffffff). half's and bfloat16's are float's, converted.
constexpr std::uint32_t canonical_nan_f32 = 0x7fc00000u;
constexpr std::uint64_t canonical_nan_f64 = 0x7ff8000000000000ull;

/// r, or the canonical NaN where r is a NaN.
RADICAND_HOST_DEVICE inline float canonical_nan(float r) noexcept {
  return r != r ? bits_float(canonical_nan_f32) : r;
}
RADICAND_HOST_DEVICE inline double canonical_nan(double r) noexcept {
  return r != r ? bits_double(canonical_nan_f64) : r;
}

// --- The error bounds of the rounding tests that settle a result refined from an estimate
// (the float fast path below and math/packet_rsqrt.hpp's, whose comments derive them).

/// 2^-bits.
RADICAND_HOST_DEVICE constexpr double power_of_half(int bits) noexcept {
  double e = 1.0;
  for (int b = 0; b < bits; ++b) e /= 2;
  return e;
}

/// The relative error bound after one Newton step from a relative error e, with its
/// roundings: y (1 + e) -> y (1 - 1.5 e^2 - 0.5 e^3).
RADICAND_HOST_DEVICE constexpr double newton_error(double e, double rounding) noexcept {
  return 1.5 * e * e * (1 + e) + rounding;
}

/// The relative error bound of an estimate within 2^-bits after `steps` Newton steps, each
/// adding `rounding` (float: 2^-23; double: 2^-51).
RADICAND_HOST_DEVICE constexpr double refined_error(int bits, int steps, double rounding) noexcept {
  double e = power_of_half(bits);
  for (int k = 0; k < steps; ++k) e = newton_error(e, rounding);
  return e;
}

/// The slack S for an error bound: the smallest power of two at least 4 times it.
RADICAND_HOST_DEVICE constexpr double slack_for(double error) noexcept {
  double s = 1.0;
  while (s / 2 >= 4 * error) s /= 2;
  return s;
}

/// |E| of the float fast path for y within a relative error e of 1/sqrt(x): r's truncated
/// series (3r^2/8 (1 + r)), r's two roundings, the roundings of the correction and of
/// l + (h/2) r (each under 2^-24 of a number under 2r).
RADICAND_HOST_DEVICE constexpr double f32_residual_error(double e) noexcept {
  const double r = 2 * e + e * e;
  return 0.375 * r * r * (1 + r) + 4 * r * 0x1p-24;
}

// --- float from an estimate, in float arithmetic alone (the device's fast path): with y the
// estimate, x y = h + l exactly (FMA), r/2 = (1 - x y^2)/2 from two FMAs, and
// z = y + y (r/2) with the rounding test of math/packet_rsqrt.hpp: if y (1 + r/2 +- S) round to
// the same float, that float is rsqrt(x). It settles all but about 2^-13 of random inputs,
// and never x < 2^-126 (left to the exact path, whatever the estimate does with subnormals),
// nor the specials: zeros, x < 0, inf and NaN make h or r NaN.

/// The bound the device's estimate keeps: CUDA documents rsqrtf (rsqrt.approx.f32) to 2 ulps of
/// the correctly rounded result, so within 2.5 ulps, under 2^-21.6 relative; 2^-21 leaves a
/// margin.
constexpr int device_rsqrt_estimate_bits = 21;

/// S for an estimate within 2^-bits, no Newton step: the estimate's error dominates that of any
/// step, which would round y to float again.
RADICAND_HOST_DEVICE constexpr float f32_estimate_slack(int bits) noexcept {
  return static_cast<float>(slack_for(f32_residual_error(power_of_half(bits))));
}

/// a * b + c rounded once.
RADICAND_HOST_DEVICE inline float fma_rn(float a, float b, float c) noexcept {
#if defined(__CUDA_ARCH__)
  return __fmaf_rn(a, b, c);
#else
  return std::fma(a, b, c);
#endif
}

/// rsqrt(x) from an estimate y within 2^-Bits of it, when the rounding test settles it: true and
/// z the correctly rounded result, else false.
template <int Bits>
RADICAND_HOST_DEVICE inline bool rsqrt_f32_from_estimate(float x, float y, float& z) noexcept {
  constexpr float slack = f32_estimate_slack(Bits);
  const float h = mul_rn(x, y);
  const float l = fma_rn(x, y, -h);
  const float half_y = mul_rn(0.5f, y);
  const float half_r = fma_rn(-l, half_y, fma_rn(-h, half_y, 0.5f));
  z = fma_rn(y, half_r + slack, y);
  return z == fma_rn(y, half_r - slack, y) && x >= 0x1p-126f;
}

/// rsqrt(float): 1/sqrt in double, rounded once to float, is correctly rounded for every float
/// (the double result is within 2^-52 relative, and no float's reciprocal square root lies that
/// close to a midpoint between floats; the exhaustive test proves it). Specials fall out of IEEE
/// arithmetic: +0 -> +inf, -0 -> -inf, x < 0 -> NaN, +inf -> +0, NaN -> NaN (canonical). On the
/// device, FP64 is the slow path (1/32 to 1/64 of FP32 on most GPUs): the float fast path
/// above first.
RADICAND_HOST_DEVICE inline float rsqrt(float x) noexcept {
#if defined(__CUDA_ARCH__)
  float z;
  if (rsqrt_f32_from_estimate<device_rsqrt_estimate_bits>(x, ::rsqrtf(x), z)) return z;
#endif
  return canonical_nan(static_cast<float>(1.0 / sqrt_rn(static_cast<double>(x))));
}

// --- double: 1/sqrt rounded twice is within one ulp; an exact midpoint test picks the answer.

/// 64x64 -> 128-bit product (host and device; the hardware's where the compiler offers it).
RADICAND_HOST_DEVICE inline void mul_64x64(std::uint64_t a, std::uint64_t b, std::uint64_t& hi,
                                           std::uint64_t& lo) noexcept {
#if defined(__CUDA_ARCH__)
  lo = a * b;
  hi = __umul64hi(a, b);
#elif defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 u128;
  const u128 p = static_cast<u128>(a) * b;
  lo = static_cast<std::uint64_t>(p);
  hi = static_cast<std::uint64_t>(p >> 64);
#else
  const std::uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
  const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const std::uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  lo = (mid << 32) | (p00 & 0xffffffffu);
  hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

/// Number of significant bits of v (0 for 0).
RADICAND_HOST_DEVICE inline int bit_length(std::uint64_t v) noexcept {
#if defined(__CUDA_ARCH__)
  return 64 - __clzll(static_cast<long long>(v));
#elif defined(__GNUC__) || defined(__clang__)
  return v == 0 ? 0 : 64 - __builtin_clzll(v);
#else
  int n = 0;
  while (v != 0) {
    v >>= 1;
    ++n;
  }
  return n;
#endif
}

/// Decides whether x * m^2 < 1 exactly, for x = X * 2^xe (X < 2^53) and m = M * 2^me
/// (M odd, M < 2^56), by computing X * M^2 as a 192-bit integer. Equality cannot occur
/// (M^2 is odd and greater than 1, so X * M^2 is never a power of two).
RADICAND_HOST_DEVICE inline bool x_times_m_squared_below_one(std::uint64_t X, int xe,
                                                             std::uint64_t M, int me) noexcept {
  std::uint64_t sq_hi, sq_lo;
  mul_64x64(M, M, sq_hi, sq_lo);
  std::uint64_t a_hi, a_lo, b_hi, b_lo;
  mul_64x64(sq_lo, X, a_hi, a_lo);
  mul_64x64(sq_hi, X, b_hi, b_lo);
  const std::uint64_t limb0 = a_lo;
  const std::uint64_t limb1 = a_hi + b_lo;
  const std::uint64_t limb2 = b_hi + (limb1 < a_hi ? 1u : 0u);
  (void)limb0;
  int len;
  if (limb2 != 0) {
    len = 128 + bit_length(limb2);
  } else if (limb1 != 0) {
    len = 64 + bit_length(limb1);
  } else {
    len = bit_length(limb0);
  }
  // x * m^2 = P * 2^(xe + 2 me) < 1  <=>  P < 2^K with K = -(xe + 2 me)  <=>  len <= K.
  return len <= -(xe + 2 * me);
}

/// For y (a positive normal double, bits yb): is 1/sqrt(x) above the midpoint to the next double?
RADICAND_HOST_DEVICE inline bool z_above_upper_midpoint(std::uint64_t X, int xe,
                                                        std::uint64_t yb) noexcept {
  const std::uint64_t Y = (yb & 0xfffffffffffffull) | (1ull << 52);
  const int ye = static_cast<int>(yb >> 52) - 1075;
  return x_times_m_squared_below_one(X, xe, 2 * Y + 1, ye - 1);
}

/// Is 1/sqrt(x) below the midpoint to the previous double (half as far at the bottom of a binade)?
RADICAND_HOST_DEVICE inline bool z_below_lower_midpoint(std::uint64_t X, int xe,
                                                        std::uint64_t yb) noexcept {
  const std::uint64_t Y = (yb & 0xfffffffffffffull) | (1ull << 52);
  const int ye = static_cast<int>(yb >> 52) - 1075;
  if (Y == (1ull << 52)) return !x_times_m_squared_below_one(X, xe, 4 * Y - 1, ye - 2);
  return !x_times_m_squared_below_one(X, xe, 2 * Y - 1, ye - 1);
}

/// rsqrt(double), correctly rounded.
RADICAND_HOST_DEVICE inline double rsqrt(double x) noexcept {
  const double y = 1.0 / sqrt_rn(x);
  if (!(x > 0.0) || !(x < HUGE_VAL)) return canonical_nan(y);  // 0, negative, inf, NaN
  // y is a normal double for every positive finite x (2^-512 < y < 2^538).
  const std::uint64_t xb = double_bits(x);
  const auto xexp = static_cast<int>(xb >> 52);
  const std::uint64_t xm = xb & 0xfffffffffffffull;
  const std::uint64_t X = xexp == 0 ? xm : (xm | (1ull << 52));
  const int xe = xexp == 0 ? -1074 : xexp - 1075;
  // 1/sqrt rounded twice is within 2^-52 relative of the true value z, so within two ulps:
  // step toward z while it lies beyond a midpoint. z > m  <=>  x m^2 < 1.
  std::uint64_t yb = double_bits(y);
  bool moved_up = false;
  while (z_above_upper_midpoint(X, xe, yb)) {
    ++yb;
    moved_up = true;
  }
  if (!moved_up) {
    while (z_below_lower_midpoint(X, xe, yb)) --yb;
  }
  return bits_double(yb);
}

/// half and bfloat16: the correctly rounded float result, rounded to 16 bits, is correctly
/// rounded (float carries more than twice their precision plus two bits).
RADICAND_HOST_DEVICE inline half rsqrt(half x) noexcept {
  return half(rsqrt(static_cast<float>(x)));
}
RADICAND_HOST_DEVICE inline bfloat16 rsqrt(bfloat16 x) noexcept {
  return bfloat16(rsqrt(static_cast<float>(x)));
}

}  // namespace math
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_MATH_RSQRT_HPP
