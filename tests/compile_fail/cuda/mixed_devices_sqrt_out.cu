// expect: the tensors of one operation must be on the same device
#include <radicand/radicand.hpp>
int main() {
  const radicand::tensor<double> x = {4.0, 9.0};
  radicand::tensor<double, radicand::cuda_t> out = radicand::empty<double>({2}, radicand::cuda);
  radicand::sqrt(x, out);
}
