// expect: negating a bool tensor (unary -) is not supported
#include <radicand/radicand.hpp>
int main() {
  const radicand::tensor<bool> mask = {true, false};
  auto m = -mask;
  (void)m;
}
