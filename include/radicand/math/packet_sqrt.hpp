// radicand: sqrt over SIMD packets, on the primitives of a backend `A` (cpu/arch/*.hpp), host only.
// IEEE requires the hardware square root to be correctly rounded, with sqrt(-0) = -0 and
// sqrt(x < 0) = NaN; half and bfloat16 go through float (see math/sqrt.hpp).
#ifndef RADICAND_MATH_PACKET_SQRT_HPP
#define RADICAND_MATH_PACKET_SQRT_HPP

#include "../config.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace math {

template <class A>
RADICAND_ALWAYS_INLINE typename A::pf sqrt_f32(typename A::pf x) noexcept {
  return A::sqrt(x);
}

template <class A>
RADICAND_ALWAYS_INLINE typename A::pd sqrt_f64(typename A::pd x) noexcept {
  return A::sqrt(x);
}

}  // namespace math
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_MATH_PACKET_SQRT_HPP
