// Every misuse of the API that compiles: each refusal must throw the exact radicand error type
// (or std::bad_alloc for an allocation the machine cannot satisfy), name the operation and the
// values involved, and leave every input and output bit for bit unchanged. The tensors here view
// buffers owned by the test (from_blob), so a snapshot covers all of their memory, also the
// parts outside the view. Cases the other suites already pin are not repeated; their messages
// and the writes around them are.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <new>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

namespace rd = radicand;

namespace {

using dims = std::vector<std::int64_t>;
constexpr std::int64_t i64max = std::numeric_limits<std::int64_t>::max();

/// A buffer the test owns, filled with distinct values, and a copy of its bytes taken on demand.
template <class T>
struct buffer {
  std::vector<T> data;
  std::vector<unsigned char> saved;
  explicit buffer(std::size_t n, double first = 1.0) : data(n) {
    for (std::size_t i = 0; i < n; ++i)
      data[i] = rd::detail::convert<T>(first + static_cast<double>(i));
    save();
  }
  void save() {
    saved.resize(data.size() * sizeof(T));
    if (!saved.empty()) std::memcpy(saved.data(), data.data(), saved.size());
  }
  bool unchanged() const {
    return saved.empty() || std::memcmp(saved.data(), data.data(), saved.size()) == 0;
  }
  rd::tensor<T> view(const dims& shape) { return rd::from_blob(data.data(), shape); }
  rd::tensor<T> view(const dims& shape, const dims& strides, std::size_t offset = 0) {
    return rd::from_blob(data.data() + offset, shape, strides);
  }
};

/// Runs f, which must throw exactly E (not a subclass, not a base) whose message starts with
/// "radicand::<op>: " and contains every part; returns the message.
template <class E, class F>
std::string refused(F&& f, const std::string& op, std::initializer_list<std::string> parts) {
  std::string what = "<threw nothing>";
  bool exact = false;
  try {
    f();
  } catch (const std::exception& e) {
    what = e.what();
    exact = typeid(e) == typeid(E);
  }
  INFO("message: " << what);
  CHECK(exact);
  CHECK(what.rfind("radicand::" + op + ": ", 0) == 0);
  for (const auto& p : parts) {
    INFO("expected part: " << p);
    CHECK(what.find(p) != std::string::npos);
  }
  return what;
}

/// Runs f, which must throw std::bad_alloc (or a subclass) or exactly rd::shape_error naming op:
/// an allocation past what the machine has, which must not crash.
template <class F>
void refused_allocation(F&& f, const std::string& op) {
  bool ok = false;
  std::string what = "<threw nothing>";
  try {
    f();
  } catch (const std::bad_alloc& e) {
    ok = true;
    what = e.what();
  } catch (const rd::shape_error& e) {
    what = e.what();
    ok = what.rfind("radicand::" + op + ": ", 0) == 0;
  } catch (const std::exception& e) {
    what = e.what();
  }
  INFO("message: " << what);
  CHECK(ok);
}

}  // namespace

TEST_CASE("hostile: out shapes that differ from the result", "[hostile][out]") {
  buffer<float> in(6, 1.0);
  buffer<float> out(8, 100.0);
  buffer<double> outd(8, 100.0);
  buffer<rd::half> outh(8, 100.0);
  const rd::tensor<float> x = in.view({2, 3});
  // Transposed shape, same count; a broadcastable row; a 0-d out for a 1-element input; more
  // dimensions of size 1; an out of another floating type; the rvalue form.
  refused<rd::shape_error>(
      [&] {
        rd::rsqrt(x, out.view({3, 2}));
      },
      "rsqrt", {"out has shape [3, 2] but the result has shape [2, 3]"});
  refused<rd::shape_error>([&] { rd::sqrt(x, out.view({1, 3})); }, "sqrt", {"[1, 3]", "[2, 3]"});
  refused<rd::shape_error>(
      [&] {
        rd::sqrt(x, out.view({1, 2, 3}));
      },
      "sqrt", {"[1, 2, 3]", "[2, 3]"});
  refused<rd::shape_error>([&] { rd::rsqrt(in.view({1}), out.view({})); }, "rsqrt",
                           {"out has shape [] but the result has shape [1]"});
  refused<rd::shape_error>([&] { rd::rsqrt(in.view({}), out.view({1})); }, "rsqrt",
                           {"out has shape [1] but the result has shape []"});
  refused<rd::shape_error>([&] { rd::rsqrt(x, outd.view({6})); }, "rsqrt", {"[6]", "[2, 3]"});
  refused<rd::shape_error>([&] { rd::sqrt(x, outh.view({2, 4})); }, "sqrt", {"[2, 4]", "[2, 3]"});
  // An integral input still checks its out.
  buffer<std::int32_t> ints(6, 1.0);
  refused<rd::shape_error>(
      [&] {
        rd::sqrt(ints.view({6}), out.view({2, 3}));
      },
      "sqrt", {"[2, 3]", "[6]"});
  // A zero-element out with strides that are not the result's is resized, not refused, and
  // leaves the memory it viewed alone.
  rd::tensor<float> empty_out = out.view({0, 4}, {1, 1});
  rd::rsqrt(x, empty_out);
  CHECK(empty_out.shape() == dims({2, 3}));
  CHECK(empty_out.data() != out.data.data());
  CHECK(empty_out.at({1, 2}) == static_cast<float>(1.0L / std::sqrt(6.0L)));
  CHECK(in.unchanged());
  CHECK(out.unchanged());
  CHECK(outd.unchanged());
  CHECK(outh.unchanged());
  CHECK(ints.unchanged());
}

