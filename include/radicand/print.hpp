// radicand: printing tensors the way PyTorch's repr() does (torch/_tensor_str.py), with
// global print options. The one deliberate difference: the dtype suffix reads
// `dtype=float64`, without PyTorch's "torch." prefix.
#ifndef RADICAND_PRINT_HPP
#define RADICAND_PRINT_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cpu/engine.hpp"
#include "dtype.hpp"
#include "error.hpp"
#include "tensor.hpp"

RADICAND_SHARED_NAMESPACE_BEGIN

/// Scientific notation for floating tensors: chosen by PyTorch's rules, always, or never.
enum class sci_mode { automatic, on, off };

/// The knobs of torch.set_printoptions, with PyTorch's defaults.
struct print_options {
  int precision = 4;              ///< digits after the decimal point, in [0, 30]
  std::int64_t threshold = 1000;  ///< more elements than this are summarised (>= 0)
  std::int64_t edgeitems = 3;     ///< items kept at each end of a summarised dimension (>= 0)
  std::int64_t linewidth = 80;    ///< characters per line, for wrapping rows and suffixes (>= 1)
  sci_mode sci = sci_mode::automatic;
};

namespace shared {
struct print_state {
  std::mutex mutex;
  print_options options;
};
/// The process-wide options: one variable, initialised as a constant, shared by every unit
/// whatever its flags (config.hpp).
inline print_state print_settings{};
}  // namespace shared

RADICAND_SHARED_NAMESPACE_END

RADICAND_NAMESPACE_BEGIN

namespace detail {

/// The ranges printing is defined for: past 30 digits a double has nothing left to show (and
/// snprintf would fail on INT_MAX), and the line arithmetic needs a width of at least 1.
inline void check_print_options(const char* op, const print_options& o) {
  if (o.precision < 0 || o.precision > 30)
    fail<value_error>(op, "precision must be in [0, 30], got ", o.precision);
  if (o.threshold < 0) fail<value_error>(op, "threshold must be >= 0, got ", o.threshold);
  if (o.edgeitems < 0) fail<value_error>(op, "edgeitems must be >= 0, got ", o.edgeitems);
  if (o.linewidth < 1) fail<value_error>(op, "linewidth must be >= 1, got ", o.linewidth);
  if (o.sci != sci_mode::automatic && o.sci != sci_mode::on && o.sci != sci_mode::off)
    fail<value_error>(op, "sci must be sci_mode::automatic, on or off, got ",
                      static_cast<int>(o.sci));
}

}  // namespace detail

/// Sets the options every later print uses (as torch.set_printoptions). Thread-safe.
/// Throws rd::value_error for an option outside its range, leaving the options as they were.
inline void set_print_options(const print_options& options) {
  detail::check_print_options("set_print_options", options);
  shared::print_state& s = shared::print_settings;
  std::lock_guard<std::mutex> lock(s.mutex);
  s.options = options;
}

/// The options printing uses now.
inline print_options get_print_options() {
  shared::print_state& s = shared::print_settings;
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.options;
}

/// Sets print options for a scope and restores the previous ones when it ends
/// (as `with torch.printoptions(...)`).
class print_options_guard {
 public:
  explicit print_options_guard(const print_options& options) : saved_(get_print_options()) {
    set_print_options(options);
  }
  ~print_options_guard() {
    shared::print_state& s = shared::print_settings;
    std::lock_guard<std::mutex> lock(s.mutex);
    s.options = saved_;
  }
  print_options_guard(const print_options_guard&) = delete;
  print_options_guard& operator=(const print_options_guard&) = delete;

 private:
  print_options saved_;
};

