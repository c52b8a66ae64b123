// radicand: tensor<T, Device>, a handle to shared storage with shape, strides and offset. What
// it does on its device goes through that device's engine (device.hpp); its view members are
// defined in views.hpp, the factories and nested lists in factories.hpp.
#ifndef RADICAND_TENSOR_HPP
#define RADICAND_TENSOR_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "accessor.hpp"
#include "config.hpp"
#include "device.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "shape.hpp"

RADICAND_NAMESPACE_BEGIN

template <class T, class Device = cpu_t>
class tensor;

namespace detail {

/// X, named through T so that a use of it waits for T (two-phase lookup).
template <class X, class T>
struct dependent {
  using type = X;
};

/// Scalars usable with tensors: C++ arithmetic types and the 16-bit floating types.
template <class S>
constexpr bool is_scalar_v = std::is_arithmetic<S>::value || std::is_same<S, half>::value ||
                             std::is_same<S, bfloat16>::value;

/// An integral type that at(i, j, ...) takes as an index: any but bool, at most 64 bits.
template <class I>
constexpr bool is_index_v = std::is_integral<I>::value && !std::is_same<I, bool>::value &&
                            sizeof(I) <= sizeof(std::int64_t);

/// i as an int64 index; an unsigned value past INT64_MAX throws index_error (it would otherwise
/// wrap to a negative index, counted from the end).
template <class I>
std::int64_t index_value(const char* op, I i) {
  if constexpr (std::is_unsigned<I>::value && sizeof(I) == sizeof(std::int64_t)) {
    if (i > static_cast<std::uint64_t>(INT64_MAX))
      fail<index_error>(op, "index ", i, " does not fit int64_t");
  }
  return static_cast<std::int64_t>(i);
}

/// What the engines, views and factories reach a tensor's storage through.
struct tensor_access {
  /// A view of storage that `owner` keeps alive (none for a caller's memory) on `device`.
  template <class T, class D>
  static tensor<T, D> make(std::shared_ptr<void> owner, T* base, dims_t shape, dims_t strides,
                           std::int64_t offset, D device) {
    return tensor<T, D>(std::move(owner), base, std::move(shape), std::move(strides), offset,
                        device);
  }
  template <class T, class D>
  static const std::shared_ptr<void>& owner(const tensor<T, D>& x) noexcept {
    return x.owner_;
  }
  template <class T, class D>
  static T* base(const tensor<T, D>& x) noexcept {
    return x.base_;
  }
};

// Declared here so the members can forward to them: the nested-list parsing (factories.hpp) and
// the writes (ops.hpp).
template <class T, class D, class L>
tensor<T, D> tensor_from_list(const L& list);
template <class T, class U, class D>
void copy_into(const char* op, tensor<T, D>& x, const tensor<U, D>& src);
template <class T, class S, class D>
void fill_scalar(const char* op, tensor<T, D>& x, S value);
template <class T, class U, class D>
void fill_tensor(const char* op, tensor<T, D>& x, const tensor<U, D>& value);

}  // namespace detail

