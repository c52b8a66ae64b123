// tensor<T>: construction, factories, handle semantics, inspection, views and element-type
// conversions. Expected values are written out by hand or computed here with plain C++
// arithmetic; the library is never its own reference.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace rd = radicand;

namespace {

using Catch::Matchers::Contains;
using radicand_test::D;
using radicand_test::dims;
using radicand_test::for_each_index;
using radicand_test::message_of;

/// The elements in row-major order, as double, read one by one with at().
template <class T>
std::vector<double> values(const rd::tensor<T>& t) {
  std::vector<double> v;
  for_each_index(t.shape(), [&](const dims& i) { v.push_back(static_cast<double>(t.at(i))); });
  return v;
}

std::vector<double> V(std::initializer_list<double> l) { return std::vector<double>(l); }

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
std::uint64_t bits(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}
std::uint16_t bits(rd::half h) { return h.bits; }
std::uint16_t bits(rd::bfloat16 b) { return b.bits; }

template <class T>
std::vector<unsigned char> bytes(const rd::tensor<T>& t) {
  REQUIRE(t.is_contiguous());
  std::vector<unsigned char> b(static_cast<std::size_t>(t.numel()) * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), t.data(), b.size());
  return b;
}

/// One element of type To converted by to<To>() (through a 1-element tensor of From).
template <class To, class From>
To conv(From v) {
  rd::tensor<From> t = {v};
  return t.template to<To>().item();
}

template <class T>
T make(int v) {
  if constexpr (std::is_same<T, bool>::value) {
    return v != 0;
  } else if constexpr (std::is_same<T, rd::half>::value || std::is_same<T, rd::bfloat16>::value) {
    return T(static_cast<float>(v));
  } else {
    return static_cast<T>(v);
  }
}

template <class... Ts>
struct type_list {};
using all_types = type_list<float, double, rd::half, rd::bfloat16, bool, std::int8_t, std::uint8_t,
                            std::int16_t, std::int32_t, std::int64_t>;

/// Small values every type holds exactly go through to<To>() from a transposed view.
template <class From, class To>
void check_convert_small_values() {
  INFO("from " << rd::dtype_name<From>() << " to " << rd::dtype_name<To>());
  const std::vector<int> src = std::is_same<From, bool>::value
                                   ? std::vector<int>{0, 1, 1, 0, 0, 1}
                                   : std::vector<int>{0, 1, 2, 5, 100, 7};
  std::vector<From> v;
  for (int s : src) v.push_back(make<From>(s));
  const rd::tensor<From> t = rd::from_vector(v, {2, 3});
  const rd::tensor<To> u = t.t().template to<To>();
  static_assert(std::is_same<typename decltype(u)::value_type, To>::value, "to<To>() gives To");
  REQUIRE(u.shape() == D({3, 2}));
  CHECK(u.is_contiguous());
  CHECK(u.strides() == D({2, 1}));
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t j = 0; j < 3; ++j) {
      const int s = src[static_cast<std::size_t>(i * 3 + j)];
      const double expected =
          std::is_same<To, bool>::value ? (s != 0 ? 1.0 : 0.0) : static_cast<double>(s);
      CHECK(static_cast<double>(u.at({j, i})) == expected);
    }
}
template <class From, class... Tos>
void convert_to_each(type_list<Tos...>) {
  (check_convert_small_values<From, Tos>(), ...);
}
template <class... Froms>
void convert_each_pair(type_list<Froms...>) {
  (convert_to_each<Froms>(all_types{}), ...);
}

/// copy_ from a transposed, broadcast source, fill_ with a C++ scalar and a 0-d tensor, and
/// assignment to a view, between From and To, with small values every type holds exactly.
template <class From, class To>
void check_copy_small_values() {
  INFO("from " << rd::dtype_name<From>() << " to " << rd::dtype_name<To>());
  const bool from_bool = std::is_same<From, bool>::value;
  const bool to_bool = std::is_same<To, bool>::value;
  const std::vector<int> src = from_bool ? std::vector<int>{0, 1, 1} : std::vector<int>{0, 5, 100};
  auto as_to = [&](int s) { return to_bool ? (s != 0 ? 1.0 : 0.0) : static_cast<double>(s); };
  std::vector<From> v;
  for (int s : src) v.push_back(make<From>(s));
  // Source [3, 1] (a column, transposed from a row), broadcast into [3, 2], which is itself a
  // transposed view of a [2, 3] block of memory.
  const rd::tensor<From> column = rd::from_vector(v, {1, 3}).t();
  rd::tensor<To> block = rd::full<To>({2, 3}, make<To>(1));
  rd::tensor<To> dst = block.t();
  rd::tensor<To>& r = dst.copy_(column);
  CHECK(&r == &dst);
  for (std::int64_t i = 0; i < 3; ++i)
    for (std::int64_t j = 0; j < 2; ++j) {
      CHECK(static_cast<double>(dst.at({i, j})) == as_to(src[static_cast<std::size_t>(i)]));
      CHECK(static_cast<double>(block.at({j, i})) == as_to(src[static_cast<std::size_t>(i)]));
    }
  // fill_ from a 0-d tensor of From, and view assignment of one.
  const int last = src.back();
  block.fill_(rd::scalar(make<From>(last)));
  CHECK(values(block) == std::vector<double>(6, as_to(last)));
  block[1] = rd::scalar(make<From>(0));
  CHECK(values(block) == V({as_to(last), as_to(last), as_to(last), 0, 0, 0}));
  block.slice(1, 1, 3) = rd::from_vector(v, {3}).slice(0, 1, 3);
  CHECK(values(block) ==
        V({as_to(last), as_to(src[1]), as_to(src[2]), 0, as_to(src[1]), as_to(src[2])}));
}
template <class From, class... Tos>
void copy_to_each(type_list<Tos...>) {
  (check_copy_small_values<From, Tos>(), ...);
}
template <class... Froms>
void copy_each_pair(type_list<Froms...>) {
  (copy_to_each<Froms>(all_types{}), ...);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------------------------

TEST_CASE("tensor: 1-d to 4-d nested initializer lists", "[tensor][construct]") {
  rd::tensor<float> a = {1.f, 4.f, 9.f};
  CHECK(a.shape() == D({3}));
  CHECK(a.strides() == D({1}));
  CHECK(a.dim() == 1);
  CHECK(a.numel() == 3);
  CHECK(a.is_contiguous());
  CHECK(values(a) == V({1, 4, 9}));

  rd::tensor<float> b = {{4.f, 9.f, 1.f}, {16.f, 25.f, 2.f}};
  CHECK(b.shape() == D({2, 3}));
  CHECK(b.strides() == D({3, 1}));
  CHECK(b.dim() == 2);
  CHECK(values(b) == V({4, 9, 1, 16, 25, 2}));
  CHECK(b.at({1, 0}) == 16.f);

  rd::tensor<std::int32_t> c = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{9, 10}, {11, 12}}};
  CHECK(c.shape() == D({3, 2, 2}));
  CHECK(c.strides() == D({4, 2, 1}));
  CHECK(values(c) == V({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  CHECK(c.at({2, 0, 1}) == 10);

  rd::tensor<double> d = {{{{1., 2., 3.}}, {{4., 5., 6.}}}, {{{7., 8., 9.}}, {{10., 11., 12.}}}};
  CHECK(d.shape() == D({2, 2, 1, 3}));
  CHECK(d.strides() == D({6, 3, 3, 1}));
  CHECK(d.dim() == 4);
  CHECK(d.numel() == 12);
  CHECK(d.at({1, 0, 0, 2}) == 9.);

  rd::tensor<bool> e = {true, false, true};
  CHECK(values(e) == V({1, 0, 1}));
  rd::tensor<rd::half> h = {rd::half(0.5f), rd::half(-2.f)};
  CHECK(values(h) == V({0.5, -2}));
  rd::tensor<std::int64_t> big = {std::numeric_limits<std::int64_t>::max(), -1};
  CHECK(big.at({0}) == std::numeric_limits<std::int64_t>::max());

  // An empty list is a 1-d tensor with no elements, as torch.tensor([]).
  rd::tensor<float> empty_list(std::initializer_list<float>{});
  CHECK(empty_list.shape() == D({0}));
  CHECK(empty_list.numel() == 0);
  // An empty inner list gives the deeper dimensions size zero, as torch.tensor([[], []]).
  std::initializer_list<std::initializer_list<float>> two_empty = {{}, {}};
  rd::tensor<float> e2(two_empty);
  CHECK(e2.shape() == D({2, 0}));
  CHECK(e2.numel() == 0);
}

TEST_CASE("tensor: ragged nested lists throw shape_error", "[tensor][construct]") {
  using L2 = std::initializer_list<std::initializer_list<float>>;
  using L3 = std::initializer_list<L2>;
  using L4 = std::initializer_list<L3>;
  const L2 short_second = {{1.f, 2.f}, {3.f}};
  const L2 long_second = {{1.f}, {2.f, 3.f}};
  const L3 ragged_deep = {{{1.f, 2.f}, {3.f, 4.f}}, {{5.f, 6.f}, {7.f}}};
  const L3 ragged_middle = {{{1.f, 2.f}, {3.f, 4.f}}, {{5.f, 6.f}}};
  const L4 ragged4 = {{{{1.f}}}, {{{2.f, 3.f}}}};
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::tensor<float> t(short_second); }),
             Contains("radicand::tensor") && Contains("ragged"));
  CHECK_THROWS_AS(rd::tensor<float>(long_second), rd::shape_error);
  CHECK_THROWS_AS(rd::tensor<float>(ragged_deep), rd::shape_error);
  CHECK_THROWS_AS(rd::tensor<float>(ragged_middle), rd::shape_error);
  CHECK_THROWS_AS(rd::tensor<float>(ragged4), rd::shape_error);
  // An empty first row must not hide a longer one (torch.tensor([[], [1.]]) raises).
  const L2 empty_first = {{}, {1.f}};
  const L3 empty_first_deep = {{{}}, {{1.f}}};
  CHECK_THAT(message_of<rd::shape_error>([&] { rd::tensor<float> t(empty_first); }),
             Contains("radicand::tensor") && Contains("ragged"));
  CHECK_THROWS_AS(rd::tensor<float>(empty_first_deep), rd::shape_error);
}

TEST_CASE("tensor: scalar() makes a 0-d tensor", "[tensor][construct]") {
  const rd::tensor<float> s = rd::scalar(2.5f);
  CHECK(s.dim() == 0);
  CHECK(s.shape().empty());
  CHECK(s.strides().empty());
  CHECK(s.numel() == 1);
  CHECK(s.is_contiguous());
  CHECK(s.item() == 2.5f);
  CHECK(s.at({}) == 2.5f);
  static_assert(
      std::is_same<decltype(rd::scalar(std::int16_t{3})), rd::scalar_tensor<std::int16_t>>::value,
      "scalar(v) has v's type, known at compile time to be 0-d");
  static_assert(std::is_base_of<rd::tensor<std::int16_t>, rd::scalar_tensor<std::int16_t>>::value,
                "and is a tensor of that type");
  CHECK(rd::scalar(std::int16_t{-3}).item() == -3);
  CHECK(rd::scalar(true).item());
}

TEST_CASE("tensor: from_vector copies the vector", "[tensor][construct]") {
  std::vector<double> v = {1., 2., 3., 4., 5., 6.};
  const rd::tensor<double> a = rd::from_vector(v);
  CHECK(a.shape() == D({6}));
  const rd::tensor<double> b = rd::from_vector(v, {2, 3});
  CHECK(b.shape() == D({2, 3}));
  CHECK(b.strides() == D({3, 1}));
  CHECK(b.at({1, 2}) == 6.);
  CHECK(static_cast<const void*>(b.data()) != static_cast<const void*>(v.data()));
  v[0] = 100.;  // the tensor holds a copy
  CHECK(a.at({0}) == 1.);
  CHECK(b.at({0, 0}) == 1.);
  CHECK_THAT(message_of<rd::shape_error>([&] {
               rd::from_vector(v, {4, 2});
             }),
             Contains("radicand::from_vector") && Contains("[4, 2]"));
  CHECK_THROWS_AS(rd::from_vector(v, {}), rd::shape_error);
  CHECK_THROWS_AS(rd::from_vector(v, {-1, -6}), rd::shape_error);
  const rd::tensor<std::int8_t> one = rd::from_vector(std::vector<std::int8_t>{7}, {});
  CHECK(one.dim() == 0);
  CHECK(one.item() == 7);
  CHECK(rd::from_vector(std::vector<float>{}).shape() == D({0}));
  CHECK(rd::from_vector(std::vector<float>{}, {3, 0}).shape() == D({3, 0}));
}

TEST_CASE("tensor: from_blob views the memory of the caller", "[tensor][construct]") {
  float buf[6] = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};
  const rd::tensor<float> a = rd::from_blob(buf, {2, 3});
  CHECK(a.data() == buf);
  CHECK(a.shape() == D({2, 3}));
  CHECK(a.strides() == D({3, 1}));
  CHECK(a.is_contiguous());
  CHECK(a.at({1, 0}) == 4.f);
  buf[4] = 50.f;  // the caller's writes show through
  CHECK(a.at({1, 1}) == 50.f);
  a.at({0, 2}) = 30.f;  // and the tensor's writes land in the caller's memory
  CHECK(buf[2] == 30.f);

  // Column-major strides over the same memory.
  const rd::tensor<float> cm = rd::from_blob(buf, {2, 3}, {1, 2});
  CHECK(cm.data() == buf);
  CHECK(cm.strides() == D({1, 2}));
  CHECK_FALSE(cm.is_contiguous());
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t j = 0; j < 3; ++j) CHECK(cm.at({i, j}) == buf[i + 2 * j]);
  // Every other element: stride 2.
  const rd::tensor<float> even = rd::from_blob(buf, {3}, {2});
  CHECK(values(even) == V({1, 30, 50}));
  // A clone leaves the caller's memory behind.
  rd::tensor<float> c = cm.clone();
  c.at({0, 0}) = -1.f;
  CHECK(buf[0] == 1.f);

  CHECK_THAT(message_of<rd::shape_error>([&] {
               rd::from_blob(buf, {2, 3}, {1});
             }),
             Contains("radicand::from_blob"));
  CHECK_THROWS_AS(rd::from_blob(buf, {2, 3}, {-3, 1}), rd::index_error);
  CHECK_THROWS_AS(rd::from_blob(static_cast<float*>(nullptr), {2}), rd::error);
  CHECK(rd::from_blob(static_cast<float*>(nullptr), {0}).numel() == 0);
}

