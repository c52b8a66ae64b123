// The CUDA backend against the CPU backend (which the CPU suite checks against MPFR): values and
// special values bit for bit for every element type, the four forms, the out rules, views of
// every kind, misaligned pointers, streams, empty and 0-d tensors, printing and device errors;
// the arithmetic operators, at(), the copies' layouts, and copy_, fill_, view assignment and
// unary minus.
// Needs a GPU; where none is present it exits with 77 and CTest reports it as skipped.
#include <radicand/radicand.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cuda_check.hpp"

namespace rd = radicand;

namespace {

template <class T>
using dtensor = rd::tensor<T, rd::cuda_t>;

/// Same bits, NaNs included: rsqrt and sqrt return the canonical NaN on every device (API.md).
template <class T>
bool same_value(T a, T b) {
  if constexpr (rd::is_floating_element<T>::value) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
  } else {
    return a == b;
  }
}

/// The canonical float NaN, bit for bit.
bool is_canonical_nan(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b == 0x7fc00000u;
}

/// Same shape and the same values, element by element in row-major order.
template <class T>
bool same_tensor(const rd::tensor<T>& a, const rd::tensor<T>& b) {
  if (a.shape() != b.shape()) return false;
  const rd::tensor<T> ca = a.contiguous(), cb = b.contiguous();
  for (std::int64_t i = 0; i < a.numel(); ++i)
    if (!same_value(ca.data()[i], cb.data()[i])) return false;
  return true;
}

/// Inputs that reach every path: signed zeros, infinities, NaN, negatives, subnormals, the
/// extremes, exact squares and ordinary values.
template <class T>
std::vector<T> special_values() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {rd::detail::convert<T>(0.0),
                      rd::detail::convert<T>(-0.0),
                      L::infinity(),
                      rd::detail::convert<T>(-rd::detail::convert<double>(L::infinity())),
                      L::quiet_NaN(),
                      rd::detail::convert<T>(-1.0),
                      L::denorm_min(),
                      L::min(),
                      L::max(),
                      L::epsilon(),
                      rd::detail::convert<T>(1.0),
                      rd::detail::convert<T>(2.0),
                      rd::detail::convert<T>(4.0),
                      rd::detail::convert<T>(0.25),
                      rd::detail::convert<T>(3.0),
                      rd::detail::convert<T>(10.0),
                      rd::detail::convert<T>(0.1),
                      rd::detail::convert<T>(-0.5)};
  // The largest subnormal and a few in between.
  const double dmin = rd::detail::convert<double>(L::min());
  const double dsub = rd::detail::convert<double>(L::denorm_min());
  v.push_back(rd::detail::convert<T>(dmin - dsub));
  v.push_back(rd::detail::convert<T>(dsub * 3));
  v.push_back(rd::detail::convert<T>(-dsub));
  return v;
}

template <class T>
void check_values_for() {
  const std::vector<T> sv = special_values<T>();
  const rd::tensor<T> h = rd::from_vector(sv);
  const dtensor<T> d = h.to(rd::cuda);
  CHECK(same_tensor(rd::rsqrt(d).cpu(), rd::rsqrt(h)));
  CHECK(same_tensor(rd::sqrt(d).cpu(), rd::sqrt(h)));
  // Random magnitudes over many binades.
  const rd::tensor<T> r = rd::randn<T>({4099}, 7);
  rd::tensor<T> a = r.clone();
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    const double x = rd::detail::convert<double>(a.data()[i]);
    a.data()[i] =
        rd::detail::convert<T>(std::fabs(x) * std::pow(2.0, static_cast<double>(i % 61) - 30));
  }
  const dtensor<T> da = a.to(rd::cuda);
  CHECK(same_tensor(rd::rsqrt(da).cpu(), rd::rsqrt(a)));
  CHECK(same_tensor(rd::sqrt(da).cpu(), rd::sqrt(a)));
}

/// The four forms give the same bits.
template <class T>
void check_forms_for() {
  const rd::tensor<T> h = rd::from_vector(special_values<T>());
  const dtensor<T> d = h.to(rd::cuda);
  const rd::tensor<T> f = rd::rsqrt(d).cpu();
  const rd::tensor<T> m = d.rsqrt().cpu();
  dtensor<T> o = rd::empty<T>({d.numel()}, rd::cuda);
  rd::rsqrt(d, o);
  dtensor<T> in_place = d.clone();
  in_place.rsqrt_();
  dtensor<T> in_place_fn = d.clone();
  rd::rsqrt_(in_place_fn);
  CHECK(same_tensor(f, m));
  CHECK(same_tensor(f, o.cpu()));
  CHECK(same_tensor(f, in_place.cpu()));
  CHECK(same_tensor(f, in_place_fn.cpu()));
  dtensor<T> so = rd::empty<T>({d.numel()}, rd::cuda);
  dtensor<T> s_in = d.clone();
  rd::sqrt(d, so);
  s_in.sqrt_();
  CHECK(same_tensor(rd::sqrt(d).cpu(), d.sqrt().cpu()));
  CHECK(same_tensor(rd::sqrt(d).cpu(), so.cpu()));
  CHECK(same_tensor(rd::sqrt(d).cpu(), s_in.cpu()));
}

}  // namespace

CUDA_TEST(factories_and_copies) {
  const rd::tensor<float> h = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  const dtensor<float> d = h.to(rd::cuda);
  CHECK(d.device() == rd::cuda);
  CHECK(d.shape() == h.shape() && d.strides() == h.strides());
  CHECK(same_tensor(d.cpu(), h));
  CHECK(same_tensor(d.to(rd::cpu), h));
  CHECK(same_tensor(rd::zeros<float>({3, 2}, rd::cuda).cpu(), rd::zeros<float>({3, 2})));
  CHECK(same_tensor(rd::ones<rd::half>({5}, rd::cuda).cpu(), rd::ones<rd::half>({5})));
  CHECK(same_tensor(rd::full<double>({2, 2}, 2.5, rd::cuda).cpu(), rd::full<double>({2, 2}, 2.5)));
  CHECK(same_tensor(rd::arange<std::int32_t>(0, 10, 3, rd::cuda).cpu(),
                    rd::arange<std::int32_t>(0, 10, 3)));
  CHECK(same_tensor(rd::arange<float>(5.f, rd::cuda).cpu(), rd::arange<float>(5.f)));
  CHECK(same_tensor(rd::randn<float>({100}, 3, rd::cuda).cpu(), rd::randn<float>({100}, 3)));
  CHECK(same_tensor(rd::rand<rd::bfloat16>({100}, 3, rd::cuda).cpu(),
                    rd::rand<rd::bfloat16>({100}, 3)));
  CHECK(same_tensor(rd::from_vector(std::vector<std::int64_t>{1, 2, 3}, rd::cuda).cpu(),
                    rd::from_vector(std::vector<std::int64_t>{1, 2, 3})));
  CHECK(rd::scalar(4.f, rd::cuda).item() == 4.f);
  CHECK(rd::scalar(4.f, rd::cuda).dim() == 0);
  const dtensor<float> listed = {{1.f, 4.f}, {9.f, 16.f}};
  CHECK(same_tensor(listed.cpu(), rd::tensor<float>{{1.f, 4.f}, {9.f, 16.f}}));
  CHECK(d.to(rd::cuda).is_same_storage(d));  // already there: no copy
  // Views and copies on the device.
  CHECK(same_tensor(d.t().cpu(), h.t()));
  CHECK(same_tensor(d.t().contiguous().cpu(), h.t().contiguous()));
  CHECK(d.t().contiguous().is_contiguous());
  CHECK(same_tensor(d.reshape({6}).cpu(), h.reshape({6})));
  CHECK(same_tensor(d.t().reshape({6}).cpu(), h.t().reshape({6})));  // a copy
  CHECK(same_tensor(d.slice(1, 0, 3, 2).cpu(), h.slice(1, 0, 3, 2)));
  CHECK(same_tensor(d[1].cpu(), h[1]));
  CHECK(d.select(1, 2)[1].item() == 6.f);
  CHECK(same_tensor(d.to<rd::half>().cpu(), h.to<rd::half>()));
  CHECK(same_tensor(d.t().to<std::int8_t>().cpu(), h.t().to<std::int8_t>()));
  CHECK(same_tensor(d.clone().cpu(), h));
  CHECK(!d.clone().is_same_storage(d));
  CHECK(same_tensor(d.expand({4, 2, 3}).contiguous().cpu(), h.expand({4, 2, 3}).contiguous()));
}

