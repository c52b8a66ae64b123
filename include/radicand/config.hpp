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

// Runtime dispatch (opt-in, x86-64 with GCC or Clang): the unit carries the SSE2, AVX2 and
// AVX-512 kernels, each compiled for its own target (a target region, as Highway and simdjson
// do), and picks the best the running CPU has, once. RADICAND_FORCE_* turns it off.
#if defined(RADICAND_RUNTIME_DISPATCH) && RADICAND_RUNTIME_DISPATCH &&                       \
    (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(RADICAND_FORCE_SCALAR) && !defined(RADICAND_FORCE_SSE2) &&                      \
    !defined(RADICAND_FORCE_AVX2)
#define RADICAND_ARCH_DISPATCH 1
#else
#define RADICAND_ARCH_DISPATCH 0
#endif

// A region of code compiled for AVX2 + FMA + F16C or for AVX-512 (F, BW, DQ, VL) whatever the
// unit's flags; empty outside runtime dispatch.
// _Pragma takes one string literal, which must not be split.
// clang-format off
#if RADICAND_ARCH_DISPATCH && defined(__clang__)
#define RADICAND_TARGET_AVX2_BEGIN \
  _Pragma("clang attribute push(__attribute__((target(\"avx2,fma,f16c\"))), apply_to = function)")
#define RADICAND_TARGET_AVX512_BEGIN \
  _Pragma("clang attribute push(__attribute__((target(\"avx2,fma,f16c,avx512f,avx512bw,avx512dq,avx512vl\"))), apply_to = function)")
#define RADICAND_TARGET_END _Pragma("clang attribute pop")
#elif RADICAND_ARCH_DISPATCH
#define RADICAND_TARGET_AVX2_BEGIN \
  _Pragma("GCC push_options") _Pragma("GCC target(\"avx2,fma,f16c\")")
#define RADICAND_TARGET_AVX512_BEGIN \
  _Pragma("GCC push_options") _Pragma("GCC target(\"avx2,fma,f16c,avx512f,avx512bw,avx512dq,avx512vl\")")
#define RADICAND_TARGET_END _Pragma("GCC pop_options")
#else
#define RADICAND_TARGET_AVX2_BEGIN
#define RADICAND_TARGET_AVX512_BEGIN
#define RADICAND_TARGET_END
#endif
// clang-format on

// CPU backend: chosen from the target macros, lowered by RADICAND_FORCE_*. Exactly one of
// RADICAND_ARCH_{SCALAR,SSE2,AVX2,AVX512,NEON,DISPATCH} is 1. AVX2 means AVX2 + FMA (F16C is used
// when present); AVX-512 means F, BW, DQ and VL (x86-64-v4).
#if RADICAND_ARCH_DISPATCH
// None of them: cpu/kernels.hpp picks one at run time.
#elif defined(RADICAND_FORCE_SCALAR)
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

// The backend's name, as rd::simd_backend() returns it (with runtime dispatch, the ABI
// namespace's "dispatch" and the name of the one picked).
#if RADICAND_ARCH_DISPATCH
#define RADICAND_KERNEL_ARCH dispatch
#elif RADICAND_ARCH_AVX512
#define RADICAND_KERNEL_ARCH avx512
#elif RADICAND_ARCH_AVX2
#define RADICAND_KERNEL_ARCH avx2
#elif RADICAND_ARCH_SSE2
#define RADICAND_KERNEL_ARCH sse2
#elif RADICAND_ARCH_NEON
#define RADICAND_KERNEL_ARCH neon
#else
#define RADICAND_KERNEL_ARCH scalar
#endif

// The ABI namespace. A header-only library's inline functions are compiled by every unit with
// that unit's flags, and the linker keeps one copy: a copy built with -march=x86-64-v4 may then
// run in a unit built for SSE2 (SIGILL). So every function and type (the tensor included) lives
// in an inline namespace named after the version, each instruction-set macro the compiler
// defines (what it may emit, whatever RADICAND_FORCE_* picks), the backend and any fast-math
// licence, as CUB and nlohmann/json do. Units built alike share one namespace; nvcc's host and
// device passes see the host compiler's target macros, so a .cu unit shares it with a .cpp unit
// of the same host flags. What must be one for the whole program sits in a second namespace,
// named after the version alone: the error classes (so that any unit catches what another
// threw), the print options, the thread count and each thread's current CUDA stream. It holds no
// function of its own, only types whose members the compiler writes and variables initialised as
// constants, so no code in it depends on the flags.
#define RADICAND_PP_CAT_(a, b) a##b
#define RADICAND_PP_CAT(a, b) RADICAND_PP_CAT_(a, b)
#define RADICAND_PP_SECOND_(a, b, ...) b
#define RADICAND_PP_SECOND(...) RADICAND_PP_SECOND_(__VA_ARGS__)
#define RADICAND_PP_PROBE_1 ~, 1
// 1 where m is a macro defined as 1 (as compilers define their target macros), else 0.
#define RADICAND_PP_BIT(m) RADICAND_PP_SECOND(RADICAND_PP_CAT(RADICAND_PP_PROBE_, m), 0, ~)
#define RADICAND_PP_HEX_(a, b, c, d) RADICAND_PP_HEX_##a##b##c##d
#define RADICAND_PP_HEX(a, b, c, d) RADICAND_PP_HEX_(a, b, c, d)
#define RADICAND_PP_HEX_0000 0
#define RADICAND_PP_HEX_0001 1
#define RADICAND_PP_HEX_0010 2
#define RADICAND_PP_HEX_0011 3
#define RADICAND_PP_HEX_0100 4
#define RADICAND_PP_HEX_0101 5
#define RADICAND_PP_HEX_0110 6
#define RADICAND_PP_HEX_0111 7
#define RADICAND_PP_HEX_1000 8
#define RADICAND_PP_HEX_1001 9
#define RADICAND_PP_HEX_1010 a
#define RADICAND_PP_HEX_1011 b
#define RADICAND_PP_HEX_1100 c
#define RADICAND_PP_HEX_1101 d
#define RADICAND_PP_HEX_1110 e
#define RADICAND_PP_HEX_1111 f
// Four target macros as one hex digit.
#define RADICAND_PP_NIBBLE(a, b, c, d) \
  RADICAND_PP_HEX(RADICAND_PP_BIT(a), RADICAND_PP_BIT(b), RADICAND_PP_BIT(c), RADICAND_PP_BIT(d))

// A prefix and four hex digits (ARM) or eight (x86), each digit made of four target macros.
#define RADICAND_PP_JOIN_(p, a, b, c, d, e, f, g, h) p##a##b##c##d##e##f##g##h
#define RADICAND_PP_JOIN(...) RADICAND_PP_JOIN_(__VA_ARGS__)
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
// x86-64-v2, v3 and v4, then what compilers may also emit in plain code.
#define RADICAND_ABI_TARGETS                                                                     \
  RADICAND_PP_JOIN(                                                                              \
      x86_, RADICAND_PP_NIBBLE(__SSE3__, __SSSE3__, __SSE4_1__, __SSE4_2__),                     \
      RADICAND_PP_NIBBLE(__POPCNT__, __AVX__, __AVX2__, __BMI__),                                \
      RADICAND_PP_NIBBLE(__BMI2__, __F16C__, __FMA__, __LZCNT__),                                \
      RADICAND_PP_NIBBLE(__MOVBE__, __AVX512F__, __AVX512BW__, __AVX512CD__),                    \
      RADICAND_PP_NIBBLE(__AVX512DQ__, __AVX512VL__, __AVX512VBMI__, __AVX512VBMI2__),           \
      RADICAND_PP_NIBBLE(__AVX512VNNI__, __AVX512IFMA__, __AVX512BITALG__, __AVX512VPOPCNTDQ__), \
      RADICAND_PP_NIBBLE(__AVX512FP16__, __AVX512BF16__, __GFNI__, __VPCLMULQDQ__),              \
      RADICAND_PP_NIBBLE(__VAES__, __AVXVNNI__, __FMA4__, __XOP__))
#elif defined(__aarch64__) || defined(_M_ARM64)
#define RADICAND_ABI_TARGETS                                                                  \
  RADICAND_PP_JOIN(                                                                           \
      arm64_,                                                                                 \
      RADICAND_PP_NIBBLE(__ARM_NEON, __ARM_FEATURE_FMA, __ARM_FEATURE_FP16_SCALAR_ARITHMETIC, \
                         __ARM_FEATURE_FP16_VECTOR_ARITHMETIC),                               \
      RADICAND_PP_NIBBLE(__ARM_FEATURE_DOTPROD, __ARM_FEATURE_BF16_VECTOR_ARITHMETIC,         \
                         __ARM_FEATURE_SVE, __ARM_FEATURE_SVE2),                              \
      RADICAND_PP_NIBBLE(__ARM_FEATURE_SME, __ARM_FEATURE_ATOMICS, __ARM_FEATURE_CRC32,       \
                         __ARM_FEATURE_MATMUL_INT8),                                          \
      RADICAND_PP_NIBBLE(__ARM_FEATURE_SHA2, __ARM_FEATURE_AES, __ARM_FEATURE_SHA3,           \
                         __ARM_FEATURE_SM4),                                                  \
      , , , )
#else
#define RADICAND_ABI_TARGETS generic
#endif

#if defined(RADICAND_ALLOW_FAST_MATH) && \
    (defined(__FAST_MATH__) || (defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__))
#define RADICAND_ABI_MATH _fastmath
#else
#define RADICAND_ABI_MATH
#endif

/// The namespace of what every unit shares, e.g. abi_0_1_0 (see above).
#define RADICAND_SHARED_NAMESPACE                                                \
  RADICAND_PP_CAT(RADICAND_PP_CAT(RADICAND_PP_CAT(abi_, RADICAND_VERSION_MAJOR), \
                                  RADICAND_PP_CAT(_, RADICAND_VERSION_MINOR)),   \
                  RADICAND_PP_CAT(_, RADICAND_VERSION_PATCH))
#define RADICAND_SHARED_NAMESPACE_BEGIN \
  namespace radicand {                  \
  inline namespace RADICAND_SHARED_NAMESPACE {
#define RADICAND_SHARED_NAMESPACE_END \
  }                                   \
  }
/// The inline namespace every radicand symbol lives in, e.g. abi_0_1_0_x86_fff80000_avx2 under
/// -march=x86-64-v3:
/// two units share symbols exactly when this name is the same.
#define RADICAND_ABI_NAMESPACE                                                              \
  RADICAND_PP_CAT(                                                                          \
      RADICAND_PP_CAT(RADICAND_SHARED_NAMESPACE, RADICAND_PP_CAT(_, RADICAND_ABI_TARGETS)), \
      RADICAND_PP_CAT(RADICAND_PP_CAT(_, RADICAND_KERNEL_ARCH), RADICAND_ABI_MATH))
#define RADICAND_NAMESPACE_BEGIN \
  namespace radicand {           \
  inline namespace RADICAND_ABI_NAMESPACE {
#define RADICAND_NAMESPACE_END \
  }                            \
  }

// The per-packet math is inlined into the kernel loops, so that its constants stay in registers.
#if defined(__GNUC__) || defined(__clang__)
#define RADICAND_ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define RADICAND_ALWAYS_INLINE __forceinline
#else
#define RADICAND_ALWAYS_INLINE inline
#endif

// A loop over the packets of a group, unrolled so that their independent chains interleave
// (not under nvcc, whose front end knows neither pragma in host code).
#if defined(__CUDACC__)
#define RADICAND_UNROLL
#elif defined(__clang__)
#define RADICAND_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define RADICAND_UNROLL _Pragma("GCC unroll 16")
#else
#define RADICAND_UNROLL
#endif

#include <cstdint>

RADICAND_NAMESPACE_BEGIN

/// The version as "MAJOR.MINOR.PATCH".
inline const char* version() noexcept {
#define RADICAND_STR2(x) #x
#define RADICAND_STR(x) RADICAND_STR2(x)
  return RADICAND_STR(RADICAND_VERSION_MAJOR) "." RADICAND_STR(
      RADICAND_VERSION_MINOR) "." RADICAND_STR(RADICAND_VERSION_PATCH);
#undef RADICAND_STR
#undef RADICAND_STR2
}

#if RADICAND_ARCH_DISPATCH
namespace detail {
/// The backends a runtime-dispatch unit carries.
enum class dispatch_backend { sse2, avx2, avx512 };

/// The best backend this CPU runs: AVX-512 (F, BW, DQ, VL), AVX2 + FMA + F16C, else SSE2.
/// The compiler's CPU test also checks that the OS saves the wider registers.
inline dispatch_backend pick_backend() noexcept {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return dispatch_backend::avx512;
  // Every AVX2 CPU has F16C (Clang 14 cannot ask for it by name).
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return dispatch_backend::avx2;
  return dispatch_backend::sse2;
}

/// The backend picked for this CPU, once.
inline dispatch_backend picked_backend() noexcept {
  static const dispatch_backend picked = pick_backend();
  return picked;
}
}  // namespace detail
#endif

/// The CPU kernel backend this translation unit runs: "scalar", "sse2", "avx2", "avx512" or
/// "neon": the one compiled in (the ABI namespace carries it, so each unit reports its own), or
/// with runtime dispatch the one picked for this CPU.
inline const char* simd_backend() noexcept {
#if RADICAND_ARCH_DISPATCH
  switch (detail::picked_backend()) {
    case detail::dispatch_backend::avx512:
      return "avx512";
    case detail::dispatch_backend::avx2:
      return "avx2";
    case detail::dispatch_backend::sse2:
      break;
  }
  return "sse2";
#else
#define RADICAND_STR2(x) #x
#define RADICAND_STR(x) RADICAND_STR2(x)
  return RADICAND_STR(RADICAND_KERNEL_ARCH);
#undef RADICAND_STR
#undef RADICAND_STR2
#endif
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_CONFIG_HPP
