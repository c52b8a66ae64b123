// radicand: correctly rounded square root, one definition for host and device.
#ifndef RADICAND_MATH_SQRT_HPP
#define RADICAND_MATH_SQRT_HPP

#include <cmath>

#include "../config.hpp"
#include "../dtype.hpp"
#include "rsqrt.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace math {

/// IEEE 754 requires sqrt to be correctly rounded; sqrt(-0) = -0 and sqrt(x < 0) = NaN (the
/// canonical one, math/rsqrt.hpp). On the device the _rn intrinsics, so that no -prec-sqrt
/// setting changes the result.
RADICAND_HOST_DEVICE inline float sqrt(float x) noexcept {
#if defined(__CUDA_ARCH__)
  return canonical_nan(__fsqrt_rn(x));
#else
  return canonical_nan(std::sqrt(x));
#endif
}
RADICAND_HOST_DEVICE inline double sqrt(double x) noexcept { return canonical_nan(sqrt_rn(x)); }
/// Through float: 24 bits >= 2 * 11 + 2, so rounding twice equals rounding once.
RADICAND_HOST_DEVICE inline half sqrt(half x) noexcept { return half(sqrt(static_cast<float>(x))); }
RADICAND_HOST_DEVICE inline bfloat16 sqrt(bfloat16 x) noexcept {
  return bfloat16(sqrt(static_cast<float>(x)));
}

}  // namespace math
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_MATH_SQRT_HPP
