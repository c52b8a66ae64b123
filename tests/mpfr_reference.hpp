// radicand tests: an independent, correctly rounded reference for rsqrt and sqrt built on GNU MPFR.
//
// Nothing here uses radicand's own conversions or math: the 16-bit types are only built from and
// read as raw bit patterns (`T::from_bits`, `.bits`), and every format is decoded and encoded from
// its IEEE layout below. Special values follow API.md, not MPFR (mpfr_rec_sqrt(-0) is +Inf there):
//   rsqrt(+0) = +inf, rsqrt(-0) = -inf, rsqrt(x < 0) = NaN, rsqrt(+inf) = +0, rsqrt(NaN) = NaN,
//   sqrt(+0) = +0, sqrt(-0) = -0, sqrt(x < 0) = NaN, sqrt(+inf) = +inf, sqrt(NaN) = NaN.
//
// Why rounding to the format's precision in MPFR is the IEEE result: MPFR's exponent range is far
// wider than any of these formats, so an MPFR value rounded to p bits equals the IEEE
// round-to-nearest-even result exactly when that result is a normal number of the format. It
// always is for a finite nonzero input, since both functions are monotonic and the extremes are:
//   format    inputs (denorm_min .. max)   rsqrt results           sqrt results           normal
//   range binary32  2^-149 .. < 2^128            (2^-64, 2^74.5]         [2^-74.5, 2^64) [2^-126,
//   2^128) binary64  2^-1074 .. < 2^1024          (2^-512, 2^537]         [2^-537, 2^512) [2^-1022,
//   2^1024) binary16  2^-24 .. 65504 < 2^16        (2^-8, 2^12]            [2^-12, 2^8) [2^-14,
//   65504] bfloat16  2^-133 .. < 2^128            (2^-64, 2^66.5]         [2^-66.5, 2^64) [2^-126,
//   2^128)
// (the results round to at most 2^12 = 4096 < 65504 in binary16, so nothing rounds to overflow).
// `reference()` re-checks this on every call and throws std::logic_error if it ever failed, and
// test_accuracy.cpp checks the extremes explicitly.
#ifndef RADICAND_TESTS_MPFR_REFERENCE_HPP
#define RADICAND_TESTS_MPFR_REFERENCE_HPP

#include <mpfr.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <radicand/radicand.hpp>

namespace radicand_test {

enum class op { rsqrt, sqrt };

inline const char* op_name(op o) noexcept { return o == op::rsqrt ? "rsqrt" : "sqrt"; }

/// Raw bit access and the IEEE parameters of each element type.
template <class T>
struct format_base;

template <>
struct format_base<float> {
  static constexpr int precision = 24;  // significand bits, the hidden one included
  static constexpr int exponent_bits = 8;
  static constexpr const char* name = "float";
  static std::uint64_t to_bits(float x) noexcept {
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
  }
  static float from_bits(std::uint64_t b) noexcept {
    const auto b32 = static_cast<std::uint32_t>(b);
    float x;
    std::memcpy(&x, &b32, sizeof x);
    return x;
  }
};

template <>
struct format_base<double> {
  static constexpr int precision = 53;
  static constexpr int exponent_bits = 11;
  static constexpr const char* name = "double";
  static std::uint64_t to_bits(double x) noexcept {
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
  }
  static double from_bits(std::uint64_t b) noexcept {
    double x;
    std::memcpy(&x, &b, sizeof x);
    return x;
  }
};

template <>
struct format_base<radicand::half> {
  static constexpr int precision = 11;
  static constexpr int exponent_bits = 5;
  static constexpr const char* name = "half";
  static std::uint64_t to_bits(radicand::half x) noexcept { return x.bits; }
  static radicand::half from_bits(std::uint64_t b) noexcept {
    return radicand::half::from_bits(static_cast<std::uint16_t>(b));
  }
};

template <>
struct format_base<radicand::bfloat16> {
  static constexpr int precision = 8;
  static constexpr int exponent_bits = 8;
  static constexpr const char* name = "bfloat16";
  static std::uint64_t to_bits(radicand::bfloat16 x) noexcept { return x.bits; }
  static radicand::bfloat16 from_bits(std::uint64_t b) noexcept {
    return radicand::bfloat16::from_bits(static_cast<std::uint16_t>(b));
  }
};

/// IEEE layout of T: 1 sign bit, exponent_bits, precision - 1 fraction bits. Bit patterns are
/// carried in std::uint64_t whatever the width of T.
template <class T>
struct format : format_base<T> {
  using base = format_base<T>;
  static constexpr int p = base::precision;
  static constexpr int w = base::exponent_bits;
  static constexpr int width = 1 + w + (p - 1);
  static constexpr int bias = (1 << (w - 1)) - 1;
  static constexpr std::uint64_t sign_mask = 1ull << (width - 1);
  static constexpr std::uint64_t exp_mask = ((1ull << w) - 1) << (p - 1);
  static constexpr std::uint64_t frac_mask = (1ull << (p - 1)) - 1;
  static constexpr std::uint64_t inf_bits = exp_mask;
  static constexpr std::uint64_t quiet_nan_bits = exp_mask | (1ull << (p - 2));
  static constexpr std::uint64_t all_bits = (width == 64) ? ~0ull : ((1ull << width) - 1);

  static bool is_nan_bits(std::uint64_t b) noexcept {
    return (b & exp_mask) == exp_mask && (b & frac_mask) != 0;
  }
  static bool is_nan(T x) noexcept { return is_nan_bits(base::to_bits(x)); }

