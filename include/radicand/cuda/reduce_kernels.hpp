// radicand: the CUDA reductions and normalisations, in the fixed order of math/fixed_sum.hpp, so
// that a GPU returns the CPU's bits. A half-warp holds a block's 16 lanes (lane j adds the
// elements i = j mod 16 in increasing i, then the lanes fold by shuffles, w = 8, 4, 2, 1); a
// thread block computes the blocks of a chunk of 64 (or of a row) into shared memory and combines
// them in the fixed tree. A long sum's chunks are values that a second kernel combines in the
// same tree (cpu/reduce_kernels.hpp's chunk rule). A normalised row of up to 65536 elements is
// one thread block: its statistics, then its output, fused. Used only in CUDA translation units.
#ifndef RADICAND_CUDA_REDUCE_KERNELS_HPP
#define RADICAND_CUDA_REDUCE_KERNELS_HPP

#include "../config.hpp"

#if RADICAND_HAS_CUDA

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../dtype.hpp"
#include "../error.hpp"
#include "../math/fixed_sum.hpp"
#include "../math/rsqrt.hpp"
#include "../reduction_layout.hpp"
#include "../shape.hpp"
#include "../tensor.hpp"
#include "engine.hpp"
#include "kernels.hpp"
#include "runtime.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace cuda_kernels {

constexpr unsigned half_warps = block_threads / 16;
/// Blocks of 256 per chunk (cpu/reduce_kernels.hpp's chunk_blocks: the same rule).
constexpr std::size_t chunk_blocks_d = 64;
/// The longest row normalised in one fused kernel: its block values fit in shared memory.
constexpr std::size_t fused_row_blocks = 256;

/// What a device reduction adds in: compute_t's floating types (cpu/reduce_kernels.hpp), and
/// for integral and bool elements uint64, which wraps modulo 2^64 as the CPU's int64 sums.
template <class T>
using acc_d = std::conditional_t<!is_floating_v<T>, std::uint64_t,
                                 std::conditional_t<std::is_same<T, double>::value, double, float>>;

/// An element in A: integers sign-extended to 64 bits first.
template <class A, class T>
__device__ A to_acc(T v) {
  if constexpr (std::is_integral<A>::value)
    return static_cast<A>(static_cast<std::int64_t>(v));
  else
    return static_cast<A>(v);
}

/// The elements of a reduction: result o's i-th (row-major over the reduced dimensions) at
/// data + offset(o over kept) + offset(i over reduced); `run`: the reduced ones are one
/// contiguous run.
template <class T>
struct reduction_view {
  const T* data;
  int kept_dims, reduced_dims;
  std::int64_t kept_sizes[max_dims], kept_strides[max_dims];
  std::int64_t reduced_sizes[max_dims], reduced_strides[max_dims];
  bool run;

  __device__ static std::int64_t offset(std::int64_t i, const std::int64_t* sizes,
                                        const std::int64_t* strides, int dims) {
    std::int64_t off = 0;
    for (int d = dims - 1; d >= 0; --d) {
      off += (i % sizes[d]) * strides[d];
      i /= sizes[d];
    }
    return off;
  }
  __device__ const T* base(std::int64_t o) const {
    return data + offset(o, kept_sizes, kept_strides, kept_dims);
  }
  __device__ T at(const T* b, std::size_t i) const {
    return run ? b[i]
               : b[offset(static_cast<std::int64_t>(i), reduced_sizes, reduced_strides,
                          reduced_dims)];
  }
};

