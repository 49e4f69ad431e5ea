package engine

import (
	"slices"
	"sort"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// Privilege groups (reference §15, §21): CREATE, ALTER, DROP and SHOW PRIVILEGE
// GROUP(S), and GRANT and REVOKE of a group at a level.

// CreatePrivilegeGroup is CREATE PRIVILEGE GROUP [IF NOT EXISTS] g.
type CreatePrivilegeGroup struct {
	IfNotExists bool
	Name        string
}

// GroupAction is what ALTER PRIVILEGE GROUP does with its privileges.
type GroupAction uint8

// The ALTER PRIVILEGE GROUP actions.
const (
	GroupAdd GroupAction = iota + 1
	GroupRemove
)

// AlterPrivilegeGroup is ALTER PRIVILEGE GROUP g {ADD | REMOVE} privileges;
// the privileges are the names as written.
type AlterPrivilegeGroup struct {
	Name       string
	Action     GroupAction
	Privileges []string
}

// DropPrivilegeGroup is DROP PRIVILEGE GROUP [IF EXISTS] g.
type DropPrivilegeGroup struct {
	IfExists bool
	Name     string
}

// GrantPrivilegeGroup is GRANT PRIVILEGE GROUP g ON level TO roles.
type GrantPrivilegeGroup struct {
	Group  string
	On     Target
	To     []string
	Option GrantOption
}

// RevokePrivilegeGroup is REVOKE [IF EXISTS] [GRANT OPTION FOR] PRIVILEGE
// GROUP g ON level FROM roles.
type RevokePrivilegeGroup struct {
	IfExists        bool
	GrantOptionOnly bool
	Group           string
	On              Target
	From            []string
}

// predefinedGroup returns the record standing for a predefined group of
// account a, nil if name is not one.
func predefinedGroup(a model.AccountID, name string) *catalog.PrivilegeGroup {
	switch name {
	case model.ReadOnly:
		return &catalog.PrivilegeGroup{ID: model.GroupReadOnly, Account: a, Name: name,
			Slot: catalog.SlotReadOnly, Privs: model.ReadOnlyPrivs}
	case model.ReadWrite:
		return &catalog.PrivilegeGroup{ID: model.GroupReadWrite, Account: a, Name: name,
			Slot: catalog.SlotReadWrite, Privs: model.ReadWritePrivs}
	}
	return nil
}

// groupByName returns the group of account a named name, predefined or
// custom, as tx sees it; nil if there is none.
func groupByName(tx *catalog.Tx, a model.AccountID, name string) *catalog.PrivilegeGroup {
	if g := predefinedGroup(a, name); g != nil {
		return g
	}
	return tx.GroupByName(a, name)
}

func noGroup(name string) error {
	return missingErr("there is no privilege group %s", model.Quote(name))
}

func groupFixed(name string) error {
	return model.Errorf(model.ErrPredefined, "the privilege group %s can not be changed", model.Quote(name))
}

// groupPrivList validates the privileges of ALTER PRIVILEGE GROUP (stage
// 2): unknown names, and cluster privileges, OWNERSHIP and ALL, which are
// never members.
func groupPrivList(names []string) (model.PrivSet, error) {
	var out model.PrivSet
	for _, raw := range names {
		p, ok := model.ParsePrivilege(raw)
		switch {
		case !ok:
			return 0, model.Errorf(model.ErrInvalidPrivilege, "unsupported privilege type %s",
				strings.ToLower(strings.Join(strings.Fields(raw), " ")))
		case !p.Groupable():
			return 0, model.Errorf(model.ErrInvalidPrivilege, "the privilege %s can not be added to a privilege group", p)
		}
		out |= p.Bit()
	}
	return out, nil
}

// mayEditGroup decides CREATE, ALTER and DROP PRIVILEGE GROUP: MANAGE
// GRANTS when every privilege the statement touches (the members before
// and after) is of database or table level, the admin role otherwise.
func (ac *actor) mayEditGroup(touched model.PrivSet) bool {
	if touched.AtLevel(model.LevelAccount) != 0 {
		return ac.admin()
	}
	return ac.manageGrants()
}

// CreatePrivilegeGroup runs CREATE PRIVILEGE GROUP: an empty group of the
// session's account.
func (s *Session) CreatePrivilegeGroup(st CreatePrivilegeGroup) error {
	var name string
	return s.exec(st, func() error { return foldInto(&name, model.NameGroup, st.Name) }, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		if !ac.mayEditGroup(0) {
			return errDenied
		}
		err := w.createGroup(s.account, name)
		if skip(st.IfNotExists, err) {
			return nil
		}
		return err
	})
}

func (w *writer) createGroup(a model.AccountID, name string) error {
	if model.IsPredefinedGroup(name) {
		return skippableErr{err: model.Errorf(model.ErrPredefined,
			"can not use the name %s. it is the name of the predefined privilege group", model.Quote(name)).(*model.Error)}
	}
	if w.GroupByName(a, name) != nil {
		return existsErr("the privilege group %s exists", model.Quote(name))
	}
	acc := w.Account(a)
	if err := w.limit(w.Count(a).Groups, w.e.cfg.limits.GroupsPerAccount, "privilege groups", acc.Name); err != nil {
		return err
	}
	w.Insert(&catalog.PrivilegeGroup{ID: w.NewGroupID(), Account: a, Name: name, Slot: w.freeGroupSlot(a)})
	return nil
}

