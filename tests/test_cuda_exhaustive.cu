// The CUDA backend bit for bit against the CPU backend on every float (2^32 inputs, in chunks),
// every half and bfloat16 (65536 each), many doubles, and tensors of more than 2^31 elements
// (64-bit offsets), when the device has the memory. Needs a GPU; where none is present it exits
// with 77 and CTest reports it as skipped.
#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cuda_check.hpp"

namespace rd = radicand;

namespace {

/// Same bits, NaNs included (the canonical NaN on both sides, API.md).
template <class T>
bool same_value(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

__global__ void iota_bits(std::uint32_t* out, std::uint64_t first, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    out[i] = static_cast<std::uint32_t>(first + i);
}

/// Every float input through rd::cuda::<op> and rd::kernels::<op>.
template <class DeviceOp, class HostOp>
std::uint64_t float_mismatches(const char* name, DeviceOp device_op, HostOp host_op) {
  constexpr std::size_t chunk = std::size_t{1} << 26;
  std::uint32_t* din = nullptr;
  float* dout = nullptr;
  float* in = nullptr;
  float* expected = nullptr;
  float* got = nullptr;
  if (cudaMalloc(&din, chunk * 4) != cudaSuccess || cudaMalloc(&dout, chunk * 4) != cudaSuccess ||
      cudaMallocHost(&in, chunk * 4) != cudaSuccess ||
      cudaMallocHost(&expected, chunk * 4) != cudaSuccess ||
      cudaMallocHost(&got, chunk * 4) != cudaSuccess) {
    std::printf("  allocation failed\n");
    return ~std::uint64_t{0};
  }
  std::uint64_t bad = 0;
  for (std::uint64_t first = 0; first < (std::uint64_t{1} << 32); first += chunk) {
    iota_bits<<<1024, 256>>>(din, first, chunk);
    device_op(reinterpret_cast<const float*>(din), dout, chunk);
    cudaMemcpy(in, din, chunk * 4, cudaMemcpyDeviceToHost);
    cudaMemcpy(got, dout, chunk * 4, cudaMemcpyDeviceToHost);
    host_op(in, expected, chunk);
    for (std::size_t i = 0; i < chunk; ++i) {
      if (!same_value(got[i], expected[i])) {
        if (bad < 5)
          std::printf("  %s(%a) = %a on the GPU, %a on the CPU\n", name, static_cast<double>(in[i]),
                      static_cast<double>(got[i]), static_cast<double>(expected[i]));
        ++bad;
      }
    }
  }
  cudaFree(din);
  cudaFree(dout);
  cudaFreeHost(in);
  cudaFreeHost(expected);
  cudaFreeHost(got);
  return bad;
}

template <class T>
void all_16_bit_inputs() {
  std::vector<T> all(65536);
  for (std::uint32_t i = 0; i < 65536; ++i) all[i] = T::from_bits(static_cast<std::uint16_t>(i));
  const rd::tensor<T> h = rd::from_vector(all);
  const rd::tensor<T> dr = rd::rsqrt(h.to(rd::cuda)).cpu();
  const rd::tensor<T> ds = rd::sqrt(h.to(rd::cuda)).cpu();
  const rd::tensor<T> hr = rd::rsqrt(h), hs = rd::sqrt(h);
  int bad = 0;
  for (std::int64_t i = 0; i < 65536; ++i) {
    if (!same_value(dr.data()[i], hr.data()[i])) ++bad;
    if (!same_value(ds.data()[i], hs.data()[i])) ++bad;
  }
  CHECK(bad == 0);
}

/// in[i] = k^2 with k = i % 4096 + 1, so sqrt gives k exactly; counts the elements that differ.
__global__ void fill_squares(float* x, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    const auto k = static_cast<float>(i % 4096 + 1);
    x[i] = k * k;
  }
}
__global__ void count_not_roots(const float* r, std::size_t n, unsigned long long* bad) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  unsigned long long mine = 0;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    if (r[i] != static_cast<float>(i % 4096 + 1)) ++mine;
  if (mine != 0) atomicAdd(bad, mine);
}
/// Half: in[i] = k^2 with k = i % 32 + 1 (exact in half).
__global__ void fill_half_squares(rd::half* x, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    const auto k = static_cast<float>(i % 32 + 1);
    x[i] = rd::half(k * k);
  }
}
/// r[j] must be sqrt(in[2 j]) = (2 j) % 32 + 1.
__global__ void count_not_half_roots(const rd::half* r, std::size_t n, unsigned long long* bad) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  unsigned long long mine = 0;
  for (std::size_t j = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; j < n;
       j += stride)
    if (static_cast<float>(r[j]) != static_cast<float>((2 * j) % 32 + 1)) ++mine;
  if (mine != 0) atomicAdd(bad, mine);
}

unsigned long long device_count_result(unsigned long long* counter) {
  unsigned long long v = 0;
  cudaMemcpy(&v, counter, sizeof v, cudaMemcpyDeviceToHost);
  return v;
}

}  // namespace

CUDA_TEST(every_float_rsqrt) {
  const std::uint64_t bad = float_mismatches(
      "rsqrt", [](const float* in, float* out, std::size_t n) { rd::cuda::rsqrt(in, out, n); },
      [](const float* in, float* out, std::size_t n) { rd::kernels::rsqrt(in, out, n); });
  CHECK(bad == 0);
}

