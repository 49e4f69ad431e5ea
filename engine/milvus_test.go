package engine_test

import (
	"fmt"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMilvusCheckDoesNotAllocate guards the hot path with privilege group
// entries and pattern walks: no allocation, allowed or denied.
func TestMilvusCheckDoesNotAllocate(t *testing.T) {
	sh := smallShape
	sh.groupShare, sh.patternShare = 0.5, 0.5
	eng, qs := buildShape(t, sh, 2000)
	allowed := 0
	for _, q := range qs[:200] {
		if eng.Check(q.user, q.role, q.sec, q.priv, q.obj).Allowed {
			allowed++
		}
		allocs := testing.AllocsPerRun(100, func() { eng.Check(q.user, q.role, q.sec, q.priv, q.obj) })
		require.Zero(t, allocs)
	}
	assert.Positive(t, allowed)
}

// TestGroupsAndPatternsDecideLikeTheirMembers checks, question by
// question, that the shape with groups and patterns decides as the same
// catalog would with each group grant written out member by member and
// each pattern written out table by table.
func TestGroupsAndPatternsDecideLikeTheirMembers(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "sales", Name: "order_lines"}))
	require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "sales", Name: "items"}))
	require.NoError(t, ann.CreatePrivilegeGroup(engine.CreatePrivilegeGroup{Name: "g"}))
	require.NoError(t, ann.AlterPrivilegeGroup(engine.AlterPrivilegeGroup{Name: "g", Action: engine.GroupAdd, Privileges: []string{"insert", "delete"}}))
	on := engine.Target{Kind: model.KindTable, Database: "sales", Name: "order", TablePattern: true}
	require.NoError(t, ann.GrantPrivilegeGroup(engine.GrantPrivilegeGroup{Group: "g", On: on, To: []string{"analyst"}}))
	bob := connect(t, eng, "acme:bob", "pw")
	held := eng.Snapshot()
	for _, tc := range []struct {
		priv  model.Privilege
		table string
		want  bool
	}{
		{model.PrivInsert, "orders", true},
		{model.PrivDelete, "order_lines", true},
		{model.PrivSelect, "orders", false},
		{model.PrivInsert, "items", false},
	} {
		assert.Equal(t, tc.want, bob.Decide(tc.priv, table("sales", tc.table)).Allowed, "%s on %s", tc.priv, tc.table)
	}
	require.NoError(t, ann.AlterPrivilegeGroup(engine.AlterPrivilegeGroup{Name: "g", Action: engine.GroupRemove, Privileges: []string{"insert"}}))
	assert.False(t, bob.Decide(model.PrivInsert, table("sales", "orders")).Allowed, "removing a member withdraws it")
	orders, ok := held.Table(mustDB(t, held, "acme", "sales"), "orders")
	require.True(t, ok)
	p := bob.Principal()
	assert.True(t, held.Check(p.User, p.Role, p.Secondary, model.PrivInsert, model.TableObject(orders)).Allowed,
		"a held snapshot keeps the group's members of its time")
}

func mustDB(t *testing.T, s *engine.Snapshot, account, name string) model.DatabaseID {
	t.Helper()
	a, ok := s.Account(account)
	require.True(t, ok)
	d, ok := s.Database(a, name)
	require.True(t, ok)
	return d
}

