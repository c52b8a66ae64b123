// radicand: rsqrt and sqrt in their four forms (function, method, out, in-place), and the
// arithmetic operators with broadcasting. PyTorch's semantics; the out and overlap rules are
// checked before any element is written.
#ifndef RADICAND_OPS_HPP
#define RADICAND_OPS_HPP

#include <cstdint>
#include <type_traits>
#include <utility>

#include "config.hpp"
#include "cpu/elementwise.hpp"
#include "cpu/kernels.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "shape.hpp"
#include "tensor.hpp"

#include "cuda/elementwise.hpp"  // empty unless compiled as CUDA

namespace radicand {
namespace detail {
inline namespace RADICAND_KERNEL_NAMESPACE {

struct rsqrt_op {
  static constexpr const char* name = "rsqrt";
  static constexpr const char* inplace_name = "rsqrt_";
  using math_fn = math::rsqrt_fn;  // what device backends run
  template <class T>
  static void kernel(const T* in, T* out, std::size_t n) {
    kernels::rsqrt(in, out, n);
  }
};
struct sqrt_op {
  static constexpr const char* name = "sqrt";
  static constexpr const char* inplace_name = "sqrt_";
  using math_fn = math::sqrt_fn;
  template <class T>
  static void kernel(const T* in, T* out, std::size_t n) {
    kernels::sqrt(in, out, n);
  }
};

/// out = Op(in) over a shape on the tensors' device: the CPU engine, or the device's own.
template <class Op, class R, class T, class U, class D>
void apply_unary(const char* op, const T* in, const dims_t& in_strides, U* out,
                 const dims_t& out_strides, const dims_t& shape, D device) {
  if constexpr (std::is_same<D, cpu_t>::value) {
    (void)op;
    (void)device;
    unary_apply<Op, R>(in, in_strides, out, out_strides, shape);
  } else {
    device_engine<D>::template unary<typename Op::math_fn, R>(op, in, in_strides, out, out_strides,
                                                              shape, device);
  }
}

}  // namespace RADICAND_KERNEL_NAMESPACE

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

template <class Op, class T, class D>
tensor<unary_float_t<T>, D> unary(const tensor<T, D>& x) {
  using R = unary_float_t<T>;
  tensor<R, D> r = result_like<R>(Op::name, x);
  apply_unary<Op, R>(Op::name, x.data(), x.strides(), r.data(), r.strides(), x.shape(), x.device());
  return r;
}

/// Two tensors of one operation must be on the same device (a compile-time rule for the device
/// types; the index of a CUDA device is checked when it runs).
template <class D>
void check_same_device(const char* op, D a, D b) {
  if constexpr (!std::is_same<D, cpu_t>::value) {
    if (a != b)
      fail<error>(op, "the tensors are on different devices, ", device_string(a), " and ",
                  device_string(b));
  }
}

template <class Op, class T, class U, class D>
tensor<U, D>& unary_out(const tensor<T, D>& x, tensor<U, D>& out) {
  static_assert(is_floating_element<U>::value,
                "radicand: out must have a floating element type (float, double, half, bfloat16)");
  using R = unary_float_t<T>;
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
    check_same_device(Op::name, x.device(), out.device());
    check_write_overlap(Op::name, out, &x, "out");
  }
  apply_unary<Op, R>(Op::name, x.data(), x.strides(), out.data(), out.strides(), x.shape(),
                     x.device());
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
  apply_unary<Op, T>(Op::inplace_name, x.data(), x.strides(), x.data(), x.strides(), x.shape(),
                     x.device());
  return x;
}

// ---- arithmetic ----

/// The type arithmetic happens in: float for the 16-bit floating types, else the result type.
template <class P>
using opmath_t =
    std::conditional_t<std::is_same<P, half>::value || std::is_same<P, bfloat16>::value, float, P>;

/// Integral + - * wrap modulo 2^n as in PyTorch: computed in uint64 (so never undefined), then
/// narrowed.
template <class C>
RADICAND_HOST_DEVICE inline C wrap_to(std::uint64_t r) noexcept {
  return static_cast<C>(static_cast<std::make_unsigned_t<C>>(r));
}
template <class C>
RADICAND_HOST_DEVICE inline std::uint64_t widen(C a) noexcept {
  return static_cast<std::uint64_t>(a);
}

// The operations, in the type C they compute in, on the host and on devices.
struct add_fn {
  static constexpr const char* name = "add";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    if constexpr (std::is_same<C, bool>::value)
      return a || b;
    else if constexpr (std::is_integral<C>::value)
      return wrap_to<C>(widen(a) + widen(b));
    else
      return a + b;
  }
};
struct sub_fn {
  static constexpr const char* name = "sub";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    if constexpr (std::is_integral<C>::value)
      return wrap_to<C>(widen(a) - widen(b));
    else
      return a - b;
  }
};
struct mul_fn {
  static constexpr const char* name = "mul";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    if constexpr (std::is_same<C, bool>::value)
      return a && b;
    else if constexpr (std::is_integral<C>::value)
      return wrap_to<C>(widen(a) * widen(b));
    else
      return a * b;
  }
};
struct div_fn {
  static constexpr const char* name = "div";
  template <class C>
  RADICAND_HOST_DEVICE C operator()(C a, C b) const {
    return a / b;  // C is floating: true division (integral operands give float)
  }
};

