// The positive control for the CUDA cases: the same includes and flags compile this file.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  x.rsqrt_();
  radicand::tensor<float, radicand::cuda_t> out = radicand::empty<float>({2}, radicand::cuda);
  radicand::rsqrt(radicand::arange<std::int32_t>(1, 3, radicand::cuda), out);
  const radicand::tensor<float, radicand::cuda_t> sum = out + x * 2.f;
  x += sum;
  x /= 3;
  const float first = x.at({0});
  const radicand::tensor<float> host = out.cpu() + x.cpu();
  return static_cast<int>(host.numel() + static_cast<std::int64_t>(first)) - 2;
}
