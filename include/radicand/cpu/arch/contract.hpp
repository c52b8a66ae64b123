// radicand: what every CPU backend's `struct isa` (cpu/arch/*.hpp) provides to the algorithms of
// math/packet_*.hpp and the loops of cpu/kernels.hpp, what each primitive promises, and
// satisfies_isa_contract<A>(), which each backend asserts right after its isa: a backend that
// lacks a primitive, or declares it with other types, fails to compile on a message that names
// the primitive. cpu/arch/scalar.hpp is the portable reference implementation.
#ifndef RADICAND_CPU_ARCH_CONTRACT_HPP
#define RADICAND_CPU_ARCH_CONTRACT_HPP

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "../../config.hpp"
#include "../../dtype.hpp"

// GCC warns that it drops an attribute of some SIMD types (__m128's may_alias) where they are a
// class template's argument; the checks only compare types, which that attribute does not decide.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

// Keeps packet p as computed: the compiler cannot see through the empty asm statement, so it
// cannot fuse the product p holds with a later addition (GCC contracts intrinsics under
// -std=gnu++17). MSVC does not contract intrinsics.
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define RADICAND_PACKET_BARRIER(p) __asm__("" : "+v"(p))
#elif defined(__GNUC__) && defined(__aarch64__)
#define RADICAND_PACKET_BARRIER(p) __asm__("" : "+w"(p))
#else
#define RADICAND_PACKET_BARRIER(p) (void)(p)
#endif

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace isa_contract {

/// The type of an expression that is ill-formed.
struct absent {};

template <class, template <class...> class Expr, class... Args>
struct type_of_expr {
  using type = absent;
};
template <template <class...> class Expr, class... Args>
struct type_of_expr<std::void_t<Expr<Args...>>, Expr, Args...> {
  using type = Expr<Args...>;
};

/// Expr<Args...> is well-formed and of type R.
template <class R, template <class...> class Expr, class... Args>
constexpr bool yields = std::is_same<typename type_of_expr<void, Expr, Args...>::type, R>::value;

/// Expr<Args...> is well-formed.
template <template <class...> class Expr, class... Args>
constexpr bool well_formed =
    !std::is_same<typename type_of_expr<void, Expr, Args...>::type, absent>::value;

template <class A>
using pf_type = typename A::pf;
template <class A>
using pd_type = typename A::pd;
template <class A>
using mf_type = typename A::mf;
template <class A>
using md_type = typename A::md;

// The type of a constant A::c, and of a call A::f(args...), one alias for each name.
#define RADICAND_ISA_CONSTANT(c) \
  template <class A>             \
  using c = decltype(A::c)
#define RADICAND_ISA_CALL(f)        \
  template <class A, class... Args> \
  using f = decltype(A::f(std::declval<Args>()...))
RADICAND_ISA_CONSTANT(name);
RADICAND_ISA_CONSTANT(lanes);
RADICAND_ISA_CONSTANT(has_fma);
RADICAND_ISA_CONSTANT(rsqrt_estimate_bits);
RADICAND_ISA_CONSTANT(pd_estimate_range);
RADICAND_ISA_CALL(load);
RADICAND_ISA_CALL(store);
RADICAND_ISA_CALL(stream);
RADICAND_ISA_CALL(prefetch);
RADICAND_ISA_CALL(fence);
RADICAND_ISA_CALL(broadcast);
RADICAND_ISA_CALL(broadcast_bits);
RADICAND_ISA_CALL(add);
RADICAND_ISA_CALL(sub);
RADICAND_ISA_CALL(mul);
RADICAND_ISA_CALL(mul_rn);
RADICAND_ISA_CALL(div);
RADICAND_ISA_CALL(fma);
RADICAND_ISA_CALL(fms);
RADICAND_ISA_CALL(fnma);
RADICAND_ISA_CALL(sqrt);
RADICAND_ISA_CALL(rsqrt_estimate);
RADICAND_ISA_CALL(add_bits);
RADICAND_ISA_CALL(bits_and);
RADICAND_ISA_CALL(bits_or);
RADICAND_ISA_CALL(lt);
RADICAND_ISA_CALL(le);
RADICAND_ISA_CALL(gt);
RADICAND_ISA_CALL(ge);
RADICAND_ISA_CALL(eq);
RADICAND_ISA_CALL(ne);
RADICAND_ISA_CALL(mask_and);
RADICAND_ISA_CALL(mask_or);
RADICAND_ISA_CALL(mask_not);
RADICAND_ISA_CALL(all);
RADICAND_ISA_CALL(any);
RADICAND_ISA_CALL(select);
RADICAND_ISA_CALL(lane_bits);
RADICAND_ISA_CALL(lo);
RADICAND_ISA_CALL(hi);
RADICAND_ISA_CALL(join);
#undef RADICAND_ISA_CALL
#undef RADICAND_ISA_CONSTANT

// Asserts that A has the static member `type name` (a constant), or `type name(args)` (a
// function callable with those argument types, of that result type); the message is the
// declaration.
#define RADICAND_ISA_REQUIRE_CONSTANT(type, c)                                  \
  static_assert(yields<std::add_const_t<type>, c, A>,                           \
                "radicand: a cpu/arch isa needs static constexpr " #type " " #c \
                " (cpu/arch/contract.hpp)")
#define RADICAND_ISA_REQUIRE(type, f, ...)                                             \
  static_assert(yields<type, f, A, __VA_ARGS__>,                                       \
                "radicand: a cpu/arch isa needs static " #type " " #f "(" #__VA_ARGS__ \
                ") (cpu/arch/contract.hpp)")

/// Unaligned load and store of a packet P of elements E; stream: a non-temporal store, to an
/// address aligned to the packet's bytes, ordered by fence(). The 16-bit types convert to and
/// from float (pf) exactly as dtype.hpp does, rounding to nearest even, NaN payloads included,
/// except that load may quiet a signalling NaN.
template <class A, class P, class E>
constexpr bool has_memory_primitives() noexcept {
  RADICAND_ISA_REQUIRE(P, load, const E*);
  RADICAND_ISA_REQUIRE(void, store, E*, P);
  RADICAND_ISA_REQUIRE(void, stream, E*, P);
  return true;
}

/// What both packet types P (pf of float, pd of double) have, with M their compare mask:
///   broadcast, add, sub, mul, div, sqrt   IEEE, correctly rounded
///   mul_rn   mul, never fused with an addition that follows into an FMA, whatever the
///     compiler's contraction setting (RADICAND_PACKET_BARRIER)
///   fma(a,b,c) = a*b+c, fms(a,b,c) = a*b-c, fnma(a,b,c) = c-a*b (see has_fma)
///   rsqrt_estimate   the hardware's reciprocal square root estimate, within the bound of
///     rsqrt_estimate_bits; IEEE's values for +-0, +inf, NaN and negative normal numbers
///   lt le gt ge eq   ordered compares (false on NaN); ne is true on NaN
///   mask_and/or/not, all, any; select(m, a, b) = m ? a : b
template <class A, class P, class M, class E>
constexpr bool has_packet_primitives() noexcept {
  RADICAND_ISA_REQUIRE(P, broadcast, E);
  RADICAND_ISA_REQUIRE(P, add, P, P);
  RADICAND_ISA_REQUIRE(P, sub, P, P);
  RADICAND_ISA_REQUIRE(P, mul, P, P);
  RADICAND_ISA_REQUIRE(P, mul_rn, P, P);
  RADICAND_ISA_REQUIRE(P, div, P, P);
  RADICAND_ISA_REQUIRE(P, sqrt, P);
  RADICAND_ISA_REQUIRE(P, fma, P, P, P);
  RADICAND_ISA_REQUIRE(P, fms, P, P, P);
  RADICAND_ISA_REQUIRE(P, fnma, P, P, P);
  RADICAND_ISA_REQUIRE(P, rsqrt_estimate, P);
  RADICAND_ISA_REQUIRE(M, lt, P, P);
  RADICAND_ISA_REQUIRE(M, le, P, P);
  RADICAND_ISA_REQUIRE(M, gt, P, P);
  RADICAND_ISA_REQUIRE(M, ge, P, P);
  RADICAND_ISA_REQUIRE(M, eq, P, P);
  RADICAND_ISA_REQUIRE(M, ne, P, P);
  RADICAND_ISA_REQUIRE(M, mask_and, M, M);
  RADICAND_ISA_REQUIRE(M, mask_or, M, M);
  RADICAND_ISA_REQUIRE(M, mask_not, M);
  RADICAND_ISA_REQUIRE(bool, all, M);
  RADICAND_ISA_REQUIRE(bool, any, M);
  RADICAND_ISA_REQUIRE(P, select, M, P, P);
  return has_memory_primitives<A, P, E>();
}

/// The constants and the primitives of pf or pd alone, then those both have.
template <class A>
constexpr bool has_isa_primitives() noexcept {
  using pf = typename A::pf;
  using pd = typename A::pd;
  using mf = typename A::mf;
  using md = typename A::md;
  // The backend's name, as RADICAND_KERNEL_ARCH spells it.
  RADICAND_ISA_REQUIRE_CONSTANT(const char*, name);
  // Floats in a pf (even); a pd holds lanes / 2 doubles.
  RADICAND_ISA_REQUIRE_CONSTANT(std::size_t, lanes);
  // fma, fms and fnma round once; without it the algorithms never call them.
  RADICAND_ISA_REQUIRE_CONSTANT(bool, has_fma);
  // |rsqrt_estimate(x) * sqrt(x) - 1| < 2^-bits for positive normal floats (and subnormal ones,
  // except on SSE2/AVX2, which flush them).
  RADICAND_ISA_REQUIRE_CONSTANT(int, rsqrt_estimate_bits);
  // R: rsqrt_estimate(pd x) keeps that bound for 2^-R <= x <= 2^R.
  RADICAND_ISA_REQUIRE_CONSTANT(int, pd_estimate_range);
  if constexpr (yields<const std::size_t, lanes, A>) {
    static_assert(A::lanes >= 2 && A::lanes % 2 == 0 && sizeof(pf) == A::lanes * sizeof(float) &&
                      sizeof(pd) == A::lanes / 2 * sizeof(double),
                  "radicand: a cpu/arch isa's pf holds `lanes` floats (an even number), its pd "
                  "lanes / 2 doubles (cpu/arch/contract.hpp)");
  }
  // The float whose bit pattern is x's plus k.
  RADICAND_ISA_REQUIRE(pf, add_bits, pf, std::int32_t);
  // lo, hi: lanes [0, lanes/2) and [lanes/2, lanes) as doubles (exact); join: back to one pf,
  // rounding to nearest.
  RADICAND_ISA_REQUIRE(pd, lo, pf);
  RADICAND_ISA_REQUIRE(pd, hi, pf);
  RADICAND_ISA_REQUIRE(pf, join, pd, pd);
  // Bitwise operations on double packets.
  RADICAND_ISA_REQUIRE(pd, broadcast_bits, std::uint64_t);
  RADICAND_ISA_REQUIRE(pd, bits_and, pd, pd);
  RADICAND_ISA_REQUIRE(pd, bits_or, pd, pd);
  // Bit j set when lane j of the mask is set.
  RADICAND_ISA_REQUIRE(unsigned, lane_bits, md);
  // A hint to bring p's cache line in (p may be any address).
  RADICAND_ISA_REQUIRE(void, prefetch, const void*);
  // Orders the streaming stores before what follows.
  static_assert(yields<void, fence, A>,
                "radicand: a cpu/arch isa needs static void fence() (cpu/arch/contract.hpp)");
  return has_packet_primitives<A, pf, mf, float>() && has_packet_primitives<A, pd, md, double>() &&
         has_memory_primitives<A, pf, half>() && has_memory_primitives<A, pf, bfloat16>();
}

#undef RADICAND_ISA_REQUIRE
#undef RADICAND_ISA_REQUIRE_CONSTANT

}  // namespace isa_contract

/// True when A has every primitive above. Each one missing, or declared with other types, fails
/// a static_assert that names it. The packet types: pf (floats), pd (doubles), and their compare
/// masks mf and md.
template <class A>
constexpr bool satisfies_isa_contract() noexcept {
  using namespace isa_contract;
  static_assert(well_formed<pf_type, A>,
                "radicand: a cpu/arch isa needs the float packet type pf (cpu/arch/contract.hpp)");
  static_assert(well_formed<pd_type, A>,
                "radicand: a cpu/arch isa needs the double packet type pd (cpu/arch/contract.hpp)");
  static_assert(well_formed<mf_type, A>,
                "radicand: a cpu/arch isa needs pf's mask type mf (cpu/arch/contract.hpp)");
  static_assert(well_formed<md_type, A>,
                "radicand: a cpu/arch isa needs pd's mask type md (cpu/arch/contract.hpp)");
  if constexpr (well_formed<pf_type, A> && well_formed<pd_type, A> && well_formed<mf_type, A> &&
                well_formed<md_type, A>) {
    return has_isa_primitives<A>();
  } else {
    return false;
  }
}

}  // namespace detail
RADICAND_NAMESPACE_END

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // RADICAND_CPU_ARCH_CONTRACT_HPP