/// Result type of a binary operation on element types A and B (true division gives floating).
template <class F, class P>
using binary_result_t =
    std::conditional_t<std::is_same<F, div_fn>::value && !is_floating_element<P>::value, float, P>;

template <class F, class A, class B>
void check_bool_sub() {
  static_assert(!(std::is_same<F, sub_fn>::value && std::is_same<A, bool>::value &&
                  std::is_same<B, bool>::value),
                "radicand: subtracting two bool tensors is not supported (as in PyTorch)");
}

/// A tensor's side of a binary operation: its elements.
template <class T, class D>
binary_operand<T> operand_of(const tensor<T, D>& x) {
  return {x.data(), convert<T>(0)};
}

/// out = R(f(C(a), C(b))) over a shape on the tensors' device (strides broadcast to the shape).
template <class C, class F, class A, class B, class R, class D>
void apply_binary(const char* op, binary_operand<A> a, const dims_t& a_strides, binary_operand<B> b,
                  const dims_t& b_strides, R* out, const dims_t& out_strides, const dims_t& shape,
                  D device) {
  if constexpr (std::is_same<D, cpu_t>::value) {
    (void)op;
    (void)device;
    // A value operand has zero strides: its one element is read for every position.
    binary_apply<C>(a.p != nullptr ? a.p : &a.value, a_strides, b.p != nullptr ? b.p : &b.value,
                    b_strides, out, out_strides, shape, F{});
  } else {
    device_engine<D>::template binary<C, F>(op, a, a_strides, b, b_strides, out, out_strides, shape,
                                            device);
  }
}

/// a op b into a new contiguous tensor of the broadcast shape on `device`.
template <class F, class A, class B, class D>
tensor<binary_result_t<F, promote_t<A, B>>, D> binary_new(
    binary_operand<A> a, const dims_t& a_shape, const dims_t& a_strides, binary_operand<B> b,
    const dims_t& b_shape, const dims_t& b_strides, D device) {
  check_bool_sub<F, A, B>();
  using R = binary_result_t<F, promote_t<A, B>>;
  using C = opmath_t<R>;
  const dims_t shape = broadcast_shapes(F::name, a_shape, b_shape);
  tensor<R, D> r = allocate_tensor_on<R>(F::name, shape, device);
  apply_binary<C, F>(F::name, a, broadcast_strides(a_shape, a_strides, shape), b,
                     broadcast_strides(b_shape, b_strides, shape), r.data(), r.strides(), shape,
                     device);
  return r;
}

/// x op= y in place (y broadcast to x's shape); `y_tensor` is y's tensor for the overlap rule, or
/// null for a scalar.
template <class F, class T, class B, class D>
tensor<T, D>& binary_inplace(tensor<T, D>& x, binary_operand<B> y, const dims_t& y_shape,
                             const dims_t& y_strides, const tensor<B, D>* y_tensor) {
  check_bool_sub<F, T, B>();
  using R = binary_result_t<F, promote_t<T, B>>;
  static_assert(
      category_v<R> <= category_v<T>,
      "radicand: the result of this compound assignment cannot be stored in the tensor's element "
      "type (e.g. a float result into an integral tensor); use x = x op y");
  using C = opmath_t<R>;
  const dims_t shape = broadcast_shapes(F::name, x.shape(), y_shape);
  if (shape != x.shape())
    fail<shape_error>(F::name, "the tensor has shape ", format_dims(x.shape()),
                      " but the broadcast shape of the operands is ", format_dims(shape));
  if (y_tensor != nullptr) check_same_device(F::name, x.device(), y_tensor->device());
  check_write_overlap(F::name, x, y_tensor, "the tensor");
  apply_binary<C, F>(F::name, operand_of(x), x.strides(), y,
                     broadcast_strides(y_shape, y_strides, shape), x.data(), x.strides(), shape,
                     x.device());
  return x;
}

