// expect: subtracting two bool tensors is not supported
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<bool> a = {true, false};
  auto c = a - a;
  (void)c;
}
