// radicand: rsqrt and sqrt in their four forms (function, method, out, in-place), and the
// arithmetic operators with broadcasting. PyTorch's semantics; the out and overlap rules are
// checked before any element is written.
#ifndef RADICAND_OPS_HPP
#define RADICAND_OPS_HPP

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "config.hpp"
#include "cpu/engine.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "factories.hpp"
#include "iteration.hpp"
#include "math/ops.hpp"
#include "shape.hpp"
#include "tensor.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// Strides compared where they matter (dimensions of size 1 are never stepped).
inline bool same_layout(const dims_t& shape_a, const dims_t& strides_a, const dims_t& shape_b,
                        const dims_t& strides_b) {
  if (shape_a != shape_b) return false;
  for (std::size_t i = 0; i < shape_a.size(); ++i)
    if (shape_a[i] > 1 && strides_a[i] != strides_b[i]) return false;
  return true;
}

/// The overlap rule, in one place: the written tensor must not overlap itself, and an input may
/// share an element with it only as the exact same view (same start, element size and strides).
/// Views that interleave without sharing an element (x[:, 0] and x[:, 1]) are allowed.
template <class T, class U, class D>
void check_write_overlap(const char* op, const tensor<U, D>& out, const tensor<T, D>* in,
                         const char* what) {
  if (has_internal_overlap(out.shape(), out.strides()))
    fail<overlap_error>(
        op, what, " (shape ", format_dims(out.shape()), ", strides ", format_dims(out.strides()),
        ") has elements that share memory, as an expanded tensor does; it cannot be written");
  if (in == nullptr) return;
  if (!may_share_element(out.data(), sizeof(U), out.shape(), out.strides(), in->data(), sizeof(T),
                         in->shape(), in->strides()))
    return;
  const bool exact_alias =
      static_cast<const void*>(out.data()) == static_cast<const void*>(in->data()) &&
      sizeof(T) == sizeof(U) && same_layout(out.shape(), out.strides(), in->shape(), in->strides());
  if (!exact_alias)
    fail<overlap_error>(op, what, " (shape ", format_dims(out.shape()), ", strides ",
                        format_dims(out.strides()), ") partially overlaps an input (shape ",
                        format_dims(in->shape()), ", strides ", format_dims(in->strides()),
                        "); only the input itself, as the same view, may be written in place");
}

/// Result layout: a dense input's strides (a transposed input gives a transposed result),
/// otherwise contiguous.
template <class R, class T, class D>
tensor<R, D> result_like(const char* op, const tensor<T, D>& x) {
  if (is_dense(x.shape(), x.strides()))
    return allocate_tensor_on<R>(op, x.shape(), x.strides(), x.device());
  return allocate_tensor_on<R>(op, x.shape(), x.device());
}

/// Tells the device's engine that these tensors were just used on the current stream (a CUDA
/// storage is freed only after every stream it was used on: cuda/memory.hpp).
template <class D, class... T>
void note_uses(const char* op, const tensor<T, D>&... xs) {
  (device_engine<D>::record_use(op, tensor_access::owner(xs)), ...);
}

template <class Op, class T, class D>
tensor<unary_float_t<T>, D> unary(const tensor<T, D>& x) {
  using R = unary_float_t<T>;
  tensor<R, D> r = result_like<R>(Op::name, x);
  device_engine<D>::template unary<Op, R>(Op::name, x.data(), x.strides(), r.data(), r.strides(),
                                          x.shape(), x.device());
  note_uses(Op::name, x, r);
  return r;
}

/// Two tensors of one operation must be on the same device (a compile-time rule for the device
/// types; the index of a CUDA device is checked when it runs).
template <class D>
void check_same_device(const char* op, D a, D b) {
  if (a != b)
    fail<error>(op, "the tensors are on different devices, ", device_string(a), " and ",
                device_string(b));
}

