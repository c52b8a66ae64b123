// radicand: stream-ordered device memory (cudaMallocAsync / cudaFreeAsync on the current stream)
// and the copies between host and device. Used only in CUDA translation units.
#ifndef RADICAND_CUDA_MEMORY_HPP
#define RADICAND_CUDA_MEMORY_HPP

#include "../config.hpp"
#include "../error.hpp"
#include "runtime.hpp"

#if RADICAND_HAS_CUDA

#include <cuda_runtime.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// A stream's identity: its id, unique for the program's life (cudaStreamPerThread resolves to
/// the calling thread's stream of the current device), or its handle before CUDA 12.
inline unsigned long long stream_key(cudaStream_t stream) noexcept {
#if CUDART_VERSION >= 12000
  unsigned long long id = 0;
  if (cudaStreamGetId(stream, &id) == cudaSuccess) return id;
  (void)cudaGetLastError();
#endif
  return static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(stream));
}

/// The streams other than the legacy default stream that a storage was used on, each with an
/// event recorded after its last use there (PyTorch's record_stream, done for every use): the
/// free waits for them, so that no stream still reads or writes a block the pool hands out
/// again. Events, not the streams, are kept, as a stream may be destroyed before the storage.
struct stream_uses {
  std::mutex lock;
  std::vector<std::pair<unsigned long long, cudaEvent_t>> events;  // by stream_key
  std::atomic<bool> on_legacy{false};  // used on the legacy default stream
};

/// Frees on the stream current when the last handle goes (the device's legacy default stream
/// when the current one is another device's), after every stream the storage was used on.
/// Never throws: at exit the runtime may be gone already, and then nothing is freed. The
/// errors of the calls it makes are taken off the last-error slot (unless the caller's was
/// there), where a later launch would find them (kernels.hpp, check_no_pending_error).
struct device_deleter {
  int device;
  std::shared_ptr<stream_uses> uses;

  void operator()(void* p) const noexcept {
    if (p == nullptr || uses == nullptr) return;
    const bool caller_error_pending = cudaPeekAtLastError() != cudaSuccess;
    int current = -1;
    const bool switched = cudaGetDevice(&current) == cudaSuccess && current != device &&
                          cudaSetDevice(device) == cudaSuccess;
    cudaStream_t stream = current_stream_slot();
    if (stream == nullptr) stream = cudaStreamLegacy;
#if CUDART_VERSION >= 12080
    int owner = -1;
    if (stream != cudaStreamLegacy && stream != cudaStreamPerThread &&
        (cudaStreamGetDevice(stream, &owner) != cudaSuccess || owner != device))
      stream = cudaStreamLegacy;
#endif
    bool ordered = true;
    for (const auto& use : uses->events) {
      ordered = ordered && cudaStreamWaitEvent(stream, use.second, 0) == cudaSuccess;
      (void)cudaEventDestroy(use.second);
    }
    if (uses->on_legacy.load(std::memory_order_relaxed) && stream != cudaStreamLegacy)
      ordered = ordered && wait_for_legacy(stream);
    // Where an event could not order the free, the device's whole queue does.
    if (!ordered) (void)cudaDeviceSynchronize();
    (void)cudaFreeAsync(p, stream);
    if (switched) (void)cudaSetDevice(current);
    if (!caller_error_pending) (void)cudaGetLastError();
  }

 private:
  static bool wait_for_legacy(cudaStream_t stream) noexcept {
    cudaEvent_t done = nullptr;
    if (cudaEventCreateWithFlags(&done, cudaEventDisableTiming) != cudaSuccess) return false;
    const bool ok = cudaEventRecord(done, cudaStreamLegacy) == cudaSuccess &&
                    cudaStreamWaitEvent(stream, done, 0) == cudaSuccess;
    (void)cudaEventDestroy(done);
    return ok;
  }
};

