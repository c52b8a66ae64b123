// Fuzz target: + - * / between two tensors of (possibly different) element types and layouts,
// with NumPy broadcasting; tensor with scalar on either side; compound assignment, also with
// an operand in the same memory; then, with the input's remaining bytes, copy_, view
// assignment, fill_, zero_ and unary minus between the two types, against references of
// their own. Each element is compared with a scalar reference computed
// here: the operands converted to the type the operation runs in (float for half and
// bfloat16), the exact operation in long double (double for double), rounded as the library
// promises; integers wrap modulo 2^n. Shapes that do not broadcast, a compound result of
// another shape and overlapping operands must be refused and write nothing. Any mismatch aborts.
#include "fuzz_common.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace fuzz {
namespace {

enum class op_kind { add, sub, mul, div };

template <class R>
using opmath_t = std::conditional_t<is_half_v<R> || is_bf16_v<R>, float, R>;

/// v (an integer) converted to the integral type R modulo 2^n.
template <class R>
ld wrap_to(std::uint64_t v) {
  return static_cast<ld>(static_cast<R>(static_cast<std::make_unsigned_t<R>>(v)));
}

/// The exact value of a op b computed as the library promises in result type R.
template <class R>
ld reference(op_kind op, ld a, ld b) {
  if constexpr (std::is_same<R, bool>::value) {
    if (op == op_kind::add) return (a != 0 || b != 0) ? 1 : 0;
    return (a != 0 && b != 0) ? 1 : 0;  // mul (bool - bool does not compile; bool / bool is float)
  } else if constexpr (std::is_integral<R>::value) {
    const auto ua = static_cast<std::uint64_t>(static_cast<std::int64_t>(a));
    const auto ub = static_cast<std::uint64_t>(static_cast<std::int64_t>(b));
    const std::uint64_t u = op == op_kind::add ? ua + ub : op == op_kind::sub ? ua - ub : ua * ub;
    return wrap_to<R>(u);
  } else {
    using C = opmath_t<R>;
    const ld x = round_to<C>(a), y = round_to<C>(b);  // the operands in the compute type
    if constexpr (std::is_same<C, double>::value) {
      const double p = static_cast<double>(x), q = static_cast<double>(y);
      return static_cast<ld>(op == op_kind::add   ? p + q
                             : op == op_kind::sub ? p - q
                             : op == op_kind::mul ? p * q
                                                  : p / q);
    } else {
      // One exact operation rounded to 64 digits, then to float: innocuous double rounding for
      // + - * / (64 >= 2 * 24 + 2); then to R once more, as the library rounds float to R.
      const ld v = op == op_kind::add   ? x + y
                   : op == op_kind::sub ? x - y
                   : op == op_kind::mul ? x * y
                                        : x / y;
      return round_to<R>(round_to<float>(v));
    }
  }
}

/// The reference of op on operands promoted to P (true division of integers gives float).
template <class P>
ld reference_for(op_kind op, ld a, ld b) {
  if constexpr (is_float_v<P>)
    return reference<P>(op, a, b);
  else
    return op == op_kind::div ? reference<float>(op, a, b) : reference<P>(op, a, b);
}

/// PyTorch's categories, written out: bool 0, integral 1, floating 2.
template <class T>
constexpr int category_of = std::is_same<T, bool>::value ? 0
                            : is_float_v<T>              ? 2
                                                         : 1;

/// PyTorch's result_type of a dimensioned tensor of T with a 0-d tensor of Z: Z counts only
/// through its category, unless that category is higher (then Z's own type).
template <class T, class Z>
using with_zero_dim_t = std::conditional_t<(category_of<Z> > category_of<T>), Z, T>;

/// The reference of a op b for tensors of A and B, of which a0 / b0 are 0-d: promoted by dtype
/// when both or neither are, else by PyTorch's 0-d rule.
template <class A, class B>
ld reference_tensors(op_kind op, bool a0, bool b0, ld a, ld b) {
  if (a0 == b0) return reference_for<rd::promote_t<A, B>>(op, a, b);
  if (b0) return reference_for<with_zero_dim_t<A, B>>(op, a, b);
  return reference_for<with_zero_dim_t<B, A>>(op, a, b);
}

/// A value computed in R stored into T (a compound assignment into a narrower or equal type).
template <class T, class R>
ld store_as(ld v) {
  if constexpr (std::is_same<T, R>::value)
    return v;
  else if constexpr (is_float_v<T>)
    return round_to<T>(v);
  else
    return wrap_to<T>(static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
}

/// NumPy broadcasting, naively; false when the shapes do not broadcast.
bool broadcast(const dims& a, const dims& b, dims& out) {
  const std::size_t n = std::max(a.size(), b.size());
  out.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t da = i + a.size() < n ? 1 : a[i + a.size() - n];
    const std::int64_t db = i + b.size() < n ? 1 : b[i + b.size() - n];
    if (da != db && da != 1 && db != 1) return false;
    out[i] = da == 1 ? db : da;
  }
  return true;
}

/// The value of operand (shape, values) at an index of the broadcast shape.
ld at_broadcast(const dims& shape, const std::vector<ld>& values, const dims& idx) {
  std::int64_t lin = 0;
  const std::size_t lead = idx.size() - shape.size();
  for (std::size_t d = 0; d < shape.size(); ++d)
    lin = lin * shape[d] + (shape[d] == 1 ? 0 : idx[lead + d]);
  return values[static_cast<std::size_t>(lin)];
}

/// A shape for the second operand: the first's, with dimensions set to 1, dropped or changed.
dims related_shape(FuzzedDataProvider& in, const dims& a) {
  if (in.ConsumeIntegralInRange(0, 5) == 0) return decode_shape(in);
  dims b = a;
  for (auto& d : b) {
    const int mode = in.ConsumeIntegralInRange(0, 5);
    if (mode == 0)
      d = 1;
    else if (mode == 1)
      d = in.ConsumeIntegralInRange<std::int64_t>(0, 4);
  }
  const std::size_t drop = in.ConsumeIntegralInRange<std::size_t>(0, b.size());
  b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(drop));
  if (in.ConsumeIntegralInRange(0, 4) == 0)
    b.insert(b.begin(), in.ConsumeIntegralInRange<std::int64_t>(1, 3));
  return b;
}

