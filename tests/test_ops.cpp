// rsqrt and sqrt in their four forms (function, method, out, in-place), their values, layouts and
// out/overlap rules, and the arithmetic operators with broadcasting, promotion and compound
// assignment. References are computed here in long double / double (or written out by hand);
// the library is compared with itself only where a test checks that two forms agree.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace rd = radicand;

namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using radicand_test::D;
using radicand_test::dims;
using radicand_test::for_each_index;
using radicand_test::message_of;

template <class T>
std::uint64_t to_bits(T v) {
  if constexpr (std::is_same<T, float>::value) {
    std::uint32_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
  } else if constexpr (std::is_same<T, double>::value) {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
  } else if constexpr (std::is_same<T, rd::half>::value || std::is_same<T, rd::bfloat16>::value) {
    return v.bits;
  } else if constexpr (std::is_same<T, bool>::value) {
    return v ? 1u : 0u;
  } else {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
  }
}

/// Every element's bit pattern in row-major order, read with at().
template <class T>
std::vector<std::uint64_t> bit_values(const rd::tensor<T>& t) {
  std::vector<std::uint64_t> v;
  for_each_index(t.shape(), [&](const dims& i) { v.push_back(to_bits(t.at(i))); });
  return v;
}

template <class T>
std::vector<double> values(const rd::tensor<T>& t) {
  std::vector<double> v;
  for_each_index(t.shape(), [&](const dims& i) { v.push_back(static_cast<double>(t.at(i))); });
  return v;
}
std::vector<double> V(std::initializer_list<double> l) { return std::vector<double>(l); }

/// A copy of n elements of raw memory, to prove that a refused operation wrote nothing.
struct snapshot {
  const void* p;
  std::vector<unsigned char> saved;
  template <class T>
  snapshot(const T* data, std::int64_t n)
      : p(data), saved(static_cast<std::size_t>(n) * sizeof(T)) {
    if (!saved.empty()) std::memcpy(saved.data(), data, saved.size());
  }
  /// The whole storage of a contiguous tensor.
  template <class T>
  explicit snapshot(const rd::tensor<T>& t) : snapshot(t.data(), t.numel()) {
    REQUIRE(t.is_contiguous());
  }
  bool unchanged() const {
    return saved.empty() || std::memcmp(p, saved.data(), saved.size()) == 0;
  }
};

template <class T>
long double ld(T v) {
  return static_cast<long double>(static_cast<double>(v));
}

/// One unit in the last place of T at |v| (the subnormal spacing below T's normal range).
template <class T>
long double ulp_at(long double v) {
  int e = 0;
  (void)std::frexp(std::fabs(v), &e);
  e = std::max(e, std::numeric_limits<T>::min_exponent);
  return std::ldexp(1.0L, e - std::numeric_limits<T>::digits);
}

/// got is within `ulps` units in the last place of T of the exact value (NaN, inf and zero must
/// match exactly, sign included).
template <class T>
bool close_ulps(T got, long double exact, long double ulps) {
  const long double g = ld(got);
  if (std::isnan(exact)) return std::isnan(g);
  if (std::isinf(exact) || exact == 0) return g == exact && std::signbit(g) == std::signbit(exact);
  return std::fabs(g - exact) <= ulps * ulp_at<T>(exact);
}

long double ref_rsqrt(long double x) { return 1.0L / std::sqrt(x); }
long double ref_sqrt(long double x) { return std::sqrt(x); }

/// Correctly rounded means within half an ulp; double rsqrt is promised within one ulp. The
/// small slack covers the long double reference's own rounding.
template <class R>
long double tolerance(bool is_rsqrt) {
  return (std::is_same<R, double>::value && is_rsqrt) ? 1.0L : 0.5L * (1.0L + 0x1p-8L);
}

/// Exponent ranges whose reciprocal square roots stay finite and normal in T.
template <class T>
struct exp_range;
template <>
struct exp_range<float> {
  static constexpr int lo = -120, hi = 120;
};
template <>
struct exp_range<double> {
  static constexpr int lo = -1000, hi = 1000;
};
template <>
struct exp_range<rd::half> {
  static constexpr int lo = -14, hi = 15;
};
template <>
struct exp_range<rd::bfloat16> {
  static constexpr int lo = -120, hi = 120;
};

/// Reproducible test values of T: positive (and, with negatives, some negative) floating values
/// over T's range, or integers in [0, 100] (some negated), or random bools.
template <class T>
std::vector<T> sample(std::size_t n, std::uint32_t seed, bool negatives = false) {
  std::mt19937 g(seed);
  std::vector<T> v;
  v.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (rd::is_floating_element<T>::value) {
      std::uniform_real_distribution<double> m(1.0, 2.0);
      std::uniform_int_distribution<int> e(exp_range<T>::lo, exp_range<T>::hi);
      double d = std::ldexp(m(g), e(g));
      if (negatives && g() % 5 == 0) d = -d;
      v.push_back(static_cast<T>(d));
    } else if constexpr (std::is_same<T, bool>::value) {
      v.push_back((g() & 1u) != 0);
    } else {
      std::uniform_int_distribution<int> k(0, 100);
      int x = k(g);
      if (std::is_signed<T>::value && negatives && g() % 5 == 0) x = -x;
      v.push_back(static_cast<T>(x));
    }
  }
  return v;
}

/// Floating values in [-8, -1/8] U [1/8, 8] (none zero), for arithmetic.
template <class T>
std::vector<T> moderate(std::size_t n, std::uint32_t seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<double> m(1.0, 2.0);
  std::uniform_int_distribution<int> e(-3, 2);
  std::vector<T> v;
  for (std::size_t i = 0; i < n; ++i) {
    double d = std::ldexp(m(g), e(g));
    if (g() % 2 == 0) d = -d;
    v.push_back(static_cast<T>(d));
  }
  return v;
}

template <class T>
using result_t = std::conditional_t<rd::is_floating_element<T>::value, T, float>;

/// Checks r == op(x) element by element against the long double reference.
template <class T, class R>
void check_against_reference(const rd::tensor<T>& x, const rd::tensor<R>& r, bool is_rsqrt) {
  REQUIRE(r.shape() == x.shape());
  for_each_index(x.shape(), [&](const dims& i) {
    const long double in = ld(x.at(i));
    const long double exact = is_rsqrt ? ref_rsqrt(in) : ref_sqrt(in);
    INFO((is_rsqrt ? "rsqrt(" : "sqrt(")
         << static_cast<double>(in) << ") = " << static_cast<double>(r.at(i)) << ", exact "
         << static_cast<double>(exact));
    CHECK(close_ulps<R>(r.at(i), exact, tolerance<R>(is_rsqrt)));
  });
}

template <class T>
struct subnormal_power;  // an even power of two below T's normal range, and its exponent
template <>
struct subnormal_power<float> {
  static constexpr int e = -140;
};
template <>
struct subnormal_power<double> {
  static constexpr int e = -1060;
};
template <>
struct subnormal_power<rd::half> {
  static constexpr int e = -20;
};
template <>
struct subnormal_power<rd::bfloat16> {
  static constexpr int e = -130;
};

