// Package pvec is a persistent array indexed by uint32 IDs: a four-level
// trie of 256-way nodes covering every uint32. A [Vec] is an immutable value; [Vec.Set] returns a
// new Vec that shares every untouched node with the old one. Nodes created
// under the same [Edit] token are updated in place, so one transaction pays
// the copy of a path once. Reads never allocate and are safe from many
// goroutines once a Vec is published; an Edit belongs to one writer.
package pvec