template <class F, class A, class B, class D>
tensor<binary_result_t<F, promote_t<A, B>>, D> binary(const tensor<A, D>& a,
                                                      const tensor<B, D>& b) {
  check_same_device(F::name, a.device(), b.device());
  return binary_new<F>(operand_of(a), a.shape(), a.strides(), operand_of(b), b.shape(), b.strides(),
                       a.device());
}

template <class F, class T, class B, class D>
tensor<T, D>& binary_inplace(tensor<T, D>& x, const tensor<B, D>& y) {
  return binary_inplace<F>(x, operand_of(y), y.shape(), y.strides(), &y);
}

template <class T>
struct is_tensor : std::false_type {};
template <class T, class D>
struct is_tensor<tensor<T, D>> : std::true_type {};

/// Scalars usable with tensors: C++ arithmetic types and the 16-bit floating types.
template <class S>
constexpr bool is_scalar_v = std::is_arithmetic<S>::value || std::is_same<S, half>::value ||
                             std::is_same<S, bfloat16>::value;

/// The element type a C++ scalar stands for (int -> int64, double -> double, ...).
template <class S>
using scalar_element_t =
    std::conditional_t<std::is_same<S, bool>::value, bool,
                       std::conditional_t<std::is_integral<S>::value, std::int64_t,
                                          std::conditional_t<std::is_same<S, half>::value ||
                                                                 std::is_same<S, bfloat16>::value ||
                                                                 std::is_same<S, float>::value,
                                                             S, double>>>;

/// A scalar as the value operand of the type the operation will run in (as PyTorch wraps it in
/// a 0-d tensor: it takes part in type promotion only by its category).
template <class T, class S>
binary_operand<promote_scalar_t<T, scalar_element_t<S>>> scalar_operand(S s) {
  using E = promote_scalar_t<T, scalar_element_t<S>>;
  return {nullptr, convert<E>(static_cast<scalar_element_t<S>>(s))};
}

template <class F, class A, class S, class D>
auto binary_tensor_scalar(const tensor<A, D>& a, S s) {
  return binary_new<F>(operand_of(a), a.shape(), a.strides(), scalar_operand<A>(s), dims_t{},
                       dims_t{}, a.device());
}
template <class F, class S, class B, class D>
auto binary_scalar_tensor(S s, const tensor<B, D>& b) {
  return binary_new<F>(scalar_operand<B>(s), dims_t{}, dims_t{}, operand_of(b), b.shape(),
                       b.strides(), b.device());
}
template <class F, class A, class S, class D>
tensor<A, D>& binary_inplace_scalar(tensor<A, D>& a, S s) {
  using E = promote_scalar_t<A, scalar_element_t<S>>;
  return binary_inplace<F>(a, scalar_operand<A>(s), dims_t{}, dims_t{},
                           static_cast<const tensor<E, D>*>(nullptr));
}

}  // namespace detail

