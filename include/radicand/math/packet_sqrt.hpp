// radicand: correctly rounded sqrt over SIMD packets, on the primitives of a backend `A`
// (cpu/arch/*.hpp), host only. IEEE requires the hardware square root to be correctly rounded,
// with sqrt(-0) = -0 and sqrt(x < 0) = NaN; half and bfloat16 go through float (see
// math/sqrt.hpp).
//
// NaN results are the canonical NaN (math/rsqrt.hpp), whatever the instruction makes.
//
// float, with FMA: the square-root unit and the FMA pipes work at the same time, so in a group
// of packets some go through the hardware instruction and the others through the FMA pipes:
// sqrt(x) = x / sqrt(x) = h + (l + h (r/2)) from math/packet_rsqrt.hpp's residual, with the same
// rounding test. A packet the test cannot settle (specials, flushed subnormals, near a
// midpoint) takes the hardware instruction after all, so every result is the instruction's.
//
// A body like math/packet_rsqrt.hpp (after which cpu/target.hpp includes it).

/// In a float group, packet k goes through the FMA pipes when k % period == period - 1: one in
/// three (measured on an AMD EPYC with AVX-512 at 2^16 floats: one in three 0.71x the time of a
/// `vsqrtps` loop, one in two 0.82x).
constexpr std::size_t sqrt_fma_period = 3;

/// The same for double, whose square root is slower: one in two.
constexpr std::size_t sqrt_f64_fma_period = 2;

/// Whether packet k of a group goes through the FMA pipes, where m of them do.
template <std::size_t Period>
constexpr bool sqrt_by_fma(std::size_t k, std::size_t m) noexcept {
  return k % Period == Period - 1 && k / Period < m;
}

/// float sqrt on a group of K packets.
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE void sqrt_f32(const typename A::pf (&x)[K],
                                     typename A::pf (&z)[K]) noexcept {
  constexpr std::size_t P = sqrt_fma_period, M = A::has_fma ? K / P : 0;
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k)
    if (!sqrt_by_fma<P>(k, M)) z[k] = canonical_nan_lanes<A>(A::sqrt(x[k]));
  if constexpr (M > 0) {
    using pf = typename A::pf;
    pf xs[M], y[M], half_y[M], h[M], l[M], half_r[M];
    RADICAND_UNROLL
    for (std::size_t k = 0; k < M; ++k) xs[k] = x[P * k + P - 1];
    f32_residual<A>(xs, y, half_y, h, l, half_r);
    const pf slack = A::broadcast(f32_slack<A>());
    typename A::mf settled[M];
    RADICAND_UNROLL
    for (std::size_t k = 0; k < M; ++k) {
      const pf c = A::fma(h[k], half_r[k], l[k]);
      const pf up = A::add(h[k], A::fma(h[k], slack, c));
      settled[k] = A::eq(up, A::add(h[k], A::fnma(h[k], slack, c)));
      z[P * k + P - 1] = up;
    }
    if (every_lane<A>(settled)) return;
    for (std::size_t k = 0; k < M; ++k)
      if (!A::all(settled[k])) z[P * k + P - 1] = canonical_nan_lanes<A>(A::sqrt(xs[k]));
  }
}

/// double sqrt on a group of K packets: as sqrt_f32, from rsqrt_f64's residual.
template <class A, std::size_t K>
RADICAND_ALWAYS_INLINE void sqrt_f64(const typename A::pd (&x)[K],
                                     typename A::pd (&z)[K]) noexcept {
  constexpr std::size_t P = sqrt_f64_fma_period, M = A::has_fma ? K / P : 0;
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k)
    if (!sqrt_by_fma<P>(k, M)) z[k] = canonical_nan_lanes<A>(A::sqrt(x[k]));
  if constexpr (M > 0) {
    using pd = typename A::pd;
    pd xs[M], y[M], h[M], l[M], p[M];
    typename A::md settled[M];
    RADICAND_UNROLL
    for (std::size_t k = 0; k < M; ++k) xs[k] = x[P * k + P - 1];
    f64_residual<A>(xs, y, h, l, p, settled);
    const pd slack = A::broadcast(f64_slack<A>());
    RADICAND_UNROLL
    for (std::size_t k = 0; k < M; ++k) {
      const pd c = A::fma(h[k], p[k], l[k]);
      const pd up = A::add(h[k], A::fma(h[k], slack, c));
      settled[k] = A::mask_and(settled[k], A::eq(up, A::add(h[k], A::fnma(h[k], slack, c))));
      z[P * k + P - 1] = up;
    }
    if (every_lane<A>(settled)) return;
    for (std::size_t k = 0; k < M; ++k)
      if (!A::all(settled[k])) z[P * k + P - 1] = canonical_nan_lanes<A>(A::sqrt(xs[k]));
  }
}

/// sqrt's packet forms, as the loops of cpu/loops.hpp take them.
template <>
struct packet_form<math::sqrt_op> {
  template <class A, std::size_t K>
  RADICAND_ALWAYS_INLINE static void f32(const typename A::pf (&x)[K],
                                         typename A::pf (&z)[K]) noexcept {
    sqrt_f32<A>(x, z);
  }
  /// double: every lane settled (those the test cannot settle take the instruction).
  template <class A, std::size_t K>
  RADICAND_ALWAYS_INLINE static bool f64(const typename A::pd (&x)[K], typename A::pd (&z)[K],
                                         typename A::md (&)[K]) noexcept {
    sqrt_f64<A>(x, z);
    return true;
  }
};
