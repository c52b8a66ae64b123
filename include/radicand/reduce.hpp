// radicand: sum, mean and var over dimensions, in the fixed summation order of
// math/fixed_sum.hpp, so that a result is the same bits whatever the backend or thread count.
#ifndef RADICAND_REDUCE_HPP
#define RADICAND_REDUCE_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <vector>

#include "config.hpp"
#include "cpu/fpenv.hpp"
#include "cpu/reduce_kernels.hpp"
#include "cuda/reduce_kernels.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "factories.hpp"
#include "math/fixed_sum.hpp"
#include "math/rsqrt.hpp"
#include "reduction_layout.hpp"
#include "shape.hpp"
#include "tensor.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// Copies the k elements from index `first` on (row-major over the reduced dimensions) of the
/// result whose first element is at base into out.
template <class T>
void gather_reduced(const T* base, const reduction_layout& l, std::size_t first, std::size_t k,
                    T* out) {
  const std::size_t dims = l.reduced_sizes.size();
  dims_t index(dims);
  std::int64_t offset = 0, rest = static_cast<std::int64_t>(first);
  for (std::size_t d = dims; d-- > 0;) {
    index[d] = rest % l.reduced_sizes[d];
    rest /= l.reduced_sizes[d];
    offset += index[d] * l.reduced_strides[d];
  }
  for (std::size_t j = 0; j < k; ++j) {
    out[j] = base[offset];
    for (std::size_t d = dims; d-- > 0;) {
      offset += l.reduced_strides[d];
      if (++index[d] < l.reduced_sizes[d]) break;
      offset -= index[d] * l.reduced_strides[d];
      index[d] = 0;
    }
  }
}

/// out(o, s) for each result o, s the fixed-order sum of its elements' summands S about
/// centre(o), in compute_t<T>: read in place when each result's elements are one contiguous
/// run, else gathered a chunk at a time; the same bits either way.
template <math::summand S, class T, class Centre, class Out>
void fixed_sums(const tensor<T>& x, const reduction_layout& l, const Centre& centre,
                const Out& out) {
  const auto n = static_cast<std::size_t>(l.reduced_count);
  const bool contiguous = reduced_run_is_contiguous(l);
  const std::size_t blocks = blocks_of(n);
  const T* data = x.data();
  sum_results<compute_t<T>, T>(
      numel_of(l.kept_sizes), n, !contiguous,
      [&](std::int64_t o, std::size_t c, T* scratch) {
        const T* base = data + offset_of(o, l.kept_sizes, l.kept_strides);
        const std::size_t first = c * chunk_blocks, m = std::min(chunk_blocks, blocks - first);
        if (contiguous) return block_tree_of<S>(base, n, first, m, centre(o));
        const std::size_t begin = first * math::block_elements;
        const std::size_t k = std::min(n - begin, m * math::block_elements);
        gather_reduced(base, l, begin, k, scratch);
        return block_tree_of<S>(scratch, k, 0, m, centre(o));
      },
      out);
}

/// A device tensor's reduction (sum: divisor 1; mean: n; var: centred), queued on its stream.
template <class T, class R, class D>
void on_device(const char* op, const tensor<T, D>& x, const reduction_layout& l, bool centred,
               double divisor, tensor<R, D>& r) {
#if RADICAND_HAS_CUDA
  cuda_reduce(op, x, l, centred, divisor, r);
#else
  (void)op, (void)x, (void)l, (void)centred, (void)divisor, (void)r;
#endif
}

template <class A>
A no_centre(std::int64_t) noexcept {
  return A(0);
}

