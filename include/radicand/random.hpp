// radicand: random tensors (rand, randn), the same on every platform for a seed.
#ifndef RADICAND_RANDOM_HPP
#define RADICAND_RANDOM_HPP

#include <cmath>
#include <cstdint>
#include <vector>

#include "factories.hpp"
#include "tensor.hpp"

RADICAND_NAMESPACE_BEGIN

namespace detail {
/// splitmix64: a small, portable generator so random tensors are the same on every platform.
struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};
}  // namespace detail

/// Uniform values in [0, 1), reproducible from the seed.
template <class T>
tensor<T> rand(const std::vector<std::int64_t>& shape, std::uint64_t seed = 0, cpu_t = {}) {
  static_assert(is_floating_element<T>::value, "radicand::rand: T must be a floating type");
  tensor<T> r = detail::allocate_tensor<T>("rand", shape);
  detail::splitmix64 g{seed};
  T* p = r.data();
  for (std::int64_t i = 0, n = r.numel(); i < n; ++i) {
    T v = detail::convert<T>(g.uniform());
    // Rounding to a narrow type can reach 1: keep the interval half-open.
    if (static_cast<double>(detail::convert<double>(v)) >= 1.0) v = detail::convert<T>(0.0);
    p[i] = v;
  }
  return r;
}

/// Standard normal values (Box-Muller), reproducible from the seed.
template <class T>
tensor<T> randn(const std::vector<std::int64_t>& shape, std::uint64_t seed = 0, cpu_t = {}) {
  static_assert(is_floating_element<T>::value, "radicand::randn: T must be a floating type");
  tensor<T> r = detail::allocate_tensor<T>("randn", shape);
  detail::splitmix64 g{seed};
  T* p = r.data();
  const std::int64_t n = r.numel();
  for (std::int64_t i = 0; i < n; i += 2) {
    const double u1 = 1.0 - g.uniform(), u2 = g.uniform();  // u1 in (0, 1]
    const double rad = std::sqrt(-2.0 * std::log(u1));
    const double a = 6.283185307179586 * u2;
    p[i] = detail::convert<T>(rad * std::cos(a));
    if (i + 1 < n) p[i + 1] = detail::convert<T>(rad * std::sin(a));
  }
  return r;
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_RANDOM_HPP
