// expect: out must have a floating element type
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<float> x = {1.f, 4.f};
  radicand::tensor<std::int32_t> out = radicand::empty<std::int32_t>({2});
  radicand::rsqrt(x, out);
}
