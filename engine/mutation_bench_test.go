package engine_test

import (
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/require"
)

// BenchmarkMutation measures one statement through the write path (a
// REVOKE then the GRANT that restores it, alternately) on the medium shape.
func BenchmarkMutation(b *testing.B) {
	eng, _ := buildShape(b, mediumShape, 1)
	admin, err := eng.Connect("acc0:admin", "pw")
	require.NoError(b, err)
	on := engine.Target{Kind: model.KindTable, Database: "db1", AnyTable: true}
	require.NoError(b, admin.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"update"}, On: on, To: []string{"r13"}}))
	revoke := engine.RevokePrivilege{Privileges: []string{"update"}, On: on, From: []string{"r13"}}
	grant := engine.GrantPrivilege{Privileges: []string{"update"}, On: on, To: []string{"r13"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			err = admin.RevokePrivilege(revoke)
		} else {
			err = admin.GrantPrivilege(grant)
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRoleMutation measures REVOKE r FROM u / GRANT r TO u pairs.
func BenchmarkRoleMutation(b *testing.B) {
	eng, _ := buildShape(b, mediumShape, 1)
	admin, err := eng.Connect("acc0:admin", "pw")
	require.NoError(b, err)
	require.NoError(b, admin.GrantRole(engine.GrantRole{Roles: []string{"r3"}, To: []string{"u0"}}))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			err = admin.RevokeRole(engine.RevokeRole{Roles: []string{"r3"}, From: []string{"u0"}})
		} else {
			err = admin.GrantRole(engine.GrantRole{Roles: []string{"r3"}, To: []string{"u0"}})
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkManageGrantsRoleMutation measures REVOKE r FROM u / GRANT r TO
// u pairs by a MANAGE GRANTS holder who does not own r, so that every
// GRANT asks whether a role of r's closure owns a role or a user (a scan of
// the account's 100 roles and 1,000 users).
func BenchmarkManageGrantsRoleMutation(b *testing.B) {
	eng, _ := buildShape(b, mediumShape, 1)
	admin, err := eng.Connect("acc0:admin", "pw")
	require.NoError(b, err)
	require.NoError(b, admin.CreateRole(engine.CreateRole{Names: []string{"steward"}}))
	require.NoError(b, admin.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"manage grants"},
		On: engine.Target{Kind: model.KindAccount}, To: []string{"steward"}}))
	require.NoError(b, admin.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "sam", Password: "pw"}},
		DefaultRole: "steward"}))
	sam, err := eng.Connect("acc0:sam", "pw")
	require.NoError(b, err)
	require.NoError(b, sam.GrantRole(engine.GrantRole{Roles: []string{"r3"}, To: []string{"u0"}}))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			err = sam.RevokeRole(engine.RevokeRole{Roles: []string{"r3"}, From: []string{"u0"}})
		} else {
			err = sam.GrantRole(engine.GrantRole{Roles: []string{"r3"}, To: []string{"u0"}})
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}
