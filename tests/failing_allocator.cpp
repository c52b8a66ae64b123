// The replacement of the global allocation functions (failing_allocator.hpp), linked into every
// suite that fails allocations.
#include "failing_allocator.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

std::atomic<std::int64_t> allocations_until_failure{0};

namespace {

bool this_allocation_fails() noexcept {
  std::int64_t n = allocations_until_failure.load(std::memory_order_relaxed);
  while (n > 0) {
    if (allocations_until_failure.compare_exchange_weak(n, n - 1, std::memory_order_relaxed))
      return n == 1;
  }
  return false;
}

#if defined(RADICAND_TEST_WRAP_NEW)

}  // namespace

// Clang's static ThreadSanitizer runtime defines the allocation functions itself, and is linked
// whole, so a second definition does not link: that build wraps them instead (the linker's
// --wrap, tests/CMakeLists.txt), which reaches every allocation compiled into this program.
extern "C" {
void* __real__Znwm(std::size_t);
void* __real__Znam(std::size_t);
void* __real__ZnwmRKSt9nothrow_t(std::size_t, const std::nothrow_t&) noexcept;
void* __real__ZnamRKSt9nothrow_t(std::size_t, const std::nothrow_t&) noexcept;
void* __real__ZnwmSt11align_val_t(std::size_t, std::align_val_t);
void* __real__ZnamSt11align_val_t(std::size_t, std::align_val_t);
void* __real__ZnwmSt11align_val_tRKSt9nothrow_t(std::size_t, std::align_val_t,
                                                const std::nothrow_t&) noexcept;
void* __real__ZnamSt11align_val_tRKSt9nothrow_t(std::size_t, std::align_val_t,
                                                const std::nothrow_t&) noexcept;

void* __wrap__Znwm(std::size_t n) {
  if (this_allocation_fails()) throw std::bad_alloc();
  return __real__Znwm(n);
}
void* __wrap__Znam(std::size_t n) {
  if (this_allocation_fails()) throw std::bad_alloc();
  return __real__Znam(n);
}
void* __wrap__ZnwmRKSt9nothrow_t(std::size_t n, const std::nothrow_t& t) noexcept {
  return this_allocation_fails() ? nullptr : __real__ZnwmRKSt9nothrow_t(n, t);
}
void* __wrap__ZnamRKSt9nothrow_t(std::size_t n, const std::nothrow_t& t) noexcept {
  return this_allocation_fails() ? nullptr : __real__ZnamRKSt9nothrow_t(n, t);
}
void* __wrap__ZnwmSt11align_val_t(std::size_t n, std::align_val_t a) {
  if (this_allocation_fails()) throw std::bad_alloc();
  return __real__ZnwmSt11align_val_t(n, a);
}
void* __wrap__ZnamSt11align_val_t(std::size_t n, std::align_val_t a) {
  if (this_allocation_fails()) throw std::bad_alloc();
  return __real__ZnamSt11align_val_t(n, a);
}
void* __wrap__ZnwmSt11align_val_tRKSt9nothrow_t(std::size_t n, std::align_val_t a,
                                                const std::nothrow_t& t) noexcept {
  return this_allocation_fails() ? nullptr : __real__ZnwmSt11align_val_tRKSt9nothrow_t(n, a, t);
}
void* __wrap__ZnamSt11align_val_tRKSt9nothrow_t(std::size_t n, std::align_val_t a,
                                                const std::nothrow_t& t) noexcept {
  return this_allocation_fails() ? nullptr : __real__ZnamSt11align_val_tRKSt9nothrow_t(n, a, t);
}
}

#else

void* allocate(std::size_t bytes) noexcept {
  return this_allocation_fails() ? nullptr : std::malloc(bytes == 0 ? 1 : bytes);
}

void* allocate_aligned(std::size_t bytes, std::align_val_t align) noexcept {
  if (this_allocation_fails()) return nullptr;
  const auto a = static_cast<std::size_t>(align);
  const std::size_t rounded = (bytes + a - 1) / a * a;  // aligned_alloc wants a multiple
  return rounded < bytes ? nullptr : std::aligned_alloc(a, rounded == 0 ? a : rounded);
}

/// Out of line, so that the compiler, seeing operator new's block reach free(), does not take it
/// for a mismatched pair (-Wmismatched-new-delete).
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void release(void* p) noexcept {
  std::free(p);
}

}  // namespace

// The replaceable allocation functions, all of them, so that every form meets the hook and every
// block is freed the way it was allocated.
void* operator new(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = allocate_aligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = allocate_aligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_aligned(n, a);
}
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }

#endif  // RADICAND_TEST_WRAP_NEW
