// radicand: compiler, ISA and CUDA detection, the host/device macro and the version.
#ifndef RADICAND_CONFIG_HPP
#define RADICAND_CONFIG_HPP

// First, before anything an older standard would trip over.
#if defined(_MSVC_LANG)
#if _MSVC_LANG < 201703L
#error "radicand needs C++17 (/std:c++17 or later)"
#endif
#elif __cplusplus < 201703L
#error "radicand needs C++17 (-std=c++17 or later)"
#endif

// Exact results, NaN and infinity need IEEE arithmetic, which -ffast-math (-Ofast) and
// -ffinite-math-only give up. nvcc's --use_fast_math and -ftz=true define no macro (CUDA 13):
// the device code refuses them when it is compiled (cuda/kernels.hpp).
#if !defined(RADICAND_ALLOW_FAST_MATH) &&                                           \
    (defined(__FAST_MATH__) || defined(__USE_FAST_MATH__) || defined(_M_FP_FAST) || \
     (defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__))
#error \
    "radicand needs IEEE floating point: -ffast-math, -Ofast and -ffinite-math-only break its exact results and its NaN and infinity handling (define RADICAND_ALLOW_FAST_MATH to compile anyway, without those promises)"
#endif

#define RADICAND_VERSION_MAJOR 0
#define RADICAND_VERSION_MINOR 1
#define RADICAND_VERSION_PATCH 0

// Every configuration macro is defined to 0 or 1 so that #if works under -Wundef.
#if defined(__CUDACC__)
#define RADICAND_HAS_CUDA 1
#else
#define RADICAND_HAS_CUDA 0
#endif

#if RADICAND_HAS_CUDA
#define RADICAND_HOST_DEVICE __host__ __device__
#else
#define RADICAND_HOST_DEVICE
#endif

#if defined(_OPENMP)
#define RADICAND_HAS_OPENMP 1
#else
#define RADICAND_HAS_OPENMP 0
#endif

// CPU backend: chosen from the target macros, lowered by RADICAND_FORCE_*. Exactly one of
// RADICAND_ARCH_{SCALAR,SSE2,AVX2,AVX512,NEON} is 1. AVX2 means AVX2 + FMA (F16C is used when
// present); AVX-512 means F, BW, DQ and VL (x86-64-v4).
#if defined(RADICAND_FORCE_SCALAR)
#define RADICAND_ARCH_SCALAR 1
#elif defined(RADICAND_FORCE_SSE2) && (defined(__SSE2__) || defined(_M_X64))
#define RADICAND_ARCH_SSE2 1
#elif defined(RADICAND_FORCE_AVX2) && defined(__AVX2__) && defined(__FMA__)
#define RADICAND_ARCH_AVX2 1
#elif defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && \
    defined(__AVX512VL__)
#define RADICAND_ARCH_AVX512 1
#elif defined(__AVX2__) && defined(__FMA__)
#define RADICAND_ARCH_AVX2 1
#elif defined(__SSE2__) || defined(_M_X64)
#define RADICAND_ARCH_SSE2 1
#elif defined(__ARM_NEON) && defined(__aarch64__)
#define RADICAND_ARCH_NEON 1
#else
#define RADICAND_ARCH_SCALAR 1
#endif
#ifndef RADICAND_ARCH_SCALAR
#define RADICAND_ARCH_SCALAR 0
#endif
#ifndef RADICAND_ARCH_SSE2
#define RADICAND_ARCH_SSE2 0
#endif
#ifndef RADICAND_ARCH_AVX2
#define RADICAND_ARCH_AVX2 0
#endif
#ifndef RADICAND_ARCH_AVX512
#define RADICAND_ARCH_AVX512 0
#endif
#ifndef RADICAND_ARCH_NEON
#define RADICAND_ARCH_NEON 0
#endif

// The kernel namespace names the backend compiled in, so translation units built with
// different flags never share a kernel symbol (the xsimd / Highway model); RADICAND_KERNEL_ARCH
// is the name rd::simd_backend() returns.
#if RADICAND_ARCH_AVX512
#define RADICAND_KERNEL_ARCH avx512
#define RADICAND_KERNEL_NAMESPACE arch_avx512
#elif RADICAND_ARCH_AVX2
#define RADICAND_KERNEL_ARCH avx2
#define RADICAND_KERNEL_NAMESPACE arch_avx2
#elif RADICAND_ARCH_SSE2
#define RADICAND_KERNEL_ARCH sse2
#define RADICAND_KERNEL_NAMESPACE arch_sse2
#elif RADICAND_ARCH_NEON
#define RADICAND_KERNEL_ARCH neon
#define RADICAND_KERNEL_NAMESPACE arch_neon
#else
#define RADICAND_KERNEL_ARCH scalar
#define RADICAND_KERNEL_NAMESPACE arch_scalar
#endif

// The per-packet math is inlined into the kernel loops, so that its constants stay in registers.
#if defined(__GNUC__) || defined(__clang__)
#define RADICAND_ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define RADICAND_ALWAYS_INLINE __forceinline
#else
#define RADICAND_ALWAYS_INLINE inline
#endif

#include <cstdint>

namespace radicand {

/// The version as "MAJOR.MINOR.PATCH".
inline const char* version() noexcept {
#define RADICAND_STR2(x) #x
#define RADICAND_STR(x) RADICAND_STR2(x)
  return RADICAND_STR(RADICAND_VERSION_MAJOR) "." RADICAND_STR(
      RADICAND_VERSION_MINOR) "." RADICAND_STR(RADICAND_VERSION_PATCH);
#undef RADICAND_STR
#undef RADICAND_STR2
}

inline namespace RADICAND_KERNEL_NAMESPACE {
/// The CPU kernel backend compiled into this translation unit: "scalar", "sse2", "avx2",
/// "avx512" or "neon". In the backend's namespace, so each translation unit reports its own.
inline const char* simd_backend() noexcept {
#define RADICAND_STR2(x) #x
#define RADICAND_STR(x) RADICAND_STR2(x)
  return RADICAND_STR(RADICAND_KERNEL_ARCH);
#undef RADICAND_STR
#undef RADICAND_STR2
}
}  // namespace RADICAND_KERNEL_NAMESPACE

}  // namespace radicand

#endif  // RADICAND_CONFIG_HPP
