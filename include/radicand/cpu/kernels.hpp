// radicand: raw CPU kernels over caller buffers (rd::kernels::rsqrt / sqrt). The tensor
// operations are built on these. The namespace names the compiled-in backend.
#ifndef RADICAND_CPU_KERNELS_HPP
#define RADICAND_CPU_KERNELS_HPP

#include <cstddef>

#include "../config.hpp"
#include "../dtype.hpp"
#include "../math/rsqrt.hpp"
#include "../math/sqrt.hpp"

namespace radicand {
namespace kernels {
inline namespace RADICAND_KERNEL_NAMESPACE {

/// out[i] = 1/sqrt(in[i]) for i < n, correctly rounded. `in == out` is allowed.
template <class T>
void rsqrt(const T* in, T* out, std::size_t n) noexcept {
  static_assert(is_floating_element<T>::value,
                "radicand::kernels::rsqrt: T must be float, double, rd::half or rd::bfloat16");
  for (std::size_t i = 0; i < n; ++i) out[i] = detail::math::rsqrt(in[i]);
}

/// out[i] = sqrt(in[i]) for i < n, correctly rounded. `in == out` is allowed.
template <class T>
void sqrt(const T* in, T* out, std::size_t n) noexcept {
  static_assert(is_floating_element<T>::value,
                "radicand::kernels::sqrt: T must be float, double, rd::half or rd::bfloat16");
  for (std::size_t i = 0; i < n; ++i) out[i] = detail::math::sqrt(in[i]);
}

}  // namespace RADICAND_KERNEL_NAMESPACE
}  // namespace kernels
}  // namespace radicand

#endif  // RADICAND_CPU_KERNELS_HPP
