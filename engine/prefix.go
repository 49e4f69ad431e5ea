package engine

import (
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// The name pattern levels of reference §16 in the decision snapshot. Each
// account has a prefix index of its database-name patterns (DATABASE p*
// and TABLE p*.*), each database one of its table-name patterns (TABLE
// d.q*). A decision walks along the bytes of the database's or the table's
// name once, and at each length some prefix of the index has, looks that
// prefix up: so it costs at most the name's length whatever the number of
// patterns or tables. A grant at a pattern rebuilds only the index of its
// account or database; creating a table touches no index at all.

// The kinds of pattern level a node may hold.
const (
	patternDatabase = 0 // DATABASE p*
	patternTables   = 1 // TABLE p*.* (account index) or TABLE d.q* (database index)
)

// prefixIndex is an immutable set of the prefixes of an account's or a
// database's pattern levels, held by value in its view. The prefixes are
// in an open-addressing hash table keyed by a hash that a walk computes
// byte by byte along the name, and lens says which lengths exist, so a walk
// looks up only the prefixes of the name that may be patterns. Lookups at
// different lengths do not depend on each other, which keeps a walk from
// waiting on one cache miss after another as a tree would. The zero value
// is an empty index.
type prefixIndex struct {
	lens   uint64 // bit L-1 set when a prefix of L bytes exists (L <= 64)
	maxLen int    // the longest prefix, in bytes
	slots  []prefixSlot
	nodes  []prefixNode
	text   string           // the prefixes, back to back
	masks  [2]model.PrivSet // by kind: the union of the levels' masks
	// denyMasks are by kind the union of the levels' denials (reference
	// §18): zero in an index without denials, so decisions never walk for
	// them there.
	denyMasks [2]model.PrivSet
}

// prefixSlot is one slot of the hash table: the prefix's hash and its node
// (index + 1; 0 for an empty slot).
type prefixSlot struct {
	hash uint32
	node uint32
}

// prefixNode is one prefix (at off in text) and the pattern levels of it,
// by kind.
type prefixNode struct {
	off    uint32
	n      uint32
	levels [2]patternLevel
}

// patternLevel is one pattern level in an index: its pattern's ID (0 for
// none), its grant entries, and the union of what they may give (every
// privilege when a group is among them), to skip the entries quickly; and
// its denials (reference §18), which name no group.
type patternLevel struct {
	id      uint32
	entries []entry
	mask    model.PrivSet
	deny    []entry
}

// FNV-1a, 32 bits: computed one byte at a time along a name.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashOf(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

// has reports whether a prefix of l bytes may exist.
func (x *prefixIndex) has(l int) bool {
	return l <= x.maxLen && (l > 64 || x.lens&(1<<(l-1)) != 0)
}

// lookup returns the node of prefix, whose hash is h; nil if none.
func (x *prefixIndex) lookup(h uint32, prefix string) *prefixNode {
	mask := uint32(len(x.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := x.slots[i]
		if sl.node == 0 {
			return nil
		}
		if sl.hash == h {
			if n := &x.nodes[sl.node-1]; int(n.n) == len(prefix) && x.text[n.off:n.off+n.n] == prefix {
				return n
			}
		}
	}
}

// mayHold reports whether a level of kind k of x may give one of want: a
// cheap test before a walk.
func (x *prefixIndex) mayHold(k int, want model.PrivSet) bool {
	return x.masks[k]&want != 0
}

// heldAlong reports whether a role of set holds one of want at a pattern
// level of kind k whose prefix starts name (reference §16: a pattern covers
// every name starting with its prefix, and a shorter prefix a longer
// one). It walks name's bytes once and never allocates.
func (a *accountView) heldAlong(x *prefixIndex, k int, name string, set inherit.Set, want model.PrivSet) bool {
	return x.mayHold(k, want) && a.walk(x, k, name, set, want)
}

// walk is heldAlong past the cheap test, kept apart so that the test
// inlines in the decisions: most meet no index, or one that holds nothing
// they want.
func (a *accountView) walk(x *prefixIndex, k int, name string, set inherit.Set, want model.PrivSet) bool {
	end := min(len(name), x.maxLen)
	h := uint32(fnvOffset)
	for i := 0; i < end; i++ {
		h = (h ^ uint32(name[i])) * fnvPrime
		if !x.has(i + 1) {
			continue
		}
		if n := x.lookup(h, name[:i+1]); n != nil {
			if l := &n.levels[k]; l.mask&want != 0 && a.held(l.entries, set, want) {
				return true
			}
		}
	}
	return false
}

// mayDeny reports whether a level of kind k of x may hold a denial of one
// of mask: a cheap test before a walk.
func (x *prefixIndex) mayDeny(k int, mask model.PrivSet) bool {
	return x.denyMasks[k]&mask != 0
}

// deniedAlong reports whether a role of set holds a denial of one of mask
// at a pattern level of kind k whose prefix starts name. Like walk, it
// follows name's bytes once and never allocates; callers test mayDeny
// first, which inlines.
func deniedAlong(x *prefixIndex, k int, name string, set inherit.Set, mask model.PrivSet) bool {
	end := min(len(name), x.maxLen)
	h := uint32(fnvOffset)
	for i := 0; i < end; i++ {
		h = (h ^ uint32(name[i])) * fnvPrime
		if !x.has(i + 1) {
			continue
		}
		if n := x.lookup(h, name[:i+1]); n != nil && heldIn(n.levels[k].deny, set, mask) {
			return true
		}
	}
	return false
}

// along returns the pattern levels of kind k whose prefix starts name,
// shortest first.
func (x *prefixIndex) along(k int, name string) []patternLevel {
	if x == nil || len(x.nodes) == 0 {
		return nil
	}
	var out []patternLevel
	end := min(len(name), x.maxLen)
	h := uint32(fnvOffset)
	for i := 0; i < end; i++ {
		h = (h ^ uint32(name[i])) * fnvPrime
		if !x.has(i + 1) {
			continue
		}
		if n := x.lookup(h, name[:i+1]); n != nil && n.levels[k].id != 0 {
			out = append(out, n.levels[k])
		}
	}
	return out
}

// exact returns the pattern level of kind k with exactly prefix, if any.
func (x *prefixIndex) exact(k int, prefix string) (patternLevel, bool) {
	if x == nil || len(x.nodes) == 0 || prefix == "" || !x.has(len(prefix)) {
		return patternLevel{}, false
	}
	if n := x.lookup(hashOf(prefix), prefix); n != nil {
		return n.levels[k], n.levels[k].id != 0
	}
	return patternLevel{}, false
}

// all returns every pattern level of the index.
func (x *prefixIndex) all() []patternLevel {
	if x == nil {
		return nil
	}
	var out []patternLevel
	for i := range x.nodes {
		for _, l := range x.nodes[i].levels {
			if l.id != 0 {
				out = append(out, l)
			}
		}
	}
	return out
}

// patternEntry is one pattern level to put in an index.
type patternEntry struct {
	kind   int
	prefix string
	level  patternLevel
}

// entriesMask returns the union of what entries may give: their
// privileges, and every privilege if a group is among them (its members
// may change without the index being rebuilt).
func entriesMask(entries []entry) model.PrivSet {
	var m model.PrivSet
	for _, e := range entries {
		m |= e.privs
		if e.group != 0 {
			m = allPrivs
		}
	}
	return m
}

// buildPrefixIndex returns the index of the given levels; the zero index
// for none.
func buildPrefixIndex(levels []patternEntry) prefixIndex {
	var x prefixIndex
	if len(levels) == 0 {
		return x
	}
	// The entries of every level share one array, so that the levels of a
	// name are near each other in memory.
	total := 0
	for _, l := range levels {
		total += len(l.level.entries)
	}
	shared := make([]entry, 0, total)
	byPrefix := map[string]int{}
	var text []byte
	for _, l := range levels {
		i, ok := byPrefix[l.prefix]
		if !ok {
			i = len(x.nodes)
			byPrefix[l.prefix] = i
			x.nodes = append(x.nodes, prefixNode{off: uint32(len(text)), n: uint32(len(l.prefix))})
			text = append(text, l.prefix...)
			if n := len(l.prefix); n <= 64 {
				x.lens |= 1 << (n - 1)
			}
			x.maxLen = max(x.maxLen, len(l.prefix))
		}
		lv := l.level
		at := len(shared)
		shared = append(shared, lv.entries...)
		lv.entries = shared[at:len(shared):len(shared)]
		lv.mask = entriesMask(lv.entries)
		x.masks[l.kind] |= lv.mask
		x.denyMasks[l.kind] |= entriesMask(lv.deny)
		x.nodes[i].levels[l.kind] = lv
	}
	x.text = string(text)
	size := 8
	for size < 2*len(x.nodes) {
		size *= 2
	}
	x.slots = make([]prefixSlot, size)
	mask := uint32(size - 1)
	for i, n := range x.nodes {
		h := hashOf(x.text[n.off : n.off+n.n])
		j := h & mask
		for x.slots[j].node != 0 {
			j = (j + 1) & mask
		}
		x.slots[j] = prefixSlot{hash: h, node: uint32(i + 1)}
	}
	return x
}
