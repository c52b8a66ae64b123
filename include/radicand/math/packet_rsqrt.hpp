// radicand: correctly rounded rsqrt over SIMD packets, written once on the primitives of a
// backend `A` (cpu/arch/*.hpp), host only. Every path returns, lane by lane, exactly what the
// scalar algorithm in math/rsqrt.hpp returns (the exhaustive tests check it on every backend).
//
// float, with FMA (AVX2, AVX-512, NEON):
//   fast path   estimate -> Newton step(s) in float -> the residual e = 1 - x y^2, exact to
//               2^-44 thanks to FMA -> z = y + (y/2) e to within 2^-41.9 relative, and a
//               rounding test: if y + (y/2)(e +- 2^-39) round to the same float, that float is
//               z correctly rounded. Lanes outside [2^-126, 2^100), and the rare lanes near a
//               midpoint (about 1 in 2^15), send the packet to the exact path.
//   exact path  estimate -> Newton in double -> t = y rounded to float -> the neighbour n of t on
//               y's side and their midpoint m (exact in double) -> the sign of x m^2 - 1 (one FMA,
//               exact sign) says on which side of m the true value lies. IEEE specials blended.
// float, without FMA (SSE2, scalar): 1/sqrt in double rounded once to float, as math/rsqrt.hpp.
// double, with FMA: the same fast path in double (rounding test at 2^-70); lanes it cannot
//   settle go to math::rsqrt(double), whose 192-bit midpoint test is exact. Without FMA: the
//   scalar function.
#ifndef RADICAND_MATH_PACKET_RSQRT_HPP
#define RADICAND_MATH_PACKET_RSQRT_HPP

#include <cstdint>
#include <limits>

#include "rsqrt.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace math {

/// float rsqrt without FMA: 1/sqrt in double rounded once to float, math::rsqrt(float) per lane.
template <class A>
RADICAND_ALWAYS_INLINE typename A::pf rsqrt_f32_via_double(typename A::pf x) noexcept {
  const typename A::pd one = A::broadcast(1.0);
  return A::join(A::div(one, A::sqrt(A::lo(x))), A::div(one, A::sqrt(A::hi(x))));
}

/// One Newton step for 1/sqrt(x): y (1.5 - (x/2) y^2). Relative error e -> 1.5 e^2 (+ rounding).
template <class A, class P>
RADICAND_ALWAYS_INLINE P rsqrt_newton(P half_x, P y, P three_halves) noexcept {
  return A::mul(y, A::fnma(A::mul(half_x, y), y, three_halves));
}

/// Lanes where rsqrt is an IEEE special case: not 0 < x < inf (zeros, negatives, inf, NaN).
template <class A>
typename A::md rsqrt_special(typename A::pd x) noexcept {
  return A::mask_not(
      A::mask_and(A::gt(x, A::broadcast(0.0)), A::lt(x, A::broadcast_bits(0x7ff0000000000000ull))));
}

/// rsqrt of the special cases, as 1/sqrt gives them: +-0 -> +-inf, +inf -> +0, x < 0 -> the
/// hardware's default NaN, NaN -> the same NaN, quiet.
template <class A>
typename A::pd rsqrt_special_value(typename A::pd x) noexcept {
  using pd = typename A::pd;
  const pd zero = A::broadcast(0.0), inf = A::broadcast_bits(0x7ff0000000000000ull);
  const pd signed_inf = A::bits_or(A::bits_and(x, A::broadcast_bits(0x8000000000000000ull)), inf);
  const pd nan = A::add(x, A::broadcast_bits(A::default_nan));  // x's own NaN, or the default one
  return A::select(A::eq(x, zero), signed_inf, A::select(A::eq(x, inf), zero, nan));
}