TEST_CASE("tensor: empty zeros ones and full", "[tensor][factory]") {
  const rd::tensor<float> e = rd::empty<float>({2, 3});
  CHECK(e.shape() == D({2, 3}));
  CHECK(e.strides() == D({3, 1}));
  CHECK(e.data() != nullptr);
  CHECK(values(rd::zeros<float>({2, 2})) == V({0, 0, 0, 0}));
  CHECK(values(rd::ones<std::int32_t>({3})) == V({1, 1, 1}));
  CHECK(values(rd::ones<rd::bfloat16>({2})) == V({1, 1}));
  CHECK(values(rd::zeros<bool>({2})) == V({0, 0}));
  CHECK(values(rd::ones<bool>({2})) == V({1, 1}));
  CHECK(values(rd::full<double>({2, 1}, -2.5)) == V({-2.5, -2.5}));
  CHECK(values(rd::full<rd::half>({3}, rd::half(0.25f))) == V({0.25, 0.25, 0.25}));
  // Zero-sized dimensions keep their place in the shape.
  const rd::tensor<float> z = rd::zeros<float>({2, 0, 3});
  CHECK(z.shape() == D({2, 0, 3}));
  CHECK(z.numel() == 0);
  CHECK(z.is_contiguous());
  // 0-d
  CHECK(rd::ones<double>({}).dim() == 0);
  CHECK(rd::ones<double>({}).item() == 1.0);
  // Zeros are +0.
  CHECK(bits(rd::zeros<float>({1}).item()) == 0u);
  CHECK(bits(rd::zeros<rd::half>({1}).item()) == 0u);
  // Invalid shapes
  CHECK_THAT(message_of<rd::shape_error>([] {
               rd::empty<float>({2, -1});
             }),
             Contains("radicand::empty") && Contains("[2, -1]"));
  CHECK_THROWS_AS(rd::zeros<float>({-3}), rd::shape_error);
  // Zero elements, however large the other sizes (no overflow on the way, as UBSan checks).
  const std::int64_t huge = std::int64_t{1} << 62;
  const rd::tensor<float> hz = rd::zeros<float>({huge, 4, 0});
  CHECK(hz.shape() == D({huge, 4, 0}));
  CHECK(rd::rsqrt(hz).shape() == D({huge, 4, 0}));
  CHECK(hz.numel() == 0);
  CHECK(rd::zeros<float>({0}).reshape({0, huge, 4}).numel() == 0);
  CHECK_THROWS_AS(rd::full<float>({std::int64_t{1} << 62, 4}, 1.f), rd::shape_error);
}

TEST_CASE("tensor: arange", "[tensor][factory]") {
  SECTION("float with a fractional step") {
    const rd::tensor<float> a = rd::arange(0.f, 1.f, 0.25f);
    CHECK(a.shape() == D({4}));
    CHECK(values(a) == V({0, 0.25, 0.5, 0.75}));
    // 0.1 steps: ceil((1 - 0) / 0.1) = 10 elements, as torch.arange(0, 1, 0.1).
    const rd::tensor<double> b = rd::arange(0.0, 1.0, 0.1);
    REQUIRE(b.numel() == 10);
    for (std::int64_t i = 0; i < 10; ++i)
      CHECK(b.at({i}) == Approx(0.1 * static_cast<double>(i)).margin(1e-15));
    CHECK(rd::arange(0.5, 3.0).numel() == 3);  // 0.5, 1.5, 2.5
  }
  SECTION("integers") {
    const rd::tensor<std::int64_t> a = rd::arange<std::int64_t>(5);
    CHECK(values(a) == V({0, 1, 2, 3, 4}));
    CHECK(values(rd::arange<std::int32_t>(1, 10, 3)) == V({1, 4, 7}));
    CHECK(values(rd::arange<std::int32_t>(0, 10, 3)) == V({0, 3, 6, 9}));
    CHECK(values(rd::arange<std::int16_t>(-3, 3, 2)) == V({-3, -1, 1}));
    CHECK(values(rd::arange<std::uint8_t>(250, 255)) == V({250, 251, 252, 253, 254}));
    CHECK(values(rd::arange<std::int8_t>(-128, 127, 100)) == V({-128, -28, 72}));
  }
  SECTION("int64 past 2^53 is exact (integer arithmetic, as PyTorch)") {
    const std::int64_t big = std::int64_t{1} << 60;
    const rd::tensor<std::int64_t> a = rd::arange<std::int64_t>(big, big + 3);
    REQUIRE(a.numel() == 3);
    CHECK(a.at({0}) == big);
    CHECK(a.at({1}) == big + 1);
    CHECK(a.at({2}) == big + 2);
    const std::int64_t p53 = std::int64_t{1} << 53;
    const rd::tensor<std::int64_t> b = rd::arange<std::int64_t>(p53 - 1, p53 + 4, 2);
    REQUIRE(b.numel() == 3);
    CHECK(b.at({1}) == p53 + 1);
    CHECK(b.at({2}) == p53 + 3);
    const rd::tensor<std::int64_t> c = rd::arange<std::int64_t>(big + 2, big - 1, -1);
    REQUIRE(c.numel() == 3);
    CHECK(c.at({2}) == big);
    const std::int64_t mx = std::numeric_limits<std::int64_t>::max();
    const rd::tensor<std::int64_t> top = rd::arange<std::int64_t>(mx - 2, mx);
    REQUIRE(top.numel() == 2);
    CHECK(top.at({1}) == mx - 1);
    const std::int64_t mn = std::numeric_limits<std::int64_t>::min();
    const rd::tensor<std::int64_t> wide = rd::arange<std::int64_t>(mn, mx, std::int64_t{1} << 62);
    REQUIRE(wide.numel() == 4);
    CHECK(wide.at({1}) == -(std::int64_t{1} << 62));
    CHECK(wide.at({3}) == (std::int64_t{1} << 62));
    CHECK_THROWS_AS(rd::arange<std::int64_t>(mn, mx), rd::shape_error);  // 2^64 - 1 elements
  }
  SECTION("negative steps") {
    CHECK(values(rd::arange<std::int32_t>(5, 0, -2)) == V({5, 3, 1}));
    CHECK(values(rd::arange<std::int64_t>(3, -3, -1)) == V({3, 2, 1, 0, -1, -2}));
    CHECK(values(rd::arange(1.f, 0.f, -0.25f)) == V({1, 0.75, 0.5, 0.25}));
  }
  SECTION("empty ranges") {
    CHECK(rd::arange(2.f, 2.f).shape() == D({0}));
    CHECK(rd::arange<std::int32_t>(0).numel() == 0);
  }
  SECTION("errors") {
    CHECK_THAT(message_of<rd::error>([] { rd::arange(0.f, 1.f, 0.f); }),
               Contains("radicand::arange"));
    CHECK_THROWS_AS(rd::arange<std::int32_t>(0, 5, 0), rd::error);
    CHECK_THROWS_AS(rd::arange(0.f, 5.f, -1.f), rd::error);
    CHECK_THROWS_AS(rd::arange<std::int64_t>(5, 0, 1), rd::error);
    CHECK_THROWS_AS(rd::arange(0.f, std::numeric_limits<float>::infinity()), rd::error);
    CHECK_THROWS_AS(rd::arange(std::nan(""), 1.0), rd::error);
  }
}

TEMPLATE_TEST_CASE("tensor: rand is uniform on the unit interval and reproducible",
                   "[tensor][factory][random]", float, double, rd::half, rd::bfloat16) {
  using T = TestType;
  const std::int64_t n = 100000;
  const rd::tensor<T> a = rd::rand<T>({n}, 42);
  REQUIRE(a.shape() == D({n}));
  double sum = 0, sq = 0, lo = 1, hi = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(a.data()[i]);
    sum += v;
    sq += v * v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const double mean = sum / static_cast<double>(n);
  const double var = sq / static_cast<double>(n) - mean * mean;
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  CHECK(mean == Approx(0.5).margin(0.01));
  CHECK(var == Approx(1.0 / 12.0).margin(0.005));
  // The same seed gives the same values, bit for bit; another seed gives others.
  CHECK(bytes(rd::rand<T>({n}, 42)) == bytes(a));
  CHECK(bytes(rd::rand<T>({n}, 43)) != bytes(a));
  const rd::tensor<T> m = rd::rand<T>({3, 4, 5}, 1);
  CHECK(m.shape() == D({3, 4, 5}));
  CHECK(m.is_contiguous());
  CHECK(rd::rand<T>({0, 4}, 1).shape() == D({0, 4}));
}

TEMPLATE_TEST_CASE("tensor: randn is standard normal and reproducible", "[tensor][factory][random]",
                   float, double, rd::half, rd::bfloat16) {
  using T = TestType;
  const std::int64_t n = 100000;
  const rd::tensor<T> a = rd::randn<T>({n}, 7);
  double sum = 0, sq = 0;
  std::int64_t within_one = 0, not_finite = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(a.data()[i]);
    if (!std::isfinite(v)) ++not_finite;
    sum += v;
    sq += v * v;
    if (std::fabs(v) < 1.0) ++within_one;
  }
  CHECK(not_finite == 0);
  const double mean = sum / static_cast<double>(n);
  const double sd = std::sqrt(sq / static_cast<double>(n) - mean * mean);
  CHECK(mean == Approx(0.0).margin(0.02));
  CHECK(sd == Approx(1.0).margin(0.02));
  CHECK(static_cast<double>(within_one) / static_cast<double>(n) == Approx(0.6827).margin(0.01));
  CHECK(bytes(rd::randn<T>({n}, 7)) == bytes(a));
  CHECK(bytes(rd::randn<T>({n}, 8)) != bytes(a));
  // An odd count fills the last element too.
  const rd::tensor<T> odd = rd::randn<T>({3}, 5);
  CHECK(odd.shape() == D({3}));
  CHECK(std::isfinite(static_cast<double>(odd.at({2}))));
  CHECK(static_cast<double>(odd.at({2})) != 0.0);
  CHECK(rd::randn<T>({2, 3}, 5).shape() == D({2, 3}));
}

// ---------------------------------------------------------------------------------------------
// Handle semantics and inspection
// ---------------------------------------------------------------------------------------------

TEST_CASE("tensor: copies share storage and clone copies", "[tensor][handle]") {
  rd::tensor<float> x = {1.f, 2.f, 3.f};
  rd::tensor<float> y = x;  // NOLINT: a copy of the handle
  CHECK(y.data() == x.data());
  CHECK(y.is_same_storage(x));
  y.at({1}) = 20.f;
  CHECK(x.at({1}) == 20.f);
  rd::tensor<float> z;
  z = x;
  CHECK(z.data() == x.data());

  rd::tensor<float> c = x.clone();
  CHECK(c.data() != x.data());
  CHECK_FALSE(c.is_same_storage(x));
  CHECK(values(c) == values(x));
  c.at({0}) = -1.f;
  CHECK(x.at({0}) == 1.f);
  x.at({2}) = 30.f;
  CHECK(c.at({2}) == 3.f);

  // The storage lives as long as any handle or view of it does.
  rd::tensor<double> view;
  {
    rd::tensor<double> base = {{1., 2.}, {3., 4.}};
    view = base.t();
  }
  CHECK(values(view) == V({1, 3, 2, 4}));

  // clone of a view is a contiguous copy of just the view.
  const rd::tensor<float> m = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  const rd::tensor<float> mc = m.t().clone();
  CHECK(mc.shape() == D({3, 2}));
  CHECK(mc.strides() == D({2, 1}));
  CHECK(values(mc) == V({1, 4, 2, 5, 3, 6}));
  CHECK(mc.storage_offset() == 0);
  const rd::tensor<float> sc = m[1].clone();
  CHECK(sc.storage_offset() == 0);
  CHECK(values(sc) == V({4, 5, 6}));
}

