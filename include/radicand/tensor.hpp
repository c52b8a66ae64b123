// radicand: tensor<T, Device>, a handle to shared storage with shape, strides and offset;
// its views and factories.
#ifndef RADICAND_TENSOR_HPP
#define RADICAND_TENSOR_HPP

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "config.hpp"
#include "cpu/memory.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "shape.hpp"

#include "cuda/runtime.hpp"  // empty unless compiled as CUDA

RADICAND_NAMESPACE_BEGIN

/// The host device (the default).
struct cpu_t {
  friend bool operator==(cpu_t, cpu_t) { return true; }
  friend bool operator!=(cpu_t, cpu_t) { return false; }
};
inline constexpr cpu_t cpu{};

template <class T, class Device = cpu_t>
class tensor;

namespace detail {
/// The devices a tensor can live on: cpu_t, and cuda_t in CUDA translation units.
template <class Device>
struct is_device : std::false_type {};
template <>
struct is_device<cpu_t> : std::true_type {};
#if RADICAND_HAS_CUDA
template <>
struct is_device<cuda_t> : std::true_type {};
#endif

/// What a tensor on another device than the host needs: allocation, copies, conversions and the
/// element-wise operations. Specialised by each device backend (cuda/elementwise.hpp).
template <class Device>
struct device_engine;

/// X, named through T so that a use of it waits for T (two-phase lookup).
template <class X, class T>
struct dependent {
  using type = X;
};

/// Scalars usable with tensors: C++ arithmetic types and the 16-bit floating types.
template <class S>
constexpr bool is_scalar_v = std::is_arithmetic<S>::value || std::is_same<S, half>::value ||
                             std::is_same<S, bfloat16>::value;

/// Throws on what from_blob cannot view, before anything is made of it.
inline void check_blob(const void* data, std::size_t elem_size, const dims_t& shape,
                       const dims_t& strides) {
  checked_numel("from_blob", shape);
  if (strides.size() != shape.size())
    fail<shape_error>("from_blob", "shape ", format_dims(shape), " and strides ",
                      format_dims(strides), " differ in length");
  for (auto s : strides)
    if (s < 0)
      fail<index_error>("from_blob", "negative strides are not supported: ", format_dims(strides));
  if (data == nullptr && numel_of(shape) != 0)
    fail<error>("from_blob", "null data pointer for shape ", format_dims(shape));
  // The farthest element must be addressable: the offsets and byte ranges computed from these
  // strides then cannot overflow (as PyTorch's storage size check).
  if (numel_of(shape) != 0) {
    const std::int64_t limit = PTRDIFF_MAX / static_cast<std::int64_t>(elem_size) - 1;
    std::int64_t extent = 0;
    for (std::size_t i = 0; i < shape.size(); ++i) {
      const std::int64_t span = shape[i] - 1;
      if (span != 0 && strides[i] > (limit - extent) / span)
        fail<index_error>("from_blob", "strides ", format_dims(strides), " for shape ",
                          format_dims(shape), " reach past the addressable memory");
      extent += span * strides[i];
    }
  }
}

template <class T>
struct nested_list {
  using type = T;
};

/// Allocates n elements of T on the host, uninitialised (cpu/memory.hpp).
template <class T>
std::shared_ptr<T> allocate_host(const char* op, std::int64_t n) {
  static_assert(std::is_trivially_copyable<T>::value && std::is_trivially_destructible<T>::value,
                "radicand: tensor elements live in raw memory");
  // Past PTRDIFF_MAX bytes no allocation can succeed, and pointer differences would overflow:
  // refuse before asking the allocator (which under AddressSanitizer may abort, not throw).
  if (n < 0 || static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(PTRDIFF_MAX) / sizeof(T))
    fail<shape_error>(op, "cannot allocate ", n, " elements of ", sizeof(T), " bytes");
  const std::size_t bytes = static_cast<std::size_t>(n == 0 ? 1 : n) * sizeof(T);
  const host_block block = host_allocate(op, bytes);
  // The block's own size travels to host_free: a reused block may be larger than asked for.
  // (Should the control block fail to allocate, shared_ptr calls the deleter, then rethrows.)
  return std::shared_ptr<T>(static_cast<T*>(block.p),
                            [size = block.bytes](T* p) { host_free(p, size); });
}

}  // namespace detail