/// The exact path for one half of a float packet, in double: x and y (within 2^-26 of 1/sqrt(x))
/// as doubles, t = y rounded to float, and t's neighbours above and below, as doubles.
template <class A>
typename A::pd rsqrt_f32_settle(typename A::pd x, typename A::pd y, typename A::pd t,
                                typename A::pd above, typename A::pd below) noexcept {
  using pd = typename A::pd;
  using md = typename A::md;
  const pd zero = A::broadcast(0.0);
  // The true z lies between t and its neighbour n on y's side; m = (t + n) / 2 is exact in
  // double (also where the ulp below t halves, at a power of two), and z > m <=> x m^2 < 1.
  // x m^2 - 1 is never zero, and one FMA keeps its sign.
  const md up = A::gt(y, t);
  const pd n = A::select(up, above, below);
  const pd m = A::mul(A::add(t, n), A::broadcast(0.5));
  const pd d = A::fms(x, A::mul(m, m), A::broadcast(1.0));
  const md take =
      A::mask_or(A::mask_and(up, A::lt(d, zero)), A::mask_and(A::mask_not(up), A::gt(d, zero)));
  const pd r = A::select(take, n, t);
  return A::select(rsqrt_special<A>(x), rsqrt_special_value<A>(x), r);
}

/// float rsqrt, exact for every input (needs FMA): the midpoint test in double.
template <class A>
typename A::pf rsqrt_f32_exact(typename A::pf x) noexcept {
  using pf = typename A::pf;
  using pd = typename A::pd;
  // The float estimate, with subnormals scaled by 2^24 first (SSE/AVX2 flush them): an exact
  // power-of-4 scaling, undone exactly on the estimate by 2^12.
  const typename A::mf tiny = A::lt(x, A::broadcast(0x1p-126f));
  const pf xs = A::select(tiny, A::mul(x, A::broadcast(0x1p24f)), x);
  const pf est =
      A::mul(A::rsqrt_estimate(xs), A::select(tiny, A::broadcast(0x1p12f), A::broadcast(1.0f)));
  const pd x0 = A::lo(x), x1 = A::hi(x);
  pd y0 = A::lo(est), y1 = A::hi(est);
  const pd h0 = A::mul(x0, A::broadcast(0.5)), h1 = A::mul(x1, A::broadcast(0.5));
  const pd three_halves = A::broadcast(1.5);
  // One step from 14 bits gives 2^-27.4; from fewer (12 on SSE/AVX2, 8 on NEON), two.
  for (int k = 0; k < (A::rsqrt_estimate_bits >= 14 ? 1 : 2); ++k) {
    y0 = rsqrt_newton<A>(h0, y0, three_halves);
    y1 = rsqrt_newton<A>(h1, y1, three_halves);
  }
  const pf t = A::join(y0, y1);
  const pf above = A::add_bits(t, 1), below = A::add_bits(t, -1);
  return A::join(rsqrt_f32_settle<A>(x0, y0, A::lo(t), A::lo(above), A::lo(below)),
                 rsqrt_f32_settle<A>(x1, y1, A::hi(t), A::hi(above), A::hi(below)));
}

