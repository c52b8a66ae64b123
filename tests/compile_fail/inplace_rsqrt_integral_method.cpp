// expect: use rd::rsqrt(x)
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<std::int32_t> x = {1, 4, 9};
  x.rsqrt_();
}
