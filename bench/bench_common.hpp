// radicand CPU benchmarks: what every translation unit of the suite shares. Names, sizes and
// thread counts, aligned buffers, deterministic inputs, the in-place harness and the counters.
#ifndef RADICAND_BENCH_COMMON_HPP
#define RADICAND_BENCH_COMMON_HPP

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <radicand/radicand.hpp>

#include "inputs.hpp"

namespace rbench {

namespace rd = radicand;

// ---- the grid -------------------------------------------------------------------------------

/// The two operations.
enum class op { rsqrt, sqrt };
inline const char* op_name(op o) { return o == op::rsqrt ? "rsqrt" : "sqrt"; }

/// float32 runs the full range 2^10..2^26 in powers of 4; the other types a short range
/// (enough for the 16-bit targets at 2^16 and one size beyond the caches) to keep the run short.
template <class T>
std::vector<std::int64_t> sizes() {
  std::vector<std::int64_t> s;
  if (std::is_same<T, float>::value) {
    for (int e = 10; e <= 26; e += 2) s.push_back(std::int64_t{1} << e);
  } else {
    for (int e : {10, 16, 22}) s.push_back(std::int64_t{1} << e);
  }
  return s;
}

/// Library thread counts. The benchmark itself always runs on one Google Benchmark thread; the
/// count is what the library under test may use (rd::set_num_threads, torch::set_num_threads,
/// OpenMP for the baselines).
inline std::vector<int> thread_counts() { return {1, 2}; }

/// "<op>/<dtype>/<form>/<impl>/threads:<t>/<n>", the shape report.py parses. op is rsqrt, sqrt
/// or copy (the baselines); form is oop (returns a new tensor), out (into a preallocated
/// output) or inplace.
inline std::string bench_name(const char* op, const char* dtype, const char* form, const char* impl,
                              int threads, std::int64_t n) {
  return std::string(op) + "/" + dtype + "/" + form + "/" + impl +
         "/threads:" + std::to_string(threads) + "/" + std::to_string(n);
}

/// Registers one benchmark with the suite's common settings: wall-clock time (libraries run
/// their own threads, so the main thread's CPU time would mislead).
template <class F>
benchmark::internal::Benchmark* add(const std::string& name, F&& f) {
  return benchmark::RegisterBenchmark(name.c_str(), std::forward<F>(f))->UseRealTime();
}

/// Registers a single-threaded peer's two forms for every size of T and both operations:
/// out(state, op, n) into a preallocated output and inplace(state, op, n).
template <class T, class Out, class Inplace>
void register_out_and_inplace(const char* impl, Out out, Inplace inplace) {
  for (std::int64_t n : sizes<T>()) {
    const auto un = static_cast<std::size_t>(n);
    for (op o : {op::rsqrt, op::sqrt}) {
      add(bench_name(op_name(o), dtype_name<T>::value, "out", impl, 1, n),
          [=](benchmark::State& s) { out(s, o, un); });
      add(bench_name(op_name(o), dtype_name<T>::value, "inplace", impl, 1, n),
          [=](benchmark::State& s) { inplace(s, o, un); });
    }
  }
}

// ---- threads --------------------------------------------------------------------------------

/// Sets every library's thread count; each translation unit adds its library's setter.
using thread_setter = void (*)(int);
inline std::vector<thread_setter>& thread_setters() {
  static std::vector<thread_setter> s;
  return s;
}
inline void set_threads(int n) {
  for (thread_setter f : thread_setters()) f(n);
}

/// f(i) for i < m: a plain serial loop on 1 thread, else an OpenMP loop on `threads` threads
/// (statically split). The suite registers no multi-thread baseline without OpenMP.
template <class F>
void parallel_for(int threads, std::int64_t m, F&& f) {
  if (threads <= 1) {
    for (std::int64_t i = 0; i < m; ++i) f(i);
    return;
  }
#if defined(_OPENMP)
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t i = 0; i < m; ++i) f(i);
#endif
}

inline bool have_openmp() {
#if defined(_OPENMP)
  return true;
#else
  return false;
#endif
}

// ---- the normalisations and the sum ---------------------------------------------------------

