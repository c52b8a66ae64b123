// expect: use rd::rsqrt(x)
#include <radicand/radicand.hpp>
int main() {
  radicand::tensor<int, radicand::cuda_t> x = radicand::ones<int>({2}, radicand::cuda);
  x.rsqrt_();
}