template <class Op, class T, class U, class D>
tensor<U, D>& unary_out(const tensor<T, D>& x, tensor<U, D>& out) {
  static_assert(is_floating_element<U>::value,
                "radicand: out must have a floating element type (float, double, half, bfloat16)");
  using R = unary_float_t<T>;
  // Also an out that would be resized must be on the input's device (PyTorch refuses it too).
  check_same_device(Op::name, x.device(), out.device());
  bool resize = false;
  if (out.shape() != x.shape()) {
    if (out.numel() != 0)
      fail<shape_error>(Op::name, "out has shape ", format_dims(out.shape()),
                        " but the result has shape ", format_dims(x.shape()));
    resize = true;  // an empty out takes the result's shape, as in PyTorch
  }
  if (resize) {
    out = allocate_tensor_on<U>(Op::name, x.shape(), x.device());
  } else {
    check_write_overlap(Op::name, out, &x, "out");
  }
  device_engine<D>::template unary<Op, R>(Op::name, x.data(), x.strides(), out.data(),
                                          out.strides(), x.shape(), x.device());
  note_uses(Op::name, x, out);
  return out;
}

template <class Op, class T, class D>
tensor<T, D>& unary_inplace(tensor<T, D>& x) {
  static_assert(
      is_floating_element<T>::value,
      "radicand: in-place rsqrt_/sqrt_ needs a floating tensor; the result of an integral or "
      "bool tensor is float: use rd::rsqrt(x) / rd::sqrt(x)");
  check_write_overlap<T>(Op::inplace_name, x, static_cast<const tensor<T, D>*>(nullptr),
                         "the tensor");
  device_engine<D>::template unary<Op, T>(Op::inplace_name, x.data(), x.strides(), x.data(),
                                          x.strides(), x.shape(), x.device());
  note_uses(Op::inplace_name, x);
  return x;
}

// ---- arithmetic ----

/// The type arithmetic happens in: float for the 16-bit floating types, else the result type.
template <class P>
using opmath_t =
    std::conditional_t<std::is_same<P, half>::value || std::is_same<P, bfloat16>::value, float, P>;

/// Result type of a binary operation on element types A and B (true division gives floating).
template <class F, class P>
using binary_result_t =
    std::conditional_t<std::is_same<F, math::div_op>::value && !is_floating_element<P>::value,
                       float, P>;

/// f with its result rounded to Q: what a 16-bit Q computed in float gives, kept in a wider type.
template <class F, class Q>
struct rounded_to {
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    return convert<C>(convert<Q>(F{}(a, b)));
  }
};

/// Every value of Q is a value of R: R is Q, or a wider type of Q's category.
template <class Q, class R>
constexpr bool holds_exactly_v = std::is_same<Q, R>::value ||
                                 (category_v<Q> == category_v<R> &&
                                  std::is_same<promote_t<Q, R>, R>::value);

template <class F, class A, class B>
void check_bool_sub() {
  static_assert(!(std::is_same<F, math::sub_op>::value && std::is_same<A, bool>::value &&
                  std::is_same<B, bool>::value),
                "radicand: subtracting two bool tensors is not supported (as in PyTorch)");
}

/// x op= y needs a result that T can hold; B is y's element type (a scalar's as promoted).
template <class F, class T, class B>
void check_storable() {
  static_assert(category_v<binary_result_t<F, promote_t<T, B>>> <= category_v<T>,
                "radicand: the result of this compound assignment cannot be stored in the tensor's "
                "element type (e.g. a float result into an integral tensor); make a new tensor "
                "instead: auto y = x * 2.5");
}

/// A tensor's side of a binary operation: its elements.
template <class T, class D>
binary_operand<T> operand_of(const tensor<T, D>& x) {
  return {x.data(), convert<T>(0)};
}

/// a op b into a new contiguous tensor of the broadcast shape on `device`, computed as PyTorch
/// computes a result of type Q (in opmath_t<Q>, rounded to Q) and kept in R, which holds every
/// value of Q. Each operand is read straight into opmath_t<Q>, never rounded on the way.
template <class F, class R, class Q, class A, class B, class D>
tensor<R, D> binary_new(binary_operand<A> a, const dims_t& a_shape, const dims_t& a_strides,
                        binary_operand<B> b, const dims_t& b_shape, const dims_t& b_strides,
                        D device) {
  static_assert(holds_exactly_v<Q, R>, "radicand: internal: R must hold Q");
  using C = opmath_t<Q>;
  using G = std::conditional_t<std::is_same<Q, R>::value || std::is_same<Q, C>::value, F,
                               rounded_to<F, Q>>;
  const dims_t shape = broadcast_shapes(F::name, a_shape, b_shape);
  tensor<R, D> r = allocate_tensor_on<R>(F::name, shape, device);
  device_engine<D>::template binary<C, G>(F::name, a, broadcast_strides(a_shape, a_strides, shape),
                                          b, broadcast_strides(b_shape, b_strides, shape), r.data(),
                                          r.strides(), shape, device);
  note_uses(F::name, r);
  return r;
}