TEST_CASE("hostile: outs that partially overlap the input", "[hostile][out][overlap]") {
  buffer<float> b(16, 1.0);
  // Shifted by one element.
  refused<rd::overlap_error>(
      [&] { rd::rsqrt(b.view({8}), b.view({8}, {1}, 1)); }, "rsqrt",
      {"out (shape [8], strides [1]) partially overlaps an input (shape [8], strides [1])"});
  // The same memory permuted: same data pointer, other strides.
  refused<rd::overlap_error>(
      [&] {
        rd::sqrt(b.view({4, 4}), b.view({4, 4}).t());
      },
      "sqrt", {"strides [1, 4]", "strides [4, 1]"});
  refused<rd::overlap_error>(
      [&] {
        rd::sqrt(b.view({2, 2, 4}), b.view({2, 2, 4}).permute({1, 0, 2}));
      },
      "sqrt", {"partially overlaps"});
  // One element in common at the end.
  refused<rd::overlap_error>([&] { rd::rsqrt(b.view({4}), b.view({4}, {1}, 3)); }, "rsqrt",
                             {"partially overlaps"});
  // The same pointer and strides but another element size: every element of out straddles two
  // of the input.
  buffer<double> d(8, 1.0);
  rd::tensor<float> as_float = rd::from_blob(reinterpret_cast<float*>(d.data.data()), {4});
  refused<rd::overlap_error>([&] { rd::sqrt(as_float, d.view({4})); }, "sqrt",
                             {"partially overlaps"});
  // The rvalue forms and the method of the base are refused the same way.
  refused<rd::overlap_error>([&] { (void)rd::rsqrt(b.view({8}), b.view({8}, {1}, 2)); }, "rsqrt",
                             {"[8]"});
  // Compound assignment with an operand that overlaps the tensor partially.
  refused<rd::overlap_error>(
      [&] {
        rd::tensor<float> lhs = b.view({8}, {1}, 1);
        lhs += b.view({8});
      },
      "add", {"the tensor (shape [8], strides [1]) partially overlaps"});
  refused<rd::overlap_error>(
      [&] {
        rd::tensor<float> lhs = b.view({4, 4});
        lhs *= b.view({4, 4}).t();
      },
      "mul", {"partially overlaps"});
  CHECK(b.unchanged());
  CHECK(d.unchanged());
}

TEST_CASE("hostile: outs and in-place tensors whose own elements overlap", "[hostile][overlap]") {
  buffer<float> b(6000, 1.0);
  buffer<float> in(9, 4.0);
  // Expanded (stride 0), from expand() and from from_blob.
  refused<rd::overlap_error>(
      [&] {
        rd::rsqrt(in.view({3, 3}), b.view({3}).expand({3, 3}));
      },
      "rsqrt", {"out (shape [3, 3], strides [0, 1]) has elements that share memory"});
  refused<rd::overlap_error>(
      [&] {
        rd::sqrt(in.view({3, 3}), b.view({3, 3}, {0, 1}));
      },
      "sqrt", {"strides [0, 1]", "share memory"});
  // Hand-made strides that collide only after the first row: [4, 3] with strides [2, 3]
  // reaches offset 6 twice (i=3, j=0 and i=0, j=2), while [4, 2] does not.
  buffer<float> in12(12, 4.0);
  refused<rd::overlap_error>(
      [&] {
        rd::rsqrt(in12.view({4, 3}), b.view({4, 3}, {2, 3}));
      },
      "rsqrt", {"strides [2, 3]", "share memory"});
  // Many more elements than the memory they span ([1000, 1000, 1000] over 5995 floats): the
  // check must decide without enumerating 10^9 offsets.
  const rd::tensor<float> four = rd::scalar(4.f).expand({1000, 1000, 1000});
  refused<rd::overlap_error>(
      [&] {
        rd::rsqrt(four, b.view({1000, 1000, 1000}, {1, 2, 3}));
      },
      "rsqrt", {"[1000, 1000, 1000]", "strides [1, 2, 3]"});
  // In place: the four forms, the compound operators.
  refused<rd::overlap_error>(
      [&] {
        rd::rsqrt_(b.view({3}).expand({2, 3}));
      },
      "rsqrt_", {"the tensor (shape [2, 3], strides [0, 1]) has elements that share memory"});
  refused<rd::overlap_error>(
      [&] {
        b.view({1000, 1000, 1000}, {1, 2, 3}).sqrt_();
      },
      "sqrt_", {"strides [1, 2, 3]"});
  refused<rd::overlap_error>(
      [&] {
        rd::tensor<float> e = b.view({4, 3}, {2, 3});
        e.rsqrt_();
      },
      "rsqrt_", {"[4, 3]"});
  refused<rd::overlap_error>(
      [&] {
        rd::tensor<float> e = b.view({1}).expand({5});
        e -= 1.f;
      },
      "sub", {"shape [5], strides [0]"});
  refused<rd::overlap_error>(
      [&] {
        rd::tensor<float> e = b.view({2}).expand({3, 2});
        e /= in.view({3, 2});
      },
      "div", {"shape [3, 2], strides [0, 1]"});
  CHECK(b.unchanged());
  CHECK(in.unchanged());
  CHECK(in12.unchanged());

  // Hand-made strides that never collide are written, each element once: [4, 2] with
  // strides [2, 3] reaches 0 2 4 6 3 5 7 9.
  buffer<float> target(10, 100.0);
  rd::rsqrt(in12.view({4, 2}), target.view({4, 2}, {2, 3}));
  const std::vector<int> reached = {0, 3, 2, 5, 4, 7, 6, 9};
  for (std::size_t k = 0; k < reached.size(); ++k)
    CHECK(target.data[static_cast<std::size_t>(reached[k])] ==
          static_cast<float>(1.0L / std::sqrt(static_cast<long double>(4 + k))));
  CHECK(target.data[1] == 101.f);
  CHECK(target.data[8] == 108.f);
}

