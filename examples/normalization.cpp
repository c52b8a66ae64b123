// Normalisation with rsqrt: the step from PyTorch's rsqrt tutorial (values scaled by their
// reciprocal square root), then RMSNorm and LayerNorm, written out with rsqrt and fused.
// Its output is checked by CTest.
#include <iostream>

#include <radicand/radicand.hpp>

namespace rd = radicand;

int main() {
  // The tutorial's normalisation step: each value times its reciprocal square root
  // (values * torch.rsqrt(values)), which leaves sqrt(v).
  rd::tensor<float> values = {2.0f, 8.0f, 32.0f};
  rd::tensor<float> scaled = values * rd::rsqrt(values);
  std::cout << "values * rsqrt(values)\n" << scaled << "\n\n";

  // RMSNorm scales each row by the reciprocal square root of its mean square:
  // x * rsqrt(mean(x * x, -1, keepdim) + eps) * weight, with eps = torch.finfo(float32).eps.
  rd::tensor<float> x = {{1.0f, 2.0f, 3.0f, 4.0f}, {2.0f, -2.0f, 2.0f, -2.0f}};
  rd::tensor<float> weight = {0.5f, 1.0f, 1.0f, 2.0f};
  const double eps = rd::default_rms_norm_eps<float>();
  rd::tensor<float> by_hand = x * rd::rsqrt((x * x).mean(-1, true) + eps) * weight;
  std::cout << "x * rsqrt(mean(x * x, -1, keepdim) + eps) * weight\n" << by_hand << "\n\n";
  std::cout << "rms_norm(x, weight)\n" << rd::rms_norm(x, weight) << "\n\n";

  // LayerNorm centres each row first: (x - mean) * rsqrt(var + eps) * weight + bias, with the
  // biased variance and eps = 1e-5. An empty tensor stands for no weight or no bias.
  rd::tensor<float> none;
  std::cout << "layer_norm(x)\n" << rd::layer_norm(x, none, none) << "\n\n";
  rd::tensor<float> bias = {0.0f, 0.0f, 1.0f, 1.0f};
  std::cout << "layer_norm(x, weight, bias)\n" << rd::layer_norm(x, weight, bias) << "\n\n";

  // Scaling and shifting a row does not change its LayerNorm; half computes in float.
  rd::tensor<rd::half> h = (x * 100.0f + 7.0f).to<rd::half>();
  std::cout << "layer_norm(100 * x + 7) in half\n"
            << rd::layer_norm(h, rd::tensor<rd::half>(), rd::tensor<rd::half>()) << '\n';
}
