// The harness's positive control: the same includes and flags compile this file.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float> x = {1.f, 4.f};
  x.rsqrt_();
  radicand::tensor<std::int32_t> n = {1, 4};
  radicand::tensor<float> out = radicand::empty<float>({2});
  radicand::rsqrt(n, out);
  auto y = n.rsqrt() + x - 1;
  return static_cast<int>(y.numel()) - 2;
}
