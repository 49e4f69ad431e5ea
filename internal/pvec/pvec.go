package pvec

const (
	bits = 8
	fan  = 1 << bits
	mask = fan - 1
)

// Edit identifies one writer transaction. Nodes it created may be changed in
// place until the transaction's result is published; never reuse an Edit
// after that.
type Edit struct{ _ byte }

// node is one inner trie node: it holds pointers to the level below.
type node[K any] struct {
	edit *Edit
	kids [fan]K
}

// leaf holds the elements, and nothing else: a leaf of 16- or 32-byte
// elements without pointers fills an allocation size class exactly (the
// runtime adds an 8-byte header to objects with pointers larger than 512
// bytes, so those leaves still take the next class). Its parent records
// which leaves its edit may change in place.
type leaf[T any] struct {
	kids [fan]T
}

// parent is the inner node above the leaves.
type parent[T any] struct {
	edit  *Edit
	owned [fan / 64]uint64 // the leaves created by edit, writable in place
	kids  [fan]*leaf[T]
}

// Vec is a persistent array over every uint32 index: a four-level trie.
// The zero value is empty.
type Vec[T any] struct {
	root *node[*node[*parent[T]]]
}

// At returns a pointer to the element at i inside the immutable trie, or
// nil when no element was ever stored near i. The element must not be
// modified; a zero element means "absent" to callers that store values.
func (v Vec[T]) At(i uint32) *T {
	if v.root == nil {
		return nil
	}
	a := v.root.kids[i>>(3*bits)]
	if a == nil {
		return nil
	}
	b := a.kids[(i>>(2*bits))&mask]
	if b == nil {
		return nil
	}
	l := b.kids[(i>>bits)&mask]
	if l == nil {
		return nil
	}
	return &l.kids[i&mask]
}

// writable returns n itself if the edit e owns it, else a copy owned by e
// (a new node for nil).
func writable[K any](n *node[K], e *Edit) *node[K] {
	switch {
	case n == nil:
		return &node[K]{edit: e}
	case n.edit != e:
		c := *n
		c.edit = e
		return &c
	}
	return n
}

// writableParent is writable for the parent of leaves: a copy forgets
// which leaves were writable.
func writableParent[T any](p *parent[T], e *Edit) *parent[T] {
	switch {
	case p == nil:
		return &parent[T]{edit: e}
	case p.edit != e:
		c := *p
		c.edit, c.owned = e, [fan / 64]uint64{}
		return &c
	}
	return p
}

// Set returns a Vec with x at i. Only the nodes on i's path are copied, and
// only once per Edit.
func (v Vec[T]) Set(e *Edit, i uint32, x T) Vec[T] {
	r := writable(v.root, e)
	a := writable(r.kids[i>>(3*bits)], e)
	r.kids[i>>(3*bits)] = a
	p := writableParent(a.kids[(i>>(2*bits))&mask], e)
	a.kids[(i>>(2*bits))&mask] = p
	j := (i >> bits) & mask
	l := p.kids[j]
	if bit := uint64(1) << (j & 63); p.owned[j>>6]&bit == 0 {
		c := new(leaf[T])
		if l != nil {
			*c = *l
		}
		l = c
		p.kids[j] = l
		p.owned[j>>6] |= bit
	}
	l.kids[i&mask] = x
	return Vec[T]{root: r}
}
