// expect: cannot be rebound to a tensor of another element type
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float> x = {1.f, 2.f};
  const radicand::tensor<double> y = {3.0, 4.0};
  x = y;
}
