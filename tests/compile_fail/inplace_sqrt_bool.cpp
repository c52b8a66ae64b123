// expect: use rd::sqrt(x)
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<bool> x = {true, false};
  x.sqrt_();
}
