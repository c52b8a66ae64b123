// radicand tests: sum, mean and var. The order of every floating sum is pinned bit for bit
// against an implementation of the order the README documents, written here from that text;
// the values against long double with the error bound of that order; the shapes, result types,
// empty and 0-d tensors and errors against PyTorch's documented behaviour.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "test_support.hpp"

namespace rd = radicand;
using Catch::Matchers::Contains;
using radicand_test::D;
using radicand_test::message_of;

namespace {

/// The documented order, written out: blocks of 256 in 16 lanes (lane j takes i = j mod 16, from
/// +0), lanes folded in halves, blocks combined by splitting at the largest power of two below
/// their count. Each step rounded to A (volatile: no contraction, no wider intermediate).
template <class A>
A documented_sum(const std::vector<A>& v, std::size_t first, std::size_t blocks) {
  if (blocks == 1) {
    volatile A lane[16];
    for (auto& l : lane) l = A(0);
    for (std::size_t i = first; i < first + 256 && i < v.size(); ++i) {
      const A s = lane[(i - first) % 16] + v[i];
      lane[(i - first) % 16] = s;
    }
    for (std::size_t w = 8; w >= 1; w /= 2)
      for (std::size_t j = 0; j < w; ++j) {
        const A s = lane[j] + lane[j + w];
        lane[j] = s;
      }
    return lane[0];
  }
  std::size_t p = 1;
  while (p * 2 < blocks) p *= 2;
  volatile A s = documented_sum(v, first, p) + documented_sum(v, first + p * 256, blocks - p);
  return s;
}
template <class A>
A documented_sum(const std::vector<A>& v) {
  return v.empty() ? A(0) : documented_sum(v, 0, (v.size() + 255) / 256);
}

template <class T>
std::uint64_t bits_of(T v) {
  std::uint64_t b = 0;
  std::memcpy(&b, &v, sizeof v);
  return b;
}

/// Values of every magnitude and both signs, reproducibly.
std::vector<float> mixed_floats(std::size_t n, std::uint64_t seed) {
  const rd::tensor<float> u = rd::randn<float>({static_cast<std::int64_t>(n)}, seed);
  std::vector<float> v(u.data(), u.data() + n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::ldexp(v[i], static_cast<int>(i % 23) - 11);
  return v;
}

}  // namespace

TEST_CASE("reduce: floating sums follow the documented order bit for bit", "[reduce]") {
  for (std::size_t n :
       {1u, 2u, 15u, 16u, 17u, 255u, 256u, 257u, 511u, 513u, 4099u, 65536u, 100003u}) {
    const std::vector<float> v = mixed_floats(n, n);
    const rd::tensor<float> x = rd::from_vector(v);
    INFO("n = " << n);
    CHECK(bits_of(rd::sum(x).item()) == bits_of(documented_sum(v)));
    std::vector<double> vd(v.begin(), v.end());
    CHECK(bits_of(rd::sum(x.to<double>()).item()) == bits_of(documented_sum(vd)));
  }
  // The order is that of the reduced elements' indices, whatever the layout: a transposed
  // tensor's row sums are those of the contiguous copy.
  const std::vector<float> v = mixed_floats(300 * 7, 3);
  const rd::tensor<float> m = rd::from_vector(v).reshape({300, 7});
  const rd::tensor<float> col_sums = m.t().sum(1);  // each: the 300 elements of a column
  for (std::int64_t c = 0; c < 7; ++c) {
    std::vector<float> column;
    for (std::int64_t r = 0; r < 300; ++r) column.push_back(v[static_cast<std::size_t>(r * 7 + c)]);
    CHECK(bits_of(col_sums.at({c})) == bits_of(documented_sum(column)));
    CHECK(bits_of(m.sum(0).at({c})) == bits_of(documented_sum(column)));
  }
  // Several dimensions reduce in the row-major order of the reduced ones.
  const rd::tensor<float> c3 = rd::from_vector(mixed_floats(4 * 50 * 6, 5)).reshape({4, 50, 6});
  const rd::tensor<float> s02 = c3.sum({0, 2});
  for (std::int64_t j = 0; j < 50; ++j) {
    std::vector<float> elems;
    for (std::int64_t i = 0; i < 4; ++i)
      for (std::int64_t k = 0; k < 6; ++k) elems.push_back(c3.at({i, j, k}));
    CHECK(bits_of(s02.at({j})) == bits_of(documented_sum(elems)));
  }
}

TEST_CASE("reduce: sums, means and variances against long double", "[reduce]") {
  // An ill-conditioned sum (cancelling large terms) and an ordinary one.
  std::vector<float> v = mixed_floats(50000, 11);
  for (std::size_t i = 0; i < v.size(); i += 100) v[i] = (i % 200 == 0 ? 1e7f : -1e7f);
  const rd::tensor<float> x = rd::from_vector(v);
  long double exact = 0, magnitude = 0;
  for (float f : v) {
    exact += f;
    magnitude += std::fabs(static_cast<long double>(f));
  }
  // The order's bound: 16 + 4 + log2(blocks) roundings of the sum of magnitudes.
  const long double bound = (16 + 4 + 8) * 0x1p-24L * magnitude;
  CHECK(std::fabs(static_cast<long double>(rd::sum(x).item()) - exact) <= bound);
  const long double mean = exact / static_cast<long double>(v.size());
  CHECK(std::fabs(static_cast<long double>(rd::mean(x).item()) - mean) <=
        bound / static_cast<long double>(v.size()) + 0x1p-24L * std::fabs(mean));
  long double squares = 0;
  for (float f : v) squares += (f - mean) * (f - mean);
  const long double var = squares / static_cast<long double>(v.size() - 1);
  CHECK(std::fabs(static_cast<long double>(rd::var(x).item()) - var) <= 1e-5L * var);
  // double, the same way.
  const rd::tensor<double> xd = x.to<double>();
  CHECK(std::fabs(static_cast<long double>(rd::sum(xd).item()) - exact) <=
        (16 + 4 + 8) * 0x1p-53L * magnitude);
}

TEST_CASE("reduce: shapes, keepdim, dims and the methods", "[reduce]") {
  const rd::tensor<float> x = rd::arange(1.f, 25.f).reshape({2, 3, 4});
  CHECK(rd::sum(x).dim() == 0);
  CHECK(rd::sum(x).item() == 300.f);
  CHECK(x.sum(0).shape() == D({3, 4}));
  CHECK(x.sum(-1).shape() == D({2, 3}));
  CHECK(x.sum(1, true).shape() == D({2, 1, 4}));
  CHECK(x.sum({0, 2}).shape() == D({3}));
  CHECK(x.sum({0, 2}, true).shape() == D({1, 3, 1}));
  CHECK(x.sum({}).dim() == 0);  // dim=[]: everything, as PyTorch
  CHECK(x.sum({}).item() == 300.f);
  CHECK(rd::sum(x, {-1, 0}).shape() == D({3}));
  CHECK(x.sum(2).at({1, 2}) == 21.f + 22.f + 23.f + 24.f);
  CHECK(x.mean(2).at({0, 0}) == 2.5f);
  CHECK(x.mean({0, 1}, true).shape() == D({1, 1, 4}));
  CHECK(x.mean({0, 1}).at({0}) == (1.f + 5.f + 9.f + 13.f + 17.f + 21.f) / 6.f);
  CHECK(x.var(2).at({0, 0}) == Approx(5.0 / 3.0));
  CHECK(x.var(2, 0.0).at({0, 0}) == 1.25f);
  CHECK(x.var({0, 1, 2}, 1.0, true).shape() == D({1, 1, 1}));
  CHECK(rd::var(x, 2, 2.0).at({0, 0}) == 2.5f);
  // 0-d: dims 0 and -1 name it.
  const rd::tensor<float> s = rd::scalar(3.f);
  CHECK(rd::sum(s, 0).dim() == 0);
  CHECK(rd::sum(s, -1, true).dim() == 0);
  CHECK(rd::mean(s).item() == 3.f);
  // The results are new, contiguous tensors.
  CHECK(x.transpose(0, 2).sum(0).is_contiguous());
}

TEST_CASE("reduce: result types and accumulation as PyTorch's", "[reduce]") {
  const rd::tensor<std::int32_t> i = rd::arange<std::int32_t>(6).reshape({2, 3});
  static_assert(std::is_same<decltype(i.sum()), rd::tensor<std::int64_t>>::value, "int sums");
  CHECK(i.sum(0).at({2}) == 2 + 5);
  const rd::tensor<bool> b = rd::tensor<bool>{true, false, true};
  static_assert(std::is_same<decltype(rd::sum(b)), rd::tensor<std::int64_t>>::value, "bool sums");
  CHECK(rd::sum(b).item() == 2);
  // int64 sums wrap modulo 2^64.
  const rd::tensor<std::int64_t> big = rd::full<std::int64_t>({2}, INT64_MAX);
  CHECK(rd::sum(big).item() == -2);
  // 16-bit types accumulate in float: 10000 ones sum to 10000, not to half's 2048.
  const rd::tensor<rd::half> h = rd::ones<rd::half>({10000});
  static_assert(std::is_same<decltype(h.sum()), rd::tensor<rd::half>>::value, "half sums");
  CHECK(static_cast<float>(h.sum().item()) == 10000.f);
  CHECK(static_cast<float>(h.mean().item()) == 1.f);
  const rd::tensor<rd::bfloat16> bf = rd::ones<rd::bfloat16>({1000});
  CHECK(static_cast<float>(bf.sum().item()) == 1000.f);
}

TEST_CASE("reduce: empty tensors and degenerate variances", "[reduce]") {
  const rd::tensor<float> e = rd::empty<float>({0, 3});
  CHECK(rd::sum(e).item() == 0.f);
  CHECK(std::isnan(rd::mean(e).item()));
  CHECK(std::isnan(rd::var(e).item()));
  CHECK(e.sum(0).shape() == D({3}));
  CHECK(e.sum(0).at({1}) == 0.f);
  CHECK(e.sum(1).shape() == D({0}));
  CHECK(std::isnan(e.mean(0).at({2})));
  // One element: n - 1 = 0 divides 0 (NaN); a correction beyond n divides by 0 too.
  CHECK(std::isnan(rd::tensor<float>{2.f}.var().item()));
  CHECK(rd::tensor<float>{2.f}.var(0, 0.0).item() == 0.f);
  CHECK(std::isinf(rd::tensor<float>{1.f, 3.f}.var(0, 5.0).item()));
  // The sum of signed zeros is +0 (every lane starts at +0, as PyTorch's accumulators).
  CHECK(bits_of(rd::sum(rd::tensor<float>{-0.f, -0.f}).item()) == 0u);
}

TEST_CASE("reduce: errors name the operation and the values", "[reduce]") {
  const rd::tensor<float> x = rd::zeros<float>({2, 3});
  CHECK_THAT(message_of<rd::index_error>([&] { (void)x.sum(2); }),
             Contains("radicand::sum") && Contains("dimension 2"));
  CHECK_THROWS_AS(x.mean(-3), rd::index_error);
  CHECK_THAT(message_of<rd::value_error>([&] {
               (void)x.sum({1, -1});
             }),
             Contains("radicand::sum") && Contains("more than once"));
  CHECK_THAT(message_of<rd::value_error>([&] { (void)x.var(0, -0.5); }),
             Contains("radicand::var") && Contains("correction"));
  CHECK_THROWS_AS(x.var(0, std::numeric_limits<double>::quiet_NaN()), rd::value_error);
  CHECK_THROWS_AS(rd::sum(rd::scalar(1.f), 1), rd::index_error);
}

TEST_CASE("reduce: the device's tree without recursion is the host's tree", "[reduce]") {
  // math::combine_in_place (the CUDA kernels' form) against math::combine_blocks on values
  // whose sums depend on the order, for every count up to 700 (perfect, ragged, one, none).
  namespace m = rd::detail::math;
  std::uint64_t state = 12345;
  for (std::size_t count = 0; count <= 700; ++count) {
    std::vector<float> v(count);
    for (float& f : v) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      f = std::ldexp(static_cast<float>(state >> 40) - 8388608.f,
                     static_cast<int>(state % 40) - 20);
    }
    const float tree =
        count == 0 ? 0.f : m::combine_blocks<float>(0, count, [&](std::size_t b) { return v[b]; });
    std::vector<float> work = v;
    INFO("count " << count);
    REQUIRE(bits_of(m::combine_in_place(work.data(), count)) == bits_of(tree));
  }
}
