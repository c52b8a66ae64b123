// Links translation units that mix the single header and the modular headers; checks that they
// compute the same rsqrt. Exits with 0 when they do.
#include <radicand/radicand.hpp>

#include <cstdio>
#include <string>

float rsqrt_single_first(float v);
float rsqrt_modular_first(float v);
std::string print_modular_first(float v);

int main() {
  const float here = radicand::rsqrt(radicand::scalar(16.f)).item();
  const float single_first = rsqrt_single_first(16.f);
  const float modular_first = rsqrt_modular_first(16.f);
  const std::string printed = print_modular_first(0.25f);
  std::printf("rsqrt(16): %g here, %g single header first, %g modular first; %s\n",
              static_cast<double>(here), static_cast<double>(single_first),
              static_cast<double>(modular_first), printed.c_str());
  const bool ok =
      here == 0.25f && single_first == here && modular_first == here && printed == "tensor(0.2500)";
  return ok ? 0 : 1;
}
