// Shared by the fuzz targets: decoding bytes into element types, layouts and values; a scalar
// reference that rounds exactly to each element type, written here without the library's
// kernels or conversions; and the checks, which abort (so libFuzzer reports a crash) on any
// mismatch.
#ifndef RADICAND_FUZZ_COMMON_HPP
#define RADICAND_FUZZ_COMMON_HPP

#include <fuzzer/FuzzedDataProvider.h>

#include <radicand/radicand.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace fuzz {

namespace rd = radicand;
using dims = std::vector<std::int64_t>;
using ld = long double;

[[noreturn]] inline void fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz check failed: %s %s\n", what, detail.c_str());
  std::abort();
}
inline void require(bool ok, const char* what, const std::string& detail = "") {
  if (!ok) fail(what, detail);
}

// ---- element types ----------------------------------------------------------------------

template <class T>
constexpr bool is_half_v = std::is_same<T, rd::half>::value;
template <class T>
constexpr bool is_bf16_v = std::is_same<T, rd::bfloat16>::value;
template <class T>
constexpr bool is_float_v =
    std::is_same<T, float>::value || std::is_same<T, double>::value || is_half_v<T> || is_bf16_v<T>;

/// Binary layout of a floating type: significand digits (with the hidden bit), the smallest
/// normal exponent and the largest exponent, as in IEEE 754 (value = 1.f * 2^e).
struct format {
  int digits, emin, emax, bits;
};
template <class T>
constexpr format format_of() {
  if constexpr (std::is_same<T, float>::value)
    return {24, -126, 127, 32};
  else if constexpr (std::is_same<T, double>::value)
    return {53, -1022, 1023, 64};
  else if constexpr (is_half_v<T>)
    return {11, -14, 15, 16};
  else
    return {8, -126, 127, 16};
}

/// v rounded to nearest, ties to even, in format f (subnormals kept, overflow to infinity).
/// Exact for every v that long double holds exactly.
inline ld round_to(ld v, format f) {
  if (std::isnan(v) || std::isinf(v) || v == 0) return v;
  const ld a = std::fabs(v);
  const int e = std::ilogb(a);
  const int q = (e < f.emin ? f.emin : e) - (f.digits - 1);  // exponent of one ulp
  const ld r = std::nearbyint(std::ldexp(a, -q));            // the default mode: to nearest even
  ld out = std::ldexp(r, q);
  if (out >= std::ldexp(ld(1), f.emax + 1)) out = std::numeric_limits<ld>::infinity();
  return std::signbit(v) ? -out : out;
}
template <class T>
ld round_to(ld v) {
  return round_to(v, format_of<T>());
}

/// The exact value of an element, decoded from its bits for the 16-bit types.
template <class T>
ld value_of(T v) {
  if constexpr (is_half_v<T>) {
    const unsigned b = v.bits, s = b >> 15, e = (b >> 10) & 0x1f, m = b & 0x3ff;
    ld r;
    if (e == 0x1f)
      r = m ? std::numeric_limits<ld>::quiet_NaN() : std::numeric_limits<ld>::infinity();
    else if (e == 0)
      r = std::ldexp(static_cast<ld>(m), -24);
    else
      r = std::ldexp(static_cast<ld>(m | 0x400), static_cast<int>(e) - 25);
    return s ? -r : r;
  } else if constexpr (is_bf16_v<T>) {
    const std::uint32_t b = static_cast<std::uint32_t>(v.bits) << 16;
    float f;
    std::memcpy(&f, &b, sizeof f);
    return static_cast<ld>(f);
  } else if constexpr (std::is_same<T, bool>::value) {
    return v ? 1 : 0;
  } else {
    return static_cast<ld>(v);
  }
}

