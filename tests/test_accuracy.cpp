// radicand tests: accuracy of the raw CPU kernels against the independent MPFR reference
// (tests/mpfr_reference.hpp). The contract (API.md): rsqrt and sqrt are correctly rounded (to
// nearest, ties to even) for float, half and bfloat16, sqrt for double, and rsqrt for double as
// the implementation claims; special values as API.md lists them. Nothing here compares rsqrt with
// sqrt or with anything but MPFR.
//
// Every check runs the kernel on a batch of inputs and compares each result with the reference
// bit for bit, NaNs included (the canonical NaN, API.md).
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "mpfr_reference.hpp"

// Test names avoid square brackets and commas: catch_discover_tests passes them through CMake lists
// and Catch test specs, where both mean something.

namespace {

using radicand::bfloat16;
using radicand::half;
using radicand_test::format;
using radicand_test::op;
using radicand_test::op_name;
using radicand_test::reference_bits;

constexpr std::size_t batch_size = std::size_t{1} << 20;

template <class T>
void run_kernel(op o, const T* in, T* out, std::size_t n) {
  if (o == op::rsqrt) {
    radicand::kernels::rsqrt(in, out, n);
  } else {
    radicand::kernels::sqrt(in, out, n);
  }
}

/// Bit patterns equal, NaNs included: the reference's NaN is the canonical one (API.md).
template <class T>
bool same_result(std::uint64_t expected, std::uint64_t actual) {
  return expected == actual;
}

template <class T>
std::string hex_bits(std::uint64_t b) {
  std::ostringstream os;
  os << "0x" << std::hex << std::setw(format<T>::width / 4) << std::setfill('0') << b;
  return os.str();
}

template <class T>
std::string describe(std::uint64_t b) {
  std::ostringstream os;
  os << hex_bits<T>(b) << " (" << std::hexfloat << format<T>::decode(b) << ")";
  return os.str();
}

/// Counts checked and wrong results and keeps the first few wrong ones for the report.
struct tally {
  std::uint64_t checked = 0;
  std::uint64_t wrong = 0;
  std::string examples;

  template <class T>
  void compare(op o, std::uint64_t input, std::uint64_t expected, std::uint64_t actual) {
    ++checked;
    if (same_result<T>(expected, actual)) return;
    if (++wrong <= 10) {
      examples += std::string(format<T>::name) + " " + op_name(o) + "(" + describe<T>(input) +
                  "): expected " + describe<T>(expected) + ", got " + describe<T>(actual) + "\n";
    }
  }
};

/// Prints the count (once per check) and requires that nothing was wrong.
#define RADICAND_TEST_REQUIRE_NONE_WRONG(label, t)                                          \
  do {                                                                                      \
    std::cout << "  " << (label) << ": " << (t).checked << " values checked, " << (t).wrong \
              << " wrong" << std::endl;                                                     \
    INFO((label) << ": " << (t).wrong << " of " << (t).checked << " wrong; first ones:\n"   \
                 << (t).examples);                                                          \
    REQUIRE((t).checked > 0);                                                               \
    REQUIRE((t).wrong == 0);                                                                \
  } while (false)

/// Checks op on gen(0) .. gen(count - 1) (gen returns a bit pattern) in kernel batches.
template <class T, class Gen>
void check_generated(op o, std::uint64_t count, Gen gen, tally& t) {
  using F = format<T>;
  const std::size_t cap = static_cast<std::size_t>(std::min<std::uint64_t>(count, batch_size));
  std::vector<T> in(cap), out(cap);
  for (std::uint64_t start = 0; start < count; start += cap) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(cap, count - start));
    for (std::size_t i = 0; i < n; ++i) in[i] = F::from_bits(gen(start + i));
    run_kernel(o, in.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      t.compare<T>(o, F::to_bits(in[i]), reference_bits(o, in[i]), F::to_bits(out[i]));
    }
  }
}

template <class T>
void check_bits(op o, const std::vector<std::uint64_t>& bits, tally& t) {
  check_generated<T>(
      o, bits.size(), [&](std::uint64_t i) { return bits[static_cast<std::size_t>(i)]; }, t);
}

