// radicand CPU benchmarks: rsqrt and sqrt in three forms (a new tensor, into a preallocated
// out, in place) for float, double, half and bfloat16, on 1 and 2 threads, beside the
// bandwidth baselines (memcpy of the same bytes, a read-modify-write pass), a plain
// `1/std::sqrt` loop, and, when they were found at configure time, Eigen and libtorch; on x86,
// float into an out also with the caller's FTZ/DAZ set ("radicand_ftz", up to 2^16). The
// normalisations and the sum (norm_bench.cpp and its peers) run in the same binary, beside the
// memcpy of their bytes registered here.
// Benchmark names: "<op>/<dtype>/<form>/<impl>/threads:<t>/<n>" (see bench/README.md).
#include "bench_common.hpp"
#include "radicand_forms.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif
#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

#if __has_include(<radicand/cpu/threads.hpp>)
#include <radicand/cpu/threads.hpp>
#define RADICAND_BENCH_RD_THREADS 1
#else
#define RADICAND_BENCH_RD_THREADS 0
#endif

#ifndef RADICAND_BENCH_HAS_EIGEN
#define RADICAND_BENCH_HAS_EIGEN 0
#endif
#ifndef RADICAND_BENCH_HAS_TORCH
#define RADICAND_BENCH_HAS_TORCH 0
#endif

namespace rbench {
namespace {

// ---- radicand -------------------------------------------------------------------------------

/// Library threads radicand may use: 1 always; 2 once rd::set_num_threads exists.
std::vector<int> radicand_thread_counts() {
#if RADICAND_BENCH_RD_THREADS
  return thread_counts();
#else
  return {1};
#endif
}

template <class T>
void radicand_oop(benchmark::State& state, op o, int threads, std::size_t n) {
  set_threads(threads);
  buffer<T> in = make_inputs<T>(n);
  const rd::tensor<T> x = rd::from_blob(in.data(), {static_cast<std::int64_t>(n)});
  for (auto _ : state) {
    rd::tensor<T> r = o == op::rsqrt ? rd::rsqrt(x) : rd::sqrt(x);
    benchmark::DoNotOptimize(r.data());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, n);
}

#if defined(__SSE__) || defined(_M_X64)
/// radicand_out with the caller's flush-to-zero and denormals-are-zero set in MXCSR: the kernels
/// clear them for each call and set them again. radicand_out (modes at their defaults) pays one
/// read of MXCSR per call for the same guarantee.
template <class T>
void radicand_out_ftz(benchmark::State& state, op o, int threads, std::size_t n) {
  const unsigned saved = _mm_getcsr();
  _mm_setcsr(saved | (1u << 15) | (1u << 6));
  radicand_out<T>(state, o, threads, n);
  _mm_setcsr(saved);
}
#endif

// ---- the bandwidth baselines ----------------------------------------------------------------

/// memcpy of the bytes an out-of-place call reads and writes; on 2 threads each copies half.
template <class T>
void copy_memcpy(benchmark::State& state, int threads, std::size_t n) {
  set_threads(threads);
  buffer<T> in = make_inputs<T>(n);
  buffer<T> res(n);
  const std::size_t bytes = n * sizeof(T);
  const auto* src = reinterpret_cast<const unsigned char*>(in.data());
  auto* dst = reinterpret_cast<unsigned char*>(res.data());
  for (auto _ : state) {
    if (threads == 1) {
      std::memcpy(dst, src, bytes);
    } else {
#if defined(_OPENMP)
#pragma omp parallel num_threads(threads)
      {
        const auto t = static_cast<std::size_t>(omp_get_thread_num());
        const auto nt = static_cast<std::size_t>(omp_get_num_threads());
        const std::size_t lo = bytes / nt * t / 64 * 64;
        const std::size_t hi = t + 1 == nt ? bytes : bytes / nt * (t + 1) / 64 * 64;
        std::memcpy(dst + lo, src + lo, hi - lo);
      }
#endif
    }
    benchmark::DoNotOptimize(dst);
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, n);
}

template <std::size_t Bytes>
struct same_width;
template <>
struct same_width<2> {
  using type = std::uint16_t;
};
template <>
struct same_width<4> {
  using type = std::uint32_t;
};
template <>
struct same_width<8> {
  using type = std::uint64_t;
};

/// A read-modify-write pass over the same bytes, for the in-place forms: x[i] ^= mask on
/// integers of the element's width, with a mask (zero) the compiler cannot see, so the values
/// stay as they are and the loop vectorises to loads, one xor, stores. Same pool and refresh as
/// the in-place benchmarks.
template <class T>
void copy_rmw(benchmark::State& state, int threads, std::size_t n) {
  using U = typename same_width<sizeof(T)>::type;
  set_threads(threads);
  buffer<T> in = make_inputs<T>(n);
  inplace_pool<T> pool(in.data(), n);
  U mask = 0;
  benchmark::DoNotOptimize(mask);
  const auto m = static_cast<std::int64_t>(n);
  run_inplace(state, pool, [&](std::size_t k) {
    U* p = reinterpret_cast<U*>(pool.data(k));
    const U mk = mask;  // a local copy: no aliasing with p
    parallel_for(threads, m, [=](std::int64_t i) { p[i] = static_cast<U>(p[i] ^ mk); });
    benchmark::DoNotOptimize(p);
  });
  set_counters<T>(state, n);
}

// ---- registration ---------------------------------------------------------------------------

template <class T>
void register_type() {
  const char* dt = dtype_name<T>::value;
  for (std::int64_t n : sizes<T>()) {
    const auto un = static_cast<std::size_t>(n);
    for (int t : thread_counts()) {
      if (t > 1 && !have_openmp()) continue;
      add(bench_name("copy", dt, "out", "memcpy", t, n),
          [=](benchmark::State& s) { copy_memcpy<T>(s, t, un); });
      add(bench_name("copy", dt, "inplace", "rmw", t, n),
          [=](benchmark::State& s) { copy_rmw<T>(s, t, un); });
    }
    for (op o : {op::rsqrt, op::sqrt}) {
      for (int t : radicand_thread_counts()) {
        add(bench_name(op_name(o), dt, "oop", "radicand", t, n),
            [=](benchmark::State& s) { radicand_oop<T>(s, o, t, un); });
        add(bench_name(op_name(o), dt, "out", "radicand", t, n),
            [=](benchmark::State& s) { radicand_out<T>(s, o, t, un); });
#if defined(__SSE__) || defined(_M_X64)
        if (std::is_same<T, float>::value && t == 1 && n <= (std::int64_t{1} << 16))
          add(bench_name(op_name(o), dt, "out", "radicand_ftz", t, n),
              [=](benchmark::State& s) { radicand_out_ftz<T>(s, o, t, un); });
#endif
        add(bench_name(op_name(o), dt, "inplace", "radicand", t, n),
            [=](benchmark::State& s) { radicand_inplace<T>(s, o, t, un); });
      }
    }
  }
  // The memcpy of the normalisations' bytes (norm_bench.cpp), at the sizes not above.
  if (!norm_type<T>()) return;
  const std::vector<std::int64_t> done = sizes<T>();
  for (std::int64_t rows : norm_row_counts()) {
    const std::int64_t n = rows * norm_cols;
    if (std::find(done.begin(), done.end(), n) != done.end()) continue;
    for (int t : thread_counts()) {
      if (t > 1 && !have_openmp()) continue;
      add(bench_name("copy", dt, "out", "memcpy", t, n),
          [=](benchmark::State& s) { copy_memcpy<T>(s, t, static_cast<std::size_t>(n)); });
    }
  }
}

void set_radicand_threads(int n) {
#if RADICAND_BENCH_RD_THREADS
  rd::set_num_threads(n);
#else
  (void)n;
#endif
}

void set_openmp_threads(int n) {
#if defined(_OPENMP)
  omp_set_num_threads(n);
#else
  (void)n;
#endif
}

}  // namespace
}  // namespace rbench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  rbench::thread_setters().push_back(rbench::set_openmp_threads);
  rbench::thread_setters().push_back(rbench::set_radicand_threads);
  rbench::register_type<float>();
  rbench::register_type<double>();
  rbench::register_type<radicand::half>();
  rbench::register_type<radicand::bfloat16>();
  rbench::register_norms();
  rbench::register_plain();