TEST_CASE("hostile: copy_ refuses a partially overlapping source and writes nothing",
          "[hostile][assign][overlap]") {
  buffer<float> b(16, 1.0);
  // Shifted by one element: as an out would be refused.
  refused<rd::overlap_error>(
      [&] { b.view({8}, {1}, 1).copy_(b.view({8})); }, "copy_",
      {"the tensor (shape [8], strides [1]) partially overlaps an input (shape [8], strides [1])"});
  // The same assignment written as a view assignment, and with a broadcast source that lies
  // inside the destination.
  refused<rd::overlap_error>([&] { b.view({16}).slice(0, 1, 9) = b.view({16}).slice(0, 0, 8); },
                             "copy_", {"partially overlaps"});
  refused<rd::overlap_error>(
      [&] {
        b.view({4, 4}).copy_(b.view({4}, {1}, 4));
      },
      "copy_", {"the tensor (shape [4, 4], strides [4, 1])", "(shape [4]"});
  // The same memory permuted, and another element size over the same bytes.
  refused<rd::overlap_error>(
      [&] {
        b.view({4, 4}) = b.view({4, 4}).t();
      },
      "copy_", {"strides [4, 1]", "strides [1, 4]"});
  buffer<double> d(8, 1.0);
  refused<rd::overlap_error>(
      [&] { d.view({4}).copy_(rd::from_blob(reinterpret_cast<float*>(d.data.data()), {4})); },
      "copy_", {"partially overlaps"});
  // A destination whose own elements overlap (expanded), for copy_, fill_, zero_ and both
  // assignments.
  const rd::tensor<float> src = {5.f, 6.f, 7.f};
  refused<rd::overlap_error>(
      [&] {
        b.view({3}).expand({2, 3}).copy_(src);
      },
      "copy_", {"the tensor (shape [2, 3], strides [0, 1]) has elements that share memory"});
  refused<rd::overlap_error>([&] { b.view({3}).expand({2, 3}) = src; }, "copy_", {"share memory"});
  refused<rd::overlap_error>([&] { b.view({1}).expand({4}).fill_(2.f); }, "fill_",
                             {"shape [4], strides [0]"});
  refused<rd::overlap_error>([&] { b.view({4}, {0}).fill_(rd::scalar(2.0)); }, "fill_",
                             {"share memory"});
  refused<rd::overlap_error>(
      [&] {
        b.view({2}).expand({3, 2}).t()[1] = 2;
      },
      "fill_", {"share memory"});
  refused<rd::overlap_error>([&] { b.view({4, 3}, {2, 3}).zero_(); }, "zero_", {"strides [2, 3]"});
  // Shapes that do not broadcast to the destination's.
  refused<rd::shape_error>(
      [&] {
        b.view({2, 3}).copy_(rd::tensor<float>{1.f, 2.f});
      },
      "copy_", {"[2, 3]", "[2]"});
  refused<rd::shape_error>(
      [&] {
        b.view({3}) = rd::zeros<double>({2, 3});
      },
      "copy_", {"the source of shape [2, 3] does not broadcast to the tensor's shape [3]"});
  refused<rd::shape_error>([&] { b.view({}) = rd::tensor<float>{1.f}; }, "copy_",
                           {"[1]", "shape []"});
  refused<rd::shape_error>([&] { b.view({3}).copy_(rd::tensor<float>()); }, "copy_",
                           {"[3]", "[0]"});
  refused<rd::shape_error>([&] { b.view({3}).fill_(src); }, "fill_",
                           {"the value must be a 0-d tensor, but it has shape [3]"});
  // Values the element type cannot hold.
  buffer<std::int8_t> n(4, 1.0);
  refused<rd::value_error>([&] { n.view({4}).fill_(200); }, "fill_",
                           {"value 200 cannot be converted to int8 without overflow"});
  refused<rd::value_error>([&] { n.view({2, 2})[0] = -1e10; }, "fill_", {"-1e+10", "int8"});
  CHECK(b.unchanged());
  CHECK(d.unchanged());
  CHECK(n.unchanged());
  // Allowed: the same view, and views of one storage that share no element.
  b.view({16}).copy_(b.view({16}));
  b.view({2, 8})[0] = b.view({2, 8})[1];
  for (std::size_t i = 0; i < 8; ++i) CHECK(b.data[i] == static_cast<float>(9 + i));
}