/// float rsqrt on a packet, correctly rounded for every input.
template <class A>
RADICAND_ALWAYS_INLINE typename A::pf rsqrt_f32(typename A::pf x) noexcept {
  if constexpr (!A::has_fma) {
    return rsqrt_f32_via_double<A>(x);
  } else {
    using pf = typename A::pf;
    const pf estimate = A::rsqrt_estimate(x);
    pf y = estimate;
    const pf half_x = A::mul(x, A::broadcast(0.5f));
    // To within 2^-21.4: one step from 11+ bits (SSE/AVX2 12, AVX-512 14), two from NEON's 8.
    for (int k = 0; k < (A::rsqrt_estimate_bits >= 11 ? 1 : 2); ++k)
      y = rsqrt_newton<A>(half_x, y, A::broadcast(1.5f));
    // e = 1 - x y^2 to within 2^-44: y^2 = hi + lo exactly, and each FMA rounds once. Needs
    // y^2 finite and lo exact (no underflow): x in [2^-126, 2^100).
    const pf sq_hi = A::mul(y, y);
    const pf sq_lo = A::fms(y, y, sq_hi);
    const pf e = A::fnma(x, sq_lo, A::fnma(x, sq_hi, A::broadcast(1.0f)));
    // z = y (1 - e)^(-1/2) = y + (y/2) e + y eps, |eps| < 2^-41.9 (3e^2/8 < 2^-42.2 with
    // |e| < 2^-20.4, and e's own error). Rounding test: z lies strictly between
    // y + (y/2)(e -+ 2s), s = 2^-40 (e -+ 2s rounds by less than 2^-44.4, so y 2^-45.4 more),
    // so if both round to the same float, so does z. One FMA each, rounding once.
    const pf half_y = A::mul(y, A::broadcast(0.5f));
    const pf two_slack = A::broadcast(0x1p-39f);
    const pf up = A::fma(half_y, A::add(e, two_slack), y);
    const pf down = A::fma(half_y, A::sub(e, two_slack), y);
    const auto in_range =
        A::mask_and(A::ge(x, A::broadcast(0x1p-126f)), A::lt(x, A::broadcast(0x1p100f)));
    const auto settled = A::mask_and(in_range, A::eq(up, down));
    if (A::all(settled)) return up;
    // +-0, +inf, NaN and negative normal numbers (not negative subnormals, which SSE/AVX2 flush
    // to -0): the estimate instructions return IEEE's values for them.
    const pf zero = A::broadcast(0.0f);
    const auto special = A::mask_or(
        A::mask_or(A::eq(x, zero), A::eq(x, A::broadcast(std::numeric_limits<float>::infinity()))),
        A::mask_not(A::gt(x, A::broadcast(-0x1p-126f))));
    if (A::all(A::mask_or(settled, special))) return A::select(special, estimate, up);
    return rsqrt_f32_exact<A>(x);
  }
}

/// double rsqrt on a packet (needs FMA): the result for every lane where `unsettled` is clear;
/// the lanes where it is set (specials, extreme exponents, near a midpoint: about 1 in 2^16
/// of random inputs) must be computed by math::rsqrt(double).
template <class A>
RADICAND_ALWAYS_INLINE typename A::pd rsqrt_f64(typename A::pd x,
                                                typename A::md& unsettled) noexcept {
  using pd = typename A::pd;
  constexpr int range = A::pd_estimate_range;
  pd y = A::rsqrt_estimate(x);
  const pd half_x = A::mul(x, A::broadcast(0.5));
  // To within 2^-27: one step from 14 bits, two from 12 (AVX2) or 8 (NEON).
  for (int k = 0; k < (A::rsqrt_estimate_bits >= 14 ? 1 : 2); ++k)
    y = rsqrt_newton<A>(half_x, y, A::broadcast(1.5));
  // e = 1 - x y^2 to within 2^-78 (y^2 = hi + lo exactly; needs x in [2^-1022, 2^970]).
  const pd sq_hi = A::mul(y, y);
  const pd sq_lo = A::fms(y, y, sq_hi);
  const pd e = A::fnma(x, sq_lo, A::fnma(x, sq_hi, A::broadcast(1.0)));
  // c = y e (1/2 + 3e/8 + 5e^2/16): z = y + c to within 2^-77 y (|e| < 2^-26).
  const pd poly =
      A::fma(e, A::fma(e, A::broadcast(0.3125), A::broadcast(0.375)), A::broadcast(0.5));
  const pd c = A::mul(A::mul(y, e), poly);
  const pd slack = A::broadcast(0x1p-70);
  const pd up = A::add(y, A::fma(y, slack, c));
  const pd down = A::add(y, A::fnma(y, slack, c));
  const pd lowest = A::broadcast(range >= 1000 ? 0x1p-1000 : 0x1p-125);
  const pd highest = A::broadcast(range >= 960 ? 0x1p960 : 0x1p125);
  static_assert(range >= 1000 || range == 125, "pd_estimate_range: 125, or the whole range");
  const auto settled =
      A::mask_and(A::mask_and(A::ge(x, lowest), A::le(x, highest)), A::eq(up, down));
  unsettled = A::mask_not(settled);
  if (A::all(settled)) return up;
  const auto special = rsqrt_special<A>(x);
  unsettled = A::mask_and(unsettled, A::mask_not(special));
  return A::select(special, rsqrt_special_value<A>(x), up);
}

}  // namespace math
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_MATH_PACKET_RSQRT_HPP
