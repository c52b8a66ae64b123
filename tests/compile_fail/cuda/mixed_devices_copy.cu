// expect: the tensors of one operation must be on the same device
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float, radicand::cuda_t> x = radicand::zeros<float>({2}, radicand::cuda);
  const radicand::tensor<float> host = {1.f, 2.f};
  x.copy_(host);
}
