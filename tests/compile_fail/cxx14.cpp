// expect: radicand needs C++17
// flags: -std=c++14
// An older standard is refused before anything else fails.
#include <radicand/radicand.hpp>
int main() { return 0; }
