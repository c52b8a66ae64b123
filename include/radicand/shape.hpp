// radicand: shapes, strides, broadcasting, layout tests and the overlap rules, and int_list, the
// type of a tensor's sizes and strides.
#ifndef RADICAND_SHAPE_HPP
#define RADICAND_SHAPE_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <ostream>
#include <utility>
#include <vector>

#include "error.hpp"

RADICAND_NAMESPACE_BEGIN

/// A tensor's sizes or strides (what shape(), sizes() and strides() return): a
/// std::vector<std::int64_t> that streams as [2, 3], as libtorch prints x.sizes().
class int_list : public std::vector<std::int64_t> {
 public:
  using std::vector<std::int64_t>::vector;
  int_list() = default;
  // Implicit, so that a std::vector converts as it would to itself (the inherited constructors
  // leave out the vector's copy and move).
  int_list(const std::vector<std::int64_t>& v) : std::vector<std::int64_t>(v) {}  // NOLINT
  int_list(std::vector<std::int64_t>&& v) noexcept                                // NOLINT
      : std::vector<std::int64_t>(std::move(v)) {}
};

/// [2, 3]; [] for a 0-d tensor's shape.
inline std::ostream& operator<<(std::ostream& os, const int_list& l) {
  return os << detail::format_dims(l);
}

namespace detail {

using dims_t = std::vector<std::int64_t>;

/// Number of elements; a negative size or a product past int64 throws shape_error.
inline std::int64_t checked_numel(const char* op, const dims_t& shape) {
  std::int64_t n = 1;
  bool zero = false;
  for (auto s : shape) {
    if (s < 0) fail<shape_error>(op, "negative size in shape ", format_dims(shape));
    if (s == 0) zero = true;
  }
  if (zero) return 0;
  for (auto s : shape) {
    if (n > INT64_MAX / s)
      fail<shape_error>(op, "shape ", format_dims(shape), " has more than 2^63-1 elements");
    n *= s;
  }
  return n;
}

/// Number of elements of a shape already checked by checked_numel. A zero anywhere gives 0
/// before any product is taken, so sizes such as [2^62, 4, 0] cannot overflow.
inline std::int64_t numel_of(const dims_t& shape) {
  for (auto s : shape)
    if (s == 0) return 0;
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}

/// a * b for a size and a stride (both >= 0), or INT64_MAX where the product passes it: only
/// layouts without elements, and size-1 dimensions, get there, and those strides never reach an
/// element.
inline std::int64_t saturating_mul(std::int64_t a, std::int64_t b) noexcept {
  return b != 0 && a > INT64_MAX / b ? INT64_MAX : a * b;
}

/// a * b == c for a, b, c >= 0, without forming a product that could pass int64.
inline bool product_is(std::int64_t a, std::int64_t b, std::int64_t c) noexcept {
  if (a == 0 || b == 0) return c == 0;
  return c % b == 0 && c / b == a;
}

/// Row-major strides. The running product saturates instead of overflowing: it can pass
/// 2^63-1 only for shapes with zero elements (whose strides are never used to reach an
/// element) or for invalid shapes that checked_numel then rejects.
inline dims_t contiguous_strides(const dims_t& shape) {
  dims_t strides(shape.size());
  std::int64_t s = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    const std::int64_t d = std::max<std::int64_t>(shape[i], 1);
    s = s > INT64_MAX / d ? INT64_MAX : s * d;
  }
  return strides;
}