template <class T>
T pow2(int e) {
  return static_cast<T>(std::ldexp(1.0, e));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// rsqrt and sqrt: types and values
// ---------------------------------------------------------------------------------------------

TEMPLATE_TEST_CASE("rsqrt sqrt: result type and values for every element type", "[ops][unary]",
                   float, double, rd::half, rd::bfloat16, bool, std::int8_t, std::uint8_t,
                   std::int16_t, std::int32_t, std::int64_t) {
  using T = TestType;
  using R = result_t<T>;
  static_assert(
      std::is_same<decltype(rd::rsqrt(std::declval<const rd::tensor<T>&>())), rd::tensor<R>>::value,
      "rsqrt: floating T stays, integral and bool give float");
  static_assert(
      std::is_same<decltype(rd::sqrt(std::declval<const rd::tensor<T>&>())), rd::tensor<R>>::value,
      "sqrt: floating T stays, integral and bool give float");
  static_assert(
      std::is_same<decltype(std::declval<const rd::tensor<T>&>().rsqrt()), rd::tensor<R>>::value,
      "x.rsqrt()");
  static_assert(
      std::is_same<decltype(std::declval<const rd::tensor<T>&>().sqrt()), rd::tensor<R>>::value,
      "x.sqrt()");
  static_assert(std::is_same<decltype(rd::rsqrt(std::declval<const rd::tensor<T>&>(),
                                                std::declval<rd::tensor<double>&>())),
                             rd::tensor<double>&>::value,
                "rsqrt(x, out) returns out");

  const rd::tensor<T> x = rd::from_vector(sample<T>(300, 11, true), {20, 15});
  const rd::tensor<R> r = rd::rsqrt(x);
  const rd::tensor<R> s = rd::sqrt(x);
  CHECK(r.shape() == D({20, 15}));
  CHECK(r.is_contiguous());
  check_against_reference(x, r, true);
  check_against_reference(x, s, false);
  CHECK(bit_values(x.rsqrt()) == bit_values(r));
  CHECK(bit_values(x.sqrt()) == bit_values(s));
}

TEMPLATE_TEST_CASE("rsqrt sqrt: special values", "[ops][unary][special]", float, double, rd::half,
                   rd::bfloat16) {
  using T = TestType;
  const T inf = std::numeric_limits<T>::infinity();
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T dmin = std::numeric_limits<T>::denorm_min();
  const T pz = static_cast<T>(0.0f), nz = static_cast<T>(-0.0f);
  const T neg_inf = static_cast<T>(-std::numeric_limits<float>::infinity());
  const T neg_dmin = static_cast<T>(-static_cast<double>(dmin));
  const T sub = pow2<T>(subnormal_power<T>::e);
  REQUIRE(static_cast<double>(sub) < static_cast<double>(std::numeric_limits<T>::min()));
  REQUIRE(static_cast<double>(sub) > 0.0);
  const std::vector<T> in = {pz,
                             nz,
                             static_cast<T>(-1.0f),
                             neg_inf,
                             inf,
                             nan,
                             static_cast<T>(4.0f),
                             static_cast<T>(0.25f),
                             dmin,
                             neg_dmin,
                             sub,
                             static_cast<T>(-0.5f)};
  const std::int64_t n = static_cast<std::int64_t>(in.size());

  auto check_rsqrt = [&](const rd::tensor<T>& r) {
    REQUIRE(r.shape() == D({n}));
    const double v0 = static_cast<double>(r.at({0}));
    CHECK((std::isinf(v0) && !std::signbit(v0)));  // rsqrt(+0) = +inf
    const double v1 = static_cast<double>(r.at({1}));
    CHECK((std::isinf(v1) && std::signbit(v1)));        // rsqrt(-0) = -inf
    CHECK(std::isnan(static_cast<double>(r.at({2}))));  // rsqrt(-1) = NaN
    CHECK(std::isnan(static_cast<double>(r.at({3}))));  // rsqrt(-inf) = NaN
    const double v4 = static_cast<double>(r.at({4}));
    CHECK((v4 == 0.0 && !std::signbit(v4)));            // rsqrt(+inf) = +0
    CHECK(std::isnan(static_cast<double>(r.at({5}))));  // rsqrt(NaN) = NaN
    CHECK(static_cast<double>(r.at({6})) == 0.5);
    CHECK(static_cast<double>(r.at({7})) == 2.0);
    // Subnormals are not flushed: rsqrt(denorm_min) is finite, and exact for an even power of two.
    CHECK(std::isfinite(static_cast<double>(r.at({8}))));
    CHECK(close_ulps<T>(r.at({8}), ref_rsqrt(ld(dmin)), 0.5L * (1 + 0x1p-8L)));
    CHECK(std::isnan(static_cast<double>(r.at({9}))));
    CHECK(static_cast<double>(r.at({10})) == std::ldexp(1.0, -subnormal_power<T>::e / 2));
    CHECK(std::isnan(static_cast<double>(r.at({11}))));
  };
  auto check_sqrt = [&](const rd::tensor<T>& s) {
    REQUIRE(s.shape() == D({n}));
    const double v0 = static_cast<double>(s.at({0}));
    CHECK((v0 == 0.0 && !std::signbit(v0)));  // sqrt(+0) = +0
    const double v1 = static_cast<double>(s.at({1}));
    CHECK((v1 == 0.0 && std::signbit(v1)));  // sqrt(-0) = -0
    CHECK(std::isnan(static_cast<double>(s.at({2}))));
    CHECK(std::isnan(static_cast<double>(s.at({3}))));
    const double v4 = static_cast<double>(s.at({4}));
    CHECK((std::isinf(v4) && !std::signbit(v4)));
    CHECK(std::isnan(static_cast<double>(s.at({5}))));
    CHECK(static_cast<double>(s.at({6})) == 2.0);
    CHECK(static_cast<double>(s.at({7})) == 0.5);
    CHECK(static_cast<double>(s.at({8})) > 0.0);  // not flushed to zero
    CHECK(close_ulps<T>(s.at({8}), ref_sqrt(ld(dmin)), 0.5L * (1 + 0x1p-8L)));
    CHECK(std::isnan(static_cast<double>(s.at({9}))));
    CHECK(static_cast<double>(s.at({10})) == std::ldexp(1.0, subnormal_power<T>::e / 2));
    CHECK(std::isnan(static_cast<double>(s.at({11}))));
  };

  const rd::tensor<T> x = rd::from_vector(in);
  SECTION("contiguous") {
    check_rsqrt(rd::rsqrt(x));
    check_sqrt(rd::sqrt(x));
  }
  SECTION("strided (every other element)") {
    std::vector<T> spread;
    for (const T& v : in) {
      spread.push_back(v);
      spread.push_back(static_cast<T>(7.0f));
    }
    const rd::tensor<T> xs = rd::from_vector(spread).slice(0, 0, 2 * n, 2);
    check_rsqrt(rd::rsqrt(xs));
    check_sqrt(rd::sqrt(xs));
  }
  SECTION("in place") {
    rd::tensor<T> a = x.clone();
    rd::rsqrt_(a);
    check_rsqrt(a);
    rd::tensor<T> b = x.clone();
    b.sqrt_();
    check_sqrt(b);
  }
  SECTION("out") {
    rd::tensor<T> o = rd::empty<T>({n});
    check_rsqrt(rd::rsqrt(x, o));
    check_sqrt(rd::sqrt(x, o));
  }
}

TEST_CASE("rsqrt sqrt: exact values of half and bfloat16 subnormals", "[ops][unary][special]") {
  // half: denorm_min = 2^-24, so rsqrt = 2^12 and sqrt = 2^-12 exactly.
  const rd::tensor<rd::half> h = {std::numeric_limits<rd::half>::denorm_min(),
                                  std::numeric_limits<rd::half>::min()};
  CHECK(values(rd::rsqrt(h)) == V({4096, 128}));
  CHECK(values(rd::sqrt(h)) == V({0x1p-12, 0x1p-7}));
  // float: 2^-149 (denorm_min) has sqrt 2^-74.5, which is not 0.
  const rd::tensor<float> f = {0x1p-149f, 0x1p-148f};
  CHECK(values(rd::sqrt(f))[1] == 0x1p-74);
  CHECK(values(rd::rsqrt(f))[1] == 0x1p74);
  CHECK(values(rd::sqrt(f))[0] > 0.0);
}

TEST_CASE("rsqrt sqrt: integral and bool inputs compute in float", "[ops][unary]") {
  const float inf = std::numeric_limits<float>::infinity();
  const rd::tensor<std::int32_t> i = {0, 1, 4, -4, 16, 2147483647};
  const rd::tensor<float> ri = rd::rsqrt(i);
  CHECK(ri.at({0}) == inf);
  CHECK(ri.at({1}) == 1.f);
  CHECK(ri.at({2}) == 0.5f);
  CHECK(std::isnan(ri.at({3})));
  CHECK(ri.at({4}) == 0.25f);
  // 2147483647 becomes the float 2^31 first (PyTorch casts to the default float type).
  CHECK(ri.at({5}) == static_cast<float>(1.0L / std::sqrt(0x1p31L)));
  const rd::tensor<float> si = rd::sqrt(i);
  CHECK(values(si.slice(0, 0, 3)) == V({0, 1, 2}));
  CHECK(std::isnan(si.at({3})));
  CHECK(si.at({5}) == static_cast<float>(std::sqrt(0x1p31)));

  const rd::tensor<bool> b = {false, true};
  CHECK(values(rd::rsqrt(b)) == V({std::numeric_limits<double>::infinity(), 1}));
  CHECK(values(rd::sqrt(b)) == V({0, 1}));
  CHECK_FALSE(std::signbit(rd::sqrt(b).at({0})));

  CHECK(values(rd::sqrt(rd::tensor<std::uint8_t>{0, 4, 255, 144})) ==
        V({0, 2, static_cast<double>(std::sqrt(255.f)), 12}));
  CHECK(std::isnan(rd::rsqrt(rd::tensor<std::int8_t>{-128}).item()));
  CHECK(rd::sqrt(rd::tensor<std::int16_t>{-32768, 10000}).at({1}) == 100.f);
  CHECK(rd::sqrt(rd::tensor<std::int64_t>{std::int64_t{1} << 62}).item() == 0x1p31f);
  CHECK(rd::rsqrt(rd::tensor<std::int64_t>{std::int64_t{1} << 62}).item() == 0x1p-31f);
}

TEMPLATE_TEST_CASE("rsqrt sqrt: empty tensors and zero-size dimensions keep their shape",
                   "[ops][unary][empty]", float, double, rd::half, rd::bfloat16, bool,
                   std::int32_t) {
  using T = TestType;
  using R = result_t<T>;
  for (const dims& shape : {D({0}), D({2, 0, 3}), D({0, 4}), D({3, 0})}) {
    const rd::tensor<T> x = rd::zeros<T>(shape);
    const rd::tensor<R> r = rd::rsqrt(x);
    CHECK(r.shape() == shape);
    CHECK(r.numel() == 0);
    CHECK(rd::sqrt(x).shape() == shape);
    CHECK(x.rsqrt().shape() == shape);
    // A zero-size view with odd strides.
    CHECK(rd::rsqrt(rd::zeros<T>({4, 6}).slice(1, 3, 3).t()).shape() == D({0, 4}));
    // out of the same zero-element shape stays as it is.
    rd::tensor<R> o = rd::empty<R>(shape);
    R* const before = o.data();
    rd::sqrt(x, o);
    CHECK(o.shape() == shape);
    CHECK(o.data() == before);
    if constexpr (rd::is_floating_element<T>::value) {
      rd::tensor<T> y = rd::zeros<T>(shape);
      CHECK(rd::rsqrt_(y).shape() == shape);
      CHECK(y.sqrt_().shape() == shape);
    }
  }
  // The default tensor (shape [0]) works too.
  CHECK(rd::rsqrt(rd::tensor<T>()).shape() == D({0}));
}

TEMPLATE_TEST_CASE("rsqrt sqrt: 0-d tensors", "[ops][unary][0d]", float, double, rd::half,
                   rd::bfloat16, std::int64_t) {
  using T = TestType;
  using R = result_t<T>;
  const rd::tensor<T> s = rd::scalar(static_cast<T>(4));
  const rd::tensor<R> r = rd::rsqrt(s);
  CHECK(r.dim() == 0);
  CHECK(static_cast<double>(r.item()) == 0.5);
  CHECK(static_cast<double>(rd::sqrt(s).item()) == 2.0);
  CHECK(static_cast<double>(s.sqrt().item()) == 2.0);
  rd::tensor<R> o = rd::scalar(static_cast<R>(0));
  rd::rsqrt(s, o);
  CHECK(o.dim() == 0);
  CHECK(static_cast<double>(o.item()) == 0.5);
  // A 0-d tensor and a one-element 1-d tensor have different shapes.
  rd::tensor<R> o1 = rd::zeros<R>({1});
  const snapshot o_before(o), o1_before(o1);
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::rsqrt(s, o1); }),
             Equals("radicand::rsqrt: out has shape [1] but the result has shape []"));
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::sqrt(rd::tensor<T>{static_cast<T>(1)}, o); }),
             Equals("radicand::sqrt: out has shape [] but the result has shape [1]"));
  CHECK(o_before.unchanged());
  CHECK(o1_before.unchanged());
  if constexpr (rd::is_floating_element<T>::value) {
    rd::tensor<T> y = rd::scalar(static_cast<T>(16));
    rd::rsqrt_(y);
    CHECK(y.dim() == 0);
    CHECK(static_cast<double>(y.item()) == 0.25);
  }
}

// ---------------------------------------------------------------------------------------------
// The four forms agree; layouts agree
// ---------------------------------------------------------------------------------------------

