// radicand: the summation order every reduction uses, on every backend, thread count and device,
// so that a sum is the same bits wherever it runs. The order depends on the element count alone:
//   - elements i = 0, 1, ..., n-1 (in the row-major order of the reduced dimensions);
//   - blocks of block_elements = 256 consecutive elements; in each, lanes j = 0..15 start at +0 and
//     add the elements i = j (mod 16) in increasing i; the block's value folds the lanes in
//     halves: lane[j] += lane[j + w] for w = 8, 4, 2, 1 (j < w), and is lane[0];
//   - the blocks' values combine as a tree: the sum of m blocks is the sum of the first p, where p
//     is the largest power of two below m, plus the sum of the other m - p (one block: itself).
// Every step rounds to the accumulator type. The error is at most (16 + 4 + log2(m)) roundings of
// the sum of magnitudes, like pairwise summation's (the tests check it against long double).
#ifndef RADICAND_MATH_FIXED_SUM_HPP
#define RADICAND_MATH_FIXED_SUM_HPP

#include <cstddef>
#include <cstdint>

#include "../config.hpp"
#include "rounded.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace math {

constexpr std::size_t sum_lanes = 16;
constexpr std::size_t block_elements = 256;

/// What is summed of each element x: x itself, x * x, or (x - c) * (x - c) for a centre c, the
/// product rounded on its own (never fused with the addition into the lane).
enum class summand { value, square, centred_square };

template <summand S, class A>
RADICAND_HOST_DEVICE A summand_of(A x, A c) noexcept {
  if constexpr (S == summand::value) {
    (void)c;
    return x;
  } else if constexpr (S == summand::square) {
    (void)c;
    return mul_rn(x, x);
  } else {
    const A d = x - c;
    return mul_rn(d, d);
  }
}

/// The value of one block of k <= block_elements elements, element(i) giving the i-th (already
/// in the accumulator type A), in the fixed order above.
template <class A, class Element>
A block_sum(std::size_t k, const Element& element) {
  A lane[sum_lanes];
  for (std::size_t j = 0; j < sum_lanes; ++j) lane[j] = A(0);
  for (std::size_t i = 0; i < k; ++i) lane[i % sum_lanes] = lane[i % sum_lanes] + element(i);
  for (std::size_t w = sum_lanes / 2; w >= 1; w /= 2)
    for (std::size_t j = 0; j < w; ++j) lane[j] = lane[j] + lane[j + w];
  return lane[0];
}

/// The largest power of two below m (m >= 2).
RADICAND_HOST_DEVICE constexpr std::size_t power_of_two_below(std::size_t m) noexcept {
  std::size_t p = 1;
  while (p * 2 < m) p *= 2;
  return p;
}

/// The blocks [first, first + m) combined in the fixed tree, block(b) giving block b's value.
template <class A, class Block>
A combine_blocks(std::size_t first, std::size_t m, const Block& block) {
  if (m == 1) return block(first);
  const std::size_t p = power_of_two_below(m);
  return combine_blocks<A>(first, p, block) + combine_blocks<A>(first + p, m - p, block);
}

/// combine_blocks over the values v[0, m) without recursion, overwriting v (the device's
/// form): the tree of m blocks is perfect trees along m's binary digits, the largest first,
/// summed as p1 + (p2 + (... + pk)); a perfect tree of s values adds v[j] += v[j + w] for
/// w = 1, 2, ..., s / 2 at every j that is a multiple of 2w. None: +0.
template <class A>
RADICAND_HOST_DEVICE A combine_in_place(A* v, std::size_t m) {
  bool any = false;
  A total = A(0);
  for (std::size_t s = 1; s != 0 && s <= m; s *= 2) {
    if ((m & s) == 0) continue;
    const std::size_t first = m & ~(2 * s - 1);  // the larger digits come before this tree
    for (std::size_t w = 1; w < s; w *= 2)
      for (std::size_t j = first; j < first + s; j += 2 * w) v[j] = v[j] + v[j + w];
    total = any ? v[first] + total : v[first];
    any = true;
  }
  return total;
}

/// The sum of n elements in the fixed order; element(i) gives the i-th in the accumulator type.
/// The sum of none is +0.
template <class A, class Element>
A fixed_sum(std::size_t n, const Element& element) {
  if (n == 0) return A(0);
  const std::size_t blocks = (n + block_elements - 1) / block_elements;
  return combine_blocks<A>(0, blocks, [&](std::size_t b) {
    const std::size_t first = b * block_elements;
    const std::size_t k = n - first < block_elements ? n - first : block_elements;
    return block_sum<A>(k, [&](std::size_t i) { return element(first + i); });
  });
}

}  // namespace math
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_MATH_FIXED_SUM_HPP
