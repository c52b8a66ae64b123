// radicand: what both engines walk: the operands of an element-wise operation, and the
// iteration space of several strided operands of one shape, with dimensions ordered and merged.
#ifndef RADICAND_ITERATION_HPP
#define RADICAND_ITERATION_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "shape.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// One side of an element-wise binary operation: elements at p, walked with strides given beside
/// it, or, where p is null, one value standing for every element (a scalar operand, which a
/// device then receives with the launch instead of in its memory).
template <class T>
struct binary_operand {
  const T* p;
  T value;
};

/// An iteration space over several operands of one shape, with adjacent dimensions merged
/// wherever every operand steps through them as one.
struct loop_space {
  dims_t shape;
  std::vector<dims_t> strides;  // one per operand, in elements
};

inline loop_space collapse(const dims_t& shape, std::vector<dims_t> strides) {
  loop_space s;
  if (numel_of(shape) == 0) {  // nothing to walk (and sizes such as [2^62, 4, 0] must not merge)
    s.shape.push_back(0);
    s.strides.assign(strides.size(), dims_t{1});
    return s;
  }
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;  // size-1 dimensions never move
    bool merge = !s.shape.empty();
    // Compared without the product, which hand-made strides can take past int64.
    for (std::size_t k = 0; merge && k < strides.size(); ++k)
      merge = product_is(strides[k][i], shape[i], s.strides[k].back());
    if (merge) {
      s.shape.back() *= shape[i];
      for (std::size_t k = 0; k < strides.size(); ++k) s.strides[k].back() = strides[k][i];
    } else {
      s.shape.push_back(shape[i]);
      if (s.strides.empty()) s.strides.resize(strides.size());
      for (std::size_t k = 0; k < strides.size(); ++k) s.strides[k].push_back(strides[k][i]);
    }
  }
  if (s.shape.empty()) {  // 0-d or all size-1: one element
    s.shape.push_back(1);
    s.strides.assign(strides.size(), dims_t{1});
  }
  return s;
}

/// The iteration space every backend walks: the dimensions ordered by operand 0's strides,
/// largest first (as PyTorch's TensorIterator does), so that a permuted dense layout, such as a
/// transposed tensor and its result, collapses to one contiguous run; then collapsed.
template <std::size_t K>
loop_space ordered_collapse(const dims_t& shape, const std::array<const dims_t*, K>& strides) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return (*strides[0])[a] > (*strides[0])[b];
  });
  dims_t sorted_shape;
  std::vector<dims_t> sorted(K);
  for (std::size_t i : order) {
    sorted_shape.push_back(shape[i]);
    for (std::size_t k = 0; k < K; ++k) sorted[k].push_back((*strides[k])[i]);
  }
  return collapse(sorted_shape, std::move(sorted));
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_ITERATION_HPP
