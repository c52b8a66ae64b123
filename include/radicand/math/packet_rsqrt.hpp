// radicand: correctly rounded rsqrt over SIMD packets, written once on the primitives of a
// backend `A` (cpu/arch/*.hpp), host only. Every path returns, lane by lane, exactly what the
// scalar algorithm in math/rsqrt.hpp returns (the exhaustive tests check it on every backend).
//
// float, with FMA (AVX2, AVX-512, NEON):
//   fast path   float only, on a group of packets: estimate -> Newton step(s) -> the residual
//               r = 1 - x y^2 exact to 2^-44 thanks to FMA -> z = y + (y/2) r, and a rounding
//               test whose slack follows from the estimate's documented bound (see below).
//               The rare packets it cannot settle (specials, flushed subnormals, near a
//               midpoint) take the exact path.
//   exact path  estimate -> Newton in double -> t = y rounded to float -> the neighbour n of t on
//               y's side and their midpoint m (exact in double) -> the sign of x m^2 - 1 (one FMA,
//               exact sign) says on which side of m the true value lies. IEEE specials blended.
// float, without FMA (SSE2): Newton in float then in double, with a rounding test, on a group
//   of packets; the packets it cannot settle take 1/sqrt in double rounded once to float, as
//   math/rsqrt.hpp, and so does every packet on the scalar backend.
// double, with FMA: the same fast path in double on a group of packets (rounding test at
//   2^-74 on AVX-512); lanes it cannot settle go to math::rsqrt(double), whose 192-bit midpoint
//   test is exact. Without FMA (SSE2, scalar): 1/sqrt rounded twice, its residual from exact
//   products by Dekker's splitting, and the same kind of rounding test; unsettled lanes as above.
//
// A body, not a header: cpu/target.hpp includes it once inside each backend's namespace
// (detail::arch_<name>), in that backend's target region, so no include guard or namespace.

/// z, with the canonical NaN in its NaN lanes (ne is true exactly there).
template <class A>
RADICAND_ALWAYS_INLINE typename A::pf canonical_nan_lanes(typename A::pf z) noexcept {
  return A::select(A::ne(z, z), A::broadcast(bits_float(math::canonical_nan_f32)), z);
}
template <class A>
RADICAND_ALWAYS_INLINE typename A::pd canonical_nan_lanes(typename A::pd z) noexcept {
  return A::select(A::ne(z, z), A::broadcast_bits(math::canonical_nan_f64), z);
}

/// 1/sqrt in double rounded once to float, with the NaNs the hardware makes.
template <class A>
RADICAND_ALWAYS_INLINE typename A::pf rsqrt_f32_divided(typename A::pf x) noexcept {
  const typename A::pd one = A::broadcast(1.0);
  return A::join(A::div(one, A::sqrt(A::lo(x))), A::div(one, A::sqrt(A::hi(x))));
}

/// float rsqrt without FMA: math::rsqrt(float) per lane.
template <class A>
RADICAND_ALWAYS_INLINE typename A::pf rsqrt_f32_via_double(typename A::pf x) noexcept {
  return canonical_nan_lanes<A>(rsqrt_f32_divided<A>(x));
}

/// Whether every lane of every mask in m is set: one test for a whole group of packets.
template <class A, class M, std::size_t K>
RADICAND_ALWAYS_INLINE bool every_lane(const M (&m)[K]) noexcept {
  M all = m[0];
  RADICAND_UNROLL
  for (std::size_t k = 1; k < K; ++k) all = A::mask_and(all, m[k]);
  return A::all(all);
}

/// One Newton step for 1/sqrt(x): y (1.5 - (x/2) y^2). Relative error e -> 1.5 e^2 (+ rounding).
template <class A, class P>
RADICAND_ALWAYS_INLINE P rsqrt_newton(P half_x, P y, P three_halves) noexcept {
  return A::mul(y, A::fnma(A::mul(half_x, y), y, three_halves));
}

/// The same step without FMA: y (1.5 - ((x/2) y) y), four roundings.
template <class A, class P>
RADICAND_ALWAYS_INLINE P rsqrt_newton_no_fma(P half_x, P y, P three_halves) noexcept {
  return A::mul(y, A::sub(three_halves, A::mul(A::mul(half_x, y), y)));
}

