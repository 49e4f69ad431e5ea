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
// laid out flat and held by value in its view, so that a walk touches few
// cache lines: the nodes (the children of a node are consecutive; short
// labels and the first bytes of a node's first children are inline, the
// rest in text) and one array of entries shared by every level. nodes[0]
// is the root, the empty prefix, which is never a pattern. The zero value
// is an empty index.
type prefixIndex struct {
	nodes []prefixNode
	text  string
	masks [2]model.PrivSet // by kind: the union of the levels' masks
}

// inline is how many bytes of a label, and how many children's first
// bytes, a node holds itself; longer ones continue in text.
const inline = 8

// prefixNode is one prefix: the label of the edge leading to it, its
// children (count nodes from first; their labels' first bytes in leads, or
// at leadsOff in text past inline), and the pattern levels ending at it,
// by kind.
type prefixNode struct {
	label    [inline]byte
	leads    [inline]byte
	labelLen uint16
	labelOff uint32 // the label in text, when longer than inline
	leadsOff uint32 // the leads in text, when more than inline
	first    uint32
	count    uint32
	levels   [2]patternLevel
}

// patternLevel is one pattern level in an index: its pattern's ID (0 for
// none), its grant entries, and the union of what they may give (every
// privilege when a group is among them), to skip the entries quickly.
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
	j := 0
	for ; j < int(n.count) && j < inline && n.leads[j] != b; j++ {
	}
	if j == inline {
		for ; j < int(n.count) && x.text[n.leadsOff+uint32(j-inline)] != b; j++ {
		}
	}
	if j == int(n.count) {
		return nil, 0
	}
	c := &x.nodes[n.first+uint32(j)]
	end := i + int(c.labelLen)
	if end > len(name) {
		return nil, 0
	}
	for k := 1; k < int(c.labelLen); k++ {
		want := x.label(c, k)
		if name[i+k] != want {
			return nil, 0
		}
	}
	return c, end
}

// label returns byte k of node c's label.
func (x *prefixIndex) label(c *prefixNode, k int) byte {
	if k < inline {
		return c.label[k]
	}
	return x.text[c.labelOff+uint32(k-inline)]
}

// mayHold reports whether a level of kind k of x may give one of want: a
// cheap test before a walk.
func (x *prefixIndex) mayHold(k int, want model.PrivSet) bool {
	return x.masks[k]&want != 0
}

// heldAlong reports whether a role of set holds one of want at a pattern
// level of kind k whose prefix starts name (SPEC §16: a pattern covers
// every name starting with its prefix, and a shorter prefix a longer
// one). It walks name's bytes once and never allocates.
func (a *accountView) heldAlong(x *prefixIndex, k int, name string, set inherit.Set, want model.PrivSet) bool {
	return x.mayHold(k, want) && a.walk(x, k, name, set, want)
}

// walk is heldAlong past the cheap test, kept apart so that the test
// inlines in the decisions: most meet no index, or one that holds nothing
// they want.
func (a *accountView) walk(x *prefixIndex, k int, name string, set inherit.Set, want model.PrivSet) bool {
	n := &x.nodes[0]
	for i := 0; i < len(name); {
		if n, i = x.step(n, name, i); n == nil {
			return false
		}
		if l := &n.levels[k]; l.mask&want != 0 && a.held(l.entries, set, want) {
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
	n := &x.nodes[0]
	for i := 0; i < len(name); {
		if n, i = x.step(n, name, i); n == nil {
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
	if x == nil || len(x.nodes) == 0 || prefix == "" {
		return patternLevel{}, false
	}
	n := &x.nodes[0]
	for i := 0; i < len(prefix); {
		if n, i = x.step(n, prefix, i); n == nil {
			return patternLevel{}, false
		}
	}
	return n.levels[k], n.levels[k].id != 0
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
	// A byte trie first, then compressed: chains of nodes with one child
	// and no level become one edge; nodes are laid out breadth first.
	type draft struct {
		next   map[byte]int
		levels [2]patternLevel
	}
	// The entries of every level share one array, so that the levels along
	// a name are near each other in memory.
	total := 0
	for _, l := range levels {
		total += len(l.level.entries)
	}
	shared := make([]entry, 0, total)
	drafts := []draft{{next: map[byte]int{}}}
	for _, l := range levels {
		n := 0
		for i := 0; i < len(l.prefix); i++ {
			c, ok := drafts[n].next[l.prefix[i]]
			if !ok {
				c = len(drafts)
				drafts = append(drafts, draft{next: map[byte]int{}})
				drafts[n].next[l.prefix[i]] = c
			}
			n = c
		}
		lv := l.level
		at := len(shared)
		shared = append(shared, lv.entries...)
		lv.entries = shared[at:len(shared):len(shared)]
		lv.mask = entriesMask(lv.entries)
		x.masks[l.kind] |= lv.mask
		drafts[n].levels[l.kind] = lv
	}
	var text []byte
	x.nodes = []prefixNode{{levels: drafts[0].levels}}
	queue := []int{0} // the draft of each node, in node order
	for at := 0; at < len(x.nodes); at++ {
		d := drafts[queue[at]]
		leads := make([]byte, 0, len(d.next))
		for b := range d.next {
			leads = append(leads, b)
		}
		slices.Sort(leads)
		x.nodes[at].first, x.nodes[at].count = uint32(len(x.nodes)), uint32(len(leads))
		copy(x.nodes[at].leads[:], leads)
		if len(leads) > inline {
			x.nodes[at].leadsOff = uint32(len(text))
			text = append(text, leads[inline:]...)
		}
		for _, b := range leads {
			label := []byte{b}
			c := d.next[b]
			for len(drafts[c].next) == 1 && drafts[c].levels[0].id == 0 && drafts[c].levels[1].id == 0 {
				for nb, nc := range drafts[c].next {
					label, c = append(label, nb), nc
				}
			}
			n := prefixNode{labelLen: uint16(len(label)), levels: drafts[c].levels}
			copy(n.label[:], label)
			if len(label) > inline {
				n.labelOff = uint32(len(text))
				text = append(text, label[inline:]...)
			}
			x.nodes = append(x.nodes, n)
			queue = append(queue, c)
		}
	}
	x.text = string(text)
	return x
}
