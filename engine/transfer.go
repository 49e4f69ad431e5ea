package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/ownership"
)

// ownershipForm checks the form of GRANT ... OWNERSHIP ... (reference §3).
func ownershipForm(st GrantPrivilege) error {
	if err := checkGrantOption(st.Option); err != nil {
		return err
	}
	if _, err := privList(nonOwnership(st.Privileges), targetLevel(st.On), false); err != nil {
		return err
	}
	// Problems are reported in statement order: the privilege list, the
	// level, then the grantees and the option.
	alone := model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership must be granted alone to one role")
	switch {
	case len(st.Privileges) != 1:
		return alone
	case st.On.Kind == model.KindAccount:
		return model.Errorf(model.ErrInvalidPrivilege, "the object type \"account\" do not support the privilege \"ownership\"")
	case st.On.wildcard():
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be granted on a wildcard level")
	case len(st.To) != 1 || st.Option == GrantWithOption:
		return alone
	}
	return nil
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

// GrantOwnership runs GRANT OWNERSHIP ON object TO role (reference §6): the role
// becomes the single owner; existing grants stay.
func (s *Session) GrantOwnership(st GrantOwnership) error {
	return s.transfer(st, st.On, []string{st.To}, nil)
}

// transfer runs an ownership transfer; form checks the statement's form
// first (stage 2).
func (s *Session) transfer(st any, on Target, toRaw []string, form func() error) error {
	var to, name string
	var sp levelSpec
	return s.exec(st, func() error {
		if form != nil {
			if err := form(); err != nil {
				return err
			}
		}
		if len(toRaw) != 1 {
			return model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership must be granted alone to one role")
		}
		if err := foldInto(&to, model.NameRole, toRaw[0]); err != nil {
			return err
		}
		var err error
		sp, name, err = s.ownedSpec(on)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		obj := w.ownedObject(s.account, on.Kind, sp, name)
		if err := requireTrue(ac.mayTransfer(obj)); err != nil {
			return err
		}
		if obj.missing != nil {
			return obj.missing
		}
		return w.transfer(s.account, obj, to)
	})
}

// ownedSpec validates the object of a transfer (stage 2).
func (s *Session) ownedSpec(on Target) (sp levelSpec, name string, err error) {
	if err = checkTarget(on); err != nil {
		return sp, "", err
	}
	switch on.Kind {
	case model.KindDatabase, model.KindTable:
		if on.wildcard() {
			return sp, "", model.Errorf(model.ErrInvalidPrivilege, "the privilege ownership can not be granted on a wildcard level")
		}
		sp, err = s.spec(on)
	case model.KindAlias:
		sp, err = s.tableTarget(on.Database, on.Name)
	case model.KindRole:
		name, err = model.FoldName(model.NameRole, on.Name)
	case model.KindUser:
		name, err = model.FoldName(model.NameUser, on.Name)
	default:
		err = model.Errorf(model.ErrInvalidPrivilege, "the object type %q do not support the privilege \"ownership\"", on.Kind.String())
	}
	return sp, name, err
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
	case model.KindAlias:
		l := w.resolve(a, sp)
		o.name = sp.tbName
		switch al := aliasAt(w.Tx, l, sp.tbName); {
		case l.db == 0:
			o.missing = noDatabase(sp.dbName)
		case al == nil:
			o.missing = noAlias(sp.tbName, sp.dbName)
		default:
			o.rec, o.owner = al, al.Owner
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
// GRANTS (tables and aliases only), or the admin role. Ownership is judged on the state
// the statement started from.
func (ac *actor) mayTransfer(o owned) bool {
	if ac.admin() || (o.kind == model.KindTable || o.kind == model.KindAlias) && ac.manageGrants() {
		return true
	}
	return o.rec != nil && ac.owns(o.owner)
}

func (w *writer) transfer(a model.AccountID, o owned, to string) error {
	acc := w.Account(a)
	fixed := model.Errorf(model.ErrPredefined, "the ownership of %s can not be transferred", model.Quote(o.name))
	// The object comes before the recipient in the statement.
	if o.self == acc.AdminRole || o.self == acc.PublicRole {
		return fixed
	}
	if u, ok := o.rec.(*catalog.User); ok && u.ID == acc.AdminUser {
		return fixed
	}
	r := w.RoleByName(a, to)
	if r == nil {
		return model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(to))
	}
	if r.ID == acc.PublicRole {
		return model.Errorf(model.ErrPredefined, "the ownership can not be granted to the role public")
	}
	if o.self == r.ID {
		return fixed
	}
	if o.owner == r.ID {
		return nil
	}
	ownership.Transfer(w.Tx, o.rec, r.ID)
	return nil
}