template <class A, class B, class F>
auto apply(op_kind op, const A& a, const B& b, F&& f) {
  switch (op) {
    case op_kind::add:
      return f(a + b);
    case op_kind::sub:
      return f(a - b);
    case op_kind::mul:
      return f(a * b);
    default:
      return f(a / b);
  }
}

/// Checks a result of element type R against the reference over the broadcast shape.
template <class R, class Ref>
void check_values(const rd::tensor<R>& r, const dims& shape, Ref&& ref, const char* what) {
  require(r.shape() == shape, what, "shape " + rd::detail::format_dims(r.shape()));
  const auto got = values_of(r);
  dims idx(shape.size(), 0);
  for (std::size_t k = 0; k < got.size(); ++k) {
    const ld want = ref(idx);
    require(same_value(got[k], want), what, "got " + show(got[k]) + " want " + show(want));
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

template <class A, class B>
constexpr bool sub_allowed = !(std::is_same<A, bool>::value && std::is_same<B, bool>::value);

template <class A, class B>
void tensor_tensor(FuzzedDataProvider& in, op_kind op) {
  if constexpr (!sub_allowed<A, B>)
    if (op == op_kind::sub) op = op_kind::add;
  storage<A> as;
  storage<B> bs;
  const dims sa = decode_shape(in);
  const rd::tensor<A> a = decode_tensor(in, as, sa);
  const dims sb = related_shape(in, sa);
  const rd::tensor<B> b = decode_tensor(in, bs, sb);
  const auto va = values_of(a);
  const auto vb = values_of(b);
  dims shape;
  const bool ok = broadcast(sa, sb, shape);
  const bool swap = in.ConsumeBool();
  const auto* thrown = run_guarded([&] {
    auto check = [&](const auto& r) {
      // The result type holds PyTorch's exactly, also where a 0-d operand narrows it.
      check_values(
          r, shape,
          [&](const dims& idx) {
            const ld x = at_broadcast(sa, va, idx), y = at_broadcast(sb, vb, idx);
            return swap ? reference_tensors<B, A>(op, sb.empty(), sa.empty(), y, x)
                        : reference_tensors<A, B>(op, sa.empty(), sb.empty(), x, y);
          },
          "tensor op tensor");
      return 0;
    };
    if constexpr (sub_allowed<A, B>) {
      if (swap)
        apply(op, b, a, check);
      else
        apply(op, a, b, check);
    } else {
      // bool - bool does not compile: the same checks without it.
      switch (op) {
        case op_kind::mul:
          swap ? check(b * a) : check(a * b);
          break;
        case op_kind::div:
          swap ? check(b / a) : check(a / b);
          break;
        default:
          swap ? check(b + a) : check(a + b);
          break;
      }
    }
  });
  if (ok)
    require(thrown == nullptr, "broadcastable operands refused");
  else
    require(thrown != nullptr && *thrown == typeid(rd::shape_error),
            "shapes that do not broadcast accepted");
  require(as.unchanged() && bs.unchanged(), "an operand changed");
}

template <class T, class S>
void tensor_scalar(FuzzedDataProvider& in, op_kind op, S s) {
  using E =
      rd::promote_scalar_t<T, std::conditional_t<std::is_integral<S>::value, std::int64_t, double>>;
  storage<T> xs;
  const dims shape = decode_shape(in);
  const rd::tensor<T> x = decode_tensor(in, xs, shape);
  const auto vx = values_of(x);
  // The result type is E's (the tensor's type, unless the scalar's category is higher: then
  // float or int64), as in PyTorch; the scalar is read at its full value into the type the
  // operation runs in (the reference rounds or wraps it there).
  static_assert(rd::is_element_type<E>::value, "a promoted type");
  const ld se = static_cast<ld>(s);
  const bool left = in.ConsumeBool();
  const auto* thrown = run_guarded([&] {
    auto check = [&](const auto& r) {
      using R = typename std::decay_t<decltype(r)>::value_type;
      check_values(
          r, shape,
          [&](const dims& idx) {
            const ld v = at_broadcast(shape, vx, idx);
            return left ? reference<R>(op, se, v) : reference<R>(op, v, se);
          },
          "tensor op scalar");
      return 0;
    };
    if (left)
      apply(op, s, x, check);
    else
      apply(op, x, s, check);
  });
  require(thrown == nullptr, "tensor with scalar refused");
  require(xs.unchanged(), "the operand changed");
}

/// x op= y; T's category must hold the result (else it does not compile).
template <class T, class B>
void compound(FuzzedDataProvider& in, op_kind op) {
  using P = rd::promote_t<T, B>;
  if constexpr (!sub_allowed<T, B>)
    if (op == op_kind::sub) op = op_kind::add;
  if constexpr (!is_float_v<P>)
    if (op == op_kind::div) op = op_kind::mul;
  storage<T> xs;
  storage<B> ys;
  const dims sx = decode_shape(in);
  rd::tensor<T> x = decode_tensor(in, xs, sx);
  rd::tensor<B> y;
  bool aliased = false;
  if constexpr (std::is_same<T, B>::value) {
    const int where = in.ConsumeIntegralInRange(0, 3);
    if (where == 0) {
      y = x;
      aliased = true;
    } else if (where == 1 && xs.size > 0) {
      const dims shape = related_shape(in, sx);
      dims strides(shape.size());
      for (auto& s : strides) s = in.ConsumeIntegralInRange<std::int64_t>(0, 3);
      std::int64_t extent = 0;
      for (std::size_t i = 0; i < shape.size(); ++i)
        extent += (shape[i] > 0 ? shape[i] - 1 : 0) * strides[i];
      if (numel(shape) == 0 || extent < static_cast<std::int64_t>(xs.size)) {
        const auto last = numel(shape) == 0 ? 0 : static_cast<std::int64_t>(xs.size) - 1 - extent;
        y = rd::from_blob(xs.data() + in.ConsumeIntegralInRange<std::int64_t>(0, last), shape,
                          strides);
        aliased = true;
      }
    }
  }
  if (!aliased) y = decode_tensor(in, ys, related_shape(in, sx));
  const dims sy = y.shape();
  const auto vx = values_of(x);
  const auto vy = values_of(y);
  xs.save();
  dims shape;
  bool must = false, may = false;
  const std::type_info* expected = &typeid(rd::shape_error);
  if (!broadcast(sx, sy, shape) || shape != sx) {
    must = may = true;
  } else if (self_overlaps(x)) {
    must = may = true;
    expected = &typeid(rd::overlap_error);
  } else {
    auto a = bytes_of(x);
    auto b = bytes_of(y);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const bool exact = static_cast<const void*>(x.data()) == static_cast<const void*>(y.data()) &&
                       sizeof(T) == sizeof(B) && sx == sy && [&] {
                         for (std::size_t d = 0; d < sx.size(); ++d)
                           if (sx[d] > 1 && x.strides()[d] != y.strides()[d]) return false;
                         return true;
                       }();
    std::vector<const unsigned char*> common;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
    const bool meet = !a.empty() && !b.empty() && a.front() <= b.back() && b.front() <= a.back();
    must = !exact && !common.empty();
    may = !exact && meet;
    expected = &typeid(rd::overlap_error);
  }
  using R = P;  // div only for floating P (else x /= y does not compile)
  const auto* thrown = run_guarded([&] {
    switch (op) {
      case op_kind::add:
        x += y;
        break;
      case op_kind::mul:
        x *= y;
        break;
      case op_kind::sub:
        if constexpr (sub_allowed<T, B>) x -= y;
        break;
      default:
        if constexpr (is_float_v<P>) x /= y;
        break;
    }
  });
  if (thrown != nullptr) {
    require(may, "compound assignment refused against the rules", thrown->name());
    require(*thrown == *expected, "compound assignment refused with the wrong type",
            thrown->name());
    require(xs.unchanged() && ys.unchanged(), "a refused compound assignment wrote");
    return;
  }
  require(!must, "compound assignment accepted against the rules");
  check_values(
      x, sx,
      [&](const dims& idx) {
        return store_as<T, R>(reference_tensors<T, B>(
            op, sx.empty(), sy.empty(), at_broadcast(sx, vx, idx), at_broadcast(sy, vy, idx)));
      },
      "compound assignment");
  if (!aliased) require(ys.unchanged(), "the right operand changed");
}

// ---- scalar promotion ---------------------------------------------------------------------
// A tensor with a C++ scalar that its type cannot hold (integers past int8..int64, doubles past
// half's range or precision) and with a 0-d tensor (rd::scalar, known at compile time to be
// 0-d, and a plain tensor that is 0-d only at run time), on either side and in place. The
// result type is checked against PyTorch's result_type written out here; the values against the
// exact reference, with every operand read at its full value into the type the operation runs in.

/// PyTorch's result type of a tensor of T with a C++ number of S: the number counts only
/// through its category, as that category's default type (int64, float32) where it is higher.
template <class T, class S>
using with_number_t = std::conditional_t<
    (category_of<S> > category_of<T>),
    std::conditional_t<category_of<S> == 2, float,
                       std::conditional_t<category_of<S> == 1, std::int64_t, bool>>,
    T>;

/// The name of the result type of op on operands promoted to P.
template <class P>
std::string result_name(op_kind op) {
  return op == op_kind::div && !is_float_v<P> ? "float32" : rd::dtype_name<P>();
}

/// An integer that narrow types cannot hold, often at a boundary.
std::int64_t decode_wide_integer(FuzzedDataProvider& in) {
  static const std::int64_t table[] = {1000,
                                       -1000,
                                       256,
                                       -256,
                                       255,
                                       128,
                                       -129,
                                       65536,
                                       70000,
                                       -32769,
                                       std::int64_t{1} << 31,
                                       -(std::int64_t{1} << 31) - 1,
                                       (std::int64_t{1} << 40) + 1,
                                       (std::int64_t{1} << 53) + 1,
                                       (std::int64_t{1} << 62) + (std::int64_t{1} << 38) + 1,
                                       std::numeric_limits<std::int64_t>::max(),
                                       std::numeric_limits<std::int64_t>::min()};
  if (in.ConsumeBool())
    return table[in.ConsumeIntegralInRange<std::size_t>(0, std::size(table) - 1)];
  return in.ConsumeIntegral<std::int64_t>();
}

/// A double that half or bfloat16 (or float) cannot hold, often near a rounding boundary.
double decode_wide_double(FuzzedDataProvider& in) {
  static const double table[] = {70000.0,
                                 1.005,
                                 0.3,
                                 0.5001,
                                 1e-50,
                                 3e38,
                                 1e300,
                                 65520.,
                                 65519.99,
                                 1.0 + 0x1p-11 + 0x1p-40,
                                 3e-8,
                                 0x1p-25 + 0x1p-60,
                                 0x1p-24 + 0x1p-50};
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0: {
      const double v = table[in.ConsumeIntegralInRange<std::size_t>(0, std::size(table) - 1)];
      return in.ConsumeBool() ? -v : v;
    }
    case 1:
      return static_cast<double>(value_of(decode_element<double>(in)));
    default:
      return std::ldexp(1.0 + in.ConsumeProbability<double>(), in.ConsumeIntegralInRange(-30, 20)) *
             (in.ConsumeBool() ? -1.0 : 1.0);
  }
}

template <class A, class B, class X, class Y, class F>
void apply_unless_bool_sub(op_kind op, const X& a, const Y& b, F&& f) {
  if constexpr (sub_allowed<A, B>) {
    apply(op, a, b, f);
  } else {
    switch (op) {
      case op_kind::mul:
        f(a * b);
        break;
      case op_kind::div:
        f(a / b);
        break;
      default:
        f(a + b);
        break;
    }
  }
}

/// x op s, s op x and x op= s for a C++ number s.
template <class A, class S>
void tensor_with_number(FuzzedDataProvider& in, op_kind op, S s) {
  storage<A> xs;
  const dims shape = decode_shape(in);
  const rd::tensor<A> x = decode_tensor(in, xs, shape);
  const auto vx = values_of(x);
  const ld exact = static_cast<ld>(s);
  using P = with_number_t<A, S>;
  const bool left = in.ConsumeBool();
  auto check = [&](const auto& r, bool on_left, const char* what) {
    using R = typename std::decay_t<decltype(r)>::value_type;
    require(rd::dtype_name<R>() == result_name<P>(op), what,
            std::string("result type ") + rd::dtype_name<R>());
    check_values(
        r, shape,
        [&](const dims& idx) {
          const ld v = at_broadcast(shape, vx, idx);
          return on_left ? reference<R>(op, exact, v) : reference<R>(op, v, exact);
        },
        what);
    return 0;
  };
  const auto* thrown = run_guarded([&] {
    if (left)
      apply(op, s, x, [&](const auto& r) { return check(r, true, "number op tensor"); });
    else
      apply(op, x, s, [&](const auto& r) { return check(r, false, "tensor op number"); });
  });
  require(thrown == nullptr, "tensor with a number refused");
  require(xs.unchanged(), "the operand changed");
  if constexpr (category_of<P> <= category_of<A>) {
    if (op == op_kind::div && !is_float_v<A>) return;
    rd::tensor<A> y = x.clone();
    require(run_guarded([&] {
              switch (op) {
                case op_kind::add:
                  y += s;
                  break;
                case op_kind::sub:
                  y -= s;
                  break;
                case op_kind::mul:
                  y *= s;
                  break;
                default:
                  if constexpr (is_float_v<A>) y /= s;
                  break;
              }
            }) == nullptr,
            "compound assignment of a number refused");
    check_values(
        y, shape,
        [&](const dims& idx) {
          return store_as<A, P>(reference_for<P>(op, at_broadcast(shape, vx, idx), exact));
        },
        "tensor op= number");
  }
}

/// x op z, z op x and x op= z for a 0-d tensor z: rd::scalar (its 0-d-ness in the type) or a
/// plain tensor that is 0-d.
template <class A, class B>
void tensor_with_zero_dim(FuzzedDataProvider& in, op_kind op) {
  if constexpr (!sub_allowed<A, B>)
    if (op == op_kind::sub) op = op_kind::add;
  storage<A> xs;
  const dims shape = decode_shape(in);
  const rd::tensor<A> x = decode_tensor(in, xs, shape);
  const auto vx = values_of(x);
  // A double near a float rounding boundary (2^-24 + 2^-50 beside 1) tells float arithmetic from
  // double arithmetic rounded to float.
  B zv;
  if constexpr (std::is_same<B, double>::value)
    zv = in.ConsumeBool() ? decode_wide_double(in) : decode_element<B>(in);
  else
    zv = decode_element<B>(in);
  const ld z = value_of(zv);
  const bool plain = in.ConsumeBool(), left = in.ConsumeBool();
  const bool x0 = shape.empty();
  using Z = with_zero_dim_t<A, B>;
  using Both = rd::promote_t<A, B>;
  // The result type is fixed at compile time: for a plain tensor promote_t (which holds every
  // type PyTorch's rule can give), for rd::scalar the category rule. Where x is 0-d too,
  // PyTorch promotes by dtype, which rd::scalar's result type may not hold: refused.
  const std::string static_name = plain ? result_name<Both>(op) : result_name<Z>(op);
  const bool refused = !plain && x0 && result_name<Both>(op) != result_name<Z>(op);
  auto ref = [&](ld a, ld b) {
    return x0 ? reference_for<Both>(op, a, b) : reference_for<Z>(op, a, b);
  };
  auto check = [&](const auto& r, bool on_left, const char* what) {
    using R = typename std::decay_t<decltype(r)>::value_type;
    require(rd::dtype_name<R>() == static_name, what,
            std::string("result type ") + rd::dtype_name<R>());
    check_values(
        r, shape,
        [&](const dims& idx) {
          const ld v = at_broadcast(shape, vx, idx);
          return on_left ? ref(z, v) : ref(v, z);
        },
        what);
    return 0;
  };
  const rd::tensor<B> zp = rd::scalar(zv);
  const auto zs = rd::scalar(zv);
  const auto* thrown = run_guarded([&] {
    auto on_left = [&](const auto& r) { return check(r, true, "0-d tensor op tensor"); };
    auto on_right = [&](const auto& r) { return check(r, false, "tensor op 0-d tensor"); };
    if (plain) {
      if (left)
        apply_unless_bool_sub<B, A>(op, zp, x, on_left);
      else
        apply_unless_bool_sub<A, B>(op, x, zp, on_right);
    } else {
      if (left)
        apply_unless_bool_sub<B, A>(op, zs, x, on_left);
      else
        apply_unless_bool_sub<A, B>(op, x, zs, on_right);
    }
  });
  if (refused)
    require(thrown != nullptr && *thrown == typeid(rd::shape_error),
            "a 0-d result type that cannot hold PyTorch's accepted");
  else
    require(thrown == nullptr, "tensor with a 0-d tensor refused");
  require(xs.unchanged(), "the operand changed");
  if constexpr (category_of<B> <= category_of<A>) {
    if (op == op_kind::div && !is_float_v<A>) return;
    rd::tensor<A> y = x.clone();
    require(run_guarded([&] {
              switch (op) {
                case op_kind::add:
                  plain ? y += zp : y += zs;
                  break;
                case op_kind::sub:
                  if constexpr (sub_allowed<A, B>) plain ? y -= zp : y -= zs;
                  break;
                case op_kind::mul:
                  plain ? y *= zp : y *= zs;
                  break;
                default:
                  if constexpr (is_float_v<A>) plain ? y /= zp : y /= zs;
                  break;
              }
            }) == nullptr,
            "compound assignment of a 0-d tensor refused");
    check_values(
        y, shape,
        [&](const dims& idx) { return store_as<A, Both>(ref(at_broadcast(shape, vx, idx), z)); },
        "tensor op= 0-d tensor");
  }
}

template <class A, class B>
void scalar_promotion(FuzzedDataProvider& in, op_kind op) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      tensor_with_number<A>(in, op, static_cast<long long>(decode_wide_integer(in)));
      break;
    case 1:
      tensor_with_number<A>(in, op, decode_wide_double(in));
      break;
    case 2:
      tensor_with_number<A>(in, op, static_cast<float>(decode_wide_double(in)));
      break;
    default:
      tensor_with_zero_dim<A, B>(in, op);
      break;
  }
}