/// a op b with PyTorch's result type Q for these operands, kept in the result type R chosen at
/// compile time; a Q that R cannot hold is refused.
template <class F, class R, class Q, class A, class B, class D>
tensor<R, D> binary_as(const tensor<A, D>& a, const tensor<B, D>& b) {
  if constexpr (holds_exactly_v<Q, R>) {
    tensor<R, D> r = binary_new<F, R, Q>(operand_of(a), a.shape(), a.strides(), operand_of(b),
                                         b.shape(), b.strides(), a.device());
    note_uses(F::name, a, b);
    return r;
  } else {
    fail<shape_error>(F::name, "the result type ", dtype_name<R>(),
                      " was chosen at compile time for a 0-d operand (rd::scalar) beside a "
                      "dimensioned tensor, but the operands have shapes ",
                      format_dims(a.shape()), " and ", format_dims(b.shape()),
                      ", for which PyTorch's type promotion gives ", dtype_name<Q>(),
                      "; convert an operand with to<T>() first");
  }
}

/// a op b kept in R. PyTorch's result type depends on which operands are 0-d, known only when
/// it runs: a 0-d operand beside a dimensioned one takes part only through its category
/// (promote_zero_dim_t), otherwise promote_t. R (promote_t for two tensors) holds either.
template <class F, class R, class A, class B, class D>
tensor<R, D> binary(const tensor<A, D>& a, const tensor<B, D>& b) {
  check_bool_sub<F, A, B>();
  check_same_device(F::name, a.device(), b.device());
  using P = binary_result_t<F, promote_t<A, B>>;
  using ZB = binary_result_t<F, promote_zero_dim_t<A, B>>;  // b is 0-d, a is not
  using ZA = binary_result_t<F, promote_zero_dim_t<B, A>>;  // a is 0-d, b is not
  const bool a0 = a.dim() == 0, b0 = b.dim() == 0;
  if constexpr (!std::is_same<ZB, P>::value) {
    if (b0 && !a0) return binary_as<F, R, ZB>(a, b);
  }
  if constexpr (!std::is_same<ZA, P>::value) {
    if (a0 && !b0) return binary_as<F, R, ZA>(a, b);
  }
  return binary_as<F, R, P>(a, b);
}

/// x op= y in place (y broadcast to x's shape), computed as a result of type Q; `y_tensor` is
/// y's tensor for the overlap rule, or null for a scalar.
template <class F, class Q, class T, class B, class D>
tensor<T, D>& binary_inplace_as(tensor<T, D>& x, binary_operand<B> y, const dims_t& y_shape,
                                const dims_t& y_strides, const tensor<B, D>* y_tensor) {
  using C = opmath_t<Q>;
  const dims_t shape = broadcast_shapes(F::name, x.shape(), y_shape);
  if (shape != x.shape())
    fail<shape_error>(F::name, "the tensor has shape ", format_dims(x.shape()),
                      " but the broadcast shape of the operands is ", format_dims(shape));
  if (y_tensor != nullptr) check_same_device(F::name, x.device(), y_tensor->device());
  check_write_overlap(F::name, x, y_tensor, "the tensor");
  device_engine<D>::template binary<C, F>(F::name, operand_of(x), x.strides(), y,
                                          broadcast_strides(y_shape, y_strides, shape), x.data(),
                                          x.strides(), shape, x.device());
  note_uses(F::name, x);
  if (y_tensor != nullptr) note_uses(F::name, *y_tensor);
  return x;
}

