// radicand tests, compiled into each backend's binary (tests/backends.cmake): the binary runs the
// backend it was built for. RADICAND_EXPECTED_BACKEND is the name the build expects.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <string>

#ifndef RADICAND_EXPECTED_BACKEND
#error "tests/backends.cmake defines RADICAND_EXPECTED_BACKEND for each backend's binary"
#endif

TEST_CASE("backend: rd::simd_backend() names the backend this binary was built for", "[backend]") {
  const std::string expected = RADICAND_EXPECTED_BACKEND;
  CHECK(std::string(radicand::simd_backend()) == expected);
  CHECK(std::string(radicand::detail::native_isa::name) == expected);
  CHECK(RADICAND_ARCH_SCALAR + RADICAND_ARCH_SSE2 + RADICAND_ARCH_AVX2 + RADICAND_ARCH_AVX512 +
            RADICAND_ARCH_NEON ==
        1);
}