/// Whether writing into x with y as the source must, or may, be refused as overlapping (the
/// rules of API.md, naively): they share a byte without being the same view (must), or their
/// byte ranges meet (may: the library refuses what it cannot prove disjoint).
template <class A, class B>
void write_overlap(const rd::tensor<A>& x, const rd::tensor<B>& y, bool& must, bool& may) {
  auto a = bytes_of(x);
  auto b = bytes_of(y);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const bool exact = static_cast<const void*>(x.data()) == static_cast<const void*>(y.data()) &&
                     sizeof(A) == sizeof(B) && x.shape() == y.shape() && [&] {
                       for (std::size_t d = 0; d < x.shape().size(); ++d)
                         if (x.shape()[d] > 1 && x.strides()[d] != y.strides()[d]) return false;
                       return true;
                     }();
  std::vector<const unsigned char*> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const bool meet = !a.empty() && !b.empty() && a.front() <= b.back() && b.front() <= a.back();
  must = !exact && !common.empty();
  may = !exact && meet;
}

/// A view of st's memory with a shape related to `like` and strides 0 to 3, if one fits.
template <class T>
bool view_into(FuzzedDataProvider& in, storage<T>& st, const dims& like, rd::tensor<T>& out) {
  if (st.size == 0) return false;
  const dims shape = related_shape(in, like);
  dims strides(shape.size());
  for (auto& s : strides) s = in.ConsumeIntegralInRange<std::int64_t>(0, 3);
  std::int64_t extent = 0;
  for (std::size_t i = 0; i < shape.size(); ++i)
    extent += (shape[i] > 0 ? shape[i] - 1 : 0) * strides[i];
  if (numel(shape) != 0 && extent >= static_cast<std::int64_t>(st.size)) return false;
  const auto last = numel(shape) == 0 ? 0 : static_cast<std::int64_t>(st.size) - 1 - extent;
  out = rd::from_blob(st.data() + in.ConsumeIntegralInRange<std::int64_t>(0, last), shape, strides);
  return true;
}

