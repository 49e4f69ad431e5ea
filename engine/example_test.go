package engine_test

import (
	"fmt"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

// Example shows the life of a decision: an account, a table, a role granted
// to a user, and the hot-path Check by IDs resolved once.
func Example() {
	eng, err := engine.New(engine.WithRootPassword("s3cret"), engine.WithHasher(password.Testing()))
	if err != nil {
		panic(err)
	}
	root, _ := eng.Connect("root", "s3cret")
	must(root.CreateAccount(engine.CreateAccount{Name: "acme", AdminName: "ann", AdminPassword: "pw"}))
	ann, _ := eng.Connect("acme:ann", "pw")
	must(ann.CreateDatabase(engine.CreateDatabase{Name: "sales"}))
	must(ann.CreateTable(engine.CreateTable{Database: "sales", Name: "orders"}))
	must(ann.CreateRole(engine.CreateRole{Names: []string{"analyst"}}))
	must(ann.CreateUser(engine.CreateUser{Users: []engine.UserCredential{{Name: "bob", Password: "pw"}}, DefaultRole: "analyst"}))
	must(ann.GrantPrivilege(engine.GrantPrivilege{Privileges: []string{"select"},
		On: engine.Target{Kind: model.KindTable, Database: "sales", AnyTable: true}, To: []string{"analyst"}}))

	snap := eng.Snapshot()
	acc, _ := snap.Account("acme")
	bob, _ := snap.User(acc, "bob")
	analyst, _ := snap.Role(acc, "analyst")
	db, _ := snap.Database(acc, "sales")
	orders, _ := snap.Table(db, "orders")
	fmt.Println(eng.Check(bob, analyst, engine.SecondaryNone, model.PrivSelect, model.TableObject(orders)))
	fmt.Println(eng.Check(bob, analyst, engine.SecondaryNone, model.PrivDelete, model.TableObject(orders)))
	// Output:
	// {true granted}
	// {false no grant}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
