package pvec

// MaxIndex is the largest index a Vec can hold.
const MaxIndex = 1<<24 - 1

const (
	bits = 8
	fan  = 1 << bits
	mask = fan - 1
)

// Edit identifies one writer transaction. Nodes it created may be changed in
// place until the transaction's result is published; never reuse an Edit
// after that.
type Edit struct{ _ byte }

// Vec is a persistent array. The zero value is empty.
type Vec[T any] struct {
	root *top[T]
}

type top[T any] struct {
	edit *Edit
	kids [fan]*mid[T]
}

type mid[T any] struct {
	edit *Edit
	kids [fan]*leaf[T]
}

type leaf[T any] struct {
	edit *Edit
	vals [fan]T
}

// Get returns the element at i, or the zero value.
func (v Vec[T]) Get(i uint32) T {
	var zero T
	if v.root == nil || i > MaxIndex {
		return zero
	}
	m := v.root.kids[i>>(2*bits)]
	if m == nil {
		return zero
	}
	l := m.kids[(i>>bits)&mask]
	if l == nil {
		return zero
	}
	return l.vals[i&mask]
}

// At returns a pointer to the element at i inside the immutable trie, or
// nil when no element was ever stored near i. The element must not be
// modified; a zero element means "absent" to callers that store values.
func (v Vec[T]) At(i uint32) *T {
	if v.root == nil || i > MaxIndex {
		return nil
	}
	m := v.root.kids[i>>(2*bits)]
	if m == nil {
		return nil
	}
	l := m.kids[(i>>bits)&mask]
	if l == nil {
		return nil
	}
	return &l.vals[i&mask]
}

// Set returns a Vec with x at i. It panics if i > MaxIndex: callers bound
// their IDs first.
func (v Vec[T]) Set(e *Edit, i uint32, x T) Vec[T] {
	if i > MaxIndex {
		panic("pvec: index out of range")
	}
	t := v.root
	if t == nil {
		t = &top[T]{edit: e}
	} else if t.edit != e {
		c := *t
		c.edit = e
		t = &c
	}
	m := t.kids[i>>(2*bits)]
	if m == nil {
		m = &mid[T]{edit: e}
	} else if m.edit != e {
		c := *m
		c.edit = e
		m = &c
	}
	t.kids[i>>(2*bits)] = m
	l := m.kids[(i>>bits)&mask]
	if l == nil {
		l = &leaf[T]{edit: e}
	} else if l.edit != e {
		c := *l
		c.edit = e
		l = &c
	}
	m.kids[(i>>bits)&mask] = l
	l.vals[i&mask] = x
	return Vec[T]{root: t}
}
