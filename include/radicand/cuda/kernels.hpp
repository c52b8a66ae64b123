// radicand: the CUDA kernels and their launches. Contiguous buffers run with 16-byte vector loads
// and stores, several in flight per thread, with a scalar head and tail where the pointers are
// not 16-byte aligned; any other layout runs through one strided kernel over the collapsed
// dimensions, and the arithmetic operators through one binary kernel. Every launch is checked. The
// raw API rd::cuda::rsqrt / rd::cuda::sqrt is defined here. Used only in CUDA translation units.
#ifndef RADICAND_CUDA_KERNELS_HPP
#define RADICAND_CUDA_KERNELS_HPP

#include "../config.hpp"
#include "../dtype.hpp"
#include "../error.hpp"
#include "../iteration.hpp"
#include "../math/ops.hpp"
#include "../shape.hpp"
#include "runtime.hpp"

#if RADICAND_HAS_CUDA

#include <cuda_runtime.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace cuda_kernels {

constexpr unsigned block_threads = 256;
/// Vectors (or, on the strided path, elements) each thread loads before it computes: enough
/// requests in flight per SM to cover the memory latency.
constexpr unsigned loads_in_flight = 4;
/// Dimensions the strided kernel takes after collapsing (PyTorch's limit is 25; collapsing
/// leaves few in practice).
constexpr int max_dims = 16;

#if defined(__NVCC__) && !defined(RADICAND_ALLOW_FAST_MATH)
// nvcc's -ftz=true (which --use_fast_math implies) flushes float subnormals, and no macro says
// so; NVVM answers __nvvm_reflect("__CUDA_FTZ") while it compiles the kernels. A kernel compiled
// with flushing calls this function, which exists nowhere, so that ptxas (nvlink with -rdc)
// refuses the unit by its name.
extern "C" __device__ int __nvvm_reflect(const char*);
extern "C" __device__ void
radicand_needs_ftz_false__nvcc_ftz_true_and_use_fast_math_flush_subnormals__define_RADICAND_ALLOW_FAST_MATH_to_compile_anyway();
#endif

/// Refuses device code compiled to flush subnormals (see above); nothing at run time.
__device__ __forceinline__ void refuse_flush_to_zero() {
#if defined(__NVCC__) && !defined(RADICAND_ALLOW_FAST_MATH)
  if (__nvvm_reflect("__CUDA_FTZ") != 0)
    radicand_needs_ftz_false__nvcc_ftz_true_and_use_fast_math_flush_subnormals__define_RADICAND_ALLOW_FAST_MATH_to_compile_anyway();
#endif
}

/// 16 bytes of elements: a 128-bit load or store.
template <class T>
struct alignas(16) vec16 {
  T v[16 / sizeof(T)];
};

/// Converts, computes in R, converts back: out = U(fn(R(in))).
template <class Fn, class R, class U, class T>
__device__ __forceinline__ U apply_one(const Fn& fn, T x) {
  return convert<U>(fn(convert<R>(x)));
}

/// Contiguous in and out of one type: elements [0, head) and [tail, n) one per thread, the
/// nvec 16-byte vectors of out from out + head (16-byte aligned there) in tiles of
/// loads_in_flight vectors per thread. With InAligned, in + head is aligned too and is read in
/// vectors; else (x[1:] into a fresh result) element by element, the warp's loads still
/// coalesced. in == out is allowed: each element is read and written by the same thread.
template <class Fn, class T, bool InAligned>
__global__ void __launch_bounds__(block_threads)
    contiguous_kernel(const T* in, T* out, std::size_t head, std::size_t nvec, std::size_t tail,
                      std::size_t n) {
  refuse_flush_to_zero();
  constexpr unsigned lanes = 16 / sizeof(T);
  const Fn fn{};
  const std::size_t tid = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (tid < head) out[tid] = fn(in[tid]);
  if (tail + tid < n) out[tail + tid] = fn(in[tail + tid]);
  const T* body = in + head;
  auto* vout = reinterpret_cast<vec16<T>*>(out + head);
  const auto load = [body](std::size_t v) {
    if constexpr (InAligned) {
      return reinterpret_cast<const vec16<T>*>(body)[v];
    } else {
      vec16<T> r;
#pragma unroll
      for (unsigned j = 0; j < lanes; ++j) r.v[j] = body[v * lanes + j];
      return r;
    }
  };
  const std::size_t tile = static_cast<std::size_t>(blockDim.x) * loads_in_flight;
  const std::size_t grid_step = tile * gridDim.x;
  for (std::size_t base = blockIdx.x * tile + threadIdx.x; base < nvec; base += grid_step) {
    vec16<T> r[loads_in_flight];
    if (base + (loads_in_flight - 1) * blockDim.x < nvec) {  // a whole tile: no bounds checks
#pragma unroll
      for (unsigned k = 0; k < loads_in_flight; ++k) r[k] = load(base + k * blockDim.x);
#pragma unroll
      for (unsigned k = 0; k < loads_in_flight; ++k)
#pragma unroll
        for (unsigned j = 0; j < lanes; ++j) r[k].v[j] = fn(r[k].v[j]);
#pragma unroll
      for (unsigned k = 0; k < loads_in_flight; ++k) vout[base + k * blockDim.x] = r[k];
    } else {
#pragma unroll
      for (unsigned k = 0; k < loads_in_flight; ++k)
        if (base + k * blockDim.x < nvec) r[k] = load(base + k * blockDim.x);
#pragma unroll
      for (unsigned k = 0; k < loads_in_flight; ++k)
        if (base + k * blockDim.x < nvec) {
#pragma unroll
          for (unsigned j = 0; j < lanes; ++j) r[k].v[j] = fn(r[k].v[j]);
          vout[base + k * blockDim.x] = r[k];
        }
    }
  }
}

