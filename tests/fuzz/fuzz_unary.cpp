// Fuzz target: a tensor of any element type with hand-made layout and values (NaN payloads,
// subnormals, signed zeros, infinities), a sequence of views, then rsqrt or sqrt in one of its
// four forms (function, method, out, in-place) and printing; then, with the input's remaining
// bytes, fill_, zero_ or unary minus on the view. Each view is compared with a naive
// model of its shape and values, each result with the exact reference of fuzz_common.hpp, each
// refusal with the rules of API.md; refusals must write nothing. Any mismatch aborts.
#include "fuzz_common.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace fuzz {
namespace {

/// The model of a view: its shape and its elements' values, row-major.
struct model {
  dims shape;
  std::vector<ld> values;
};

/// A new model of `shape` whose element at idx is the old one at old_index(idx).
template <class F>
model gather(const model& m, const dims& shape, F&& old_index) {
  model r{shape, {}};
  const std::int64_t n = numel(shape);
  dims idx(shape.size(), 0);
  for (std::int64_t k = 0; k < n; ++k) {
    const dims o = old_index(idx);
    std::int64_t lin = 0;
    for (std::size_t d = 0; d < o.size(); ++d) lin = lin * m.shape[d] + o[d];
    r.values.push_back(m.values[static_cast<std::size_t>(lin)]);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return r;
}

bool dim_ok(std::int64_t d, std::size_t ndim) {
  const auto n = static_cast<std::int64_t>(ndim == 0 ? 1 : ndim);
  return d >= -n && d < n;
}
std::size_t wrap(std::int64_t d, std::size_t ndim) {
  const auto n = static_cast<std::int64_t>(ndim == 0 ? 1 : ndim);
  return static_cast<std::size_t>(d < 0 ? d + n : d);
}

std::int64_t pick_bound(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0:
      return std::numeric_limits<std::int64_t>::max();
    case 1:
      return std::numeric_limits<std::int64_t>::min();
    default:
      return in.ConsumeIntegralInRange<std::int64_t>(-8, 8);
  }
}

/// Applies one view to x (and to its model). A refusal must be expected and leave x as it was.
template <class T>
void apply_view(FuzzedDataProvider& in, rd::tensor<T>& x, model& m) {
  const std::size_t nd = m.shape.size();
  rd::tensor<T> r;
  model next;
  bool valid = true;
  std::function<void()> op;
  switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0: {  // slice
      const std::int64_t d = in.ConsumeIntegralInRange<std::int64_t>(-5, 5);
      std::int64_t start = pick_bound(in), end = pick_bound(in);
      const std::int64_t step = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(-2, 4)
                                                 : std::numeric_limits<std::int64_t>::max();
      op = [&, d, start, end, step] { r = x.slice(d, start, end, step); };
      valid = nd > 0 && dim_ok(d, nd) && step > 0;
      if (valid) {
        const std::size_t k = wrap(d, nd);
        const std::int64_t n = m.shape[k];
        if (start < 0) start += n;
        if (end < 0) end += n;
        start = std::min(std::max<std::int64_t>(start, 0), n);
        end = std::min(std::max(end, start), n);
        dims s = m.shape;
        s[k] = end == start ? 0 : (end - start - 1) / step + 1;
        next = gather(m, s, [&](dims idx) {
          idx[k] = start + idx[k] * step;
          return idx;
        });
      }
      break;
    }
    case 1: {  // select, or the index operator
      const bool index_op = in.ConsumeBool();
      const std::int64_t d = index_op ? 0 : in.ConsumeIntegralInRange<std::int64_t>(-5, 5);
      const std::int64_t i = in.ConsumeIntegralInRange<std::int64_t>(-8, 8);
      op = [&, d, i, index_op] { r = index_op ? x[i] : x.select(d, i); };
      valid = nd > 0 && dim_ok(d, nd);
      if (valid) {
        const std::size_t k = wrap(d, nd);
        const std::int64_t n = m.shape[k];
        valid = i >= -n && i < n;
        if (valid) {
          dims s = m.shape;
          s.erase(s.begin() + static_cast<std::ptrdiff_t>(k));
          next = gather(m, s, [&](dims idx) {
            idx.insert(idx.begin() + static_cast<std::ptrdiff_t>(k), i < 0 ? i + n : i);
            return idx;
          });
        }
      }
      break;
    }
    case 2: {  // transpose
      const std::int64_t a = in.ConsumeIntegralInRange<std::int64_t>(-5, 5);
      const std::int64_t b = in.ConsumeIntegralInRange<std::int64_t>(-5, 5);
      op = [&, a, b] { r = x.transpose(a, b); };
      valid = dim_ok(a, nd) && dim_ok(b, nd);
      if (valid) {
        dims s = m.shape;
        const std::size_t ka = wrap(a, nd), kb = wrap(b, nd);
        if (nd > 0) std::swap(s[ka], s[kb]);
        next = gather(m, s, [&](dims idx) {
          if (nd > 0) std::swap(idx[ka], idx[kb]);
          return idx;
        });
      }
      break;
    }
    case 3: {  // permute
      dims p(in.ConsumeBool() ? nd : in.ConsumeIntegralInRange<std::size_t>(0, 5));
      std::vector<std::size_t> order(nd);
      for (std::size_t i = 0; i < nd; ++i) order[i] = i;
      for (std::size_t i = 0; i < nd; ++i)
        std::swap(order[i], order[in.ConsumeIntegralInRange<std::size_t>(i, nd - 1)]);
      for (std::size_t i = 0; i < p.size(); ++i) {
        p[i] = i < nd ? static_cast<std::int64_t>(order[i]) : 0;
        if (in.ConsumeIntegralInRange(0, 5) == 0)
          p[i] = in.ConsumeIntegralInRange<std::int64_t>(-5, 5);
        else if (in.ConsumeBool() && p[i] > 0)
          p[i] -= static_cast<std::int64_t>(nd);  // negative form
      }
      op = [&, p] { r = x.permute(p); };
      valid = p.size() == nd;
      std::vector<bool> seen(nd, false);
      for (std::size_t i = 0; valid && i < nd; ++i) {
        valid = p[i] >= -static_cast<std::int64_t>(nd) && p[i] < static_cast<std::int64_t>(nd);
        if (valid) {
          const std::size_t k = wrap(p[i], nd);
          valid = !seen[k];
          seen[k] = true;
        }
      }
      if (valid) {
        dims s(nd);
        for (std::size_t i = 0; i < nd; ++i) s[i] = m.shape[wrap(p[i], nd)];
        next = gather(m, s, [&](const dims& idx) {
          dims o(nd);
          for (std::size_t i = 0; i < nd; ++i) o[wrap(p[i], nd)] = idx[i];
          return o;
        });
      }
      break;
    }
    case 4: {  // t
      op = [&] { r = x.t(); };
      valid = nd <= 2;
      if (valid) {
        dims s = m.shape;
        std::reverse(s.begin(), s.end());
        next = gather(m, s, [&](dims idx) {
          std::reverse(idx.begin(), idx.end());
          return idx;
        });
      }
      break;
    }
    case 5: {  // expand
      const std::size_t lead = in.ConsumeIntegralInRange<std::size_t>(0, 2);
      dims to(nd + lead);
      for (std::size_t i = 0; i < to.size(); ++i) {
        const int mode = in.ConsumeIntegralInRange(0, 3);
        const std::int64_t have = i < lead ? 1 : m.shape[i - lead];
        to[i] = mode == 0 ? -1 : mode == 1 ? have : in.ConsumeIntegralInRange<std::int64_t>(-2, 4);
      }
      if (in.ConsumeIntegralInRange(0, 7) == 0 && !to.empty()) to.erase(to.begin());  // too few
      op = [&, to] { r = x.expand(to); };
      valid = to.size() >= nd;
      const std::size_t ld0 = valid ? to.size() - nd : 0;
      dims s(to.size());
      for (std::size_t i = 0; valid && i < to.size(); ++i) {
        if (i < ld0) {
          valid = to[i] >= 0;
          s[i] = to[i];
          continue;
        }
        const std::int64_t have = m.shape[i - ld0];
        const std::int64_t want = to[i] == -1 ? have : to[i];
        valid = want >= 0 && (want == have || have == 1);
        s[i] = want;
      }
      if (valid) {
        next = gather(m, s, [&](const dims& idx) {
          dims o(nd);
          for (std::size_t i = 0; i < nd; ++i) o[i] = m.shape[i] == 1 ? 0 : idx[i + ld0];
          return o;
        });
      }
      break;
    }
    case 6: {  // reshape or view
      dims to(in.ConsumeIntegralInRange<std::size_t>(0, 4));
      for (auto& d : to) d = in.ConsumeIntegralInRange<std::int64_t>(-2, 8);
      const bool as_view = in.ConsumeBool();
      op = [&, to, as_view] { r = as_view ? x.view(to) : x.reshape(to); };
      const std::int64_t n = numel(m.shape);
      std::int64_t known = 1;
      int inferred = 0;
      for (auto d : to) {
        if (d == -1)
          ++inferred;
        else if (d < 0)
          valid = false;
        else
          known *= d;
      }
      dims s = to;
      if (valid) {
        if (inferred > 1)
          valid = false;
        else if (inferred == 1) {
          valid = known != 0 && n % known == 0;
          for (auto& d : s)
            if (d == -1) d = valid ? n / known : 0;
        } else {
          valid = known == n;
        }
      }
      if (valid) {
        // A view must succeed where the strides allow and may refuse otherwise: decided below.
        next = model{s, m.values};
        if (as_view) {
          const auto* t = run_guarded(op);
          if (t != nullptr) {
            require(*t == typeid(rd::shape_error), "view refused with the wrong type");
            return;
          }
          require(r.shape() == s, "view shape");
          require(r.data() == x.data(), "view copied");
          x = r;
          m = next;
          const auto got = values_of(x);
          for (std::size_t i = 0; i < got.size(); ++i)
            require(same_value(got[i], m.values[i]), "view values");
          return;
        }
      }
      break;
    }
    default: {  // contiguous or clone
      const bool c = in.ConsumeBool();
      op = [&, c] { r = c ? x.contiguous() : x.clone(); };
      next = m;
      break;
    }
  }
  const auto* thrown = run_guarded(op);
  if (!valid) {
    require(thrown != nullptr, "an invalid view was accepted");
    require(*thrown == typeid(rd::index_error) || *thrown == typeid(rd::shape_error),
            "view refused with the wrong type");
    return;
  }
  require(thrown == nullptr, "a valid view was refused");
  require(r.shape() == next.shape, "view shape", rd::detail::format_dims(r.shape()));
  const auto got = values_of(r);
  for (std::size_t i = 0; i < got.size(); ++i)
    require(same_value(got[i], next.values[i]), "view values",
            show(got[i]) + " vs " + show(next.values[i]));
  x = r;
  m = std::move(next);
}

