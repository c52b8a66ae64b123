// radicand: stream-ordered device memory (cudaMallocAsync / cudaFreeAsync on the current stream)
// and the copies between host and device. Used only in CUDA translation units.
#ifndef RADICAND_CUDA_MEMORY_HPP
#define RADICAND_CUDA_MEMORY_HPP

#include "../config.hpp"
#include "../error.hpp"
#include "runtime.hpp"

#if RADICAND_HAS_CUDA

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <memory>

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// Frees on the stream current when the last handle goes (stream-ordered after the work queued
/// there; the legacy default stream also waits for every blocking stream). Never throws: at exit
/// the runtime may be gone already.
struct device_deleter {
  int device;
  void operator()(void* p) const noexcept {
    if (p == nullptr) return;
    int current = -1;
    const bool switched = cudaGetDevice(&current) == cudaSuccess && current != device &&
                          cudaSetDevice(device) == cudaSuccess;
    if (cudaFreeAsync(p, current_stream_slot()) != cudaSuccess) (void)cudaGetLastError();
    if (switched) (void)cudaSetDevice(current);
  }
};

/// n elements of T on device d, uninitialised, allocated in order on the current stream.
template <class T>
std::shared_ptr<T> allocate_device(const char* op, std::int64_t n, cuda_t d) {
  if (n < 0 || static_cast<std::uint64_t>(n) > SIZE_MAX / sizeof(T))
    fail<shape_error>(op, "cannot allocate ", n, " elements");
  const std::size_t bytes = static_cast<std::size_t>(n == 0 ? 1 : n) * sizeof(T);
  device_guard guard(op, d);
  void* p = nullptr;
  const cudaError_t status = cudaMallocAsync(&p, bytes, current_stream_slot());
  if (status != cudaSuccess) {
    (void)cudaGetLastError();
    if (status == cudaErrorMemoryAllocation)
      fail<memory_error>(op, "cannot allocate ", bytes, " bytes on ", device_string(d), ": ",
                         cuda_failure(status, "cudaMallocAsync"));
    fail<device_error>(
        op, cuda_failure(status, "cudaMallocAsync of ", bytes, " bytes on ", device_string(d)));
  }
  return std::shared_ptr<T>(static_cast<T*>(p), device_deleter{d.index});
}

/// Copies bytes between host and device (or device and device) on the current stream.
inline void copy_async(const char* op, void* dst, const void* src, std::size_t bytes,
                       cudaMemcpyKind kind) {
  if (bytes == 0) return;
  check_cuda(cudaMemcpyAsync(dst, src, bytes, kind, current_stream_slot()), op, "cudaMemcpyAsync");
}

/// Waits for the current stream (what cpu(), item() and printing do before reading).
inline void synchronize_current(const char* op) {
  check_cuda(cudaStreamSynchronize(current_stream_slot()), op, "cudaStreamSynchronize");
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_HAS_CUDA
#endif  // RADICAND_CUDA_MEMORY_HPP