TEST_CASE("hostile: a moved-from tensor is the empty tensor for every operation",
          "[hostile][empty][handle]") {
  rd::tensor<float> a = {4.f, 9.f};
  {
    const rd::tensor<float> b = std::move(a);  // NOLINT: a is used after the move on purpose
    a.rsqrt_();
    a.sqrt_();
    rd::sqrt_(a);
    CHECK(b.at({0}) == 4.f);
    CHECK(b.at({1}) == 9.f);
  }
  // b's storage is gone: nothing below may reach it (AddressSanitizer would say so).
  CHECK(a.shape() == dims({0}));
  CHECK(a.strides() == dims({1}));
  CHECK(a.data() == nullptr);
  CHECK(a.numel() == 0);
  CHECK(rd::to_string(a) == "tensor([])");
  CHECK(rd::rsqrt(a).shape() == dims({0}));
  CHECK(a.sqrt().shape() == dims({0}));
  rd::tensor<double> out;
  rd::rsqrt(a, out);
  CHECK(out.shape() == dims({0}));
  rd::tensor<float> full_out = rd::full<float>({2}, 3.f);
  refused<rd::shape_error>([&] { rd::sqrt(a, full_out); }, "sqrt", {"[2]", "[0]"});
  a += 1.f;
  a *= a;
  CHECK((a + a).shape() == dims({0}));
  CHECK((a - rd::scalar(1.0)).shape() == dims({0}));
  CHECK((2 * a).shape() == dims({0}));
  CHECK((-a).shape() == dims({0}));
  refused<rd::shape_error>([&] { (void)(a + full_out); }, "add", {"[0]", "[2]"});
  refused<rd::index_error>([&] { (void)a.at({0}); }, "at", {"index 0", "of size 0"});
  refused<rd::shape_error>([&] { (void)a.item(); }, "item", {"0 elements"});
  refused<rd::index_error>([&] { (void)a[0]; }, "select", {"index 0", "size 0"});
  CHECK(a.slice(0, 0, 5).shape() == dims({0}));
  CHECK(a.transpose(0, 0).shape() == dims({0}));
  CHECK(a.t().shape() == dims({0}));
  CHECK(a.permute({0}).shape() == dims({0}));
  CHECK(a.expand({3, 0}).shape() == dims({3, 0}));
  CHECK(a.reshape({0, 4}).shape() == dims({0, 4}));
  CHECK(a.view({2, 0}).shape() == dims({2, 0}));
  CHECK(a.contiguous().numel() == 0);
  CHECK(a.clone().shape() == dims({0}));
  CHECK(a.to<double>().shape() == dims({0}));
  a.copy_(rd::scalar(1.f));
  a.fill_(2).zero_();
  a = rd::tensor<float>();
  CHECK(a.numel() == 0);
  // A moved-from tensor is a fresh handle: rebinding it works as for any other.
  a = rd::tensor<float>{1.f};
  CHECK(a.item() == 1.f);
}