/// Row-major contiguous, ignoring the strides of size-1 dimensions (as PyTorch).
inline bool is_contiguous(const dims_t& shape, const dims_t& strides) {
  if (numel_of(shape) == 0) return true;
  std::int64_t expected = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    if (shape[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

/// The elements fill a block of memory exactly, in some order of the dimensions
/// (PyTorch's is_non_overlapping_and_dense).
inline bool is_dense(const dims_t& shape, const dims_t& strides) {
  const std::size_t d = shape.size();
  if (d == 0) return true;
  if (d == 1) return shape[0] < 2 || strides[0] == 1;
  // No elements: nothing to fill (and the sizes' product below could overflow, e.g. [2^62, 4, 0]).
  if (numel_of(shape) == 0) return true;
  std::vector<std::size_t> perm(d);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  std::stable_sort(perm.begin(), perm.end(), [&](std::size_t a, std::size_t b) {
    if (shape[a] < 2) return false;
    if (shape[b] < 2) return true;
    return strides[a] < strides[b];
  });
  std::int64_t required = 1;
  for (auto i : perm) {
    if (shape[i] < 2) return true;
    if (strides[i] != required) return false;
    required *= shape[i];
  }
  return true;
}

/// True when two different indices reach the same element. Exact: a quick sufficient test on the
/// strides sorted by size, then an enumeration of the offsets for the layouts it cannot decide.
inline bool has_internal_overlap(const dims_t& shape, const dims_t& strides) {
  if (numel_of(shape) <= 1 || is_contiguous(shape, strides))
    return false;  // the common case, without allocating
  std::vector<std::size_t> dims;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 2) continue;
    if (strides[i] == 0) return true;
    dims.push_back(i);
  }
  std::sort(dims.begin(), dims.end(),
            [&](std::size_t a, std::size_t b) { return strides[a] < strides[b]; });
  std::int64_t reach = 0;  // largest offset reachable by the smaller-stride dimensions
  bool separated = true;
  for (auto i : dims) {
    if (strides[i] <= reach) {
      separated = false;
      break;
    }
    reach += strides[i] * (shape[i] - 1);
  }
  if (separated) return false;
  // More elements than offsets they can reach: some share one. This also bounds the enumeration
  // below by the memory the view spans, e.g. shape [1000, 1000, 1000] with strides [1, 2, 3].
  std::int64_t extent = 0;
  for (auto i : dims) extent += strides[i] * (shape[i] - 1);
  if (numel_of(shape) - 1 > extent) return true;
  // Rare: only hand-made strides (from_blob) get here. Enumerate the offsets.
  std::vector<std::int64_t> offsets{0};
  for (auto i : dims) {
    std::vector<std::int64_t> next;
    next.reserve(offsets.size() * static_cast<std::size_t>(shape[i]));
    for (std::int64_t k = 0; k < shape[i]; ++k)
      for (auto o : offsets) next.push_back(o + k * strides[i]);
    offsets.swap(next);
  }
  std::sort(offsets.begin(), offsets.end());
  return std::adjacent_find(offsets.begin(), offsets.end()) != offsets.end();
}

/// Byte range [first, last) that a view touches; empty views touch nothing.
struct byte_range {
  const unsigned char* first;
  const unsigned char* last;
  bool empty() const { return first == last; }
  bool intersects(const byte_range& o) const {
    if (empty() || o.empty()) return false;
    std::less<const unsigned char*> lt;
    return lt(first, o.last) && lt(o.first, last);
  }
};

inline byte_range range_of(const void* data, std::size_t elem_size, const dims_t& shape,
                           const dims_t& strides) {
  auto p = static_cast<const unsigned char*>(data);
  if (numel_of(shape) == 0) return {p, p};
  std::int64_t extent = 0;
  for (std::size_t i = 0; i < shape.size(); ++i) extent += (shape[i] - 1) * strides[i];
  return {p, p + static_cast<std::size_t>(extent) * elem_size + elem_size};
}

namespace share_search {

/// a + b, false where it passes int64.
inline bool add(std::int64_t a, std::int64_t b, std::int64_t& r) noexcept {
  if (b > 0 ? a > INT64_MAX - b : a < INT64_MIN - b) return false;
  r = a + b;
  return true;
}
/// a - b, false where it passes int64.
inline bool sub(std::int64_t a, std::int64_t b, std::int64_t& r) noexcept {
  if (b < 0 ? a > INT64_MAX + b : a < INT64_MIN + b) return false;
  r = a - b;
  return true;
}
/// a * b, false where it passes int64.
inline bool mul(std::int64_t a, std::int64_t b, std::int64_t& r) noexcept {
  if (a != 0 && b != 0) {
    const std::uint64_t ua =
        a < 0 ? 0u - static_cast<std::uint64_t>(a) : static_cast<std::uint64_t>(a);
    const std::uint64_t ub =
        b < 0 ? 0u - static_cast<std::uint64_t>(b) : static_cast<std::uint64_t>(b);
    const std::uint64_t limit = (a < 0) != (b < 0) ? std::uint64_t{1} << 63 : INT64_MAX;
    if (ua > limit / ub) return false;
  }
  r = a * b;
  return true;
}
/// floor(a / b) and ceil(a / b) for b > 0.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - (a % b != 0 && a < 0 ? 1 : 0);
}
inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b + (a % b != 0 && a > 0 ? 1 : 0);
}
inline std::int64_t gcd(std::int64_t a, std::int64_t b) noexcept {
  while (b != 0) {
    const std::int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/// One byte stride of the difference (element of b) - (element of a): c * stride for c in
/// [lo, hi], lo from a's dimensions with this stride, hi from b's. Below it, the strides
/// still to choose reach a sum in [below_lo, below_hi], always a multiple of below_gcd
/// (0: none left, the sum is 0).
struct term {
  std::int64_t stride, lo, hi;
  std::int64_t below_lo, below_hi, below_gcd;
};

/// Whether some choice of c for terms k, k+1, ... puts the sum in [lo, hi]. Each term takes
/// only the values that leave the rest a reachable interval; where the strides are nested (each
/// larger than the span of the smaller ones and the window, as for two views with the strides
/// of one dense tensor), that is at most one value per term. Budget spent: true (cannot tell).
inline bool reachable(const std::vector<term>& terms, std::size_t k, std::int64_t lo,
                      std::int64_t hi, std::int64_t& budget) {
  const term& t = terms[k];
  std::int64_t a = 0, b = 0;
  if (!sub(lo, t.below_hi, a) || !sub(hi, t.below_lo, b)) return true;
  const std::int64_t first = std::max(t.lo, ceil_div(a, t.stride));
  const std::int64_t last = std::min(t.hi, floor_div(b, t.stride));
  for (std::int64_t c = first; c <= last; ++c) {
    if (--budget < 0) return true;
    std::int64_t step = 0, rest_lo = 0, rest_hi = 0;
    if (!mul(c, t.stride, step) || !sub(lo, step, rest_lo) || !sub(hi, step, rest_hi)) return true;
    if (t.below_gcd == 0) return true;  // the last term: rest_lo <= 0 <= rest_hi by the range
    if (floor_div(rest_hi, t.below_gcd) < ceil_div(rest_lo, t.below_gcd)) continue;
    if (reachable(terms, k + 1, rest_lo, rest_hi, budget)) return true;
  }
  return false;
}

}  // namespace share_search

/// False only when no byte of an element of view a is a byte of an element of view b. A view is
/// its first element's address, its element size in bytes, and its shape and strides (in
/// elements, >= 0). Exact (an element-by-element answer) unless the layouts need a long search,
/// which cannot happen for two views with the same strides; then true.
///
/// Elements a at pa + A and b at pb + B (A, B their byte offsets) share a byte when
/// -(eb - 1) <= (pb - pa) + B - A <= ea - 1. B - A is a sum over the byte strides s of c * s,
/// where c ranges over [-(a's sizes - 1), b's sizes - 1] summed over the dimensions of each view
/// with that stride (every value between is reached): a bounded integer search, decided from
/// the largest stride down.
inline bool may_share_element(const void* pa, std::size_t ea, const dims_t& shape_a,
                              const dims_t& strides_a, const void* pb, std::size_t eb,
                              const dims_t& shape_b, const dims_t& strides_b) {
  using namespace share_search;
  if (!range_of(pa, ea, shape_a, strides_a).intersects(range_of(pb, eb, shape_b, strides_b)))
    return false;
  // The ranges meet, so the distance between the first elements is below either's extent.
  const auto ua = reinterpret_cast<std::uintptr_t>(pa), ub = reinterpret_cast<std::uintptr_t>(pb);
  const std::uintptr_t distance = ub >= ua ? ub - ua : ua - ub;
  if (distance > static_cast<std::uintptr_t>(INT64_MAX)) return true;
  const std::int64_t delta =
      ub >= ua ? static_cast<std::int64_t>(distance) : -static_cast<std::int64_t>(distance);
  std::vector<term> terms;
  auto add_dims = [&](const dims_t& shape, const dims_t& strides, std::size_t elem, bool is_b) {
    for (std::size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] < 2 || strides[i] == 0) continue;
      std::int64_t s = 0;
      if (!mul(strides[i], static_cast<std::int64_t>(elem), s)) return false;
      auto it =
          std::find_if(terms.begin(), terms.end(), [&](const term& t) { return t.stride == s; });
      if (it == terms.end()) it = terms.insert(terms.end(), term{s, 0, 0, 0, 0, 0});
      if (!(is_b ? add(it->hi, shape[i] - 1, it->hi) : sub(it->lo, shape[i] - 1, it->lo)))
        return false;
    }
    return true;
  };
  if (!add_dims(shape_a, strides_a, ea, false) || !add_dims(shape_b, strides_b, eb, true))
    return true;
  // B - A must lie in [lo, hi].
  std::int64_t lo = 0, hi = 0;
  if (!sub(-delta, static_cast<std::int64_t>(eb) - 1, lo) ||
      !add(-delta, static_cast<std::int64_t>(ea) - 1, hi))
    return true;
  if (terms.empty()) return lo <= 0 && 0 <= hi;
  std::sort(terms.begin(), terms.end(),
            [](const term& x, const term& y) { return x.stride > y.stride; });
  for (std::size_t k = terms.size() - 1; k-- > 0;) {
    const term& next = terms[k + 1];
    std::int64_t reach_lo = 0, reach_hi = 0;
    if (!mul(next.lo, next.stride, reach_lo) || !mul(next.hi, next.stride, reach_hi) ||
        !add(next.below_lo, reach_lo, terms[k].below_lo) ||
        !add(next.below_hi, reach_hi, terms[k].below_hi))
      return true;
    terms[k].below_gcd = gcd(next.stride, next.below_gcd);
  }
  const std::int64_t g = gcd(terms[0].stride, terms[0].below_gcd);
  if (floor_div(hi, g) < ceil_div(lo, g)) return false;  // no multiple of the strides' gcd fits
  std::int64_t budget = std::int64_t{1} << 14;
  return reachable(terms, 0, lo, hi, budget);
}

