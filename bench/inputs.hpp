// radicand benchmarks, CPU and CUDA alike: the element types by the names the benchmark names
// use, and the inputs every benchmark computes on.
#ifndef RADICAND_BENCH_INPUTS_HPP
#define RADICAND_BENCH_INPUTS_HPP

#include <cmath>
#include <random>
#include <vector>

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

/// A fixed pattern of 2^16 inputs, log-uniform on [2^-12, 2^12] (positive normal numbers in
/// every type, half included), from a fixed seed; longer inputs repeat it, which costs nothing to
/// make and is far longer than any branch history.
template <class T>
const std::vector<T>& input_pattern() {
  static const std::vector<T> pattern = [] {
    std::mt19937_64 gen(0x7261646963616e64ull);  // "radicand"
    std::uniform_real_distribution<double> expo(-12.0, 12.0);
    std::vector<T> v;
    v.reserve(65536);
    for (int i = 0; i < 65536; ++i) v.push_back(T(std::exp2(expo(gen))));
    return v;
  }();
  return pattern;
}

}  // namespace rbench

#endif  // RADICAND_BENCH_INPUTS_HPP
