// expect: expression must be a modifiable lvalue
// A device element is read by at() as a value (copied to the host); it cannot be assigned.
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float, radicand::cuda_t> x = radicand::ones<float>({2}, radicand::cuda);
  x.at({0}) = 2.f;
}
