// radicand: CPU threads. rd::set_num_threads / rd::get_num_threads, and the parallel loop that
// the element-wise engine and the raw kernels share. Threads come from OpenMP when the
// translation unit is compiled with it (-fopenmp, or the CMake option RADICAND_OPENMP);
// otherwise everything runs on the calling thread and get_num_threads() is 1.
#ifndef RADICAND_CPU_THREADS_HPP
#define RADICAND_CPU_THREADS_HPP

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>

#include "../config.hpp"
#include "../error.hpp"
#include "fpenv.hpp"

#if RADICAND_HAS_OPENMP
#include <omp.h>
#endif

// Whether threads are compiled in is part of these functions' names, so that translation units
// built with and without OpenMP can be linked into one program.
#if RADICAND_HAS_OPENMP
#define RADICAND_THREADS_NAMESPACE threads_openmp
#else
#define RADICAND_THREADS_NAMESPACE threads_serial
#endif

RADICAND_SHARED_NAMESPACE_BEGIN
namespace shared {
/// What set_num_threads asked for; 0: OpenMP's default (omp_get_max_threads()). One variable
/// for the whole program, shared by every unit whatever its flags (config.hpp).
inline std::atomic<int> num_threads_setting{0};
}  // namespace shared
RADICAND_SHARED_NAMESPACE_END

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// Each thread gets at least this many elements. Measured (AVX-512, 2 cores, GCC's OpenMP): a
/// team of 2 costs ~0.6 us to start; float rsqrt takes ~0.27 ns per element, and 2 threads beat
/// 1 by 1.4x at 16K elements, 1.7x at 32K, 1.9x from 128K.
constexpr std::int64_t parallel_grain = std::int64_t{1} << 14;

}  // namespace detail

inline namespace RADICAND_THREADS_NAMESPACE {

/// The number of threads large operations use from now on (n >= 1; throws rd::error
/// otherwise). Without OpenMP the setting is kept, but every operation runs on one thread.
inline void set_num_threads(int n) {
  if (n < 1)
    detail::fail<error>("set_num_threads", "the number of threads must be at least 1, got ", n);
  shared::num_threads_setting.store(n, std::memory_order_relaxed);
}

/// The number of threads large operations use: set_num_threads' value, else OpenMP's default;
/// 1 without OpenMP.
inline int get_num_threads() noexcept {
#if RADICAND_HAS_OPENMP
  const int n = shared::num_threads_setting.load(std::memory_order_relaxed);
  return n > 0 ? n : omp_get_max_threads();
#else
  return 1;
#endif
}

}  // namespace RADICAND_THREADS_NAMESPACE

namespace detail {
inline namespace RADICAND_THREADS_NAMESPACE {

/// Calls f(begin, end) on consecutive pieces of [0, n) that together cover it once: one piece
/// per thread, at least `grain` elements each, with inner boundaries at multiples of `align`
/// (so threads do not share cache lines). One call with [0, n) on the calling thread when n is
/// small, without OpenMP, or inside a parallel region already (no nested teams). Each piece runs
/// in IEEE modes (cpu/fpenv.hpp). An exception f throws on any thread reaches the caller as
/// itself, after every piece has ended (the first one caught, when several throw): one leaving
/// the parallel region would end the program.
template <class F>
void parallel_for(std::int64_t n, std::int64_t grain, std::int64_t align, F&& f) {
#if RADICAND_HAS_OPENMP
  const std::int64_t pieces = n / std::max<std::int64_t>(grain, 1);
  // Small calls do not ask OpenMP anything.
  const std::int64_t most = pieces > 1 ? std::min<std::int64_t>(get_num_threads(), pieces) : 1;
  if (most > 1 && omp_in_parallel() == 0) {
    const std::int64_t units = (n + align - 1) / align;  // whole aligned units
    std::exception_ptr first_error;
    std::atomic<bool> failed{false};
#pragma omp parallel num_threads(static_cast <int>(most))
    {
      const std::int64_t t = omp_get_thread_num(), teams = omp_get_num_threads();
      const std::int64_t begin = std::min(n, units * t / teams * align);
      const std::int64_t end = t + 1 == teams ? n : std::min(n, units * (t + 1) / teams * align);
      if (begin < end) {
        try {
          const ieee_mode_guard modes;
          f(begin, end);
        } catch (...) {
          if (!failed.exchange(true)) first_error = std::current_exception();
        }
      }
    }
    if (first_error) std::rethrow_exception(first_error);
    return;
  }
#else
  (void)grain;
  (void)align;
#endif
  if (n > 0) {
    const ieee_mode_guard modes;
    f(std::int64_t{0}, n);
  }
}

}  // namespace RADICAND_THREADS_NAMESPACE
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_THREADS_HPP
