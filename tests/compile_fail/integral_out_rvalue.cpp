// expect: out must have a floating element type
#include <radicand/radicand.hpp>
int main() {
  // An integral out passed as an rvalue (a view) refuses the same way as an lvalue.
  radicand::tensor<double> x = {1.0, 4.0};
  radicand::tensor<std::int64_t> buf = radicand::empty<std::int64_t>({4});
  (void)radicand::sqrt(x, buf.slice(0, 0, 2));
}
