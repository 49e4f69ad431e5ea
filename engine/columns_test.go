package engine_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// columnFixture is acmeFixture with columns id, name and card on
// sales.orders, and bob's session.
func columnFixture(t testing.TB) (eng *engine.Engine, ann, bob *engine.Session) {
	t.Helper()
	eng, ann = acmeFixture(t)
	for _, c := range []string{"id", "name", "card"} {
		require.NoError(t, ann.AlterTable(engine.AlterTable{Database: "sales", Name: "orders",
			Action: engine.TableAddColumn, Column: engine.ColumnDef{Name: c, Type: "text"}}))
	}
	return eng, ann, connect(t, eng, "acme:bob", "pw")
}

// column returns the object of column name of sales.orders.
func column(t testing.TB, eng *engine.Engine, name string) model.Object {
	t.Helper()
	snap := eng.Snapshot()
	a, _ := snap.Account("acme")
	d, _ := snap.Database(a, "sales")
	tb, _ := snap.Table(d, "orders")
	c, ok := snap.Column(tb, name)
	require.True(t, ok, "column %s", name)
	return model.ColumnObject(c)
}

func TestColumnGrantsAndDenials(t *testing.T) {
	eng, ann, bob := columnFixture(t)
	orders := table("sales", "orders")
	require.NoError(t, ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select", "delete"},
		Columns: [][]string{{"id", "name"}}, On: orders, To: []string{"analyst"}}))

	assert.True(t, bob.Check(model.PrivSelect, column(t, eng, "id")).Allowed)
	assert.False(t, bob.Check(model.PrivSelect, column(t, eng, "card")).Allowed)
	assert.True(t, bob.Decide(model.PrivDelete, orders).Allowed, "a privilege without columns is a table grant")
	assert.False(t, bob.Decide(model.PrivSelect, orders).Allowed, "a column grant never gives the table")
	assert.Equal(t, engine.ReasonWrongLevel, bob.Check(model.PrivDelete, column(t, eng, "id")).Reason)
	assert.Equal(t, engine.ReasonWrongLevel, bob.Check(model.PrivAll, column(t, eng, "id")).Reason)

	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, orders, "analyst")))
	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"select"}, Columns: [][]string{{"card"}},
		On: orders, To: []string{"public"}}))
	d := bob.Decide(model.PrivSelect, orders)
	assert.Equal(t, engine.Decision{Reason: engine.ReasonDenied}, d, "one denied column denies the whole table")
	assert.True(t, bob.Check(model.PrivSelect, column(t, eng, "name")).Allowed)
	x := bob.Explain(model.PrivSelect, orders)
	assert.Equal(t, "DENY SELECT (card) ON TABLE sales.orders TO public", x.Deny)
	assert.Equal(t, "public", x.Via)
	assert.True(t, ann.Decide(model.PrivSelect, orders).Allowed, "the admin role is never denied")

	require.NoError(t, ann.RevokeDeny(engine.RevokeDeny{Privileges: []string{"select"}, Columns: [][]string{{"card"}},
		On: orders, From: []string{"public"}}))
	assert.True(t, bob.Decide(model.PrivSelect, orders).Allowed)
}

func TestColumnObjectsOfDroppedColumnsAreGone(t *testing.T) {
	eng, ann, bob := columnFixture(t)
	orders := table("sales", "orders")
	require.NoError(t, ann.GrantPrivilege(grant([]string{"select"}, orders, "analyst")))
	card := column(t, eng, "card")
	require.True(t, bob.Check(model.PrivSelect, card).Allowed)
	require.NoError(t, ann.AlterTable(engine.AlterTable{Database: "sales", Name: "orders",
		Action: engine.TableDropColumn, Column: engine.ColumnDef{Name: "card"}}))
	assert.Equal(t, engine.ReasonNoSuchObject, bob.Check(model.PrivSelect, card).Reason)
	require.NoError(t, ann.AlterTable(engine.AlterTable{Database: "sales", Name: "orders",
		Action: engine.TableAddColumn, Column: engine.ColumnDef{Name: "card", Type: "text"}}))
	again := column(t, eng, "card")
	assert.NotEqual(t, card, again, "a re-created column is a new object")
	assert.Equal(t, engine.ReasonNoSuchObject, bob.Check(model.PrivSelect, card).Reason)
	require.NoError(t, ann.DropTable(engine.DropTable{Database: "sales", Name: "orders"}))
	assert.Equal(t, engine.ReasonNoSuchObject, bob.Check(model.PrivSelect, again).Reason)
}

