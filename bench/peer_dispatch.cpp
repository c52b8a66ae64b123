// radicand again, as a baseline x86-64 unit with runtime dispatch: this file alone is compiled
// with -march=x86-64 -DRADICAND_RUNTIME_DISPATCH=1, so its kernels are the ones it picks for this
// CPU at run time, timed beside the -march=native build of cpu_bench.cpp in the same binary
// ("radicand_dispatch" against "radicand"). Its tensors are its own (another ABI namespace).
#include "bench_common.hpp"
#include "radicand_forms.hpp"

#if !RADICAND_ARCH_DISPATCH
#error "bench/CMakeLists.txt compiles this file with -DRADICAND_RUNTIME_DISPATCH=1 on x86-64"
#endif

namespace rbench {

/// This unit's forms, on 1 thread.
template <class T>
void register_dispatch_forms() {
  register_out_and_inplace<T>(
      "radicand_dispatch",
      [](benchmark::State& s, op o, std::size_t n) { radicand_out<T>(s, o, 1, n); },
      [](benchmark::State& s, op o, std::size_t n) { radicand_inplace<T>(s, o, 1, n); });
}

void register_dispatch() {
  benchmark::AddCustomContext("radicand_dispatch_backend", rd::simd_backend());
  register_dispatch_forms<float>();
  register_dispatch_forms<double>();
  register_dispatch_forms<rd::half>();
}

}  // namespace rbench
