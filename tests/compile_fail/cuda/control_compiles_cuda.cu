// The positive control for the CUDA cases: the same includes and flags compile this file.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  x.rsqrt_();
  radicand::tensor<float, radicand::cuda_t> out = radicand::empty<float>({2}, radicand::cuda);
  radicand::rsqrt(radicand::arange<std::int32_t>(1, 3, radicand::cuda), out);
  const radicand::tensor<float> host = out.cpu() + x.cpu();
  return static_cast<int>(host.numel()) - 2;
}
