package oracle_test

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
	"github.com/pdp-authz/pdp/password"
)

// TestMain gives rapid its defaults for this package: fewer checks than
// rapid's own, so that the default run stays around a minute under -race,
// and a long shrink time, so that counterexamples come out minimal. Flags
// given on the command line win.
func TestMain(m *testing.M) {
	stats := flag.Bool("oracle.stats", false, "print how often each statement succeeded or failed, by error kind")
	flag.Parse()
	given := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
	defaults := map[string]string{"rapid.checks": "150", "rapid.steps": "60", "rapid.shrinktime": "3m"}
	for name, v := range defaults {
		if !given[name] {
			if err := flag.Set(name, v); err != nil {
				panic(err)
			}
		}
	}
	code := m.Run()
	if *stats {
		printStats()
	}
	os.Exit(code)
}

// outcomes counts statement outcomes, for -oracle.stats.
var outcomes sync.Map // "STATEMENT -> outcome" -> *atomic.Int64

func count(stmt string, err error) {
	f := strings.Fields(stmt)
	verb := f[0]
	switch {
	case verb == "DENY":
	case verb == "REVOKE" && strings.Contains(stmt, "DENY "):
		verb = "REVOKE DENY"
	case (verb == "GRANT" || verb == "REVOKE") && strings.Contains(stmt, " ON "):
		verb += " privilege"
	case verb == "GRANT" || verb == "REVOKE":
		verb += " role"
	case len(f) > 1 && verb != "USE":
		verb += " " + f[1]
	}
	key := verb + " -> ok"
	if err != nil {
		key = verb + " -> " + kind(err).Error()
	}
	v, _ := outcomes.LoadOrStore(key, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func printStats() {
	var lines []string
	outcomes.Range(func(k, v any) bool {
		lines = append(lines, fmt.Sprintf("%8d  %s", v.(*atomic.Int64).Load(), k))
		return true
	})
	slices.Sort(lines)
	slices.SortStableFunc(lines, func(a, b string) int { return strings.Compare(a[10:], b[10:]) })
	fmt.Println(strings.Join(lines, "\n"))
}

// The name pools are small so that collisions, re-creations and cascades
// happen often.
var (
	accountNames = []string{"a1", "a2"}
	userNames    = []string{"u1", "u2", "u3", "u4"}
	roleNames    = []string{"r1", "r2", "r3", "r4", "r5"}
	dbNames      = []string{"d1", "d2", "d3"}
	tableNames   = []string{"t1", "t2", "t3"}
	specialRoles = []string{model.Public, model.AccountAdmin, model.MoAdmin}
	passwords    = []string{"pw1", "pw2"}
)

const (
	rootPassword = "111"
	threshold    = 3
	lockFor      = 10 * time.Minute
)

// pair is one connection, as seen by the engine and by the oracle.
type pair struct {
	n     int
	login string
	e     *engine.Session
	o     *oracle.Session
}

func (p *pair) String() string {
	sec := ""
	if p.o.Secondary {
		sec = ", secondary all"
	}
	return fmt.Sprintf("s%d(%s as %s%s)", p.n, p.login, p.e.Role(), sec)
}

// machine drives the engine and the oracle side by side.
type machine struct {
	eng      *engine.Engine
	orc      *oracle.Model
	now      time.Time
	pool     []*pair          // pool[0] is root acting as moadmin
	obs      map[string]*pair // per account: its admin user acting through the admin role
	sessions int
	ids      map[oracle.ID]uint32 // oracle ID -> engine ID
	kinds    map[oracle.ID]model.Kind
	homes    map[oracle.ID]oracle.ID // the account of every object ever seen
	labels   map[oracle.ID]string    // the name of every object ever seen
	held     []heldSnapshot
	lastDump []string        // the engine's SHOW output at the last Check
	cur      *pair           // the connection of the current action
	acc      oracle.ID       // the account the name generators draw from
	after    func()          // if set, called after every statement and login
	delays   []time.Duration // what the engine slept, answering failed logins
	rng      *rand.Rand
}

func newMachine(t *rapid.T) *machine {
	m := &machine{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), obs: map[string]*pair{},
		ids: map[oracle.ID]uint32{}, kinds: map[oracle.ID]model.Kind{}, homes: map[oracle.ID]oracle.ID{}, labels: map[oracle.ID]string{}}
	clock := func() time.Time { return m.now }
	sleep := func(d time.Duration) { m.delays = append(m.delays, d) }
	// Half the runs use per-account limits small enough to be reached
	// (admin user, admin role and public count), checked by both sides.
	var limits engine.Limits
	if rapid.Bool().Draw(t, "small limits") {
		limits = engine.Limits{UsersPerAccount: 4, RolesPerAccount: 6, DatabasesPerAccount: 2, TablesPerAccount: 3,
			GroupsPerAccount: 1, PatternsPerAccount: 2}
	}
	eng, err := engine.New(engine.WithRootPassword(rootPassword), engine.WithHasher(password.Testing()),
		engine.WithClock(clock), engine.WithLockout(threshold, lockFor), engine.WithSleep(sleep), engine.WithLimits(limits))
	require.NoError(t, err)
	m.eng, m.orc = eng, oracle.New(rootPassword, threshold, lockFor, clock)
	m.orc.State.Limits = limits
	root := m.login(t, model.SysAccount, model.RootUser, rootPassword, model.MoAdmin)
	require.NotNil(t, root)
	m.pool = []*pair{root}
	m.obs[model.SysAccount] = m.login(t, model.SysAccount, model.RootUser, rootPassword, model.MoAdmin)
	m.sync(t)
	return m
}

// login logs in on both sides and compares the outcome; it returns the
// connection, or nil if the login failed.
func (m *machine) login(t *rapid.T, account, user, pw, role string) *pair {
	login := account + ":" + user
	if role != "" {
		login += ":" + role
	}
	delayed := len(m.delays)
	es, errE := m.eng.Connect(login, pw)
	osess, errO := m.orc.Connect(login, pw)
	outcome := "ok"
	if errE != nil {
		outcome = errE.Error()
	}
	t.Logf("CONNECT %s IDENTIFIED BY '%s' -> %s", login, pw, outcome)
	count("CONNECT", errE)
	if !sameKind(errE, errO) {
		t.Fatalf("CONNECT %s: engine: %v; oracle: %v", login, errE, errO)
	}
	if len(m.delays) > delayed {
		count("CONNECT delayed", errE)
	}
	if len(m.delays) != m.orc.Delays {
		t.Fatalf("CONNECT %s: the engine delayed %d failed logins, the oracle %d", login, len(m.delays), m.orc.Delays)
	}
	for _, d := range m.delays {
		if d != time.Second {
			t.Fatalf("a failed login of root was delayed %v, not one second", d)
		}
	}
	if m.after != nil {
		m.after()
	}
	if errE != nil {
		return nil
	}
	m.sessions++
	return &pair{n: m.sessions, login: login, e: es, o: osess}
}

var sentinels = []error{
	model.ErrDenied, model.ErrNotFound, model.ErrExists, model.ErrCycle, model.ErrInvalidName,
	model.ErrPredefined, model.ErrNotGranted, model.ErrSuspended, model.ErrRestricted, model.ErrLocked,
	model.ErrCannotLock, model.ErrAuth, model.ErrPassword, model.ErrInvalidOption, model.ErrInvalidPrivilege, model.ErrNoDatabase,
	model.ErrSessionClosed, model.ErrNotConnected, model.ErrLimit, model.ErrSyntax, model.ErrInUse,
}

// kind returns the sentinel err wraps, nil for nil.
func kind(err error) error {
	if err == nil {
		return nil
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s
		}
	}
	return fmt.Errorf("no sentinel: %w", err)
}