// TestMilvusLimits: the custom groups and the pattern levels of an account
// are limited; aliases count as tables.
func TestMilvusLimits(t *testing.T) {
	eng := newEngine(t, engine.WithLimits(engine.Limits{GroupsPerAccount: 2, PatternsPerAccount: 2, TablesPerAccount: 3}))
	root := connect(t, eng, "root", "111")
	for _, g := range []string{"a", "b"} {
		require.NoError(t, root.CreatePrivilegeGroup(engine.CreatePrivilegeGroup{Name: g}))
	}
	err := root.CreatePrivilegeGroup(engine.CreatePrivilegeGroup{Name: "c"})
	require.ErrorIs(t, err, model.ErrLimit)
	assert.EqualError(t, err, "the number of privilege groups in account sys exceeds the limit 2")
	require.NoError(t, root.DropPrivilegeGroup(engine.DropPrivilegeGroup{Name: "a"}))
	require.NoError(t, root.CreatePrivilegeGroup(engine.CreatePrivilegeGroup{Name: "c"}), "a dropped group frees its place")

	require.NoError(t, root.CreateRole(engine.CreateRole{Names: []string{"r"}}))
	pattern := func(prefix string) engine.Target {
		return engine.Target{Kind: model.KindDatabase, Database: prefix, DatabasePattern: true}
	}
	for _, p := range []string{"p", "q"} {
		require.NoError(t, root.GrantPrivilege(grant([]string{"show tables"}, pattern(p), "r")))
	}
	require.NoError(t, root.GrantPrivilege(grant([]string{"create table"}, pattern("p"), "r")), "a level already held costs nothing")
	err = root.GrantPrivilege(grant([]string{"show tables"}, pattern("s"), "r"))
	require.ErrorIs(t, err, model.ErrLimit)
	assert.EqualError(t, err, "the number of pattern levels in account sys exceeds the limit 2")
	require.NoError(t, root.RevokePrivilege(engine.RevokePrivilege{Privileges: []string{"show tables"}, On: pattern("q"), From: []string{"r"}}))
	require.NoError(t, root.GrantPrivilege(grant([]string{"show tables"}, pattern("s"), "r")), "a level without grants is gone")

	require.NoError(t, root.CreateDatabase(engine.CreateDatabase{Name: "d"}))
	require.NoError(t, root.CreateTable(engine.CreateTable{Database: "d", Name: "t"}))
	require.NoError(t, root.CreateAlias(engine.CreateAlias{Database: "d", Name: "a1", TableDatabase: "d", Table: "t"}))
	require.NoError(t, root.CreateAlias(engine.CreateAlias{Database: "d", Name: "a2", TableDatabase: "d", Table: "t"}))
	err = root.CreateTable(engine.CreateTable{Database: "d", Name: "u"})
	assert.ErrorIs(t, err, model.ErrLimit, "aliases count as tables")
	require.NoError(t, root.DropAlias(engine.DropAlias{Database: "d", Name: "a2"}))
	require.NoError(t, root.CreateTable(engine.CreateTable{Database: "d", Name: "u"}))
}

// TestAliasesResolveInTheAPI: the name-resolution API means an alias's
// table at the moment it is asked.
func TestAliasesResolveInTheAPI(t *testing.T) {
	eng, ann := acmeFixture(t)
	require.NoError(t, ann.CreateTable(engine.CreateTable{Database: "sales", Name: "orders2"}))
	require.NoError(t, ann.CreateAlias(engine.CreateAlias{Database: "sales", Name: "cur", TableDatabase: "sales", Table: "orders"}))
	before := eng.Snapshot()
	require.NoError(t, ann.AlterAlias(engine.AlterAlias{Database: "sales", Name: "cur", TableDatabase: "sales", Table: "orders2"}))
	after := eng.Snapshot()
	db := mustDB(t, after, "acme", "sales")
	orders, _ := after.Table(db, "orders")
	orders2, _ := after.Table(db, "orders2")
	got, ok := before.Table(db, "cur")
	require.True(t, ok)
	assert.Equal(t, orders, got)
	got, ok = after.Table(db, "CUR")
	require.True(t, ok)
	assert.Equal(t, orders2, got)
	err := ann.DropTable(engine.DropTable{Database: "sales", Name: "orders2"})
	require.ErrorIs(t, err, model.ErrInUse)
}

