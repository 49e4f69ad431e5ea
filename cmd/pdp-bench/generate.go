package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Params are the parameters of a generated workload, those of the
// benchmark README's table and its "-- params:" comment line.
type Params struct {
	Name         string
	Seed         uint64
	Accounts     int     // accounts
	Users        int     // users per account
	Roles        int     // roles per account
	Depth        int     // inheritance depth: the longest role chain has Depth edges
	Fanout       float64 // mean number of roles each non-leaf role inherits
	Skip         float64 // share of role edges that skip one or more layers
	DBs          int     // databases per account
	Tables       int     // tables per database
	Grants       int     // privilege grants per role
	RolesPerUser int     // roles granted to each user (drawn with replacement)
	// Mix is the share of grants at each level: TABLE db.t, TABLE db.*,
	// TABLE *.*, DATABASE db, DATABASE *.
	Mix          [5]float64
	Checks       int     // CHECK lines
	Allow        float64 // share of checks drawn from the grants the principal holds
	SecondaryAll float64 // share of checks with SECONDARY ALL
	Mutations    int     // MUTATE lines (rounded down to pairs)
	MutRole      float64 // share of mutation pairs that revoke and re-grant a user's role
	GroupShare   float64 // share of grants of a privilege group instead of a privilege (milvus.go)
	PatternShare float64 // share of grants at a name pattern instead of a named level (milvus.go)

	// Columns, column grants and denials (reference §18, ultipa.go).
	Columns      int     // columns per table
	ColumnGrants float64 // share of privilege grants made on one column
	Denials      float64 // share of privilege grants made denials instead
	ColumnChecks float64 // share of table checks asked of one of the table's columns
}

// defaultMix is the grant mix of the benchmark workloads.
var defaultMix = [5]float64{0.72, 0.15, 0.005, 0.115, 0.01}

// Presets are the parameters of the benchmark README's workloads, and
// xlarge: three times large, with the same shape per account. A generated
// workload has their shape, not their exact content.
var Presets = map[string]Params{
	"small": {Name: "small", Seed: 1, Accounts: 1, Users: 100, Roles: 20, Depth: 3, Fanout: 1.5, Skip: 0.15,
		DBs: 10, Tables: 10, Grants: 10, RolesPerUser: 2, Mix: defaultMix, Checks: 20_000, Allow: 0.5,
		SecondaryAll: 0.5, Mutations: 20_000, MutRole: 0.2},
	"medium": {Name: "medium", Seed: 1, Accounts: 10, Users: 1000, Roles: 100, Depth: 5, Fanout: 1.5, Skip: 0.15,
		DBs: 20, Tables: 50, Grants: 10, RolesPerUser: 2, Mix: defaultMix, Checks: 20_000, Allow: 0.5,
		SecondaryAll: 0.5, Mutations: 20_000, MutRole: 0.2},
	"large": {Name: "large", Seed: 1, Accounts: 100, Users: 1000, Roles: 200, Depth: 8, Fanout: 1.5, Skip: 0.15,
		DBs: 100, Tables: 100, Grants: 10, RolesPerUser: 2, Mix: defaultMix, Checks: 20_000, Allow: 0.5,
		SecondaryAll: 0.5, Mutations: 20_000, MutRole: 0.2},
	"xlarge": {Name: "xlarge", Seed: 1, Accounts: 300, Users: 1000, Roles: 200, Depth: 8, Fanout: 1.5, Skip: 0.15,
		DBs: 100, Tables: 100, Grants: 10, RolesPerUser: 2, Mix: defaultMix, Checks: 20_000, Allow: 0.5,
		SecondaryAll: 0.5, Mutations: 20_000, MutRole: 0.2},
}

// errParams is wrapped by every invalid-parameter error.
var errParams = errors.New("invalid workload parameters")

// Validate reports the first parameter out of range.
func (p *Params) Validate() error {
	switch {
	case p.Accounts < 1 || p.Users < 1 || p.Roles < 1 || p.DBs < 1 || p.Tables < 1:
		return fmt.Errorf("%w: accounts, users, roles, dbs and tables must be at least 1", errParams)
	case p.Depth < 0 || p.Grants < 0 || p.RolesPerUser < 1 || p.Checks < 0 || p.Mutations < 0:
		return fmt.Errorf("%w: depth, grants, checks and mutations must not be negative, roles per user at least 1", errParams)
	case p.Fanout < 0 || p.Skip < 0 || p.Skip > 1 || p.Allow < 0 || p.Allow > 1 ||
		p.SecondaryAll < 0 || p.SecondaryAll > 1 || p.MutRole < 0 || p.MutRole > 1 ||
		p.GroupShare < 0 || p.GroupShare > 1 || p.PatternShare < 0 || p.PatternShare > 1:
		return fmt.Errorf("%w: fanout must not be negative, shares must lie in [0, 1]", errParams)
	}
	sum := 0.0
	for _, m := range p.Mix {
		if m < 0 {
			return fmt.Errorf("%w: negative grant mix", errParams)
		}
		sum += m
	}
	if sum <= 0 {
		return fmt.Errorf("%w: the grant mix is empty", errParams)
	}
	return p.validateUltipa()
}

