// radicand: a reduction's layout, shared by the CPU and CUDA sides: which dimensions index the
// results and which the summed elements, in what order.
#ifndef RADICAND_REDUCTION_LAYOUT_HPP
#define RADICAND_REDUCTION_LAYOUT_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "config.hpp"
#include "error.hpp"
#include "shape.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

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

/// Whether each result's elements lie in one contiguous run, in order (size-1 dimensions aside).
inline bool reduced_run_is_contiguous(const reduction_layout& l) noexcept {
  std::int64_t expected = 1;
  for (std::size_t d = l.reduced_sizes.size(); d-- > 0;) {
    if (l.reduced_sizes[d] == 1) continue;
    if (l.reduced_strides[d] != expected) return false;
    expected *= l.reduced_sizes[d];
  }
  return true;
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_REDUCTION_LAYOUT_HPP
