package hierarchy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

func TestColumnsDieWithTheirTable(t *testing.T) {
	db, err := catalog.Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &catalog.Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	r := &catalog.Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"}
	tx.Insert(r)
	d := &catalog.Database{ID: tx.NewDatabaseID(), Account: a.ID, Name: "d"}
	tx.Insert(d)
	c1, c2 := catalog.Column{ID: tx.NewColumnID(), Name: "c1"}, catalog.Column{ID: tx.NewColumnID(), Name: "c2"}
	tb := &catalog.Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t", Columns: []catalog.Column{c1, c2}}
	tx.Insert(tb)
	for _, c := range []catalog.Column{c1, c2} {
		tx.Insert(&catalog.ColumnGrant{Role: r.ID, Account: a.ID, Table: tb.ID, Column: c.ID, Priv: model.PrivSelect})
		tx.Insert(&catalog.Denial{Role: r.ID, Account: a.ID, Scope: catalog.ScopeColumn, Object: uint32(c.ID), Table: tb.ID, Priv: model.PrivUpdate})
	}
	tx.Insert(&catalog.Denial{Role: r.ID, Account: a.ID, Scope: catalog.ScopeDatabaseTables, Object: uint32(d.ID), Priv: model.PrivInsert})
	assert.Equal(t, 5, tx.GrantCount(r.ID), "column grants and denials count towards the role's grants")

	DropColumn(tx, tx.Table(tb.ID), &c1)
	assert.Equal(t, []catalog.Column{c2}, tx.Table(tb.ID).Columns)
	assert.Empty(t, tx.ColumnGrantsOn(c1.ID))
	assert.Empty(t, tx.DenialsAt(ColumnLevel(&c1)))
	assert.Len(t, tx.ColumnGrantsOn(c2.ID), 1, "the other column keeps its grant")

	DropTable(tx, tx.Table(tb.ID))
	assert.Empty(t, tx.ColumnGrantsOf(r.ID))
	assert.Len(t, tx.DenialsOf(r.ID), 1, "only the TABLE d.* denial is left")
	DropDatabase(tx, d)
	assert.Empty(t, tx.DenialsOf(r.ID))
	assert.False(t, tx.HasDenials(a.ID))
	assert.Zero(t, tx.GrantCount(r.ID))
	require.NoError(t, tx.Err())
}
