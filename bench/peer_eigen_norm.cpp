// Peer: the normalisations and the sum written as Eigen 3.4 row-wise array expressions, on
// Eigen::Map'ed row-major [rows, 4096] arrays, one thread (Eigen's array expressions have no
// threaded path), each result a new array, as radicand's is:
//   inv = (x.square().rowwise().mean() + eps).rsqrt();  y = (x.colwise() * inv).rowwise() * w
//   mean = x.rowwise().mean();  inv = ((x.colwise() - mean).square().rowwise().mean() +
//   eps).rsqrt(); y = (((x.colwise() - mean).colwise() * inv).rowwise() * w).rowwise() + b
// and x.sum(). bfloat16 (Eigen::bfloat16) is computed in float, x and the parameters cast to
// float in the expression and the result cast back once, as radicand does. Eigen's defaults
// apply: its vectorised float rsqrt is an approximation refined by a Newton step.
#include "peer_eigen.hpp"

namespace rbench {
namespace {

template <class E>
using rows_t = Eigen::Array<E, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class E>
using row_t = Eigen::Array<E, 1, Eigen::Dynamic>;

/// x [rows, 4096], weight and bias [4096]: the inputs norm_bench.cpp gives radicand.
template <class T, class E = typename eigen_type<T>::type>
struct eigen_norm_inputs {
  explicit eigen_norm_inputs(std::int64_t rows)
      : in(eigen_inputs<T>(static_cast<std::size_t>(rows * norm_cols))),
        params(eigen_inputs<T>(static_cast<std::size_t>(3 * norm_cols))),
        x(in.data(), rows, norm_cols),
        weight(params.data(), norm_cols),
        bias(params.data() + 2 * norm_cols, norm_cols) {}
  buffer<E> in, params;
  Eigen::Map<const rows_t<E>, Eigen::Aligned64> x;
  Eigen::Map<const row_t<E>> weight, bias;
};

template <class T, class E = typename eigen_type<T>::type>
rows_t<E> apply(norm k, const eigen_norm_inputs<T>& a) {
  const auto x = a.x.template cast<float>();
  const auto w = a.weight.template cast<float>();
  const auto eps = static_cast<float>(norm_eps(k));
  if (k == norm::rms) {
    const Eigen::ArrayXf inv = (x.square().rowwise().mean() + eps).rsqrt();
    return ((x.colwise() * inv).rowwise() * w).template cast<E>();
  }
  const Eigen::ArrayXf mean = x.rowwise().mean();
  const Eigen::ArrayXf inv = ((x.colwise() - mean).square().rowwise().mean() + eps).rsqrt();
  return ((((x.colwise() - mean).colwise() * inv).rowwise() * w).rowwise() +
          a.bias.template cast<float>())
      .template cast<E>();
}

template <class T>
void eigen_norm(benchmark::State& state, norm k, std::int64_t rows) {
  set_threads(1);
  const eigen_norm_inputs<T> a(rows);
  for (auto _ : state) {
    auto y = apply(k, a);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, static_cast<std::size_t>(rows * norm_cols));
}

void eigen_sum(benchmark::State& state, std::int64_t rows) {
  set_threads(1);
  const eigen_norm_inputs<float> a(rows);
  for (auto _ : state) {
    float s = a.x.sum();
    benchmark::DoNotOptimize(s);
  }
  set_read_counters<float>(state, static_cast<std::size_t>(rows * norm_cols));
}

template <class T>
void register_type() {
  for (norm k : {norm::rms, norm::layer}) {
    register_shapes<T>(
        norm_name(k), "eigen", {1},
        [k](benchmark::State& s, std::int64_t rows, int) { eigen_norm<T>(s, k, rows); });
  }
}

}  // namespace

void register_eigen_norms() {
  register_type<float>();
  register_type<rd::bfloat16>();
  add(bench_name("sum", "float", "oop", "eigen", 1, sum_rows * norm_cols),
      [](benchmark::State& s) { eigen_sum(s, sum_rows); });
}

}  // namespace rbench
