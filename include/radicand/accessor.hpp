// radicand: tensor_accessor<T, N>, what tensor::accessor<T, N>() returns: a[i][j] reaches an
// element of a CPU tensor through its data pointer, sizes and strides, without allocating.
#ifndef RADICAND_ACCESSOR_HPP
#define RADICAND_ACCESSOR_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "config.hpp"
#include "error.hpp"

// The checked (no NDEBUG) and unchecked accessors are different types, so that units built with
// and without NDEBUG link together without two different definitions of one function.
#ifdef NDEBUG
#define RADICAND_ACCESSOR_NAMESPACE unchecked_accessor
#else
#define RADICAND_ACCESSOR_NAMESPACE checked_accessor
#endif

RADICAND_NAMESPACE_BEGIN
inline namespace RADICAND_ACCESSOR_NAMESPACE {

/// The elements of N dimensions at data, with the given sizes and strides (in elements, copied
/// in). a[i] is the accessor of the N-1 dimensions below index i, and at N == 1 a reference to
/// the element. It does not keep the memory alive: an accessor from x.accessor<T, N>() is valid
/// while x's storage is (as libtorch's TensorAccessor). Indices are in [0, size): without NDEBUG
/// each one is checked (index_error); with NDEBUG none is.
template <class T, std::size_t N>
class tensor_accessor {
  static_assert(N > 0,
                "radicand::tensor_accessor: N must be at least 1 (a 0-d tensor's element is "
                "x.item(), or *x.data())");
  template <class, std::size_t>
  friend class tensor_accessor;

 public:
  tensor_accessor(T* data, const std::int64_t* sizes, const std::int64_t* strides) noexcept
      : tensor_accessor(data, sizes, strides, 0) {}

  std::conditional_t<N == 1, T&, tensor_accessor<T, N - 1>> operator[](std::int64_t i) const {
    check_index(i);
    if constexpr (N == 1) {
      return data_[i * strides_[0]];
    } else {
      return tensor_accessor<T, N - 1>(data_ + i * strides_[0], sizes_.data() + 1,
                                       strides_.data() + 1, first_dim_ + 1);
    }
  }
  /// The size and stride of dimension d of this accessor (negative d counts from the end).
  std::int64_t size(std::int64_t d) const { return sizes_[wrap("tensor_accessor::size", d)]; }
  std::int64_t stride(std::int64_t d) const { return strides_[wrap("tensor_accessor::stride", d)]; }
  T* data() const noexcept { return data_; }

 private:
  /// first_dim: the tensor's dimension that this accessor's dimension 0 is, for the messages.
  tensor_accessor(T* data, const std::int64_t* sizes, const std::int64_t* strides,
                  std::int64_t first_dim) noexcept
      : data_(data), first_dim_(first_dim) {
    for (std::size_t d = 0; d < N; ++d) {
      sizes_[d] = sizes[d];
      strides_[d] = strides[d];
    }
  }

  void check_index(std::int64_t i) const {
#ifndef NDEBUG
    if (i < 0 || i >= sizes_[0])
      detail::fail<index_error>("tensor_accessor", "index ", i, " is out of range for dimension ",
                                first_dim_, " of size ", sizes_[0]);
#else
    (void)i;
#endif
  }

  std::size_t wrap(const char* op, std::int64_t d) const {
    constexpr auto n = static_cast<std::int64_t>(N);
    if (d < -n || d >= n)
      detail::fail<index_error>(op, "dimension ", d, " is out of range for an accessor of ", N,
                                " dimensions (expected in [", -n, ", ", n - 1, "])");
    return static_cast<std::size_t>(d < 0 ? d + n : d);
  }

  T* data_;
  std::array<std::int64_t, N> sizes_{};
  std::array<std::int64_t, N> strides_{};
  std::int64_t first_dim_;
};

}  // namespace RADICAND_ACCESSOR_NAMESPACE
RADICAND_NAMESPACE_END

#undef RADICAND_ACCESSOR_NAMESPACE

#endif  // RADICAND_ACCESSOR_HPP