TEST_CASE("hostile: slices with invalid steps or dimensions and huge steps", "[hostile][view]") {
  buffer<float> b(12, 1.0);
  const rd::tensor<float> x = b.view({3, 4});
  refused<rd::index_error>([&] { (void)x.slice(0, 0, 3, 0); }, "slice",
                           {"step must be positive, got 0"});
  refused<rd::index_error>([&] { (void)x.slice(1, 0, 4, -2); }, "slice", {"got -2"});
  refused<rd::index_error>(
      [&] { (void)x.slice(1, 0, 4, std::numeric_limits<std::int64_t>::min()); }, "slice",
      {"got -9223372036854775808"});
  refused<rd::index_error>([&] { (void)x.slice(2, 0, 1); }, "slice", {"dimension 2", "[-2, 1]"});
  refused<rd::index_error>([&] { (void)x.slice(-3, 0, 1); }, "slice", {"dimension -3"});
  refused<rd::index_error>([&] { (void)x.slice(i64max, 0, 1); }, "slice",
                           {"dimension 9223372036854775807"});
  // A step past the int64 range of end - start + step: one element (as Python's x[0::huge]),
  // never an overflow; so the widest bounds.
  const rd::tensor<float> one = x.slice(1, 1, 4, i64max);
  CHECK(one.shape() == dims({3, 1}));
  CHECK(one.at({2, 0}) == 10.f);
  const rd::tensor<float> all =
      x.slice(1, std::numeric_limits<std::int64_t>::min(), i64max, i64max);
  CHECK(all.shape() == dims({3, 1}));
  CHECK(all.at({1, 0}) == 5.f);
  CHECK(x.slice(0, i64max, i64max).shape() == dims({0, 4}));
  CHECK(x.slice(0, -i64max, -i64max).shape() == dims({0, 4}));
  CHECK(x.slice(0, 2, 1).shape() == dims({0, 4}));  // end before start: empty, as Python
  // A huge stride on a size-1 dimension (allowed: it reaches nothing) and an empty slice past
  // it, or a second slice of a huge-step slice: no offset or stride overflows.
  const rd::tensor<float> tall = b.view({1, 2}, {i64max, 1});
  CHECK(tall.slice(0, 1, 2).shape() == dims({0, 2}));
  CHECK(tall.slice(0, 0, 1, i64max).slice(0, 1, 5).numel() == 0);
  CHECK(rd::rsqrt(tall.slice(0, 0, 1, 3)).at({0, 1}) == static_cast<float>(1.0L / std::sqrt(2.0L)));
  CHECK(x.slice(1, 0, 4, i64max).slice(1, 1, 2, i64max).numel() == 0);
  // And the huge-step view computes like any other.
  const rd::tensor<float> r = rd::sqrt(x.slice(0, 0, 3, i64max - 1));
  CHECK(r.shape() == dims({1, 4}));
  CHECK(r.at({0, 3}) == 2.f);
  CHECK(b.unchanged());
}

TEST_CASE("hostile: indices out of range in select at and the index operator", "[hostile][view]") {
  buffer<float> b(24, 1.0);
  const rd::tensor<float> x = b.view({2, 3, 4});
  refused<rd::index_error>([&] { (void)x.select(1, 3); }, "select",
                           {"index 3 is out of range for dimension 1 of size 3"});
  refused<rd::index_error>([&] { (void)x.select(-1, -5); }, "select",
                           {"index -5", "dimension 2 of size 4"});
  refused<rd::index_error>([&] { (void)x.select(0, std::numeric_limits<std::int64_t>::min()); },
                           "select", {"index -9223372036854775808"});
  refused<rd::index_error>([&] { (void)x.select(3, 0); }, "select",
                           {"dimension 3", "3 dimensions"});
  refused<rd::index_error>([&] { (void)x[2]; }, "select", {"index 2", "dimension 0 of size 2"});
  refused<rd::index_error>([&] { (void)x[0][3]; }, "select", {"index 3", "of size 3"});
  refused<rd::index_error>([&] { (void)x[1][2][4]; }, "select", {"index 4", "of size 4"});
  refused<rd::index_error>([&] { (void)x[1][2][3][0]; }, "select", {"0-d"});
  refused<rd::index_error>(
      [&] {
        (void)x.at({1, 3, 0});
      },
      "at", {"index 3", "dimension 1 of size 3", "[2, 3, 4]"});
  refused<rd::index_error>(
      [&] {
        (void)x.at({i64max, 0, 0});
      },
      "at", {"index 9223372036854775807"});
  refused<rd::index_error>([&] { (void)x.at({0, 0}); }, "at", {"got 2 indices", "3 dimensions"});
  refused<rd::index_error>([&] { (void)b.view({}).at({0}); }, "at",
                           {"got 1 indices", "0 dimensions"});
  refused<rd::index_error>([&] { (void)x.transpose(0, 3); }, "transpose", {"dimension 3"});
  refused<rd::index_error>([&] { (void)x.size(-4); }, "size", {"dimension -4"});
  CHECK(x.at({-1, -1, -1}) == 24.f);
  CHECK(b.unchanged());
}

TEST_CASE("hostile: item on anything but one element", "[hostile][inspect]") {
  buffer<double> b(6, 1.0);
  refused<rd::shape_error>(
      [&] {
        (void)b.view({2, 3}).item();
      },
      "item", {"a tensor with 6 elements (shape [2, 3]) cannot be converted to a scalar"});
  refused<rd::shape_error>([&] { (void)b.view({0, 3}).item(); }, "item", {"0 elements", "[0, 3]"});
  refused<rd::shape_error>([&] { (void)rd::tensor<double>().item(); }, "item",
                           {"0 elements", "[0]"});
  refused<rd::shape_error>([&] { (void)rd::scalar(2.0).expand({2}).item(); }, "item",
                           {"2 elements"});
  // One element in any number of dimensions, or a huge-step slice, is fine.
  CHECK(b.view({1, 1, 1}, {0, 7, 100}, 4).item() == 5.0);
  CHECK(b.view({6}).slice(0, 5, i64max, i64max).item() == 6.0);
  CHECK(b.unchanged());
}

