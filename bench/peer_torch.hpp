// The libtorch peers' shared part: each element type's torch dtype, and non-owning torch views
// of the suite's buffers.
#ifndef RADICAND_BENCH_PEER_TORCH_HPP
#define RADICAND_BENCH_PEER_TORCH_HPP

#include <torch/torch.h>

#include "bench_common.hpp"

namespace rbench {

template <class T>
struct torch_dtype;
template <>
struct torch_dtype<float> {
  static constexpr torch::ScalarType value = torch::kFloat;
};
template <>
struct torch_dtype<double> {
  static constexpr torch::ScalarType value = torch::kDouble;
};
template <>
struct torch_dtype<rd::half> {
  static constexpr torch::ScalarType value = torch::kHalf;
};
template <>
struct torch_dtype<rd::bfloat16> {
  static constexpr torch::ScalarType value = torch::kBFloat16;
};

/// A non-owning torch view of the elements at p, of the given shape (contiguous).
template <class T>
torch::Tensor view_of(T* p, std::vector<std::int64_t> shape) {
  return torch::from_blob(static_cast<void*>(p), shape,
                          torch::TensorOptions().dtype(torch_dtype<T>::value));
}

/// A non-owning torch view of n elements at p.
template <class T>
torch::Tensor view_of(T* p, std::size_t n) {
  return view_of(p, std::vector<std::int64_t>{static_cast<std::int64_t>(n)});
}

}  // namespace rbench

#endif  // RADICAND_BENCH_PEER_TORCH_HPP
