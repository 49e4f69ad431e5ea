package oracle_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
)

// The actions and checks of reference §18: columns, column grants and denials.

// columnNames is the pool of column names.
var columnNames = []string{"c1", "c2", "c3"}

// columnName draws a column of the named table, or one of the pool.
func (m *machine) columnName(t *rapid.T, db, table string) string {
	s := m.orc.State
	var names []string
	if d := s.DatabaseByName(m.acc, strings.ToLower(db)); d != nil {
		if tb := s.TableByName(d.ID, strings.ToLower(table)); tb != nil {
			for _, c := range tb.Columns {
				names = append(names, c.Name)
			}
		}
	}
	if n, ok := live(t, "column", names); ok {
		return n
	}
	return pick(t, "column", columnNames, "C1", "a.b", "c*")
}

// columnDefs draws the column list of a CREATE TABLE: mostly none.
func columnDefs(t *rapid.T) []engine.ColumnDef {
	if rapid.IntRange(0, 2).Draw(t, "with columns") == 0 {
		return nil
	}
	var out []engine.ColumnDef
	for _, n := range some(t, "column", 3, func(t *rapid.T, label string) string {
		return pick(t, label, columnNames, "C1", "a.b")
	}) {
		out = append(out, engine.ColumnDef{Name: n, Type: "int"})
	}
	return out
}

// AlterTable adds or drops a column.
func (m *machine) AlterTable(t *rapid.T) {
	who := m.actor(t)
	db, name, text := m.tableArgs(t)
	if db == "" {
		db = who.o.DBName
	}
	st := engine.AlterTable{Database: db, Name: name, Action: engine.TableAddColumn,
		Column: engine.ColumnDef{Name: m.columnName(t, db, name), Type: "text"}}
	verb := "ADD COLUMN " + st.Column.Name + " text"
	if rapid.Bool().Draw(t, "drop") {
		st.Action, verb = engine.TableDropColumn, "DROP COLUMN "+st.Column.Name
	}
	if !strings.Contains(text, ".") {
		st.Database = ""
	}
	m.do(t, who, "ALTER TABLE "+text+" "+verb,
		func(s *engine.Session) error { return s.AlterTable(st) },
		func(s *oracle.Session) error { return s.AlterTable(st) })
}

// columnLists draws column lists for a privilege list on level on: now and
// then, on a table level, some of its privileges name columns.
func (m *machine) columnLists(t *rapid.T, privs []string, on engine.Target) [][]string {
	if on.Kind != model.KindTable || on.AnyTable == (rapid.IntRange(0, 3).Draw(t, "columns") > 0) {
		return nil // mostly on one table, now and then on a wildcard
	}
	db := on.Database
	if db == "" {
		db = m.cur.o.DBName
	}
	out := make([][]string, len(privs))
	for i := range privs {
		if rapid.Bool().Draw(t, "on columns") {
			out[i] = some(t, "column", 2, func(t *rapid.T, _ string) string { return m.columnName(t, db, on.Name) })
		}
	}
	return out
}

// privText writes privileges with their column lists.
func privText(privs []string, cols [][]string) string {
	out := make([]string, len(privs))
	for i, p := range privs {
		out[i] = p
		if i < len(cols) && len(cols[i]) > 0 {
			out[i] += " (" + join(cols[i]) + ")"
		}
	}
	return join(out)
}

// denyPrivilege draws a privilege to deny, mostly one of the level's.
func denyPrivilege(t *rapid.T, k model.Kind) string {
	return pick(t, "privilege", privNames[k], "select", "connect", "all", "ownership")
}

// Deny places or lifts denials, often on public, at any level (patterns
// included) or on a table's columns.
func (m *machine) Deny(t *rapid.T) {
	who := m.actor(t)
	m.needRoles(t)
	on := m.anyLevel(t)
	if rapid.Bool().Draw(t, "on a table") {
		db := m.dbName(t)
		on = engine.Target{Kind: model.KindTable, Database: db, Name: m.tableName(t, db)}
	}
	var privs []string
	for range rapid.IntRange(1, 2).Draw(t, "privileges") {
		privs = append(privs, denyPrivilege(t, on.Kind))
	}
	cols := m.columnLists(t, privs, on)
	roles := some(t, "grantee", 2, func(t *rapid.T, label string) string {
		if rapid.IntRange(0, 3).Draw(t, label+" public") == 0 {
			return model.Public
		}
		return m.roleName(t, label)
	})
	if rapid.IntRange(0, 2).Draw(t, "lift") == 0 {
		st := engine.RevokeDeny{IfExists: flag1(t, "if exists"), Privileges: privs, Columns: cols, On: on, From: roles}
		m.do(t, who, fmt.Sprintf("REVOKE %sDENY %s ON %s FROM %s", ifText(st.IfExists, "IF EXISTS "), privText(privs, cols), targetText(on), join(roles)),
			func(s *engine.Session) error { return s.RevokeDeny(st) },
			func(s *oracle.Session) error { return s.RevokeDeny(st) })
		return
	}
	st := engine.Deny{Privileges: privs, Columns: cols, On: on, To: roles}
	m.do(t, who, fmt.Sprintf("DENY %s ON %s TO %s", privText(privs, cols), targetText(on), join(roles)),
		func(s *engine.Session) error { return s.Deny(st) },
		func(s *oracle.Session) error { return s.Deny(st) })
}