/// splitmix64: a fixed-seed generator over 64-bit patterns.
struct splitmix64 {
  std::uint64_t state;
  std::uint64_t operator()() noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1p-53; }
};

/// The nearest T to a double (inputs only: how it rounds does not matter).
template <class T>
T to_type(double v) {
  return static_cast<T>(static_cast<float>(v));
}
template <>
double to_type<double>(double v) {
  return v;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---------------------------------------------------------------------------------------------
// float: [1, 4) exhaustively, then every positive normal by the power-of-4 scaling argument.
// ---------------------------------------------------------------------------------------------

// For x in [1, 4) and 4^k x a normal float, rsqrt(4^k x) = 2^-k rsqrt(x) and sqrt(4^k x) =
// 2^k sqrt(x) exactly in the reals, and since the results (in (2^-64, 2^63] and [2^-63, 2^64))
// are normal, rounding commutes with the power-of-two scaling: the correctly rounded results are
// the reference for x with its exponent moved by -k (rsqrt) or +k (sqrt). k runs over -63..63, so
// 4^k [1, 4) covers [2^-126, 2^128): every positive normal float. With a stride S, the scaled check
// visits the significands congruent to (k + 63) mod S, so each significand is seen for some k.
// Default 1: every positive normal float is checked (about 2 x 2^31 kernel calls, ~20 s at -O2);
// a slow build (sanitizers, -O0) can pass -DRADICAND_TEST_SCALING_STRIDE=N to sample instead.
#ifndef RADICAND_TEST_SCALING_STRIDE
#define RADICAND_TEST_SCALING_STRIDE 1
#endif
constexpr std::uint32_t scaling_stride = RADICAND_TEST_SCALING_STRIDE;
static_assert(scaling_stride >= 1, "RADICAND_TEST_SCALING_STRIDE must be at least 1");

void check_float_normals(op o, tally& base, tally& scaled) {
  using F = format<float>;
  const std::uint32_t first = 0x3f800000u;  // 1.0f
  const std::uint32_t count = 1u << 24;     // [1, 2) and [2, 4)
  std::vector<float> in(batch_size), out(batch_size), scaled_in(batch_size), scaled_out(batch_size);
  std::vector<std::uint32_t> expected(batch_size), picked(batch_size);
  for (std::uint32_t start = 0; start < count; start += static_cast<std::uint32_t>(batch_size)) {
    const std::size_t n = batch_size;
    for (std::size_t i = 0; i < n; ++i) in[i] = F::from_bits(first + start + i);
    run_kernel(o, in.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t ref = reference_bits(o, in[i]);
      expected[i] = static_cast<std::uint32_t>(ref);
      base.compare<float>(o, F::to_bits(in[i]), ref, F::to_bits(out[i]));
    }
    for (int k = -63; k <= 63; ++k) {
      if (k == 0) continue;
      const auto residue = static_cast<std::uint32_t>(k + 63) % scaling_stride;
      const std::uint32_t i0 = (residue + scaling_stride - start % scaling_stride) % scaling_stride;
      // Exponent moves as signed offsets of the bit pattern (multiplied, not shifted: k < 0).
      const std::int64_t in_shift = std::int64_t{2} * k * (std::int64_t{1} << 23);
      const std::int64_t out_shift =
          std::int64_t{o == op::rsqrt ? -k : k} * (std::int64_t{1} << 23);
      std::size_t m = 0;
      for (std::size_t i = i0; i < n; i += scaling_stride) {
        const auto b = static_cast<std::int64_t>(F::to_bits(in[i])) + in_shift;
        scaled_in[m] = F::from_bits(static_cast<std::uint64_t>(b));
        picked[m++] = static_cast<std::uint32_t>(i);
      }
      run_kernel(o, scaled_in.data(), scaled_out.data(), m);
      // Fast path: the expected results are normal numbers, so equal bits is the whole test.
      std::uint64_t same = 0;
      for (std::size_t j = 0; j < m; ++j) {
        const auto want =
            static_cast<std::uint64_t>(static_cast<std::int64_t>(expected[picked[j]]) + out_shift);
        const std::uint64_t got = F::to_bits(scaled_out[j]);
        if (got == want) {
          ++same;
        } else {
          scaled.compare<float>(o, F::to_bits(scaled_in[j]), want, got);
        }
      }
      scaled.checked += same;
    }
  }
}

}  // namespace

