package engine_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

// The introspection properties, on random catalogs built by random
// statements of the admin of account acme:
//
//   - WhoCan(p, o).Users is the set of users for whom Check allows with
//     some directly granted role and SECONDARY ALL, and those are the
//     unlocked holders of WhoCan(p, o).Roles;
//   - Privileges is what Check allows, privilege by privilege; Objects is
//     what Check allows, object by object;
//   - Explain decides as Check, and its path is a chain of real edges from
//     a role the user holds to the role whose printed grant row decided;
//   - WHAT IF of each statement reports exactly the difference of WhoCan
//     before and after the statement, and changes neither the engine's
//     snapshot nor its revision nor the IDs later statements get.

var (
	propRoles  = []string{"r1", "r2", "r3", "r4"}
	propUsers  = []string{"u1", "u2", "u3"}
	propDBs    = []string{"d1", "d2"}
	propTables = []string{"t1", "t2"}
	propPrivs  = map[model.Kind][]string{
		model.KindAccount:  {"create role", "drop role", "drop user", "alter user", "drop database", "show databases", "manage grants", "create database", "all"},
		model.KindDatabase: {"show tables", "create table", "drop table", "alter table", "all"},
		model.KindTable:    {"select", "insert", "delete", "all"},
	}
)

// propWorld is the engine under test with the admin's session.
type propWorld struct {
	eng *engine.Engine
	ann *engine.Session
	acc model.AccountID
}

