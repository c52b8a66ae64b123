// radicand: the devices a tensor can live on, and the engine each device provides.
#ifndef RADICAND_DEVICE_HPP
#define RADICAND_DEVICE_HPP

#include <string>
#include <type_traits>

#include "config.hpp"

RADICAND_NAMESPACE_BEGIN

/// The host device (the default).
struct cpu_t {
  friend bool operator==(cpu_t, cpu_t) { return true; }
  friend bool operator!=(cpu_t, cpu_t) { return false; }
};
inline constexpr cpu_t cpu{};

/// "cpu": each device type has its device_string, found by argument-dependent lookup.
inline std::string device_string(cpu_t) { return "cpu"; }

namespace detail {

/// The devices a tensor can live on: cpu_t, and cuda_t in CUDA translation units.
template <class Device>
struct is_device : std::false_type {};
template <>
struct is_device<cpu_t> : std::true_type {};

/// Everything a tensor does on its device: allocation, reading elements, copies between devices,
/// conversions, the element-wise operations, and noting the stream a storage was used on. One
/// specialisation per device, each with the same members: device_engine<cpu_t> (cpu/engine.hpp),
/// device_engine<cuda_t> (cuda/engine.hpp).
template <class Device>
struct device_engine;

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_DEVICE_HPP
