# radicand_read_version(<var>) sets <var> to "MAJOR.MINOR.PATCH" as include/radicand/config.hpp
# defines it (RADICAND_VERSION_MAJOR, _MINOR and _PATCH), the one place the version is written.
# Included by the top-level CMakeLists.txt (before project()) and by cmake/amalgamate.cmake.
set(_rd_config_hpp "${CMAKE_CURRENT_LIST_DIR}/../include/radicand/config.hpp")

function(radicand_read_version var)
  set(define "^#define RADICAND_VERSION_(MAJOR|MINOR|PATCH) ([0-9]+)$")
  file(STRINGS "${_rd_config_hpp}" lines REGEX "${define}")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "${define}" matched "${line}")
    set(part_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  endforeach()
  foreach(part MAJOR MINOR PATCH)
    if(NOT DEFINED part_${part})
      message(FATAL_ERROR "include/radicand/config.hpp has no line "
                          "`#define RADICAND_VERSION_${part} <number>`")
    endif()
  endforeach()
  set(${var} "${part_MAJOR}.${part_MINOR}.${part_PATCH}" PARENT_SCOPE)
endfunction()
