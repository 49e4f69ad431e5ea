package engine

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	must "github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// graphModel is the expected role graph of one account: parents[r] are the
// roles r inherits directly.
type graphModel map[string]map[string]bool

// reaches reports whether from inherits to in m.
func (m graphModel) reaches(from, to string) bool {
	seen := map[string]bool{from: true}
	stack := []string{from}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if r == to {
			return true
		}
		for p := range m[r] {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return false
}

// grant applies GRANT roles TO grantees to a copy of m in statement order
// and reports whether a pair closes a cycle (then m is unchanged).
func (m graphModel) grant(roles, grantees []string) (graphModel, bool) {
	next := graphModel{}
	for r, ps := range m {
		next[r] = map[string]bool{}
		for p := range ps {
			next[r][p] = true
		}
	}
	for _, g := range grantees {
		for _, r := range roles {
			if r == g || next.reaches(r, g) {
				return m, true
			}
			next[g][r] = true
		}
	}
	return next, false
}

// TestIncrementalClosures drives random role statements, single and
// multi-pair, bulk loads, drops and user grants through the engine and
// compares, after each, every closure, graph node and user union of the
// snapshot with a naive recomputation from the catalog, and every cycle
// refusal with a model.
func TestIncrementalClosures(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		eng, err := New(WithRootPassword("111"), WithHasher(password.Testing()))
		must.NoError(t, err)
		root, err := eng.Connect("root", "111")
		must.NoError(t, err)
		must.NoError(t, root.CreateAccount(CreateAccount{Name: "a", AdminName: "admin", AdminPassword: "pw"}))
		s, err := eng.Connect("a:admin", "pw")
		must.NoError(t, err)
		names := make([]string, 8)
		for i := range names {
			names[i] = "r" + strconv.Itoa(i)
		}
		users := []string{"u0", "u1", "u2"}
		must.NoError(t, s.CreateUser(CreateUser{Users: []UserCredential{{Name: "u0", Password: "pw"},
			{Name: "u1", Password: "pw"}, {Name: "u2", Password: "pw"}}}))
		m := graphModel{}
		pick := func(label string, from []string) []string {
			return rapid.SliceOfNDistinct(rapid.SampledFrom(from), 1, 3, rapid.ID).Draw(t, label)
		}
		existing := func() []string {
			var out []string
			for _, n := range names {
				if m[n] != nil {
					out = append(out, n)
				}
			}
			return out
		}
		t.Repeat(map[string]func(*rapid.T){
			"create": func(t *rapid.T) {
				n := rapid.SampledFrom(names).Draw(t, "role")
				if m[n] != nil {
					t.Skip("exists")
				}
				must.NoError(t, s.CreateRole(CreateRole{Names: []string{n}}))
				m[n] = map[string]bool{}
			},
			"drop": func(t *rapid.T) {
				ex := existing()
				if len(ex) == 0 {
					t.Skip("no roles")
				}
				n := rapid.SampledFrom(ex).Draw(t, "role")
				must.NoError(t, s.DropRole(DropRole{Names: []string{n}}))
				delete(m, n)
				for _, ps := range m {
					delete(ps, n)
				}
			},
			"grant": func(t *rapid.T) {
				ex := existing()
				if len(ex) == 0 {
					t.Skip("no roles")
				}
				roles, grantees := pick("roles", ex), pick("grantees", ex)
				next, cycle := m.grant(roles, grantees)
				err := s.GrantRole(GrantRole{Roles: roles, To: grantees})
				if cycle {
					must.ErrorIs(t, err, model.ErrCycle)
					return
				}
				must.NoError(t, err)
				m = next
			},
			"load": func(t *rapid.T) {
				ex := existing()
				if len(ex) == 0 {
					t.Skip("no roles")
				}
				pairs := rapid.IntRange(1, 6).Draw(t, "pairs")
				next, cycle := m, false
				err := eng.Load(func(l *Loader) error {
					for range pairs {
						r, g := rapid.SampledFrom(ex).Draw(t, "role"), rapid.SampledFrom(ex).Draw(t, "grantee")
						if !cycle {
							next, cycle = next.grant([]string{r}, []string{g})
						}
						rid, _ := l.w.base.Role(s.account, r)
						gid, _ := l.w.base.Role(s.account, g)
						if err := l.GrantRole(rid, gid, PlainGrant); err != nil {
							return err
						}
					}
					return nil
				})
				if cycle {
					must.ErrorIs(t, err, model.ErrCycle)
					return
				}
				must.NoError(t, err)
				m = next
			},
			"revoke": func(t *rapid.T) {
				ex := existing()
				if len(ex) == 0 {
					t.Skip("no roles")
				}
				roles, from := pick("roles", ex), pick("from", ex)
				must.NoError(t, s.RevokeRole(RevokeRole{Roles: roles, From: from}))
				for _, g := range from {
					for _, r := range roles {
						delete(m[g], r)
					}
				}
			},
			"user": func(t *rapid.T) {
				ex := existing()
				if len(ex) == 0 {
					t.Skip("no roles")
				}
				roles, to := pick("roles", ex), pick("users", users)
				if rapid.Bool().Draw(t, "revoke") {
					must.NoError(t, s.RevokeRole(RevokeRole{Roles: roles, From: to}))
				} else {
					must.NoError(t, s.GrantRole(GrantRole{Roles: roles, To: to}))
				}
			},
			"": func(t *rapid.T) { checkGraph(t, eng.Snapshot()) },
		})
	})
}

