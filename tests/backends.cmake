# The tests once per CPU backend (include/radicand/cpu/arch/), included from tests/CMakeLists.txt.
#
# x86-64: each backend that the compiler can target and this CPU can run gets its own binary with
# the suites that depend on the backend (test_accuracy, test_ops, test_hostile and
# test_concurrency, against MPFR) plus tests/backends/*.cpp (the backend's name, its
# conversions and exact path against the scalar code, large and threaded calls, the engine's
# layouts, and an MPFR-free exactness proof), built with the backend's flags and OpenMP when
# found. Its tests are "backend.<name>.<test case>": scalar, sse2, avx2, avx512, and dispatch
# (a baseline unit with RADICAND_RUNTIME_DISPATCH, natively and under qemu-x86_64 as Haswell and
# Nehalem, where it picks AVX2 and SSE2). Every backend passing the exhaustive MPFR checks means
# they all agree bit for bit.
#
# AArch64 NEON: when aarch64-linux-gnu-g++ and qemu-aarch64 are installed (Debian:
# g++-aarch64-linux-gnu qemu-user), tests/backends/*.cpp alone (MPFR is not there for arm64) is
# cross-compiled and run under qemu-user; its tests are "backend.neon.<test case>".
#
# Off by default in sanitizer builds (RADICAND_SANITIZE), which already run the suite on the
# default target's backend, to keep CI's time in check.
if(RADICAND_SANITIZE)
  set(_rd_backends_default OFF)
else()
  set(_rd_backends_default ON)
endif()
option(RADICAND_TEST_BACKENDS "Build and run the tests once per CPU backend" ${_rd_backends_default})

