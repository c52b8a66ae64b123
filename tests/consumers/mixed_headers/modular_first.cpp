// Modular headers first, then the single header, which adds only what they lacked.
#include <radicand/ops.hpp>
#include <radicand/tensor.hpp>

#include <radicand.hpp>

#include <string>

float rsqrt_modular_first(float v) { return radicand::rsqrt(radicand::scalar(v)).item(); }
std::string print_modular_first(float v) { return radicand::to_string(radicand::scalar(v)); }
