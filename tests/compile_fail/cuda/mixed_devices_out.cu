// expect: the tensors of one operation must be on the same device
#include <radicand/radicand.hpp>
int main() {
  const radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  radicand::tensor<float> out = radicand::empty<float>({2});
  radicand::rsqrt(x, out);
}
