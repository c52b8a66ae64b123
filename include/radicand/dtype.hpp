// radicand: the 16-bit floating types, element-type traits, conversions and type promotion.
#ifndef RADICAND_DTYPE_HPP
#define RADICAND_DTYPE_HPP

#include <cstdint>
#include <cstring>
#include <limits>
#include <ostream>
#include <type_traits>

#include "config.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

RADICAND_HOST_DEVICE inline std::uint32_t float_bits(float x) noexcept {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(x);
#else
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
#endif
}
RADICAND_HOST_DEVICE inline float bits_float(std::uint32_t u) noexcept {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(u);
#else
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
#endif
}
RADICAND_HOST_DEVICE inline std::uint64_t double_bits(double x) noexcept {
#if defined(__CUDA_ARCH__)
  return static_cast<std::uint64_t>(__double_as_longlong(x));
#else
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
#endif
}
RADICAND_HOST_DEVICE inline double bits_double(std::uint64_t u) noexcept {
#if defined(__CUDA_ARCH__)
  return __longlong_as_double(static_cast<long long>(u));
#else
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
#endif
}

/// IEEE binary32 -> binary16, round to nearest even; NaN stays NaN (quiet, sign and top payload
/// kept).
RADICAND_HOST_DEVICE inline std::uint16_t float_to_half_bits(float x) noexcept {
#if defined(__CUDA_ARCH__)
  if (x == x) {  // the hardware rounds the same way; its NaN is another (0x7fff)
    std::uint16_t h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(x));
    return h;
  }
#endif
  std::uint32_t f = float_bits(x);
  const auto sign = static_cast<std::uint16_t>((f >> 16) & 0x8000u);
  f &= 0x7fffffffu;
  if (f >= 0x7f800000u) {  // inf or NaN
    const std::uint32_t nan = f > 0x7f800000u ? (0x200u | ((f >> 13) & 0x3ffu)) : 0u;
    return static_cast<std::uint16_t>(sign | 0x7c00u | nan);
  }
  if (f >= 0x477ff000u)
    return static_cast<std::uint16_t>(sign | 0x7c00u);  // >= 65520 rounds to inf
  if (f < 0x38800000u) {                                // below 2^-14: a half subnormal or zero
    const std::uint32_t e = f >> 23;
    if (e < 102) return sign;  // below 2^-25: rounds to zero
    const std::uint32_t m = (f & 0x7fffffu) | 0x800000u;
    const std::uint32_t shift = 126u - e;  // 14..24
    std::uint32_t r = m >> shift;
    const std::uint32_t rem = m & ((1u << shift) - 1u);
    const std::uint32_t halfway = 1u << (shift - 1u);
    if (rem > halfway || (rem == halfway && (r & 1u))) ++r;
    return static_cast<std::uint16_t>(sign | r);
  }
  const std::uint32_t r = f - (112u << 23);  // rebias the exponent from 127 to 15
  std::uint32_t h = r >> 13;
  const std::uint32_t rem = r & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

/// IEEE binary16 -> binary32, exact.
RADICAND_HOST_DEVICE inline float half_bits_to_float(std::uint16_t h) noexcept {
#if defined(__CUDA_ARCH__)
  if ((h & 0x7fffu) <= 0x7c00u) {  // not a NaN, whose payload is kept below
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
  }
#endif
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t e = (h >> 10) & 0x1fu;
  std::uint32_t m = h & 0x3ffu;
  if (e == 0x1f) return bits_float(sign | 0x7f800000u | (m << 13));
  if (e == 0) {
    if (m == 0) return bits_float(sign);
    std::uint32_t exp = 113;  // 2^-14 has biased float exponent 113
    while ((m & 0x400u) == 0) {
      m <<= 1;
      --exp;
    }
    return bits_float(sign | (exp << 23) | ((m & 0x3ffu) << 13));
  }
  return bits_float(sign | ((e + 112u) << 23) | (m << 13));
}

/// binary32 -> bfloat16, round to nearest even; NaN stays a quiet NaN.
RADICAND_HOST_DEVICE inline std::uint16_t float_to_bfloat16_bits(float x) noexcept {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  if (x == x) {  // as float_to_half_bits
    std::uint16_t b;
    asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(b) : "f"(x));
    return b;
  }