/// A new handle of t (an rvalue, as a view expression is).
template <class T>
rd::tensor<T> handle(const rd::tensor<T>& t) {
  return t;
}

/// Checks every element of x against want(index) and that nothing outside x changed.
template <class A, class F>
void check_written(const rd::tensor<A>& x, const storage<A>& xs, F&& want, const char* what) {
  check_values(x, x.shape(), want, what);
  check_outside(xs, x);
}

/// Writing into a tensor of A: copy_ and view assignment from a tensor of B (broadcast,
/// converted, possibly in A's own memory), fill_ with a C++ scalar or a 0-d tensor, zero_; and
/// unary minus. Each against the references of fuzz_common.hpp; each refusal by the rules of
/// API.md, with nothing written.
template <class A, class B>
void write_into(FuzzedDataProvider& in) {
  storage<A> xs;
  const dims sx = decode_shape(in);
  rd::tensor<A> x = decode_tensor(in, xs, sx);
  const bool overlapping = self_overlaps(x);
  const int kind = in.ConsumeIntegralInRange(0, 4);
  if (kind == 0) {  // copy_ or view assignment
    storage<B> ys;
    rd::tensor<B> y;
    bool aliased = false;
    if constexpr (std::is_same<A, B>::value) {
      const int where = in.ConsumeIntegralInRange(0, 3);
      if (where == 0) {
        y = x;
        aliased = true;
      } else if (where == 1) {
        aliased = view_into(in, xs, sx, y);
      }
    }
    if (!aliased) y = decode_tensor(in, ys, related_shape(in, sx));
    const dims sy = y.shape();
    const auto vy = values_of(y);
    xs.save();
    ys.save();
    dims shape;
    bool must = false, may = false;
    const std::type_info* expected = &typeid(rd::shape_error);
    if (!broadcast(sx, sy, shape) || shape != sx) {
      must = may = true;
    } else if (overlapping) {
      must = may = true;
      expected = &typeid(rd::overlap_error);
    } else {
      write_overlap(x, y, must, may);
      expected = &typeid(rd::overlap_error);
    }
    const bool method = in.ConsumeBool();
    const auto* thrown = run_guarded([&] {
      if (method)
        require(&x.copy_(y) == &x, "copy_ returns the tensor");
      else
        handle(x) = y;  // an rvalue: copies into the elements
    });
    if (thrown != nullptr) {
      require(may, "copy_ refused against the rules", thrown->name());
      require(*thrown == *expected, "copy_ refused with the wrong type", thrown->name());
      require(xs.unchanged() && ys.unchanged(), "a refused copy_ wrote");
      return;
    }
    require(!must, "copy_ accepted against the rules");
    check_written(
        x, xs, [&](const dims& idx) { return convert_ref<A, B>(at_broadcast(sy, vy, idx)); },
        "copy_");
    if (!aliased) require(ys.unchanged(), "the source changed");
  } else if (kind == 1) {  // fill_ or view assignment with a C++ scalar
    const auto sk = static_cast<scalar_kind>(in.ConsumeIntegralInRange(0, 2));
    const int form = in.ConsumeIntegralInRange(0, 3);
    ld v = 0;
    const bool method = in.ConsumeBool();
    xs.save();
    auto write = [&](auto s) {
      if (method)
        require(&x.fill_(s) == &x, "fill_ returns the tensor");
      else
        handle(x) = s;
    };
    const std::type_info* thrown = nullptr;
    if (sk == scalar_kind::boolean) {
      const bool s = in.ConsumeBool();
      v = s ? 1 : 0;
      thrown = run_guarded([&] { write(s); });
    } else if (sk == scalar_kind::integer) {
      const std::int64_t s = form == 0 ? in.ConsumeIntegral<std::int64_t>()
                                       : in.ConsumeIntegralInRange<std::int64_t>(-70000, 70000);
      v = static_cast<ld>(s);
      thrown = form == 1 ? run_guarded([&] { write(static_cast<int>(s)); })
                         : run_guarded([&] { write(s); });
    } else {
      const double d = form == 0   ? static_cast<double>(in.ConsumeIntegralInRange(-300, 300)) / 2
                       : form == 1 ? static_cast<double>(value_of(decode_element<float>(in)))
                                   : static_cast<double>(value_of(decode_element<double>(in)));
      v = static_cast<ld>(d);
      thrown = form == 1 ? run_guarded([&] { write(static_cast<float>(d)); })
                         : run_guarded([&] { write(d); });
    }
    ld want = 0;
    const bool fits = fill_ref<A>(v, sk, want);
    if (!fits || overlapping) {
      require(thrown != nullptr &&
                  *thrown == (fits ? typeid(rd::overlap_error) : typeid(rd::value_error)),
              "fill_ accepted or refused against the rules", show(v));
      require(xs.unchanged(), "a refused fill_ wrote");
      return;
    }
    require(thrown == nullptr, "fill_ refused", show(v));
    check_written(
        x, xs, [&](const dims&) { return want; }, "fill_");
  } else if (kind == 2) {  // fill_ with a tensor of B: 0-d (its own, or one of x's elements)
    storage<B> ys;
    rd::tensor<B> value;
    bool aliased = false;
    if constexpr (std::is_same<A, B>::value) {
      if (xs.size > 0 && in.ConsumeBool()) {
        value = rd::from_blob(xs.data() + in.ConsumeIntegralInRange<std::size_t>(0, xs.size - 1),
                              dims{});
        aliased = true;
      }
    }
    if (!aliased)
      value =
          decode_tensor(in, ys, in.ConsumeIntegralInRange(0, 7) == 0 ? decode_shape(in) : dims{});
    const auto vv = values_of(value);
    xs.save();
    ys.save();
    const auto* thrown = run_guarded([&] { x.fill_(value); });
    if (value.dim() != 0 || overlapping) {
      require(thrown != nullptr && *thrown == (value.dim() != 0 ? typeid(rd::shape_error)
                                                                : typeid(rd::overlap_error)),
              "fill_ with a tensor accepted or refused against the rules");
      require(xs.unchanged() && ys.unchanged(), "a refused fill_ wrote");
      return;
    }
    require(thrown == nullptr, "fill_ with a 0-d tensor refused");
    const ld want = convert_ref<A, B>(vv[0]);
    check_written(
        x, xs, [&](const dims&) { return want; }, "fill_ with a 0-d tensor");
    if (!aliased) require(ys.unchanged(), "the value changed");
  } else if (kind == 3) {  // zero_
    xs.save();
    const auto* thrown =
        run_guarded([&] { require(&x.zero_() == &x, "zero_ returns the tensor"); });
    if (overlapping) {
      require(thrown != nullptr && *thrown == typeid(rd::overlap_error), "zero_ on overlapping");
      require(xs.unchanged(), "a refused zero_ wrote");
      return;
    }
    require(thrown == nullptr, "zero_ refused");
    check_written(
        x, xs, [&](const dims&) { return convert_ref<A, bool>(0); }, "zero_");
  } else if constexpr (!std::is_same<A, bool>::value) {  // unary minus
    const auto vx = values_of(x);
    xs.save();
    rd::tensor<A> r;
    require(run_guarded([&] { r = -x; }) == nullptr, "unary minus refused");
    check_values(
        r, sx, [&](const dims& idx) { return negate_ref<A>(at_broadcast(sx, vx, idx)); },
        "unary minus");
    require(xs.unchanged(), "unary minus wrote into its operand");
  }
}