/// Lanes where rsqrt is an IEEE special case: not 0 < x < inf (zeros, negatives, inf, NaN).
template <class A>
typename A::md rsqrt_special(typename A::pd x) noexcept {
  return A::mask_not(
      A::mask_and(A::gt(x, A::broadcast(0.0)), A::lt(x, A::broadcast_bits(0x7ff0000000000000ull))));
}

/// rsqrt of the special cases, as math::rsqrt gives them: +-0 -> +-inf, +inf -> +0, x < 0 and
/// NaN -> the canonical NaN (which becomes float's when rounded to float).
template <class A>
typename A::pd rsqrt_special_value(typename A::pd x) noexcept {
  using pd = typename A::pd;
  const pd zero = A::broadcast(0.0), inf = A::broadcast_bits(0x7ff0000000000000ull);
  const pd signed_inf = A::bits_or(A::bits_and(x, A::broadcast_bits(0x8000000000000000ull)), inf);
  const pd nan = A::broadcast_bits(math::canonical_nan_f64);
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

// ---- float with FMA: the fast path, on a group of K packets ----
//
// y0 = the estimate, |y0 sqrt(x) - 1| < d = 2^-rsqrt_estimate_bits, the bound the instruction is
// documented to keep (nothing here depends on one CPU's table). Newton steps without x/2, so
// that a subnormal x loses no bit: h = x y, r = 1 - h y, y <- y + (y/2) r; each maps a relative
// error e to 1.5 e^2 (1 + e), plus its roundings (under 2^-23). Then the residual of y,
// r = 1 - x y^2, nearly exact: x y = h + l exactly (FMA), r = (1 - h y) - l y, two roundings of
// numbers under 2^-20. With z = 1/sqrt(x) = y (1 - r)^(-1/2) = y (1 + r/2 + 3r^2/8 + ...):
//   rsqrt  z  = y + y (r/2)         + y E,
//   sqrt   xz = h + (l + h (r/2))   + h E,   |E| <= f32_error<A>() (below),
// and the rounding test: if the result moved by +-S (S > |E| with the roundings of the test
// itself) rounds to the same float both ways, that float is the correctly rounded result. It
// fails for 2 S / ulp of random lanes (2^-16.5 with AVX-512's S = 2^-41: a packet of 16 in
// 2^12.5), and for every special lane: x = +-0, inf, NaN, x < 0, and the subnormals that
// SSE/AVX2 flush, all give NaN or an infinite estimate, which makes y, h and r NaN, so
// up != down. Those packets take the
// exact path. h, l and r never underflow: h = sqrt(x) (1 + e) > 2^-75, and l is a multiple of
// ulp(x) ulp(y) >= 2^-98.

/// The relative error bound of y after `steps` Newton steps from A's estimate, each adding
/// `rounding` (float: 2^-23; double: 2^-51).
template <class A>
constexpr double refined_error(int steps, double rounding) noexcept {
  return math::refined_error(A::rsqrt_estimate_bits, steps, rounding);
}

/// Newton steps from A's estimate: one from 11+ bits (SSE/AVX2 rsqrtps, AVX-512 vrsqrt14), two
/// from NEON's 7.
template <class A>
constexpr int f32_newton_steps = A::rsqrt_estimate_bits >= 11 ? 1 : 2;

/// |E| above (math::f32_residual_error).
template <class A>
constexpr double f32_error() noexcept {
  return math::f32_residual_error(refined_error<A>(f32_newton_steps<A>, 0x1p-23));
}

/// S: the smallest power of two at least 4 |E| (a factor 2 for the rounding of r/2 +- S and
/// h S + c, another to spare).
template <class A>
constexpr float f32_slack() noexcept {
  return static_cast<float>(math::slack_for(f32_error<A>()));
}

/// y / 2, exactly, by the exponent (an integer operation, off the FMA pipes): y is a positive
/// normal float here, or NaN/inf/0 in a lane that the rounding test will send away.
template <class A>
RADICAND_ALWAYS_INLINE typename A::pf f32_half(typename A::pf y) noexcept {
  return A::add_bits(y, -(std::int32_t{1} << 23));
}

/// Refines the estimate: y[k] within refined_error of 1/sqrt(x[k]) (or NaN, above), and
/// half_y[k] = y[k] / 2; then h[k] + l[k] = x[k] y[k] exactly and half_r[k] = (1 - x[k] y[k]^2) / 2
/// (computed as r, scaled by 2^-1 exactly).
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE void f32_residual(const typename A::pf (&x)[K], typename A::pf (&y)[K],
                                         typename A::pf (&half_y)[K], typename A::pf (&h)[K],
                                         typename A::pf (&l)[K],
                                         typename A::pf (&half_r)[K]) noexcept {
  const typename A::pf one = A::broadcast(1.0f), half = A::broadcast(0.5f);
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) y[k] = A::rsqrt_estimate(x[k]);
  for (int step = 0; step < f32_newton_steps<A>; ++step) {
    typename A::pf r[K];
    RADICAND_UNROLL
    for (std::size_t k = 0; k < K; ++k) h[k] = A::mul(x[k], y[k]);
    RADICAND_UNROLL
    for (std::size_t k = 0; k < K; ++k) r[k] = A::fnma(h[k], y[k], one);
    RADICAND_UNROLL
    for (std::size_t k = 0; k < K; ++k) y[k] = A::fma(f32_half<A>(y[k]), r[k], y[k]);
  }
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) {
    h[k] = A::mul(x[k], y[k]);
    half_y[k] = f32_half<A>(y[k]);
  }
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) l[k] = A::fms(x[k], y[k], h[k]);
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k)
    half_r[k] = A::fnma(l[k], half_y[k], A::fnma(h[k], half_y[k], half));
}