#endif
  const std::uint32_t f = float_bits(x);
  if ((f & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((f >> 16) | 0x0040u);
  const std::uint32_t rounded = f + 0x7fffu + ((f >> 16) & 1u);
  return static_cast<std::uint16_t>(rounded >> 16);
}

RADICAND_HOST_DEVICE inline float bfloat16_bits_to_float(std::uint16_t b) noexcept {
  return bits_float(static_cast<std::uint32_t>(b) << 16);
}

/// double -> float rounded to odd: rounding that once more to 16 bits gives the correctly
/// rounded 16-bit value (round-to-odd with 2+ spare bits avoids double-rounding errors).
RADICAND_HOST_DEVICE inline float double_to_float_round_odd(double d) noexcept {
  float f = static_cast<float>(d);
  if (static_cast<double>(f) != d && d == d && (float_bits(f) & 1u) == 0u) {
    std::uint32_t u = float_bits(f);
    // Step one unit toward d; the magnitude grows when |d| > |f|.
    const bool away = (d > 0) ? (static_cast<double>(f) < d) : (static_cast<double>(f) > d);
    u = away ? u + 1u : u - 1u;
    f = bits_float(u);
  }
  return f;
}

/// An integer as a double rounded to odd (exact below 2^53). Rounding that once more, to
/// float (rounded to odd) and then to 16 bits, rounds the integer only once: int64 values past
/// 2^53 would otherwise round twice (e.g. 2^62 + 3*2^54 - 1 to bfloat16).
template <class I>
RADICAND_HOST_DEVICE inline double integral_to_double_round_odd(I v) noexcept {
  static_assert(std::is_integral<I>::value, "integral_to_double_round_odd: I must be integral");
  if constexpr (sizeof(I) < 8) {
    return static_cast<double>(v);
  } else {
    bool neg = false;
    std::uint64_t m = static_cast<std::uint64_t>(v);
    if constexpr (std::is_signed<I>::value) {
      neg = v < 0;
      if (neg) m = 0u - m;  // |v|, also for the most negative value
    }
    if (m < (std::uint64_t{1} << 53)) return static_cast<double>(v);
    int shift = 0;
    for (std::uint64_t t = m >> 53; t != 0; t >>= 1) ++shift;  // m >> shift < 2^53; shift <= 11
    const std::uint64_t sticky = (m & ((std::uint64_t{1} << shift) - 1u)) != 0 ? 1u : 0u;
    const double d =
        static_cast<double>((m >> shift) | sticky) * static_cast<double>(std::uint64_t{1} << shift);
    return neg ? -d : d;
  }
}

struct from_bits_t {};

}  // namespace detail

/// IEEE 754 binary16, bit-compatible with CUDA's __half. Converts to and from float with
/// round to nearest even; arithmetic happens in float.
struct half {
  std::uint16_t bits;

  half() = default;
  RADICAND_HOST_DEVICE half(float v) noexcept : bits(detail::float_to_half_bits(v)) {}  // NOLINT
  RADICAND_HOST_DEVICE explicit half(double v) noexcept
      : bits(detail::float_to_half_bits(detail::double_to_float_round_odd(v))) {}
  template <class I, std::enable_if_t<std::is_integral<I>::value, int> = 0>
  RADICAND_HOST_DEVICE explicit half(I v) noexcept
      : half(detail::integral_to_double_round_odd(v)) {}
  RADICAND_HOST_DEVICE constexpr half(std::uint16_t raw, detail::from_bits_t) noexcept
      : bits(raw) {}

  RADICAND_HOST_DEVICE operator float() const noexcept {  // NOLINT
    return detail::half_bits_to_float(bits);
  }
  /// The value with the given bit pattern.
  RADICAND_HOST_DEVICE static constexpr half from_bits(std::uint16_t raw) noexcept {
    return half(raw, detail::from_bits_t{});
  }
};

/// bfloat16 (8-bit significand, float's exponent range), bit-compatible with CUDA's __nv_bfloat16.
struct bfloat16 {
  std::uint16_t bits;

  bfloat16() = default;
  RADICAND_HOST_DEVICE bfloat16(float v) noexcept
      : bits(detail::float_to_bfloat16_bits(v)) {}  // NOLINT
  RADICAND_HOST_DEVICE explicit bfloat16(double v) noexcept
      : bits(detail::float_to_bfloat16_bits(detail::double_to_float_round_odd(v))) {}
  template <class I, std::enable_if_t<std::is_integral<I>::value, int> = 0>
  RADICAND_HOST_DEVICE explicit bfloat16(I v) noexcept
      : bfloat16(detail::integral_to_double_round_odd(v)) {}
  RADICAND_HOST_DEVICE constexpr bfloat16(std::uint16_t raw, detail::from_bits_t) noexcept
      : bits(raw) {}

