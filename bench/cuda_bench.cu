// radicand CUDA benchmarks: rsqrt and sqrt for float, half, bfloat16 and double, 2^12..2^28
// elements, through the raw kernel (rd::cuda::rsqrt), the tensor out form (rd::rsqrt(x, out)),
// the tensor function (a new tensor from the stream-ordered pool) and in place; rms_norm and
// layer_norm of [8192, 8192] (new tensors); beside the bandwidth peers in the same binary: a
// device-to-device cudaMemcpyAsync of the same bytes, a 16-byte vectorised copy kernel, and
// cub::DeviceTransform::Transform doing the CUDA math library's rsqrt/sqrt (not correctly rounded:
// the speed to match, not the answer) and, for float rsqrt, __frsqrt_rn (correctly rounded: the
// exact peer).
//
// Timed with CUDA events around each launch (manual time). Every iteration works on a fresh
// window of a pool of at least four times the L2 cache, so inputs come from memory, not L2.
// Each (type, size) pool is allocated and filled on the device once and kept for every call
// Google Benchmark makes; an in-place benchmark's inputs are filled again before its next call.
// Names: "<op>/<dtype>/<form>/<impl>/<n>", op rsqrt, sqrt, rms_norm, layer_norm (at
// [8192, 8192] only) or copy; form out, oop or inplace.
//
// Besides Google Benchmark's flags: --max_seconds=S skips (as errors) the benchmarks that would
// start more than S seconds after the start, so that a bounded run still ends its JSON.
#include <benchmark/benchmark.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <cub/device/device_transform.cuh>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
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

/// out[i] = pattern[(i % window) % p] for i < total: every window of `window` elements starts
/// the pattern afresh, as a host copy of one window into each would.
template <class T>
__global__ void fill_windows(T* out, const T* pattern, std::size_t p, std::size_t window,
                             std::size_t total) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += stride)
    out[i] = pattern[i % window % p];
}

class pool_base {
 public:
  virtual ~pool_base() = default;
};

/// A pool of windows of n elements in and n out, side by side, at least four times the L2 in
/// all, filled on the device with the CPU benchmarks' inputs; window(i) is the i-th, round robin.
template <class T>
class window_pool final : public pool_base {
 public:
  explicit window_pool(std::size_t n) : n_(n), count_(count_for(n)) {
    const std::vector<T>& pattern = rbench::input_pattern<T>();
    check(cudaMalloc(&base_, bytes_for(n)), "cudaMalloc");
    check(cudaMalloc(&pattern_, pattern.size() * sizeof(T)), "cudaMalloc");
    check(cudaMemcpy(pattern_, pattern.data(), pattern.size() * sizeof(T), cudaMemcpyHostToDevice),
          "cudaMemcpy");
    pattern_size_ = pattern.size();
    refill();
  }
  window_pool(const window_pool&) = delete;
  window_pool& operator=(const window_pool&) = delete;
  ~window_pool() override {
    cudaFree(base_);
    cudaFree(pattern_);
  }
  static std::size_t count_for(std::size_t n) { return 4 * l2_bytes() / (2 * n * sizeof(T)) + 1; }
  static std::size_t bytes_for(std::size_t n) { return count_for(n) * 2 * n * sizeof(T); }
  /// Every window's inputs as they were made (after an in-place benchmark wrote over them).
  /// The fill ends at the last windows, so the first ones are the furthest out of the L2.
  void refill() {
    fill_windows<<<1024, 256>>>(base_, pattern_, pattern_size_, 2 * n_, count_ * 2 * n_);
    check(cudaGetLastError(), "fill_windows launch");
    check(cudaDeviceSynchronize(), "fill_windows");
    inputs_written = false;
    next = 0;
  }
  T* in(std::size_t i) const { return base_ + (i % count_) * 2 * n_; }
  T* out(std::size_t i) const { return in(i) + n_; }
  bool inputs_written = false;
  /// The next window to use. Calls go on where the last one stopped, so a window comes round
  /// again only after all the others (more than the L2 holds), not at each call's start.
  std::size_t next = 0;