func sameKind(a, b error) bool {
	ka, kb := kind(a), kind(b)
	return ka == kb || ka != nil && kb != nil && ka.Error() == kb.Error()
}

// do runs one statement on both sides and compares the outcomes. A
// statement that fails on the engine must leave it exactly as it was.
func (m *machine) do(t *rapid.T, who *pair, stmt string, e func(*engine.Session) error, o func(*oracle.Session) error) {
	t.Helper()
	before, rev := m.lastDump, m.eng.Snapshot().Revision()
	whatIf := m.whatIfCheck(t, who, stmt, e)
	errE := e(who.e)
	errO := o(who.o)
	outcome := "ok"
	if errE != nil {
		outcome = errE.Error()
	}
	t.Logf("%s: %s -> %s", who, stmt, outcome)
	count(stmt, errE)
	if !sameKind(errE, errO) {
		t.Fatalf("%s: %s\n  engine: %v\n  oracle: %v", who, stmt, orOK(errE), orOK(errO))
	}
	if m.after != nil {
		m.after()
	}
	if whatIf != nil {
		whatIf(errE)
	}
	if errE != nil {
		if after := m.eng.Snapshot().Revision(); after != rev {
			t.Fatalf("a failed statement committed: revision %d -> %d", rev, after)
		}
		if after := m.engineDump(t); !slices.Equal(before, after) {
			t.Fatalf("a failed statement changed the catalog (- before, + after):\n%s", diff(before, after))
		}
	}
	m.sync(t)
}