func TestColumnsPerTableLimit(t *testing.T) {
	eng := newEngine(t, engine.WithLimits(engine.Limits{ColumnsPerTable: 2}))
	root := connect(t, eng, "root", "111")
	require.NoError(t, root.CreateDatabase(engine.CreateDatabase{Name: "d"}))
	three := []engine.ColumnDef{{Name: "a", Type: "int"}, {Name: "b", Type: "int"}, {Name: "c", Type: "int"}}
	err := root.CreateTable(engine.CreateTable{Database: "d", Name: "t", Columns: three})
	require.ErrorIs(t, err, model.ErrLimit)
	assert.EqualError(t, err, "the columns per table exceeds the limit 2")
	require.NoError(t, root.CreateTable(engine.CreateTable{Database: "d", Name: "t", Columns: three[:2]}))
	err = root.AlterTable(engine.AlterTable{Database: "d", Name: "t", Action: engine.TableAddColumn, Column: three[2]})
	assert.ErrorIs(t, err, model.ErrLimit)
	err = root.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"}, Columns: [][]string{{"a", "b", "a"}},
		On: table("d", "t"), To: []string{"public"}})
	assert.ErrorIs(t, err, model.ErrLimit, "a column list is bounded by the columns limit")
}

func TestColumnStatementsThroughTheAPI(t *testing.T) {
	_, ann, _ := columnFixture(t)
	orders := table("sales", "orders")
	tests := []struct {
		name string
		err  error
		run  func() error
	}{
		{"more column lists than privileges", model.ErrInvalidOption, func() error {
			return ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"}, Columns: [][]string{{"id"}, {"id"}},
				On: orders, To: []string{"analyst"}})
		}},
		{"an unknown ALTER TABLE action", model.ErrInvalidOption, func() error {
			return ann.AlterTable(engine.AlterTable{Database: "sales", Name: "orders", Column: engine.ColumnDef{Name: "x"}})
		}},
		{"a column on a wildcard", model.ErrInvalidPrivilege, func() error {
			return ann.Deny(engine.Deny{Privileges: []string{"select"}, Columns: [][]string{{"id"}},
				On: engine.Target{Kind: model.KindTable, AnyDatabase: true, AnyTable: true}, To: []string{"analyst"}})
		}},
		{"a duplicate column", model.ErrExists, func() error {
			return ann.CreateTable(engine.CreateTable{Database: "sales", Name: "t2",
				Columns: []engine.ColumnDef{{Name: "A", Type: "int"}, {Name: "a", Type: "int"}}})
		}},
		{"a malformed column target", model.ErrInvalidOption, func() error {
			_, err := ann.ShowGrantsOn(engine.Target{Kind: model.KindColumn, Database: "sales", Name: "orders"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.run(), tt.err)
		})
	}
}