/// An element holding the value v, which must be exactly representable in T (floating T), or
/// an integer in T's range (integral T).
template <class T>
T element_from(ld v) {
  if constexpr (is_half_v<T> || is_bf16_v<T>) {
    // Encode by search over the 65536 patterns' order: build from sign, exponent, significand.
    const format f = format_of<T>();
    const int mbits = f.digits - 1;
    const int ebits = is_half_v<T> ? 5 : 8;
    std::uint16_t bits = 0;
    if (std::signbit(v)) bits = static_cast<std::uint16_t>(1u << 15);
    const ld a = std::fabs(v);
    const unsigned emax_field = (1u << ebits) - 1;
    if (std::isnan(v)) {
      bits = static_cast<std::uint16_t>(bits | (emax_field << mbits) | (1u << (mbits - 1)));
    } else if (std::isinf(v)) {
      bits = static_cast<std::uint16_t>(bits | (emax_field << mbits));
    } else if (a != 0) {
      const int e = std::ilogb(a);
      if (e < f.emin) {  // subnormal
        const auto m = static_cast<unsigned>(std::ldexp(a, -(f.emin - mbits)));
        bits = static_cast<std::uint16_t>(bits | m);
      } else {
        const auto m = static_cast<unsigned>(std::ldexp(a, mbits - e)) & ((1u << mbits) - 1);
        const auto field = static_cast<unsigned>(e - f.emin + 1);
        bits = static_cast<std::uint16_t>(bits | (field << mbits) | m);
      }
    }
    return T::from_bits(bits);
  } else if constexpr (std::is_same<T, bool>::value) {
    return v != 0;
  } else {
    return static_cast<T>(v);
  }
}

