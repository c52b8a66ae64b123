// radicand: products and quotients rounded as IEEE says whatever the compiler's settings, on host
// and device.
#ifndef RADICAND_MATH_ROUNDED_HPP
#define RADICAND_MATH_ROUNDED_HPP

#include "../config.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace math {

/// a * b rounded once, never fused with an addition that follows into an FMA, whatever the
/// compiler's contraction setting (GCC contracts across statements under -std=gnu++17, and
/// nvcc by default). On the host the product passes through an empty asm statement, which the
/// compiler cannot see through.
template <class F>
RADICAND_HOST_DEVICE inline F mul_rn(F a, F b) noexcept {
#if defined(__CUDA_ARCH__)
  if constexpr (sizeof(F) == sizeof(float))
    return __fmul_rn(a, b);
  else
    return __dmul_rn(a, b);
#else
  F p = a * b;
#if defined(__GNUC__) && (defined(__x86_64__) || (defined(__i386__) && defined(__SSE2__)))
  __asm__("" : "+x"(p));
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(p));
#else
  volatile F barrier = p;
  p = barrier;
#endif
  return p;
#endif
}

/// a / b correctly rounded, on the device too, whatever nvcc's -prec-div says (the host's
/// division is IEEE).
template <class F>
RADICAND_HOST_DEVICE inline F div_rn(F a, F b) noexcept {
#if defined(__CUDA_ARCH__)
  if constexpr (sizeof(F) == sizeof(float))
    return __fdiv_rn(a, b);
  else
    return __ddiv_rn(a, b);
#else
  return a / b;
#endif
}

}  // namespace math
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_MATH_ROUNDED_HPP
