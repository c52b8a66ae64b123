// radicand's out and in-place forms as benchmarks, for each unit that times its own build of
// the library (cpu_bench.cpp at -march=native, peer_baseline.cpp for baseline x86-64). In an
// unnamed namespace, so that each unit keeps its own instantiations: the units are compiled
// with different flags, and shared ones would let the linker pick one unit's code for both.
#ifndef RADICAND_BENCH_RADICAND_FORMS_HPP
#define RADICAND_BENCH_RADICAND_FORMS_HPP

#include "bench_common.hpp"

namespace rbench {
namespace {

template <class T>
void radicand_out(benchmark::State& state, op o, int threads, std::size_t n) {
  set_threads(threads);
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
void radicand_inplace(benchmark::State& state, op o, int threads, std::size_t n) {
  set_threads(threads);
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
}  // namespace rbench

#endif  // RADICAND_BENCH_RADICAND_FORMS_HPP
