// A small test driver for the CUDA suites (compiled by nvcc, so without Catch2): named test
// cases, CHECK / REQUIRE / CHECK_THROWS_AS, a "N passed, N failed" summary, and the exit code
// 77 (CTest's SKIP_RETURN_CODE) where no CUDA device is present, so such a run is reported as
// skipped, never as passed. `prog [substring]` runs the cases whose name contains it.
#ifndef RADICAND_TESTS_CUDA_CHECK_HPP
#define RADICAND_TESTS_CUDA_CHECK_HPP

#include <cuda_runtime.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace cuda_check {

constexpr int skip_code = 77;

struct test_case {
  const char* name;
  void (*run)();
};

inline std::vector<test_case>& registry() {
  static std::vector<test_case> cases;
  return cases;
}

struct registrar {
  registrar(const char* name, void (*run)()) { registry().push_back({name, run}); }
};

/// Failed checks in the case that is running.
inline int& failures() {
  static int n = 0;
  return n;
}

struct require_failed {};

/// Thrown by SKIP_CASE: the case could not run here (one device, too little memory).
struct case_skipped {
  std::string why;
};

/// Whether this machine has an NVIDIA device node: where it has one, a CUDA runtime that finds
/// no device (an old driver, an empty CUDA_VISIBLE_DEVICES) is a failure, not a skip.
inline bool has_nvidia_device_node() {
  struct stat st {};
  return stat("/dev/nvidiactl", &st) == 0 || stat("/dev/nvidia0", &st) == 0;
}

inline void report(const char* file, int line, const std::string& what) {
  ++failures();
  std::printf("  %s:%d: FAILED: %s\n", file, line, what.c_str());
}

/// Runs the registered cases. 77 when the cases need a device and the machine has no NVIDIA
/// device node, or when every case that ran was skipped; 1 when any failed, none ran, or the
/// machine has a device node but the runtime finds no device.
inline int run_all(int argc, char** argv, bool need_device = true) {
  int devices = 0;
  const cudaError_t status = cudaGetDeviceCount(&devices);
  (void)cudaGetLastError();
  if (need_device && (status != cudaSuccess || devices == 0)) {
    const char* why = status != cudaSuccess ? cudaGetErrorString(status) : "none found";
    if (has_nvidia_device_node()) {
      std::printf("FAILED: this machine has an NVIDIA device node but no usable CUDA device (%s)\n",
                  why);
      return 1;
    }
    std::printf("no CUDA device (%s): %zu test cases skipped\n", why, registry().size());
    return skip_code;
  }
  cudaDeviceProp prop{};
  if (devices > 0 && cudaGetDeviceProperties(&prop, 0) == cudaSuccess)
    std::printf("device 0: %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);
  const char* filter = argc > 1 ? argv[1] : nullptr;
  int passed = 0, failed = 0, skipped = 0;
  for (const test_case& c : registry()) {
    if (filter != nullptr && std::strstr(c.name, filter) == nullptr) continue;
    failures() = 0;
    std::printf("[ RUN  ] %s\n", c.name);
    std::fflush(stdout);
    try {
      c.run();
    } catch (const require_failed&) {
      // reported already
    } catch (const case_skipped& skip) {
      if (failures() == 0) {
        ++skipped;
        std::printf("[ SKIP ] %s: %s\n", c.name, skip.why.c_str());
        continue;
      }
    } catch (const std::exception& e) {
      report(__FILE__, __LINE__, std::string("unexpected exception: ") + e.what());
    }
    const cudaError_t sticky = devices > 0 ? cudaDeviceSynchronize() : cudaSuccess;
    if (sticky != cudaSuccess)
      report(__FILE__, __LINE__,
             std::string("CUDA error after the case: ") + cudaGetErrorString(sticky));
    if (failures() == 0) {
      ++passed;
      std::printf("[  OK  ] %s\n", c.name);
    } else {
      ++failed;
      std::printf("[ FAIL ] %s (%d failed checks)\n", c.name, failures());
    }
  }
  std::printf("%d passed, %d skipped, %d failed\n", passed, skipped, failed);
  if (failed > 0) return 1;
  if (passed == 0) return skipped > 0 ? skip_code : 1;
  return 0;
}

}  // namespace cuda_check

#define CUDA_TEST(name)                                              \
  static void name();                                                \
  static const cuda_check::registrar name##_registrar(#name, &name); \
  static void name()

#define CHECK(cond)                                             \
  do {                                                          \
    if (!(cond)) cuda_check::report(__FILE__, __LINE__, #cond); \
  } while (0)

#define SKIP_CASE(why) \
  throw cuda_check::case_skipped { why }

#define REQUIRE(cond)                                \
  do {                                               \
    if (!(cond)) {                                   \
      cuda_check::report(__FILE__, __LINE__, #cond); \
      throw cuda_check::require_failed{};            \
    }                                                \
  } while (0)

#define CHECK_THROWS_AS(expr, E)                                                          \
  do {                                                                                    \
    bool thrown_as_expected = false;                                                      \
    try {                                                                                 \
      (void)(expr);                                                                       \
    } catch (const E&) {                                                                  \
      thrown_as_expected = true;                                                          \
    } catch (...) {                                                                       \
    }                                                                                     \
    if (!thrown_as_expected) cuda_check::report(__FILE__, __LINE__, #expr " throws " #E); \
  } while (0)

#define CUDA_TEST_MAIN() \
  int main(int argc, char** argv) { return cuda_check::run_all(argc, argv); }

/// For suites that also run, and mean something, without a device.
#define CUDA_TEST_MAIN_ANY_MACHINE() \
  int main(int argc, char** argv) { return cuda_check::run_all(argc, argv, false); }

#endif  // RADICAND_TESTS_CUDA_CHECK_HPP