// checkGraph compares the role views, graph nodes and user views of snap
// with a naive recomputation from its catalog.
func checkGraph(t *rapid.T, snap *Snapshot) {
	tx := snap.read()
	for _, acc := range tx.Accounts() {
		public := tx.Role(acc.PublicRole).Slot
		for _, r := range tx.RolesOf(acc.ID) {
			v := snap.roleAt(uint32(r.ID))
			must.NotNil(t, v, r.Name)
			must.True(t, naiveClosure(tx, r.ID, public).Equal(v.closure), "closure of %s", r.Name)
			n := snap.nodeAt(r.ID)
			must.NotNil(t, n, r.Name)
			var parents, children []model.RoleID
			for _, e := range tx.EdgesTo(r.ID) {
				parents = append(parents, e.Role)
				must.Less(t, snap.nodeAt(e.Role).label, n.label, "order of %d before %s", e.Role, r.Name)
			}
			for _, e := range tx.EdgesOf(r.ID) {
				children = append(children, e.Grantee)
			}
			slices.Sort(parents)
			must.Equal(t, parents, n.parents, "parents of %s", r.Name)
			must.ElementsMatch(t, children, n.children, "children of %s", r.Name)
			if len(tx.HoldersOf(r.ID)) > 0 {
				must.True(t, n.held, "%s is held directly", r.Name)
			}
		}
		for _, u := range tx.UsersOf(acc.ID) {
			var want inherit.Set
			for _, ur := range tx.RolesOfUser(u.ID) {
				inherit.UnionInto(&want, naiveClosure(tx, ur.Role, public))
			}
			must.True(t, want.Equal(snap.userAt(uint32(u.ID)).secondary), "secondary roles of %s", u.Name)
		}
	}
}

// naiveClosure walks the catalog's edges up from r.
func naiveClosure(tx *catalog.Tx, r model.RoleID, public uint32) inherit.Set {
	out := inherit.Set(nil).With(public)
	seen := map[model.RoleID]bool{r: true}
	stack := []model.RoleID{r}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = out.With(tx.Role(x).Slot)
		for _, e := range tx.EdgesTo(x) {
			if !seen[e.Role] {
				seen[e.Role] = true
				stack = append(stack, e.Role)
			}
		}
	}
	return out
}

// TestCycleChecksAfterRemoval covers a transaction that removes an edge and
// then adds edges: the pending closures no longer apply and the walk over
// the catalog decides.
func TestCycleChecksAfterRemoval(t *testing.T) {
	eng, err := New(WithRootPassword("111"), WithHasher(password.Testing()))
	must.NoError(t, err)
	root, err := eng.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, root.CreateAccount(CreateAccount{Name: "a", AdminName: "admin", AdminPassword: "pw"}))
	s, err := eng.Connect("a:admin", "pw")
	must.NoError(t, err)
	must.NoError(t, s.CreateRole(CreateRole{Names: []string{"a", "b", "c"}}))
	must.NoError(t, s.GrantRole(GrantRole{Roles: []string{"a"}, To: []string{"b"}}))
	err = eng.update(func(w *writer) error {
		a, b, c := w.RoleByName(s.account, "a"), w.RoleByName(s.account, "b"), w.RoleByName(s.account, "c")
		w.deleteEdge(w.Edge(a.ID, b.ID))
		if w.wouldCycle(b, a) {
			return errors.New("b to a is no cycle once a to b is gone")
		}
		if err := w.grantRole(s, b, grantee{role: a, name: "a"}, PlainGrant); err != nil {
			return err
		}
		if !w.wouldCycle(a, b) {
			return errors.New("a to b closes b to a")
		}
		return w.grantRole(s, c, grantee{role: b, name: "b"}, PlainGrant)
	})
	must.NoError(t, err)
	snap := eng.Snapshot()
	a, _ := snap.Role(s.account, "a")
	c, _ := snap.Role(s.account, "c")
	must.True(t, snap.roleAt(uint32(a)).closure.Has(snap.roleAt(uint32(c)).slot), "a inherits b inherits c")
}