TEMPLATE_TEST_CASE("rsqrt sqrt: function method out and in-place agree bit for bit",
                   "[ops][unary][forms]", float, double, rd::half, rd::bfloat16) {
  using T = TestType;
  // randn gives negatives (NaN results) and values near zero; 37 x 29 crosses the 256-element
  // blocks of the strided path.
  const rd::tensor<T> x = rd::randn<T>({37, 29}, 2024);
  for (const bool is_rsqrt : {true, false}) {
    INFO((is_rsqrt ? "rsqrt" : "sqrt"));
    const rd::tensor<T> f = is_rsqrt ? rd::rsqrt(x) : rd::sqrt(x);
    const rd::tensor<T> m = is_rsqrt ? x.rsqrt() : x.sqrt();
    rd::tensor<T> o = rd::empty<T>({37, 29});
    rd::tensor<T>& o_ref = is_rsqrt ? rd::rsqrt(x, o) : rd::sqrt(x, o);
    CHECK(&o_ref == &o);
    rd::tensor<T> ip = x.clone();
    rd::tensor<T>& ip_ref = is_rsqrt ? rd::rsqrt_(ip) : rd::sqrt_(ip);
    CHECK(&ip_ref == &ip);
    rd::tensor<T> ipm = x.clone();
    rd::tensor<T>& ipm_ref = is_rsqrt ? ipm.rsqrt_() : ipm.sqrt_();
    CHECK(&ipm_ref == &ipm);
    snapshot sf(f);
    CHECK(std::memcmp(m.data(), f.data(), sf.saved.size()) == 0);
    CHECK(std::memcmp(o.data(), f.data(), sf.saved.size()) == 0);
    CHECK(std::memcmp(ip.data(), f.data(), sf.saved.size()) == 0);
    CHECK(std::memcmp(ipm.data(), f.data(), sf.saved.size()) == 0);
    check_against_reference(x, f, is_rsqrt);

    // The same through the strided path: a transposed input, out and in-place.
    const rd::tensor<T> xt = x.t();
    const std::vector<std::uint64_t> ft = bit_values(is_rsqrt ? rd::rsqrt(xt) : rd::sqrt(xt));
    CHECK(ft == bit_values(is_rsqrt ? xt.rsqrt() : xt.sqrt()));
    rd::tensor<T> ot = rd::empty<T>({37, 29}).t();
    if (is_rsqrt) {
      rd::rsqrt(xt, ot);
    } else {
      rd::sqrt(xt, ot);
    }
    CHECK(bit_values(ot) == ft);
    rd::tensor<T> ipt = x.clone().t();
    if (is_rsqrt) {
      rd::rsqrt_(ipt);
    } else {
      rd::sqrt_(ipt);
    }
    CHECK(bit_values(ipt) == ft);
    CHECK(bit_values(f.t()) == ft);
  }
}

TEMPLATE_TEST_CASE("rsqrt sqrt: contiguous strided transposed expanded and selected inputs agree",
                   "[ops][unary][layout]", float, double, rd::half, rd::bfloat16, bool, std::int8_t,
                   std::uint8_t, std::int16_t, std::int32_t, std::int64_t) {
  using T = TestType;
  const std::int64_t rows = 9, cols = 301;  // more than one 256-element block per row
  const rd::tensor<T> wide =
      rd::from_vector(sample<T>(static_cast<std::size_t>(rows * 2 * cols), 5), {rows, 2 * cols});
  for (const bool is_rsqrt : {true, false}) {
    INFO((is_rsqrt ? "rsqrt" : "sqrt"));
    auto op = [&](const rd::tensor<T>& t) { return is_rsqrt ? rd::rsqrt(t) : rd::sqrt(t); };

    // Every other column (step 2) against its contiguous copy.
    const rd::tensor<T> every_other = wide.slice(1, 0, 2 * cols, 2);
    REQUIRE(every_other.shape() == D({rows, cols}));
    const auto ref = bit_values(op(every_other.contiguous()));
    CHECK(bit_values(op(every_other)) == ref);
    check_against_reference(every_other, op(every_other), is_rsqrt);

    // Transposed.
    const rd::tensor<T> x = every_other.contiguous();
    CHECK(bit_values(op(x.t())) == bit_values(op(x).t()));
    CHECK(bit_values(op(x.t())) == bit_values(op(x.t().contiguous())));

    // Expanded: every row of the result is the op of the row.
    const rd::tensor<T> row = x[3];
    const rd::tensor<T> e = row.expand({4, cols});
    const auto r = op(e);
    const auto row_bits = bit_values(op(row));
    for (std::int64_t b = 0; b < 4; ++b) CHECK(bit_values(r[b]) == row_bits);
    // A column expanded along the rows (stride 0 in the inner dimension).
    const rd::tensor<T> col = x.slice(1, 5, 6);  // [rows, 1]
    const auto rc = op(col.expand({rows, 7}));
    const auto col_bits = bit_values(op(col.contiguous()));
    for (std::int64_t j = 0; j < 7; ++j) CHECK(bit_values(rc.select(1, j)) == col_bits);

    // select: a column (stride cols) and a row.
    CHECK(bit_values(op(x.select(1, 17))) == bit_values(op(x).select(1, 17)));
    CHECK(bit_values(op(x[-1])) == bit_values(op(x)[-1]));
    // A column-major buffer seen through from_blob.
    const rd::tensor<T> store = rd::from_vector(sample<T>(12, 9));
    const rd::tensor<T> cm = rd::from_blob(store.data(), {3, 4}, {1, 3});
    CHECK(bit_values(op(cm)) == bit_values(op(cm.contiguous())));
  }
}

TEMPLATE_TEST_CASE("rsqrt sqrt: a batch equals its rows one by one", "[ops][unary][batch]", float,
                   double, rd::half, rd::bfloat16, std::int32_t) {
  using T = TestType;
  const std::int64_t B = 6, N = 517;
  const rd::tensor<T> x =
      rd::from_vector(sample<T>(static_cast<std::size_t>(B * N), 77, true), {B, N});
  const auto r = rd::rsqrt(x);
  const auto s = rd::sqrt(x);
  for (std::int64_t b = 0; b < B; ++b) {
    CHECK(bit_values(r[b]) == bit_values(rd::rsqrt(x[b])));
    CHECK(bit_values(s[b]) == bit_values(rd::sqrt(x[b])));
    CHECK(bit_values(r[b]) == bit_values(rd::rsqrt(x.slice(0, b, b + 1))[0]));
  }
}

TEST_CASE("rsqrt sqrt: the result layout follows a dense input or else is contiguous",
          "[ops][unary][layout]") {
  const rd::tensor<float> x = rd::from_vector(sample<float>(24, 3), {4, 6});
  CHECK(rd::rsqrt(x).strides() == D({6, 1}));
  // A transposed (dense) input gives a transposed result, as in PyTorch.
  const rd::tensor<float> rt = rd::rsqrt(x.t());
  CHECK(rt.shape() == D({6, 4}));
  CHECK(rt.strides() == D({1, 6}));
  CHECK_FALSE(rt.is_contiguous());
  CHECK(bit_values(rt) == bit_values(rd::rsqrt(x).t()));
  CHECK(rd::sqrt(x.t()).strides() == D({1, 6}));
  CHECK(x.t().rsqrt().strides() == D({1, 6}));
  // Any permutation of a dense tensor.
  const rd::tensor<double> y = rd::from_vector(sample<double>(24, 4), {2, 3, 4});
  const rd::tensor<double> yp = y.permute({2, 0, 1});
  CHECK(rd::rsqrt(yp).strides() == yp.strides());
  CHECK(rd::rsqrt(yp).strides() == D({1, 12, 4}));
  // An integral input: a float result with the input's layout.
  const rd::tensor<std::int32_t> i = rd::from_vector(sample<std::int32_t>(12, 5), {3, 4});
  CHECK(rd::sqrt(i.t()).strides() == D({1, 4}));
  // A dense slice with an offset: contiguous strides.
  CHECK(rd::rsqrt(x.slice(0, 1, 3)).strides() == D({6, 1}));
  CHECK(rd::rsqrt(x[2]).strides() == D({1}));
  // A column-major buffer (dense) keeps its layout.
  std::vector<float> buf = sample<float>(12, 6);
  CHECK(rd::rsqrt(rd::from_blob(buf.data(), {3, 4}, {1, 3})).strides() == D({1, 3}));
  // Not dense: a step-2 slice, a selected column, an expanded tensor: contiguous results.
  const rd::tensor<float> s2 = x.slice(1, 0, 6, 2);
  CHECK(rd::rsqrt(s2).strides() == D({3, 1}));
  CHECK(rd::rsqrt(s2).is_contiguous());
  CHECK(rd::sqrt(s2.t()).strides() == D({4, 1}));
  CHECK(rd::rsqrt(x.select(1, 2)).strides() == D({1}));
  const rd::tensor<float> e = x[0].expand({3, 6});
  const rd::tensor<float> re = rd::rsqrt(e);
  CHECK(re.strides() == D({6, 1}));
  CHECK(bit_values(re[2]) == bit_values(rd::rsqrt(x[0])));
  CHECK(rd::rsqrt(x.slice(1, 0, 1).expand({4, 5})).is_contiguous());
}

// ---------------------------------------------------------------------------------------------
// Out rules
// ---------------------------------------------------------------------------------------------

TEST_CASE("out: the result shape is written in place keeping strides and storage", "[ops][out]") {
  const rd::tensor<float> x = rd::from_vector(sample<float>(12, 21), {3, 4});
  SECTION("a transposed out") {
    rd::tensor<float> base = rd::full<float>({4, 3}, -1.f);
    rd::tensor<float> out = base.t();  // [3, 4], strides [1, 3]
    float* const data = out.data();
    rd::tensor<float>& ret = rd::rsqrt(x, out);
    CHECK(&ret == &out);
    CHECK(out.data() == data);
    CHECK(out.strides() == D({1, 3}));
    CHECK(out.is_same_storage(base));
    check_against_reference(x, out, true);
    for (std::int64_t i = 0; i < 3; ++i)
      for (std::int64_t j = 0; j < 4; ++j)
        CHECK(to_bits(base.at({j, i})) == to_bits(static_cast<float>(ref_rsqrt(ld(x.at({i, j}))))));
  }
  SECTION("a strided view into a bigger buffer") {
    rd::tensor<float> buf = rd::full<float>({6, 9}, -7.f);
    rd::tensor<float> out = buf.slice(0, 1, 4).slice(1, 2, 9, 2);  // rows 1..3, columns 2, 4, 6, 8
    REQUIRE(out.shape() == D({3, 4}));
    rd::sqrt(x, out);
    CHECK(out.strides() == D({9, 2}));
    for (std::int64_t i = 0; i < 6; ++i)
      for (std::int64_t j = 0; j < 9; ++j) {
        const bool inside = i >= 1 && i <= 3 && j >= 2 && j % 2 == 0;
        if (inside) {
          CHECK(buf.at({i, j}) == static_cast<float>(ref_sqrt(ld(x.at({i - 1, j / 2 - 1})))));
        } else {
          CHECK(to_bits(buf.at({i, j})) == to_bits(-7.f));  // untouched
        }
      }
  }
  SECTION("a non-contiguous input into a non-contiguous out") {
    rd::tensor<double> buf = rd::zeros<double>({4, 6});
    rd::tensor<double> out = buf.slice(1, 0, 6, 2);  // [4, 3]
    rd::rsqrt(x.t().slice(1, 0, 3), out);            // [4, 3] view of x
    for_each_index(out.shape(), [&](const dims& i) {
      CHECK(out.at(i) ==
            static_cast<double>(static_cast<float>(ref_rsqrt(ld(x.at({i[1], i[0]}))))));
    });
    CHECK(values(buf.slice(1, 1, 6, 2)) == std::vector<double>(12, 0.0));
  }
}