TEST_CASE("reference: MPFR reference is correctly rounded and its results are normal",
          "[accuracy][reference]") {
  // Its sqrt agrees with IEEE sqrt (which the standard requires to be correctly rounded).
  splitmix64 rng{42};
  for (int i = 0; i < 20000; ++i) {
    const double d = std::ldexp(1.0 + rng.uniform(), static_cast<int>(rng() % 2000) - 1000);
    REQUIRE(reference_bits(op::sqrt, d) == format<double>::to_bits(std::sqrt(d)));
    const float f =
        static_cast<float>(std::ldexp(1.0 + rng.uniform(), static_cast<int>(rng() % 250) - 125));
    REQUIRE(reference_bits(op::sqrt, f) == format<float>::to_bits(std::sqrt(f)));
  }
  // Known correctly rounded values.
  CHECK(reference_bits(op::rsqrt, 2.0f) == 0x3f3504f3u);
  CHECK(reference_bits(op::sqrt, 2.0f) == 0x3fb504f3u);
  CHECK(reference_bits(op::rsqrt, 4.0) == 0x3fe0000000000000ull);
  CHECK(reference_bits(op::rsqrt, 2.0) == 0x3fe6a09e667f3bcdull);
  CHECK(reference_bits(op::sqrt, 2.0) == 0x3ff6a09e667f3bcdull);
  CHECK(reference_bits(op::rsqrt, half::from_bits(0x4000)) == 0x39a8u);  // rsqrt(2) = 0.70703125
  CHECK(reference_bits(op::rsqrt, bfloat16::from_bits(0x4000)) ==
        0x3f35u);  // rsqrt(2) = 0.70703125
  // The 16-bit encoder agrees with radicand's exact float -> 16-bit conversion of exact values.
  for (std::uint32_t b = 0x0400; b < 0x7c00; ++b) {  // every positive normal half
    const double v = format<half>::decode(b);
    CHECK(format<half>::encode_normal(v) == half(static_cast<float>(v)).bits);
  }
  for (std::uint32_t b = 0x0080; b < 0x7f80; ++b) {  // every positive normal bfloat16
    const double v = format<bfloat16>::decode(b);
    CHECK(format<bfloat16>::encode_normal(v) == bfloat16(static_cast<float>(v)).bits);
  }
}

namespace {
/// Finite nonzero results at the extremes of each format are normal (the header's table).
template <class T>
void check_extreme_results_normal() {
  using F = format<T>;
  // denorm_min, largest subnormal, min normal, max, 1.
  const std::uint64_t extremes[] = {1, F::frac_mask, F::frac_mask + 1, F::exp_mask - 1,
                                    static_cast<std::uint64_t>(F::bias) << (F::p - 1)};
  for (std::uint64_t b : extremes) {
    for (op o : {op::rsqrt, op::sqrt}) {
      const std::uint64_t r = reference_bits(o, F::from_bits(b));  // throws if not normal
      INFO(F::name << " " << op_name(o) << "(" << hex_bits<T>(b) << ") = " << hex_bits<T>(r));
      const double v = F::decode(r);
      CHECK(v >= F::min_normal());
      CHECK(v <= F::max_finite());
    }
  }
}
}  // namespace