template <class T, class D>
tensor<sum_result_t<T>, D> sum_over(const char* op, const tensor<T, D>& x, const dims_t& dims,
                                    bool all, bool keepdim) {
  using R = sum_result_t<T>;
  // The caller's rounding and flush modes reach none of the arithmetic, here or in the kernels.
  const ieee_mode_guard modes;
  const reduction_layout l = reduction_layout_of(op, x.shape(), x.strides(), dims, all, keepdim);
  tensor<R, D> r = allocate_tensor_on<R>(op, l.result_shape, x.device());
  if constexpr (!std::is_same<D, cpu_t>::value) {
    on_device(op, x, l, false, 1.0, r);
  } else if constexpr (!is_floating_v<T>) {
    // Integer sums are exact modulo 2^64: any order gives them.
    const std::int64_t results = numel_of(l.kept_sizes), n = l.reduced_count;
    for (std::int64_t o = 0; o < results; ++o) {
      const T* base = x.data() + offset_of(o, l.kept_sizes, l.kept_strides);
      std::uint64_t s = 0;
      for (std::int64_t i = 0; i < n; ++i)
        s += static_cast<std::uint64_t>(
            static_cast<std::int64_t>(base[offset_of(i, l.reduced_sizes, l.reduced_strides)]));
      r.data()[o] = static_cast<R>(s);
    }
  } else {
    using A = compute_t<T>;
    fixed_sums<math::summand::value>(x, l, no_centre<A>, [&](std::int64_t o, A s) {
      r.data()[o] = convert<R>(math::canonical_nan(s));
    });
  }
  return r;
}

template <class T>
void check_floating_reduction() {
  static_assert(is_floating_v<T>,
                "radicand: mean and var need a floating tensor (float, double, half, bfloat16), as "
                "in PyTorch; convert with to<float>() first");
}

template <class T, class D>
tensor<T, D> mean_over(const char* op, const tensor<T, D>& x, const dims_t& dims, bool all,
                       bool keepdim) {
  check_floating_reduction<T>();
  using A = compute_t<T>;
  const ieee_mode_guard modes;
  const reduction_layout l = reduction_layout_of(op, x.shape(), x.strides(), dims, all, keepdim);
  tensor<T, D> r = allocate_tensor_on<T>(op, l.result_shape, x.device());
  const A n = static_cast<A>(l.reduced_count);
  if constexpr (std::is_same<D, cpu_t>::value) {
    fixed_sums<math::summand::value>(x, l, no_centre<A>, [&](std::int64_t o, A s) {
      r.data()[o] = convert<T>(math::canonical_nan(s / n));
    });
  } else {
    on_device(op, x, l, false, static_cast<double>(n), r);
  }
  return r;
}

template <class T, class D>
tensor<T, D> var_over(const char* op, const tensor<T, D>& x, const dims_t& dims, bool all,
                      double correction, bool keepdim) {
  check_floating_reduction<T>();
  using A = compute_t<T>;
  const ieee_mode_guard modes;
  if (!(correction >= 0) ||
      correction > static_cast<double>(std::numeric_limits<std::int64_t>::max()))
    fail<value_error>(op, "correction must be a non-negative number, got ", correction);
  const reduction_layout l = reduction_layout_of(op, x.shape(), x.strides(), dims, all, keepdim);
  tensor<T, D> r = allocate_tensor_on<T>(op, l.result_shape, x.device());
  const A n = static_cast<A>(l.reduced_count);
  // PyTorch divides by max(0, n - correction): 0 gives inf or NaN.
  const double divisor_d = static_cast<double>(l.reduced_count) - correction;
  const A divisor = static_cast<A>(divisor_d > 0 ? divisor_d : 0.0);
  if constexpr (std::is_same<D, cpu_t>::value) {
    // Two passes over each result's elements: the mean, then the squares about it.
    std::vector<A> means(static_cast<std::size_t>(numel_of(l.kept_sizes)));
    fixed_sums<math::summand::value>(x, l, no_centre<A>, [&](std::int64_t o, A s) {
      means[static_cast<std::size_t>(o)] = s / n;
    });
    fixed_sums<math::summand::centred_square>(
        x, l, [&](std::int64_t o) { return means[static_cast<std::size_t>(o)]; },
        [&](std::int64_t o, A s) { r.data()[o] = convert<T>(math::canonical_nan(s / divisor)); });
  } else {
    on_device(op, x, l, true, static_cast<double>(divisor), r);
  }
  return r;
}

}  // namespace detail