// String renders p as the value of a "-- params:" comment line.
func (p *Params) String() string {
	return fmt.Sprintf("name=%s seed=%d accounts=%d users=%d roles=%d depth=%d fanout=%.2f skip=%.2f dbs=%d tables=%d grants=%d roles_per_user=%d mix=%.3f/%.3f/%.3f/%.3f/%.3f checks=%d allow=%.2f secondary_all=%.2f mutations=%d mut_role=%.2f",
		p.Name, p.Seed, p.Accounts, p.Users, p.Roles, p.Depth, p.Fanout, p.Skip, p.DBs, p.Tables, p.Grants,
		p.RolesPerUser, p.Mix[0], p.Mix[1], p.Mix[2], p.Mix[3], p.Mix[4], p.Checks, p.Allow, p.SecondaryAll,
		p.Mutations, p.MutRole) + p.milvusString() + p.ultipaString()
}

// The grant levels of the mix, in its order.
const (
	lvTable    = iota // TABLE db.t
	lvTableDB         // TABLE db.*
	lvTableAll        // TABLE *.*
	lvDB              // DATABASE db
	lvDBAll           // DATABASE *
)

var (
	tablePrivs = []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete}
	dbPrivs    = []model.Privilege{model.PrivCreateTable, model.PrivDropTable}
)

// genGrant is a privilege grant by indices; with group >= 0 a grant of
// that privilege group instead (priv is then one of its members), with
// pattern set at the name pattern of its level (milvus.go).
type genGrant struct {
	priv      model.Privilege
	level     int
	db, table int
	group     int
	pattern   bool
	column    int // a column grant's or denial's column, from 1; 0: none
}

// genAccount is one generated account by indices.
type genAccount struct {
	name    string
	edges   [][]int      // role -> roles it inherits
	grants  [][]genGrant // role -> its privilege grants
	users   [][]int      // user -> roles granted directly
	closure [][]int      // role -> its closure, itself included
	ultipa  *ultipaAccount
}

type generator struct {
	p   Params
	rng *rand.Rand
}

// Generate builds a workload with the shape p describes. The EXPECT value
// of every check comes from the [Reference] evaluator on the setup state.
func Generate(p Params) (*Workload, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	g := &generator{p: p, rng: rand.New(rand.NewPCG(p.Seed, 0x9e3779b97f4a7c15))}
	w := &Workload{Name: p.Name}
	accounts := make([]*genAccount, p.Accounts)
	for i := range accounts {
		accounts[i] = g.account("acc" + strconv.Itoa(i))
		g.ultipa(accounts[i])
		accounts[i].emit(w, p)
		accounts[i].emitUltipa(w)
	}
	ref := NewReference(w)
	g.checks(w, accounts, ref)
	g.columnChecks(w, accounts)
	g.mutations(w, accounts)

	allowed := 0
	for i := range w.Checks {
		w.Checks[i].Expect = ExpectOf(ref.Decide(&w.Checks[i]))
		if w.Checks[i].Expect == ExpectAllow {
			allowed++
		}
	}
	edges, closureSum, closureMax, roles := 0, 0, 0, 0
	for _, a := range accounts {
		for r := range a.edges {
			edges += len(a.edges[r])
			closureSum += len(a.closure[r])
			closureMax = max(closureMax, len(a.closure[r]))
			roles++
		}
	}
	w.Comments = []string{
		FormatName,
		"params: " + p.String(),
		fmt.Sprintf("stats: role_edges=%d user_grants=%d priv_grants=%d checks=%d checks_allowed=%d mutations=%d closure_mean=%.1f closure_max=%d",
			edges, w.RoleGrants()-edges, w.PrivilegeGrants(), len(w.Checks), allowed, len(w.Mutations),
			float64(closureSum)/float64(max(roles, 1)), closureMax),
	}
	return w, nil
}

