package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// actor is a session's authority on the snapshot a statement starts from
// (reference §9: authority is judged on the state at the start of the
// statement). While the active role is not granted, S is empty.
type actor struct {
	snap    *Snapshot
	a       *accountView
	user    model.UserID
	active  model.RoleID
	set     inherit.Set // S: the active role's closure, with secondaries if on
	primary inherit.Set // the active role's closure alone
}

func (s *Session) actor(snap *Snapshot) *actor {
	ac := &actor{snap: snap, a: snap.accountAt(uint32(s.account)), user: s.user, active: s.role}
	u := snap.userAt(uint32(s.user))
	r := snap.roleAt(uint32(s.role))
	if u != nil && r != nil && u.direct.Has(r.slot) {
		ac.primary, ac.set = r.closure, r.closure
		if s.secondary == SecondaryAll {
			ac.set = u.secondary
		}
	}
	return ac
}

var errDenied = &model.Error{Kind: model.ErrDenied, Msg: model.ErrDenied.Error()}

// require turns a decision into the statement refusal.
func require(d Decision) error {
	if d.Allowed {
		return nil
	}
	return errDenied
}

func requireTrue(ok bool) error {
	if ok {
		return nil
	}
	return errDenied
}

// admin reports whether S holds the account's admin role.
func (ac *actor) admin() bool { return ac.set.Has(ac.a.adminSlot) }

// moadmin reports whether the active role is moadmin (account management).
func (ac *actor) moadmin() bool {
	return ac.a.sys && ac.active == ac.a.adminRole && ac.primary.Has(ac.a.adminSlot)
}

// accountPriv decides an account privilege: creation privileges from the
// active role alone, others from S.
func (ac *actor) accountPriv(p model.Privilege) Decision {
	if p.Info().Creation {
		return ac.a.accountGrant(ac.primary, p)
	}
	return ac.a.accountGrant(ac.set, p)
}

// manageGrants reports whether S holds MANAGE GRANTS (or the admin role).
func (ac *actor) manageGrants() bool { return ac.accountPriv(model.PrivManageGrants).Allowed }

// owns reports whether a role of S owns the object whose owner is role.
func (ac *actor) owns(owner model.RoleID) bool {
	r := ac.snap.roleAt(uint32(owner))
	return r != nil && ac.set.Has(r.slot)
}

// dbView returns the view of database id as the statement started, or nil.
func (ac *actor) dbView(id model.DatabaseID) *dbView {
	if id == 0 {
		return nil
	}
	return ac.snap.dbAt(uint32(id))
}

// tableView returns the view of table id as the statement started, or nil.
func (ac *actor) tableView(id model.TableID) *tableView {
	if id == 0 {
		return nil
	}
	return ac.snap.tableAt(uint32(id))
}

// mayGrant decides GRANT p ON level (reference §9): p or ALL held with grant
// option at a covering level, ownership of the named object, MANAGE GRANTS
// for database and table levels, or the admin role.
func (ac *actor) mayGrant(p model.Privilege, l level) bool {
	if ac.admin() {
		return true
	}
	if ac.deniedAt(p, l) {
		return false // a denial takes the authority to grant what it denies (reference §18)
	}
	if l.scope != catalog.ScopeAccount && ac.manageGrants() {
		return true
	}
	if l.ownerOf(ac) {
		return true
	}
	want := p.Satisfying()
	for _, entries := range l.covering(ac) {
		if ac.a.heldWithOption(entries, ac.set, want) {
			return true
		}
	}
	return false
}

// mayRevoke decides REVOKE ... ON level: ownership of the named object,
// MANAGE GRANTS for database and table levels, or the admin role.
func (ac *actor) mayRevoke(l level) bool {
	return ac.admin() || l.scope != catalog.ScopeAccount && ac.manageGrants() || l.ownerOf(ac)
}

// mayGrantRole decides GRANT r TO x (reference §9): MANAGE GRANTS for a role
// that carries no account power, ownership of r, or r held with grant
// option by the user while r is in S, or through a chain of grant-option
// edges ending in S. A missing r is judged from MANAGE GRANTS alone.
func (ac *actor) mayGrantRole(r *catalog.Role) bool {
	if r == nil {
		return ac.manageGrants()
	}
	if ac.owns(r.Owner) {
		return true
	}
	tx := ac.snap.read()
	rv := ac.snap.roleAt(uint32(r.ID))
	if ur := tx.UserRole(ac.user, r.ID); ur != nil && ur.Option && rv != nil && ac.set.Has(rv.slot) {
		return true
	}
	seen := map[model.RoleID]bool{r.ID: true}
	stack := []model.RoleID{r.ID}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range tx.EdgesOf(x) {
			if !e.Option || seen[e.Grantee] {
				continue
			}
			if gv := ac.snap.roleAt(uint32(e.Grantee)); gv != nil && ac.set.Has(gv.slot) {
				return true
			}
			seen[e.Grantee] = true
			stack = append(stack, e.Grantee)
		}
	}
	// Last: the other rules are cheaper than the scan of the account.
	return ac.manageGrants() && ac.powerless(r.ID)
}

// mildAccountPrivs are the account privileges a role may carry and still be
// granted by a MANAGE GRANTS holder.
const mildAccountPrivs = model.PrivSet(1)<<model.PrivConnect | model.PrivSet(1)<<model.PrivShowDatabases

// powerless reports whether a MANAGE GRANTS holder may grant role r (reference
// §9): no role in r's closure is the admin role, holds an account privilege
// other than CONNECT and SHOW DATABASES, or owns a role or a user. Without
// that rule MANAGE GRANTS could hand itself ALTER USER, or the ownership of
// users, and escalate from there. It is judged on the statement's base
// snapshot, like all authority.
func (ac *actor) powerless(r model.RoleID) bool {
	rv := ac.snap.roleAt(uint32(r))
	if rv == nil || rv.closure.Has(ac.a.adminSlot) {
		return rv == nil
	}
	for i := range ac.a.grants {
		e := &ac.a.grants[i]
		if ac.a.privsOf(e)&levelPrivileges[model.LevelAccount]&^mildAccountPrivs != 0 && rv.closure.Has(e.slot) {
			return false
		}
	}
	return !ac.snap.read().OwnsRoleOrUser(ac.a.id, ac.closureRoles(r))
}

// closureRoles returns role r and the roles it inherits in the statement's
// base snapshot: the roles of its closure that may own something (public,
// also in every closure, owns nothing).
func (ac *actor) closureRoles(r model.RoleID) catalog.IDs[model.RoleID] {
	var roles catalog.IDs[model.RoleID]
	roles.Add(r)
	parents := ac.snap.edges().Parents
	for stack := []model.RoleID{r}; len(stack) > 0; {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range parents(x) {
			if !roles.Has(p) {
				roles.Add(p)
				stack = append(stack, p)
			}
		}
	}
	return roles
}

// mayRevokeRole decides REVOKE r FROM x: MANAGE GRANTS or ownership of r.
func (ac *actor) mayRevokeRole(r *catalog.Role) bool {
	return ac.manageGrants() || r != nil && ac.owns(r.Owner)
}