  RADICAND_HOST_DEVICE operator float() const noexcept {  // NOLINT
    return detail::bfloat16_bits_to_float(bits);
  }
  RADICAND_HOST_DEVICE static constexpr bfloat16 from_bits(std::uint16_t raw) noexcept {
    return bfloat16(raw, detail::from_bits_t{});
  }
};

static_assert(sizeof(half) == 2 && std::is_trivially_copyable<half>::value, "half is 16 bits");
static_assert(sizeof(bfloat16) == 2 && std::is_trivially_copyable<bfloat16>::value,
              "bfloat16 is 16 bits");

inline std::ostream& operator<<(std::ostream& os, half h) { return os << static_cast<float>(h); }
inline std::ostream& operator<<(std::ostream& os, bfloat16 b) {
  return os << static_cast<float>(b);
}

// ---------------------------------------------------------------------------------------------
// Element-type traits and promotion (PyTorch's rules: bool < integral < floating).
// ---------------------------------------------------------------------------------------------

template <class T>
struct is_element_type
    : std::integral_constant<
          bool, std::is_same<T, float>::value || std::is_same<T, double>::value ||
                    std::is_same<T, half>::value || std::is_same<T, bfloat16>::value ||
                    std::is_same<T, bool>::value || std::is_same<T, std::int8_t>::value ||
                    std::is_same<T, std::uint8_t>::value || std::is_same<T, std::int16_t>::value ||
                    std::is_same<T, std::int32_t>::value || std::is_same<T, std::int64_t>::value> {
};

template <class T>
struct is_floating_element
    : std::integral_constant<bool,
                             std::is_same<T, float>::value || std::is_same<T, double>::value ||
                                 std::is_same<T, half>::value || std::is_same<T, bfloat16>::value> {
};

namespace detail {

template <class T>
constexpr bool is_floating_v = is_floating_element<T>::value;

// 0 bool, 1 integral, 2 floating.
template <class T>
constexpr int category_v = std::is_same<T, bool>::value ? 0 : (is_floating_v<T> ? 2 : 1);

/// Result element type of rsqrt/sqrt: floating T stays; integral and bool go to float.
template <class T>
using unary_float_t = std::conditional_t<is_floating_v<T>, T, float>;

/// The result type of sum: int64 for integral and bool elements (as PyTorch), else the element
/// type.
template <class T>
using sum_result_t = std::conditional_t<is_floating_v<T>, T, std::int64_t>;

template <class A, class B>
struct promote_floating {
  // Two floating types: the wider; half with bfloat16 meets in float.
  using type = std::conditional_t<
      std::is_same<A, B>::value, A,
      std::conditional_t<std::is_same<A, double>::value || std::is_same<B, double>::value, double,
                         float>>;
};

template <class A, class B>
struct promote_integral {
  // Two integral types: the larger; a signed and uint8 of equal size meet in the next size.
  static constexpr bool a_unsigned = std::is_same<A, std::uint8_t>::value;
  static constexpr bool b_unsigned = std::is_same<B, std::uint8_t>::value;
  using wider = std::conditional_t<(sizeof(A) >= sizeof(B)), A, B>;
  using type = std::conditional_t<
      std::is_same<A, B>::value, A,
      std::conditional_t<
          (a_unsigned || b_unsigned) && sizeof(A) == 1 && sizeof(B) == 1, std::int16_t,
          std::conditional_t<a_unsigned, B, std::conditional_t<b_unsigned, A, wider>>>>;
};

template <class A, class B, int CA = category_v<A>, int CB = category_v<B>>
struct promote {
  using type = std::conditional_t<(CA > CB), A, B>;
};
template <class A, class B>
struct promote<A, B, 2, 2> : promote_floating<A, B> {};
template <class A, class B>
struct promote<A, B, 1, 1> : promote_integral<A, B> {};

/// A scalar of a higher category than the tensor promotes to that category's default
/// type (int64 or float); otherwise the tensor's type wins, as in PyTorch.
template <class T, class S>
struct promote_scalar {
  using type = std::conditional_t<
      (category_v<S> > category_v<T>),
      std::conditional_t<category_v<S> == 2, float,
                         std::conditional_t<category_v<S> == 1, std::int64_t, bool>>,
      T>;
};

/// A 0-d tensor of type Z beside a dimensioned tensor of type T takes part only through its
/// category (PyTorch's result_type): T, unless Z's category is higher; then Z.
template <class T, class Z>
struct promote_zero_dim {
  using type = std::conditional_t<(category_v<Z> > category_v<T>), Z, T>;
};

}  // namespace detail

