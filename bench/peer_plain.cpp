// Peer: a plain loop, as a user would write it: out[i] = 1.0f / std::sqrt(in[i]) (and
// std::sqrt), on 1 thread. The compiler vectorises it at
// -O3 -march=native once it may drop errno (this file alone is compiled with -fno-math-errno;
// results are still IEEE sqrt and division). Not correctly rounded for rsqrt: it rounds twice
// (sqrt, then the division). half and bfloat16 go through float with rd::half's and
// rd::bfloat16's conversions.
#include "bench_common.hpp"

namespace rbench {
namespace {

template <class T>
inline T plain_rsqrt(T x) {
  return T(1.0f / std::sqrt(static_cast<float>(x)));  // half, bfloat16: through float
}
template <>
inline float plain_rsqrt(float x) {
  return 1.0f / std::sqrt(x);
}
template <>
inline double plain_rsqrt(double x) {
  return 1.0 / std::sqrt(x);
}
template <class T>
inline T plain_sqrt(T x) {
  return T(std::sqrt(static_cast<float>(x)));
}
template <>
inline float plain_sqrt(float x) {
  return std::sqrt(x);
}
template <>
inline double plain_sqrt(double x) {
  return std::sqrt(x);
}

template <class T>
void plain_loop(op o, const T* in, T* out, std::size_t n) {
  if (o == op::rsqrt) {
    for (std::size_t i = 0; i < n; ++i) out[i] = plain_rsqrt(in[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) out[i] = plain_sqrt(in[i]);
  }
}

/// The in-place loop on one pointer, so the compiler needs no aliasing check.
template <class T>
void plain_loop_inplace(op o, T* p, std::size_t n) {
  if (o == op::rsqrt) {
    for (std::size_t i = 0; i < n; ++i) p[i] = plain_rsqrt(p[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) p[i] = plain_sqrt(p[i]);
  }
}

template <class T>
void plain_out(benchmark::State& state, op o, std::size_t n) {
  set_threads(1);
  buffer<T> in = make_inputs<T>(n);
  buffer<T> res(n);
  for (auto _ : state) {
    plain_loop(o, in.data(), res.data(), n);
    benchmark::DoNotOptimize(res.data());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, n);
}

template <class T>
void plain_inplace(benchmark::State& state, op o, std::size_t n) {
  set_threads(1);
  buffer<T> in = make_inputs<T>(n);
  inplace_pool<T> pool(in.data(), n);
  run_inplace(state, pool, [&](std::size_t k) {
    plain_loop_inplace(o, pool.data(k), n);
    benchmark::DoNotOptimize(pool.data(k));
  });
  set_counters<T>(state, n);
}

template <class T>
void register_type() {
  register_out_and_inplace<T>("plain", plain_out<T>, plain_inplace<T>);
}

}  // namespace

void register_plain() {
  for (op o : {op::rsqrt, op::sqrt}) {
    record_accuracy("plain", o == op::rsqrt,
                    [o](const float* in, float* out, std::size_t n) { plain_loop(o, in, out, n); });
  }
  register_type<float>();
  register_type<double>();
  register_type<rd::half>();
  register_type<rd::bfloat16>();
}

}  // namespace rbench
