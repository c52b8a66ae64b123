// expect: radicand::tensor::accessor<T, N>: T must be the tensor's element type
// An accessor reads the elements in place, so it cannot convert them: double over float refuses.
#include <radicand/radicand.hpp>
int main() {
  const radicand::tensor<float> x = radicand::zeros<float>({2, 3});
  const auto a = x.accessor<double, 2>();
  return static_cast<int>(a.size(0)) - 2;
}