// ShowColumns runs SHOW COLUMNS; rows and errors must agree.
func (m *machine) ShowColumns(t *rapid.T) {
	who := m.actor(t)
	db, name, text := m.tableArgs(t)
	st := engine.ShowColumns{Database: db, Name: name}
	rowsE, errE := who.e.ShowColumns(st)
	rowsO, errO := who.o.ShowColumns(st)
	t.Logf("%s: SHOW COLUMNS FROM %s -> %d rows, %s", who, text, len(rowsE), orOK(errE))
	if !sameKind(errE, errO) {
		t.Fatalf("%s: SHOW COLUMNS FROM %s\n  engine: %v\n  oracle: %v", who, text, orOK(errE), orOK(errO))
	}
	if errE == nil && !slices.Equal(rowsE, rowsO) {
		t.Fatalf("%s: SHOW COLUMNS FROM %s\n  engine: %q\n  oracle: %q", who, text, rowsE, rowsO)
	}
}

// syncColumns maps the oracle's columns to the engine's, by name.
func (m *machine) syncColumns(t *rapid.T) {
	snap := m.eng.Snapshot()
	s := m.orc.State
	for id, tb := range s.Tables {
		for _, c := range tb.Columns {
			if _, ok := m.ids[c.ID]; ok {
				continue
			}
			eid, ok := snap.Column(model.TableID(m.ids[id]), c.Name)
			if !ok {
				t.Fatalf("the oracle has column %s.%s, the engine does not", tb.Name, c.Name)
			}
			m.ids[c.ID], m.kinds[c.ID] = uint32(eid), model.KindColumn
			m.labels[c.ID] = "COLUMN " + s.Accounts[tb.Account].Name + ":" + s.DBs[tb.DB].Name + "." + tb.Name + "." + c.Name
			m.homes[c.ID] = tb.Account
		}
	}
}

// columnQuestions are the decisions asked of every connection on columns.
var columnQuestions = func() []question {
	var qs []question
	for _, d := range dbNames[:2] {
		for _, tb := range tableNames[:2] {
			for _, c := range columnNames {
				on := engine.Target{Kind: model.KindColumn, Database: d, Name: tb, Column: c}
				for _, p := range []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivUpdate,
					model.PrivReference, model.PrivDelete, model.PrivAll} {
					qs = append(qs, question{p, on})
				}
			}
		}
	}
	qs = append(qs, question{model.PrivSelect, engine.Target{Kind: model.KindColumn, Name: tableNames[0], Column: "C1"}})
	return qs
}()

// checkDenialsWin checks, for random decisions the engine allows, that no
// role of S holds a denial that covers them, unless S holds the admin
// role, and that no grant or denial row names a column that is gone.
func (m *machine) checkDenialsWin(t *rapid.T, dump []string) {
	s := m.orc.State
	snap := m.eng.Snapshot()
	for _, q := range m.idQuestions(40) {
		if !m.askEngine(snap, q).Allowed {
			continue
		}
		if s.DeniedFor(q.user, q.role, q.sec, q.p, q.on) {
			t.Fatalf("%s: allowed, though a denial of S covers it", m.describe(q))
		}
	}
	for _, line := range dump {
		head, row, _ := strings.Cut(line, ": ")
		acc := s.AccountByName(strings.Fields(head)[0])
		open, close := strings.Index(row, " ("), strings.Index(row, ") ON TABLE ")
		if open < 0 || close < 0 {
			continue
		}
		col := unquote(row[open+2 : close])
		level := strings.Fields(row[close+len(") ON TABLE "):])[0]
		dbName, table, _ := strings.Cut(level, ".")
		found := false
		for _, tb := range s.Tables {
			if acc != nil && tb.Account == acc.ID && tb.Name == unquote(table) && s.DBs[tb.DB].Name == unquote(dbName) &&
				slices.ContainsFunc(tb.Columns, func(c oracle.Column) bool { return c.Name == col }) {
				found = true
			}
		}
		if !found {
			t.Fatalf("a row names column %s of %s, which does not exist: %s", col, level, row)
		}
	}
}

// columnMachine is the state machine narrowed to one account with tables
// that have columns, a few roles and users, and the statements of reference
// §18 (with role grants, which move denials in and out of S), so that
// denials and column grants meet often; after every step every decision
// on every table and column, for every user through every role it holds,
// is compared with the oracle.
type columnMachine struct{ *machine }