TEST_CASE("out: a zero-element out is resized to the result shape", "[ops][out]") {
  const rd::tensor<float> x = rd::from_vector(sample<float>(6, 22), {2, 3});
  SECTION("the default tensor") {
    rd::tensor<float> out;
    const rd::tensor<float> old = out;
    rd::tensor<float>& ret = rd::rsqrt(x, out);
    CHECK(&ret == &out);
    CHECK(out.shape() == D({2, 3}));
    CHECK(out.is_contiguous());
    CHECK_FALSE(out.is_same_storage(old));
    CHECK(old.shape() == D({0}));  // other handles keep the old, empty storage
    check_against_reference(x, out, true);
  }
  SECTION("a zero-element out of another shape and type") {
    rd::tensor<double> out = rd::empty<double>({0, 5});
    double* const before = out.data();
    rd::sqrt(x, out);
    CHECK(out.shape() == D({2, 3}));
    CHECK(out.strides() == D({3, 1}));
    CHECK(out.data() != before);
    for_each_index(x.shape(), [&](const dims& i) {
      CHECK(out.at(i) == static_cast<double>(static_cast<float>(ref_sqrt(ld(x.at(i))))));
    });
  }
  SECTION("an empty input and an empty out of another shape") {
    rd::tensor<float> out = rd::empty<float>({3, 0});
    rd::rsqrt(rd::zeros<float>({0, 3}), out);
    CHECK(out.shape() == D({0, 3}));
  }
  SECTION("a transposed input: the resized out is contiguous") {
    rd::tensor<float> out;
    rd::rsqrt(x.t(), out);
    CHECK(out.shape() == D({3, 2}));
    CHECK(out.is_contiguous());
    CHECK(bit_values(out) == bit_values(rd::rsqrt(x).t()));
  }
}

TEST_CASE("out: another shape throws shape_error and writes nothing", "[ops][out][errors]") {
  const rd::tensor<float> x = rd::from_vector(sample<float>(6, 23), {2, 3});
  rd::tensor<float> out = rd::full<float>({3, 2}, 9.f);
  const snapshot before(out);
  const snapshot input(x);
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::rsqrt(x, out); }),
             Equals("radicand::rsqrt: out has shape [3, 2] but the result has shape [2, 3]"));
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::sqrt(x, out); }),
             Equals("radicand::sqrt: out has shape [3, 2] but the result has shape [2, 3]"));
  CHECK(before.unchanged());
  CHECK(input.unchanged());
  CHECK(out.shape() == D({3, 2}));
  // The same number of elements is not enough; neither is a broadcastable shape.
  rd::tensor<float> flat = rd::full<float>({6}, 9.f);
  const snapshot flat_before(flat);
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::rsqrt(x, flat); }),
             Contains("radicand::rsqrt") && Contains("[6]") && Contains("[2, 3]"));
  rd::tensor<double> row = rd::full<double>({1, 3}, 9.0);
  const snapshot row_before(row);
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::sqrt(x, row); }),
             Equals("radicand::sqrt: out has shape [1, 3] but the result has shape [2, 3]"));
  // The rvalue form refuses the same way.
  rd::tensor<float> buf = rd::full<float>({10}, 9.f);
  const snapshot buf_before(buf);
  CHECK_THROWS_AS(rd::rsqrt(x, buf.slice(0, 0, 5)), rd::shape_error);
  CHECK(flat_before.unchanged());
  CHECK(row_before.unchanged());
  CHECK(buf_before.unchanged());
}

TEST_CASE("out: the input itself or the same view is allowed (in place)", "[ops][out][overlap]") {
  const rd::tensor<float> x0 = rd::from_vector(sample<float>(12, 24), {3, 4});
  SECTION("out is the input") {
    rd::tensor<float> x = x0.clone();
    float* const data = x.data();
    rd::rsqrt(x, x);
    CHECK(x.data() == data);
    CHECK(bit_values(x) == bit_values(rd::rsqrt(x0)));
  }
  SECTION("out is another handle of the same view") {
    rd::tensor<float> x = x0.clone();
    rd::tensor<float> same = x.reshape({3, 4});
    REQUIRE(same.data() == x.data());
    rd::sqrt(x, same);
    CHECK(bit_values(x) == bit_values(rd::sqrt(x0)));
    // A transposed view, twice: the same data pointer and strides.
    rd::tensor<float> y = x0.clone();
    rd::rsqrt(y.t(), y.t().t().t());
    CHECK(bit_values(y) == bit_values(rd::rsqrt(x0)));
  }
  SECTION("a strided view written in place") {
    rd::tensor<float> x = x0.clone();
    const rd::tensor<float> v = x.slice(1, 0, 4, 2);
    rd::rsqrt(v, x.slice(1, 0, 4, 2));
    for_each_index(x.shape(), [&](const dims& i) {
      const float expected = i[1] % 2 == 0 ? static_cast<float>(ref_rsqrt(ld(x0.at(i)))) : x0.at(i);
      CHECK(x.at(i) == expected);
    });
  }
  SECTION("disjoint parts of one storage") {
    rd::tensor<float> buf = rd::from_vector(sample<float>(10, 25));
    const rd::tensor<float> orig = buf.clone();
    rd::sqrt(buf.slice(0, 0, 5), buf.slice(0, 5, 10));
    for (std::int64_t i = 0; i < 5; ++i) {
      CHECK(buf.at({i}) == orig.at({i}));
      CHECK(buf.at({i + 5}) == static_cast<float>(ref_sqrt(ld(orig.at({i})))));
    }
  }
}

TEST_CASE("out: partial overlap with the input throws overlap_error and writes nothing",
          "[ops][out][overlap]") {
  const std::int64_t n = 10;
  rd::tensor<float> x = rd::from_vector(sample<float>(static_cast<std::size_t>(n), 26));
  const snapshot before(x);
  SECTION("shifted by one element") {
    CHECK_THAT(
        message_of<rd::overlap_error>([&] { rd::rsqrt(x.slice(0, 0, n - 1), x.slice(0, 1, n)); }),
        Contains("radicand::rsqrt") && Contains("overlap") && Contains("[9]"));
    CHECK_THAT(
        message_of<rd::overlap_error>([&] { rd::sqrt(x.slice(0, 1, n), x.slice(0, 0, n - 1)); }),
        Contains("radicand::sqrt") && Contains("overlap"));
    rd::tensor<float> out = x.slice(0, 1, n);
    CHECK_THROWS_AS(rd::rsqrt(x.slice(0, 0, n - 1), out), rd::overlap_error);
  }
  SECTION("a permuted alias: out = x.t() of a square matrix") {
    rd::tensor<float> m = x.slice(0, 0, 9).reshape({3, 3});
    rd::tensor<float> mt = m.t();
    CHECK_THAT(message_of<rd::overlap_error>([&] { rd::rsqrt(m, mt); }),
               Contains("radicand::rsqrt") && Contains("[3, 3]") && Contains("[1, 3]"));
    CHECK_THROWS_AS(rd::sqrt(mt, m), rd::overlap_error);
  }
  SECTION("the same start with other strides") {
    rd::tensor<float> out = x.slice(0, 0, n, 2);  // [5], stride 2
    CHECK_THROWS_AS(rd::rsqrt(x.slice(0, 0, 5), out), rd::overlap_error);
  }
  SECTION("every other element against the same ones one further") {
    // Elements 0 2 4 6 and 2 4 6 8: the same strides, three elements shared.
    CHECK_THROWS_AS(rd::rsqrt(x.slice(0, 0, n - 2, 2), x.slice(0, 2, n, 2)), rd::overlap_error);
  }
  CHECK(before.unchanged());
}

TEST_CASE("out: interleaved views that share no element are allowed and correct",
          "[ops][out][overlap]") {
  const std::int64_t n = 10;
  const rd::tensor<float> x0 = rd::from_vector(sample<float>(static_cast<std::size_t>(n), 28));
  SECTION("rsqrt(b[1::2], out=b[0::2]) and the other way round") {
    rd::tensor<float> b = x0.clone();
    rd::rsqrt(b.slice(0, 1, n, 2), b.slice(0, 0, n, 2));
    for (std::int64_t i = 0; i < n; ++i) {
      INFO("i = " << i);
      if (i % 2 == 0)
        CHECK(close_ulps(b.at({i}), ref_rsqrt(ld(x0.at({i + 1}))), tolerance<float>(true)));
      else
        CHECK(b.at({i}) == x0.at({i}));
    }
    rd::tensor<float> c = x0.clone();
    rd::sqrt(c.slice(0, 0, n, 2), c.slice(0, 1, n, 2));
    for (std::int64_t i = 0; i < n; ++i) {
      INFO("i = " << i);
      const float expected =
          i % 2 == 1 ? static_cast<float>(ref_sqrt(ld(x0.at({i - 1})))) : x0.at({i});
      CHECK(c.at({i}) == expected);
    }
  }
  SECTION("columns of a matrix") {
    // The even columns of a [3, 4] matrix, written from the odd ones.
    const rd::tensor<double> m0 = rd::from_vector(sample<double>(12, 29), {3, 4});
    rd::tensor<double> m = m0.clone();
    rd::rsqrt(m.slice(1, 1, 4, 2), m.slice(1, 0, 4, 2));
    for_each_index(m.shape(), [&](const dims& i) {
      if (i[1] % 2 == 0)
        CHECK(close_ulps(m.at(i), ref_rsqrt(ld(m0.at({i[0], i[1] + 1}))), tolerance<double>(true)));
      else
        CHECK(m.at(i) == m0.at(i));
    });
  }
}

TEST_CASE("compound assignment: one column of a matrix into another matches a reference",
          "[ops][binary][compound][overlap]") {
  SECTION("float columns") {
    // Quarters and sevenths: some sums and products round in float, none in double.
    std::vector<float> v;
    for (int k = 0; k < 15; ++k)
      v.push_back(static_cast<float>(k + 1) * (k % 2 == 0 ? 0.25f : 1.f / 7.f));
    const rd::tensor<float> x0 = rd::from_vector(v, {5, 3});
    rd::tensor<float> x = x0.clone();
    x.select(1, 0) += x.select(1, 1);
    x.select(1, 2) *= x.select(1, 1);
    x.select(1, 1) -= x.select(1, 0);  // reads the new column 0
    for (std::int64_t r = 0; r < 5; ++r) {
      INFO("row " << r);
      const float a = x0.at({r, 0}), b = x0.at({r, 1}), c = x0.at({r, 2});
      const float c0 = static_cast<float>(static_cast<double>(a) + static_cast<double>(b));
      CHECK(x.at({r, 0}) == c0);
      CHECK(x.at({r, 1}) == static_cast<float>(static_cast<double>(b) - static_cast<double>(c0)));
      CHECK(x.at({r, 2}) == static_cast<float>(static_cast<double>(c) * static_cast<double>(b)));
    }
  }
  SECTION("int32 rows and a broadcast column") {
    rd::tensor<std::int32_t> x = {{1, 2, 3}, {10, 20, 30}, {100, 200, 300}};
    x[0] += x[2];
    x.select(1, 2) -= x.select(1, 0).slice(0, 1, 2);  // [3] against [1], broadcast
    const std::int32_t expected[3][3] = {{101, 202, 293}, {10, 20, 20}, {100, 200, 290}};
    for (std::int64_t r = 0; r < 3; ++r)
      for (std::int64_t c = 0; c < 3; ++c) {
        INFO("(" << r << ", " << c << ")");
        CHECK(x.at({r, c}) == expected[r][c]);
      }
  }
}