/// In each half-warp, the value of one block of k elements (k = 0: +0), element(i) giving the
/// i-th in Acc; valid in the half-warp's lane 0. Every thread of the warp calls it together.
template <math::summand S, class Acc, class Element>
__device__ Acc half_warp_block(std::size_t k, Acc centre, const Element& element) {
  const unsigned j = threadIdx.x % 16;
  Acc lane = Acc(0);
  if (k == math::block_elements) {
    // A full block: its loads in flight 8 at a time, then the additions in their order.
    constexpr std::size_t per_lane = math::block_elements / 16, batch = 8;
    for (std::size_t r0 = 0; r0 < per_lane; r0 += batch) {
      Acc v[batch];
#pragma unroll
      for (std::size_t r = 0; r < batch; ++r) v[r] = element(j + 16 * (r0 + r));
#pragma unroll
      for (std::size_t r = 0; r < batch; ++r) lane = lane + math::summand_of<S>(v[r], centre);
    }
  } else {
    for (std::size_t i = j; i < k; i += 16) lane = lane + math::summand_of<S>(element(i), centre);
  }
  // lane[j] += lane[j + w] for j < w; the other lanes' sums are never read.
  for (unsigned w = 8; w >= 1; w /= 2) lane = lane + __shfl_down_sync(0xffffffffu, lane, w, 16);
  return lane;
}

/// vals[b] = the value of block first_block + b for b < m, of the n elements element(i); the
/// half-warps take the blocks in turn. Ends with the thread block synchronised.
template <math::summand S, class Acc, class Element>
__device__ void block_values(std::size_t first_block, std::size_t m, std::size_t n, Acc centre,
                             const Element& element, Acc* vals) {
  const std::size_t h = threadIdx.x / 16;
  for (std::size_t r = 0; r * half_warps < m; ++r) {  // the same trips for every thread
    const std::size_t b = r * half_warps + h;
    const std::size_t start = (first_block + b) * math::block_elements;
    const std::size_t k =
        b < m ? (n - start < math::block_elements ? n - start : math::block_elements) : 0;
    const Acc v = half_warp_block<S>(k, centre, [&](std::size_t i) { return element(start + i); });
    if (b < m && threadIdx.x % 16 == 0) vals[b] = v;
  }
  __syncthreads();
}

/// math::combine_in_place over vals[0, m), by every thread when m is a power of two (a perfect
/// tree, level by level), else by thread 0; every thread gets the value.
template <class Acc>
__device__ Acc block_tree(Acc* vals, std::size_t m) {
  if ((m & (m - 1)) == 0) {
    for (std::size_t w = 1; w < m; w *= 2) {
      for (std::size_t j = threadIdx.x * 2 * w; j < m; j += blockDim.x * 2 * w)
        vals[j] = vals[j] + vals[j + w];
      __syncthreads();
    }
  } else {
    if (threadIdx.x == 0) vals[0] = math::combine_in_place(vals, m);
    __syncthreads();
  }
  const Acc r = vals[0];
  __syncthreads();
  return r;
}

/// values[o * chunks + c] = chunk c of result o (summand S about centres[o], or +0 without).
template <math::summand S, class T>
__global__ void __launch_bounds__(block_threads)
    chunk_kernel(reduction_view<T> view, std::int64_t results, std::size_t n, std::size_t chunks,
                 const acc_d<T>* centres, acc_d<T>* values) {
  using Acc = acc_d<T>;
  refuse_flush_to_zero();
  __shared__ Acc vals[chunk_blocks_d];
  const std::size_t blocks = (n + math::block_elements - 1) / math::block_elements;
  const std::size_t units = static_cast<std::size_t>(results) * chunks;
  for (std::size_t u = blockIdx.x; u < units; u += gridDim.x) {
    const auto o = static_cast<std::int64_t>(u / chunks);
    const std::size_t first = (u % chunks) * chunk_blocks_d;
    const std::size_t m = blocks - first < chunk_blocks_d ? blocks - first : chunk_blocks_d;
    const T* b = view.base(o);
    const Acc centre = centres != nullptr ? centres[o] : Acc(0);
    block_values<S>(
        first, m, n, centre, [&](std::size_t i) { return to_acc<Acc>(view.at(b, i)); }, vals);
    const Acc v = block_tree(vals, m);
    if (threadIdx.x == 0) values[u] = v;
  }
}

