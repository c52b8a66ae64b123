// radicand tests: rms_norm and layer_norm against libtorch (Debian's libtorch-dev) on the CPU:
// at::layer_norm, and for RMSNorm the expression x * rsqrt(mean(x * x, -1, keepdim) + eps) * w
// (libtorch 1.13 has no rms_norm), for float and double on random rows.
//
// Tolerance. Both compute the same formula in the same type with the same number of roundings
// per step, in other orders: libtorch's layer_norm kernel takes Welford moments and writes
// y = (x * rstd + (-mean * rstd)) * w + b with fused multiply-adds; its rsqrt is 1 / sqrt (up to
// 1.5 ulp). Each result is within about (k/2 + 6) u of the scale of its terms (test_norm.cpp
// derives radicand's bound; libtorch's has the same form), k = 20 + log2(n / 256) the roundings
// of a fixed-order sum, u the unit roundoff. So the two differ by at most
//   |y_rd - y_torch| <= (k + 12) u (|w| rstd (|x| + |mean|) + |b| + |y|)
// where the scale counts |x| and |mean| apart because libtorch subtracts mean * rstd from
// x * rstd instead of subtracting first. A NaN in one must be a NaN in the other.
#include <ATen/ATen.h>

#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace rd = radicand;

namespace {

template <class T>
at::ScalarType dtype_of() {
  return std::is_same<T, double>::value ? at::kDouble : at::kFloat;
}

template <class T>
at::Tensor to_torch(const rd::tensor<T>& x) {
  const rd::tensor<T> c = x.contiguous();
  std::vector<std::int64_t> sizes(c.shape().begin(), c.shape().end());
  return at::from_blob(c.data(), sizes, at::TensorOptions().dtype(dtype_of<T>())).clone();
}

template <class T>
std::vector<T> values_of(const at::Tensor& t) {
  const at::Tensor c = t.contiguous();
  const T* p = c.data_ptr<T>();
  return std::vector<T>(p, p + c.numel());
}

template <class T>
std::vector<T> values_of(const rd::tensor<T>& t) {
  const rd::tensor<T> c = t.contiguous();
  return std::vector<T>(c.data(), c.data() + c.numel());
}

struct agreement {
  double worst = 0;       // the largest |difference| / tolerance
  double worst_ulps = 0;  // the largest |difference| in ulps of the scale
  std::int64_t failed = 0;
};

/// Compares radicand's result y with libtorch's t for rows of n elements of x, within the
/// tolerance above; mean is 0 for RMSNorm.
template <class T>
void compare(const std::vector<T>& x, const std::vector<T>& w, const std::vector<T>& b,
             std::size_t n, bool centred, double eps, const std::vector<T>& y,
             const std::vector<T>& t, agreement& a) {
  REQUIRE(y.size() == t.size());
  const double u = std::ldexp(1.0, -std::numeric_limits<T>::digits);
  std::size_t blocks = (n + 255) / 256, depth = 0;
  while ((std::size_t{1} << depth) < blocks) ++depth;
  const double k = 20.0 + static_cast<double>(depth);
  for (std::size_t row = 0; row < x.size() / n; ++row) {
    long double sum = 0, squares = 0;
    for (std::size_t i = 0; i < n; ++i) sum += x[row * n + i];
    const long double mean = centred ? sum / static_cast<long double>(n) : 0.0L;
    for (std::size_t i = 0; i < n; ++i)
      squares += (x[row * n + i] - mean) * (x[row * n + i] - mean);
    const double rstd =
        static_cast<double>(1.0L / std::sqrt(squares / static_cast<long double>(n) + eps));
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t j = row * n + i;
      const double wi = w.empty() ? 1.0 : static_cast<double>(w[i]);
      const double bi = b.empty() ? 0.0 : static_cast<double>(b[i]);
      const double scale =
          std::fabs(wi) * rstd *
              (std::fabs(static_cast<double>(x[j])) + std::fabs(static_cast<double>(mean))) +
          std::fabs(bi) + std::fabs(static_cast<double>(y[j]));
      const double tolerance = (k + 12) * u * scale;
      if (std::isnan(y[j]) || std::isnan(t[j])) {
        if (std::isnan(y[j]) != std::isnan(t[j]) && ++a.failed <= 5)
          FAIL_CHECK("row " << row << " element " << i << ": radicand " << y[j] << ", libtorch "
                            << t[j]);
        continue;
      }
      const double difference = std::fabs(static_cast<double>(y[j]) - static_cast<double>(t[j]));
      if (difference > 0) {
        a.worst = std::max(a.worst, difference / tolerance);
        a.worst_ulps = std::max(a.worst_ulps, difference / (2 * u * scale));
      }
      if (!(difference <= tolerance) && ++a.failed <= 5)
        FAIL_CHECK("n = " << n << ", row " << row << " element " << i << ": radicand " << y[j]
                          << ", libtorch " << t[j] << ", tolerance " << tolerance);
    }
  }
}

