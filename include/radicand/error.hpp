// radicand: exception types. Every message names the operation and the values involved.
#ifndef RADICAND_ERROR_HPP
#define RADICAND_ERROR_HPP

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "config.hpp"

RADICAND_SHARED_NAMESPACE_BEGIN

/// Base of every error radicand throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
/// A shape that does not fit the operation (wrong out shape, broadcasting, reshape, item()).
class shape_error : public error {
 public:
  using error::error;
};
/// An output that overlaps an input, or whose own elements overlap.
class overlap_error : public error {
 public:
  using error::error;
};
/// A dimension, index, slice or stride outside what the tensor has.
class index_error : public error {
 public:
  using error::error;
};
/// A failed device (CUDA) call; the message names the call and its error string.
class device_error : public error {
 public:
  using error::error;
};
/// An allocation that failed, host or device; the message names the bytes asked for.
class memory_error : public error {
 public:
  using error::error;
};
/// An argument outside its range: a print option, or a fill value its element type cannot hold.
class value_error : public error {
 public:
  using error::error;
};

RADICAND_SHARED_NAMESPACE_END

RADICAND_NAMESPACE_BEGIN
namespace detail {

/// "[2, 3]" for a shape, as the messages print them.
template <class Range>
std::string format_dims(const Range& dims) {
  std::ostringstream os;
  os << '[';
  bool first = true;
  for (auto d : dims) {
    if (!first) os << ", ";
    os << d;
    first = false;
  }
  os << ']';
  return os.str();
}

inline void append_all(std::ostringstream&) {}
template <class A, class... Rest>
void append_all(std::ostringstream& os, const A& a, const Rest&... rest) {
  os << a;
  append_all(os, rest...);
}

/// Throws E with "radicand::<op>: " followed by the streamed parts.
template <class E, class... Parts>
[[noreturn]] void fail(const char* op, const Parts&... parts) {
  std::ostringstream os;
  os << "radicand::" << op << ": ";
  append_all(os, parts...);
  throw E(os.str());
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_ERROR_HPP
