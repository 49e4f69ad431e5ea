// Package model is the vocabulary of pdp: identifiers, object references,
// privileges and their levels, name rules, and every sentinel error.
//
// It holds no state and imports only the standard library; the packages that
// build on it (hierarchy, inherit, ownership, engine) own the logic. All values
// here are immutable and safe to share between goroutines.
package model