CUDA_TEST(from_blob_over_device_memory) {
  float* p = nullptr;
  REQUIRE(cudaMalloc(&p, 8 * sizeof(float)) == cudaSuccess);
  const float values[8] = {1.f, 4.f, 9.f, 16.f, 25.f, 36.f, 49.f, 64.f};
  REQUIRE(cudaMemcpy(p, values, sizeof values, cudaMemcpyHostToDevice) == cudaSuccess);
  {
    dtensor<float> b = rd::from_blob(p, {2, 4}, rd::cuda);
    CHECK(same_tensor(rd::rsqrt(b).cpu(), rd::rsqrt(rd::tensor<float>{{1.f, 4.f, 9.f, 16.f},
                                                                      {25.f, 36.f, 49.f, 64.f}})));
    dtensor<float> cols = rd::from_blob(p, {4, 2}, {1, 4}, rd::cuda);
    CHECK(same_tensor(cols.cpu(),
                      rd::tensor<float>{{1.f, 25.f}, {4.f, 36.f}, {9.f, 49.f}, {16.f, 64.f}}));
    b.sqrt_();  // writes the caller's memory
    float back[8];
    REQUIRE(cudaMemcpy(back, p, sizeof back, cudaMemcpyDeviceToHost) == cudaSuccess);
    CHECK(back[0] == 1.f && back[3] == 4.f && back[7] == 8.f);
    CHECK_THROWS_AS(rd::from_blob(p, {2, 4}, {4}, rd::cuda), rd::shape_error);
    CHECK_THROWS_AS(rd::from_blob(p, {2, 4}, {-4, 1}, rd::cuda), rd::index_error);
    CHECK_THROWS_AS(rd::from_blob(static_cast<float*>(nullptr), {2}, rd::cuda), rd::error);
  }
  cudaFree(p);
}

CUDA_TEST(dlpack_round_trip_and_deleters_on_the_device) {
  // from_blob with a deleter: the memory goes back after the queued work, once.
  float* p = nullptr;
  REQUIRE(cudaMalloc(&p, 6 * sizeof(float)) == cudaSuccess);
  const float values[6] = {1.f, 4.f, 9.f, 16.f, 25.f, 36.f};
  REQUIRE(cudaMemcpy(p, values, sizeof values, cudaMemcpyHostToDevice) == cudaSuccess);
  int freed = 0;
  DLManagedTensor* out = nullptr;
  {
    dtensor<float> x = rd::from_blob(
        p, {2, 3},
        [&freed](float* q) {
          ++freed;
          cudaFree(q);
        },
        rd::cuda);
    x.rsqrt_();
    out = rd::to_dlpack(x.t());
  }
  CHECK(freed == 0);  // the export keeps the storage
  CHECK(out->dl_tensor.device.device_type == kDLCUDA);
  CHECK(out->dl_tensor.data == static_cast<void*>(p));
  {
    // Back into radicand: the same memory, the values rsqrt_ left there.
    const dtensor<float> back = rd::from_dlpack<float, rd::cuda_t>(out);
    CHECK(back.data() == p);
    CHECK(same_tensor(
        back.cpu(),
        rd::rsqrt(rd::tensor<float>{{1.f, 4.f, 9.f}, {16.f, 25.f, 36.f}}).t().contiguous()));
  }
  CHECK(freed == 1);
}

CUDA_TEST(printing) {
  CHECK(rd::to_string(rd::tensor<rd::half>{rd::half(0.5f)}.to(rd::cuda)) ==
        "tensor([0.5000], device='cuda:0', dtype=float16)");
  CHECK(rd::to_string(rd::rsqrt(rd::tensor<float>{1.f, 4.f}.to(rd::cuda))) ==
        "tensor([1.0000, 0.5000], device='cuda:0')");
  CHECK(rd::to_string(rd::empty<float>({0}, rd::cuda)) == "tensor([], device='cuda:0')");
  CHECK(rd::to_string(rd::scalar(2.0, rd::cuda)) == "tensor(2., device='cuda:0', dtype=float64)");
  CHECK(rd::to_string(rd::tensor<float>{{4.f, 9.f}, {16.f, 25.f}}.to(rd::cuda).rsqrt()) ==
        "tensor([[0.5000, 0.3333],\n        [0.2500, 0.2000]], device='cuda:0')");
  CHECK(rd::device_string(rd::cuda_t{1}) == "cuda:1");
}

CUDA_TEST(values_float) { check_values_for<float>(); }
CUDA_TEST(values_double) { check_values_for<double>(); }
CUDA_TEST(values_half) { check_values_for<rd::half>(); }
CUDA_TEST(values_bfloat16) { check_values_for<rd::bfloat16>(); }

CUDA_TEST(documented_special_values) {
  const float inf = std::numeric_limits<float>::infinity();
  const rd::tensor<float> r =
      rd::rsqrt(rd::tensor<float>{0.f, -0.f, -1.f, inf, NAN}.to(rd::cuda)).cpu();
  CHECK(r.data()[0] == inf);
  CHECK(r.data()[1] == -inf);
  CHECK(is_canonical_nan(r.data()[2]));
  CHECK(r.data()[3] == 0.f && !std::signbit(r.data()[3]));
  CHECK(is_canonical_nan(r.data()[4]));
  const rd::tensor<float> s = rd::sqrt(rd::tensor<float>{-0.f, -1.f, 0x1p-149f}.to(rd::cuda)).cpu();
  CHECK(s.data()[0] == 0.f && std::signbit(s.data()[0]));
  CHECK(is_canonical_nan(s.data()[1]));
  CHECK(s.data()[2] > 0.f);  // the smallest subnormal is not flushed
  CHECK(rd::rsqrt(rd::scalar(0x1p-149f, rd::cuda)).item() ==
        rd::rsqrt(rd::scalar(0x1p-149f)).item());
}

CUDA_TEST(forms_float) { check_forms_for<float>(); }
CUDA_TEST(forms_double) { check_forms_for<double>(); }
CUDA_TEST(forms_half) { check_forms_for<rd::half>(); }
CUDA_TEST(forms_bfloat16) { check_forms_for<rd::bfloat16>(); }