TEST_CASE("tensor: is_same_storage tells from_blob buffers apart", "[tensor][handle]") {
  float buf[6] = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};
  float other[6] = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};
  const rd::tensor<float> a = rd::from_blob(buf, {2, 3});
  const rd::tensor<float> b = rd::from_blob(other, {2, 3});
  // Two buffers are two storages, whatever their shapes and contents.
  CHECK_FALSE(a.is_same_storage(b));
  CHECK_FALSE(b.is_same_storage(a));
  // Views of one from_blob tensor share its storage, as do two from_blob views of one pointer
  // (PyTorch: their untyped_storage().data_ptr() are equal).
  CHECK(a.is_same_storage(a));
  CHECK(a.t().is_same_storage(a));
  CHECK(a[1].is_same_storage(a));
  CHECK(a.slice(1, 1, 3).is_same_storage(a));
  CHECK(rd::from_blob(buf, {3}, {2}).is_same_storage(a));
  // A view made by from_blob from inside the buffer starts its own storage, as in PyTorch.
  CHECK_FALSE(rd::from_blob(buf + 3, {3}).is_same_storage(a));
  // Owned storage: never the same as a from_blob buffer or as another allocation.
  const rd::tensor<float> owned = a.clone();
  CHECK_FALSE(owned.is_same_storage(a));
  CHECK_FALSE(a.is_same_storage(owned));
  CHECK_FALSE(owned.is_same_storage(b.clone()));
  CHECK(owned[0].is_same_storage(owned));
  // A tensor without storage shares none, not even with another one.
  const rd::tensor<float> none, also_none;
  CHECK_FALSE(none.is_same_storage(also_none));
  CHECK_FALSE(none.is_same_storage(a));
  CHECK_FALSE(a.is_same_storage(none));
  CHECK_FALSE(rd::from_blob(static_cast<float*>(nullptr), {0}).is_same_storage(none));
  // Empty owned tensors have storage of their own.
  const rd::tensor<float> e0 = rd::empty<float>({0}), e1 = rd::empty<float>({0});
  CHECK(e0.is_same_storage(e0));
  CHECK_FALSE(e0.is_same_storage(e1));
}

TEST_CASE("tensor: moved-from tensor is the empty tensor and shares nothing", "[tensor][handle]") {
  rd::tensor<float> a = {4.f, 9.f};
  const float* storage = a.data();
  {
    rd::tensor<float> b = std::move(a);  // NOLINT: a is used after the move on purpose
    CHECK(b.data() == storage);
    CHECK(values(b) == V({4, 9}));
    // The moved-from handle is the default tensor: shape [0], strides [1], no storage.
    CHECK(a.shape() == D({0}));
    CHECK(a.strides() == D({1}));
    CHECK(a.numel() == 0);
    CHECK(a.dim() == 1);
    CHECK(a.data() == nullptr);
    CHECK(rd::detail::tensor_access::base(a) == nullptr);
    CHECK(rd::detail::tensor_access::owner(a) == nullptr);
    CHECK(a.storage_offset() == 0);
    a.rsqrt_();  // writes nothing, in particular not into b
    a += 1.f;
    CHECK(values(b) == V({4, 9}));
  }
  // b and its storage are gone; a never pointed into it.
  CHECK(a.data() == nullptr);
  CHECK(rd::to_string(a) == "tensor([])");
  CHECK(rd::rsqrt(a).shape() == D({0}));

  // Move assignment: the target drops its old storage (a view keeps it alive), the source is
  // left empty.
  rd::tensor<double> c = {1., 2., 3.};
  const rd::tensor<double> c_view = c.slice(0, 1, 3);
  rd::tensor<double> d = {{5., 6.}, {7., 8.}};
  const double* d_storage = d.data();
  c = std::move(d);  // NOLINT
  CHECK(c.data() == d_storage);
  CHECK(c.shape() == D({2, 2}));
  CHECK(values(c) == V({5, 6, 7, 8}));
  CHECK(d.shape() == D({0}));
  CHECK(d.strides() == D({1}));
  CHECK(d.data() == nullptr);
  CHECK(d.numel() == 0);
  CHECK(values(c_view) == V({2, 3}));

  // A moved-from default tensor (and a moved-from 0-d one) is empty too: numel 0, not 1.
  rd::tensor<float> e;
  rd::tensor<float> f = std::move(e);  // NOLINT
  CHECK(e.numel() == 0);
  CHECK(e.shape() == D({0}));
  CHECK(f.numel() == 0);
  rd::tensor<float> zero_d = rd::scalar(2.f);
  rd::tensor<float> g = std::move(zero_d);  // NOLINT
  CHECK(zero_d.shape() == D({0}));
  CHECK(zero_d.numel() == 0);
  CHECK(g.dim() == 0);
  CHECK(g.item() == 2.f);
  CHECK_THROWS_AS(zero_d.item(), rd::shape_error);
}

TEST_CASE("tensor: self-move keeps the tensor", "[tensor][handle]") {
  rd::tensor<float> x = {4.f, 9.f};
  const float* storage = x.data();
  rd::tensor<float>& alias = x;  // through a reference, as generic code (std::swap) does it
  x = std::move(alias);
  CHECK(x.shape() == D({2}));
  CHECK(x.strides() == D({1}));
  CHECK(x.data() == storage);
  CHECK(values(x) == V({4, 9}));
  x = alias;  // self-copy
  CHECK(x.data() == storage);
  CHECK(values(x) == V({4, 9}));
  // A view of itself: the view's storage stays alive while x rebinds to it.
  rd::tensor<float> m = {{1.f, 2.f}, {3.f, 4.f}};
  m = m[1];
  CHECK(m.shape() == D({2}));
  CHECK(values(m) == V({3, 4}));
  std::swap(x, m);
  CHECK(values(x) == V({3, 4}));
  CHECK(values(m) == V({4, 9}));
}

TEST_CASE("tensor: handles in standard containers move without copying the data",
          "[tensor][handle]") {
  std::vector<rd::tensor<float>> v;
  std::vector<const float*> storages;
  for (int i = 0; i < 20; ++i) {  // reallocations move (or copy) the handles, never the data
    v.push_back(rd::full<float>({2}, static_cast<float>(i)));
    storages.push_back(v.back().data());
  }
  v.insert(v.begin(), rd::tensor<float>{-1.f});
  v.erase(v.begin() + 5);
  REQUIRE(v.size() == 20);
  CHECK(values(v[0]) == V({-1}));
  for (std::size_t i = 1; i < v.size(); ++i) {
    const std::size_t k = i < 5 ? i - 1 : i;  // the element that was at 4 is gone
    CHECK(v[i].data() == storages[k]);
    CHECK(values(v[i]) == V({static_cast<double>(k), static_cast<double>(k)}));
  }
  std::vector<rd::tensor<float>> w = std::move(v);
  CHECK(w.size() == 20);
  CHECK(w[3].data() == storages[2]);
}

TEST_CASE("tensor: assignment to a named tensor rebinds it and to a view copies into it",
          "[tensor][handle][assign]") {
  // Named (lvalue): the handle rebinds, as libtorch's Tensor& assignment; nothing is written.
  rd::tensor<float> x = {1.f, 2.f, 3.f};
  rd::tensor<float> y = {7.f, 8.f, 9.f};
  const float* x_storage = x.data();
  rd::tensor<float> keep = x;
  x = y;
  CHECK(x.data() == y.data());
  CHECK(values(keep) == V({1, 2, 3}));
  CHECK(keep.data() == x_storage);
  // A view expression (rvalue): its elements are written, the handle is a temporary.
  rd::tensor<float> m = rd::zeros<float>({2, 3});
  const float* m_storage = m.data();
  m[1] = y;
  CHECK(m.data() == m_storage);
  CHECK(values(m) == V({0, 0, 0, 7, 8, 9}));
  m[0] = {4.f, 5.f, 6.f};  // a braced list is a tensor too
  CHECK(values(m) == V({4, 5, 6, 7, 8, 9}));
  CHECK(values(y) == V({7, 8, 9}));
  // The traits agree: named tensors of another type or scalars are not assignable without a
  // message (see tests/compile_fail), const rvalues are not assignable at all.
  static_assert(std::is_copy_assignable<rd::tensor<float>>::value, "");
  static_assert(std::is_move_assignable<rd::tensor<float>>::value, "");
  static_assert(std::is_assignable<rd::tensor<float>, float>::value, "x[0] = 5.f");
  static_assert(std::is_assignable<rd::tensor<float>, const rd::tensor<double>&>::value,
                "x[0] = y converts");
  static_assert(!std::is_assignable<const rd::tensor<float>, float>::value, "const rvalue");
  static_assert(!std::is_assignable<const rd::tensor<float>, rd::tensor<float>>::value,
                "const rvalue");
  static_assert(!std::is_assignable<const rd::tensor<float>&, rd::tensor<float>>::value,
                "const named tensor");
}

TEST_CASE("tensor: shape strides dim numel size and stride", "[tensor][inspect]") {
  const rd::tensor<float> x = rd::zeros<float>({2, 3, 4});
  CHECK(x.shape() == D({2, 3, 4}));
  CHECK(x.shape().size() == 3);
  CHECK(x.shape()[1] == 3);
  std::int64_t prod = 1;
  for (auto s : x.shape()) prod *= s;
  CHECK(prod == 24);
  CHECK(x.strides() == D({12, 4, 1}));
  CHECK(x.dim() == 3);
  CHECK(x.numel() == 24);
  CHECK(x.size(0) == 2);
  CHECK(x.size(-1) == 4);
  CHECK(x.size(-3) == 2);
  CHECK(x.stride(1) == 4);
  CHECK(x.stride(-1) == 1);
  CHECK(x.device() == rd::cpu);
  CHECK_THAT(message_of<rd::index_error>([&] { (void)x.size(3); }), Contains("radicand::size"));
  CHECK_THROWS_AS(x.size(-4), rd::index_error);
  CHECK_THROWS_AS(x.stride(3), rd::index_error);
  // A 0-d tensor has no dimension 0 (torch: "dimension specified as 0 but tensor has no
  // dimensions").
  const rd::tensor<float> s = rd::scalar(1.f);
  CHECK_THROWS_AS(s.size(0), rd::index_error);
  CHECK_THROWS_AS(s.size(-1), rd::index_error);
  CHECK_THROWS_AS(s.stride(0), rd::index_error);
  // The default tensor is empty and 1-d, as torch.tensor([]).
  const rd::tensor<float> d;
  CHECK(d.shape() == D({0}));
  CHECK(d.numel() == 0);
  CHECK(d.is_contiguous());
}

TEST_CASE("tensor: shape sizes and strides are int_lists that work as std::vector<int64_t>",
          "[tensor][inspect]") {
  const rd::tensor<float> x = rd::zeros<float>({2, 3, 4});
  static_assert(std::is_same<decltype(x.shape()), const rd::int_list&>::value, "shape()");
  static_assert(std::is_same<decltype(x.sizes()), const rd::int_list&>::value, "sizes()");
  static_assert(std::is_same<decltype(x.strides()), const rd::int_list&>::value, "strides()");
  static_assert(std::is_base_of<std::vector<std::int64_t>, rd::int_list>::value, "a vector");
  const std::vector<std::int64_t>& as_vector = x.shape();
  CHECK(as_vector.data() == x.shape().data());
  CHECK(&x.sizes() == &x.shape());
  const std::vector<std::int64_t> copied = x.strides();
  CHECK(copied == D({12, 4, 1}));
  CHECK(D({2, 3, 4}) == x.shape());
  CHECK(x.shape() != x.strides());
  const auto product = [](const std::vector<std::int64_t>& v) {
    std::int64_t p = 1;
    for (auto s : v) p *= s;
    return p;
  };
  CHECK(product(x.shape()) == 24);
  CHECK(rd::zeros<float>(x.shape()).shape() == D({2, 3, 4}));
  CHECK(x.reshape(x.permute({2, 1, 0}).shape()).shape() == D({4, 3, 2}));

  const rd::int_list from_copy = D({5, 6});
  CHECK(from_copy == D({5, 6}));
  std::vector<std::int64_t> source = {7, 8, 9};
  const std::int64_t* buffer = source.data();
  const rd::int_list from_move = std::move(source);
  CHECK(from_move.data() == buffer);  // moved, not copied
  CHECK(from_move == D({7, 8, 9}));
  const rd::int_list braced{4, 5};
  CHECK(braced == D({4, 5}));
  const rd::int_list repeated(3, 1);
  CHECK(repeated == D({1, 1, 1}));
  CHECK(rd::int_list().empty());
}

TEST_CASE("tensor: is_contiguous", "[tensor][inspect]") {
  const rd::tensor<float> x = rd::zeros<float>({3, 4});
  CHECK(x.is_contiguous());
  CHECK_FALSE(x.t().is_contiguous());
  CHECK_FALSE(x.slice(1, 0, 4, 2).is_contiguous());
  CHECK(x.slice(0, 1, 3).is_contiguous());  // an offset alone keeps it contiguous
  CHECK(x[1].is_contiguous());
  CHECK_FALSE(x.select(1, 1).is_contiguous());
  CHECK_FALSE(rd::zeros<float>({3, 1}).expand({3, 2}).is_contiguous());
  // Size-1 dimensions do not count, as in PyTorch.
  CHECK(rd::zeros<float>({1, 4}).t().is_contiguous());
  CHECK(x.slice(0, 1, 2).t().is_contiguous());  // shape [4, 1], strides [1, 4]
  CHECK_FALSE(
      x.slice(1, 1, 2).t().is_contiguous());  // shape [1, 3], strides [1, 4]: every 4th element
  // Empty tensors are contiguous.
  CHECK(x.slice(0, 1, 1).t().is_contiguous());
}

TEST_CASE("tensor: item", "[tensor][inspect]") {
  CHECK(rd::scalar(3.5).item() == 3.5);
  CHECK(rd::tensor<std::int32_t>{7}.item() == 7);
  CHECK(rd::full<float>({1, 1, 1}, 2.f).item() == 2.f);
  const rd::tensor<float> x = {{1.f, 2.f}, {3.f, 4.f}};
  CHECK(x.slice(0, 1, 2).slice(1, 0, 1).item() == 3.f);
  CHECK_THAT(message_of<rd::shape_error>([&] { (void)x.item(); }),
             Contains("radicand::item") && Contains("[2, 2]") && Contains("4 elements"));
  CHECK_THROWS_AS(rd::zeros<float>({0}).item(), rd::shape_error);
  CHECK_THROWS_AS(rd::zeros<float>({2}).item(), rd::shape_error);
}