/// Sizes and element strides of a collapsed iteration space over K operands, outermost first;
/// operand 0 is the one written.
template <int K>
struct operand_layout {
  int dims;
  std::int64_t sizes[max_dims];
  std::int64_t strides[K][max_dims];
};
/// out (0) and in (1).
using strided_layout = operand_layout<2>;

/// Element offsets of linear index i (row-major over layout.sizes) in each operand. Index is
/// 32-bit when the element count allows, as 64-bit division is several times slower.
template <int K, class Index>
RADICAND_HOST_DEVICE inline void offsets_of(const operand_layout<K>& layout, Index i,
                                            std::int64_t (&off)[K]) {
  for (int k = 0; k < K; ++k) off[k] = 0;
  for (int d = layout.dims - 1; d > 0; --d) {
    const auto size = static_cast<Index>(layout.sizes[d]);
    const auto c = static_cast<std::int64_t>(i % size);
    i /= size;
    for (int k = 0; k < K; ++k) off[k] += c * layout.strides[k][d];
  }
  for (int k = 0; k < K; ++k) off[k] += static_cast<std::int64_t>(i) * layout.strides[k][0];
}

/// The walk the strided kernels share, over n elements of a collapsed layout: each thread takes
/// loads_in_flight elements of a tile (a block's threads side by side) and loads every one
/// (load(k, offsets)) before it computes and stores any (store(k, out offset)), so that several
/// loads are in flight; then the tile a grid's width on.
template <int K, class Index, class Load, class Store>
__device__ __forceinline__ void walk_tiles(const operand_layout<K>& layout, Index n, Load&& load,
                                           Store&& store) {
  const Index stride = static_cast<Index>(gridDim.x) * blockDim.x;
  for (Index first = static_cast<Index>(blockIdx.x) * blockDim.x * loads_in_flight + threadIdx.x;
       first < n; first += stride * loads_in_flight) {
    std::int64_t out_off[loads_in_flight];
#pragma unroll
    for (unsigned k = 0; k < loads_in_flight; ++k) {
      const Index i = first + k * blockDim.x;
      if (i < n) {
        std::int64_t off[K];
        offsets_of(layout, i, off);
        out_off[k] = off[0];
        load(k, off);
      }
    }
#pragma unroll
    for (unsigned k = 0; k < loads_in_flight; ++k)
      if (first + k * blockDim.x < n) store(k, out_off[k]);
  }
}

/// Any layout, any element types: out = U(fn(R(in))) for n elements.
template <class Fn, class R, class T, class U, class Index>
__global__ void __launch_bounds__(block_threads)
    strided_kernel(const T* in, U* out, strided_layout layout, Index n) {
  refuse_flush_to_zero();
  const Fn fn{};
  T x[loads_in_flight];
  walk_tiles(
      layout, n, [&](unsigned k, const std::int64_t(&off)[2]) { x[k] = in[off[1]]; },
      [&](unsigned k, std::int64_t o) { out[o] = apply_one<Fn, R, U>(fn, x[k]); });
}

/// An element of one side of a binary operation (binary_operand, shape.hpp): at offset off, or
/// the operand's one value.
template <class T>
__device__ __forceinline__ T load(const binary_operand<T>& o, std::int64_t off) {
  return o.p != nullptr ? o.p[off] : o.value;
}

