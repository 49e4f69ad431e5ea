package inherit

// Set is an immutable set of role slots. The zero value is empty.
type Set []uint64

// Has reports whether slot is in s. It never allocates.
func (s Set) Has(slot uint32) bool {
	w := slot >> 6
	return int(w) < len(s) && s[w]&(1<<(slot&63)) != 0
}

// With returns s ∪ {slot} as a new set.
func (s Set) With(slot uint32) Set {
	n := max(len(s), int(slot>>6)+1)
	out := make(Set, n)
	copy(out, s)
	out[slot>>6] |= 1 << (slot & 63)
	return out
}

// UnionInto ORs o into the mutable set *dst, growing it as needed. Only a
// builder that owns *dst may call it.
func UnionInto(dst *Set, o Set) {
	if len(o) > len(*dst) {
		grown := make(Set, len(o))
		copy(grown, *dst)
		*dst = grown
	}
	for i, w := range o {
		(*dst)[i] |= w
	}
}

// Equal reports whether s and o hold the same slots.
func (s Set) Equal(o Set) bool {
	if len(s) < len(o) {
		s, o = o, s
	}
	for i, w := range s {
		var v uint64
		if i < len(o) {
			v = o[i]
		}
		if w != v {
			return false
		}
	}
	return true
}
