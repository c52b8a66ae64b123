// radicand: SSE2 primitives (x86-64's baseline): 4 floats or 2 doubles per packet. No FMA, so
// float rsqrt takes the 1/sqrt-in-double path and double rsqrt the scalar function. Primitives
// only; the algorithms are in math/packet_*.hpp. Included by cpu/kernels.hpp when
// RADICAND_ARCH_SSE2 is 1 or with runtime dispatch. See cpu/arch/contract.hpp for what each
// primitive promises.
#ifndef RADICAND_CPU_ARCH_SSE2_HPP
#define RADICAND_CPU_ARCH_SSE2_HPP

#include <emmintrin.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "../../config.hpp"
#include "../../dtype.hpp"
#include "contract.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_sse2 {

struct isa {
  static constexpr const char* name = "sse2";
  static constexpr std::size_t lanes = 4;
  static constexpr bool has_fma = false;
  static constexpr int rsqrt_estimate_bits = 11;  // rsqrtps: relative error < 1.5 * 2^-12
  static constexpr int pd_estimate_range = 125;   // through float

  using pf = __m128;
  using pd = __m128d;
  using mf = __m128;
  using md = __m128d;

  static __m128i ints(int v) noexcept { return _mm_set1_epi32(v); }
  static __m128i select_ints(__m128i m, __m128i a, __m128i b) noexcept {
    return _mm_or_si128(_mm_and_si128(m, a), _mm_andnot_si128(m, b));
  }
  /// 32-bit lanes holding 16-bit values -> 4 x 16 bits in the low 64 bits.
  static __m128i narrow16(__m128i v) noexcept {
    const __m128i s = _mm_srai_epi32(_mm_slli_epi32(v, 16), 16);  // packs saturates signed
    return _mm_packs_epi32(s, s);
  }

  // ---- float packets: memory ----
  static pf load(const float* p) noexcept { return _mm_loadu_ps(p); }
  static void store(float* p, pf x) noexcept { _mm_storeu_ps(p, x); }
  static void stream(float* p, pf x) noexcept { _mm_stream_ps(p, x); }

