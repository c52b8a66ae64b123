// radicand tests, compiled into each backend's binary (tests/backends.cmake), the cross-compiled
// NEON one included: the backend's own pieces against the portable scalar code, which the MPFR
// suite proves exact. Its 16-bit conversions against dtype.hpp's, bit for bit; the exact float
// path that the fast path falls back to; the double path; large calls (prefetch, streaming
// stores, threads) at every alignment; and the element-wise engine's layouts (permuted,
// broadcast, strided, split between threads).
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace rd = radicand;

namespace {

using isa = rd::detail::native_isa;
constexpr std::size_t lanes = isa::lanes;

std::uint32_t fbits(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}
float from_fbits(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}
std::uint64_t dbits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
double from_dbits(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

/// Equal bits, NaNs included (every NaN result is the canonical one, API.md).
bool same(float a, float b) { return fbits(a) == fbits(b); }
bool same(double a, double b) { return dbits(a) == dbits(b); }
template <class T>
bool same(T a, T b) {
  return a.bits == b.bits;
}

struct splitmix64 {
  std::uint64_t state;
  std::uint64_t operator()() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

/// Float bit patterns that exercise every rounding case of a conversion to 16 bits: every sign
/// and exponent, with all 2^14 low significand patterns under a few high ones, and every 97th
/// pattern of all.
std::vector<std::uint32_t> conversion_patterns() {
  std::vector<std::uint32_t> v;
  for (std::uint32_t se = 0; se < 512; ++se)
    for (std::uint32_t high : {0u, 1u, 0x155u, 0x1ffu, 0x200u, 0x3feu, 0x3ffu})
      for (std::uint32_t low = 0; low < (1u << 14); ++low)
        v.push_back((se << 23) | (high << 13) | low);
  for (std::uint64_t b = 0; b < 0x100000000ull; b += 97) v.push_back(static_cast<std::uint32_t>(b));
  while (v.size() % lanes != 0) v.push_back(0);
  return v;
}

template <class T>
void check_store_conversion(const std::vector<std::uint32_t>& patterns) {
  std::size_t wrong = 0;
  std::string first;
  T out[lanes];
  float in[lanes];
  for (std::size_t i = 0; i < patterns.size(); i += lanes) {
    for (std::size_t j = 0; j < lanes; ++j) in[j] = from_fbits(patterns[i + j]);
    isa::store(out, isa::load(in));
    for (std::size_t j = 0; j < lanes; ++j) {
      const T want(in[j]);  // dtype.hpp's conversion
      if (out[j].bits == want.bits) continue;
      if (wrong++ == 0) {
        std::ostringstream os;
        os << std::hex << "0x" << patterns[i + j] << " -> 0x" << out[j].bits << ", dtype.hpp: 0x"
           << want.bits;
        first = os.str();
      }
    }
  }
  INFO("first difference: " << first);
  CHECK(wrong == 0);
}

template <class T>
void check_load_conversion() {
  std::size_t wrong = 0;
  T in[lanes];
  float out[lanes];
  for (std::uint32_t b = 0; b < 65536; b += lanes) {
    for (std::size_t j = 0; j < lanes; ++j) in[j] = T::from_bits(static_cast<std::uint16_t>(b + j));
    isa::store(out, isa::load(in));
    for (std::size_t j = 0; j < lanes; ++j) {
      // NaN payloads too; hardware conversions (F16C, NEON) may quieten a signalling NaN.
      const std::uint32_t want = fbits(static_cast<float>(in[j]));
      const bool nan = (want & 0x7fffffffu) > 0x7f800000u;
      if (fbits(out[j]) != want && !(nan && fbits(out[j]) == (want | 0x00400000u))) ++wrong;
    }
  }
  CHECK(wrong == 0);
}

/// The scalar functions the MPFR suite proves exact.
template <class T>
T scalar_rsqrt(T x) {
  return rd::detail::math::rsqrt(x);
}
template <class T>
T scalar_sqrt(T x) {
  return rd::detail::math::sqrt(x);
}

template <class T>
std::vector<T> random_values(std::size_t n, std::uint64_t seed) {
  splitmix64 rng{seed};
  std::vector<T> v(n);
  for (auto& x : v) {
    const std::uint64_t r = rng();
    const float f =
        std::ldexp(1.0f + static_cast<float>(r >> 41) * 0x1p-23f, static_cast<int>(r % 60) - 30);
    x = T(r % 17 == 0 ? 0.0f : f);  // zeros now and then: the special-value path
  }
  return v;
}

template <class T>
void check_large_calls() {
  // Past the streaming threshold, with both pointers at every alignment, out of place and in
  // place, and lengths that leave partial packets at both ends.
  const std::size_t n = RADICAND_STREAMING_BYTES / sizeof(T) + 37;
  const std::vector<T> base = random_values<T>(n + 8, 7);
  for (std::size_t in_off : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
    for (std::size_t out_off : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
      std::vector<T> out(n + 8, T(-1.0f));
      rd::kernels::rsqrt(base.data() + in_off, out.data() + out_off, n);
      std::size_t wrong = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (!same(out[out_off + i], scalar_rsqrt(base[in_off + i]))) ++wrong;
      for (std::size_t i = 0; i < out_off; ++i) wrong += same(out[i], T(-1.0f)) ? 0 : 1;
      for (std::size_t i = out_off + n; i < out.size(); ++i)
        wrong += same(out[i], T(-1.0f)) ? 0 : 1;
      INFO("rsqrt, in offset " << in_off << ", out offset " << out_off);
      CHECK(wrong == 0);
    }
    std::vector<T> buf(base.begin() + static_cast<std::ptrdiff_t>(in_off), base.end());
    rd::kernels::sqrt(buf.data(), buf.data(), n);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (!same(buf[i], scalar_sqrt(base[in_off + i]))) ++wrong;
    INFO("sqrt in place, offset " << in_off);
    CHECK(wrong == 0);
  }
}

/// Every index of a shape, in row-major order.
template <class F>
void for_each_index(const std::vector<std::int64_t>& shape, F f) {
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  std::vector<std::int64_t> idx(shape.size(), 0);
  for (std::int64_t k = 0; k < n; ++k) {
    f(idx);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

template <class R, class T>
std::size_t count_rsqrt_mismatches(const rd::tensor<T>& x, const rd::tensor<R>& r) {
  std::size_t wrong = 0;
  const std::vector<std::int64_t> shape(x.shape().begin(), x.shape().end());
  for_each_index(shape, [&](const std::vector<std::int64_t>& idx) {
    const R want = rd::detail::convert<R>(
        scalar_rsqrt(rd::detail::convert<rd::detail::unary_float_t<T>>(x.at(idx))));
    if (!same(r.at(idx), want)) ++wrong;
  });
  return wrong;
}

}  // namespace

TEST_CASE("backend: half and bfloat16 packet conversions are dtype.hpp's, bit for bit",
          "[backend][conversion]") {
  const std::vector<std::uint32_t> patterns = conversion_patterns();
  check_store_conversion<rd::half>(patterns);
  check_store_conversion<rd::bfloat16>(patterns);
  check_load_conversion<rd::half>();
  check_load_conversion<rd::bfloat16>();
}

TEST_CASE("backend: the exact float rsqrt path equals the scalar one", "[backend][rsqrt]") {
  if constexpr (!isa::has_fma) {
    SUCCEED("no FMA: float rsqrt is 1/sqrt in double on this backend, as the scalar function");
  } else {
    // Every float in [1, 4), every subnormal, every 251st pattern of all (specials included).
    std::vector<std::uint32_t> patterns;
    for (std::uint32_t b = 0x3f800000u; b < 0x40800000u; ++b) patterns.push_back(b);
    for (std::uint32_t b = 0; b < 0x00800000u; ++b) patterns.push_back(b);
    for (std::uint64_t b = 0; b < 0x100000000ull; b += 251)
      patterns.push_back(static_cast<std::uint32_t>(b));
    while (patterns.size() % lanes != 0) patterns.push_back(0);
    std::size_t wrong = 0;
    float in[lanes], out[lanes];
    for (std::size_t i = 0; i < patterns.size(); i += lanes) {
      for (std::size_t j = 0; j < lanes; ++j) in[j] = from_fbits(patterns[i + j]);
      isa::store(out, rd::detail::native::rsqrt_f32_exact<isa>(isa::load(in)));
      for (std::size_t j = 0; j < lanes; ++j)
        if (!same(out[j], scalar_rsqrt(in[j]))) ++wrong;
    }
    CHECK(wrong == 0);
  }
}

/// The backend with its estimate replaced by one at the edge of the documented bound: for a
/// positive normal x, 1/sqrt(x) (1 + sign d) rounded to float, d = 2^-rsqrt_estimate_bits less
/// an ulp, so |y0 sqrt(x) - 1| < 2^-bits still holds. The fast paths' exactness must follow from
/// that bound alone, not from one CPU's table (the exhaustive suites test the CPU's own).
template <int Sign>
struct edge_estimate_isa : isa {
  static isa::pf rsqrt_estimate(isa::pf x) noexcept {
    float in[lanes], out[lanes];
    isa::store(in, x);
    isa::store(out, isa::rsqrt_estimate(x));  // IEEE's values elsewhere
    const double d = std::ldexp(1.0, -isa::rsqrt_estimate_bits) - 0x1p-23;
    for (std::size_t j = 0; j < lanes; ++j)
      if (in[j] >= 0x1p-126f && in[j] <= std::numeric_limits<float>::max())
        out[j] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(in[j])) * (1.0 + Sign * d));
    return isa::load(out);
  }
  static isa::pd rsqrt_estimate(isa::pd x) noexcept {
    constexpr std::size_t n = lanes / 2;
    double in[n], out[n];
    isa::store(in, x);
    isa::store(out, isa::rsqrt_estimate(x));
    const long double d = std::ldexp(1.0L, -isa::rsqrt_estimate_bits) - 0x1p-50L;
    const double range = std::ldexp(1.0, isa::pd_estimate_range);
    for (std::size_t j = 0; j < n; ++j)
      if (in[j] >= 0x1p-1022 && in[j] >= 1 / range && in[j] <= range)
        out[j] = static_cast<double>(1.0L / std::sqrt(static_cast<long double>(in[j])) *
                                     (1.0L + Sign * d));
    return isa::load(out);
  }
};

template <class A>
void check_fast_paths_on(const std::vector<std::uint32_t>& patterns, std::size_t& wrong) {
  constexpr std::size_t k = rd::detail::native::sqrt_fma_period;  // the last packet: FMA sqrt
  float in[lanes], out[lanes];
  for (std::size_t i = 0; i < patterns.size(); i += lanes) {
    for (std::size_t j = 0; j < lanes; ++j) in[j] = from_fbits(patterns[i + j]);
    typename A::pf x[1] = {A::load(in)}, z[1];
    rd::detail::native::rsqrt_f32<A>(x, z);
    A::store(out, z[0]);
    for (std::size_t j = 0; j < lanes; ++j)
      if (!same(out[j], scalar_rsqrt(in[j]))) ++wrong;
    typename A::pf xs[k], zs[k];
    for (std::size_t p = 0; p < k; ++p) xs[p] = x[0];
    rd::detail::native::sqrt_f32<A>(xs, zs);
    for (std::size_t p = 0; p < k; ++p) {
      A::store(out, zs[p]);
      for (std::size_t j = 0; j < lanes; ++j)
        if (!same(out[j], scalar_sqrt(in[j]))) ++wrong;
    }
  }
}

TEST_CASE("backend: the float fast paths are exact for any estimate within the documented bound",
          "[backend][rsqrt][sqrt]") {
  if constexpr (!isa::has_fma && isa::rsqrt_estimate_bits >= 23) {
    SUCCEED("the scalar backend: 1/sqrt in double, no estimate-based fast path");
  } else {
    // Every float in [1, 4) (each estimate a power-of-4 scaling of one there), the top binade,
    // every 64th subnormal, every 4099th pattern of all.
    std::vector<std::uint32_t> patterns;
    for (std::uint32_t b = 0x3f800000u; b < 0x40800000u; ++b) patterns.push_back(b);
    for (std::uint32_t b = 0x7f000000u; b < 0x7f800000u; b += 7) patterns.push_back(b);
    for (std::uint32_t b = 0; b < 0x00800000u; b += 64) patterns.push_back(b);
    for (std::uint64_t b = 0; b < 0x100000000ull; b += 4099)
      patterns.push_back(static_cast<std::uint32_t>(b));
    patterns.push_back(0x403a18e3u);  // the hardest rsqrt case
    patterns.push_back(0x407fffffu);  // the hardest sqrt case
    while (patterns.size() % lanes != 0) patterns.push_back(0x3f800000u);
    std::size_t wrong_high = 0, wrong_low = 0;
    check_fast_paths_on<edge_estimate_isa<1>>(patterns, wrong_high);
    check_fast_paths_on<edge_estimate_isa<-1>>(patterns, wrong_low);
    CHECK(wrong_high == 0);
    CHECK(wrong_low == 0);
  }
}

/// double rsqrt and sqrt through A's packet paths (sqrt: a group whose last packet takes the
/// FMA path), the lanes they leave unsettled through the scalar function (as cpu/loops.hpp
/// does): how many results differ from the scalar functions'.
template <class A>
std::size_t wrong_f64_on(const std::vector<double>& in) {
  constexpr std::size_t n = lanes / 2, g = rd::detail::native::sqrt_f64_fma_period;
  std::size_t wrong = 0;
  double xs[n], zs[n];
  for (std::size_t i = 0; i + n <= in.size(); i += n) {
    typename A::pd x[1] = {A::load(in.data() + i)}, z[1];
    typename A::md unsettled[1];
    const bool settled = rd::detail::native::rsqrt_f64<A>(x, z, unsettled);
    A::store(xs, x[0]);
    A::store(zs, z[0]);
    const unsigned bits = settled ? 0u : A::lane_bits(unsettled[0]);
    for (std::size_t j = 0; j < n; ++j)
      if (!same((bits >> j) & 1u ? scalar_rsqrt(xs[j]) : zs[j], scalar_rsqrt(xs[j]))) ++wrong;
    typename A::pd xg[g], zg[g];
    for (std::size_t k = 0; k < g; ++k) xg[k] = x[0];
    rd::detail::native::sqrt_f64<A>(xg, zg);
    for (std::size_t k = 0; k < g; ++k) {
      A::store(zs, zg[k]);
      for (std::size_t j = 0; j < n; ++j)
        if (!same(zs[j], scalar_sqrt(xs[j]))) ++wrong;
    }
  }
  return wrong;
}

TEST_CASE("backend: the double fast paths are exact for any estimate within the bound",
          "[backend][double]") {
  {  // without FMA, rsqrt starts from 1/sqrt, not the estimate: the edge ones change nothing
    // Near-midpoint cases, for odd j < 2^12 (within 2^-81 of a midpoint):
    // 1/sqrt(4^k (1 - j 2^-52)) = 2^-k (1 + j 2^-53 + 3 j^2 2^-107 + ...) and
    // sqrt(4^k (1 + j 2^-52)) = 2^k (1 + j 2^-53 - j^2 2^-107 + ...); then random significands.
    std::vector<double> in;
    for (int k : {-400, -60, -1, 0, 1, 2, 60, 400})
      for (std::uint64_t j = 1; j < 4096; j += 2)
        for (double sign : {-1.0, 1.0})
          in.push_back(std::ldexp(1.0 + sign * static_cast<double>(j) * 0x1p-52, 2 * k));
    splitmix64 rng{0xedce};
    for (int i = 0; i < 200000; ++i)
      in.push_back(from_dbits(0x3ff0000000000000ull + (rng() >> 11)));
    while (in.size() % (lanes / 2) != 0) in.push_back(1.0);
    CHECK(wrong_f64_on<edge_estimate_isa<1>>(in) == 0);
    CHECK(wrong_f64_on<edge_estimate_isa<-1>>(in) == 0);
    CHECK(wrong_f64_on<isa>(in) == 0);
  }
}

TEST_CASE("backend: double rsqrt and sqrt equal the scalar functions", "[backend][double]") {
  std::vector<double> in;
  splitmix64 rng{0xd0d0};
  for (int i = 0; i < 1000000; ++i) in.push_back(from_dbits(rng() & 0x7fffffffffffffffull));
  for (int i = 0; i < 1000000; ++i) in.push_back(from_dbits(0x3ff0000000000000ull + (rng() >> 11)));
  for (int i = 0; i < 100000; ++i) in.push_back(from_dbits(rng()));  // both signs, NaNs
  // The extreme exponents, and 2^-+1000 and 2^-+900 (where the no-FMA path's range ends).
  for (std::uint64_t e : {0ull, 1ull, 2ull, 23ull, 123ull, 1021ull, 1022ull, 1023ull, 1024ull,
                          1923ull, 2023ull, 2045ull, 2046ull, 2047ull})
    for (std::int64_t d = -300; d <= 300; ++d)
      in.push_back(from_dbits((e << 52) + static_cast<std::uint64_t>(d)));
  for (double v :
       {0.0, -0.0, 1.0, 4.0, std::numeric_limits<double>::infinity(), -1.0,
        std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::denorm_min()})
    in.push_back(v);
  std::vector<double> out(in.size());
  rd::kernels::rsqrt(in.data(), out.data(), in.size());
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (!same(out[i], scalar_rsqrt(in[i]))) ++wrong;
  CHECK(wrong == 0);
  rd::kernels::sqrt(in.data(), out.data(), in.size());
  wrong = 0;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (!same(out[i], scalar_sqrt(in[i]))) ++wrong;
  CHECK(wrong == 0);
}

TEST_CASE("kernels: calls past the streaming threshold, at every alignment and in place",
          "[backend][kernels]") {
  check_large_calls<float>();
  check_large_calls<double>();
  check_large_calls<rd::half>();
  check_large_calls<rd::bfloat16>();
}

TEST_CASE("engine: permuted, broadcast, strided and large layouts give the scalar results",
          "[backend][engine]") {
  SECTION("a permuted dense tensor: one contiguous run, the result keeps the layout") {
    const rd::tensor<float> x = rd::rand<float>({7, 9, 11}, 3).permute({2, 0, 1});
    const rd::tensor<float> r = rd::rsqrt(x);
    CHECK(std::vector<std::int64_t>(r.strides().begin(), r.strides().end()) ==
          std::vector<std::int64_t>(x.strides().begin(), x.strides().end()));
    CHECK(count_rsqrt_mismatches(x, r) == 0);
  }
  SECTION("a broadcast input: a scalar expanded, and a column expanded along rows") {
    const rd::tensor<float> s = rd::full<float>({1, 1}, 7.0f).expand({300, 500});
    CHECK(count_rsqrt_mismatches(s, rd::rsqrt(s)) == 0);
    const rd::tensor<double> c = rd::rand<double>({300, 1}, 5).expand({300, 500});
    CHECK(count_rsqrt_mismatches(c, rd::rsqrt(c)) == 0);
    const rd::tensor<std::int32_t> i = rd::full<std::int32_t>({1}, 9).expand({100000});
    CHECK(count_rsqrt_mismatches(i, rd::rsqrt(i)) == 0);
  }
  SECTION("strided rows, large enough to be split between threads") {
    const rd::tensor<float> x = rd::rand<float>({700, 400}, 9).slice(1, 1, 400, 2);
    CHECK(count_rsqrt_mismatches(x, rd::rsqrt(x)) == 0);
    const rd::tensor<float> t = rd::rand<float>({300, 500}, 10).t();
    rd::tensor<float> out = rd::empty<float>({500, 300});  // contiguous out of a transposed input
    rd::rsqrt(t, out);
    CHECK(count_rsqrt_mismatches(t, out) == 0);
  }
  SECTION("mixed types through the engine's buffer: half in, float out; int in") {
    const rd::tensor<rd::half> h = rd::rand<rd::half>({100000}, 11);
    rd::tensor<float> f = rd::empty<float>({100000});
    rd::rsqrt(h, f);
    CHECK(count_rsqrt_mismatches(h, f) == 0);  // computed in half, then converted
    const rd::tensor<std::int64_t> n = rd::arange<std::int64_t>(0, 100000);
    CHECK(count_rsqrt_mismatches(n, rd::rsqrt(n)) == 0);
  }
  SECTION("a large contiguous tensor in place") {
    rd::tensor<float> x = rd::rand<float>({1 << 20}, 12);
    const rd::tensor<float> before = x.clone();
    x.rsqrt_();
    CHECK(count_rsqrt_mismatches(before, x) == 0);
  }
}

TEST_CASE("threads: set_num_threads and get_num_threads", "[backend][threads]") {
  const int before = rd::get_num_threads();
  CHECK(before >= 1);
  CHECK_THROWS_AS(rd::set_num_threads(0), rd::error);
  rd::set_num_threads(2);
  CHECK(rd::get_num_threads() == (RADICAND_HAS_OPENMP ? 2 : 1));
  // One thread and two threads give the same bits.
  const rd::tensor<float> x = rd::rand<float>({1 << 18}, 13);
  const rd::tensor<float> two = rd::rsqrt(x);
  rd::set_num_threads(1);
  CHECK(rd::get_num_threads() == 1);
  const rd::tensor<float> one = rd::rsqrt(x);
  CHECK(std::memcmp(one.data(), two.data(), sizeof(float) << 18) == 0);
  rd::set_num_threads(before);
}