template <class R>
using unary_result_t = std::conditional_t<is_float_v<R>, R, float>;

/// Every reference value of Op over the model, in R, each rounded to U; double rsqrt allows
/// its neighbours too.
template <class R, class U>
bool result_ok(bool is_rsqrt, ld x_in, ld got) {
  const ld x = round_to<R>(x_in);  // integral and bool inputs compute in float
  const ld ref = reference_unary<R>(is_rsqrt, x);
  if (same_value(got, round_to<U>(ref))) return true;
  if constexpr (std::is_same<R, double>::value) {
    if (is_rsqrt && std::isfinite(ref) && ref > 0) {
      const format f = format_of<double>();
      return same_value(got, round_to<U>(succ(ref, f))) ||
             same_value(got, round_to<U>(pred(ref, f)));
    }
  }
  return false;
}

template <class R, class U>
void check_result(bool is_rsqrt, const model& m, const rd::tensor<U>& out) {
  require(out.shape() == m.shape, "result shape", rd::detail::format_dims(out.shape()));
  const auto got = values_of(out);
  for (std::size_t i = 0; i < got.size(); ++i)
    require(result_ok<R, U>(is_rsqrt, m.values[i], got[i]), is_rsqrt ? "rsqrt value" : "sqrt value",
            "x=" + show(m.values[i]) + " got=" + show(got[i]));
}