/// NumPy broadcasting of two shapes.
inline dims_t broadcast_shapes(const char* op, const dims_t& a, const dims_t& b) {
  const std::size_t n = std::max(a.size(), b.size());
  dims_t out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      fail<shape_error>(op, "shapes ", format_dims(a), " and ", format_dims(b),
                        " cannot be broadcast together");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

/// Strides that read a tensor of (shape, strides) as if it had the broadcast shape `to`.
inline dims_t broadcast_strides(const dims_t& shape, const dims_t& strides, const dims_t& to) {
  dims_t out(to.size(), 0);
  const std::size_t lead = to.size() - shape.size();
  for (std::size_t i = 0; i < shape.size(); ++i) out[lead + i] = shape[i] == 1 ? 0 : strides[i];
  return out;
}

/// Wraps a possibly negative dimension into [0, ndim), and 0 or -1 of a 0-d tensor to 0 (as
/// PyTorch); throws index_error otherwise.
inline std::size_t wrap_dim(const char* op, std::int64_t d, std::size_t ndim) {
  const auto n = static_cast<std::int64_t>(ndim);
  const std::int64_t lo = n == 0 ? -1 : -n, hi = n == 0 ? 0 : n - 1;
  if (d < lo || d > hi)
    fail<index_error>(op, "dimension ", d, " is out of range for a tensor of ", ndim,
                      " dimensions (expected in [", lo, ", ", hi, "])");
  return static_cast<std::size_t>(d < 0 ? d + std::max<std::int64_t>(n, 1) : d);
}

/// PyTorch's view rule: strides for `to` over the same memory as (shape, strides), if they exist.
inline bool view_strides(const dims_t& shape, const dims_t& strides, const dims_t& to,
                         dims_t& out) {
  out.assign(to.size(), 0);
  if (numel_of(shape) == 0 || shape.empty()) {
    out = contiguous_strides(to);
    return true;
  }
  auto view_d = static_cast<std::int64_t>(to.size()) - 1;
  std::int64_t chunk_base = strides.back(), tensor_numel = 1, view_numel = 1;
  for (auto td = static_cast<std::int64_t>(shape.size()) - 1; td >= 0; --td) {
    const auto t = static_cast<std::size_t>(td);
    tensor_numel *= shape[t];
    if (td == 0 || (shape[t - 1] != 1 && !product_is(tensor_numel, chunk_base, strides[t - 1]))) {
      while (view_d >= 0 &&
             (view_numel < tensor_numel || to[static_cast<std::size_t>(view_d)] == 1)) {
        // Past the chunk's last element only for a size-1 dimension, whose stride is never used.
        out[static_cast<std::size_t>(view_d)] = saturating_mul(view_numel, chunk_base);
        view_numel *= to[static_cast<std::size_t>(view_d)];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (td > 0) {
        chunk_base = strides[t - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  return view_d == -1;
}
}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_SHAPE_HPP
