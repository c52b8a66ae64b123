// radicand: the CPU engine, device_engine<cpu_t>: host memory, elements read in place, and the
// element-wise operations over any strided layout, its dimensions ordered and collapsed, large
// ones split between threads, contiguous runs handed to the kernels (cpu/kernels.hpp).
#ifndef RADICAND_CPU_ENGINE_HPP
#define RADICAND_CPU_ENGINE_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "../device.hpp"
#include "../dtype.hpp"
#include "../error.hpp"
#include "../iteration.hpp"
#include "../math/ops.hpp"
#include "../shape.hpp"
#include "../tensor.hpp"
#include "kernels.hpp"
#include "memory.hpp"
#include "threads.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// Calls row(offsets, n, inner_strides) for runs along the innermost dimension of the
/// iteration space of ordered_collapse (iteration.hpp), where offsets[k] is operand k's element
/// offset of the run's first element. Large spaces are split between threads (a run may then be
/// cut in pieces), so row must be safe to call concurrently on disjoint elements.
template <std::size_t K, class Row>
void for_each_row(const dims_t& shape, const std::array<const dims_t*, K>& strides, Row&& row) {
  const std::int64_t total = numel_of(shape);
  if (total == 0) return;
  const loop_space ls = ordered_collapse(shape, strides);
  const std::size_t d = ls.shape.size();
  const std::int64_t inner = ls.shape[d - 1];
  std::array<std::int64_t, K> inner_strides{};
  for (std::size_t k = 0; k < K; ++k) inner_strides[k] = ls.strides[k][d - 1];
  // Nothing may be allocated inside the threads' pieces: a failure there would come after other
  // threads have written. Every collapsed dimension has at least 2 elements and there are fewer
  // than 2^63 in all, so fewer than 63 dimensions remain: each thread's odometer fits on its stack.
  constexpr std::size_t max_dims = 64;
  if (d > max_dims)
    fail<shape_error>("for_each_row", "more than ", max_dims, " dimensions after collapsing");
  parallel_for(total, parallel_grain, 64, [&](std::int64_t begin, std::int64_t end) {
    // Start at element `begin`: run r, position j in it; idx and off follow the outer dimensions.
    std::int64_t r = begin / inner, j = begin % inner;
    std::array<std::int64_t, max_dims> idx{};
    std::array<std::int64_t, K> off{};
    for (std::size_t i = d - 1; i-- > 0;) {
      idx[i] = r % ls.shape[i];
      r /= ls.shape[i];
      for (std::size_t k = 0; k < K; ++k) off[k] += idx[i] * ls.strides[k][i];
    }
    for (std::int64_t at = begin; at < end;) {
      const std::int64_t n = std::min(inner - j, end - at);
      std::array<std::int64_t, K> first = off;
      for (std::size_t k = 0; k < K; ++k) first[k] += j * inner_strides[k];
      row(first, n, inner_strides);
      at += n;
      j = 0;
      for (std::size_t i = d - 1; i-- > 0;) {  // odometer over the outer dimensions
        if (++idx[i] < ls.shape[i]) {
          for (std::size_t k = 0; k < K; ++k) off[k] += ls.strides[k][i];
          break;
        }
        for (std::size_t k = 0; k < K; ++k) off[k] -= (ls.shape[i] - 1) * ls.strides[k][i];
        idx[i] = 0;
      }
    }
  });
}

/// Op over n contiguous elements of R: its packet form where it has one, else its scalar
/// function.
template <class Op, class R>
void contiguous_run(const R* in, R* out, std::size_t n) {
  if constexpr (math::has_packet_form<Op>::value) {
    run<Op>(in, out, n);
  } else {
    const Op f{};
    for (std::size_t i = 0; i < n; ++i) out[i] = f(in[i]);
  }
}

template <>
struct device_engine<cpu_t> {
  template <class T>
  static std::shared_ptr<T> allocate(const char* op, std::int64_t n, cpu_t) {
    return allocate_host<T>(op, n);
  }
  /// Host work is over when its call returns.
  static void finish_work(cpu_t) noexcept {}

  /// The element itself.
  template <class T>
  static T& element(const char*, T* p, cpu_t) noexcept {
    return *p;
  }
  template <class T>
  static T read_one(const char*, const T* p, cpu_t) noexcept {
    return *p;
  }

  /// A contiguous copy converted to U.
  template <class U, class T>
  static tensor<U> converted(const char* op, const tensor<T>& x) {
    tensor<U> r = allocate_tensor<U>(op, x.shape());
    unary<math::copy_op, U>(op, x.data(), x.strides(), r.data(), r.strides(), x.shape(), cpu);
    return r;
  }

  /// On the host already: the tensor itself.
  template <class T>
  static tensor<T> to_host(const tensor<T>& x) {
    return x;
  }
  template <class T>
  static tensor<T> to(const tensor<T>& x, cpu_t) {
    return x;
  }

