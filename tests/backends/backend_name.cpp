// radicand tests, compiled into each backend's binary (tests/backends.cmake): the binary runs the
// backend it was built for. RADICAND_EXPECTED_BACKEND is the name the build expects; the
// runtime-dispatch binary ("dispatch") runs the best one the CPU has, or the one named by the
// environment variable RADICAND_TEST_EXPECTED_BACKEND where the build runs it under an emulator.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cstdlib>
#include <string>

#ifndef RADICAND_EXPECTED_BACKEND
#error "tests/backends.cmake defines RADICAND_EXPECTED_BACKEND for each backend's binary"
#endif

namespace {

#if RADICAND_ARCH_DISPATCH
/// What the running CPU should get, asked of the CPU here (and of the environment, if set).
std::string expected_dispatch() {
  if (const char* named = std::getenv("RADICAND_TEST_EXPECTED_BACKEND")) return named;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "avx512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
  return "sse2";
}
#endif

}  // namespace

TEST_CASE("backend: rd::simd_backend() names the backend this binary was built for", "[backend]") {
  const std::string expected = RADICAND_EXPECTED_BACKEND;
#if RADICAND_ARCH_DISPATCH
  CHECK(expected == "dispatch");
  CHECK(std::string(radicand::simd_backend()) == expected_dispatch());
  CHECK(RADICAND_ARCH_SCALAR + RADICAND_ARCH_SSE2 + RADICAND_ARCH_AVX2 + RADICAND_ARCH_AVX512 +
            RADICAND_ARCH_NEON ==
        0);
#else
  CHECK(std::string(radicand::simd_backend()) == expected);
  CHECK(std::string(radicand::detail::native_isa::name) == expected);
  CHECK(RADICAND_ARCH_SCALAR + RADICAND_ARCH_SSE2 + RADICAND_ARCH_AVX2 + RADICAND_ARCH_AVX512 +
            RADICAND_ARCH_NEON ==
        1);
#endif
}