TEST_CASE("overlap: the element test never misses a shared byte and is exact for equal strides",
          "[ops][overlap]") {
  // Random small views over one buffer, each compared with an enumeration of the bytes its
  // elements cover. Equal byte strides (also with different element sizes) must be decided
  // exactly; any layout must be refused when a byte is shared.
  static unsigned char memory[1024];
  std::mt19937_64 gen(2024);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen);
  };
  auto bytes_of = [](std::int64_t first, std::int64_t elem, const dims& shape,
                     const dims& strides) {
    std::vector<bool> covered(sizeof memory, false);
    for_each_index(shape, [&](const dims& i) {
      std::int64_t off = first;
      for (std::size_t d = 0; d < i.size(); ++d) off += i[d] * strides[d] * elem;
      for (std::int64_t b = 0; b < elem; ++b) covered[static_cast<std::size_t>(off + b)] = true;
    });
    return covered;
  };
  const std::int64_t sizes[] = {1, 2, 4, 8};
  int shared = 0, disjoint_equal = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    const bool equal = trial % 2 == 0;
    const std::int64_t ea = sizes[pick(0, 3)];
    const std::int64_t eb = equal ? sizes[pick(0, 3)] : sizes[pick(0, 3)];
    const auto nd_a = static_cast<std::size_t>(pick(0, 3));
    const auto nd_b = equal ? nd_a : static_cast<std::size_t>(pick(0, 3));
    dims shape_a(nd_a), strides_a(nd_a), shape_b(nd_b), strides_b(nd_b);
    for (auto& v : shape_a) v = pick(0, 4);
    for (auto& v : shape_b) v = pick(0, 4);
    // Equal byte strides: a's strides in bytes are multiples of both element sizes.
    const std::int64_t unit = equal ? std::max(ea, eb) : 1;
    for (std::size_t d = 0; d < nd_a; ++d) strides_a[d] = pick(0, 6) * unit / ea;
    for (std::size_t d = 0; d < nd_b; ++d)
      strides_b[d] = equal ? strides_a[d] * ea / eb : pick(0, 6);
    const std::int64_t first_a = pick(0, 100), first_b = pick(0, 100);
    const std::vector<bool> a = bytes_of(first_a, ea, shape_a, strides_a);
    const std::vector<bool> b = bytes_of(first_b, eb, shape_b, strides_b);
    bool share = false;
    for (std::size_t k = 0; k < a.size(); ++k) share = share || (a[k] && b[k]);
    const bool answer = rd::detail::may_share_element(
        memory + first_a, static_cast<std::size_t>(ea), shape_a, strides_a, memory + first_b,
        static_cast<std::size_t>(eb), shape_b, strides_b);
    INFO("a: first byte " << first_a << ", element " << ea << ", shape "
                          << rd::detail::format_dims(shape_a) << ", strides "
                          << rd::detail::format_dims(strides_a));
    INFO("b: first byte " << first_b << ", element " << eb << ", shape "
                          << rd::detail::format_dims(shape_b) << ", strides "
                          << rd::detail::format_dims(strides_b));
    if (share) {
      ++shared;
      REQUIRE(answer);
    } else if (equal) {
      ++disjoint_equal;
      REQUIRE_FALSE(answer);
    }
  }
  // Both outcomes were met often enough to mean something.
  CHECK(shared > 1000);
  CHECK(disjoint_equal > 1000);
}

TEST_CASE("out: an out whose elements overlap (expanded) throws overlap_error",
          "[ops][out][overlap]") {
  const rd::tensor<float> x = rd::from_vector(sample<float>(6, 27), {2, 3});
  rd::tensor<float> small = rd::full<float>({3}, 5.f);
  const snapshot before(small);
  rd::tensor<float> out = small.expand({2, 3});
  CHECK_THAT(
      message_of<rd::overlap_error>([&] { rd::rsqrt(x, out); }),
      Contains("radicand::rsqrt") && Contains("out") && Contains("[2, 3]") && Contains("[0, 1]"));
  CHECK_THROWS_AS(rd::sqrt(x, out), rd::overlap_error);
  rd::tensor<double> dsmall = rd::full<double>({2, 1}, 5.0);
  const snapshot dbefore(dsmall);
  CHECK_THROWS_AS(rd::sqrt(x, dsmall.expand({2, 3})), rd::overlap_error);
  CHECK(before.unchanged());
  CHECK(dbefore.unchanged());
  // Even when the out is the (expanded) input itself.
  CHECK_THROWS_AS(rd::rsqrt(out, out), rd::overlap_error);
  CHECK(before.unchanged());
}

TEST_CASE("in-place: an expanded tensor throws overlap_error and writes nothing",
          "[ops][inplace][overlap]") {
  rd::tensor<float> row = rd::tensor<float>{4.f, 9.f, 16.f};
  const snapshot before(row);
  rd::tensor<float> e = row.expand({2, 3});
  CHECK_THAT(message_of<rd::overlap_error>([&] { rd::rsqrt_(e); }),
             Contains("radicand::rsqrt_") && Contains("[2, 3]") && Contains("[0, 1]"));
  CHECK_THAT(message_of<rd::overlap_error>([&] { e.sqrt_(); }), Contains("radicand::sqrt_"));
  CHECK_THROWS_AS(e.rsqrt_(), rd::overlap_error);
  CHECK_THROWS_AS(rd::sqrt_(row.expand({4, 3})), rd::overlap_error);
  CHECK(before.unchanged());
  // Expanding a size-1 dimension to size 1 creates no overlap.
  rd::tensor<float> one = rd::tensor<float>{4.f}.expand({1});
  rd::rsqrt_(one);
  CHECK(one.item() == 0.5f);
}

TEST_CASE("out and in-place: hand-made strides from from_blob", "[ops][out][overlap]") {
  SECTION("strides that reach every element once are written") {
    // shape [3, 2], strides [2, 3]: element (i, j) at offset 2i + 3j, so offsets 0 3 / 2 5 / 4 7;
    // 1 and 6 are not elements. The strides interleave, so only an exact check can tell that no
    // element is reached twice.
    float buf[8] = {1.f, 4.f, 9.f, 16.f, 25.f, 36.f, 49.f, 64.f};
    rd::tensor<float> t = rd::from_blob(buf, {3, 2}, {2, 3});
    rd::sqrt_(t);
    const float expected[8] = {1.f, 4.f, 3.f, 4.f, 5.f, 6.f, 49.f, 8.f};
    for (int k = 0; k < 8; ++k) {
      INFO("offset " << k);
      CHECK(buf[k] == expected[k]);
    }
    // The same layout as an out.
    float obuf[8] = {-1.f, -1.f, -1.f, -1.f, -1.f, -1.f, -1.f, -1.f};
    const rd::tensor<float> x = {{1.f, 4.f}, {16.f, 64.f}, {0.25f, 256.f}};
    rd::rsqrt(x, rd::from_blob(obuf, {3, 2}, {2, 3}));
    const float oexpected[8] = {1.f, -1.f, 0.25f, 0.5f, 2.f, 0.125f, -1.f, 0.0625f};
    for (int k = 0; k < 8; ++k) {
      INFO("offset " << k);
      CHECK(obuf[k] == oexpected[k]);
    }
  }
  SECTION("strides that reach an element twice are refused") {
    // shape [4, 3], strides [2, 3]: offset 6 is both (3, 0) and (0, 2).
    float buf[16];
    for (int k = 0; k < 16; ++k) buf[k] = static_cast<float>(k + 1);
    const snapshot all(buf, 16);
    rd::tensor<float> t = rd::from_blob(buf, {4, 3}, {2, 3});
    CHECK_THAT(message_of<rd::overlap_error>([&] { rd::rsqrt_(t); }),
               Contains("radicand::rsqrt_") && Contains("[4, 3]") && Contains("[2, 3]"));
    const rd::tensor<float> x = rd::ones<float>({4, 3});
    CHECK_THAT(message_of<rd::overlap_error>([&] { rd::sqrt(x, t); }), Contains("radicand::sqrt"));
    // Repeated strides: shape [3, 3], strides [1, 1].
    CHECK_THROWS_AS(rd::rsqrt(rd::ones<float>({3, 3}), rd::from_blob(buf, {3, 3}, {1, 1})),
                    rd::overlap_error);
    CHECK(all.unchanged());
  }
  SECTION("a layout with gaps gives a contiguous result") {
    float buf[8] = {4.f, 0.f, 16.f, 0.f, 64.f, 0.f, 256.f, 0.f};
    const rd::tensor<float> t = rd::from_blob(buf, {2, 2}, {4, 2});
    const rd::tensor<float> r = rd::rsqrt(t);
    CHECK(r.strides() == D({2, 1}));
    CHECK(values(r) == V({0.5, 0.25, 0.125, 0.0625}));
  }
}