func newColumnMachine(t *rapid.T) *columnMachine {
	m := &columnMachine{newMachine(t)}
	root := m.pool[0]
	setup := func(stmt string, e func(*engine.Session) error, o func(*oracle.Session) error) {
		m.do(t, root, stmt, e, o)
	}
	cols := []engine.ColumnDef{{Name: "c1", Type: "int"}, {Name: "c2", Type: "int"}, {Name: "c3", Type: "int"}}
	setup("CREATE DATABASE d1", func(s *engine.Session) error { return s.CreateDatabase(engine.CreateDatabase{Name: "d1"}) },
		func(s *oracle.Session) error { return s.CreateDatabase(engine.CreateDatabase{Name: "d1"}) })
	for _, tb := range tableNames[:2] {
		st := engine.CreateTable{Database: "d1", Name: tb, Columns: cols}
		setup("CREATE TABLE d1."+tb, func(s *engine.Session) error { return s.CreateTable(st) },
			func(s *oracle.Session) error { return s.CreateTable(st) })
	}
	roles := engine.CreateRole{Names: roleNames[:3]}
	setup("CREATE ROLE", func(s *engine.Session) error { return s.CreateRole(roles) },
		func(s *oracle.Session) error { return s.CreateRole(roles) })
	for i, u := range userNames[:2] {
		st := engine.CreateUser{Users: []engine.UserCredential{{Name: u, Password: "pw1"}}, DefaultRole: roleNames[i]}
		setup("CREATE USER "+u, func(s *engine.Session) error { return s.CreateUser(st) },
			func(s *oracle.Session) error { return s.CreateUser(st) })
		if p := m.login(t, model.SysAccount, u, "pw1", ""); p != nil {
			m.addSession(t, p)
		}
	}
	// The users may grant and deny: MANAGE GRANTS for one, a table's
	// ownership for the other.
	mg := engine.GrantPrivilege{Privileges: []string{"manage grants"}, On: engine.Target{Kind: model.KindAccount}, To: []string{roleNames[0]}}
	setup("GRANT MANAGE GRANTS", func(s *engine.Session) error { return s.GrantPrivilege(mg) },
		func(s *oracle.Session) error { return s.GrantPrivilege(mg) })
	own := engine.GrantOwnership{On: engine.Target{Kind: model.KindTable, Database: "d1", Name: tableNames[1]}, To: roleNames[1]}
	setup("GRANT OWNERSHIP", func(s *engine.Session) error { return s.GrantOwnership(own) },
		func(s *oracle.Session) error { return s.GrantOwnership(own) })
	return m
}

// Check compares the SHOW output, the decisions on every table and column
// for every user through every role it holds (half the privileges, drawn
// anew each step) and WhoCan after every step (the general machine asks
// the other questions).
func (m *columnMachine) Check(t *rapid.T) {
	m.rng = rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "sample seed"), 1))
	got, want := m.engineDump(t), m.oracleDump()
	m.lastDump = got
	if !slices.Equal(got, want) {
		t.Fatalf("SHOW output differs from the oracle's (- oracle only, + engine only):\n%s", diff(want, got))
	}
	m.checkInvariants(t, got)
	m.checkDenialsWin(t, got)
	m.checkWhoCan(t)
	s := m.orc.State
	snap := m.eng.Snapshot()
	privs := []model.Privilege{model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivReference,
		model.PrivDelete, model.PrivTableAll, model.PrivDropTable, model.PrivAlterTable}
	m.rng.Shuffle(len(privs), func(i, j int) { privs[i], privs[j] = privs[j], privs[i] })
	privs = privs[:4] // half of them per step, a different half each time
	for _, ur := range s.UserRoles {
		for _, sec := range []bool{false, true} {
			for id, tb := range s.Tables {
				objs := []oracle.Object{{Kind: model.KindTable, ID: id}}
				for _, c := range tb.Columns {
					objs = append(objs, oracle.Object{Kind: model.KindColumn, ID: c.ID})
				}
				for _, o := range objs {
					for _, p := range privs {
						q := idQuestion{user: ur.User, role: ur.Role, sec: sec, p: p, on: o}
						got, want := m.askEngine(snap, q), s.Check(q.user, q.role, q.sec, q.p, q.on)
						if got.Allowed != want {
							t.Fatalf("%s: engine %v (%v), oracle %v", m.describe(q), got.Allowed, got.Reason, want)
						}
						if got.Allowed && s.DeniedFor(q.user, q.role, q.sec, q.p, q.on) {
							t.Fatalf("%s: allowed, though a denial of S covers it", m.describe(q))
						}
					}
				}
			}
		}
	}
}

// TestColumnsAndDenialsMatchTheOracle runs the narrowed state machine:
// grants and denials on tables and columns, role grants and revokes,
// ALTER TABLE, as root and as the users.
func TestColumnsAndDenialsMatchTheOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newColumnMachine(t)
		t.Repeat(map[string]func(*rapid.T){
			"":                m.Check,
			"Deny":            m.Deny,
			"AlterTable":      m.AlterTable,
			"GrantPrivilege":  m.GrantPrivilege,
			"RevokePrivilege": m.RevokePrivilege,
			"GrantPattern":    m.GrantPatternPrivilege,
			"RevokePattern":   m.RevokePatternPrivilege,
			"GrantRoleToRole": m.GrantRoleToRole,
			"GrantRoleToUser": m.GrantRoleToUser,
			"RevokeRole":      m.RevokeRole,
			"ShowColumns":     m.ShowColumns,
			"Show":            m.Show,
			"SetSecondary":    m.setSecondaryRoles,
		})
	})
}
