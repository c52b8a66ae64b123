// radicand: the CPU loops of the reductions and the normalisations over contiguous runs, on the
// primitives of a backend `A`: the fixed-order sum of math/fixed_sum.hpp with its 16 lanes held
// in 16 / (packet lanes) packets, several blocks at once for independent chains, and the
// normalisations' output pass. Every backend adds the same numbers in the same order, so every
// backend returns the same bits as math::fixed_sum.
//
// A body like loops.hpp: cpu/target.hpp includes it in each backend's namespace.

/// The packet type of A holding elements of type T (double: pd; float, half, bfloat16: pf), its
/// lanes, and the type it computes in.
template <class A, class T>
struct packet_traits {
  using type = typename A::pf;
  using acc = float;
  static constexpr std::size_t lanes = A::lanes;
};
template <class A>
struct packet_traits<A, double> {
  using type = typename A::pd;
  using acc = double;
  static constexpr std::size_t lanes = A::lanes / 2;
};

template <class A, math::summand S, class P>
RADICAND_ALWAYS_INLINE P packet_summand(P x, P centre) noexcept {
  if constexpr (S == math::summand::value) {
    (void)centre;
    return x;
  } else if constexpr (S == math::summand::square) {
    (void)centre;
    return A::mul_rn(x, x);
  } else {
    const P d = A::sub(x, centre);
    return A::mul_rn(d, d);
  }
}

/// One block's value from its lanes, held in V packets: lane[j] += lane[j + w] for w = 8, 4, 2, 1
/// (j < w), as packets while w covers whole packets, then in the lanes of the first.
template <class A, class T, std::size_t V>
RADICAND_ALWAYS_INLINE typename packet_traits<A, T>::acc fold_lanes(
    typename packet_traits<A, T>::type (&acc)[V]) noexcept {
  using Acc = typename packet_traits<A, T>::acc;
  constexpr std::size_t L = packet_traits<A, T>::lanes;
  RADICAND_UNROLL
  for (std::size_t w = V / 2; w >= 1; w /= 2) {
    RADICAND_UNROLL
    for (std::size_t v = 0; v < w; ++v) acc[v] = A::add(acc[v], acc[v + w]);
  }
  Acc lane[L];
  A::store(lane, acc[0]);
  for (std::size_t w = L / 2; w >= 1; w /= 2)
    for (std::size_t j = 0; j < w; ++j) lane[j] = lane[j] + lane[j + w];
  return lane[0];
}

/// The values of G consecutive full blocks starting at p, into out[0, G).
template <class A, math::summand S, std::size_t G, class T>
RADICAND_ALWAYS_INLINE void full_block_values(const T* p, typename packet_traits<A, T>::acc centre,
                                              typename packet_traits<A, T>::acc* out) noexcept {
  using P = typename packet_traits<A, T>::type;
  constexpr std::size_t L = packet_traits<A, T>::lanes, V = math::sum_lanes / L;
  static_assert(math::sum_lanes % L == 0, "radicand: a packet holds at most 16 lanes");
  const P c = A::broadcast(centre);
  P acc[G][V];
  RADICAND_UNROLL
  for (std::size_t g = 0; g < G; ++g) {
    RADICAND_UNROLL
    for (std::size_t v = 0; v < V; ++v) acc[g][v] = A::broadcast(decltype(centre)(0));
  }
  for (std::size_t i = 0; i < math::block_elements; i += math::sum_lanes) {
    RADICAND_UNROLL
    for (std::size_t g = 0; g < G; ++g) {
      RADICAND_UNROLL
      for (std::size_t v = 0; v < V; ++v)
        acc[g][v] = A::add(
            acc[g][v], packet_summand<A, S>(A::load(p + g * math::block_elements + i + v * L), c));
    }
  }
  RADICAND_UNROLL
  for (std::size_t g = 0; g < G; ++g) out[g] = fold_lanes<A, T>(acc[g]);
}

/// The value of one block of k < block_elements elements: whole rows of 16 in packets, the
/// rest added to their lanes one by one (math::summand_of computes what the packets do).
template <class A, math::summand S, class T>
typename packet_traits<A, T>::acc partial_block_value(
    const T* p, std::size_t k, typename packet_traits<A, T>::acc centre) noexcept {
  using Acc = typename packet_traits<A, T>::acc;
  using P = typename packet_traits<A, T>::type;
  constexpr std::size_t L = packet_traits<A, T>::lanes, V = math::sum_lanes / L;
  const P c = A::broadcast(centre);
  P acc[V];
  for (std::size_t v = 0; v < V; ++v) acc[v] = A::broadcast(Acc(0));
  std::size_t i = 0;
  for (; i + math::sum_lanes <= k; i += math::sum_lanes)
    for (std::size_t v = 0; v < V; ++v)
      acc[v] = A::add(acc[v], packet_summand<A, S>(A::load(p + i + v * L), c));
  Acc lane[math::sum_lanes];
  for (std::size_t v = 0; v < V; ++v) A::store(lane + v * L, acc[v]);
  for (; i < k; ++i)
    lane[i % math::sum_lanes] =
        lane[i % math::sum_lanes] + math::summand_of<S>(static_cast<Acc>(p[i]), centre);
  for (std::size_t w = math::sum_lanes / 2; w >= 1; w /= 2)
    for (std::size_t j = 0; j < w; ++j) lane[j] = lane[j] + lane[j + w];
  return lane[0];
}

