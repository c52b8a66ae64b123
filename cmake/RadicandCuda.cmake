# Finding the CUDA compiler the project's CUDA targets are built with: nvcc on PATH, named by
# CUDACXX or CMAKE_CUDA_COMPILER, or where the CUDA toolkit installs it (/usr/local/cuda/bin).
include_guard(GLOBAL)
include(CheckLanguage)

# Sets CMAKE_CUDA_COMPILER where one is found (check_language), without enabling CUDA.
macro(radicand_find_cuda_compiler)
  if(NOT DEFINED CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
    set(ENV{CUDACXX} /usr/local/cuda/bin/nvcc)
  endif()
  check_language(CUDA)
endmacro()

# Enables CUDA where a compiler is found, for sm_90 unless CMAKE_CUDA_ARCHITECTURES says
# otherwise; CMAKE_CUDA_COMPILER tells the caller whether it was.
macro(radicand_enable_cuda)
  radicand_find_cuda_compiler()
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)
    endif()
    enable_language(CUDA)
  endif()
endmacro()
