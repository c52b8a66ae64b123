// radicand: the umbrella header. Includes everything this compiler can use.
#ifndef RADICAND_RADICAND_HPP
#define RADICAND_RADICAND_HPP

#include "config.hpp"
#include "error.hpp"
#include "dtype.hpp"
#include "shape.hpp"
#include "math/rsqrt.hpp"
#include "math/sqrt.hpp"
#include "cpu/threads.hpp"
#include "cpu/kernels.hpp"
#include "tensor.hpp"
#include "ops.hpp"
#include "print.hpp"

#endif  // RADICAND_RADICAND_HPP