func orOK(err error) string {
	if err == nil {
		return "ok"
	}
	return fmt.Sprintf("%q (%v)", err.Error(), kind(err))
}

// sync maps every object of the oracle to its engine ID, by name, the
// first time it is seen.
func (m *machine) sync(t *rapid.T) {
	snap := m.eng.Snapshot()
	s := m.orc.State
	missing := func(what, name string) { t.Fatalf("the oracle has %s %s, the engine does not", what, name) }
	for id, a := range s.Accounts {
		if _, ok := m.ids[id]; !ok {
			eid, ok := snap.Account(a.Name)
			if !ok {
				missing("account", a.Name)
			}
			m.ids[id], m.kinds[id] = uint32(eid), model.KindAccount
			m.labels[id] = "ACCOUNT " + a.Name
			m.homes[id] = id
		}
	}
	acc := func(id oracle.ID) model.AccountID { return model.AccountID(m.ids[id]) }
	for id, u := range s.Users {
		if _, ok := m.ids[id]; !ok {
			eid, ok := snap.User(acc(u.Account), u.Name)
			if !ok {
				missing("user", u.Name)
			}
			m.ids[id], m.kinds[id] = uint32(eid), model.KindUser
			m.labels[id] = "USER " + s.Accounts[u.Account].Name + ":" + u.Name
			m.homes[id] = u.Account
		}
	}
	for id, r := range s.Roles {
		if _, ok := m.ids[id]; !ok {
			eid, ok := snap.Role(acc(r.Account), r.Name)
			if !ok {
				missing("role", r.Name)
			}
			m.ids[id], m.kinds[id] = uint32(eid), model.KindRole
			m.labels[id] = "ROLE " + s.Accounts[r.Account].Name + ":" + r.Name
			m.homes[id] = r.Account
		}
	}
	for id, d := range s.DBs {
		if _, ok := m.ids[id]; !ok {
			eid, ok := snap.Database(acc(d.Account), d.Name)
			if !ok {
				missing("database", d.Name)
			}
			m.ids[id], m.kinds[id] = uint32(eid), model.KindDatabase
			m.labels[id] = "DATABASE " + s.Accounts[d.Account].Name + ":" + d.Name
			m.homes[id] = d.Account
		}
	}
	for id, tb := range s.Tables {
		if _, ok := m.ids[id]; !ok {
			eid, ok := snap.Table(model.DatabaseID(m.ids[tb.DB]), tb.Name)
			if !ok {
				missing("table", tb.Name)
			}
			m.ids[id], m.kinds[id] = uint32(eid), model.KindTable
			m.labels[id] = "TABLE " + s.Accounts[tb.Account].Name + ":" + s.DBs[tb.DB].Name + "." + tb.Name
			m.homes[id] = tb.Account
		}
	}
	m.syncColumns(t)
}

