// Many threads running operations at once on shared inputs, each into its own outputs: the
// results must be bit for bit those of a serial run. Inputs are large enough that each
// operation also splits its work between OpenMP threads when OpenMP is on. This file also
// builds alone under ThreadSanitizer (the tsan preset), where any data race fails the run.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
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
