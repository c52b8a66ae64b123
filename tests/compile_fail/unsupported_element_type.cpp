// expect: T must be float, double, rd::half, rd::bfloat16, bool
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<unsigned int> a;
  (void)a;
}
