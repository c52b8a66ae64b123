// radicand: raw CPU kernels over caller buffers (rd::kernels::rsqrt / sqrt). The tensor
// operations are built on these. The compiled-in backend's primitives (cpu/arch/*.hpp) run the
// packet forms of math/ops.hpp packet by packet; large
// calls are split between threads (cpu/threads.hpp), and large out-of-place calls write with
// streaming stores.
#ifndef RADICAND_CPU_KERNELS_HPP
#define RADICAND_CPU_KERNELS_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "../config.hpp"
#include "../dtype.hpp"
#include "../math/ops.hpp"
#include "threads.hpp"

#if RADICAND_ARCH_AVX512
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

/// The backend compiled in (cpu/arch/<RADICAND_KERNEL_ARCH>.hpp).
using native_isa = isa;

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

/// float, half, bfloat16: K packets from `in` to `out` (non-temporal stores if Stream).
template <class A, class Op, std::size_t K, bool Stream = false, class T>
RADICAND_ALWAYS_INLINE void packet_group(const T* in, T* out) noexcept {
  typename A::pf x[K], z[K];
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) x[k] = A::load(in + k * A::lanes);
  Op::template f32<A, K>(x, z);
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) {
    if constexpr (Stream)
      A::stream(out + k * A::lanes, z[k]);
    else
      A::store(out + k * A::lanes, z[k]);
  }
}

/// float, half, bfloat16: n < lanes elements through one padded packet.
template <class A, class Op, class T>
void packet_tail(const T* in, T* out, std::size_t n) noexcept {
  T buf[A::lanes];
  for (std::size_t j = 0; j < A::lanes; ++j) buf[j] = padding<T>();
  std::memcpy(buf, in, n * sizeof(T));
  packet_group<A, Op, 1>(buf, buf);
  std::memcpy(out, buf, n * sizeof(T));
}

/// How far ahead the loops over large buffers prefetch their input: one core's streaming
/// throughput needs more requests in flight than the hardware prefetcher keeps while the core
/// computes (measured: rsqrt of 2^26 floats 39 ms without, 27 ms with, memcpy 24 ms).
constexpr std::uintptr_t prefetch_distance = 8192;

template <class A, class T>
void prefetch_ahead(const T* p) noexcept {
  A::prefetch(
      reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(p) + prefetch_distance));
}

/// float, half, bfloat16 from index i on: groups, then single packets; returns where it
/// stopped (fewer than lanes elements left). Large calls prefetch.
template <class A, class Op, bool Stream, class T>
RADICAND_ALWAYS_INLINE std::size_t packet_runs(const T* in, T* out, std::size_t i, std::size_t n,
                                               bool large) noexcept {
  constexpr std::size_t lanes = A::lanes, step = group_packets * lanes;
  for (; i + step <= n; i += step) {
    if (large) {
      RADICAND_UNROLL
      for (std::size_t k = 0; k < group_packets; ++k) prefetch_ahead<A>(in + i + k * lanes);
    }
    packet_group<A, Op, group_packets, Stream>(in + i, out + i);
  }
  for (; i + lanes <= n; i += lanes) packet_group<A, Op, 1, Stream>(in + i, out + i);
  return i;
}

/// float, half, bfloat16: whole packets, then the tail. `large`: the buffers are larger than the
/// caches, so the input is prefetched and, out of place, the output written with non-temporal
/// stores (after a head that brings `out` to a 64-byte boundary).
template <class A, class Op, class T>
void packet_loop(const T* in, T* out, std::size_t n, bool large) noexcept {
  std::size_t i = 0;
  if (large && static_cast<const void*>(in) != static_cast<const void*>(out) &&
      reinterpret_cast<std::uintptr_t>(out) % sizeof(T) == 0) {
    const std::size_t misaligned = reinterpret_cast<std::uintptr_t>(out) % 64;
    std::size_t head = misaligned == 0 ? 0 : (64 - misaligned) / sizeof(T);
    if (head > n) head = n;
    while (i < head) {  // at most 63 bytes, in partial packets
      const std::size_t m = head - i < A::lanes ? head - i : A::lanes;
      packet_tail<A, Op>(in + i, out + i, m);
      i += m;
    }
    i = packet_runs<A, Op, true>(in, out, i, n, true);
    A::fence();
  } else {
    i = packet_runs<A, Op, false>(in, out, i, n, large);
  }
  if (i < n) packet_tail<A, Op>(in + i, out + i, n - i);
}

/// double: whole packets (the lanes the packet path leaves unsettled go through the scalar
/// function), then the tail through the scalar function. Without FMA, rsqrt is the scalar
/// function throughout. `large` as above.
template <class A, class Op>
void packet_loop(const double* in, double* out, std::size_t n, bool large) noexcept {
  constexpr std::size_t lanes = A::lanes / 2;
  std::size_t i = 0;
  if constexpr (A::has_fma || !Op::f64_needs_fma) {
    const bool stream =
        large && in != out && reinterpret_cast<std::uintptr_t>(out) % sizeof(double) == 0;
    if (stream) {
      for (; i < n && reinterpret_cast<std::uintptr_t>(out + i) % 64 != 0; ++i)
        out[i] = Op{}(in[i]);
    }
    for (; i + lanes <= n; i += lanes) {
      if (large) prefetch_ahead<A>(in + i);
      typename A::md unsettled;
      const typename A::pd x = A::load(in + i);
      const typename A::pd r = Op::template f64<A>(x, unsettled);
      if (A::any(unsettled)) {
        double xs[lanes], rs[lanes];
        A::store(xs, x);
        A::store(rs, r);
        const unsigned bits = A::lane_bits(unsettled);
        for (std::size_t j = 0; j < lanes; ++j)
          if ((bits >> j) & 1u) rs[j] = Op{}(xs[j]);
        std::memcpy(out + i, rs, sizeof rs);
      } else if (stream) {
        A::stream(out + i, r);
      } else {
        A::store(out + i, r);
      }
    }
    if (stream) A::fence();
  } else {
    (void)large;
  }
  for (; i < n; ++i) out[i] = Op{}(in[i]);
}

/// The whole call: split between threads when large; `large` (prefetch, and non-temporal
/// stores out of place) decided on the whole call's size.
template <class Op, class T>
void run(const T* in, T* out, std::size_t n) noexcept {
  static_assert(is_floating_element<T>::value,
                "radicand::kernels: T must be float, double, rd::half or rd::bfloat16");
  const bool large = n * sizeof(T) >= RADICAND_STREAMING_BYTES;
  parallel_for(
      static_cast<std::int64_t>(n), parallel_grain, 64, [&](std::int64_t b, std::int64_t e) {
        packet_loop<native_isa, Op>(in + b, out + b, static_cast<std::size_t>(e - b), large);
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
