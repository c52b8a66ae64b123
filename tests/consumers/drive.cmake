# Builds one consumer project as a user would and runs it. Called by CTest (see CMakeLists.txt):
#   cmake -DSOURCE_DIR=<consumer> -DBINARY_DIR=<scratch> -DCXX=<compiler> [options] -P drive.cmake
# Options:
#   GENERATOR, MAKE_PROGRAM, BUILD_TYPE    how to configure (defaults: CMake's, Release)
#   OPTIONS=-DA=1|-DB=2                    more configure arguments, separated by '|'
#   COPY=<file>|<file>                     copy the consumer and these files alone into the
#                                          scratch directory, and build that copy
#   EXPECT_CONFIGURE_ERROR=<regex>         configuring must fail with output matching regex
#   PKG_CONFIG=<pkg-config> PKG_CONFIG_PATH=<dir> VERSION=<x.y.z>
#                                          no CMake: compile main.cpp with the flags that
#                                          `pkg-config --cflags --libs radicand` prints
#   RUN=OFF                                build only
#   PROGRAMS=<name>|<name>                 the built programs to run (default: consumer)
#   EMULATOR=<qemu> EMULATOR_CPUS=<cpu>|<cpu>
#                                          also run each program under the emulator, once per
#                                          CPU model (qemu-x86_64 -cpu <cpu>)
# or, to set up the consumers that use an installed radicand:
#   cmake -DINSTALL_FROM=<build dir> -DBINARY_DIR=<prefix> [-DBUILD_TYPE=<config>] -P drive.cmake
cmake_minimum_required(VERSION 3.16)

if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

if(DEFINED INSTALL_FROM)
  # A fresh prefix, so that nothing from an earlier install lingers.
  file(REMOVE_RECURSE "${BINARY_DIR}")
  execute_process(COMMAND "${CMAKE_COMMAND}" --install "${INSTALL_FROM}" --prefix "${BINARY_DIR}"
                          --config "${BUILD_TYPE}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${status})")
  endif()
  return()
endif()

foreach(required SOURCE_DIR BINARY_DIR CXX)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "drive.cmake needs -D${required}=...")
  endif()
endforeach()
string(REPLACE "|" ";" OPTIONS "${OPTIONS}")
string(REPLACE "|" ";" COPY "${COPY}")
string(REPLACE "|" ";" PROGRAMS "${PROGRAMS}")
string(REPLACE "|" ";" EMULATOR_CPUS "${EMULATOR_CPUS}")
if(NOT PROGRAMS)
  set(PROGRAMS consumer)
endif()

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "${what} failed (${status}):\n${command}\n${out}")
  endif()
  message(STATUS "${what}: ok")
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}")
file(MAKE_DIRECTORY "${BINARY_DIR}")
set(source "${SOURCE_DIR}")
if(COPY)
  # A project that holds nothing but its own files and the copied ones.
  set(source "${BINARY_DIR}/src")
  file(COPY "${SOURCE_DIR}/" DESTINATION "${source}")
  file(COPY ${COPY} DESTINATION "${source}")
endif()
set(build "${BINARY_DIR}/build")

if(DEFINED PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_PATH}")
  run_step("pkg-config --modversion radicand" "${PKG_CONFIG}" --modversion radicand)
  string(STRIP "${step_output}" found_version)
  if(NOT found_version STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config reports radicand ${found_version}, expected ${VERSION}")
  endif()
  run_step("pkg-config --cflags --libs radicand" "${PKG_CONFIG}" --cflags --libs radicand)
  separate_arguments(flags UNIX_COMMAND "${step_output}")
  message(STATUS "flags: ${flags}")
  file(MAKE_DIRECTORY "${build}")
  set(program "${build}/consumer")
  run_step("compile" "${CXX}" -std=c++17 -O2 -Wall -Wextra -Werror "${source}/main.cpp" ${flags}
           -o "${program}")
else()
  set(configure "${CMAKE_COMMAND}" -S "${source}" -B "${build}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
                "-DCMAKE_CXX_COMPILER=${CXX}")
  if(GENERATOR)
    list(APPEND configure -G "${GENERATOR}")
  endif()
  if(MAKE_PROGRAM)
    list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
  endif()
  list(APPEND configure ${OPTIONS})

  if(DEFINED EXPECT_CONFIGURE_ERROR)
    execute_process(COMMAND ${configure} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(status EQUAL 0)
      message(FATAL_ERROR "configuring ${SOURCE_DIR} succeeded, but it must fail:\n${out}")
    endif()
    if(NOT out MATCHES "${EXPECT_CONFIGURE_ERROR}")
      message(FATAL_ERROR "configuring ${SOURCE_DIR} failed without matching "
                          "'${EXPECT_CONFIGURE_ERROR}':\n${out}")
    endif()
    message(STATUS "configure failed as expected:\n${out}")
    return()
  endif()

  run_step("configure" ${configure})
  run_step("build" "${CMAKE_COMMAND}" --build "${build}" --config "${BUILD_TYPE}")
endif()

if(RUN STREQUAL "OFF")
  return()
endif()
foreach(name ${PROGRAMS})
  set(program "${build}/${name}")
  if(NOT EXISTS "${program}" AND EXISTS "${build}/${BUILD_TYPE}/${name}")
    set(program "${build}/${BUILD_TYPE}/${name}")
  endif()
  run_step("run ${name}" "${program}")
  message(STATUS "${step_output}")
  foreach(cpu ${EMULATOR_CPUS})
    run_step("run ${name} under ${EMULATOR} -cpu ${cpu}" "${EMULATOR}" -cpu "${cpu}" "${program}")
    message(STATUS "${step_output}")
  endforeach()
endforeach()