TEST_CASE("reference: finite nonzero results are normal in every format", "[accuracy][reference]") {
  check_extreme_results_normal<float>();
  check_extreme_results_normal<double>();
  check_extreme_results_normal<half>();
  check_extreme_results_normal<bfloat16>();
  // The bounds from the table in mpfr_reference.hpp.
  CHECK(format<half>::decode(reference_bits(op::rsqrt, half::from_bits(1))) == 4096.0);
  CHECK(format<half>::decode(reference_bits(op::sqrt, half::from_bits(1))) == 0x1p-12);
  CHECK(format<float>::decode(reference_bits(op::rsqrt, format<float>::from_bits(1))) ==
        static_cast<double>(static_cast<float>(0x1.6a09e667f3bcdp+74)));
  CHECK(format<double>::decode(reference_bits(op::sqrt, format<double>::from_bits(1))) == 0x1p-537);
}

TEST_CASE("float rsqrt: every float in 1 <= x < 4 vs MPFR and every positive normal by 4^k scaling",
          "[accuracy][exhaustive][float]") {
  const auto t0 = std::chrono::steady_clock::now();
  tally base, scaled;
  check_float_normals(op::rsqrt, base, scaled);
  RADICAND_TEST_REQUIRE_NONE_WRONG("float rsqrt on [1,4)", base);
  RADICAND_TEST_REQUIRE_NONE_WRONG("float rsqrt on 4^k [1,4), k = -63..63, k != 0", scaled);
  std::cout << "  (" << seconds_since(t0) << " s)" << std::endl;
}

TEST_CASE("float sqrt: every float in 1 <= x < 4 vs MPFR and every positive normal by 4^k scaling",
          "[accuracy][exhaustive][float]") {
  const auto t0 = std::chrono::steady_clock::now();
  tally base, scaled;
  check_float_normals(op::sqrt, base, scaled);
  RADICAND_TEST_REQUIRE_NONE_WRONG("float sqrt on [1,4)", base);
  RADICAND_TEST_REQUIRE_NONE_WRONG("float sqrt on 4^k [1,4), k = -63..63, k != 0", scaled);
  std::cout << "  (" << seconds_since(t0) << " s)" << std::endl;
}

TEST_CASE("float rsqrt: every positive subnormal vs MPFR", "[accuracy][exhaustive][float]") {
  tally t;
  check_generated<float>(
      op::rsqrt, (1u << 23) - 1, [](std::uint64_t i) { return i + 1; }, t);
  RADICAND_TEST_REQUIRE_NONE_WRONG("float rsqrt on the positive subnormals", t);
}

TEST_CASE("float sqrt: every positive subnormal vs MPFR", "[accuracy][exhaustive][float]") {
  tally t;
  check_generated<float>(
      op::sqrt, (1u << 23) - 1, [](std::uint64_t i) { return i + 1; }, t);
  RADICAND_TEST_REQUIRE_NONE_WRONG("float sqrt on the positive subnormals", t);
}

TEST_CASE("float rsqrt and sqrt: negative inputs and NaNs give NaN", "[accuracy][float]") {
  // Every 127th pattern with the sign bit set (all negative values, -0 and negative NaNs), every
  // 127th positive NaN, and the edges.
  constexpr std::uint64_t stride = 127;
  const std::uint64_t negatives = 0x80000000ull / stride;
  const std::uint64_t positive_nans = 0x7fffffull / stride;
  const std::vector<std::uint64_t> edges = {
      0x80000000u, 0x80000001u, 0x807fffffu, 0x80800000u, 0xbf800000u, 0xff7fffffu, 0xff800000u,
      0xff800001u, 0xffc00000u, 0xffffffffu, 0x7f800001u, 0x7fbfffffu, 0x7fc00000u, 0x7fffffffu};
  for (op o : {op::rsqrt, op::sqrt}) {
    tally t;
    check_generated<float>(
        o, negatives, [](std::uint64_t i) { return 0x80000000ull + i * stride; }, t);
    check_generated<float>(
        o, positive_nans, [](std::uint64_t i) { return 0x7f800001ull + i * stride; }, t);
    check_bits<float>(o, edges, t);
    RADICAND_TEST_REQUIRE_NONE_WRONG(std::string("float ") + op_name(o) + " on negatives and NaNs",
                                     t);
  }
}

// ---------------------------------------------------------------------------------------------
// half and bfloat16: all 65536 bit patterns.
// ---------------------------------------------------------------------------------------------