/// For each result o: its chunks' values combined in the fixed tree, divided by divisor (1 for
/// a sum), the canonical NaN for a NaN, into out[o] as R.
template <class Acc, class R>
__global__ void __launch_bounds__(block_threads)
    finish_kernel(std::int64_t results, std::size_t chunks, Acc* values, Acc divisor, R* out) {
  for (std::int64_t o = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
       o < results; o += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
    const Acc s = math::combine_in_place(values + o * static_cast<std::int64_t>(chunks), chunks);
    if constexpr (std::is_integral<Acc>::value)
      out[o] = static_cast<R>(s);
    else
      out[o] = convert<R>(math::canonical_nan(math::div_rn(s, divisor)));
  }
}

/// y = ((x - mean) * scale) * w + b, each product rounded on its own, a NaN the canonical one.
template <class T, class Acc>
__device__ T norm_value(T x, Acc mean, Acc scale, const T* w, const T* b, std::size_t i) {
  Acc v = math::mul_rn(static_cast<Acc>(x) - mean, scale);
  if (w != nullptr) v = math::mul_rn(v, static_cast<Acc>(w[i]));
  if (b != nullptr) v = v + static_cast<Acc>(b[i]);
  return convert<T>(math::canonical_nan(v));
}

/// RMSNorm (centred false) or LayerNorm of rows of n <= fused_row_blocks * 256 contiguous
/// elements, a thread block per row: the statistics from the row's blocks in shared memory,
/// then the output.
template <class T>
__global__ void __launch_bounds__(block_threads)
    norm_rows_kernel(const T* x, T* y, std::int64_t rows, std::size_t n, bool centred, acc_d<T> eps,
                     const T* w, const T* b) {
  using Acc = acc_d<T>;
  refuse_flush_to_zero();
  __shared__ Acc vals[fused_row_blocks];
  const std::size_t m = (n + math::block_elements - 1) / math::block_elements;
  const Acc count = static_cast<Acc>(n);
  for (std::int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* xr = x + static_cast<std::size_t>(r) * n;
    const auto element = [&](std::size_t i) { return static_cast<Acc>(xr[i]); };
    Acc mean = 0, squares;
    if (centred) {
      block_values<math::summand::value>(0, m, n, Acc(0), element, vals);
      mean = math::div_rn(block_tree(vals, m), count);
      block_values<math::summand::centred_square>(0, m, n, mean, element, vals);
    } else {
      block_values<math::summand::square>(0, m, n, Acc(0), element, vals);
    }
    squares = block_tree(vals, m);
    const Acc scale = math::rsqrt(math::div_rn(squares, count) + eps);
    T* yr = y + static_cast<std::size_t>(r) * n;
    for (std::size_t i = threadIdx.x; i < n; i += blockDim.x)
      yr[i] = norm_value(xr[i], mean, scale, w, b, i);
  }
}

/// Rows longer than the fused kernel takes: the statistics in Acc per row (means may be null),
/// then this output over every element.
template <class T>
__global__ void __launch_bounds__(block_threads)
    norm_output_kernel(const T* x, T* y, std::size_t total, std::size_t n, const acc_d<T>* means,
                       const acc_d<T>* scales, const T* w, const T* b) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < total;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const std::size_t r = i / n;
    y[i] = norm_value(x[i], means != nullptr ? means[r] : acc_d<T>(0), scales[r], w, b, i % n);
  }
}

/// scales[r] = rsqrt(squares[r] / n + eps) for each row; squares come combined by finish.
template <class Acc>
__global__ void __launch_bounds__(block_threads)
    scale_kernel(std::int64_t rows, const Acc* mean_squares, Acc eps, Acc* scales) {
  for (std::int64_t r = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; r < rows;
       r += static_cast<std::int64_t>(gridDim.x) * blockDim.x)
    scales[r] = math::rsqrt(mean_squares[r] + eps);
}