TEST_CASE("tensor: at checks bounds and counts negative indices from the end",
          "[tensor][inspect]") {
  rd::tensor<std::int32_t> x = {{1, 2, 3}, {4, 5, 6}};
  CHECK(x.at({0, 0}) == 1);
  CHECK(x.at({1, 2}) == 6);
  CHECK(x.at({-1, -1}) == 6);
  CHECK(x.at({-2, 1}) == 2);
  CHECK(x.at({1, -3}) == 4);
  x.at({0, 1}) = 20;
  CHECK(x.data()[1] == 20);
  CHECK_THAT(message_of<rd::index_error>([&] {
               (void)x.at({2, 0});
             }),
             Contains("radicand::at") && Contains("index 2") && Contains("[2, 3]"));
  CHECK_THROWS_AS(x.at({0, 3}), rd::index_error);
  CHECK_THROWS_AS(x.at({-3, 0}), rd::index_error);
  CHECK_THROWS_AS(x.at({0, -4}), rd::index_error);
  CHECK_THROWS_AS(x.at({0}), rd::index_error);
  CHECK_THROWS_AS(x.at({0, 0, 0}), rd::index_error);
  CHECK_THROWS_AS(rd::zeros<float>({0}).at({0}), rd::index_error);
}

TEST_CASE("tensor: at with an index per argument reaches the element that at of a list reaches",
          "[tensor][inspect]") {
  rd::tensor<std::int32_t> x = {{1, 2, 3}, {4, 5, 6}};
  static_assert(std::is_same<decltype(x.at(0, 0)), std::int32_t&>::value, "a reference");
  for (std::int64_t i = -2; i < 2; ++i)
    for (std::int64_t j = -3; j < 3; ++j) {
      const std::int64_t row = i < 0 ? i + 2 : i, col = j < 0 ? j + 3 : j;
      CHECK(x.at(i, j) == 1 + 3 * row + col);
      CHECK(&x.at(i, j) == &x.at({i, j}));
      CHECK(&x.at(i, j) == x.data() + 3 * row + col);
    }
  // Any integral index type.
  CHECK(x.at(std::size_t{1}, 2u) == 6);
  CHECK(x.at(std::int16_t{-1}, std::int64_t{0}) == 4);
  CHECK(x.at(std::uint8_t{0}, -1L) == 3);

  const rd::tensor<std::int32_t> t = x.t();  // shape [3, 2], strides [1, 3]
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t j = 0; j < 3; ++j) CHECK(&t.at(j, i) == &x.at(i, j));
  CHECK(t.at(-1, -2) == 3);
  CHECK(t.at(0, 1) == 4);

  rd::tensor<std::int64_t> cube = rd::arange<std::int64_t>(0, 24).reshape({2, 3, 4});
  const rd::tensor<std::int64_t> p = cube.permute({2, 0, 1});  // p[k][i][j] = cube[i][j][k]
  REQUIRE(p.strides() == D({1, 12, 4}));
  for (std::int64_t k = 0; k < 4; ++k)
    for (std::int64_t i = 0; i < 2; ++i)
      for (std::int64_t j = 0; j < 3; ++j) {
        CHECK(p.at(k, i, j) == 12 * i + 4 * j + k);
        CHECK(p.at(k - 4, i - 2, j - 3) == 12 * i + 4 * j + k);
        CHECK(&p.at(k, i, j) == &p.at({k, i, j}));
      }
  CHECK(p.at(-1, -2, -3) == 3);
  CHECK(cube.at(1, -1, 2) == 22);

  rd::tensor<float> v = {5.f, 6.f};
  CHECK(v.at(0) == 5.f);
  CHECK(v.at(-1) == 6.f);
  CHECK(v.at({1}) == 6.f);
  rd::tensor<std::int32_t> s = rd::scalar(7);
  CHECK(s.at() == 7);
  s.at() = 8;
  CHECK(s.item() == 8);

  // Writes reach the tensor, also through views and view expressions.
  x.at(1, 0) = 40;
  CHECK(x.data()[3] == 40);
  CHECK(x.at({1, 0}) == 40);
  t.at(2, 1) = 60;
  CHECK(x.data()[5] == 60);
  x.slice(1, 1).at(0, 1) = 30;
  CHECK(x.data()[2] == 30);
  p.at(3, 1, 2) = -23;
  CHECK(cube.data()[23] == -23);
}

TEST_CASE(
    "tensor: at with an index per argument refuses what at of a list refuses with its messages",
    "[tensor][inspect]") {
  const rd::tensor<std::int32_t> x = {{1, 2, 3}, {4, 5, 6}};
  const std::string one = "radicand::at: got 1 indices for a tensor of 2 dimensions (shape [2, 3])";
  CHECK(message_of<rd::index_error>([&] { (void)x.at(0); }) == one);
  CHECK(message_of<rd::index_error>([&] { (void)x.at({0}); }) == one);
  CHECK(message_of<rd::index_error>([&] { (void)x.at(0, 0, 0); }) ==
        "radicand::at: got 3 indices for a tensor of 2 dimensions (shape [2, 3])");
  CHECK(message_of<rd::index_error>([&] { (void)x.at(); }) ==
        "radicand::at: got 0 indices for a tensor of 2 dimensions (shape [2, 3])");
  const std::string past_rows =
      "radicand::at: index 2 is out of range for dimension 0 of size 2 (shape [2, 3])";
  CHECK(message_of<rd::index_error>([&] { (void)x.at(2, 0); }) == past_rows);
  CHECK(message_of<rd::index_error>([&] { (void)x.at({2, 0}); }) == past_rows);
  CHECK(message_of<rd::index_error>([&] { (void)x.at(0, 3); }) ==
        "radicand::at: index 3 is out of range for dimension 1 of size 3 (shape [2, 3])");
  CHECK(message_of<rd::index_error>([&] { (void)x.at(-3, 0); }) ==
        "radicand::at: index -3 is out of range for dimension 0 of size 2 (shape [2, 3])");
  CHECK(message_of<rd::index_error>([&] { (void)x.at(0, -4); }) ==
        "radicand::at: index -4 is out of range for dimension 1 of size 3 (shape [2, 3])");
  // An unsigned index past INT64_MAX would wrap to a negative one.
  CHECK(message_of<rd::index_error>([&] {
          (void)x.at(std::numeric_limits<std::uint64_t>::max(), 0);
        }) == "radicand::at: index 18446744073709551615 does not fit int64_t");
  CHECK_THROWS_AS(x.at(std::uint64_t{1} << 63, 0), rd::index_error);
  CHECK(message_of<rd::index_error>([&] { (void)rd::zeros<float>({0}).at(0); }) ==
        "radicand::at: index 0 is out of range for dimension 0 of size 0 (shape [0])");
  CHECK_THROWS_AS(rd::tensor<float>().at(0), rd::index_error);
  CHECK(message_of<rd::index_error>([&] {
          (void)rd::zeros<float>({3, 0}).at(1, 0);
        }) == "radicand::at: index 0 is out of range for dimension 1 of size 0 (shape [3, 0])");
  CHECK_THROWS_AS(rd::scalar(1.f).at(0), rd::index_error);
}

TEST_CASE("tensor: accessor reads and writes the elements of a strided view",
          "[tensor][inspect][accessor]") {
  rd::tensor<float> base = rd::arange<float>(0.f, 24.f).reshape({4, 6});
  const rd::tensor<float> view = base.slice(1, 1, 6, 2).t();  // t[i][j] = base[j][1 + 2 i]
  REQUIRE(view.shape() == D({3, 4}));
  REQUIRE(view.strides() == D({2, 6}));
  const rd::tensor_accessor<float, 2> a = view.accessor<float, 2>();
  static_assert(std::is_same<decltype(a[0]), rd::tensor_accessor<float, 1>>::value, "a row");
  static_assert(std::is_same<decltype(a[0][0]), float&>::value, "an element");
  CHECK(a.data() == base.data() + 1);
  CHECK(a.size(0) == 3);
  CHECK(a.size(1) == 4);
  CHECK(a.size(-1) == 4);
  CHECK(a.stride(0) == 2);
  CHECK(a.stride(1) == 6);
  CHECK(a.stride(-2) == 2);
  for (std::int64_t i = 0; i < 3; ++i) {
    CHECK(a[i].size(0) == 4);
    CHECK(a[i].stride(0) == 6);
    CHECK(a[i].data() == base.data() + 1 + 2 * i);
    for (std::int64_t j = 0; j < 4; ++j) {
      CHECK(a[i][j] == static_cast<float>(6 * j + 1 + 2 * i));
      CHECK(&a[i][j] == &view.at(i, j));
    }
  }
  for (std::int64_t i = 0; i < 3; ++i)
    for (std::int64_t j = 0; j < 4; ++j) a[i][j] = static_cast<float>(-100 * i - j);
  for (std::int64_t r = 0; r < 4; ++r)
    for (std::int64_t c = 0; c < 6; ++c)
      CHECK(base.at(r, c) ==
            (c % 2 == 1 ? static_cast<float>(-100 * (c / 2) - r) : static_cast<float>(6 * r + c)));

  rd::tensor<std::int64_t> cube = rd::arange<std::int64_t>(0, 24).reshape({2, 3, 4});
  const rd::tensor<std::int64_t> p = cube.permute({2, 0, 1});
  const auto a3 = p.accessor<std::int64_t, 3>();
  CHECK(a3[3].size(0) == 2);
  CHECK(a3[3].size(1) == 3);
  CHECK(a3[3].stride(0) == 12);
  CHECK(a3[3][1].size(0) == 3);
  CHECK(a3[3][1].stride(0) == 4);
  for (std::int64_t k = 0; k < 4; ++k)
    for (std::int64_t i = 0; i < 2; ++i)
      for (std::int64_t j = 0; j < 3; ++j) CHECK(a3[k][i][j] == 12 * i + 4 * j + k);
  a3[1][1][2] = 99;
  CHECK(cube.at(1, 2, 1) == 99);

  const rd::tensor<double> line = {1.0, 2.0, 3.0};
  const auto a1 = line.accessor<double, 1>();
  CHECK(a1[2] == 3.0);
  CHECK(a1.size(0) == 3);

  // Without elements, nothing is reached and the strides are 0.
  const rd::tensor<float> empty = rd::zeros<float>({3, 0});
  const auto ae = empty.accessor<float, 2>();
  CHECK(ae.size(0) == 3);
  CHECK(ae.size(1) == 0);
  CHECK(ae.stride(0) == 0);
  CHECK(ae[2].size(0) == 0);

  CHECK(message_of<rd::shape_error>([&] { (void)view.accessor<float, 3>(); }) ==
        "radicand::accessor: accessor<T, 3> needs a tensor of 3 dimensions, but it has 2 (shape "
        "[3, 4])");
  CHECK(message_of<rd::shape_error>([&] { (void)view.accessor<float, 1>(); }) ==
        "radicand::accessor: accessor<T, 1> needs a tensor of 1 dimensions, but it has 2 (shape "
        "[3, 4])");
  const rd::tensor<float> s = rd::scalar(1.f);
  CHECK(message_of<rd::shape_error>([&] { (void)s.accessor<float, 1>(); }) ==
        "radicand::accessor: accessor<T, 1> needs a tensor of 1 dimensions, but it has 0 (shape "
        "[])");
  CHECK(message_of<rd::index_error>([&] { (void)a.size(2); }) ==
        "radicand::tensor_accessor::size: dimension 2 is out of range for an accessor of 2 "
        "dimensions (expected in [-2, 1])");
  CHECK_THROWS_AS(a.stride(-3), rd::index_error);
  CHECK_THROWS_AS(a[0].size(1), rd::index_error);
}

