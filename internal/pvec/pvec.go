package pvec

import "iter"

const (
	bits = 8
	fan  = 1 << bits
	mask = fan - 1
)

// Edit identifies one writer transaction. Nodes it created may be changed in
// place until the transaction's result is published; never reuse an Edit
// after that.
type Edit struct{ _ byte }

// node is one trie node: inner nodes hold pointers to the level below,
// leaves hold the elements.
type node[K any] struct {
	edit *Edit
	kids [fan]K
}

type leaf[T any] = node[T]

// Vec is a persistent array over every uint32 index: a four-level trie.
// The zero value is empty.
type Vec[T any] struct {
	root *node[*node[*node[*leaf[T]]]]
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

// Set returns a Vec with x at i. Only the nodes on i's path are copied, and
// only once per Edit.
func (v Vec[T]) Set(e *Edit, i uint32, x T) Vec[T] {
	r := writable(v.root, e)
	a := writable(r.kids[i>>(3*bits)], e)
	r.kids[i>>(3*bits)] = a
	b := writable(a.kids[(i>>(2*bits))&mask], e)
	a.kids[(i>>(2*bits))&mask] = b
	l := writable(b.kids[(i>>bits)&mask], e)
	b.kids[(i>>bits)&mask] = l
	l.kids[i&mask] = x
	return Vec[T]{root: r}
}

// All yields every element slot of the trie in index order, with its
// index: the slots near an index ever set, so that callers storing values
// skip the zero (absent) ones. The elements must not be modified.
func (v Vec[T]) All() iter.Seq2[uint32, *T] {
	return func(yield func(uint32, *T) bool) {
		if v.root == nil {
			return
		}
		for i, a := range v.root.kids {
			if a == nil {
				continue
			}
			for j, b := range a.kids {
				if b == nil {
					continue
				}
				for k, l := range b.kids {
					if l == nil {
						continue
					}
					base := uint32(i)<<(3*bits) | uint32(j)<<(2*bits) | uint32(k)<<bits
					for m := range l.kids {
						if !yield(base|uint32(m), &l.kids[m]) {
							return
						}
					}
				}
			}
		}
	}
}