/// x op= y: as x op y (a 0-d y beside a dimensioned x takes part only through its category),
/// stored in x's type.
template <class F, class T, class B, class D>
tensor<T, D>& binary_inplace(tensor<T, D>& x, const tensor<B, D>& y) {
  check_bool_sub<F, T, B>();
  check_storable<F, T, B>();
  using P = binary_result_t<F, promote_t<T, B>>;
  using Z = binary_result_t<F, promote_zero_dim_t<T, B>>;
  // Integers give the same bits in either type (+ - * modulo 2^n, stored in T).
  if constexpr (!std::is_same<opmath_t<Z>, opmath_t<P>>::value &&
                !(std::is_integral<Z>::value && std::is_integral<P>::value)) {
    if (y.dim() == 0 && x.dim() != 0)
      return binary_inplace_as<F, Z>(x, operand_of(y), y.shape(), y.strides(), &y);
  }
  return binary_inplace_as<F, P>(x, operand_of(y), y.shape(), y.strides(), &y);
}

/// The element type a C++ scalar stands for (int -> int64, double -> double, ...).
template <class S>
using scalar_element_t =
    std::conditional_t<std::is_same<S, bool>::value, bool,
                       std::conditional_t<std::is_integral<S>::value, std::int64_t,
                                          std::conditional_t<std::is_same<S, half>::value ||
                                                                 std::is_same<S, bfloat16>::value ||
                                                                 std::is_same<S, float>::value,
                                                             S, double>>>;

/// A scalar as the value operand of an operation computed in C, converted once from its full
/// value: never first wrapped or rounded into the tensor's type (int8 / 1000 divides by 1000; a
/// half tensor times a double scalar multiplies by the scalar in float). An integral C takes it
/// modulo 2^n, which gives + - * the bits of the exact operation modulo 2^n.
template <class C, class S>
binary_operand<C> scalar_operand(S s) {
  return {nullptr, convert<C>(s)};
}

/// The result type of a tensor of type T with a C++ scalar S (which takes part in promotion as a
/// 0-d tensor of its category's default type, as PyTorch's wrapped numbers do).
template <class F, class T, class S>
using scalar_result_t = binary_result_t<F, promote_scalar_t<T, scalar_element_t<S>>>;

template <class F, class A, class S, class D>
auto binary_tensor_scalar(const tensor<A, D>& a, S s) {
  check_bool_sub<F, A, promote_scalar_t<A, scalar_element_t<S>>>();
  using R = scalar_result_t<F, A, S>;
  tensor<R, D> r =
      binary_new<F, R, R>(operand_of(a), a.shape(), a.strides(), scalar_operand<opmath_t<R>>(s),
                          dims_t{}, dims_t{}, a.device());
  note_uses(F::name, a);
  return r;
}
template <class F, class S, class B, class D>
auto binary_scalar_tensor(S s, const tensor<B, D>& b) {
  check_bool_sub<F, promote_scalar_t<B, scalar_element_t<S>>, B>();
  using R = scalar_result_t<F, B, S>;
  tensor<R, D> r = binary_new<F, R, R>(scalar_operand<opmath_t<R>>(s), dims_t{}, dims_t{},
                                       operand_of(b), b.shape(), b.strides(), b.device());
  note_uses(F::name, b);
  return r;
}
template <class F, class A, class S, class D>
tensor<A, D>& binary_inplace_scalar(tensor<A, D>& a, S s) {
  using E = promote_scalar_t<A, scalar_element_t<S>>;
  check_bool_sub<F, A, E>();
  check_storable<F, A, E>();
  using C = opmath_t<scalar_result_t<F, A, S>>;
  return binary_inplace_as<F, scalar_result_t<F, A, S>>(a, scalar_operand<C>(s), dims_t{}, dims_t{},
                                                        static_cast<const tensor<C, D>*>(nullptr));
}

// ---- copies, fills and negation ----

/// An integer below another, exactly, whatever their signedness.
template <class A, class B>
constexpr bool int_less(A a, B b) noexcept {
  if constexpr (std::is_signed<A>::value == std::is_signed<B>::value)
    return a < b;
  else if constexpr (std::is_signed<A>::value)
    return a < 0 || static_cast<std::make_unsigned_t<A>>(a) < b;
  else
    return b >= 0 && a < static_cast<std::make_unsigned_t<B>>(b);
}

/// A scalar as a message prints it (int8_t as a number, not a character).
template <class S>
auto printable(S s) {
  if constexpr (std::is_same<S, bool>::value)
    return s;
  else if constexpr (std::is_integral<S>::value && std::is_signed<S>::value)
    return static_cast<long long>(s);
  else if constexpr (std::is_integral<S>::value)
    return static_cast<unsigned long long>(s);
  else
    return static_cast<double>(s);
}

