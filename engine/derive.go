package engine

import (
	"slices"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/internal/pvec"
	"github.com/pdp-authz/pdp/model"
)

// deriver builds the next snapshot from the previous one and the changes of
// one write transaction: only the views those changes can affect are
// rebuilt, everything else is shared with the previous snapshot.
type deriver struct {
	tx    *catalog.Tx
	ch    *catalog.Changes
	next  Snapshot
	edit  *pvec.Edit
	slots map[model.RoleID]uint32 // slots looked up so far (the transaction is complete)
}

// derive returns the snapshot that follows s once tx commits.
func (s *Snapshot) derive(tx *catalog.Tx) *Snapshot { return s.deriveWith(tx, tx.Changes()) }

// deriveWith returns s with the views of the changes ch rebuilt from tx.
func (s *Snapshot) deriveWith(tx *catalog.Tx, ch *catalog.Changes) *Snapshot {
	d := &deriver{tx: tx, ch: ch, next: *s, edit: &pvec.Edit{}, slots: map[model.RoleID]uint32{}}
	users := d.refreshRoles(ch.Roles)
	for u := range ch.Users.All() {
		users.Add(u)
	}
	for u := range users.All() {
		d.refreshUser(u)
	}
	accounts, dbs, tables := ch.Accounts.Clone(), ch.Databases.Clone(), ch.Tables.Clone()
	for l := range ch.Levels {
		switch l.Scope {
		case catalog.ScopeAccount, catalog.ScopeAnyDatabase, catalog.ScopeAnyTable:
			accounts.Add(model.AccountID(l.Object))
		case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
			dbs.Add(model.DatabaseID(l.Object))
		case catalog.ScopeTable:
			tables.Add(model.TableID(l.Object))
		}
	}
	for a := range accounts.All() {
		d.refreshAccount(a)
	}
	for id := range dbs.All() {
		d.refreshDatabase(id)
	}
	for id := range tables.All() {
		d.refreshTable(id)
	}
	d.refreshMilvus(s, accounts, dbs)
	d.refreshColumns(s)
	next := d.next
	next.rev++
	return &next
}

// slotOf returns the slot of role r, or noSlot if it does not exist.
func (d *deriver) slotOf(r model.RoleID) uint32 {
	if s, ok := d.slots[r]; ok {
		return s
	}
	s := uint32(noSlot)
	if rec := d.tx.Role(r); rec != nil {
		s = rec.Slot
	}
	d.slots[r] = s
	return s
}

// deref returns *v, or the zero (absent) view for nil.
func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

// noSlot is a slot no set holds.
const noSlot = ^uint32(0)

func (d *deriver) refreshUser(id model.UserID) {
	rec, ok := d.tx.UserValue(id)
	var view userView
	if ok {
		if acc := d.tx.Account(rec.Account); acc != nil {
			view = userView{
				account:   rec.Account,
				locked:    rec.Locked,
				admin:     acc.AdminUser == id,
				ownerSlot: d.slotOf(rec.Owner),
			}
			for _, ur := range d.tx.RolesOfUser(id) {
				d.noteHolder(ur.Role)
				if rv := d.next.roleAt(uint32(ur.Role)); rv != nil {
					view.direct = view.direct.With(rv.slot)
					inherit.UnionInto(&view.secondary, rv.closure)
				}
			}
			view.direct, view.secondary = packSets(view.direct, view.secondary)
		}
	}
	d.next.users = d.next.users.Set(d.edit, uint32(id), view)
}

// packSets copies two sets into one allocation, so that a decision reading
// both (SECONDARY ROLE ALL) finds them on one cache line.
func packSets(a, b inherit.Set) (inherit.Set, inherit.Set) {
	if len(a)+len(b) == 0 {
		return a, b
	}
	buf := make(inherit.Set, len(a)+len(b))
	copy(buf, a)
	copy(buf[len(a):], b)
	return buf[:len(a):len(a)], buf[len(a):]
}

// levelEntries returns the grants at level l grouped by role: rebuilt if
// the transaction changed grants at l, else old, the previous snapshot's
// (a new object has no grants unless they were written at its level).
func (d *deriver) levelEntries(scope catalog.Scope, object uint32, old []entry) []entry {
	l := catalog.LevelKey{Scope: scope, Object: object}
	if !d.ch.Levels[l] {
		return old
	}
	return d.entries(l)
}

// entries groups the grants at level l by role.
func (d *deriver) entries(l catalog.LevelKey) []entry {
	var out []entry
	for _, g := range d.tx.GrantsAt(l) {
		slot := d.slotOf(g.Role)
		i := slices.IndexFunc(out, func(e entry) bool { return e.slot == slot })
		if i < 0 {
			out = append(out, entry{slot: slot})
			i = len(out) - 1
		}
		out[i].privs |= g.Priv.Bit()
		if g.Option {
			out[i].options |= g.Priv.Bit()
		}
	}
	return d.groupEntries(l, out)
}

func (d *deriver) refreshAccount(id model.AccountID) {
	rec := d.tx.Account(id)
	var view *accountView
	if rec != nil {
		obj := uint32(id)
		old := deref(d.next.accountAt(obj))
		view = &accountView{
			id:         id,
			status:     rec.Status,
			sys:        rec.Name == model.SysAccount,
			adminRole:  rec.AdminRole,
			adminSlot:  d.slotOf(rec.AdminRole),
			publicSlot: d.slotOf(rec.PublicRole),
			grants:     d.levelEntries(catalog.ScopeAccount, obj, old.grants),
			anyDB:      d.levelEntries(catalog.ScopeAnyDatabase, obj, old.anyDB),
			anyTable:   d.levelEntries(catalog.ScopeAnyTable, obj, old.anyTable),
			deny:       d.accountDeny(id),
		}
	}
	d.next.accounts = d.next.accounts.Set(d.edit, uint32(id), deref(view))
}

func (d *deriver) refreshDatabase(id model.DatabaseID) {
	rec := d.tx.Database(id)
	var view *dbView
	if rec != nil {
		obj := uint32(id)
		old := deref(d.next.dbAt(obj))
		view = &dbView{
			account:   rec.Account,
			ownerSlot: d.slotOf(rec.Owner),
			grants:    d.levelEntries(catalog.ScopeDatabase, obj, old.grants),
			tables:    d.levelEntries(catalog.ScopeDatabaseTables, obj, old.tables),
			deny:      d.dbDenyOf(obj, old.deny),
		}
	}
	d.next.dbs = d.next.dbs.Set(d.edit, uint32(id), deref(view))
}

func (d *deriver) refreshTable(id model.TableID) {
	rec, ok := d.tx.TableValue(id)
	var view tableView
	if ok {
		var acl uint32 // the ACL bits stay until refreshTableACL changes them
		if old := d.next.tableAt(uint32(id)); old != nil {
			view.grants, acl = old.grants, old.owner
		}
		view.db, view.owner = rec.Database, packOwner(d.slotOf(rec.Owner), acl)
		if l := (catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(id)}); d.ch.Levels[l] {
			view.grants = nil
			view.grants = d.entries(l)
		}
	}
	d.next.tables = d.next.tables.Set(d.edit, uint32(id), view)
}