inline unsigned rows_grid(std::int64_t work, unsigned per_block) {
  const std::int64_t g = (work + per_block - 1) / per_block;
  return static_cast<unsigned>(g < 1 ? 1 : (g > 65535 * 32 ? 65535 * 32 : g));
}

}  // namespace cuda_kernels

/// The device's view of a reduction layout (reduce.hpp) over x.
template <class T>
cuda_kernels::reduction_view<T> reduction_view_of(const char* op, const tensor<T, cuda_t>& x,
                                                  const reduction_layout& l) {
  using cuda_kernels::max_dims;
  if (l.kept_sizes.size() > static_cast<std::size_t>(max_dims) ||
      l.reduced_sizes.size() > static_cast<std::size_t>(max_dims))
    fail<shape_error>(op, "a CUDA reduction takes at most ", max_dims, " kept and ", max_dims,
                      " reduced dimensions, got a tensor of shape ", format_dims(x.shape()));
  cuda_kernels::reduction_view<T> view{};
  view.data = x.data();
  view.kept_dims = static_cast<int>(l.kept_sizes.size());
  view.reduced_dims = static_cast<int>(l.reduced_sizes.size());
  for (std::size_t d = 0; d < l.kept_sizes.size(); ++d) {
    view.kept_sizes[d] = l.kept_sizes[d];
    view.kept_strides[d] = l.kept_strides[d];
  }
  for (std::size_t d = 0; d < l.reduced_sizes.size(); ++d) {
    view.reduced_sizes[d] = l.reduced_sizes[d];
    view.reduced_strides[d] = l.reduced_strides[d];
  }
  view.run = reduced_run_is_contiguous(l);
  return view;
}

/// out[o] = (the fixed-order sum of result o's summands S about centres[o], or +0 without) /
/// divisor, as R, queued on the current stream of x's device (its guard held by the caller).
template <math::summand S, class T, class R>
void cuda_sums(const char* op, const tensor<T, cuda_t>& x, const reduction_layout& l,
               const cuda_kernels::acc_d<T>* centres, double divisor, R* out) {
  using namespace cuda_kernels;
  using Acc = acc_d<T>;
  const std::int64_t results = numel_of(l.kept_sizes);
  if (results == 0) return;
  const reduction_view<T> view = reduction_view_of(op, x, l);
  const auto n = static_cast<std::size_t>(l.reduced_count);
  const std::size_t chunks =
      ((n + math::block_elements - 1) / math::block_elements + chunk_blocks_d - 1) / chunk_blocks_d;
  const cudaStream_t stream = stream_for(op, x.device());
  const auto units = static_cast<std::size_t>(results) * chunks;
  // uint64 sums live in int64 storage (the signed type may alias the unsigned one).
  using Stored = std::conditional_t<std::is_integral<Acc>::value, std::int64_t, Acc>;
  tensor<Stored, cuda_t> stored = allocate_tensor_on<Stored>(
      op, {static_cast<std::int64_t>(units > 0 ? units : 1)}, x.device());
  Acc* const values = reinterpret_cast<Acc*>(stored.data());
  if (units > 0) {
    check_no_pending_error(op);
    chunk_kernel<S, T>
        <<<grid_for<chunk_kernel<S, T>>(op, units * block_threads, 1), block_threads, 0, stream>>>(
            view, results, n, chunks, centres, values);
    check_launch(op, "chunk_kernel");
  }
  check_no_pending_error(op);
  finish_kernel<<<rows_grid(results, block_threads), block_threads, 0, stream>>>(
      results, chunks, values, static_cast<Acc>(divisor), out);
  check_launch(op, "finish_kernel");
  device_engine<cuda_t>::record_uses(op, x, stored);
}