// TestMilvusOptionsThroughTheAPI: malformed pattern targets and group
// actions fail at stage 2.
func TestMilvusOptionsThroughTheAPI(t *testing.T) {
	_, ann := acmeFixture(t)
	for _, on := range []engine.Target{
		{Kind: model.KindDatabase, DatabasePattern: true},
		{Kind: model.KindTable, Database: "sales", Name: "o", TablePattern: true, DatabasePattern: true},
		{Kind: model.KindTable, Database: "s", DatabasePattern: true},
		{Kind: model.KindAccount, Database: "s", DatabasePattern: true},
	} {
		priv := map[model.Kind]string{model.KindAccount: "connect", model.KindDatabase: "show tables", model.KindTable: "select"}[on.Kind]
		err := ann.GrantPrivilege(grant([]string{priv}, on, "analyst"))
		assert.ErrorIs(t, err, model.ErrInvalidOption, "%+v", on)
	}
	err := ann.AlterPrivilegeGroup(engine.AlterPrivilegeGroup{Name: "read_only", Privileges: []string{"select"}})
	assert.ErrorIs(t, err, model.ErrInvalidOption)
}

// BenchmarkCheckMediumMilvus decides random questions on the medium shape
// with a fifth of the grants of privilege groups and a tenth at patterns.
func BenchmarkCheckMediumMilvus(b *testing.B) { benchmarkCheck(b, mediumMilvusShape) }

// BenchmarkAlterGroupGrantedWidely adds and removes a privilege of a group
// granted to 10,000 roles, each at its own table.
func BenchmarkAlterGroupGrantedWidely(b *testing.B) {
	const roles = 10_000
	eng := newEngine(b, engine.WithLimits(engine.Limits{RolesPerAccount: 2 * roles}))
	err := eng.Load(func(l *engine.Loader) error {
		a, err := l.CreateAccount("acme", "admin", "pw")
		if err != nil {
			return err
		}
		g, err := l.CreatePrivilegeGroup(a, "wide", model.Privs(model.PrivSelect))
		if err != nil {
			return err
		}
		d, err := l.CreateDatabase(a, "d")
		if err != nil {
			return err
		}
		for i := range roles {
			r, err := l.CreateRole(a, fmt.Sprintf("r%d", i))
			if err != nil {
				return err
			}
			t, err := l.CreateTable(d, fmt.Sprintf("t%d", i))
			if err != nil {
				return err
			}
			if err := l.GrantPrivilegeGroup(r, g, engine.Level{Kind: model.LevelTable, Table: t}, engine.PlainGrant); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(b, err)
	admin := connect(b, eng, "acme:admin", "pw")
	add := engine.AlterPrivilegeGroup{Name: "wide", Action: engine.GroupAdd, Privileges: []string{"insert"}}
	remove := engine.AlterPrivilegeGroup{Name: "wide", Action: engine.GroupRemove, Privileges: []string{"insert"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		st := add
		if i%2 == 1 {
			st = remove
		}
		if err := admin.AlterPrivilegeGroup(st); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCreateTableUnderPatterns creates tables in a database holding
// 1,000 pattern levels with grants.
func BenchmarkCreateTableUnderPatterns(b *testing.B) {
	eng := newEngine(b, engine.WithLimits(engine.Limits{TablesPerAccount: 1 << 30}))
	err := eng.Load(func(l *engine.Loader) error {
		a, err := l.CreateAccount("acme", "admin", "pw")
		if err != nil {
			return err
		}
		d, err := l.CreateDatabase(a, "d")
		if err != nil {
			return err
		}
		r, err := l.CreateRole(a, "r")
		if err != nil {
			return err
		}
		for i := range 1_000 {
			on := engine.Level{Kind: model.LevelTable, Database: d, Prefix: fmt.Sprintf("p%d", i)}
			if err := l.GrantPrivilege(r, model.PrivSelect, on, engine.PlainGrant); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(b, err)
	admin := connect(b, eng, "acme:admin", "pw")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := admin.CreateTable(engine.CreateTable{Database: "d", Name: fmt.Sprintf("p%d_t%d", i%1000, i)}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
