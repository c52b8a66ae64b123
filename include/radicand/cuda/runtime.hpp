// radicand: the CUDA device type, error checking, the current device and the current stream.
// Used only in CUDA translation units (RADICAND_HAS_CUDA).
#ifndef RADICAND_CUDA_RUNTIME_HPP
#define RADICAND_CUDA_RUNTIME_HPP

#include "../config.hpp"
#include "../error.hpp"

#if RADICAND_HAS_CUDA

#include <cuda_runtime.h>

#include <cstddef>
#include <sstream>
#include <string>

RADICAND_SHARED_NAMESPACE_BEGIN
namespace shared {
/// Each thread's current stream, one for the whole program whatever each unit's flags
/// (config.hpp).
inline thread_local cudaStream_t current_stream_of_thread = nullptr;
}  // namespace shared
RADICAND_SHARED_NAMESPACE_END

RADICAND_NAMESPACE_BEGIN

/// A CUDA device, by index (cuda:0, cuda:1, ...). `rd::cuda` is cuda:0.
struct cuda_t {
  int index = 0;
  constexpr cuda_t() = default;
  constexpr explicit cuda_t(int i) : index(i) {}
  friend constexpr bool operator==(cuda_t a, cuda_t b) { return a.index == b.index; }
  friend constexpr bool operator!=(cuda_t a, cuda_t b) { return a.index != b.index; }
};

/// "cuda:0": the name printing uses (found by argument-dependent lookup).
inline std::string device_string(cuda_t d) { return "cuda:" + std::to_string(d.index); }

namespace detail {

/// "<call> failed: <CUDA's error string> (<the error's name>)", the call given in parts as
/// fail() takes them: how every message about a failed CUDA call ends.
template <class... Call>
std::string cuda_failure(cudaError_t status, const Call&... call) {
  std::ostringstream os;
  append_all(os, call..., " failed: ", cudaGetErrorString(status), " (", cudaGetErrorName(status),
             ")");
  return os.str();
}

/// Throws device_error naming the operation, the CUDA call and CUDA's error string. The error is
/// also taken off the runtime's last-error slot, so that a later, unrelated check does not see it.
inline void check_cuda(cudaError_t status, const char* op, const char* call) {
  if (status == cudaSuccess) return;
  (void)cudaGetLastError();
  fail<device_error>(op, cuda_failure(status, call));
}

/// Devices whose facts (SM count, pool set up) are cached, by index; the rest are asked again.
constexpr int cached_devices = 64;

/// The stream the calling thread's operations run on (0, the legacy default stream, unless a
/// stream_guard is alive).
inline cudaStream_t& current_stream_slot() noexcept { return shared::current_stream_of_thread; }

/// The device a stream belongs to; -1 for the legacy and per-thread default streams, which
/// belong to whichever device is current, and where the runtime cannot say (before CUDA 12.8).
inline int stream_device(const char* op, cudaStream_t stream) {
  if (stream == nullptr || stream == cudaStreamLegacy || stream == cudaStreamPerThread) return -1;
#if CUDART_VERSION >= 12080
  int device = -1;
  check_cuda(cudaStreamGetDevice(stream, &device), op, "cudaStreamGetDevice");
  return device;
#else
  (void)op;
  return -1;
#endif
}

/// The calling thread's current stream, for work on device d (current): refused when it
/// belongs to another device, where an allocation would land on the wrong GPU and a launch
/// would fail.
inline cudaStream_t stream_for(const char* op, cuda_t d) {
  const cudaStream_t stream = current_stream_slot();
  const int owner = stream_device(op, stream);
  if (owner >= 0 && owner != d.index)
    fail<device_error>(op, "the current stream (stream_guard) belongs to cuda:", owner,
                       ", the tensor to ", device_string(d),
                       "; guard a stream of that device, or none");
  return stream;
}

/// Makes a device current for a scope, restoring the previous one after.
class device_guard {
 public:
  device_guard(const char* op, cuda_t d) {
    int current = 0;
    check_cuda(cudaGetDevice(&current), op, "cudaGetDevice");
    if (current != d.index) {
      check_cuda(cudaSetDevice(d.index), op, "cudaSetDevice");
      previous_ = current;
    }
  }
  device_guard(const device_guard&) = delete;
  device_guard& operator=(const device_guard&) = delete;
  ~device_guard() {
    if (previous_ >= 0 && cudaSetDevice(previous_) != cudaSuccess) (void)cudaGetLastError();
  }

 private:
  int previous_ = -1;
};

}  // namespace detail

/// cuda:0. Declared before the class of the same name: nvcc's front end refuses the other order
/// inside an inline namespace.
inline constexpr cuda_t cuda{0};

/// The CUDA API beside the device value: `rd::cuda` is cuda:0 where a value is expected, and the
/// scope of these members in `rd::cuda::current_stream()`, `rd::cuda::stream_guard`,
/// `rd::cuda::rsqrt(in, out, n, stream)` (a class, so that both can share the name).
struct cuda {
  cuda() = delete;

  /// The stream the calling thread's tensor operations are queued on.
  static cudaStream_t current_stream() noexcept { return detail::current_stream_slot(); }

  /// Makes `stream` the current stream of the calling thread for the guard's lifetime. The
  /// stream must belong to the device of the tensors it is used with.
  class stream_guard {
   public:
    explicit stream_guard(cudaStream_t stream) noexcept : previous_(detail::current_stream_slot()) {
      detail::current_stream_slot() = stream;
    }
    stream_guard(const stream_guard&) = delete;
    stream_guard& operator=(const stream_guard&) = delete;
    ~stream_guard() { detail::current_stream_slot() = previous_; }

   private:
    cudaStream_t previous_;
  };

  /// Number of CUDA devices (0 when there is no GPU or no driver).
  static int device_count() noexcept {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
      (void)cudaGetLastError();
      return 0;
    }
    return n;
  }

  /// Waits for the current stream.
  static void synchronize() {
    detail::check_cuda(cudaStreamSynchronize(current_stream()), "cuda::synchronize",
                       "cudaStreamSynchronize");
  }

  // The raw kernels on device pointers (cuda/kernels.hpp).
  template <class T>
  static void rsqrt(const T* in, T* out, std::size_t n, cudaStream_t stream = nullptr);
  template <class T>
  static void sqrt(const T* in, T* out, std::size_t n, cudaStream_t stream = nullptr);
};

RADICAND_NAMESPACE_END

#endif  // RADICAND_HAS_CUDA
#endif  // RADICAND_CUDA_RUNTIME_HPP
