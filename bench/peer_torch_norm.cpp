// Peer: libtorch's normalisations and sum on the CPU, beside norm_bench.cpp, with
// torch::set_num_threads matched and under c10::InferenceMode:
// - LayerNorm: the fused torch::layer_norm(x, {4096}, weight, bias, eps);
// - RMSNorm as libtorch 1.13 users write it (it has no fused rms_norm): the expression of Hugging
//   Face's LlamaRMSNorm, which computes in float and rounds to the input's type before the
//   weight: xf = x.to(float); w * (xf * rsqrt(xf.pow(2).mean(-1, true) + eps)).to(x's dtype),
//   the conversions no-ops for float;
// - x.sum() of [4096, 4096] float.
// The JSON context records whether the results on 1 and 2 threads have the same bits.
#include "peer_torch.hpp"

namespace rbench {
namespace {

torch::Tensor rms_norm_expression(const torch::Tensor& x, const torch::Tensor& w, double eps) {
  const torch::Tensor xf = x.to(torch::kFloat);
  return w * (xf * torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps)).to(x.scalar_type());
}

/// x [rows, 4096], weight and bias [4096]: the inputs norm_bench.cpp gives radicand.
template <class T>
struct torch_norm_inputs {
  explicit torch_norm_inputs(std::int64_t rows)
      : in(make_inputs<T>(static_cast<std::size_t>(rows * norm_cols))),
        params(make_inputs<T>(static_cast<std::size_t>(3 * norm_cols))),
        x(view_of(in.data(), {rows, norm_cols})),
        weight(view_of(params.data(), {norm_cols})),
        bias(view_of(params.data() + 2 * norm_cols, {norm_cols})) {}
  buffer<T> in, params;
  torch::Tensor x, weight, bias;
};

template <class T>
torch::Tensor apply(norm k, const torch_norm_inputs<T>& a) {
  return k == norm::rms ? rms_norm_expression(a.x, a.weight, norm_eps(k))
                        : torch::layer_norm(a.x, {norm_cols}, a.weight, a.bias, norm_eps(k));
}

template <class T>
void torch_norm(benchmark::State& state, norm k, std::int64_t rows, int threads) {
  c10::InferenceMode guard;
  set_threads(threads);
  const torch_norm_inputs<T> a(rows);
  for (auto _ : state) {
    torch::Tensor y = apply(k, a);
    benchmark::DoNotOptimize(y.data_ptr());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, static_cast<std::size_t>(rows * norm_cols));
}

void torch_sum(benchmark::State& state, std::int64_t rows, int threads) {
  c10::InferenceMode guard;
  set_threads(threads);
  const std::size_t n = static_cast<std::size_t>(rows * norm_cols);
  buffer<float> in = make_inputs<float>(n);
  const torch::Tensor x = view_of(in.data(), {rows, norm_cols});
  for (auto _ : state) {
    torch::Tensor s = x.sum();
    benchmark::DoNotOptimize(s.data_ptr());
    benchmark::ClobberMemory();
  }
  set_read_counters<float>(state, n);
}

/// "yes" when f() gives the same bits on 1 and 2 threads.
template <class F>
const char* same_on_1_and_2_threads(F f) {
  c10::InferenceMode guard;
  torch::set_num_threads(1);
  const torch::Tensor one = f().contiguous();
  torch::set_num_threads(2);
  const torch::Tensor two = f().contiguous();
  return same_bits(one.data_ptr(), two.data_ptr(), one.nbytes());
}

/// Whether libtorch's CPU build runs both normalisations for T.
template <class T>
bool supported() {
  try {
    c10::InferenceMode guard;
    const torch_norm_inputs<T> a(2);
    return apply(norm::rms, a).numel() == 2 * norm_cols &&
           apply(norm::layer, a).numel() == 2 * norm_cols;
  } catch (const std::exception&) {
    return false;
  }
}

template <class T>
void register_type(std::string& reproducible, std::string& missing) {
  const char* dt = dtype_name<T>::value;
  if (!supported<T>()) {
    missing += std::string(missing.empty() ? "" : " ") + "rms_norm/" + dt + " layer_norm/" + dt;
    return;
  }
  for (norm k : {norm::rms, norm::layer}) {
    register_shapes<T>(
        norm_name(k), "libtorch", thread_counts(),
        [k](benchmark::State& s, std::int64_t rows, int t) { torch_norm<T>(s, k, rows, t); });
    const torch_norm_inputs<T> a(4096);
    reproducible += std::string(reproducible.empty() ? "" : ", ") + norm_name(k) + " " + dt + ": " +
                    same_on_1_and_2_threads([&] { return apply(k, a); });
  }
}

}  // namespace

void register_torch_norms() {
  std::string reproducible, missing;
  register_type<float>(reproducible, missing);
  register_type<rd::bfloat16>(reproducible, missing);
  for (int t : thread_counts()) {
    add(bench_name("sum", "float", "oop", "libtorch", t, sum_rows * norm_cols),
        [=](benchmark::State& s) { torch_sum(s, sum_rows, t); });
  }
  buffer<float> in = make_inputs<float>(static_cast<std::size_t>(sum_rows * norm_cols));
  const torch::Tensor x = view_of(in.data(), {sum_rows, norm_cols});
  reproducible += std::string(", sum float: ") + same_on_1_and_2_threads([&] { return x.sum(); });
  benchmark::AddCustomContext("norms_same_bits_1_and_2_threads_libtorch", reproducible);
  if (!missing.empty()) benchmark::AddCustomContext("libtorch_norms_unsupported", missing);
}

}  // namespace rbench
