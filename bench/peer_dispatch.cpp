// radicand again, as a baseline x86-64 unit with runtime dispatch: this file alone is compiled
// with -march=x86-64 -DRADICAND_RUNTIME_DISPATCH=1, so its kernels are the ones it picks for this
// CPU at run time, timed beside the -march=native build of cpu_bench.cpp in the same binary
// ("radicand_dispatch" against "radicand"). Its tensors are its own (another ABI namespace).
#include "bench_common.hpp"

#if !RADICAND_ARCH_DISPATCH
#error "bench/CMakeLists.txt compiles this file with -DRADICAND_RUNTIME_DISPATCH=1 on x86-64"
#endif

namespace rbench {
namespace {

template <class T>
void dispatch_out(benchmark::State& state, op o, std::size_t n) {
  set_threads(1);
  buffer<T> in = make_inputs<T>(n);
  buffer<T> res(n);
  const rd::tensor<T> x = rd::from_blob(in.data(), {static_cast<std::int64_t>(n)});
  rd::tensor<T> out = rd::from_blob(res.data(), {static_cast<std::int64_t>(n)});
  for (auto _ : state) {
    if (o == op::rsqrt) {
      rd::rsqrt(x, out);
    } else {
      rd::sqrt(x, out);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, n);
}

template <class T>
void dispatch_inplace(benchmark::State& state, op o, std::size_t n) {
  set_threads(1);
  buffer<T> in = make_inputs<T>(n);
  inplace_pool<T> pool(in.data(), n);
  std::vector<rd::tensor<T>> views;
  for (std::size_t k = 0; k < pool.count(); ++k)
    views.push_back(rd::from_blob(pool.data(k), {static_cast<std::int64_t>(n)}));
  run_inplace(state, pool, [&](std::size_t k) {
    if (o == op::rsqrt) {
      views[k].rsqrt_();
    } else {
      views[k].sqrt_();
    }
    benchmark::DoNotOptimize(views[k].data());
  });
  set_counters<T>(state, n);
}

}  // namespace

void register_dispatch() {
  benchmark::AddCustomContext("radicand_dispatch_backend", rd::simd_backend());
  register_out_and_inplace<float>("radicand_dispatch", dispatch_out<float>,
                                  dispatch_inplace<float>);
  register_out_and_inplace<double>("radicand_dispatch", dispatch_out<double>,
                                   dispatch_inplace<double>);
  register_out_and_inplace<rd::half>("radicand_dispatch", dispatch_out<rd::half>,
                                     dispatch_inplace<rd::half>);
}

}  // namespace rbench
