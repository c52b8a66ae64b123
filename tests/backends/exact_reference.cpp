// radicand tests, compiled into each backend's binary (tests/backends.cmake), the cross-compiled
// NEON one included: correct rounding of the kernels checked with exact integer arithmetic and
// nothing else (no MPFR, no radicand code), so that a target without MPFR still gets a proof.
//
// A positive finite result r (normal in its format, as every rsqrt and sqrt result of a positive
// finite input is) is correctly rounded exactly when the true value lies strictly between the
// midpoints m- and m+ around r (it is never on one): for rsqrt, x m-^2 < 1 < x m+^2; for sqrt,
// m-^2 < x < m+^2. x = X 2^a and m = M 2^b with integers X < 2^24 and M < 2^27, so the products
// are exact in 128-bit integers.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif
#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

namespace {

__extension__ typedef unsigned __int128 u128;

int bit_length(u128 v) {
  const auto hi = static_cast<std::uint64_t>(v >> 64), lo = static_cast<std::uint64_t>(v);
  if (hi != 0) return 128 - __builtin_clzll(hi);
  return lo != 0 ? 64 - __builtin_clzll(lo) : 0;
}

/// Sign of A 2^s - B 2^t for positive A and B.
int compare_scaled(u128 a, int s, u128 b, int t) {
  const int la = bit_length(a) + s, lb = bit_length(b) + t;  // 2^(l-1) <= value < 2^l
  if (la != lb) return la > lb ? 1 : -1;
  const int m = s < t ? s : t;  // both shifted values now fit: their lengths are equal and <= 128
  const u128 x = a << (s - m), y = b << (t - m);
  return x == y ? 0 : (x > y ? 1 : -1);
}

/// An IEEE format with p significand bits (hidden one included) and e exponent bits.
struct format {
  const char* name;
  int p;
  int e;
  int width() const { return 1 + e + p - 1; }
  std::uint32_t exp_field(std::uint32_t b) const { return (b >> (p - 1)) & ((1u << e) - 1u); }
  std::uint32_t frac(std::uint32_t b) const { return b & ((1u << (p - 1)) - 1u); }
  std::uint32_t sign_bit() const { return 1u << (width() - 1); }
  std::uint32_t inf_bits() const { return ((1u << e) - 1u) << (p - 1); }
  int bias() const { return (1 << (e - 1)) - 1; }
  bool is_nan(std::uint32_t b) const { return exp_field(b) == (1u << e) - 1u && frac(b) != 0; }
  /// The NaN every rsqrt and sqrt NaN result is (API.md): positive, quiet, no payload.
  std::uint32_t canonical_nan() const { return inf_bits() | (1u << (p - 2)); }
  /// A positive finite value's integer significand and exponent.
  void decode(std::uint32_t b, std::uint64_t& m, int& x) const {
    const std::uint32_t ef = exp_field(b);
    m = ef == 0 ? frac(b) : (frac(b) | (1u << (p - 1)));
    x = (ef == 0 ? 1 : static_cast<int>(ef)) - bias() - (p - 1);
  }
};

const format float_format{"float", 24, 8};
const format half_format{"half", 11, 5};
const format bfloat16_format{"bfloat16", 8, 8};

enum class op { rsqrt, sqrt };

/// Whether r is op(x) correctly rounded (or the special value API.md lists), in format f.
bool correctly_rounded(const format& f, op o, std::uint32_t x, std::uint32_t r) {
  const bool negative = (x & f.sign_bit()) != 0;
  const std::uint32_t magnitude = x & ~f.sign_bit();
  if (f.is_nan(x)) return r == f.canonical_nan();
  if (magnitude == 0) {  // rsqrt(+-0) = +-inf, sqrt(+-0) = +-0
    return r == (o == op::rsqrt ? ((x & f.sign_bit()) | f.inf_bits()) : x);
  }
  if (negative) return r == f.canonical_nan();
  if (magnitude == f.inf_bits()) return r == (o == op::rsqrt ? 0u : f.inf_bits());
  // A positive finite input: r must be a positive normal number between the midpoints.
  if ((r & f.sign_bit()) != 0 || f.exp_field(r) == 0 || f.exp_field(r) == (1u << f.e) - 1u)
    return false;
  std::uint64_t X, R;
  int a, c;
  f.decode(x, X, a);
  f.decode(r, R, c);
  const u128 M_hi = 2 * R + 1;
  const int b_hi = c - 1;
  const bool bottom = R == (std::uint64_t{1} << (f.p - 1));  // the ulp below r is half as large
  const u128 M_lo = bottom ? 4 * R - 1 : 2 * R - 1;
  const int b_lo = bottom ? c - 2 : c - 1;
  if (o == op::rsqrt) {  // x m_lo^2 < 1 < x m_hi^2
    return compare_scaled(u128{X} * M_lo * M_lo, a + 2 * b_lo, 1, 0) < 0 &&
           compare_scaled(u128{X} * M_hi * M_hi, a + 2 * b_hi, 1, 0) > 0;
  }
  return compare_scaled(M_lo * M_lo, 2 * b_lo, X, a) < 0 &&  // m_lo^2 < x < m_hi^2
         compare_scaled(M_hi * M_hi, 2 * b_hi, X, a) > 0;
}

template <class T>
std::uint32_t bits_of(T v) {
  if constexpr (sizeof(T) == 4) {
    std::uint32_t b;
    std::memcpy(&b, &v, 4);
    return b;
  } else {
    return v.bits;
  }
}

template <class T>
T from_bits(std::uint32_t b) {
  if constexpr (sizeof(T) == 4) {
    T v;
    std::memcpy(&v, &b, 4);
    return v;
  } else {
    return T::from_bits(static_cast<std::uint16_t>(b));
  }
}

/// Runs the kernel on gen(0) .. gen(count - 1) (bit patterns) and checks every result; returns
/// the number of wrong ones, describing the first few in `report`.
template <class T, class Gen>
std::uint64_t count_wrong(const format& f, op o, std::uint64_t count, Gen gen,
                          std::string& report) {
  const std::uint64_t batch = std::uint64_t{1} << 20;
  std::vector<T> in(static_cast<std::size_t>(count < batch ? count : batch)), out(in.size());
  std::uint64_t wrong = 0;
  for (std::uint64_t start = 0; start < count; start += batch) {
    const std::size_t n = static_cast<std::size_t>(count - start < batch ? count - start : batch);
    for (std::size_t i = 0; i < n; ++i) in[i] = from_bits<T>(gen(start + i));
    if (o == op::rsqrt) {
      radicand::kernels::rsqrt(in.data(), out.data(), n);
    } else {
      radicand::kernels::sqrt(in.data(), out.data(), n);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (correctly_rounded(f, o, bits_of(in[i]), bits_of(out[i]))) continue;
      if (++wrong <= 5) {
        std::ostringstream os;
        os << f.name << (o == op::rsqrt ? " rsqrt" : " sqrt") << "(0x" << std::hex << bits_of(in[i])
           << ") = 0x" << bits_of(out[i]) << "\n";
        report += os.str();
      }
    }
  }
  return wrong;
}

#define RADICAND_REQUIRE_ALL_RIGHT(T, f, o, count, gen)                   \
  do {                                                                    \
    std::string report;                                                   \
    const std::uint64_t wrong = count_wrong<T>(f, o, count, gen, report); \
    INFO(report);                                                         \
    CHECK(wrong == 0);                                                    \
  } while (false)

}  // namespace

