// A plain C++ unit's side of the CUDA consumer: host tensors made and checked in a .cpp file
// and used in the .cu file, so both must see one tensor type (one ABI namespace).
#ifndef RADICAND_CONSUMER_HOST_UNIT_HPP
#define RADICAND_CONSUMER_HOST_UNIT_HPP

#include <radicand/radicand.hpp>

radicand::tensor<float> host_inputs();
bool host_result_is_right(const radicand::tensor<float>& y);

#endif  // RADICAND_CONSUMER_HOST_UNIT_HPP
