// What each unit computes: rsqrt of the same inputs, through a tensor and the raw kernel.
#ifndef RADICAND_CONSUMER_UNIT_HPP
#define RADICAND_CONSUMER_UNIT_HPP

#include <vector>

struct unit_result {
  const char* backend;           // rd::simd_backend() as this unit calls it
  const char* compiled_backend;  // the backend this unit's macros select; null if unknown
  std::vector<float> from_tensor;
  std::vector<float> from_kernel;
};

unit_result run_baseline(const std::vector<float>& in);
unit_result run_avx2(const std::vector<float>& in);
unit_result run_v4(const std::vector<float>& in);

#endif  // RADICAND_CONSUMER_UNIT_HPP
