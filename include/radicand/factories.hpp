// radicand: the factories (empty, full, zeros, ones, scalar, from_vector, from_blob, arange) and
// tensors from nested braced lists, on the host or, with a device argument, on that device.
#ifndef RADICAND_FACTORIES_HPP
#define RADICAND_FACTORIES_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "cpu/engine.hpp"
#include "error.hpp"
#include "shape.hpp"
#include "tensor.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// Throws on what a view of a caller's memory cannot be (op: from_blob, from_dlpack), before
/// anything is made of it.
inline void check_blob(const char* op, const void* data, std::size_t elem_size, const dims_t& shape,
                       const dims_t& strides) {
  checked_numel(op, shape);
  if (strides.size() != shape.size())
    fail<shape_error>(op, "shape ", format_dims(shape), " and strides ", format_dims(strides),
                      " differ in length");
  for (auto s : strides)
    if (s < 0) fail<index_error>(op, "negative strides are not supported: ", format_dims(strides));
  if (data == nullptr && numel_of(shape) != 0)
    fail<error>(op, "null data pointer for shape ", format_dims(shape));
  // The farthest element must be addressable: the offsets and byte ranges computed from these
  // strides then cannot overflow (as PyTorch's storage size check).
  if (numel_of(shape) != 0) {
    const std::int64_t limit = PTRDIFF_MAX / static_cast<std::int64_t>(elem_size) - 1;
    std::int64_t extent = 0;
    for (std::size_t i = 0; i < shape.size(); ++i) {
      const std::int64_t span = shape[i] - 1;
      if (span != 0 && strides[i] > (limit - extent) / span)
        fail<index_error>(op, "strides ", format_dims(strides), " for shape ", format_dims(shape),
                          " reach past the addressable memory");
      extent += span * strides[i];
    }
  }
}

/// Keeps a caller's memory for the tensors that view it: `release` runs once, when the last
/// handle goes, and only once armed, so that a throw before the tensor exists leaves the memory
/// with the caller. `release` must not throw.
template <class Release>
class released_by {
 public:
  explicit released_by(Release release) : release_(std::move(release)) {}
  released_by(const released_by&) = delete;
  released_by& operator=(const released_by&) = delete;
  ~released_by() {
    if (armed_) release_();
  }
  void arm() noexcept { armed_ = true; }

 private:
  Release release_;
  bool armed_ = false;
};

/// A tensor over a caller's memory that calls `release` when its last handle goes, after the
/// work queued on the device (shape and strides checked by check_blob). Past the allocation of
/// the owner nothing can throw.
template <class T, class D, class Release>
tensor<T, D> adopt(T* base, dims_t shape, dims_t strides, D device, Release release) {
  auto after_work = [device, release = std::move(release)]() mutable {
    device_engine<D>::finish_work(device);
    release();
  };
  auto owner = std::make_shared<released_by<decltype(after_work)>>(std::move(after_work));
  owner->arm();
  return tensor_access::make(std::shared_ptr<void>(std::move(owner)), base, std::move(shape),
                             std::move(strides), 0, device);
}

/// What from_blob's deleter must be: callable with the data pointer.
template <class Deleter, class E>
using if_deleter_t = std::enable_if_t<std::is_invocable<Deleter&, E*>::value, int>;