template <class T, class U>
void run_out(FuzzedDataProvider& in, bool is_rsqrt, const rd::tensor<T>& x, storage<T>& xs,
             const model& m) {
  using R = unary_result_t<T>;
  storage<U> own;
  rd::tensor<U> out;
  bool aliased = false;  // out lies in x's storage
  const int where = in.ConsumeIntegralInRange(0, 3);
  if constexpr (std::is_same<T, U>::value) {
    if (where == 0) {
      out = x;  // in place through out
      aliased = true;
    } else if (where == 1) {
      // Another view of x's storage: shape, strides and offset from the fuzzer.
      dims shape = in.ConsumeBool() ? m.shape : decode_shape(in);
      dims strides(shape.size());
      for (auto& s : strides) s = in.ConsumeIntegralInRange<std::int64_t>(0, 4);
      std::int64_t extent = 0;
      for (std::size_t i = 0; i < shape.size(); ++i)
        extent += (shape[i] > 0 ? shape[i] - 1 : 0) * strides[i];
      const auto size = static_cast<std::int64_t>(xs.size);
      if (numel(shape) == 0 || extent < size) {
        const std::int64_t off =
            in.ConsumeIntegralInRange<std::int64_t>(0, numel(shape) == 0 ? 0 : size - 1 - extent);
        out = rd::from_blob(xs.data() + off, shape, strides);
        aliased = true;
      }
    }
  }
  if (!aliased) {
    const dims shape = in.ConsumeIntegralInRange(0, 3) != 0 ? m.shape : decode_shape(in);
    out = decode_tensor(in, own, shape);
  }
  xs.save();
  own.save();
  // The rules of API.md, naively.
  const bool same_shape = out.shape() == m.shape;
  const bool resize = !same_shape && numel(out.shape()) == 0;
  bool must_refuse = !same_shape && !resize;
  bool may_refuse = must_refuse;
  const std::type_info* expected = &typeid(rd::shape_error);
  if (same_shape) {
    if (self_overlaps(out)) {
      must_refuse = may_refuse = true;
      expected = &typeid(rd::overlap_error);
    } else {
      const auto ob = bytes_of(out), ib = bytes_of(x);
      const bool exact =
          static_cast<const void*>(out.data()) == static_cast<const void*>(x.data()) &&
          sizeof(T) == sizeof(U) && [&] {
            for (std::size_t d = 0; d < m.shape.size(); ++d)
              if (m.shape[d] > 1 && out.strides()[d] != x.strides()[d]) return false;
            return true;
          }();
      std::vector<const unsigned char*> a = ob, b = ib;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      std::vector<const unsigned char*> common;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
      const bool ranges_meet =
          !a.empty() && !b.empty() && a.front() <= b.back() && b.front() <= a.back();
      if (!exact && !common.empty()) must_refuse = true;
      if (!exact && ranges_meet) may_refuse = true;
      if (may_refuse) expected = &typeid(rd::overlap_error);
    }
  }
  const bool rvalue = in.ConsumeBool();
  rd::tensor<U> result;
  const auto* thrown = run_guarded([&] {
    if (rvalue)
      result = is_rsqrt ? rd::rsqrt(x, rd::tensor<U>(out)) : rd::sqrt(x, rd::tensor<U>(out));
    else if (is_rsqrt)
      rd::rsqrt(x, out);
    else
      rd::sqrt(x, out);
  });
  if (thrown != nullptr) {
    require(may_refuse, "out refused against the rules", thrown->name());
    require(*thrown == *expected, "out refused with the wrong type", thrown->name());
    require(xs.unchanged() && own.unchanged(), "a refused out wrote");
    return;
  }
  require(!must_refuse, "out accepted against the rules");
  const rd::tensor<U>& written = rvalue ? result : out;
  check_result<R, U>(is_rsqrt, m, written);
  if (resize) {
    require(xs.unchanged() && own.unchanged(), "a resized out wrote into its old memory");
  } else if (aliased) {
    if constexpr (std::is_same<T, U>::value) check_outside(xs, written);
  } else {
    require(xs.unchanged(), "the input changed");
    check_outside(own, written);
  }
}

