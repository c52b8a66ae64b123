// radicand: DLPack in and out (from_dlpack, to_dlpack), zero-copy, for the tensors of PyTorch,
// CuPy, JAX and every other DLPack producer or consumer. Needs dlpack/dlpack.h (0.6 or later);
// the umbrella header includes this one only where that header is found.
#ifndef RADICAND_DLPACK_HPP
#define RADICAND_DLPACK_HPP

#include <dlpack/dlpack.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "config.hpp"
#include "device.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "factories.hpp"
#include "shape.hpp"
#include "tensor.hpp"
// Empty unless compiled as CUDA: the CUDA engine, for CUDA memory.
#include "cuda/engine.hpp"

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// DLPack's code for bool, which its headers before 0.8 do not name.
constexpr std::uint8_t dl_bool_code = 6;

/// The DLPack type of T: one lane of its bits, in the code PyTorch uses for it.
template <class T>
constexpr DLDataType dl_dtype_of() noexcept {
  const std::uint8_t code = std::is_same<T, bool>::value ? dl_bool_code
                            : std::is_same<T, bfloat16>::value
                                ? static_cast<std::uint8_t>(kDLBfloat)
                            : is_floating_element<T>::value ? static_cast<std::uint8_t>(kDLFloat)
                            : std::is_signed<T>::value      ? static_cast<std::uint8_t>(kDLInt)
                                                            : static_cast<std::uint8_t>(kDLUInt);
  return DLDataType{code, static_cast<std::uint8_t>(8 * sizeof(T)), 1};
}

/// "float32", "bfloat16", "uint8", "float16x4" (lanes), "code 9, 16 bits": how errors name a
/// DLPack type, in PyTorch's words where it has them.
inline std::string dl_dtype_name(DLDataType t) {
  const char* kind = t.code == kDLInt            ? "int"
                     : t.code == kDLUInt         ? "uint"
                     : t.code == kDLFloat        ? "float"
                     : t.code == kDLBfloat       ? "bfloat"
                     : t.code == kDLComplex      ? "complex"
                     : t.code == dl_bool_code    ? "bool"
                     : t.code == kDLOpaqueHandle ? "opaque handle"
                                                 : nullptr;
  std::string name = kind == nullptr ? "code " + std::to_string(t.code) + ", " : kind;
  if (t.code == dl_bool_code && t.bits == 8) {
    // "bool", as PyTorch names it
  } else if (kind == nullptr || t.code == kDLOpaqueHandle) {
    name += (kind == nullptr ? "" : ", ") + std::to_string(t.bits) + " bits";
  } else {
    name += std::to_string(t.bits);
  }
  if (t.lanes != 1) name += "x" + std::to_string(t.lanes);
  return name;
}

/// "cpu", "cuda:1", "device type 4, id 0": how errors name a DLPack device.
inline std::string dl_device_name(DLDevice d) {
  switch (d.device_type) {
    case kDLCPU:
      return "cpu";
    case kDLCUDA:
      return "cuda:" + std::to_string(d.device_id);
    case kDLCUDAHost:
      return "cuda_host (pinned host memory)";
    case kDLCUDAManaged:
      return "cuda_managed:" + std::to_string(d.device_id);
    default:
      return "device type " + std::to_string(static_cast<int>(d.device_type)) + ", id " +
             std::to_string(d.device_id);
  }
}

/// The device a DLPack tensor's memory can be used from as Device's memory, or throws naming
/// both. Host memory: plain and pinned. Device memory: CUDA's own and managed.
template <class Device>
Device dl_device_for(DLDevice d) {
  if constexpr (std::is_same<Device, cpu_t>::value) {
    if (d.device_type == kDLCPU || d.device_type == kDLCUDAHost) return cpu;
    fail<error>("from_dlpack", "the DLPack tensor is on ", dl_device_name(d),
                ", not on the host: use from_dlpack<T, rd::cuda_t> in a CUDA translation unit "
                "for CUDA memory");
  } else {
    if ((d.device_type == kDLCUDA || d.device_type == kDLCUDAManaged) && d.device_id >= 0)
      return Device(d.device_id);
    fail<error>("from_dlpack", "the DLPack tensor is on ", dl_device_name(d),
                ", not on a CUDA device: use from_dlpack<T> for host memory");
  }
}

/// What to_dlpack hands out: the DLManagedTensor, the tensor whose storage it keeps alive, and
/// the shape and strides it points to. Its deleter frees it all.
template <class T, class D>
struct dl_export {
  DLManagedTensor managed{};
  tensor<T, D> kept;
  std::vector<std::int64_t> shape, strides;

