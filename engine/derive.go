package engine

import (
	"maps"
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
	tx   *catalog.Tx
	next Snapshot
	edit *pvec.Edit
}

// derive returns the snapshot that follows s once tx commits.
func (s *Snapshot) derive(tx *catalog.Tx) *Snapshot {
	d := &deriver{tx: tx, next: *s, edit: &pvec.Edit{}}
	ch := tx.Changes()
	users := d.refreshRoles(ch.Roles)
	for u := range ch.Users {
		users[u] = true
	}
	for u := range users {
		d.refreshUser(u)
	}
	accounts := maps.Clone(ch.Accounts)
	dbs := maps.Clone(ch.Databases)
	tables := maps.Clone(ch.Tables)
	for l := range ch.Levels {
		switch l.Scope {
		case catalog.ScopeAccount, catalog.ScopeAnyDatabase, catalog.ScopeAnyTable:
			accounts[model.AccountID(l.Object)] = true
		case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
			dbs[model.DatabaseID(l.Object)] = true
		case catalog.ScopeTable:
			tables[model.TableID(l.Object)] = true
		}
	}
	for a := range accounts {
		d.refreshAccount(a)
	}
	for id := range dbs {
		d.refreshDatabase(id)
	}
	for id := range tables {
		d.refreshTable(id)
	}
	d.refreshMilvus(s, accounts, dbs)
	next := d.next
	next.rev++
	return &next
}

// slotOf returns the slot of role r, or noSlot if it does not exist.
func (d *deriver) slotOf(r model.RoleID) uint32 {
	if rec := d.tx.Role(r); rec != nil {
		return rec.Slot
	}
	return noSlot
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
	rec := d.tx.User(id)
	var view *userView
	if rec != nil {
		if acc := d.tx.Account(rec.Account); acc != nil {
			view = &userView{
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
		}
	}
	d.next.users = d.next.users.Set(d.edit, uint32(id), deref(view))
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
		view = &accountView{
			id:         id,
			status:     rec.Status,
			sys:        rec.Name == model.SysAccount,
			adminRole:  rec.AdminRole,
			adminSlot:  d.slotOf(rec.AdminRole),
			publicSlot: d.slotOf(rec.PublicRole),
			grants:     d.entries(catalog.LevelKey{Scope: catalog.ScopeAccount, Object: obj}),
			anyDB:      d.entries(catalog.LevelKey{Scope: catalog.ScopeAnyDatabase, Object: obj}),
			anyTable:   d.entries(catalog.LevelKey{Scope: catalog.ScopeAnyTable, Object: obj}),
		}
	}
	d.next.accounts = d.next.accounts.Set(d.edit, uint32(id), deref(view))
}

func (d *deriver) refreshDatabase(id model.DatabaseID) {
	rec := d.tx.Database(id)
	var view *dbView
	if rec != nil {
		obj := uint32(id)
		view = &dbView{
			account:   rec.Account,
			ownerSlot: d.slotOf(rec.Owner),
			grants:    d.entries(catalog.LevelKey{Scope: catalog.ScopeDatabase, Object: obj}),
			tables:    d.entries(catalog.LevelKey{Scope: catalog.ScopeDatabaseTables, Object: obj}),
		}
	}
	d.next.dbs = d.next.dbs.Set(d.edit, uint32(id), deref(view))
}

func (d *deriver) refreshTable(id model.TableID) {
	rec := d.tx.Table(id)
	var view *tableView
	if rec != nil {
		view = &tableView{
			account:   rec.Account,
			db:        rec.Database,
			ownerSlot: d.slotOf(rec.Owner),
			grants:    d.entries(catalog.LevelKey{Scope: catalog.ScopeTable, Object: uint32(id)}),
			name:      rec.Name,
		}
	}
	d.next.tables = d.next.tables.Set(d.edit, uint32(id), deref(view))
}