  /// binary16 bits (in 32-bit lanes) -> float, exactly as dtype.hpp's half_bits_to_float.
  static pf from_half_bits(__m128i h) noexcept {
    const __m128i sign = _mm_slli_epi32(_mm_and_si128(h, ints(0x8000)), 16);
    const __m128i em = _mm_and_si128(h, ints(0x7fff));
    const __m128i shifted = _mm_slli_epi32(em, 13);
    // Normal: the exponent rebiased by an integer addition. Subnormal: the integer significand
    // times 2^-24 (exact, and no subnormal float is ever an operand: those are slow on x86).
    // Inf and NaN: exponent all ones, significand kept.
    const __m128i normal = _mm_add_epi32(shifted, ints(112 << 23));
    const __m128 subnormal = _mm_mul_ps(_mm_cvtepi32_ps(em), _mm_set1_ps(0x1p-24f));
    const __m128i infnan = _mm_or_si128(shifted, ints(0x7f800000));
    __m128i r = select_ints(_mm_cmplt_epi32(em, ints(0x400)), _mm_castps_si128(subnormal), normal);
    r = select_ints(_mm_cmpgt_epi32(em, ints(0x7bff)), infnan, r);
    return _mm_castsi128_ps(_mm_or_si128(r, sign));
  }
  /// float -> binary16 bits (in 32-bit lanes), round to nearest even, exactly as dtype.hpp's
  /// float_to_half_bits (NaN: quiet, top of the payload kept).
  static __m128i to_half_bits(pf x) noexcept {
    const __m128i f = _mm_castps_si128(x);
    const __m128i sign = _mm_and_si128(_mm_srli_epi32(f, 16), ints(0x8000));
    const __m128i a = _mm_and_si128(f, ints(0x7fffffff));
    const __m128i odd = _mm_and_si128(_mm_srli_epi32(a, 13), ints(1));
    const __m128i normal = _mm_srli_epi32(
        _mm_add_epi32(_mm_add_epi32(_mm_sub_epi32(a, ints(112 << 23)), ints(0xfff)), odd), 13);
    // Below 2^-14: adding 0.5 rounds to a multiple of 2^-24 (nearest even), the half's bits.
    const __m128i subnormal = _mm_sub_epi32(
        _mm_castps_si128(_mm_add_ps(_mm_castsi128_ps(a), _mm_set1_ps(0.5f))), ints(0x3f000000));
    const __m128i nan =
        _mm_or_si128(ints(0x7e00), _mm_and_si128(_mm_srli_epi32(a, 13), ints(0x3ff)));
    __m128i r = select_ints(_mm_cmplt_epi32(a, ints(0x38800000)), subnormal, normal);
    r = select_ints(_mm_cmpgt_epi32(a, ints(0x477fefff)), ints(0x7c00), r);
    r = select_ints(_mm_cmpgt_epi32(a, ints(0x7f800000)), nan, r);
    return _mm_or_si128(r, sign);
  }
  static pf load(const half* p) noexcept {
    const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    return from_half_bits(_mm_unpacklo_epi16(v, _mm_setzero_si128()));
  }
  static void store(half* p, pf x) noexcept {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), narrow16(to_half_bits(x)));
  }
  static void stream(half* p, pf x) noexcept { store(p, x); }
  static pf load(const bfloat16* p) noexcept {
    const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    return _mm_castsi128_ps(_mm_unpacklo_epi16(_mm_setzero_si128(), v));
  }
  /// Round to nearest even as dtype.hpp's float_to_bfloat16_bits; a NaN stays a quiet NaN.
  static __m128i to_bfloat16_bits(pf x) noexcept {
    const __m128i f = _mm_castps_si128(x);
    const __m128i odd = _mm_and_si128(_mm_srli_epi32(f, 16), ints(1));
    const __m128i rounded = _mm_srli_epi32(_mm_add_epi32(_mm_add_epi32(f, ints(0x7fff)), odd), 16);
    const __m128i quiet = _mm_or_si128(_mm_srli_epi32(f, 16), ints(0x40));
    return select_ints(_mm_castps_si128(_mm_cmpunord_ps(x, x)), quiet, rounded);
  }
  static void store(bfloat16* p, pf x) noexcept {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), narrow16(to_bfloat16_bits(x)));
  }
  static void stream(bfloat16* p, pf x) noexcept { store(p, x); }

  // ---- float packets: arithmetic ----
  static pf broadcast(float v) noexcept { return _mm_set1_ps(v); }
  static pf add(pf a, pf b) noexcept { return _mm_add_ps(a, b); }
  static pf sub(pf a, pf b) noexcept { return _mm_sub_ps(a, b); }
  static pf mul(pf a, pf b) noexcept { return _mm_mul_ps(a, b); }
  static pf mul_rn(pf a, pf b) noexcept {
    pf p = _mm_mul_ps(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pf div(pf a, pf b) noexcept { return _mm_div_ps(a, b); }
  /// No FMA instruction: fused lane by lane in software (has_fma is false; not on a fast path).
  template <class F>
  static pf lanewise(pf a, pf b, pf c, F f) noexcept {
    alignas(16) float x[4], y[4], z[4];
    _mm_store_ps(x, a);
    _mm_store_ps(y, b);
    _mm_store_ps(z, c);
    for (int i = 0; i < 4; ++i) x[i] = f(x[i], y[i], z[i]);
    return _mm_load_ps(x);
  }
  static pf fma(pf a, pf b, pf c) noexcept {
    return lanewise(a, b, c, [](float x, float y, float z) { return std::fma(x, y, z); });
  }
  static pf fms(pf a, pf b, pf c) noexcept {
    return lanewise(a, b, c, [](float x, float y, float z) { return std::fma(x, y, -z); });
  }
  static pf fnma(pf a, pf b, pf c) noexcept {
    return lanewise(a, b, c, [](float x, float y, float z) { return std::fma(-x, y, z); });
  }
  static pf sqrt(pf a) noexcept { return _mm_sqrt_ps(a); }
  static pf rsqrt_estimate(pf a) noexcept { return _mm_rsqrt_ps(a); }
  static pf add_bits(pf a, std::int32_t k) noexcept {
    return _mm_castsi128_ps(_mm_add_epi32(_mm_castps_si128(a), _mm_set1_epi32(k)));
  }

  // ---- float masks ----
  static mf lt(pf a, pf b) noexcept { return _mm_cmplt_ps(a, b); }
  static mf le(pf a, pf b) noexcept { return _mm_cmple_ps(a, b); }
  static mf gt(pf a, pf b) noexcept { return _mm_cmpgt_ps(a, b); }
  static mf ge(pf a, pf b) noexcept { return _mm_cmpge_ps(a, b); }
  static mf eq(pf a, pf b) noexcept { return _mm_cmpeq_ps(a, b); }
  static mf ne(pf a, pf b) noexcept { return _mm_cmpneq_ps(a, b); }
  static mf mask_and(mf a, mf b) noexcept { return _mm_and_ps(a, b); }
  static mf mask_or(mf a, mf b) noexcept { return _mm_or_ps(a, b); }
  static mf mask_not(mf a) noexcept { return _mm_xor_ps(a, _mm_castsi128_ps(_mm_set1_epi32(-1))); }
  static bool all(mf a) noexcept { return _mm_movemask_ps(a) == 0xf; }
  static bool any(mf a) noexcept { return _mm_movemask_ps(a) != 0; }
  static pf select(mf m, pf a, pf b) noexcept {
    return _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b));
  }

  // ---- float <-> double ----
  static pd lo(pf a) noexcept { return _mm_cvtps_pd(a); }
  static pd hi(pf a) noexcept { return _mm_cvtps_pd(_mm_movehl_ps(a, a)); }
  static pf join(pd a, pd b) noexcept { return _mm_movelh_ps(_mm_cvtpd_ps(a), _mm_cvtpd_ps(b)); }

  // ---- double packets ----
  static pd load(const double* p) noexcept { return _mm_loadu_pd(p); }
  static void store(double* p, pd x) noexcept { _mm_storeu_pd(p, x); }
  static void stream(double* p, pd x) noexcept { _mm_stream_pd(p, x); }
  static pd broadcast(double v) noexcept { return _mm_set1_pd(v); }
  static pd broadcast_bits(std::uint64_t v) noexcept {
    return _mm_castsi128_pd(_mm_set1_epi64x(static_cast<long long>(v)));
  }
  static pd add(pd a, pd b) noexcept { return _mm_add_pd(a, b); }
  static pd sub(pd a, pd b) noexcept { return _mm_sub_pd(a, b); }
  static pd mul(pd a, pd b) noexcept { return _mm_mul_pd(a, b); }
  static pd mul_rn(pd a, pd b) noexcept {
    pd p = _mm_mul_pd(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pd div(pd a, pd b) noexcept { return _mm_div_pd(a, b); }
  template <class F>
  static pd lanewise(pd a, pd b, pd c, F f) noexcept {
    alignas(16) double x[2], y[2], z[2];
    _mm_store_pd(x, a);
    _mm_store_pd(y, b);
    _mm_store_pd(z, c);
    for (int i = 0; i < 2; ++i) x[i] = f(x[i], y[i], z[i]);
    return _mm_load_pd(x);
  }
  static pd fma(pd a, pd b, pd c) noexcept {
    return lanewise(a, b, c, [](double x, double y, double z) { return std::fma(x, y, z); });
  }
  static pd fms(pd a, pd b, pd c) noexcept {
    return lanewise(a, b, c, [](double x, double y, double z) { return std::fma(x, y, -z); });
  }
  static pd fnma(pd a, pd b, pd c) noexcept {
    return lanewise(a, b, c, [](double x, double y, double z) { return std::fma(-x, y, z); });
  }
  static pd sqrt(pd a) noexcept { return _mm_sqrt_pd(a); }
  static pd rsqrt_estimate(pd a) noexcept { return _mm_cvtps_pd(_mm_rsqrt_ps(_mm_cvtpd_ps(a))); }
  static pd bits_and(pd a, pd b) noexcept { return _mm_and_pd(a, b); }
  static pd bits_or(pd a, pd b) noexcept { return _mm_or_pd(a, b); }

  static md lt(pd a, pd b) noexcept { return _mm_cmplt_pd(a, b); }
  static md le(pd a, pd b) noexcept { return _mm_cmple_pd(a, b); }
  static md gt(pd a, pd b) noexcept { return _mm_cmpgt_pd(a, b); }
  static md ge(pd a, pd b) noexcept { return _mm_cmpge_pd(a, b); }
  static md eq(pd a, pd b) noexcept { return _mm_cmpeq_pd(a, b); }
  static md ne(pd a, pd b) noexcept { return _mm_cmpneq_pd(a, b); }
  static md mask_and(md a, md b) noexcept { return _mm_and_pd(a, b); }
  static md mask_or(md a, md b) noexcept { return _mm_or_pd(a, b); }
  static md mask_not(md a) noexcept { return _mm_xor_pd(a, _mm_castsi128_pd(_mm_set1_epi32(-1))); }
  static bool all(md a) noexcept { return _mm_movemask_pd(a) == 0x3; }
  static bool any(md a) noexcept { return _mm_movemask_pd(a) != 0; }
  static unsigned lane_bits(md a) noexcept { return static_cast<unsigned>(_mm_movemask_pd(a)); }
  static pd select(md m, pd a, pd b) noexcept {
    return _mm_or_pd(_mm_and_pd(m, a), _mm_andnot_pd(m, b));
  }

  static void prefetch(const void* p) noexcept {
    _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
  }
  static void fence() noexcept { _mm_sfence(); }
};

static_assert(satisfies_isa_contract<isa>(),
              "the sse2 isa breaks cpu/arch/contract.hpp (see the errors above)");

}  // namespace arch_sse2
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_ARCH_SSE2_HPP
