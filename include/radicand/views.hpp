// radicand: the view members of tensor<T, Device> (slice, select, transpose, permute, expand,
// reshape, view): new shapes, strides and offsets on the same storage, checked so that no size
// or stride, however large, overflows.
#ifndef RADICAND_VIEWS_HPP
#define RADICAND_VIEWS_HPP

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "error.hpp"
#include "shape.hpp"
#include "tensor.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// The shape `to` with its one -1 (if any) inferred for n elements; any other that n elements
/// cannot take throws shape_error.
inline dims_t infer_shape(const char* op, const std::vector<std::int64_t>& to, std::int64_t n) {
  detail::dims_t ns(to.begin(), to.end());
  std::int64_t known = 1;
  std::size_t infer = ns.size();
  for (std::size_t i = 0; i < ns.size(); ++i) {
    if (ns[i] == -1) {
      if (infer != ns.size())
        fail<shape_error>(op, "only one dimension can be inferred in ", format_dims(to));
      infer = i;
    } else if (ns[i] < 0) {
      fail<shape_error>(op, "invalid size ", ns[i], " in ", format_dims(to));
    } else {
      known = ns[i] == 0 ? 0 : (known > INT64_MAX / ns[i] ? -1 : known * ns[i]);
      if (known < 0) fail<shape_error>(op, "shape ", format_dims(to), " has too many elements");
    }
  }
  if (infer != ns.size()) {
    if (known == 0 || n % known != 0)
      fail<shape_error>(op, "shape ", format_dims(to), " is invalid for input of size ", n);
    ns[infer] = n / known;
  } else if (known != n) {
    fail<shape_error>(op, "shape ", format_dims(to), " is invalid for input of size ", n);
  }
  return ns;
}

}  // namespace detail

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::slice(std::int64_t d, std::optional<std::int64_t> start_at,
                                           std::optional<std::int64_t> end_at,
                                           std::int64_t step) const {
  const std::size_t k = detail::wrap_dim("slice", d, shape_.size());
  if (shape_.empty()) detail::fail<index_error>("slice", "cannot slice a 0-d tensor");
  if (step <= 0) detail::fail<index_error>("slice", "step must be positive, got ", step);
  const std::int64_t n = shape_[k];
  std::int64_t start = start_at.value_or(0), end = end_at.value_or(n);
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

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::select(std::int64_t d, std::int64_t i) const {
  if (shape_.empty()) detail::fail<index_error>("select", "cannot select on a 0-d tensor");
  const std::size_t k = detail::wrap_dim("select", d, shape_.size());
  const std::int64_t n = shape_[k];
  if (i < -n || i >= n)
    detail::fail<index_error>("select", "index ", i, " is out of range for dimension ", k,
                              " of size ", n);
  if (i < 0) i += n;
  tensor r = *this;
  if (numel() != 0) r.offset_ += i * strides_[k];  // without elements, the stride may be saturated
  r.shape_.erase(r.shape_.begin() + static_cast<std::ptrdiff_t>(k));
  r.strides_.erase(r.strides_.begin() + static_cast<std::ptrdiff_t>(k));
  return r;
}

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::transpose(std::int64_t d0, std::int64_t d1) const {
  const std::size_t a = detail::wrap_dim("transpose", d0, shape_.size());
  const std::size_t b = detail::wrap_dim("transpose", d1, shape_.size());
  tensor r = *this;
  if (!shape_.empty()) {
    std::swap(r.shape_[a], r.shape_[b]);
    std::swap(r.strides_[a], r.strides_[b]);
  }
  return r;
}

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::t() const {
  if (shape_.size() > 2)
    detail::fail<shape_error>("t", "expects a tensor with <= 2 dimensions, but it has ",
                              shape_.size(), " (shape ", detail::format_dims(shape_), ")");
  return shape_.size() < 2 ? *this : transpose(0, 1);
}

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::permute(const std::vector<std::int64_t>& dims) const {
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

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::expand(const std::vector<std::int64_t>& to) const {
  if (to.size() < shape_.size())
    detail::fail<shape_error>("expand", "the number of sizes ", detail::format_dims(to),
                              " must be at least the tensor's dimensions ",
                              detail::format_dims(shape_));
  const std::size_t lead = to.size() - shape_.size();
  detail::dims_t ns(to.size()), nst(to.size());
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

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::reshape(const std::vector<std::int64_t>& to) const {
  detail::dims_t ns = detail::infer_shape("reshape", to, numel());
  detail::dims_t nst;
  if (detail::view_strides(shape_, strides_, ns, nst)) {
    tensor r = *this;
    r.shape_ = std::move(ns);
    r.strides_ = std::move(nst);
    return r;
  }
  return contiguous().reshape(to);
}
template <class T, class Device>
tensor<T, Device> tensor<T, Device>::view(const std::vector<std::int64_t>& to) const {
  detail::dims_t ns = detail::infer_shape("view", to, numel());
  detail::dims_t nst;
  if (!detail::view_strides(shape_, strides_, ns, nst))
    detail::fail<shape_error>("view", "shape ", detail::format_dims(to),
                              " is not compatible with the strides ", detail::format_dims(strides_),
                              " of shape ", detail::format_dims(shape_), ": use reshape");
  tensor r = *this;
  r.shape_ = std::move(ns);
  r.strides_ = std::move(nst);
  return r;
}

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::unsqueeze(std::int64_t d) const {
  const auto n = static_cast<std::int64_t>(shape_.size());
  if (d < -n - 1 || d > n)
    detail::fail<index_error>("unsqueeze", "dimension ", d, " is out of range for a tensor of ", n,
                              " dimensions (expected in [", -n - 1, ", ", n, "])");
  const auto k = static_cast<std::size_t>(d < 0 ? d + n + 1 : d);
  // PyTorch's stride for the new dimension (any would do: its size is 1), saturated.
  std::int64_t stride = 1;
  if (k < shape_.size()) {
    const std::int64_t size = std::max<std::int64_t>(shape_[k], 1);
    const std::int64_t s = strides_[k] < 0 ? 0 : strides_[k];
    stride = s > INT64_MAX / size ? INT64_MAX : s * size;
  }
  tensor r = *this;
  r.shape_.insert(r.shape_.begin() + static_cast<std::ptrdiff_t>(k), 1);
  r.strides_.insert(r.strides_.begin() + static_cast<std::ptrdiff_t>(k), stride);
  return r;
}

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::squeeze() const {
  tensor r = *this;
  r.shape_.clear();
  r.strides_.clear();
  for (std::size_t i = 0; i < shape_.size(); ++i)
    if (shape_[i] != 1) {
      r.shape_.push_back(shape_[i]);
      r.strides_.push_back(strides_[i]);
    }
  return r;
}

template <class T, class Device>
tensor<T, Device> tensor<T, Device>::squeeze(std::int64_t d) const {
  const std::size_t k = detail::wrap_dim("squeeze", d, shape_.size());
  if (shape_.empty() || shape_[k] != 1) return *this;
  tensor r = *this;
  r.shape_.erase(r.shape_.begin() + static_cast<std::ptrdiff_t>(k));
  r.strides_.erase(r.strides_.begin() + static_cast<std::ptrdiff_t>(k));
  return r;
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_VIEWS_HPP
