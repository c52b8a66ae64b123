// radicand: sum, mean and var over dimensions, in the fixed summation order of
// math/fixed_sum.hpp, so that a result is the same bits whatever the backend or thread count.
#ifndef RADICAND_REDUCE_HPP
#define RADICAND_REDUCE_HPP

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <vector>

#include "config.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "factories.hpp"
#include "math/fixed_sum.hpp"
#include "shape.hpp"
#include "tensor.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// What a sum accumulates in: int64 for integral and bool elements (PyTorch's result type),
/// float for the 16-bit floating types, else the element type.
template <class T>
using sum_acc_t = std::conditional_t<
    !is_floating_v<T>, std::int64_t,
    std::conditional_t<std::is_same<T, half>::value || std::is_same<T, bfloat16>::value, float, T>>;

/// a + b, wrapping modulo 2^64 for int64 (as PyTorch's integer sums), rounded for floating A.
template <class A>
RADICAND_HOST_DEVICE A add_acc(A a, A b) noexcept {
  if constexpr (std::is_integral<A>::value)
    return static_cast<A>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
  else
    return a + b;
}

/// a * b rounded on its own, never fused with the addition that follows into an FMA, whatever
/// the compiler's contraction setting (GCC contracts across statements under -std=gnu++17).
template <class A>
inline A product_rounded(A a, A b) noexcept {
  A p = a * b;
#if defined(__GNUC__) && (defined(__x86_64__) || (defined(__i386__) && defined(__SSE2__)))
  __asm__("" : "+x"(p));
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(p));
#else
  volatile A barrier = p;
  p = barrier;
#endif
  return p;
}

/// A reduction's layout: the result's shape, and for the input the kept dimensions (which
/// index the result, in order) and the reduced ones (which index the summed elements,
/// row-major), each with its sizes and strides.
struct reduction_layout {
  dims_t result_shape;
  dims_t kept_sizes, kept_strides;
  dims_t reduced_sizes, reduced_strides;
  std::int64_t reduced_count = 1;
};

/// The layout of reducing `dims` of x (all of them when `all`), each wrapped and checked: out of
/// range throws index_error, a dimension named twice value_error.
inline reduction_layout reduction_layout_of(const char* op, const dims_t& shape,
                                            const dims_t& strides, const dims_t& dims, bool all,
                                            bool keepdim) {
  std::vector<bool> reduced(shape.size(), all);
  if (!all) {
    for (std::int64_t d : dims) {
      const std::size_t k = wrap_dim(op, d, shape.size());
      if (shape.empty()) continue;  // 0 and -1 name a 0-d tensor's only "dimension"
      if (reduced[k])
        fail<value_error>(op, "dimension ", d, " appears more than once in the list ",
                          format_dims(dims));
      reduced[k] = true;
    }
  }
  reduction_layout l;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (reduced[i]) {
      l.reduced_sizes.push_back(shape[i]);
      l.reduced_strides.push_back(strides[i]);
      l.reduced_count *= shape[i];
      if (keepdim) l.result_shape.push_back(1);
    } else {
      l.kept_sizes.push_back(shape[i]);
      l.kept_strides.push_back(strides[i]);
      l.result_shape.push_back(shape[i]);
    }
  }
  return l;
}

/// The element offset of index i (row-major) over sizes/strides.
inline std::int64_t offset_of(std::int64_t i, const dims_t& sizes, const dims_t& strides) {
  std::int64_t off = 0;
  for (std::size_t d = sizes.size(); d-- > 0;) {
    off += (i % sizes[d]) * strides[d];
    i /= sizes[d];
  }
  return off;
}

/// For each result element (row-major), f(pointer to the first input element it reduces).
template <class T, class F>
void for_each_result(const tensor<T>& x, const reduction_layout& l, F&& f) {
  const std::int64_t results = numel_of(l.kept_sizes);
  for (std::int64_t o = 0; o < results; ++o)
    f(o, x.data() + offset_of(o, l.kept_sizes, l.kept_strides));
}

/// The fixed-order sum, in A, of the elements of one result, each first mapped by g.
template <class A, class T, class G>
A reduce_one(const T* base, const reduction_layout& l, G&& g) {
  const auto n = static_cast<std::size_t>(l.reduced_count);
  return math::fixed_sum<A>(n, [&](std::size_t i) {
    return g(base[offset_of(static_cast<std::int64_t>(i), l.reduced_sizes, l.reduced_strides)]);
  });
}

template <class T>
tensor<sum_result_t<T>> sum_over(const char* op, const tensor<T>& x, const dims_t& dims, bool all,
                                 bool keepdim) {
  using A = sum_acc_t<T>;
  using R = sum_result_t<T>;
  const reduction_layout l = reduction_layout_of(op, x.shape(), x.strides(), dims, all, keepdim);
  tensor<R> r = allocate_tensor<R>(op, l.result_shape);
  for_each_result(x, l, [&](std::int64_t o, const T* base) {
    if constexpr (std::is_integral<A>::value) {
      // Integer sums are exact modulo 2^64: any order gives them.
      std::uint64_t s = 0;
      const auto n = l.reduced_count;
      for (std::int64_t i = 0; i < n; ++i)
        s += static_cast<std::uint64_t>(
            static_cast<std::int64_t>(base[offset_of(i, l.reduced_sizes, l.reduced_strides)]));
      r.data()[o] = static_cast<R>(s);
    } else {
      r.data()[o] = convert<R>(reduce_one<A>(base, l, [](T v) { return convert<A>(v); }));
    }
  });
  return r;
}