 private:
  std::size_t n_;
  std::size_t count_;
  std::size_t pattern_size_ = 0;
  T* base_ = nullptr;
  T* pattern_ = nullptr;
};

struct cached_pool {
  std::unique_ptr<pool_base> pool;
  std::size_t bytes;
  std::uint64_t last_use;
};

std::map<std::string, cached_pool>& pool_cache() {
  static std::map<std::string, cached_pool> cache;
  return cache;
}

/// The pool of (T, n), made on first use and kept; the least recently used pools are freed
/// first when the cache would pass a quarter of the device's memory (the benchmarks of one
/// size run one after the other, so only the last sizes' pools stay).
template <class T>
window_pool<T>& pool_for(std::size_t n) {
  static std::uint64_t use = 0;
  auto& cache = pool_cache();
  const std::string key = std::string(dtype_name<T>::value) + "/" + std::to_string(n);
  auto it = cache.find(key);
  if (it == cache.end()) {
    std::size_t free_bytes = 0, total_bytes = 0;
    check(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo");
    const std::size_t need = window_pool<T>::bytes_for(n);
    std::size_t held = 0;
    for (const auto& e : cache) held += e.second.bytes;
    while (!cache.empty() && held + need > total_bytes / 4) {
      auto oldest = std::min_element(cache.begin(), cache.end(), [](const auto& a, const auto& b) {
        return a.second.last_use < b.second.last_use;
      });
      held -= oldest->second.bytes;
      cache.erase(oldest);
    }
    it = cache.emplace(key, cached_pool{std::make_unique<window_pool<T>>(n), need, 0}).first;
  }
  it->second.last_use = ++use;
  return static_cast<window_pool<T>&>(*it->second.pool);
}

/// When --max_seconds is given: the time after which no benchmark starts.
struct run_deadline {
  bool set = false;
  std::chrono::steady_clock::time_point at;
};
run_deadline& deadline() {
  static run_deadline d;
  return d;
}

/// What the timed call writes: its out window, or its inputs (in place).
enum class writes { out, in };

/// Times f(in, out) per iteration with CUDA events on the default stream.
template <class T, class F>
void timed(benchmark::State& state, std::size_t n, writes w, F&& f) {
  if (deadline().set && std::chrono::steady_clock::now() > deadline().at) {
    state.SkipWithError("not run: past --max_seconds");
    return;
  }
  window_pool<T>& pool = pool_for<T>(n);
  if (pool.inputs_written) pool.refill();
  cudaEvent_t start, stop;
  check(cudaEventCreate(&start), "cudaEventCreate");
  check(cudaEventCreate(&stop), "cudaEventCreate");
  std::size_t& i = pool.next;
  f(pool.in(i), pool.out(i));  // warm up: first-launch costs, the memory pool
  check(cudaDeviceSynchronize(), "warm-up");
  ++i;
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
  if (w == writes::in) pool.inputs_written = true;
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
/// CUDA's correctly rounded float rsqrt (documented 0 ulp): the exact peer.
struct cub_frsqrt_rn {
  __device__ float operator()(float x) const { return __frsqrt_rn(x); }
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
        timed<T>(s, n, writes::out, [o, n](T* in, T* out) {
          if (o == op::rsqrt)
            rd::cuda::rsqrt(in, out, n);
          else
            rd::cuda::sqrt(in, out, n);
        });
      });
      add(name(op_name(o), dt, "out", "radicand", n), [o, n](benchmark::State& s) {
        timed<T>(s, n, writes::out, [o, n](T* in, T* out) {
          const auto x = rd::from_blob(in, {static_cast<std::int64_t>(n)}, rd::cuda);
          auto y = rd::from_blob(out, {static_cast<std::int64_t>(n)}, rd::cuda);
          if (o == op::rsqrt)
            rd::rsqrt(x, y);
          else
            rd::sqrt(x, y);
        });
      });
      add(name(op_name(o), dt, "oop", "radicand", n), [o, n](benchmark::State& s) {
        timed<T>(s, n, writes::out, [o, n](T* in, T*) {
          const auto x = rd::from_blob(in, {static_cast<std::int64_t>(n)}, rd::cuda);
          const auto r = o == op::rsqrt ? rd::rsqrt(x) : rd::sqrt(x);
          benchmark::DoNotOptimize(r.data());
        });
      });
      add(name(op_name(o), dt, "inplace", "radicand", n), [o, n](benchmark::State& s) {
        timed<T>(s, n, writes::in, [o, n](T* in, T*) {
          auto x = rd::from_blob(in, {static_cast<std::int64_t>(n)}, rd::cuda);
          if (o == op::rsqrt)
            x.rsqrt_();
          else
            x.sqrt_();
        });
      });
      if constexpr (std::is_same<T, float>::value || std::is_same<T, double>::value) {
        add(name(op_name(o), dt, "out", "cub_transform", n), [o, n](benchmark::State& s) {
          timed<T>(s, n, writes::out, [o, n](T* in, T* out) {
            const cudaError_t status =
                o == op::rsqrt ? cub::DeviceTransform::Transform(in, out, n, cub_rsqrt{})
                               : cub::DeviceTransform::Transform(in, out, n, cub_sqrt{});
            check(status, "cub::DeviceTransform::Transform");
          });
        });
      }
      if constexpr (std::is_same<T, float>::value) {
        if (o == op::rsqrt)
          add(name("rsqrt", dt, "out", "cub_frsqrt_rn", n), [n](benchmark::State& s) {
            timed<T>(s, n, writes::out, [n](T* in, T* out) {
              check(cub::DeviceTransform::Transform(in, out, n, cub_frsqrt_rn{}),
                    "cub::DeviceTransform::Transform");
            });
          });
      }
    }
    if (n == std::size_t{1} << 26) {
      // RMSNorm and LayerNorm of [8192, 8192] (a new tensor each, as the oop form): one read
      // and one write per element, as the copies below, when the fused kernel holds its rows.
      for (bool layer : {false, true}) {
        add(name(layer ? "layer_norm" : "rms_norm", dt, "oop", "radicand", n),
            [layer, n](benchmark::State& s) {
              timed<T>(s, n, writes::out, [layer](T* in, T*) {
                const auto x = rd::from_blob(in, {8192, 8192}, rd::cuda);
                const rd::tensor<T, rd::cuda_t> none;
                const auto r = layer ? rd::layer_norm(x, none, none) : rd::rms_norm(x, none);
                benchmark::DoNotOptimize(r.data());
              });
            });
      }
    }
    add(name("copy", dt, "out", "cudaMemcpyAsync", n), [n](benchmark::State& s) {
      timed<T>(s, n, writes::out, [n](T* in, T* out) {
        check(cudaMemcpyAsync(out, in, n * sizeof(T), cudaMemcpyDeviceToDevice, nullptr),
              "cudaMemcpyAsync");
      });
    });
    add(name("copy", dt, "out", "copy_kernel", n), [n](benchmark::State& s) {
      const std::size_t nvec = n * sizeof(T) / 16;
      const unsigned blocks =
          static_cast<unsigned>(std::min<std::size_t>((nvec + 255) / 256, max_blocks()));
      timed<T>(s, n, writes::out, [nvec, blocks](T* in, T* out) {
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

/// Takes --max_seconds=S out of argv (Google Benchmark refuses flags it does not know).
bool take_max_seconds(int& argc, char** argv) {
  const char* flag = "--max_seconds=";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag, std::strlen(flag)) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    char* end = nullptr;
    const double s = std::strtod(argv[i] + std::strlen(flag), &end);
    if (end == argv[i] + std::strlen(flag) || *end != '\0' || !(s > 0)) {
      std::fprintf(stderr, "cuda_bench: %s: want a positive number of seconds\n", argv[i]);
      return false;
    }
    deadline().set = true;
    deadline().at = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(s));
  }
  argc = kept;
  argv[kept] = nullptr;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Line by line into a log file, so that a run stopped from outside keeps what it printed.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (!take_max_seconds(argc, argv)) return 1;
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
  pool_cache().clear();  // while the CUDA runtime is still up
  return 0;
}
