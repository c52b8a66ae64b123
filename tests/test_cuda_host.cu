// What the CUDA backend decides on the host, so it runs on every machine, GPU or not: device
// tensors' shapes, strides and views (the host's code), the out and overlap rules and the rules
// of copy_, fill_ and view assignment, which throw before any CUDA call is made, the device type
// and its printing name, the stream guard, and, where there is no usable GPU, that CUDA failures
// become rd::device_error naming the CUDA call. The device pointers here are never dereferenced.
#include <radicand/radicand.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cuda_check.hpp"

namespace rd = radicand;

namespace {

template <class T>
using dtensor = rd::tensor<T, rd::cuda_t>;

/// A device tensor over an address that is never touched.
template <class T>
dtensor<T> fake(const std::vector<std::int64_t>& shape, std::uintptr_t address = 0x100000) {
  return rd::from_blob(reinterpret_cast<T*>(address), shape, rd::cuda);
}

bool has_gpu() { return rd::cuda::device_count() > 0; }

}  // namespace

static_assert(RADICAND_HAS_CUDA == 1, "compiled as CUDA");
static_assert(std::is_same<decltype(rd::rsqrt(std::declval<const dtensor<std::int32_t>&>())),
                           dtensor<float>>::value,
              "integral device tensors give float device tensors");
static_assert(std::is_same<decltype(rd::sqrt(std::declval<const dtensor<rd::half>&>())),
                           dtensor<rd::half>>::value,
              "half stays half");

CUDA_TEST(device_type) {
  CHECK(rd::cuda == rd::cuda_t{0});
  CHECK(rd::cuda_t{1} != rd::cuda);
  CHECK(rd::device_string(rd::cuda) == "cuda:0");
  CHECK(rd::device_string(rd::cuda_t{3}) == "cuda:3");
  CHECK(fake<float>({2}).device() == rd::cuda);
  CHECK(rd::from_blob(reinterpret_cast<float*>(0x1000), {2}, rd::cuda_t{2}).device().index == 2);
  CHECK(fake<float>({2}).t().device() == rd::cuda);
}

CUDA_TEST(views_use_the_host_code) {
  const dtensor<float> x = fake<float>({2, 3, 4});
  CHECK(x.strides() == (std::vector<std::int64_t>{12, 4, 1}));
  CHECK(x.is_contiguous());
  CHECK(x.transpose(0, 2).strides() == (std::vector<std::int64_t>{1, 4, 12}));
  CHECK(!x.transpose(0, 2).is_contiguous());
  CHECK(x.slice(2, 1, 4, 2).shape() == (std::vector<std::int64_t>{2, 3, 2}));
  CHECK(x.slice(2, 1, 4, 2).storage_offset() == 1);
  CHECK(x.slice(2, 1, 4, 2).data() == x.data() + 1);
  CHECK(x[1].shape() == (std::vector<std::int64_t>{3, 4}));
  CHECK(x[1].data() == x.data() + 12);
  CHECK(x.permute({2, 0, 1}).strides() == (std::vector<std::int64_t>{1, 12, 4}));
  CHECK(x.reshape({6, 4}).strides() == (std::vector<std::int64_t>{4, 1}));
  CHECK(x.view({4, 6}).is_same_storage(x));
  CHECK(x.select(1, 0).expand({5, 2, 4}).strides() == (std::vector<std::int64_t>{0, 12, 1}));
  CHECK_THROWS_AS(x.view({-1}).transpose(0, 1), rd::index_error);
  CHECK_THROWS_AS(x.transpose(0, 1).view({24}), rd::shape_error);
  CHECK_THROWS_AS(x.select(3, 0), rd::index_error);
  CHECK_THROWS_AS(x.item(), rd::shape_error);  // before any copy
  CHECK_THROWS_AS(rd::from_blob(reinterpret_cast<float*>(0x1000), {2, 3}, {3}, rd::cuda),
                  rd::shape_error);
}

