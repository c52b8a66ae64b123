// Host memory (cpu/memory.hpp): alignment of every new tensor, and the reuse of large blocks
// that lets a loop of y = rd::rsqrt(x) run without fresh pages. Each test case uses sizes of its
// own, so the cases also pass when run in one process.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cstdint>
#include <thread>
#include <vector>

namespace rd = radicand;

namespace {
std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }
}  // namespace

TEST_CASE("memory: new tensors are 64-byte aligned at every size", "[memory]") {
  for (std::int64_t n : {0, 1, 3, 17, 1000, 100000, 1 << 20, (1 << 20) + 5}) {
    const rd::tensor<float> f = rd::empty<float>({n});
    const rd::tensor<rd::half> h = rd::empty<rd::half>({n});
    const rd::tensor<double> d = rd::rsqrt(rd::ones<double>({n}));
    CHECK(address(f.data()) % 64 == 0);
    CHECK(address(h.data()) % 64 == 0);
    CHECK(address(d.data()) % 64 == 0);
  }
}

TEST_CASE("memory: a freed large block is reused by the next result of its size", "[memory]") {
  const rd::tensor<float> x = rd::full<float>({3 << 20}, 4.0f);
  const void* first = nullptr;
  {
    const rd::tensor<float> r = rd::rsqrt(x);
    first = r.data();
    CHECK(r.at({0}) == 0.5f);
  }
  const rd::tensor<float> again = rd::rsqrt(x);
  CHECK(again.data() == first);
  // Reused memory holds the new values, everywhere.
  for (std::int64_t i : {std::int64_t{0}, std::int64_t{12345}, std::int64_t{(3 << 20) - 1}})
    CHECK(again.at({i}) == 0.5f);
  // A live block is never handed out twice.
  const rd::tensor<float> other = rd::rsqrt(x);
  CHECK(other.data() != again.data());
}

TEST_CASE("memory: small blocks and blocks of other sizes are not taken from the cache",
          "[memory]") {
  const void* large = nullptr;
  { large = rd::empty<float>({5 << 20}).data(); }
  // Half the size: the cached 20 MiB block is too big for a 10 MiB request.
  const rd::tensor<float> half_size = rd::empty<float>({5 << 19});
  CHECK(half_size.data() != large);
  const rd::tensor<float> same_size = rd::empty<float>({5 << 20});
  CHECK(same_size.data() == large);
}

TEST_CASE("memory: threads allocating and freeing large tensors get correct results", "[memory]") {
  const rd::tensor<float> x = rd::full<float>({1 << 20}, 16.0f);
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&x, &wrong, t] {
      for (int k = 0; k < 20; ++k) {
        const rd::tensor<float> r = rd::rsqrt(x);
        const float* p = r.data();
        for (std::int64_t i = 0; i < r.numel(); i += 4099)
          if (p[i] != 0.25f) ++wrong[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == std::vector<int>(4, 0));
}

TEST_CASE("memory: a reused block goes back to the cache with its own size, not the size asked for",
          "[memory]") {
  // A block serves requests up to 1/8 smaller than itself; freed again, it must be counted and
  // kept at its own size, or the cache's byte count drifts and the block no longer serves a
  // request of its full size. Sizes of their own (36 MB and 33.6 MB), used by no other test.
  auto& cache = rd::detail::host_block_cache::instance();
  const std::int64_t full = 9000000, smaller = 8400000;
  const void* block = nullptr;
  std::size_t cached_without = 0;
  {
    const rd::tensor<float> a = rd::empty<float>({full});
    block = a.data();
    cached_without = cache.bytes();
  }
  const std::size_t block_bytes = cache.bytes() - cached_without;
  REQUIRE(block_bytes >= static_cast<std::size_t>(full) * sizeof(float));  // kept
  {
    const rd::tensor<float> b = rd::empty<float>({smaller});
    REQUIRE(b.data() == block);
    CHECK(cache.bytes() == cached_without);
  }
  CHECK(cache.bytes() == cached_without + block_bytes);
  const rd::tensor<float> c = rd::empty<float>({full});
  CHECK(c.data() == block);
  CHECK(cache.bytes() == cached_without);
}