TEST_CASE("out: another floating type is computed in the result type then rounded",
          "[ops][out][types]") {
  SECTION("float in, double out: the float result widened") {
    const rd::tensor<float> x = rd::from_vector(sample<float>(200, 31), {10, 20});
    rd::tensor<double> out = rd::empty<double>({10, 20});
    rd::rsqrt(x, out);
    const rd::tensor<float> r = rd::rsqrt(x);
    for_each_index(x.shape(), [&](const dims& i) {
      const double v = out.at(i);
      CHECK(static_cast<double>(static_cast<float>(v)) == v);  // a float value
      CHECK(
          close_ulps<float>(static_cast<float>(v), ref_rsqrt(ld(x.at(i))), tolerance<float>(true)));
      CHECK(v == static_cast<double>(r.at(i)));
    });
  }
  SECTION("double in, float out: the double result rounded") {
    // Values whose float square roots stay finite.
    const rd::tensor<double> xs = rd::from_vector(sample<float>(200, 33)).to<double>();
    rd::tensor<float> out = rd::empty<float>({200});
    rd::sqrt(xs, out);
    const rd::tensor<double> r = rd::sqrt(xs);
    for (std::int64_t i = 0; i < 200; ++i) {
      CHECK(out.at({i}) == static_cast<float>(r.at({i})));
      CHECK(close_ulps<float>(out.at({i}), ref_sqrt(ld(xs.at({i}))), tolerance<float>(false)));
    }
    rd::tensor<float> out2 = rd::empty<float>({200});
    rd::rsqrt(xs, out2);
    const rd::tensor<double> rr = rd::rsqrt(xs);
    for (std::int64_t i = 0; i < 200; ++i) CHECK(out2.at({i}) == static_cast<float>(rr.at({i})));
  }
  SECTION("integral in, half out: computed in float, then rounded to half") {
    const rd::tensor<std::int32_t> x = {1, 2, 3, 5, 1000, 0, -1, 65535};
    rd::tensor<rd::half> out = rd::empty<rd::half>({8});
    rd::rsqrt(x, out);
    for (std::int64_t i = 0; i < 5; ++i) {
      const long double in = static_cast<long double>(x.at({i}));
      const float r_float = static_cast<float>(1.0L / std::sqrt(in));
      CHECK(out.at({i}).bits == rd::half(r_float).bits);
    }
    CHECK(out.at({1}).bits == 0x39a8u);  // rsqrt(2) = 0.70710678... -> 0.70703125 in half
    CHECK(out.at({5}).bits == 0x7c00u);  // +inf
    CHECK(std::isnan(static_cast<float>(out.at({6}))));
    rd::tensor<rd::bfloat16> sout = rd::empty<rd::bfloat16>({8});
    rd::sqrt(x, sout);
    CHECK(static_cast<float>(sout.at({7})) == static_cast<float>(rd::bfloat16(std::sqrt(65535.f))));
    CHECK(static_cast<float>(sout.at({4})) ==
          static_cast<float>(rd::bfloat16(static_cast<float>(std::sqrt(1000.0)))));
  }
  SECTION("bool in, double out; half in, float out") {
    rd::tensor<double> out = rd::empty<double>({2});
    rd::rsqrt(rd::tensor<bool>{true, false}, out);
    CHECK(values(out) == V({1, std::numeric_limits<double>::infinity()}));
    const rd::tensor<rd::half> h = {rd::half(2.f), rd::half(3.f), rd::half(0.1f)};
    rd::tensor<float> fo = rd::empty<float>({3});
    rd::rsqrt(h, fo);
    for (std::int64_t i = 0; i < 3; ++i) {
      const float v = fo.at({i});
      CHECK(static_cast<float>(rd::half(v)) == v);  // a half value: computed in half
      CHECK(close_ulps<rd::half>(rd::half(v), ref_rsqrt(ld(h.at({i}))), tolerance<rd::half>(true)));
    }
  }
  SECTION("float in, half out: the float result rounded to half") {
    const rd::tensor<float> x = rd::from_vector(sample<float>(64, 34));
    rd::tensor<rd::half> out = rd::empty<rd::half>({64});
    rd::rsqrt(x, out);
    for (std::int64_t i = 0; i < 64; ++i) {
      const float rf = static_cast<float>(ref_rsqrt(ld(x.at({i}))));
      CHECK(out.at({i}).bits == rd::half(rf).bits);
    }
  }
}

TEST_CASE("sqrt: the seed values", "[ops][unary][seed]") {
  // sqrt(1e-8) = 1e-4: in float, within one ulp of float(1e-4), and exactly the correctly
  // rounded square root of the float nearest 1e-8 (computed in double, which rounds once).
  const rd::tensor<float> x = {1e-8f};
  const float r = rd::sqrt(x).item();
  const float expected = static_cast<float>(std::sqrt(static_cast<double>(1e-8f)));
  CHECK(r == expected);
  CHECK(std::fabs(static_cast<double>(r) - static_cast<double>(1e-4f)) <=
        static_cast<double>(ulp_at<float>(1e-4L)));
  CHECK(rd::rsqrt(x).item() == static_cast<float>(1.0 / std::sqrt(static_cast<double>(1e-8f))));
  CHECK(std::fabs(static_cast<double>(rd::rsqrt(x).item()) - 1e4) <=
        static_cast<double>(ulp_at<float>(1e4L)));
  // 1e-8 underflows to 0 in half (below 2^-25), so sqrt gives 0 and rsqrt +inf.
  const rd::tensor<rd::half> h = {rd::half(1e-8f)};
  CHECK(h.item().bits == 0u);
  CHECK(rd::sqrt(h).item().bits == 0u);
  CHECK(rd::rsqrt(h).item().bits == 0x7c00u);
  // The other seed values: rsqrt([1, 4, 16, 0.25]) = [1, 0.5, 0.25, 2].
  CHECK(values(rd::rsqrt(rd::tensor<float>{1.f, 4.f, 16.f, 0.25f})) == V({1, 0.5, 0.25, 2}));
  CHECK(values(rd::sqrt(rd::tensor<float>{{4.f, 9.f}, {16.f, 25.f}})) == V({2, 3, 4, 5}));
  CHECK(values(rd::sqrt(rd::tensor<double>{1e-8})) == V({std::sqrt(1e-8)}));
}

TEST_CASE("out and in-place forms on views (rvalues)", "[ops][out][views]") {
  SECTION("rsqrt(x, y.slice(...)) writes through the temporary view") {
    const rd::tensor<float> x = {4.f, 16.f, 64.f};
    rd::tensor<float> y = rd::full<float>({6}, -1.f);
    const rd::tensor<float> ret = rd::rsqrt(x, y.slice(0, 1, 6, 2));
    CHECK(values(y) == V({-1, 0.5, -1, 0.25, -1, 0.125}));
    CHECK(ret.data() == y.data() + 1);
    CHECK(ret.strides() == D({2}));
    CHECK(values(rd::sqrt(x, y.slice(0, 0, 3))) == V({2, 4, 8}));
    CHECK(values(y.slice(0, 0, 3)) == V({2, 4, 8}));
    // A zero-element temporary out comes back resized.
    const rd::tensor<float> fresh = rd::rsqrt(x, rd::tensor<float>());
    CHECK(values(fresh) == V({0.5, 0.25, 0.125}));
  }
  SECTION("rsqrt_(x[0]) changes one row") {
    rd::tensor<double> x = {{4., 16.}, {64., 256.}};
    const rd::tensor<double> row = rd::rsqrt_(x[0]);
    CHECK(values(x) == V({0.5, 0.25, 64, 256}));
    CHECK(row.data() == x.data());
    rd::sqrt_(x[1]);
    CHECK(values(x) == V({0.5, 0.25, 8, 16}));
    x.select(1, 1).rsqrt_();  // a strided column, by method
    CHECK(values(x) == V({0.5, 2, 8, 0.25}));
    rd::sqrt_(x.slice(0, 0, 2).slice(1, 0, 1));
    CHECK(values(x) == V({std::sqrt(0.5), 2, std::sqrt(8.0), 0.25}));
  }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

namespace {
template <class A, class B>
using sum_t = typename decltype(std::declval<const rd::tensor<A>&>() +
                                std::declval<const rd::tensor<B>&>())::value_type;
template <class A, class B>
using quot_t = typename decltype(std::declval<const rd::tensor<A>&>() /
                                 std::declval<const rd::tensor<B>&>())::value_type;
template <class A, class S>
using scalar_sum_t =
    typename decltype(std::declval<const rd::tensor<A>&>() + std::declval<S>())::value_type;
template <class S, class B>
using scalar_lsum_t =
    typename decltype(std::declval<S>() * std::declval<const rd::tensor<B>&>())::value_type;

/// a op b in double: exact for + - * of the values used here, so rounding it to float (or to
/// float and then a 16-bit type) gives the float-arithmetic result; / rounds twice safely.
double apply(char op, double a, double b) {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      return a / b;
  }
}
template <class A, class B>
auto binary(char op, const rd::tensor<A>& a, const rd::tensor<B>& b) {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      return a / b;
  }
}
}  // namespace

TEST_CASE("arithmetic: float values against double arithmetic with broadcasting", "[ops][binary]") {
  const rd::tensor<float> a = rd::from_vector(moderate<float>(35, 41), {5, 7});
  const rd::tensor<float> b = rd::from_vector(moderate<float>(7, 42), {7});
  const rd::tensor<float> c = rd::from_vector(moderate<float>(5, 43), {5, 1});
  for (const char op : {'+', '-', '*', '/'}) {
    INFO("op " << op);
    // [5, 7] op [7]: float results are the double results rounded once.
    const rd::tensor<float> r = binary(op, a, b);
    REQUIRE(r.shape() == D({5, 7}));
    CHECK(r.is_contiguous());
    for_each_index(r.shape(), [&](const dims& i) {
      CHECK(r.at(i) == static_cast<float>(apply(op, static_cast<double>(a.at(i)),
                                                static_cast<double>(b.at({i[1]})))));
    });
    // [7] op [5, 7] (the other order) and [5, 1] op [7] -> [5, 7].
    const rd::tensor<float> rl = binary(op, b, a);
    const rd::tensor<float> rc = binary(op, c, b);
    REQUIRE(rc.shape() == D({5, 7}));
    for_each_index(rl.shape(), [&](const dims& i) {
      CHECK(rl.at(i) == static_cast<float>(apply(op, static_cast<double>(b.at({i[1]})),
                                                 static_cast<double>(a.at(i)))));
      CHECK(rc.at(i) == static_cast<float>(apply(op, static_cast<double>(c.at({i[0], 0})),
                                                 static_cast<double>(b.at({i[1]})))));
    });
    // Non-contiguous operands: a transposed, a strided slice, an expanded tensor.
    const rd::tensor<float> at = a.t();  // [7, 5]
    const rd::tensor<float> e = c.t().expand({7, 5});
    const rd::tensor<float> rt = binary(op, at, e);
    for_each_index(rt.shape(), [&](const dims& i) {
      CHECK(rt.at(i) == static_cast<float>(apply(op, static_cast<double>(a.at({i[1], i[0]})),
                                                 static_cast<double>(c.at({i[1], 0})))));
    });
    const rd::tensor<float> rs =
        binary(op, a.slice(1, 0, 7, 3), a.slice(1, 0, 7, 3).slice(0, 1, 2));
    REQUIRE(rs.shape() == D({5, 3}));
    for_each_index(rs.shape(), [&](const dims& i) {
      CHECK(rs.at(i) == static_cast<float>(apply(op, static_cast<double>(a.at({i[0], 3 * i[1]})),
                                                 static_cast<double>(a.at({1, 3 * i[1]})))));
    });
  }
}

