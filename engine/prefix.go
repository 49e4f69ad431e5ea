package engine

import (
	"slices"
	"strings"

	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// The name pattern levels of SPEC §16 in the decision snapshot. Each
// account has a prefix index of its database-name patterns (DATABASE p*
// and TABLE p*.*), each database one of its table-name patterns (TABLE
// d.q*). A decision walks the index along the bytes of the database's or
// the table's name, testing the levels that end on the way, so it costs at
// most the name's length whatever the number of patterns or tables. A
// grant at a pattern rebuilds only the index of its account or database;
// creating a table touches no index at all.

// The kinds of pattern level a node may hold.
const (
	patternDatabase = 0 // DATABASE p*
	patternTables   = 1 // TABLE p*.* (account index) or TABLE d.q* (database index)
)

// prefixIndex is an immutable trie over the prefixes of an account's or a
// database's pattern levels. nodes[0] is the root, the empty prefix, which
// is never a pattern.
type prefixIndex struct {
	nodes []prefixNode
}

// prefixNode is one prefix: the bytes leading to its children (sorted)
// and the pattern levels ending at it.
type prefixNode struct {
	labels   string
	children []int32
	levels   [2]patternLevel
}

// patternLevel is one pattern level in an index: its pattern's ID (0 when
// none ends at the node) and its grant entries.
type patternLevel struct {
	id      uint32
	entries []entry
}

// child returns the node reached from n by byte b, or nil.
func (x *prefixIndex) child(n *prefixNode, b byte) *prefixNode {
	j := strings.IndexByte(n.labels, b)
	if j < 0 {
		return nil
	}
	return &x.nodes[n.children[j]]
}

// heldAlong reports whether a role of set holds one of want at a pattern
// level of kind k whose prefix starts name (SPEC §16: a pattern covers
// every name starting with its prefix, and a shorter prefix a longer
// one). It walks name's bytes once and never allocates.
func (a *accountView) heldAlong(x *prefixIndex, k int, name string, set inherit.Set, want model.PrivSet) bool {
	if x == nil {
		return false
	}
	n := &x.nodes[0]
	for i := 0; i < len(name); i++ {
		if n = x.child(n, name[i]); n == nil {
			return false
		}
		if a.held(n.levels[k].entries, set, want) {
			return true
		}
	}
	return false
}

// along returns the pattern levels of kind k whose prefix starts name,
// shortest first.
func (x *prefixIndex) along(k int, name string) []patternLevel {
	if x == nil {
		return nil
	}
	var out []patternLevel
	n := &x.nodes[0]
	for i := 0; i < len(name); i++ {
		if n = x.child(n, name[i]); n == nil {
			break
		}
		if n.levels[k].id != 0 {
			out = append(out, n.levels[k])
		}
	}
	return out
}

// exact returns the pattern level of kind k with exactly prefix, if any.
func (x *prefixIndex) exact(k int, prefix string) (patternLevel, bool) {
	if x == nil || prefix == "" {
		return patternLevel{}, false
	}
	n := &x.nodes[0]
	for i := 0; i < len(prefix); i++ {
		if n = x.child(n, prefix[i]); n == nil {
			return patternLevel{}, false
		}
	}
	return n.levels[k], n.levels[k].id != 0
}

// levels yields every pattern level of the index.
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

// buildPrefixIndex returns the index of the given levels; nil for none.
func buildPrefixIndex(levels []patternEntry) *prefixIndex {
	if len(levels) == 0 {
		return nil
	}
	type draft struct {
		next   map[byte]int32
		levels [2]patternLevel
	}
	drafts := []draft{{next: map[byte]int32{}}}
	for _, l := range levels {
		n := int32(0)
		for i := 0; i < len(l.prefix); i++ {
			c, ok := drafts[n].next[l.prefix[i]]
			if !ok {
				c = int32(len(drafts))
				drafts = append(drafts, draft{next: map[byte]int32{}})
				drafts[n].next[l.prefix[i]] = c
			}
			n = c
		}
		drafts[n].levels[l.kind] = l.level
	}
	x := &prefixIndex{nodes: make([]prefixNode, len(drafts))}
	for i, d := range drafts {
		labels := make([]byte, 0, len(d.next))
		for b := range d.next {
			labels = append(labels, b)
		}
		slices.Sort(labels)
		n := &x.nodes[i]
		n.labels, n.levels = string(labels), d.levels
		n.children = make([]int32, len(labels))
		for j, b := range labels {
			n.children[j] = d.next[b]
		}
	}
	return x
}