// TestColumnCheckDoesNotAllocate guards the hot path on columns and in an
// account with denials.
func TestColumnCheckDoesNotAllocate(t *testing.T) {
	eng, ann, bob := columnFixture(t)
	orders := table("sales", "orders")
	require.NoError(t, ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select", "update"},
		Columns: [][]string{{"id"}, {"name"}}, On: orders, To: []string{"analyst"}}))
	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"select"}, Columns: [][]string{{"card"}},
		On: orders, To: []string{"analyst"}}))
	// and denials at name patterns, which decisions walk the names for
	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"delete"},
		On: engine.Target{Kind: model.KindTable, Database: "sales", Name: "ord", TablePattern: true}, To: []string{"analyst"}}))
	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"insert"},
		On: engine.Target{Kind: model.KindTable, Database: "sal", DatabasePattern: true, AnyTable: true}, To: []string{"analyst"}}))
	pr := bob.Principal()
	tbl, _ := eng.Snapshot().Table(mustDatabase(t, eng), "orders")
	for _, q := range []struct {
		p   model.Privilege
		obj model.Object
	}{
		{model.PrivSelect, column(t, eng, "id")},
		{model.PrivSelect, column(t, eng, "card")},
		{model.PrivUpdate, column(t, eng, "id")},
		{model.PrivSelect, model.TableObject(tbl)},
		{model.PrivDelete, model.TableObject(tbl)},
		{model.PrivInsert, model.TableObject(tbl)},
		{model.PrivInsert, column(t, eng, "id")},
	} {
		allocs := testing.AllocsPerRun(1000, func() { eng.Check(pr.User, pr.Role, engine.SecondaryAll, q.p, q.obj) })
		assert.Zero(t, allocs, fmt.Sprint(q))
	}
	for _, p := range []model.Privilege{model.PrivDelete, model.PrivInsert} {
		assert.Equal(t, engine.ReasonDenied, eng.Check(pr.User, pr.Role, engine.SecondaryAll, p, model.TableObject(tbl)).Reason, p.String())
	}
}

// TestTableViewTellsWhichDenialsItsACLHolds follows the bits of a table's
// view that let decisions skip its ACL, and the decisions they steer,
// through denials on the table and on its columns, a column grant alone
// and the drop of a denied column; the table's owner keeps its ownership
// beside them.
func TestTableViewTellsWhichDenialsItsACLHolds(t *testing.T) {
	eng, ann, bob := columnFixture(t)
	require.NoError(t, ann.GrantPrivilege(grant([]string{"create table"}, database("sales"), "analyst")))
	require.NoError(t, bob.CreateTable(engine.CreateTable{Database: "sales", Name: "notes",
		Columns: []engine.ColumnDef{{Name: "id", Type: "int"}, {Name: "body", Type: "text"}}}))
	orders, notes := table("sales", "orders"), table("sales", "notes")
	bits := func(name string) [2]bool {
		id, ok := eng.Snapshot().Table(mustDatabase(t, eng), name)
		require.True(t, ok)
		tb, cols := engine.TableDenialBits(eng.Snapshot(), id)
		return [2]bool{tb, cols}
	}
	ordersCol := func(c string) model.Object { return column(t, eng, c) }
	notesCol := func(c string) model.Object {
		id, _ := eng.Snapshot().Table(mustDatabase(t, eng), "notes")
		cid, ok := eng.Snapshot().Column(id, c)
		require.True(t, ok)
		return model.ColumnObject(cid)
	}

	require.NoError(t, ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"},
		Columns: [][]string{{"id"}}, On: orders, To: []string{"analyst"}}))
	assert.Equal(t, [2]bool{false, false}, bits("orders"), "a column grant is no denial")
	assert.True(t, bob.Check(model.PrivSelect, ordersCol("id")).Allowed)

	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"select"}, On: orders, To: []string{"public"}}))
	assert.Equal(t, [2]bool{true, false}, bits("orders"))
	assert.Equal(t, engine.ReasonDenied, bob.Check(model.PrivSelect, ordersCol("id")).Reason, "a table denial covers its columns")

	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"select"}, Columns: [][]string{{"card"}}, On: orders, To: []string{"public"}}))
	assert.Equal(t, [2]bool{true, true}, bits("orders"))
	require.NoError(t, ann.RevokeDeny(engine.RevokeDeny{Privileges: []string{"select"}, On: orders, From: []string{"public"}}))
	assert.Equal(t, [2]bool{false, true}, bits("orders"))
	assert.True(t, bob.Check(model.PrivSelect, ordersCol("id")).Allowed)
	assert.Equal(t, engine.ReasonDenied, bob.Check(model.PrivSelect, ordersCol("card")).Reason)

	require.NoError(t, ann.AlterTable(engine.AlterTable{Database: "sales", Name: "orders",
		Action: engine.TableDropColumn, Column: engine.ColumnDef{Name: "card"}}))
	assert.Equal(t, [2]bool{false, false}, bits("orders"), "the denial died with its column")

	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"delete"}, On: notes, To: []string{"analyst"}}))
	require.NoError(t, ann.Deny(engine.Deny{Privileges: []string{"update"}, Columns: [][]string{{"body"}}, On: notes, To: []string{"analyst"}}))
	assert.Equal(t, [2]bool{true, true}, bits("notes"))
	assert.Equal(t, engine.Decision{Allowed: true, Reason: engine.ReasonOwner}, bob.Decide(model.PrivSelect, notes))
	assert.Equal(t, engine.Decision{Allowed: true, Reason: engine.ReasonOwner}, bob.Check(model.PrivUpdate, notesCol("id")))
	assert.Equal(t, engine.ReasonDenied, bob.Check(model.PrivUpdate, notesCol("body")).Reason)
	assert.Equal(t, engine.ReasonDenied, bob.Decide(model.PrivDelete, notes).Reason)
	require.NoError(t, ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"},
		Columns: [][]string{{"id"}}, On: notes, To: []string{"analyst"}}))
	assert.Equal(t, engine.Decision{Allowed: true, Reason: engine.ReasonOwner}, bob.Check(model.PrivSelect, notesCol("id")),
		"ownership is read before the column's grants")
	require.NoError(t, engine.VerifySnapshot(eng.Snapshot()))
}