CUDA_TEST(integral_and_bool_inputs_give_float) {
  const rd::tensor<std::int32_t> i = {1, 4, 9, 0, -4};
  const auto ri = rd::rsqrt(i.to(rd::cuda));
  static_assert(std::is_same<decltype(ri), const dtensor<float>>::value, "int32 -> float");
  CHECK(same_tensor(ri.cpu(), rd::rsqrt(i)));
  const rd::tensor<std::int64_t> l = {(std::int64_t{1} << 62) + 3, 16};
  CHECK(same_tensor(rd::sqrt(l.to(rd::cuda)).cpu(), rd::sqrt(l)));
  const rd::tensor<bool> b = {true, false};
  CHECK(same_tensor(rd::rsqrt(b.to(rd::cuda)).cpu(), rd::rsqrt(b)));
  const rd::tensor<std::uint8_t> u = {255, 2};
  CHECK(same_tensor(u.to(rd::cuda).sqrt().cpu(), u.sqrt()));
  // Computed in the result type, then rounded to out's type.
  dtensor<rd::half> oh = rd::empty<rd::half>({5}, rd::cuda);
  rd::rsqrt(i.to(rd::cuda), oh);
  rd::tensor<rd::half> oh_cpu = rd::empty<rd::half>({5});
  rd::rsqrt(i, oh_cpu);
  CHECK(same_tensor(oh.cpu(), oh_cpu));
  dtensor<double> od = rd::empty<double>({2, 2}, rd::cuda);
  const rd::tensor<float> f = {{2.f, 3.f}, {5.f, 7.f}};
  rd::sqrt(f.to(rd::cuda).t(), od);
  rd::tensor<double> od_cpu = rd::empty<double>({2, 2});
  rd::sqrt(f.t(), od_cpu);
  CHECK(same_tensor(od.cpu(), od_cpu));
}

CUDA_TEST(out_rules) {
  const dtensor<float> x = rd::tensor<float>{{1.f, 4.f, 9.f}, {16.f, 25.f, 36.f}}.to(rd::cuda);
  // Wrong shape: shape_error, nothing written.
  dtensor<float> wrong = rd::full<float>({3, 2}, 7.f, rd::cuda);
  CHECK_THROWS_AS(rd::rsqrt(x, wrong), rd::shape_error);
  CHECK(same_tensor(wrong.cpu(), rd::full<float>({3, 2}, 7.f)));
  try {
    rd::rsqrt(x, wrong);
  } catch (const rd::shape_error& e) {
    CHECK(std::string(e.what()) ==
          "radicand::rsqrt: out has shape [3, 2] but the result has shape [2, 3]");
  }
  // Empty out: resized, on the input's device.
  dtensor<float> empty = rd::empty<float>({0}, rd::cuda);
  rd::sqrt(x, empty);
  CHECK(empty.shape() == x.shape());
  CHECK(same_tensor(empty.cpu(), rd::sqrt(x.cpu())));
  // The input itself, and the same view: in place.
  dtensor<float> y = x.clone();
  rd::rsqrt(y, y);
  CHECK(same_tensor(y.cpu(), rd::rsqrt(x).cpu()));
  dtensor<float> z = x.clone();
  dtensor<float> z_view = z.slice(0, 0, 2);
  rd::sqrt(z, z_view);
  CHECK(same_tensor(z.cpu(), rd::sqrt(x).cpu()));
  // Partial overlap, and an out whose elements overlap: overlap_error, nothing written.
  dtensor<float> w = rd::arange<float>(1.f, 13.f, rd::cuda);
  const rd::tensor<float> w_before = w.cpu();
  dtensor<float> tail = w.slice(0, 1, 7);
  CHECK_THROWS_AS(rd::rsqrt(w.slice(0, 0, 6), tail), rd::overlap_error);
  dtensor<float> expanded = rd::zeros<float>({1, 3}, rd::cuda).expand({2, 3});
  CHECK_THROWS_AS(rd::rsqrt(x, expanded), rd::overlap_error);
  dtensor<float> e2 = rd::ones<float>({3}, rd::cuda).expand({4, 3});
  CHECK_THROWS_AS(rd::rsqrt_(e2), rd::overlap_error);
  CHECK(same_tensor(w.cpu(), w_before));
  // An out of another element type is written in its type.
  dtensor<rd::bfloat16> ob = rd::empty<rd::bfloat16>({2, 3}, rd::cuda);
  rd::rsqrt(x, ob);
  rd::tensor<rd::bfloat16> ob_cpu = rd::empty<rd::bfloat16>({2, 3});
  rd::rsqrt(x.cpu(), ob_cpu);
  CHECK(same_tensor(ob.cpu(), ob_cpu));
  // A temporary out is returned.
  CHECK(same_tensor(rd::sqrt(x, rd::empty<float>({2, 3}, rd::cuda)).cpu(), rd::sqrt(x.cpu())));
}

CUDA_TEST(views_and_layouts) {
  const rd::tensor<float> h = rd::rand<float>({6, 5, 4}, 11) * 100.f;
  const dtensor<float> d = h.to(rd::cuda);
  // Transposed: the result keeps the transposed layout (one contiguous run, vectorised).
  const dtensor<float> rt = rd::rsqrt(d.transpose(0, 2));
  CHECK(rt.strides() == d.transpose(0, 2).strides());
  CHECK(same_tensor(rt.cpu(), rd::rsqrt(h.transpose(0, 2))));
  CHECK(same_tensor(rd::sqrt(d.permute({1, 2, 0})).cpu(), rd::sqrt(h.permute({1, 2, 0}))));
  // Non-dense inputs: a contiguous result.
  const dtensor<float> rs = rd::rsqrt(d.slice(1, 1, 5, 2));
  CHECK(rs.is_contiguous());
  CHECK(same_tensor(rs.cpu(), rd::rsqrt(h.slice(1, 1, 5, 2))));
  CHECK(same_tensor(rd::sqrt(d.select(2, 3)).cpu(), rd::sqrt(h.select(2, 3))));
  // Expanded input (stride 0).
  CHECK(same_tensor(rd::rsqrt(d[0][0].expand({3, 4})).cpu(), rd::rsqrt(h[0][0].expand({3, 4}))));
  // Strided out.
  dtensor<float> big = rd::zeros<float>({5, 6, 4}, rd::cuda);
  dtensor<float> out_view = big.transpose(0, 1).slice(1, 0, 5);
  rd::rsqrt(d.slice(2, 0, 4), out_view);
  CHECK(same_tensor(out_view.cpu(), rd::rsqrt(h)));
  // In place on a strided view.
  dtensor<float> e = d.clone();
  dtensor<float> col = e.select(1, 2);
  col.sqrt_();
  rd::tensor<float> e_cpu = h.clone();
  rd::tensor<float> col_cpu = e_cpu.select(1, 2);
  col_cpu.sqrt_();
  CHECK(same_tensor(e.cpu(), e_cpu));
  // A slice x[1:] and a result allocated aligned: different alignment, still exact.
  const rd::tensor<float> flat = rd::rand<float>({1000}, 5);
  const dtensor<float> dflat = flat.to(rd::cuda);
  CHECK(same_tensor(rd::rsqrt(dflat.slice(0, 1, 1000)).cpu(), rd::rsqrt(flat.slice(0, 1, 1000))));
  // Into another slice with the same misalignment (the vectorised path with a scalar head).
  dtensor<float> dst = rd::zeros<float>({1000}, rd::cuda);
  dtensor<float> dst_tail = dst.slice(0, 1, 1000);
  rd::rsqrt(dflat.slice(0, 1, 1000), dst_tail);
  CHECK(same_tensor(dst_tail.cpu(), rd::rsqrt(flat.slice(0, 1, 1000))));
  dtensor<float> inplace = dflat.clone();
  dtensor<float> inplace_tail = inplace.slice(0, 3, 1000);
  inplace_tail.rsqrt_();
  CHECK(same_tensor(inplace_tail.cpu(), rd::rsqrt(flat.slice(0, 3, 1000))));
}