func newPropWorld(t *rapid.T) *propWorld {
	eng, err := engine.New(engine.WithRootPassword("111"), engine.WithHasher(password.Testing()))
	require.NoError(t, err)
	root, err := eng.Connect("root", "111")
	require.NoError(t, err)
	require.NoError(t, root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
	ann, err := eng.Connect("acme:ann", "pw")
	require.NoError(t, err)
	acc, _ := eng.Snapshot().Account("acme")
	w := &propWorld{eng: eng, ann: ann, acc: acc}
	// Most objects exist from the start, so that most statements succeed.
	require.NoError(t, ann.CreateRole(engine.CreateRole{Names: propRoles}))
	for i, u := range propUsers {
		require.NoError(t, ann.CreateUser(engine.CreateUser{
			Users: []engine.UserCredential{{Name: u, Password: "pw"}}, DefaultRole: propRoles[i]}))
	}
	for _, d := range propDBs {
		require.NoError(t, ann.CreateDatabase(engine.CreateDatabase{Name: d}))
		require.NoError(t, ann.CreateTable(engine.CreateTable{Database: d, Name: propTables[0]}))
	}
	return w
}

// statement draws one random statement of the admin: its text and its run.
func (w *propWorld) statement(t *rapid.T) (string, func(*engine.Session) error) {
	role := func(l string) string { return rapid.SampledFrom(propRoles).Draw(t, l) }
	user := func() string { return rapid.SampledFrom(propUsers).Draw(t, "user") }
	db := func() string { return rapid.SampledFrom(propDBs).Draw(t, "db") }
	tbl := func() string { return rapid.SampledFrom(propTables).Draw(t, "table") }
	grantee := func() string {
		if rapid.IntRange(0, 5).Draw(t, "to public") == 0 {
			return model.Public
		}
		return role("grantee")
	}
	level := func() engine.Target {
		d, tb := db(), tbl()
		return rapid.SampledFrom([]engine.Target{
			{Kind: model.KindAccount},
			{Kind: model.KindDatabase, AnyDatabase: true},
			{Kind: model.KindDatabase, Database: d},
			{Kind: model.KindTable, AnyDatabase: true, AnyTable: true},
			{Kind: model.KindTable, Database: d, AnyTable: true},
			{Kind: model.KindTable, Database: d, Name: tb},
		}).Draw(t, "level")
	}
	switch rapid.IntRange(0, 15).Draw(t, "statement") {
	case 0:
		n := role("role")
		return "CREATE ROLE " + n, func(s *engine.Session) error { return s.CreateRole(engine.CreateRole{Names: []string{n}}) }
	case 1:
		n := role("role")
		return "DROP ROLE " + n, func(s *engine.Session) error { return s.DropRole(engine.DropRole{Names: []string{n}}) }
	case 2:
		n, r := user(), role("default")
		return "CREATE USER " + n + " DEFAULT ROLE " + r, func(s *engine.Session) error {
			return s.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: n, Password: "pw"}}, DefaultRole: r})
		}
	case 3:
		n := user()
		return "DROP USER " + n, func(s *engine.Session) error { return s.DropUser(engine.DropUser{Names: []string{n}}) }
	case 4:
		n := db()
		return "CREATE DATABASE " + n, func(s *engine.Session) error { return s.CreateDatabase(engine.CreateDatabase{Name: n}) }
	case 5:
		n := db()
		return "DROP DATABASE " + n, func(s *engine.Session) error { return s.DropDatabase(engine.DropDatabase{Name: n}) }
	case 6:
		d, n := db(), tbl()
		return "CREATE TABLE " + d + "." + n, func(s *engine.Session) error {
			return s.CreateTable(engine.CreateTable{Database: d, Name: n})
		}
	case 7:
		d, n := db(), tbl()
		return "DROP TABLE " + d + "." + n, func(s *engine.Session) error { return s.DropTable(engine.DropTable{Database: d, Name: n}) }
	case 8, 9, 14:
		on := level()
		p := rapid.SampledFrom(propPrivs[on.Kind]).Draw(t, "privilege")
		r := grantee()
		return "GRANT " + p + " ON " + targetText(on) + " TO " + r, func(s *engine.Session) error {
			return s.GrantPrivilege(grant([]string{p}, on, r))
		}
	case 10:
		on := level()
		p := rapid.SampledFrom(propPrivs[on.Kind]).Draw(t, "privilege")
		r := grantee()
		return "REVOKE " + p + " ON " + targetText(on) + " FROM " + r, func(s *engine.Session) error {
			return s.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{p}, On: on, From: []string{r}})
		}
	case 11, 15:
		r := role("role")
		to := role("to")
		if rapid.Bool().Draw(t, "to a user") {
			to = user()
		}
		if rapid.Bool().Draw(t, "revoke") {
			return "REVOKE " + r + " FROM " + to, func(s *engine.Session) error {
				return s.RevokeRole(engine.RevokeRole{Roles: []string{r}, From: []string{to}})
			}
		}
		return "GRANT " + r + " TO " + to, func(s *engine.Session) error {
			return s.GrantRole(engine.GrantRole{Roles: []string{r}, To: []string{to}})
		}
	case 12:
		to := role("owner")
		on := rapid.SampledFrom([]engine.Target{
			{Kind: model.KindDatabase, Database: db()}, table(db(), tbl()),
			{Kind: model.KindRole, Name: role("owned")}, {Kind: model.KindUser, Name: user()},
		}).Draw(t, "owned")
		return "GRANT OWNERSHIP ON " + targetText(on) + " TO " + to, func(s *engine.Session) error {
			return s.GrantOwnership(engine.GrantOwnership{On: on, To: to})
		}
	}
	n := user()
	action := rapid.SampledFrom([]engine.UserAction{engine.UserLock, engine.UserUnlock}).Draw(t, "lock")
	return fmt.Sprintf("ALTER USER %s LOCK=%v", n, action == engine.UserLock), func(s *engine.Session) error {
		return s.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: n, Action: action}}})
	}
}

func targetText(on engine.Target) string {
	switch on.Kind {
	case model.KindAccount:
		return "ACCOUNT"
	case model.KindDatabase:
		if on.AnyDatabase {
			return "DATABASE *"
		}
		return "DATABASE " + on.Database
	case model.KindRole:
		return "ROLE " + on.Name
	case model.KindUser:
		return "USER " + on.Name
	}
	d, n := on.Database, on.Name
	if on.AnyDatabase {
		d = "*"
	}
	if on.AnyTable {
		n = "*"
	}
	return "TABLE " + d + "." + n
}

// objects lists every object of acme on snap, with its row name.
func (w *propWorld) objects(snap *engine.Snapshot) map[model.Object]string {
	out := map[model.Object]string{model.AccountObject(w.acc): "ACCOUNT"}
	for _, d := range propDBs {
		did, ok := snap.Database(w.acc, d)
		if !ok {
			continue
		}
		out[model.DatabaseObject(did)] = "DATABASE " + d
		for _, tb := range propTables {
			if tid, ok := snap.Table(did, tb); ok {
				out[model.TableObject(tid)] = "TABLE " + d + "." + tb
			}
		}
	}
	for _, r := range append(slices.Clone(propRoles), model.Public, model.AccountAdmin) {
		if id, ok := snap.Role(w.acc, r); ok {
			out[model.RoleObject(id)] = "ROLE " + r
		}
	}
	for _, u := range w.userNames() {
		if id, ok := snap.User(w.acc, u); ok {
			out[model.UserObject(id)] = "USER " + u
		}
	}
	return out
}

