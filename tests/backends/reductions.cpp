// radicand tests, compiled into each backend's binary (tests/backends.cmake), the cross-compiled
// NEON one included: sum, mean, var, rms_norm and layer_norm against their definition in the
// fixed order (math::fixed_sum, element by element in portable scalar code), bit for bit, on
// every length class (partial rows of 16 lanes, partial blocks, interleaved blocks, several
// chunks), every layout path (contiguous runs, gathered strided ones) and 1, 2, 4 and 7 threads.
// Every backend matching the definition means they all return the same bits. Where the unit is
// built with FMA (AVX2, AVX-512, NEON), the compiler may contract a * b + c: the results must not
// change.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace rd = radicand;

namespace {

namespace math = rd::detail::math;
template <class T>
using acc_t = rd::detail::compute_t<T>;

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <class T>
std::string bits_of(T v) {
  unsigned char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  std::string s;
  static const char* const digits = "0123456789abcdef";
  for (std::size_t i = sizeof(T); i-- > 0;) {
    s += digits[b[i] >> 4];
    s += digits[b[i] & 15];
  }
  return s;
}

struct splitmix64 {
  std::uint64_t state;
  std::uint64_t operator()() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [-1, 1) times a scale spread over 2^-8 .. 2^8, with a shift: sums that cancel.
  double next() {
    const double u = static_cast<double>((*this)() >> 11) * 0x1p-53 * 2 - 1;
    const int e = static_cast<int>((*this)() % 17) - 8;
    return std::ldexp(u, e) + 0.75;
  }
};

template <class T>
rd::tensor<T> random_tensor(const std::vector<std::int64_t>& shape, std::uint64_t seed) {
  rd::tensor<T> x = rd::empty<T>(shape);
  splitmix64 g{seed};
  for (std::int64_t i = 0; i < x.numel(); ++i)
    x.data()[i] = static_cast<T>(static_cast<float>(g.next()));
  return x;
}

// ---- The definitions (API.md, math/fixed_sum.hpp), element by element ----

template <class T>
acc_t<T> element(const T* p, std::size_t i, std::ptrdiff_t stride) {
  return static_cast<acc_t<T>>(p[static_cast<std::ptrdiff_t>(i) * stride]);
}

template <math::summand S, class T>
acc_t<T> defined_sum(const T* p, std::size_t n, std::ptrdiff_t stride, acc_t<T> centre) {
  return math::fixed_sum<acc_t<T>>(
      n, [&](std::size_t i) { return math::summand_of<S>(element(p, i, stride), centre); });
}

template <class T>
T canonical(acc_t<T> v) {
  return static_cast<T>(math::canonical_nan(v));
}

/// rms_norm (centred false) or layer_norm of one row of n elements, into y.
template <class T>
void defined_norm(const T* x, std::size_t n, bool centred, double eps, const T* w, const T* b,
                  T* y) {
  using A = acc_t<T>;
  const A count = static_cast<A>(n);
  A mean = 0, squares;
  if (centred) {
    mean = defined_sum<math::summand::value>(x, n, 1, A(0)) / count;
    squares = defined_sum<math::summand::centred_square>(x, n, 1, mean);
  } else {
    squares = defined_sum<math::summand::square>(x, n, 1, A(0));
  }
  const A scale = math::rsqrt(squares / count + static_cast<A>(eps));
  for (std::size_t i = 0; i < n; ++i) {
    A v = math::mul_rn(static_cast<A>(x[i]) - mean, scale);
    if (w != nullptr) v = math::mul_rn(v, static_cast<A>(w[i]));
    if (b != nullptr) v = v + static_cast<A>(b[i]);
    y[i] = canonical<T>(v);
  }
}

/// Row lengths across every path: partial rows of 16, partial blocks, the interleaved groups of
/// blocks, perfect and ragged block trees, one chunk, several chunks.
const std::vector<std::size_t> lengths = {1,    2,    7,    15,   16,    17,    31,    255,
                                          256,  257,  511,  512,  777,   1024,  1031,  2048,
                                          2049, 4096, 4100, 8191, 16384, 16385, 40000, 70001};

const std::vector<int> thread_counts = {1, 2, 4, 7};

struct thread_setting {
  int saved = rd::get_num_threads();
  ~thread_setting() { rd::set_num_threads(saved); }
};

template <class T>
void check_sums_along_rows() {
  const thread_setting restore;
  for (std::size_t n : lengths) {
    const std::int64_t rows = n > 5000 ? 2 : 3;
    const rd::tensor<T> x = random_tensor<T>({rows, static_cast<std::int64_t>(n)}, n);
    for (int threads : thread_counts) {
      rd::set_num_threads(threads);
      const rd::tensor<T> s = rd::sum(x, -1), m = rd::mean(x, -1), v = rd::var(x, -1, 0.0);
      for (std::int64_t r = 0; r < rows; ++r) {
        const T* row = x.data() + r * static_cast<std::int64_t>(n);
        const acc_t<T> sum = defined_sum<math::summand::value>(row, n, 1, acc_t<T>(0));
        const acc_t<T> mean = sum / static_cast<acc_t<T>>(n);
        const acc_t<T> var =
            defined_sum<math::summand::centred_square>(row, n, 1, mean) / static_cast<acc_t<T>>(n);
        INFO("n " << n << ", row " << r << ", threads " << threads);
        CHECK(bits_of(s.data()[r]) == bits_of(canonical<T>(sum)));
        CHECK(bits_of(m.data()[r]) == bits_of(canonical<T>(mean)));
        CHECK(bits_of(v.data()[r]) == bits_of(canonical<T>(var)));
      }
    }
  }
}

template <class T>
void check_sums_of_everything_and_strided() {
  const thread_setting restore;
  // [k, m] summed whole (one long run, its chunks shared between threads) and over dimension 0
  // (strided elements, gathered): both against the definition in the row-major order.
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{
           {1, 1}, {3, 5}, {17, 300}, {300, 17}, {129, 257}, {40, 1001}}) {
    const rd::tensor<T> x = random_tensor<T>(shape, static_cast<std::uint64_t>(shape[0] * 7 + 1));
    const auto k = static_cast<std::size_t>(shape[0]), m = static_cast<std::size_t>(shape[1]);
    const acc_t<T> all = defined_sum<math::summand::value>(x.data(), k * m, 1, acc_t<T>(0));
    for (int threads : thread_counts) {
      rd::set_num_threads(threads);
      INFO("shape [" << k << ", " << m << "], threads " << threads);
      CHECK(bits_of(rd::sum(x).item()) == bits_of(canonical<T>(all)));
      const rd::tensor<T> columns = rd::sum(x, 0);
      const rd::tensor<T> transposed = rd::sum(x.transpose(0, 1), -1);
      for (std::size_t c = 0; c < m; ++c) {
        const acc_t<T> s = defined_sum<math::summand::value>(
            x.data() + c, k, static_cast<std::ptrdiff_t>(m), acc_t<T>(0));
        REQUIRE(bits_of(columns.data()[c]) == bits_of(canonical<T>(s)));
        REQUIRE(bits_of(transposed.data()[c]) == bits_of(canonical<T>(s)));
      }
    }
  }
}