TEST_CASE("exact reference: the integer midpoint check itself", "[backend][exact]") {
  // rsqrt(4) = 0.5, sqrt(2) = 0x3fb504f3 and its neighbours, rsqrt(2) = 0x3f3504f3.
  CHECK(correctly_rounded(float_format, op::rsqrt, 0x40800000u, 0x3f000000u));
  CHECK_FALSE(correctly_rounded(float_format, op::rsqrt, 0x40800000u, 0x3f000001u));
  CHECK_FALSE(correctly_rounded(float_format, op::rsqrt, 0x40800000u, 0x3effffffu));
  CHECK(correctly_rounded(float_format, op::sqrt, 0x40000000u, 0x3fb504f3u));
  CHECK_FALSE(correctly_rounded(float_format, op::sqrt, 0x40000000u, 0x3fb504f4u));
  CHECK_FALSE(correctly_rounded(float_format, op::sqrt, 0x40000000u, 0x3fb504f2u));
  CHECK(correctly_rounded(float_format, op::rsqrt, 0x40000000u, 0x3f3504f3u));
  CHECK_FALSE(correctly_rounded(float_format, op::rsqrt, 0x40000000u, 0x3f3504f4u));
  CHECK(correctly_rounded(half_format, op::rsqrt, 0x4000u, 0x39a8u));  // rsqrt(2) in half
  CHECK_FALSE(correctly_rounded(half_format, op::rsqrt, 0x4000u, 0x39a9u));
  CHECK(correctly_rounded(bfloat16_format, op::rsqrt, 0x4000u, 0x3f35u));
  CHECK(correctly_rounded(float_format, op::rsqrt, 0x00000001u, 0x64b504f3u));  // 2^74.5
}

TEST_CASE("exact reference: float rsqrt and sqrt on every float in 1 <= x < 4",
          "[backend][exact]") {
  for (op o : {op::rsqrt, op::sqrt}) {
    RADICAND_REQUIRE_ALL_RIGHT(float, float_format, o, std::uint64_t{1} << 24, [](std::uint64_t i) {
      return static_cast<std::uint32_t>(0x3f800000u + i);
    });
  }
}

