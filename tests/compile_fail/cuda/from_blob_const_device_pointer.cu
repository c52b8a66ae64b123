// expect: radicand::from_blob: the data pointer must be non-const
// A device tensor is a writable view too: a pointer to const device memory is refused.
#include <radicand/radicand.hpp>
int main() {
  const float* device_buffer = nullptr;
  const radicand::tensor<float, radicand::cuda_t> x =
      radicand::from_blob(device_buffer, {0}, radicand::cuda);
  return static_cast<int>(x.numel());
}
