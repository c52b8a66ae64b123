// expect: x = value would not fill it: use x.fill_(value)
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float> x = {1.f, 2.f};
  x = 5.f;
}