TEST_CASE("exact reference: float rsqrt and sqrt on every subnormal and every 127th float",
          "[backend][exact]") {
  for (op o : {op::rsqrt, op::sqrt}) {
    RADICAND_REQUIRE_ALL_RIGHT(float, float_format, o, (std::uint64_t{1} << 23) - 1,
                               [](std::uint64_t i) { return static_cast<std::uint32_t>(i + 1); });
    // All exponents, both signs, specials and NaNs included.
    RADICAND_REQUIRE_ALL_RIGHT(float, float_format, o, 0x100000000ull / 127,
                               [](std::uint64_t i) { return static_cast<std::uint32_t>(i * 127); });
  }
}

TEST_CASE("exact reference: half and bfloat16 rsqrt and sqrt on all 65536 bit patterns",
          "[backend][exact]") {
  for (op o : {op::rsqrt, op::sqrt}) {
    RADICAND_REQUIRE_ALL_RIGHT(radicand::half, half_format, o, 65536,
                               [](std::uint64_t i) { return static_cast<std::uint32_t>(i); });
    RADICAND_REQUIRE_ALL_RIGHT(radicand::bfloat16, bfloat16_format, o, 65536,
                               [](std::uint64_t i) { return static_cast<std::uint32_t>(i); });
  }
}

namespace {

// The register a caller sets to flush subnormals: MXCSR's FTZ and DAZ on x86, FPCR's FZ and FZ16
// on AArch64. Elsewhere there is none to set, and the test below checks the subnormals alone.
#if defined(__SSE__) || defined(_M_X64)
using mode_word = unsigned;
constexpr mode_word flush_modes = (1u << 15) | (1u << 6);
mode_word read_modes() { return _mm_getcsr(); }
void write_modes(mode_word m) { _mm_setcsr(m); }
#elif defined(__aarch64__)
using mode_word = std::uint64_t;
constexpr mode_word flush_modes = (std::uint64_t{1} << 24) | (std::uint64_t{1} << 19);
mode_word read_modes() {
  mode_word m;
  __asm__ __volatile__("mrs %0, fpcr" : "=r"(m));
  return m;
}
void write_modes(mode_word m) { __asm__ __volatile__("msr fpcr, %0" : : "r"(m)); }
#else
using mode_word = unsigned;
constexpr mode_word flush_modes = 0;
mode_word read_modes() { return 0; }
void write_modes(mode_word) {}
#endif

/// Sets (or clears) the flush modes on the calling thread and on each thread of an OpenMP team
/// of rd::get_num_threads() (the threads the kernels' teams are drawn from); returns, for each of
/// those threads, 1 where the flush modes were set before the change.
std::vector<int> set_flush_modes_everywhere(bool set) {
  std::vector<int> had(static_cast<std::size_t>(radicand::get_num_threads()), 0);
  const auto change = [set](int& was) {
    const mode_word m = read_modes();
    was = (m & flush_modes) == flush_modes ? 1 : 0;
    write_modes(set ? (m | flush_modes) : (m & ~flush_modes));
  };
  change(had[0]);
#if defined(_OPENMP)
#pragma omp parallel num_threads(radicand::get_num_threads())
  {
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    if (t != 0 && t < had.size()) change(had[t]);
  }
#endif
  return had;
}

}  // namespace

TEST_CASE(
    "exact reference: a caller's flush-to-zero modes (MXCSR, FPCR) do not reach the kernels, on "
    "any thread",
    "[backend][exact][fpenv]") {
  // Every thread has its own register: set on the caller's thread and on the OpenMP workers, the
  // modes must be cleared for each piece of work wherever it runs, and be set again afterwards.
  const int before = radicand::get_num_threads();
  radicand::set_num_threads(4);
  set_flush_modes_everywhere(true);
  std::uint64_t wrong = 0;
  std::string report;
  for (op o : {op::rsqrt, op::sqrt}) {
    // Every positive subnormal float (threaded), then every half and bfloat16 pattern: bfloat16
    // subnormals are float subnormals, half ones become floats that are not.
    wrong += count_wrong<float>(
        float_format, o, (std::uint64_t{1} << 23) - 1,
        [](std::uint64_t i) { return static_cast<std::uint32_t>(i + 1); }, report);
    wrong += count_wrong<radicand::half>(
        half_format, o, 65536, [](std::uint64_t i) { return static_cast<std::uint32_t>(i); },
        report);
    wrong += count_wrong<radicand::bfloat16>(
        bfloat16_format, o, 65536, [](std::uint64_t i) { return static_cast<std::uint32_t>(i); },
        report);
  }
  const std::vector<int> kept = set_flush_modes_everywhere(false);
  radicand::set_num_threads(before);
  INFO(report);
  CHECK(wrong == 0);
  // The caller's modes are the caller's again, on every thread, once the calls return.
  CHECK(kept == std::vector<int>(kept.size(), 1));
  CHECK((read_modes() & flush_modes) == 0);
}