TEST_CASE("tensor: accessor indices are checked without NDEBUG and not with it",
          "[tensor][inspect][accessor]") {
  rd::tensor<float> x = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  const auto a = x.accessor<float, 2>();
  CHECK(a[1][2] == 6.f);
  // Both builds compile the out-of-range accesses; only a checked build makes them.
  const auto row_past_end = [&] { return a[2].size(0); };
  const auto column_past_end = [&] { return a[1][3]; };
  const auto negative_row = [&] { return a[-1].size(0); };
  const auto negative_column = [&] { return a[0][-1]; };
#ifndef NDEBUG
  static_assert(std::is_same<rd::tensor_accessor<float, 2>,
                             rd::checked_accessor::tensor_accessor<float, 2>>::value,
                "checked");
  CHECK(message_of<rd::index_error>(row_past_end) ==
        "radicand::tensor_accessor: index 2 is out of range for dimension 0 of size 2");
  CHECK(message_of<rd::index_error>(column_past_end) ==
        "radicand::tensor_accessor: index 3 is out of range for dimension 1 of size 3");
  CHECK(message_of<rd::index_error>(negative_row) ==
        "radicand::tensor_accessor: index -1 is out of range for dimension 0 of size 2");
  CHECK(message_of<rd::index_error>(negative_column) ==
        "radicand::tensor_accessor: index -1 is out of range for dimension 1 of size 3");
#else
  static_assert(std::is_same<rd::tensor_accessor<float, 2>,
                             rd::unchecked_accessor::tensor_accessor<float, 2>>::value,
                "unchecked");
  (void)row_past_end;
  (void)column_past_end;
  (void)negative_row;
  (void)negative_column;
#endif
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

TEST_CASE("tensor: slice with steps and clamped or negative bounds", "[tensor][view]") {
  rd::tensor<std::int64_t> x = rd::arange<std::int64_t>(10);
  const rd::tensor<std::int64_t> a = x.slice(0, 2, 8, 2);
  CHECK(a.shape() == D({3}));
  CHECK(a.strides() == D({2}));
  CHECK(a.data() == x.data() + 2);
  CHECK(a.storage_offset() == 2);
  CHECK(values(a) == V({2, 4, 6}));
  CHECK(values(x.slice(0, 1, 10, 3)) == V({1, 4, 7}));
  CHECK(values(x.slice(0, 1, 9, 3)) == V({1, 4, 7}));
  CHECK(values(x.slice(0, 0, 10, 20)) == V({0}));
  CHECK(values(x.slice(0, -3, 10)) == V({7, 8, 9}));
  CHECK(values(x.slice(0, 2, -5)) == V({2, 3, 4}));
  CHECK(values(x.slice(0, -100, 3)) == V({0, 1, 2}));
  CHECK(values(x.slice(0, 5, 100)) == V({5, 6, 7, 8, 9}));
  CHECK(values(x.slice(0, -2, 100, 5)) == V({8}));
  CHECK(x.slice(0, 8, 2).shape() == D({0}));
  CHECK(x.slice(0, 100, 200).shape() == D({0}));
  CHECK(x.slice(0, -100, -50).shape() == D({0}));
  // A slice of a slice composes.
  CHECK(values(x.slice(0, 1, 10, 2).slice(0, 1, 5, 2)) == V({3, 7}));
  // Writes through a slice reach the base.
  x.slice(0, 0, 10, 3).at({1}) = 33;
  CHECK(x.at({3}) == 33);

  const rd::tensor<float> m = {{1.f, 2.f, 3.f, 4.f}, {5.f, 6.f, 7.f, 8.f}, {9.f, 10.f, 11.f, 12.f}};
  const rd::tensor<float> cols = m.slice(-1, 1, 4, 2);
  CHECK(cols.shape() == D({3, 2}));
  CHECK(cols.strides() == D({4, 2}));
  CHECK(values(cols) == V({2, 4, 6, 8, 10, 12}));
  CHECK(values(m.slice(0, 1, 3).slice(1, 0, 4, 3)) == V({5, 8, 9, 12}));

  CHECK_THAT(message_of<rd::index_error>([&] { (void)x.slice(0, 0, 5, 0); }),
             Contains("radicand::slice") && Contains("step"));
  CHECK_THROWS_AS(x.slice(0, 0, 5, -1), rd::index_error);
  CHECK_THROWS_AS(x.slice(1, 0, 5), rd::index_error);
  CHECK_THROWS_AS(m.slice(-3, 0, 1), rd::index_error);
  CHECK_THROWS_AS(rd::scalar(1.f).slice(0, 0, 1), rd::index_error);
}

TEST_CASE("tensor: slice with an open start or end (nullopt) as Python slices", "[tensor][view]") {
  const rd::tensor<std::int64_t> x = rd::arange<std::int64_t>(10);
  const auto same_view = [](const rd::tensor<std::int64_t>& a, const rd::tensor<std::int64_t>& b) {
    return a.shape() == b.shape() && a.strides() == b.strides() && a.data() == b.data();
  };
  CHECK(same_view(x.slice(0), x.slice(0, 0, 10)));
  CHECK(x.slice(0).data() == x.data());
  CHECK(same_view(x.slice(0, 3), x.slice(0, 3, 10)));
  CHECK(values(x.slice(0, 3)) == V({3, 4, 5, 6, 7, 8, 9}));
  CHECK(same_view(x.slice(0, std::nullopt, 4), x.slice(0, 0, 4)));
  CHECK(values(x.slice(0, std::nullopt, 4)) == V({0, 1, 2, 3}));
  CHECK(same_view(x.slice(0, std::nullopt, std::nullopt, 3), x.slice(0, 0, 10, 3)));
  CHECK(values(x.slice(0, std::nullopt, std::nullopt, 3)) == V({0, 3, 6, 9}));
  CHECK(x.slice(0, std::nullopt, std::nullopt, 3).strides() == D({3}));
  CHECK(values(x.slice(0, 1, std::nullopt, 4)) == V({1, 5, 9}));
  CHECK(same_view(x.slice(0, -3), x.slice(0, 7, 10)));
  CHECK(values(x.slice(0, -3, std::nullopt, 2)) == V({7, 9}));
  CHECK(values(x.slice(0, std::nullopt, -7)) == V({0, 1, 2}));
  CHECK(values(x.slice(0, std::nullopt, -7, 2)) == V({0, 2}));
  CHECK(same_view(x.slice(0, -100), x));
  CHECK(x.slice(0, 100).shape() == D({0}));
  CHECK(values(x.slice(0, std::size_t{2}, std::size_t{5})) == V({2, 3, 4}));
  CHECK(values(x.slice(0, std::optional<std::int64_t>(6))) == V({6, 7, 8, 9}));

  const rd::tensor<float> m = {{1.f, 2.f, 3.f, 4.f}, {5.f, 6.f, 7.f, 8.f}, {9.f, 10.f, 11.f, 12.f}};
  CHECK(values(m.slice(1, 2)) == V({3, 4, 7, 8, 11, 12}));  // m[:, 2:]
  CHECK(m.slice(1, 2).strides() == D({4, 1}));
  CHECK(values(m.slice(-1, std::nullopt, std::nullopt, 2)) == V({1, 3, 5, 7, 9, 11}));
  CHECK(values(m.slice(0, -2)) == V({5, 6, 7, 8, 9, 10, 11, 12}));
  CHECK(values(m.slice(0, std::nullopt, -1).slice(1, 1, std::nullopt, 2)) == V({2, 4, 6, 8}));

  CHECK_THAT(message_of<rd::index_error>([&] { (void)x.slice(0, std::nullopt, std::nullopt, 0); }),
             Contains("radicand::slice") && Contains("step must be positive, got 0"));
  CHECK_THROWS_AS(x.slice(1), rd::index_error);
}

TEST_CASE("tensor: select and the index operator", "[tensor][view]") {
  rd::tensor<float> x = {{1.f, 2.f, 3.f, 4.f}, {5.f, 6.f, 7.f, 8.f}, {9.f, 10.f, 11.f, 12.f}};
  const rd::tensor<float> r = x[1];
  CHECK(r.shape() == D({4}));
  CHECK(r.strides() == D({1}));
  CHECK(r.data() == x.data() + 4);
  CHECK(values(r) == V({5, 6, 7, 8}));
  CHECK(values(x[-1]) == V({9, 10, 11, 12}));
  CHECK(values(x[-3]) == V({1, 2, 3, 4}));
  const rd::tensor<float> c = x.select(1, 2);
  CHECK(c.shape() == D({3}));
  CHECK(c.strides() == D({4}));
  CHECK(values(c) == V({3, 7, 11}));
  CHECK(values(x.select(-1, -1)) == V({4, 8, 12}));
  const rd::tensor<float> e = x[2][1];
  CHECK(e.dim() == 0);
  CHECK(e.item() == 10.f);
  x[0][3].at({}) = 40.f;
  CHECK(x.at({0, 3}) == 40.f);

  CHECK_THAT(message_of<rd::index_error>([&] { (void)x[3]; }),
             Contains("radicand::select") && Contains("index 3"));
  CHECK_THROWS_AS(x[-4], rd::index_error);
  CHECK_THROWS_AS(x.select(1, 4), rd::index_error);
  CHECK_THROWS_AS(x.select(2, 0), rd::index_error);
  CHECK_THROWS_AS(rd::scalar(1.f)[0], rd::index_error);
  CHECK_THROWS_AS(rd::zeros<float>({0, 2})[0], rd::index_error);
}

TEST_CASE("tensor: transpose and t", "[tensor][view]") {
  const rd::tensor<float> x = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  const rd::tensor<float> t = x.t();
  CHECK(t.shape() == D({3, 2}));
  CHECK(t.strides() == D({1, 3}));
  CHECK(t.data() == x.data());
  CHECK_FALSE(t.is_contiguous());
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t j = 0; j < 3; ++j) CHECK(t.at({j, i}) == x.at({i, j}));
  CHECK(values(x.transpose(0, 1)) == values(t));
  CHECK(values(x.transpose(-1, 0)) == values(t));
  CHECK(values(x.transpose(1, 1)) == values(x));
  CHECK(values(t.t()) == values(x));
  CHECK(t.t().strides() == D({3, 1}));

  const rd::tensor<std::int32_t> y = rd::arange<std::int32_t>(24).reshape({2, 3, 4});
  const rd::tensor<std::int32_t> yt = y.transpose(0, 2);
  CHECK(yt.shape() == D({4, 3, 2}));
  CHECK(yt.strides() == D({1, 4, 12}));
  CHECK(yt.at({3, 1, 1}) == y.at({1, 1, 3}));

  // t() of 0-d and 1-d tensors is the tensor itself; more dimensions are an error.
  const rd::tensor<float> v = {1.f, 2.f};
  CHECK(v.t().shape() == D({2}));
  CHECK(v.t().data() == v.data());
  CHECK(rd::scalar(1.f).t().dim() == 0);
  CHECK_THAT(message_of<rd::shape_error>([&] { (void)y.t(); }),
             Contains("radicand::t") && Contains("[2, 3, 4]"));
  CHECK_THROWS_AS(x.transpose(0, 2), rd::index_error);
  CHECK_THROWS_AS(x.transpose(-3, 0), rd::index_error);
}

TEST_CASE("tensor: permute", "[tensor][view]") {
  const rd::tensor<std::int32_t> x = rd::arange<std::int32_t>(24).reshape({2, 3, 4});
  const rd::tensor<std::int32_t> p = x.permute({2, 0, 1});
  CHECK(p.shape() == D({4, 2, 3}));
  CHECK(p.strides() == D({1, 12, 4}));
  CHECK(p.data() == x.data());
  for_each_index(p.shape(), [&](const dims& i) { CHECK(p.at(i) == x.at({i[1], i[2], i[0]})); });
  CHECK(x.permute({-1, 0, 1}).strides() == p.strides());
  CHECK(x.permute({0, 1, 2}).strides() == x.strides());
  CHECK(rd::scalar(1.f).permute({}).dim() == 0);

  CHECK_THAT(message_of<rd::shape_error>([&] {
               (void)x.permute({0, 1});
             }),
             Contains("radicand::permute"));
  CHECK_THAT(message_of<rd::index_error>([&] {
               (void)x.permute({0, 1, 1});
             }),
             Contains("radicand::permute") && Contains("repeats"));
  CHECK_THROWS_AS(x.permute({0, 1, 3}), rd::index_error);
  CHECK_THROWS_AS(x.permute({0, 1, -4}), rd::index_error);
  CHECK_THROWS_AS(x.permute({0, 1, 2, 3}), rd::error);
}

TEST_CASE("tensor: expand", "[tensor][view]") {
  // ({{1.f}, {2.f}, {3.f}} is ambiguous in C++: {1.f} also initialises a float.)
  rd::tensor<float> col = rd::tensor<float>{1.f, 2.f, 3.f}.reshape({3, 1});
  const rd::tensor<float> e = col.expand({3, 4});
  CHECK(e.shape() == D({3, 4}));
  CHECK(e.strides() == D({1, 0}));
  CHECK(e.data() == col.data());
  CHECK(values(e) == V({1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}));
  CHECK(col.expand({-1, 4}).shape() == D({3, 4}));
  CHECK(col.expand({-1, -1}).shape() == D({3, 1}));
  CHECK(col.expand({3, 0}).shape() == D({3, 0}));
  // New leading dimensions get stride 0.
  const rd::tensor<float> row = {1.f, 2.f, 3.f};
  const rd::tensor<float> r = row.expand({2, 2, 3});
  CHECK(r.shape() == D({2, 2, 3}));
  CHECK(r.strides() == D({0, 0, 1}));
  CHECK(values(r) == V({1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}));
  CHECK(rd::scalar(5.f).expand({2, 3}).strides() == D({0, 0}));
  CHECK(values(rd::scalar(5.f).expand({2})) == V({5, 5}));
  // All expanded elements alias one another.
  col.at({1, 0}) = 20.f;
  CHECK(e.at({1, 3}) == 20.f);

  CHECK_THAT(message_of<rd::shape_error>([&] { (void)row.expand({4}); }),
             Contains("radicand::expand") && Contains("[3]") && Contains("[4]"));
  CHECK_THROWS_AS(row.expand({2, 4}), rd::shape_error);
  CHECK_THROWS_AS(col.expand({3}), rd::shape_error);
  CHECK_THROWS_AS(row.expand({-1, 3}), rd::shape_error);
  CHECK_THROWS_AS(col.expand({3, -2}), rd::shape_error);
}

