// radicand: portable scalar primitives (packets of 2 floats, or 1 double) for targets without a
// SIMD backend, and the reference implementation of the primitives every backend provides
// (cpu/arch/contract.hpp says what each promises, and checks that each backend has them).
// Primitives only; the algorithms are in math/packet_*.hpp. Included by cpu/kernels.hpp when
// RADICAND_ARCH_SCALAR is 1.
#ifndef RADICAND_CPU_ARCH_SCALAR_HPP
#define RADICAND_CPU_ARCH_SCALAR_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "../../config.hpp"
#include "../../dtype.hpp"
#include "../../math/rounded.hpp"
#include "contract.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_scalar {

struct isa {
  static constexpr const char* name = "scalar";
  static constexpr std::size_t lanes = 2;
  static constexpr bool has_fma = false;  // std::fma may be a library call: not used on this path
  static constexpr int rsqrt_estimate_bits = 23;
  static constexpr int pd_estimate_range = 1022;

  struct pf {
    float v[2];
  };
  struct mf {
    bool v[2];
  };
  using pd = double;
  using md = bool;

  template <class F>
  static pf map(pf a, F f) noexcept {
    return {{f(a.v[0]), f(a.v[1])}};
  }
  template <class F>
  static pf map(pf a, pf b, F f) noexcept {
    return {{f(a.v[0], b.v[0]), f(a.v[1], b.v[1])}};
  }
  template <class F>
  static mf test(pf a, pf b, F f) noexcept {
    return {{f(a.v[0], b.v[0]), f(a.v[1], b.v[1])}};
  }

  // ---- float packets: memory ----
  static pf load(const float* p) noexcept { return {{p[0], p[1]}}; }
  static void store(float* p, pf x) noexcept {
    p[0] = x.v[0];
    p[1] = x.v[1];
  }
  static void stream(float* p, pf x) noexcept { store(p, x); }
  static pf load(const half* p) noexcept {
    return {{static_cast<float>(p[0]), static_cast<float>(p[1])}};
  }
  static void store(half* p, pf x) noexcept {
    p[0] = half(x.v[0]);
    p[1] = half(x.v[1]);
  }
  static void stream(half* p, pf x) noexcept { store(p, x); }
  static pf load(const bfloat16* p) noexcept {
    return {{static_cast<float>(p[0]), static_cast<float>(p[1])}};
  }
  static void store(bfloat16* p, pf x) noexcept {
    p[0] = bfloat16(x.v[0]);
    p[1] = bfloat16(x.v[1]);
  }
  static void stream(bfloat16* p, pf x) noexcept { store(p, x); }

  // ---- float packets: arithmetic ----
  static pf broadcast(float v) noexcept { return {{v, v}}; }
  static pf add(pf a, pf b) noexcept {
    return map(a, b, [](float x, float y) { return x + y; });
  }
  static pf sub(pf a, pf b) noexcept {
    return map(a, b, [](float x, float y) { return x - y; });
  }
  static pf mul(pf a, pf b) noexcept {
    return map(a, b, [](float x, float y) { return x * y; });
  }
  static pf mul_rn(pf a, pf b) noexcept {
    return map(a, b, [](float x, float y) { return math::mul_rn(x, y); });
  }
  static pf div(pf a, pf b) noexcept {
    return map(a, b, [](float x, float y) { return x / y; });
  }
  static pf fma(pf a, pf b, pf c) noexcept {
    return {{std::fma(a.v[0], b.v[0], c.v[0]), std::fma(a.v[1], b.v[1], c.v[1])}};
  }
  static pf fms(pf a, pf b, pf c) noexcept {
    return {{std::fma(a.v[0], b.v[0], -c.v[0]), std::fma(a.v[1], b.v[1], -c.v[1])}};
  }
  static pf fnma(pf a, pf b, pf c) noexcept {
    return {{std::fma(-a.v[0], b.v[0], c.v[0]), std::fma(-a.v[1], b.v[1], c.v[1])}};
  }
  static pf sqrt(pf a) noexcept {
    return map(a, [](float x) { return std::sqrt(x); });
  }
  /// No estimate instruction: 1/sqrt in float (within 2 ulp), with IEEE's special values.
  static pf rsqrt_estimate(pf a) noexcept {
    return map(a, [](float x) { return 1.0f / std::sqrt(x); });
  }
  static pf add_bits(pf a, std::int32_t k) noexcept {
    return map(a,
               [k](float x) { return bits_float(float_bits(x) + static_cast<std::uint32_t>(k)); });
  }

