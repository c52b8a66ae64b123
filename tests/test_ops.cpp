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

/// v is the NaN every rsqrt and sqrt NaN result must be (API.md): positive, quiet, no payload.
bool is_canonical_nan(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b == 0x7fc00000u;
}
bool is_canonical_nan(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b == 0x7ff8000000000000ull;
}
bool is_canonical_nan(rd::half v) { return v.bits == 0x7e00u; }
bool is_canonical_nan(rd::bfloat16 v) { return v.bits == 0x7fc0u; }

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
    CHECK((std::isinf(v1) && std::signbit(v1)));  // rsqrt(-0) = -inf
    CHECK(is_canonical_nan(r.at({2})));           // rsqrt(-1) = NaN
    CHECK(is_canonical_nan(r.at({3})));           // rsqrt(-inf) = NaN
    const double v4 = static_cast<double>(r.at({4}));
    CHECK((v4 == 0.0 && !std::signbit(v4)));  // rsqrt(+inf) = +0
    CHECK(is_canonical_nan(r.at({5})));       // rsqrt(NaN) = NaN
    CHECK(static_cast<double>(r.at({6})) == 0.5);
    CHECK(static_cast<double>(r.at({7})) == 2.0);
    // Subnormals are not flushed: rsqrt(denorm_min) is finite, and exact for an even power of two.
    CHECK(std::isfinite(static_cast<double>(r.at({8}))));
    CHECK(close_ulps<T>(r.at({8}), ref_rsqrt(ld(dmin)), 0.5L * (1 + 0x1p-8L)));
    CHECK(is_canonical_nan(r.at({9})));
    CHECK(static_cast<double>(r.at({10})) == std::ldexp(1.0, -subnormal_power<T>::e / 2));
    CHECK(is_canonical_nan(r.at({11})));
  };
  auto check_sqrt = [&](const rd::tensor<T>& s) {
    REQUIRE(s.shape() == D({n}));
    const double v0 = static_cast<double>(s.at({0}));
    CHECK((v0 == 0.0 && !std::signbit(v0)));  // sqrt(+0) = +0
    const double v1 = static_cast<double>(s.at({1}));
    CHECK((v1 == 0.0 && std::signbit(v1)));  // sqrt(-0) = -0
    CHECK(is_canonical_nan(s.at({2})));
    CHECK(is_canonical_nan(s.at({3})));
    const double v4 = static_cast<double>(s.at({4}));
    CHECK((std::isinf(v4) && !std::signbit(v4)));
    CHECK(is_canonical_nan(s.at({5})));
    CHECK(static_cast<double>(s.at({6})) == 2.0);
    CHECK(static_cast<double>(s.at({7})) == 0.5);
    CHECK(static_cast<double>(s.at({8})) > 0.0);  // not flushed to zero
    CHECK(close_ulps<T>(s.at({8}), ref_sqrt(ld(dmin)), 0.5L * (1 + 0x1p-8L)));
    CHECK(is_canonical_nan(s.at({9})));
    CHECK(static_cast<double>(s.at({10})) == std::ldexp(1.0, subnormal_power<T>::e / 2));
    CHECK(is_canonical_nan(s.at({11})));
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
  CHECK(is_canonical_nan(ri.at({3})));
  CHECK(ri.at({4}) == 0.25f);
  // 2147483647 becomes the float 2^31 first (PyTorch casts to the default float type).
  CHECK(ri.at({5}) == static_cast<float>(1.0L / std::sqrt(0x1p31L)));
  const rd::tensor<float> si = rd::sqrt(i);
  CHECK(values(si.slice(0, 0, 3)) == V({0, 1, 2}));
  CHECK(is_canonical_nan(si.at({3})));
  CHECK(si.at({5}) == static_cast<float>(std::sqrt(0x1p31)));

  const rd::tensor<bool> b = {false, true};
  CHECK(values(rd::rsqrt(b)) == V({std::numeric_limits<double>::infinity(), 1}));
  CHECK(values(rd::sqrt(b)) == V({0, 1}));
  CHECK_FALSE(std::signbit(rd::sqrt(b).at({0})));

  CHECK(values(rd::sqrt(rd::tensor<std::uint8_t>{0, 4, 255, 144})) ==
        V({0, 2, static_cast<double>(std::sqrt(255.f)), 12}));
  CHECK(is_canonical_nan(rd::rsqrt(rd::tensor<std::int8_t>{-128}).item()));
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
    CHECK(is_canonical_nan(out.at({6})));
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
// Writing into elements: view assignment, copy_, fill_, zero_; unary minus
// ---------------------------------------------------------------------------------------------

namespace {
/// v converted to an integral type as the library's conversions promise: truncated toward zero,
/// NaN to 0, saturated at the type's limits.
template <class I>
double truncated(long double v) {
  if (std::isnan(v)) return 0;
  const long double lo = static_cast<long double>(std::numeric_limits<I>::min());
  const long double hi = static_cast<long double>(std::numeric_limits<I>::max());
  return static_cast<double>(std::max(lo, std::min(hi, std::trunc(v))));
}
/// -v modulo 2^n for an n-bit integral type, computed in long long.
template <class I>
double wrapped_negation(long long v) {
  const long long m = 1LL << (8 * sizeof(I));
  long long r = (-v % m + m) % m;  // in [0, 2^n)
  if (std::is_signed<I>::value && r >= m / 2) r -= m;
  return static_cast<double>(r);
}
}  // namespace

TEST_CASE("assign: assigning to a slice copies into it", "[ops][assign]") {
  rd::tensor<float> x = rd::arange(0.f, 12.f).reshape({3, 4});
  const float* storage = x.data();
  const rd::tensor<double> y = {{-1., -2.}, {-3., -4.}, {-5., -6.}};
  x.slice(1, 1, 4, 2) = y;  // columns 1 and 3, from double
  CHECK(x.data() == storage);
  for (std::int64_t i = 0; i < 3; ++i)
    for (std::int64_t j = 0; j < 4; ++j) {
      const double expected =
          j % 2 == 1 ? -(2.0 * static_cast<double>(i) + static_cast<double>(j / 2) + 1.0)
                     : static_cast<double>(4 * i + j);
      CHECK(static_cast<double>(x.at({i, j})) == expected);
    }
  CHECK(values(y) == V({-1, -2, -3, -4, -5, -6}));
  // A row broadcast into two rows of a transposed view, and a 0-d tensor into a column.
  x.t().slice(0, 2, 4) = rd::tensor<std::int32_t>{10, 20, 30};
  x.select(1, 0) = rd::scalar(rd::half(0.5f));
  CHECK(values(x) == V({0.5, -1, 10, 10, 0.5, -3, 20, 20, 0.5, -5, 30, 30}));
  // Nested views of views and a stepped slice.
  rd::tensor<std::int64_t> n = rd::zeros<std::int64_t>({2, 6});
  n[1].slice(0, 1, 6, 2) = rd::tensor<std::int64_t>{7, 8, 9};
  CHECK(values(n) == V({0, 0, 0, 0, 0, 0, 0, 7, 0, 8, 0, 9}));
  // Every kind of view expression writes through to the same storage, never rebinding.
  rd::tensor<double> base = rd::zeros<double>({2, 2, 2});
  base.permute({2, 0, 1})[1] = rd::tensor<double>{{1., 2.}, {3., 4.}};
  base.reshape({4, 2}).slice(0, 0, 1) = rd::scalar(9.0);
  base.view({8}).slice(0, 6, 7) = rd::scalar(-1.0);
  CHECK(values(base) == V({9, 9, 0, 2, 0, 3, -1, 4}));
}

TEST_CASE("assign: x[0] = 5.f fills the row", "[ops][assign]") {
  rd::tensor<std::int32_t> m = rd::zeros<std::int32_t>({3, 2});
  m[0] = 5.f;
  m[2] = 7;
  m[1][1] = -3;
  m[1][0] = 2.9;  // truncated toward zero, as PyTorch converts a float scalar into an integer
  CHECK(values(m) == V({5, 5, 2, -3, 7, 7}));
  rd::tensor<float> f = rd::zeros<float>({2, 2});
  f[0] = rd::scalar(5.f);  // a 0-d tensor
  f.t()[1] = 2.5;          // a column
  CHECK(values(f) == V({5, 2.5, 0, 2.5}));
  // half: the scalar is rounded once to the element type.
  rd::tensor<rd::half> h = rd::zeros<rd::half>({2});
  h[1] = 1.0 + 0x1p-11 + 0x1p-30;  // just above the midpoint between 1 and 1 + 2^-10
  CHECK(h.at({0}).bits == 0x0000);
  CHECK(h.at({1}).bits == 0x3c01);
  rd::tensor<bool> b = rd::zeros<bool>({2});
  b[0] = 0.25;  // nonzero is true
  CHECK(values(b) == V({1, 0}));
}

TEST_CASE("copy_ broadcasts and converts", "[ops][assign][copy]") {
  SECTION("broadcasting a row, a column and a 0-d tensor; returns the tensor") {
    rd::tensor<double> x = rd::zeros<double>({2, 3});
    rd::tensor<double>& r = x.copy_(rd::tensor<float>{1.f, 2.f, 3.f});
    CHECK(&r == &x);
    CHECK(values(x) == V({1, 2, 3, 1, 2, 3}));
    x.copy_(rd::from_vector(std::vector<std::int8_t>{-1, -2}, {2, 1}));
    CHECK(values(x) == V({-1, -1, -1, -2, -2, -2}));
    x.copy_(rd::scalar(std::int64_t{1} << 53));
    CHECK(values(x) == std::vector<double>(6, 0x1p53));
    x.t().copy_(rd::tensor<double>{{1., 2.}, {3., 4.}, {5., 6.}});
    CHECK(values(x) == V({1, 3, 5, 2, 4, 6}));
    // Into a 0-d tensor and into an empty one.
    rd::tensor<float> z = rd::scalar(0.f);
    z.copy_(rd::scalar(4.5));
    CHECK(z.item() == 4.5f);
    rd::tensor<float> e;
    e.copy_(rd::scalar(1.f));  // broadcast to [0]: nothing to write
    CHECK(e.shape() == D({0}));
    rd::tensor<float> e2 = rd::empty<float>({0, 3});
    e2.copy_(rd::tensor<float>{1.f, 2.f, 3.f});
    CHECK(e2.shape() == D({0, 3}));
  }
  SECTION("floating into integral truncates, saturates and sends NaN to 0") {
    const std::vector<double> in = {1.9,    -1.9, 127.99,   128.0,     -128.5, 300.0,
                                    -300.0, NAN,  INFINITY, -INFINITY, -0.0,   1e300};
    const rd::tensor<double> src = rd::from_vector(in);
    rd::tensor<std::int8_t> i8 = rd::empty<std::int8_t>({12});
    rd::tensor<std::uint8_t> u8 = rd::empty<std::uint8_t>({12});
    rd::tensor<std::int64_t> i64 = rd::empty<std::int64_t>({12});
    i8.copy_(src);
    u8.copy_(src.to<float>());
    i64.copy_(src);
    for (std::int64_t k = 0; k < 12; ++k) {
      const long double v = in[static_cast<std::size_t>(k)];
      INFO("value " << static_cast<double>(v));
      CHECK(static_cast<double>(i8.at({k})) == truncated<std::int8_t>(v));
      CHECK(static_cast<double>(u8.at({k})) ==
            truncated<std::uint8_t>(
                static_cast<long double>(static_cast<float>(in[static_cast<std::size_t>(k)]))));
      CHECK(static_cast<double>(i64.at({k})) == truncated<std::int64_t>(v));
    }
  }
  SECTION("into half and bfloat16: one rounding to nearest even") {
    rd::tensor<float> f = {1.f + 0x1p-11f, 1.f + 3 * 0x1p-11f, 65520.f, 65519.f,
                           0x1p-25f,       3 * 0x1p-25f,       -0.f,    -70000.f};
    rd::tensor<rd::half> h = rd::empty<rd::half>({8});
    h.copy_(f);
    const std::vector<std::uint16_t> want = {0x3c00, 0x3c02, 0x7c00, 0x7bff,
                                             0x0000, 0x0002, 0x8000, 0xfc00};
    for (std::int64_t k = 0; k < 8; ++k) CHECK(h.at({k}).bits == want[static_cast<std::size_t>(k)]);
    // An int64 that double would round first: 2^62 + 2^54 + 1 is above the bfloat16 midpoint
    // 2^62 + 2^54 (a tie in double, which would go to 2^62).
    rd::tensor<rd::bfloat16> bf = rd::empty<rd::bfloat16>({2});
    bf.copy_(rd::tensor<std::int64_t>{(std::int64_t{1} << 62) + (std::int64_t{1} << 54) + 1,
                                      (std::int64_t{1} << 62) + (std::int64_t{1} << 54)});
    CHECK(bf.at({0}).bits == 0x5e81);
    CHECK(bf.at({1}).bits == 0x5e80);
  }
  SECTION("bool on either side") {
    rd::tensor<bool> b = rd::empty<bool>({6});
    b.copy_(rd::tensor<float>{0.f, -0.f, NAN, 0.5f, -INFINITY, 1e-45f});
    CHECK(values(b) == V({0, 0, 1, 1, 1, 1}));
    rd::tensor<rd::bfloat16> bf = rd::empty<rd::bfloat16>({2});
    bf.copy_(rd::tensor<bool>{true, false});
    CHECK(bf.at({0}).bits == 0x3f80);
    CHECK(bf.at({1}).bits == 0x0000);
  }
  SECTION("the tensor itself, or a disjoint view of its storage") {
    rd::tensor<float> x = {{1.f, 2.f}, {3.f, 4.f}};
    x.copy_(x);
    x[0] = x[1];  // a view assignment (x[0] is an rvalue)
    x = x[0];     // a named tensor rebinds to the row
    CHECK(values(x) == V({3, 4}));
    rd::tensor<float> m = {{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}};
    m[0].copy_(m[2]);
    m.slice(0, 1, 2) = m.slice(0, 0, 1);
    CHECK(values(m) == V({5, 6, 5, 6, 5, 6}));
  }
}

TEST_CASE("fill_ and view assignment take a scalar only where the element type holds it",
          "[ops][assign][fill]") {
  auto filled = [](auto x, auto value) {
    x.fill_(value);
    return static_cast<double>(x.at({1}));
  };
  const auto i8 = [] { return rd::zeros<std::int8_t>({2}); };
  const auto u8 = [] { return rd::zeros<std::uint8_t>({2}); };
  const auto b = [] { return rd::zeros<bool>({2}); };
  // Accepted, and converted as PyTorch's checked conversion does.
  CHECK(filled(i8(), -128) == -128);
  CHECK(filled(i8(), 127LL) == 127);
  CHECK(filled(i8(), std::uint64_t{5}) == 5);
  CHECK(filled(u8(), -1) == 255);  // a negative integer wraps into an unsigned type
  CHECK(filled(u8(), -255) == 1);
  CHECK(filled(u8(), 255.0) == 255);
  CHECK(filled(b(), -1) == 1);
  CHECK(filled(b(), 0.5) == 1);
  CHECK(filled(b(), 1e-300) == 1);
  CHECK(filled(b(), true) == 1);
  CHECK(filled(rd::zeros<std::int32_t>({2}), 2.9) == 2);
  CHECK(filled(rd::zeros<std::int32_t>({2}), -2.9f) == -2);
  CHECK(filled(rd::zeros<std::int64_t>({2}), -0x1p63) == -0x1p63);
  CHECK(filled(rd::zeros<std::int64_t>({2}), std::numeric_limits<std::int64_t>::max()) ==
        0x1p63);  // as a double
  CHECK(filled(rd::zeros<rd::half>({2}), 65504.0) == 65504);
  CHECK(filled(rd::zeros<rd::half>({2}), -65504) == -65504);
  CHECK(std::isinf(filled(rd::zeros<rd::half>({2}), INFINITY)));
  CHECK(std::isnan(filled(rd::zeros<rd::half>({2}), NAN)));
  CHECK(filled(rd::zeros<rd::bfloat16>({2}), rd::half(3.f)) == 3);
  CHECK(filled(rd::zeros<float>({2}), std::numeric_limits<std::uint64_t>::max()) == 0x1p64);
  CHECK(filled(rd::zeros<float>({2}), 1e38) == static_cast<double>(1e38f));
  CHECK(filled(rd::zeros<double>({2}), 0.1L) == 0.1);
  // Refused with value_error, nothing written.
  auto refused_fill = [](auto x, auto value, const std::string& text) {
    const auto before = values(x);
    CHECK_THAT(message_of<rd::value_error>([&] { x.fill_(value); }),
               Equals("radicand::fill_: value " + text + " without overflow"));
    CHECK_THAT(message_of<rd::value_error>([&] { x[0] = value; }),
               Equals("radicand::fill_: value " + text + " without overflow"));
    CHECK(values(x) == before);
  };
  refused_fill(i8(), 128, "128 cannot be converted to int8");
  refused_fill(i8(), -129LL, "-129 cannot be converted to int8");
  refused_fill(i8(), 127.5, "127.5 cannot be converted to int8");
  refused_fill(u8(), 256, "256 cannot be converted to uint8");
  refused_fill(u8(), -256, "-256 cannot be converted to uint8");
  refused_fill(u8(), -1.0, "-1 cannot be converted to uint8");  // floating values never wrap
  refused_fill(b(), 2, "2 cannot be converted to bool");
  refused_fill(b(), -2, "-2 cannot be converted to bool");
  refused_fill(b(), 1.5, "1.5 cannot be converted to bool");
  refused_fill(rd::zeros<std::int32_t>({2}), NAN, "nan cannot be converted to int32");
  refused_fill(rd::zeros<std::int32_t>({2}), -INFINITY, "-inf cannot be converted to int32");
  refused_fill(rd::zeros<std::int32_t>({2}), 2147483648.0,
               "2.14748e+09 cannot be converted to int32");
  refused_fill(rd::zeros<std::int64_t>({2}), 0x1p63, "9.22337e+18 cannot be converted to int64");
  refused_fill(rd::zeros<std::int64_t>({2}), std::numeric_limits<std::uint64_t>::max(),
               "18446744073709551615 cannot be converted to int64");
  refused_fill(rd::zeros<rd::half>({2}), 65505.0, "65505 cannot be converted to float16");
  refused_fill(rd::zeros<rd::half>({2}), 70000, "70000 cannot be converted to float16");
  refused_fill(rd::zeros<float>({2}), -1e39, "-1e+39 cannot be converted to float32");
  refused_fill(rd::zeros<rd::bfloat16>({2}), 1e300, "1e+300 cannot be converted to bfloat16");
}

TEST_CASE("fill_ with a 0-d tensor, also one of the tensor's own elements", "[ops][assign][fill]") {
  rd::tensor<float> x = rd::arange(0.f, 6.f).reshape({2, 3});
  x.fill_(x[1][2]);  // read before anything is written, as PyTorch clones an aliasing value
  CHECK(values(x) == std::vector<double>(6, 5.0));
  rd::tensor<std::int8_t> n = rd::zeros<std::int8_t>({3});
  n.fill_(rd::scalar(2.75));  // converted as copy_ converts
  CHECK(values(n) == V({2, 2, 2}));
  n.fill_(rd::scalar(300.0));  // saturated, as copy_ does (a C++ scalar 300 would be refused)
  CHECK(values(n) == V({127, 127, 127}));
  CHECK_THAT(message_of<rd::shape_error>([&] { n.fill_(rd::tensor<float>{1.f}); }),
             Equals("radicand::fill_: the value must be a 0-d tensor, but it has shape [1]"));
  CHECK(values(n) == V({127, 127, 127}));
}

TEST_CASE("zero_ and fill_ return the tensor and write through views", "[ops][assign][fill]") {
  rd::tensor<double> x = rd::full<double>({3, 4}, 2.0);
  rd::tensor<double>& z = x.zero_();
  CHECK(&z == &x);
  CHECK(values(x) == std::vector<double>(12, 0.0));
  rd::tensor<double>& f = x.fill_(1);
  CHECK(&f == &x);
  x.slice(1, 0, 4, 3).fill_(7.0).slice(0, 1, 3).zero_();  // rvalue views chain
  x.t()[1].fill_(rd::scalar(-1.f));
  CHECK(values(x) == V({7, -1, 1, 7, 0, -1, 1, 0, 0, -1, 1, 0}));
  rd::tensor<float> e;
  e.fill_(3.f).zero_();
  CHECK(e.shape() == D({0}));
  rd::tensor<rd::bfloat16> s = rd::scalar(rd::bfloat16(2.f));
  s.zero_();
  CHECK(s.item().bits == 0x0000);
}

TEST_CASE("unary minus wraps integers", "[ops][neg]") {
  const std::vector<long long> i8v = {-128, -127, -1, 0, 1, 127};
  rd::tensor<std::int8_t> i8 = rd::empty<std::int8_t>({6});
  const std::vector<long long> u8v = {0, 1, 128, 200, 255};
  rd::tensor<std::uint8_t> u8 = rd::empty<std::uint8_t>({5});
  const std::vector<long long> i32v = {std::numeric_limits<std::int32_t>::min(), -5, 0,
                                       std::numeric_limits<std::int32_t>::max()};
  rd::tensor<std::int32_t> i32 = rd::empty<std::int32_t>({4});
  for (std::int64_t k = 0; k < 6; ++k)
    i8.at({k}) = static_cast<std::int8_t>(i8v[static_cast<std::size_t>(k)]);
  for (std::int64_t k = 0; k < 5; ++k)
    u8.at({k}) = static_cast<std::uint8_t>(u8v[static_cast<std::size_t>(k)]);
  for (std::int64_t k = 0; k < 4; ++k)
    i32.at({k}) = static_cast<std::int32_t>(i32v[static_cast<std::size_t>(k)]);
  const rd::tensor<std::int8_t> ni8 = -i8;
  const rd::tensor<std::uint8_t> nu8 = -u8;
  const rd::tensor<std::int32_t> ni32 = -i32;
  for (std::int64_t k = 0; k < 6; ++k)
    CHECK(static_cast<double>(ni8.at({k})) ==
          wrapped_negation<std::int8_t>(i8v[static_cast<std::size_t>(k)]));
  for (std::int64_t k = 0; k < 5; ++k)
    CHECK(static_cast<double>(nu8.at({k})) ==
          wrapped_negation<std::uint8_t>(u8v[static_cast<std::size_t>(k)]));
  for (std::int64_t k = 0; k < 4; ++k)
    CHECK(static_cast<double>(ni32.at({k})) ==
          wrapped_negation<std::int32_t>(i32v[static_cast<std::size_t>(k)]));
  CHECK(ni8.at({0}) == std::numeric_limits<std::int8_t>::min());  // -INT8_MIN == INT8_MIN
  const rd::tensor<std::int64_t> i64 = {std::numeric_limits<std::int64_t>::min(), -7, 7};
  const rd::tensor<std::int64_t> ni64 = -i64;
  CHECK(ni64.at({0}) == std::numeric_limits<std::int64_t>::min());
  CHECK(ni64.at({1}) == 7);
  CHECK(ni64.at({2}) == -7);
  static_assert(std::is_same<decltype(-i8), rd::tensor<std::int8_t>>::value, "keeps the type");
}

TEST_CASE("unary minus flips the sign bit of floating values, layouts as rsqrt", "[ops][neg]") {
  // Every half and bfloat16 bit pattern, NaNs and zeros included: only the sign bit changes.
  std::vector<rd::half> hv;
  std::vector<rd::bfloat16> bv;
  for (std::uint32_t p = 0; p < 65536; ++p) {
    hv.push_back(rd::half::from_bits(static_cast<std::uint16_t>(p)));
    bv.push_back(rd::bfloat16::from_bits(static_cast<std::uint16_t>(p)));
  }
  const rd::tensor<rd::half> nh = -rd::from_vector(hv, {256, 256});
  const rd::tensor<rd::bfloat16> nb = -rd::from_vector(bv, {256, 256}).t();
  int wrong = 0;
  for (std::int64_t i = 0; i < 256; ++i)
    for (std::int64_t j = 0; j < 256; ++j) {
      const auto p = static_cast<std::uint32_t>(i * 256 + j);
      if (nh.at({i, j}).bits != (p ^ 0x8000u)) ++wrong;
      if (nb.at({j, i}).bits != (p ^ 0x8000u)) ++wrong;
    }
  CHECK(wrong == 0);
  const rd::tensor<float> f = {0.f, -0.f, 1.5f, -INFINITY, NAN, 0x1p-149f};
  const rd::tensor<float> nf = -f;
  for (std::int64_t k = 0; k < 6; ++k)
    CHECK(to_bits(nf.at({k})) == (to_bits(f.at({k})) ^ 0x80000000u));
  const rd::tensor<double> d = {{1., -2.}, {0., 3.}};
  const rd::tensor<double> nd = -d.t();
  CHECK(nd.strides() == D({1, 2}));  // a dense input's layout, as rsqrt's result
  CHECK(values(nd) == V({-1, -0., 2, -3}));
  CHECK(std::signbit(nd.at({0, 1})));
  const rd::tensor<double> ne = -d[0].expand({3, 2});
  CHECK(ne.is_contiguous());
  CHECK(values(ne) == V({-1, 2, -1, 2, -1, 2}));
  CHECK((-rd::tensor<float>()).shape() == D({0}));
  CHECK((-rd::scalar(2.0)).item() == -2.0);
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

// ---------------------------------------------------------------------------------------------
// Scalars and 0-d tensors in promotion
// ---------------------------------------------------------------------------------------------

namespace {
/// v modulo 2^n, as the integral type I (the exact result of integer + - * in I).
template <class I>
I wrap(long long v) {
  return static_cast<I>(static_cast<std::make_unsigned_t<I>>(static_cast<unsigned long long>(v)));
}
/// a / b rounded once to float (a and b exact in float: the double quotient rounds innocuously).
float float_quotient(double a, double b) { return static_cast<float>(a / b); }
/// x op s for a 16-bit T computed in float with s read in float: the double result of the two
/// floats rounds to float as float arithmetic would (53 >= 2 * 24 + 2), then once more to T.
template <class T>
std::uint16_t opmath_bits(char op, T x, double s) {
  const double r = apply(op, static_cast<double>(static_cast<float>(x)),
                         static_cast<double>(static_cast<float>(s)));
  return T(static_cast<float>(r)).bits;
}
}  // namespace

TEST_CASE("an out-of-range integer scalar is not wrapped before division",
          "[ops][binary][scalar][promotion]") {
  using std::int8_t;
  using std::uint8_t;
  // PyTorch: int8 [100] / 1000 is 0.1 (float32), uint8 [5] / 256 is 0.01953125, 1000 / int8
  // [100] is 10: the scalar keeps its value in the float division.
  CHECK((rd::tensor<int8_t>{100} / 1000).item() == float_quotient(100, 1000));
  CHECK((rd::tensor<int8_t>{100} / 1000).item() == 0.1f);
  CHECK((rd::tensor<uint8_t>{5} / 256).item() == 0.01953125f);
  CHECK((1000 / rd::tensor<int8_t>{100}).item() == 10.f);
  CHECK(values(rd::tensor<int8_t>{-128, 127, 0} / 300) ==
        V({float_quotient(-128, 300), float_quotient(127, 300), 0}));
  CHECK((rd::tensor<std::int32_t>{3} / (std::int64_t{1} << 40)).item() == 3 * 0x1p-40f);
  CHECK(((std::int64_t{1} << 40) / rd::tensor<std::int16_t>{-4}).item() == -0x1p38f);
  // An unsigned scalar past INT64_MAX is its value, not a negative int64.
  CHECK((rd::tensor<float>{0.f} + (std::uint64_t{1} << 63)).item() == 0x1p63f);
  CHECK((rd::tensor<std::int64_t>{1} / std::numeric_limits<std::uint64_t>::max()).item() ==
        0x1p-64f);
  // + - * stay in the tensor's type and wrap modulo 2^n: the exact result reduced, as PyTorch.
  CHECK((rd::tensor<int8_t>{100} + 1000).item() == wrap<int8_t>(1100));
  CHECK((rd::tensor<int8_t>{100} - 1000).item() == wrap<int8_t>(-900));
  CHECK((1000 - rd::tensor<int8_t>{100}).item() == wrap<int8_t>(900));
  CHECK((rd::tensor<uint8_t>{5} * 1000).item() == wrap<uint8_t>(5000));
  CHECK((rd::tensor<std::int16_t>{-7} * (std::int64_t{1} << 40) + 3).item() == 3);
  CHECK((rd::tensor<std::int32_t>{2} * 3000000000LL).item() == wrap<std::int32_t>(6000000000LL));
  rd::tensor<int8_t> x = {100, -100};
  x += 1000;
  CHECK(x.at({0}) == wrap<int8_t>(1100));
  CHECK(x.at({1}) == wrap<int8_t>(900));
  x *= -1000;
  CHECK(x.at({0}) == wrap<int8_t>(wrap<int8_t>(1100) * -1000LL));
  CHECK(x.at({1}) == wrap<int8_t>(wrap<int8_t>(900) * -1000LL));
  // A float scalar with an integral tensor: float, computed in float.
  CHECK((rd::tensor<std::int32_t>{3} * 2.5).item() == 7.5f);
  CHECK((rd::tensor<std::int32_t>{16777217} * 1.0).item() == 16777216.f);
  CHECK((rd::tensor<std::int64_t>{1} * 1e300).item() == std::numeric_limits<float>::infinity());
  // A large int64 scalar with a float tensor rounds once, straight to float: 2^62 + 2^38 + 1 is
  // above the float midpoint 2^62 + 2^38 (through double it would be the midpoint, then even).
  const long long big = (1LL << 62) + (1LL << 38) + 1;
  CHECK(static_cast<float>(static_cast<double>(big)) == 0x1p62f);  // the trap, in plain C++
  CHECK((rd::tensor<float>{0.f} + big).item() == 0x1p62f + 0x1p39f);
  CHECK((rd::tensor<double>{0.0} + big).item() == static_cast<double>(big));
}

TEST_CASE("half times a double scalar computes in float", "[ops][binary][scalar][promotion]") {
  using rd::bfloat16;
  using rd::half;
  // PyTorch: float16 [0.5] * 70000.0 is 35008 and bfloat16 [3] * 1.005 is 3.015625 (the scalar
  // in float, one rounding at the end); rounding the scalar to 16 bits first gives inf and
  // 3.03125.
  CHECK((rd::tensor<half>{half(0.5f)} * 70000.0).item().bits == half(35008.f).bits);
  CHECK((70000.0 * rd::tensor<half>{half(0.5f)}).item().bits == half(35008.f).bits);
  CHECK((rd::tensor<half>{half(0.5f)} * 70000.f).item().bits == half(35008.f).bits);
  CHECK(static_cast<float>((rd::tensor<bfloat16>{bfloat16(3.f)} * 1.005).item()) == 3.015625f);
  // / too: 1 / 0.3 is 3.333984375 in float16 (3.33203125 by half(0.3)).
  CHECK(static_cast<float>((rd::tensor<half>{half(1.f)} / 0.3).item()) == 3.333984375f);
  CHECK((rd::tensor<half>{half(35008.f)} / (1.0 / 70000.0)).item().bits ==
        opmath_bits('/', half(35008.f), 1.0 / 70000.0));
  // + and - the same way: 1024 + 0.5001 is 1025 (0.5001 as a half is 0.5: a tie, to 1024), and
  // -65504 + 70000 is 4496 (70000 as a half is inf).
  CHECK(static_cast<float>((rd::tensor<half>{half(1024.f)} + 0.5001).item()) == 1025.f);
  CHECK(static_cast<float>((rd::tensor<half>{half(-65504.f)} + 70000.0).item()) == 4496.f);
  CHECK(static_cast<float>((70000.0 - rd::tensor<half>{half(65504.f)}).item()) == 4496.f);
  CHECK((rd::tensor<half>{half(1.f)} + 70000.0).item().bits == 0x7c00u);  // 70001 is past max
  CHECK(static_cast<float>((rd::tensor<half>{half(1024.f)} + 0.4).item()) == 1024.f);
  // Compound forms.
  rd::tensor<bfloat16> b = {bfloat16(3.f)};
  b *= 1.005;
  CHECK(static_cast<float>(b.item()) == 3.015625f);
  rd::tensor<half> h = {half(0.5f), half(-65504.f)};
  h *= 70000.0;
  CHECK(h.at({0}).bits == half(35008.f).bits);
  CHECK(h.at({1}).bits == 0xfc00u);
  rd::tensor<half> g = {half(1024.f)};
  g += 0.5001;
  CHECK(static_cast<float>(g.item()) == 1025.f);
  g /= 0.3;
  CHECK(g.item().bits == opmath_bits('/', half(1025.f), 0.3));
  // Every op and many values against float arithmetic with the scalar in float.
  const rd::tensor<half> hx = rd::from_vector(moderate<half>(40, 71));
  const rd::tensor<bfloat16> bx = rd::from_vector(moderate<bfloat16>(40, 72));
  for (const double s : {1.005, 0.3, 70000.0, -1e-6, 3e38}) {
    for (const char op : {'+', '-', '*', '/'}) {
      INFO("op " << op << " scalar " << s);
      rd::tensor<half> hr;
      rd::tensor<bfloat16> br;
      switch (op) {
        case '+':
          hr = hx + s;
          br = bx + s;
          break;
        case '-':
          hr = hx - s;
          br = bx - s;
          break;
        case '*':
          hr = hx * s;
          br = bx * s;
          break;
        default:
          hr = hx / s;
          br = bx / s;
          break;
      }
      for (std::int64_t k = 0; k < 40; ++k) {
        CHECK(hr.at({k}).bits == opmath_bits(op, hx.at({k}), s));
        CHECK(br.at({k}).bits == opmath_bits(op, bx.at({k}), s));
      }
    }
  }
}

TEST_CASE("a 0-d tensor promotes by category", "[ops][binary][0d][promotion]") {
  using rd::half;
  using std::int16_t;
  using std::int32_t;
  using std::int64_t;
  using std::int8_t;
  using std::is_same;
  using std::uint8_t;
  // rd::scalar is a tensor known at compile time to be 0-d.
  static_assert(std::is_base_of<rd::tensor<double>, rd::scalar_tensor<double>>::value,
                "a scalar_tensor is a tensor");
  // PyTorch's result_type: beside a dimensioned tensor, a 0-d tensor counts only through its
  // category, unless that category is higher; two 0-d tensors promote by dtype.
  auto f = rd::tensor<float>{1.f} + rd::scalar(1.0);
  static_assert(is_same<decltype(f), rd::tensor<float>>::value, "float32 + 0-d float64: float32");
  auto h = rd::tensor<half>{half(1.f)} + rd::scalar(1.f);
  static_assert(is_same<decltype(h), rd::tensor<half>>::value, "float16 + 0-d float32: float16");
  auto i = rd::tensor<int32_t>{1} + rd::scalar(int64_t{5});
  static_assert(is_same<decltype(i), rd::tensor<int32_t>>::value, "int32 + 0-d int64: int32");
  auto il = rd::scalar(int64_t{5}) - rd::tensor<int32_t>{1};
  static_assert(is_same<decltype(il), rd::tensor<int32_t>>::value, "0-d int64 - int32: int32");
  auto u = rd::tensor<uint8_t>{200} + rd::scalar(int8_t{100});
  static_assert(is_same<decltype(u), rd::tensor<uint8_t>>::value, "uint8 + 0-d int8: uint8");
  auto fi = rd::tensor<int32_t>{1} * rd::scalar(2.5);
  static_assert(is_same<decltype(fi), rd::tensor<double>>::value, "int32 * 0-d float64: float64");
  auto hi = rd::tensor<int32_t>{1} * rd::scalar(half(2.5f));
  static_assert(is_same<decltype(hi), rd::tensor<half>>::value, "int32 * 0-d float16: float16");
  auto bi = rd::tensor<bool>{true} + rd::scalar(int8_t{3});
  static_assert(is_same<decltype(bi), rd::tensor<int8_t>>::value, "bool + 0-d int8: int8");
  auto q = rd::tensor<int16_t>{3} / rd::scalar(int64_t{2});
  static_assert(is_same<decltype(q), rd::tensor<float>>::value, "int16 / 0-d int64: float32");
  auto zz = rd::scalar(1.f) + rd::scalar(1.0);
  static_assert(is_same<decltype(zz), rd::tensor<double>>::value, "two 0-d: float64");
  CHECK(f.item() == 2.f);
  CHECK(static_cast<float>(h.item()) == 2.f);
  CHECK(il.item() == 4);
  CHECK(u.item() == wrap<uint8_t>(300));
  CHECK(fi.item() == 2.5);
  CHECK(static_cast<float>(hi.item()) == 2.5f);
  CHECK(bi.item() == 4);
  CHECK(q.item() == 1.5f);
  CHECK(zz.item() == 2.0);
  // Computed in the result type: int32 wraps; float32 rounds 2^-24 + 2^-50 to 2^-24 first, so
  // 1 + it is a tie (1), where float64 arithmetic rounded to float would give 1 + 2^-23.
  CHECK(
      (rd::tensor<int32_t>{std::numeric_limits<int32_t>::max()} + rd::scalar(int64_t{1})).item() ==
      std::numeric_limits<int32_t>::min());
  CHECK((rd::tensor<float>{1.f} + rd::scalar(0x1p-24 + 0x1p-50)).item() == 1.f);
  CHECK(
      static_cast<float>((rd::tensor<float>{1.f} + rd::tensor<double>{0x1p-24 + 0x1p-50}).item()) ==
      1.f + 0x1p-23f);
  // The 0-d operand is read straight into the compute type (float for half), not rounded to
  // half first: 1024 + 0.5001f is 1025.
  CHECK(static_cast<float>((rd::tensor<half>{half(1024.f)} + rd::scalar(0.5001f)).item()) ==
        1025.f);

  SECTION("a tensor whose 0-d-ness shows only at run time") {
    // The result type is fixed at compile time (promote_t, which holds every result PyTorch's
    // rule can give); the values are PyTorch's, computed in its result type.
    const rd::tensor<double> d0 = rd::scalar(0x1p-24 + 0x1p-50);
    const auto r = rd::tensor<float>{1.f, 2.f} + d0;
    static_assert(is_same<decltype(r), const rd::tensor<double>>::value, "the static type");
    CHECK(values(r) == V({1.0, 2.0}));  // float arithmetic: 1 + 2^-24 is a tie, 2 + 2^-24 is 2
    CHECK((d0 + rd::tensor<float>{1.f}).item() == 1.0);
    CHECK((rd::tensor<float>{1.f} + rd::tensor<double>{0x1p-24 + 0x1p-50}).item() ==
          1.0 + 0x1p-24 + 0x1p-50);  // both dimensioned: float64 arithmetic
    CHECK((rd::tensor<float>{1.f}.reshape({}) + d0).item() == 1.0 + 0x1p-24 + 0x1p-50);  // both 0-d
    const rd::tensor<int64_t> one = rd::scalar(int64_t{1});
    const rd::tensor<int32_t> m = {std::numeric_limits<int32_t>::max()};
    CHECK((m + one).item() == std::numeric_limits<int32_t>::min());
    CHECK((one + m).item() == std::numeric_limits<int32_t>::min());
    CHECK((m.reshape({}) + one).item() == std::int64_t{1} << 31);
    const rd::tensor<int8_t> i0 = rd::scalar(int8_t{100});
    CHECK((rd::tensor<uint8_t>{200} + i0).item() == 44);  // uint8 arithmetic, kept in int16
    const rd::tensor<float> f0 = rd::scalar(0.5001f);
    const auto hr = rd::tensor<half>{half(1024.f)} + f0;  // float16's result, kept in float32
    CHECK(hr.item() == 1025.f);
    const rd::tensor<float> g0 = rd::scalar(1e-3f);
    CHECK((rd::tensor<half>{half(1.f)} + g0).item() == 1.f + 0x1p-10f);  // rounded to half
    CHECK((rd::tensor<half>{half(1.f)} + rd::tensor<float>{1e-3f}).item() == 1.f + 1e-3f);
  }
  SECTION("compound assignment with a 0-d operand") {
    rd::tensor<float> x = {1.f, 1.f};
    x += rd::scalar(0x1p-24 + 0x1p-50);  // computed in float32, as PyTorch
    CHECK(values(x) == V({1, 1}));
    const rd::tensor<double> d0 = rd::scalar(0x1p-24 + 0x1p-50);
    x += d0;
    CHECK(values(x) == V({1, 1}));
    x += rd::tensor<double>{0x1p-24 + 0x1p-50};  // dimensioned: float64, then rounded
    CHECK(values(x) == V({1 + 0x1p-23, 1 + 0x1p-23}));
    rd::tensor<float> z = rd::scalar(1.f);
    z += d0;  // both 0-d: float64
    CHECK(z.item() == 1.f + 0x1p-23f);
    rd::tensor<int8_t> n = {100};
    n *= rd::scalar(int64_t{1000});
    CHECK(n.item() == wrap<int8_t>(100000));
  }
  SECTION("a 0-d result type that cannot hold PyTorch's result is refused") {
    // A plain tensor that is 0-d beside rd::scalar: PyTorch promotes by dtype (float64), which
    // the compile-time result (float32) cannot hold.
    const rd::tensor<float> z = rd::scalar(1.f);
    CHECK_THAT(message_of<rd::shape_error>([&] { (void)(z + rd::scalar(1.0)); }),
               Contains("radicand::add") && Contains("float32") && Contains("float64") &&
                   Contains("[] and []"));
    CHECK_THROWS_AS(rd::scalar(std::int64_t{1}) * z.to<std::int32_t>(), rd::shape_error);
    CHECK((z + rd::scalar(1.f)).item() == 2.f);              // the same type: nothing to refuse
    CHECK((z + rd::scalar(std::int64_t{1})).item() == 2.f);  // another category: float32
    CHECK_THROWS_AS(rd::scalar_tensor<float>(rd::tensor<float>{1.f}), rd::shape_error);
    const rd::scalar_tensor<float> s(z);
    CHECK(s.is_same_storage(z));
  }
}

TEST_CASE("to<bool> of a tiny double is true", "[ops][convert]") {
  // PyTorch: torch.tensor([1e-50], dtype=torch.float64).bool() is True (compared in double, not
  // after rounding to float, where 1e-50 is 0).
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const rd::tensor<double> d = {1e-50, -1e-300, 4.9e-324, 0.0, -0.0, nan, 1e300};
  CHECK(values(d.to<bool>()) == V({1, 1, 1, 0, 0, 1, 1}));
  CHECK(rd::detail::convert<bool>(1e-50));
  CHECK_FALSE(rd::detail::convert<bool>(-0.0));
  CHECK(values(rd::tensor<float>{1e-45f, 0.f, -0.f}.to<bool>()) == V({1, 0, 0}));
  CHECK(values(rd::tensor<rd::half>{rd::half::from_bits(0x0001), rd::half::from_bits(0x8000)}
                   .to<bool>()) == V({1, 0}));
  CHECK(values(rd::tensor<rd::bfloat16>{rd::bfloat16::from_bits(0x8001)}.to<bool>()) == V({1}));
  CHECK(values(rd::tensor<std::int64_t>{std::int64_t{1} << 40, 0}.to<bool>()) == V({1, 0}));
}
