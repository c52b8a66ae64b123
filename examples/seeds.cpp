// The examples from PyTorch's rsqrt/sqrt documentation and tutorials, in radicand.
// Each line prints a label and the tensor, exactly as PyTorch prints it.
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>

#include <radicand/radicand.hpp>

namespace rd = radicand;

namespace {

// "label -> tensor(...)", with the tensor's continuation lines kept under its first line.
template <class T>
void show(const std::string& label, const rd::tensor<T>& t, const std::string& note = "") {
  std::string head = label;
  head += head.size() < 32 ? std::string(32 - head.size(), ' ') : std::string(" ");
  head += "-> ";
  std::string body = rd::to_string(t);
  std::string indented;
  for (char c : body) {
    indented += c;
    if (c == '\n') indented += std::string(head.size(), ' ');
  }
  std::cout << head << indented << note << '\n';
}

}  // namespace

int main() {
  // torch.rsqrt(torch.tensor([1.0, 4.0, 9.0, 16.0]))
  {
    rd::tensor<float> x = {1.0f, 4.0f, 9.0f, 16.0f};
    rd::tensor<float> y = rd::rsqrt(x);
    show("rsqrt([1, 4, 9, 16])", y);
  }
  // values * torch.rsqrt(values): a normalisation step
  {
    rd::tensor<float> values = {2.0f, 8.0f, 32.0f};
    rd::tensor<float> scaled = values * rd::rsqrt(values);
    show("v=[2, 8, 32]; v * rsqrt(v)", scaled);
  }
  // torch.rsqrt(a) of the documentation's randn sample: negative inputs give nan
  {
    rd::tensor<float> a = {-0.0370f, 0.2970f, 1.5420f, -0.9105f};
    show("rsqrt([-0.0370, 0.2970, 1.5420, -0.9105])", rd::rsqrt(a));
  }
  // Method 1: a one-dimensional tensor
  {
    rd::tensor<float> one_d = {4.0f, 16.0f, 25.0f};
    show("rsqrt([4, 16, 25])", rd::rsqrt(one_d));
  }
  // Method 2: a two-dimensional tensor
  {
    rd::tensor<float> two_d = {{4.0f, 9.0f}, {16.0f, 25.0f}};
    show("rsqrt([[4, 9], [16, 25]])", two_d.rsqrt());
  }
  // Method 3: in place with rsqrt_()
  {
    rd::tensor<float> inplace = {4.0f, 16.0f, 25.0f};
    inplace.rsqrt_();
    show("x=[4, 16, 25]; x.rsqrt_(); x", inplace);
  }
  // Method 5: through a lambda
  {
    rd::tensor<float> input = {4.0f, 16.0f, 25.0f};
    auto result = [](const rd::tensor<float>& x) { return rd::rsqrt(x); }(input);
    show("a lambda that calls rsqrt", result);
  }
  // torch.sqrt on a tiny value in float32 and in float16
  {
    rd::tensor<float> t32 = {1e-8f};
    show("sqrt([1e-8] as float32)", rd::sqrt(t32));
    rd::tensor<rd::half> t16 = {rd::half(1e-8f)};
    show("sqrt([1e-8] as float16)", rd::sqrt(t16), "   (1e-8 underflows to 0 in fp16)");
  }
  // torch.rsqrt(x, out=y) into a preallocated out, with an integer input promoted to float
  {
    rd::tensor<std::int64_t> x = {1, 4, 9};
    rd::tensor<float> out = rd::empty<float>({3});
    rd::rsqrt(x, out);
    show("rsqrt(x, out) into a preallocated out, and rsqrt of an int tensor [1, 4, 9]", out);
  }
  return 0;
}
