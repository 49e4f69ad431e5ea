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

// Copy returns a copy of s at least words long, for a builder to own. Only
// the words beyond s are zeroed.
func Copy(s Set, words int) Set {
	if words <= len(s) {
		return append(Set(nil), s...)
	}
	return append(s[:len(s):len(s)], make(Set, words-len(s))...)
}

// Add adds slot to the mutable set s, growing it if needed, and returns
// it. Only a builder that owns s may call it.
func (s Set) Add(slot uint32) Set {
	w := int(slot >> 6)
	if w >= len(s) {
		s = append(s, make(Set, w+1-len(s))...)
	}
	s[w] |= 1 << (slot & 63)
	return s
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

// Contains reports whether every slot of o is in s.
func (s Set) Contains(o Set) bool {
	for i, w := range o {
		if w != 0 && (i >= len(s) || s[i]&w != w) {
			return false
		}
	}
	return true
}