namespace {
template <class T>
void check_raw_alignment_sweep() {
  constexpr std::size_t cap = 300;
  T* in = nullptr;
  T* out = nullptr;
  REQUIRE(cudaMalloc(&in, (cap + 16) * sizeof(T)) == cudaSuccess);
  REQUIRE(cudaMalloc(&out, (cap + 16) * sizeof(T)) == cudaSuccess);
  std::vector<T> host(cap + 16);
  for (std::size_t i = 0; i < host.size(); ++i)
    host[i] = rd::detail::convert<T>(0.37 * static_cast<double>(i) + 0.01);
  cudaMemcpy(in, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice);
  std::vector<T> expected(cap + 16), got(cap + 16);
  rd::kernels::rsqrt(host.data(), expected.data(), host.size());
  int bad = 0;
  for (std::size_t a = 0; a < 16 / sizeof(T) + 1; ++a)
    for (std::size_t b = 0; b < 16 / sizeof(T) + 1; ++b)
      for (std::size_t n :
           {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{8},
            std::size_t{9}, std::size_t{31}, std::size_t{33}, std::size_t{255}, cap}) {
        cudaMemset(out, 0, (cap + 16) * sizeof(T));
        rd::cuda::rsqrt(in + a, out + b, n);
        cudaMemcpy(got.data(), out, got.size() * sizeof(T), cudaMemcpyDeviceToHost);
        for (std::size_t i = 0; i < n; ++i)
          if (!same_value(got[b + i], expected[a + i])) ++bad;
        for (std::size_t i = 0; i < b; ++i)  // nothing before out is written
          if (!same_value(got[i], rd::detail::convert<T>(0.0))) ++bad;
        if (b + n < got.size() && !same_value(got[b + n], rd::detail::convert<T>(0.0))) ++bad;
      }
  CHECK(bad == 0);
  // In place, misaligned.
  rd::cuda::sqrt(in + 1, in + 1, cap);
  cudaMemcpy(got.data(), in, got.size() * sizeof(T), cudaMemcpyDeviceToHost);
  rd::kernels::sqrt(host.data() + 1, expected.data() + 1, cap);
  bad = 0;
  for (std::size_t i = 1; i <= cap; ++i)
    if (!same_value(got[i], expected[i])) ++bad;
  CHECK(bad == 0);
  cudaFree(in);
  cudaFree(out);
}
}  // namespace

CUDA_TEST(raw_api_alignment_sweep) {
  check_raw_alignment_sweep<float>();
  check_raw_alignment_sweep<double>();
  check_raw_alignment_sweep<rd::half>();
  check_raw_alignment_sweep<rd::bfloat16>();
}

CUDA_TEST(streams) {
  cudaStream_t s = nullptr;
  REQUIRE(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking) == cudaSuccess);
  CHECK(rd::cuda::current_stream() == nullptr);
  const rd::tensor<float> h = rd::rand<float>({1 << 20}, 9);
  {
    rd::cuda::stream_guard guard(s);
    CHECK(rd::cuda::current_stream() == s);
    const dtensor<float> d = h.to(rd::cuda);
    const dtensor<float> r = rd::rsqrt(d);
    dtensor<float> again = d.clone();
    again.rsqrt_();
    CHECK(same_tensor(r.cpu(), rd::rsqrt(h)));  // cpu() waits for the current stream
    CHECK(same_tensor(again.cpu(), rd::rsqrt(h)));
    {
      rd::cuda::stream_guard inner(nullptr);
      CHECK(rd::cuda::current_stream() == nullptr);
    }
    CHECK(rd::cuda::current_stream() == s);
    rd::cuda::synchronize();
  }
  CHECK(rd::cuda::current_stream() == nullptr);
  // The raw API on an explicit stream.
  float* p = nullptr;
  REQUIRE(cudaMalloc(&p, 1024 * sizeof(float)) == cudaSuccess);
  cudaMemcpyAsync(p, h.data(), 1024 * sizeof(float), cudaMemcpyHostToDevice, s);
  rd::cuda::rsqrt(p, p, 1024, s);
  std::vector<float> back(1024);
  cudaMemcpyAsync(back.data(), p, 1024 * sizeof(float), cudaMemcpyDeviceToHost, s);
  cudaStreamSynchronize(s);
  CHECK(same_tensor(rd::from_vector(back), rd::rsqrt(h.slice(0, 0, 1024))));
  cudaFree(p);
  cudaStreamDestroy(s);
}

/// Keeps a stream busy for about `ms` milliseconds, so that work queued behind it runs late.
__global__ void spin_kernel(long long cycles) {
  const long long start = clock64();
  while (clock64() - start < cycles) {
  }
}

long long cycles_for_ms(int ms) {
  int khz = 0;
  cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, 0);
  return static_cast<long long>(khz > 0 ? khz : 2000000) * ms;
}

CUDA_TEST(storage_used_on_another_stream_is_freed_after_that_use) {
  cudaStream_t s = nullptr;
  REQUIRE(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking) == cudaSuccess);
  const rd::tensor<float> h = rd::rand<float>({1 << 22}, 21);
  dtensor<float> out = rd::empty<float>({1 << 22}, rd::cuda);
  {
    const dtensor<float> in = h.to(rd::cuda);  // on the legacy stream
    rd::cuda::synchronize();
    const rd::cuda::stream_guard guard(s);
    spin_kernel<<<1, 1, 0, s>>>(cycles_for_ms(200));
    rd::rsqrt(in, out);  // queued on s behind the spin
  }  // in's last handle goes with the legacy stream current, while s has still to read it
  // A tensor of the same size on the legacy stream, written at once, may be given in's block
  // only after s has read it.
  dtensor<float> other = rd::empty<float>({1 << 22}, rd::cuda);
  other.fill_(-1.f);
  REQUIRE(cudaStreamSynchronize(s) == cudaSuccess);
  CHECK(same_tensor(out.cpu(), rd::rsqrt(h)));
  {
    // A copy from the host, queued on s behind a spin, into a tensor dropped after the guard: a
    // tensor given its block must not receive the copy.
    const rd::cuda::stream_guard guard(s);
    spin_kernel<<<1, 1, 0, s>>>(cycles_for_ms(200));
    (void)h.to(rd::cuda);
  }
  dtensor<float> next = rd::empty<float>({1 << 22}, rd::cuda);
  next.fill_(-1.f);
  REQUIRE(cudaStreamSynchronize(s) == cudaSuccess);
  CHECK(same_tensor(next.cpu(), rd::full<float>({1 << 22}, -1.f)));
  cudaStreamDestroy(s);
}

__global__ void noop_kernel() {}

CUDA_TEST(an_error_left_by_the_callers_launch_is_reported_as_theirs) {
  const rd::tensor<float> h = {1.f, 4.f};
  const dtensor<float> d = h.to(rd::cuda);
  noop_kernel<<<0, 1>>>();  // an invalid configuration, pending until its owner asks
  try {
    (void)rd::rsqrt(d);
    CHECK(false);
  } catch (const rd::device_error& e) {
    const std::string what = e.what();
    CHECK(what.find("pending, not this operation's") != std::string::npos);
    CHECK(what.find("cudaErrorInvalidConfiguration") != std::string::npos);
  }
  CHECK(cudaGetLastError() == cudaErrorInvalidConfiguration);
  CHECK(same_tensor(rd::rsqrt(d).cpu(), rd::rsqrt(h)));
}

