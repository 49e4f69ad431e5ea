package oracle_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
)

// TestStateMachineOracle drives the engine and the oracle with the same
// random statements and checks, after every step, that they agree on
// outcomes, SHOW output and decisions, and that the engine keeps its
// invariants.
func TestStateMachineOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t)
		t.Repeat(rapid.StateMachineActions(m))
	})
}

// Check runs after every action.
func (m *machine) Check(t *rapid.T) {
	m.rng = rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "sample seed"), 1))
	if rev := m.eng.Snapshot().Revision(); rev != m.orc.Rev {
		t.Fatalf("the engine is at revision %d, the oracle counts %d commits", rev, m.orc.Rev)
	}
	got, want := m.engineDump(t), m.oracleDump()
	m.lastDump = got
	if !slices.Equal(got, want) {
		t.Fatalf("SHOW output differs from the oracle's (- oracle only, + engine only):\n%s", diff(want, got))
	}
	m.checkInvariants(t, got)
	m.checkDenialsWin(t, got)
	m.checkMilvusInvariants(t, got)
	m.checkSessionDecisions(t)
	m.checkDecisionsByID(t)
	m.checkHeldSnapshots(t)
	m.checkWhoCan(t)
}

// visible reports whether an account can be inspected through its observer
// (its admin user, acting through the admin role): not while the account is
// suspended or the admin user is locked.
func (m *machine) visible(a *oracle.Account) *pair {
	p := m.obs[a.Name]
	if p == nil || p.o.Closed() || p.o.Account != a.ID {
		return nil
	}
	s := m.orc.State
	if a.Status == model.StatusSuspended || s.Users[a.AdminUser].Locked {
		return nil
	}
	return p
}

func (m *machine) accounts() []*oracle.Account {
	var out []*oracle.Account
	for _, a := range m.orc.State.Accounts {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *oracle.Account) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// unquote reverses model.Quote: SHOW prints a name in backticks unless it is
// bare.
func unquote(name string) string {
	if len(name) >= 2 && name[0] == '`' && name[len(name)-1] == '`' {
		return strings.ReplaceAll(name[1:len(name)-1], "``", "`")
	}
	return name
}

// unquoted unquotes SHOW's names and sorts them as the oracle lists them.
func unquoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = unquote(n)
	}
	slices.Sort(out)
	return out
}

// engineDump lists, through SHOW, every account, and for each visible one
// its roles and users and the grants of each, one line per row.
func (m *machine) engineDump(t *rapid.T) []string {
	t.Helper()
	rows, err := m.obs[model.SysAccount].e.ShowAccounts()
	require.NoError(t, err, "SHOW ACCOUNTS")
	out := prefix("accounts: ", rows)
	for _, a := range m.accounts() {
		p := m.visible(a)
		if p == nil {
			continue
		}
		roles, err := p.e.ShowRoles()
		require.NoError(t, err, "%s: SHOW ROLES", a.Name)
		users, err := p.e.ShowUsers()
		require.NoError(t, err, "%s: SHOW USERS", a.Name)
		out = append(out, prefix(a.Name+" roles: ", roles)...)
		out = append(out, prefix(a.Name+" users: ", users)...)
		for _, r := range unquoted(roles) {
			rows, err := p.e.ShowGrants(engine.ShowGrants{For: engine.ShowRole, Name: r})
			require.NoError(t, err, "%s: SHOW GRANTS FOR ROLE %s", a.Name, r)
			out = append(out, prefix(a.Name+" role "+r+": ", rows)...)
		}
		for _, u := range unquoted(users) {
			rows, err := p.e.ShowGrants(engine.ShowGrants{For: engine.ShowUser, Name: u})
			require.NoError(t, err, "%s: SHOW GRANTS FOR USER %s", a.Name, u)
			out = append(out, prefix(a.Name+" user "+u+": ", rows)...)
		}
		out = append(out, m.milvusDump(t, a, p)...)
	}
	return out
}