/// A new handle of t (an rvalue, as a view expression is).
template <class T>
rd::tensor<T> handle(const rd::tensor<T>& t) {
  return t;
}

/// fill_ (with a C++ scalar, or as a view assignment), zero_ or unary minus on the view x of
/// xs, against the references of fuzz_common.hpp; a view whose elements overlap is refused.
template <class T>
void write_into(FuzzedDataProvider& in, rd::tensor<T>& x, storage<T>& xs) {
  const auto before = values_of(x);
  xs.save();
  const bool overlapping = self_overlaps(x);
  const int kind = in.ConsumeIntegralInRange(0, 2);
  if (kind == 0) {
    const auto sk = static_cast<scalar_kind>(in.ConsumeIntegralInRange(0, 2));
    const bool method = in.ConsumeBool();
    ld v = 0;
    const std::type_info* thrown = nullptr;
    auto write = [&](auto s) {
      thrown = run_guarded([&] {
        if (method)
          x.fill_(s);
        else
          handle(x) = s;
      });
    };
    if (sk == scalar_kind::boolean) {
      const bool s = in.ConsumeBool();
      v = s ? 1 : 0;
      write(s);
    } else if (sk == scalar_kind::integer) {
      const auto s = in.ConsumeIntegral<std::int64_t>();
      v = static_cast<ld>(s);
      write(s);
    } else {
      const double s = static_cast<double>(value_of(decode_element<double>(in)));
      v = static_cast<ld>(s);
      write(s);
    }
    ld want = 0;
    const bool fits = fill_ref<T>(v, sk, want);
    if (!fits || overlapping) {
      require(thrown != nullptr &&
                  *thrown == (fits ? typeid(rd::overlap_error) : typeid(rd::value_error)),
              "fill_ accepted or refused against the rules", show(v));
      require(xs.unchanged(), "a refused fill_ wrote");
      return;
    }
    require(thrown == nullptr, "fill_ refused", show(v));
    for (ld got : values_of(x)) require(same_value(got, want), "fill_ value", show(got));
    check_outside(xs, x);
  } else if (kind == 1) {
    const auto* thrown = run_guarded([&] { x.zero_(); });
    if (overlapping) {
      require(thrown != nullptr && *thrown == typeid(rd::overlap_error), "zero_ on overlapping");
      require(xs.unchanged(), "a refused zero_ wrote");
      return;
    }
    require(thrown == nullptr, "zero_ refused");
    for (ld got : values_of(x)) require(same_value(got, 0), "zero_ value", show(got));
    check_outside(xs, x);
  } else if constexpr (!std::is_same<T, bool>::value) {
    const rd::tensor<T> r = -x;
    require(r.shape() == x.shape(), "unary minus shape");
    const auto got = values_of(r);
    for (std::size_t i = 0; i < got.size(); ++i)
      require(same_value(got[i], negate_ref<T>(before[i])), "unary minus value",
              show(before[i]) + " -> " + show(got[i]));
    require(xs.unchanged(), "unary minus wrote into its operand");
  }
}

