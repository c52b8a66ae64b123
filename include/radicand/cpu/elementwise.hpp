// radicand: the CPU element-wise engine. Walks any strided layout with its dimensions
// collapsed, and hands contiguous runs to the kernels.
#ifndef RADICAND_CPU_ELEMENTWISE_HPP
#define RADICAND_CPU_ELEMENTWISE_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../dtype.hpp"
#include "../shape.hpp"

namespace radicand {
namespace detail {
inline namespace RADICAND_KERNEL_NAMESPACE {

/// Calls row(offsets, n, inner_strides) for each innermost run of a collapsed iteration space,
/// where offsets[k] is operand k's element offset of the run's first element.
template <std::size_t K, class Row>
void for_each_row(const dims_t& shape, const std::array<const dims_t*, K>& strides, Row&& row) {
  if (numel_of(shape) == 0) return;
  std::vector<dims_t> all;
  all.reserve(K);
  for (auto s : strides) all.push_back(*s);
  const loop_space ls = collapse(shape, std::move(all));
  const std::size_t d = ls.shape.size();
  const std::int64_t inner = ls.shape[d - 1];
  std::array<std::int64_t, K> inner_strides{}, off{};
  for (std::size_t k = 0; k < K; ++k) inner_strides[k] = ls.strides[k][d - 1];
  std::int64_t rows = 1;
  for (std::size_t i = 0; i + 1 < d; ++i) rows *= ls.shape[i];
  std::vector<std::int64_t> idx(d, 0);
  for (std::int64_t r = 0; r < rows; ++r) {
    row(off, inner, inner_strides);
    for (std::size_t i = d - 1; i-- > 0;) {  // odometer over the outer dimensions
      if (++idx[i] < ls.shape[i]) {
        for (std::size_t k = 0; k < K; ++k) off[k] += ls.strides[k][i];
        break;
      }
      for (std::size_t k = 0; k < K; ++k) off[k] -= (ls.shape[i] - 1) * ls.strides[k][i];
      idx[i] = 0;
    }
  }
}

/// out = Op(in) element-wise over a shape. In is read as T, computed in R (floating), written
/// as U. Contiguous runs in R go straight to Op's kernel; others pass through a small buffer.
template <class Op, class R, class T, class U>
void unary_apply(const T* in, const dims_t& in_strides, U* out, const dims_t& out_strides,
                 const dims_t& shape) {
  for_each_row<2>(shape, {&out_strides, &in_strides},
                  [&](const std::array<std::int64_t, 2>& off, std::int64_t n,
                      const std::array<std::int64_t, 2>& st) {
                    U* o = out + off[0];
                    const T* i = in + off[1];
                    if (st[0] == 1 && st[1] == 1) {
                      if constexpr (std::is_same<T, R>::value && std::is_same<U, R>::value) {
                        Op::kernel(i, o, static_cast<std::size_t>(n));
                        return;
                      }
                    }
                    // Through a buffer: read a block, compute it in R, write it out.
                    constexpr std::int64_t block = 256;
                    R buf[block];
                    for (std::int64_t b = 0; b < n; b += block) {
                      const std::int64_t m = n - b < block ? n - b : block;
                      for (std::int64_t j = 0; j < m; ++j) buf[j] = convert<R>(i[(b + j) * st[1]]);
                      Op::kernel(buf, buf, static_cast<std::size_t>(m));
                      for (std::int64_t j = 0; j < m; ++j) o[(b + j) * st[0]] = convert<U>(buf[j]);
                    }
                  });
}

/// out = f(a, b) element-wise with a and b already broadcast to the shape (stride 0 where
/// broadcast). A and B are read as C (the compute type) and the result written as U.
template <class C, class U, class A, class B, class F>
void binary_apply(const A* a, const dims_t& a_strides, const B* b, const dims_t& b_strides, U* out,
                  const dims_t& out_strides, const dims_t& shape, F&& f) {
  for_each_row<3>(shape, {&out_strides, &a_strides, &b_strides},
                  [&](const std::array<std::int64_t, 3>& off, std::int64_t n,
                      const std::array<std::int64_t, 3>& st) {
                    U* o = out + off[0];
                    const A* pa = a + off[1];
                    const B* pb = b + off[2];
                    for (std::int64_t j = 0; j < n; ++j)
                      o[j * st[0]] = convert<U>(f(convert<C>(pa[j * st[1]]), convert<C>(pb[j * st[2]])));
                  });
}

}  // namespace RADICAND_KERNEL_NAMESPACE
}  // namespace detail
}  // namespace radicand

#endif  // RADICAND_CPU_ELEMENTWISE_HPP
