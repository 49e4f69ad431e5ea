// Package ownership owns the DAC owner relation: every database, table,
// role and user has exactly one owner, a live role of its account. It
// decides who inherits what a dropped role owned (the nearest surviving role
// up the owner chain, else the admin role) and carries the hand-over out.
//
// Its functions run inside one catalog write transaction; they hold no state.
package ownership
