// expect: radicand::from_blob: the data pointer must be non-const
// A tensor is a writable view: a pointer to const elements is refused with what to do instead.
#include <radicand/radicand.hpp>
int main() {
  const float buffer[2] = {4.f, 9.f};
  const radicand::tensor<float> x = radicand::from_blob(buffer, {2});
  return static_cast<int>(x.numel()) - 2;
}