func (w *propWorld) userNames() []string { return append(slices.Clone(propUsers), "ann") }

// users returns the users of acme on snap with their names.
func (w *propWorld) users(snap *engine.Snapshot) map[model.UserID]string {
	out := map[model.UserID]string{}
	for _, u := range w.userNames() {
		if id, ok := snap.User(w.acc, u); ok {
			out[id] = u
		}
	}
	return out
}

// direct returns the roles granted to user name directly, by the admin's
// SHOW GRANTS FOR USER on the current state.
func (w *propWorld) direct(t *rapid.T, snap *engine.Snapshot, name string) []model.RoleID {
	rows, err := w.ann.ShowGrants(engine.ShowGrants{For: engine.ShowUser, Name: name})
	require.NoError(t, err)
	var out []model.RoleID
	for _, row := range rows {
		f := strings.Fields(row) // GRANT r TO USER u
		id, ok := snap.Role(w.acc, f[1])
		require.True(t, ok, row)
		out = append(out, id)
	}
	return out
}

// whoCanRows lists, for WHAT IF, every (user, privilege, object) that can
// on snap, as "<user> <PRIV> ON <object>".
func (w *propWorld) whoCanRows(snap *engine.Snapshot) map[string]bool {
	users := w.users(snap)
	out := map[string]bool{}
	for obj, name := range w.objects(snap) {
		for _, p := range privileges(engine.KindPrivileges(obj.Kind)) {
			for _, u := range snap.WhoCan(p, obj).Users {
				out[model.Quote(users[u])+" "+p.Upper()+" ON "+name] = true
			}
		}
	}
	return out
}

func privileges(set model.PrivSet) []model.Privilege {
	var out []model.Privilege
	for p := model.Privilege(0); p < model.PrivAll; p++ {
		if set.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

func TestIntrospectionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newPropWorld(t)
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for range steps {
			text, run := w.statement(t)
			w.checkWhatIf(t, text, run)
		}
		w.checkIntrospection(t)
	})
}

// checkWhatIf runs WHAT IF of a statement, then the statement, and
// compares WHAT IF's rows with the difference of WhoCan before and after.
func (w *propWorld) checkWhatIf(t *rapid.T, text string, run func(*engine.Session) error) {
	before := w.eng.Snapshot()
	wi, errW := w.eng.WhatIf(w.ann, run)
	require.Same(t, before, w.eng.Snapshot(), "WHAT IF %s published a snapshot", text)
	err := run(w.ann)
	t.Logf("%s -> %v", text, err)
	if err != nil {
		require.EqualError(t, errW, err.Error(), "WHAT IF %s", text)
		return
	}
	require.NoError(t, errW, "WHAT IF %s", text)
	after := w.eng.Snapshot()
	require.Equal(t, before.Revision(), wi.Revision)
	rb, ra := w.whoCanRows(before), w.whoCanRows(after)
	var want []string
	for r := range ra {
		if !rb[r] {
			want = append(want, "+ "+r)
		}
	}
	for r := range rb {
		if !ra[r] {
			want = append(want, "- "+r)
		}
	}
	slices.Sort(want)
	require.False(t, wi.More)
	require.Equal(t, orEmpty(want), orEmpty(wi.Rows()), "WHAT IF %s", text)
}

