// The test suites' replacement of the global allocation functions: off unless a test arms
// it, it fails the n-th allocation from then (on any thread), so that a test can fail each
// allocation of an operation in turn.
#ifndef RADICAND_TESTS_FAILING_ALLOCATOR_HPP
#define RADICAND_TESTS_FAILING_ALLOCATOR_HPP

#include <atomic>
#include <cstdint>
#include <exception>
#include <string>
#include <typeinfo>

/// 0: allocations never fail. n > 0: the n-th allocation from now (on any thread) fails, then
/// none again.
extern std::atomic<std::int64_t> allocations_until_failure;

/// What failing the n-th allocation of an operation did.
struct injected {
  bool reached = false;  // the operation made at least n allocations
  bool threw = false;
  const std::type_info* type = nullptr;  // of what was thrown, when a std::exception
  std::string what;
};

/// Runs op with its n-th allocation (counted over every thread) failing. Nothing between arming
/// and disarming allocates but op itself.
template <class Op>
injected fail_allocation(std::int64_t n, Op&& op) {
  injected r;
  allocations_until_failure.store(n);
  try {
    op();
  } catch (const std::exception& e) {
    r.reached = allocations_until_failure.exchange(0) == 0;
    r.threw = true;
    r.type = &typeid(e);
    r.what = e.what();
    return r;
  } catch (...) {
    r.threw = true;
  }
  r.reached = allocations_until_failure.exchange(0) == 0;
  return r;
}

#endif  // RADICAND_TESTS_FAILING_ALLOCATOR_HPP