CUDA_TEST(out_rules_throw_before_any_cuda_call) {
  const dtensor<float> x = fake<float>({2, 3});
  dtensor<float> wrong = fake<float>({3, 2}, 0x200000);
  try {
    rd::rsqrt(x, wrong);
    CHECK(false);
  } catch (const rd::shape_error& e) {
    CHECK(std::string(e.what()) ==
          "radicand::rsqrt: out has shape [3, 2] but the result has shape [2, 3]");
  }
  dtensor<float> shifted = rd::from_blob(reinterpret_cast<float*>(0x100004), {2, 3}, rd::cuda);
  CHECK_THROWS_AS(rd::sqrt(x, shifted), rd::overlap_error);
  dtensor<float> interleaved = fake<float>({3, 2}).t();
  CHECK_THROWS_AS(rd::rsqrt(x, interleaved), rd::overlap_error);
  dtensor<float> expanded = fake<float>({1, 3}, 0x300000).expand({2, 3});
  CHECK_THROWS_AS(rd::rsqrt(x, expanded), rd::overlap_error);
  CHECK_THROWS_AS(rd::rsqrt_(expanded), rd::overlap_error);
  CHECK_THROWS_AS(expanded.sqrt_(), rd::overlap_error);
  dtensor<double> other_type_overlap =
      rd::from_blob(reinterpret_cast<double*>(0x100000), {2, 3}, rd::cuda);
  CHECK_THROWS_AS(rd::rsqrt(x, other_type_overlap), rd::overlap_error);
  dtensor<float> on_device_1 =
      rd::from_blob(reinterpret_cast<float*>(0x400000), {2, 3}, rd::cuda_t{1});
  CHECK_THROWS_AS(rd::rsqrt(x, on_device_1), rd::error);
}

CUDA_TEST(empty_out_on_another_device_is_refused_not_replaced) {
  // An empty out is resized to the result's shape, but only on the input's device: one on
  // cuda:1 is refused (as PyTorch does), never swapped for a new cuda:0 tensor.
  const dtensor<float> x = fake<float>({2, 3});
  for (int op = 0; op < 4; ++op) {
    dtensor<float> out = rd::from_blob(static_cast<float*>(nullptr), {0}, rd::cuda_t{1});
    try {
      if (op == 0) rd::rsqrt(x, out);
      if (op == 1) rd::sqrt(x, out);
      if (op == 2) (void)rd::rsqrt(x, dtensor<float>(out));
      if (op == 3)
        (void)rd::sqrt(rd::from_blob(static_cast<float*>(nullptr), {2, 0}, rd::cuda),
                       dtensor<float>(out));
      CHECK(false);
    } catch (const rd::device_error&) {
      CHECK(false);  // a CUDA call was made: the device was not checked first
    } catch (const rd::error& e) {
      const std::string name = op % 2 == 0 ? "rsqrt" : "sqrt";
      CHECK(std::string(e.what()) ==
            "radicand::" + name + ": the tensors are on different devices, cuda:0 and cuda:1");
    }
    CHECK(out.device() == rd::cuda_t{1});
    CHECK(out.shape() == std::vector<std::int64_t>{0});
    CHECK(out.data() == nullptr);
  }
  // The input on cuda:1, the empty out on cuda:0.
  const dtensor<double> x1 = rd::from_blob(reinterpret_cast<double*>(0x100000), {4}, rd::cuda_t{1});
  dtensor<double> out0 = rd::from_blob(static_cast<double*>(nullptr), {0}, rd::cuda);
  try {
    rd::rsqrt(x1, out0);
    CHECK(false);
  } catch (const rd::device_error&) {
    CHECK(false);
  } catch (const rd::error& e) {
    CHECK(std::string(e.what()) ==
          "radicand::rsqrt: the tensors are on different devices, cuda:1 and cuda:0");
  }
  CHECK(out0.device() == rd::cuda);
  CHECK(out0.data() == nullptr);
}

CUDA_TEST(arithmetic_and_at_rules_throw_before_any_cuda_call) {
  const dtensor<float> x = fake<float>({2, 3});
  try {
    (void)(x + fake<float>({2}, 0x200000));
    CHECK(false);
  } catch (const rd::shape_error& e) {
    CHECK(std::string(e.what()).find("radicand::add: ") == 0);
  }
  CHECK_THROWS_AS(x * fake<double>({3, 2}, 0x200000), rd::shape_error);
  dtensor<float> y = fake<float>({2, 3}, 0x200000);
  CHECK_THROWS_AS(y -= fake<float>({4, 2, 3}, 0x300000), rd::shape_error);
  dtensor<float> tail = fake<float>({6}).slice(0, 1, 6);
  CHECK_THROWS_AS(tail /= fake<float>({6}).slice(0, 0, 5), rd::overlap_error);
  dtensor<float> expanded = fake<float>({1, 3}, 0x300000).expand({2, 3});
  CHECK_THROWS_AS(expanded += 1.f, rd::overlap_error);
  dtensor<float> on_device_1 =
      rd::from_blob(reinterpret_cast<float*>(0x400000), {2, 3}, rd::cuda_t{1});
  CHECK_THROWS_AS(x + on_device_1, rd::error);
  CHECK_THROWS_AS(on_device_1 += x, rd::error);
  try {
    (void)x.at({2, 0});
    CHECK(false);
  } catch (const rd::index_error& e) {
    CHECK(std::string(e.what()) ==
          "radicand::at: index 2 is out of range for dimension 0 of size 2 (shape [2, 3])");
  }
  CHECK_THROWS_AS(x.at({0}), rd::index_error);
  CHECK_THROWS_AS(x.at({0, -4}), rd::index_error);
}