/// Tensor-tensor result type.
template <class A, class B>
using promote_t = typename detail::promote<A, B>::type;

/// Result type of a dimensioned tensor of type T with a 0-d tensor of type Z.
template <class T, class Z>
using promote_zero_dim_t = typename detail::promote_zero_dim<T, Z>::type;

/// Tensor-scalar result type.
template <class T, class S>
using promote_scalar_t = typename detail::promote_scalar<T, S>::type;

/// The name PyTorch prints for the element type ("float32", "int64", "bfloat16", ...).
template <class T>
constexpr const char* dtype_name() noexcept {
  return std::is_same<T, float>::value          ? "float32"
         : std::is_same<T, double>::value       ? "float64"
         : std::is_same<T, half>::value         ? "float16"
         : std::is_same<T, bfloat16>::value     ? "bfloat16"
         : std::is_same<T, bool>::value         ? "bool"
         : std::is_same<T, std::int8_t>::value  ? "int8"
         : std::is_same<T, std::uint8_t>::value ? "uint8"
         : std::is_same<T, std::int16_t>::value ? "int16"
         : std::is_same<T, std::int32_t>::value ? "int32"
         : std::is_same<T, std::int64_t>::value ? "int64"
                                                : "unknown";
}

namespace detail {

/// An integral type's limits as constants (usable in device code, unlike numeric_limits'
/// functions).
template <class I>
struct integral_range {
  static constexpr I min = std::numeric_limits<I>::min();
  static constexpr I max = std::numeric_limits<I>::max();
  static constexpr double lo = static_cast<double>(min);
  static constexpr double hi_excl = static_cast<double>(max) + 1.0;
};

/// Element conversion used by to<U>(), out= and mixed arithmetic. Floating to 16-bit rounds
/// once to nearest even; floating to integral truncates, with NaN -> 0 and saturation, so no
/// input is undefined behaviour.
template <class To, class From>
RADICAND_HOST_DEVICE inline To convert(From v) noexcept {
  if constexpr (std::is_same<To, From>::value) {
    return v;
  } else if constexpr (std::is_same<To, bool>::value) {
    // Compared in the source type (a 16-bit one is exact in float): 1e-50 is true, and so is
    // NaN, as in PyTorch.
    if constexpr (std::is_same<From, half>::value || std::is_same<From, bfloat16>::value) {
      return static_cast<float>(v) != 0.0f;
    } else {
      return v != From(0);
    }
  } else if constexpr (std::is_same<To, half>::value || std::is_same<To, bfloat16>::value) {
    if constexpr (std::is_same<From, float>::value || std::is_same<From, half>::value ||
                  std::is_same<From, bfloat16>::value) {
      return To(static_cast<float>(v));
    } else if constexpr (std::is_same<From, bool>::value) {
      return To(v ? 1.0f : 0.0f);
    } else {
      return To(v);  // double or integral: the explicit constructors round once
    }
  } else if constexpr (is_floating_v<To>) {  // float or double
    if constexpr (std::is_same<From, half>::value || std::is_same<From, bfloat16>::value) {
      return static_cast<To>(static_cast<float>(v));
    } else {
      return static_cast<To>(v);
    }
  } else {  // integral destination
    if constexpr (is_floating_v<From>) {
      const double d = static_cast<double>(
          static_cast<std::conditional_t<std::is_same<From, double>::value, double, float>>(v));
      if (!(d == d)) return To(0);
      // 2^63 and friends are exact in double; compare before converting.
      if (d <= integral_range<To>::lo) return integral_range<To>::min;
      if (d >= integral_range<To>::hi_excl) return integral_range<To>::max;
      return static_cast<To>(d);
    } else if constexpr (std::is_same<From, bool>::value) {
      return static_cast<To>(v ? 1 : 0);
    } else {
      // Integral narrowing wraps modulo 2^n, as PyTorch does.
      return static_cast<To>(static_cast<std::make_unsigned_t<To>>(
          static_cast<std::make_unsigned_t<std::common_type_t<From, long long>>>(v)));
    }
  }
}

}  // namespace detail
RADICAND_NAMESPACE_END