// ---- float without FMA (SSE2): Newton in float, then in double, and a rounding test ----
//
// y0 = the estimate (|y0 sqrt(x) - 1| < 2^-rsqrt_estimate_bits); one Newton step in float,
// y0 (1.5 - (x/2) y0^2), whose roundings come to under 2^-22 (x/2 of the smallest normals
// rounds once, to 2^-23); then y widened to double and one step there (roundings under
// 2^-51). y is then within f32_double_error<A>() of z = 1/sqrt(x), so z lies between
// y (1 - S) and y (1 + S), and when both round to the same float, so does z. Lanes that do not
// settle: near a midpoint (2 S / ulp: 2^-14 to 2^-13 of random lanes), x < 2^-126 (the estimate may
// flush a subnormal to inf, and then y is -inf both ways, not NaN), and the specials, whose
// y is NaN (x = inf makes x y0 = inf 0). Their packets take 1/sqrt in double.

/// The relative error bound of y above.
template <class A>
constexpr double f32_double_error() noexcept {
  return math::newton_error(refined_error<A>(1, 0x1p-22), 0x1p-51);
}

/// float rsqrt on a group of K packets without FMA, correctly rounded for every input. The odd
/// packets go through the divider (1/sqrt in double) while the even ones take the multiplier
/// pipes: on an AMD EPYC (Zen 2) at 2^16 floats, 0.59x the time of all through the divider
/// (one in three through it: 0.68x; none: 0.82x).
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE void rsqrt_f32_no_fma(const typename A::pf (&x)[K],
                                             typename A::pf (&z)[K]) noexcept {
  using pf = typename A::pf;
  using pd = typename A::pd;
  const pf half = A::broadcast(0.5f), three_halves = A::broadcast(1.5f);
  const pd half_d = A::broadcast(0.5), three_halves_d = A::broadcast(1.5);
  // The slack covers y's error and the rounding of y (1 +- S).
  const double slack = math::slack_for(f32_double_error<A>() + 0x1p-52);
  const pd up_scale = A::broadcast(1 + slack), down_scale = A::broadcast(1 - slack);
  const pf smallest_normal = A::broadcast(0x1p-126f);
  typename A::mf all = A::ge(x[0], smallest_normal);
  typename A::mf nan = A::lt(x[0], x[0]);  // none yet: ordered compares are false on NaN
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) {
    if (k % 2 == 1) {  // the NaNs canonical below, only where the group has any
      z[k] = rsqrt_f32_divided<A>(x[k]);
      nan = A::mask_or(nan, A::ne(z[k], z[k]));
      continue;
    }
    const pf y = rsqrt_newton_no_fma<A>(A::mul(x[k], half), A::rsqrt_estimate(x[k]), three_halves);
    const pd y0 = rsqrt_newton_no_fma<A>(A::mul(A::lo(x[k]), half_d), A::lo(y), three_halves_d);
    const pd y1 = rsqrt_newton_no_fma<A>(A::mul(A::hi(x[k]), half_d), A::hi(y), three_halves_d);
    z[k] = A::join(A::mul(y0, up_scale), A::mul(y1, up_scale));
    all = A::mask_and(all, A::eq(z[k], A::join(A::mul(y0, down_scale), A::mul(y1, down_scale))));
    if (k > 0) all = A::mask_and(all, A::ge(x[k], smallest_normal));
  }
  const bool has_nan = A::any(nan);
  if (A::all(all) && !has_nan) return;
  if (has_nan)
    for (std::size_t k = 1; k < K; k += 2) z[k] = canonical_nan_lanes<A>(z[k]);
  // Rare (one group in 2^9 to 2^10 of random inputs): redo the group's even packets.
  if (!A::all(all))
    for (std::size_t k = 0; k < K; k += 2) z[k] = rsqrt_f32_via_double<A>(x[k]);
}