CUDA_TEST(every_float_sqrt) {
  const std::uint64_t bad = float_mismatches(
      "sqrt", [](const float* in, float* out, std::size_t n) { rd::cuda::sqrt(in, out, n); },
      [](const float* in, float* out, std::size_t n) { rd::kernels::sqrt(in, out, n); });
  CHECK(bad == 0);
}

CUDA_TEST(every_half) { all_16_bit_inputs<rd::half>(); }
CUDA_TEST(every_bfloat16) { all_16_bit_inputs<rd::bfloat16>(); }

CUDA_TEST(many_doubles) {
  // Random bit patterns (every exponent, both signs, subnormals, NaN) and the neighbours of
  // powers of two, where the double rsqrt's midpoint test works hardest.
  std::vector<double> v;
  rd::detail::splitmix64 g{2024};
  for (int i = 0; i < (1 << 22); ++i) v.push_back(rd::detail::bits_double(g.next()));
  for (int e = -1074; e <= 1023; ++e)
    for (int d = -3; d <= 3; ++d) {
      const double p = std::ldexp(1.0, e);
      const std::uint64_t b = rd::detail::double_bits(p);
      v.push_back(
          rd::detail::bits_double(b + static_cast<std::uint64_t>(static_cast<std::int64_t>(d))));
    }
  const rd::tensor<double> h = rd::from_vector(v);
  const rd::tensor<double> dr = rd::rsqrt(h.to(rd::cuda)).cpu(), hr = rd::rsqrt(h);
  const rd::tensor<double> ds = rd::sqrt(h.to(rd::cuda)).cpu(), hs = rd::sqrt(h);
  std::int64_t bad = 0;
  for (std::int64_t i = 0; i < h.numel(); ++i) {
    if (!same_value(dr.data()[i], hr.data()[i])) {
      if (bad < 5)
        std::printf("  rsqrt(%a) = %a on the GPU, %a on the CPU\n", h.data()[i], dr.data()[i],
                    hr.data()[i]);
      ++bad;
    }
    if (!same_value(ds.data()[i], hs.data()[i])) ++bad;
  }
  CHECK(bad == 0);
}

/// Skips the case unless `bytes` (and 1 GiB to spare) are free on the device.
void need_free_bytes(std::size_t bytes) {
  std::size_t free_bytes = 0, total_bytes = 0;
  REQUIRE(cudaMemGetInfo(&free_bytes, &total_bytes) == cudaSuccess);
  if (free_bytes < bytes + (std::size_t{1} << 30))
    SKIP_CASE(std::to_string(free_bytes >> 20) + " MiB free; the case needs " +
              std::to_string(bytes >> 20) + " MiB and 1 GiB to spare");
}

CUDA_TEST(more_than_2_31_elements_contiguous) {
  const std::size_t n = (std::size_t{1} << 31) + 4099;
  need_free_bytes(2 * n * sizeof(float));
  unsigned long long* counter = nullptr;
  REQUIRE(cudaMalloc(&counter, sizeof *counter) == cudaSuccess);
  {
    rd::tensor<float, rd::cuda_t> x = rd::empty<float>({static_cast<std::int64_t>(n)}, rd::cuda);
    fill_squares<<<4096, 256>>>(x.data(), n);
    const rd::tensor<float, rd::cuda_t> r = rd::sqrt(x);  // contiguous: the vectorised kernel
    cudaMemset(counter, 0, sizeof *counter);
    count_not_roots<<<4096, 256>>>(r.data(), n, counter);
    CHECK(device_count_result(counter) == 0);
    CHECK(r.select(0, -1).item() == static_cast<float>((n - 1) % 4096 + 1));
    x.sqrt_();  // in place
    cudaMemset(counter, 0, sizeof *counter);
    count_not_roots<<<4096, 256>>>(x.data(), n, counter);
    CHECK(device_count_result(counter) == 0);
  }
  cudaFree(counter);
}

CUDA_TEST(more_than_2_31_elements_strided) {
  const std::size_t m = (std::size_t{1} << 32) + 2;  // a step-2 view of it has 2^31 + 1 elements
  need_free_bytes((m + m / 2) * sizeof(rd::half));
  unsigned long long* counter = nullptr;
  REQUIRE(cudaMalloc(&counter, sizeof *counter) == cudaSuccess);
  {
    rd::tensor<rd::half, rd::cuda_t> base =
        rd::empty<rd::half>({static_cast<std::int64_t>(m)}, rd::cuda);
    fill_half_squares<<<4096, 256>>>(base.data(), m);
    const auto view = base.slice(0, 0, static_cast<std::int64_t>(m), 2);
    const rd::tensor<rd::half, rd::cuda_t> r = rd::sqrt(view);  // not dense: the strided kernel
    CHECK(r.numel() == static_cast<std::int64_t>(m / 2));
    cudaMemset(counter, 0, sizeof *counter);
    count_not_half_roots<<<4096, 256>>>(r.data(), m / 2, counter);
    CHECK(device_count_result(counter) == 0);
  }
  cudaFree(counter);
}

CUDA_TEST_MAIN()