// The operations, declared here so the methods can forward to them; defined in ops.hpp.
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
  template <class, class>
  friend class tensor;
  friend struct detail::tensor_access;
  using engine = detail::device_engine<Device>;

 public:
  using value_type = T;
  using device_type = Device;

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

  /// Nested braced lists of T, up to 4 deep (factories.hpp), made on the host and copied to
  /// Device.
  tensor(std::initializer_list<T> v)  // NOLINT
      : tensor(detail::tensor_from_list<T, Device>(v)) {}
  tensor(std::initializer_list<std::initializer_list<T>> v)  // NOLINT
      : tensor(detail::tensor_from_list<T, Device>(v)) {}
  tensor(std::initializer_list<std::initializer_list<std::initializer_list<T>>> v)  // NOLINT
      : tensor(detail::tensor_from_list<T, Device>(v)) {}
  tensor(
      std::initializer_list<std::initializer_list<std::initializer_list<std::initializer_list<T>>>>
          v)  // NOLINT
      : tensor(detail::tensor_from_list<T, Device>(v)) {}

  // ---- inspection ----
  /// A std::vector<std::int64_t> that streams as [2, 3].
  const int_list& shape() const noexcept { return shape_; }
  const int_list& sizes() const noexcept { return shape_; }
  const int_list& strides() const noexcept { return strides_; }
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
    return engine::read_one("item", data(), device_);
  }

  /// Bounds-checked element access; negative indices count from the end. On the host, a
  /// reference to the element; on a device, its value, copied to the host after the work queued
  /// on the current stream (device elements are written by operations on views, not through
  /// at()).
  decltype(auto) at(const std::vector<std::int64_t>& index) const {
    return engine::element("at", base_ + element_offset("at", index.data(), index.size()), device_);
  }
  /// at({i, j, ...}) without allocating: one integral index per dimension.
  template <class... I, std::enable_if_t<(detail::is_index_v<I> && ...), int> = 0>
  decltype(auto) at(I... index) const {
    const std::array<std::int64_t, sizeof...(I)> indices{{detail::index_value("at", index)...}};
    return engine::element("at", base_ + element_offset("at", indices.data(), indices.size()),
                           device_);
  }

  /// The elements for indexing in loops, as libtorch's Tensor::accessor<T, N>(): a[i][j] is the
  /// element x.at(i, j) is, for indices in [0, size) (no counting from the end), without
  /// allocating, and checked only without NDEBUG (tensor_accessor). A CPU tensor of N dimensions
  /// only (else shape_error). The accessor does not keep the storage alive: it is valid while this
  /// tensor's storage is, which is why a temporary tensor has no accessor. Over a tensor without
  /// elements its strides are 0 (no element is reached through them).
  template <class U, std::size_t N>
  tensor_accessor<U, N> accessor() const& {
    static_assert(std::is_same<Device, cpu_t>::value,
                  "radicand::tensor::accessor: only CPU tensors have an accessor (a device "
                  "tensor's elements are not addressable on the host): copy it with cpu() into a "
                  "named tensor first");
    static_assert(std::is_same<U, T>::value,
                  "radicand::tensor::accessor<T, N>: T must be the tensor's element type");
    if constexpr (std::is_same<Device, cpu_t>::value && std::is_same<U, T>::value) {
      if (shape_.size() != N)
        detail::fail<shape_error>("accessor", "accessor<T, ", N, "> needs a tensor of ", N,
                                  " dimensions, but it has ", shape_.size(), " (shape ",
                                  detail::format_dims(shape_), ")");
      if (numel() == 0) {
        const std::array<std::int64_t, N> none{};
        return tensor_accessor<U, N>(data(), shape_.data(), none.data());
      }
      return tensor_accessor<U, N>(data(), shape_.data(), strides_.data());
    } else {
      // Only compiled where a static_assert above has failed: keeps its message the only error.
      return tensor_accessor<U, N>(nullptr, nullptr, nullptr);
    }
  }
  template <class U, std::size_t N>
  tensor_accessor<U, N> accessor() && {
    static_assert(detail::dependent<std::false_type, U>::type::value,
                  "radicand::tensor::accessor: called on a temporary tensor, whose storage may go "
                  "at the end of the statement: name the tensor first (auto v = ...; "
                  "v.accessor<T, N>())");
    return tensor_accessor<U, N>(nullptr, nullptr, nullptr);
  }

  // ---- views (views.hpp) ----
  /// Elements start, start+step, ... < end along dim. start/end are clamped like Python slices;
  /// nullopt is the beginning or the end (x[:, 2:] is x.slice(1, 2), x[::2] is
  /// x.slice(0, std::nullopt, std::nullopt, 2)).
  tensor slice(std::int64_t d, std::optional<std::int64_t> start = std::nullopt,
               std::optional<std::int64_t> end = std::nullopt, std::int64_t step = 1) const;
  /// The sub-tensor at index i of dim (one dimension fewer).
  tensor select(std::int64_t d, std::int64_t i) const;
  tensor operator[](std::int64_t i) const { return select(0, i); }
  tensor transpose(std::int64_t d0, std::int64_t d1) const;
  /// Transpose of a tensor of at most 2 dimensions (0-d and 1-d come back unchanged).
  tensor t() const;
  tensor permute(const std::vector<std::int64_t>& dims) const;
  /// A broadcast view: size-1 dimensions (stride 0) and new leading ones; -1 keeps a size.
  tensor expand(const std::vector<std::int64_t>& to) const;
  /// The same elements in a new shape (one size may be -1): a view when the strides allow, else a
  /// copy.
  tensor reshape(const std::vector<std::int64_t>& to) const;
  /// reshape that must be a view (throws shape_error otherwise), as torch.Tensor.view.
  tensor view(const std::vector<std::int64_t>& to) const;
  /// A view with a new dimension of size 1 at d (in [-dim()-1, dim()], as torch.unsqueeze).
  tensor unsqueeze(std::int64_t d) const;
  /// A view without the dimensions of size 1; squeeze(d) removes d only, and only if it is 1.
  tensor squeeze() const;
  tensor squeeze(std::int64_t d) const;
  /// The elements in one dimension (a 0-d tensor gives [1]): reshape({-1}), a view when the
  /// strides allow.
  tensor flatten() const { return reshape({-1}); }
  tensor contiguous() const { return is_contiguous() && base_ != nullptr ? *this : clone(); }
  /// A contiguous copy with new storage.
  tensor clone() const { return to<T>(); }

  /// A contiguous copy converted to element type U, on the same device.
  template <class U>
  tensor<U, Device> to() const {
    return engine::template converted<U>("to", *this);
  }
  /// On the host: this tensor itself if it is there, else a copy (which waits for the current
  /// stream).
  tensor<T, cpu_t> to(cpu_t) const { return cpu(); }
  tensor<T, cpu_t> cpu() const { return engine::to_host(*this); }
  /// On device d (rd::cuda, in CUDA units): this tensor itself if it is there, else a copy,
  /// queued on the current stream. A template, so that the class is the same in every unit.
  template <class D, std::enable_if_t<detail::is_device<D>::value && !std::is_same<D, cpu_t>::value,
                                      int> = 0>
  tensor<T, D> to(D d) const {
    return detail::device_engine<D>::to(*this, d);
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

  // ---- reductions (reduce.hpp): all dimensions, one, or a list ({} is all, as dim=[]) ----
  tensor<detail::sum_result_t<T>, Device> sum() const;
  tensor<detail::sum_result_t<T>, Device> sum(std::int64_t d, bool keepdim = false) const;
  tensor<detail::sum_result_t<T>, Device> sum(std::initializer_list<std::int64_t> dims,
                                              bool keepdim = false) const;
  tensor<detail::sum_result_t<T>, Device> sum(const std::vector<std::int64_t>& dims,
                                              bool keepdim = false) const;
  tensor mean() const;
  tensor mean(std::int64_t d, bool keepdim = false) const;
  tensor mean(std::initializer_list<std::int64_t> dims, bool keepdim = false) const;
  tensor mean(const std::vector<std::int64_t>& dims, bool keepdim = false) const;
  tensor var() const;
  tensor var(std::int64_t d, double correction = 1.0, bool keepdim = false) const;
  tensor var(std::initializer_list<std::int64_t> dims, double correction = 1.0,
             bool keepdim = false) const;
  tensor var(const std::vector<std::int64_t>& dims, double correction = 1.0,
             bool keepdim = false) const;

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

 private:
  void swap_handles(tensor& o) noexcept {
    owner_.swap(o.owner_);
    std::swap(base_, o.base_);
    shape_.swap(o.shape_);
    strides_.swap(o.strides_);
    std::swap(offset_, o.offset_);
    std::swap(device_, o.device_);
  }

  /// The offset from base_ of the element at index[0], ..., index[n - 1] (negative indices count
  /// from the end). Every index is checked before any offset is taken: with a size-0 dimension
  /// anywhere, the other dimensions' strides may be saturated and reach no element.
  std::int64_t element_offset(const char* op, const std::int64_t* index, std::size_t n) const {
    if (n != shape_.size())
      detail::fail<index_error>(op, "got ", n, " indices for a tensor of ", shape_.size(),
                                " dimensions (shape ", detail::format_dims(shape_), ")");
    for (std::size_t d = 0; d < n; ++d) {
      const std::int64_t i = index[d];
      if (i < -shape_[d] || i >= shape_[d])
        detail::fail<index_error>(op, "index ", i, " is out of range for dimension ", d,
                                  " of size ", shape_[d], " (shape ", detail::format_dims(shape_),
                                  ")");
    }
    std::int64_t off = offset_;
    for (std::size_t d = 0; d < n; ++d)
      off += (index[d] < 0 ? index[d] + shape_[d] : index[d]) * strides_[d];
    return off;
  }

  /// A view of storage that `owner` keeps alive (none for a caller's memory), through
  /// detail::tensor_access.
  tensor(std::shared_ptr<void> owner, T* base, detail::dims_t shape, detail::dims_t strides,
         std::int64_t offset, Device device)
      : owner_(std::move(owner)),
        base_(base),
        shape_(std::move(shape)),
        strides_(std::move(strides)),
        offset_(offset),
        device_(device) {}

  std::shared_ptr<void> owner_;
  T* base_ = nullptr;
  int_list shape_;
  int_list strides_;
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

namespace detail {
/// A new tensor on `device` with the given shape and strides (dense: at most numel elements
/// reached); uninitialised.
template <class T, class D>
tensor<T, D> allocate_tensor_on(const char* op, const dims_t& shape, const dims_t& strides,
                                D device) {
  const std::int64_t n = checked_numel(op, shape);
  auto storage = device_engine<D>::template allocate<T>(op, n, device);
  T* base = storage.get();
  return tensor_access::make(std::shared_ptr<void>(storage, base), base, shape, strides, 0, device);
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

RADICAND_NAMESPACE_END

// The view members, so that this header alone is the whole class.
#include "views.hpp"

#endif  // RADICAND_TENSOR_HPP
