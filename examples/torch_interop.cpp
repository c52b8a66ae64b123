// A libtorch tensor into radicand and back through DLPack, without a copy either way.
#include <ATen/ATen.h>
#include <ATen/DLConvertor.h>

#include <radicand/dlpack.hpp>
#include <radicand/radicand.hpp>

#include <iostream>

namespace rd = radicand;

int main() {
  at::Tensor t = at::tensor({4.f, 9.f, 16.f, 25.f, 36.f, 49.f}).reshape({2, 3});

  // torch -> radicand: a view of t's memory; t's deleter runs when the last view goes.
  rd::tensor<float> x = rd::from_dlpack<float>(at::toDLPack(t));
  x.rsqrt_();  // correctly rounded, in t's memory
  std::cout << "same memory: " << std::boolalpha << (x.data() == t.data_ptr<float>()) << '\n';
  std::cout << "x: " << x << '\n';
  std::cout << "t: " << t[1][2].item<float>() << " (1/7)\n";

  // radicand -> torch: torch keeps radicand's storage alive until it lets go.
  at::Tensor back = at::fromDLPack(rd::to_dlpack(rd::sum(x, 1)));
  std::cout << "sums in torch: " << back[0].item<float>() << ", " << back[1].item<float>() << '\n';
  std::cout << "shape " << x.shape() << ", strides " << x.t().strides() << '\n';
}