TEST_CASE("hostile: negative and overflowing sizes", "[hostile][shape]") {
  refused<rd::shape_error>([] { (void)rd::empty<float>({-1}); }, "empty",
                           {"negative size in shape [-1]"});
  refused<rd::shape_error>([] { (void)rd::zeros<float>({2, -3}); }, "full", {"[2, -3]"});
  refused<rd::shape_error>(
      [] {
        (void)rd::empty<float>({std::int64_t{1} << 32, std::int64_t{1} << 32});
      },
      "empty", {"[4294967296, 4294967296] has more than 2^63-1 elements"});
  refused<rd::shape_error>(
      [] {
        (void)rd::ones<double>({i64max, 2});
      },
      "full", {"9223372036854775807, 2"});
  // Past PTRDIFF_MAX bytes nothing is asked of the allocator.
  refused<rd::shape_error>([] { (void)rd::empty<float>({std::int64_t{1} << 62}); }, "empty",
                           {"cannot allocate 4611686018427387904 elements of 4 bytes"});
  refused<rd::shape_error>([] { (void)rd::empty<double>({i64max}); }, "empty",
                           {"9223372036854775807 elements"});
  // Reshape and expand to sizes that overflow or are negative.
  buffer<float> b(6, 1.0);
  const rd::tensor<float> x = b.view({2, 3});
  refused<rd::shape_error>(
      [&] {
        (void)x.reshape({std::int64_t{1} << 62, 4});
      },
      "reshape", {"too many elements"});
  refused<rd::shape_error>(
      [&] {
        (void)x.reshape({-1, std::int64_t{1} << 62, 4});
      },
      "reshape", {"too many elements"});
  refused<rd::shape_error>([&] { (void)x.reshape({-2, -3}); }, "reshape", {"invalid size -2"});
  refused<rd::shape_error>([&] { (void)x.view({i64max, i64max}); }, "view", {"too many elements"});
  refused<rd::shape_error>(
      [&] {
        (void)rd::scalar(1.f).expand({std::int64_t{1} << 62, 4});
      },
      "expand", {"more than 2^63-1 elements"});
  refused<rd::shape_error>(
      [&] {
        (void)x.expand({-5, 2, 3});
      },
      "expand", {"size -5 is not allowed in a new leading dimension"});
  // Broadcast shapes whose product overflows.
  const rd::tensor<float> col = rd::scalar(1.f).expand({std::int64_t{1} << 40, 1});
  const rd::tensor<float> row = rd::scalar(1.f).expand({1, std::int64_t{1} << 40});
  refused<rd::shape_error>([&] { (void)(col + row); }, "add",
                           {"shape [1099511627776, 1099511627776] has more than 2^63-1 elements"});
  refused<rd::shape_error>([&] { (void)(col / row); }, "div", {"more than 2^63-1"});
  // A zero-size dimension makes any other size valid: nothing is allocated or reached.
  const rd::tensor<float> none = rd::zeros<float>({0}).reshape({i64max, 0});
  CHECK(none.shape() == dims({i64max, 0}));
  const rd::tensor<float> r = rd::rsqrt(none);
  CHECK(r.shape() == dims({i64max, 0}));
  CHECK(rd::to_string(r) == "tensor([], size=(9223372036854775807, 0))");
  CHECK((none * 2.f).shape() == dims({i64max, 0}));
  CHECK(b.unchanged());
}

TEST_CASE("hostile: allocations larger than the machine never crash", "[hostile][alloc]") {
  // 2^45 floats (128 TiB) and more: each result is refused by a size check or std::bad_alloc
  // (under AddressSanitizer that needs allocator_may_return_null=1, which the sanitizer test
  // preset sets), and the input is left as it was.
  buffer<float> b(4, 2.0);
  const std::int64_t huge = std::int64_t{1} << 45;
  const rd::tensor<float> e = b.view({1}).expand({huge});
  refused_allocation([&] { (void)rd::rsqrt(e); }, "rsqrt");
  refused_allocation([&] { (void)e.sqrt(); }, "sqrt");
  refused_allocation([&] { (void)(e + e); }, "add");
  refused_allocation([&] { (void)e.clone(); }, "to");
  refused_allocation([&] { (void)e.to<double>(); }, "to");
  refused_allocation([&] { (void)e.contiguous(); }, "to");
  refused_allocation([&] { (void)rd::empty<float>({huge}); }, "empty");
  refused_allocation([&] { (void)rd::zeros<rd::half>({huge, 4}); }, "full");
  // An empty out is resized to the huge shape: refused, and out keeps its old handle.
  rd::tensor<float> out;
  refused_allocation([&] { rd::rsqrt(e, out); }, "rsqrt");
  CHECK(out.shape() == dims({0}));
  // A reshape that needs a copy of an expanded tensor ([2, huge] with strides [1, 0]).
  const rd::tensor<float> pairs = b.view({2}).expand({huge, 2}).t();
  CHECK(pairs.strides() == dims({1, 0}));
  refused_allocation([&] { (void)pairs.reshape({-1}); }, "to");
  CHECK(b.unchanged());
}

