// expect: radicand needs IEEE floating point
// flags: -ffinite-math-only
// Assuming no NaN or infinity breaks rsqrt(0) = inf and rsqrt(x < 0) = NaN.
#include <radicand/radicand.hpp>
int main() { return 0; }