/// A fill value as an element of T, refused (value_error) where T cannot hold it, by PyTorch's
/// rule (c10's checked_convert): integers must lie in T's range, except that a negative one
/// wraps into an unsigned type when its magnitude fits (uint8 -1 is 255); floating values must
/// be finite and within range for an integral T, and within range or infinite or NaN for a
/// floating T; bool values always fit.
template <class T, class S>
T fill_value(const char* op, S s) {
  if constexpr (std::is_same<S, T>::value || std::is_same<S, bool>::value) {
    return convert<T>(s);
  } else {
    bool fits = true;
    if constexpr (std::is_integral<S>::value) {
      if constexpr (std::is_same<T, half>::value) {
        fits = !int_less(s, -65504) && !int_less(65504, s);
      } else if constexpr (!is_floating_v<T>) {
        constexpr std::int64_t lo = std::is_same<T, bool>::value ? 0 : integral_range<T>::min;
        constexpr std::int64_t hi = std::is_same<T, bool>::value ? 1 : integral_range<T>::max;
        fits = !int_less(s, lo) && !int_less(hi, s);
        if constexpr (lo == 0 && std::is_signed<S>::value)
          if (!fits && s < 0)
            fits = 0u - static_cast<std::uint64_t>(s) <= static_cast<std::uint64_t>(hi);
      }
      if (fits) return convert<T>(s);
    } else {
      const auto d = static_cast<double>(s);
      if constexpr (is_floating_v<T>) {
        const auto most =
            static_cast<double>(static_cast<opmath_t<T>>(std::numeric_limits<T>::max()));
        fits = std::isnan(d) || std::isinf(d) || (d >= -most && d <= most);
        if (fits) return convert<T>(d);
      } else {
        constexpr std::int64_t lo = std::is_same<T, bool>::value ? 0 : integral_range<T>::min;
        constexpr std::int64_t hi = std::is_same<T, bool>::value ? 1 : integral_range<T>::max;
        // hi is exact in double below 64 bits; int64's is 2^63 - 1, so past it means >= 2^63.
        const bool above = sizeof(T) < 8 ? d > static_cast<double>(hi) : d >= 0x1p63;
        fits = !std::isnan(d) && d >= static_cast<double>(lo) && !above;
        if (fits) {
          if constexpr (std::is_same<T, bool>::value)
            return d != 0.0;
          else
            return convert<T>(d);
        }
      }
    }
    fail<value_error>(op, "value ", printable(s), " cannot be converted to ", dtype_name<T>(),
                      " without overflow");
  }
}

template <class T, class U, class D>
void copy_into(const char* op, tensor<T, D>& x, const tensor<U, D>& src) {
  const dims_t shape = broadcast_shapes(op, x.shape(), src.shape());
  if (shape != x.shape())
    fail<shape_error>(op, "the source of shape ", format_dims(src.shape()),
                      " does not broadcast to the tensor's shape ", format_dims(x.shape()));
  check_same_device(op, x.device(), src.device());
  check_write_overlap(op, x, &src, "the tensor");
  device_engine<D>::assign(op, x, binary_operand<U>{src.data(), convert<U>(0)},
                           broadcast_strides(src.shape(), src.strides(), shape));
  note_uses(op, x, src);
}

template <class T, class S, class D>
void fill_scalar(const char* op, tensor<T, D>& x, S value) {
  const T v = fill_value<T>(op, value);
  check_write_overlap<T>(op, x, static_cast<const tensor<T, D>*>(nullptr), "the tensor");
  device_engine<D>::assign(op, x, binary_operand<T>{nullptr, v}, dims_t(x.shape().size(), 0));
  note_uses(op, x);
}

/// As PyTorch's fill_(Tensor): the value is read before any element is written, so it may be
/// one of x's elements.
template <class T, class U, class D>
void fill_tensor(const char* op, tensor<T, D>& x, const tensor<U, D>& value) {
  if (value.dim() != 0)
    fail<shape_error>(op, "the value must be a 0-d tensor, but it has shape ",
                      format_dims(value.shape()));
  check_write_overlap<T>(op, x, static_cast<const tensor<T, D>*>(nullptr), "the tensor");
  device_engine<D>::fill_from(op, x, value);
  note_uses(op, x, value);
}

}  // namespace detail