template <class T>
void check_floating_reduction() {
  static_assert(is_floating_v<T>,
                "radicand: mean and var need a floating tensor (float, double, half, bfloat16), as "
                "in PyTorch; convert with to<float>() first");
}

template <class T>
tensor<T> mean_over(const char* op, const tensor<T>& x, const dims_t& dims, bool all,
                    bool keepdim) {
  check_floating_reduction<T>();
  using A = sum_acc_t<T>;
  const reduction_layout l = reduction_layout_of(op, x.shape(), x.strides(), dims, all, keepdim);
  tensor<T> r = allocate_tensor<T>(op, l.result_shape);
  const A n = static_cast<A>(l.reduced_count);
  for_each_result(x, l, [&](std::int64_t o, const T* base) {
    r.data()[o] = convert<T>(reduce_one<A>(base, l, [](T v) { return convert<A>(v); }) / n);
  });
  return r;
}

template <class T>
tensor<T> var_over(const char* op, const tensor<T>& x, const dims_t& dims, bool all,
                   double correction, bool keepdim) {
  check_floating_reduction<T>();
  using A = sum_acc_t<T>;
  if (!(correction >= 0) ||
      correction > static_cast<double>(std::numeric_limits<std::int64_t>::max()))
    fail<value_error>(op, "correction must be a non-negative number, got ", correction);
  const reduction_layout l = reduction_layout_of(op, x.shape(), x.strides(), dims, all, keepdim);
  tensor<T> r = allocate_tensor<T>(op, l.result_shape);
  const A n = static_cast<A>(l.reduced_count);
  // PyTorch divides by max(0, n - correction): 0 gives inf or NaN.
  const double divisor_d = static_cast<double>(l.reduced_count) - correction;
  const A divisor = static_cast<A>(divisor_d > 0 ? divisor_d : 0.0);
  for_each_result(x, l, [&](std::int64_t o, const T* base) {
    const A mean = reduce_one<A>(base, l, [](T v) { return convert<A>(v); }) / n;
    const A squares = reduce_one<A>(base, l, [mean](T v) {
      const A d = convert<A>(v) - mean;
      return product_rounded(d, d);
    });
    r.data()[o] = convert<T>(squares / divisor);
  });
  return r;
}

template <class D>
void check_reduction_device() {
  static_assert(std::is_same<D, cpu_t>::value,
                "radicand: sum, mean and var run on CPU tensors only so far; copy with cpu()");
}

}  // namespace detail

// ---- sum ----
/// The sum of every element: a 0-d tensor (int64 for integral and bool elements).
template <class T, class D>
tensor<detail::sum_result_t<T>, D> sum(const tensor<T, D>& x) {
  detail::check_reduction_device<D>();
  return detail::sum_over("sum", x, {}, true, false);
}
/// The sums over dimension d (negative counts from the end), without it unless keepdim.
template <class T, class D>
tensor<detail::sum_result_t<T>, D> sum(const tensor<T, D>& x, std::int64_t d,
                                       bool keepdim = false) {
  detail::check_reduction_device<D>();
  return detail::sum_over("sum", x, {d}, false, keepdim);
}
/// The sums over the dimensions listed (none listed: all, as PyTorch's dim=[]).
template <class T, class D>
tensor<detail::sum_result_t<T>, D> sum(const tensor<T, D>& x, const std::vector<std::int64_t>& dims,
                                       bool keepdim = false) {
  detail::check_reduction_device<D>();
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
  detail::check_reduction_device<D>();
  return detail::mean_over("mean", x, {}, true, false);
}
template <class T, class D>
tensor<T, D> mean(const tensor<T, D>& x, std::int64_t d, bool keepdim = false) {
  detail::check_reduction_device<D>();
  return detail::mean_over("mean", x, {d}, false, keepdim);
}
template <class T, class D>
tensor<T, D> mean(const tensor<T, D>& x, const std::vector<std::int64_t>& dims,
                  bool keepdim = false) {
  detail::check_reduction_device<D>();
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
  detail::check_reduction_device<D>();
  return detail::var_over("var", x, {}, true, 1.0, false);
}
template <class T, class D>
tensor<T, D> var(const tensor<T, D>& x, std::int64_t d, double correction = 1.0,
                 bool keepdim = false) {
  detail::check_reduction_device<D>();
  return detail::var_over("var", x, {d}, false, correction, keepdim);
}
template <class T, class D>
tensor<T, D> var(const tensor<T, D>& x, const std::vector<std::int64_t>& dims,
                 double correction = 1.0, bool keepdim = false) {
  detail::check_reduction_device<D>();
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