/// float rsqrt on a group of K packets, correctly rounded for every input. K independent chains
/// keep the FMA pipes busy where one packet's chain (about 30 cycles) would leave them idle.
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE void rsqrt_f32(const typename A::pf (&x)[K],
                                      typename A::pf (&z)[K]) noexcept {
  if constexpr (!A::has_fma && A::rsqrt_estimate_bits >= 23) {
    // The scalar backend: its estimate is 1/sqrtf already, and 1/sqrt in double is as cheap.
    RADICAND_UNROLL
    for (std::size_t k = 0; k < K; ++k) z[k] = rsqrt_f32_via_double<A>(x[k]);
  } else if constexpr (!A::has_fma) {
    rsqrt_f32_no_fma<A>(x, z);
  } else {
    using pf = typename A::pf;
    pf y[K], half_y[K], h[K], l[K], half_r[K];
    f32_residual<A>(x, y, half_y, h, l, half_r);
    const pf slack = A::broadcast(f32_slack<A>());
    typename A::mf settled[K];
    RADICAND_UNROLL
    for (std::size_t k = 0; k < K; ++k) {
      z[k] = A::fma(y[k], A::add(half_r[k], slack), y[k]);
      settled[k] = A::eq(z[k], A::fma(y[k], A::sub(half_r[k], slack), y[k]));
    }
    if (every_lane<A>(settled)) return;
    for (std::size_t k = 0; k < K; ++k)
      if (!A::all(settled[k])) z[k] = rsqrt_f32_exact<A>(x[k]);
  }
}

// ---- double with FMA: the same fast path, on a group of K packets ----
//
// y = the estimate refined by Newton steps (x/2 y^2 form; x is a normal double here, so x/2
// loses at most one bit, inside the roundings counted), e = 1 - x y^2 from x y = h + l exactly,
// and z = 1/sqrt(x) = y (1 + p) + y E with p = e (1/2 + 3e/8); sqrt(x) = x z = h + (l + h p)
// + h E' with l p dropped. |E|, |E'| <= f64_error<A>(): the series' remainder 5e^3/16 (1 + 4e),
// and the roundings of e, of the polynomial, of p +- S (rsqrt) or of l + h p and h S + c (sqrt).
// Lanes outside the estimate's documented range (subnormals; beyond 2^+-125 where the estimate
// goes through float) and the specials (NaN y, h or e, so up != down) are left unsettled.

/// Newton steps for double from A's estimate: one from 14+ bits (AVX-512), two from fewer.
template <class A>
constexpr int f64_newton_steps = A::rsqrt_estimate_bits >= 14 ? 1 : 2;

/// |E| and |E'| above.
template <class A>
constexpr double f64_error() noexcept {
  const double d = refined_error<A>(f64_newton_steps<A>, 0x1p-51);
  const double e = 2 * d + d * d;
  return 0.3125 * e * e * e * (1 + 4 * e) + 8 * e * 0x1p-53;
}

