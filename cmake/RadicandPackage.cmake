# The package: the build tree's export, and with RADICAND_INSTALL the install rules for the
# headers (include/radicand/ and the single header include/radicand.hpp), the CMake package
# (share/cmake/radicand: radicandConfig.cmake, radicandConfigVersion.cmake, radicandTargets.cmake)
# and the pkg-config file (share/pkgconfig/radicand.pc). Every path in them is relative to the
# file that holds it, so an installed tree can be moved.
include(CMakePackageConfigHelpers)

set(RADICAND_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/radicand" CACHE STRING
    "Where the CMake package files are installed, relative to the prefix")
set(RADICAND_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig" CACHE STRING
    "Where radicand.pc is installed, relative to the prefix")
mark_as_advanced(RADICAND_INSTALL_CMAKEDIR RADICAND_INSTALL_PKGCONFIGDIR)

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/radicandConfig.cmake.in" "${PROJECT_BINARY_DIR}/radicandConfig.cmake"
  INSTALL_DESTINATION "${RADICAND_INSTALL_CMAKEDIR}")
# 0.x releases promise what 1.x will: a later minor version accepts code written for an earlier one.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/radicandConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)

# find_package(radicand) also works from the build tree: -Dradicand_DIR=<build dir>.
export(TARGETS radicand NAMESPACE radicand:: FILE "${PROJECT_BINARY_DIR}/radicandTargets.cmake")

if(NOT RADICAND_INSTALL)
  return()
endif()

install(TARGETS radicand EXPORT radicandTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/radicand" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/include/radicand.hpp" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT radicandTargets NAMESPACE radicand:: DESTINATION "${RADICAND_INSTALL_CMAKEDIR}")
install(FILES "${PROJECT_BINARY_DIR}/radicandConfig.cmake"
              "${PROJECT_BINARY_DIR}/radicandConfigVersion.cmake"
        DESTINATION "${RADICAND_INSTALL_CMAKEDIR}")

# pkg-config: the prefix relative to the .pc file (${pcfiledir}), so that
# `cmake --install --prefix <anywhere>` gives a working file.
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}" OR IS_ABSOLUTE "${RADICAND_INSTALL_PKGCONFIGDIR}")
  set(RADICAND_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(RADICAND_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH _rd_pc_to_prefix "/prefix/${RADICAND_INSTALL_PKGCONFIGDIR}" "/prefix")
  string(REGEX REPLACE "/$" "" _rd_pc_to_prefix "${_rd_pc_to_prefix}")
  set(RADICAND_PC_PREFIX "\${pcfiledir}/${_rd_pc_to_prefix}")
  set(RADICAND_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(RADICAND_PC_CFLAGS "")
set(RADICAND_PC_LIBS "")
if(RADICAND_OPENMP)
  set(RADICAND_PC_CFLAGS " ${OpenMP_CXX_FLAGS}")
  set(RADICAND_PC_LIBS "${OpenMP_CXX_FLAGS}")
endif()
if(RADICAND_RUNTIME_DISPATCH)
  string(APPEND RADICAND_PC_CFLAGS " -DRADICAND_RUNTIME_DISPATCH=1")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/radicand.pc.in" "${PROJECT_BINARY_DIR}/radicand.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/radicand.pc" DESTINATION "${RADICAND_INSTALL_PKGCONFIGDIR}")
