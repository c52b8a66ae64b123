// radicand: the umbrella header. Includes everything this compiler can use.
#ifndef RADICAND_RADICAND_HPP
#define RADICAND_RADICAND_HPP

#include "accessor.hpp"
#include "config.hpp"
#include "cpu/arch/contract.hpp"
#include "cpu/engine.hpp"
#include "cpu/kernels.hpp"
#include "cpu/threads.hpp"
#include "device.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "factories.hpp"
#include "math/ops.hpp"
#include "norm.hpp"
#include "random.hpp"
#include "reduce.hpp"
#include "shape.hpp"
#include "tensor.hpp"
#include "views.hpp"
// Empty unless compiled as CUDA (RADICAND_HAS_CUDA): the CUDA engine, factories, kernels, streams.
#include "cuda/engine.hpp"
#include "cuda/factories.hpp"
#include "cuda/kernels.hpp"
#include "cuda/memory.hpp"
#include "cuda/runtime.hpp"
#include "ops.hpp"
#include "print.hpp"
// DLPack in and out, where DLPack's header is found.
#if __has_include(<dlpack/dlpack.h>)
#include "dlpack.hpp"
#endif

#endif  // RADICAND_RADICAND_HPP
