# Generates the single header include/radicand.hpp from the modular headers in include/radicand/.
#
#   cmake -P cmake/amalgamate.cmake                        writes include/radicand.hpp
#   cmake -DOUTPUT=<file> -P cmake/amalgamate.cmake        writes <file> instead
#   cmake -DOUTPUT=<file> -DCOMPARE_WITH=<committed> -P cmake/amalgamate.cmake
#                                                          also fails unless <committed> equals it
#
# Starting from include/radicand/radicand.hpp, each `#include "..."` that names a project header
# is replaced by that header's text, recursively, the first time it is met (a body without an
# include guard, every time); later includes of the same header are dropped where the first copy
# is visible (a quoted include that names no project
# header is an error). System includes (`#include <...>`) stay as they are, and every header keeps
# its include guard, so the single header and the modular headers mix in one program. A header
# first inlined inside one `#if` branch is inlined again where that branch does not reach (another
# branch, or outside it), so that no configuration loses it. The output depends only on the
# headers' text.
cmake_minimum_required(VERSION 3.16)

get_filename_component(_rd_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(_rd_include "${_rd_root}/include")
if(NOT DEFINED OUTPUT)
  set(OUTPUT "${_rd_include}/radicand.hpp")
endif()

# CMake lists split on ';' and treat '\', '[' and ']' specially: hide them while working on lines.
string(ASCII 1 _rd_backslash)
string(ASCII 2 _rd_semicolon)
string(ASCII 3 _rd_open)
string(ASCII 4 _rd_close)

# Sets `var` (in the caller) to TRUE when `lines` (a file's lines) begin with an include guard:
# a first directive `#ifndef X` followed by `#define X`.
function(_rd_guarded lines var)
  set(guard FALSE)
  set(directives "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*#")
      list(APPEND directives "${line}")
      list(LENGTH directives n)
      if(n EQUAL 2)
        break()
      endif()
    endif()
  endforeach()
  list(LENGTH directives n)
  if(n EQUAL 2)
    list(GET directives 0 first)
    list(GET directives 1 second)
    if(first MATCHES "^[ \t]*#[ \t]*ifndef[ \t]+([A-Za-z0-9_]+)")
      set(guard_macro "${CMAKE_MATCH_1}")
      if(second MATCHES "^[ \t]*#[ \t]*define[ \t]+([A-Za-z0-9_]+)" AND CMAKE_MATCH_1 STREQUAL guard_macro)
        set(guard TRUE)
      endif()
    endif()
  endif()
  set(${var} ${guard} PARENT_SCOPE)
endfunction()

# Appends to variable `var` (in the caller) the text of `file` with its project includes inlined.
# `context` names the preprocessor branch the inclusion sits in: one "<id>/" per enclosing #if,
# #elif or #else branch (include guards aside), outermost first, after a "^"; "^" where every
# configuration sees it. A header already inlined in a context that is a prefix of the current one is visible
# here and is dropped; otherwise (first time, or only inlined in some other branch) it is inlined.
function(_rd_inline file context var)
  file(READ "${file}" text)
  string(REPLACE "\r" "" text "${text}")
  string(REPLACE "\\" "${_rd_backslash}" text "${text}")
  string(REPLACE ";" "${_rd_semicolon}" text "${text}")
  string(REPLACE "[" "${_rd_open}" text "${text}")
  string(REPLACE "]" "${_rd_close}" text "${text}")
  string(REGEX REPLACE "\n$" "" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")

  _rd_guarded("${lines}" guard)

  get_filename_component(dir "${file}" DIRECTORY)
  file(RELATIVE_PATH name "${_rd_include}" "${file}")
  set(out "${${var}}// begin of ${name}\n")
  set(stack "")       # one entry per open #if in this file: a branch id, or G for the guard
  set(branches "")    # the branch ids of `stack`, as a context suffix
  set(first_if TRUE)
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)([^A-Za-z0-9_]|$)")
      set(directive "${CMAKE_MATCH_1}")
      if(directive MATCHES "^if")
        if(first_if AND guard)
          list(APPEND stack G)
        else()
          _rd_new_branch(id)
          list(APPEND stack ${id})
        endif()
        set(first_if FALSE)
      elseif(directive STREQUAL "endif")
        list(REMOVE_AT stack -1)
      else()  # elif, else: a new branch at the same level
        list(REMOVE_AT stack -1)
        _rd_new_branch(id)
        list(APPEND stack ${id})
      endif()
      set(branches "")
      foreach(entry IN LISTS stack)
        if(NOT entry STREQUAL "G")
          string(APPEND branches "${entry}/")
        endif()
      endforeach()
    elseif(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\"")
      set(included "${CMAKE_MATCH_1}")
      set(target "")
      foreach(base "${dir}" "${_rd_include}")
        get_filename_component(candidate "${base}/${included}" ABSOLUTE)
        if(EXISTS "${candidate}" AND NOT IS_DIRECTORY "${candidate}")
          set(target "${candidate}")
          break()
        endif()
      endforeach()
      if(NOT target)
        message(FATAL_ERROR "${name}: #include \"${included}\" names no header under include/ "
                            "(radicand includes its own headers with quotes, all others with <...>)")
      endif()
      set(here "${context}${branches}")
      get_property(seen GLOBAL PROPERTY "_rd_seen:${target}")
      set(visible FALSE)
      foreach(where IN LISTS seen)
        string(FIND "${here}" "${where}" at)
        if(at EQUAL 0)
          set(visible TRUE)
        endif()
      endforeach()
      # A body without an include guard (cpu/target.hpp and what it includes) is meant to be
      # included again, in another namespace: inlined every time.
      file(STRINGS "${target}" target_lines LIMIT_COUNT 400)
      _rd_guarded("${target_lines}" target_guarded)
      if(NOT visible OR NOT target_guarded)
        set_property(GLOBAL APPEND PROPERTY "_rd_seen:${target}" "${here}")
        _rd_inline("${target}" "${here}" out)
      endif()
      continue()
    endif()
    string(APPEND out "${line}\n")
  endforeach()
  string(APPEND out "// end of ${name}\n")
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

# A new preprocessor branch id.
function(_rd_new_branch var)
  get_property(count GLOBAL PROPERTY _rd_branches)
  if(NOT count)
    set(count 0)
  endif()
  math(EXPR count "${count} + 1")
  set_property(GLOBAL PROPERTY _rd_branches ${count})
  set(${var} ${count} PARENT_SCOPE)
endfunction()

include("${CMAKE_CURRENT_LIST_DIR}/RadicandVersion.cmake")
radicand_read_version(_rd_version)
file(STRINGS "${_rd_root}/LICENSE" _rd_copyright REGEX "^Copyright" LIMIT_COUNT 1)

set(_rd_umbrella "${_rd_include}/radicand/radicand.hpp")
set_property(GLOBAL PROPERTY "_rd_seen:${_rd_umbrella}" "^")
set(_rd_text "")
_rd_inline("${_rd_umbrella}" "^" _rd_text)
string(REPLACE "${_rd_close}" "]" _rd_text "${_rd_text}")
string(REPLACE "${_rd_open}" "[" _rd_text "${_rd_text}")
string(REPLACE "${_rd_semicolon}" ";" _rd_text "${_rd_text}")
string(REPLACE "${_rd_backslash}" "\\" _rd_text "${_rd_text}")

set(_rd_banner
"// radicand ${_rd_version}: exact, PyTorch-shaped rsqrt and sqrt for C++ tensors.
// The single-header edition: generated by cmake/amalgamate.cmake from include/radicand/, do not edit.
// Change the modular headers and run `cmake -P cmake/amalgamate.cmake` from the repository root.
// Every header below keeps its include guard, so this file mixes with the modular headers.
// ${_rd_copyright}. MIT License (see LICENSE).
// SPDX-License-Identifier: MIT
")
file(WRITE "${OUTPUT}" "${_rd_banner}${_rd_text}")

if(DEFINED COMPARE_WITH)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUTPUT}" "${COMPARE_WITH}"
                  RESULT_VARIABLE _rd_differs)
  if(_rd_differs)
    message(FATAL_ERROR "${COMPARE_WITH} is not what cmake/amalgamate.cmake generates from the "
                        "headers now (see ${OUTPUT}); run `cmake -P cmake/amalgamate.cmake` from the "
                        "repository root and commit the result.")
  endif()
  message(STATUS "${COMPARE_WITH} is up to date")
endif()
