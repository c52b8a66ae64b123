// radicand again, from a unit built for baseline x86-64, timed beside the -march=native build of
// cpu_bench.cpp in the same binary. bench/CMakeLists.txt compiles this file twice:
// - with -DRADICAND_RUNTIME_DISPATCH=1 ("radicand_dispatch"): the kernels it picks for this CPU
//   at run time;
// - with -DRADICAND_FORCE_SSE2 ("radicand_sse2"): what a unit built without a target flag gets.
// Each build's tensors are its own (another ABI namespace).
#include "bench_common.hpp"
#include "radicand_forms.hpp"

#if RADICAND_ARCH_DISPATCH
#define RBENCH_BASELINE_NAME "radicand_dispatch"
#define RBENCH_BASELINE_REGISTER register_dispatch
#elif defined(RADICAND_FORCE_SSE2)
#define RBENCH_BASELINE_NAME "radicand_sse2"
#define RBENCH_BASELINE_REGISTER register_sse2
#else
#error "compile this file with RADICAND_RUNTIME_DISPATCH=1 or RADICAND_FORCE_SSE2"
#endif

namespace rbench {

namespace {  // each build's own: the two would otherwise share one instantiation's name

/// Whether the code timed is this unit's: its backend is the one the (uniquely named) register
/// function saw.
inline bool same_unit(benchmark::State& s, const char* expected) {
  if (std::string(rd::simd_backend()) == expected) return true;
  s.SkipWithError("this benchmark runs another unit's build of radicand");
  return false;
}

/// This unit's forms, on 1 thread.
template <class T>
void register_baseline_forms(const char* backend) {
  register_out_and_inplace<T>(
      RBENCH_BASELINE_NAME,
      [backend](benchmark::State& s, op o, std::size_t n) {
        if (same_unit(s, backend)) radicand_out<T>(s, o, 1, n);
      },
      [backend](benchmark::State& s, op o, std::size_t n) {
        if (same_unit(s, backend)) radicand_inplace<T>(s, o, 1, n);
      });
}

}  // namespace

void RBENCH_BASELINE_REGISTER() {
  const char* backend = rd::simd_backend();
  benchmark::AddCustomContext(RBENCH_BASELINE_NAME "_backend", backend);
  register_baseline_forms<float>(backend);
  register_baseline_forms<double>(backend);
  register_baseline_forms<rd::half>(backend);
}

}  // namespace rbench