// Generators. Each draws mostly from a small pool and now and then
// something special; the special case is the larger number, so that
// shrinking moves towards the ordinary.

func pick(t *rapid.T, label string, common []string, rare ...string) string {
	if len(rare) > 0 && rapid.IntRange(0, 9).Draw(t, label+" rare") == 9 {
		return rapid.SampledFrom(rare).Draw(t, label)
	}
	return rapid.SampledFrom(common).Draw(t, label)
}

// some draws one name three times in four, else up to max.
func some(t *rapid.T, label string, max int, gen func(*rapid.T, string) string) []string {
	n := 1
	if rapid.IntRange(0, 3).Draw(t, label+" several") == 3 {
		n = rapid.IntRange(2, max).Draw(t, label+" count")
	}
	out := make([]string, n)
	for i := range out {
		out[i] = gen(t, label)
	}
	return out
}

// The name generators draw, seven times in eight, a live name of the
// current connection's account (so that statements find what they name),
// else a name of the pool, now and then a special one.

// live draws one of names, or reports false (one time in eight). A drawn
// name is written in another case now and then, since names fold.
func live(t *rapid.T, label string, names []string) (string, bool) {
	if len(names) == 0 || rapid.IntRange(0, 7).Draw(t, label+" from the pool") == 7 {
		return "", false
	}
	return varyCase(t, label, rapid.SampledFrom(names).Draw(t, label)), true
}

// varyCase returns name as drawn three times in four, else upper-cased
// whole or in its first letter: the engine must fold before it decides.
func varyCase(t *rapid.T, label, name string) string {
	switch rapid.IntRange(0, 7).Draw(t, label+" case") {
	case 6:
		return strings.ToUpper(name)
	case 7:
		return strings.ToUpper(name[:1]) + name[1:]
	}
	return name
}

func (m *machine) roleName(t *rapid.T, label string) string {
	names := slices.DeleteFunc(m.orc.State.Names(m.acc, model.KindRole), func(n string) bool {
		return slices.Contains(specialRoles, n)
	})
	if n, ok := live(t, label, names); ok {
		return n
	}
	return newRoleName(t, label)
}

func newRoleName(t *rapid.T, label string) string {
	return pick(t, label, roleNames, model.Public, model.AccountAdmin, model.MoAdmin, "u1", "R1", "r*",
		"r\u00e9", "re\u0301", "RE\u0301") // one name, composed and decomposed
}

func (m *machine) userName(t *rapid.T, label string) string {
	names := slices.DeleteFunc(m.orc.State.Names(m.acc, model.KindUser), func(n string) bool {
		return n == "adm" || n == model.RootUser
	})
	if n, ok := live(t, label, names); ok {
		return n
	}
	return newUserName(t, label)
}

func newUserName(t *rapid.T, label string) string {
	return pick(t, label, userNames, "adm", "root", "r1", "U2", " u3 ", "u:")
}

func (m *machine) granteeName(t *rapid.T, label string) string {
	if rapid.Bool().Draw(t, label+" is a user") {
		return m.userName(t, label)
	}
	return m.roleName(t, label)
}

func (m *machine) dbName(t *rapid.T) string {
	var names []string
	for _, d := range m.orc.State.DBs {
		if d.Account == m.acc {
			names = append(names, d.Name)
		}
	}
	slices.Sort(names)
	if n, ok := live(t, "db", names); ok {
		return n
	}
	return varyCase(t, "db", rapid.SampledFrom(dbNames).Draw(t, "db"))
}

func (m *machine) tableName(t *rapid.T, db string) string {
	var names []string
	s := m.orc.State
	for _, tb := range s.Tables {
		if tb.Account == m.acc && s.DBs[tb.DB].Name == strings.ToLower(db) {
			names = append(names, tb.Name)
		}
	}
	slices.Sort(names)
	if n, ok := live(t, "table", names); ok {
		return n
	}
	return varyCase(t, "table", rapid.SampledFrom(tableNames).Draw(t, "table"))
}

