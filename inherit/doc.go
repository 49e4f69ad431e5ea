// Package inherit owns the role-inheritance rules: closure sets, cycle
// refusal, and the incremental recomputation of closures after a change.
//
// A role's closure is the set of roles it inherits, itself and PUBLIC
// included, as a bit set over the dense role slots of its account. The
// algorithms read the role graph through plain functions, so they work on
// any store; sets are immutable once built and safe to share.
//
// After a change, [Order.Propagate] recomputes closures in a topological
// order kept as labels ([Order.Reorder] repairs it when an edge is added),
// visiting only the roles whose parents' closures changed. Inside a
// transaction, [Pending] answers cycle checks from closures kept up to
// date with the transaction's additions.
package inherit