TEST_CASE("hostile: from_blob strides", "[hostile][from_blob]") {
  buffer<float> b(32, 1.0);
  // Negative strides are refused (PyTorch's as_strided refuses them too); so are strides whose
  // farthest element lies past the addressable memory, and a mismatched count.
  refused<rd::index_error>(
      [&] {
        (void)b.view({2, 3}, {3, -1});
      },
      "from_blob", {"negative strides are not supported: [3, -1]"});
  refused<rd::index_error>(
      [&] { (void)b.view({4}, {i64max / 2}); }, "from_blob",
      {"strides [4611686018427387903] for shape [4] reach past the addressable memory"});
  refused<rd::index_error>(
      [&] {
        (void)b.view({2, 2}, {i64max, 1});
      },
      "from_blob", {"[9223372036854775807, 1]"});
  refused<rd::index_error>(
      [&] {
        (void)b.view({3, 3}, {std::int64_t{1} << 61, std::int64_t{1} << 61});
      },
      "from_blob", {"reach past"});
  refused<rd::shape_error>(
      [&] {
        (void)b.view({2, 3}, {1, 1, 1});
      },
      "from_blob", {"[2, 3]", "[1, 1, 1]", "differ"});
  refused<rd::shape_error>([&] { (void)b.view({-2, 3}, {1, 1}); }, "from_blob", {"negative size"});
  refused<rd::error>([&] { (void)rd::from_blob(static_cast<float*>(nullptr), {2}); }, "from_blob",
                     {"null data pointer for shape [2]"});
  // Any stride on a dimension of size 1 or 0 reaches nothing, so it is allowed.
  CHECK(b.view({1, 2}, {i64max, 1}).at({0, 1}) == 2.f);
  CHECK(b.view({0, 2}, {i64max, i64max}).numel() == 0);
  // Strides wider than the shape (gaps) are the caller's to choose: the view reads b[0 + 10 i + 3
  // j].
  const rd::tensor<float> gaps = b.view({3, 2}, {10, 3});
  const rd::tensor<float> r = rd::sqrt(gaps);
  for (std::int64_t i = 0; i < 3; ++i)
    for (std::int64_t j = 0; j < 2; ++j)
      CHECK(r.at({i, j}) == std::sqrt(static_cast<float>(1 + 10 * i + 3 * j)));
  CHECK(r.is_contiguous());  // not dense: the result is contiguous
  CHECK(b.unchanged());
}

TEST_CASE("hostile: reshape view and permute misuse", "[hostile][view]") {
  buffer<float> b(24, 1.0);
  const rd::tensor<float> x = b.view({2, 3, 4});
  refused<rd::shape_error>(
      [&] {
        (void)x.reshape({5, 5});
      },
      "reshape", {"shape [5, 5] is invalid for input of size 24"});
  refused<rd::shape_error>([&] { (void)x.reshape({-1, 5}); }, "reshape", {"[-1, 5]", "size 24"});
  refused<rd::shape_error>(
      [&] {
        (void)x.reshape({-1, -1});
      },
      "reshape", {"only one dimension can be inferred"});
  refused<rd::shape_error>([&] { (void)x.reshape({0, -1}); }, "reshape", {"[0, -1]"});
  refused<rd::shape_error>([&] { (void)x.view({-1, 7}); }, "view", {"[-1, 7]", "size 24"});
  refused<rd::shape_error>(
      [&] {
        (void)x.permute({0, 2, 1}).view({24});
      },
      "view", {"shape [24] is not compatible with the strides [12, 1, 4] of shape [2, 4, 3]"});
  refused<rd::index_error>(
      [&] {
        (void)x.permute({0, 0, 1});
      },
      "permute", {"dimension 0 repeats in [0, 0, 1]"});
  refused<rd::index_error>(
      [&] {
        (void)x.permute({2, 1, -1});
      },
      "permute", {"dimension 2 repeats in [2, 1, -1]"});
  refused<rd::index_error>([&] { (void)x.permute({0, 1, 3}); }, "permute", {"dimension 3"});
  refused<rd::shape_error>(
      [&] {
        (void)x.permute({0, 1});
      },
      "permute", {"got 2 dimensions [0, 1]", "3 dimensions"});
  refused<rd::shape_error>([&] { (void)x.t(); }, "t", {"<= 2 dimensions", "[2, 3, 4]"});
  refused<rd::shape_error>(
      [&] {
        (void)x.expand({2, 3, 5});
      },
      "expand", {"the expanded size 5 must match the existing size 4 at dimension 2"});
  refused<rd::shape_error>([&] { (void)x.expand({3, 4}); }, "expand", {"[3, 4]", "[2, 3, 4]"});
  CHECK(b.unchanged());
}

