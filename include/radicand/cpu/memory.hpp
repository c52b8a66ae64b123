// radicand: host memory for tensors. Blocks are 64-byte aligned (a cache line, and every SIMD
// packet), and large ones are kept after use in a small cache, so a new result of the same size
// as one just freed (the common case in a loop: y = rd::rsqrt(x)) costs no page faults: fresh
// pages cost the kernel more than the rsqrt itself (measured: 2^26 floats, rsqrt into fresh
// memory 6.5x the time of a copy into memory already touched, 1.1x into reused memory).
#ifndef RADICAND_CPU_MEMORY_HPP
#define RADICAND_CPU_MEMORY_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>

#include "../config.hpp"
#include "../error.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

// The most bytes the cache keeps (0 turns it off), and the least a block must have to be kept.
#ifndef RADICAND_HOST_CACHE_BYTES
#define RADICAND_HOST_CACHE_BYTES (std::size_t{1} << 30)
#endif
#ifndef RADICAND_HOST_CACHE_MIN_BYTES
#define RADICAND_HOST_CACHE_MIN_BYTES (std::size_t{1} << 20)
#endif

RADICAND_NAMESPACE_BEGIN
namespace detail {

constexpr std::size_t host_alignment = 64;
/// Large blocks are aligned to a huge page, and marked for huge pages where the OS has them,
/// so first touching them costs one fault per 2 MiB rather than per 4 KiB.
constexpr std::size_t host_huge_page = std::size_t{2} << 20;

inline std::size_t host_block_alignment(std::size_t bytes) noexcept {
  return bytes >= RADICAND_HOST_CACHE_MIN_BYTES ? host_huge_page : host_alignment;
}

/// A block and its size, which may exceed the size asked for (a reused block).
struct host_block {
  void* p;
  std::size_t bytes;
};

/// Freed large blocks by size, up to RADICAND_HOST_CACHE_BYTES in all. One for each ABI namespace
/// (config.hpp), shared by every thread and every unit built with the same flags; never
/// destroyed, since tensors in static storage may be freed after it would be.
class host_block_cache {
 public:
  static host_block_cache& instance() {
    static host_block_cache* const cache = new host_block_cache;
    return *cache;
  }

  /// A cached block of at least `bytes` and at most 1/8 more, or {nullptr, 0}.
  host_block take(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = blocks_.lower_bound(bytes);
    if (it == blocks_.end() || it->first - bytes > bytes / 8) return {nullptr, 0};
    const host_block b{it->second, it->first};
    total_ -= it->first;
    blocks_.erase(it);
    return b;
  }

  /// Keeps the block if there is room: true when kept. Evicts nothing: the oldest blocks are as
  /// likely to be asked for again as the newest.
  bool give(void* p, std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (total_ + bytes > RADICAND_HOST_CACHE_BYTES) return false;
    blocks_.emplace(bytes, p);
    total_ += bytes;
    return true;
  }

  /// The bytes of the blocks kept now.
  std::size_t bytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return total_;
  }

 private:
  host_block_cache() = default;
  std::mutex mutex_;
  std::multimap<std::size_t, void*> blocks_;
  std::size_t total_ = 0;
};

/// At least `bytes` of uninitialised host memory, 64-byte aligned; throws rd::memory_error
/// naming `op` and the bytes. The block's own size comes back with it: host_free needs it.
inline host_block host_allocate(const char* op, std::size_t bytes) {
  const std::size_t align = host_block_alignment(bytes);
  if (align == host_huge_page) {
    const host_block cached = host_block_cache::instance().take(bytes);
    if (cached.p != nullptr) return cached;
  }
  // The nothrow form: a sanitizer's throwing operator new reports a failed huge allocation as a
  // crash, its nothrow form returns null (allocator_may_return_null).
  void* p = ::operator new (bytes, std::align_val_t{align}, std::nothrow);
  if (p == nullptr) fail<memory_error>(op, "cannot allocate ", bytes, " bytes of host memory");
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (align == host_huge_page) (void)::madvise(p, bytes, MADV_HUGEPAGE);  // a hint; may fail
#endif
  return {p, bytes};
}

/// Frees a block host_allocate returned, given its own size (or keeps it for reuse).
inline void host_free(void* p, std::size_t bytes) noexcept {
  const std::size_t align = host_block_alignment(bytes);
  if (align == host_huge_page) {
    try {
      if (host_block_cache::instance().give(p, bytes)) return;
    } catch (...) {  // no room for the cache's node: free the block instead
    }
  }
  ::operator delete (p, std::align_val_t{align});
}

/// Allocates n elements of T on the host, uninitialised.
template <class T>
std::shared_ptr<T> allocate_host(const char* op, std::int64_t n) {
  static_assert(std::is_trivially_copyable<T>::value && std::is_trivially_destructible<T>::value,
                "radicand: tensor elements live in raw memory");
  // Past PTRDIFF_MAX bytes no allocation can succeed, and pointer differences would overflow:
  // refuse before asking the allocator (which under AddressSanitizer may abort, not throw).
  if (n < 0 || static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(PTRDIFF_MAX) / sizeof(T))
    fail<shape_error>(op, "cannot allocate ", n, " elements of ", sizeof(T), " bytes");
  const std::size_t bytes = static_cast<std::size_t>(n == 0 ? 1 : n) * sizeof(T);
  const host_block block = host_allocate(op, bytes);
  // The block's own size travels to host_free: a reused block may be larger than asked for.
  // (Should the control block fail to allocate, shared_ptr calls the deleter, then rethrows.)
  return std::shared_ptr<T>(static_cast<T*>(block.p),
                            [size = block.bytes](T* p) { host_free(p, size); });
}

}  // namespace detail
RADICAND_NAMESPACE_END

#endif  // RADICAND_CPU_MEMORY_HPP
