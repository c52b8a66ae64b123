// expect: cannot be stored in the tensor's element type
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<std::int64_t> a = {1, 2};
  a += 2.5;
}
