// expect: use rd::rsqrt(x) / rd::sqrt(x)
#include <radicand/radicand.hpp>
int main() {
  // The rvalue in-place form (on a view) refuses an integral tensor too.
  radicand::tensor<std::uint8_t> x = {1, 4, 9};
  (void)radicand::sqrt_(x.slice(0, 0, 2));
}