TEST_CASE("arithmetic: half and bfloat16 compute in float and round once", "[ops][binary]") {
  const rd::tensor<rd::half> a = rd::from_vector(moderate<rd::half>(24, 44), {4, 6});
  const rd::tensor<rd::half> b = rd::from_vector(moderate<rd::half>(6, 45), {6});
  const rd::tensor<rd::bfloat16> c = rd::from_vector(moderate<rd::bfloat16>(24, 46), {4, 6});
  for (const char op : {'+', '-', '*', '/'}) {
    INFO("op " << op);
    const rd::tensor<rd::half> r = binary(op, a, b);
    const rd::tensor<rd::bfloat16> rb = binary(op, c, c.t().t());
    const auto rm = binary(op, a, c);  // half with bfloat16 meets in float
    static_assert(std::is_same<typename decltype(rm)::value_type, float>::value,
                  "half op bfloat16 is float");
    for_each_index(r.shape(), [&](const dims& i) {
      const double x = static_cast<double>(a.at(i)), y = static_cast<double>(b.at({i[1]}));
      CHECK(r.at(i).bits == rd::half(static_cast<float>(apply(op, x, y))).bits);
      const double u = static_cast<double>(c.at(i));
      CHECK(rb.at(i).bits == rd::bfloat16(static_cast<float>(apply(op, u, u))).bits);
      CHECK(rm.at(i) == static_cast<float>(apply(op, x, u)));
    });
  }
}

TEST_CASE("arithmetic: broadcasting shapes", "[ops][binary][broadcast]") {
  const rd::tensor<float> m = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};  // [2, 3]
  const rd::tensor<float> v = {10.f, 20.f, 30.f};                  // [3]
  CHECK(values(m + v) == V({11, 22, 33, 14, 25, 36}));
  CHECK(values(v - m) == V({9, 18, 27, 6, 15, 24}));
  const rd::tensor<float> col = rd::tensor<float>{1.f, 2.f}.reshape({2, 1});
  const rd::tensor<float> row = rd::tensor<float>{3.f, 4.f, 5.f}.reshape({1, 3});
  const rd::tensor<float> outer = col * row;
  CHECK(outer.shape() == D({2, 3}));
  CHECK(values(outer) == V({3, 4, 5, 6, 8, 10}));
  CHECK(values(row / col) == V({3, 4, 5, 1.5, 2, 2.5}));
  // 0-d with n-d, both orders, and 0-d with 0-d.
  const rd::tensor<float> two = rd::scalar(2.f);
  CHECK((two * m).shape() == D({2, 3}));
  CHECK(values(two * m) == V({2, 4, 6, 8, 10, 12}));
  CHECK(values(m - two) == V({-1, 0, 1, 2, 3, 4}));
  CHECK(values(two / v) == V({0.2f, 0.1f, static_cast<float>(2.0 / 30.0)}));
  const rd::tensor<float> zz = two + rd::scalar(3.f);
  CHECK(zz.dim() == 0);
  CHECK(zz.item() == 5.f);
  // More leading dimensions, size-1 dimensions on both sides, zero-size dimensions.
  CHECK((rd::zeros<float>({4, 1, 3}) + rd::zeros<float>({2, 1})).shape() == D({4, 2, 3}));
  CHECK((rd::zeros<float>({3}) + rd::zeros<float>({2, 1, 3})).shape() == D({2, 1, 3}));
  CHECK((rd::zeros<float>({0, 3}) + v).shape() == D({0, 3}));
  CHECK((rd::zeros<float>({2, 0}) * rd::zeros<float>({2, 1})).shape() == D({2, 0}));
  CHECK((rd::zeros<float>({1}) - rd::zeros<float>({0})).shape() == D({0}));
  CHECK((rd::tensor<float>() + rd::scalar(1.f)).shape() == D({0}));
  CHECK((2.f * rd::tensor<double>()).shape() == D({0}));
}

TEST_CASE("arithmetic: scalars on either side", "[ops][binary][scalar]") {
  const rd::tensor<float> x = {1.f, 2.f, 4.f};
  CHECK(values(x + 1.5f) == V({2.5, 3.5, 5.5}));
  CHECK(values(1.5f + x) == V({2.5, 3.5, 5.5}));
  CHECK(values(x - 10.f) == V({-9, -8, -6}));
  CHECK(values(10.f - x) == V({9, 8, 6}));
  CHECK(values(x * 3) == V({3, 6, 12}));
  CHECK(values(3 * x) == V({3, 6, 12}));
  CHECK(values(x / 4.f) == V({0.25, 0.5, 1}));
  CHECK(values(4.f / x) == V({4, 2, 1}));
  CHECK(values(2.0 / x) == V({2, 1, 0.5}));
  const rd::tensor<std::int32_t> i = {1, -2, 7};
  CHECK(values(i * 2) == V({2, -4, 14}));
  CHECK(values(5 - i) == V({4, 7, -2}));
  CHECK(values(i - 5) == V({-4, -7, 2}));
  // A double scalar with a float tensor: the scalar becomes float first (PyTorch's wrapped
  // numbers).
  const rd::tensor<float> f = {1.f};
  CHECK((f + 0.1).item() == 1.f + 0.1f);
  CHECK((f * 1e-50).item() == 0.f);
}

TEST_CASE("arithmetic: type promotion follows PyTorch", "[ops][binary][promotion]") {
  using std::int16_t;
  using std::int32_t;
  using std::int64_t;
  using std::int8_t;
  using std::is_same;
  using std::uint8_t;
  static_assert(is_same<sum_t<int32_t, int64_t>, int64_t>::value, "int32 + int64 -> int64");
  static_assert(is_same<sum_t<uint8_t, int8_t>, int16_t>::value, "uint8 + int8 -> int16");
  static_assert(is_same<sum_t<int8_t, uint8_t>, int16_t>::value, "int8 + uint8 -> int16");
  static_assert(is_same<sum_t<rd::half, rd::bfloat16>, float>::value, "half + bfloat16 -> float");
  static_assert(is_same<sum_t<bool, bool>, bool>::value, "bool + bool -> bool");
  static_assert(is_same<sum_t<int32_t, rd::half>, rd::half>::value, "int32 + half -> half");
  static_assert(is_same<sum_t<float, double>, double>::value, "float + double -> double");
  static_assert(is_same<sum_t<bool, float>, float>::value, "bool + float -> float");
  static_assert(is_same<sum_t<int64_t, float>, float>::value, "int64 + float -> float");
  static_assert(is_same<quot_t<int32_t, int32_t>, float>::value,
                "int / int -> float (true division)");
  static_assert(is_same<quot_t<bool, bool>, float>::value, "bool / bool -> float");
  static_assert(is_same<quot_t<int64_t, double>, double>::value, "int64 / double -> double");
  static_assert(is_same<quot_t<rd::half, int8_t>, rd::half>::value, "half / int8 -> half");
  static_assert(is_same<scalar_sum_t<int32_t, double>, float>::value, "int + 2.5 -> float");
  static_assert(is_same<scalar_sum_t<int32_t, int>, int32_t>::value, "int32 + 1 -> int32");
  static_assert(is_same<scalar_sum_t<uint8_t, int>, uint8_t>::value, "uint8 + 1 -> uint8");
  static_assert(is_same<scalar_sum_t<float, double>, float>::value,
                "float + double scalar -> float");
  static_assert(is_same<scalar_sum_t<rd::half, double>, rd::half>::value, "half + 2.5 -> half");
  static_assert(is_same<scalar_sum_t<bool, int>, int64_t>::value, "bool tensor + 1 -> int64");
  static_assert(is_same<scalar_sum_t<bool, double>, float>::value, "bool tensor + 2.5 -> float");
  static_assert(is_same<scalar_sum_t<bool, bool>, bool>::value, "bool tensor + true -> bool");
  static_assert(is_same<scalar_lsum_t<double, int16_t>, float>::value, "2.5 * int16 -> float");
  static_assert(is_same<scalar_lsum_t<long, int8_t>, int8_t>::value, "2 * int8 -> int8");

  CHECK(values(rd::tensor<int32_t>{1, 2} + rd::tensor<int64_t>{std::int64_t{1} << 40, -5}) ==
        V({static_cast<double>((std::int64_t{1} << 40) + 1), -3}));
  CHECK(values(rd::tensor<uint8_t>{200, 0} + rd::tensor<int8_t>{-100, -1}) == V({100, -1}));
  CHECK(values(rd::tensor<uint8_t>{200, 255} + rd::tensor<int8_t>{100, 100}) ==
        V({300, 355}));  // no wrap in int16
  CHECK(values(rd::tensor<int32_t>{1, -3} + 2.5) == V({3.5, -0.5}));
  CHECK(values(rd::tensor<rd::half>{rd::half(1.5f)} +
               rd::tensor<rd::bfloat16>{rd::bfloat16(0.25f)}) == V({1.75}));
  CHECK(values(rd::tensor<bool>{true, true, false} + rd::tensor<bool>{true, false, false}) ==
        V({1, 1, 0}));
  CHECK(values(rd::tensor<bool>{true, true, false} * rd::tensor<bool>{true, false, false}) ==
        V({1, 0, 0}));
  CHECK(values(rd::tensor<int32_t>{7, -7, 1, 0} / rd::tensor<int32_t>{2, 2, 0, 0})[0] == 3.5);
  const std::vector<double> q =
      values(rd::tensor<int32_t>{7, -7, 1, -1, 0} / rd::tensor<int32_t>{2, 2, 0, 0, 0});
  CHECK(q[1] == -3.5);
  CHECK(q[2] == std::numeric_limits<double>::infinity());
  CHECK(q[3] == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(q[4]));
  CHECK(values(rd::tensor<bool>{true, false} + 1) == V({2, 1}));
  CHECK(values(rd::tensor<bool>{true, false} * 2.5) == V({2.5, 0}));
  CHECK(values(rd::tensor<int64_t>{9} / 2) == V({4.5}));
  CHECK(values(rd::tensor<int32_t>{3} + rd::tensor<rd::half>{rd::half(0.5f)}) == V({3.5}));
}

