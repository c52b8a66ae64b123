// radicand: RMSNorm and LayerNorm over the last dimension, fused: each row's statistics in the
// fixed summation order of math/fixed_sum.hpp, then its output, a row per thread, so that the
// bits do not depend on the backend, the thread count or the device.
#ifndef RADICAND_NORM_HPP
#define RADICAND_NORM_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "config.hpp"
#include "cpu/fpenv.hpp"
#include "cpu/reduce_kernels.hpp"
#include "cuda/reduce_kernels.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "factories.hpp"
#include "ops.hpp"
#include "shape.hpp"
#include "tensor.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

template <class T>
void check_norm_operands() {
  static_assert(is_floating_v<T>,
                "radicand: rms_norm and layer_norm need a floating tensor (float, double, half, "
                "bfloat16), as in PyTorch");
}

/// The data of an affine parameter (weight or bias) for rows of n elements: nullptr when it has
/// no elements (none), else its elements, contiguous (copied into `kept` when strided). Any
/// other shape than [n] throws shape_error.
template <class T, class D>
const T* affine_data(const char* op, const char* name, const tensor<T, D>& p, std::int64_t n,
                     const tensor<T, D>& x, tensor<T, D>& kept) {
  if (p.numel() == 0) return nullptr;
  check_same_device(op, x.device(), p.device());
  if (p.dim() != 1 || p.size(0) != n)
    fail<shape_error>(op, name, " must be empty (none) or of shape [", n,
                      "] (the last dimension of the input, of shape ", format_dims(x.shape()),
                      "), got shape ", format_dims(p.shape()));
  kept = p.contiguous();
  return kept.data();
}

template <class T, class D>
tensor<T, D> norm_over_last(const char* op, const tensor<T, D>& x, const tensor<T, D>& weight,
                            const tensor<T, D>* bias, double eps) {
  if (x.dim() == 0)
    fail<shape_error>(op, "the input must have at least one dimension, got a 0-d tensor");
  // The caller's rounding and flush modes reach none of the arithmetic, here or in the kernels.
  const ieee_mode_guard modes;
  const std::int64_t n = x.size(-1);
  tensor<T, D> w_kept, b_kept;
  const T* w = affine_data(op, "weight", weight, n, x, w_kept);
  const T* b = bias != nullptr ? affine_data(op, "bias", *bias, n, x, b_kept) : nullptr;
  const tensor<T, D> rows = x.contiguous();
  tensor<T, D> y = allocate_tensor_on<T>(op, x.shape(), x.device());
  if (y.numel() == 0) return y;
  const bool centred = bias != nullptr;
  if constexpr (std::is_same<D, cpu_t>::value) {
    norm_rows(rows.data(), y.data(), y.numel() / n, static_cast<std::size_t>(n), centred, eps, w,
              b);
  } else {
#if RADICAND_HAS_CUDA
    cuda_norm_rows(op, rows, y, y.numel() / n, static_cast<std::size_t>(n), centred, eps, w, b);
    const device_guard guard(op, x.device());
    device_engine<D>::record_uses(op, w_kept, b_kept);
#endif
  }
  return y;
}

}  // namespace detail

/// PyTorch's default RMSNorm eps: the machine epsilon of the type T computes in (2^-23 for
/// float, half and bfloat16, 2^-52 for double), as torch.nn.functional.rms_norm since PyTorch
/// 2.7 (before, a 16-bit input used its own type's).
template <class T>
constexpr double default_rms_norm_eps() noexcept {
  return static_cast<double>(std::numeric_limits<detail::compute_t<T>>::epsilon());
}

/// x * rsqrt(mean(x * x, -1, keepdim) + eps) * weight over the last dimension, fused, in float
/// for the 16-bit types, on the CPU or a CUDA device: torch.nn.functional.rms_norm(x, [n], weight,
/// eps). An empty weight is none; otherwise it has shape [n].
template <class T, class D>
tensor<T, D> rms_norm(const tensor<T, D>& x, const tensor<T, D>& weight,
                      double eps = default_rms_norm_eps<T>()) {
  detail::check_norm_operands<T>();
  return detail::norm_over_last<T, D>("rms_norm", x, weight, nullptr, eps);
}

/// (x - mean) * rsqrt(var + eps) * weight + bias over the last dimension (biased variance),
/// fused, in float for the 16-bit types: torch.nn.functional.layer_norm(x, [n], weight, bias,
/// eps). Empty weight or bias: none; otherwise shape [n].
template <class T, class D>
tensor<T, D> layer_norm(const tensor<T, D>& x, const tensor<T, D>& weight, const tensor<T, D>& bias,
                        double eps = 1e-5) {
  detail::check_norm_operands<T>();
  return detail::norm_over_last<T, D>("layer_norm", x, weight, &bias, eps);
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_NORM_HPP
