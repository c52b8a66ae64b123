// radicand CUDA benchmarks: rsqrt and sqrt for float, half, bfloat16 and double, 2^12..2^28
// elements, through the raw kernel (rd::cuda::rsqrt), the tensor out form (rd::rsqrt(x, out)),
// the tensor function (a new tensor from the stream-ordered pool) and in place, beside the
// bandwidth peers in the same binary: a device-to-device cudaMemcpyAsync of the same bytes, a
// 16-byte vectorised copy kernel, and cub::DeviceTransform::Transform doing the CUDA math
// library's rsqrt/sqrt (not correctly rounded: the speed to match, not the answer).
//
// Timed with CUDA events around each launch (manual time). Every iteration works on a fresh
// window of a pool of at least four times the L2 cache, so inputs come from memory, not L2.
// Names: "<op>/<dtype>/<form>/<impl>/<n>", op rsqrt, sqrt or copy; form out, oop or inplace.
#include <benchmark/benchmark.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <cub/device/device_transform.cuh>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <radicand/radicand.hpp>

#include "inputs.hpp"

namespace {

namespace rd = radicand;
using rbench::dtype_name;

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    std::fprintf(stderr, "cuda_bench: %s failed: %s\n", what, cudaGetErrorString(status));
    std::exit(1);
  }
}

std::size_t l2_bytes() {
  int device = 0, l2 = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  check(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device), "cudaDeviceGetAttribute");
  return static_cast<std::size_t>(l2);
}

/// A pool of windows of `bytes` each (in and out side by side), at least four times the L2 in
/// all, filled with positive inputs; window(i) is the i-th, round robin.
template <class T>
class window_pool {
 public:
  explicit window_pool(std::size_t n) : n_(n) {
    const std::size_t window = 2 * n * sizeof(T);
    const std::size_t want = 4 * l2_bytes();
    count_ = want / window + 1;
    check(cudaMalloc(&base_, count_ * window), "cudaMalloc");
    const std::vector<T>& pattern = rbench::input_pattern<T>();  // the CPU benchmarks' inputs
    std::vector<T> host(2 * n);
    for (std::size_t i = 0; i < host.size(); ++i) host[i] = pattern[i % pattern.size()];
    for (std::size_t w = 0; w < count_; ++w)
      check(cudaMemcpy(base_ + w * 2 * n, host.data(), window, cudaMemcpyHostToDevice),
            "cudaMemcpy");
  }
  window_pool(const window_pool&) = delete;
  window_pool& operator=(const window_pool&) = delete;
  ~window_pool() { cudaFree(base_); }
  T* in(std::size_t i) const { return base_ + (i % count_) * 2 * n_; }
  T* out(std::size_t i) const { return in(i) + n_; }

 private:
  std::size_t n_;
  std::size_t count_ = 1;
  T* base_ = nullptr;
};

/// Times f(in, out) per iteration with CUDA events on the default stream.
template <class T, class F>
void timed(benchmark::State& state, std::size_t n, F&& f) {
  window_pool<T> pool(n);
  cudaEvent_t start, stop;
  check(cudaEventCreate(&start), "cudaEventCreate");
  check(cudaEventCreate(&stop), "cudaEventCreate");
  f(pool.in(0), pool.out(0));  // warm up: first-launch costs, the memory pool
  check(cudaDeviceSynchronize(), "warm-up");
  std::size_t i = 1;
  for (auto _ : state) {
    check(cudaEventRecord(start, nullptr), "cudaEventRecord");
    f(pool.in(i), pool.out(i));
    check(cudaEventRecord(stop, nullptr), "cudaEventRecord");
    check(cudaEventSynchronize(stop), "cudaEventSynchronize");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    state.SetIterationTime(static_cast<double>(ms) * 1e-3);
    ++i;
  }
  check(cudaGetLastError(), "the benchmarked call");
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  const auto bytes = static_cast<std::int64_t>(2 * n * sizeof(T));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(n));
  state.counters["ns_per_element"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate |
                                                     benchmark::Counter::kInvert);
}

// ---- the peers ------------------------------------------------------------------------------

/// 32 blocks of 256 threads per SM: enough to fill the device, as radicand's kernels launch.
std::size_t max_blocks() {
  int device = 0, sms = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device),
        "cudaDeviceGetAttribute");
  return static_cast<std::size_t>(sms) * 32;
}

/// A 16-byte vectorised copy: the bandwidth a streaming element-wise kernel can reach.
__global__ void copy_vec16(const uint4* in, uint4* out, std::size_t nvec) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < nvec;
       i += stride)
    out[i] = in[i];
}

struct cub_rsqrt {
  __device__ float operator()(float x) const { return rsqrtf(x); }
  __device__ double operator()(double x) const { return ::rsqrt(x); }
};
struct cub_sqrt {
  __device__ float operator()(float x) const { return sqrtf(x); }
  __device__ double operator()(double x) const { return ::sqrt(x); }
};

enum class op { rsqrt, sqrt };
const char* op_name(op o) { return o == op::rsqrt ? "rsqrt" : "sqrt"; }

