// Peer: Eigen 3.4 coefficient-wise rsqrt()/sqrt() on Eigen::Map'ed arrays, written into a
// preallocated output (`out = x.rsqrt()`) or in place (`a = a.rsqrt()`), on one thread (Eigen has
// no threaded coefficient-wise path). Eigen's defaults apply: with
// EIGEN_FAST_MATH (on by default) its vectorised float rsqrt is an approximation refined by a
// Newton step, not correctly rounded.
#include "peer_eigen.hpp"

namespace rbench {
namespace {

template <class E>
using array_t = Eigen::Array<E, Eigen::Dynamic, 1>;

template <class T>
void eigen_out(benchmark::State& state, op o, std::size_t n) {
  using E = typename eigen_type<T>::type;
  set_threads(1);
  buffer<E> in = eigen_inputs<T>(n);
  buffer<E> res(n);
  const Eigen::Map<const array_t<E>, Eigen::Aligned64> x(in.data(), static_cast<Eigen::Index>(n));
  Eigen::Map<array_t<E>, Eigen::Aligned64> out(res.data(), static_cast<Eigen::Index>(n));
  for (auto _ : state) {
    if (o == op::rsqrt) {
      out = x.rsqrt();
    } else {
      out = x.sqrt();
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, n);
}

template <class T>
void eigen_inplace(benchmark::State& state, op o, std::size_t n) {
  using E = typename eigen_type<T>::type;
  set_threads(1);
  buffer<E> in = eigen_inputs<T>(n);
  inplace_pool<E> pool(in.data(), n);
  run_inplace(state, pool, [&](std::size_t k) {
    Eigen::Map<array_t<E>, Eigen::Aligned64> a(pool.data(k), static_cast<Eigen::Index>(n));
    if (o == op::rsqrt) {
      a = a.rsqrt();
    } else {
      a = a.sqrt();
    }
    benchmark::DoNotOptimize(a.data());
  });
  set_counters<T>(state, n);
}

template <class T>
void register_type() {
  register_out_and_inplace<T>("eigen", eigen_out<T>, eigen_inplace<T>);
}

}  // namespace

void register_eigen() {
  for (op o : {op::rsqrt, op::sqrt}) {
    record_accuracy("eigen", o == op::rsqrt, [o](const float* in, float* out, std::size_t n) {
      const Eigen::Map<const array_t<float>> x(in, static_cast<Eigen::Index>(n));
      Eigen::Map<array_t<float>> y(out, static_cast<Eigen::Index>(n));
      if (o == op::rsqrt) {
        y = x.rsqrt();
      } else {
        y = x.sqrt();
      }
    });
  }
  register_type<float>();
  register_type<double>();
  register_type<rd::half>();
  register_type<rd::bfloat16>();
  benchmark::AddCustomContext("eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." +
                                                   std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                                   std::to_string(EIGEN_MINOR_VERSION));
}

}  // namespace rbench