TEST_CASE("half rsqrt and sqrt: all 65536 bit patterns vs MPFR", "[accuracy][exhaustive][half]") {
  for (op o : {op::rsqrt, op::sqrt}) {
    tally t;
    check_generated<half>(
        o, 65536, [](std::uint64_t i) { return i; }, t);
    RADICAND_TEST_REQUIRE_NONE_WRONG(std::string("half ") + op_name(o), t);
  }
}

TEST_CASE("bfloat16 rsqrt and sqrt: all 65536 bit patterns vs MPFR",
          "[accuracy][exhaustive][bfloat16]") {
  for (op o : {op::rsqrt, op::sqrt}) {
    tally t;
    check_generated<bfloat16>(
        o, 65536, [](std::uint64_t i) { return i; }, t);
    RADICAND_TEST_REQUIRE_NONE_WRONG(std::string("bfloat16 ") + op_name(o), t);
  }
}

// ---------------------------------------------------------------------------------------------
// double: random inputs over the whole range and hard cases near binade boundaries.
// ---------------------------------------------------------------------------------------------

namespace {

struct input_set {
  const char* name;
  std::vector<std::uint64_t> bits;
};

/// Hard cases: values at and next to every power of two, the extremes and the subnormal edges.
/// Next to 4^k the exact results sit extremely close to midpoints: with x = 4^k (1 + j 2^-52),
/// sqrt(x) = 2^k (1 + j 2^-53 - j^2 2^-107 + ...) (a midpoint for odd j, missed by ~j^2 2^-107),
/// and with x = 4^k (4 - j 2^-51), rsqrt(x) = 2^-k (1/2 + j 2^-55 + 3 j^2 2^-110 + ...) (a
/// midpoint for j = 2 mod 4). So the wide neighbourhoods of a few powers of two of each exponent
/// parity are a dense family of hard cases for both operations.
std::vector<std::uint64_t> double_edges() {
  std::vector<std::uint64_t> v;
  const std::int64_t near = 64;
  for (std::uint64_t e = 0; e <= 2047; ++e) {  // every binade boundary, subnormal/normal and inf
    for (std::int64_t d = -near; d <= near; ++d) {
      const std::int64_t b = static_cast<std::int64_t>(e << 52) + d;
      if (b > 0 && b <= static_cast<std::int64_t>(0x7ff0000000000000ull))
        v.push_back(static_cast<std::uint64_t>(b));
    }
  }
  for (int k = 0; k < 52; ++k) {  // powers of two inside the subnormals, and their neighbours
    for (std::int64_t d = -near; d <= near; ++d) {
      const std::int64_t b = (std::int64_t{1} << k) + d;
      if (b > 0) v.push_back(static_cast<std::uint64_t>(b));
    }
  }
  for (std::uint64_t b = 1; b <= 4096; ++b) v.push_back(b);  // the smallest subnormals
  for (std::uint64_t d = 0; d < 4096; ++d) v.push_back(0x000fffffffffffffull - d);  // the largest
  v.push_back(0x7fefffffffffffffull);                                               // max
  v.push_back(0x0010000000000000ull);                                               // min normal
  v.push_back(0x0000000000000001ull);                                               // denorm_min
  return v;
}

std::vector<std::uint64_t> double_wide_neighbourhoods() {
  std::vector<std::uint64_t> v;
  const std::int64_t near = std::int64_t{1} << 17;
  // Exponents of both parities at the bottom, middle and top of the normal range.
  const int exponents[] = {-1022, -1021, -2, -1, 0, 1, 2, 3, 1022, 1023};
  for (int e : exponents) {
    const auto p = static_cast<std::int64_t>(static_cast<std::uint64_t>(e + 1023) << 52);
    for (std::int64_t d = -near; d <= near; ++d) {
      const std::int64_t b = p + d;
      if (b > 0 && b < static_cast<std::int64_t>(0x7ff0000000000000ull))
        v.push_back(static_cast<std::uint64_t>(b));
    }
  }
  return v;
}

std::vector<input_set> double_inputs() {
  std::vector<input_set> sets;
  splitmix64 rng{0x5eed0001};
  {
    input_set s{"random positive bit patterns", {}};
    for (int i = 0; i < 2000000; ++i) s.bits.push_back(rng() & 0x7fffffffffffffffull);
    sets.push_back(std::move(s));
  }
  {
    input_set s{"random significands in [1,4)", {}};
    for (int i = 0; i < 1000000; ++i) s.bits.push_back(0x3ff0000000000000ull + (rng() >> 11));
    sets.push_back(std::move(s));
  }
  {
    input_set s{"uniform values in [1,4)", {}};
    for (int i = 0; i < 250000; ++i)
      s.bits.push_back(format<double>::to_bits(1.0 + 3.0 * rng.uniform()));
    sets.push_back(std::move(s));
  }
  {
    input_set s{"random bit patterns, both signs", {}};
    for (int i = 0; i < 250000; ++i) s.bits.push_back(rng());
    sets.push_back(std::move(s));
  }
  {
    input_set s{"random subnormals", {}};
    for (int i = 0; i < 250000; ++i) s.bits.push_back((rng() & 0x000fffffffffffffull) | 1u);
    sets.push_back(std::move(s));
  }
  sets.push_back({"binade edges and extremes", double_edges()});
  sets.push_back(
      {"+-2^17 ulps around 2^e, e in {-1022,-1021,-2..3,1022,1023}", double_wide_neighbourhoods()});
  return sets;
}

void check_double(op o) {
  const auto t0 = std::chrono::steady_clock::now();
  tally all;
  for (const input_set& s : double_inputs()) {
    tally t;
    check_bits<double>(o, s.bits, t);
    std::cout << "  double " << op_name(o) << ", " << s.name << ": " << t.checked << " checked, "
              << t.wrong << " wrong" << std::endl;
    all.checked += t.checked;
    all.wrong += t.wrong;
    all.examples += t.examples;
  }
  RADICAND_TEST_REQUIRE_NONE_WRONG(std::string("double ") + op_name(o) + ", all sets", all);
  std::cout << "  (" << seconds_since(t0) << " s)" << std::endl;
}

}  // namespace

