// Many threads running operations at once on shared inputs, each into its own outputs: the
// results must be bit for bit those of a serial run. Inputs are large enough that each
// operation also splits its work between OpenMP threads when OpenMP is on. This file also
// builds alone under ThreadSanitizer (the tsan preset), where any data race fails the run.
// With the failing allocator (failing_allocator.hpp), every allocation of a threaded operation
// fails in turn.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include "failing_allocator.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <new>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

namespace rd = radicand;

namespace {

/// The bytes of a tensor's elements in row-major order (any layout).
template <class T>
std::vector<unsigned char> bytes(const rd::tensor<T>& t) {
  const rd::tensor<T> c = t.contiguous();
  std::vector<unsigned char> b(static_cast<std::size_t>(c.numel()) * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), c.data(), b.size());
  return b;
}

/// Shared read-only inputs: every element type family, contiguous and strided.
struct inputs {
  rd::tensor<float> f = rd::rand<float>({257, 301}, 1) * 100.f;  // 77357 elements
  rd::tensor<double> d = rd::randn<double>({300, 257}, 2);       // negative too: NaN
  rd::tensor<rd::half> h = rd::rand<rd::half>({70000}, 3);
  rd::tensor<rd::bfloat16> b = rd::rand<rd::bfloat16>({280, 250}, 4);
  rd::tensor<std::int32_t> i = rd::arange<std::int32_t>(-1000, 69000);
  rd::tensor<float> row = rd::rand<float>({301}, 5);
};

/// The work of one thread: a list of results, each as bytes, computed from the shared inputs.
std::vector<std::vector<unsigned char>> work(const inputs& in) {
  std::vector<std::vector<unsigned char>> r;
  r.push_back(bytes(rd::rsqrt(in.f)));
  r.push_back(bytes(in.d.sqrt()));
  r.push_back(bytes(rd::rsqrt(in.h)));
  r.push_back(bytes(rd::sqrt(in.b.t())));  // strided input, transposed result
  r.push_back(bytes(rd::rsqrt(in.i)));     // integral input computes in float
  rd::tensor<double> out = rd::empty<double>({301, 257});
  rd::rsqrt(in.f.t(), out);  // float computed, rounded to double, into an out
  r.push_back(bytes(out));
  rd::tensor<float> mine = in.f.clone();
  mine.sqrt_();  // in place on this thread's copy
  r.push_back(bytes(mine));
  r.push_back(bytes(in.f.slice(1, 0, 301, 3).rsqrt()));
  r.push_back(bytes(in.f * in.row + 1.f));  // broadcasting
  r.push_back(bytes(in.h / in.h));
  rd::tensor<float> acc = in.f.clone();
  acc -= in.row;
  r.push_back(bytes(acc));
  std::vector<float> raw(static_cast<std::size_t>(in.f.numel()));
  rd::kernels::rsqrt(in.f.data(), raw.data(), raw.size());
  r.emplace_back(reinterpret_cast<const unsigned char*>(raw.data()),
                 reinterpret_cast<const unsigned char*>(raw.data() + raw.size()));
  const std::string s = rd::to_string(in.b);  // printing reads the shared options
  r.emplace_back(s.begin(), s.end());
  return r;
}

}  // namespace

TEST_CASE("concurrency: threads on shared inputs give the serial results", "[concurrency]") {
  const inputs in;
  const auto serial = work(in);
  REQUIRE(serial.size() == 13);

  constexpr int threads = 8, rounds = 2;
  std::vector<std::vector<std::vector<unsigned char>>> got(threads * rounds);
  std::vector<std::thread> pool;
  std::atomic<int> go{0};
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      go.fetch_add(1);
      while (go.load() < threads) std::this_thread::yield();  // start together
      for (int k = 0; k < rounds; ++k) got[static_cast<std::size_t>(t * rounds + k)] = work(in);
    });
  }
  for (auto& th : pool) th.join();
  for (std::size_t k = 0; k < got.size(); ++k) {
    REQUIRE(got[k].size() == serial.size());
    for (std::size_t j = 0; j < serial.size(); ++j) {
      INFO("run " << k << ", result " << j);
      CHECK(got[k][j] == serial[j]);
    }
  }
}

TEST_CASE("concurrency: views and copies of one tensor handed between threads", "[concurrency]") {
  // Copies share storage through an atomic reference count; every thread takes views of the
  // same base and drops them, and the storage must live until the last one goes.
  const rd::tensor<float> base = rd::rand<float>({64, 64}, 9);
  const auto expected = bytes(rd::rsqrt(base.select(0, 5)));
  std::vector<std::thread> pool;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    pool.emplace_back([&, t] {
      int good = 0;
      for (int k = 0; k < 50; ++k) {
        rd::tensor<float> copy = base;  // shares the storage
        const rd::tensor<float> v = copy.t().t()[5];
        good += bytes(v.rsqrt()) == expected ? 1 : 0;
      }
      ok[static_cast<std::size_t>(t)] = good;
    });
  }
  for (auto& th : pool) th.join();
  for (int g : ok) CHECK(g == 50);
}

TEST_CASE("concurrency: the thread setting changed while operations run", "[concurrency]") {
  // set_num_threads is one atomic setting: changing it while other threads compute changes how
  // each later operation splits its work, never its results.
  const inputs in;
  const auto expected = bytes(rd::rsqrt(in.f));
  const int before = rd::get_num_threads();
  std::atomic<bool> stop{false};
  std::thread changer([&] {
    for (int k = 0; !stop.load(); ++k) rd::set_num_threads(1 + k % 3);
  });
  std::vector<std::thread> pool;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    pool.emplace_back([&, t] {
      int good = 0;
      for (int k = 0; k < 4; ++k) good += bytes(rd::rsqrt(in.f)) == expected ? 1 : 0;
      ok[static_cast<std::size_t>(t)] = good;
    });
  }
  for (auto& th : pool) th.join();
  stop.store(true);
  changer.join();
  rd::set_num_threads(before);
  for (int g : ok) CHECK(g == 4);
}

