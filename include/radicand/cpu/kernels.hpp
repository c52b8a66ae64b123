// radicand: raw CPU kernels over caller buffers (rd::kernels::rsqrt / sqrt). The tensor
// operations are built on these. The compiled-in backend's loops (cpu/target.hpp) run the packet
// forms of math/packet_*.hpp on its primitives (cpu/arch/*.hpp); with runtime dispatch, the
// loops of the backend picked for the CPU. Large calls are split between threads
// (cpu/threads.hpp), and large out-of-place calls write with streaming stores.
#ifndef RADICAND_CPU_KERNELS_HPP
#define RADICAND_CPU_KERNELS_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "../config.hpp"
#include "../dtype.hpp"
#include "../math/fixed_sum.hpp"
#include "../math/ops.hpp"
#include "../math/rsqrt.hpp"
#include "../math/sqrt.hpp"
#include "threads.hpp"

#if RADICAND_ARCH_DISPATCH
#include "arch/avx2.hpp"
#include "arch/avx512.hpp"
#include "arch/sse2.hpp"
#elif RADICAND_ARCH_AVX512
#include "arch/avx512.hpp"
#elif RADICAND_ARCH_AVX2
#include "arch/avx2.hpp"
#elif RADICAND_ARCH_SSE2
#include "arch/sse2.hpp"
#elif RADICAND_ARCH_NEON
#include "arch/neon.hpp"
#else
#include "arch/scalar.hpp"
#endif

// Calls on at least this many bytes treat their buffers as larger than the caches: they
// prefetch the input and, out of place, write the output with non-temporal stores, which do not
// read it first, so the call moves as many bytes as a copy. Below it, the output is better left
// in cache for whoever reads it next. Measured (float rsqrt on one core of a Xeon with AVX-512,
// the output read afterwards), streaming against plain stores: 0.9x as fast at 8 MiB, even at
// 10-12 MiB, 1.1x at 16 MiB, 1.4x from 64 MiB. Define it to change it.
#ifndef RADICAND_STREAMING_BYTES
#define RADICAND_STREAMING_BYTES (std::size_t{12} << 20)
#endif

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// An element every path computes quickly, to pad partial packets with.
template <class T>
T padding() noexcept {
  if constexpr (std::is_same<T, half>::value || std::is_same<T, bfloat16>::value) {
    return T(1.0f);
  } else {
    return T(1);
  }
}

/// Packets per group in the float loops: enough independent chains to cover the latency of one
/// (about 30 cycles on AVX-512 against about 5 of issue), few enough to stay in registers.
constexpr std::size_t group_packets = 6;

/// Packets per group in the double loops: independent chains, as for float (measured on an
/// Intel Xeon with AVX-512 at 2^16 doubles: rsqrt 0.65x the time of one packet at a time).
constexpr std::size_t group_packets_f64 = 4;

/// How far ahead the loops over large buffers prefetch their input: one core's streaming
/// throughput needs more requests in flight than the hardware prefetcher keeps while the core
/// computes (measured: rsqrt of 2^26 floats 39 ms without, 27 ms with, memcpy 24 ms).
constexpr std::uintptr_t prefetch_distance = 8192;

}  // namespace detail
RADICAND_NAMESPACE_END

// Each backend's algorithms and loops, in its namespace (cpu/target.hpp).
#if RADICAND_ARCH_DISPATCH
RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_sse2 {
#include "target.hpp"
}  // namespace arch_sse2
}  // namespace detail
RADICAND_NAMESPACE_END
RADICAND_TARGET_AVX2_BEGIN
RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_avx2 {
#include "target.hpp"
}  // namespace arch_avx2
}  // namespace detail
RADICAND_NAMESPACE_END
RADICAND_TARGET_END
RADICAND_TARGET_AVX512_BEGIN
RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace arch_avx512 {
#include "target.hpp"
}  // namespace arch_avx512
}  // namespace detail
RADICAND_NAMESPACE_END
RADICAND_TARGET_END
#else
RADICAND_NAMESPACE_BEGIN
namespace detail {
namespace RADICAND_PP_CAT(arch_, RADICAND_KERNEL_ARCH) {
#include "target.hpp"
}
/// The backend compiled in (cpu/arch/<RADICAND_KERNEL_ARCH>.hpp), its algorithms and loops.
namespace native = RADICAND_PP_CAT(arch_, RADICAND_KERNEL_ARCH);
using native_isa = native::isa;
}  // namespace detail
RADICAND_NAMESPACE_END
#endif

RADICAND_NAMESPACE_BEGIN
namespace detail {

#if RADICAND_ARCH_DISPATCH
template <class T>
using loop_function = void (*)(const T*, T*, std::size_t, bool) noexcept;

/// The loop of the backend picked for this CPU (rd::simd_backend() names it).
template <class Op, class T>
loop_function<T> picked_loop() noexcept {
  switch (picked_backend()) {
    case dispatch_backend::avx512:
      return arch_avx512::packet_loop<arch_avx512::isa, Op>;
    case dispatch_backend::avx2:
      return arch_avx2::packet_loop<arch_avx2::isa, Op>;
    case dispatch_backend::sse2:
      break;
  }
  return arch_sse2::packet_loop<arch_sse2::isa, Op>;
}
#endif

/// The whole call: split between threads when large; `large` (prefetch, and non-temporal
/// stores out of place) decided on the whole call's size.
template <class Op, class T>
void run(const T* in, T* out, std::size_t n) noexcept {
  static_assert(is_floating_element<T>::value,
                "radicand::kernels: T must be float, double, rd::half or rd::bfloat16");
  const bool large = n * sizeof(T) >= RADICAND_STREAMING_BYTES;
#if RADICAND_ARCH_DISPATCH
  static const loop_function<T> loop = picked_loop<Op, T>();
#endif
  parallel_for(static_cast<std::int64_t>(n), parallel_grain, 64,
               [&](std::int64_t b, std::int64_t e) {
#if RADICAND_ARCH_DISPATCH
                 loop(in + b, out + b, static_cast<std::size_t>(e - b), large);
#else
        native::packet_loop<native_isa, Op>(in + b, out + b, static_cast<std::size_t>(e - b),
                                            large);
#endif
               });
}

}  // namespace detail

namespace kernels {

/// out[i] = 1/sqrt(in[i]) for i < n, correctly rounded. `in == out` is allowed; other overlaps
/// are not.
template <class T>
void rsqrt(const T* in, T* out, std::size_t n) noexcept {
  static_assert(is_floating_element<T>::value,
                "radicand::kernels::rsqrt: T must be float, double, rd::half or rd::bfloat16");
  detail::run<detail::math::rsqrt_op>(in, out, n);
}

/// out[i] = sqrt(in[i]) for i < n, correctly rounded. `in == out` is allowed; other overlaps
/// are not.
template <class T>
void sqrt(const T* in, T* out, std::size_t n) noexcept {
  static_assert(is_floating_element<T>::value,
                "radicand::kernels::sqrt: T must be float, double, rd::half or rd::bfloat16");
  detail::run<detail::math::sqrt_op>(in, out, n);
}

}  // namespace kernels
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_KERNELS_HPP