CUDA_TEST(the_pool_keeps_its_memory_across_synchronisations) {
  (void)rd::empty<float>({16}, rd::cuda);
  cudaMemPool_t pool = nullptr;
  REQUIRE(cudaDeviceGetDefaultMemPool(&pool, 0) == cudaSuccess);
  std::uint64_t threshold = 0;
  REQUIRE(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold) ==
          cudaSuccess);
  CHECK(threshold == UINT64_MAX);
}

CUDA_TEST(empty_and_zero_d) {
  const dtensor<float> e = rd::empty<float>({2, 0, 3}, rd::cuda);
  CHECK(rd::rsqrt(e).shape() == e.shape());
  CHECK(rd::sqrt(e).numel() == 0);
  dtensor<float> e2 = e;
  e2.rsqrt_();
  CHECK(e.cpu().shape() == e.shape());
  CHECK(rd::to_string(e) == "tensor([], device='cuda:0', size=(2, 0, 3))");
  const dtensor<double> s = rd::scalar(4.0, rd::cuda);
  CHECK(rd::rsqrt(s).item() == 0.5);
  CHECK(rd::rsqrt(s).dim() == 0);
  dtensor<double> so = rd::scalar(0.0, rd::cuda);
  rd::sqrt(s, so);
  CHECK(so.item() == 2.0);
  CHECK_THROWS_AS(rd::ones<float>({2}, rd::cuda).item(), rd::shape_error);
}

CUDA_TEST(device_errors) {
  // Far more than any device has: out of memory is rd::memory_error naming the bytes (2^62) and
  // the call.
  try {
    (void)rd::empty<float>({std::int64_t{1} << 60}, rd::cuda);
    CHECK(false);
  } catch (const rd::memory_error& e) {
    const std::string what = e.what();
    CHECK(what.find("radicand::empty: cannot allocate 4611686018427387904 bytes on cuda:0") == 0);
    CHECK(what.find("cudaMallocAsync") != std::string::npos);
  }
  // A device that does not exist.
  CHECK_THROWS_AS(rd::empty<float>({4}, rd::cuda_t{rd::cuda::device_count()}), rd::device_error);
  // The runtime is still usable afterwards.
  CHECK(rd::rsqrt(rd::scalar(4.f, rd::cuda)).item() == 0.5f);
}

namespace {

/// A host tensor of `shape` cycling through values every path of the operators meets (signed
/// zeros, infinities, NaN, values that overflow small integers, fractions), from `phase` on.
template <class T>
rd::tensor<T> operator_values(const std::vector<std::int64_t>& shape, std::size_t phase) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> v = {0.0,    -0.0, 1.0,   -1.0,  2.5,  -3.0,  7.0, 100.0, 127.0,
                                 -128.0, 3e4,  1e-3,  inf,   -inf, NAN,   0.1, 3.0,   -250.0,
                                 65504., 0.5,  1e300, -7.25, 2.0,  1e-40, 33.0};
  rd::tensor<T> r = rd::empty<T>(shape);
  for (std::int64_t i = 0; i < r.numel(); ++i)
    r.data()[i] = rd::detail::convert<T>(v[(static_cast<std::size_t>(i) * 7 + phase) % v.size()]);
  return r;
}

/// Every operator form on the device against the host, bit for bit: tensor op tensor with
/// broadcasting and views, tensor op scalar, scalar op tensor, and the compound assignments.
template <class A, class B>
void check_arithmetic_for() {
  using R = decltype(std::declval<rd::tensor<A>>() + std::declval<rd::tensor<B>>());
  static_assert(std::is_same<decltype(std::declval<dtensor<A>>() + std::declval<dtensor<B>>()),
                             dtensor<typename R::value_type>>::value,
                "the device result has the host's element type");
  constexpr bool both_bool = std::is_same<A, bool>::value && std::is_same<B, bool>::value;
  const rd::tensor<A> ha = operator_values<A>({3, 1, 5}, 0);
  const rd::tensor<B> hb = operator_values<B>({4, 5}, 11);
  const dtensor<A> da = ha.to(rd::cuda);
  const dtensor<B> db = hb.to(rd::cuda);
  CHECK((da + db).device() == rd::cuda);
  CHECK(same_tensor((da + db).cpu(), ha + hb));
  if constexpr (!both_bool) CHECK(same_tensor((da - db).cpu(), ha - hb));
  CHECK(same_tensor((da * db).cpu(), ha * hb));
  CHECK(same_tensor((da / db).cpu(), ha / hb));
  // Views as operands: a transposed tensor, a stepped slice, an expanded row.
  CHECK(same_tensor((da.transpose(0, 2) * db.slice(1, 0, 3)).cpu(),
                    ha.transpose(0, 2) * hb.slice(1, 0, 3)));
  CHECK(same_tensor((da + db.slice(0, 0, 4, 2)).cpu(), ha + hb.slice(0, 0, 4, 2)));
  CHECK(same_tensor((db[2].expand({6, 5}) / da[1]).cpu(), hb[2].expand({6, 5}) / ha[1]));
  // Scalars of every kind (passed with the launch), on either side.
  CHECK(same_tensor((da + 2).cpu(), ha + 2));
  CHECK(same_tensor((2.5 * da).cpu(), 2.5 * ha));
  CHECK(same_tensor((1.f / da).cpu(), 1.f / ha));
  CHECK(same_tensor((da / 0).cpu(), ha / 0));
  CHECK(same_tensor((da * true).cpu(), ha * true));
  CHECK(same_tensor((rd::half(0.75f) - db).cpu(), rd::half(0.75f) - hb));
  // 0-d operands.
  CHECK(same_tensor((da * db[1][2]).cpu(), ha * hb[1][2]));
  // The compound assignments, where the result fits the tensor's type.
  using P = rd::promote_t<A, B>;
  if constexpr (rd::detail::category_v<P> <= rd::detail::category_v<A> && !both_bool) {
    rd::tensor<A> hx = ha.expand({3, 4, 5}).contiguous();
    dtensor<A> dx = hx.to(rd::cuda);
    hx += hb;
    dx += db;
    CHECK(same_tensor(dx.cpu(), hx));
    hx *= hb.slice(0, 1, 2);
    dx *= db.slice(0, 1, 2);
    CHECK(same_tensor(dx.cpu(), hx));
    hx -= hb;
    dx -= db;
    CHECK(same_tensor(dx.cpu(), hx));
    hx *= 3;
    dx *= 3;
    CHECK(same_tensor(dx.cpu(), hx));
    rd::tensor<A> hcol = hx.select(2, 1);  // a strided view written in place
    dtensor<A> dcol = dx.select(2, 1);
    hcol -= hb.select(1, 0);
    dcol -= db.select(1, 0);
    CHECK(same_tensor(dx.cpu(), hx));
    if constexpr (rd::is_floating_element<A>::value) {
      hx /= hb;
      dx /= db;
      CHECK(same_tensor(dx.cpu(), hx));
      hx /= 0.3;
      dx /= 0.3;
      CHECK(same_tensor(dx.cpu(), hx));
    }
  }
}

}  // namespace

CUDA_TEST(arithmetic_same_type) {
  check_arithmetic_for<float, float>();
  check_arithmetic_for<double, double>();
  check_arithmetic_for<rd::half, rd::half>();
  check_arithmetic_for<rd::bfloat16, rd::bfloat16>();
  check_arithmetic_for<std::int32_t, std::int32_t>();
  check_arithmetic_for<std::int64_t, std::int64_t>();
  check_arithmetic_for<std::int8_t, std::int8_t>();  // wraps modulo 2^8
  check_arithmetic_for<std::uint8_t, std::uint8_t>();
  check_arithmetic_for<std::int16_t, std::int16_t>();
  check_arithmetic_for<bool, bool>();
}

