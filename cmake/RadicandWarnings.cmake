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
