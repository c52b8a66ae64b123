// The Eigen peers' shared part: Eigen's element type for each of radicand's, and the suite's
// inputs in Eigen-typed buffers.
#ifndef RADICAND_BENCH_PEER_EIGEN_HPP
#define RADICAND_BENCH_PEER_EIGEN_HPP

#include <Eigen/Core>

#include "bench_common.hpp"

namespace rbench {

/// Eigen's element type for each of radicand's (the 16-bit types are bit-compatible).
template <class T>
struct eigen_type {
  using type = T;
};
template <>
struct eigen_type<rd::half> {
  using type = Eigen::half;
};
template <>
struct eigen_type<rd::bfloat16> {
  using type = Eigen::bfloat16;
};

/// radicand's inputs, copied bit for bit into an Eigen-typed buffer.
template <class T, class E = typename eigen_type<T>::type>
buffer<E> eigen_inputs(std::size_t n) {
  static_assert(sizeof(E) == sizeof(T), "bit-compatible element types");
  buffer<T> src = make_inputs<T>(n);
  buffer<E> b(n);
  std::memcpy(static_cast<void*>(b.data()), static_cast<const void*>(src.data()), n * sizeof(T));
  return b;
}

}  // namespace rbench

#endif  // RADICAND_BENCH_PEER_EIGEN_HPP