CUDA_TEST(arithmetic_mixed_types) {
  check_arithmetic_for<float, rd::half>();
  check_arithmetic_for<rd::half, rd::bfloat16>();  // promotes to float
  check_arithmetic_for<rd::bfloat16, double>();
  check_arithmetic_for<double, std::int64_t>();
  check_arithmetic_for<std::int32_t, float>();
  check_arithmetic_for<std::uint8_t, std::int8_t>();  // promotes to int16
  check_arithmetic_for<bool, std::int32_t>();
  check_arithmetic_for<float, bool>();
}

CUDA_TEST(arithmetic_rules) {
  const dtensor<float> x = rd::arange<float>(1.f, 7.f, rd::cuda).reshape({2, 3});
  // Shapes that do not broadcast: shape_error, before anything is allocated or written.
  try {
    (void)(x + rd::ones<float>({2}, rd::cuda));
    CHECK(false);
  } catch (const rd::shape_error& e) {
    CHECK(std::string(e.what()).find("radicand::add: ") == 0);
  }
  dtensor<float> y = x.clone();
  const rd::tensor<float> y_before = y.cpu();
  CHECK_THROWS_AS(y += rd::ones<float>({4, 2, 3}, rd::cuda), rd::shape_error);
  // Writing into a tensor that partly overlaps the operand, or into an expanded one.
  dtensor<float> w = rd::arange<float>(1.f, 13.f, rd::cuda);
  const rd::tensor<float> w_before = w.cpu();
  dtensor<float> w_tail = w.slice(0, 1, 7);
  CHECK_THROWS_AS(w_tail += w.slice(0, 0, 6), rd::overlap_error);
  dtensor<float> expanded = rd::zeros<float>({1, 3}, rd::cuda).expand({2, 3});
  CHECK_THROWS_AS(expanded *= 2.f, rd::overlap_error);
  CHECK(same_tensor(w.cpu(), w_before));
  CHECK(same_tensor(y.cpu(), y_before));
  // The operand itself, as the same view, may be the target.
  dtensor<float> z = x.clone();
  z *= z;
  CHECK(same_tensor(z.cpu(), x.cpu() * x.cpu()));
  // Empty and 0-d.
  const dtensor<float> e = rd::empty<float>({2, 0}, rd::cuda);
  CHECK((e + 1.f).shape() == e.shape());
  CHECK((rd::scalar(6.f, rd::cuda) / rd::scalar(4.f, rd::cuda)).item() == 1.5f);
  // Large enough for several blocks and the grid-stride loop.
  const rd::tensor<float> big = rd::randn<float>({1 << 21}, 4);
  const dtensor<float> dbig = big.to(rd::cuda);
  CHECK(same_tensor((dbig * dbig.rsqrt() - 1.f).cpu(), big * big.rsqrt() - 1.f));
}

CUDA_TEST(scalars_keep_their_value_and_0d_tensors_promote_by_category) {
  // An integer scalar past the tensor's range divides at its value (PyTorch: 0.1, 0.01953125, 10).
  const dtensor<std::int8_t> i8 = rd::tensor<std::int8_t>{100}.to(rd::cuda);
  CHECK((i8 / 1000).item() == 0.1f);
  CHECK((rd::tensor<std::uint8_t>{5}.to(rd::cuda) / 256).item() == 0.01953125f);
  CHECK((1000 / i8).item() == 10.f);
  CHECK((i8 + 1000).item() == static_cast<std::int8_t>(76));  // 1100 modulo 2^8
  // half and bfloat16 take a double scalar in float and round once (PyTorch: 35008, 3.015625).
  const dtensor<rd::half> h = rd::tensor<rd::half>{rd::half(0.5f), rd::half(-65504.f)}.to(rd::cuda);
  const rd::tensor<rd::half> hm = (h * 70000.0).cpu();
  CHECK(hm.at({0}).bits == rd::half(35008.f).bits);
  CHECK((h + 70000.0).cpu().at({1}).bits == rd::half(4496.f).bits);
  dtensor<rd::bfloat16> b = rd::tensor<rd::bfloat16>{rd::bfloat16(3.f)}.to(rd::cuda);
  b *= 1.005;
  CHECK(static_cast<float>(b.item()) == 3.015625f);
  CHECK(static_cast<float>((rd::tensor<rd::half>{rd::half(1.f)}.to(rd::cuda) / 0.3).item()) ==
        3.333984375f);
  // rd::scalar counts by its category beside a dimensioned tensor; a plain 0-d tensor gives
  // PyTorch's values in the wider type.
  const dtensor<float> f = rd::tensor<float>{1.f, 2.f}.to(rd::cuda);
  const auto fs = f + rd::scalar(0x1p-24 + 0x1p-50, rd::cuda);
  static_assert(std::is_same<decltype(fs), const dtensor<float>>::value, "float32 + 0-d: float32");
  CHECK(fs.cpu().at({0}) == 1.f);  // float arithmetic: 1 + 2^-24 is a tie
  const dtensor<double> d0 = rd::scalar(0x1p-24 + 0x1p-50, rd::cuda);
  CHECK((f + d0).cpu().at({0}) == 1.0);
  CHECK((f.reshape({2, 1})[0].reshape({}) + d0).item() == 1.0 + 0x1p-24 + 0x1p-50);  // both 0-d
  const dtensor<std::int32_t> im = rd::tensor<std::int32_t>{2147483647}.to(rd::cuda);
  CHECK((im + rd::scalar(std::int64_t{1}, rd::cuda)).item() == -2147483647 - 1);
  // Every conversion to bool compares in the source type.
  CHECK(rd::tensor<double>{1e-50}.to(rd::cuda).to<bool>().item());
  // The same bits as the host, for many values.
  const rd::tensor<rd::half> hv = operator_values<rd::half>({64}, 3);
  const dtensor<rd::half> dv = hv.to(rd::cuda);
  for (const double s : {1.005, 0.3, 70000.0, -1e-6, 0.5001}) {
    CHECK(same_tensor((dv + s).cpu(), hv + s));
    CHECK(same_tensor((dv * s).cpu(), hv * s));
    CHECK(same_tensor((s / dv).cpu(), s / hv));
  }
}

