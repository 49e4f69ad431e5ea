// Package oracle is a deliberately naive model of reference §1–§11,
// used by property tests to check the engine. It keeps plain maps and
// slices, copies its whole state before every statement, and answers every
// question by searching the role edges again; it has no caches and no
// indexes, so that it can be read in one sitting and trusted.
//
// The statements take the engine's argument structs and return errors
// wrapping the same sentinels of package model. A Model is not safe for
// concurrent use.
package oracle
