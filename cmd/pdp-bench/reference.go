package main

import (
	"slices"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Reference is a naive evaluator of the workload subset, independent of the
// engine: it walks the role graph by breadth-first search on every
// decision. It gives the EXPECT values of generated workloads and a second
// opinion on the EXPECT values of loaded ones. It follows reference §8 for what
// a workload can express: the active role must be granted directly to the
// user, every role implicitly holds public (which holds no table or
// database privilege), creation privileges use the active role's closure
// alone, and the admin role allows everything in its account.
type Reference struct {
	accounts map[string]*refAccount
}

type refAccount struct {
	admin    string                     // the admin user's name
	roles    map[string]*refRole        // by name
	users    map[string]map[string]bool // user -> roles granted directly
	database map[string]map[string]bool // database -> its tables
	closures map[string][]string        // cache of closure, cleared when an edge changes
	groups   map[string]model.PrivSet   // privilege groups by name, predefined ones included
	ultipa   *refUltipa                 // denials and column grants, nil when none
}

type refRole struct {
	inherits []string // roles granted to this role
	grants   map[refGrant]bool
	wide     []refGrant // grants of groups and at name patterns (milvus.go)
}

// refGrant is a privilege at a normalised level, or with group set a
// privilege group there.
type refGrant struct {
	priv  model.Privilege
	on    engine.Target
	group string
}

const (
	adminRole  = "accountadmin"
	publicRole = "public"
)

// NewReference builds the reference state from a workload's setup.
func NewReference(w *Workload) *Reference {
	r := &Reference{accounts: make(map[string]*refAccount)}
	for i := range w.Setup {
		r.apply(&w.Setup[i])
	}
	return r
}

func (r *Reference) apply(st *Statement) {
	if r.applyUltipa(st) {
		return
	}
	if st.Kind == StmtCreateAccount {
		r.accounts[st.Name] = &refAccount{
			admin:    st.AdminName,
			roles:    map[string]*refRole{adminRole: newRefRole(), publicRole: newRefRole()},
			users:    map[string]map[string]bool{st.AdminName: {adminRole: true, publicRole: true}},
			database: make(map[string]map[string]bool),
		}
		return
	}
	a := r.accounts[st.Account]
	if a == nil {
		return
	}
	switch st.Kind {
	case StmtCreateDatabase:
		a.database[st.Name] = make(map[string]bool)
	case StmtCreateTable:
		if tables := a.database[st.Database]; tables != nil {
			tables[st.Name] = true
		}
	case StmtCreateRole:
		a.roles[st.Name] = newRefRole()
	case StmtCreateUser:
		a.users[st.Name] = map[string]bool{publicRole: true}
	case StmtGrantPrivilege:
		if role := a.roles[st.To]; role != nil {
			role.add(refGrant{priv: st.Privilege, on: st.On})
		}
	case StmtGrantRole:
		a.grantRole(st.Name, st.To, true)
	default:
		a.applyMilvus(st)
	}
}

// grantRole adds (or with add false removes) the edge role -> to, where
// to is a role or a user.
func (a *refAccount) grantRole(role, to string, add bool) {
	if r := a.roles[to]; r != nil {
		i := slices.Index(r.inherits, role)
		switch {
		case add && i < 0:
			r.inherits = append(r.inherits, role)
		case !add && i >= 0:
			r.inherits = slices.Delete(r.inherits, i, i+1)
		}
		clear(a.closures)
		return
	}
	if u := a.users[to]; u != nil {
		if add {
			u[role] = true
		} else if role != publicRole {
			delete(u, role)
		}
	}
}

// Apply applies a mutation to the reference state.
func (r *Reference) Apply(m *Mutation) {
	a := r.accounts[m.Account]
	if a == nil {
		return
	}
	switch m.Kind {
	case MutGrantPrivilege, MutRevokePrivilege:
		if role := a.roles[m.Grantee]; role != nil {
			g := refGrant{priv: m.Privilege, on: m.On}
			if m.Kind == MutGrantPrivilege {
				role.add(g)
			} else {
				role.remove(g)
			}
		}
	case MutGrantRole, MutRevokeRole:
		a.grantRole(m.Role, m.Grantee, m.Kind == MutGrantRole)
	default:
		a.applyMilvusMutation(m)
	}
}

func newRefRole() *refRole { return &refRole{grants: make(map[refGrant]bool)} }

// closure returns the roles reachable from role, role and public included.
func (a *refAccount) closure(role string) []string {
	if c, ok := a.closures[role]; ok {
		return c
	}
	if a.closures == nil {
		a.closures = make(map[string][]string)
	}
	c := a.walk(role)
	a.closures[role] = c
	return c
}

// walk finds the closure of role by breadth-first search.
func (a *refAccount) walk(role string) []string {
	seen := map[string]bool{role: true, publicRole: true}
	out := []string{role, publicRole}
	for i := 0; i < len(out); i++ {
		r := a.roles[out[i]]
		if r == nil {
			continue
		}
		for _, next := range r.inherits {
			if !seen[next] {
				seen[next] = true
				out = append(out, next)
			}
		}
	}
	return out
}

// Decide answers c on the reference state.
func (r *Reference) Decide(c *Check) bool {
	a := r.accounts[c.Account]
	if a == nil {
		return false
	}
	direct := a.users[c.User]
	if direct == nil || a.roles[c.Role] == nil || !direct[c.Role] {
		return false
	}
	if a.ultipa != nil || c.On.Kind == model.KindColumn {
		return a.decideUltipa(c, direct)
	}
	if !a.exists(c.On) {
		return false
	}
	needs := needed(c.Privilege, c.On)
	if needs == nil {
		return false // wrong level
	}
	if a.holds(a.closure(c.Role), needs) {
		return true
	}
	if c.Secondary == engine.SecondaryAll && !c.Privilege.Info().Creation {
		for d := range direct {
			if a.holds(a.closure(d), needs) {
				return true
			}
		}
	}
	return false
}

// holds reports whether one of roles is the admin role or holds one of the grants.
func (a *refAccount) holds(roles []string, grants []refGrant) bool {
	for _, name := range roles {
		if name == adminRole {
			return true
		}
		role := a.roles[name]
		if role == nil {
			continue
		}
		for _, g := range grants {
			if role.grants[g] {
				return true
			}
		}
		if a.holdsWide(role, grants) {
			return true
		}
	}
	return false
}

func (a *refAccount) exists(on engine.Target) bool {
	tables, ok := a.database[on.Database]
	if !ok {
		return false
	}
	return on.Kind == model.KindDatabase || tables[on.Name]
}

// needed lists the grants any of which allows priv on the concrete object
// on, or nil when priv does not apply to on's level.
func needed(priv model.Privilege, on engine.Target) []refGrant {
	var levels []engine.Target
	dbLevels := []engine.Target{
		{Kind: model.KindDatabase, Database: on.Database},
		{Kind: model.KindDatabase, AnyDatabase: true},
	}
	switch priv.Level() {
	case model.LevelTable:
		if on.Kind != model.KindTable {
			return nil
		}
		levels = []engine.Target{
			on,
			{Kind: model.KindTable, Database: on.Database, AnyTable: true},
			{Kind: model.KindTable, AnyDatabase: true, AnyTable: true},
		}
	case model.LevelDatabase:
		switch {
		case on.Kind == model.KindDatabase:
			levels = dbLevels
		case on.Kind == model.KindTable && (priv == model.PrivDropTable || priv == model.PrivAlterTable):
			levels = dbLevels
		default:
			return nil
		}
	default:
		return nil
	}
	out := make([]refGrant, 0, 2*len(levels))
	for _, l := range levels {
		out = append(out, refGrant{priv: priv, on: l}, refGrant{priv: priv.Level().All(), on: l})
	}
	return out
}
