// expect: make a new tensor instead: auto y = x * 2.5
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<std::int64_t> a = {1, 2};
  a += 2.5;
}
