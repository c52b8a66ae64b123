// radicand: AVX-512 (F, BW, DQ, VL) primitives: 16 floats or 8 doubles per packet, k-masks.
// Primitives only; the algorithms are in math/packet_*.hpp. Included by cpu/kernels.hpp when
// RADICAND_ARCH_AVX512 is 1 or with runtime dispatch. See cpu/arch/contract.hpp for what each
// primitive promises.
#ifndef RADICAND_CPU_ARCH_AVX512_HPP
#define RADICAND_CPU_ARCH_AVX512_HPP

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "../../config.hpp"
#include "../../dtype.hpp"
#include "contract.hpp"

// GCC 12's intrinsics start some results from an uninitialised register (_mm512_undefined_*),
// which its -Wuninitialized reports where they are inlined (GCC bug 105593): silenced here only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

RADICAND_TARGET_AVX512_BEGIN
RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_avx512 {

struct isa {
  static constexpr const char* name = "avx512";
  static constexpr std::size_t lanes = 16;
  static constexpr bool has_fma = true;
  static constexpr int rsqrt_estimate_bits = 14;  // vrsqrt14: relative error < 2^-14
  static constexpr int pd_estimate_range = 1022;  // valid for every positive normal double

  using pf = __m512;
  using pd = __m512d;
  using mf = __mmask16;
  using md = __mmask8;

  // ---- float packets: memory ----
  static pf load(const float* p) noexcept { return _mm512_loadu_ps(p); }
  static void store(float* p, pf x) noexcept { _mm512_storeu_ps(p, x); }
  static void stream(float* p, pf x) noexcept { _mm512_stream_ps(p, x); }
  static pf load(const half* p) noexcept {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static __m256i to_half_bits(pf x) noexcept {
    return _mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  static void store(half* p, pf x) noexcept {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), to_half_bits(x));
  }
  static void stream(half* p, pf x) noexcept {
    _mm256_stream_si256(reinterpret_cast<__m256i*>(p), to_half_bits(x));
  }
  static pf load(const bfloat16* p) noexcept {
    const __m512i w =
        _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
  }
  /// Round to nearest even as dtype.hpp's float_to_bfloat16_bits; a NaN stays a quiet NaN.
  static __m256i to_bfloat16_bits(pf x) noexcept {
    const __m512i f = _mm512_castps_si512(x);
    const __m512i odd = _mm512_and_si512(_mm512_srli_epi32(f, 16), _mm512_set1_epi32(1));
    const __m512i rounded = _mm512_srli_epi32(
        _mm512_add_epi32(_mm512_add_epi32(f, _mm512_set1_epi32(0x7fff)), odd), 16);
    const __m512i quiet = _mm512_or_si512(_mm512_srli_epi32(f, 16), _mm512_set1_epi32(0x40));
    const __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
    return _mm512_cvtepi32_epi16(_mm512_mask_blend_epi32(nan, rounded, quiet));
  }
  static void store(bfloat16* p, pf x) noexcept {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), to_bfloat16_bits(x));
  }
  static void stream(bfloat16* p, pf x) noexcept {
    _mm256_stream_si256(reinterpret_cast<__m256i*>(p), to_bfloat16_bits(x));
  }

  // ---- float packets: arithmetic ----
  static pf broadcast(float v) noexcept { return _mm512_set1_ps(v); }
  static pf add(pf a, pf b) noexcept { return _mm512_add_ps(a, b); }
  static pf sub(pf a, pf b) noexcept { return _mm512_sub_ps(a, b); }
  static pf mul(pf a, pf b) noexcept { return _mm512_mul_ps(a, b); }
  static pf mul_rn(pf a, pf b) noexcept {
    pf p = _mm512_mul_ps(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pf div(pf a, pf b) noexcept { return _mm512_div_ps(a, b); }
  static pf fma(pf a, pf b, pf c) noexcept { return _mm512_fmadd_ps(a, b, c); }
  static pf fms(pf a, pf b, pf c) noexcept { return _mm512_fmsub_ps(a, b, c); }
  static pf fnma(pf a, pf b, pf c) noexcept { return _mm512_fnmadd_ps(a, b, c); }
  static pf sqrt(pf a) noexcept { return _mm512_sqrt_ps(a); }
  static pf rsqrt_estimate(pf a) noexcept { return _mm512_rsqrt14_ps(a); }
  static pf add_bits(pf a, std::int32_t k) noexcept {
    return _mm512_castsi512_ps(_mm512_add_epi32(_mm512_castps_si512(a), _mm512_set1_epi32(k)));
  }

  // ---- float masks (ordered compares are false on NaN; ne is true on NaN) ----
  static mf lt(pf a, pf b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static mf le(pf a, pf b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
  static mf gt(pf a, pf b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static mf ge(pf a, pf b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
  static mf eq(pf a, pf b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static mf ne(pf a, pf b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_NEQ_UQ); }
  static mf mask_and(mf a, mf b) noexcept { return static_cast<mf>(a & b); }
  static mf mask_or(mf a, mf b) noexcept { return static_cast<mf>(a | b); }
  static mf mask_not(mf a) noexcept { return static_cast<mf>(~a); }
  static bool all(mf a) noexcept { return a == 0xffffu; }
  static bool any(mf a) noexcept { return a != 0; }
  static pf select(mf m, pf a, pf b) noexcept { return _mm512_mask_blend_ps(m, b, a); }

  // ---- float <-> double: lo/hi take lanes [0, 8) and [8, 16); join rounds to nearest ----
  static pd lo(pf a) noexcept { return _mm512_cvtps_pd(_mm512_castps512_ps256(a)); }
  static pd hi(pf a) noexcept { return _mm512_cvtps_pd(_mm512_extractf32x8_ps(a, 1)); }
  static pf join(pd a, pd b) noexcept {
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(a)), _mm512_cvtpd_ps(b), 1);
  }

  // ---- double packets ----
  static pd load(const double* p) noexcept { return _mm512_loadu_pd(p); }
  static void store(double* p, pd x) noexcept { _mm512_storeu_pd(p, x); }
  static void stream(double* p, pd x) noexcept { _mm512_stream_pd(p, x); }
  static pd broadcast(double v) noexcept { return _mm512_set1_pd(v); }
  static pd broadcast_bits(std::uint64_t v) noexcept {
    return _mm512_castsi512_pd(_mm512_set1_epi64(static_cast<long long>(v)));
  }
  static pd add(pd a, pd b) noexcept { return _mm512_add_pd(a, b); }
  static pd sub(pd a, pd b) noexcept { return _mm512_sub_pd(a, b); }
  static pd mul(pd a, pd b) noexcept { return _mm512_mul_pd(a, b); }
  static pd mul_rn(pd a, pd b) noexcept {
    pd p = _mm512_mul_pd(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pd div(pd a, pd b) noexcept { return _mm512_div_pd(a, b); }
  static pd fma(pd a, pd b, pd c) noexcept { return _mm512_fmadd_pd(a, b, c); }
  static pd fms(pd a, pd b, pd c) noexcept { return _mm512_fmsub_pd(a, b, c); }
  static pd fnma(pd a, pd b, pd c) noexcept { return _mm512_fnmadd_pd(a, b, c); }
  static pd sqrt(pd a) noexcept { return _mm512_sqrt_pd(a); }
  static pd rsqrt_estimate(pd a) noexcept { return _mm512_rsqrt14_pd(a); }
  static pd bits_and(pd a, pd b) noexcept { return _mm512_and_pd(a, b); }
  static pd bits_or(pd a, pd b) noexcept { return _mm512_or_pd(a, b); }

  static md lt(pd a, pd b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  static md le(pd a, pd b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
  static md gt(pd a, pd b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static md ge(pd a, pd b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
  static md eq(pd a, pd b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
  static md ne(pd a, pd b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_UQ); }
  static md mask_and(md a, md b) noexcept { return static_cast<md>(a & b); }
  static md mask_or(md a, md b) noexcept { return static_cast<md>(a | b); }
  static md mask_not(md a) noexcept { return static_cast<md>(~a); }
  static bool all(md a) noexcept { return a == 0xffu; }
  static bool any(md a) noexcept { return a != 0; }
  /// Bit j is lane j's mask.
  static unsigned lane_bits(md a) noexcept { return a; }
  static pd select(md m, pd a, pd b) noexcept { return _mm512_mask_blend_pd(m, b, a); }

  static void prefetch(const void* p) noexcept {
    _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
  }
  /// Orders the streaming stores before anything after (call once after a run of them).
  static void fence() noexcept { _mm_sfence(); }
};

static_assert(satisfies_isa_contract<isa>(),
              "the avx512 isa breaks cpu/arch/contract.hpp (see the errors above)");

}  // namespace arch_avx512
}  // namespace detail
RADICAND_NAMESPACE_END
RADICAND_TARGET_END

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // RADICAND_CPU_ARCH_AVX512_HPP