/// The normalisations run over the last dimension of [rows, norm_cols], rows in norm_row_counts()
/// (a decode batch and a long prefill or training batch); their benchmark names carry the element
/// count n = rows * norm_cols in the size field.
constexpr std::int64_t norm_cols = 4096;
inline std::vector<std::int64_t> norm_row_counts() { return {32, 4096}; }

/// The two normalisations; eps as Llama's RMSNorm and PyTorch's layer_norm default.
enum class norm { rms, layer };
inline const char* norm_name(norm k) { return k == norm::rms ? "rms_norm" : "layer_norm"; }
inline double norm_eps(norm k) { return k == norm::rms ? 1e-6 : 1e-5; }

/// The sum of every element runs on [4096, 4096] float.
constexpr std::int64_t sum_rows = 4096;

/// Whether the normalisations are benchmarked for T (float and bfloat16).
template <class T>
constexpr bool norm_type() {
  return std::is_same<T, float>::value || std::is_same<T, rd::bfloat16>::value;
}

/// Registers f(state, rows, threads) as "<op>/<dtype>/oop/<impl>/threads:<t>/<rows*4096>" for
/// each shape and each of `threads` (a thread count above 1 only with OpenMP).
template <class T, class F>
void register_shapes(const char* op, const char* impl, const std::vector<int>& threads, F f) {
  for (std::int64_t rows : norm_row_counts()) {
    for (int t : threads) {
      if (t > 1 && !have_openmp()) continue;
      add(bench_name(op, dtype_name<T>::value, "oop", impl, t, rows * norm_cols),
          [=](benchmark::State& s) { f(s, rows, t); });
    }
  }
}

/// Whether two results have the same bits, for the JSON context.
inline const char* same_bits(const void* a, const void* b, std::size_t bytes) {
  return std::memcmp(a, b, bytes) == 0 ? "yes" : "no";
}

// ---- buffers and inputs ---------------------------------------------------------------------

struct free_deleter {
  void operator()(void* p) const noexcept { std::free(p); }
};

/// n elements of T, 64-byte aligned, every page touched (so no page faults are timed).
template <class T>
class buffer {
 public:
  explicit buffer(std::size_t n) : n_(n) {
    const std::size_t bytes = (std::max<std::size_t>(n * sizeof(T), 64) + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, bytes);
    if (p == nullptr) throw std::bad_alloc();
    std::memset(p, 0, bytes);
    mem_.reset(p);
  }
  T* data() noexcept { return static_cast<T*>(mem_.get()); }
  const T* data() const noexcept { return static_cast<const T*>(mem_.get()); }
  std::size_t size() const noexcept { return n_; }
  std::size_t bytes() const noexcept { return n_ * sizeof(T); }

 private:
  std::size_t n_;
  std::unique_ptr<void, free_deleter> mem_;
};

template <class T>
void fill_inputs(T* p, std::size_t n) {
  const std::vector<T>& pat = input_pattern<T>();
  for (std::size_t i = 0; i < n; i += pat.size()) {
    const std::size_t m = std::min(pat.size(), n - i);
    std::memcpy(static_cast<void*>(p + i), pat.data(), m * sizeof(T));
  }
}

template <class T>
buffer<T> make_inputs(std::size_t n) {
  buffer<T> b(n);
  fill_inputs(b.data(), n);
  return b;
}

// ---- in place -------------------------------------------------------------------------------

/// In-place operations destroy their input, and repeating rsqrt_ or sqrt_ on one buffer drives
/// every value to 1.0 within a few dozen calls, which would time a degenerate input. So every
/// in-place benchmark (the libraries and the read-modify-write baseline alike) runs on a pool
/// of P copies of the same inputs, one copy per call, and refreshes the pool from the pristine
/// inputs outside the timed region once every P calls. P keeps the pool near 1 MiB (it stays
/// in the 2 MiB L2 like an out-of-place benchmark's input and output) and is 1 from 1 MiB up,
/// where the pause costs nothing measurable. The refresh leaves the copies cache-warm, as the
/// out-of-place benchmarks' inputs are.
template <class T>
class inplace_pool {
 public:
  inplace_pool(const T* pristine, std::size_t n) : pristine_(pristine), n_(n) {
    const std::size_t bytes = std::max<std::size_t>(n * sizeof(T), 1);
    const std::size_t copies = std::max<std::size_t>(1, (std::size_t{1} << 20) / bytes);
    for (std::size_t k = 0; k < copies; ++k) copies_.emplace_back(n);
    refresh();
  }
  std::size_t count() const noexcept { return copies_.size(); }
  T* data(std::size_t k) noexcept { return copies_[k].data(); }
  void refresh() noexcept {
    for (auto& c : copies_) std::memcpy(static_cast<void*>(c.data()), pristine_, n_ * sizeof(T));
  }

