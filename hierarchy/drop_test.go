package hierarchy

import (
	"testing"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDropCascades(t *testing.T) {
	db, err := catalog.Open()
	require.NoError(t, err)
	tx := db.Write()
	a := &catalog.Account{ID: tx.NewAccountID(), Name: "acme"}
	tx.Put(a)
	r := &catalog.Role{ID: tx.NewRoleID(), Account: a.ID, Name: "r"}
	tx.Insert(r)
	d := &catalog.Database{ID: tx.NewDatabaseID(), Account: a.ID, Name: "d"}
	tx.Insert(d)
	t1 := &catalog.Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t1"}
	t2 := &catalog.Table{ID: tx.NewTableID(), Account: a.ID, Database: d.ID, Name: "t2"}
	tx.Insert(t1)
	tx.Insert(t2)
	grant := func(scope catalog.Scope, obj uint32) *catalog.Grant {
		g := &catalog.Grant{Role: r.ID, Account: a.ID, Scope: scope, Object: obj, Priv: model.PrivSelect}
		tx.Put(g)
		return g
	}
	onT1 := grant(catalog.ScopeTable, uint32(t1.ID))
	grant(catalog.ScopeTable, uint32(t2.ID))
	grant(catalog.ScopeDatabaseTables, uint32(d.ID))
	wild := grant(catalog.ScopeAnyTable, uint32(a.ID))

	DropTable(tx, t2)
	assert.Len(t, tx.GrantsOf(r.ID), 3, "only t2's grant went")
	DropDatabase(tx, d)
	assert.Equal(t, []*catalog.Grant{wild}, tx.GrantsOf(r.ID), "d's tables, their grants and d.* grants went; *.* stays")
	assert.Nil(t, tx.Table(t1.ID))
	assert.Nil(t, tx.GrantsAt(onT1.Level()))
	assert.Equal(t, 0, tx.Count(a.ID).Tables)

	DropAccount(tx, a)
	assert.Nil(t, tx.Account(a.ID))
	assert.Nil(t, tx.Role(r.ID))
	assert.Empty(t, tx.GrantsOf(r.ID))
	require.NoError(t, tx.Err())
}
