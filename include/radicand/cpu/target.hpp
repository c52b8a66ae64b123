// radicand: what each CPU backend compiles for its own target: the packet algorithms of
// math/packet_*.hpp and the loops of cpu/loops.hpp and cpu/reduce_loops.hpp, on that backend's
// `struct isa`.
//
// A body, not a header: cpu/kernels.hpp includes it inside namespace detail::arch_<name> (in
// that backend's target region when the unit dispatches at run time), once per backend it
// carries. Templates take the target of the region they are defined in, so the same text
// compiled in three regions gives three sets of kernels.

/// An operation's packet forms (math/packet_*.hpp specialise it).
template <class Op>
struct packet_form;

#include "../math/packet_rsqrt.hpp"
#include "../math/packet_sqrt.hpp"
#include "loops.hpp"
#include "reduce_loops.hpp"