TEST_CASE("tensor: reshape is a view when the strides allow and a copy otherwise",
          "[tensor][view]") {
  const rd::tensor<std::int32_t> x = rd::arange<std::int32_t>(6).reshape({2, 3});
  CHECK(x.shape() == D({2, 3}));
  const rd::tensor<std::int32_t> v = x.reshape({3, 2});
  CHECK(v.data() == x.data());
  CHECK(v.is_same_storage(x));
  CHECK(v.strides() == D({2, 1}));
  CHECK(values(v) == V({0, 1, 2, 3, 4, 5}));
  CHECK(x.reshape({-1}).shape() == D({6}));
  CHECK(x.reshape({-1}).data() == x.data());
  CHECK(x.reshape({-1, 2}).shape() == D({3, 2}));
  CHECK(x.reshape({1, -1, 1}).shape() == D({1, 6, 1}));
  CHECK(x.reshape({6, 1}).shape() == D({6, 1}));

  // After a transpose the elements are not in row-major order: reshape copies.
  const rd::tensor<std::int32_t> t = x.t().reshape({6});
  CHECK(t.data() != x.data());
  CHECK_FALSE(t.is_same_storage(x));
  CHECK(t.is_contiguous());
  CHECK(values(t) == V({0, 3, 1, 4, 2, 5}));
  // A transposed tensor can still be split or merged along compatible dimensions without a copy.
  const rd::tensor<std::int32_t> x3 = rd::arange<std::int32_t>(24).reshape({2, 3, 4});
  const rd::tensor<std::int32_t> p =
      x3.permute({2, 0, 1}).reshape({4, 6});  // merges [2, 3]: a view
  CHECK(p.data() == x3.data());
  CHECK(p.strides() == D({1, 4}));
  CHECK(p.at({3, 5}) == x3.at({1, 2, 3}));

  // A step-2 slice of rows: splitting the row dimension is a view, flattening is a copy.
  const rd::tensor<std::int32_t> m =
      rd::arange<std::int32_t>(12).reshape({3, 4}).slice(0, 0, 3, 2);  // [2, 4]
  REQUIRE(m.strides() == D({8, 1}));
  const rd::tensor<std::int32_t> split = m.reshape({2, 2, 2});
  CHECK(split.data() == m.data());
  CHECK(split.strides() == D({8, 2, 1}));
  const rd::tensor<std::int32_t> flat = m.reshape({8});
  CHECK(flat.data() != m.data());
  CHECK(values(flat) == V({0, 1, 2, 3, 8, 9, 10, 11}));

  // An expanded tensor flattens by copying.
  const rd::tensor<float> ex = rd::tensor<float>{1.f, 2.f}.expand({3, 2});
  const rd::tensor<float> exf = ex.reshape({6});
  CHECK(exf.strides() == D({1}));
  CHECK(values(exf) == V({1, 2, 1, 2, 1, 2}));

  // 0-d and one-element tensors.
  CHECK(rd::scalar(3.f).reshape({1, 1}).shape() == D({1, 1}));
  CHECK(rd::scalar(3.f).reshape({-1}).shape() == D({1}));
  CHECK(rd::tensor<float>{3.f}.reshape({}).dim() == 0);
  CHECK(rd::tensor<float>{3.f}.reshape({}).item() == 3.f);
  // Zero elements.
  CHECK(rd::zeros<float>({0, 3}).reshape({3, 0, 5}).shape() == D({3, 0, 5}));
  CHECK(rd::zeros<float>({0, 3}).reshape({-1, 3}).shape() == D({0, 3}));

  CHECK_THAT(message_of<rd::shape_error>([&] {
               (void)x.reshape({4, 2});
             }),
             Contains("radicand::reshape") && Contains("[4, 2]") && Contains("6"));
  CHECK_THROWS_AS(x.reshape({-1, -1}), rd::shape_error);
  CHECK_THROWS_AS(x.reshape({-1, 4}), rd::shape_error);
  CHECK_THROWS_AS(x.reshape({-2, -3}), rd::shape_error);
  CHECK_THROWS_AS(x.reshape({7}), rd::shape_error);
  CHECK_THROWS_AS(rd::zeros<float>({0, 3}).reshape({0, -1}), rd::shape_error);
}

TEST_CASE("tensor: view never copies", "[tensor][view]") {
  const rd::tensor<float> x = rd::arange(0.f, 12.f).reshape({3, 4});
  const rd::tensor<float> v = x.view({2, -1});
  CHECK(v.shape() == D({2, 6}));
  CHECK(v.data() == x.data());
  CHECK(x.t().view({4, 3}).strides() == D({1, 4}));  // same shape: a view even when transposed
  CHECK_THAT(message_of<rd::shape_error>([&] { (void)x.t().view({12}); }),
             Contains("radicand::view") && Contains("reshape"));
  CHECK_THROWS_AS(x.view({5, -1}), rd::shape_error);
}

TEST_CASE("tensor: unsqueeze, squeeze and flatten", "[tensor][view]") {
  const rd::tensor<std::int32_t> x = rd::arange<std::int32_t>(6).reshape({2, 3});
  // unsqueeze: PyTorch's shapes and strides, a view.
  CHECK(x.unsqueeze(0).shape() == D({1, 2, 3}));
  CHECK(x.unsqueeze(0).strides() == D({6, 3, 1}));
  CHECK(x.unsqueeze(1).shape() == D({2, 1, 3}));
  CHECK(x.unsqueeze(1).strides() == D({3, 3, 1}));
  CHECK(x.unsqueeze(2).shape() == D({2, 3, 1}));
  CHECK(x.unsqueeze(2).strides() == D({3, 1, 1}));
  CHECK(x.unsqueeze(-1).shape() == D({2, 3, 1}));
  CHECK(x.unsqueeze(-3).shape() == D({1, 2, 3}));
  CHECK(x.unsqueeze(1).data() == x.data());
  CHECK(x.unsqueeze(1).is_contiguous());
  CHECK(values(x.t().unsqueeze(1)) == values(x.t()));
  CHECK(x.t().unsqueeze(1).at({2, 0, 1}) == x.at({1, 2}));
  CHECK(rd::scalar(4.f).unsqueeze(0).shape() == D({1}));
  CHECK(rd::scalar(4.f).unsqueeze(-1).shape() == D({1}));
  CHECK_THAT(message_of<rd::index_error>([&] { (void)x.unsqueeze(3); }),
             Contains("radicand::unsqueeze") && Contains("3") && Contains("[-3, 2]"));
  CHECK_THROWS_AS(x.unsqueeze(-4), rd::index_error);
  CHECK_THROWS_AS(rd::scalar(4.f).unsqueeze(1), rd::index_error);
  CHECK_THAT(message_of<rd::index_error>([&] { (void)x.unsqueeze(-4); }),
             Contains("tensor of 2 dimensions"));
  // The stride PyTorch gives saturates where size * stride would overflow (no elements).
  const rd::tensor<float> none = rd::empty<float>({std::int64_t{1} << 62, 4, 0});
  REQUIRE(none.strides() == D({4, 1, 1}));
  CHECK(none.unsqueeze(0).strides() == D({INT64_MAX, 4, 1, 1}));

  // squeeze: every size-1 dimension, or the one named if it is size 1; views.
  const rd::tensor<std::int32_t> y = x.reshape({1, 2, 1, 3, 1});
  CHECK(y.squeeze().shape() == D({2, 3}));
  CHECK(y.squeeze().strides() == D({3, 1}));
  CHECK(y.squeeze().data() == x.data());
  CHECK(y.squeeze(0).shape() == D({2, 1, 3, 1}));
  CHECK(y.squeeze(2).shape() == D({1, 2, 3, 1}));
  CHECK(y.squeeze(-1).shape() == D({1, 2, 1, 3}));
  CHECK(y.squeeze(1).shape() == y.shape());  // size 2: unchanged, as PyTorch
  CHECK(rd::scalar(4.f).squeeze().dim() == 0);
  CHECK(rd::scalar(4.f).squeeze(0).dim() == 0);
  CHECK(rd::scalar(4.f).squeeze(-1).dim() == 0);
  CHECK(rd::tensor<float>{5.f}.squeeze().dim() == 0);
  CHECK(rd::tensor<float>{5.f}.squeeze().item() == 5.f);
  CHECK(rd::zeros<float>({1, 0, 1}).squeeze().shape() == D({0}));
  CHECK_THROWS_AS(y.squeeze(5), rd::index_error);
  CHECK_THROWS_AS(rd::scalar(4.f).squeeze(1), rd::index_error);

  // flatten: one dimension, a view when the strides allow, else a copy in row-major order.
  CHECK(x.flatten().shape() == D({6}));
  CHECK(x.flatten().data() == x.data());
  CHECK(values(x.t().flatten()) == V({0, 3, 1, 4, 2, 5}));
  CHECK_FALSE(x.t().flatten().is_same_storage(x));
  CHECK(rd::scalar(4.f).flatten().shape() == D({1}));
  CHECK(rd::zeros<float>({2, 0, 3}).flatten().shape() == D({0}));
}

TEST_CASE("tensor: contiguous", "[tensor][view]") {
  const rd::tensor<float> x = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  CHECK(x.contiguous().data() == x.data());
  CHECK(x[1].contiguous().data() == x.data() + 3);
  const rd::tensor<float> c = x.t().contiguous();
  CHECK(c.data() != x.data());
  CHECK(c.is_contiguous());
  CHECK(c.strides() == D({2, 1}));
  CHECK(values(c) == V({1, 4, 2, 5, 3, 6}));
  const rd::tensor<float> s = x.slice(1, 0, 3, 2).contiguous();
  CHECK(values(s) == V({1, 3, 4, 6}));
  CHECK(s.strides() == D({2, 1}));
}

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

// A device that only this unit knows, plugged in as a device backend is: tensor<T>'s conversion to
// a device is one member template, the same in CUDA and plain units (a member that only CUDA units
// declared made the class differ between units, an ODR violation), so it serves this device too.
namespace toy {
struct device_t {
  int index = 0;
  friend bool operator==(device_t a, device_t b) { return a.index == b.index; }
  friend bool operator!=(device_t a, device_t b) { return a.index != b.index; }
};
}  // namespace toy
RADICAND_NAMESPACE_BEGIN
namespace detail {
template <>
struct is_device<toy::device_t> : std::true_type {};
/// Shares the host memory: "copies" are views, so the test can see which path ran.
template <>
struct device_engine<toy::device_t> {
  template <class T>
  static tensor<T, toy::device_t> to(const tensor<T>& x, toy::device_t d) {
    return tensor_access::make(tensor_access::owner(x), tensor_access::base(x), x.shape(),
                               x.strides(), x.storage_offset(), d);
  }
  template <class T>
  static tensor<T, toy::device_t> to(const tensor<T, toy::device_t>& x, toy::device_t d) {
    return tensor_access::make(tensor_access::owner(x), tensor_access::base(x), x.shape(),
                               x.strides(), x.storage_offset() + 1, d);
  }
};
}  // namespace detail
RADICAND_NAMESPACE_END

TEST_CASE("tensor: to(device) is the same member template in every unit", "[tensor][convert]") {
  static_assert(!RADICAND_HAS_CUDA, "a plain C++ unit");
  const rd::tensor<float> x = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  const auto on_toy = x.t().to(toy::device_t{3});
  static_assert(std::is_same<decltype(on_toy), const rd::tensor<float, toy::device_t>>::value, "");
  CHECK(on_toy.device().index == 3);
  CHECK(on_toy.data() == x.data());
  CHECK(on_toy.shape() == D({3, 2}));
  CHECK(on_toy.strides() == D({1, 3}));
  const auto moved = on_toy.to(toy::device_t{5});  // device to device: the engine's other path
  CHECK(moved.device().index == 5);
  CHECK(moved.storage_offset() == 1);
  // The host conversions are unchanged beside it.
  static_assert(std::is_same<decltype(x.to(rd::cpu)), rd::tensor<float>>::value, "");
  static_assert(std::is_same<decltype(x.to<double>()), rd::tensor<double>>::value, "");
  CHECK(x.to(rd::cpu).data() == x.data());
}

TEST_CASE("to: small values between every pair of element types", "[tensor][convert]") {
  convert_each_pair(all_types{});
}

TEST_CASE("copy_ fill_ and view assignment: small values between every pair of element types",
          "[tensor][assign][convert]") {
  copy_each_pair(all_types{});
}

TEST_CASE("to: floating to integral truncates toward zero and saturates", "[tensor][convert]") {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const rd::tensor<float> x = {1.9f, -1.9f, 2.5f, -0.5f, 0.f, -0.f, 127.99f};
  CHECK(values(x.to<std::int32_t>()) == V({1, -1, 2, 0, 0, 0, 127}));
  CHECK(values(x.to<std::int8_t>()) == V({1, -1, 2, 0, 0, 0, 127}));
  // NaN becomes 0; out-of-range values and infinities saturate.
  CHECK(conv<std::int32_t>(nan) == 0);
  CHECK(conv<std::int64_t>(nan) == 0);
  CHECK(conv<std::uint8_t>(nan) == 0);
  CHECK(conv<std::int8_t>(std::nan("")) == 0);
  CHECK(conv<std::int32_t>(inf) == std::numeric_limits<std::int32_t>::max());
  CHECK(conv<std::int32_t>(-inf) == std::numeric_limits<std::int32_t>::min());
  CHECK(conv<std::int32_t>(1e10f) == std::numeric_limits<std::int32_t>::max());
  CHECK(conv<std::int32_t>(-1e10f) == std::numeric_limits<std::int32_t>::min());
  CHECK(conv<std::int32_t>(2147483520.f) == 2147483520);  // the largest float below 2^31
  CHECK(conv<std::int32_t>(2147483648.f) == std::numeric_limits<std::int32_t>::max());
  CHECK(conv<std::int32_t>(-2147483648.f) == std::numeric_limits<std::int32_t>::min());
  CHECK(conv<std::int8_t>(300.f) == 127);
  CHECK(conv<std::int8_t>(-300.f) == -128);
  CHECK(conv<std::int8_t>(-128.9f) == -128);
  CHECK(conv<std::uint8_t>(-5.f) == 0);
  CHECK(conv<std::uint8_t>(-0.9f) == 0);
  CHECK(conv<std::uint8_t>(255.5f) == 255);
  CHECK(conv<std::uint8_t>(300.f) == 255);
  CHECK(conv<std::int16_t>(40000.0) == 32767);
  CHECK(conv<std::int16_t>(-1e300) == -32768);
  CHECK(conv<std::int64_t>(9223372036854775808.0) ==
        std::numeric_limits<std::int64_t>::max());  // 2^63
  CHECK(conv<std::int64_t>(-9223372036854775808.0) == std::numeric_limits<std::int64_t>::min());
  CHECK(conv<std::int64_t>(9223372036854774784.0) ==
        9223372036854774784);  // the largest double below 2^63
  CHECK(conv<std::int64_t>(1e19f) == std::numeric_limits<std::int64_t>::max());
  CHECK(conv<std::int64_t>(-4611686018427387904.f) == -4611686018427387904);  // -2^62, exact
  // 16-bit floating sources go through their exact float value.
  CHECK(conv<std::int32_t>(rd::half(2.5f)) == 2);
  CHECK(conv<std::int32_t>(rd::half(-2.5f)) == -2);
  CHECK(conv<std::int16_t>(rd::half(65504.f)) == 32767);
  CHECK(conv<std::int8_t>(-std::numeric_limits<rd::half>::infinity()) == -128);
  CHECK(conv<std::int64_t>(std::numeric_limits<rd::half>::quiet_NaN()) == 0);
  CHECK(conv<std::int64_t>(rd::bfloat16(1e30f)) == std::numeric_limits<std::int64_t>::max());
  CHECK(conv<std::uint8_t>(rd::bfloat16(200.f)) == 200);
}