CUDA_TEST(write_rules_throw_before_any_cuda_call) {
  dtensor<float> x = fake<float>({2, 3});
  // A source that partially overlaps, a destination whose elements overlap, a shape that does
  // not broadcast, a value its type cannot hold, a value tensor that is not 0-d.
  CHECK_THROWS_AS(fake<float>({6}).slice(0, 1, 6).copy_(fake<float>({6}).slice(0, 0, 5)),
                  rd::overlap_error);
  CHECK_THROWS_AS(fake<float>({6}).slice(0, 1, 6) = fake<float>({6}).slice(0, 0, 5),
                  rd::overlap_error);
  CHECK_THROWS_AS(x.copy_(fake<double>({2, 3})), rd::overlap_error);  // the same bytes
  dtensor<float> expanded = fake<float>({1, 3}, 0x300000).expand({2, 3});
  CHECK_THROWS_AS(expanded.copy_(fake<float>({3}, 0x200000)), rd::overlap_error);
  CHECK_THROWS_AS(expanded.fill_(1.f), rd::overlap_error);
  CHECK_THROWS_AS(expanded.t()[0] = 1.f, rd::overlap_error);
  CHECK_THROWS_AS(expanded.zero_(), rd::overlap_error);
  CHECK_THROWS_AS(expanded.fill_(fake<float>({}, 0x200000)), rd::overlap_error);
  try {
    x.copy_(fake<float>({3, 2}, 0x200000));
    CHECK(false);
  } catch (const rd::shape_error& e) {
    CHECK(std::string(e.what()).find("radicand::copy_: ") == 0);
  }
  CHECK_THROWS_AS(x[0] = fake<float>({2}, 0x200000), rd::shape_error);
  CHECK_THROWS_AS(x.fill_(fake<float>({1}, 0x200000)), rd::shape_error);
  CHECK_THROWS_AS(fake<std::int8_t>({4}).fill_(200), rd::value_error);
  CHECK_THROWS_AS(fake<rd::half>({4})[1] = 1e5, rd::value_error);
  dtensor<float> on_device_1 =
      rd::from_blob(reinterpret_cast<float*>(0x400000), {2, 3}, rd::cuda_t{1});
  CHECK_THROWS_AS(x.copy_(on_device_1), rd::error);
  // Nothing to write: no launch.
  dtensor<float> empty = rd::from_blob(static_cast<float*>(nullptr), {2, 0}, rd::cuda);
  empty.copy_(fake<float>({0}));
  empty.fill_(1.f);
  empty.zero_();
}

// A moved-from device tensor is the empty tensor too (the handle's code is the host's).
CUDA_TEST(moved_from_device_tensor_is_empty) {
  dtensor<float> a = fake<float>({2, 3});
  const dtensor<float> b = std::move(a);  // NOLINT: a is used after the move on purpose
  CHECK(b.data() == reinterpret_cast<float*>(0x100000));
  CHECK(a.data() == nullptr);
  CHECK(a.shape() == (std::vector<std::int64_t>{0}));
  CHECK(a.strides() == (std::vector<std::int64_t>{1}));
  CHECK(a.numel() == 0);
  a.rsqrt_();  // nothing to compute: no launch
  a.fill_(1.f);
  a.copy_(b[0].slice(0, 0, 0));
}

CUDA_TEST(empty_tensors_need_no_device_work) {
  const dtensor<float> e = rd::from_blob(static_cast<float*>(nullptr), {2, 0, 3}, rd::cuda);
  dtensor<float> out = rd::from_blob(static_cast<float*>(nullptr), {2, 0, 3}, rd::cuda);
  rd::rsqrt(e, out);  // nothing to compute: no launch
  dtensor<float> e2 = e;
  e2.sqrt_();
  CHECK(out.shape() == e.shape());
  rd::cuda::rsqrt(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0);
}