  static void release(DLManagedTensor* self) noexcept {
    if (self != nullptr) delete static_cast<dl_export*>(self->manager_ctx);
  }
};

inline DLDevice dl_device_of(cpu_t) noexcept { return DLDevice{kDLCPU, 0}; }
#if RADICAND_HAS_CUDA
inline DLDevice dl_device_of(cuda_t d) noexcept { return DLDevice{kDLCUDA, d.index}; }
#endif

}  // namespace detail

/// A tensor viewing a DLPack tensor's memory, without a copy. It takes over `m`: m's deleter runs
/// once, when the last handle to the tensor (or any view of it) goes; on CUDA memory, after the
/// work queued on that device. Throws rd::error (naming what does not fit: the element type,
/// lanes, device, shape, strides, offset or alignment) before taking anything: then `m` is still
/// the caller's, and its deleter has not run. Null strides mean contiguous; negative strides are
/// refused.
template <class T, class Device = cpu_t>
tensor<T, Device> from_dlpack(DLManagedTensor* m) {
  static_assert(is_element_type<T>::value,
                "radicand::from_dlpack: T must be one of radicand's element types");
  if (m == nullptr) detail::fail<error>("from_dlpack", "null DLManagedTensor");
  const DLTensor& t = m->dl_tensor;
  const DLDataType want = detail::dl_dtype_of<T>();
  if (t.dtype.code != want.code || t.dtype.bits != want.bits || t.dtype.lanes != want.lanes)
    detail::fail<error>("from_dlpack", "the DLPack tensor holds ", detail::dl_dtype_name(t.dtype),
                        ", not ", dtype_name<T>(), " (", detail::dl_dtype_name(want), ")");
  const Device device = detail::dl_device_for<Device>(t.device);
  if (t.ndim < 0) detail::fail<shape_error>("from_dlpack", "negative ndim ", t.ndim);
  if (t.ndim > 0 && t.shape == nullptr)
    detail::fail<shape_error>("from_dlpack", "null shape for ndim ", t.ndim);
  const auto n = static_cast<std::size_t>(t.ndim);
  detail::dims_t shape(t.shape, t.shape + n);
  detail::dims_t strides = t.strides == nullptr ? detail::contiguous_strides(shape)
                                                : detail::dims_t(t.strides, t.strides + n);
  const auto address = reinterpret_cast<std::uintptr_t>(t.data);
  const std::uintptr_t first = address + t.byte_offset;
  if (first < address)
    detail::fail<error>("from_dlpack", "byte_offset ", t.byte_offset, " wraps the address space");
  if (first % alignof(T) != 0)
    detail::fail<error>("from_dlpack", "data + byte_offset (byte_offset ", t.byte_offset,
                        ") is not aligned for ", dtype_name<T>(), " (", alignof(T), " bytes)");
  T* base = reinterpret_cast<T*>(first);
  detail::check_blob("from_dlpack", base, sizeof(T), shape, strides);
  return detail::adopt(base, std::move(shape), std::move(strides), device, [m] {
    if (m->deleter != nullptr) m->deleter(m);
  });
}

/// A DLPack tensor viewing x's memory, without a copy, that keeps x's storage alive until its
/// deleter runs (the consumer calls it once). Its data points at x's first element (byte_offset
/// 0) and its strides are x's; half is (kDLFloat, 16), bfloat16 (kDLBfloat, 16) and bool
/// (DLPack's kDLBool, 8). The work queued on a CUDA tensor's device is waited for first, since
/// DLPack's C structures carry no stream to order a consumer after it.
template <class T, class D>
DLManagedTensor* to_dlpack(const tensor<T, D>& x) {
  auto out = std::make_unique<detail::dl_export<T, D>>();
  out->kept = x;
  out->shape = x.shape();
  out->strides = x.strides();
  detail::device_engine<D>::finish_work(x.device());
  DLManagedTensor& m = out->managed;
  m.dl_tensor.data = static_cast<void*>(x.data());
  m.dl_tensor.device = detail::dl_device_of(x.device());
  m.dl_tensor.ndim = static_cast<std::int32_t>(x.dim());
  m.dl_tensor.dtype = detail::dl_dtype_of<T>();
  m.dl_tensor.shape = out->shape.data();
  m.dl_tensor.strides = out->strides.data();
  m.dl_tensor.byte_offset = 0;
  m.manager_ctx = out.get();
  m.deleter = &detail::dl_export<T, D>::release;
  return &out.release()->managed;
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_DLPACK_HPP