template <class A, class B>
void pair(FuzzedDataProvider& in) {
  const auto op = static_cast<op_kind>(in.ConsumeIntegralInRange(0, 3));
  switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0:
    case 1:
      tensor_tensor<A, B>(in, op);
      break;
    case 5:
      scalar_promotion<A, B>(in, op);
      break;
    case 2: {
      if (in.ConsumeBool()) {
        const double s = static_cast<double>(value_of(decode_element<double>(in)));
        tensor_scalar<A>(in, op, s);
      } else {
        tensor_scalar<A>(
            in, op, static_cast<long long>(in.ConsumeIntegralInRange<std::int64_t>(-300, 300)));
      }
      break;
    }
    default: {
      if constexpr (rd::detail::category_v<rd::promote_t<A, B>> <= rd::detail::category_v<A>)
        compound<A, B>(in, op);
      else
        tensor_tensor<A, B>(in, op);
      break;
    }
  }
  // The bytes left, if any, write into a tensor (so the inputs above decode as they always did).
  if (in.remaining_bytes() > 0) {
    if (in.ConsumeBool())
      write_into<A, B>(in);
    else
      write_into<B, A>(in);
  }
}

}  // namespace
}  // namespace fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using radicand::bfloat16;
  using radicand::half;
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange(0, 15)) {
    case 0:
      fuzz::pair<float, float>(in);
      break;
    case 1:
      fuzz::pair<double, double>(in);
      break;
    case 2:
      fuzz::pair<half, half>(in);
      break;
    case 3:
      fuzz::pair<bfloat16, bfloat16>(in);
      break;
    case 4:
      fuzz::pair<std::int32_t, std::int32_t>(in);
      break;
    case 5:
      fuzz::pair<std::uint8_t, std::int8_t>(in);
      break;
    case 6:
      fuzz::pair<std::int64_t, float>(in);
      break;
    case 7:
      fuzz::pair<half, bfloat16>(in);
      break;
    case 8:
      fuzz::pair<bool, bool>(in);
      break;
    case 9:
      fuzz::pair<std::int16_t, double>(in);
      break;
    case 10:
      fuzz::pair<bool, half>(in);
      break;
    case 11:
      fuzz::pair<float, double>(in);
      break;
    case 12:
      fuzz::pair<half, float>(in);
      break;
    case 13:
      fuzz::pair<std::int8_t, std::int16_t>(in);
      break;
    case 14:
      fuzz::pair<std::int64_t, std::int64_t>(in);
      break;
    default:
      fuzz::pair<std::uint8_t, std::uint8_t>(in);
      break;
  }
  return 0;
}
