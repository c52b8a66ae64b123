# The strict warning set for radicand's own targets (tests, examples, benchmarks), and the
# sanitizer flags when RADICAND_SANITIZE is set.
function(radicand_strict target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow
                                             -Wold-style-cast -Wundef)
    if(RADICAND_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(RADICAND_SANITIZE)
      target_compile_options(${target} PRIVATE -fsanitize=${RADICAND_SANITIZE}
                                               -fno-sanitize-recover=all -fno-omit-frame-pointer)
      target_link_options(${target} PRIVATE -fsanitize=${RADICAND_SANITIZE})
      if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # GCC 12's sanitizer instrumentation makes <regex> (used by Catch2) warn falsely.
        target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
      endif()
    endif()
  endif()
endfunction()

# The same for a CUDA target compiled by nvcc: the host warnings that nvcc's generated host code
# does not trip itself (it uses old-style casts, GCC line markers and undefined macros in #if, so
# -Wold-style-cast, -Wpedantic and -Wundef stay with the host builds, which compile every header),
# nvcc's own warnings, and register spills reported as warnings. Never fast math: results must
# stay correctly rounded and subnormals unflushed.
function(radicand_strict_cuda target)
  set(host -Wall -Wextra -Wconversion -Wshadow)
  if(RADICAND_WERROR)
    list(APPEND host -Werror)
  endif()
  list(JOIN host "," host_joined)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=${host_joined} -Xptxas=--warn-on-spills>)
  if(RADICAND_WERROR)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--Werror=all-warnings>)
  endif()
  set_target_properties(${target} PROPERTIES CUDA_STANDARD 17 CUDA_STANDARD_REQUIRED ON
                                             CUDA_EXTENSIONS OFF)
endfunction()
