// radicand: the CUDA engine, device_engine<cuda_t>: device memory, elements copied to the host,
// copies between host and devices, conversions and the element-wise operations over any layout,
// queued on the current stream. The iteration space is the CPU engine's (iteration.hpp): only
// the kernels differ. Used only in CUDA translation units.
#ifndef RADICAND_CUDA_ENGINE_HPP
#define RADICAND_CUDA_ENGINE_HPP

#include "../config.hpp"
#include "../device.hpp"
#include "../dtype.hpp"
#include "../error.hpp"
#include "../iteration.hpp"
#include "../math/ops.hpp"
#include "../shape.hpp"
#include "../tensor.hpp"
#include "kernels.hpp"
#include "memory.hpp"
#include "runtime.hpp"

#if RADICAND_HAS_CUDA

#include <cuda_runtime.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

RADICAND_NAMESPACE_BEGIN
namespace detail {

template <>
struct is_device<cuda_t> : std::true_type {};

/// A collapsed iteration space over K operands (out first, as iteration.hpp orders it) as the
/// kernels take it.
template <int K>
cuda_kernels::operand_layout<K> to_layout(const char* op, const loop_space& ls) {
  if (ls.shape.size() > static_cast<std::size_t>(cuda_kernels::max_dims))
    fail<shape_error>(op, "the layout has ", ls.shape.size(),
                      " dimensions that cannot be merged (shape ", format_dims(ls.shape),
                      "); CUDA tensors support at most ", cuda_kernels::max_dims);
  cuda_kernels::operand_layout<K> layout{};
  layout.dims = static_cast<int>(ls.shape.size());
  for (std::size_t i = 0; i < ls.shape.size(); ++i) {
    layout.sizes[i] = ls.shape[i];
    for (std::size_t k = 0; k < static_cast<std::size_t>(K); ++k)
      layout.strides[k][i] = ls.strides[k][i];
  }
  return layout;
}
inline cuda_kernels::strided_layout to_strided_layout(const char* op, const loop_space& ls) {
  return to_layout<2>(op, ls);
}

/// The stream work on device d runs on: the current one where it belongs to d, else d's
/// legacy default stream (the other side of a copy between devices).
inline cudaStream_t stream_on(const char* op, cuda_t d) {
  const cudaStream_t stream = current_stream_slot();
  const int owner = stream_device(op, stream);
  return owner < 0 || owner == d.index ? stream : nullptr;
}

/// f() with `stream` current.
template <class F>
auto on_stream(cudaStream_t stream, F&& f) {
  const cuda::stream_guard guard(stream);
  return f();
}

/// Makes stream `waiter` (of device w) wait for the work queued so far on stream `done` (of
/// device d), with an event.
inline void order_after(const char* op, cuda_t d, cudaStream_t done, cuda_t w,
                        cudaStream_t waiter) {
  struct owned_event {
    cudaEvent_t event = nullptr;
    ~owned_event() {
      if (event != nullptr) (void)cudaEventDestroy(event);
    }
  } e;
  {
    device_guard guard(op, d);
    check_cuda(cudaEventCreateWithFlags(&e.event, cudaEventDisableTiming), op,
               "cudaEventCreateWithFlags");
    check_cuda(cudaEventRecord(e.event, done), op, "cudaEventRecord");
  }
  device_guard guard(op, w);
  check_cuda(cudaStreamWaitEvent(waiter, e.event, 0), op, "cudaStreamWaitEvent");
}

template <>
struct device_engine<cuda_t> {
  template <class T>
  static std::shared_ptr<T> allocate(const char* op, std::int64_t n, cuda_t d) {
    return allocate_device<T>(op, n, d);
  }
  /// Waits for every stream of device d: memory that radicand does not own goes back to its
  /// owner after this, who may free or reuse it at once (radicand's work on it may have been
  /// queued on any stream). Never throws: at exit the runtime may be gone already.
  static void finish_work(cuda_t d) noexcept {
    const bool caller_error_pending = cudaPeekAtLastError() != cudaSuccess;
    int current = -1;
    const bool switched = cudaGetDevice(&current) == cudaSuccess && current != d.index &&
                          cudaSetDevice(d.index) == cudaSuccess;
    (void)cudaDeviceSynchronize();
    if (switched) (void)cudaSetDevice(current);
    if (!caller_error_pending) (void)cudaGetLastError();
  }

