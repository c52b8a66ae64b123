// radicand: AVX2 + FMA primitives: 8 floats or 4 doubles per packet; F16C's half conversions
// when the target has them, else integer bit tricks. Primitives only; the algorithms are in
// math/packet_*.hpp. Included by cpu/kernels.hpp when RADICAND_ARCH_AVX2 is 1 or with runtime
// dispatch. See cpu/arch/contract.hpp for what each primitive promises.
#ifndef RADICAND_CPU_ARCH_AVX2_HPP
#define RADICAND_CPU_ARCH_AVX2_HPP

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "../../config.hpp"
#include "../../dtype.hpp"
#include "contract.hpp"

// GCC 12's intrinsics start some results from an uninitialised register (_mm256_undefined_*),
// which its -Wuninitialized reports where they are inlined (GCC bug 105593): silenced here only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

RADICAND_TARGET_AVX2_BEGIN
RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_avx2 {

struct isa {
  static constexpr const char* name = "avx2";
  static constexpr std::size_t lanes = 8;
  static constexpr bool has_fma = true;
  static constexpr int rsqrt_estimate_bits = 11;  // vrsqrtps: relative error < 1.5 * 2^-12
  static constexpr int pd_estimate_range = 125;   // through float

  using pf = __m256;
  using pd = __m256d;
  using mf = __m256;
  using md = __m256d;

  static __m256i ints(int v) noexcept { return _mm256_set1_epi32(v); }
  static __m256i select_ints(__m256i m, __m256i a, __m256i b) noexcept {
    return _mm256_blendv_epi8(b, a, m);
  }
  /// 32-bit lanes holding 16-bit values -> 8 x 16 bits.
  static __m128i narrow16(__m256i v) noexcept {
    const __m256i packed =
        _mm256_packus_epi32(v, v);  // per 128-bit half: v0..3 v0..3 | v4..7 v4..7
    return _mm256_castsi256_si128(_mm256_permute4x64_epi64(packed, 0x08));
  }

  // ---- float packets: memory ----
  static pf load(const float* p) noexcept { return _mm256_loadu_ps(p); }
  static void store(float* p, pf x) noexcept { _mm256_storeu_ps(p, x); }
  static void stream(float* p, pf x) noexcept { _mm256_stream_ps(p, x); }

#if defined(__F16C__) || RADICAND_ARCH_DISPATCH  // the dispatch target has F16C
  static pf load(const half* p) noexcept {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static __m128i to_half(pf x) noexcept { return _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT); }
#else
  /// binary16 bits -> float exactly as dtype.hpp's half_bits_to_float (see sse2.hpp).
  static pf load(const half* p) noexcept {
    const __m256i h = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    const __m256i sign = _mm256_slli_epi32(_mm256_and_si256(h, ints(0x8000)), 16);
    const __m256i em = _mm256_and_si256(h, ints(0x7fff));
    const __m256i shifted = _mm256_slli_epi32(em, 13);
    const __m256i normal = _mm256_add_epi32(shifted, ints(112 << 23));
    const __m256 subnormal = _mm256_mul_ps(_mm256_cvtepi32_ps(em), _mm256_set1_ps(0x1p-24f));
    const __m256i infnan = _mm256_or_si256(shifted, ints(0x7f800000));
    __m256i r =
        select_ints(_mm256_cmpgt_epi32(ints(0x400), em), _mm256_castps_si256(subnormal), normal);
    r = select_ints(_mm256_cmpgt_epi32(em, ints(0x7bff)), infnan, r);
    return _mm256_castsi256_ps(_mm256_or_si256(r, sign));
  }
  /// float -> binary16 bits, round to nearest even, exactly as dtype.hpp's float_to_half_bits.
  static __m128i to_half(pf x) noexcept {
    const __m256i f = _mm256_castps_si256(x);
    const __m256i sign = _mm256_and_si256(_mm256_srli_epi32(f, 16), ints(0x8000));
    const __m256i a = _mm256_and_si256(f, ints(0x7fffffff));
    const __m256i odd = _mm256_and_si256(_mm256_srli_epi32(a, 13), ints(1));
    const __m256i normal = _mm256_srli_epi32(
        _mm256_add_epi32(_mm256_add_epi32(_mm256_sub_epi32(a, ints(112 << 23)), ints(0xfff)), odd),
        13);
    const __m256i subnormal = _mm256_sub_epi32(
        _mm256_castps_si256(_mm256_add_ps(_mm256_castsi256_ps(a), _mm256_set1_ps(0.5f))),
        ints(0x3f000000));
    const __m256i nan =
        _mm256_or_si256(ints(0x7e00), _mm256_and_si256(_mm256_srli_epi32(a, 13), ints(0x3ff)));
    __m256i r = select_ints(_mm256_cmpgt_epi32(ints(0x38800000), a), subnormal, normal);
    r = select_ints(_mm256_cmpgt_epi32(a, ints(0x477fefff)), ints(0x7c00), r);
    r = select_ints(_mm256_cmpgt_epi32(a, ints(0x7f800000)), nan, r);
    return narrow16(_mm256_or_si256(r, sign));
  }
#endif
  static void store(half* p, pf x) noexcept {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), to_half(x));
  }
  static void stream(half* p, pf x) noexcept {
    _mm_stream_si128(reinterpret_cast<__m128i*>(p), to_half(x));
  }
  static pf load(const bfloat16* p) noexcept {
    const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
  }
  /// Round to nearest even as dtype.hpp's float_to_bfloat16_bits; a NaN stays a quiet NaN.
  static __m128i to_bfloat16(pf x) noexcept {
    const __m256i f = _mm256_castps_si256(x);
    const __m256i odd = _mm256_and_si256(_mm256_srli_epi32(f, 16), ints(1));
    const __m256i rounded =
        _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(f, ints(0x7fff)), odd), 16);
    const __m256i quiet = _mm256_or_si256(_mm256_srli_epi32(f, 16), ints(0x40));
    const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
    return narrow16(select_ints(nan, quiet, rounded));
  }
  static void store(bfloat16* p, pf x) noexcept {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), to_bfloat16(x));
  }
  static void stream(bfloat16* p, pf x) noexcept {
    _mm_stream_si128(reinterpret_cast<__m128i*>(p), to_bfloat16(x));
  }

  // ---- float packets: arithmetic ----
  static pf broadcast(float v) noexcept { return _mm256_set1_ps(v); }
  static pf add(pf a, pf b) noexcept { return _mm256_add_ps(a, b); }
  static pf sub(pf a, pf b) noexcept { return _mm256_sub_ps(a, b); }
  static pf mul(pf a, pf b) noexcept { return _mm256_mul_ps(a, b); }
  static pf mul_rn(pf a, pf b) noexcept {
    pf p = _mm256_mul_ps(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pf div(pf a, pf b) noexcept { return _mm256_div_ps(a, b); }
  static pf fma(pf a, pf b, pf c) noexcept { return _mm256_fmadd_ps(a, b, c); }
  static pf fms(pf a, pf b, pf c) noexcept { return _mm256_fmsub_ps(a, b, c); }
  static pf fnma(pf a, pf b, pf c) noexcept { return _mm256_fnmadd_ps(a, b, c); }
  static pf sqrt(pf a) noexcept { return _mm256_sqrt_ps(a); }
  static pf rsqrt_estimate(pf a) noexcept { return _mm256_rsqrt_ps(a); }
  static pf add_bits(pf a, std::int32_t k) noexcept {
    return _mm256_castsi256_ps(_mm256_add_epi32(_mm256_castps_si256(a), _mm256_set1_epi32(k)));
  }

  // ---- float masks ----
  static mf lt(pf a, pf b) noexcept { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static mf le(pf a, pf b) noexcept { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
  static mf gt(pf a, pf b) noexcept { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static mf ge(pf a, pf b) noexcept { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
  static mf eq(pf a, pf b) noexcept { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static mf ne(pf a, pf b) noexcept { return _mm256_cmp_ps(a, b, _CMP_NEQ_UQ); }
  static mf mask_and(mf a, mf b) noexcept { return _mm256_and_ps(a, b); }
  static mf mask_or(mf a, mf b) noexcept { return _mm256_or_ps(a, b); }
  static mf mask_not(mf a) noexcept {
    return _mm256_xor_ps(a, _mm256_castsi256_ps(_mm256_set1_epi32(-1)));
  }
  static bool all(mf a) noexcept { return _mm256_movemask_ps(a) == 0xff; }
  static bool any(mf a) noexcept { return _mm256_movemask_ps(a) != 0; }
  static pf select(mf m, pf a, pf b) noexcept { return _mm256_blendv_ps(b, a, m); }

  // ---- float <-> double ----
  static pd lo(pf a) noexcept { return _mm256_cvtps_pd(_mm256_castps256_ps128(a)); }
  static pd hi(pf a) noexcept { return _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1)); }
  static pf join(pd a, pd b) noexcept {
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(a)), _mm256_cvtpd_ps(b), 1);
  }

  // ---- double packets ----
  static pd load(const double* p) noexcept { return _mm256_loadu_pd(p); }
  static void store(double* p, pd x) noexcept { _mm256_storeu_pd(p, x); }
  static void stream(double* p, pd x) noexcept { _mm256_stream_pd(p, x); }
  static pd broadcast(double v) noexcept { return _mm256_set1_pd(v); }
  static pd broadcast_bits(std::uint64_t v) noexcept {
    return _mm256_castsi256_pd(_mm256_set1_epi64x(static_cast<long long>(v)));
  }
  static pd add(pd a, pd b) noexcept { return _mm256_add_pd(a, b); }
  static pd sub(pd a, pd b) noexcept { return _mm256_sub_pd(a, b); }
  static pd mul(pd a, pd b) noexcept { return _mm256_mul_pd(a, b); }
  static pd mul_rn(pd a, pd b) noexcept {
    pd p = _mm256_mul_pd(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pd div(pd a, pd b) noexcept { return _mm256_div_pd(a, b); }
  static pd fma(pd a, pd b, pd c) noexcept { return _mm256_fmadd_pd(a, b, c); }
  static pd fms(pd a, pd b, pd c) noexcept { return _mm256_fmsub_pd(a, b, c); }
  static pd fnma(pd a, pd b, pd c) noexcept { return _mm256_fnmadd_pd(a, b, c); }
  static pd sqrt(pd a) noexcept { return _mm256_sqrt_pd(a); }
  static pd rsqrt_estimate(pd a) noexcept {
    return _mm256_cvtps_pd(_mm_rsqrt_ps(_mm256_cvtpd_ps(a)));
  }
  static pd bits_and(pd a, pd b) noexcept { return _mm256_and_pd(a, b); }
  static pd bits_or(pd a, pd b) noexcept { return _mm256_or_pd(a, b); }

  static md lt(pd a, pd b) noexcept { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
  static md le(pd a, pd b) noexcept { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
  static md gt(pd a, pd b) noexcept { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  static md ge(pd a, pd b) noexcept { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
  static md eq(pd a, pd b) noexcept { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
  static md ne(pd a, pd b) noexcept { return _mm256_cmp_pd(a, b, _CMP_NEQ_UQ); }
  static md mask_and(md a, md b) noexcept { return _mm256_and_pd(a, b); }
  static md mask_or(md a, md b) noexcept { return _mm256_or_pd(a, b); }
  static md mask_not(md a) noexcept {
    return _mm256_xor_pd(a, _mm256_castsi256_pd(_mm256_set1_epi32(-1)));
  }
  static bool all(md a) noexcept { return _mm256_movemask_pd(a) == 0xf; }
  static bool any(md a) noexcept { return _mm256_movemask_pd(a) != 0; }
  static unsigned lane_bits(md a) noexcept { return static_cast<unsigned>(_mm256_movemask_pd(a)); }
  static pd select(md m, pd a, pd b) noexcept { return _mm256_blendv_pd(b, a, m); }

  static void prefetch(const void* p) noexcept {
    _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
  }
  static void fence() noexcept { _mm_sfence(); }
};

static_assert(satisfies_isa_contract<isa>(),
              "the avx2 isa breaks cpu/arch/contract.hpp (see the errors above)");

}  // namespace arch_avx2
}  // namespace detail
RADICAND_NAMESPACE_END
RADICAND_TARGET_END

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // RADICAND_CPU_ARCH_AVX2_HPP
