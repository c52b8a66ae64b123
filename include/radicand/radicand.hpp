// radicand: the umbrella header. Includes everything this compiler can use.
#ifndef RADICAND_RADICAND_HPP
#define RADICAND_RADICAND_HPP

#include "config.hpp"
#include "cpu/arch/contract.hpp"
#include "cpu/kernels.hpp"
#include "cpu/threads.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "math/rsqrt.hpp"
#include "math/sqrt.hpp"
#include "shape.hpp"
#include "tensor.hpp"
// Empty unless compiled as CUDA (RADICAND_HAS_CUDA): device tensors, kernels, streams.
#include "cuda/elementwise.hpp"
#include "cuda/kernels.hpp"
#include "cuda/memory.hpp"
#include "cuda/runtime.hpp"
#include "ops.hpp"
#include "print.hpp"

#endif  // RADICAND_RADICAND_HPP
