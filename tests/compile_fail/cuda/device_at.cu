// expect: the elements of a device tensor are not addressable on the host
#include <radicand/radicand.hpp>
int main() {
  const radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  return static_cast<int>(x.at({0}));
}