// oracleDump is what engineDump should see.
func (m *machine) oracleDump() []string {
	s := m.orc.State
	out := prefix("accounts: ", s.AccountRows())
	for _, a := range m.accounts() {
		if m.visible(a) == nil {
			continue
		}
		roles, users := s.Names(a.ID, model.KindRole), s.Names(a.ID, model.KindUser)
		out = append(out, prefix(a.Name+" roles: ", oracle.Quoted(roles))...)
		out = append(out, prefix(a.Name+" users: ", oracle.Quoted(users))...)
		for _, r := range roles {
			out = append(out, prefix(a.Name+" role "+r+": ", s.RoleRows(s.RoleByName(a.ID, r).ID))...)
		}
		for _, u := range users {
			out = append(out, prefix(a.Name+" user "+u+": ", s.UserRows(s.UserByName(a.ID, u).ID))...)
		}
		out = append(out, m.oracleMilvusDump(a)...)
	}
	return out
}

func prefix(p string, rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = p + r
	}
	return out
}

// checkInvariants checks, on the engine's own SHOW output, that every role
// graph is acyclic, that every live object has exactly one owner, a live
// role of its account other than public and other than itself (the admin
// role excepted), and that no grant names a dropped object.
func (m *machine) checkInvariants(t *rapid.T, dump []string) {
	type acct struct {
		roles, users map[string]bool
		owners       map[string][]string // "ROLE r" -> owners
		edges        map[string][]string // role -> roles granted to it
		levels       []string            // every level named by a grant
	}
	accs := map[string]*acct{}
	get := func(a string) *acct {
		if accs[a] == nil {
			accs[a] = &acct{roles: map[string]bool{}, users: map[string]bool{}, owners: map[string][]string{}, edges: map[string][]string{}}
		}
		return accs[a]
	}
	for _, line := range dump {
		head, row, _ := strings.Cut(line, ": ")
		f := strings.Fields(head)
		if f[0] == "accounts" {
			continue
		}
		a := get(f[0])
		switch f[1] {
		case "roles":
			a.roles[row] = true
		case "users":
			a.users[row] = true
		case "role":
			w := strings.Fields(row)
			switch {
			case w[1] == "OWNERSHIP":
				obj := w[3] + " " + w[4]
				a.owners[obj] = append(a.owners[obj], w[6])
			case w[2] == "TO" && w[3] == "ROLE":
				a.edges[w[4]] = append(a.edges[w[4]], w[1])
			default:
				on := slices.Index(w, "ON")
				to := slices.Index(w, "TO")
				a.levels = append(a.levels, strings.Join(w[on+1:to], " "))
			}
		}
	}
	s := m.orc.State
	for name, a := range accs {
		acc := s.AccountByName(name)
		admin := s.Roles[acc.Admin].Name
		live := map[string]bool{}
		for r := range a.roles {
			live["ROLE "+r] = true
		}
		for u := range a.users {
			live["USER "+u] = true
		}
		for _, d := range s.DBs {
			if d.Account == acc.ID {
				live["DATABASE "+d.Name] = true
			}
		}
		for _, tb := range s.Tables {
			if tb.Account == acc.ID {
				live["TABLE "+s.DBs[tb.DB].Name+"."+tb.Name] = true
			}
		}
		for _, al := range s.Aliases {
			if al.Account == acc.ID {
				live["ALIAS "+s.DBs[al.DB].Name+"."+al.Name] = true
			}
		}
		for obj := range live {
			owners := a.owners[obj]
			switch {
			case len(owners) != 1:
				t.Fatalf("%s: %s has owners %q, want exactly one", name, obj, owners)
			case !a.roles[owners[0]] || owners[0] == model.Public:
				t.Fatalf("%s: %s is owned by %q, not a live role other than public", name, obj, owners[0])
			case obj == "ROLE "+owners[0] && owners[0] != admin:
				t.Fatalf("%s: %s owns itself", name, obj)
			}
		}
		for obj := range a.owners {
			if !live[obj] {
				t.Fatalf("%s: an ownership row names %s, which does not exist", name, obj)
			}
		}
		for _, l := range a.levels {
			f := strings.Fields(l)
			if len(f) == 2 && f[1] != "*" && f[1] != "*.*" {
				obj := f[0] + " " + f[1]
				if db, ok := strings.CutSuffix(f[1], ".*"); ok {
					obj = "DATABASE " + db
				}
				if strings.HasSuffix(obj, "*") { // a name pattern: only TABLE d.q* names an object, d
					db, _, ok := strings.Cut(f[1], ".")
					if !ok || strings.HasSuffix(db, "*") {
						continue
					}
					obj = "DATABASE " + db
				}
				if !live[obj] {
					t.Fatalf("%s: a grant names %s, which does not exist", name, l)
				}
			}
		}
		for r, parents := range a.edges {
			for _, p := range parents {
				if !a.roles[p] || !a.roles[r] {
					t.Fatalf("%s: the edge %s -> %s names a dropped role", name, p, r)
				}
			}
		}
		// Acyclic: depth-first search with colours.
		colour := map[string]int{}
		var visit func(r string, path []string)
		visit = func(r string, path []string) {
			switch colour[r] {
			case 1:
				t.Fatalf("%s: the role graph has a cycle: %s", name, strings.Join(append(path, r), " <- "))
			case 2:
				return
			}
			colour[r] = 1
			for _, p := range a.edges[r] {
				visit(p, append(path, r))
			}
			colour[r] = 2
		}
		for r := range a.roles {
			visit(r, nil)
		}
	}
}

