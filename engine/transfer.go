package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/ownership"
)

// grantOwnershipForm checks the form of GRANT ... OWNERSHIP ... (SPEC §3)
// and runs the transfer.
func (s *Session) grantOwnershipForm(st GrantPrivilege) error {
	if _, err := privList(nonOwnership(st.Privileges), targetLevel(st.On), false); err != nil {
		return err
	}
	switch {
	case len(st.Privileges) != 1 || len(st.To) != 1 || st.Option == GrantWithOption:
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership must be granted alone to one role")
	case st.On.Kind == model.KindAccount:
		return model.Errorf(model.ErrInvalidPrivilege, "the object type \"account\" do not support the privilege \"ownership\"")
	case st.On.AnyDatabase || st.On.AnyTable:
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be granted on a wildcard level")
	}
	return s.GrantOwnership(GrantOwnership{On: st.On, To: st.To[0]})
}

// owned is the object of a transfer: its record and how to name it.
type owned struct {
	rec     any
	owner   model.RoleID
	self    model.RoleID // the role itself, for a role object
	kind    model.Kind
	name    string
	missing error
}

// GrantOwnership runs GRANT OWNERSHIP ON object TO role (SPEC §6): the role
// becomes the single owner; existing grants stay.
func (s *Session) GrantOwnership(st GrantOwnership) error {
	to, err := model.FoldName(model.NameRole, st.To)
	if err != nil {
		return err
	}
	var sp levelSpec
	var name string
	switch st.On.Kind {
	case model.KindDatabase, model.KindTable:
		if st.On.AnyDatabase || st.On.AnyTable {
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be granted on a wildcard level")
		}
		if sp, err = s.spec(st.On); err != nil {
			return err
		}
	case model.KindRole, model.KindUser:
		kind := model.NameRole
		if st.On.Kind == model.KindUser {
			kind = model.NameUser
		}
		if name, err = model.FoldName(kind, st.On.Name); err != nil {
			return err
		}
	default:
		return model.Errorf(model.ErrInvalidPrivilege, "the object type %q do not support the privilege \"ownership\"", st.On.Kind.String())
	}
	return s.exec(func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		obj := w.ownedObject(s.account, st.On.Kind, sp, name)
		if err := requireTrue(ac.mayTransfer(obj)); err != nil {
			return err
		}
		if obj.missing != nil {
			return obj.missing
		}
		return w.transfer(s.account, obj, to)
	})
}

func (w *writer) ownedObject(a model.AccountID, kind model.Kind, sp levelSpec, name string) owned {
	o := owned{kind: kind, name: name}
	switch kind {
	case model.KindRole:
		if r := w.RoleByName(a, name); r != nil {
			o.rec, o.owner, o.self = r, r.Owner, r.ID
		} else {
			o.missing = model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(name))
		}
	case model.KindUser:
		if u := w.UserByName(a, name); u != nil {
			o.rec, o.owner = u, u.Owner
		} else {
			o.missing = model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(name))
		}
	default:
		l := w.resolve(a, sp)
		o.missing = l.missing
		o.name = l.String()
		if l.table != 0 {
			t := w.Table(l.table)
			o.rec, o.owner = t, t.Owner
		} else if l.db != 0 && kind == model.KindDatabase {
			d := w.Database(l.db)
			o.rec, o.owner = d, d.Owner
		}
	}
	return o
}

// mayTransfer decides GRANT OWNERSHIP: a role of S owns the object, MANAGE
// GRANTS (not for users), or the admin role. Ownership is judged on the
// state the statement started from.
func (ac *actor) mayTransfer(o owned) bool {
	if ac.admin() || o.kind != model.KindUser && ac.manageGrants() {
		return true
	}
	return o.rec != nil && ac.owns(o.owner)
}

func (w *writer) transfer(a model.AccountID, o owned, to string) error {
	acc := w.Account(a)
	r := w.RoleByName(a, to)
	if r == nil {
		return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(to))
	}
	if r.ID == acc.PublicRole {
		return model.Errorf(model.ErrPredefined, "the ownership can not be granted to the role public")
	}
	fixed := o.self == acc.AdminRole || o.self == acc.PublicRole || o.self == r.ID
	if u, ok := o.rec.(*catalog.User); ok && u.ID == acc.AdminUser {
		fixed = true
	}
	if fixed {
		return model.Errorf(model.ErrPredefined, "the ownership of %s can not be transferred", model.Quote(o.name))
	}
	if o.owner == r.ID {
		return nil
	}
	ownership.Transfer(w.Tx, o.rec, r.ID)
	return nil
}