func mustDatabase(t testing.TB, eng *engine.Engine) model.DatabaseID {
	t.Helper()
	snap := eng.Snapshot()
	a, _ := snap.Account("acme")
	d, ok := snap.Database(a, "sales")
	require.True(t, ok)
	return d
}

// TestColumnChecksRaceWithWriter checks columns while a writer adds and
// drops a column, grants on it and denies it. Every commit moves one step
// of a cycle, so the revision of the snapshot a reader holds says what the
// column decision must be; under -race it proves the column views share
// nothing mutable with the writer.
func TestColumnChecksRaceWithWriter(t *testing.T) {
	eng, ann, bob := columnFixture(t)
	p := bob.Principal()
	orders := table("sales", "orders")
	steps := []func() error{
		func() error {
			return ann.AlterTable(engine.AlterTable{Database: "sales", Name: "orders", Action: engine.TableAddColumn,
				Column: engine.ColumnDef{Name: "hot", Type: "int"}})
		},
		func() error {
			return ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"}, Columns: [][]string{{"hot"}},
				On: orders, To: []string{"analyst"}})
		},
		func() error {
			return ann.Deny(engine.Deny{Privileges: []string{"select"}, Columns: [][]string{{"hot"}}, On: orders, To: []string{"public"}})
		},
		func() error {
			return ann.AlterTable(engine.AlterTable{Database: "sales", Name: "orders", Action: engine.TableDropColumn,
				Column: engine.ColumnDef{Name: "hot"}})
		},
	}
	// After step i of a cycle (by revision), the decision on "hot" is:
	want := []engine.Reason{engine.ReasonNoGrant, engine.ReasonGrant, engine.ReasonDenied, engine.ReasonNoSuchObject}
	base := eng.Snapshot().Revision()
	var stop atomic.Bool
	var bad atomic.Int64
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				snap := eng.Snapshot()
				if snap.Revision() == base {
					continue
				}
				db, _ := snap.Database(p.Account, "sales")
				tbl, _ := snap.Table(db, "orders")
				c, ok := snap.Column(tbl, "hot")
				step := int(snap.Revision()-base-1) % len(steps)
				d := snap.Check(p.User, p.Role, p.Secondary, model.PrivSelect, model.ColumnObject(c))
				if ok == (step == 3) || d.Reason != want[step] {
					bad.Add(1)
				}
			}
		}()
	}
	for range 100 {
		for _, step := range steps {
			require.NoError(t, step())
		}
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, bad.Load())
}
