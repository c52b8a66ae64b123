// expect: radicand: a cpu/arch isa needs static pf add_bits(pf, std::int32_t)
// A CPU backend without one of the primitives of cpu/arch/contract.hpp is refused on a message
// that names it: here the scalar backend, with add_bits hidden.
#include <radicand/cpu/arch/scalar.hpp>
struct without_add_bits : radicand::detail::arch_scalar::isa {
  static constexpr int add_bits = 0;
};
static_assert(radicand::detail::satisfies_isa_contract<without_add_bits>(), "");
int main() {}