// The operations, declared here so the methods can forward to them; defined in ops.hpp.
namespace detail {
template <class T, class U, class D>
void copy_into(const char* op, tensor<T, D>& x, const tensor<U, D>& src);
template <class T, class S, class D>
void fill_scalar(const char* op, tensor<T, D>& x, S value);
template <class T, class U, class D>
void fill_tensor(const char* op, tensor<T, D>& x, const tensor<U, D>& value);
}  // namespace detail
template <class T, class D>
tensor<detail::unary_float_t<T>, D> rsqrt(const tensor<T, D>& x);
template <class T, class D>
tensor<detail::unary_float_t<T>, D> sqrt(const tensor<T, D>& x);
template <class T, class D>
tensor<T, D>& rsqrt_(tensor<T, D>& x);
template <class T, class D>
tensor<T, D>& sqrt_(tensor<T, D>& x);

/// A strided view of shared storage. Copies share the storage (like libtorch); clone() copies.
template <class T, class Device>
class tensor {
  static_assert(is_element_type<T>::value,
                "radicand::tensor: T must be float, double, rd::half, rd::bfloat16, bool, int8_t, "
                "uint8_t, int16_t, int32_t or int64_t");
  static_assert(
      detail::is_device<Device>::value,
      "radicand::tensor: Device must be rd::cpu_t, or rd::cuda_t in a CUDA translation unit "
      "(device tensors need a translation unit compiled as CUDA)");
  static constexpr bool on_host = std::is_same<Device, cpu_t>::value;
  template <class, class>
  friend class tensor;

 public:
  using value_type = T;
  using device_type = Device;
  using dims_type = std::vector<std::int64_t>;

  /// An empty 1-d tensor of shape [0] (as torch.tensor([])); useful as a resizable `out`.
  tensor() : shape_{0}, strides_{1} {}

  tensor(const tensor&) = default;
  /// Takes o's storage and view; o is left the empty tensor (shape [0], no storage). Not
  /// noexcept: the empty shape is allocated first, so that a failure changes nothing.
  tensor(tensor&& o) : tensor() { swap_handles(o); }
  ~tensor() = default;

  /// On a named tensor: rebinds the handle to o's storage and view (libtorch's Tensor&
  /// assignment); a self-move changes nothing.
  tensor& operator=(const tensor&) & = default;
  tensor& operator=(tensor&& o) & {
    if (this != &o) {
      tensor taken(std::move(o));
      swap_handles(taken);
    }
    return *this;
  }
  /// On a view expression (an rvalue: x[0], x.slice(...)): copies src into its elements, as
  /// copy_ does (libtorch's Tensor::operator=(...) &&).
  tensor& operator=(const tensor& src) && { return copy_(src); }
  template <class U>
  tensor& operator=(const tensor<U, Device>& src) && {
    return copy_(src);
  }
  /// On a view expression: fills its elements, as fill_ does (x[0] = 5.f).
  template <class S, std::enable_if_t<detail::is_scalar_v<S>, int> = 0>
  tensor& operator=(S value) && {
    return fill_(value);
  }
  // What would silently mean something else does not compile.
  template <class U, std::enable_if_t<!std::is_same<U, T>::value, int> = 0>
  tensor& operator=(const tensor<U, Device>&) & {
    static_assert(detail::dependent<std::false_type, U>::type::value,
                  "radicand: a named tensor is a handle and cannot be rebound to a tensor of "
                  "another element type: use x = y.to<T>() for a new tensor, or x.copy_(y) to "
                  "copy into x's elements");
    return *this;
  }
  template <class S, std::enable_if_t<detail::is_scalar_v<S>, int> = 0>
  tensor& operator=(S) & {
    static_assert(detail::dependent<std::false_type, S>::type::value,
                  "radicand: a named tensor is a handle, and x = value would not fill it: use "
                  "x.fill_(value)");
    return *this;
  }
  template <class U, class D2, std::enable_if_t<!std::is_same<D2, Device>::value, int> = 0>
  tensor& operator=(const tensor<U, D2>&) && {
    static_assert(
        std::is_same<D2, Device>::value,
        "radicand: the tensors of one operation must be on the same device (use .to(...))");
    return *this;
  }