// account draws one account's role DAG, grants and users.
func (g *generator) account(name string) *genAccount {
	p := &g.p
	a := &genAccount{name: name, edges: make([][]int, p.Roles), grants: make([][]genGrant, p.Roles),
		users: make([][]int, p.Users), closure: make([][]int, p.Roles)}

	// Roles are split into Depth+1 layers; a role inherits roles of the next
	// layer, or with probability Skip of a deeper one, so no chain is
	// longer than Depth edges and the graph is acyclic.
	layers := p.Depth + 1
	start := func(l int) int { return l * p.Roles / layers }
	l := 0 // the layer of r
	for r := range p.Roles {
		for l+1 < layers && start(l+1) <= r {
			l++
		}
		if l >= p.Depth {
			continue
		}
		n := int(p.Fanout)
		if g.rng.Float64() < p.Fanout-float64(n) {
			n++
		}
		for range n {
			target := l + 1
			if l+2 <= p.Depth && g.rng.Float64() < p.Skip {
				target = l + 2 + g.rng.IntN(p.Depth-l-1)
			}
			lo, hi := start(target), start(target+1)
			if lo >= hi {
				continue
			}
			child := lo + g.rng.IntN(hi-lo)
			if !containsInt(a.edges[r], child) {
				a.edges[r] = append(a.edges[r], child)
			}
		}
	}
	for r := p.Roles - 1; r >= 0; r-- { // children have higher indices
		a.closure[r] = closureOf(a, r)
	}

	for r := range p.Roles {
		seen := make(map[genGrant]bool, p.Grants)
		for tries := 0; len(a.grants[r]) < p.Grants && tries < 10*p.Grants; tries++ {
			gr := g.grant()
			if !seen[gr] {
				seen[gr] = true
				a.grants[r] = append(a.grants[r], gr)
			}
		}
	}
	for u := range p.Users {
		for range p.RolesPerUser {
			r := g.rng.IntN(p.Roles)
			if !containsInt(a.users[u], r) {
				a.users[u] = append(a.users[u], r)
			}
		}
	}
	return a
}