TEST_CASE("double rsqrt: random and hard cases vs MPFR (correctly rounded)", "[accuracy][double]") {
  check_double(op::rsqrt);
}

TEST_CASE("double sqrt: random and hard cases vs MPFR (correctly rounded)", "[accuracy][double]") {
  check_double(op::sqrt);
}

// ---------------------------------------------------------------------------------------------
// PyTorch test_unary_ufuncs-style "reference numerics" categories, for all four floating types.
// ---------------------------------------------------------------------------------------------

namespace {

template <class T>
void check_values(const char* category, const std::vector<double>& values) {
  for (op o : {op::rsqrt, op::sqrt}) {
    std::vector<std::uint64_t> bits;
    bits.reserve(values.size());
    for (double v : values) bits.push_back(format<T>::to_bits(to_type<T>(v)));
    tally t;
    check_bits<T>(o, bits, t);
    RADICAND_TEST_REQUIRE_NONE_WRONG(
        std::string(format<T>::name) + " " + op_name(o) + ", " + category, t);
  }
}

/// n values with log-uniform magnitude in [lo, hi] and random sign, plus the given ones and
/// their negations.
std::vector<double> log_uniform(std::uint64_t seed, int n, double lo, double hi,
                                std::vector<double> fixed) {
  splitmix64 rng{seed};
  std::vector<double> v;
  const double a = std::log(lo), b = std::log(hi);
  for (int i = 0; i < n; ++i) {
    const double m = std::min(hi, std::exp(a + (b - a) * rng.uniform()));
    v.push_back((rng() & 1) != 0 ? -m : m);
  }
  for (double f : fixed) {
    v.push_back(f);
    v.push_back(-f);
  }
  return v;
}

}  // namespace

