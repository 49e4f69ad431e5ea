package catalog

import (
	"iter"
	"math/bits"

	"github.com/pdp-authz/pdp/model"
)

// Changes records what a write transaction touched, so that derived state
// (the decision snapshot) is refreshed for exactly those records. Every Put
// and Delete is recorded; nothing can be forgotten by a caller.
type Changes struct {
	Accounts  IDs[model.AccountID]
	Users     IDs[model.UserID]
	Roles     IDs[model.RoleID] // role records, and grantees of changed edges
	Databases IDs[model.DatabaseID]
	Tables    IDs[model.TableID]
	Levels    map[LevelKey]bool
	// Groups are the accounts whose custom privilege groups changed.
	Groups IDs[model.AccountID]
	// Patterns are the accounts and databases whose pattern records
	// changed: their prefix indexes are rebuilt (nil when none).
	Patterns map[PatternOwner]bool
}

// Changes returns what the transaction has touched so far.
func (tx *Tx) Changes() *Changes {
	if tx.changes == nil {
		tx.changes = &Changes{Levels: map[LevelKey]bool{}}
	}
	return tx.changes
}

func (tx *Tx) track(rec any) {
	c := tx.Changes()
	switch r := rec.(type) {
	case *Account:
		c.Accounts.Add(r.ID)
	case *User:
		c.Users.Add(r.ID)
	case *Role:
		c.Roles.Add(r.ID)
	case *Database:
		c.Databases.Add(r.ID)
	case *Table:
		c.Tables.Add(r.ID)
	case *Grant:
		c.Levels[r.Level()] = true
	case *RoleEdge:
		c.Roles.Add(r.Grantee)
	case *UserRole:
		c.Users.Add(r.User)
	case *Denial:
		c.Levels[r.Level()] = true
		c.Accounts.Add(r.Account) // its flag of denials
	case *ColumnGrant:
		c.Levels[r.Level()] = true
	default:
		trackMilvus(c, rec)
	}
}

// IDs is a set of IDs of one kind: a bit set in blocks of 64 IDs, so that
// the million IDs a bulk load touches (mostly consecutive) take 16,000 map
// entries instead of a million. The zero value is empty and ready to use.
type IDs[T ~uint32] struct {
	blocks map[uint32]uint64
}

// Add puts id in the set.
func (s *IDs[T]) Add(id T) {
	if s.blocks == nil {
		s.blocks = map[uint32]uint64{}
	}
	s.blocks[uint32(id)>>6] |= 1 << (uint32(id) & 63)
}

// Has reports whether id is in the set.
func (s IDs[T]) Has(id T) bool { return s.blocks[uint32(id)>>6]&(1<<(uint32(id)&63)) != 0 }

// Len returns the number of IDs in the set.
func (s IDs[T]) Len() int {
	n := 0
	for _, w := range s.blocks {
		n += bits.OnesCount64(w)
	}
	return n
}

// All yields the IDs of the set, in no particular order.
func (s IDs[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for b, w := range s.blocks {
			for ; w != 0; w &= w - 1 {
				if !yield(T(b<<6 | uint32(bits.TrailingZeros64(w)))) {
					return
				}
			}
		}
	}
}

// Clone returns a copy of the set.
func (s IDs[T]) Clone() IDs[T] {
	c := IDs[T]{blocks: make(map[uint32]uint64, len(s.blocks))}
	for b, w := range s.blocks {
		c.blocks[b] = w
	}
	return c
}