func closureOf(a *genAccount, r int) []int {
	out := []int{r}
	for _, c := range a.edges[r] {
		for _, x := range a.closure[c] {
			if !containsInt(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// grant draws one privilege grant by the level mix.
func (g *generator) grant() genGrant {
	p := &g.p
	total := 0.0
	for _, m := range p.Mix {
		total += m
	}
	x := g.rng.Float64() * total
	level := len(p.Mix) - 1
	for i, m := range p.Mix {
		if x < m {
			level = i
			break
		}
		x -= m
	}
	gr := genGrant{level: level, db: -1, table: -1, group: -1}
	switch level {
	case lvTable, lvTableDB, lvTableAll:
		gr.priv = tablePrivs[g.rng.IntN(len(tablePrivs))]
	default:
		gr.priv = dbPrivs[g.rng.IntN(len(dbPrivs))]
	}
	if level == lvTable || level == lvTableDB || level == lvDB {
		gr.db = g.rng.IntN(p.DBs)
	}
	if level == lvTable {
		gr.table = g.rng.IntN(p.Tables)
	}
	return g.milvus(gr)
}

func roleName(r int) string  { return "r" + strconv.Itoa(r) }
func userName(u int) string  { return "u" + strconv.Itoa(u) }
func dbName(d int) string    { return "db" + strconv.Itoa(d) }
func tableName(t int) string { return "t" + strconv.Itoa(t) }

// target returns the level of gr by names.
func (gr genGrant) target() engine.Target {
	if gr.pattern {
		return gr.patternTarget()
	}
	switch gr.level {
	case lvTable:
		return engine.Target{Kind: model.KindTable, Database: dbName(gr.db), Name: tableName(gr.table)}
	case lvTableDB:
		return engine.Target{Kind: model.KindTable, Database: dbName(gr.db), AnyTable: true}
	case lvTableAll:
		return engine.Target{Kind: model.KindTable, AnyDatabase: true, AnyTable: true}
	case lvDB:
		return engine.Target{Kind: model.KindDatabase, Database: dbName(gr.db)}
	}
	return engine.Target{Kind: model.KindDatabase, AnyDatabase: true}
}

// emit appends the account's setup statements to w.
func (a *genAccount) emit(w *Workload, p Params) {
	add := func(st Statement) {
		st.Account = a.name
		w.Setup = append(w.Setup, st)
	}
	add(Statement{Kind: StmtCreateAccount, Name: a.name, AdminName: "admin", Password: "pw"})
	for d := range p.DBs {
		add(Statement{Kind: StmtCreateDatabase, Name: dbName(d)})
		for t := range p.Tables {
			add(Statement{Kind: StmtCreateTable, Database: dbName(d), Name: tableName(t), Columns: p.tableColumns()})
		}
	}
	for r := range p.Roles {
		add(Statement{Kind: StmtCreateRole, Name: roleName(r)})
	}
	for r := range p.Roles {
		for _, c := range a.edges[r] {
			add(Statement{Kind: StmtGrantRole, Name: roleName(c), To: roleName(r)})
		}
	}
	emitGroups(add, p)
	for r := range p.Roles {
		for _, gr := range a.grants[r] {
			add(gr.statement(roleName(r)))
		}
	}
	for u := range p.Users {
		add(Statement{Kind: StmtCreateUser, Name: userName(u), Password: "pw"})
		for _, r := range a.users[u] {
			add(Statement{Kind: StmtGrantRole, Name: roleName(r), To: userName(u)})
		}
	}
}

// checks draws the request stream. A share Allow of the checks ask for a
// privilege some role of the principal holds, on an object its grant
// covers (a creation privilege held only through a secondary role is still
// denied); the rest ask for a random privilege on a random object, redrawn
// a few times while the reference allows it, so that about a share Allow
// of the checks are allowed.
func (g *generator) checks(w *Workload, accounts []*genAccount, ref *Reference) {
	p := &g.p
	tableShare := p.Mix[lvTable] + p.Mix[lvTableDB] + p.Mix[lvTableAll]
	total := tableShare + p.Mix[lvDB] + p.Mix[lvDBAll]
	var held []genGrant
	for range p.Checks {
		a := accounts[g.rng.IntN(len(accounts))]
		u := g.rng.IntN(p.Users)
		direct := a.users[u]
		active := direct[g.rng.IntN(len(direct))]
		c := Check{Account: a.name, User: userName(u), Role: roleName(active)}
		if g.rng.Float64() < p.SecondaryAll {
			c.Secondary = engine.SecondaryAll
		}
		gr := genGrant{level: -1, group: -1}
		if g.rng.Float64() < p.Allow {
			held = held[:0]
			roots := []int{active}
			if c.Secondary == engine.SecondaryAll {
				roots = direct
			}
			for _, root := range roots {
				for _, r := range a.closure[root] {
					held = append(held, a.grants[r]...)
				}
			}
			if len(held) > 0 {
				gr = g.heldPrivilege(held[g.rng.IntN(len(held))])
			}
		}
		if gr.level >= 0 {
			c.Privilege, c.On = gr.priv, g.object(gr)
			w.Checks = append(w.Checks, c)
			continue
		}
		for range 8 { // a random request, preferably denied
			gr = genGrant{level: lvTableAll, db: -1, table: -1, group: -1}
			if g.rng.Float64()*total >= tableShare {
				gr.level = lvDBAll
			}
			if gr.level == lvTableAll {
				gr.priv = tablePrivs[g.rng.IntN(len(tablePrivs))]
			} else {
				gr.priv = dbPrivs[g.rng.IntN(len(dbPrivs))]
			}
			c.Privilege, c.On = gr.priv, g.object(gr)
			if !ref.Decide(&c) {
				break
			}
		}
		w.Checks = append(w.Checks, c)
	}
}

// object picks a concrete object the grant covers.
func (g *generator) object(gr genGrant) engine.Target {
	db, table := gr.db, gr.table
	if db < 0 {
		db = g.rng.IntN(g.p.DBs)
	}
	if table < 0 {
		table = g.rng.IntN(g.p.Tables)
	}
	if gr.level >= lvDB {
		return engine.Target{Kind: model.KindDatabase, Database: dbName(db)}
	}
	return engine.Target{Kind: model.KindTable, Database: dbName(db), Name: tableName(table)}
}

// mutations draws REVOKE/GRANT pairs: a share MutRole revoke and re-grant
// a user's directly granted role, the others a role's privilege grant.
func (g *generator) mutations(w *Workload, accounts []*genAccount) {
	p := &g.p
	for len(w.Mutations)+2 <= p.Mutations {
		a := accounts[g.rng.IntN(len(accounts))]
		if g.rng.Float64() < p.MutRole {
			u := g.rng.IntN(p.Users)
			r := a.users[u][g.rng.IntN(len(a.users[u]))]
			w.Mutations = append(w.Mutations,
				Mutation{Account: a.name, Kind: MutRevokeRole, Role: roleName(r), Grantee: userName(u)},
				Mutation{Account: a.name, Kind: MutGrantRole, Role: roleName(r), Grantee: userName(u)})
			continue
		}
		r := g.rng.IntN(p.Roles)
		if len(a.grants[r]) == 0 {
			if p.Grants == 0 && p.MutRole == 0 {
				return // nothing to mutate
			}
			continue
		}
		gr := a.grants[r][g.rng.IntN(len(a.grants[r]))]
		w.Mutations = append(w.Mutations, gr.mutations(a.name, roleName(r))...)
	}
}
