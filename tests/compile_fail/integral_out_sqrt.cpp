// expect: out must have a floating element type
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<std::int32_t> x = {1, 4};
  radicand::tensor<std::uint8_t> out = radicand::empty<std::uint8_t>({2});
  radicand::sqrt(x, out);
}
