// Helpers the Catch2 suites share: shapes written inline, the message of an expected exception,
// and a walk over every index of a shape.
#ifndef RADICAND_TESTS_TEST_SUPPORT_HPP
#define RADICAND_TESTS_TEST_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <vector>

namespace radicand_test {

using dims = std::vector<std::int64_t>;

inline dims D(std::initializer_list<std::int64_t> l) { return dims(l); }

/// The message of the exception of type E that f throws; anything else comes back as a message
/// that no expected text matches.
template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<threw the wrong exception type: ") + e.what() + ">";
  }
  return "<threw nothing>";
}

/// Calls f(index) for every index of shape in row-major order.
template <class F>
void for_each_index(const dims& shape, F&& f) {
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  if (n == 0) return;
  dims idx(shape.size(), 0);
  for (std::int64_t k = 0; k < n; ++k) {
    f(idx);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace radicand_test

#endif  // RADICAND_TESTS_TEST_SUPPORT_HPP