TEMPLATE_TEST_CASE("reference numerics: normal values", "[accuracy][numerics]", float, double, half,
                   bfloat16) {
  // make_tensor's default range for floating types: uniform in [-9, 9].
  splitmix64 rng{7};
  std::vector<double> v;
  for (int i = 0; i < 200000; ++i) v.push_back(-9.0 + 18.0 * rng.uniform());
  for (double f : {0.5, 1.0, 2.0, 3.0, 4.0, 9.0, 0.25, 1.5}) v.push_back(f);
  check_values<TestType>("normal values", v);
}

TEMPLATE_TEST_CASE("reference numerics: small values", "[accuracy][numerics]", float, double, half,
                   bfloat16) {
  using F = format<TestType>;
  // 1e-30 .. 1e-3, limited below by the type's smallest subnormal (half's is 6e-8).
  const double lo = std::max(1e-30, F::denorm_min());
  check_values<TestType>("small values",
                         log_uniform(11, 200000, lo, 1e-3, {1e-30, 1e-20, 1e-10, 1e-5, 1e-3, lo}));
}

TEMPLATE_TEST_CASE("reference numerics: large values", "[accuracy][numerics]", float, double, half,
                   bfloat16) {
  using F = format<TestType>;
  // 1e20 .. max; half tops out at 65504, so its large values start at 501 as PyTorch's do.
  const double lo = F::max_finite() > 1e20 ? 1e20 : 501.0;
  std::vector<double> fixed = {501.0, 1001.2, 13437.7, F::max_finite()};
  if (F::max_finite() > 1e20) {
    fixed.push_back(4988429.2);
    fixed.push_back(1e20);
    fixed.push_back(1e30);
    fixed.push_back(1e38);
  }
  check_values<TestType>("large values", log_uniform(13, 200000, lo, F::max_finite(), fixed));
}

TEMPLATE_TEST_CASE("reference numerics: extremal values", "[accuracy][numerics]", float, double,
                   half, bfloat16) {
  using F = format<TestType>;
  const std::uint64_t pos_zero = 0, neg_zero = F::sign_mask, pos_inf = F::inf_bits,
                      neg_inf = F::sign_mask | F::inf_bits, qnan = F::quiet_nan_bits,
                      neg_qnan = F::sign_mask | F::quiet_nan_bits, snan = F::exp_mask | 1,
                      neg_one = F::to_bits(to_type<TestType>(-1.0)), max = F::exp_mask - 1,
                      neg_max = F::sign_mask | (F::exp_mask - 1), neg_denorm_min = F::sign_mask | 1;
  const std::vector<std::uint64_t> inputs = {pos_zero, neg_zero, pos_inf,       neg_inf,
                                             qnan,     neg_qnan, snan,          neg_one,
                                             max,      neg_max,  neg_denorm_min};
  std::vector<TestType> in, out(inputs.size());
  for (std::uint64_t b : inputs) in.push_back(F::from_bits(b));
  const auto bits_of = [&](std::size_t i) { return F::to_bits(out[i]); };

  // The values API.md lists, spelled out, independently of the reference.
  radicand::kernels::rsqrt(in.data(), out.data(), in.size());
  CHECK(bits_of(0) == pos_inf);   // rsqrt(+0) = +inf
  CHECK(bits_of(1) == neg_inf);   // rsqrt(-0) = -inf
  CHECK(bits_of(2) == pos_zero);  // rsqrt(+inf) = +0
  for (std::size_t i : {3u, 4u, 5u, 6u, 7u, 9u, 10u}) {
    INFO("rsqrt(" << hex_bits<TestType>(inputs[i]) << ") = " << hex_bits<TestType>(bits_of(i)));
    CHECK(bits_of(i) == F::quiet_nan_bits);  // -inf, NaNs, x < 0: the canonical NaN
  }
  CHECK(F::decode(bits_of(8)) > 0);  // rsqrt(max) is a positive number
  radicand::kernels::sqrt(in.data(), out.data(), in.size());
  CHECK(bits_of(0) == pos_zero);  // sqrt(+0) = +0
  CHECK(bits_of(1) == neg_zero);  // sqrt(-0) = -0
  CHECK(bits_of(2) == pos_inf);   // sqrt(+inf) = +inf
  for (std::size_t i : {3u, 4u, 5u, 6u, 7u, 9u, 10u}) {
    INFO("sqrt(" << hex_bits<TestType>(inputs[i]) << ") = " << hex_bits<TestType>(bits_of(i)));
    CHECK(bits_of(i) == F::quiet_nan_bits);
  }

  // And the same inputs against the reference, which applies the same table.
  for (op o : {op::rsqrt, op::sqrt}) {
    tally t;
    check_bits<TestType>(o, inputs, t);
    RADICAND_TEST_REQUIRE_NONE_WRONG(std::string(F::name) + " " + op_name(o) + ", extremal values",
                                     t);
  }
}

