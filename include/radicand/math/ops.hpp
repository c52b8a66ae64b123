// radicand: each element-wise operation described once, as every engine takes it: its name and
// its scalar function (host and device). rsqrt and sqrt also have packet forms on the primitives
// of a CPU backend (math/packet_*.hpp); the CPU engine runs the packet form where an operation
// has one and the scalar function elsewhere; the CUDA engine runs the scalar function.
#ifndef RADICAND_MATH_OPS_HPP
#define RADICAND_MATH_OPS_HPP

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../config.hpp"
#include "../dtype.hpp"
#include "rsqrt.hpp"
#include "sqrt.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace math {

// ---- unary ----

struct rsqrt_op {
  static constexpr const char* name = "rsqrt";
  static constexpr const char* inplace_name = "rsqrt_";
  template <class T>
  RADICAND_HOST_DEVICE T operator()(T x) const noexcept {
    return rsqrt(x);
  }
};

struct sqrt_op {
  static constexpr const char* name = "sqrt";
  static constexpr const char* inplace_name = "sqrt_";
  template <class T>
  RADICAND_HOST_DEVICE T operator()(T x) const noexcept {
    return sqrt(x);
  }
};

/// The element itself: copies and conversions (the engines convert around it).
struct copy_op {
  static constexpr const char* name = "copy_";
  template <class T>
  RADICAND_HOST_DEVICE T operator()(T x) const noexcept {
    return x;
  }
};

/// Integral + - * and negation wrap modulo 2^n as in PyTorch: computed in uint64 (so never
/// undefined), then narrowed.
template <class C>
RADICAND_HOST_DEVICE inline C wrap_to(std::uint64_t r) noexcept {
  return static_cast<C>(static_cast<std::make_unsigned_t<C>>(r));
}
template <class C>
RADICAND_HOST_DEVICE inline std::uint64_t widen(C a) noexcept {
  return static_cast<std::uint64_t>(a);
}

/// -x; integers wrap modulo 2^n (-INT8_MIN is INT8_MIN); the 16-bit floating types flip the sign
/// bit, as float and double negation does.
struct neg_op {
  static constexpr const char* name = "neg";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a) const noexcept {
    if constexpr (std::is_same<C, half>::value || std::is_same<C, bfloat16>::value)
      return C::from_bits(static_cast<std::uint16_t>(a.bits ^ 0x8000u));
    else if constexpr (std::is_integral<C>::value)
      return wrap_to<C>(std::uint64_t{0} - widen(a));
    else
      return -a;
  }
};

/// Whether the CPU engine has a packet form of Op to run (math/packet_*.hpp).
template <class Op>
struct has_packet_form : std::false_type {};
template <>
struct has_packet_form<rsqrt_op> : std::true_type {};
template <>
struct has_packet_form<sqrt_op> : std::true_type {};

// ---- binary, in the type C they compute in ----

struct add_op {
  static constexpr const char* name = "add";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    if constexpr (std::is_same<C, bool>::value)
      return a || b;
    else if constexpr (std::is_integral<C>::value)
      return wrap_to<C>(widen(a) + widen(b));
    else
      return a + b;
  }
};
struct sub_op {
  static constexpr const char* name = "sub";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    if constexpr (std::is_integral<C>::value)
      return wrap_to<C>(widen(a) - widen(b));
    else
      return a - b;
  }
};
struct mul_op {
  static constexpr const char* name = "mul";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    if constexpr (std::is_same<C, bool>::value)
      return a && b;
    else if constexpr (std::is_integral<C>::value)
      return wrap_to<C>(widen(a) * widen(b));
    else
      return a * b;
  }
};
struct div_op {
  static constexpr const char* name = "div";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    return a / b;  // C is floating: true division (integral operands give float)
  }
};
/// The second operand: writes a value operand (a fill, as a binary operation).
struct assign_op {
  static constexpr const char* name = "fill_";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C, C b) const noexcept {
    return b;
  }
};

}  // namespace math
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_MATH_OPS_HPP