/// Blocks computed together: enough packets in flight to hide the latency of the additions
/// (8 chains), few enough to stay in registers.
template <class A, class T>
constexpr std::size_t interleaved_blocks() noexcept {
  constexpr std::size_t V = math::sum_lanes / packet_traits<A, T>::lanes;
  return V >= 8 ? 1 : 8 / V;
}

/// The blocks [first, first + m) of the n elements at p combined in the fixed tree
/// (math::combine_blocks); a perfect subtree of G full blocks is computed at once.
template <class A, math::summand S, class T>
typename packet_traits<A, T>::acc block_tree(const T* p, std::size_t n, std::size_t first,
                                             std::size_t m,
                                             typename packet_traits<A, T>::acc centre) noexcept {
  using Acc = typename packet_traits<A, T>::acc;
  constexpr std::size_t G = interleaved_blocks<A, T>(), B = math::block_elements;
  if (G > 1 && m == G && (first + m) * B <= n) {
    Acc v[G];
    full_block_values<A, S, G>(p + first * B, centre, v);
    for (std::size_t w = 1; w < G; w *= 2)
      for (std::size_t j = 0; j < G; j += 2 * w) v[j] = v[j] + v[j + w];
    return v[0];
  }
  if (m == 1) {
    const std::size_t k = n - first * B;
    if (k >= B) {
      Acc v[1];
      full_block_values<A, S, 1>(p + first * B, centre, v);
      return v[0];
    }
    return partial_block_value<A, S>(p + first * B, k, centre);
  }
  const std::size_t half = math::power_of_two_below(m);
  const Acc left = block_tree<A, S>(p, n, first, half, centre);
  return left + block_tree<A, S>(p, n, first + half, m - half, centre);
}

/// The normalisations' output: y[i] = ((x[i] - shift) * scale) * w[i] + b[i], each product
/// rounded on its own, in the type of the packets; a NaN result is the canonical NaN.
template <class A, bool Weight, bool Bias, class T>
RADICAND_ALWAYS_INLINE void norm_output_packets(const T* x, T* y, std::size_t n,
                                                typename packet_traits<A, T>::acc shift,
                                                typename packet_traits<A, T>::acc scale, const T* w,
                                                const T* b) noexcept {
  using Acc = typename packet_traits<A, T>::acc;
  using P = typename packet_traits<A, T>::type;
  constexpr std::size_t L = packet_traits<A, T>::lanes;
  const P s = A::broadcast(shift), k = A::broadcast(scale);
  const P nan = A::broadcast(math::canonical_nan(std::numeric_limits<Acc>::quiet_NaN()));
  // w and b are read only where they exist (offsetting a null pointer is undefined).
  const auto one = [&](const T* xi, T* yi, const T* wi, const T* bi) {
    P v = A::mul_rn(A::sub(A::load(xi), s), k);
    if constexpr (Weight) v = A::mul_rn(v, A::load(wi));
    if constexpr (Bias) v = A::add(v, A::load(bi));
    A::store(yi, A::select(A::ne(v, v), nan, v));
  };
  std::size_t i = 0;
  for (; i + L <= n; i += L) one(x + i, y + i, Weight ? w + i : w, Bias ? b + i : b);
  if (i < n) {
    T xs[L], ys[L], ws[L], bs[L];
    for (std::size_t j = 0; j < L; ++j) xs[j] = ws[j] = bs[j] = T(0.0f);
    std::memcpy(xs, x + i, (n - i) * sizeof(T));
    if constexpr (Weight) std::memcpy(ws, w + i, (n - i) * sizeof(T));
    if constexpr (Bias) std::memcpy(bs, b + i, (n - i) * sizeof(T));
    one(xs, ys, ws, bs);
    std::memcpy(y + i, ys, (n - i) * sizeof(T));
  }
}

template <class A, class T>
void norm_output(const T* x, T* y, std::size_t n, typename packet_traits<A, T>::acc shift,
                 typename packet_traits<A, T>::acc scale, const T* w, const T* b) noexcept {
  if (w != nullptr && b != nullptr)
    norm_output_packets<A, true, true>(x, y, n, shift, scale, w, b);
  else if (w != nullptr)
    norm_output_packets<A, true, false>(x, y, n, shift, scale, w, b);
  else if (b != nullptr)
    norm_output_packets<A, false, true>(x, y, n, shift, scale, w, b);
  else
    norm_output_packets<A, false, false>(x, y, n, shift, scale, w, b);
}