#define RADICAND_SAME_DEVICE_MESSAGE \
  "radicand: the tensors of one operation must be on the same device (use .to(...))"

// ---- rsqrt ----
/// 1/sqrt(x), correctly rounded; integral and bool inputs give float.
template <class T, class D>
tensor<detail::unary_float_t<T>, D> rsqrt(const tensor<T, D>& x) {
  return detail::unary<detail::math::rsqrt_op>(x);
}
/// 1/sqrt(x) written into out (see the out rules); returns out.
template <class T, class U, class D>
tensor<U, D>& rsqrt(const tensor<T, D>& x, tensor<U, D>& out) {
  return detail::unary_out<detail::math::rsqrt_op>(x, out);
}
template <class T, class U, class D>
tensor<U, D> rsqrt(const tensor<T, D>& x, tensor<U, D>&& out) {
  detail::unary_out<detail::math::rsqrt_op>(x, out);
  return std::move(out);
}
/// In place; floating tensors only.
template <class T, class D>
tensor<T, D>& rsqrt_(tensor<T, D>& x) {
  return detail::unary_inplace<detail::math::rsqrt_op>(x);
}
template <class T, class D>
tensor<T, D> rsqrt_(tensor<T, D>&& x) {
  detail::unary_inplace<detail::math::rsqrt_op>(x);
  return std::move(x);
}
/// An out on another device than the input does not compile.
template <class T, class DT, class U, class DU,
          std::enable_if_t<!std::is_same<DT, DU>::value, int> = 0>
tensor<U, DU>& rsqrt(const tensor<T, DT>&, tensor<U, DU>& out) {
  static_assert(std::is_same<DT, DU>::value, RADICAND_SAME_DEVICE_MESSAGE);
  return out;
}

// ---- sqrt ----
template <class T, class D>
tensor<detail::unary_float_t<T>, D> sqrt(const tensor<T, D>& x) {
  return detail::unary<detail::math::sqrt_op>(x);
}
template <class T, class U, class D>
tensor<U, D>& sqrt(const tensor<T, D>& x, tensor<U, D>& out) {
  return detail::unary_out<detail::math::sqrt_op>(x, out);
}
template <class T, class U, class D>
tensor<U, D> sqrt(const tensor<T, D>& x, tensor<U, D>&& out) {
  detail::unary_out<detail::math::sqrt_op>(x, out);
  return std::move(out);
}
template <class T, class D>
tensor<T, D>& sqrt_(tensor<T, D>& x) {
  return detail::unary_inplace<detail::math::sqrt_op>(x);
}
template <class T, class D>
tensor<T, D> sqrt_(tensor<T, D>&& x) {
  detail::unary_inplace<detail::math::sqrt_op>(x);
  return std::move(x);
}
template <class T, class DT, class U, class DU,
          std::enable_if_t<!std::is_same<DT, DU>::value, int> = 0>
tensor<U, DU>& sqrt(const tensor<T, DT>&, tensor<U, DU>& out) {
  static_assert(std::is_same<DT, DU>::value, RADICAND_SAME_DEVICE_MESSAGE);
  return out;
}