CUDA_TEST(at_reads_device_elements) {
  const rd::tensor<float> h = {{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
  const dtensor<float> d = h.to(rd::cuda);
  static_assert(std::is_same<decltype(d.at({0, 0})), float>::value, "a value, not a reference");
  CHECK(d.at({1, 2}) == 6.f);
  CHECK(d.at({-1, 0}) == 4.f);
  CHECK(d.t().at({2, 1}) == 6.f);
  CHECK(d.slice(1, 1, 3).at({0, 1}) == 3.f);
  CHECK(rd::scalar(3.0, rd::cuda).at({}) == 3.0);
  CHECK_THROWS_AS(d.at({2, 0}), rd::index_error);
  CHECK_THROWS_AS(d.at({0}), rd::index_error);
  // at() waits for the work queued before it.
  dtensor<float> r = d.clone();
  r.rsqrt_();
  CHECK(r.at({0, 1}) == rd::rsqrt(h).at({0, 1}));
}

CUDA_TEST(copies_keep_a_dense_layout) {
  const rd::tensor<float> h = rd::rand<float>({3, 4, 5}, 2);
  // A permuted tensor is dense: the copies keep its strides, as PyTorch's to() does.
  const rd::tensor<float> hp = h.permute({2, 0, 1});
  const dtensor<float> dp = hp.to(rd::cuda);
  CHECK(dp.strides() == hp.strides());
  CHECK(same_tensor(dp.cpu(), hp));
  CHECK(dp.cpu().strides() == hp.strides());
  CHECK(dp.transpose(1, 2).cpu().strides() == hp.transpose(1, 2).strides());
  // A dense view inside a larger storage.
  const rd::tensor<float> row = h[1].t();
  const dtensor<float> drow = row.to(rd::cuda);
  CHECK(drow.strides() == row.strides());
  CHECK(same_tensor(drow.cpu(), row));
  // Not dense (stepped, expanded): contiguous copies.
  const dtensor<float> ds = h.slice(2, 0, 5, 2).to(rd::cuda);
  CHECK(ds.is_contiguous());
  CHECK(same_tensor(ds.cpu(), h.slice(2, 0, 5, 2)));
  const dtensor<float> de = h[0][0].expand({2, 5}).to(rd::cuda);
  CHECK(de.is_contiguous());
  CHECK(same_tensor(de.cpu(), h[0][0].expand({2, 5})));
  CHECK(rd::from_blob(dp.data(), {4, 5}, {1, 4}, rd::cuda).cpu().strides() ==
        (std::vector<std::int64_t>{1, 4}));
}

namespace {

/// copy_, view assignment, fill_, zero_ and unary minus on the device against the same on the
/// host (which the CPU suite checks against independent references), from B into A.
template <class A, class B>
void check_writes_for() {
  std::printf("  %s from %s\n", rd::dtype_name<A>(), rd::dtype_name<B>());
  const rd::tensor<B> hs = rd::randn<float>({4, 3}, 7).to<B>();
  const dtensor<B> ds = hs.to(rd::cuda);
  rd::tensor<A> hx = rd::zeros<A>({3, 4, 3});
  dtensor<A> dx = hx.to(rd::cuda);
  hx.copy_(hs[1]);  // broadcast, converted
  dx.copy_(ds[1]);
  CHECK(same_tensor(dx.cpu(), hx));
  hx.transpose(0, 1) = hs.view({4, 1, 3});  // into a transposed view, from a broadcast column
  dx.transpose(0, 1) = ds.view({4, 1, 3});
  CHECK(same_tensor(dx.cpu(), hx));
  hx[2].slice(1, 0, 3, 2) = rd::scalar(rd::detail::convert<B>(3));  // a strided view, 0-d source
  dx[2].slice(1, 0, 3, 2) = rd::scalar(rd::detail::convert<B>(3), rd::cuda);
  CHECK(same_tensor(dx.cpu(), hx));
  hx[1] = 1;  // a host scalar, passed with the launch
  dx[1] = 1;
  CHECK(same_tensor(dx.cpu(), hx));
  hx.select(2, 1).fill_(hs[0][0]);
  dx.select(2, 1).fill_(ds[0][0]);
  CHECK(same_tensor(dx.cpu(), hx));
  hx.fill_(hx[0][0][0]);  // one of its own elements
  dx.fill_(dx[0][0][0]);
  CHECK(same_tensor(dx.cpu(), hx));
  hx.slice(0, 1, 3).zero_();
  dx.slice(0, 1, 3).zero_();
  CHECK(same_tensor(dx.cpu(), hx));
  if constexpr (!std::is_same<A, bool>::value) {
    const rd::tensor<A> hv = (rd::randn<float>({5, 6}, 3) * 100.f).to<A>();
    const dtensor<A> dv = hv.to(rd::cuda);
    CHECK(same_tensor((-dv).cpu(), -hv));
    CHECK(same_tensor((-dv.t()).cpu(), -hv.t()));
    CHECK(same_tensor((-dv[1].expand({2, 6})).cpu(), -hv[1].expand({2, 6})));
  }
}

}  // namespace

CUDA_TEST(writes_into_device_tensors) {
  check_writes_for<float, float>();
  check_writes_for<double, float>();
  check_writes_for<rd::half, double>();
  check_writes_for<rd::bfloat16, rd::half>();
  check_writes_for<std::int32_t, float>();
  check_writes_for<std::int8_t, std::int64_t>();  // wraps
  check_writes_for<std::uint8_t, rd::bfloat16>();
  check_writes_for<bool, float>();
  check_writes_for<float, bool>();
  check_writes_for<std::int64_t, std::int64_t>();
  // Integers wrap under negation on the device too: -INT8_MIN == INT8_MIN.
  const dtensor<std::int8_t> m = rd::tensor<std::int8_t>{-128, 127, -1}.to(rd::cuda);
  const rd::tensor<std::int8_t> nm = (-m).cpu();
  CHECK(nm.at({0}) == -128);
  CHECK(nm.at({1}) == -127);
  CHECK(nm.at({2}) == 1);
  // The write rules: refusals write nothing.
  dtensor<float> w = rd::arange<float>(0.f, 8.f, rd::cuda);
  const rd::tensor<float> w_before = w.cpu();
  CHECK_THROWS_AS(w.slice(0, 1, 8).copy_(w.slice(0, 0, 7)), rd::overlap_error);
  CHECK_THROWS_AS(w.slice(0, 0, 1).expand({4}).fill_(1.f), rd::overlap_error);
  CHECK_THROWS_AS(w.slice(0, 0, 4) = rd::ones<float>({3}, rd::cuda), rd::shape_error);
  CHECK_THROWS_AS(w.fill_(1e39), rd::value_error);
  CHECK(same_tensor(w.cpu(), w_before));
  // Large enough for several blocks.
  dtensor<float> big = rd::empty<float>({1 << 21}, rd::cuda);
  big.fill_(2.5f);
  big.slice(0, 0, 1 << 21, 2).copy_(rd::scalar(1.0, rd::cuda));
  const rd::tensor<float> hb = big.cpu();
  int wrong = 0;
  for (std::int64_t i = 0; i < hb.numel(); ++i)
    if (hb.data()[i] != (i % 2 == 0 ? 1.f : 2.5f)) ++wrong;
  CHECK(wrong == 0);
  // A moved-from device tensor is the empty tensor.
  dtensor<float> moved = rd::ones<float>({3}, rd::cuda);
  const dtensor<float> taker = std::move(moved);  // NOLINT: moved is used after the move
  moved.fill_(5.f);
  CHECK(rd::to_string(moved) == "tensor([], device='cuda:0')");
  CHECK((-moved).shape() == (std::vector<std::int64_t>{0}));
  CHECK(same_tensor(taker.cpu(), rd::ones<float>({3})));
}

CUDA_TEST(second_device) {
  if (rd::cuda::device_count() < 2) SKIP_CASE("one device: the copy between devices needs two");
  const rd::tensor<float> h = {1.f, 4.f, 9.f};
  const dtensor<float> d1 = h.to(rd::cuda_t{1});
  CHECK(d1.device() == rd::cuda_t{1});
  CHECK(rd::to_string(d1) == "tensor([1., 4., 9.], device='cuda:1')");
  CHECK(same_tensor(rd::rsqrt(d1).cpu(), rd::rsqrt(h)));
  CHECK(same_tensor(d1.to(rd::cuda).cpu(), h));
  dtensor<float> o0 = rd::empty<float>({3}, rd::cuda);
  CHECK_THROWS_AS(rd::rsqrt(d1, o0), rd::error);
  CHECK_THROWS_AS(d1 + o0, rd::error);
  CHECK_THROWS_AS(o0 += d1, rd::error);
  CHECK(same_tensor((d1 * 2.f).cpu(), h * 2.f));
  // A copy between devices: the source's temporary block (a strided view) and the result are
  // ordered on both devices' streams, under a guard of either device.
  const rd::tensor<float> big = rd::rand<float>({1024, 1024}, 23);
  const dtensor<float> on0 = big.to(rd::cuda);
  const rd::tensor<float> every_other = big.slice(1, 0, 1024, 2).contiguous();
  for (int guarded : {0, 1}) {
    cudaStream_t s = nullptr;
    REQUIRE(cudaSetDevice(guarded) == cudaSuccess);
    REQUIRE(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking) == cudaSuccess);
    REQUIRE(cudaSetDevice(0) == cudaSuccess);
    dtensor<float> copy;
    {
      const rd::cuda::stream_guard guard(s);
      // cuda:0's side of the copy runs late: the copy, and the reads after it, must wait.
      if (guarded == 0) spin_kernel<<<1, 1, 0, s>>>(cycles_for_ms(200));
      copy = on0.slice(1, 0, 1024, 2).to(rd::cuda_t{1});
      CHECK(copy.device() == rd::cuda_t{1});
      // cpu() runs on cuda:1's stream: s where it is cuda:1's, else (after the guard) the
      // legacy one; the copy reached both.
      if (guarded == 1) CHECK(same_tensor(copy.cpu(), every_other));
      if (guarded == 1) {
        // A stream of cuda:1 for work on cuda:0: refused (where the runtime can tell, 12.8+).
#if CUDART_VERSION >= 12080
        CHECK_THROWS_AS(rd::empty<float>({4}, rd::cuda), rd::device_error);
        CHECK_THROWS_AS(rd::rsqrt(on0), rd::device_error);
#endif
      }
    }
    if (guarded == 0) CHECK(same_tensor(copy.cpu(), every_other));
    cudaStreamDestroy(s);
  }
}

// ---- Reductions and normalisations: the CPU's bits (API.md, reproducible) ----

template <class T>
rd::tensor<T> cancelling_values(const std::vector<std::int64_t>& shape, std::uint64_t seed) {
  rd::tensor<T> x = rd::randn<T>(shape, seed);
  // A common offset and some specials, so that rounding order shows.
  for (std::int64_t i = 0; i < x.numel(); ++i)
    x.data()[i] = rd::detail::convert<T>(rd::detail::convert<float>(x.data()[i]) * 3.0f + 100.0f);
  return x;
}

template <class T>
void check_reductions_for() {
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{
           {1}, {7}, {3, 257}, {5, 4096}, {2, 70001}, {300, 17}, {4, 0}, {0, 3}, {}}) {
    const rd::tensor<T> x =
        cancelling_values<T>(shape, static_cast<std::uint64_t>(shape.size() * 31 + 7));
    const dtensor<T> d = x.to(rd::cuda);
    CHECK(same_tensor(rd::sum(d).cpu(), rd::sum(x)));
    CHECK(same_tensor(rd::mean(d).cpu(), rd::mean(x)));
    CHECK(same_tensor(rd::var(d).cpu(), rd::var(x)));
    if (x.dim() >= 1) {
      CHECK(same_tensor(rd::sum(d, -1, true).cpu(), rd::sum(x, -1, true)));
      CHECK(same_tensor(rd::mean(d, 0).cpu(), rd::mean(x, 0)));
      CHECK(same_tensor(rd::var(d, 0, 0.0).cpu(), rd::var(x, 0, 0.0)));
    }
    if (x.dim() == 2) {
      const dtensor<T> t = d.transpose(0, 1);
      const rd::tensor<T> tc = x.transpose(0, 1);
      CHECK(same_tensor(rd::sum(t, -1).cpu(), rd::sum(tc, -1)));
      CHECK(same_tensor(rd::var(t, {0, 1}).cpu(), rd::var(tc, {0, 1})));
    }
  }
  // A NaN and an infinity: the canonical NaN, as on the CPU.
  rd::tensor<T> x = cancelling_values<T>({3, 600}, 5);
  x.data()[10] = std::numeric_limits<T>::quiet_NaN();
  x.data()[700] = std::numeric_limits<T>::infinity();
  x.data()[701] = -std::numeric_limits<T>::infinity();
  CHECK(same_tensor(rd::sum(x.to(rd::cuda), 1).cpu(), rd::sum(x, 1)));
  CHECK(same_tensor(rd::var(x.to(rd::cuda), 1).cpu(), rd::var(x, 1)));
}