TEMPLATE_TEST_CASE("domain: rsqrt and sqrt just below zero are NaN", "[accuracy][domain]", float,
                   double, half, bfloat16) {
  using F = format<TestType>;
  // 0 - denorm_min (the next value below -0), 0 - epsilon and 0 - min normal.
  const std::uint64_t below_zero[] = {F::sign_mask | 1,
                                      F::sign_mask | F::encode_normal(F::epsilon()),
                                      F::sign_mask | F::encode_normal(F::min_normal())};
  CHECK(F::decode(below_zero[0]) == -F::denorm_min());
  CHECK(F::decode(below_zero[1]) == -F::epsilon());
  for (std::uint64_t b : below_zero) {
    const TestType x = F::from_bits(b);
    TestType r{}, s{};
    radicand::kernels::rsqrt(&x, &r, 1);
    radicand::kernels::sqrt(&x, &s, 1);
    INFO(F::name << " x = " << describe<TestType>(b)
                 << ": rsqrt = " << hex_bits<TestType>(F::to_bits(r))
                 << ", sqrt = " << hex_bits<TestType>(F::to_bits(s)));
    CHECK(F::is_nan(r));
    CHECK(F::is_nan(s));
  }
}

TEMPLATE_TEST_CASE("kernels: in-place calls give the same bits as out-of-place calls",
                   "[accuracy][inplace]", float, double, half, bfloat16) {
  using F = format<TestType>;
  splitmix64 rng{99};
  // Random bit patterns (specials included), then positive ones; several lengths and alignments.
  std::vector<TestType> pool;
  for (int i = 0; i < 20000; ++i) pool.push_back(F::from_bits(rng() & F::all_bits));
  for (int i = 0; i < 20000; ++i) pool.push_back(F::from_bits(rng() & (F::all_bits >> 1)));
  for (std::uint64_t b : {std::uint64_t{0}, F::sign_mask, F::inf_bits, F::sign_mask | F::inf_bits,
                          F::quiet_nan_bits, std::uint64_t{1}})
    pool.push_back(F::from_bits(b));
  for (op o : {op::rsqrt, op::sqrt}) {
    for (std::size_t len : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{7},
                            std::size_t{17}, std::size_t{63}, std::size_t{1000}, pool.size() - 3}) {
      for (std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
        const std::size_t n = std::min(len, pool.size() - offset);
        std::vector<TestType> out(n + 1, F::from_bits(0x5));
        run_kernel(o, pool.data() + offset, out.data(), n);
        std::vector<TestType> buf(pool.begin() + static_cast<std::ptrdiff_t>(offset),
                                  pool.begin() + static_cast<std::ptrdiff_t>(offset + n));
        buf.push_back(F::from_bits(0x5));  // guard: must stay untouched
        run_kernel(o, buf.data(), buf.data(), n);
        std::size_t differ = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (!same_result<TestType>(F::to_bits(out[i]), F::to_bits(buf[i]))) ++differ;
        }
        INFO(F::name << " " << op_name(o) << " n = " << n << " offset = " << offset);
        CHECK(differ == 0);
        CHECK(F::to_bits(buf[n]) == 0x5);
        CHECK(F::to_bits(out[n]) == 0x5);
      }
    }
  }
}