CUDA_TEST(stream_guard_nests) {
  const cudaStream_t a = reinterpret_cast<cudaStream_t>(0x10);
  const cudaStream_t b = reinterpret_cast<cudaStream_t>(0x20);
  CHECK(rd::cuda::current_stream() == nullptr);
  {
    rd::cuda::stream_guard ga(a);
    CHECK(rd::cuda::current_stream() == a);
    {
      rd::cuda::stream_guard gb(b);
      CHECK(rd::cuda::current_stream() == b);
    }
    CHECK(rd::cuda::current_stream() == a);
  }
  CHECK(rd::cuda::current_stream() == nullptr);
}

CUDA_TEST(without_a_gpu_cuda_failures_are_device_errors) {
  if (has_gpu()) SKIP_CASE("a GPU is present: test_cuda.cu checks the device errors there");
  CHECK(rd::cuda::device_count() == 0);
  try {
    (void)rd::empty<float>({4}, rd::cuda);
    CHECK(false);
  } catch (const rd::device_error& e) {
    const std::string what = e.what();
    CHECK(what.find("radicand::empty: ") == 0);
    CHECK(what.find("cuda") != std::string::npos);
    CHECK(what.find(" failed: ") != std::string::npos);
  }
  CHECK_THROWS_AS(rd::tensor<float>({1.f, 4.f}).to(rd::cuda), rd::device_error);
  CHECK_THROWS_AS(rd::rsqrt(fake<float>({4})), rd::device_error);
  CHECK_THROWS_AS(fake<float>({4}).cpu(), rd::device_error);
  CHECK_THROWS_AS(rd::to_string(fake<float>({4})), rd::device_error);
  CHECK_THROWS_AS(rd::scalar(1.f, rd::cuda), rd::device_error);
  CHECK_THROWS_AS(rd::cuda::synchronize(), rd::device_error);
  CHECK_THROWS_AS(fake<float>({4}) + fake<float>({4}, 0x200000), rd::device_error);
  CHECK_THROWS_AS(fake<float>({4}) * 2.f, rd::device_error);
  CHECK_THROWS_AS(fake<float>({4}).at({1}), rd::device_error);
  try {
    rd::cuda::rsqrt(reinterpret_cast<const float*>(0x1000), reinterpret_cast<float*>(0x2000), 64);
    CHECK(false);
  } catch (const rd::device_error& e) {
    CHECK(std::string(e.what()).find("radicand::cuda::rsqrt: ") == 0);
  }
}

CUDA_TEST(an_error_left_by_the_callers_cuda_work_is_not_reported_as_radicands) {
  (void)cudaGetLastError();
  // The caller's own failed call (on any machine: no device has this index).
  const cudaError_t own = cudaSetDevice(1 << 20);
  REQUIRE(own != cudaSuccess);
  REQUIRE(cudaPeekAtLastError() == own);
  try {
    rd::detail::cuda_kernels::check_no_pending_error("rsqrt");
    CHECK(false);
  } catch (const rd::device_error& e) {
    const std::string what = e.what();
    CHECK(what.find("radicand::rsqrt: ") == 0);
    CHECK(what.find(cudaGetErrorName(own)) != std::string::npos);
    // Without a usable runtime the error is the runtime's state, and radicand's own call fails.
    CHECK((what.find("pending, not this operation's") != std::string::npos) == has_gpu());
    CHECK((what.find("cudaGetDevice failed") != std::string::npos) == !has_gpu());
  }
  if (!has_gpu()) return;
  CHECK(cudaGetLastError() == own);  // left for its owner
  CHECK(cudaPeekAtLastError() == cudaSuccess);
  rd::detail::cuda_kernels::check_no_pending_error("rsqrt");  // nothing pending: no throw
}

CUDA_TEST(the_legacy_stream_serves_every_device) {
  // No CUDA call is needed to accept the legacy default stream for any device.
  CHECK(rd::detail::stream_device("test", nullptr) == -1);
  CHECK(rd::detail::stream_device("test", cudaStreamLegacy) == -1);
  CHECK(rd::detail::stream_device("test", cudaStreamPerThread) == -1);
  CHECK(rd::detail::stream_for("test", rd::cuda_t{3}) == nullptr);
  CHECK(rd::detail::stream_on("test", rd::cuda_t{5}) == nullptr);
}