template <class T>
void check_norms_for() {
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{
           {1}, {3, 17}, {33, 4096}, {4, 5000}, {2, 65536}, {2, 70001}, {2, 3, 0}, {0, 8}}) {
    rd::tensor<T> x = cancelling_values<T>(shape, 11);
    if (x.numel() > 20) x.data()[x.numel() - 3] = std::numeric_limits<T>::quiet_NaN();
    const std::int64_t n = shape.back();
    const rd::tensor<T> w = rd::randn<T>({n}, 2), b = rd::randn<T>({n}, 3), none;
    const dtensor<T> d = x.to(rd::cuda), dw = w.to(rd::cuda), db = b.to(rd::cuda), dnone;
    CHECK(same_tensor(rd::rms_norm(d, dw, 1e-6).cpu(), rd::rms_norm(x, w, 1e-6)));
    CHECK(same_tensor(rd::rms_norm(d, dnone).cpu(), rd::rms_norm(x, none)));
    CHECK(same_tensor(rd::layer_norm(d, dw, db).cpu(), rd::layer_norm(x, w, b)));
    CHECK(same_tensor(rd::layer_norm(d, dnone, dnone, 1e-3).cpu(),
                      rd::layer_norm(x, none, none, 1e-3)));
    CHECK(same_tensor(rd::layer_norm(d, dw, dnone).cpu(), rd::layer_norm(x, w, none)));
    CHECK(same_tensor(rd::layer_norm(d, dnone, db).cpu(), rd::layer_norm(x, none, b)));
  }
}

CUDA_TEST(reductions_float) { check_reductions_for<float>(); }
CUDA_TEST(reductions_double) { check_reductions_for<double>(); }
CUDA_TEST(reductions_half) { check_reductions_for<rd::half>(); }
CUDA_TEST(reductions_bfloat16) { check_reductions_for<rd::bfloat16>(); }

CUDA_TEST(integer_sums) {
  rd::tensor<std::int64_t> x = rd::empty<std::int64_t>({3, 1000});
  for (std::int64_t i = 0; i < x.numel(); ++i)
    x.data()[i] = (i % 7 == 0) ? std::numeric_limits<std::int64_t>::max() - i : -i * 1000003;
  CHECK(same_tensor(rd::sum(x.to(rd::cuda), 1).cpu(), rd::sum(x, 1)));
  CHECK(same_tensor(rd::sum(x.to(rd::cuda)).cpu(), rd::sum(x)));
  rd::tensor<bool> flags = rd::empty<bool>({4});
  for (std::int64_t i = 0; i < 4; ++i) flags.data()[i] = i != 1;
  CHECK(rd::sum(flags.to(rd::cuda)).cpu().item() == 3);
}

CUDA_TEST(norms_float) { check_norms_for<float>(); }
CUDA_TEST(norms_double) { check_norms_for<double>(); }
CUDA_TEST(norms_half) { check_norms_for<rd::half>(); }
CUDA_TEST(norms_bfloat16) { check_norms_for<rd::bfloat16>(); }

CUDA_TEST_MAIN()