  tensor(std::initializer_list<T> v) : tensor(from_list(v)) {}                         // NOLINT
  tensor(std::initializer_list<std::initializer_list<T>> v) : tensor(from_list(v)) {}  // NOLINT
  tensor(std::initializer_list<std::initializer_list<std::initializer_list<T>>> v)     // NOLINT
      : tensor(from_list(v)) {}
  tensor(
      std::initializer_list<std::initializer_list<std::initializer_list<std::initializer_list<T>>>>
          v)  // NOLINT
      : tensor(from_list(v)) {}

  /// Internal: a view of `storage` (which owns or keeps alive `base`) on `device`.
  tensor(std::shared_ptr<void> owner, T* base, dims_type shape, dims_type strides,
         std::int64_t offset, Device device = Device{})
      : owner_(std::move(owner)),
        base_(base),
        shape_(std::move(shape)),
        strides_(std::move(strides)),
        offset_(offset),
        device_(device) {}

  // ---- inspection ----
  const dims_type& shape() const noexcept { return shape_; }
  const dims_type& sizes() const noexcept { return shape_; }
  const dims_type& strides() const noexcept { return strides_; }
  std::int64_t dim() const noexcept { return static_cast<std::int64_t>(shape_.size()); }
  std::int64_t numel() const noexcept { return detail::numel_of(shape_); }
  std::int64_t size(std::int64_t d) const {
    if (shape_.empty())
      detail::fail<index_error>("size", "dimension ", d, " is out of range for a 0-d tensor");
    return shape_[detail::wrap_dim("size", d, shape_.size())];
  }
  std::int64_t stride(std::int64_t d) const {
    if (shape_.empty())
      detail::fail<index_error>("stride", "dimension ", d, " is out of range for a 0-d tensor");
    return strides_[detail::wrap_dim("stride", d, shape_.size())];
  }
  std::int64_t storage_offset() const noexcept { return offset_; }
  bool is_contiguous() const noexcept { return detail::is_contiguous(shape_, strides_); }
  /// Pointer to the first element (null for a default-constructed tensor).
  T* data() const noexcept { return base_ == nullptr ? nullptr : base_ + offset_; }
  Device device() const noexcept { return device_; }
  /// True when both handles view the same storage, the one starting at the same address on the
  /// same device: every copy and view of one tensor, and from_blob views of one pointer (as
  /// PyTorch compares untyped_storage().data_ptr()). A tensor without storage shares none.
  bool is_same_storage(const tensor& o) const noexcept {
    return base_ != nullptr && base_ == o.base_ && device_ == o.device_;
  }

  /// The single element of a one-element tensor (a device tensor's is copied to the host, after
  /// the work queued on the current stream).
  T item() const {
    if (numel() != 1)
      detail::fail<shape_error>("item", "a tensor with ", numel(), " elements (shape ",
                                detail::format_dims(shape_), ") cannot be converted to a scalar");
    if constexpr (on_host) {
      return *data();
    } else {
      return detail::device_engine<Device>::read_one("item", data(), device_);
    }
  }

  /// Bounds-checked element access; negative indices count from the end. On the host, a
  /// reference to the element; on a device, its value, copied to the host after the work queued
  /// on the current stream (device elements are written by operations on views, not through
  /// at()).
  std::conditional_t<on_host, T&, T> at(const std::vector<std::int64_t>& index) const {
    if (index.size() != shape_.size())
      detail::fail<index_error>("at", "got ", index.size(), " indices for a tensor of ",
                                shape_.size(), " dimensions (shape ", detail::format_dims(shape_),
                                ")");
    // Every index is checked before any offset is taken: with a size-0 dimension anywhere, the
    // other dimensions' strides may be saturated and reach no element.
    for (std::size_t d = 0; d < index.size(); ++d) {
      const std::int64_t i = index[d];
      if (i < -shape_[d] || i >= shape_[d])
        detail::fail<index_error>("at", "index ", i, " is out of range for dimension ", d,
                                  " of size ", shape_[d], " (shape ", detail::format_dims(shape_),
                                  ")");
    }
    std::int64_t off = offset_;
    for (std::size_t d = 0; d < index.size(); ++d)
      off += (index[d] < 0 ? index[d] + shape_[d] : index[d]) * strides_[d];
    if constexpr (on_host) {
      return base_[off];
    } else {
      return detail::device_engine<Device>::read_one("at", base_ + off, device_);
    }
  }

