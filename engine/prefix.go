package engine

import (
	"slices"

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

// prefixIndex is an immutable radix tree over the prefixes of an account's
// or a database's pattern levels: a node stands for the prefix spelt by
// the labels from the root, and exists where prefixes branch or end. It is
// laid out flat, so that a walk stays within three small arrays: the
// nodes (the children of a node are consecutive), their labels back to
// back in text, and the levels. nodes[0] is the root, the empty prefix,
// which is never a pattern.
type prefixIndex struct {
	nodes  []prefixNode
	text   string
	levels []patternLevel
}

// prefixNode is one prefix: the label of the edge leading to it (lead is
// its first byte), its children, and the pattern levels ending at it by
// kind (indexes into levels, -1 for none).
type prefixNode struct {
	lead     byte
	labelLen uint16
	labelOff uint32
	first    uint32
	count    uint32
	level    [2]int32
}

// patternLevel is one pattern level in an index: its pattern's ID, its
// grant entries, and the union of what they may give (every privilege
// when a group is among them), to skip the entries quickly.
type patternLevel struct {
	id      uint32
	entries []entry
	mask    model.PrivSet
}

// step follows name from node n at byte i: it returns the child whose
// label name continues with, and the position after that label; nil when
// none does.
func (x *prefixIndex) step(n *prefixNode, name string, i int) (*prefixNode, int) {
	b := name[i]
	for j := n.first; j < n.first+n.count; j++ {
		c := &x.nodes[j]
		if c.lead != b {
			continue
		}
		end := i + int(c.labelLen)
		if end > len(name) || c.labelLen > 1 && name[i+1:end] != x.text[c.labelOff+1:c.labelOff+uint32(c.labelLen)] {
			return nil, 0
		}
		return c, end
	}
	return nil, 0
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
	for i := 0; i < len(name); {
		if n, i = x.step(n, name, i); n == nil {
			return false
		}
		if li := n.level[k]; li >= 0 {
			if l := &x.levels[li]; l.mask&want != 0 && a.held(l.entries, set, want) {
				return true
			}
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
	for i := 0; i < len(name); {
		if n, i = x.step(n, name, i); n == nil {
			break
		}
		if li := n.level[k]; li >= 0 {
			out = append(out, x.levels[li])
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
	for i := 0; i < len(prefix); {
		if n, i = x.step(n, prefix, i); n == nil {
			return patternLevel{}, false
		}
	}
	if li := n.level[k]; li >= 0 {
		return x.levels[li], true
	}
	return patternLevel{}, false
}

// all returns every pattern level of the index.
func (x *prefixIndex) all() []patternLevel {
	if x == nil {
		return nil
	}
	return x.levels
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

// buildPrefixIndex returns the index of the given levels; nil for none.
func buildPrefixIndex(levels []patternEntry) *prefixIndex {
	if len(levels) == 0 {
		return nil
	}
	// A byte trie first, then compressed: chains of nodes with one child
	// and no level become one edge; nodes are laid out breadth first.
	type draft struct {
		next  map[byte]int
		level [2]int32
	}
	x := &prefixIndex{}
	drafts := []draft{{next: map[byte]int{}, level: [2]int32{-1, -1}}}
	for _, l := range levels {
		n := 0
		for i := 0; i < len(l.prefix); i++ {
			c, ok := drafts[n].next[l.prefix[i]]
			if !ok {
				c = len(drafts)
				drafts = append(drafts, draft{next: map[byte]int{}, level: [2]int32{-1, -1}})
				drafts[n].next[l.prefix[i]] = c
			}
			n = c
		}
		lv := l.level
		lv.mask = entriesMask(lv.entries)
		drafts[n].level[l.kind] = int32(len(x.levels))
		x.levels = append(x.levels, lv)
	}
	var text []byte
	x.nodes = []prefixNode{{level: drafts[0].level}}
	queue := []int{0} // the draft of each node, in node order
	for at := 0; at < len(x.nodes); at++ {
		d := drafts[queue[at]]
		labels := make([]byte, 0, len(d.next))
		for b := range d.next {
			labels = append(labels, b)
		}
		slices.Sort(labels)
		x.nodes[at].first, x.nodes[at].count = uint32(len(x.nodes)), uint32(len(labels))
		for _, b := range labels {
			label := []byte{b}
			c := d.next[b]
			for len(drafts[c].next) == 1 && drafts[c].level == [2]int32{-1, -1} {
				for nb, nc := range drafts[c].next {
					label, c = append(label, nb), nc
				}
			}
			x.nodes = append(x.nodes, prefixNode{lead: b, labelLen: uint16(len(label)), labelOff: uint32(len(text)), level: drafts[c].level})
			text = append(text, label...)
			queue = append(queue, c)
		}
	}
	x.text = string(text)
	return x
}
