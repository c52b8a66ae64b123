// radicand: the factories on a CUDA device (rd::empty<float>(shape, rd::cuda), ...), queued on
// the current stream. Used only in CUDA translation units.
#ifndef RADICAND_CUDA_FACTORIES_HPP
#define RADICAND_CUDA_FACTORIES_HPP

#include "../config.hpp"
#include "../factories.hpp"
#include "../random.hpp"
#include "engine.hpp"

#if RADICAND_HAS_CUDA

#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

RADICAND_NAMESPACE_BEGIN

// The device is a deduced parameter D = cuda_t, so that a braced list in its place (a shape
// {3}, strides {1}) never takes it for a device: rd::from_vector(v, {3}) stays unambiguous.

namespace detail {
template <class D>
using if_cuda_t = std::enable_if_t<std::is_same<D, cuda_t>::value, int>;
}  // namespace detail

/// Uninitialised tensor of the given shape on device d (contiguous).
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> empty(const std::vector<std::int64_t>& shape, D d) {
  return detail::allocate_tensor_on<T>("empty", shape, d);
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> full(const std::vector<std::int64_t>& shape, T value, D d) {
  tensor<T, cuda_t> r = detail::allocate_tensor_on<T>("full", shape, d);
  detail::device_engine<cuda_t>::fill("full", r, value);
  return r;
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> zeros(const std::vector<std::int64_t>& shape, D d) {
  return full<T>(shape, detail::convert<T>(0), d);
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> ones(const std::vector<std::int64_t>& shape, D d) {
  return full<T>(shape, detail::convert<T>(1), d);
}
/// A 0-d tensor holding v on device d.
template <class T, class D, detail::if_cuda_t<D> = 0>
scalar_tensor<T, cuda_t> scalar(T v, D d) {
  return scalar_tensor<T, cuda_t>(full<T>({}, v, d));
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> from_vector(const std::vector<T>& v, const std::vector<std::int64_t>& shape,
                              D d) {
  return from_vector(v, shape).to(d);
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> from_vector(const std::vector<T>& v, D d) {
  return from_vector(v).to(d);
}
/// A non-owning view of device memory on device d (which must outlive every view of it).
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<std::remove_const_t<T>, cuda_t> from_blob(T* data, const std::vector<std::int64_t>& shape,
                                                 const std::vector<std::int64_t>& strides, D d) {
  static_assert(!std::is_const<T>::value, RADICAND_FROM_BLOB_CONST_MESSAGE);
  using E = std::remove_const_t<T>;
  detail::check_blob("from_blob", data, sizeof(T), shape, strides);
  return detail::tensor_access::make(std::shared_ptr<void>(), const_cast<E*>(data), shape, strides,
                                     0, cuda_t{d});
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<std::remove_const_t<T>, cuda_t> from_blob(T* data, const std::vector<std::int64_t>& shape,
                                                 D d) {
  return from_blob(data, shape, detail::contiguous_strides(shape), d);
}
/// A view of device memory on device d that calls deleter(data) once, when its last handle goes,
/// after the work queued on that device. If from_blob throws, the memory
/// stays the caller's and the deleter is not called. The deleter must not throw.
template <class T, class Deleter, class D,
          detail::if_deleter_t<Deleter, std::remove_const_t<T>> = 0, detail::if_cuda_t<D> = 0>
tensor<std::remove_const_t<T>, cuda_t> from_blob(T* data, const std::vector<std::int64_t>& shape,
                                                 const std::vector<std::int64_t>& strides,
                                                 Deleter deleter, D d) {
  static_assert(!std::is_const<T>::value, RADICAND_FROM_BLOB_CONST_MESSAGE);
  using E = std::remove_const_t<T>;
  detail::check_blob("from_blob", data, sizeof(T), shape, strides);
  E* base = const_cast<E*>(data);
  return detail::adopt(base, shape, strides, cuda_t{d},
                       [base, deleter = std::move(deleter)]() mutable { deleter(base); });
}
template <class T, class Deleter, class D,
          detail::if_deleter_t<Deleter, std::remove_const_t<T>> = 0, detail::if_cuda_t<D> = 0>
tensor<std::remove_const_t<T>, cuda_t> from_blob(T* data, const std::vector<std::int64_t>& shape,
                                                 Deleter deleter, D d) {
  return from_blob(data, shape, detail::contiguous_strides(shape), std::move(deleter), d);
}
/// The host's values (arange, rand and randn are made on the host, so every device has the same).
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> arange(T start, T end, T step, D d) {
  return arange<T>(start, end, step).to(d);
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> arange(T start, T end, D d) {
  return arange<T>(start, end).to(d);
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> arange(T end, D d) {
  return arange<T>(end).to(d);
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> rand(const std::vector<std::int64_t>& shape, std::uint64_t seed, D d) {
  return rand<T>(shape, seed).to(d);
}
template <class T, class D, detail::if_cuda_t<D> = 0>
tensor<T, cuda_t> randn(const std::vector<std::int64_t>& shape, std::uint64_t seed, D d) {
  return randn<T>(shape, seed).to(d);
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_HAS_CUDA
#endif  // RADICAND_CUDA_FACTORIES_HPP