/// The device's side of sum (divisor 1), mean (n) and var (centred: the means first, then
/// the squares about them over `divisor`), into r (reduce.hpp).
template <class T, class R>
void cuda_reduce(const char* op, const tensor<T, cuda_t>& x, const reduction_layout& l,
                 bool centred, double divisor, tensor<R, cuda_t>& r) {
  using Acc = cuda_kernels::acc_d<T>;
  device_guard guard(op, x.device());
  if constexpr (is_floating_v<T>) {
    if (centred) {
      tensor<Acc, cuda_t> means = allocate_tensor_on<Acc>(op, {numel_of(l.kept_sizes)}, x.device());
      cuda_sums<math::summand::value>(
          op, x, l, nullptr, static_cast<double>(static_cast<Acc>(l.reduced_count)), means.data());
      cuda_sums<math::summand::centred_square>(op, x, l, means.data(), divisor, r.data());
      device_engine<cuda_t>::record_uses(op, means, r);
      return;
    }
  }
  { cuda_sums<math::summand::value>(op, x, l, nullptr, divisor, r.data()); }
  device_engine<cuda_t>::record_uses(op, r);
}

/// The device's side of rms_norm and layer_norm (norm.hpp): rows of n contiguous elements of x
/// into y (n >= 1); w and b device pointers or null.
template <class T>
void cuda_norm_rows(const char* op, const tensor<T, cuda_t>& x, tensor<T, cuda_t>& y,
                    std::int64_t rows, std::size_t n, bool centred, double eps, const T* w,
                    const T* b) {
  using namespace cuda_kernels;
  using Acc = acc_d<T>;
  device_guard guard(op, x.device());
  const cudaStream_t stream = stream_for(op, x.device());
  const std::size_t blocks = (n + math::block_elements - 1) / math::block_elements;
  if (blocks <= fused_row_blocks) {
    check_no_pending_error(op);
    norm_rows_kernel<T><<<rows_grid(rows, 1), block_threads, 0, stream>>>(
        x.data(), y.data(), rows, n, centred, static_cast<Acc>(eps), w, b);
    check_launch(op, "norm_rows_kernel");
    device_engine<cuda_t>::record_uses(op, x, y);
    return;
  }
  // Long rows: the reductions' kernels for each row's statistics, then the output.
  reduction_layout l;
  l.kept_sizes = {rows};
  l.kept_strides = {static_cast<std::int64_t>(n)};
  l.reduced_sizes = {static_cast<std::int64_t>(n)};
  l.reduced_strides = {1};
  l.reduced_count = static_cast<std::int64_t>(n);
  const double count = static_cast<double>(static_cast<Acc>(n));
  tensor<Acc, cuda_t> means, squares = allocate_tensor_on<Acc>(op, {rows}, x.device());
  if (centred) {
    means = allocate_tensor_on<Acc>(op, {rows}, x.device());
    cuda_sums<math::summand::value>(op, x, l, nullptr, count, means.data());
    cuda_sums<math::summand::centred_square>(op, x, l, means.data(), count, squares.data());
  } else {
    cuda_sums<math::summand::square>(op, x, l, nullptr, count, squares.data());
  }
  tensor<Acc, cuda_t> scales = allocate_tensor_on<Acc>(op, {rows}, x.device());
  check_no_pending_error(op);
  scale_kernel<<<rows_grid(rows, block_threads), block_threads, 0, stream>>>(
      rows, squares.data(), static_cast<Acc>(eps), scales.data());
  check_launch(op, "scale_kernel");
  const auto total = static_cast<std::size_t>(rows) * n;
  check_no_pending_error(op);
  norm_output_kernel<T>
      <<<grid_for<norm_output_kernel<T>>(op, total, 1), block_threads, 0, stream>>>(
          x.data(), y.data(), total, n, centred ? means.data() : nullptr, scales.data(), w, b);
  check_launch(op, "norm_output_kernel");
  device_engine<cuda_t>::record_uses(op, x, y, squares, scales);
  if (centred) device_engine<cuda_t>::record_uses(op, means);
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_HAS_CUDA

#endif  // RADICAND_CUDA_REDUCE_KERNELS_HPP
