// radicand tests: DLPack round trips with libtorch (Debian's libtorch-dev): torch tensors of
// every dtype and several layouts into radicand and back, zero-copy both ways, each deleter
// run once. (libtorch 1.13 exports and imports no bool through DLPack.)
#include <ATen/ATen.h>
#include <ATen/DLConvertor.h>

#include <catch2/catch.hpp>

#include <radicand/dlpack.hpp>
#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace rd = radicand;

namespace {

template <class T>
at::ScalarType torch_type();
template <>
at::ScalarType torch_type<float>() {
  return at::kFloat;
}
template <>
at::ScalarType torch_type<double>() {
  return at::kDouble;
}
template <>
at::ScalarType torch_type<rd::half>() {
  return at::kHalf;
}
template <>
at::ScalarType torch_type<rd::bfloat16>() {
  return at::kBFloat16;
}
template <>
at::ScalarType torch_type<std::int8_t>() {
  return at::kChar;
}
template <>
at::ScalarType torch_type<std::uint8_t>() {
  return at::kByte;
}
template <>
at::ScalarType torch_type<std::int16_t>() {
  return at::kShort;
}
template <>
at::ScalarType torch_type<std::int32_t>() {
  return at::kInt;
}
template <>
at::ScalarType torch_type<std::int64_t>() {
  return at::kLong;
}

/// The layouts: contiguous, transposed, sliced with a step, and offset into the storage.
std::vector<at::Tensor> layouts(at::ScalarType type) {
  const at::Tensor base =
      at::arange(1, 61, at::TensorOptions().dtype(at::kDouble)).reshape({6, 10});
  const at::Tensor b = base.to(type);
  return {b, b.t(), b.slice(1, 1, 10, 3), b.narrow(0, 2, 3).select(1, 4)};
}

/// Counts the deletions of what it wraps: the producer's DLManagedTensor, whose deleter it
/// calls, with its own deleter counting first.
struct counted {
  DLManagedTensor managed{};
  DLManagedTensor* inner;
  int* deleted;
  static void release(DLManagedTensor* self) {
    auto* c = static_cast<counted*>(self->manager_ctx);
    ++*c->deleted;
    c->inner->deleter(c->inner);
    delete c;
  }
};
DLManagedTensor* count_deletions(DLManagedTensor* inner, int* deleted) {
  auto* c =
      new counted{DLManagedTensor{inner->dl_tensor, nullptr, &counted::release}, inner, deleted};
  c->managed.manager_ctx = c;
  return &c->managed;
}

/// 1/sqrt(t) in long double, rounded to t's type (through double: for these small integers no
/// result lies near enough a midpoint for the double rounding to move it).
at::Tensor correctly_rounded_rsqrt(const at::Tensor& t) {
  const at::Tensor values = t.to(at::kDouble).contiguous();
  at::Tensor r = at::empty_like(values);
  for (std::int64_t i = 0; i < values.numel(); ++i)
    r.data_ptr<double>()[i] = static_cast<double>(
        1.0L / std::sqrt(static_cast<long double>(values.data_ptr<double>()[i])));
  return r.reshape(t.sizes()).to(t.scalar_type());
}

std::vector<std::int64_t> dims_of(const at::Tensor& t) {
  return std::vector<std::int64_t>(t.sizes().begin(), t.sizes().end());
}
std::vector<std::int64_t> strides_of(const at::Tensor& t) {
  return std::vector<std::int64_t>(t.strides().begin(), t.strides().end());
}

}  // namespace

TEMPLATE_TEST_CASE(
    "torch: a torch tensor goes into radicand without a copy, and rsqrt_ in place "
    "is what torch then sees",
    "[torch][dlpack]", float, double, rd::half, rd::bfloat16) {
  using T = TestType;
  for (const at::Tensor& t : layouts(torch_type<T>())) {
    const at::Tensor expected = correctly_rounded_rsqrt(t);
    int deleted = 0;
    {
      rd::tensor<T> x = rd::from_dlpack<T>(count_deletions(at::toDLPack(t), &deleted));
      CHECK(static_cast<void*>(x.data()) == t.data_ptr());
      CHECK(x.shape() == dims_of(t));
      CHECK(x.strides() == strides_of(t));
      x.rsqrt_();
      CHECK(deleted == 0);
    }
    CHECK(deleted == 1);
    CHECK(at::equal(t, expected));
  }
}

TEMPLATE_TEST_CASE("torch: integral torch tensors go into radicand and back without a copy",
                   "[torch][dlpack]", std::int8_t, std::uint8_t, std::int16_t, std::int32_t,
                   std::int64_t) {
  using T = TestType;
  for (const at::Tensor& t : layouts(torch_type<T>())) {
    int deleted = 0;
    {
      const rd::tensor<T> x = rd::from_dlpack<T>(count_deletions(at::toDLPack(t), &deleted));
      CHECK(static_cast<void*>(x.data()) == t.data_ptr());
      CHECK(x.strides() == strides_of(t));
      CHECK(rd::sum(x).item() == t.sum().item<std::int64_t>());
      // And back into torch: the same memory again.
      const at::Tensor back = at::fromDLPack(rd::to_dlpack(x));
      CHECK(back.data_ptr() == t.data_ptr());
      CHECK(at::equal(back, t));
    }
    CHECK(deleted == 1);
  }
}

TEST_CASE("torch: a radicand tensor goes into torch without a copy and stays alive there",
          "[torch][dlpack]") {
  int freed = 0;
  at::Tensor t;
  float* data = nullptr;
  {
    auto* values = new float[12];
    for (int i = 0; i < 12; ++i) values[i] = static_cast<float>(i + 1);
    const rd::tensor<float> x = rd::from_blob(values, {3, 4}, [&freed](float* p) {
      ++freed;
      delete[] p;
    });
    data = values;
    t = at::fromDLPack(rd::to_dlpack(x.t().slice(1, 1)));
  }
  CHECK(freed == 0);
  CHECK(t.data_ptr() == static_cast<void*>(data + 4));
  CHECK(dims_of(t) == std::vector<std::int64_t>({4, 2}));
  CHECK(strides_of(t) == std::vector<std::int64_t>({1, 4}));
  CHECK(t.select(0, 3).select(0, 1).item<float>() == 12.f);
  t.sqrt_();
  CHECK(data[8] == 3.f);
  t = at::Tensor();
  CHECK(freed == 1);

  // Every floating type arrives as its torch dtype.
  CHECK(at::fromDLPack(rd::to_dlpack(rd::zeros<rd::half>({2}))).scalar_type() == at::kHalf);
  CHECK(at::fromDLPack(rd::to_dlpack(rd::zeros<rd::bfloat16>({2}))).scalar_type() == at::kBFloat16);
  CHECK(at::fromDLPack(rd::to_dlpack(rd::zeros<double>({2}))).scalar_type() == at::kDouble);
}
