package catalog

import "github.com/google/btree"

// The iteration of the records kept in the trees, for Tx.All: each kind in
// the order of its key, one variable reused for every record yielded (so
// that walking a million tables allocates nothing per table). Each
// reports whether yield asked for more.

// allUsers yields every user by ID.
func (s *state) allUsers(yield func(any) bool) bool {
	var u User
	for _, p := range s.users.All() {
		if p.ID == 0 {
			continue
		}
		u = *p
		if !yield(&u) {
			return false
		}
	}
	return true
}

// allTables yields every table by ID.
func (s *state) allTables(yield func(any) bool) bool {
	var t Table
	for _, p := range s.tables.All() {
		if p.ID == 0 {
			continue
		}
		t = s.fromRec(*p)
		if !yield(&t) {
			return false
		}
	}
	return true
}

// ascend yields every item of t in order.
func ascend[T any](t *btree.BTreeG[T], yield func(any) bool) bool {
	more := true
	var v T
	t.Ascend(func(x T) bool {
		v = x
		more = yield(&v)
		return more
	})
	return more
}