// freeGroupSlot returns the least slot no group of account a holds. A
// dropped group had no grant left, so its slot may serve again.
func (w *writer) freeGroupSlot(a model.AccountID) uint32 {
	var used []uint32
	for _, g := range w.GroupsOf(a) {
		used = append(used, g.Slot)
	}
	slices.Sort(used)
	slot := catalog.FirstGroupSlot
	for _, u := range used {
		if u == slot {
			slot++
		}
	}
	return slot
}

// AlterPrivilegeGroup runs ALTER PRIVILEGE GROUP g ADD | REMOVE: every grant
// of g changes with it at once. Adding a member already present or removing
// an absent one changes nothing.
func (s *Session) AlterPrivilegeGroup(st AlterPrivilegeGroup) error {
	var name string
	var privs model.PrivSet
	return s.exec(st, func() (err error) {
		if err = foldInto(&name, model.NameGroup, st.Name); err != nil {
			return err
		}
		if st.Action != GroupAdd && st.Action != GroupRemove {
			return invalidOption("the ALTER PRIVILEGE GROUP action %d is invalid", st.Action)
		}
		if err = checkNames(st.Privileges, "privilege"); err != nil {
			return err
		}
		privs, err = groupPrivList(st.Privileges)
		return err
	}, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		touched := privs // a missing group is judged from the statement's privileges
		if g := groupByName(w.base.read(), s.account, name); g != nil {
			touched = g.Privs | privs
			if st.Action == GroupRemove {
				touched = g.Privs
			}
		}
		if !ac.mayEditGroup(touched) {
			return errDenied
		}
		g := groupByName(w.Tx, s.account, name)
		switch {
		case g == nil:
			return noGroup(name)
		case model.IsPredefinedGroup(name):
			return groupFixed(name)
		}
		c := *g
		if st.Action == GroupRemove {
			c.Privs &^= privs
		} else {
			if err := w.publicMayAdd(g, privs&^g.Privs); err != nil {
				return err
			}
			c.Privs |= privs
		}
		if c.Privs != g.Privs {
			w.Put(&c)
		}
		return nil
	})
}

// publicMayAdd refuses to add to group g a privilege public may not be
// granted at a level where g is granted to public (reference §15); of several,
// the first in reference §3's order is named.
func (w *writer) publicMayAdd(g *catalog.PrivilegeGroup, added model.PrivSet) error {
	acc := w.Account(g.Account)
	var levels [model.LevelTable + 1]bool
	for _, gg := range w.GroupGrantsOf(acc.PublicRole) {
		if gg.Group == g.ID {
			levels[scopeLevel(gg.Scope)] = true
		}
	}
	var err error
	added.Each(func(p model.Privilege) {
		if err == nil && levels[p.Level()] {
			err = publicMay([]model.Privilege{p}, PlainGrant)
		}
	})
	return err
}

// DropPrivilegeGroup runs DROP PRIVILEGE GROUP: refused while any grant of
// the group exists.
func (s *Session) DropPrivilegeGroup(st DropPrivilegeGroup) error {
	var name string
	return s.exec(st, func() error { return foldInto(&name, model.NameGroup, st.Name) }, func(w *writer, ac *actor) error {
		if err := ac.restricted(); err != nil {
			return err
		}
		var touched model.PrivSet
		if g := groupByName(w.base.read(), s.account, name); g != nil {
			touched = g.Privs
		}
		if !ac.mayEditGroup(touched) {
			return errDenied
		}
		g := groupByName(w.Tx, s.account, name)
		switch {
		case g == nil:
			return ignoreIf(st.IfExists, noGroup(name))
		case model.IsPredefinedGroup(name):
			return groupFixed(name)
		}
		var holders []string
		for _, gg := range w.GrantsOfGroup(s.account, g.ID) {
			if r := w.Role(gg.Role); r != nil {
				holders = append(holders, r.Name)
			}
		}
		if len(holders) > 0 {
			return model.Errorf(model.ErrInUse, "the privilege group %s is granted to the role %s",
				model.Quote(name), model.Quote(slices.Min(holders)))
		}
		w.Delete(g)
		return nil
	})
}

// ShowPrivilegeGroups runs SHOW PRIVILEGE GROUPS: one row per group of the
// account, predefined ones included, `<g>: <PRIV>, ...` with the members in
// reference §3's order. It needs nothing.
func (s *Session) ShowPrivilegeGroups() ([]string, error) {
	var rows []string
	err := s.read(nil, func(snap *Snapshot, _ *actor) error {
		groups := []*catalog.PrivilegeGroup{predefinedGroup(s.account, model.ReadOnly), predefinedGroup(s.account, model.ReadWrite)}
		groups = append(groups, snap.read().GroupsOf(s.account)...)
		for _, g := range groups {
			var members []string
			g.Privs.Each(func(p model.Privilege) { members = append(members, p.Upper()) })
			rows = append(rows, model.Quote(g.Name)+": "+strings.Join(members, ", "))
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}