#if RADICAND_BENCH_HAS_BASELINES
  rbench::register_dispatch();
  rbench::register_sse2();
#endif
#if RADICAND_BENCH_HAS_EIGEN
  rbench::register_eigen();
  rbench::register_eigen_norms();
#endif
#if RADICAND_BENCH_HAS_TORCH
  rbench::register_torch();
  rbench::register_torch_norms();
#endif

  benchmark::AddCustomContext("radicand_version", radicand::version());
  benchmark::AddCustomContext("radicand_simd_backend", radicand::simd_backend());
  benchmark::AddCustomContext("radicand_threads_api", RADICAND_BENCH_RD_THREADS ? "yes" : "no");
  benchmark::AddCustomContext("openmp", rbench::have_openmp() ? "yes" : "no");
#ifdef RADICAND_BENCH_CXX_FLAGS
  benchmark::AddCustomContext("bench_cxx_flags", RADICAND_BENCH_CXX_FLAGS);
#endif
#ifdef RADICAND_BENCH_COMPILER
  benchmark::AddCustomContext("compiler", RADICAND_BENCH_COMPILER);
#endif
  benchmark::AddCustomContext("peers", std::string("memcpy rmw plain") +
                                           (RADICAND_BENCH_HAS_EIGEN ? " eigen" : "") +
                                           (RADICAND_BENCH_HAS_TORCH ? " libtorch" : ""));

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