  // ---- views ----
  /// Elements start, start+step, ... < end along dim. start/end are clamped like Python slices.
  tensor slice(std::int64_t d, std::int64_t start, std::int64_t end, std::int64_t step = 1) const {
    const std::size_t k = detail::wrap_dim("slice", d, shape_.size());
    if (shape_.empty()) detail::fail<index_error>("slice", "cannot slice a 0-d tensor");
    if (step <= 0) detail::fail<index_error>("slice", "step must be positive, got ", step);
    const std::int64_t n = shape_[k];
    if (start < 0) start += n;
    if (end < 0) end += n;
    start = std::min(std::max<std::int64_t>(start, 0), n);
    end = std::min(std::max<std::int64_t>(end, start), n);
    tensor r = *this;
    // Written so that no step, however large, overflows: (end - start + step - 1) would.
    r.shape_[k] = end == start ? 0 : (end - start - 1) / step + 1;
    // Offsets and strides stay inside the view's memory: a view without elements keeps the
    // offset (start may be one past the end, and the strides of a shape such as [3, 2^63-1, 0]
    // are saturated), and stride * step is taken only for two or more elements; with fewer the
    // stride is never used (and a huge step or size-1 stride would overflow).
    const bool reaches = r.numel() != 0;
    if (reaches) r.offset_ += start * strides_[k];
    if (r.shape_[k] > 1)
      r.strides_[k] = reaches ? strides_[k] * step : detail::saturating_mul(strides_[k], step);
    return r;
  }

  /// The sub-tensor at index i of dim (one dimension fewer).
  tensor select(std::int64_t d, std::int64_t i) const {
    if (shape_.empty()) detail::fail<index_error>("select", "cannot select on a 0-d tensor");
    const std::size_t k = detail::wrap_dim("select", d, shape_.size());
    const std::int64_t n = shape_[k];
    if (i < -n || i >= n)
      detail::fail<index_error>("select", "index ", i, " is out of range for dimension ", k,
                                " of size ", n);
    if (i < 0) i += n;
    tensor r = *this;
    if (numel() != 0)
      r.offset_ += i * strides_[k];  // without elements, the stride may be saturated
    r.shape_.erase(r.shape_.begin() + static_cast<std::ptrdiff_t>(k));
    r.strides_.erase(r.strides_.begin() + static_cast<std::ptrdiff_t>(k));
    return r;
  }
  tensor operator[](std::int64_t i) const { return select(0, i); }

  tensor transpose(std::int64_t d0, std::int64_t d1) const {
    const std::size_t a = detail::wrap_dim("transpose", d0, shape_.size());
    const std::size_t b = detail::wrap_dim("transpose", d1, shape_.size());
    tensor r = *this;
    if (!shape_.empty()) {
      std::swap(r.shape_[a], r.shape_[b]);
      std::swap(r.strides_[a], r.strides_[b]);
    }
    return r;
  }

  /// Transpose of a tensor of at most 2 dimensions (0-d and 1-d come back unchanged).
  tensor t() const {
    if (shape_.size() > 2)
      detail::fail<shape_error>("t", "expects a tensor with <= 2 dimensions, but it has ",
                                shape_.size(), " (shape ", detail::format_dims(shape_), ")");
    return shape_.size() < 2 ? *this : transpose(0, 1);
  }