TEST_CASE("to: bool", "[tensor][convert]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const rd::tensor<float> f = {0.f,   -0.f, 0.5f, -2.f, nan, std::numeric_limits<float>::infinity(),
                               1e-45f};
  CHECK(values(f.to<bool>()) == V({0, 0, 1, 1, 1, 1, 1}));  // NaN is true, as in PyTorch
  const rd::tensor<std::int32_t> i = {0, 2, -1, 256};
  CHECK(values(i.to<bool>()) == V({0, 1, 1, 1}));
  CHECK(values(rd::tensor<rd::half>{rd::half(-0.f), rd::half(0.001f)}.to<bool>()) == V({0, 1}));
  CHECK(
      values(rd::tensor<rd::bfloat16>{rd::bfloat16(0.f), rd::bfloat16::from_bits(1)}.to<bool>()) ==
      V({0, 1}));
  const rd::tensor<bool> b = {true, false};
  CHECK(values(b.to<float>()) == V({1, 0}));
  CHECK(values(b.to<std::int64_t>()) == V({1, 0}));
  CHECK(bits(b.to<rd::half>().at({0})) == 0x3c00u);
  CHECK(bits(b.to<rd::bfloat16>().at({0})) == 0x3f80u);
  CHECK(bits(b.to<rd::half>().at({1})) == 0u);
}

TEST_CASE("to: integral narrowing wraps and widening is exact", "[tensor][convert]") {
  CHECK(conv<std::int8_t>(std::int32_t{300}) == 44);
  CHECK(conv<std::int8_t>(std::int32_t{-129}) == 127);
  CHECK(conv<std::uint8_t>(std::int32_t{-1}) == 255);
  CHECK(conv<std::int8_t>(std::uint8_t{200}) == -56);
  CHECK(conv<std::int32_t>(std::int64_t{(std::int64_t{1} << 32) + 5}) == 5);
  CHECK(conv<std::int16_t>(std::int64_t{-1}) == -1);
  CHECK(conv<std::int64_t>(std::int8_t{-128}) == -128);
  CHECK(conv<std::int64_t>(std::uint8_t{255}) == 255);
  CHECK(conv<std::int16_t>(std::uint8_t{255}) == 255);
  // Integral to float rounds to nearest even.
  CHECK(conv<float>(std::int32_t{16777217}) == 16777216.f);
  CHECK(conv<float>(std::int32_t{16777219}) == 16777220.f);
  CHECK(conv<double>(std::int64_t{(std::int64_t{1} << 53) + 1}) == 9007199254740992.0);
  CHECK(conv<double>(std::int64_t{-7}) == -7.0);
  CHECK(conv<float>(std::numeric_limits<std::int64_t>::min()) == -9223372036854775808.f);
}

TEST_CASE("to: float and double round to nearest even", "[tensor][convert]") {
  CHECK(conv<float>(1.0 + 0x1p-24) == 1.f);                       // a tie: to even
  CHECK(conv<float>(1.0 + 0x1p-24 + 0x1p-50) == 1.f + 0x1p-23f);  // just above the tie
  CHECK(conv<float>(1.0 + 3 * 0x1p-24) == 1.f + 0x1p-22f);        // a tie: to even (up)
  CHECK(std::isinf(conv<float>(1e300)));
  CHECK(conv<float>(1e-300) == 0.f);
  CHECK(std::signbit(conv<float>(-1e-300)));
  CHECK(std::isnan(conv<float>(std::nan(""))));
  CHECK(conv<double>(0.1f) == static_cast<double>(0.1f));
  CHECK(conv<double>(0x1p-149f) == 0x1p-149);
  CHECK(bits(conv<double>(-0.f)) == 0x8000000000000000u);
  CHECK(bits(conv<float>(-0.0)) == 0x80000000u);
}

TEST_CASE("to: half rounds to nearest even once", "[tensor][convert][half]") {
  // float -> half
  CHECK(bits(conv<rd::half>(1.f)) == 0x3c00u);
  CHECK(bits(conv<rd::half>(-2.f)) == 0xc000u);
  CHECK(bits(conv<rd::half>(1.f + 0x1p-11f)) == 0x3c00u);             // tie -> even
  CHECK(bits(conv<rd::half>(1.f + 3 * 0x1p-11f)) == 0x3c02u);         // tie -> even
  CHECK(bits(conv<rd::half>(1.f + 0x1p-11f + 0x1p-20f)) == 0x3c01u);  // above the tie
  CHECK(bits(conv<rd::half>(65504.f)) == 0x7bffu);
  CHECK(bits(conv<rd::half>(65519.99f)) == 0x7bffu);
  CHECK(bits(conv<rd::half>(65520.f)) == 0x7c00u);  // the midpoint to 2^16 rounds to inf
  CHECK(bits(conv<rd::half>(-1e9f)) == 0xfc00u);
  CHECK(bits(conv<rd::half>(0x1p-14f)) == 0x0400u);  // smallest normal
  CHECK(bits(conv<rd::half>(0x1p-24f)) == 0x0001u);  // smallest subnormal
  CHECK(bits(conv<rd::half>(0x1p-25f)) == 0x0000u);  // tie with 0 -> even
  CHECK(bits(conv<rd::half>(1.5f * 0x1p-25f)) == 0x0001u);
  CHECK(bits(conv<rd::half>(3 * 0x1p-25f)) == 0x0002u);  // tie between 1 and 2 -> even
  CHECK(bits(conv<rd::half>(5 * 0x1p-25f)) == 0x0002u);  // tie between 2 and 3 -> even
  CHECK(bits(conv<rd::half>(1e-8f)) == 0x0000u);         // underflows to zero
  CHECK(bits(conv<rd::half>(-0.f)) == 0x8000u);
  CHECK(bits(conv<rd::half>(-1e-30f)) == 0x8000u);
  CHECK(bits(conv<rd::half>(std::numeric_limits<float>::infinity())) == 0x7c00u);
  const std::uint16_t hn = bits(conv<rd::half>(std::numeric_limits<float>::quiet_NaN()));
  CHECK((hn & 0x7c00u) == 0x7c00u);
  CHECK((hn & 0x03ffu) != 0u);
  // half -> float and double are exact.
  CHECK(conv<float>(rd::half::from_bits(0x3c01)) == 1.f + 0x1p-10f);
  CHECK(conv<double>(rd::half::from_bits(0x0001)) == 0x1p-24);
  CHECK(conv<float>(rd::half::from_bits(0x7bff)) == 65504.f);
  CHECK(std::signbit(conv<float>(rd::half::from_bits(0x8000))));

  // double -> half rounds once: a double just above a half midpoint rounds up, although the
  // nearest float is the midpoint itself (rounding through float would give the even neighbour).
  CHECK(static_cast<float>(1.0 + 0x1p-11 + 0x1p-40) == 1.f + 0x1p-11f);  // the trap, in plain C++
  CHECK(bits(conv<rd::half>(1.0 + 0x1p-11 + 0x1p-40)) == 0x3c01u);
  CHECK(bits(conv<rd::half>(-(1.0 + 0x1p-11 + 0x1p-40))) == 0xbc01u);
  CHECK(bits(conv<rd::half>(1.0 + 0x1p-11 - 0x1p-40)) == 0x3c00u);
  CHECK(bits(conv<rd::half>(1.0 + 0x1p-11)) == 0x3c00u);  // exact tie -> even
  CHECK(bits(conv<rd::half>(1.0 + 3 * 0x1p-11 - 0x1p-45)) == 0x3c01u);
  CHECK(bits(conv<rd::half>(0x1p-25 + 0x1p-60)) ==
        0x0001u);  // subnormal: just above the tie with 0
  CHECK(bits(conv<rd::half>(65520.0 - 0x1p-30)) == 0x7bffu);  // just below the overflow midpoint
  CHECK(bits(conv<rd::half>(1e300)) == 0x7c00u);
  CHECK(bits(conv<rd::half>(1e-300)) == 0x0000u);
  CHECK(bits(conv<rd::half>(-1e-300)) == 0x8000u);

  // Integers go to half rounded once, ties to even.
  CHECK(bits(conv<rd::half>(std::int32_t{2049})) == bits(rd::half(2048.f)));
  CHECK(bits(conv<rd::half>(std::int32_t{2051})) == bits(rd::half(2052.f)));
  CHECK(bits(conv<rd::half>(std::int32_t{65519})) == 0x7bffu);
  CHECK(bits(conv<rd::half>(std::int32_t{65520})) == 0x7c00u);
  CHECK(bits(conv<rd::half>(std::int64_t{-100000})) == 0xfc00u);
  CHECK(bits(conv<rd::half>(std::uint8_t{255})) == bits(rd::half(255.f)));
  // bfloat16 -> half
  CHECK(bits(conv<rd::half>(rd::bfloat16(1e-8f))) == 0x0000u);
  CHECK(bits(conv<rd::half>(rd::bfloat16(70000.f))) == 0x7c00u);
  CHECK(bits(conv<rd::half>(rd::bfloat16(0.5f))) == 0x3800u);
}

TEST_CASE("to: bfloat16 rounds to nearest even once", "[tensor][convert][bfloat16]") {
  CHECK(bits(conv<rd::bfloat16>(1.f)) == 0x3f80u);
  CHECK(bits(conv<rd::bfloat16>(1.f + 0x1p-8f)) == 0x3f80u);             // tie -> even
  CHECK(bits(conv<rd::bfloat16>(1.f + 3 * 0x1p-8f)) == 0x3f82u);         // tie -> even
  CHECK(bits(conv<rd::bfloat16>(1.f + 0x1p-8f + 0x1p-20f)) == 0x3f81u);  // above the tie
  CHECK(bits(conv<rd::bfloat16>(-1.f - 0x1p-8f - 0x1p-20f)) == 0xbf81u);
  CHECK(bits(conv<rd::bfloat16>(std::numeric_limits<float>::max())) == 0x7f80u);  // rounds to inf
  CHECK(bits(conv<rd::bfloat16>(3.3895313892515355e38f)) == 0x7f7fu);             // bfloat16's max
  CHECK(bits(conv<rd::bfloat16>(0x1p-133f)) == 0x0001u);  // smallest subnormal
  CHECK(bits(conv<rd::bfloat16>(0x1p-134f)) == 0x0000u);  // tie with 0 -> even
  CHECK(bits(conv<rd::bfloat16>(-0.f)) == 0x8000u);
  CHECK(bits(conv<rd::bfloat16>(-std::numeric_limits<float>::infinity())) == 0xff80u);
  const std::uint16_t bn = bits(conv<rd::bfloat16>(std::numeric_limits<float>::quiet_NaN()));
  CHECK((bn & 0x7f80u) == 0x7f80u);
  CHECK((bn & 0x007fu) != 0u);
  const std::uint16_t bn2 = bits(conv<rd::bfloat16>(-std::numeric_limits<double>::quiet_NaN()));
  CHECK((bn2 & 0x7f80u) == 0x7f80u);
  CHECK((bn2 & 0x007fu) != 0u);
  // A NaN whose payload sits only in the low 16 bits stays a NaN (it must not become inf).
  float low_payload_nan;
  const std::uint32_t lp = 0x7f800001u;
  std::memcpy(&low_payload_nan, &lp, sizeof lp);
  const std::uint16_t bn3 = bits(conv<rd::bfloat16>(low_payload_nan));
  CHECK((bn3 & 0x7f80u) == 0x7f80u);
  CHECK((bn3 & 0x007fu) != 0u);
  // bfloat16 -> float is exact.
  CHECK(conv<float>(rd::bfloat16::from_bits(0x3f81)) == 1.f + 0x1p-7f);
  CHECK(conv<double>(rd::bfloat16::from_bits(0x0001)) == 0x1p-133);

  // double -> bfloat16 rounds once.
  CHECK(bits(conv<rd::bfloat16>(1.0 + 0x1p-8 + 0x1p-40)) == 0x3f81u);
  CHECK(bits(conv<rd::bfloat16>(1.0 + 0x1p-8)) == 0x3f80u);
  CHECK(bits(conv<rd::bfloat16>(0x1p-134 + 0x1p-170)) ==
        0x0001u);  // subnormal: just above the tie with 0
  CHECK(bits(conv<rd::bfloat16>(1e300)) == 0x7f80u);
  // half -> bfloat16: 1 + 2^-10 is below the midpoint 1 + 2^-8; 65504 rounds up to 65536.
  CHECK(bits(conv<rd::bfloat16>(rd::half::from_bits(0x3c01))) == 0x3f80u);
  CHECK(bits(conv<rd::bfloat16>(rd::half(65504.f))) == 0x4780u);

  // Integers round once: 2^62 + 3*2^54 - 1 lies just below the bfloat16 midpoint 2^62 + 3*2^54,
  // so it rounds down to 2^62 + 2^55 (0x5e81). Through float, whose nearest value is that
  // midpoint, a tie to even would give 2^62 + 2^56 (0x5e82).
  const std::int64_t below_tie = (std::int64_t{1} << 62) + 3 * (std::int64_t{1} << 54) - 1;
  CHECK(static_cast<float>(below_tie) == 0x1p62f + 3 * 0x1p54f);  // the trap, in plain C++
  CHECK(bits(conv<rd::bfloat16>(below_tie)) == 0x5e81u);
  CHECK(bits(conv<rd::bfloat16>(-below_tie)) == 0xde81u);
  CHECK(bits(conv<rd::bfloat16>((std::int64_t{1} << 62) + 3 * (std::int64_t{1} << 54))) ==
        0x5e82u);  // tie
  CHECK(bits(conv<rd::bfloat16>((std::int64_t{1} << 62) + (std::int64_t{1} << 54) + 1)) == 0x5e81u);
  CHECK(bits(conv<rd::bfloat16>(std::numeric_limits<std::int64_t>::max())) == 0x5f00u);  // 2^63
  CHECK(bits(conv<rd::bfloat16>(std::numeric_limits<std::int64_t>::min())) == 0xdf00u);  // -2^63
  CHECK(bits(conv<rd::bfloat16>(std::int32_t{257})) ==
        0x4380u);  // 257: tie between 256 and 258 -> 256
  CHECK(bits(conv<rd::bfloat16>(std::int32_t{259})) ==
        0x4382u);  // 259: tie between 258 and 260 -> 260
  CHECK(bits(conv<rd::bfloat16>(std::int32_t{16777217 + 65536 * 2})) ==
        bits(rd::bfloat16(16908288.f)));
}

