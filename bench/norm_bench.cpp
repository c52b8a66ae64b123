// radicand's normalisations and sum in the CPU suite: rd::rms_norm(x, weight, eps) and
// rd::layer_norm(x, weight, bias, eps) over the last dimension of [32, 4096] and [4096, 4096]
// float and bfloat16, and rd::sum(x) of [4096, 4096] float, on 1 and 2 threads. Each returns a
// new tensor (the timing includes allocating it). Peers: peer_torch_norm.cpp, peer_eigen_norm.cpp;
// the memcpy of the same bytes: cpu_bench.cpp. The JSON context records whether the results
// on 1 and 2 threads have the same bits.
#include "bench_common.hpp"

namespace rbench {
namespace {

/// The inputs of one normalisation: x [rows, 4096] and the weight and bias [4096], all from the
/// suite's input pattern (the bias from a later part of it than the weight).
template <class T>
struct norm_inputs {
  explicit norm_inputs(std::int64_t rows)
      : in(make_inputs<T>(static_cast<std::size_t>(rows * norm_cols))),
        params(make_inputs<T>(static_cast<std::size_t>(3 * norm_cols))),
        x(rd::from_blob(in.data(), {rows, norm_cols})),
        weight(rd::from_blob(params.data(), {norm_cols})),
        bias(rd::from_blob(params.data() + 2 * norm_cols, {norm_cols})) {}
  buffer<T> in, params;
  rd::tensor<T> x, weight, bias;
};

template <class T>
rd::tensor<T> apply(norm k, const norm_inputs<T>& a) {
  return k == norm::rms ? rd::rms_norm(a.x, a.weight, norm_eps(k))
                        : rd::layer_norm(a.x, a.weight, a.bias, norm_eps(k));
}

template <class T>
void radicand_norm(benchmark::State& state, norm k, std::int64_t rows, int threads) {
  set_threads(threads);
  const norm_inputs<T> a(rows);
  for (auto _ : state) {
    rd::tensor<T> y = apply(k, a);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, static_cast<std::size_t>(rows * norm_cols));
}

void radicand_sum(benchmark::State& state, std::int64_t rows, int threads) {
  set_threads(threads);
  const std::size_t n = static_cast<std::size_t>(rows * norm_cols);
  buffer<float> in = make_inputs<float>(n);
  const rd::tensor<float> x = rd::from_blob(in.data(), {rows, norm_cols});
  for (auto _ : state) {
    rd::tensor<float> s = rd::sum(x);
    benchmark::DoNotOptimize(s.data());
    benchmark::ClobberMemory();
  }
  set_read_counters<float>(state, n);
}

/// "yes" when f() gives the same bits on 1 and 2 threads, on [4096, 4096].
template <class T, class F>
const char* same_on_1_and_2_threads(F f) {
  rd::set_num_threads(1);
  const rd::tensor<T> one = f();
  rd::set_num_threads(2);
  const rd::tensor<T> two = f();
  return same_bits(one.data(), two.data(), static_cast<std::size_t>(one.numel()) * sizeof(T));
}

template <class T>
void register_type(std::string& reproducible) {
  const char* dt = dtype_name<T>::value;
  for (norm k : {norm::rms, norm::layer}) {
    register_shapes<T>(
        norm_name(k), "radicand", thread_counts(),
        [k](benchmark::State& s, std::int64_t rows, int t) { radicand_norm<T>(s, k, rows, t); });
    const norm_inputs<T> a(4096);
    reproducible += std::string(reproducible.empty() ? "" : ", ") + norm_name(k) + " " + dt + ": " +
                    same_on_1_and_2_threads<T>([&] { return apply(k, a); });
  }
}

}  // namespace

void register_norms() {
  std::string reproducible;
  register_type<float>(reproducible);
  register_type<rd::bfloat16>(reproducible);
  for (int t : thread_counts()) {
    if (t > 1 && !have_openmp()) continue;
    add(bench_name("sum", "float", "oop", "radicand", t, sum_rows * norm_cols),
        [=](benchmark::State& s) { radicand_sum(s, sum_rows, t); });
  }
  buffer<float> in = make_inputs<float>(static_cast<std::size_t>(sum_rows * norm_cols));
  const rd::tensor<float> x = rd::from_blob(in.data(), {sum_rows, norm_cols});
  reproducible +=
      std::string(", sum float: ") + same_on_1_and_2_threads<float>([&] { return rd::sum(x); });
  benchmark::AddCustomContext("norms_same_bits_1_and_2_threads_radicand", reproducible);
}

}  // namespace rbench