  tensor permute(const std::vector<std::int64_t>& dims) const {
    if (dims.size() != shape_.size())
      detail::fail<shape_error>("permute", "got ", dims.size(), " dimensions ",
                                detail::format_dims(dims), " for a tensor of ", shape_.size(),
                                " dimensions");
    std::vector<bool> seen(shape_.size(), false);
    tensor r = *this;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      const std::size_t k = detail::wrap_dim("permute", dims[i], shape_.size());
      if (seen[k])
        detail::fail<index_error>("permute", "dimension ", k, " repeats in ",
                                  detail::format_dims(dims));
      seen[k] = true;
      r.shape_[i] = shape_[k];
      r.strides_[i] = strides_[k];
    }
    return r;
  }

  /// A broadcast view: size-1 dimensions (stride 0) and new leading ones; -1 keeps a size.
  tensor expand(const std::vector<std::int64_t>& to) const {
    if (to.size() < shape_.size())
      detail::fail<shape_error>("expand", "the number of sizes ", detail::format_dims(to),
                                " must be at least the tensor's dimensions ",
                                detail::format_dims(shape_));
    const std::size_t lead = to.size() - shape_.size();
    dims_type ns(to.size()), nst(to.size());
    for (std::size_t i = 0; i < to.size(); ++i) {
      if (i < lead) {
        if (to[i] < 0)
          detail::fail<shape_error>("expand", "size ", to[i],
                                    " is not allowed in a new leading dimension");
        ns[i] = to[i];
        nst[i] = 0;
        continue;
      }
      const std::int64_t have = shape_[i - lead];
      const std::int64_t want = to[i] == -1 ? have : to[i];
      if (want < 0) detail::fail<shape_error>("expand", "invalid size ", to[i]);
      if (have == want) {
        ns[i] = have;
        nst[i] = strides_[i - lead];
      } else if (have == 1) {
        ns[i] = want;
        nst[i] = 0;
      } else {
        detail::fail<shape_error>("expand", "the expanded size ", want,
                                  " must match the existing size ", have, " at dimension ", i,
                                  " (shape ", detail::format_dims(shape_), " to ",
                                  detail::format_dims(to), ")");
      }
    }
    detail::checked_numel("expand", ns);
    tensor r = *this;
    r.shape_ = std::move(ns);
    r.strides_ = std::move(nst);
    return r;
  }

  /// The same elements in a new shape (one size may be -1): a view when the strides allow, else a
  /// copy.
  tensor reshape(const std::vector<std::int64_t>& to) const {
    dims_type ns = infer_shape("reshape", to);
    dims_type nst;
    if (detail::view_strides(shape_, strides_, ns, nst)) {
      tensor r = *this;
      r.shape_ = std::move(ns);
      r.strides_ = std::move(nst);
      return r;
    }
    return contiguous().reshape(to);
  }
  /// reshape that must be a view (throws shape_error otherwise), as torch.Tensor.view.
  tensor view(const std::vector<std::int64_t>& to) const {
    dims_type ns = infer_shape("view", to);
    dims_type nst;
    if (!detail::view_strides(shape_, strides_, ns, nst))
      detail::fail<shape_error>("view", "shape ", detail::format_dims(to),
                                " is not compatible with the strides ",
                                detail::format_dims(strides_), " of shape ",
                                detail::format_dims(shape_), ": use reshape");
    tensor r = *this;
    r.shape_ = std::move(ns);
    r.strides_ = std::move(nst);
    return r;
  }

  tensor contiguous() const { return is_contiguous() && base_ != nullptr ? *this : clone(); }

  /// A contiguous copy with new storage.
  tensor clone() const { return to<T>(); }

  /// A contiguous copy converted to element type U, on the same device.
  template <class U>
  tensor<U, Device> to() const {
    if constexpr (on_host) {
      const std::int64_t n = numel();
      auto storage = detail::allocate_host<U>("to", n);
      U* dst = storage.get();
      for_each_offset(
          [&](std::int64_t off, std::int64_t i) { dst[i] = detail::convert<U>(base_[off]); });
      return tensor<U, Device>(std::shared_ptr<void>(storage, storage.get()), dst, shape_,
                               detail::contiguous_strides(shape_), 0);
    } else {
      return detail::device_engine<Device>::template converted<U>("to", *this);
    }
  }
  /// On the host: this tensor itself if it is there, else a copy (which waits for the current
  /// stream).
  tensor<T, cpu_t> to(cpu_t) const { return cpu(); }
  tensor<T, cpu_t> cpu() const {
    if constexpr (on_host) {
      return *this;
    } else {
      return detail::device_engine<Device>::to_host(*this);
    }
  }
  /// On device d (rd::cuda, in CUDA units): this tensor itself if it is there, else a copy,
  /// queued on the current stream. A template, so that the class is the same in every unit.
  template <class D, std::enable_if_t<detail::is_device<D>::value && !std::is_same<D, cpu_t>::value,
                                      int> = 0>
  tensor<T, D> to(D d) const {
    if constexpr (on_host) {
      return detail::device_engine<D>::from_host(*this, d);
    } else {
      return detail::device_engine<D>::to_device(*this, d);
    }
  }

  // ---- the operations as methods (see ops.hpp) ----
  tensor<detail::unary_float_t<T>, Device> rsqrt() const { return radicand::rsqrt(*this); }
  tensor<detail::unary_float_t<T>, Device> sqrt() const { return radicand::sqrt(*this); }
  tensor& rsqrt_() {
    static_assert(
        is_floating_element<T>::value,
        "radicand::tensor::rsqrt_: in-place rsqrt needs a floating tensor (float, double, "
        "half, bfloat16); the result of an integral or bool tensor is float: use rd::rsqrt(x)");
    return radicand::rsqrt_(*this);
  }
  tensor& sqrt_() {
    static_assert(
        is_floating_element<T>::value,
        "radicand::tensor::sqrt_: in-place sqrt needs a floating tensor (float, double, "
        "half, bfloat16); the result of an integral or bool tensor is float: use rd::sqrt(x)");
    return radicand::sqrt_(*this);
  }

  // ---- writing into the elements (the out rules: on error nothing is written) ----
  /// Copies src into this tensor's elements: src broadcast to this shape, converted to T.
  template <class U>
  tensor& copy_(const tensor<U, Device>& src) {
    detail::copy_into("copy_", *this, src);
    return *this;
  }
  /// Sets every element to value, which must be representable in T (as PyTorch, integers may
  /// wrap into unsigned types: uint8 fill_(-1) is 255); otherwise throws value_error.
  template <class S, std::enable_if_t<detail::is_scalar_v<S>, int> = 0>
  tensor& fill_(S value) {
    detail::fill_scalar("fill_", *this, value);
    return *this;
  }
  /// Sets every element to the element of a 0-d tensor (converted as copy_ does; it may be
  /// one of this tensor's elements).
  template <class U>
  tensor& fill_(const tensor<U, Device>& value) {
    detail::fill_tensor("fill_", *this, value);
    return *this;
  }
  tensor& zero_() {
    detail::fill_scalar("zero_", *this, false);
    return *this;
  }
  template <class U, class D2, std::enable_if_t<!std::is_same<D2, Device>::value, int> = 0>
  tensor& copy_(const tensor<U, D2>&) {
    static_assert(
        std::is_same<D2, Device>::value,
        "radicand: the tensors of one operation must be on the same device (use .to(...))");
    return *this;
  }
  template <class U, class D2, std::enable_if_t<!std::is_same<D2, Device>::value, int> = 0>
  tensor& fill_(const tensor<U, D2>&) {
    static_assert(
        std::is_same<D2, Device>::value,
        "radicand: the tensors of one operation must be on the same device (use .to(...))");
    return *this;
  }

  /// Calls f(offset, linear_index) for every element in row-major order.
  template <class F>
  void for_each_offset(F&& f) const {
    const std::int64_t n = numel();
    if (n == 0) return;
    const std::size_t d = shape_.size();
    std::vector<std::int64_t> idx(d, 0);
    std::int64_t off = offset_;
    for (std::int64_t i = 0; i < n; ++i) {
      f(off, i);
      for (std::size_t k = d; k-- > 0;) {
        if (++idx[k] < shape_[k]) {
          off += strides_[k];
          break;
        }
        off -= (shape_[k] - 1) * strides_[k];
        idx[k] = 0;
      }
    }
  }

  /// The storage's owner (internal; shared by all views of it).
  const std::shared_ptr<void>& owner() const noexcept { return owner_; }
  T* base() const noexcept { return base_; }

 private:
  void swap_handles(tensor& o) noexcept {
    owner_.swap(o.owner_);
    std::swap(base_, o.base_);
    shape_.swap(o.shape_);
    strides_.swap(o.strides_);
    std::swap(offset_, o.offset_);
    std::swap(device_, o.device_);
  }

  dims_type infer_shape(const char* op, const std::vector<std::int64_t>& to) const {
    dims_type ns(to.begin(), to.end());
    std::int64_t known = 1;
    std::size_t infer = ns.size();
    for (std::size_t i = 0; i < ns.size(); ++i) {
      if (ns[i] == -1) {
        if (infer != ns.size())
          detail::fail<shape_error>(op, "only one dimension can be inferred in ",
                                    detail::format_dims(to));
        infer = i;
      } else if (ns[i] < 0) {
        detail::fail<shape_error>(op, "invalid size ", ns[i], " in ", detail::format_dims(to));
      } else {
        known = ns[i] == 0 ? 0 : (known > INT64_MAX / ns[i] ? -1 : known * ns[i]);
        if (known < 0)
          detail::fail<shape_error>(op, "shape ", detail::format_dims(to),
                                    " has too many elements");
      }
    }
    const std::int64_t n = numel();
    if (infer != ns.size()) {
      if (known == 0 || n % known != 0)
        detail::fail<shape_error>(op, "shape ", detail::format_dims(to),
                                  " is invalid for input of size ", n);
      ns[infer] = n / known;
    } else if (known != n) {
      detail::fail<shape_error>(op, "shape ", detail::format_dims(to),
                                " is invalid for input of size ", n);
    }
    return ns;
  }

  template <class L>
  static void list_shape(const L& list, dims_type& shape, std::size_t level) {
    if constexpr (std::is_same<L, std::initializer_list<T>>::value) {
      if (level == shape.size()) shape.push_back(static_cast<std::int64_t>(list.size()));
    } else {
      if (level == shape.size()) shape.push_back(static_cast<std::int64_t>(list.size()));
      if (list.size() > 0)
        list_shape(*list.begin(), shape, level + 1);
      else {
        // An empty inner list: the deeper sizes are zero.
        dims_type rest;
        list_depth_zeros<L>(rest);
        shape.insert(shape.end(), rest.begin(), rest.end());
      }
    }
  }
  template <class L>
  static void list_depth_zeros(dims_type& rest) {
    using inner = typename L::value_type;
    if constexpr (!std::is_same<inner, T>::value) {
      rest.push_back(0);
      list_depth_zeros<inner>(rest);
    }
  }
  template <class L>
  static void list_fill(const L& list, const dims_type& shape, std::size_t level, T*& out) {
    if (static_cast<std::int64_t>(list.size()) != shape[level])
      detail::fail<shape_error>("tensor", "nested lists are ragged: expected ", shape[level],
                                " elements at depth ", level, " but got ", list.size());
    if constexpr (std::is_same<L, std::initializer_list<T>>::value) {
      for (const T& v : list) *out++ = v;
    } else {
      for (const auto& inner : list) list_fill(inner, shape, level + 1, out);
    }
  }
  template <class L>
  static tensor from_list(const L& list) {
    if constexpr (!on_host) {
      return tensor<T, cpu_t>::from_list(list).to(Device{});  // built on the host, then copied
    } else {
      return from_host_list(list);
    }
  }
  template <class L>
  static tensor from_host_list(const L& list) {
    dims_type shape;
    list_shape(list, shape, 0);
    const std::int64_t n = detail::numel_of(shape);
    auto storage = detail::allocate_host<T>("tensor", n);
    T* p = storage.get();
    list_fill(list, shape, 0,
              p);  // also when n == 0: an empty first row must not hide a longer one
    T* base = storage.get();
    return tensor(std::shared_ptr<void>(storage, base), base, shape,
                  detail::contiguous_strides(shape), 0);
  }

  std::shared_ptr<void> owner_;
  T* base_ = nullptr;
  dims_type shape_;
  dims_type strides_;
  std::int64_t offset_ = 0;
  Device device_{};
};