  // ---- float masks ----
  static mf lt(pf a, pf b) noexcept {
    return test(a, b, [](float x, float y) { return x < y; });
  }
  static mf le(pf a, pf b) noexcept {
    return test(a, b, [](float x, float y) { return x <= y; });
  }
  static mf gt(pf a, pf b) noexcept {
    return test(a, b, [](float x, float y) { return x > y; });
  }
  static mf ge(pf a, pf b) noexcept {
    return test(a, b, [](float x, float y) { return x >= y; });
  }
  static mf eq(pf a, pf b) noexcept {
    return test(a, b, [](float x, float y) { return x == y; });
  }
  static mf ne(pf a, pf b) noexcept {
    return test(a, b, [](float x, float y) { return !(x == y); });
  }
  static mf mask_and(mf a, mf b) noexcept { return {{a.v[0] && b.v[0], a.v[1] && b.v[1]}}; }
  static mf mask_or(mf a, mf b) noexcept { return {{a.v[0] || b.v[0], a.v[1] || b.v[1]}}; }
  static mf mask_not(mf a) noexcept { return {{!a.v[0], !a.v[1]}}; }
  static bool all(mf a) noexcept { return a.v[0] && a.v[1]; }
  static bool any(mf a) noexcept { return a.v[0] || a.v[1]; }
  static pf select(mf m, pf a, pf b) noexcept {
    return {{m.v[0] ? a.v[0] : b.v[0], m.v[1] ? a.v[1] : b.v[1]}};
  }

  // ---- float <-> double ----
  static pd lo(pf a) noexcept { return static_cast<double>(a.v[0]); }
  static pd hi(pf a) noexcept { return static_cast<double>(a.v[1]); }
  static pf join(pd a, pd b) noexcept { return {{static_cast<float>(a), static_cast<float>(b)}}; }

  // ---- double packets ----
  static pd load(const double* p) noexcept { return *p; }
  static void store(double* p, pd x) noexcept { *p = x; }
  static void stream(double* p, pd x) noexcept { *p = x; }
  static pd broadcast(double v) noexcept { return v; }
  static pd broadcast_bits(std::uint64_t v) noexcept { return bits_double(v); }
  static pd add(pd a, pd b) noexcept { return a + b; }
  static pd sub(pd a, pd b) noexcept { return a - b; }
  static pd mul(pd a, pd b) noexcept { return a * b; }
  static pd mul_rn(pd a, pd b) noexcept { return math::mul_rn(a, b); }
  static pd div(pd a, pd b) noexcept { return a / b; }
  static pd fma(pd a, pd b, pd c) noexcept { return std::fma(a, b, c); }
  static pd fms(pd a, pd b, pd c) noexcept { return std::fma(a, b, -c); }
  static pd fnma(pd a, pd b, pd c) noexcept { return std::fma(-a, b, c); }
  static pd sqrt(pd a) noexcept { return std::sqrt(a); }
  static pd rsqrt_estimate(pd a) noexcept { return 1.0 / std::sqrt(a); }
  static pd bits_and(pd a, pd b) noexcept { return bits_double(double_bits(a) & double_bits(b)); }
  static pd bits_or(pd a, pd b) noexcept { return bits_double(double_bits(a) | double_bits(b)); }

  static md lt(pd a, pd b) noexcept { return a < b; }
  static md le(pd a, pd b) noexcept { return a <= b; }
  static md gt(pd a, pd b) noexcept { return a > b; }
  static md ge(pd a, pd b) noexcept { return a >= b; }
  static md eq(pd a, pd b) noexcept { return a == b; }
  static md ne(pd a, pd b) noexcept { return !(a == b); }
  static md mask_and(md a, md b) noexcept { return a && b; }
  static md mask_or(md a, md b) noexcept { return a || b; }
  static md mask_not(md a) noexcept { return !a; }
  static bool all(md a) noexcept { return a; }
  static bool any(md a) noexcept { return a; }
  static unsigned lane_bits(md a) noexcept { return a ? 1u : 0u; }
  static pd select(md m, pd a, pd b) noexcept { return m ? a : b; }

  static void prefetch(const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
  }
  static void fence() noexcept {}
};

static_assert(satisfies_isa_contract<isa>(),
              "the scalar isa breaks cpu/arch/contract.hpp (see the errors above)");

}  // namespace arch_scalar
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_ARCH_SCALAR_HPP
