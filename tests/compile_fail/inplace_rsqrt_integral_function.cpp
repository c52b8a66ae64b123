// expect: use rd::rsqrt(x)
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<std::int64_t> x = {1, 4, 9};
  radicand::rsqrt_(x);
}