/// How many list levels L holds above T.
template <class T, class L>
constexpr std::size_t list_depth() {
  if constexpr (std::is_same<L, T>::value)
    return 0;
  else
    return 1 + list_depth<T, typename L::value_type>();
}
/// Nested braced lists: the shape (an empty inner list makes the deeper sizes zero), then the
/// elements, row by row; ragged lists throw shape_error.
template <class T, class L>
void list_shape(const L& list, dims_t& shape, std::size_t level) {
  if (level == shape.size()) shape.push_back(static_cast<std::int64_t>(list.size()));
  if constexpr (!std::is_same<L, std::initializer_list<T>>::value) {
    if (list.size() > 0) {
      list_shape<T>(*list.begin(), shape, level + 1);
    } else {
      for (std::size_t depth = list_depth<T, typename L::value_type>(); depth-- > 0;)
        shape.push_back(0);
    }
  }
}
template <class T, class L>
void list_fill(const L& list, const dims_t& shape, std::size_t level, T*& out) {
  if (static_cast<std::int64_t>(list.size()) != shape[level])
    fail<shape_error>("tensor", "nested lists are ragged: expected ", shape[level],
                      " elements at depth ", level, " but got ", list.size());
  if constexpr (std::is_same<L, std::initializer_list<T>>::value) {
    for (const T& v : list) *out++ = v;
  } else {
    for (const auto& inner : list) list_fill(inner, shape, level + 1, out);
  }
}
/// Made on the host, then copied to D.
template <class T, class D, class L>
tensor<T, D> tensor_from_list(const L& list) {
  dims_t shape;
  list_shape<T>(list, shape, 0);
  tensor<T> host = allocate_tensor<T>("tensor", shape);
  T* p = host.data();
  list_fill(list, shape, 0, p);  // also when empty: an empty first row must not hide a longer one
  return device_engine<D>::to(host, D{});
}

}  // namespace detail

/// Uninitialised tensor of the given shape (contiguous).
template <class T>
tensor<T> empty(const std::vector<std::int64_t>& shape, cpu_t = {}) {
  return detail::allocate_tensor<T>("empty", shape);
}

template <class T>
tensor<T> full(const std::vector<std::int64_t>& shape, T value, cpu_t = {}) {
  tensor<T> r = detail::allocate_tensor<T>("full", shape);
  T* p = r.data();
  for (std::int64_t i = 0, n = r.numel(); i < n; ++i) p[i] = value;
  return r;
}
template <class T>
tensor<T> zeros(const std::vector<std::int64_t>& shape, cpu_t = {}) {
  return full<T>(shape, detail::convert<T>(0));
}
template <class T>
tensor<T> ones(const std::vector<std::int64_t>& shape, cpu_t = {}) {
  return full<T>(shape, detail::convert<T>(1));
}

/// A 0-d tensor holding v.
template <class T>
scalar_tensor<T> scalar(T v, cpu_t = {}) {
  return scalar_tensor<T>(full<T>({}, v));
}

/// A contiguous tensor holding a copy of v, viewed as `shape` (default: 1-d).
template <class T>
tensor<T> from_vector(const std::vector<T>& v, const std::vector<std::int64_t>& shape, cpu_t = {}) {
  const std::int64_t n = detail::checked_numel("from_vector", shape);
  if (n != static_cast<std::int64_t>(v.size()))
    detail::fail<shape_error>("from_vector", "shape ", detail::format_dims(shape), " has ", n,
                              " elements but the vector has ", v.size());
  tensor<T> r = detail::allocate_tensor<T>("from_vector", shape);
  T* p = r.data();
  for (std::size_t i = 0; i < v.size(); ++i) p[i] = v[i];
  return r;
}
template <class T>
tensor<T> from_vector(const std::vector<T>& v) {
  return from_vector(v, {static_cast<std::int64_t>(v.size())});
}

#define RADICAND_FROM_BLOB_CONST_MESSAGE                                                         \
  "radicand::from_blob: the data pointer must be non-const (a tensor is a writable view of the " \
  "memory); const_cast it if the tensor will only be read"