TEST_CASE("dtype: promotion traits and names", "[dtype]") {
  using std::int16_t;
  using std::int32_t;
  using std::int64_t;
  using std::int8_t;
  using std::is_same;
  using std::uint8_t;
  static_assert(is_same<rd::promote_t<int32_t, int64_t>, int64_t>::value, "");
  static_assert(is_same<rd::promote_t<int64_t, int32_t>, int64_t>::value, "");
  static_assert(is_same<rd::promote_t<uint8_t, int8_t>, int16_t>::value, "");
  static_assert(is_same<rd::promote_t<int8_t, uint8_t>, int16_t>::value, "");
  static_assert(is_same<rd::promote_t<uint8_t, int16_t>, int16_t>::value, "");
  static_assert(is_same<rd::promote_t<uint8_t, int32_t>, int32_t>::value, "");
  static_assert(is_same<rd::promote_t<uint8_t, uint8_t>, uint8_t>::value, "");
  static_assert(is_same<rd::promote_t<bool, bool>, bool>::value, "");
  static_assert(is_same<rd::promote_t<bool, uint8_t>, uint8_t>::value, "");
  static_assert(is_same<rd::promote_t<int8_t, bool>, int8_t>::value, "");
  static_assert(is_same<rd::promote_t<int64_t, rd::half>, rd::half>::value, "");
  static_assert(is_same<rd::promote_t<rd::bfloat16, int32_t>, rd::bfloat16>::value, "");
  static_assert(is_same<rd::promote_t<rd::half, rd::bfloat16>, float>::value, "");
  static_assert(is_same<rd::promote_t<rd::bfloat16, rd::half>, float>::value, "");
  static_assert(is_same<rd::promote_t<rd::half, float>, float>::value, "");
  static_assert(is_same<rd::promote_t<rd::half, double>, double>::value, "");
  static_assert(is_same<rd::promote_t<float, double>, double>::value, "");
  static_assert(is_same<rd::promote_t<bool, double>, double>::value, "");
  static_assert(is_same<rd::promote_t<rd::half, rd::half>, rd::half>::value, "");
  // A scalar changes the type only when it is of a higher category (bool < integral < floating).
  static_assert(is_same<rd::promote_scalar_t<int32_t, double>, float>::value, "");
  static_assert(is_same<rd::promote_scalar_t<float, double>, float>::value, "");
  static_assert(is_same<rd::promote_scalar_t<rd::half, double>, rd::half>::value, "");
  static_assert(is_same<rd::promote_scalar_t<bool, int64_t>, int64_t>::value, "");
  static_assert(is_same<rd::promote_scalar_t<bool, double>, float>::value, "");
  static_assert(is_same<rd::promote_scalar_t<uint8_t, int64_t>, uint8_t>::value, "");
  static_assert(is_same<rd::promote_scalar_t<int8_t, bool>, int8_t>::value, "");
  static_assert(rd::is_element_type<rd::bfloat16>::value &&
                    !rd::is_element_type<long double>::value && !rd::is_element_type<char>::value &&
                    !rd::is_element_type<std::uint32_t>::value,
                "");
  static_assert(rd::is_floating_element<rd::half>::value &&
                    !rd::is_floating_element<int32_t>::value &&
                    !rd::is_floating_element<bool>::value,
                "");

  CHECK(std::string(rd::dtype_name<float>()) == "float32");
  CHECK(std::string(rd::dtype_name<double>()) == "float64");
  CHECK(std::string(rd::dtype_name<rd::half>()) == "float16");
  CHECK(std::string(rd::dtype_name<rd::bfloat16>()) == "bfloat16");
  CHECK(std::string(rd::dtype_name<bool>()) == "bool");
  CHECK(std::string(rd::dtype_name<int8_t>()) == "int8");
  CHECK(std::string(rd::dtype_name<uint8_t>()) == "uint8");
  CHECK(std::string(rd::dtype_name<int16_t>()) == "int16");
  CHECK(std::string(rd::dtype_name<int32_t>()) == "int32");
  CHECK(std::string(rd::dtype_name<int64_t>()) == "int64");

  // The 16-bit types' limits.
  CHECK(static_cast<float>(std::numeric_limits<rd::half>::max()) == 65504.f);
  CHECK(static_cast<float>(std::numeric_limits<rd::half>::lowest()) == -65504.f);
  CHECK(static_cast<float>(std::numeric_limits<rd::half>::min()) == 0x1p-14f);
  CHECK(static_cast<float>(std::numeric_limits<rd::half>::denorm_min()) == 0x1p-24f);
  CHECK(static_cast<float>(std::numeric_limits<rd::half>::epsilon()) == 0x1p-10f);
  CHECK(static_cast<float>(std::numeric_limits<rd::bfloat16>::max()) == 3.3895313892515355e38f);
  CHECK(static_cast<float>(std::numeric_limits<rd::bfloat16>::min()) == 0x1p-126f);
  CHECK(static_cast<float>(std::numeric_limits<rd::bfloat16>::denorm_min()) == 0x1p-133f);
  CHECK(static_cast<float>(std::numeric_limits<rd::bfloat16>::epsilon()) == 0x1p-7f);
  CHECK(std::isinf(static_cast<float>(std::numeric_limits<rd::bfloat16>::infinity())));
  CHECK(std::isnan(static_cast<float>(std::numeric_limits<rd::half>::quiet_NaN())));
}

namespace {
/// Every member numeric_limits<float> has, read through L: naming one that L lacks does not
/// compile.
template <class L>
auto every_limits_member() {
  return std::make_tuple(
      L::is_specialized, L::is_signed, L::is_integer, L::is_exact, L::has_infinity,
      L::has_quiet_NaN, L::has_signaling_NaN, L::has_denorm, L::has_denorm_loss, L::round_style,
      L::is_iec559, L::is_bounded, L::is_modulo, L::digits, L::digits10, L::max_digits10, L::radix,
      L::min_exponent, L::min_exponent10, L::max_exponent, L::max_exponent10, L::traps,
      L::tinyness_before, L::min(), L::lowest(), L::max(), L::epsilon(), L::round_error(),
      L::infinity(), L::quiet_NaN(), L::signaling_NaN(), L::denorm_min());
}

/// The 16-bit formats by their field widths; every limit below is computed from these.
template <class T>
struct format16;
template <>
struct format16<rd::half> {
  static constexpr int exponent_bits = 5, mantissa_bits = 10;
  static constexpr bool iec559 = true;  // binary16 is an IEEE 754 interchange format
};
template <>
struct format16<rd::bfloat16> {
  static constexpr int exponent_bits = 8, mantissa_bits = 7;
  static constexpr bool iec559 = false;  // not an IEEE 754 format (c10 says false too)
};
}  // namespace

TEMPLATE_TEST_CASE("dtype: numeric_limits of the 16-bit types has every member, with its value",
                   "[dtype]", rd::half, rd::bfloat16) {
  using L = std::numeric_limits<TestType>;
  using F = std::numeric_limits<float>;
  using fmt = format16<TestType>;
  static_assert(std::tuple_size<decltype(every_limits_member<F>())>::value ==
                    std::tuple_size<decltype(every_limits_member<L>())>::value,
                "");
  static_assert(
      noexcept(L::min())&& noexcept(L::lowest())&& noexcept(L::max())&& noexcept(L::epsilon())&& noexcept(L::round_error())&& noexcept(
          L::infinity())&& noexcept(L::quiet_NaN())&& noexcept(L::signaling_NaN())&& noexcept(L::denorm_min()),
      "");
  constexpr std::uint16_t sig_bits = L::signaling_NaN().bits;  // usable in constant expressions
  (void)sig_bits;

  const int m = fmt::mantissa_bits, e = fmt::exponent_bits;
  const int bias = (1 << (e - 1)) - 1;
  const long double log10_2 = std::log10(2.0L);
  const auto pow2 = [](int k) { return std::ldexp(1.0f, k); };

  CHECK(L::is_specialized);
  CHECK(L::is_signed);
  CHECK(static_cast<float>(TestType(-1.f)) == -1.f);
  CHECK_FALSE(L::is_integer);
  CHECK_FALSE(L::is_exact);
  CHECK(L::radix == 2);
  CHECK(L::is_bounded);
  CHECK_FALSE(L::is_modulo);
  CHECK(L::digits == m + 1);
  CHECK(L::digits10 == static_cast<int>(std::floor((L::digits - 1) * log10_2)));
  CHECK(L::max_digits10 == static_cast<int>(std::ceil(1 + L::digits * log10_2)));
  CHECK(L::min_exponent == 2 - bias);  // min() = 2^(min_exponent - 1) = 2^(1 - bias)
  CHECK(L::max_exponent == bias + 1);  // max() < 2^max_exponent
  // min_exponent10: the lowest n with 10^n normal; max_exponent10: the highest with 10^n finite.
  const long double min_value = std::ldexp(1.0L, 1 - bias);
  const long double max_value = (2.0L - std::ldexp(1.0L, -m)) * std::ldexp(1.0L, bias);
  CHECK(L::min_exponent10 == static_cast<int>(std::ceil(std::log10(min_value))));
  CHECK(L::max_exponent10 == static_cast<int>(std::floor(std::log10(max_value))));

  CHECK(static_cast<float>(L::min()) == pow2(L::min_exponent - 1));
  CHECK(static_cast<long double>(static_cast<float>(L::min())) == min_value);
  CHECK(static_cast<long double>(static_cast<float>(L::max())) == max_value);
  CHECK(static_cast<float>(L::lowest()) == -static_cast<float>(L::max()));
  CHECK(static_cast<float>(L::epsilon()) == pow2(1 - L::digits));
  CHECK(static_cast<float>(L::round_error()) == 0.5f);  // round to nearest: at most half an ulp
  CHECK(static_cast<float>(L::denorm_min()) == pow2(L::min_exponent - L::digits));
  CHECK(static_cast<float>(L::infinity()) == F::infinity());

  // The NaNs: exponent all ones, mantissa non-zero; quiet with its top mantissa bit set, signaling
  // with it clear, each float's own NaN with the mantissa cut to this format's width.
  const auto exponent_mask = static_cast<std::uint16_t>(((1u << e) - 1u) << m);
  const auto quiet_bit = static_cast<std::uint16_t>(1u << (m - 1));
  const auto narrow = [&](float f) {
    return static_cast<std::uint16_t>(exponent_mask | ((bits(f) & 0x7fffffu) >> (23 - m)));
  };
  CHECK(L::quiet_NaN().bits == narrow(F::quiet_NaN()));
  CHECK(L::signaling_NaN().bits == narrow(F::signaling_NaN()));
  CHECK((L::signaling_NaN().bits & exponent_mask) == exponent_mask);
  CHECK((L::signaling_NaN().bits & quiet_bit) == 0);
  CHECK((L::signaling_NaN().bits & (quiet_bit - 1u)) != 0);
  CHECK((L::quiet_NaN().bits & quiet_bit) != 0);
  CHECK(std::isnan(static_cast<float>(L::signaling_NaN())));
  CHECK(std::isnan(static_cast<float>(L::quiet_NaN())));

  CHECK(L::has_infinity);
  CHECK(L::has_quiet_NaN);
  CHECK(L::has_signaling_NaN);
  CHECK(L::has_denorm == std::denorm_present);
  CHECK(static_cast<float>(L::denorm_min()) > 0.f);
  CHECK(static_cast<float>(L::denorm_min()) < static_cast<float>(L::min()));
  CHECK(L::is_iec559 == fmt::iec559);
  // The conversion from float rounds to nearest: a quarter ulp above 1 goes down, three up.
  CHECK(L::round_style == std::round_to_nearest);
  const float eps = static_cast<float>(L::epsilon());
  CHECK(static_cast<float>(TestType(1.f + 0.25f * eps)) == 1.f);
  CHECK(static_cast<float>(TestType(1.f + 0.75f * eps)) == 1.f + eps);
  // Arithmetic happens in float: its traps and tininess detection are the ones that apply.
  CHECK(L::traps == F::traps);
  CHECK(L::tinyness_before == F::tinyness_before);
  CHECK(L::has_denorm_loss == F::has_denorm_loss);
}