/// out = R(f(C(a), C(b))) over a collapsed layout (out 0, a 1, b 2) of n elements.
template <class F, class C, class A, class B, class R, class Index>
__global__ void __launch_bounds__(block_threads)
    binary_kernel(binary_operand<A> a, binary_operand<B> b, R* out, operand_layout<3> layout,
                  Index n) {
  refuse_flush_to_zero();
  const F f{};
  A xa[loads_in_flight];
  B xb[loads_in_flight];
  walk_tiles(
      layout, n,
      [&](unsigned k, const std::int64_t(&off)[3]) {
        xa[k] = load(a, off[1]);
        xb[k] = load(b, off[2]);
      },
      [&](unsigned k, std::int64_t o) {
        out[o] = convert<R>(f(convert<C>(xa[k]), convert<C>(xb[k])));
      });
}

template <class T>
__global__ void __launch_bounds__(block_threads) fill_kernel(T* out, T value, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    out[i] = value;
}

/// The streaming multiprocessors of the current device, asked once per device.
inline int multiprocessors(const char* op) {
  static std::atomic<int> cache[cached_devices] = {};
  int device = 0;
  check_cuda(cudaGetDevice(&device), op, "cudaGetDevice");
  if (device >= 0 && device < cached_devices) {
    const int known = cache[device].load(std::memory_order_relaxed);
    if (known > 0) return known;
  }
  int sms = 0;
  check_cuda(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device), op,
             "cudaDeviceGetAttribute(cudaDevAttrMultiProcessorCount)");
  if (sms < 1) sms = 1;
  if (device >= 0 && device < cached_devices) cache[device].store(sms, std::memory_order_relaxed);
  return sms;
}

/// Blocks of Kernel that fit on one multiprocessor at once (its registers and block_threads
/// decide), asked once per kernel: the first device's answer serves every device, as a
/// different one only changes how many waves a launch takes, not its result.
template <auto Kernel>
int resident_blocks(const char* op) {
  static const int blocks = [op] {
    int b = 0;
    check_cuda(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&b, Kernel, block_threads, 0), op,
               "cudaOccupancyMaxActiveBlocksPerMultiprocessor");
    return b > 0 ? b : 1;
  }();
  return blocks;
}

/// Blocks of Kernel for `work` items of block_threads * per_thread each: one full wave of the
/// device at most (the kernels loop over the rest, so no partial last wave), at least 1.
template <auto Kernel>
unsigned grid_for(const char* op, std::size_t work, std::size_t per_thread) {
  const std::size_t per_block = block_threads * per_thread;
  const std::size_t wanted = (work + per_block - 1) / per_block;
  const std::size_t wave = static_cast<std::size_t>(multiprocessors(op)) *
                           static_cast<std::size_t>(resident_blocks<Kernel>(op));
  return static_cast<unsigned>(wanted == 0 ? 1 : (wanted < wave ? wanted : wave));
}

/// Refuses to launch while an error from earlier work is pending (the caller's own call or
/// launch, or an earlier kernel's fault): check_launch would otherwise report it as the
/// launch's own. The error is left for its owner's cudaGetLastError.
inline void check_no_pending_error(const char* op) {
  // A runtime that cannot work at all (no driver) keeps its error pending for good: that one
  // is reported as the failure of this call instead.
  int device = 0;
  check_cuda(cudaGetDevice(&device), op, "cudaGetDevice");
  const cudaError_t pending = cudaPeekAtLastError();
  if (pending == cudaSuccess) return;
  fail<device_error>(op, "an error from earlier CUDA work is pending, not this operation's (",
                     cudaGetErrorName(pending), ": ", cudaGetErrorString(pending),
                     "); nothing was launched, and cudaGetLastError() returns it");
}

/// Checks the launch just made (a bad configuration or an asynchronous failure it revealed);
/// check_no_pending_error ran before it, so the error is the launch's.
inline void check_launch(const char* op, const char* kernel) {
  check_cuda(cudaGetLastError(), op, kernel);
}

/// How n contiguous elements of elem_size bytes split into a scalar head, whole 16-byte vectors
/// from out + head (16-byte aligned there), and a scalar tail from `tail`; `in_aligned` says
/// whether in + head is aligned too (in and out share their alignment within 16 bytes).
struct vector_split {
  bool in_aligned;
  std::size_t head, nvec, tail;
};
inline vector_split split_for_vectors(const void* in, const void* out, std::size_t n,
                                      std::size_t elem_size) noexcept {
  const auto in_mis = reinterpret_cast<std::uintptr_t>(in) % 16;
  const auto out_mis = reinterpret_cast<std::uintptr_t>(out) % 16;
  const std::size_t lanes = 16 / elem_size;
  std::size_t head = out_mis == 0 ? 0 : (16 - out_mis) / elem_size;
  if (head > n) head = n;
  const std::size_t nvec = (n - head) / lanes;
  return {in_mis == out_mis, head, nvec, head + nvec * lanes};
}

