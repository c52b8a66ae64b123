// radicand: AArch64 NEON primitives: 4 floats or 2 doubles per packet, FMA, double-precision
// estimates and half conversions in hardware. Primitives only; the algorithms are in
// math/packet_*.hpp. Included by cpu/kernels.hpp when RADICAND_ARCH_NEON is 1. See
// cpu/arch/contract.hpp for what each primitive promises.
#ifndef RADICAND_CPU_ARCH_NEON_HPP
#define RADICAND_CPU_ARCH_NEON_HPP

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "../../config.hpp"
#include "../../dtype.hpp"
#include "contract.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_neon {

struct isa {
  static constexpr const char* name = "neon";
  static constexpr std::size_t lanes = 4;
  static constexpr bool has_fma = true;
  static constexpr int rsqrt_estimate_bits = 7;   // FRSQRTE: 8-bit table, error < 2^-7
  static constexpr int pd_estimate_range = 1022;  // FRSQRTE on doubles: every normal double

  using pf = float32x4_t;
  using pd = float64x2_t;
  using mf = uint32x4_t;
  using md = uint64x2_t;

  // ---- float packets: memory (no non-temporal store intrinsic: stream stores normally) ----
  static pf load(const float* p) noexcept { return vld1q_f32(p); }
  static void store(float* p, pf x) noexcept { vst1q_f32(p, x); }
  static void stream(float* p, pf x) noexcept { vst1q_f32(p, x); }
  static pf load(const half* p) noexcept {
    return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(reinterpret_cast<const std::uint16_t*>(p))));
  }
  static void store(half* p, pf x) noexcept {
    vst1_u16(reinterpret_cast<std::uint16_t*>(p), vreinterpret_u16_f16(vcvt_f16_f32(x)));
  }
  static void stream(half* p, pf x) noexcept { store(p, x); }
  static pf load(const bfloat16* p) noexcept {
    return vreinterpretq_f32_u32(
        vshll_n_u16(vld1_u16(reinterpret_cast<const std::uint16_t*>(p)), 16));
  }
  /// Round to nearest even as dtype.hpp's float_to_bfloat16_bits; a NaN stays a quiet NaN.
  static void store(bfloat16* p, pf x) noexcept {
    const uint32x4_t f = vreinterpretq_u32_f32(x);
    const uint32x4_t odd = vandq_u32(vshrq_n_u32(f, 16), vdupq_n_u32(1));
    const uint32x4_t rounded = vshrq_n_u32(vaddq_u32(vaddq_u32(f, vdupq_n_u32(0x7fff)), odd), 16);
    const uint32x4_t quiet = vorrq_u32(vshrq_n_u32(f, 16), vdupq_n_u32(0x40));
    const uint32x4_t nan = vmvnq_u32(vceqq_f32(x, x));
    vst1_u16(reinterpret_cast<std::uint16_t*>(p), vmovn_u32(vbslq_u32(nan, quiet, rounded)));
  }
  static void stream(bfloat16* p, pf x) noexcept { store(p, x); }

  // ---- float packets: arithmetic ----
  static pf broadcast(float v) noexcept { return vdupq_n_f32(v); }
  static pf add(pf a, pf b) noexcept { return vaddq_f32(a, b); }
  static pf sub(pf a, pf b) noexcept { return vsubq_f32(a, b); }
  static pf mul(pf a, pf b) noexcept { return vmulq_f32(a, b); }
  static pf mul_rn(pf a, pf b) noexcept {
    pf p = vmulq_f32(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pf div(pf a, pf b) noexcept { return vdivq_f32(a, b); }
  static pf fma(pf a, pf b, pf c) noexcept { return vfmaq_f32(c, a, b); }
  static pf fms(pf a, pf b, pf c) noexcept { return vfmaq_f32(vnegq_f32(c), a, b); }
  static pf fnma(pf a, pf b, pf c) noexcept { return vfmsq_f32(c, a, b); }
  static pf sqrt(pf a) noexcept { return vsqrtq_f32(a); }
  static pf rsqrt_estimate(pf a) noexcept { return vrsqrteq_f32(a); }
  static pf add_bits(pf a, std::int32_t k) noexcept {
    return vreinterpretq_f32_s32(vaddq_s32(vreinterpretq_s32_f32(a), vdupq_n_s32(k)));
  }

  // ---- float masks ----
  static mf lt(pf a, pf b) noexcept { return vcltq_f32(a, b); }
  static mf le(pf a, pf b) noexcept { return vcleq_f32(a, b); }
  static mf gt(pf a, pf b) noexcept { return vcgtq_f32(a, b); }
  static mf ge(pf a, pf b) noexcept { return vcgeq_f32(a, b); }
  static mf eq(pf a, pf b) noexcept { return vceqq_f32(a, b); }
  static mf ne(pf a, pf b) noexcept { return vmvnq_u32(vceqq_f32(a, b)); }
  static mf mask_and(mf a, mf b) noexcept { return vandq_u32(a, b); }
  static mf mask_or(mf a, mf b) noexcept { return vorrq_u32(a, b); }
  static mf mask_not(mf a) noexcept { return vmvnq_u32(a); }
  static bool all(mf a) noexcept { return vminvq_u32(a) == 0xffffffffu; }
  static bool any(mf a) noexcept { return vmaxvq_u32(a) != 0; }
  static pf select(mf m, pf a, pf b) noexcept { return vbslq_f32(m, a, b); }

  // ---- float <-> double ----
  static pd lo(pf a) noexcept { return vcvt_f64_f32(vget_low_f32(a)); }
  static pd hi(pf a) noexcept { return vcvt_high_f64_f32(a); }
  static pf join(pd a, pd b) noexcept { return vcvt_high_f32_f64(vcvt_f32_f64(a), b); }

  // ---- double packets ----
  static pd load(const double* p) noexcept { return vld1q_f64(p); }
  static void store(double* p, pd x) noexcept { vst1q_f64(p, x); }
  static void stream(double* p, pd x) noexcept { vst1q_f64(p, x); }
  static pd broadcast(double v) noexcept { return vdupq_n_f64(v); }
  static pd broadcast_bits(std::uint64_t v) noexcept {
    return vreinterpretq_f64_u64(vdupq_n_u64(v));
  }
  static pd add(pd a, pd b) noexcept { return vaddq_f64(a, b); }
  static pd sub(pd a, pd b) noexcept { return vsubq_f64(a, b); }
  static pd mul(pd a, pd b) noexcept { return vmulq_f64(a, b); }
  static pd mul_rn(pd a, pd b) noexcept {
    pd p = vmulq_f64(a, b);
    RADICAND_PACKET_BARRIER(p);
    return p;
  }
  static pd div(pd a, pd b) noexcept { return vdivq_f64(a, b); }
  static pd fma(pd a, pd b, pd c) noexcept { return vfmaq_f64(c, a, b); }
  static pd fms(pd a, pd b, pd c) noexcept { return vfmaq_f64(vnegq_f64(c), a, b); }
  static pd fnma(pd a, pd b, pd c) noexcept { return vfmsq_f64(c, a, b); }
  static pd sqrt(pd a) noexcept { return vsqrtq_f64(a); }
  static pd rsqrt_estimate(pd a) noexcept { return vrsqrteq_f64(a); }
  static pd bits_and(pd a, pd b) noexcept {
    return vreinterpretq_f64_u64(vandq_u64(vreinterpretq_u64_f64(a), vreinterpretq_u64_f64(b)));
  }
  static pd bits_or(pd a, pd b) noexcept {
    return vreinterpretq_f64_u64(vorrq_u64(vreinterpretq_u64_f64(a), vreinterpretq_u64_f64(b)));
  }

  static md lt(pd a, pd b) noexcept { return vcltq_f64(a, b); }
  static md le(pd a, pd b) noexcept { return vcleq_f64(a, b); }
  static md gt(pd a, pd b) noexcept { return vcgtq_f64(a, b); }
  static md ge(pd a, pd b) noexcept { return vcgeq_f64(a, b); }
  static md eq(pd a, pd b) noexcept { return vceqq_f64(a, b); }
  static md ne(pd a, pd b) noexcept { return mask_not(vceqq_f64(a, b)); }
  static md mask_and(md a, md b) noexcept { return vandq_u64(a, b); }
  static md mask_or(md a, md b) noexcept { return vorrq_u64(a, b); }
  static md mask_not(md a) noexcept { return veorq_u64(a, vdupq_n_u64(~std::uint64_t{0})); }
  static bool all(md a) noexcept {
    return (vgetq_lane_u64(a, 0) & vgetq_lane_u64(a, 1)) == ~std::uint64_t{0};
  }
  static bool any(md a) noexcept { return (vgetq_lane_u64(a, 0) | vgetq_lane_u64(a, 1)) != 0; }
  static unsigned lane_bits(md a) noexcept {
    return static_cast<unsigned>((vgetq_lane_u64(a, 0) & 1u) | ((vgetq_lane_u64(a, 1) & 1u) << 1));
  }
  static pd select(md m, pd a, pd b) noexcept { return vbslq_f64(m, a, b); }

  static void prefetch(const void* p) noexcept { __builtin_prefetch(p); }
  static void fence() noexcept {}
};

static_assert(satisfies_isa_contract<isa>(),
              "the neon isa breaks cpu/arch/contract.hpp (see the errors above)");

}  // namespace arch_neon
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_ARCH_NEON_HPP
