// Tensors past 2^31 and 2^32 elements on the CPU, to prove 64-bit indexing end to end: every
// element of each result is checked against its reference, especially those around 2^31 and
// 2^32 and at the far end. Heavy (about 10 GiB of memory at the peak): opt-in, with the CMake
// option RADICAND_LARGE_TESTS and the CTest label "large" (ctest -L large).
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace rd = radicand;

namespace {
constexpr std::int64_t two31 = std::int64_t{1} << 31;
constexpr std::int64_t two32 = std::int64_t{1} << 32;
}  // namespace

TEST_CASE("large: rsqrt of more than 2^31 uint8 elements into float", "[large]") {
  // 2^31 + 4099 elements (2 GiB) promote to float (8 GiB): byte offsets in the result pass 2^33.
  const std::int64_t n = two31 + 4099;
  rd::tensor<std::uint8_t> x = rd::empty<std::uint8_t>({n});
  std::uint8_t* p = x.data();
  for (std::int64_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(i % 251);  // 251: prime
  // The reference of each value, correctly rounded (1/sqrt(v) computed in long double, whose
  // 64 digits leave the rounding to float's 24 unambiguous for these 251 integers).
  std::vector<float> ref(251);
  for (int v = 0; v < 251; ++v)
    ref[static_cast<std::size_t>(v)] =
        static_cast<float>(1.0L / std::sqrt(static_cast<long double>(v)));
  const rd::tensor<float> r = rd::rsqrt(x);
  REQUIRE(r.shape() == std::vector<std::int64_t>{n});
  const float* q = r.data();
  for (std::int64_t i : {std::int64_t{0}, two31 - 2, two31 - 1, two31, two31 + 1, n - 1}) {
    INFO("index " << i);
    CHECK(q[i] == ref[static_cast<std::size_t>(i % 251)]);
  }
  std::int64_t wrong = 0;
  for (std::int64_t i = 0; i < n; ++i)
    wrong += q[i] == ref[static_cast<std::size_t>(i % 251)] ? 0 : 1;
  CHECK(wrong == 0);
  // The same through a strided view: every other element of the second half, reaching offsets
  // past 2^31 in the input.
  const rd::tensor<float> half = rd::sqrt(x.slice(0, n / 2, n, 2));
  const float* h = half.data();
  std::int64_t wrong_half = 0;
  for (std::int64_t k = 0; k < half.numel(); ++k) {
    const std::int64_t i = n / 2 + 2 * k;
    wrong_half += h[k] == static_cast<float>(std::sqrt(static_cast<long double>(i % 251))) ? 0 : 1;
  }
  CHECK(half.numel() == (n - n / 2 + 1) / 2);
  CHECK(wrong_half == 0);
}

TEST_CASE("large: a broadcast sum with more than 2^32 elements", "[large]") {
  // [65537, 65536] uint8 = 2^32 + 2^16 elements (4 GiB) from two broadcast operands of 64 KiB.
  const std::int64_t rows = (std::int64_t{1} << 16) + 1, cols = std::int64_t{1} << 16;
  rd::tensor<std::uint8_t> a = rd::empty<std::uint8_t>({1, cols});
  rd::tensor<std::uint8_t> b = rd::empty<std::uint8_t>({rows, 1});
  for (std::int64_t j = 0; j < cols; ++j) a.data()[j] = static_cast<std::uint8_t>(j * 7);
  for (std::int64_t i = 0; i < rows; ++i) b.data()[i] = static_cast<std::uint8_t>(i * 13 + 1);
  const rd::tensor<std::uint8_t> s = a + b;
  REQUIRE(s.shape() == std::vector<std::int64_t>{rows, cols});
  REQUIRE(s.numel() > two32);
  const std::uint8_t* p = s.data();
  auto expected = [&](std::int64_t lin) {
    return static_cast<std::uint8_t>((lin % cols) * 7 + (lin / cols) * 13 + 1);  // modulo 2^8
  };
  for (std::int64_t lin : {two31, two32 - 1, two32, two32 + 1, s.numel() - 1}) {
    INFO("index " << lin);
    CHECK(p[lin] == expected(lin));
  }
  std::int64_t wrong = 0;
  for (std::int64_t lin = 0; lin < s.numel(); ++lin) wrong += p[lin] == expected(lin) ? 0 : 1;
  CHECK(wrong == 0);
  CHECK(s.at({rows - 1, cols - 1}) == expected(s.numel() - 1));
}