if(RADICAND_TEST_BACKENDS)
  file(GLOB _rd_backend_sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/backends/*.cpp")
  # The suites whose code depends on the backend: the kernels, the engine's paths into them,
  # threads and hostile layouts (tensor, printing and memory are the same portable code on every
  # backend; backends/*.cpp checks the packet conversions against dtype.hpp's).
  set(_rd_suite_sources "")
  foreach(_rd_suite accuracy ops hostile concurrency)
    list(APPEND _rd_suite_sources "${CMAKE_CURRENT_LIST_DIR}/test_${_rd_suite}.cpp")
  endforeach()
  file(GLOB_RECURSE _rd_headers CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/include/radicand/*")
  find_package(OpenMP QUIET COMPONENTS CXX)

  # ---- x86-64: scalar, SSE2, AVX2, AVX-512 ----
  set(_rd_x86 FALSE)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$" AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang"
     AND NOT CMAKE_CROSSCOMPILING)
    set(_rd_x86 TRUE)
  endif()
  if(_rd_x86)
    include(CheckCXXCompilerFlag)
    include(CheckCXXSourceRuns)
    # name, what the CPU needs (__builtin_cpu_supports), the flags. FORCE keeps a backend its
    # own even when CMAKE_CXX_FLAGS enable more (-march=native), and turns runtime dispatch off
    # (the scalar and SSE2 binaries ask for both; backend_name.cpp checks which runs).
    set(_rd_backends scalar sse2 avx2 avx512 dispatch)
    set(_rd_scalar_cpu "sse2")
    set(_rd_scalar_flags -DRADICAND_FORCE_SCALAR -DRADICAND_RUNTIME_DISPATCH=1)
    set(_rd_sse2_cpu "sse2")
    set(_rd_sse2_flags -march=x86-64 -DRADICAND_FORCE_SSE2 -DRADICAND_RUNTIME_DISPATCH=1)
    set(_rd_avx2_cpu "avx2;fma")  # every AVX2 CPU has F16C; Clang 14 cannot ask for "f16c"
    set(_rd_avx2_flags -march=x86-64 -mavx2 -mfma -mf16c -DRADICAND_FORCE_AVX2)
    set(_rd_avx512_cpu "avx512f;avx512bw;avx512dq;avx512vl")
    set(_rd_avx512_flags -march=x86-64-v4)
    # Runtime dispatch from a baseline unit: its own pieces are each backend's, so it runs the
    # suites and the public-API checks, not backend_checks.cpp (one backend's primitives).
    set(_rd_dispatch_cpu "sse2")
    set(_rd_dispatch_flags -march=x86-64 -DRADICAND_RUNTIME_DISPATCH=1)
    foreach(_rd_name IN LISTS _rd_backends)
      string(TOUPPER "${_rd_name}" _rd_upper)
      check_cxx_compiler_flag("${_rd_${_rd_name}_flags}" RADICAND_CXX_TARGETS_${_rd_upper})
      set(_rd_probe "int main() { __builtin_cpu_init(); return 0")
      foreach(_rd_feature IN LISTS _rd_${_rd_name}_cpu)
        string(APPEND _rd_probe " + !__builtin_cpu_supports(\"${_rd_feature}\")")
      endforeach()
      check_cxx_source_runs("${_rd_probe}; }" RADICAND_CPU_RUNS_${_rd_upper})
      if(NOT RADICAND_CXX_TARGETS_${_rd_upper} OR NOT RADICAND_CPU_RUNS_${_rd_upper})
        message(STATUS "radicand: no ${_rd_name} backend tests (the compiler or this CPU lacks it)")
        continue()
      endif()
      set(_rd_target radicand_tests_backend_${_rd_name})
      set(_rd_sources ${_rd_suite_sources} ${_rd_backend_sources})
      if(_rd_name STREQUAL "dispatch")
        list(FILTER _rd_sources EXCLUDE REGEX "backend_checks\\.cpp$")
      endif()
      add_executable(${_rd_target} ${_rd_sources})
      target_compile_options(${_rd_target} PRIVATE ${_rd_${_rd_name}_flags})
      target_compile_definitions(${_rd_target} PRIVATE RADICAND_EXPECTED_BACKEND="${_rd_name}")
      target_include_directories(${_rd_target} PRIVATE "${CMAKE_CURRENT_LIST_DIR}")
      target_link_libraries(${_rd_target} PRIVATE radicand_catch_main radicand::radicand Catch2::Catch2
                                                  MPFR::MPFR)
      if(OpenMP_CXX_FOUND)
        target_link_libraries(${_rd_target} PRIVATE OpenMP::OpenMP_CXX)
      endif()
      radicand_strict(${_rd_target})
      radicand_failing_allocator(${_rd_target})  # test_concurrency.cpp fails allocations
      catch_discover_tests(${_rd_target} TEST_PREFIX "backend.${_rd_name}.")
    endforeach()

    # The dispatch binary on CPUs without AVX-512 and without AVX2, under qemu-x86_64: another
    # backend runs, and its results are the same bits (checked against the integer reference).
    find_program(RADICAND_QEMU_X86_64 NAMES qemu-x86_64 qemu-x86_64-static)
    if(TARGET radicand_tests_backend_dispatch AND RADICAND_QEMU_X86_64)
      foreach(_rd_pair "Haswell;avx2" "Nehalem;sse2")
        list(GET _rd_pair 0 _rd_cpu)
        list(GET _rd_pair 1 _rd_expect)
        add_test(NAME backend.dispatch.under_qemu_${_rd_cpu}
                 COMMAND "${CMAKE_COMMAND}" -E env RADICAND_TEST_EXPECTED_BACKEND=${_rd_expect}
                         "${RADICAND_QEMU_X86_64}" -cpu ${_rd_cpu} $<TARGET_FILE:radicand_tests_backend_dispatch>
                         "backend: rd::simd_backend() names the backend this binary was built for,exact reference: float rsqrt and sqrt on every float in 1 <= x < 4,exact reference: half and bfloat16 rsqrt and sqrt on all 65536 bit patterns")
      endforeach()
    endif()
  endif()

  # ---- AArch64 NEON, cross-compiled, under qemu-user ----
  find_program(RADICAND_AARCH64_CXX NAMES aarch64-linux-gnu-g++)
  find_program(RADICAND_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
  set(RADICAND_AARCH64_SYSROOT "/usr/aarch64-linux-gnu" CACHE PATH "AArch64 libraries for qemu-aarch64 -L")
  if(RADICAND_AARCH64_CXX AND RADICAND_QEMU_AARCH64 AND EXISTS "${RADICAND_AARCH64_SYSROOT}")
    set(_rd_neon_dir "${CMAKE_CURRENT_BINARY_DIR}/backend_neon")
    set(_rd_neon_exe "${_rd_neon_dir}/radicand_tests_backend_neon")
    set(_rd_qemu "${RADICAND_QEMU_AARCH64}" -L "${RADICAND_AARCH64_SYSROOT}")
    # Catch2 alone in an include directory: the host's /usr/include must not reach the cross compiler.
    get_target_property(_rd_catch_dirs Catch2::Catch2 INTERFACE_INCLUDE_DIRECTORIES)
    find_file(_rd_catch_hpp catch2/catch.hpp HINTS ${_rd_catch_dirs} NO_CACHE)
    configure_file("${_rd_catch_hpp}" "${_rd_neon_dir}/include/catch2/catch.hpp" COPYONLY)
    # Can it build and run a NEON program (with OpenMP, else without)?
    file(WRITE "${_rd_neon_dir}/probe.cpp"
         "#include <arm_neon.h>\nint main() { return static_cast<int>(vgetq_lane_u32(vdupq_n_u32(0), 0)); }\n")
    set(_rd_neon_openmp "")
    foreach(_rd_try "-fopenmp" "")
      execute_process(COMMAND "${RADICAND_AARCH64_CXX}" ${_rd_try} "${_rd_neon_dir}/probe.cpp" -o "${_rd_neon_dir}/probe"
                      RESULT_VARIABLE _rd_built OUTPUT_QUIET ERROR_QUIET)
      if(_rd_built EQUAL 0)
        execute_process(COMMAND ${_rd_qemu} "${_rd_neon_dir}/probe" RESULT_VARIABLE _rd_ran OUTPUT_QUIET ERROR_QUIET)
        if(_rd_ran EQUAL 0)
          set(_rd_neon_openmp "${_rd_try}")
          break()
        endif()
      endif()
    endforeach()
    if(NOT _rd_built EQUAL 0 OR NOT _rd_ran EQUAL 0)
      message(STATUS "radicand: no neon backend tests (${RADICAND_AARCH64_CXX} or ${RADICAND_QEMU_AARCH64} fails)")
    else()
      set(_rd_neon_flags -std=c++17 -O2 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wold-style-cast -Wundef
                         ${_rd_neon_openmp})
      if(RADICAND_WERROR)
        list(APPEND _rd_neon_flags -Werror)
      endif()
      add_custom_command(
        OUTPUT "${_rd_neon_exe}"
        COMMAND "${RADICAND_AARCH64_CXX}" ${_rd_neon_flags} "-DRADICAND_EXPECTED_BACKEND=\"neon\""
                "-I${PROJECT_SOURCE_DIR}/include" "-I${CMAKE_CURRENT_LIST_DIR}" -isystem "${_rd_neon_dir}/include"
                "${CMAKE_CURRENT_LIST_DIR}/main.cpp" ${_rd_backend_sources} -o "${_rd_neon_exe}"
        DEPENDS "${CMAKE_CURRENT_LIST_DIR}/main.cpp" ${_rd_backend_sources} ${_rd_headers}
        COMMENT "Cross-compiling the NEON backend tests with ${RADICAND_AARCH64_CXX}"
        VERBATIM)
      add_custom_target(radicand_tests_backend_neon ALL DEPENDS "${_rd_neon_exe}")
      # One CTest test per test case, listed by the binary itself when ctest runs.
      file(WRITE "${_rd_neon_dir}/tests.cmake" "
set(_exe \"${_rd_neon_exe}\")
set(_qemu \"${RADICAND_QEMU_AARCH64}\" -L \"${RADICAND_AARCH64_SYSROOT}\")
set(_names \"\")
if(EXISTS \"\${_exe}\")  # Catch2 exits with the number of tests it lists: not an error
  execute_process(COMMAND \${_qemu} \"\${_exe}\" --list-test-names-only OUTPUT_VARIABLE _names ERROR_QUIET)
endif()
if(NOT _names MATCHES \"[a-z]\")
  add_test(backend.neon.NOT_BUILT \${_qemu} \"\${_exe}\" --list-test-names-only)
else()
  string(REPLACE \"\\n\" \";\" _names \"\${_names}\")
  foreach(_name IN LISTS _names)
    if(NOT _name STREQUAL \"\")
      # A comma in a name would split it into two test specs: escaped. A spec that matches no
      # test fails (-w NoTests) instead of passing with nothing run.
      string(REPLACE \",\" \"\\\\,\" _spec \"\${_name}\")
      add_test(\"backend.neon.\${_name}\" \${_qemu} \"\${_exe}\" \"\${_spec}\" -w NoTests)
    endif()
  endforeach()
endif()
")
      set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${_rd_neon_dir}/tests.cmake")
    endif()
  else()
    message(STATUS "radicand: no neon backend tests (needs aarch64-linux-gnu-g++, qemu-aarch64 and "
                   "${RADICAND_AARCH64_SYSROOT})")
  endif()
endif()
