// Peer: libtorch (Debian's libtorch-dev) on the CPU: torch::rsqrt(x), torch::rsqrt_out(out, x),
// x.rsqrt_() and the sqrt forms, with torch::set_num_threads matched to the thread count, under
// c10::InferenceMode (libtorch's fastest path for code that needs no autograd). A dtype whose
// CPU kernel libtorch lacks is left out, and the JSON context says so.
#include "peer_torch.hpp"

namespace rbench {
namespace {

template <class T>
void torch_oop(benchmark::State& state, op o, int threads, std::size_t n) {
  c10::InferenceMode guard;
  set_threads(threads);
  buffer<T> in = make_inputs<T>(n);
  const torch::Tensor x = view_of(in.data(), n);
  for (auto _ : state) {
    torch::Tensor r = o == op::rsqrt ? torch::rsqrt(x) : torch::sqrt(x);
    benchmark::DoNotOptimize(r.data_ptr());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, n);
}

template <class T>
void torch_out(benchmark::State& state, op o, int threads, std::size_t n) {
  c10::InferenceMode guard;
  set_threads(threads);
  buffer<T> in = make_inputs<T>(n);
  buffer<T> res(n);
  const torch::Tensor x = view_of(in.data(), n);
  torch::Tensor out = view_of(res.data(), n);
  for (auto _ : state) {
    if (o == op::rsqrt) {
      torch::rsqrt_out(out, x);
    } else {
      torch::sqrt_out(out, x);
    }
    benchmark::DoNotOptimize(out.data_ptr());
    benchmark::ClobberMemory();
  }
  set_counters<T>(state, n);
}

template <class T>
void torch_inplace(benchmark::State& state, op o, int threads, std::size_t n) {
  c10::InferenceMode guard;
  set_threads(threads);
  buffer<T> in = make_inputs<T>(n);
  inplace_pool<T> pool(in.data(), n);
  std::vector<torch::Tensor> views;
  for (std::size_t k = 0; k < pool.count(); ++k) views.push_back(view_of(pool.data(k), n));
  run_inplace(state, pool, [&](std::size_t k) {
    if (o == op::rsqrt) {
      views[k].rsqrt_();
    } else {
      views[k].sqrt_();
    }
    benchmark::DoNotOptimize(views[k].data_ptr());
  });
  set_counters<T>(state, n);
}

/// Whether libtorch's CPU build has this op for T (1.13 lacks some 16-bit kernels).
template <class T>
bool supported(op o) {
  try {
    c10::InferenceMode guard;
    buffer<T> b = make_inputs<T>(16);
    torch::Tensor x = view_of(b.data(), 16);
    torch::Tensor r = o == op::rsqrt ? torch::rsqrt(x) : torch::sqrt(x);
    return r.numel() == 16;
  } catch (const std::exception&) {
    return false;
  }
}

template <class T>
void register_type(std::string& missing) {
  const char* dt = dtype_name<T>::value;
  for (op o : {op::rsqrt, op::sqrt}) {
    if (!supported<T>(o)) {
      missing += std::string(missing.empty() ? "" : " ") + op_name(o) + "/" + dt;
      continue;
    }
    for (std::int64_t n : sizes<T>()) {
      const auto un = static_cast<std::size_t>(n);
      for (int t : thread_counts()) {
        add(bench_name(op_name(o), dt, "oop", "libtorch", t, n),
            [=](benchmark::State& s) { torch_oop<T>(s, o, t, un); });
        add(bench_name(op_name(o), dt, "out", "libtorch", t, n),
            [=](benchmark::State& s) { torch_out<T>(s, o, t, un); });
        add(bench_name(op_name(o), dt, "inplace", "libtorch", t, n),
            [=](benchmark::State& s) { torch_inplace<T>(s, o, t, un); });
      }
    }
  }
}

void set_torch_threads(int n) { torch::set_num_threads(n); }

}  // namespace

void register_torch() {
  thread_setters().push_back(set_torch_threads);
  std::string missing;
  register_type<float>(missing);
  register_type<double>(missing);
  register_type<rd::half>(missing);
  register_type<rd::bfloat16>(missing);
  for (op o : {op::rsqrt, op::sqrt}) {
    record_accuracy("libtorch", o == op::rsqrt, [o](const float* in, float* out, std::size_t n) {
      c10::InferenceMode guard;
      const torch::Tensor x = view_of(const_cast<float*>(in), n);
      torch::Tensor y = view_of(out, n);
      if (o == op::rsqrt) {
        torch::rsqrt_out(y, x);
      } else {
        torch::sqrt_out(y, x);
      }
    });
  }
  benchmark::AddCustomContext("libtorch_version", TORCH_VERSION);
  if (!missing.empty()) benchmark::AddCustomContext("libtorch_unsupported", missing);
}

}  // namespace rbench