TEST_CASE("arithmetic: integer overflow wraps", "[ops][binary][integers]") {
  const std::int32_t i32max = std::numeric_limits<std::int32_t>::max();
  const std::int32_t i32min = std::numeric_limits<std::int32_t>::min();
  const std::int64_t i64max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t i64min = std::numeric_limits<std::int64_t>::min();
  CHECK((rd::tensor<std::int32_t>{i32max} + 1).item() == i32min);
  CHECK((rd::tensor<std::int32_t>{i32min} - 1).item() == i32max);
  CHECK((rd::tensor<std::int32_t>{i32max} * rd::tensor<std::int32_t>{2}).item() == -2);
  CHECK((rd::tensor<std::int32_t>{i32min} * rd::tensor<std::int32_t>{-1}).item() == i32min);
  CHECK((rd::tensor<std::int64_t>{i64max} + rd::tensor<std::int64_t>{1}).item() == i64min);
  CHECK((rd::tensor<std::int64_t>{i64min} - rd::tensor<std::int64_t>{1}).item() == i64max);
  CHECK((rd::tensor<std::int64_t>{i64max} * 2).item() == -2);
  CHECK((0 - rd::tensor<std::int64_t>{i64min}).item() == i64min);
  CHECK((rd::tensor<std::int8_t>{100} + rd::tensor<std::int8_t>{100}).item() == -56);
  CHECK((rd::tensor<std::int8_t>{-128} - rd::tensor<std::int8_t>{1}).item() == 127);
  CHECK((rd::tensor<std::int16_t>{300} * rd::tensor<std::int16_t>{300}).item() ==
        24464);  // 90000 mod 2^16
  CHECK((rd::tensor<std::uint8_t>{0} - rd::tensor<std::uint8_t>{1}).item() == 255);
  CHECK((rd::tensor<std::uint8_t>{255} + 1).item() == 0);
  CHECK((rd::tensor<std::uint8_t>{16} * rd::tensor<std::uint8_t>{16}).item() == 0);
  // Random int32 values against 64-bit arithmetic reduced modulo 2^32.
  std::mt19937 g(51);
  std::vector<std::int32_t> av, bv;
  for (int k = 0; k < 200; ++k) {
    av.push_back(static_cast<std::int32_t>(g()));
    bv.push_back(static_cast<std::int32_t>(g()));
  }
  const rd::tensor<std::int32_t> a = rd::from_vector(av), b = rd::from_vector(bv);
  const rd::tensor<std::int32_t> s = a + b, d = a - b, p = a * b;
  for (std::int64_t k = 0; k < 200; ++k) {
    const std::int64_t x = a.at({k}), y = b.at({k});
    const auto wrap = [](std::uint64_t u) {
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(u));
    };
    CHECK(s.at({k}) == wrap(static_cast<std::uint64_t>(x + y)));
    CHECK(d.at({k}) == wrap(static_cast<std::uint64_t>(x - y)));
    CHECK(p.at({k}) == wrap(static_cast<std::uint64_t>(x) * static_cast<std::uint64_t>(y)));
  }
}

TEST_CASE("arithmetic: shapes that do not broadcast throw shape_error", "[ops][binary][errors]") {
  const rd::tensor<float> a = rd::zeros<float>({2, 3});
  const rd::tensor<float> b = rd::zeros<float>({4});
  CHECK_THAT(message_of<rd::shape_error>([&] { (void)(a + b); }),
             Contains("radicand::add") && Contains("[2, 3]") && Contains("[4]"));
  CHECK_THAT(message_of<rd::shape_error>([&] { (void)(b - a); }),
             Contains("radicand::sub") && Contains("[4]") && Contains("[2, 3]"));
  CHECK_THAT(message_of<rd::shape_error>([&] {
               (void)(a * rd::zeros<float>({3, 3}));
             }),
             Contains("radicand::mul") && Contains("[3, 3]"));
  CHECK_THAT(message_of<rd::shape_error>([&] {
               (void)(a / rd::zeros<double>({2, 2}));
             }),
             Contains("radicand::div") && Contains("[2, 2]"));
  CHECK_THROWS_AS(rd::zeros<float>({0}) + rd::zeros<float>({2}), rd::shape_error);
  CHECK_THROWS_AS(rd::zeros<float>({2, 1, 3}) + rd::zeros<float>({4, 2}), rd::shape_error);
}

TEST_CASE("arithmetic: compound assignment", "[ops][binary][compound]") {
  SECTION("broadcast into self, values and storage") {
    rd::tensor<float> x = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
    float* const data = x.data();
    rd::tensor<float>& ret = (x += rd::tensor<float>{10.f, 20.f, 30.f});
    CHECK(&ret == &x);
    CHECK(x.data() == data);
    CHECK(values(x) == V({11, 22, 33, 14, 25, 36}));
    x -= rd::tensor<float>{1.f, 2.f}.reshape({2, 1});
    CHECK(values(x) == V({10, 21, 32, 12, 23, 34}));
    x *= rd::scalar(0.5f);
    CHECK(values(x) == V({5, 10.5, 16, 6, 11.5, 17}));
    x /= 2.f;
    CHECK(values(x) == V({2.5, 5.25, 8, 3, 5.75, 8.5}));
    x += 1;
    x -= 0.5;
    CHECK(values(x) == V({3, 5.75, 8.5, 3.5, 6.25, 9}));
  }
  SECTION("random float values against double arithmetic") {
    const rd::tensor<float> a0 = rd::from_vector(moderate<float>(20, 61), {4, 5});
    const rd::tensor<float> b = rd::from_vector(moderate<float>(5, 62), {5});
    for (const char op : {'+', '-', '*', '/'}) {
      INFO("op " << op);
      rd::tensor<float> a = a0.clone();
      switch (op) {
        case '+':
          a += b;
          break;
        case '-':
          a -= b;
          break;
        case '*':
          a *= b;
          break;
        default:
          a /= b;
          break;
      }
      for_each_index(a.shape(), [&](const dims& i) {
        CHECK(a.at(i) == static_cast<float>(apply(op, static_cast<double>(a0.at(i)),
                                                  static_cast<double>(b.at({i[1]})))));
      });
    }
  }
  SECTION("into a transposed or strided view") {
    rd::tensor<float> base = rd::zeros<float>({3, 2});
    base.t() += rd::tensor<float>{1.f, 2.f, 3.f};  // [2, 3] view += [3]
    CHECK(values(base) == V({1, 1, 2, 2, 3, 3}));
    rd::tensor<float> y = rd::zeros<float>({2, 4});
    y[0] += 5.f;
    y.slice(1, 1, 4, 2) *= 3.f;
    y.slice(1, 0, 4, 2) -= 1.f;
    CHECK(values(y) == V({4, 15, 4, 15, -1, 0, -1, 0}));
  }
  SECTION("x op= x is allowed") {
    rd::tensor<double> x = {1.5, -2., 3.};
    x += x;
    CHECK(values(x) == V({3, -4, 6}));
    x *= x;
    CHECK(values(x) == V({9, 16, 36}));
    const rd::tensor<double>& same = x;  // (a second name: clang warns on a literal x -= x)
    x /= same;
    CHECK(values(x) == V({1, 1, 1}));
    x -= same;
    CHECK(values(x) == V({0, 0, 0}));
    rd::tensor<float> m = rd::full<float>({2, 2}, 2.f);
    m.t() += m.t();  // the same view: allowed
    CHECK(values(m) == V({4, 4, 4, 4}));
  }
  SECTION("mixed types: computed in the promoted type, stored in self's") {
    rd::tensor<float> f = {1.f, 1.f};
    f += rd::tensor<double>{0x1p-24 + 0x1p-50, 1e-8};
    // In double, 1 + 2^-24 + 2^-50 lies above the float midpoint 1 + 2^-24: rounds up. (In
    // float, 2^-24 + 2^-50 would first become 2^-24 and the sum a tie, rounding to 1.)
    CHECK(f.at({0}) == 1.f + 0x1p-23f);
    CHECK(f.at({1}) == 1.f);
    rd::tensor<std::int32_t> i = {std::numeric_limits<std::int32_t>::max(), 5};
    i += rd::tensor<std::int64_t>{1, std::int64_t{1} << 32};
    CHECK(i.at({0}) == std::numeric_limits<std::int32_t>::min());
    CHECK(i.at({1}) == 5);
    rd::tensor<std::uint8_t> u = {0, 250};
    u -= 1;
    CHECK(values(u) == V({255, 249}));
    rd::tensor<rd::half> h = {rd::half(1.f)};
    h += 0.5f;
    CHECK(static_cast<float>(h.item()) == 1.5f);
    rd::tensor<bool> bb = {true, false};
    bb += rd::tensor<bool>{true, false};
    CHECK(values(bb) == V({1, 0}));
    bb *= rd::tensor<bool>{false, true};
    CHECK(values(bb) == V({0, 0}));
    rd::tensor<double> d = {1.0};
    d += rd::tensor<std::int64_t>{2};
    d *= rd::tensor<bool>{true};
    CHECK(d.item() == 3.0);
  }
  SECTION("rvalue views") {
    rd::tensor<std::int64_t> x = {{1, 2}, {3, 4}};
    x[1] += 10;
    x.select(1, 0) *= rd::tensor<std::int64_t>{-1, 2};
    CHECK(values(x) == V({-1, 2, 26, 14}));
  }
}

TEST_CASE("arithmetic: compound assignment refusals write nothing",
          "[ops][binary][compound][errors]") {
  SECTION("self's shape must be the broadcast shape") {
    rd::tensor<float> x = {1.f, 2.f, 3.f};
    const rd::tensor<float> y = rd::ones<float>({2, 3});
    const snapshot xs(x), ys(y);
    CHECK_THAT(message_of<rd::shape_error>([&] { x += y; }),
               Contains("radicand::add") && Contains("[3]") && Contains("[2, 3]"));
    CHECK_THAT(message_of<rd::shape_error>([&] { x *= y; }), Contains("radicand::mul"));
    rd::tensor<float> c = rd::ones<float>({2, 1});
    const snapshot cs(c);
    CHECK_THAT(message_of<rd::shape_error>([&] { c -= y; }),
               Contains("radicand::sub") && Contains("[2, 1]") && Contains("[2, 3]"));
    CHECK_THROWS_AS(c /= rd::ones<float>({3}), rd::shape_error);
    CHECK_THROWS_AS(x += rd::ones<float>({4}), rd::shape_error);
    CHECK(xs.unchanged());
    CHECK(ys.unchanged());
    CHECK(cs.unchanged());
  }
  SECTION("an expanded self throws overlap_error") {
    rd::tensor<float> row = {1.f, 2.f, 3.f};
    const snapshot rs(row);
    rd::tensor<float> e = row.expand({2, 3});
    CHECK_THAT(message_of<rd::overlap_error>([&] {
                 e += rd::ones<float>({2, 3});
               }),
               Contains("radicand::add") && Contains("[0, 1]"));
    CHECK_THROWS_AS(e *= 2.f, rd::overlap_error);
    const rd::tensor<float>& e2 = e;
    CHECK_THROWS_AS(e -= e2, rd::overlap_error);
    CHECK(rs.unchanged());
  }
  SECTION("an operand that partially overlaps self throws overlap_error") {
    rd::tensor<float> m = {{1.f, 2.f}, {3.f, 4.f}};
    const snapshot ms(m);
    CHECK_THAT(message_of<rd::overlap_error>([&] { m += m.t(); }), Contains("radicand::add"));
    CHECK_THROWS_AS(m *= m[0], rd::overlap_error);
    rd::tensor<float> v = {1.f, 2.f, 3.f, 4.f};
    const snapshot vs(v);
    CHECK_THROWS_AS(v.slice(0, 1, 4) += v.slice(0, 0, 3), rd::overlap_error);
    CHECK(ms.unchanged());
    CHECK(vs.unchanged());
  }
}
