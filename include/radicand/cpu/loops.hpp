// radicand: the CPU loops over contiguous buffers, on the primitives of a backend `A` and the
// packet forms of math/packet_*.hpp: groups of packets, the tail through one padded packet,
// prefetching and non-temporal stores for large calls, and the double loop whose unsettled
// lanes take the scalar function.
//
// A body like math/packet_rsqrt.hpp: cpu/target.hpp includes it in each backend's namespace.

/// float, half, bfloat16: K packets from `in` to `out` (non-temporal stores if Stream).
template <class A, class Op, std::size_t K, bool Stream = false, class T>
RADICAND_ALWAYS_INLINE void packet_group(const T* in, T* out) noexcept {
  typename A::pf x[K], z[K];
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) x[k] = A::load(in + k * A::lanes);
  packet_form<Op>::template f32<A, K>(x, z);
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

template <class A, class T>
RADICAND_ALWAYS_INLINE void prefetch_ahead(const T* p) noexcept {
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

/// double: the lanes set in `unsettled` through the scalar function, the others as in z.
template <class A, class Op>
typename A::pd scalar_lanes(typename A::pd x, typename A::pd z, typename A::md unsettled) noexcept {
  constexpr std::size_t lanes = A::lanes / 2;
  double xs[lanes], zs[lanes];
  A::store(xs, x);
  A::store(zs, z);
  const unsigned bits = A::lane_bits(unsettled);
  for (std::size_t j = 0; j < lanes; ++j)
    if ((bits >> j) & 1u) zs[j] = Op{}(xs[j]);
  return A::load(zs);
}

/// double: K packets from `in` to `out` (non-temporal stores if Stream).
template <class A, class Op, std::size_t K, bool Stream>
RADICAND_ALWAYS_INLINE void packet_group_f64(const double* in, double* out) noexcept {
  constexpr std::size_t lanes = A::lanes / 2;
  typename A::pd x[K], z[K];
  typename A::md unsettled[K];
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) x[k] = A::load(in + k * lanes);
  if (!packet_form<Op>::template f64<A, K>(x, z, unsettled)) {
    for (std::size_t k = 0; k < K; ++k)
      if (A::any(unsettled[k])) z[k] = scalar_lanes<A, Op>(x[k], z[k], unsettled[k]);
  }
  RADICAND_UNROLL
  for (std::size_t k = 0; k < K; ++k) {
    if constexpr (Stream)
      A::stream(out + k * lanes, z[k]);
    else
      A::store(out + k * lanes, z[k]);
  }
}

/// double from index i on: groups, then single packets; returns where it stopped.
template <class A, class Op, bool Stream>
std::size_t packet_runs_f64(const double* in, double* out, std::size_t i, std::size_t n,
                            bool large) noexcept {
  constexpr std::size_t lanes = A::lanes / 2, step = group_packets_f64 * lanes;
  for (; i + step <= n; i += step) {
    if (large) {
      RADICAND_UNROLL
      for (std::size_t k = 0; k < group_packets_f64; ++k) prefetch_ahead<A>(in + i + k * lanes);
    }
    packet_group_f64<A, Op, group_packets_f64, Stream>(in + i, out + i);
  }
  for (; i + lanes <= n; i += lanes) packet_group_f64<A, Op, 1, Stream>(in + i, out + i);
  return i;
}

/// double: groups and packets, then the tail through the scalar function. `large` as below.
template <class A, class Op>
void packet_loop_f64(const double* in, double* out, std::size_t n, bool large) noexcept {
  std::size_t i = 0;
  if (large && in != out && reinterpret_cast<std::uintptr_t>(out) % sizeof(double) == 0) {
    for (; i < n && reinterpret_cast<std::uintptr_t>(out + i) % 64 != 0; ++i) out[i] = Op{}(in[i]);
    i = packet_runs_f64<A, Op, true>(in, out, i, n, true);
    A::fence();
  } else {
    i = packet_runs_f64<A, Op, false>(in, out, i, n, large);
  }
  for (; i < n; ++i) out[i] = Op{}(in[i]);
}

/// Every type (double: packet_loop_f64): whole packets, then the tail. `large`: the buffers are
/// larger than the caches, so the input is prefetched and, out of place, the output written with
/// non-temporal stores (after a head that brings `out` to a 64-byte boundary).
template <class A, class Op, class T>
void packet_loop(const T* in, T* out, std::size_t n, bool large) noexcept {
  if constexpr (std::is_same<T, double>::value) {
    packet_loop_f64<A, Op>(in, out, n, large);
  } else {
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
}