// question is one decision asked of the session's principal, by name.
type question struct {
	p  model.Privilege
	on engine.Target
}

// questions are the decisions asked of every connection after every step:
// each privilege on every object of its level (present or not, qualified
// or not) and a few on objects of the wrong level.
var questions = func() []question {
	var qs []question
	add := func(on engine.Target, ps ...model.Privilege) {
		for _, p := range ps {
			qs = append(qs, question{p, on})
		}
	}
	add(engine.Target{Kind: model.KindAccount},
		model.PrivCreateAccount, model.PrivDropAccount, model.PrivAlterAccount,
		model.PrivCreateUser, model.PrivDropUser, model.PrivAlterUser, model.PrivCreateRole, model.PrivDropRole,
		model.PrivCreateDatabase, model.PrivDropDatabase, model.PrivShowDatabases, model.PrivConnect,
		model.PrivManageGrants, model.PrivSelect, model.PrivAll)
	for _, d := range dbNames {
		add(engine.Target{Kind: model.KindDatabase, Database: d},
			model.PrivShowTables, model.PrivCreateTable, model.PrivDropTable, model.PrivAlterTable,
			model.PrivCreateView, model.PrivDropView, model.PrivAlterView, model.PrivDropDatabase, model.PrivSelect,
			model.PrivAll)
		for _, tb := range tableNames {
			add(engine.Target{Kind: model.KindTable, Database: d, Name: tb},
				model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete, model.PrivTruncate,
				model.PrivReference, model.PrivIndex, model.PrivDropTable, model.PrivAlterTable, model.PrivCreateTable,
				model.PrivAll)
		}
	}
	for _, tb := range tableNames {
		add(engine.Target{Kind: model.KindTable, Name: tb}, model.PrivSelect, model.PrivDropTable)
	}
	// Names asked in another case than they were created in: they fold.
	for _, d := range dbNames {
		add(engine.Target{Kind: model.KindDatabase, Database: strings.ToUpper(d)}, model.PrivShowTables)
		add(engine.Target{Kind: model.KindTable, Database: strings.ToUpper(d), Name: strings.ToUpper(tableNames[0])},
			model.PrivSelect, model.PrivDropTable)
	}
	add(engine.Target{Kind: model.KindRole, Name: "R1"}, model.PrivDropRole, model.PrivAll)
	add(engine.Target{Kind: model.KindUser, Name: "U1"}, model.PrivDropUser)
	for _, r := range append(slices.Clone(roleNames), model.Public, model.AccountAdmin, model.MoAdmin) {
		add(engine.Target{Kind: model.KindRole, Name: r}, model.PrivDropRole, model.PrivAlterUser)
	}
	for _, u := range append(slices.Clone(userNames), "adm", model.RootUser) {
		add(engine.Target{Kind: model.KindUser, Name: u}, model.PrivDropUser, model.PrivAlterUser, model.PrivConnect)
	}
	add(engine.Target{Kind: model.KindTable, AnyDatabase: true, AnyTable: true}, model.PrivSelect)
	return append(qs, columnQuestions...)
}()

