package oracle_test

import (
	"errors"
	"slices"
	"strings"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
)

// Introspection against the oracle: WhoCan, and WHAT IF of the statements
// the machine runs. "Can" is written out from reference §19: a user can if the
// oracle's Check allows for some role granted to it directly, or public,
// as the active role with SECONDARY ALL.

// asked are the privileges introspection asks of an object of each kind
// (reference §21): its level's, ALL included, and its "also allowed by" ones.
var asked = map[model.Kind][]model.Privilege{
	model.KindAccount: {model.PrivCreateUser, model.PrivDropUser, model.PrivAlterUser, model.PrivCreateRole,
		model.PrivDropRole, model.PrivCreateDatabase, model.PrivDropDatabase, model.PrivShowDatabases,
		model.PrivConnect, model.PrivManageGrants, model.PrivAccountAll},
	model.KindDatabase: {model.PrivShowTables, model.PrivCreateTable, model.PrivDropTable, model.PrivAlterTable,
		model.PrivCreateView, model.PrivDropView, model.PrivAlterView, model.PrivDatabaseAll, model.PrivDropDatabase},
	model.KindTable: {model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete, model.PrivTruncate,
		model.PrivReference, model.PrivIndex, model.PrivTableAll, model.PrivDropTable, model.PrivAlterTable},
	model.KindRole:   {model.PrivDropRole},
	model.KindUser:   {model.PrivDropUser, model.PrivAlterUser},
	model.KindColumn: {model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivReference},
}

// can reports whether user u can p on o in the oracle's state.
func can(s *oracle.State, u oracle.ID, p model.Privilege, o oracle.Object) bool {
	user := s.Users[u]
	roles := []oracle.ID{s.Accounts[user.Account].Public}
	for _, ur := range s.UserRoles {
		if ur.User == u {
			roles = append(roles, ur.Role)
		}
	}
	return slices.ContainsFunc(roles, func(r oracle.ID) bool { return s.Check(u, r, true, p, o) })
}

// objectsOf returns every object of account acc with its name as WHAT IF
// prints it.
func objectsOf(s *oracle.State, acc oracle.ID) map[oracle.Object]string {
	out := map[oracle.Object]string{{Kind: model.KindAccount, ID: acc}: "ACCOUNT"}
	for id, d := range s.DBs {
		if d.Account == acc {
			out[oracle.Object{Kind: model.KindDatabase, ID: id}] = "DATABASE " + model.Quote(d.Name)
		}
	}
	for id, tb := range s.Tables {
		if tb.Account == acc {
			out[oracle.Object{Kind: model.KindTable, ID: id}] = "TABLE " + model.Quote(s.DBs[tb.DB].Name) + "." + model.Quote(tb.Name)
			for _, c := range tb.Columns {
				out[oracle.Object{Kind: model.KindColumn, ID: c.ID}] = "COLUMN " + model.Quote(s.DBs[tb.DB].Name) + "." +
					model.Quote(tb.Name) + "." + model.Quote(c.Name)
			}
		}
	}
	for id, r := range s.Roles {
		if r.Account == acc {
			out[oracle.Object{Kind: model.KindRole, ID: id}] = "ROLE " + model.Quote(r.Name)
		}
	}
	for id, u := range s.Users {
		if u.Account == acc {
			out[oracle.Object{Kind: model.KindUser, ID: id}] = "USER " + model.Quote(u.Name)
		}
	}
	return out
}

// canRows lists every "<user> <PRIV> ON <object>" that can in account acc.
func canRows(s *oracle.State, acc oracle.ID) map[string]bool {
	out := map[string]bool{}
	if s.Accounts[acc] == nil {
		return out
	}
	objs := objectsOf(s, acc)
	for u, user := range s.Users {
		if user.Account != acc {
			continue
		}
		for o, name := range objs {
			for _, p := range asked[o.Kind] {
				if can(s, u, p, o) {
					out[model.Quote(user.Name)+" "+p.Upper()+" ON "+name] = true
				}
			}
		}
	}
	return out
}

// whatIfCheck runs WHAT IF of a write statement before the machine runs it
// for real; the returned function, called once the statement has run on
// both sides, compares WHAT IF's answer with the oracle's difference. It
// returns nil for statements that are not writes.
func (m *machine) whatIfCheck(t *rapid.T, who *pair, stmt string, e func(*engine.Session) error) func(errE error) {
	verb := strings.Fields(stmt)[0]
	if !slices.Contains([]string{"CREATE", "DROP", "ALTER", "GRANT", "REVOKE", "DENY"}, verb) || who.o.Closed() {
		return nil
	}
	acc := who.o.Account
	before := canRows(m.orc.State, acc)
	snap := m.eng.Snapshot()
	w, errW := m.eng.WhatIf(who.e, e)
	if m.eng.Snapshot() != snap {
		t.Fatalf("WHAT IF %s published a snapshot", stmt)
	}
	manager := m.manages(who)
	return func(errE error) {
		switch {
		case errW != nil && errE != nil && errW.Error() == errE.Error():
			return
		case errW != nil && !manager && errors.Is(errW, model.ErrDenied):
			return
		case errW != nil || errE != nil:
			t.Fatalf("%s: WHAT IF %s: %v; the statement: %v", who, stmt, orOK(errW), orOK(errE))
		}
		after := canRows(m.orc.State, acc)
		var want []string
		for r := range after {
			if !before[r] {
				want = append(want, "+ "+r)
			}
		}
		for r := range before {
			if !after[r] {
				want = append(want, "- "+r)
			}
		}
		slices.Sort(want)
		got := w.Rows()
		if !slices.Equal(want, got) {
			t.Fatalf("%s: WHAT IF %s (- oracle only, + engine only):\n%s", who, stmt, diff(want, got))
		}
	}
}

// manages reports whether the connection's S holds MANAGE GRANTS or the
// admin role in the oracle, the authority WHAT IF needs.
func (m *machine) manages(who *pair) bool {
	s := m.orc.State
	acc := s.Accounts[who.o.Account]
	if acc == nil || s.Users[who.o.User] == nil {
		return false
	}
	return s.Check(who.o.User, who.o.Role, who.o.Secondary, model.PrivManageGrants, oracle.Object{Kind: model.KindAccount, ID: acc.ID})
}

// checkWhoCan compares WhoCan with the oracle on a few (privilege, object)
// of every visible account.
func (m *machine) checkWhoCan(t *rapid.T) {
	s := m.orc.State
	snap := m.eng.Snapshot()
	for _, a := range m.accounts() {
		objs := objectsOf(s, a.ID)
		keys := make([]oracle.Object, 0, len(objs))
		for o := range objs {
			keys = append(keys, o)
		}
		slices.SortFunc(keys, func(x, y oracle.Object) int { return int(x.ID) - int(y.ID) })
		for range 8 {
			o := keys[m.rng.IntN(len(keys))]
			p := asked[o.Kind][m.rng.IntN(len(asked[o.Kind]))]
			var want []uint32
			for u, user := range s.Users {
				if user.Account == a.ID && can(s, u, p, o) {
					want = append(want, m.ids[u])
				}
			}
			slices.Sort(want)
			var got []uint32
			for _, u := range snap.WhoCan(p, model.Object{Kind: o.Kind, ID: m.ids[o.ID]}).Users {
				got = append(got, uint32(u))
			}
			require.Equal(t, orEmpty(want), orEmpty(got), "WhoCan(%s, %s)", p, objs[o])
		}
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
