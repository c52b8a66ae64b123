// radicand: the umbrella header. Includes everything this compiler can use.
#ifndef RADICAND_RADICAND_HPP
#define RADICAND_RADICAND_HPP

#include "config.hpp"
#include "cpu/kernels.hpp"
#include "cpu/threads.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "math/rsqrt.hpp"
#include "math/sqrt.hpp"
#include "ops.hpp"
#include "print.hpp"
#include "shape.hpp"
#include "tensor.hpp"

#endif  // RADICAND_RADICAND_HPP