// checkSessionDecisions asks every connection every question. Naming an
// object costs the engine a catalog lookup, so each object is named once
// (with its first question); the other questions go by ID, to
// [engine.Session.Check], with the object the oracle resolved.
func (m *machine) checkSessionDecisions(t *rapid.T) {
	for _, p := range m.pool {
		var last engine.Target
		var obj model.Object
		for i, q := range questions {
			want := p.o.Decide(q.p, q.on)
			var got engine.Decision
			if i == 0 || q.on != last {
				last = q.on
				got = p.e.Decide(q.p, q.on)
				obj = model.Object{}
				if o, ok := p.o.Resolve(q.on); ok {
					obj = model.Object{Kind: o.Kind, ID: m.ids[o.ID]}
				}
			} else {
				got = p.e.Check(q.p, obj)
			}
			if got.Allowed != want {
				t.Fatalf("%s: decide %s ON %s: engine %v (%v), oracle %v", p, q.p, targetText(q.on), got.Allowed, got.Reason, want)
			}
		}
	}
}

// idQuestion is one decision by IDs, for any user, role and object ever
// created, dropped ones and other accounts' included.
type idQuestion struct {
	user, role oracle.ID
	sec        bool
	p          model.Privilege
	on         oracle.Object
}

var allPrivileges = func() []model.Privilege {
	var out []model.Privilege
	for p := model.PrivCreateAccount; p <= model.PrivTableAll; p++ {
		out = append(out, p)
	}
	return append(out, model.PrivAll) // asked of an object: its level's ALL
}()

// idQuestions draws n questions by IDs.
func (m *machine) idQuestions(n int) []idQuestion {
	byKind := map[model.Kind][]oracle.ID{}
	for id, k := range m.kinds {
		byKind[k] = append(byKind[k], id)
	}
	for _, ids := range byKind {
		slices.Sort(ids)
	}
	draw := func(k model.Kind) oracle.ID {
		ids := byKind[k]
		return ids[m.rng.IntN(len(ids))]
	}
	kinds := []model.Kind{model.KindAccount, model.KindDatabase, model.KindTable, model.KindRole, model.KindUser, model.KindColumn}
	var out []idQuestion
	for range n {
		q := idQuestion{user: draw(model.KindUser), sec: m.rng.IntN(2) == 0, p: allPrivileges[m.rng.IntN(len(allPrivileges))]}
		// Mostly a role granted to the user directly, so that the question
		// can be allowed; else a role of its account, or any role.
		q.role = draw(model.KindRole)
		if u := m.orc.State.Users[q.user]; u != nil {
			var direct, inherited, mine []oracle.ID
			for _, r := range byKind[model.KindRole] {
				if x := m.orc.State.Roles[r]; x != nil && x.Account == u.Account {
					mine = append(mine, r)
					if slices.ContainsFunc(m.orc.State.UserRoles, func(ur oracle.UserRole) bool { return ur.User == u.ID && ur.Role == r }) {
						direct = append(direct, r)
					}
				}
			}
			// Roles the user reaches only by inheritance: as the active role
			// they must deny (reference §8 rule 1), however much they hold.
			for _, d := range direct {
				for r := range m.orc.State.Closure(d) {
					if !slices.Contains(direct, r) && !slices.Contains(inherited, r) {
						inherited = append(inherited, r)
					}
				}
			}
			slices.Sort(inherited)
			switch n := m.rng.IntN(8); {
			case n < 5 && len(direct) > 0:
				q.role = direct[m.rng.IntN(len(direct))]
			case n < 6 && len(inherited) > 0:
				q.role = inherited[m.rng.IntN(len(inherited))]
			case n < 7 && len(mine) > 0:
				q.role = mine[m.rng.IntN(len(mine))]
			}
		}
		k := kinds[m.rng.IntN(len(kinds))]
		if len(byKind[k]) == 0 {
			k = model.KindAccount
		}
		q.on = oracle.Object{Kind: k, ID: draw(k)}
		// Mostly an object of the user's account, live or not.
		if u := m.orc.State.Users[q.user]; u != nil && m.rng.IntN(4) > 0 {
			var mine []oracle.ID
			for _, id := range byKind[k] {
				if m.accountOf(id) == u.Account {
					mine = append(mine, id)
				}
			}
			if len(mine) > 0 {
				q.on.ID = mine[m.rng.IntN(len(mine))]
			}
		}
		out = append(out, q)
	}
	return out
}