/// Calls launch(Index{}) with the index type the kernels count n elements in: 32-bit where the
/// index and its steps stay below 2^32 (64-bit division is several times slower), else 64-bit.
template <class Launch>
void with_index_type(std::size_t n, Launch&& launch) {
  if (n < (std::size_t{1} << 31))
    launch(std::uint32_t{});
  else
    launch(std::uint64_t{});
}

/// out = U(fn(R(in))) over a collapsed layout of n elements, on the stream.
template <class Fn, class R, class T, class U>
void launch_strided(const char* op, const T* in, U* out, const strided_layout& layout,
                    std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  check_no_pending_error(op);
  with_index_type(n, [&](auto index) {
    using Index = decltype(index);
    constexpr auto kernel = &strided_kernel<Fn, R, T, U, Index>;
    kernel<<<grid_for<kernel>(op, n, loads_in_flight), block_threads, 0, stream>>>(
        in, out, layout, static_cast<Index>(n));
  });
  check_launch(op, "strided_kernel launch");
}

/// out[i] = fn(in[i]) for i < n on the stream (in and out element-aligned, as typed pointers
/// are), stored in 16-byte vectors, read in them where in shares out's alignment within 16
/// bytes.
template <class Fn, class T>
void launch_contiguous(const char* op, const T* in, T* out, std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  const vector_split split = split_for_vectors(in, out, n, sizeof(T));
  check_no_pending_error(op);
  const auto launch = [&](auto kernel) {
    // The head and tail (under 16 bytes each) ride on the first threads.
    const unsigned grid =
        grid_for<decltype(kernel)::value>(op, split.nvec > 0 ? split.nvec : 1, loads_in_flight);
    decltype(kernel)::value<<<grid, block_threads, 0, stream>>>(in, out, split.head, split.nvec,
                                                                split.tail, n);
  };
  if (split.in_aligned)
    launch(std::integral_constant<decltype(&contiguous_kernel<Fn, T, true>),
                                  &contiguous_kernel<Fn, T, true>>{});
  else
    launch(std::integral_constant<decltype(&contiguous_kernel<Fn, T, false>),
                                  &contiguous_kernel<Fn, T, false>>{});
  check_launch(op, "contiguous_kernel launch");
}

/// out = R(f(C(a), C(b))) over a collapsed layout of n elements, on the stream.
template <class F, class C, class A, class B, class R>
void launch_binary(const char* op, binary_operand<A> a, binary_operand<B> b, R* out,
                   const operand_layout<3>& layout, std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  check_no_pending_error(op);
  with_index_type(n, [&](auto index) {
    using Index = decltype(index);
    constexpr auto kernel = &binary_kernel<F, C, A, B, R, Index>;
    kernel<<<grid_for<kernel>(op, n, loads_in_flight), block_threads, 0, stream>>>(
        a, b, out, layout, static_cast<Index>(n));
  });
  check_launch(op, "binary_kernel launch");
}

template <class T>
void launch_fill(const char* op, T* out, T value, std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  check_no_pending_error(op);
  constexpr auto kernel = &fill_kernel<T>;
  kernel<<<grid_for<kernel>(op, n, 4), block_threads, 0, stream>>>(out, value, n);
  check_launch(op, "fill_kernel launch");
}

}  // namespace cuda_kernels
}  // namespace detail

template <class T>
void cuda::rsqrt(const T* in, T* out, std::size_t n, cudaStream_t stream) {
  static_assert(is_floating_element<T>::value,
                "radicand::cuda::rsqrt: T must be float, double, rd::half or rd::bfloat16");
  detail::cuda_kernels::launch_contiguous<detail::math::rsqrt_op>("cuda::rsqrt", in, out, n,
                                                                  stream);
}

template <class T>
void cuda::sqrt(const T* in, T* out, std::size_t n, cudaStream_t stream) {
  static_assert(is_floating_element<T>::value,
                "radicand::cuda::sqrt: T must be float, double, rd::half or rd::bfloat16");
  detail::cuda_kernels::launch_contiguous<detail::math::sqrt_op>("cuda::sqrt", in, out, n, stream);
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_HAS_CUDA
#endif  // RADICAND_CUDA_KERNELS_HPP
