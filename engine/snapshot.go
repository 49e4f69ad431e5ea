package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/internal/pvec"
	"github.com/pdp-authz/pdp/model"
)

// Snapshot is one committed state of the engine: the decision views that
// [Snapshot.Check] reads and the catalog as of the same revision. A
// published Snapshot is never mutated, so it may be held and read from any
// number of goroutines; its answers never change. A nil or zero Snapshot
// is empty: its lookups find nothing and its decisions deny.
type Snapshot struct {
	rev      uint64
	at       int64 // the clock time of the commit that made it, in Unix nanoseconds
	cat      *catalog.View
	accounts pvec.Vec[accountView]
	users    pvec.Vec[userView]
	roles    pvec.Vec[roleView]
	dbs      pvec.Vec[dbView]
	tables   pvec.Vec[tableView]
	columns  pvec.Vec[columnView]
	// tableACLs are the ACLs of the tables that have denials at their level
	// or grants or denials on their columns (reference §18), by table ID.
	tableACLs pvec.Vec[*tableACL]
	// tableNames reads the names of the catalog's tables of this revision,
	// for decisions with table-name patterns (groupview.go).
	tableNames catalog.TableNames
	graph      pvec.Vec[*roleNode] // the role graph, for the write path only

	preview *catalog.Tx // set on a would-be snapshot of WHAT IF: its uncommitted catalog
	intro   *introCache // introspection indexes, built on first use (introindex.go)
	stale   bool        // published while the replica fails closed: every decision denies (replicated.go)
}

// The views are stored by value inside the persistent arrays, so that a
// lookup is one pointer chase less; a zero view is an absent object.

func (s *Snapshot) accountAt(i uint32) *accountView {
	if v := s.accounts.At(i); v != nil && v.id != 0 {
		return v
	}
	return nil
}

func (s *Snapshot) userAt(i uint32) *userView {
	if v := s.users.At(i); v != nil && v.account != 0 {
		return v
	}
	return nil
}

func (s *Snapshot) roleAt(i uint32) *roleView {
	if v := s.roles.At(i); v != nil && v.id != 0 {
		return v
	}
	return nil
}

func (s *Snapshot) dbAt(i uint32) *dbView {
	if v := s.dbs.At(i); v != nil && v.account != 0 {
		return v
	}
	return nil
}

func (s *Snapshot) tableAt(i uint32) *tableView {
	if v := s.tables.At(i); v != nil && v.db != 0 {
		return v
	}
	return nil
}

// entry is one role's privileges at one grant level, or one privilege
// group granted to the role there (groupview.go). Read it through
// [accountView.privsOf] and [accountView.optionsOf].
type entry struct {
	slot    uint32
	group   uint32        // the group's slot in the account; 0 for the direct grants
	privs   model.PrivSet // the privileges granted directly
	options model.PrivSet // the privileges held WITH GRANT OPTION (allPrivs for a group granted so)
}

type accountView struct {
	id         model.AccountID
	status     model.AccountStatus
	sys        bool
	adminRole  model.RoleID
	adminSlot  uint32
	publicSlot uint32
	grants     []entry         // ON ACCOUNT
	anyDB      []entry         // ON DATABASE *
	anyTable   []entry         // ON TABLE *.*
	groups     []model.PrivSet // the members of each privilege group, by slot
	patterns   prefixIndex     // ON DATABASE p* and ON TABLE p*.*, by database-name prefix
	deny       *accountDeny    // nil when no role of the account holds a denial (reference §18)
}

type userView struct {
	account   model.AccountID
	locked    bool // manual LOCK
	admin     bool // the account's admin user
	ownerSlot uint32
	direct    inherit.Set // roles granted directly, public included
	secondary inherit.Set // union of the closures of the direct roles
}

type roleView struct {
	id        model.RoleID
	account   model.AccountID
	slot      uint32
	ownerSlot uint32
	closure   inherit.Set
}

type dbView struct {
	account   model.AccountID
	ownerSlot uint32
	grants    []entry // ON DATABASE d
	tables    []entry // ON TABLE d.*
	name      string
	patterns  prefixIndex // ON TABLE d.q*, by table-name prefix
	deny      *dbDeny     // ON DATABASE d and TABLE d.* denials (reference §18)
}