  /// No device='...' suffix when printed.
  static std::vector<std::string> print_suffixes(cpu_t) { return {}; }

  /// Nothing: host memory is not stream-ordered.
  static void record_use(const char*, const std::shared_ptr<void>&) noexcept {}

  /// out = Op(in) element-wise over a shape. In is read as T, computed in R, written
  /// as U. Contiguous runs in R go straight to Op's kernel; a broadcast input (stride 0) is
  /// computed once per run; other runs pass through a small buffer, one side of it skipped when
  /// that side is contiguous in R.
  template <class Op, class R, class T, class U>
  static void unary(const char*, const T* in, const dims_t& in_strides, U* out,
                    const dims_t& out_strides, const dims_t& shape, cpu_t) {
    if constexpr (std::is_same<T, R>::value && std::is_same<U, R>::value) {
      // The common case, without the engine's set-up (it allocates): both sides contiguous.
      if (is_contiguous(shape, in_strides) && is_contiguous(shape, out_strides)) {
        contiguous_run<Op>(in, out, static_cast<std::size_t>(numel_of(shape)));
        return;
      }
    }
    for_each_row<2>(shape, {&out_strides, &in_strides},
                    [&](const std::array<std::int64_t, 2>& off, std::int64_t n,
                        const std::array<std::int64_t, 2>& st) {
                      U* o = out + off[0];
                      const T* i = in + off[1];
                      constexpr bool in_is_r = std::is_same<T, R>::value;
                      constexpr bool out_is_r = std::is_same<U, R>::value;
                      if (st[1] == 0 && n > 1) {  // one input value for the whole run
                        R v = convert<R>(i[0]);
                        contiguous_run<Op>(&v, &v, 1);
                        const U u = convert<U>(v);
                        for (std::int64_t j = 0; j < n; ++j) o[j * st[0]] = u;
                        return;
                      }
                      if constexpr (in_is_r && out_is_r) {
                        if (st[0] == 1 && st[1] == 1) {
                          contiguous_run<Op>(i, o, static_cast<std::size_t>(n));
                          return;
                        }
                      }
                      // Through a buffer: read a block, compute it in R, write it out.
                      constexpr std::int64_t block = 256;
                      R buf[block];
                      for (std::int64_t b = 0; b < n; b += block) {
                        const std::int64_t m = n - b < block ? n - b : block;
                        const R* src = buf;
                        if constexpr (in_is_r) {
                          if (st[1] == 1) src = i + b;
                        }
                        if (src == buf)
                          for (std::int64_t j = 0; j < m; ++j)
                            buf[j] = convert<R>(i[(b + j) * st[1]]);
                        if constexpr (out_is_r) {
                          if (st[0] == 1) {
                            contiguous_run<Op>(src, o + b, static_cast<std::size_t>(m));
                            continue;
                          }
                        }
                        contiguous_run<Op>(src, buf, static_cast<std::size_t>(m));
                        for (std::int64_t j = 0; j < m; ++j)
                          o[(b + j) * st[0]] = convert<U>(buf[j]);
                      }
                    });
  }

  /// out = U(f(C(a), C(b))) element-wise with a and b already broadcast to the shape (stride 0
  /// where broadcast; a value operand has none: its one element is read for every position).
  template <class C, class F, class A, class B, class U>
  static void binary(const char*, binary_operand<A> va, const dims_t& a_strides,
                     binary_operand<B> vb, const dims_t& b_strides, U* out,
                     const dims_t& out_strides, const dims_t& shape, cpu_t) {
    const A* a = va.p != nullptr ? va.p : &va.value;
    const B* b = vb.p != nullptr ? vb.p : &vb.value;
    const F f{};
    for_each_row<3>(shape, {&out_strides, &a_strides, &b_strides},
                    [&](const std::array<std::int64_t, 3>& off, std::int64_t n,
                        const std::array<std::int64_t, 3>& st) {
                      U* o = out + off[0];
                      const A* pa = a + off[1];
                      const B* pb = b + off[2];
                      for (std::int64_t j = 0; j < n; ++j)
                        o[j * st[0]] =
                            convert<U>(f(convert<C>(pa[j * st[1]]), convert<C>(pb[j * st[2]])));
                    });
  }

  /// x's elements = T(src) over x's shape (src's strides already broadcast to it; a value operand
  /// has none). The caller has checked the write rules.
  template <class T, class U>
  static void assign(const char* op, tensor<T>& x, binary_operand<U> src,
                     const dims_t& src_strides) {
    unary<math::copy_op, T>(op, src.p != nullptr ? src.p : &src.value, src_strides, x.data(),
                            x.strides(), x.shape(), cpu);
  }
  /// Every element of x = T(the element of the 0-d value), read before any is written.
  template <class T, class U>
  static void fill_from(const char* op, tensor<T>& x, const tensor<U>& value) {
    assign(op, x, binary_operand<T>{nullptr, convert<T>(*value.data())},
           dims_t(x.shape().size(), 0));
  }
};

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_ENGINE_HPP