namespace {

/// Fails each allocation of op in turn (the 1st, the 2nd, ... until op makes no more). Each
/// failure must reach the caller as the allocation's own exception (rd::memory_error for tensor
/// storage, std::bad_alloc for the rest), never std::terminate, and leave `written` (contiguous)
/// as it was; or, where the library has a fallback (std::stable_sort without its buffer), give
/// the right result. Returns how many allocations op makes.
template <class T, class Op>
std::int64_t fail_each_allocation(const rd::tensor<T>& written, Op&& op) {
  REQUIRE(written.is_contiguous());
  const auto before = bytes(written);
  op();
  const auto expected = bytes(written);
  const auto restore = [&] {
    if (!before.empty()) std::memcpy(written.data(), before.data(), before.size());
  };
  restore();
  for (std::int64_t n = 1; n < 10000; ++n) {
    const injected r = fail_allocation(n, op);
    if (!r.reached) {  // op made fewer than n allocations: it ran as usual
      CHECK_FALSE(r.threw);
      CHECK(bytes(written) == expected);
      return n - 1;
    }
    INFO("allocation " << n << " failed; the operation threw "
                       << (!r.threw            ? "nothing"
                           : r.type != nullptr ? r.type->name()
                                               : "?")
                       << " " << r.what);
    if (r.threw) {
      const bool own_type = r.type != nullptr && (*r.type == typeid(rd::memory_error) ||
                                                  *r.type == typeid(std::bad_alloc));
      CHECK(own_type);
      if (r.type != nullptr && *r.type == typeid(rd::memory_error))
        CHECK(r.what.find(" bytes") != std::string::npos);
      REQUIRE(bytes(written) == before);  // nothing written
    } else {
      REQUIRE(bytes(written) == expected);
      restore();
    }
  }
  FAIL("the operation never stopped allocating");
  return 0;
}

}  // namespace

TEST_CASE(
    "concurrency: an allocation failure at any point of a threaded strided op reaches the "
    "caller as itself and writes nothing",
    "[concurrency][alloc]") {
  // Large enough for 4 threads (4 x 16384 elements each) where OpenMP is on; without it the same
  // failures happen on one thread, and must be as harmless.
  const int before = rd::get_num_threads();
  rd::set_num_threads(4);
  const rd::tensor<float> x = rd::rand<float>({512, 301}, 11) * 100.f;
  const rd::tensor<float> row = rd::rand<float>({301}, 12);

  // Unary into an out of another type, from a transposed input: the engine's buffered path.
  rd::tensor<double> out = rd::full<double>({301, 512}, -7.0);
  const auto unary_points = fail_each_allocation(out, [&] { rd::rsqrt(x.t(), out); });
  CHECK(unary_points > 0);
  rd::tensor<double> expected_out = rd::empty<double>({301, 512});
  rd::rsqrt(x.t(), expected_out);
  CHECK(bytes(out) == bytes(expected_out));

  // In place on a strided view, with a broadcast operand.
  rd::tensor<float> acc = x.clone();
  rd::tensor<float> every_other = acc.slice(1, 0, 301, 2);
  const rd::tensor<float> half_row = row.slice(0, 0, 301, 2);
  const auto compound_points = fail_each_allocation(acc, [&] { every_other -= half_row; });
  CHECK(compound_points > 0);
  rd::tensor<float> expected_acc = x.clone();
  expected_acc.slice(1, 0, 301, 2) -= half_row;
  CHECK(bytes(acc) == bytes(expected_acc));

  // A new result of a strided, broadcasting binary operation; and of a strided unary one.
  const rd::tensor<float> source = x.clone();
  const auto binary_points = fail_each_allocation(source, [&] {
    (void)(x.t() * row.reshape({301, 1}));
  });
  CHECK(binary_points > 0);
  const auto new_points =
      fail_each_allocation(source, [&] { (void)rd::sqrt(x.slice(1, 0, 301, 3)); });
  CHECK(new_points > 0);
  CHECK(bytes(x) == bytes(source));
  rd::set_num_threads(before);
}

TEST_CASE(
    "concurrency: an exception thrown on any thread of a parallel loop reaches the caller "
    "as itself",
    "[concurrency]") {
  // Not a std::exception: it must come back as the very type thrown, from whichever piece threw
  // first; the other pieces still run to their end.
  struct piece_error {
    std::int64_t begin;
  };
  const int before = rd::get_num_threads();
  rd::set_num_threads(4);
  const std::int64_t n = 4 * rd::detail::parallel_grain;
  std::atomic<std::int64_t> covered{0};
  std::int64_t caught_begin = -1;
  try {
    rd::detail::parallel_for(n, rd::detail::parallel_grain, 64,
                             [&](std::int64_t begin, std::int64_t end) {
                               covered.fetch_add(end - begin);
                               if (end == n) throw piece_error{begin};  // the last piece
                             });
  } catch (const piece_error& e) {
    caught_begin = e.begin;
  }
  CHECK(caught_begin >= 0);
  CHECK(caught_begin < n);
  CHECK(covered.load() == n);
  // Every piece throwing: one of them comes back.
  std::int64_t caught = -1;
  try {
    rd::detail::parallel_for(n, rd::detail::parallel_grain, 64,
                             [&](std::int64_t begin, std::int64_t) { throw piece_error{begin}; });
  } catch (const piece_error& e) {
    caught = e.begin;
  }
  CHECK(caught >= 0);
  CHECK(caught % 64 == 0);
  rd::set_num_threads(before);
}