  /// One element, copied to the host after the work on the current stream.
  template <class T>
  static T element(const char* op, const T* p, cuda_t d) {
    return read_one(op, p, d);
  }
  template <class T>
  static T read_one(const char* op, const T* p, cuda_t d) {
    device_guard guard(op, d);
    const cudaStream_t stream = stream_on(op, d);
    T v{};
    copy_async(op, &v, p, sizeof(T), cudaMemcpyDeviceToHost, stream);
    synchronize_stream(op, stream);
    return v;
  }

  /// A contiguous copy on the same device, converted to U.
  template <class U, class T>
  static tensor<U, cuda_t> converted(const char* op, const tensor<T, cuda_t>& x) {
    tensor<U, cuda_t> r = allocate_tensor_on<U>(op, x.shape(), x.device());
    if constexpr (std::is_same<T, U>::value) {
      if (x.is_contiguous()) {
        device_guard guard(op, x.device());
        copy_async(op, r.data(), x.data(), static_cast<std::size_t>(x.numel()) * sizeof(T),
                   cudaMemcpyDeviceToDevice, stream_for(op, x.device()));
        record_uses(op, x, r);
        return r;
      }
    }
    unary<math::copy_op, T>(op, x.data(), x.strides(), r.data(), r.strides(), x.shape(),
                            x.device());
    record_uses(op, x, r);
    return r;
  }

  /// What a copy between devices moves in one block: x itself where it is dense (its elements
  /// fill [data(), data() + numel) in some order, and the copy keeps its strides, as PyTorch's
  /// to() does), else a contiguous copy of it made where it is.
  template <class T, class D>
  static tensor<T, D> block_of(const tensor<T, D>& x) {
    return is_dense(x.shape(), x.strides()) ? x : x.contiguous();
  }

  /// A host copy with the layout of block_of(x), after the work on x's device's stream
  /// (stream_on).
  template <class T>
  static tensor<T> to_host(const tensor<T, cuda_t>& x) {
    const cuda::stream_guard on_device(stream_on("cpu", x.device()));
    const tensor<T, cuda_t> c = block_of(x);
    tensor<T> r = allocate_tensor<T>("cpu", c.shape(), c.strides());
    device_guard guard("cpu", x.device());
    copy_async("cpu", r.data(), c.data(), static_cast<std::size_t>(c.numel()) * sizeof(T),
               cudaMemcpyDeviceToHost, current_stream_slot());
    synchronize_stream("cpu", current_stream_slot());
    return r;
  }

  /// A copy on device d with the layout of block_of(x), queued on d's stream (stream_on; the
  /// host tensor may go as soon as this returns: CUDA stages pageable memory before the call
  /// returns).
  template <class T>
  static tensor<T, cuda_t> to(const tensor<T>& x, cuda_t d) {
    const cuda::stream_guard on_device(stream_on("to", d));
    const tensor<T> c = block_of(x);
    tensor<T, cuda_t> r = allocate_tensor_on<T>("to", c.shape(), c.strides(), d);
    device_guard guard("to", d);
    copy_async("to", r.data(), c.data(), static_cast<std::size_t>(c.numel()) * sizeof(T),
               cudaMemcpyHostToDevice, current_stream_slot());
    record_uses("to", r);
    return r;
  }

  /// The tensor on device d: itself when it is there already, else a copy with the layout of
  /// block_of(x). Each device's side runs on its stream (stream_on): x's block is made and
  /// copied on the source's, after the destination's stream has allocated the result, and the
  /// destination's stream waits for the copy, so that work queued there next reads the copy.
  template <class T>
  static tensor<T, cuda_t> to(const tensor<T, cuda_t>& x, cuda_t d) {
    const cuda_t source = x.device();
    if (source == d) return x;
    const cudaStream_t from = stream_on("to", source), into = stream_on("to", d);
    const cuda::stream_guard on_source(from);
    const tensor<T, cuda_t> c = block_of(x);
    tensor<T, cuda_t> r =
        on_stream(into, [&] { return allocate_tensor_on<T>("to", c.shape(), c.strides(), d); });
    const std::size_t bytes = static_cast<std::size_t>(c.numel()) * sizeof(T);
    if (bytes != 0) {
      order_after("to", d, into, source, from);
      device_guard guard("to", source);
      check_cuda(cudaMemcpyPeerAsync(r.data(), d.index, c.data(), source.index, bytes, from), "to",
                 "cudaMemcpyPeerAsync");
      record_uses("to", c);
      order_after("to", source, from, d, into);
      on_stream(into, [&] { record_uses("to", r); });  // into now waits for the copy
    }
    return r;
  }