/// Notes that the storage `owner` keeps alive was just used on the current stream, so that its
/// free waits for that use. Nothing for memory radicand did not allocate (a caller's, through
/// from_blob), for a stream of another device (a host read there, already waited for), or for
/// a stream being captured into a graph (whose own allocation rules apply); for the legacy
/// default stream only a flag, as the free is ordered after it by one event.
inline void record_stream_use(const char* op, const std::shared_ptr<void>& owner) {
  const cudaStream_t stream = current_stream_slot();
  device_deleter* deleter = std::get_deleter<device_deleter>(owner);
  if (deleter == nullptr) return;
  stream_uses& uses = *deleter->uses;
  if (stream == nullptr || stream == cudaStreamLegacy) {
    if (!uses.on_legacy.load(std::memory_order_relaxed))
      uses.on_legacy.store(true, std::memory_order_relaxed);
    return;
  }
  const cuda_t d{deleter->device};
  const int stream_owner = stream_device(op, stream);
  if (stream_owner >= 0 && stream_owner != d.index) return;
  device_guard guard(op, d);  // an event belongs to the current device, as cudaStreamPerThread
  cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
  check_cuda(cudaStreamIsCapturing(stream, &capture), op, "cudaStreamIsCapturing");
  if (capture != cudaStreamCaptureStatusNone) return;
  const unsigned long long key = stream_key(stream);
  const std::lock_guard<std::mutex> hold(uses.lock);
  for (const auto& use : uses.events)
    if (use.first == key) {
      check_cuda(cudaEventRecord(use.second, stream), op, "cudaEventRecord");
      return;
    }
  uses.events.reserve(uses.events.size() + 1);
  cudaEvent_t event = nullptr;
  check_cuda(cudaEventCreateWithFlags(&event, cudaEventDisableTiming), op,
             "cudaEventCreateWithFlags");
  const cudaError_t status = cudaEventRecord(event, stream);
  if (status != cudaSuccess) (void)cudaEventDestroy(event);
  check_cuda(status, op, "cudaEventRecord");
  uses.events.emplace_back(key, event);
}

/// Keeps what the device's current pool (the one cudaMallocAsync takes from) holds when a
/// stream synchronises: the default threshold, 0, returns it all to the driver, and the next
/// allocation maps it again. Set once per device, for every user of that pool.
inline void keep_pool_memory(const char* op, cuda_t d) {
  static std::atomic<bool> done[cached_devices] = {};
  if (d.index >= 0 && d.index < cached_devices && done[d.index].load(std::memory_order_acquire))
    return;
  cudaMemPool_t pool = nullptr;
  check_cuda(cudaDeviceGetMemPool(&pool, d.index), op, "cudaDeviceGetMemPool");
  std::uint64_t keep_all = UINT64_MAX;
  check_cuda(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep_all), op,
             "cudaMemPoolSetAttribute(cudaMemPoolAttrReleaseThreshold)");
  if (d.index >= 0 && d.index < cached_devices)
    done[d.index].store(true, std::memory_order_release);
}

/// n elements of T on device d, uninitialised, allocated in order on the current stream, which
/// must be d's (stream_for).
template <class T>
std::shared_ptr<T> allocate_device(const char* op, std::int64_t n, cuda_t d) {
  if (n < 0 || static_cast<std::uint64_t>(n) > SIZE_MAX / sizeof(T))
    fail<shape_error>(op, "cannot allocate ", n, " elements");
  const std::size_t bytes = static_cast<std::size_t>(n == 0 ? 1 : n) * sizeof(T);
  device_guard guard(op, d);
  const cudaStream_t stream = stream_for(op, d);
  keep_pool_memory(op, d);
  auto uses = std::make_shared<stream_uses>();
  void* p = nullptr;
  const cudaError_t status = cudaMallocAsync(&p, bytes, stream);
  if (status != cudaSuccess) {
    (void)cudaGetLastError();
    if (status == cudaErrorMemoryAllocation)
      fail<memory_error>(op, "cannot allocate ", bytes, " bytes on ", device_string(d), ": ",
                         cuda_failure(status, "cudaMallocAsync"));
    fail<device_error>(
        op, cuda_failure(status, "cudaMallocAsync of ", bytes, " bytes on ", device_string(d)));
  }
  std::shared_ptr<T> storage(static_cast<T*>(p), device_deleter{d.index, std::move(uses)});
  record_stream_use(op, storage);
  return storage;
}

/// Copies bytes between host and device (or device and device) on `stream`.
inline void copy_async(const char* op, void* dst, const void* src, std::size_t bytes,
                       cudaMemcpyKind kind, cudaStream_t stream) {
  if (bytes == 0) return;
  check_cuda(cudaMemcpyAsync(dst, src, bytes, kind, stream), op, "cudaMemcpyAsync");
}

/// Waits for `stream` (what cpu(), item() and printing do before reading).
inline void synchronize_stream(const char* op, cudaStream_t stream) {
  check_cuda(cudaStreamSynchronize(stream), op, "cudaStreamSynchronize");
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_HAS_CUDA
#endif  // RADICAND_CUDA_MEMORY_HPP