template <class T>
void run(FuzzedDataProvider& in) {
  storage<T> xs;
  const dims shape = decode_shape(in);
  rd::tensor<T> x = decode_tensor(in, xs, shape);
  model m{shape, values_of(x)};
  for (int steps = in.ConsumeIntegralInRange(0, 5); steps > 0; --steps) apply_view(in, x, m);
  require(xs.unchanged(), "a view wrote");
  using R = unary_result_t<T>;
  const bool is_rsqrt = in.ConsumeBool();
  switch (in.ConsumeIntegralInRange(0, 6)) {
    case 0: {
      const rd::tensor<R> r = is_rsqrt ? rd::rsqrt(x) : rd::sqrt(x);
      check_result<R, R>(is_rsqrt, m, r);
      require(xs.unchanged(), "the input changed");
      break;
    }
    case 1: {
      const rd::tensor<R> r = is_rsqrt ? x.rsqrt() : x.sqrt();
      check_result<R, R>(is_rsqrt, m, r);
      require(xs.unchanged(), "the input changed");
      break;
    }
    case 2:
      run_out<T, float>(in, is_rsqrt, x, xs, m);
      break;
    case 3:
      run_out<T, double>(in, is_rsqrt, x, xs, m);
      break;
    case 4:
      run_out<T, rd::half>(in, is_rsqrt, x, xs, m);
      break;
    case 5:
      run_out<T, rd::bfloat16>(in, is_rsqrt, x, xs, m);
      break;
    default: {
      if constexpr (is_float_v<T>) {
        xs.save();
        const bool method = in.ConsumeBool();
        const auto* thrown = run_guarded([&] {
          if (method)
            is_rsqrt ? x.rsqrt_() : x.sqrt_();
          else
            is_rsqrt ? rd::rsqrt_(x) : rd::sqrt_(x);
        });
        if (self_overlaps(x)) {
          require(thrown != nullptr && *thrown == typeid(rd::overlap_error),
                  "in-place on overlapping elements");
          require(xs.unchanged(), "a refused in-place wrote");
        } else {
          require(thrown == nullptr, "in-place refused");
          check_result<T, T>(is_rsqrt, m, x);
          check_outside(xs, x);
        }
      }
      break;
    }
  }
  // Printing, with options from the fuzzer (invalid ones are refused).
  if (in.ConsumeBool()) {
    rd::print_options o;
    o.precision = in.ConsumeIntegralInRange(-1, 12);
    o.threshold = in.ConsumeIntegralInRange<std::int64_t>(-1, 40);
    o.edgeitems = in.ConsumeIntegralInRange<std::int64_t>(-1, 4);
    o.linewidth = in.ConsumeIntegralInRange<std::int64_t>(-2, 120);
    o.sci = static_cast<rd::sci_mode>(in.ConsumeIntegralInRange(0, 2));
    std::string s;
    const auto* thrown = run_guarded([&] {
      rd::print_options_guard g(o);
      s = rd::to_string(x);
    });
    if (o.precision < 0 || o.threshold < 0 || o.edgeitems < 0 || o.linewidth < 1) {
      require(thrown != nullptr && *thrown == typeid(rd::value_error),
              "invalid print options accepted");
    } else {
      require(thrown == nullptr, "printing refused");
      require(s.rfind("tensor(", 0) == 0 && s.back() == ')', "printed text", s);
    }
  }
  // The bytes left, if any, write into the view (so the inputs above decode as they always did).
  if (in.remaining_bytes() > 0) write_into(in, x, xs);
}

}  // namespace
}  // namespace fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange(0, 9)) {
    case 0:
      fuzz::run<float>(in);
      break;
    case 1:
      fuzz::run<double>(in);
      break;
    case 2:
      fuzz::run<radicand::half>(in);
      break;
    case 3:
      fuzz::run<radicand::bfloat16>(in);
      break;
    case 4:
      fuzz::run<bool>(in);
      break;
    case 5:
      fuzz::run<std::int8_t>(in);
      break;
    case 6:
      fuzz::run<std::uint8_t>(in);
      break;
    case 7:
      fuzz::run<std::int16_t>(in);
      break;
    case 8:
      fuzz::run<std::int32_t>(in);
      break;
    default:
      fuzz::run<std::int64_t>(in);
      break;
  }
  return 0;
}
