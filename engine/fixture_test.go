package engine_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/require"
)

// shape is a benchmark catalog shape (see ../shared/bench/README.md).
type shape struct {
	accounts, users, roles, depth, dbs, tables, grantsPerRole int
	groupShare, patternShare                                  float64 // shares of grants of a privilege group, at a name pattern
}

var (
	smallShape  = shape{accounts: 1, users: 100, roles: 20, depth: 3, dbs: 10, tables: 10, grantsPerRole: 10}
	mediumShape = shape{accounts: 10, users: 1000, roles: 100, depth: 5, dbs: 20, tables: 50, grantsPerRole: 10}
)

// question is one decision of the request stream.
type question struct {
	user model.UserID
	role model.RoleID
	sec  engine.Secondary
	priv model.Privilege
	obj  model.Object
}

var tablePrivs = []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete}

// buildShape loads a catalog of the shape with the bulk loader and returns
// random questions over it: roles in layers (each inherits from up to two
// roles of the layer below), grants mostly on tables, two roles per user.
func buildShape(tb testing.TB, sh shape, questions int) (*engine.Engine, []question) {
	tb.Helper()
	eng := newEngine(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	type acct struct {
		users  []model.UserID
		direct map[model.UserID][]model.RoleID
		tables []model.TableID
		dbs    []model.DatabaseID
	}
	var accts []acct
	err := eng.Load(func(l *engine.Loader) error {
		for a := range sh.accounts {
			aid, err := l.CreateAccount(fmt.Sprintf("acc%d", a), "admin", "pw")
			if err != nil {
				return err
			}
			ac := acct{direct: map[model.UserID][]model.RoleID{}}
			for d := range sh.dbs {
				did, err := l.CreateDatabase(aid, fmt.Sprintf("db%d", d))
				if err != nil {
					return err
				}
				ac.dbs = append(ac.dbs, did)
				for t := range sh.tables {
					tid, err := l.CreateTable(did, fmt.Sprintf("t%d", t))
					if err != nil {
						return err
					}
					ac.tables = append(ac.tables, tid)
				}
			}
			groups := milvusGroups(tb, l, aid, sh)
			roles := make([]model.RoleID, sh.roles)
			for r := range roles {
				if roles[r], err = l.CreateRole(aid, fmt.Sprintf("r%d", r)); err != nil {
					return err
				}
				layer := r * sh.depth / sh.roles
				if layer > 0 {
					lo, hi := (layer-1)*sh.roles/sh.depth, layer*sh.roles/sh.depth
					for range 2 {
						p := roles[lo+rng.IntN(hi-lo)]
						if err := l.GrantRole(p, roles[r], engine.PlainGrant); err != nil {
							return err
						}
					}
				}
				for range sh.grantsPerRole {
					var on engine.Level
					priv := tablePrivs[rng.IntN(len(tablePrivs))]
					switch x := rng.IntN(100); {
					case x < 72:
						on = engine.Level{Kind: model.LevelTable, Table: ac.tables[rng.IntN(len(ac.tables))]}
					case x < 87:
						on = engine.Level{Kind: model.LevelTable, Database: ac.dbs[rng.IntN(len(ac.dbs))]}
					case x < 88:
						on = engine.Level{Kind: model.LevelTable, Account: aid}
					default:
						on, priv = engine.Level{Kind: model.LevelDatabase, Database: ac.dbs[rng.IntN(len(ac.dbs))]}, model.PrivCreateTable
					}
					if err := milvusGrant(l, rng, sh, groups, ac.tables, ac.dbs, roles[r], priv, on); err != nil {
						return err
					}
				}
			}
			for u := range sh.users {
				uid, err := l.CreateUser(aid, fmt.Sprintf("u%d", u), "pw")
				if err != nil {
					return err
				}
				for range 2 {
					r := roles[rng.IntN(len(roles))]
					if err := l.GrantRoleToUser(r, uid, engine.PlainGrant); err != nil {
						return err
					}
					ac.direct[uid] = append(ac.direct[uid], r)
				}
				ac.users = append(ac.users, uid)
			}
			accts = append(accts, ac)
		}
		return nil
	})
	require.NoError(tb, err)
	qs := make([]question, questions)
	for i := range qs {
		ac := accts[rng.IntN(len(accts))]
		u := ac.users[rng.IntN(len(ac.users))]
		q := question{user: u, role: ac.direct[u][rng.IntN(2)], sec: engine.Secondary(rng.IntN(2)),
			priv: tablePrivs[rng.IntN(len(tablePrivs))], obj: model.TableObject(ac.tables[rng.IntN(len(ac.tables))])}
		if rng.IntN(10) == 0 {
			q.priv, q.obj = model.PrivCreateTable, model.DatabaseObject(ac.dbs[rng.IntN(len(ac.dbs))])
		}
		qs[i] = q
	}
	return eng, qs
}