  static double min_normal() noexcept { return std::ldexp(1.0, 1 - bias); }
  static double denorm_min() noexcept { return std::ldexp(1.0, 2 - bias - p); }
  static double epsilon() noexcept { return std::ldexp(1.0, 1 - p); }
  static double max_finite() noexcept { return std::ldexp(2.0 - std::ldexp(1.0, 1 - p), bias); }

  /// The value of a bit pattern as a double (exact: every format here fits in binary64).
  static double decode(std::uint64_t b) noexcept {
    const bool negative = (b & sign_mask) != 0;
    const std::uint64_t e = (b & exp_mask) >> (p - 1);
    const std::uint64_t f = b & frac_mask;
    double magnitude;
    if (e == (exp_mask >> (p - 1))) {
      magnitude = f != 0 ? std::numeric_limits<double>::quiet_NaN()
                         : std::numeric_limits<double>::infinity();
    } else if (e == 0) {
      magnitude = std::ldexp(static_cast<double>(f), 2 - bias - p);
    } else {
      magnitude = std::ldexp(static_cast<double>(f | (1ull << (p - 1))),
                             static_cast<int>(e) - bias - (p - 1));
    }
    return negative ? -magnitude : magnitude;
  }
  static double decode(T x) noexcept { return decode(base::to_bits(x)); }

  /// The bit pattern of r, which must be a normal number of the format with at most p
  /// significant bits (throws std::logic_error otherwise: the reference would be wrong).
  static std::uint64_t encode_normal(double r) {
    int e = 0;
    const double m = std::frexp(std::fabs(r), &e);  // |r| = m * 2^e, m in [0.5, 1)
    const double s = std::ldexp(m, p);              // significand as an integer in [2^(p-1), 2^p)
    const int biased = e - 1 + bias;
    if (!(s >= std::ldexp(1.0, p - 1) && s < std::ldexp(1.0, p)) || biased < 1 ||
        biased > 2 * bias) {
      throw std::logic_error("mpfr_reference: result is not a normal number of the format");
    }
    const auto si = static_cast<std::uint64_t>(s);
    if (static_cast<double>(si) != s) {
      throw std::logic_error("mpfr_reference: result has more bits than the format");
    }
    return (r < 0 ? sign_mask : 0) | (static_cast<std::uint64_t>(biased) << (p - 1)) |
           (si & frac_mask);
  }
};

/// MPFR variables, initialised once per thread and reused by every call.
class mpfr_state {
 public:
  mpfr_state() {
    mpfr_init2(in_, 53);  // holds every value of every format here exactly
    mpfr_init2(out8_, 8);
    mpfr_init2(out11_, 11);
    mpfr_init2(out24_, 24);
    mpfr_init2(out53_, 53);
  }
  ~mpfr_state() {
    mpfr_clear(in_);
    mpfr_clear(out8_);
    mpfr_clear(out11_);
    mpfr_clear(out24_);
    mpfr_clear(out53_);
  }
  mpfr_state(const mpfr_state&) = delete;
  mpfr_state& operator=(const mpfr_state&) = delete;

  /// op(x) rounded to nearest even at `precision` bits (8, 11, 24 or 53), for positive finite x.
  /// The result has at most 53 bits and lies well inside binary64's normal range, so returning
  /// it as a double is exact.
  double round(op o, double x, int precision) {
    mpfr_ptr out = precision == 8    ? out8_
                   : precision == 11 ? out11_
                   : precision == 24 ? out24_
                                     : out53_;
    if (mpfr_get_prec(out) != precision)
      throw std::logic_error("mpfr_reference: unsupported precision");
    mpfr_set_d(in_, x, MPFR_RNDN);  // exact
    if (o == op::rsqrt) {
      mpfr_rec_sqrt(out, in_, MPFR_RNDN);
    } else {
      mpfr_sqrt(out, in_, MPFR_RNDN);
    }
    return mpfr_get_d(out, MPFR_RNDN);  // exact
  }

 private:
  mpfr_t in_, out8_, out11_, out24_, out53_;
};

inline mpfr_state& thread_mpfr_state() {
  thread_local mpfr_state state;
  return state;
}

/// Bit pattern of the correctly rounded op(x) (round to nearest, ties to even), API.md specials.
template <class T>
std::uint64_t reference_bits(op o, T x) {
  using F = format<T>;
  const std::uint64_t b = F::to_bits(x);
  const double v = F::decode(b);
  if (v != v || v < 0) return F::quiet_nan_bits;  // NaN, x < 0 and -inf
  if (v == 0) {
    if (o == op::sqrt) return b;              // sqrt(+-0) = +-0
    return (b & F::sign_mask) | F::inf_bits;  // rsqrt(+-0) = +-inf
  }
  if (v == std::numeric_limits<double>::infinity()) return o == op::rsqrt ? 0 : F::inf_bits;
  const double r = thread_mpfr_state().round(o, v, F::p);
  if (!(r >= F::min_normal() && r <= F::max_finite())) {
    throw std::logic_error("mpfr_reference: a finite nonzero result is not normal in its format");
  }
  return F::encode_normal(r);
}

/// The correctly rounded op(x) as a T.
template <class T>
T reference(op o, T x) {
  return format<T>::from_bits(reference_bits(o, x));
}

}  // namespace radicand_test

#endif  // RADICAND_TESTS_MPFR_REFERENCE_HPP