// tableView is kept small (32 bytes): a catalog may hold millions of
// tables. The account is the database's. The grants are held inline, not
// behind a pointer: one cache miss less per table decision is worth the
// 16 bytes (measured: ~8% of a large Check). The owner's slot shares its
// word with two bits saying which denials the table's ACL holds, so that
// a decision on a table without them never looks the ACL up.
type tableView struct {
	db     model.DatabaseID
	owner  uint32  // the owner's slot (ownerBits) and the ACL bits (aclDenials)
	grants []entry // ON TABLE d.t
}

// The bits of tableView.owner above the owner's slot: which denials the
// table's ACL (Snapshot.tableACLs) holds.
const (
	tableDenials  uint32 = 1 << 31 // DENY ... ON TABLE d.t
	columnDenials uint32 = 1 << 30 // DENY ... (c) ON TABLE d.t, on some column
	aclDenials           = tableDenials | columnDenials
	// ownerBits holds the owner's slot; all ones stand for noSlot, and so
	// does a slot too large for them (a role created after a billion
	// others in its account): its ownership fails closed.
	ownerBits = columnDenials - 1
)

// packOwner returns the owner word of a table owned by slot, with the ACL
// bits acl.
func packOwner(slot, acl uint32) uint32 { return min(slot, ownerBits) | acl&aclDenials }

// ownerSlot returns the slot of the table's owner, noSlot for none.
func (t *tableView) ownerSlot() uint32 {
	if s := t.owner & ownerBits; s != ownerBits {
		return s
	}
	return noSlot
}

// entries returns the grants at the table's own level.
func (t *tableView) entries() []entry { return t.grants }

// tableAccount returns the account of table view t (its database's), 0 if
// its database is not in s.
func (s *Snapshot) tableAccount(t *tableView) model.AccountID {
	if d := s.dbAt(uint32(t.db)); d != nil {
		return d.account
	}
	return 0
}

// Revision returns the revision of this snapshot: the bootstrap is
// revision 0 and every committed change adds exactly one (reference §20: the
// state after change records 0..n). A nil Snapshot has revision 0.
func (s *Snapshot) Revision() uint64 {
	if s == nil {
		return 0
	}
	return s.rev
}

// read opens a catalog read transaction at the snapshot's revision.
func (s *Snapshot) read() *catalog.Tx {
	if s.preview != nil {
		return s.preview
	}
	return s.cat.Read()
}

// empty reports whether s holds no catalog: a nil or zero Snapshot, whose
// lookups find nothing and whose decisions deny.
func (s *Snapshot) empty() bool { return s == nil || s.cat == nil }

// Account returns the ID of the account named name (folded).
func (s *Snapshot) Account(name string) (model.AccountID, bool) {
	if s.empty() {
		return 0, false
	}
	n, err := model.FoldName(model.NameAccount, name)
	if err != nil {
		return 0, false
	}
	if a := s.read().AccountByName(n); a != nil {
		return a.ID, true
	}
	return 0, false
}

// User returns the ID of the user of account a named name (folded).
func (s *Snapshot) User(a model.AccountID, name string) (model.UserID, bool) {
	if s.empty() {
		return 0, false
	}
	n, err := model.FoldName(model.NameUser, name)
	if err != nil {
		return 0, false
	}
	if u := s.read().UserByName(a, n); u != nil {
		return u.ID, true
	}
	return 0, false
}

// Role returns the ID of the role of account a named name (folded).
func (s *Snapshot) Role(a model.AccountID, name string) (model.RoleID, bool) {
	if s.empty() {
		return 0, false
	}
	n, err := model.FoldName(model.NameRole, name)
	if err != nil {
		return 0, false
	}
	if r := s.read().RoleByName(a, n); r != nil {
		return r.ID, true
	}
	return 0, false
}

// Database returns the ID of the database of account a named name (folded).
func (s *Snapshot) Database(a model.AccountID, name string) (model.DatabaseID, bool) {
	if s.empty() {
		return 0, false
	}
	n, err := model.FoldName(model.NameDatabase, name)
	if err != nil {
		return 0, false
	}
	if d := s.read().DatabaseByName(a, n); d != nil {
		return d.ID, true
	}
	return 0, false
}

// Table returns the ID of the table of database d named name (folded), or
// of the table an alias of that name points at now (reference §17).
func (s *Snapshot) Table(d model.DatabaseID, name string) (model.TableID, bool) {
	if s.empty() {
		return 0, false
	}
	n, err := model.FoldName(model.NameTable, name)
	if err != nil {
		return 0, false
	}
	if t := tableOrAlias(s.read(), d, n); t != nil {
		return t.ID, true
	}
	return 0, false
}
