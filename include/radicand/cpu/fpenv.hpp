// radicand: the floating-point modes the CPU kernels run in. A caller may have set flush-to-zero
// or denormals-are-zero (MXCSR on x86, FPCR on AArch64) or another rounding mode; the kernels'
// exact results need IEEE defaults, so each piece of work clears those bits for its own duration
// on the thread that runs it (every thread has its own register) and gives them back afterwards.
#ifndef RADICAND_CPU_FPENV_HPP
#define RADICAND_CPU_FPENV_HPP

#include <cstdint>

#include "../config.hpp"

#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#define RADICAND_FPENV_MXCSR 1
#else
#define RADICAND_FPENV_MXCSR 0
#endif
#if defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
#define RADICAND_FPENV_FPCR 1
#else
#define RADICAND_FPENV_FPCR 0
#endif

RADICAND_NAMESPACE_BEGIN
namespace detail {

#if RADICAND_FPENV_MXCSR
/// MXCSR: flush-to-zero (bit 15), denormals-are-zero (bit 6), rounding control (bits 13-14).
constexpr unsigned fp_mode_bits = (1u << 15) | (1u << 6) | (3u << 13);
RADICAND_ALWAYS_INLINE unsigned read_fp_mode() noexcept { return _mm_getcsr(); }
RADICAND_ALWAYS_INLINE void write_fp_mode(unsigned m) noexcept { _mm_setcsr(m); }
#elif RADICAND_FPENV_FPCR
/// FPCR: FZ (bit 24), FZ16 (bit 19), FIZ (bit 0, where FEAT_AFP has it; else reserved, zero),
/// rounding mode (bits 22-23).
constexpr std::uint64_t fp_mode_bits =
    (std::uint64_t{1} << 24) | (std::uint64_t{1} << 19) | 1u | (std::uint64_t{3} << 22);
RADICAND_ALWAYS_INLINE std::uint64_t read_fp_mode() noexcept {
  std::uint64_t m;
  __asm__ __volatile__("mrs %0, fpcr" : "=r"(m));
  return m;
}
RADICAND_ALWAYS_INLINE void write_fp_mode(std::uint64_t m) noexcept {
  __asm__ __volatile__("msr fpcr, %0" : : "r"(m));
}
#endif

/// For its lifetime on this thread: no flushing of subnormals, round to nearest even. The
/// common case (the caller's modes are the defaults) costs one read of the register; the bits
/// are given back on any exit, exceptions included, and nothing else is touched (the sticky
/// exception flags the kernels raise stay raised).
class ieee_mode_guard {
 public:
#if RADICAND_FPENV_MXCSR || RADICAND_FPENV_FPCR
  RADICAND_ALWAYS_INLINE ieee_mode_guard() noexcept : saved_(read_fp_mode()) {
    if ((saved_ & fp_mode_bits) != 0) write_fp_mode(saved_ & ~fp_mode_bits);
  }
  RADICAND_ALWAYS_INLINE ~ieee_mode_guard() {
    if ((saved_ & fp_mode_bits) != 0)
      write_fp_mode((read_fp_mode() & ~fp_mode_bits) | (saved_ & fp_mode_bits));
  }

 private:
  decltype(read_fp_mode()) saved_;
#else
  ieee_mode_guard() noexcept {}
#endif

 public:
  ieee_mode_guard(const ieee_mode_guard&) = delete;
  ieee_mode_guard& operator=(const ieee_mode_guard&) = delete;
};

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_FPENV_HPP