template <class T>
std::vector<T> random_values(std::size_t n, std::uint64_t seed, double scale, double offset) {
  const rd::tensor<double> r = rd::randn<double>({static_cast<std::int64_t>(n)}, seed);
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>(offset + scale * r.data()[i]);
  return v;
}

}  // namespace

TEMPLATE_TEST_CASE("norm: layer_norm and rms_norm agree with libtorch's", "[torch]", float,
                   double) {
  using T = TestType;
  at::NoGradGuard no_grad;
  agreement ln, rms;
  for (std::size_t n : {1u, 2u, 7u, 64u, 257u, 1000u, 4096u}) {
    INFO("n = " << n);
    const std::size_t rows = 6;
    std::vector<T> x;
    for (std::size_t row = 0; row < rows; ++row) {
      const double scale = std::ldexp(1.0, static_cast<int>(row) * 2 - 5);
      const std::vector<T> part = random_values<T>(n, 31 * n + row, scale, 2 * scale);
      x.insert(x.end(), part.begin(), part.end());
    }
    // A NaN in row 1; an infinity in row 3 (layer_norm: all NaN; rms_norm: zeros and one NaN).
    x[n + n / 2] = std::numeric_limits<T>::quiet_NaN();
    x[3 * n + n / 3] = std::numeric_limits<T>::infinity();
    const std::vector<T> w = random_values<T>(n, n + 1, 1.0, 0.0);
    const std::vector<T> b = random_values<T>(n, n + 2, 1.0, 0.0);
    const std::vector<T> none;
    const auto shape =
        std::vector<std::int64_t>{static_cast<std::int64_t>(rows), static_cast<std::int64_t>(n)};
    const rd::tensor<T> xr = rd::from_vector(x, shape);
    const rd::tensor<T> wr = rd::from_vector(w), br = rd::from_vector(b), nr;
    const at::Tensor xt = to_torch(xr), wt = to_torch(wr), bt = to_torch(br);
    const std::vector<std::int64_t> normalized = {static_cast<std::int64_t>(n)};
    for (double eps : {1e-5, 1e-2}) {
      INFO("eps = " << eps);
      compare(x, w, b, n, true, eps, values_of(rd::layer_norm(xr, wr, br, eps)),
              values_of<T>(at::layer_norm(xt, normalized, wt, bt, eps)), ln);
      compare(x, none, none, n, true, eps, values_of(rd::layer_norm(xr, nr, nr, eps)),
              values_of<T>(at::layer_norm(xt, normalized, {}, {}, eps)), ln);
      const at::Tensor r = at::rsqrt((xt * xt).mean({-1}, true) + eps);
      compare(x, w, none, n, false, eps, values_of(rd::rms_norm(xr, wr, eps)),
              values_of<T>(xt * r * wt), rms);
      compare(x, none, none, n, false, eps, values_of(rd::rms_norm(xr, nr, eps)),
              values_of<T>(xt * r), rms);
    }
  }
  INFO("layer_norm: worst difference / tolerance " << ln.worst << " (" << ln.worst_ulps
                                                   << " ulps of the scale); rms_norm: " << rms.worst
                                                   << " (" << rms.worst_ulps << " ulps)");
  CHECK(ln.failed == 0);
  CHECK(rms.failed == 0);
  // The two are not bit-identical (other orders, FMA), and the comparison sees that.
  CHECK(ln.worst > 0);
  CHECK(rms.worst > 0);
}