// in makes account the current account of the name generators.
func (m *machine) in(account string) {
	m.acc = 0
	if a := m.orc.State.AccountByName(account); a != nil {
		m.acc = a.ID
	}
}

func accountName(t *rapid.T) string {
	return pick(t, "account", accountNames, model.SysAccount)
}

func flag1(t *rapid.T, label string) bool {
	return rapid.IntRange(0, 3).Draw(t, label) == 3
}

// level draws a grant level in every written form of reference §4.
func (m *machine) level(t *rapid.T) engine.Target {
	d := m.dbName(t)
	tb := m.tableName(t, d)
	return rapid.SampledFrom([]engine.Target{
		{Kind: model.KindTable, Database: d, Name: tb},
		{Kind: model.KindTable, Name: tb},
		{Kind: model.KindTable, Database: d, AnyTable: true},
		{Kind: model.KindTable, AnyTable: true},
		{Kind: model.KindTable, AnyDatabase: true, AnyTable: true},
		{Kind: model.KindDatabase, Database: d},
		{Kind: model.KindDatabase, AnyDatabase: true},
		{Kind: model.KindAccount},
	}).Draw(t, "level")
}

var privNames = map[model.Kind][]string{
	model.KindAccount:  {"create user", "drop user", "alter user", "create role", "drop role", "create database", "drop database", "show databases", "connect", "manage grants", "all"},
	model.KindDatabase: {"show tables", "create table", "drop table", "alter table", "create view", "drop view", "alter view", "all"},
	model.KindTable:    {"select", "insert", "update", "delete", "truncate", "reference", "index", "all"},
}

// privilege draws a privilege name, mostly one of the level's.
func privilege(t *rapid.T, k model.Kind) string {
	return pick(t, "privilege", privNames[k], "select", "create table", "manage grants", "ALL PRIVILEGES", "create account", "ownership", "bogus")
}

func targetText(on engine.Target) string {
	star := func(name string, pattern bool) string { return name + ifText(pattern, "*") }
	switch on.Kind {
	case model.KindAccount:
		return "ACCOUNT *"
	case model.KindDatabase:
		if on.AnyDatabase {
			return "DATABASE *"
		}
		return "DATABASE " + star(on.Database, on.DatabasePattern)
	case model.KindRole:
		return "ROLE " + on.Name
	case model.KindUser:
		return "USER " + on.Name
	}
	db, tb := star(on.Database, on.DatabasePattern), star(on.Name, on.TablePattern)
	if on.AnyDatabase {
		db = "*"
	}
	if on.AnyTable {
		tb = "*"
	}
	if db == "" {
		return "TABLE " + tb
	}
	return "TABLE " + db + "." + tb
}

func ifText(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

func join(names []string) string { return strings.Join(names, ", ") }

// actor draws the connection that runs a statement; shrinking prefers
// root. Its account becomes the current one of the name generators.
func (m *machine) actor(t *rapid.T) *pair {
	m.cur = m.pool[rapid.IntRange(0, len(m.pool)-1).Draw(t, "session")]
	m.acc = m.cur.o.Account
	return m.cur
}

// addSession puts a new connection in the pool, replacing an old one
// (never root) when the pool is full.
func (m *machine) addSession(t *rapid.T, p *pair) {
	if len(m.pool) < 6 {
		m.pool = append(m.pool, p)
		return
	}
	m.pool[rapid.IntRange(1, len(m.pool)-1).Draw(t, "replace")] = p
}

// password returns the oracle's password of a user, or a guess.
func (m *machine) password(account, user string) string {
	s := m.orc.State
	for _, a := range s.Accounts {
		if a.Name == account {
			for _, u := range s.Users {
				if u.Account == a.ID && u.Name == strings.ToLower(user) {
					return u.Password
				}
			}
		}
	}
	return "pw1"
}
