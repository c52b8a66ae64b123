// radicand: correctly rounded square root, one definition for host and device.
#ifndef RADICAND_MATH_SQRT_HPP
#define RADICAND_MATH_SQRT_HPP

#include <cmath>

#include "../config.hpp"
#include "../dtype.hpp"

namespace radicand {
namespace detail {
namespace math {

/// IEEE 754 requires sqrt to be correctly rounded; sqrt(-0) = -0 and sqrt(x < 0) = NaN.
RADICAND_HOST_DEVICE inline float sqrt(float x) noexcept { return std::sqrt(x); }
RADICAND_HOST_DEVICE inline double sqrt(double x) noexcept { return std::sqrt(x); }
/// Through float: 24 bits >= 2 * 11 + 2, so rounding twice equals rounding once.
RADICAND_HOST_DEVICE inline half sqrt(half x) noexcept {
  return half(std::sqrt(static_cast<float>(x)));
}
RADICAND_HOST_DEVICE inline bfloat16 sqrt(bfloat16 x) noexcept {
  return bfloat16(std::sqrt(static_cast<float>(x)));
}

}  // namespace math
}  // namespace detail
}  // namespace radicand

#endif  // RADICAND_MATH_SQRT_HPP