// ---- + - * / ----
#define RADICAND_BINARY_OPERATOR(OP, FN)                                                           \
  template <class A, class B, class D>                                                             \
  tensor<detail::binary_result_t<detail::FN, promote_t<A, B>>, D> operator OP(                     \
      const tensor<A, D>& a, const tensor<B, D>& b) {                                              \
    return detail::binary<detail::FN, detail::binary_result_t<detail::FN, promote_t<A, B>>>(a, b); \
  }                                                                                                \
  /* A 0-d operand known at compile time (rd::scalar) takes part by its category. */               \
  template <class A, class B, class D>                                                             \
  tensor<detail::binary_result_t<detail::FN, promote_zero_dim_t<A, B>>, D> operator OP(            \
      const tensor<A, D>& a, const scalar_tensor<B, D>& b) {                                       \
    return detail::binary<detail::FN,                                                              \
                          detail::binary_result_t<detail::FN, promote_zero_dim_t<A, B>>>(a, b);    \
  }                                                                                                \
  template <class A, class B, class D>                                                             \
  tensor<detail::binary_result_t<detail::FN, promote_zero_dim_t<B, A>>, D> operator OP(            \
      const scalar_tensor<A, D>& a, const tensor<B, D>& b) {                                       \
    return detail::binary<detail::FN,                                                              \
                          detail::binary_result_t<detail::FN, promote_zero_dim_t<B, A>>>(a, b);    \
  }                                                                                                \
  template <class A, class B, class D>                                                             \
  tensor<detail::binary_result_t<detail::FN, promote_t<A, B>>, D> operator OP(                     \
      const scalar_tensor<A, D>& a, const scalar_tensor<B, D>& b) {                                \
    return detail::binary<detail::FN, detail::binary_result_t<detail::FN, promote_t<A, B>>>(a, b); \
  }                                                                                                \
  template <class A, class S, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0>          \
  auto operator OP(const tensor<A, D>& a, S s) {                                                   \
    return detail::binary_tensor_scalar<detail::FN>(a, s);                                         \
  }                                                                                                \
  template <class S, class B, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0>          \
  auto operator OP(S s, const tensor<B, D>& b) {                                                   \
    return detail::binary_scalar_tensor<detail::FN>(s, b);                                         \
  }                                                                                                \
  template <class A, class B, class D>                                                             \
  tensor<A, D>& operator OP##=(tensor<A, D>& a, const tensor<B, D>& b) {                           \
    return detail::binary_inplace<detail::FN>(a, b);                                               \
  }                                                                                                \
  template <class A, class B, class D>                                                             \
  tensor<A, D> operator OP##=(tensor<A, D>&& a, const tensor<B, D>& b) {                           \
    detail::binary_inplace<detail::FN>(a, b);                                                      \
    return std::move(a);                                                                           \
  }                                                                                                \
  template <class A, class S, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0>          \
  tensor<A, D>& operator OP##=(tensor<A, D>& a, S s) {                                             \
    return detail::binary_inplace_scalar<detail::FN>(a, s);                                        \
  }                                                                                                \
  template <class A, class S, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0>          \
  tensor<A, D> operator OP##=(tensor<A, D>&& a, S s) {                                             \
    detail::binary_inplace_scalar<detail::FN>(a, s);                                               \
    return std::move(a);                                                                           \
  }                                                                                                \
  /* Tensors on two device types: does not compile, with a message. */                             \
  template <class A, class DA, class B, class DB,                                                  \
            std::enable_if_t<!std::is_same<DA, DB>::value, int> = 0>                               \
  tensor<A, DA> operator OP(const tensor<A, DA>& a, const tensor<B, DB>&) {                        \
    static_assert(std::is_same<DA, DB>::value, RADICAND_SAME_DEVICE_MESSAGE);                      \
    return a;                                                                                      \
  }                                                                                                \
  template <class A, class DA, class B, class DB,                                                  \
            std::enable_if_t<!std::is_same<DA, DB>::value, int> = 0>                               \
  tensor<A, DA>& operator OP##=(tensor<A, DA>& a, const tensor<B, DB>&) {                          \
    static_assert(std::is_same<DA, DB>::value, RADICAND_SAME_DEVICE_MESSAGE);                      \
    return a;                                                                                      \
  }

RADICAND_BINARY_OPERATOR(+, math::add_op)
RADICAND_BINARY_OPERATOR(-, math::sub_op)
RADICAND_BINARY_OPERATOR(*, math::mul_op)
RADICAND_BINARY_OPERATOR(/, math::div_op)
#undef RADICAND_BINARY_OPERATOR

// ---- unary minus ----
/// -x in x's element type; integers wrap modulo 2^n, as in PyTorch.
template <class T, class D>
tensor<T, D> operator-(const tensor<T, D>& x) {
  static_assert(!std::is_same<T, bool>::value,
                "radicand: negating a bool tensor (unary -) is not supported, as in PyTorch");
  tensor<T, D> r = detail::result_like<T>("neg", x);
  detail::device_engine<D>::template unary<detail::math::neg_op, T>(
      "neg", x.data(), x.strides(), r.data(), r.strides(), x.shape(), x.device());
  detail::note_uses("neg", x, r);
  return r;
}

#undef RADICAND_SAME_DEVICE_MESSAGE

RADICAND_NAMESPACE_END

#endif  // RADICAND_OPS_HPP