namespace {

template <std::size_t K>
using offsets = std::array<std::int64_t, K>;

/// Every element's offsets in the K operands, in the host's own row-major walk.
template <std::size_t K>
std::vector<offsets<K>> host_walk(const std::vector<std::int64_t>& shape,
                                  const std::array<std::vector<std::int64_t>, K>& strides) {
  std::vector<offsets<K>> r;
  const std::int64_t n = rd::detail::numel_of(shape);
  std::vector<std::int64_t> idx(shape.size(), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    offsets<K> o{};
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t d = 0; d < shape.size(); ++d) o[k] += idx[d] * strides[k][d];
    r.push_back(o);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  std::sort(r.begin(), r.end());
  return r;
}

/// The offsets the kernels visit: collapsed as they are launched, computed as they compute them.
template <class Index, std::size_t K>
std::vector<offsets<K>> kernel_walk(const std::vector<std::int64_t>& shape,
                                    const std::array<std::vector<std::int64_t>, K>& strides) {
  std::array<const std::vector<std::int64_t>*, K> ptrs{};
  for (std::size_t k = 0; k < K; ++k) ptrs[k] = &strides[k];
  const rd::detail::loop_space ls = rd::detail::ordered_collapse<K>(shape, ptrs);
  const auto layout = rd::detail::to_layout<static_cast<int>(K)>("test", ls);
  std::vector<offsets<K>> r;
  const std::int64_t n = rd::detail::numel_of(shape);
  for (std::int64_t i = 0; i < n; ++i) {
    std::int64_t off[K];
    rd::detail::cuda_kernels::offsets_of(layout, static_cast<Index>(i), off);
    offsets<K> o{};
    std::copy(off, off + K, o.begin());
    r.push_back(o);
  }
  std::sort(r.begin(), r.end());
  return r;
}

}  // namespace

CUDA_TEST(strided_kernel_offsets_match_the_host_walk) {
  struct layout_case {
    std::vector<std::int64_t> shape, out_st, in_st;
  };
  const std::vector<layout_case> cases = {
      {{2, 3, 4}, {12, 4, 1}, {1, 2, 6}},            // transposed input into a contiguous out
      {{2, 3, 4}, {1, 2, 6}, {12, 4, 1}},            // the reverse
      {{5, 4}, {4, 1}, {0, 2}},                      // expanded, stepped input
      {{3, 1, 4, 2}, {8, 8, 2, 1}, {1, 99, 3, 12}},  // size-1 dimension with any stride
      {{2, 2, 2, 2, 3}, {24, 12, 6, 3, 1}, {2, 1, 48, 24, 8}},
      {{7}, {1}, {3}},
      {{}, {}, {}},  // 0-d
  };
  for (const auto& c : cases) {
    const std::array<std::vector<std::int64_t>, 2> st = {c.out_st, c.in_st};
    const auto expected = host_walk<2>(c.shape, st);
    CHECK(expected.size() == static_cast<std::size_t>(rd::detail::numel_of(c.shape)));
    CHECK(kernel_walk<std::uint32_t>(c.shape, st) == expected);
    CHECK(kernel_walk<std::uint64_t>(c.shape, st) == expected);
  }
}

CUDA_TEST(binary_kernel_offsets_match_the_host_walk) {
  // Out, a, b: the strides the arithmetic operators launch with (broadcast operands have zero
  // strides; a scalar operand has zero strides everywhere).
  struct layout_case {
    std::vector<std::int64_t> shape;
    std::array<std::vector<std::int64_t>, 3> st;
  };
  const std::vector<layout_case> cases = {
      {{2, 3, 4}, {{{12, 4, 1}, {12, 4, 1}, {12, 4, 1}}}},  // all contiguous: one run
      {{2, 3, 4}, {{{12, 4, 1}, {0, 4, 1}, {0, 0, 1}}}},    // broadcast rows and a vector
      {{2, 3, 4}, {{{12, 4, 1}, {1, 2, 6}, {0, 0, 0}}}},    // transposed a, scalar b
      {{4, 5}, {{{5, 1}, {1, 0}, {0, 1}}}},                 // outer sum of a column and a row
      {{3, 1, 2}, {{{2, 2, 1}, {2, 7, 1}, {0, 0, 3}}}},     // size-1 dimension with any stride
      {{2, 2, 2, 2, 3}, {{{24, 12, 6, 3, 1}, {2, 1, 48, 24, 8}, {0, 12, 0, 3, 1}}}},
      {{6}, {{{1}, {2}, {0}}}},
      {{}, {{{}, {}, {}}}},  // 0-d
  };
  for (const auto& c : cases) {
    const auto expected = host_walk<3>(c.shape, c.st);
    CHECK(expected.size() == static_cast<std::size_t>(rd::detail::numel_of(c.shape)));
    CHECK(kernel_walk<std::uint32_t>(c.shape, c.st) == expected);
    CHECK(kernel_walk<std::uint64_t>(c.shape, c.st) == expected);
  }
}