template <class T>
void check_norms() {
  const thread_setting restore;
  for (std::size_t n : lengths) {
    if (n > 20000) continue;
    const std::int64_t rows = 5;
    const auto ni = static_cast<std::int64_t>(n);
    rd::tensor<T> x = random_tensor<T>({rows, ni}, n + 11);
    const rd::tensor<T> w = random_tensor<T>({ni}, n + 12), b = random_tensor<T>({ni}, n + 13);
    // Row 1 meets a NaN, row 2 an infinity, row 3 holds a large common offset (cancellation).
    x.data()[ni + ni / 2] = std::numeric_limits<T>::quiet_NaN();
    x.data()[2 * ni] = std::numeric_limits<T>::infinity();
    for (std::size_t i = 0; i < n; ++i)
      x.data()[3 * ni + static_cast<std::int64_t>(i)] = static_cast<T>(
          static_cast<float>(x.data()[3 * ni + static_cast<std::int64_t>(i)]) + 1000.0f);
    std::vector<T> expected(static_cast<std::size_t>(rows) * n);
    for (int variant = 0; variant < 4; ++variant) {
      const bool centred = variant >= 2, with_affine = variant % 2 == 1;
      const double eps = centred ? 1e-5 : 1e-6;
      for (std::int64_t r = 0; r < rows; ++r)
        defined_norm(x.data() + r * ni, n, centred, eps, with_affine ? w.data() : nullptr,
                     with_affine && centred ? b.data() : nullptr,
                     expected.data() + static_cast<std::size_t>(r) * n);
      for (int threads : thread_counts) {
        rd::set_num_threads(threads);
        const rd::tensor<T> none;
        const rd::tensor<T> y =
            centred ? rd::layer_norm(x, with_affine ? w : none, with_affine ? b : none, eps)
                    : rd::rms_norm(x, with_affine ? w : none, eps);
        INFO((centred ? "layer_norm" : "rms_norm")
             << (with_affine ? " with weight" : "") << ", n " << n << ", threads " << threads);
        std::size_t mismatches = 0, first = 0;
        for (std::size_t i = 0; i < expected.size(); ++i)
          if (!same_bits(y.data()[i], expected[i]) && mismatches++ == 0) first = i;
        INFO("first mismatch at " << first << ": " << bits_of(y.data()[first]) << " against "
                                  << bits_of(expected[first]));
        CHECK(mismatches == 0);
      }
    }
  }
}

template <class T>
void check_norm_of_strided_input() {
  // A transposed input takes the contiguous copy's path: the same bits as that copy.
  const rd::tensor<T> x = random_tensor<T>({300, 40}, 5);
  const rd::tensor<T> xt = x.transpose(0, 1);
  const rd::tensor<T> none;
  const rd::tensor<T> a = rd::layer_norm(xt, none, none),
                      b = rd::layer_norm(xt.contiguous(), none, none);
  for (std::int64_t i = 0; i < a.numel(); ++i) REQUIRE(same_bits(a.data()[i], b.data()[i]));
}

}  // namespace

TEMPLATE_TEST_CASE(
    "reductions: sum, mean and var along rows are the definition's bits on every "
    "length and thread count",
    "[reduce]", float, double, rd::half, rd::bfloat16) {
  check_sums_along_rows<TestType>();
}

TEMPLATE_TEST_CASE(
    "reductions: sums of everything and over strided dimensions are the "
    "definition's bits",
    "[reduce]", float, double, rd::half, rd::bfloat16) {
  check_sums_of_everything_and_strided<TestType>();
}

TEMPLATE_TEST_CASE(
    "reductions: rms_norm and layer_norm are the definition's bits, NaN and "
    "infinity included, on every length and thread count",
    "[reduce]", float, double, rd::half, rd::bfloat16) {
  check_norms<TestType>();
  check_norm_of_strided_input<TestType>();
}