/// S for double.
template <class A>
constexpr double f64_slack() noexcept {
  return math::slack_for(f64_error<A>());
}

/// Refines the estimate for a group of K packets: y[k] within refined_error of
/// 1/sqrt(x[k]), h[k] + l[k] = x[k] y[k] exactly, p[k] as above, and in_range[k] the lanes
/// where x[k] is in the estimate's documented range.
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE void f64_residual(const typename A::pd (&x)[K], typename A::pd (&y)[K],
                                         typename A::pd (&h)[K], typename A::pd (&l)[K],
                                         typename A::pd (&p)[K],
                                         typename A::md (&in_range)[K]) noexcept {
  using pd = typename A::pd;
  constexpr int range = A::pd_estimate_range;
  static_assert(range >= 1022 || range == 125, "pd_estimate_range: 125, or every normal double");
  const pd one = A::broadcast(1.0), three_halves = A::broadcast(1.5);
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) y[k] = A::rsqrt_estimate(x[k]);
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) h[k] = A::mul(x[k], A::broadcast(0.5));
  for (int step = 0; step < f64_newton_steps<A>; ++step) {
    RADICAND_UNROLL
    for (std::size_t k = 0; k < K; ++k) y[k] = rsqrt_newton<A>(h[k], y[k], three_halves);
  }
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) h[k] = A::mul(x[k], y[k]);
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) l[k] = A::fms(x[k], y[k], h[k]);
  const pd lowest = A::broadcast(range >= 1022 ? 0x1p-1022 : 0x1p-125);
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) {
    const pd e = A::fnma(l[k], y[k], A::fnma(h[k], y[k], one));
    p[k] = A::mul(e, A::fma(e, A::broadcast(0.375), A::broadcast(0.5)));
    in_range[k] = A::ge(x[k], lowest);
    if constexpr (range < 1022)
      in_range[k] = A::mask_and(in_range[k], A::le(x[k], A::broadcast(0x1p125)));
  }
}

// ---- double without FMA (SSE2, scalar): 1/sqrt, an exact-product residual, a rounding test ----
//
// y = 1/sqrt(x) rounded twice (relative error under 2^-52, so e = 1 - x y^2 is under 2^-50.9).
// Without FMA, products are made exact by Dekker's splitting: x y = p + q and p y = r + s
// exactly, so e = ((1 - r) - s) - q y, where 1 - r is exact (r is within 2^-50 of 1) and the
// roundings left come to under 2^-102. z = 1/sqrt(x) = y (1 + e/2 + 3e^2/8 + ...), so
// |z - (y + y e/2)| < 2^-101 y. With d = 2^-95 y (beyond that error and the roundings of
// y e/2 +- d), z lies between y + (c - d) and y + (c + d), c = y e/2, and when both round to
// the same double, so does z. The splits stay exact (no overflow, no subnormal parts) for
// 2^-900 <= x <= 2^900; other lanes, the specials and those near a midpoint (2^-41 of random
// lanes) are left unsettled, for math::rsqrt(double).

/// a = hi + lo, with hi holding a's top 26 bits (Veltkamp's split): products of the halves
/// of two splits are exact.
template <class A>
RADICAND_ALWAYS_INLINE void f64_split(typename A::pd a, typename A::pd& hi,
                                      typename A::pd& lo) noexcept {
  const typename A::pd c = A::mul(a, A::broadcast(0x1p27 + 1));
  hi = A::sub(c, A::sub(c, a));
  lo = A::sub(a, hi);
}

/// The rounding error of a b, a = ah + al and b = bh + bl split: a b = fl(a b) + the result.
template <class A>
RADICAND_ALWAYS_INLINE typename A::pd f64_product_error(typename A::pd ab, typename A::pd ah,
                                                        typename A::pd al, typename A::pd bh,
                                                        typename A::pd bl) noexcept {
  const typename A::pd t = A::add(A::sub(A::mul(ah, bh), ab), A::mul(ah, bl));
  return A::add(A::add(t, A::mul(al, bh)), A::mul(al, bl));
}