inline namespace RADICAND_KERNEL_NAMESPACE {

#define RADICAND_SAME_DEVICE_MESSAGE \
  "radicand: the tensors of one operation must be on the same device (use .to(...))"

// ---- rsqrt ----
/// 1/sqrt(x), correctly rounded; integral and bool inputs give float.
template <class T, class D>
tensor<detail::unary_float_t<T>, D> rsqrt(const tensor<T, D>& x) {
  return detail::unary<detail::rsqrt_op>(x);
}
/// 1/sqrt(x) written into out (see the out rules); returns out.
template <class T, class U, class D>
tensor<U, D>& rsqrt(const tensor<T, D>& x, tensor<U, D>& out) {
  return detail::unary_out<detail::rsqrt_op>(x, out);
}
template <class T, class U, class D>
tensor<U, D> rsqrt(const tensor<T, D>& x, tensor<U, D>&& out) {
  detail::unary_out<detail::rsqrt_op>(x, out);
  return std::move(out);
}
/// In place; floating tensors only.
template <class T, class D>
tensor<T, D>& rsqrt_(tensor<T, D>& x) {
  return detail::unary_inplace<detail::rsqrt_op>(x);
}
template <class T, class D>
tensor<T, D> rsqrt_(tensor<T, D>&& x) {
  detail::unary_inplace<detail::rsqrt_op>(x);
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
  return detail::unary<detail::sqrt_op>(x);
}
template <class T, class U, class D>
tensor<U, D>& sqrt(const tensor<T, D>& x, tensor<U, D>& out) {
  return detail::unary_out<detail::sqrt_op>(x, out);
}
template <class T, class U, class D>
tensor<U, D> sqrt(const tensor<T, D>& x, tensor<U, D>&& out) {
  detail::unary_out<detail::sqrt_op>(x, out);
  return std::move(out);
}
template <class T, class D>
tensor<T, D>& sqrt_(tensor<T, D>& x) {
  return detail::unary_inplace<detail::sqrt_op>(x);
}
template <class T, class D>
tensor<T, D> sqrt_(tensor<T, D>&& x) {
  detail::unary_inplace<detail::sqrt_op>(x);
  return std::move(x);
}
template <class T, class DT, class U, class DU,
          std::enable_if_t<!std::is_same<DT, DU>::value, int> = 0>
tensor<U, DU>& sqrt(const tensor<T, DT>&, tensor<U, DU>& out) {
  static_assert(std::is_same<DT, DU>::value, RADICAND_SAME_DEVICE_MESSAGE);
  return out;
}

// ---- + - * / ----
#define RADICAND_BINARY_OPERATOR(OP, FN)                                                  \
  template <class A, class B, class D>                                                    \
  auto operator OP(const tensor<A, D>& a, const tensor<B, D>& b) {                        \
    return detail::binary<detail::FN>(a, b);                                              \
  }                                                                                       \
  template <class A, class S, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0> \
  auto operator OP(const tensor<A, D>& a, S s) {                                          \
    return detail::binary_tensor_scalar<detail::FN>(a, s);                                \
  }                                                                                       \
  template <class S, class B, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0> \
  auto operator OP(S s, const tensor<B, D>& b) {                                          \
    return detail::binary_scalar_tensor<detail::FN>(s, b);                                \
  }                                                                                       \
  template <class A, class B, class D>                                                    \
  tensor<A, D>& operator OP##=(tensor<A, D>& a, const tensor<B, D>& b) {                  \
    return detail::binary_inplace<detail::FN>(a, b);                                      \
  }                                                                                       \
  template <class A, class B, class D>                                                    \
  tensor<A, D> operator OP##=(tensor<A, D>&& a, const tensor<B, D>& b) {                  \
    detail::binary_inplace<detail::FN>(a, b);                                             \
    return std::move(a);                                                                  \
  }                                                                                       \
  template <class A, class S, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0> \
  tensor<A, D>& operator OP##=(tensor<A, D>& a, S s) {                                    \
    return detail::binary_inplace_scalar<detail::FN>(a, s);                               \
  }                                                                                       \
  template <class A, class S, class D, std::enable_if_t<detail::is_scalar_v<S>, int> = 0> \
  tensor<A, D> operator OP##=(tensor<A, D>&& a, S s) {                                    \
    detail::binary_inplace_scalar<detail::FN>(a, s);                                      \
    return std::move(a);                                                                  \
  }                                                                                       \
  /* Tensors on two device types: does not compile, with a message. */                    \
  template <class A, class DA, class B, class DB,                                         \
            std::enable_if_t<!std::is_same<DA, DB>::value, int> = 0>                      \
  tensor<A, DA> operator OP(const tensor<A, DA>& a, const tensor<B, DB>&) {               \
    static_assert(std::is_same<DA, DB>::value, RADICAND_SAME_DEVICE_MESSAGE);             \
    return a;                                                                             \
  }                                                                                       \
  template <class A, class DA, class B, class DB,                                         \
            std::enable_if_t<!std::is_same<DA, DB>::value, int> = 0>                      \
  tensor<A, DA>& operator OP##=(tensor<A, DA>& a, const tensor<B, DB>&) {                 \
    static_assert(std::is_same<DA, DB>::value, RADICAND_SAME_DEVICE_MESSAGE);             \
    return a;                                                                             \
  }

RADICAND_BINARY_OPERATOR(+, add_fn)
RADICAND_BINARY_OPERATOR(-, sub_fn)
RADICAND_BINARY_OPERATOR(*, mul_fn)
RADICAND_BINARY_OPERATOR(/, div_fn)
#undef RADICAND_BINARY_OPERATOR
#undef RADICAND_SAME_DEVICE_MESSAGE

}  // namespace RADICAND_KERNEL_NAMESPACE
}  // namespace radicand

#endif  // RADICAND_OPS_HPP