 private:
  const T* pristine_;
  std::size_t n_;
  std::vector<buffer<T>> copies_;
};

/// Runs f(k) (in place on copy k) once per iteration, refreshing the pool untimed every
/// count() calls.
template <class T, class F>
void run_inplace(benchmark::State& state, inplace_pool<T>& pool, F&& f) {
  std::size_t k = 0;
  for (auto _ : state) {
    if (k == pool.count()) {
      state.PauseTiming();
      pool.refresh();
      k = 0;
      state.ResumeTiming();
    }
    f(k);
    benchmark::ClobberMemory();
    ++k;
  }
}

// ---- counters -------------------------------------------------------------------------------

/// Items = elements; bytes = what the operation must move at least: n read and n written, for
/// every form (so memcpy and the read-modify-write pass count the same bytes).
template <class T>
void set_counters(benchmark::State& state, std::size_t n) {
  const auto it = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(it * static_cast<std::int64_t>(n));
  state.SetBytesProcessed(it * static_cast<std::int64_t>(2 * n * sizeof(T)));
}

/// For a reduction to one value: items = elements; bytes = the n elements read.
template <class T>
void set_read_counters(benchmark::State& state, std::size_t n) {
  const auto it = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(it * static_cast<std::int64_t>(n));
  state.SetBytesProcessed(it * static_cast<std::int64_t>(n * sizeof(T)));
}

// ---- accuracy of the peers ------------------------------------------------------------------

/// How far a peer's float results lie from radicand's correctly rounded ones on the input
/// pattern, for the JSON context: "max <u> ulp, <k> of <n> differ". (Positive finite inputs,
/// so the results are positive and their bit patterns order like their values.)
inline std::string ulp_report(const float* got, const float* want, std::size_t n) {
  std::uint32_t worst = 0;
  std::size_t differ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t a = 0, b = 0;
    std::memcpy(&a, got + i, sizeof a);
    std::memcpy(&b, want + i, sizeof b);
    const std::uint32_t d = a > b ? a - b : b - a;
    if (d != 0) ++differ;
    worst = std::max(worst, d);
  }
  return "max " + std::to_string(worst) + " ulp, " + std::to_string(differ) + " of " +
         std::to_string(n) + " differ";
}

/// Records in the context how far `compute(in, out, n)` (a peer's float rsqrt or sqrt) lies from
/// radicand's result on the 2^16 input pattern.
template <class F>
void record_accuracy(const std::string& impl, bool rsqrt, F&& compute) {
  const std::vector<float>& in = input_pattern<float>();
  std::vector<float> want(in.size()), got(in.size());
  if (rsqrt) {
    rd::kernels::rsqrt(in.data(), want.data(), in.size());
  } else {
    rd::kernels::sqrt(in.data(), want.data(), in.size());
  }
  compute(in.data(), got.data(), in.size());
  benchmark::AddCustomContext("accuracy_" + impl + "_" + (rsqrt ? "rsqrt" : "sqrt") + "_float",
                              ulp_report(got.data(), want.data(), in.size()));
}

// ---- peers ----------------------------------------------------------------------------------

/// Each optional peer's translation unit defines its registration function.
void register_eigen();
void register_torch();
void register_plain();
void register_dispatch();
void register_sse2();
void register_norms();
void register_eigen_norms();
void register_torch_norms();

}  // namespace rbench

#endif  // RADICAND_BENCH_COMMON_HPP