namespace std {
// Every member numeric_limits<float> has. The arithmetic, traps and tininess detection are
// float's (the 16-bit types compute in float and round once); binary16 is an IEC 559
// interchange format, bfloat16 is not one (as c10 says).
template <>
class numeric_limits<radicand::half> {
 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr bool has_signaling_NaN = true;
  static constexpr float_denorm_style has_denorm = denorm_present;
  static constexpr bool has_denorm_loss = numeric_limits<float>::has_denorm_loss;
  static constexpr float_round_style round_style = round_to_nearest;
  static constexpr bool is_iec559 = true;
  static constexpr bool is_bounded = true;
  static constexpr bool is_modulo = false;
  static constexpr int digits = 11;
  static constexpr int digits10 = 3;
  static constexpr int max_digits10 = 5;
  static constexpr int radix = 2;
  static constexpr int min_exponent = -13;
  static constexpr int min_exponent10 = -4;
  static constexpr int max_exponent = 16;
  static constexpr int max_exponent10 = 4;
  static constexpr bool traps = numeric_limits<float>::traps;
  static constexpr bool tinyness_before = numeric_limits<float>::tinyness_before;
  static constexpr radicand::half min() noexcept { return radicand::half::from_bits(0x0400); }
  static constexpr radicand::half lowest() noexcept { return radicand::half::from_bits(0xfbff); }
  static constexpr radicand::half max() noexcept { return radicand::half::from_bits(0x7bff); }
  static constexpr radicand::half epsilon() noexcept { return radicand::half::from_bits(0x1400); }
  static constexpr radicand::half round_error() noexcept {
    return radicand::half::from_bits(0x3800);
  }
  static constexpr radicand::half infinity() noexcept { return radicand::half::from_bits(0x7c00); }
  static constexpr radicand::half quiet_NaN() noexcept { return radicand::half::from_bits(0x7e00); }
  static constexpr radicand::half signaling_NaN() noexcept {
    return radicand::half::from_bits(0x7d00);
  }
  static constexpr radicand::half denorm_min() noexcept {
    return radicand::half::from_bits(0x0001);
  }
};
template <>
class numeric_limits<radicand::bfloat16> {
 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr bool has_signaling_NaN = true;
  static constexpr float_denorm_style has_denorm = denorm_present;
  static constexpr bool has_denorm_loss = numeric_limits<float>::has_denorm_loss;
  static constexpr float_round_style round_style = round_to_nearest;
  static constexpr bool is_iec559 = false;
  static constexpr bool is_bounded = true;
  static constexpr bool is_modulo = false;
  static constexpr int digits = 8;
  static constexpr int digits10 = 2;
  static constexpr int max_digits10 = 4;
  static constexpr int radix = 2;
  static constexpr int min_exponent = -125;
  static constexpr int min_exponent10 = -37;
  static constexpr int max_exponent = 128;
  static constexpr int max_exponent10 = 38;
  static constexpr bool traps = numeric_limits<float>::traps;
  static constexpr bool tinyness_before = numeric_limits<float>::tinyness_before;
  static constexpr radicand::bfloat16 min() noexcept {
    return radicand::bfloat16::from_bits(0x0080);
  }
  static constexpr radicand::bfloat16 lowest() noexcept {
    return radicand::bfloat16::from_bits(0xff7f);
  }
  static constexpr radicand::bfloat16 max() noexcept {
    return radicand::bfloat16::from_bits(0x7f7f);
  }
  static constexpr radicand::bfloat16 epsilon() noexcept {
    return radicand::bfloat16::from_bits(0x3c00);
  }
  static constexpr radicand::bfloat16 round_error() noexcept {
    return radicand::bfloat16::from_bits(0x3f00);
  }
  static constexpr radicand::bfloat16 infinity() noexcept {
    return radicand::bfloat16::from_bits(0x7f80);
  }
  static constexpr radicand::bfloat16 quiet_NaN() noexcept {
    return radicand::bfloat16::from_bits(0x7fc0);
  }
  static constexpr radicand::bfloat16 signaling_NaN() noexcept {
    return radicand::bfloat16::from_bits(0x7fa0);
  }
  static constexpr radicand::bfloat16 denorm_min() noexcept {
    return radicand::bfloat16::from_bits(0x0001);
  }
};
}  // namespace std

#endif  // RADICAND_DTYPE_HPP