// checkIntrospection checks WhoCan, Privileges, Objects and Explain
// against Check on the current state.
func (w *propWorld) checkIntrospection(t *rapid.T) {
	snap := w.eng.Snapshot()
	objs := w.objects(snap)
	users := w.users(snap)
	direct := map[model.UserID][]model.RoleID{}
	for id, name := range users {
		direct[id] = w.direct(t, snap, name)
	}
	for obj := range objs {
		for _, p := range privileges(engine.KindPrivileges(obj.Kind)) {
			h := snap.WhoCan(p, obj)
			var want []model.UserID
			for u, roles := range direct {
				if slices.ContainsFunc(roles, func(r model.RoleID) bool {
					return snap.Check(u, r, engine.SecondaryAll, p, obj).Allowed
				}) {
					want = append(want, u)
				}
			}
			slices.Sort(want)
			require.Equal(t, want, orEmpty(h.Users), "WhoCan(%s, %s) users", p, objs[obj])
			var fromRoles []model.UserID
			for u, roles := range direct {
				locked := snap.Check(u, roles[0], engine.SecondaryNone, model.PrivConnect, model.AccountObject(w.acc)).Reason == engine.ReasonUserLocked
				if !locked && slices.ContainsFunc(roles, func(r model.RoleID) bool { return slices.Contains(h.Roles, r) }) {
					fromRoles = append(fromRoles, u)
				}
			}
			slices.Sort(fromRoles)
			require.Equal(t, want, orEmpty(fromRoles), "WhoCan(%s, %s) users from its roles", p, objs[obj])
		}
	}
	for u, roles := range direct {
		for _, r := range roles {
			for _, sec := range []engine.Secondary{engine.SecondaryNone, engine.SecondaryAll} {
				w.checkPrincipal(t, snap, objs, u, r, sec, roles)
			}
		}
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// checkPrincipal checks Privileges, Objects and Explain for one principal.
func (w *propWorld) checkPrincipal(t *rapid.T, snap *engine.Snapshot, objs map[model.Object]string, u model.UserID, r model.RoleID, sec engine.Secondary, direct []model.RoleID) {
	for obj, name := range objs {
		var want model.PrivSet
		for _, p := range privileges(engine.KindPrivileges(obj.Kind)) {
			d := snap.Check(u, r, sec, p, obj)
			if d.Allowed {
				want |= p.Bit()
			}
			w.checkExplain(t, snap, u, r, sec, p, obj, d, direct)
		}
		require.Equal(t, want, snap.Privileges(u, r, sec, obj), "Privileges on %s", name)
	}
	for _, k := range []model.Kind{model.KindAccount, model.KindDatabase, model.KindTable, model.KindRole, model.KindUser} {
		for _, p := range privileges(engine.KindPrivileges(k)) {
			var want []model.Object
			for obj := range objs {
				if obj.Kind == k && snap.Check(u, r, sec, p, obj).Allowed {
					want = append(want, obj)
				}
			}
			slices.SortFunc(want, func(a, b model.Object) int { return int(a.ID) - int(b.ID) })
			got := slices.Collect(snap.Objects(u, r, sec, p, k))
			require.Equal(t, orEmpty(want), orEmpty(got), "Objects(%s, %s)", p, k)
		}
	}
}

// checkExplain checks that Explain decides as Check and that an allowed
// explanation's path is a chain of real edges ending at the deciding role,
// whose printed row is one of its SHOW GRANTS rows.
func (w *propWorld) checkExplain(t *rapid.T, snap *engine.Snapshot, u model.UserID, r model.RoleID, sec engine.Secondary, p model.Privilege, obj model.Object, d engine.Decision, direct []model.RoleID) {
	x := snap.Explain(u, r, sec, p, obj)
	require.Equal(t, d, x.Decision)
	if !d.Allowed {
		return
	}
	require.NotEmpty(t, x.Path, "%s: no path", x)
	require.Equal(t, x.Via, x.Path[len(x.Path)-1])
	start, ok := snap.Role(w.acc, x.Path[0])
	require.True(t, ok)
	held := start == r || x.Path[0] == model.Public && len(x.Path) == 1
	if sec == engine.SecondaryAll && !held {
		held = slices.Contains(direct, start)
	}
	require.True(t, held, "path %v starts at a role the principal does not hold", x.Path)
	for i := 0; i+1 < len(x.Path); i++ {
		rows, err := w.ann.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: x.Path[i]})
		require.NoError(t, err)
		edge := "GRANT " + model.Quote(x.Path[i+1]) + " TO ROLE " + model.Quote(x.Path[i])
		require.True(t, slices.ContainsFunc(rows, func(row string) bool { return strings.HasPrefix(row, edge) }),
			"path %v: no edge %s", x.Path, edge)
	}
	rows, err := w.ann.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: x.Via})
	require.NoError(t, err)
	require.Contains(t, rows, x.Grant, "the deciding row of %s", x)
}
