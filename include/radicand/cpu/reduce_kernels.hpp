// radicand: the CPU reductions and normalisations over contiguous runs, on the loops of
// cpu/reduce_loops.hpp for the backend compiled in (or picked at run time): fixed-order sums
// split between threads so that the bits do not depend on how many run, and the normalisations
// a row per thread.
#ifndef RADICAND_CPU_REDUCE_KERNELS_HPP
#define RADICAND_CPU_REDUCE_KERNELS_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../config.hpp"
#include "../dtype.hpp"
#include "../math/fixed_sum.hpp"
#include "../math/rsqrt.hpp"
#include "fpenv.hpp"
#include "kernels.hpp"
#include "threads.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// What a floating type computes its reductions in: double for double, else float.
template <class T>
using compute_t = std::conditional_t<std::is_same<T, double>::value, double, float>;

template <class T>
using block_tree_fn = compute_t<T> (*)(const T*, std::size_t, std::size_t, std::size_t,
                                       compute_t<T>) noexcept;
template <class T>
using norm_output_fn = void (*)(const T*, T*, std::size_t, compute_t<T>, compute_t<T>, const T*,
                                const T*) noexcept;

#if RADICAND_ARCH_DISPATCH
template <math::summand S, class T>
block_tree_fn<T> picked_block_tree() noexcept {
  switch (picked_backend()) {
    case dispatch_backend::avx512:
      return arch_avx512::block_tree<arch_avx512::isa, S, T>;
    case dispatch_backend::avx2:
      return arch_avx2::block_tree<arch_avx2::isa, S, T>;
    case dispatch_backend::sse2:
      break;
  }
  return arch_sse2::block_tree<arch_sse2::isa, S, T>;
}

template <class T>
norm_output_fn<T> picked_norm_output() noexcept {
  switch (picked_backend()) {
    case dispatch_backend::avx512:
      return arch_avx512::norm_output<arch_avx512::isa, T>;
    case dispatch_backend::avx2:
      return arch_avx2::norm_output<arch_avx2::isa, T>;
    case dispatch_backend::sse2:
      break;
  }
  return arch_sse2::norm_output<arch_sse2::isa, T>;
}
#endif

/// The blocks [first, first + m) of the n elements at p in the fixed tree (m >= 1).
template <math::summand S, class T>
compute_t<T> block_tree_of(const T* p, std::size_t n, std::size_t first, std::size_t m,
                           compute_t<T> centre) noexcept {
#if RADICAND_ARCH_DISPATCH
  static const block_tree_fn<T> tree = picked_block_tree<S, T>();
  return tree(p, n, first, m, centre);
#else
  return native::block_tree<native_isa, S>(p, n, first, m, centre);
#endif
}

/// y = ((x - shift) * scale) * w + b over n elements (w, b: nullptr for none).
template <class T>
void norm_output_of(const T* x, T* y, std::size_t n, compute_t<T> shift, compute_t<T> scale,
                    const T* w, const T* b) noexcept {
#if RADICAND_ARCH_DISPATCH
  static const norm_output_fn<T> output = picked_norm_output<T>();
  output(x, y, n, shift, scale, w, b);
#else
  native::norm_output<native_isa>(x, y, n, shift, scale, w, b);
#endif
}

/// Blocks per chunk when one sum is split between threads. For any power-of-two chunk, the tree
/// of m blocks (math::combine_blocks) is the same tree over their chunks (the last one perhaps
/// partial), each chunk's value the tree of its own blocks: the two split at the same points.
/// So a sum is the same bits whether one thread computes it or many share its chunks.
constexpr std::size_t chunk_blocks = 64;

inline std::size_t blocks_of(std::size_t n) noexcept {
  return (n + math::block_elements - 1) / math::block_elements;
}

/// out(o, s) for o < results, s the fixed-order sum of result o's n elements, from
/// chunk(o, c, scratch), the value of its c-th chunk (scratch: room for a chunk's elements, for a
/// chunk that must be gathered first). Results are shared between the threads, or, when there
/// are fewer than threads, each result's chunks.
template <class Acc, class T, class Chunk, class Out>
void sum_results(std::int64_t results, std::size_t n, bool needs_scratch, const Chunk& chunk,
                 const Out& out) {
  if (n == 0) {
    for (std::int64_t o = 0; o < results; ++o) out(o, Acc(0));
    return;
  }
  const std::size_t chunks = (blocks_of(n) + chunk_blocks - 1) / chunk_blocks;
  const std::size_t scratch_elements =
      needs_scratch ? std::min(n, chunk_blocks * math::block_elements) : 0;
  if (results < get_num_threads() && chunks > 1) {
    std::vector<Acc> values(chunks);
    for (std::int64_t o = 0; o < results; ++o) {
      parallel_for(static_cast<std::int64_t>(chunks), 1, 1, [&](std::int64_t b, std::int64_t e) {
        std::vector<T> scratch(scratch_elements);
        for (auto c = static_cast<std::size_t>(b); c < static_cast<std::size_t>(e); ++c)
          values[c] = chunk(o, c, scratch.data());
      });
      out(o, math::combine_blocks<Acc>(0, chunks, [&](std::size_t c) { return values[c]; }));
    }
    return;
  }
  const auto grain = std::max<std::int64_t>(
      1, parallel_grain /
             static_cast<std::int64_t>(std::min(n, static_cast<std::size_t>(parallel_grain))));
  parallel_for(results, grain, 1, [&](std::int64_t b, std::int64_t e) {
    std::vector<T> scratch(scratch_elements);
    for (std::int64_t o = b; o < e; ++o)
      out(o, math::combine_blocks<Acc>(0, chunks,
                                       [&](std::size_t c) { return chunk(o, c, scratch.data()); }));
  });
}

/// RMSNorm (centred false) or LayerNorm (true) of `rows` rows of n contiguous elements from x
/// into y, a row per thread: the statistics in the fixed order (LayerNorm: the mean, then the
/// centred squares, the row still in cache), then y = ((x - mean) * rsqrt(var + eps)) * w + b,
/// with mean 0 and var the mean square for RMSNorm.
template <class T>
void norm_rows(const T* x, T* y, std::int64_t rows, std::size_t n, bool centred, double eps,
               const T* w, const T* b) {
  using Acc = compute_t<T>;
  if (n == 0) return;
  const Acc epsilon = static_cast<Acc>(eps), count = static_cast<Acc>(n);
  const std::size_t blocks = blocks_of(n);
  const auto grain = std::max<std::int64_t>(
      1, parallel_grain /
             static_cast<std::int64_t>(std::min(n, static_cast<std::size_t>(parallel_grain))));
  parallel_for(rows, grain, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) {
      const T* xr = x + static_cast<std::size_t>(r) * n;
      Acc mean = 0, squares;
      if (centred) {
        mean = block_tree_of<math::summand::value, T>(xr, n, 0, blocks, Acc(0)) / count;
        squares = block_tree_of<math::summand::centred_square, T>(xr, n, 0, blocks, mean);
      } else {
        squares = block_tree_of<math::summand::square, T>(xr, n, 0, blocks, Acc(0));
      }
      norm_output_of(xr, y + static_cast<std::size_t>(r) * n, n, mean,
                     math::rsqrt(squares / count + epsilon), w, b);
    }
  });
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_REDUCE_KERNELS_HPP
