// expect: radicand needs IEEE floating point
// flags: -ffast-math
// -ffast-math (and -Ofast) would make rsqrt of subnormals, zeros and negatives garbage.
#include <radicand/radicand.hpp>
int main() { return 0; }
