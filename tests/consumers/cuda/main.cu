// radicand in a CUDA translation unit: rsqrt on the host of tensors that a plain C++ unit makes
// and checks (host_unit.cpp: one tensor type for both), and rd::half's conversions in a kernel
// checked against the host's. Exits with 0 when both are right (the second needs a GPU).
#include <cuda_runtime.h>

#include <radicand/radicand.hpp>

#include <cstdio>

#include "host_unit.hpp"

namespace rd = radicand;

static_assert(RADICAND_HAS_CUDA == 1, "a CUDA translation unit sees RADICAND_HAS_CUDA == 1");

__global__ void round_to_half(const float* in, float* out, int n) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n) out[i] = static_cast<float>(rd::half(in[i]));
}

int main() {
  const rd::tensor<float> x = host_inputs();
  const rd::tensor<float> y = rd::rsqrt(x);
  if (!host_result_is_right(y)) return 1;
  std::printf("host: rsqrt(%s) = %s\n", rd::to_string(x).c_str(), rd::to_string(y).c_str());

  const int n = 4;
  const float in[n] = {1.f / 3.f, 65504.f, 1e-8f, 0.1f};
  float* device = nullptr;
  if (cudaMalloc(&device, 2 * n * sizeof(float)) != cudaSuccess) {
    std::printf("cudaMalloc failed: %s\n", cudaGetErrorString(cudaGetLastError()));
    return 1;
  }
  float out[n] = {};
  cudaMemcpy(device, in, n * sizeof(float), cudaMemcpyHostToDevice);
  round_to_half<<<1, 32>>>(device, device + n, n);
  const cudaError_t status = cudaMemcpy(out, device + n, n * sizeof(float), cudaMemcpyDeviceToHost);
  cudaFree(device);
  if (status != cudaSuccess) {
    std::printf("the kernel failed: %s\n", cudaGetErrorString(status));
    return 1;
  }
  for (int i = 0; i < n; ++i) {
    const float host = static_cast<float>(rd::half(in[i]));
    if (out[i] != host) {
      std::printf("half(%g) is %g on the device, %g on the host\n", static_cast<double>(in[i]),
                  static_cast<double>(out[i]), static_cast<double>(host));
      return 1;
    }
  }
  std::printf("device: rd::half conversions agree with the host\n");
  return 0;
}