TEST_CASE("hostile: binary operands that do not broadcast or would resize the tensor",
          "[hostile][binary]") {
  buffer<float> a(12, 1.0);
  buffer<std::int32_t> c(12, 1.0);
  refused<rd::shape_error>(
      [&] {
        (void)(a.view({3, 4}) + a.view({3}));
      },
      "add", {"shapes [3, 4] and [3] cannot be broadcast together"});
  refused<rd::shape_error>(
      [&] {
        (void)(a.view({2, 3}) - c.view({3, 2}));
      },
      "sub", {"[2, 3] and [3, 2]"});
  refused<rd::shape_error>(
      [&] {
        (void)(c.view({4, 3}) * a.view({2, 1, 2}));
      },
      "mul", {"[4, 3] and [2, 1, 2]"});
  refused<rd::shape_error>([&] { (void)(c.view({0}) / c.view({2})); }, "div", {"[0] and [2]"});
  // In place, the tensor must already have the broadcast shape.
  refused<rd::shape_error>(
      [&] {
        rd::tensor<float> lhs = a.view({3});
        lhs += a.view({4, 3}, {3, 1}, 3);
      },
      "add", {"the tensor has shape [3] but the broadcast shape of the operands is [4, 3]"});
  refused<rd::shape_error>(
      [&] {
        rd::tensor<std::int32_t> lhs = c.view({1, 4});
        lhs *= c.view({2, 1}, {1, 1}, 8);
      },
      "mul", {"[1, 4]", "[2, 4]"});
  CHECK(a.unchanged());
  CHECK(c.unchanged());
}

TEST_CASE("hostile: invalid settings", "[hostile][settings]") {
  const int threads = rd::get_num_threads();
  refused<rd::error>([] { rd::set_num_threads(0); }, "set_num_threads", {"at least 1, got 0"});
  refused<rd::error>([] { rd::set_num_threads(-7); }, "set_num_threads", {"got -7"});
  CHECK(rd::get_num_threads() == threads);
  const rd::print_options before = rd::get_print_options();
  rd::print_options bad;
  bad.precision = -1;
  refused<rd::error>([&] { rd::set_print_options(bad); }, "set_print_options",
                     {"precision must be >= 0, got -1"});
  bad.precision = 4;
  bad.edgeitems = -2;
  refused<rd::error>([&] { rd::print_options_guard g(bad); }, "set_print_options",
                     {"edgeitems must be >= 0, got -2"});
  CHECK(rd::get_print_options().precision == before.precision);
  CHECK(rd::get_print_options().edgeitems == before.edgeitems);
  refused<rd::error>([] { (void)rd::arange<std::int32_t>(0, 5, 0); }, "arange", {"step=0"});
  refused<rd::error>([] { (void)rd::arange(0.0, 1.0, std::nan("")); }, "arange", {"invalid range"});
}

TEST_CASE("hostile: printing huge views summarises without visiting every element",
          "[hostile][print]") {
  // 2^62 elements (one float, expanded): printing must only look at the edges.
  buffer<float> b(1, 3.0);
  const rd::tensor<float> e = b.view({1}).expand({std::int64_t{1} << 31, std::int64_t{1} << 31});
  const std::string s = rd::to_string(e);
  CHECK(s.rfind("tensor([[3., 3., 3.,  ..., 3., 3., 3.],\n", 0) == 0);
  CHECK(s.find("        ...,\n") != std::string::npos);
  CHECK(b.unchanged());
}

TEST_CASE("hostile: the default tensor has no storage and every form accepts it",
          "[hostile][empty]") {
  rd::tensor<float> d;
  CHECK(d.data() == nullptr);
  CHECK(rd::to_string(d) == "tensor([])");
  CHECK(rd::rsqrt(d).shape() == dims({0}));
  CHECK(d.reshape({0, 3}).shape() == dims({0, 3}));
  refused<rd::index_error>([&] { (void)d.at({0}); }, "at", {"index 0", "of size 0"});
  refused<rd::shape_error>([&] { (void)d.item(); }, "item", {"0 elements"});
  rd::tensor<float> out;
  rd::sqrt(d, out);
  CHECK(out.shape() == dims({0}));
  d.rsqrt_();
  d += 1.f;
  CHECK((d + d).shape() == dims({0}));
  // A 0-d input resizes an empty out to 0-d.
  rd::tensor<double> o;
  rd::rsqrt(rd::scalar(4.0), o);
  CHECK(o.dim() == 0);
  CHECK(o.item() == 0.5);
}