// accountOf returns the account of any object ever seen.
func (m *machine) accountOf(id oracle.ID) oracle.ID {
	return m.homes[id]
}

func (m *machine) askEngine(snap *engine.Snapshot, q idQuestion) engine.Decision {
	sec := engine.SecondaryNone
	if q.sec {
		sec = engine.SecondaryAll
	}
	return snap.Check(model.UserID(m.ids[q.user]), model.RoleID(m.ids[q.role]), sec, q.p, model.Object{Kind: q.on.Kind, ID: m.ids[q.on.ID]})
}

func (m *machine) describe(q idQuestion) string {
	sec := ""
	if q.sec {
		sec = ", secondary all"
	}
	return fmt.Sprintf("check(%s as %s%s, %s, %s)", m.label(q.user), m.label(q.role), sec, q.p, m.label(q.on.ID))
}

// label names an object ever seen, by its names when it was created.
func (m *machine) label(id oracle.ID) string {
	s := m.orc.State
	l := m.labels[id]
	if tb, _ := s.Column(id); s.Accounts[id] == nil && s.Users[id] == nil && s.Roles[id] == nil && s.DBs[id] == nil &&
		s.Tables[id] == nil && tb == nil {
		l += " (dropped)"
	}
	return l
}

// diff lists the lines only in want (-) and only in got (+).
func diff(want, got []string) string {
	var out []string
	for _, l := range want {
		if !slices.Contains(got, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			out = append(out, "+ "+l)
		}
	}
	if len(out) == 0 {
		out = append(out, "(the same lines, in another order or count)")
	}
	return strings.Join(out, "\n")
}

// checkDecisionsByID asks random questions by IDs of the engine and the
// oracle, and now and then holds the snapshot with its answers.
func (m *machine) checkDecisionsByID(t *rapid.T) {
	snap := m.eng.Snapshot()
	qs := m.idQuestions(60)
	answers := make([]bool, len(qs))
	for i, q := range qs {
		got := m.askEngine(snap, q)
		want := m.orc.State.Check(q.user, q.role, q.sec, q.p, q.on)
		if got.Allowed != want {
			t.Fatalf("%s: engine %v (%v), oracle %v", m.describe(q), got.Allowed, got.Reason, want)
		}
		answers[i] = got.Allowed
	}
	if m.rng.IntN(4) == 0 {
		h := heldSnapshot{snap: snap, rev: snap.Revision(), qs: qs, answers: answers}
		if len(m.held) < 3 {
			m.held = append(m.held, h)
		} else {
			m.held[m.rng.IntN(len(m.held))] = h
		}
	}
}

// heldSnapshot is a snapshot kept with the answers it gave.
type heldSnapshot struct {
	snap    *engine.Snapshot
	rev     uint64
	qs      []idQuestion
	answers []bool
}

// checkHeldSnapshots asks every held snapshot its questions again.
func (m *machine) checkHeldSnapshots(t *rapid.T) {
	for _, h := range m.held {
		require.Equal(t, h.rev, h.snap.Revision(), "a held snapshot changed its revision")
		for i, q := range h.qs {
			if got := m.askEngine(h.snap, q); got.Allowed != h.answers[i] {
				t.Fatalf("the snapshot of revision %d changed its answer: %s: now %v", h.rev, m.describe(q), got.Allowed)
			}
		}
	}
}