/// A non-owning view of the caller's memory (which must outlive every view of it).
template <class T>
tensor<std::remove_const_t<T>> from_blob(T* data, const std::vector<std::int64_t>& shape,
                                         const std::vector<std::int64_t>& strides) {
  static_assert(!std::is_const<T>::value, RADICAND_FROM_BLOB_CONST_MESSAGE);
  using E = std::remove_const_t<T>;
  detail::check_blob("from_blob", data, sizeof(T), shape, strides);
  return detail::tensor_access::make(std::shared_ptr<void>(), const_cast<E*>(data), shape, strides,
                                     0, cpu);
}
template <class T>
tensor<std::remove_const_t<T>> from_blob(T* data, const std::vector<std::int64_t>& shape) {
  return from_blob(data, shape, detail::contiguous_strides(shape));
}
/// A view of the caller's memory that calls deleter(data) once, when its last handle goes (as
/// libtorch's from_blob with a deleter). If from_blob throws, the memory stays the caller's and
/// the deleter is not called. The deleter must not throw.
template <class T, class Deleter, detail::if_deleter_t<Deleter, std::remove_const_t<T>> = 0>
tensor<std::remove_const_t<T>> from_blob(T* data, const std::vector<std::int64_t>& shape,
                                         const std::vector<std::int64_t>& strides,
                                         Deleter deleter) {
  static_assert(!std::is_const<T>::value, RADICAND_FROM_BLOB_CONST_MESSAGE);
  using E = std::remove_const_t<T>;
  detail::check_blob("from_blob", data, sizeof(T), shape, strides);
  E* base = const_cast<E*>(data);
  return detail::adopt(base, shape, strides, cpu,
                       [base, deleter = std::move(deleter)]() mutable { deleter(base); });
}
template <class T, class Deleter, detail::if_deleter_t<Deleter, std::remove_const_t<T>> = 0>
tensor<std::remove_const_t<T>> from_blob(T* data, const std::vector<std::int64_t>& shape,
                                         Deleter deleter) {
  return from_blob(data, shape, detail::contiguous_strides(shape), std::move(deleter));
}

/// start, start+step, ... < end (or > end for a negative step).
template <class T>
tensor<T> arange(T start, T end, T step = T(1)) {
  static_assert(!std::is_same<T, bool>::value, "radicand::arange: bool is not a range type");
  if constexpr (std::is_integral<T>::value) {
    // Exact integer arithmetic, as PyTorch's integral arange: int64 values past 2^53 are not
    // exact in double. The span fits in uint64, and each value is start + i*step modulo 2^64.
    const auto s = static_cast<std::int64_t>(start), e = static_cast<std::int64_t>(end),
               st = static_cast<std::int64_t>(step);
    if (st == 0) detail::fail<error>("arange", "invalid range start=", s, " end=", e, " step=", st);
    if ((st > 0 && e < s) || (st < 0 && e > s))
      detail::fail<error>("arange", "upper bound and step sign are inconsistent: start=", s,
                          " end=", e, " step=", st);
    const auto us = static_cast<std::uint64_t>(s), ue = static_cast<std::uint64_t>(e),
               ust = static_cast<std::uint64_t>(st);
    const std::uint64_t span = st > 0 ? ue - us : us - ue;
    const std::uint64_t mag = st > 0 ? ust : 0u - ust;
    const std::uint64_t count = span / mag + (span % mag != 0 ? 1u : 0u);
    if (count > static_cast<std::uint64_t>(INT64_MAX))
      detail::fail<shape_error>("arange", "too many elements: ", count);
    const auto n = static_cast<std::int64_t>(count);
    tensor<T> r = detail::allocate_tensor<T>("arange", {n});
    T* p = r.data();
    for (std::int64_t i = 0; i < n; ++i)
      p[i] = static_cast<T>(static_cast<std::int64_t>(us + static_cast<std::uint64_t>(i) * ust));
    return r;
  }
  const double s = static_cast<double>(start), e = static_cast<double>(end),
               st = static_cast<double>(step);
  if (st == 0.0 || !(std::isfinite(s) && std::isfinite(e) && std::isfinite(st)))
    detail::fail<error>("arange", "invalid range start=", s, " end=", e, " step=", st);
  if ((st > 0 && e < s) || (st < 0 && e > s))
    detail::fail<error>("arange", "upper bound and step sign are inconsistent: start=", s,
                        " end=", e, " step=", st);
  const double count = std::ceil((e - s) / st);
  if (count > 9.2e18) detail::fail<shape_error>("arange", "too many elements: ", count);
  const auto n = static_cast<std::int64_t>(count);
  tensor<T> r = detail::allocate_tensor<T>("arange", {n});
  T* p = r.data();
  for (std::int64_t i = 0; i < n; ++i) p[i] = detail::convert<T>(s + static_cast<double>(i) * st);
  return r;
}
template <class T>
tensor<T> arange(T end) {
  return arange<T>(T(0), end, T(1));
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_FACTORIES_HPP
