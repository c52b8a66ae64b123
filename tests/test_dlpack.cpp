// DLPack in and out, against hand-built DLManagedTensors (a producer and a consumer that count
// their deleters' calls), and from_blob with a deleter. The same round trips with libtorch are in
// tests/torch/test_torch_dlpack.cpp.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "failing_allocator.hpp"

namespace rd = radicand;

namespace {

using dims = std::vector<std::int64_t>;

/// A DLPack producer: owns its bytes, shape and strides; its deleter counts its calls and frees
/// it all.
struct producer {
  DLManagedTensor managed{};
  std::vector<unsigned char> bytes;
  dims shape, strides;
  int* deleted;

  static void release(DLManagedTensor* self) {
    auto* p = static_cast<producer*>(self->manager_ctx);
    ++*p->deleted;
    delete p;
  }
};

/// A producer's tensor of `shape` (strides as given; none: null strides), of `nbytes` bytes
/// holding 0, 1, 2, ... as bytes, of DLPack type `dtype` on `device`, its data at byte_offset.
DLManagedTensor* make_producer(int* deleted, DLDataType dtype, dims shape, const dims* strides,
                               std::size_t nbytes, std::uint64_t byte_offset = 0,
                               DLDevice device = {kDLCPU, 0}) {
  auto* p = new producer;
  p->deleted = deleted;
  p->bytes.resize(nbytes + byte_offset);
  for (std::size_t i = 0; i < p->bytes.size(); ++i) p->bytes[i] = static_cast<unsigned char>(i);
  p->shape = std::move(shape);
  if (strides != nullptr) p->strides = *strides;
  DLTensor& t = p->managed.dl_tensor;
  t.data = p->bytes.data();
  t.device = device;
  t.ndim = static_cast<std::int32_t>(p->shape.size());
  t.dtype = dtype;
  t.shape = p->shape.data();
  t.strides = strides != nullptr ? p->strides.data() : nullptr;
  t.byte_offset = byte_offset;
  p->managed.manager_ctx = p;
  p->managed.deleter = &producer::release;
  return &p->managed;
}

/// A float producer of `shape`, its elements 0, 1, 2, ... (contiguous, null strides).
DLManagedTensor* float_producer(int* deleted, const dims& shape, const dims* strides = nullptr,
                                std::int64_t elements = -1) {
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  if (elements >= 0) n = elements;
  DLManagedTensor* m = make_producer(deleted, DLDataType{kDLFloat, 32, 1}, shape, strides,
                                     static_cast<std::size_t>(n) * sizeof(float));
  auto* f = static_cast<float*>(m->dl_tensor.data);
  for (std::int64_t i = 0; i < n; ++i) f[i] = static_cast<float>(i);
  return m;
}

template <class T>
std::string message_of(DLManagedTensor* m) {
  try {
    (void)rd::from_dlpack<T>(m);
  } catch (const rd::error& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

template <class T>
DLDataType expected_dtype() {
  if (std::is_same<T, bool>::value) return {6, 8, 1};
  if (std::is_same<T, rd::bfloat16>::value) return {kDLBfloat, 16, 1};
  if (rd::is_floating_element<T>::value)
    return {kDLFloat, static_cast<std::uint8_t>(8 * sizeof(T)), 1};
  if (std::is_signed<T>::value) return {kDLInt, static_cast<std::uint8_t>(8 * sizeof(T)), 1};
  return {kDLUInt, static_cast<std::uint8_t>(8 * sizeof(T)), 1};
}

}  // namespace

TEMPLATE_TEST_CASE("dlpack: from_dlpack views the producer's memory for every element type",
                   "[dlpack]", float, double, rd::half, rd::bfloat16, bool, std::int8_t,
                   std::uint8_t, std::int16_t, std::int32_t, std::int64_t) {
  using T = TestType;
  int deleted = 0;
  const DLDataType dtype = expected_dtype<T>();
  const dims shape = {2, 3};
  DLManagedTensor* m = make_producer(&deleted, dtype, shape, nullptr, 6 * sizeof(T));
  auto* data = static_cast<T*>(m->dl_tensor.data);
  if constexpr (std::is_same<T, bool>::value) {
    for (int i = 0; i < 6; ++i) data[i] = i % 2 == 1;
  } else {
    for (int i = 0; i < 6; ++i) data[i] = rd::detail::convert<T>(i);
  }
  {
    rd::tensor<T> x = rd::from_dlpack<T>(m);
    CHECK(x.data() == data);  // zero copy
    CHECK(x.shape() == shape);
    CHECK(x.strides() == dims({3, 1}));
    for (int i = 0; i < 6; ++i) {
      if constexpr (std::is_same<T, bool>::value)
        CHECK(x.at({i / 3, i % 3}) == (i % 2 == 1));
      else
        CHECK(static_cast<double>(x.at({i / 3, i % 3})) == i);
    }
    x.fill_(rd::detail::convert<T>(1));
    CHECK(static_cast<double>(data[4]) == 1);  // written through
    CHECK(deleted == 0);
  }
  CHECK(deleted == 1);

  // Out: the type, shape and strides as DLPack says them; the data is x's first element.
  rd::tensor<T> y = rd::zeros<T>({4, 5}).slice(1, 1, 5, 2);
  DLManagedTensor* out = rd::to_dlpack(y);
  const DLTensor& t = out->dl_tensor;
  CHECK(t.data == static_cast<void*>(y.data()));
  CHECK(t.byte_offset == 0);
  CHECK(t.device.device_type == kDLCPU);
  CHECK(t.dtype.code == dtype.code);
  CHECK(t.dtype.bits == dtype.bits);
  CHECK(t.dtype.lanes == 1);
  REQUIRE(t.ndim == 2);
  CHECK(dims(t.shape, t.shape + 2) == dims({4, 2}));
  CHECK(dims(t.strides, t.strides + 2) == dims({5, 2}));
  out->deleter(out);
}

TEST_CASE("dlpack: the producer's deleter runs once, when the last view goes", "[dlpack]") {
  int deleted = 0;
  rd::tensor<float> row;
  {
    rd::tensor<float> x = rd::from_dlpack<float>(float_producer(&deleted, {3, 4}));
    rd::tensor<float> copy = x;
    row = x[1].slice(0, 1, 4, 2);
    x = rd::tensor<float>();
    CHECK(deleted == 0);
    rd::tensor<float> moved = std::move(copy);
    CHECK(copy.numel() == 0);  // moved-from: the empty tensor
    CHECK(deleted == 0);
  }
  CHECK(deleted == 0);
  CHECK(row.at({0}) == 5.f);
  CHECK(row.at({1}) == 7.f);
  row.rsqrt_();
  CHECK(row.at({0}) == rd::rsqrt(rd::scalar(5.f)).item());
  row = rd::tensor<float>();
  CHECK(deleted == 1);
}

TEST_CASE(
    "dlpack: from_dlpack honours byte_offset and strides, and takes null strides as "
    "contiguous",
    "[dlpack]") {
  int deleted = 0;
  {
    // Strides {1, 3}: a transposed [3, 2] view of 0..5, 8 bytes (2 floats) into the buffer.
    const dims strides = {1, 3};
    DLManagedTensor* m = make_producer(&deleted, DLDataType{kDLFloat, 32, 1}, {3, 2}, &strides,
                                       6 * sizeof(float), 8);
    auto* f = reinterpret_cast<float*>(static_cast<unsigned char*>(m->dl_tensor.data) + 8);
    for (int i = 0; i < 6; ++i) f[i] = static_cast<float>(i);
    const rd::tensor<float> x = rd::from_dlpack<float>(m);
    CHECK(x.data() == f);
    CHECK(x.strides() == strides);
    CHECK(x.at({2, 1}) == 5.f);
    CHECK(x.at({1, 0}) == 1.f);
    CHECK(x.at({0, 1}) == 3.f);
    CHECK(!x.is_contiguous());
    CHECK(rd::sum(x).item() == 15.f);
  }
  {
    const rd::tensor<float> x = rd::from_dlpack<float>(float_producer(&deleted, {2, 2, 3}));
    CHECK(x.strides() == dims({6, 3, 1}));
    CHECK(x.at({1, 0, 2}) == 8.f);
  }
  {  // 0-d, and empty with a null data pointer
    const rd::tensor<float> s = rd::from_dlpack<float>(float_producer(&deleted, {}));
    CHECK(s.dim() == 0);
    CHECK(s.item() == 0.f);
    DLManagedTensor* e = float_producer(&deleted, {0, 3});
    e->dl_tensor.data = nullptr;
    const rd::tensor<float> x = rd::from_dlpack<float>(e);
    CHECK(x.shape() == dims({0, 3}));
    CHECK(x.numel() == 0);
    CHECK(rd::sum(x).item() == 0.f);
  }
  CHECK(deleted == 4);
}

TEST_CASE(
    "dlpack: from_dlpack refuses what does not fit, naming it, and leaves the tensor with "
    "the caller",
    "[dlpack]") {
  int deleted = 0;
  DLManagedTensor* m = float_producer(&deleted, {2, 3});
  CHECK(
      contains(message_of<double>(m), "from_dlpack: the DLPack tensor holds float32, not float64"));
  CHECK(contains(message_of<rd::half>(m), "holds float32, not float16 (float16)"));
  CHECK(contains(message_of<std::int32_t>(m), "not int32 (int32)"));

  m->dl_tensor.dtype = DLDataType{kDLFloat, 32, 4};
  CHECK(contains(message_of<float>(m), "holds float32x4, not float32"));
  m->dl_tensor.dtype = DLDataType{kDLComplex, 64, 1};
  CHECK(contains(message_of<float>(m), "holds complex64"));
  m->dl_tensor.dtype = DLDataType{kDLUInt, 8, 1};
  CHECK(contains(message_of<bool>(m), "holds uint8, not bool (bool)"));
  m->dl_tensor.dtype = DLDataType{42, 8, 1};
  CHECK(contains(message_of<std::uint8_t>(m), "holds code 42, 8 bits"));
  m->dl_tensor.dtype = DLDataType{kDLFloat, 32, 1};

  m->dl_tensor.device = DLDevice{kDLCUDA, 1};
  CHECK(contains(message_of<float>(m), "the DLPack tensor is on cuda:1, not on the host"));
  m->dl_tensor.device = DLDevice{kDLVulkan, 0};
  CHECK(contains(message_of<float>(m), "device type 7, id 0"));
  m->dl_tensor.device = DLDevice{kDLCUDAHost, 0};  // pinned host memory is host memory
  CHECK(message_of<float>(m) == "no error");
  CHECK(deleted == 1);
  m = float_producer(&deleted, {2, 3});

  m->dl_tensor.ndim = -1;
  CHECK(contains(message_of<float>(m), "from_dlpack: negative ndim -1"));
  m->dl_tensor.ndim = 2;
  m->dl_tensor.shape = nullptr;
  CHECK(contains(message_of<float>(m), "null shape for ndim 2"));
  auto* p = static_cast<producer*>(m->manager_ctx);
  m->dl_tensor.shape = p->shape.data();
  p->shape[0] = -2;
  CHECK(contains(message_of<float>(m), "negative size in shape [-2, 3]"));
  p->shape[0] = 2;

  dims strides = {-3, 1};
  m->dl_tensor.strides = strides.data();
  CHECK(contains(message_of<float>(m), "negative strides are not supported: [-3, 1]"));
  strides = {INT64_MAX / 2, 1};
  CHECK(contains(message_of<float>(m), "reach past the addressable memory"));
  m->dl_tensor.strides = nullptr;

  m->dl_tensor.byte_offset = 2;
  CHECK(contains(message_of<float>(m), "byte_offset 2) is not aligned for float32 (4 bytes)"));
  m->dl_tensor.byte_offset = UINT64_MAX;
  CHECK(contains(message_of<float>(m), "wraps the address space"));
  m->dl_tensor.byte_offset = 0;
  const void* data = m->dl_tensor.data;
  m->dl_tensor.data = nullptr;
  CHECK(contains(message_of<float>(m), "null data pointer for shape [2, 3]"));
  m->dl_tensor.data = const_cast<void*>(data);
  CHECK(contains(message_of<float>(nullptr), "from_dlpack: null DLManagedTensor"));

  // None of the refusals took the tensor: it is still whole, and the caller's.
  CHECK(deleted == 1);
  CHECK(static_cast<float*>(m->dl_tensor.data)[5] == 5.f);
  m->deleter(m);
  CHECK(deleted == 2);
}

TEST_CASE("dlpack: a producer without a deleter is viewed and never called", "[dlpack]") {
  float values[4] = {4.f, 9.f, 16.f, 25.f};
  std::int64_t shape[1] = {4};
  DLManagedTensor m{};
  m.dl_tensor.data = values;
  m.dl_tensor.device = {kDLCPU, 0};
  m.dl_tensor.ndim = 1;
  m.dl_tensor.dtype = {kDLFloat, 32, 1};
  m.dl_tensor.shape = shape;
  {
    rd::tensor<float> x = rd::from_dlpack<float>(&m);
    x.rsqrt_();
  }
  CHECK(values[1] == 1.f / 3.f);
}

TEST_CASE("dlpack: to_dlpack keeps the storage alive until its deleter runs", "[dlpack]") {
  int freed = 0;
  DLManagedTensor* out = nullptr;
  {
    auto* values = new float[12];
    for (int i = 0; i < 12; ++i) values[i] = static_cast<float>(i);
    const rd::tensor<float> x = rd::from_blob(values, {3, 4}, [&freed](float* p) {
      ++freed;
      delete[] p;
    });
    out = rd::to_dlpack(x.t());
  }
  CHECK(freed == 0);
  const DLTensor& t = out->dl_tensor;
  REQUIRE(t.ndim == 2);
  CHECK(dims(t.shape, t.shape + 2) == dims({4, 3}));
  CHECK(dims(t.strides, t.strides + 2) == dims({1, 4}));
  CHECK(static_cast<const float*>(t.data)[11] == 11.f);  // the storage outlived x

  // Back again: the same memory, and the export's deleter, then the storage's, runs when the
  // last view goes.
  {
    rd::tensor<float> back = rd::from_dlpack<float>(out);
    CHECK(static_cast<void*>(back.data()) == t.data);
    CHECK(back.at({3, 2}) == 11.f);
    const rd::tensor<float> view = back[3];
    back = rd::tensor<float>();
    CHECK(freed == 0);
    CHECK(view.at({1}) == 7.f);
  }
  CHECK(freed == 1);

  // The empty tensor, a 0-d one, an offset view and a bool tensor.
  const rd::tensor<float> none;
  DLManagedTensor* e = rd::to_dlpack(none);
  CHECK(e->dl_tensor.ndim == 1);
  CHECK(e->dl_tensor.shape[0] == 0);
  CHECK(e->dl_tensor.data == nullptr);
  CHECK(rd::from_dlpack<float>(e).numel() == 0);

  DLManagedTensor* s = rd::to_dlpack(rd::scalar(2.5));
  CHECK(s->dl_tensor.ndim == 0);
  CHECK(rd::from_dlpack<double>(s).item() == 2.5);

  rd::tensor<std::int16_t> v = rd::arange<std::int16_t>(0, 10);
  DLManagedTensor* o = rd::to_dlpack(v.slice(0, 3, 10, 3));
  CHECK(o->dl_tensor.data == static_cast<void*>(v.data() + 3));
  CHECK(o->dl_tensor.shape[0] == 3);
  CHECK(o->dl_tensor.strides[0] == 3);
  const rd::tensor<std::int16_t> w = rd::from_dlpack<std::int16_t>(o);
  CHECK(w.at({2}) == 9);
  CHECK(w.data() == v.data() + 3);

  DLManagedTensor* b = rd::to_dlpack(rd::tensor<bool>{true, false});
  CHECK(b->dl_tensor.dtype.code == 6);
  CHECK(b->dl_tensor.dtype.bits == 8);
  CHECK(rd::from_dlpack<bool>(b).at({0}) == true);
}

TEST_CASE("dlpack: an allocation failure in from_dlpack or to_dlpack leaves everything as it was",
          "[dlpack][alloc]") {
  int deleted = 0;
  DLManagedTensor* m = float_producer(&deleted, {3, 5});
  std::int64_t points = 0;
  for (std::int64_t n = 1;; ++n) {
    REQUIRE(n < 100);
    float last = 0.f;
    const injected r = fail_allocation(n, [&] {
      const rd::tensor<float> x = rd::from_dlpack<float>(m);  // no move: nothing after it allocates
      last = x.data()[14];
    });
    if (!r.reached) {
      CHECK_FALSE(r.threw);
      CHECK(last == 14.f);
      points = n - 1;
      break;
    }
    INFO("allocation " << n << " failed: " << r.what);
    CHECK(r.threw);
    CHECK(deleted == 0);  // still the caller's
  }
  CHECK(points >= 3);   // the shape, the strides and the owner at least
  CHECK(deleted == 1);  // x, the only view, went at the end of the run that did not fail

  const rd::tensor<float> y = rd::arange<float>(0.f, 6.f);
  for (std::int64_t n = 1;; ++n) {
    REQUIRE(n < 100);
    DLManagedTensor* out = nullptr;
    const injected r = fail_allocation(n, [&] { out = rd::to_dlpack(y); });
    if (!r.reached) {
      REQUIRE(out != nullptr);
      CHECK(out->dl_tensor.data == static_cast<void*>(y.data()));
      out->deleter(out);
      break;
    }
    CHECK(r.threw);
    CHECK(out == nullptr);
  }
}

TEST_CASE("from_blob: a deleter runs once, when the last view goes", "[dlpack][from_blob]") {
  int deleted = 0;
  auto* values = new float[6]{1.f, 4.f, 9.f, 16.f, 25.f, 36.f};
  {
    rd::tensor<float> x = rd::from_blob(values, {2, 3}, [&deleted](void* p) {
      ++deleted;
      delete[] static_cast<float*>(p);
    });
    CHECK(x.data() == values);
    rd::tensor<float> col = x.select(1, 2);
    x = rd::tensor<float>();
    CHECK(deleted == 0);
    col.sqrt_();
    CHECK(col.at({1}) == 6.f);
  }
  CHECK(deleted == 1);

  // With strides, and a deleter taking the element type.
  std::vector<double> storage = {1, 2, 3, 4, 5, 6};
  int calls = 0;
  double* seen = nullptr;
  {
    const rd::tensor<double> x = rd::from_blob(storage.data(), {3, 2}, {1, 3}, [&](double* p) {
      ++calls;
      seen = p;
    });
    CHECK(x.at({2, 1}) == 6.0);
  }
  CHECK(calls == 1);
  CHECK(seen == storage.data());

  // Refused: the deleter is not called, and the memory stays the caller's.
  CHECK_THROWS_WITH(rd::from_blob(storage.data(), {3, 2}, {-1, 3}, [&](double*) { ++calls; }),
                    Catch::Contains("from_blob: negative strides are not supported"));
  CHECK_THROWS_WITH(rd::from_blob(storage.data(), {-3}, [&](double*) { ++calls; }),
                    Catch::Contains("from_blob: negative size in shape [-3]"));
  CHECK(calls == 1);
  for (std::int64_t n = 1;; ++n) {
    REQUIRE(n < 100);
    const injected r = fail_allocation(n, [&] {
      const rd::tensor<double> x = rd::from_blob(storage.data(), {6}, [&](double*) { ++calls; });
    });
    if (!r.reached) break;
    CHECK(r.threw);
    CHECK(calls == 1);  // never called on a failure
  }
  CHECK(calls == 2);  // once, by the run that did not fail
}