/// double rsqrt on a group of K packets without FMA; returns and fills `unsettled` as
/// rsqrt_f64 below.
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE bool rsqrt_f64_no_fma(const typename A::pd (&x)[K], typename A::pd (&z)[K],
                                             typename A::md (&unsettled)[K]) noexcept {
  using pd = typename A::pd;
  using md = typename A::md;
  const pd one = A::broadcast(1.0), lowest = A::broadcast(0x1p-900),
           highest = A::broadcast(0x1p900);
  md settled[K];
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) {
    const pd y = A::div(one, A::sqrt(x[k]));
    pd xh, xl, yh, yl, ph, pl;
    f64_split<A>(x[k], xh, xl);
    f64_split<A>(y, yh, yl);
    const pd p = A::mul(x[k], y);
    const pd q = f64_product_error<A>(p, xh, xl, yh, yl);
    f64_split<A>(p, ph, pl);
    const pd r = A::mul(p, y);
    const pd s = f64_product_error<A>(r, ph, pl, yh, yl);
    const pd e = A::sub(A::sub(A::sub(one, r), s), A::mul(q, y));
    const pd c = A::mul(A::mul(y, e), A::broadcast(0.5));
    const pd d = A::mul(y, A::broadcast(0x1p-95));
    z[k] = A::add(y, A::add(c, d));
    settled[k] = A::mask_and(A::eq(z[k], A::add(y, A::sub(c, d))),
                             A::mask_and(A::ge(x[k], lowest), A::le(x[k], highest)));
  }
  if (every_lane<A>(settled)) return true;
  for (std::size_t k = 0; k < K; ++k) unsettled[k] = A::mask_not(settled[k]);
  return false;
}

/// double rsqrt on a group of K packets. Returns true when every lane is settled; otherwise
/// the lanes set in unsettled[k] must be computed by math::rsqrt(double), whose 192-bit
/// midpoint test is exact. With FMA those are extreme exponents and lanes near a midpoint
/// (about 1 in 2^21 of random inputs), and z holds the specials' values; without FMA the
/// specials are left unsettled too.
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE bool rsqrt_f64(const typename A::pd (&x)[K], typename A::pd (&z)[K],
                                      typename A::md (&unsettled)[K]) noexcept {
  if constexpr (!A::has_fma) {
    return rsqrt_f64_no_fma<A>(x, z, unsettled);
  } else {
    using pd = typename A::pd;
    using md = typename A::md;
    pd y[K], h[K], l[K], p[K];
    md settled[K];
    f64_residual<A>(x, y, h, l, p, settled);
    const pd slack = A::broadcast(f64_slack<A>());
    RADICAND_UNROLL
    for (std::size_t k = 0; k < K; ++k) {
      z[k] = A::fma(y[k], A::add(p[k], slack), y[k]);
      settled[k] = A::mask_and(settled[k], A::eq(z[k], A::fma(y[k], A::sub(p[k], slack), y[k])));
    }
    if (every_lane<A>(settled)) return true;
    for (std::size_t k = 0; k < K; ++k) {
      unsettled[k] = A::mask_not(settled[k]);
      if (A::all(settled[k])) continue;
      const md special = rsqrt_special<A>(x[k]);
      z[k] = A::select(special, rsqrt_special_value<A>(x[k]), z[k]);
      unsettled[k] = A::mask_and(unsettled[k], A::mask_not(special));
    }
    return false;
  }
}

/// rsqrt's packet forms, as the loops of cpu/loops.hpp take them.
template <>
struct packet_form<math::rsqrt_op> {
  /// A group of K packets.
  template <class A, std::size_t K>
  RADICAND_ALWAYS_INLINE static void f32(const typename A::pf (&x)[K],
                                         typename A::pf (&z)[K]) noexcept {
    rsqrt_f32<A>(x, z);
  }
  /// A group of K packets; when it returns false, the lanes set in `unsettled` go through the
  /// scalar function.
  template <class A, std::size_t K>
  RADICAND_ALWAYS_INLINE static bool f64(const typename A::pd (&x)[K], typename A::pd (&z)[K],
                                         typename A::md (&unsettled)[K]) noexcept {
    return rsqrt_f64<A>(x, z, unsettled);
  }
};