/// Values equal as IEEE values: both NaN, or equal with the same sign (so +0 and -0 differ).
inline bool same_value(ld a, ld b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

inline std::string show(ld v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.25Lg", v);
  return buf;
}

/// The next value of format f above a positive finite v (v representable in f).
inline ld succ(ld v, format f) {
  const int e = std::ilogb(v);
  return v + std::ldexp(ld(1), (e < f.emin ? f.emin : e) - (f.digits - 1));
}
/// The next value below a positive v (v representable in f, above the smallest subnormal).
inline ld pred(ld v, format f) {
  const int e = std::ilogb(v);
  int q = (e < f.emin ? f.emin : e) - (f.digits - 1);
  if (e > f.emin && v == std::ldexp(ld(1), e)) --q;  // a power of two: the gap below is half
  return v - std::ldexp(ld(1), q);
}

/// Is m^2 * x < 1, exactly? m and x positive with at most 30 significant bits each.
inline bool square_times_below_one(ld m, ld x) {
  int em = 0, ex = 0;
  const ld fm = std::frexp(m, &em), fx = std::frexp(x, &ex);
  const auto M = static_cast<unsigned __int128>(std::ldexp(fm, 30));  // m = M * 2^(em-30)
  const auto X = static_cast<unsigned __int128>(std::ldexp(fx, 30));
  const unsigned __int128 p = M * M * X;       // < 2^90
  const int k = -(2 * (em - 30) + (ex - 30));  // m^2 x < 1  <=>  p < 2^k
  if (k <= 0) return false;
  if (k >= 127) return true;
  return p < (static_cast<unsigned __int128>(1) << k);
}

/// 1/sqrt(x) correctly rounded to a format of at most 24 digits, x finite positive and
/// representable in it. A candidate from long double, then proven by exact integer arithmetic:
/// y is the rounding of 1/sqrt(x) iff its neighbouring midpoints m- < 1/sqrt(x) < m+, i.e.
/// m-^2 x < 1 < m+^2 x (never equal: 1/sqrt(x) is never a midpoint).
inline ld exact_rsqrt(ld x, format f) {
  const ld guess = round_to(1 / std::sqrt(x), f);
  const ld candidates[3] = {guess, succ(guess, f), pred(guess, f)};
  for (ld y : candidates) {
    const ld lo = (pred(y, f) + y) / 2, hi = (y + succ(y, f)) / 2;
    if (square_times_below_one(lo, x) && !square_times_below_one(hi, x)) return y;
  }
  fail("reference rsqrt found no correctly rounded value for", show(x));
}

/// The reference of rsqrt or sqrt of x (a value of the floating type R, as a long double).
template <class R>
ld reference_unary(bool is_rsqrt, ld x) {
  if (std::isnan(x)) return x;
  if (is_rsqrt) {
    if (x == 0)
      return std::signbit(x) ? -std::numeric_limits<ld>::infinity()
                             : std::numeric_limits<ld>::infinity();
    if (x < 0) return std::numeric_limits<ld>::quiet_NaN();
    if (std::isinf(x)) return 0;
    if constexpr (std::is_same<R, double>::value)
      return round_to<double>(1 / std::sqrt(x));  // see check
    else
      return exact_rsqrt(x, format_of<R>());
  }
  if (x == 0) return x;  // sqrt(-0) = -0
  if (x < 0) return std::numeric_limits<ld>::quiet_NaN();
  if constexpr (std::is_same<R, double>::value) {
    return static_cast<ld>(std::sqrt(static_cast<double>(x)));  // IEEE sqrt is correctly rounded
  } else {
    // sqrtl is correctly rounded to 64 digits; rounding that to p <= 24 digits is exact rounding
    // (64 >= 2p + 2: the double rounding is innocuous).
    return round_to<R>(std::sqrt(x));
  }
}

/// Does got match the reference of a unary result in R? double rsqrt may be one ulp off.
template <class R>
bool unary_matches(bool is_rsqrt, ld got, ld ref) {
  if (same_value(got, ref)) return true;
  if constexpr (std::is_same<R, double>::value) {
    if (is_rsqrt && std::isfinite(ref) && ref > 0 && std::isfinite(got))
      return got == succ(ref, format_of<double>()) || got == pred(ref, format_of<double>());
  }
  return false;
}

// ---- decoding ---------------------------------------------------------------------------

/// Interesting bit patterns of a floating layout (exponent and significand widths).
inline std::uint64_t special_bits(FuzzedDataProvider& in, int ebits, int mbits) {
  const std::uint64_t mant = (std::uint64_t{1} << mbits) - 1;
  const std::uint64_t expo = ((std::uint64_t{1} << ebits) - 1) << mbits;
  const std::uint64_t sign = std::uint64_t{1} << (ebits + mbits);
  const std::uint64_t bias = ((std::uint64_t{1} << (ebits - 1)) - 1) << mbits;
  const std::uint64_t table[] = {
      0,                                                   // +0
      expo,                                                // inf
      expo | (std::uint64_t{1} << (mbits - 1)),            // quiet NaN
      expo | 1,                                            // signalling NaN, payload 1
      expo | (mant & 0x5a5a5a5a5a5a5a5aull) | 1,           // NaN with a payload
      1,                                                   // smallest subnormal
      mant,                                                // largest subnormal
      std::uint64_t{1} << mbits,                           // smallest normal
      expo - 1,                                            // largest finite
      bias,                                                // 1
      bias + (std::uint64_t{2} << mbits),                  // 4
      bias | 1,                                            // 1 + ulp
      bias - 1,                                            // 1 - ulp/2
      (bias + (std::uint64_t{1} << mbits)) | (mant >> 1),  // about 3
  };
  std::uint64_t b =
      table[in.ConsumeIntegralInRange<std::size_t>(0, sizeof table / sizeof table[0] - 1)];
  if (in.ConsumeBool()) b |= sign;
  return b;
}

template <class T>
T decode_element(FuzzedDataProvider& in) {
  const int mode = in.ConsumeIntegralInRange(0, 3);
  if constexpr (std::is_same<T, bool>::value) {
    return in.ConsumeBool();
  } else if constexpr (std::is_integral<T>::value) {
    if (mode == 0) return static_cast<T>(in.ConsumeIntegralInRange<int>(-3, 20));
    return in.ConsumeIntegral<T>();
  } else {
    constexpr format f = format_of<T>();
    constexpr int mbits = f.digits - 1, ebits = f.bits - 1 - mbits;
    std::uint64_t b;
    if (mode <= 1)
      b = special_bits(in, ebits, mbits);
    else if (mode == 2)
      b = in.ConsumeIntegral<std::uint64_t>();
    else
      return element_from<T>(static_cast<ld>(in.ConsumeIntegralInRange<int>(0, 64)));
    if constexpr (f.bits == 16) {
      return T::from_bits(static_cast<std::uint16_t>(b));
    } else if constexpr (f.bits == 32) {
      const auto u = static_cast<std::uint32_t>(b);
      float v;
      std::memcpy(&v, &u, sizeof v);
      return v;
    } else {
      double v;
      std::memcpy(&v, &b, sizeof v);
      return v;
    }
  }
}

/// Memory the fuzzer owns, viewed with from_blob, so every byte can be compared afterwards.
template <class T>
struct storage {
  std::unique_ptr<T[]> ptr;  // not a vector: vector<bool> has no data()
  std::size_t size = 0;
  std::vector<unsigned char> saved;
  T* data() const { return ptr.get(); }
  void resize(std::size_t n) {
    ptr.reset(new T[n]);
    size = n;
  }
  void save() {
    saved.resize(size * sizeof(T));
    if (!saved.empty()) std::memcpy(saved.data(), data(), saved.size());
  }
  bool unchanged() const {
    return saved.size() == size * sizeof(T) &&
           (saved.empty() || std::memcmp(saved.data(), data(), saved.size()) == 0);
  }
};

/// A small shape: up to 4 dimensions of size 0 to 6.
inline dims decode_shape(FuzzedDataProvider& in, int max_dims = 4) {
  dims s(in.ConsumeIntegralInRange<std::size_t>(0, static_cast<std::size_t>(max_dims)));
  for (auto& d : s)
    d = in.ConsumeIntegralInRange<std::int64_t>(in.ConsumeIntegralInRange(0, 7) == 0 ? 0 : 1, 6);
  return s;
}

inline std::int64_t numel(const dims& s) {
  std::int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

/// A tensor over new storage: contiguous, or hand-made strides (0 to 7, so overlapping and
/// gapped layouts too) with an offset; filled with decoded values.
template <class T>
rd::tensor<T> decode_tensor(FuzzedDataProvider& in, storage<T>& st, const dims& shape) {
  dims strides(shape.size());
  std::int64_t offset = 0;
  if (in.ConsumeBool()) {
    std::int64_t s = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
      strides[i] = s;
      s *= shape[i] > 0 ? shape[i] : 1;
    }
  } else {
    for (auto& s : strides) s = in.ConsumeIntegralInRange<std::int64_t>(0, 7);
    offset = in.ConsumeIntegralInRange<std::int64_t>(0, 3);
  }
  std::int64_t extent = 0;
  const bool none = numel(shape) == 0;
  for (std::size_t i = 0; i < shape.size(); ++i)
    extent += (shape[i] > 0 ? shape[i] - 1 : 0) * strides[i];
  st.resize(static_cast<std::size_t>(offset + (none ? 0 : extent + 1)) + 1);
  for (std::size_t i = 0; i < st.size; ++i) st.data()[i] = decode_element<T>(in);
  st.save();
  return rd::from_blob(st.data() + offset, shape, strides);
}

/// Calls f(index, element offset) for every element of a view, row-major.
template <class F>
void for_each_offset(const dims& shape, const dims& strides, F&& f) {
  const std::int64_t n = numel(shape);
  dims idx(shape.size(), 0);
  for (std::int64_t k = 0; k < n; ++k) {
    std::int64_t off = 0;
    for (std::size_t d = 0; d < shape.size(); ++d) off += idx[d] * strides[d];
    f(k, off);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

/// The elements of a view as exact values, row-major.
template <class T>
std::vector<ld> values_of(const rd::tensor<T>& t) {
  std::vector<ld> v(static_cast<std::size_t>(numel(t.shape())));
  const T* p = t.data();
  for_each_offset(t.shape(), t.strides(), [&](std::int64_t k, std::int64_t off) {
    v[static_cast<std::size_t>(k)] = value_of(p[off]);
  });
  return v;
}

/// The byte addresses a view's elements occupy (for the overlap expectations).
template <class T>
std::vector<const unsigned char*> bytes_of(const rd::tensor<T>& t) {
  std::vector<const unsigned char*> b;
  const auto* p = reinterpret_cast<const unsigned char*>(t.data());
  for_each_offset(t.shape(), t.strides(), [&](std::int64_t, std::int64_t off) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
      b.push_back(p + static_cast<std::size_t>(off) * sizeof(T) + i);
  });
  return b;
}

/// Two different indices of the view reach one element.
template <class T>
bool self_overlaps(const rd::tensor<T>& t) {
  std::vector<std::int64_t> offs;
  for_each_offset(t.shape(), t.strides(),
                  [&](std::int64_t, std::int64_t off) { offs.push_back(off); });
  std::sort(offs.begin(), offs.end());
  return std::adjacent_find(offs.begin(), offs.end()) != offs.end();
}

/// Bytes of st that are not elements of the view t are as saved.
template <class S, class U>
void check_outside(const storage<S>& st, const rd::tensor<U>& t) {
  const auto* base = reinterpret_cast<const unsigned char*>(st.data());
  std::vector<bool> inside(st.saved.size(), false);
  for (const unsigned char* b : bytes_of(t)) {
    const auto at = b - base;
    if (at >= 0 && static_cast<std::size_t>(at) < inside.size())
      inside[static_cast<std::size_t>(at)] = true;
  }
  for (std::size_t i = 0; i < inside.size(); ++i)
    require(inside[i] || base[i] == st.saved[i], "a byte outside the written view changed");
}

// ---- element conversions and fill values --------------------------------------------------

/// The smallest and largest value of an integral type, or bool's 0 and 1.
template <class T>
ld lowest_of() {
  return std::is_same<T, bool>::value ? 0 : static_cast<ld>(std::numeric_limits<T>::min());
}
template <class T>
ld highest_of() {
  return std::is_same<T, bool>::value ? 1 : static_cast<ld>(std::numeric_limits<T>::max());
}
/// The largest finite value of a floating type: (2 - 2^(1-digits)) * 2^emax.
template <class T>
ld max_finite() {
  const format f = format_of<T>();
  return std::ldexp(2 - std::ldexp(ld(1), 1 - f.digits), f.emax);
}

/// The library's element conversion From -> To (copy_, to<U>(), out=), written out: bool is
/// v != 0 (NaN is true); integral from floating truncates toward zero, NaN to 0, saturates;
/// integral from integral wraps modulo 2^n; floating rounds once to nearest even.
template <class To, class From>
ld convert_ref(ld v) {
  if constexpr (std::is_same<To, From>::value) {
    return v;
  } else if constexpr (std::is_same<To, bool>::value) {
    return (std::isnan(v) || v != 0) ? 1 : 0;
  } else if constexpr (is_float_v<To>) {
    return round_to<To>(v);
  } else if constexpr (is_float_v<From>) {
    if (std::isnan(v)) return 0;
    return std::max(lowest_of<To>(), std::min(highest_of<To>(), std::trunc(v))) + 0;
  } else {
    const auto u = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
    return static_cast<ld>(static_cast<To>(static_cast<std::make_unsigned_t<To>>(u)));
  }
}

/// What fill_ makes of a C++ scalar v (a bool, an integer or a floating value), by PyTorch's
/// checked conversion (c10::checked_convert): false where it must be refused.
enum class scalar_kind { boolean, integer, floating };
template <class To>
bool fill_ref(ld v, scalar_kind kind, ld& out) {
  if (kind == scalar_kind::boolean) {
    out = convert_ref<To, bool>(v);
    return true;
  }
  if constexpr (is_float_v<To>) {
    if (std::isnan(v) || std::isinf(v)) {
      out = v;
      return true;
    }
    if (std::fabs(v) > max_finite<To>()) return false;
    out = round_to<To>(v);
    return true;
  } else {
    const ld lo = lowest_of<To>(), hi = highest_of<To>();
    if (kind == scalar_kind::floating) {
      if (std::isnan(v) || v < lo || v > hi) return false;
      out = std::is_same<To, bool>::value ? (v != 0 ? 1 : 0) : std::trunc(v) + 0;
      return true;
    }
    if (v >= lo && v <= hi) {
      out = v;
      return true;
    }
    if (lo == 0 && v < 0 && -v <= hi) {  // wraps into an unsigned type
      out = std::is_same<To, bool>::value ? 1 : v + hi + 1;
      return true;
    }
    return false;
  }
}

/// -v in T: floating values change sign, integers wrap modulo 2^n.
template <class T>
ld negate_ref(ld v) {
  if constexpr (is_float_v<T>) {
    return -v;
  } else {
    const std::uint64_t u = 0u - static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
    return static_cast<ld>(static_cast<T>(static_cast<std::make_unsigned_t<T>>(u)));
  }
}

/// Runs f; an exception must be a radicand error (the exact type of one of its classes) or
/// std::bad_alloc, with a message that names radicand. Returns the type thrown, or nullptr.
template <class F>
const std::type_info* run_guarded(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const rd::error& e) {
    const std::type_info& t = typeid(e);
    require(t == typeid(rd::error) || t == typeid(rd::shape_error) ||
                t == typeid(rd::overlap_error) || t == typeid(rd::index_error) ||
                t == typeid(rd::memory_error) || t == typeid(rd::value_error),
            "unexpected error class", e.what());
    require(std::strncmp(e.what(), "radicand::", 10) == 0, "message does not name the operation",
            e.what());
    if (message) *message = e.what();
    return &t;
  } catch (const std::bad_alloc&) {
    return &typeid(std::bad_alloc);
  } catch (const std::exception& e) {
    fail("a non-radicand exception escaped", e.what());
  }
  return nullptr;
}

}  // namespace fuzz

#endif  // RADICAND_FUZZ_COMMON_HPP