  /// Notes that tensors were just used on the current stream (memory.hpp).
  template <class... Tensors>
  static void record_uses(const char* op, const Tensors&... xs) {
    (record_stream_use(op, tensor_access::owner(xs)), ...);
  }
  static void record_use(const char* op, const std::shared_ptr<void>& owner) {
    record_stream_use(op, owner);
  }

  /// out = U(Op(R(in))) over a shape on device d, queued on the current stream: the vectorised
  /// kernel when both sides are one contiguous run of one type (after ordering and collapsing
  /// the dimensions, so a transposed tensor and its transposed result are one run), else the
  /// strided kernel.
  template <class Op, class R, class T, class U>
  static void unary(const char* op, const T* in, const dims_t& in_strides, U* out,
                    const dims_t& out_strides, const dims_t& shape, cuda_t d) {
    const std::int64_t n = numel_of(shape);
    if (n == 0) return;
    device_guard guard(op, d);
    const cudaStream_t stream = stream_for(op, d);
    const loop_space ls = ordered_collapse<2>(shape, {&out_strides, &in_strides});
    if constexpr (std::is_same<T, R>::value && std::is_same<U, R>::value) {
      if (ls.shape.size() == 1 && ls.strides[0][0] == 1 && ls.strides[1][0] == 1) {
        cuda_kernels::launch_contiguous<Op>(op, in, out, static_cast<std::size_t>(n), stream);
        return;
      }
    }
    cuda_kernels::launch_strided<Op, R>(op, in, out, to_strided_layout(op, ls),
                                        static_cast<std::size_t>(n), stream);
  }

  /// out = R(f(C(a), C(b))) over a shape on device d (the operands' strides already broadcast
  /// to it; a value operand has none), queued on the current stream.
  template <class C, class F, class A, class B, class R>
  static void binary(const char* op, binary_operand<A> a, const dims_t& a_strides,
                     binary_operand<B> b, const dims_t& b_strides, R* out,
                     const dims_t& out_strides, const dims_t& shape, cuda_t d) {
    const std::int64_t n = numel_of(shape);
    if (n == 0) return;
    device_guard guard(op, d);
    const loop_space ls = ordered_collapse<3>(shape, {&out_strides, &a_strides, &b_strides});
    cuda_kernels::launch_binary<F, C>(op, a, b, out, to_layout<3>(op, ls),
                                      static_cast<std::size_t>(n), stream_for(op, d));
  }

  /// x's elements = T(src) over x's shape (src's strides already broadcast to it; a value
  /// operand, a host value, is passed with the launch). The caller has checked the write rules.
  template <class T, class U>
  static void assign(const char* op, tensor<T, cuda_t>& x, binary_operand<U> src,
                     const dims_t& src_strides) {
    if (src.p != nullptr)
      unary<math::copy_op, T>(op, src.p, src_strides, x.data(), x.strides(), x.shape(), x.device());
    else
      binary<U, math::assign_op>(op, src, src_strides, src, src_strides, x.data(), x.strides(),
                                 x.shape(), x.device());
  }
  /// Every element of x = T(the element of the 0-d value), read in stream order before any is
  /// written (it may be one of x's elements, or on another device).
  template <class T, class U>
  static void fill_from(const char* op, tensor<T, cuda_t>& x, const tensor<U, cuda_t>& value) {
    const dims_t none(x.shape().size(), 0);
    if (value.device() != x.device()) {
      assign(op, x, binary_operand<T>{nullptr, convert<T>(value.item())}, none);
    } else if (range_of(x.data(), sizeof(T), x.shape(), x.strides())
                   .intersects(range_of(value.data(), sizeof(U), {}, {}))) {
      const tensor<U, cuda_t> c = value.clone();
      assign(op, x, binary_operand<U>{c.data(), convert<U>(0)}, none);
    } else {
      assign(op, x, binary_operand<U>{value.data(), convert<U>(0)}, none);
    }
  }

  /// Printed after the values: device='cuda:0'.
  static std::vector<std::string> print_suffixes(cuda_t d) {
    return {"device='" + device_string(d) + "'"};
  }

  template <class T>
  static void fill(const char* op, tensor<T, cuda_t>& x, T value) {
    device_guard guard(op, x.device());
    cuda_kernels::launch_fill(op, x.data(), value, static_cast<std::size_t>(x.numel()),
                              stream_for(op, x.device()));
    record_uses(op, x);
  }
};

}  // namespace detail

RADICAND_NAMESPACE_END

#endif  // RADICAND_HAS_CUDA
#endif  // RADICAND_CUDA_ENGINE_HPP