/// A tensor known at compile time to be 0-d: what rd::scalar(v) returns. It is a tensor<T, D> in
/// every use; in arithmetic beside a dimensioned tensor it takes part in type promotion only
/// through its category, as PyTorch's 0-d tensors do (`float32 tensor + rd::scalar(1.0)` is
/// float32), which a result type fixed at compile time can only follow when the 0-d-ness is
/// known at compile time too.
template <class T, class Device = cpu_t>
class scalar_tensor : public tensor<T, Device> {
 public:
  /// A 0-d tensor's handle (it shares the storage); any other shape throws shape_error.
  explicit scalar_tensor(tensor<T, Device> x) : tensor<T, Device>(std::move(x)) {
    if (this->dim() != 0)
      detail::fail<shape_error>("scalar_tensor", "a tensor of shape ",
                                detail::format_dims(this->shape()), " is not 0-d");
  }
  // Copies only: a move would leave the source empty (shape [0]), no longer 0-d.
  scalar_tensor(const scalar_tensor&) = default;
  scalar_tensor& operator=(const scalar_tensor&) = default;
  ~scalar_tensor() = default;
};

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

namespace detail {
/// A new tensor on `device` with the given shape and strides (dense: at most numel elements
/// reached); uninitialised.
template <class T, class D>
tensor<T, D> allocate_tensor_on(const char* op, const dims_t& shape, const dims_t& strides,
                                D device) {
  const std::int64_t n = checked_numel(op, shape);
  if constexpr (std::is_same<D, cpu_t>::value) {
    auto storage = allocate_host<T>(op, n);
    T* base = storage.get();
    return tensor<T>(std::shared_ptr<void>(storage, base), base, shape, strides, 0);
  } else {
    auto storage = device_engine<D>::template allocate<T>(op, n, device);
    T* base = storage.get();
    return tensor<T, D>(std::shared_ptr<void>(storage, base), base, shape, strides, 0, device);
  }
}
template <class T, class D>
tensor<T, D> allocate_tensor_on(const char* op, const dims_t& shape, D device) {
  return allocate_tensor_on<T>(op, shape, contiguous_strides(shape), device);
}
template <class T>
tensor<T> allocate_tensor(const char* op, const dims_t& shape, const dims_t& strides) {
  return allocate_tensor_on<T>(op, shape, strides, cpu_t{});
}
template <class T>
tensor<T> allocate_tensor(const char* op, const dims_t& shape) {
  return allocate_tensor<T>(op, shape, contiguous_strides(shape));
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
  detail::check_blob(data, sizeof(T), shape, strides);
  return tensor<E>(std::shared_ptr<void>(), const_cast<E*>(data), shape, strides, 0);
}
template <class T>
tensor<std::remove_const_t<T>> from_blob(T* data, const std::vector<std::int64_t>& shape) {
  return from_blob(data, shape, detail::contiguous_strides(shape));
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

namespace detail {
/// splitmix64: a small, portable generator so random tensors are the same on every platform.
struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};
}  // namespace detail

/// Uniform values in [0, 1), reproducible from the seed.
template <class T>
tensor<T> rand(const std::vector<std::int64_t>& shape, std::uint64_t seed = 0, cpu_t = {}) {
  static_assert(is_floating_element<T>::value, "radicand::rand: T must be a floating type");
  tensor<T> r = detail::allocate_tensor<T>("rand", shape);
  detail::splitmix64 g{seed};
  T* p = r.data();
  for (std::int64_t i = 0, n = r.numel(); i < n; ++i) {
    T v = detail::convert<T>(g.uniform());
    // Rounding to a narrow type can reach 1: keep the interval half-open.
    if (static_cast<double>(detail::convert<double>(v)) >= 1.0) v = detail::convert<T>(0.0);
    p[i] = v;
  }
  return r;
}

/// Standard normal values (Box-Muller), reproducible from the seed.
template <class T>
tensor<T> randn(const std::vector<std::int64_t>& shape, std::uint64_t seed = 0, cpu_t = {}) {
  static_assert(is_floating_element<T>::value, "radicand::randn: T must be a floating type");
  tensor<T> r = detail::allocate_tensor<T>("randn", shape);
  detail::splitmix64 g{seed};
  T* p = r.data();
  const std::int64_t n = r.numel();
  for (std::int64_t i = 0; i < n; i += 2) {
    const double u1 = 1.0 - g.uniform(), u2 = g.uniform();  // u1 in (0, 1]
    const double rad = std::sqrt(-2.0 * std::log(u1));
    const double a = 6.283185307179586 * u2;
    p[i] = detail::convert<T>(rad * std::cos(a));
    if (i + 1 < n) p[i + 1] = detail::convert<T>(rad * std::sin(a));
  }
  return r;
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_TENSOR_HPP
