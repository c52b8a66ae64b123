// radicand on a CUDA device. The README quotes this file. It checks its own results against the
// host's and exits with 1 if they differ, or with 77 where there is no CUDA device (what CTest
// reports as skipped).
#include <cstdio>
#include <iostream>

#include <radicand/radicand.hpp>

namespace rd = radicand;

int main() {
  if (rd::cuda::device_count() == 0) {
    std::puts("no CUDA device");
    return 77;
  }
  // Tensors on the device: copied there, or made there by the factories.
  rd::tensor<float> host = {{4.f, 9.f, 16.f}, {25.f, 36.f, 49.f}};
  rd::tensor<float, rd::cuda_t> x = host.to(rd::cuda);
  rd::tensor<rd::half, rd::cuda_t> h = rd::full<rd::half>({3}, rd::half(2.f), rd::cuda);

  // The same four forms as on the host, asynchronous on the current stream.
  rd::tensor<float, rd::cuda_t> a = rd::rsqrt(x);  // function
  rd::tensor<float, rd::cuda_t> b = x.t().sqrt();  // method, on a transposed view
  rd::tensor<float, rd::cuda_t> out = rd::empty<float>({2, 3}, rd::cuda);
  rd::rsqrt(x, out);  // into a preallocated out
  h.rsqrt_();         // in place

  // Printing and cpu() wait for the stream; the results are the host's, bit for bit.
  std::cout << a << '\n' << b << '\n' << h << '\n';
  bool same = rd::to_string(out.cpu()) == rd::to_string(rd::rsqrt(host));

  // Arithmetic with broadcasting (a [2, 3] tensor, a scalar, a row), and element access: at()
  // copies one element to the host.
  rd::tensor<float, rd::cuda_t> c = a * 2.f + x.select(0, 1);
  c /= x;
  std::cout << c << '\n';
  same = same && c.at({1, 2}) == ((rd::rsqrt(host) * 2.f + host.select(0, 1)) / host).at({1, 2});

  // Your own stream, and the raw kernel on device pointers.
  cudaStream_t stream = nullptr;
  if (cudaStreamCreate(&stream) != cudaSuccess) return 1;
  {
    rd::cuda::stream_guard guard(stream);
    rd::tensor<float, rd::cuda_t> y = rd::rsqrt(x);  // queued on `stream`
    rd::cuda::sqrt(y.data(), y.data(), static_cast<std::size_t>(y.numel()), stream);
    std::cout << y.cpu() << '\n';  // 1/x^(1/4)
  }
  cudaStreamDestroy(stream);
  return same ? 0 : 1;
}
