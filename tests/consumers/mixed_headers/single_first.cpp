// The single header first, then modular headers: their include guards are already defined.
#include <radicand.hpp>

#include <radicand/radicand.hpp>
#include <radicand/tensor.hpp>

float rsqrt_single_first(float v) { return radicand::rsqrt(radicand::scalar(v)).item(); }
