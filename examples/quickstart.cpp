// A tour of radicand's API. The README quotes this file; its output is checked by CTest.
#include <cstdint>
#include <iostream>

#include <radicand/radicand.hpp>

namespace rd = radicand;

int main() {
  // Build tensors from lists, factories or your own memory.
  rd::tensor<float> x = {{4.f, 9.f, 16.f}, {25.f, 36.f, 49.f}};
  rd::tensor<double> r = rd::arange(1.0, 7.0).reshape({2, 3});
  float buffer[4] = {1.f, 4.f, 16.f, 64.f};
  rd::tensor<float> view = rd::from_blob(buffer, {2, 2});  // no copy

  // The four forms of rsqrt (sqrt has the same four).
  rd::tensor<float> a = rd::rsqrt(x);  // function
  rd::tensor<float> b = x.rsqrt();     // method
  rd::tensor<float> out = rd::empty<float>({2, 3});
  rd::rsqrt(x, out);  // into a preallocated out
  view.rsqrt_();      // in place: buffer now holds 1, 0.5, 0.25, 0.125
  std::cout << a << '\n' << out << '\n' << buffer[3] << '\n';

  // Integral inputs promote to float, as in PyTorch.
  rd::tensor<std::int32_t> n = {1, 4, 9};
  std::cout << rd::sqrt(n) << '\n';

  // Views: slicing with a step, selecting, transposing; results follow the input's layout.
  std::cout << rd::sqrt(x.slice(1, 0, 3, 2)) << '\n';
  std::cout << rd::sqrt(x.t()) << '\n';
  std::cout << x[1] << '\n';

  // Broadcasting arithmetic and scalars.
  std::cout << r / rd::tensor<double>{1.0, 2.0, 4.0} + 1 << '\n';

  // half and bfloat16 are exact too, and print with their dtype.
  rd::tensor<rd::half> h = {rd::half(2.f), rd::half(3.f), rd::half(1e-3f)};
  std::cout << rd::rsqrt(h) << '\n';
  std::cout << rd::sqrt(h.to<rd::bfloat16>()) << '\n';

  // Special values follow IEEE 754 and PyTorch.
  rd::tensor<float> s = {0.f, -0.f, -1.f, INFINITY};
  std::cout << rd::rsqrt(s) << '\n';

  // Mistakes are reported before anything is written.
  try {
    rd::tensor<float> wrong = rd::zeros<float>({3, 2});
    rd::rsqrt(x, wrong);
  } catch (const rd::shape_error& e) {
    std::cout << e.what() << '\n';
  }
  try {
    rd::tensor<float> row = rd::tensor<float>{1.f, 2.f, 3.f}.expand({2, 3});
    row.rsqrt_();
  } catch (const rd::overlap_error& e) {
    std::cout << e.what() << '\n';
  }
  std::cout << "radicand " << rd::version() << '\n';
  return 0;
}
