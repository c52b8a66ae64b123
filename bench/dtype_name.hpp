// radicand benchmarks, CPU and CUDA: the element types by the names the benchmark names use.
#ifndef RADICAND_BENCH_DTYPE_NAME_HPP
#define RADICAND_BENCH_DTYPE_NAME_HPP

#include <radicand/radicand.hpp>

namespace rbench {

template <class T>
struct dtype_name;
template <>
struct dtype_name<float> {
  static constexpr const char* value = "float";
};
template <>
struct dtype_name<double> {
  static constexpr const char* value = "double";
};
template <>
struct dtype_name<radicand::half> {
  static constexpr const char* value = "half";
};
template <>
struct dtype_name<radicand::bfloat16> {
  static constexpr const char* value = "bfloat16";
};

}  // namespace rbench

#endif  // RADICAND_BENCH_DTYPE_NAME_HPP