// ---- sum ----
/// The sum of every element: a 0-d tensor (int64 for integral and bool elements).
template <class T, class D>
tensor<detail::sum_result_t<T>, D> sum(const tensor<T, D>& x) {
  return detail::sum_over("sum", x, {}, true, false);
}
/// The sums over dimension d (negative counts from the end), without it unless keepdim.
template <class T, class D>
tensor<detail::sum_result_t<T>, D> sum(const tensor<T, D>& x, std::int64_t d,
                                       bool keepdim = false) {
  return detail::sum_over("sum", x, {d}, false, keepdim);
}
/// The sums over the dimensions listed (none listed: all, as PyTorch's dim=[]).
template <class T, class D>
tensor<detail::sum_result_t<T>, D> sum(const tensor<T, D>& x, const std::vector<std::int64_t>& dims,
                                       bool keepdim = false) {
  return detail::sum_over("sum", x, dims, dims.empty(), keepdim);
}
template <class T, class D>
tensor<detail::sum_result_t<T>, D> sum(const tensor<T, D>& x,
                                       std::initializer_list<std::int64_t> dims,
                                       bool keepdim = false) {
  return sum(x, std::vector<std::int64_t>(dims), keepdim);
}

// ---- mean ----
template <class T, class D>
tensor<T, D> mean(const tensor<T, D>& x) {
  return detail::mean_over("mean", x, {}, true, false);
}
template <class T, class D>
tensor<T, D> mean(const tensor<T, D>& x, std::int64_t d, bool keepdim = false) {
  return detail::mean_over("mean", x, {d}, false, keepdim);
}
template <class T, class D>
tensor<T, D> mean(const tensor<T, D>& x, const std::vector<std::int64_t>& dims,
                  bool keepdim = false) {
  return detail::mean_over("mean", x, dims, dims.empty(), keepdim);
}
template <class T, class D>
tensor<T, D> mean(const tensor<T, D>& x, std::initializer_list<std::int64_t> dims,
                  bool keepdim = false) {
  return mean(x, std::vector<std::int64_t>(dims), keepdim);
}

// ---- var ----
/// The variance with Bessel's correction by default (divided by n - correction).
template <class T, class D>
tensor<T, D> var(const tensor<T, D>& x) {
  return detail::var_over("var", x, {}, true, 1.0, false);
}
template <class T, class D>
tensor<T, D> var(const tensor<T, D>& x, std::int64_t d, double correction = 1.0,
                 bool keepdim = false) {
  return detail::var_over("var", x, {d}, false, correction, keepdim);
}
template <class T, class D>
tensor<T, D> var(const tensor<T, D>& x, const std::vector<std::int64_t>& dims,
                 double correction = 1.0, bool keepdim = false) {
  return detail::var_over("var", x, dims, dims.empty(), correction, keepdim);
}
template <class T, class D>
tensor<T, D> var(const tensor<T, D>& x, std::initializer_list<std::int64_t> dims,
                 double correction = 1.0, bool keepdim = false) {
  return var(x, std::vector<std::int64_t>(dims), correction, keepdim);
}

// ---- the methods (declared in tensor.hpp) ----
template <class T, class Device>
tensor<detail::sum_result_t<T>, Device> tensor<T, Device>::sum() const {
  return radicand::sum(*this);
}
template <class T, class Device>
tensor<detail::sum_result_t<T>, Device> tensor<T, Device>::sum(std::int64_t d, bool keepdim) const {
  return radicand::sum(*this, d, keepdim);
}
template <class T, class Device>
tensor<detail::sum_result_t<T>, Device> tensor<T, Device>::sum(
    const std::vector<std::int64_t>& dims, bool keepdim) const {
  return radicand::sum(*this, dims, keepdim);
}
template <class T, class Device>
tensor<detail::sum_result_t<T>, Device> tensor<T, Device>::sum(
    std::initializer_list<std::int64_t> dims, bool keepdim) const {
  return radicand::sum(*this, dims, keepdim);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::mean() const {
  return radicand::mean(*this);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::mean(std::int64_t d, bool keepdim) const {
  return radicand::mean(*this, d, keepdim);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::mean(const std::vector<std::int64_t>& dims,
                                          bool keepdim) const {
  return radicand::mean(*this, dims, keepdim);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::mean(std::initializer_list<std::int64_t> dims,
                                          bool keepdim) const {
  return radicand::mean(*this, dims, keepdim);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::var() const {
  return radicand::var(*this);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::var(std::int64_t d, double correction, bool keepdim) const {
  return radicand::var(*this, d, correction, keepdim);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::var(const std::vector<std::int64_t>& dims, double correction,
                                         bool keepdim) const {
  return radicand::var(*this, dims, correction, keepdim);
}

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::var(std::initializer_list<std::int64_t> dims,
                                         double correction, bool keepdim) const {
  return radicand::var(*this, dims, correction, keepdim);
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_REDUCE_HPP