std::vector<std::size_t> sizes() {
  std::vector<std::size_t> s;
  for (int e = 12; e <= 28; e += 2) s.push_back(std::size_t{1} << e);
  return s;
}

std::string name(const char* o, const char* dtype, const char* form, const char* impl,
                 std::size_t n) {
  return std::string(o) + "/" + dtype + "/" + form + "/" + impl + "/" + std::to_string(n);
}

template <class F>
void add(const std::string& n, F&& f) {
  benchmark::RegisterBenchmark(n.c_str(), std::forward<F>(f))
      ->UseManualTime()
      ->Unit(benchmark::kMicrosecond);
}

template <class T>
void register_type() {
  const char* dt = dtype_name<T>::value;
  for (std::size_t n : sizes()) {
    for (op o : {op::rsqrt, op::sqrt}) {
      add(name(op_name(o), dt, "out", "radicand_raw", n), [o, n](benchmark::State& s) {
        timed<T>(s, n, [o, n](T* in, T* out) {
          if (o == op::rsqrt)
            rd::cuda::rsqrt(in, out, n);
          else
            rd::cuda::sqrt(in, out, n);
        });
      });
      add(name(op_name(o), dt, "out", "radicand", n), [o, n](benchmark::State& s) {
        timed<T>(s, n, [o, n](T* in, T* out) {
          const auto x = rd::from_blob(in, {static_cast<std::int64_t>(n)}, rd::cuda);
          auto y = rd::from_blob(out, {static_cast<std::int64_t>(n)}, rd::cuda);
          if (o == op::rsqrt)
            rd::rsqrt(x, y);
          else
            rd::sqrt(x, y);
        });
      });
      add(name(op_name(o), dt, "oop", "radicand", n), [o, n](benchmark::State& s) {
        timed<T>(s, n, [o, n](T* in, T*) {
          const auto x = rd::from_blob(in, {static_cast<std::int64_t>(n)}, rd::cuda);
          const auto r = o == op::rsqrt ? rd::rsqrt(x) : rd::sqrt(x);
          benchmark::DoNotOptimize(r.data());
        });
      });
      add(name(op_name(o), dt, "inplace", "radicand", n), [o, n](benchmark::State& s) {
        timed<T>(s, n, [o, n](T* in, T*) {
          auto x = rd::from_blob(in, {static_cast<std::int64_t>(n)}, rd::cuda);
          if (o == op::rsqrt)
            x.rsqrt_();
          else
            x.sqrt_();
        });
      });
      if constexpr (std::is_same<T, float>::value || std::is_same<T, double>::value) {
        add(name(op_name(o), dt, "out", "cub_transform", n), [o, n](benchmark::State& s) {
          timed<T>(s, n, [o, n](T* in, T* out) {
            const cudaError_t status =
                o == op::rsqrt ? cub::DeviceTransform::Transform(in, out, n, cub_rsqrt{})
                               : cub::DeviceTransform::Transform(in, out, n, cub_sqrt{});
            check(status, "cub::DeviceTransform::Transform");
          });
        });
      }
    }
    add(name("copy", dt, "out", "cudaMemcpyAsync", n), [n](benchmark::State& s) {
      timed<T>(s, n, [n](T* in, T* out) {
        check(cudaMemcpyAsync(out, in, n * sizeof(T), cudaMemcpyDeviceToDevice, nullptr),
              "cudaMemcpyAsync");
      });
    });
    add(name("copy", dt, "out", "copy_kernel", n), [n](benchmark::State& s) {
      timed<T>(s, n, [n](T* in, T* out) {
        const std::size_t nvec = n * sizeof(T) / 16;
        const unsigned blocks =
            static_cast<unsigned>(std::min<std::size_t>((nvec + 255) / 256, max_blocks()));
        copy_vec16<<<blocks, 256>>>(reinterpret_cast<const uint4*>(in),
                                    reinterpret_cast<uint4*>(out), nvec);
      });
    });
  }
}

void add_context() {
  int device = 0, driver = 0, runtime = 0;
  cudaDeviceProp prop{};
  check(cudaGetDevice(&device), "cudaGetDevice");
  check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  benchmark::AddCustomContext("gpu", prop.name);
  benchmark::AddCustomContext("gpu_sm", std::to_string(prop.major) + std::to_string(prop.minor));
  benchmark::AddCustomContext("gpu_multiprocessors", std::to_string(prop.multiProcessorCount));
  benchmark::AddCustomContext("gpu_l2_bytes", std::to_string(prop.l2CacheSize));
  benchmark::AddCustomContext("gpu_memory_bytes", std::to_string(prop.totalGlobalMem));
  benchmark::AddCustomContext("cuda_driver", std::to_string(driver));
  benchmark::AddCustomContext("cuda_runtime", std::to_string(runtime));
  benchmark::AddCustomContext("radicand", rd::version());
}

}  // namespace

int main(int argc, char** argv) {
  if (rd::cuda::device_count() == 0) {
    std::fprintf(stderr, "cuda_bench: no CUDA device\n");
    return 77;
  }
  add_context();
  register_type<float>();
  register_type<rd::half>();
  register_type<rd::bfloat16>();
  register_type<double>();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