CUDA_TEST(contiguous_split_covers_every_element_once) {
  using rd::detail::cuda_kernels::split_for_vectors;
  int bad = 0;
  for (std::size_t elem : {std::size_t{2}, std::size_t{4}, std::size_t{8}})
    for (std::uintptr_t a = 0; a < 32; a += elem)
      for (std::uintptr_t b = 0; b < 32; b += elem)
        for (std::size_t n = 0; n < 70; ++n) {
          const auto in = reinterpret_cast<const void*>(0x1000 + a);
          const auto out = reinterpret_cast<void*>(0x9000 + b);
          const auto s = split_for_vectors(in, out, n, elem);
          if (s.in_aligned != (a % 16 == b % 16)) ++bad;
          const std::size_t lanes = 16 / elem;
          if (s.head + s.nvec * lanes != s.tail || s.tail > n || n - s.tail >= lanes) ++bad;
          if (s.head >= lanes) ++bad;  // at most one vector's worth before the aligned start
          if (s.nvec > 0 && (0x9000 + b + s.head * elem) % 16 != 0) ++bad;
          if (s.in_aligned && s.nvec > 0 && (0x1000 + a + s.head * elem) % 16 != 0) ++bad;
        }
  CHECK(bad == 0);
}

namespace {
int dl_deleted = 0;
void count_dl_deletion(DLManagedTensor*) { ++dl_deleted; }
}  // namespace

CUDA_TEST(dlpack_device_memory_is_taken_and_handed_out_on_the_host) {
  std::int64_t shape[2] = {2, 3};
  DLManagedTensor m{};
  m.dl_tensor.data = reinterpret_cast<void*>(0x100000);
  m.dl_tensor.device = {kDLCUDA, 0};
  m.dl_tensor.ndim = 2;
  m.dl_tensor.dtype = {kDLFloat, 32, 1};
  m.dl_tensor.shape = shape;
  m.dl_tensor.byte_offset = 8;
  m.deleter = &count_dl_deletion;
  {
    const dtensor<float> x = rd::from_dlpack<float, rd::cuda_t>(&m);
    CHECK(x.device() == rd::cuda);
    CHECK(x.data() == reinterpret_cast<float*>(0x100008));
    CHECK(x.strides() == (std::vector<std::int64_t>{3, 1}));
    CHECK(dl_deleted == 0);
  }
  CHECK(dl_deleted == 1);  // after waiting for the device (which fails quietly without one)

  m.dl_tensor.device = {kDLCPU, 0};
  try {
    (void)rd::from_dlpack<float, rd::cuda_t>(&m);
    CHECK(false);
  } catch (const rd::error& e) {
    CHECK(std::string(e.what()) ==
          "radicand::from_dlpack: the DLPack tensor is on cpu, not on a CUDA device: use "
          "from_dlpack<T> for host memory");
  }
  m.dl_tensor.device = {kDLCUDA, 1};
  try {
    (void)rd::from_dlpack<float>(&m);
    CHECK(false);
  } catch (const rd::error& e) {
    CHECK(std::string(e.what()).find("the DLPack tensor is on cuda:1, not on the host") !=
          std::string::npos);
  }
  CHECK((rd::from_dlpack<float, rd::cuda_t>(&m).device().index == 1));
  CHECK(dl_deleted == 2);

  DLManagedTensor* out = rd::to_dlpack(fake<rd::bfloat16>({4, 5}).slice(1, 1));
  CHECK(out->dl_tensor.device.device_type == kDLCUDA);
  CHECK(out->dl_tensor.device.device_id == 0);
  CHECK(out->dl_tensor.data == reinterpret_cast<void*>(0x100002));
  CHECK(out->dl_tensor.dtype.code == kDLBfloat);
  CHECK(out->dl_tensor.shape[1] == 4);
  out->deleter(out);

  int freed = 0;
  {
    const dtensor<float> y = rd::from_blob(
        reinterpret_cast<float*>(0x100000), {6}, [&freed](float*) { ++freed; }, rd::cuda);
    CHECK(y.numel() == 6);
  }
  CHECK(freed == 1);
}

CUDA_TEST_MAIN_ANY_MACHINE()