namespace detail {

inline std::string spaces(std::int64_t n) {
  return n > 0 ? std::string(static_cast<std::size_t>(n), ' ') : std::string();
}

/// printf's %.*e / %.*f of a finite value, with '.' as the decimal point whatever the C locale.
/// (Python's float formatting and glibc's printf are both exact, with ties to even, and both
/// write at least two exponent digits.)
inline std::string c_format(double v, bool sci, int precision) {
  char buf[64];
  int n = sci ? std::snprintf(buf, sizeof buf, "%.*e", precision, v)
              : std::snprintf(buf, sizeof buf, "%.*f", precision, v);
  if (n < 0) return std::string();
  std::string s;
  if (static_cast<std::size_t>(n) < sizeof buf) {
    s.assign(buf, static_cast<std::size_t>(n));
  } else {  // long: a huge value in fixed notation or a large precision
    s.resize(static_cast<std::size_t>(n) + 1);
    n = sci ? std::snprintf(&s[0], s.size(), "%.*e", precision, v)
            : std::snprintf(&s[0], s.size(), "%.*f", precision, v);
    s.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  }
  // %e and %f write [-]digits[<point>digits][e<sign>digits]; whatever is not a digit, sign or
  // 'e' is the C locale's decimal point (possibly several bytes), which Python writes as '.'.
  auto numeric = [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e'; };
  std::size_t i = 0;
  while (i < s.size() && numeric(s[i])) ++i;
  if (i < s.size() && s[i] != '.') {
    std::size_t j = i;
    while (j < s.size() && !numeric(s[j])) ++j;
    s.replace(i, j - i, ".");
  }
  return s;
}

/// Python's spelling of a non-finite float: "nan" (whatever its sign), "inf", "-inf".
inline std::string nonfinite_string(double v) {
  if (std::isnan(v)) return "nan";
  return v < 0 ? "-inf" : "inf";
}

/// An element as the double PyTorch's formatter sees (16-bit types go through float).
template <class T>
double print_double(T v) {
  if constexpr (std::is_same<T, half>::value || std::is_same<T, bfloat16>::value) {
    return static_cast<double>(static_cast<float>(v));
  } else {
    return static_cast<double>(v);
  }
}

/// str() of an integral or bool element, as Python prints it.
template <class T>
std::string integral_string(T v) {
  if constexpr (std::is_same<T, bool>::value) {
    return v ? "True" : "False";
  } else if constexpr (std::is_signed<T>::value) {
    return std::to_string(static_cast<long long>(v));
  } else {
    return std::to_string(static_cast<unsigned long long>(v));
  }
}

/// PyTorch's _Formatter for floating tensors.
struct float_formatter {
  int precision = 4;
  bool int_mode = true;
  bool sci = false;
  std::int64_t width = 1;

  std::string format(double v) const {
    std::string s;
    if (!std::isfinite(v)) {
      s = nonfinite_string(v);
    } else if (sci) {
      s = c_format(v, true, precision);
    } else if (int_mode) {
      s = c_format(v, false, 0);
      s += '.';
    } else {
      s = c_format(v, false, precision);
    }
    const auto len = static_cast<std::int64_t>(s.size());
    return len < width ? spaces(width - len) + s : s;
  }
};

/// One pass over the (summarised) values that a float_formatter is built from. The printed
/// length of a value in fixed notation grows with its magnitude, and in scientific notation
/// depends only on the sign and the exponent's digit count, so the widest value of either kind
/// is among the smallest and largest magnitudes of each sign: those four are all it keeps.
struct float_scan {
  bool int_mode = true;
  bool any_pos = false;
  bool any_neg = false;
  double pos_lo = 0, pos_hi = 0;  // magnitudes of the positive values
  double neg_lo = 0, neg_hi = 0;  // magnitudes of the negative values

  void add(double v) noexcept {
    if (!std::isfinite(v) || v == 0.0) return;
    if (int_mode && v != std::ceil(v)) int_mode = false;
    const double a = std::fabs(v);
    if (v > 0) {
      if (!any_pos || a < pos_lo) pos_lo = a;
      if (!any_pos || a > pos_hi) pos_hi = a;
      any_pos = true;
    } else {
      if (!any_neg || a < neg_lo) neg_lo = a;
      if (!any_neg || a > neg_hi) neg_hi = a;
      any_neg = true;
    }
  }

  float_formatter finish(int precision, sci_mode mode) const {
    float_formatter f;
    f.precision = precision;
    if (!any_pos && !any_neg) return f;  // no nonzero finite value: PyTorch ignores sci_mode here
    f.int_mode = int_mode;
    double lo = 0, hi = 0;
    if (any_pos && any_neg) {
      lo = pos_lo < neg_lo ? pos_lo : neg_lo;
      hi = pos_hi > neg_hi ? pos_hi : neg_hi;
    } else if (any_pos) {
      lo = pos_lo;
      hi = pos_hi;
    } else {
      lo = neg_lo;
      hi = neg_hi;
    }
    const bool wide = hi / lo > 1000.0 || hi > 1.0e8;
    f.sci = int_mode ? wide : (wide || lo < 1.0e-4);
    double candidates[4];
    int count = 0;
    if (any_pos) {
      candidates[count++] = pos_lo;
      candidates[count++] = pos_hi;
    }
    if (any_neg) {
      candidates[count++] = -neg_lo;
      candidates[count++] = -neg_hi;
    }
    for (int i = 0; i < count; ++i) {
      std::int64_t len = 0;
      if (f.sci) {
        len = static_cast<std::int64_t>(c_format(candidates[i], true, precision).size());
      } else if (int_mode) {
        len = static_cast<std::int64_t>(c_format(candidates[i], false, 0).size()) + 1;
      } else {
        len = static_cast<std::int64_t>(c_format(candidates[i], false, precision).size());
      }
      if (len > f.width) f.width = len;
    }
    if (mode == sci_mode::on) f.sci = true;
    if (mode == sci_mode::off) f.sci = false;
    return f;
  }
};

/// PyTorch's _Formatter for integral and bool tensors: right-aligned str() of each value.
template <class T>
struct integral_formatter {
  std::int64_t width = 1;
  std::string format(T v) const {
    std::string s = integral_string(v);
    const auto len = static_cast<std::int64_t>(s.size());
    return len < width ? spaces(width - len) + s : s;
  }
};

template <class T>
struct integral_scan {
  bool any = false;
  T lo{};
  T hi{};
  void add(T v) noexcept {
    if (!any || v < lo) lo = v;
    if (!any || hi < v) hi = v;
    any = true;
  }
  integral_formatter<T> finish() const {
    integral_formatter<T> f;
    if (!any) return f;
    const auto a = static_cast<std::int64_t>(integral_string(lo).size());
    const auto b = static_cast<std::int64_t>(integral_string(hi).size());
    f.width = a > b ? a : b;
    if (f.width < 1) f.width = 1;
    return f;
  }
};

/// Writes the bracketed body of a non-empty tensor (everything between "tensor(" and the suffixes).
template <class T>
class tensor_printer {
  static constexpr bool floating = is_floating_element<T>::value;
  using formatter_type = std::conditional_t<floating, float_formatter, integral_formatter<T>>;

 public:
  tensor_printer(const T* data, std::vector<std::int64_t> shape, std::vector<std::int64_t> strides,
                 const print_options& options)
      : data_(data),
        shape_(std::move(shape)),
        strides_(std::move(strides)),
        options_(options),
        edge_(options.edgeitems) {
    summarize_ = numel_of(shape_) > options.threshold;
  }

  void write(std::string& out, std::int64_t indent) {
    if (summarize_ && edge_ == 0 && !shape_.empty()) {  // PyTorch shows no element at all
      out += "[...]";
      return;
    }
    if constexpr (floating) {
      float_scan scan;
      visit(data_, 0, [&scan](T v) { scan.add(print_double(v)); });
      formatter_ = scan.finish(options_.precision, options_.sci);
    } else {
      integral_scan<T> scan;
      visit(data_, 0, [&scan](T v) { scan.add(v); });
      formatter_ = scan.finish();
    }
    write_level(out, data_, 0, indent);
  }

 private:
  std::string format(T v) const {
    if constexpr (floating) {
      return formatter_.format(print_double(v));
    } else {
      return formatter_.format(v);
    }
  }

  /// True when dimension k is cut to its edge items (PyTorch: summarize and size > 2 * edgeitems).
  bool cut(std::size_t k) const { return summarize_ && shape_[k] - edge_ > edge_; }

  /// Calls f on every element the formatter is built from (get_summarized_data when summarising).
  template <class F>
  void visit(const T* p, std::size_t k, F&& f) const {
    if (k == shape_.size()) {
      f(*p);
      return;
    }
    const std::int64_t n = shape_[k];
    const std::int64_t st = strides_[k];
    if (cut(k)) {
      for (std::int64_t i = 0; i < edge_; ++i) visit(p + i * st, k + 1, f);
      for (std::int64_t i = n - edge_; i < n; ++i) visit(p + i * st, k + 1, f);
    } else {
      for (std::int64_t i = 0; i < n; ++i) visit(p + i * st, k + 1, f);
    }
  }

  void write_level(std::string& out, const T* p, std::size_t k, std::int64_t indent) const {
    const std::size_t rest = shape_.size() - k;
    if (rest == 0) {
      out += format(*p);
      return;
    }
    if (rest == 1) {
      write_vector(out, p, k, indent);
      return;
    }
    const std::int64_t n = shape_[k];
    const std::int64_t st = strides_[k];
    const std::string sep = "," + std::string(rest - 1, '\n') + spaces(indent + 1);
    bool first = true;
    auto item = [&](std::int64_t i) {
      if (!first) out += sep;
      first = false;
      write_level(out, p + i * st, k + 1, indent + 1);
    };
    out += '[';
    if (cut(k)) {
      for (std::int64_t i = 0; i < edge_; ++i) item(i);
      if (!first) out += sep;
      first = false;
      out += "...";
      for (std::int64_t i = n - edge_; i < n; ++i) item(i);
    } else {
      for (std::int64_t i = 0; i < n; ++i) item(i);
    }
    out += ']';
  }

  void write_vector(std::string& out, const T* p, std::size_t k, std::int64_t indent) const {
    const std::int64_t n = shape_[k];
    const std::int64_t st = strides_[k];
    const std::int64_t element_length = formatter_.width + 2;
    const std::int64_t room = options_.linewidth - indent;
    const std::int64_t per_line = room >= element_length ? room / element_length : 1;
    const std::string newline = ",\n" + spaces(indent + 1);
    std::int64_t count = 0;
    auto push = [&](const std::string& s) {
      if (count > 0) out += (count % per_line == 0) ? newline : std::string(", ");
      out += s;
      ++count;
    };
    out += '[';
    if (cut(k)) {
      for (std::int64_t i = 0; i < edge_; ++i) push(format(p[i * st]));
      push(" ...");
      for (std::int64_t i = n - edge_; i < n; ++i) push(format(p[i * st]));
    } else {
      for (std::int64_t i = 0; i < n; ++i) push(format(p[i * st]));
    }
    out += ']';
  }

  const T* data_;
  std::vector<std::int64_t> shape_;
  std::vector<std::int64_t> strides_;
  print_options options_;
  std::int64_t edge_;
  bool summarize_ = false;
  formatter_type formatter_{};
};

/// Python's repr of a shape tuple: "()", "(0,)", "(2, 0)".
inline std::string tuple_string(const std::vector<std::int64_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ',';
  s += ')';
  return s;
}

/// Appends ", suffix" for each suffix, starting a new line when the current one would pass
/// the line width (PyTorch's _add_suffixes, including its count of the last line's length).
inline void add_suffixes(std::string& s, const std::vector<std::string>& suffixes,
                         std::int64_t indent, std::int64_t linewidth) {
  const std::size_t nl = s.rfind('\n');
  std::int64_t last = static_cast<std::int64_t>(s.size()) -
                      (nl == std::string::npos ? -1 : static_cast<std::int64_t>(nl)) + 1;
  for (const std::string& suffix : suffixes) {
    const auto len = static_cast<std::int64_t>(suffix.size());
    if (last + len + 2 > linewidth) {
      s += ",\n";
      s += spaces(indent);
      s += suffix;
      last = indent + len;
    } else {
      s += ", ";
      s += suffix;
      last += len + 2;
    }
  }
  s += ')';
}

/// The whole repr of a host tensor given by its first element, shape and strides. `suffixes`
/// holds those that come before the size and dtype (the device).
template <class T>
std::string render_tensor(const T* data, std::vector<std::int64_t> shape,
                          std::vector<std::int64_t> strides, const print_options& options,
                          std::vector<std::string> suffixes) {
  check_print_options("to_string", options);
  static const char prefix[] = "tensor(";
  const auto indent = static_cast<std::int64_t>(sizeof prefix - 1);
  std::string s = prefix;
  if (numel_of(shape) == 0) {
    if (shape.size() != 1) suffixes.push_back("size=" + tuple_string(shape));
    if (!std::is_same<T, float>::value) suffixes.push_back(std::string("dtype=") + dtype_name<T>());
    s += "[]";
  } else {
    if (options.edgeitems == 0) suffixes.push_back("size=" + tuple_string(shape));
    if (!(std::is_same<T, float>::value || std::is_same<T, std::int64_t>::value ||
          std::is_same<T, bool>::value))
      suffixes.push_back(std::string("dtype=") + dtype_name<T>());
    tensor_printer<T> printer(data, std::move(shape), std::move(strides), options);
    printer.write(s, indent);
  }
  add_suffixes(s, suffixes, indent, options.linewidth);
  return s;
}

}  // namespace detail

/// The tensor as PyTorch's repr() prints it, under the given options.
template <class T, class D>
std::string to_string(const tensor<T, D>& x, const print_options& options) {
  static_assert(is_element_type<T>::value, "radicand::to_string: unsupported element type");
  // On another device, a host copy (cpu() waits for the current stream), printed with the
  // engine's suffix (device='cuda:0').
  const tensor<T> host = x.cpu();
  return detail::render_tensor<T>(host.data(), host.shape(), host.strides(), options,
                                  detail::device_engine<D>::print_suffixes(x.device()));
}

/// The tensor as PyTorch's repr() prints it, under the global options.
template <class T, class D>
std::string to_string(const tensor<T, D>& x) {
  return to_string(x, get_print_options());
}

template <class T, class D>
std::ostream& operator<<(std::ostream& os, const tensor<T, D>& x) {
  return os << to_string(x);
}

RADICAND_NAMESPACE_END

#endif  // RADICAND_PRINT_HPP
