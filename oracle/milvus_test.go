package oracle_test

import (
	"fmt"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
)

// The actions and invariants of reference §15–§17: privilege groups, name
// patterns and aliases.

var (
	groupNames = []string{"g1", "g2"}
	aliasNames = []string{"al1", "al2"}
	// Pattern prefixes: some match the pools' names, some do not.
	dbPrefixes    = []string{"d", "d1", "d2", "x"}
	tablePrefixes = []string{"t", "t1", "t3", "al"}
)

func (m *machine) groupName(t *rapid.T) string {
	var names []string
	for _, g := range m.orc.State.Groups {
		if g.Account == m.acc {
			names = append(names, g.Name)
		}
	}
	slices.Sort(names)
	if n, ok := live(t, "group", names); ok {
		return n
	}
	return pick(t, "group", groupNames, model.ReadOnly, model.ReadWrite, "G1", "g:1")
}

// aliasName draws a live alias of database db, or one of the pool, now and
// then a table's name.
func (m *machine) aliasName(t *rapid.T, db string) string {
	var names []string
	s := m.orc.State
	for _, a := range s.Aliases {
		if a.Account == m.acc && s.DBs[a.DB].Name == strings.ToLower(db) {
			names = append(names, a.Name)
		}
	}
	slices.Sort(names)
	if n, ok := live(t, "alias", names); ok {
		return n
	}
	return pick(t, "alias", aliasNames, tableNames...)
}

// patternLevel draws a name pattern level in each written form of reference §16.
func (m *machine) patternLevel(t *rapid.T) engine.Target {
	d := m.dbName(t)
	dp := varyCase(t, "db prefix", rapid.SampledFrom(dbPrefixes).Draw(t, "db prefix"))
	tp := varyCase(t, "table prefix", rapid.SampledFrom(tablePrefixes).Draw(t, "table prefix"))
	return rapid.SampledFrom([]engine.Target{
		{Kind: model.KindDatabase, Database: dp, DatabasePattern: true},
		{Kind: model.KindTable, Database: dp, DatabasePattern: true, AnyTable: true},
		{Kind: model.KindTable, Database: d, Name: tp, TablePattern: true},
		{Kind: model.KindTable, Name: tp, TablePattern: true},
	}).Draw(t, "pattern")
}

// anyLevel draws a level of reference §4 or, one time in three, a pattern.
func (m *machine) anyLevel(t *rapid.T) engine.Target {
	if rapid.IntRange(0, 2).Draw(t, "pattern level") == 0 {
		return m.patternLevel(t)
	}
	return m.level(t)
}

// GrantPatternPrivilege grants privileges at a name pattern.
func (m *machine) GrantPatternPrivilege(t *rapid.T) {
	who := m.actor(t)
	m.needRoles(t)
	on := m.patternLevel(t)
	st := engine.GrantPrivilege{On: on, To: some(t, "grantee", 2, m.roleName), Privileges: []string{privilege(t, on.Kind)}}
	if flag1(t, "with grant option") {
		st.Option = engine.GrantWithOption
	}
	m.do(t, who, fmt.Sprintf("GRANT %s ON %s TO %s%s", join(st.Privileges), targetText(on), join(st.To), ifText(st.Option == engine.GrantWithOption, " WITH GRANT OPTION")),
		func(s *engine.Session) error { return s.GrantPrivilege(st) },
		func(s *oracle.Session) error { return s.GrantPrivilege(st) })
}

// RevokePatternPrivilege revokes privileges at a name pattern.
func (m *machine) RevokePatternPrivilege(t *rapid.T) {
	who := m.actor(t)
	on := m.patternLevel(t)
	st := engine.RevokePrivilege{IfExists: flag1(t, "if exists"), GrantOptionOnly: flag1(t, "grant option for"),
		On: on, From: some(t, "grantee", 2, m.roleName), Privileges: []string{privilege(t, on.Kind)}}
	m.do(t, who, fmt.Sprintf("REVOKE %s%s%s ON %s FROM %s", ifText(st.IfExists, "IF EXISTS "), ifText(st.GrantOptionOnly, "GRANT OPTION FOR "), join(st.Privileges), targetText(on), join(st.From)),
		func(s *engine.Session) error { return s.RevokePrivilege(st) },
		func(s *oracle.Session) error { return s.RevokePrivilege(st) })
}

// PrivilegeGroup creates, alters or drops a privilege group.
func (m *machine) PrivilegeGroup(t *rapid.T) {
	who := m.actor(t)
	name := m.groupName(t)
	switch rapid.IntRange(0, 4).Draw(t, "group statement") {
	case 0:
		st := engine.CreatePrivilegeGroup{IfNotExists: flag1(t, "if not exists"), Name: name}
		m.do(t, who, "CREATE PRIVILEGE GROUP "+ifText(st.IfNotExists, "IF NOT EXISTS ")+name,
			func(s *engine.Session) error { return s.CreatePrivilegeGroup(st) },
			func(s *oracle.Session) error { return s.CreatePrivilegeGroup(st) })
	case 1, 2, 3:
		st := engine.AlterPrivilegeGroup{Name: name, Action: engine.GroupAdd}
		if rapid.IntRange(0, 2).Draw(t, "remove") == 0 {
			st.Action = engine.GroupRemove
		}
		for range rapid.IntRange(1, 3).Draw(t, "privileges") {
			k := rapid.SampledFrom([]model.Kind{model.KindAccount, model.KindDatabase, model.KindTable, model.KindTable}).Draw(t, "level")
			st.Privileges = append(st.Privileges, privilege(t, k))
		}
		verb := map[engine.GroupAction]string{engine.GroupAdd: " ADD ", engine.GroupRemove: " REMOVE "}[st.Action]
		m.do(t, who, "ALTER PRIVILEGE GROUP "+name+verb+join(st.Privileges),
			func(s *engine.Session) error { return s.AlterPrivilegeGroup(st) },
			func(s *oracle.Session) error { return s.AlterPrivilegeGroup(st) })
	case 4:
		st := engine.DropPrivilegeGroup{IfExists: flag1(t, "if exists"), Name: name}
		m.do(t, who, "DROP PRIVILEGE GROUP "+ifText(st.IfExists, "IF EXISTS ")+name,
			func(s *engine.Session) error { return s.DropPrivilegeGroup(st) },
			func(s *oracle.Session) error { return s.DropPrivilegeGroup(st) })
	}
}

// GrantPrivilegeGroup grants a group at a level or a pattern.
func (m *machine) GrantPrivilegeGroup(t *rapid.T) {
	who := m.actor(t)
	m.needRoles(t)
	on := m.anyLevel(t)
	st := engine.GrantPrivilegeGroup{Group: m.groupName(t), On: on, To: some(t, "grantee", 2, m.roleName)}
	if flag1(t, "with grant option") {
		st.Option = engine.GrantWithOption
	}
	m.do(t, who, fmt.Sprintf("GRANT PRIVILEGE GROUP %s ON %s TO %s%s", st.Group, targetText(on), join(st.To), ifText(st.Option == engine.GrantWithOption, " WITH GRANT OPTION")),
		func(s *engine.Session) error { return s.GrantPrivilegeGroup(st) },
		func(s *oracle.Session) error { return s.GrantPrivilegeGroup(st) })
}

// RevokePrivilegeGroup revokes a group at a level or a pattern.
func (m *machine) RevokePrivilegeGroup(t *rapid.T) {
	who := m.actor(t)
	on := m.anyLevel(t)
	st := engine.RevokePrivilegeGroup{IfExists: flag1(t, "if exists"), GrantOptionOnly: flag1(t, "grant option for"),
		Group: m.groupName(t), On: on, From: some(t, "grantee", 2, m.roleName)}
	m.do(t, who, fmt.Sprintf("REVOKE %s%sPRIVILEGE GROUP %s ON %s FROM %s", ifText(st.IfExists, "IF EXISTS "), ifText(st.GrantOptionOnly, "GRANT OPTION FOR "), st.Group, targetText(on), join(st.From)),
		func(s *engine.Session) error { return s.RevokePrivilegeGroup(st) },
		func(s *oracle.Session) error { return s.RevokePrivilegeGroup(st) })
}

// Alias creates, alters, drops or transfers an alias.
func (m *machine) Alias(t *rapid.T) {
	who := m.actor(t)
	db := ""
	if !flag1(t, "unqualified") {
		db = m.dbName(t)
	}
	cur := db
	if cur == "" {
		cur = who.o.DBName
	}
	name := m.aliasName(t, cur)
	tdb := db
	if flag1(t, "another database") {
		tdb = m.dbName(t)
	}
	table := m.tableName(t, cur)
	if flag1(t, "through an alias") {
		table = m.aliasName(t, cur)
	}
	qual := func(d, n string) string { return ifText(d != "", d+".") + n }
	switch rapid.IntRange(0, 4).Draw(t, "alias statement") {
	case 0, 1:
		st := engine.CreateAlias{IfNotExists: flag1(t, "if not exists"), Database: db, Name: name, TableDatabase: tdb, Table: table}
		m.do(t, who, "CREATE ALIAS "+ifText(st.IfNotExists, "IF NOT EXISTS ")+qual(db, name)+" FOR TABLE "+qual(tdb, table),
			func(s *engine.Session) error { return s.CreateAlias(st) },
			func(s *oracle.Session) error { return s.CreateAlias(st) })
	case 2:
		st := engine.AlterAlias{Database: db, Name: name, TableDatabase: tdb, Table: table}
		m.do(t, who, "ALTER ALIAS "+qual(db, name)+" FOR TABLE "+qual(tdb, table),
			func(s *engine.Session) error { return s.AlterAlias(st) },
			func(s *oracle.Session) error { return s.AlterAlias(st) })
	case 3:
		st := engine.DropAlias{IfExists: flag1(t, "if exists"), Database: db, Name: name}
		m.do(t, who, "DROP ALIAS "+ifText(st.IfExists, "IF EXISTS ")+qual(db, name),
			func(s *engine.Session) error { return s.DropAlias(st) },
			func(s *oracle.Session) error { return s.DropAlias(st) })
	case 4:
		st := engine.GrantOwnership{On: engine.Target{Kind: model.KindAlias, Database: db, Name: name}, To: m.roleName(t, "to")}
		m.do(t, who, "GRANT OWNERSHIP ON ALIAS "+qual(db, name)+" TO "+st.To,
			func(s *engine.Session) error { return s.GrantOwnership(st) },
			func(s *oracle.Session) error { return s.GrantOwnership(st) })
	}
}

// ShowMilvus runs SHOW PRIVILEGE GROUPS or SHOW ALIASES [IN d] from any
// connection; rows and errors must agree.
func (m *machine) ShowMilvus(t *rapid.T) {
	who := m.actor(t)
	var text string
	var e, o func() ([]string, error)
	if rapid.Bool().Draw(t, "groups") {
		text, e, o = "SHOW PRIVILEGE GROUPS", who.e.ShowPrivilegeGroups, who.o.ShowPrivilegeGroups
	} else {
		st := engine.ShowAliases{}
		if flag1(t, "in a database") {
			st.Database = m.dbName(t)
		}
		text = "SHOW ALIASES" + ifText(st.Database != "", " IN "+st.Database)
		e = func() ([]string, error) { return who.e.ShowAliases(st) }
		o = func() ([]string, error) { return who.o.ShowAliases(st) }
	}
	rowsE, errE := e()
	rowsO, errO := o()
	t.Logf("%s: %s -> %d rows, %s", who, text, len(rowsE), orOK(errE))
	if !sameKind(errE, errO) {
		t.Fatalf("%s: %s\n  engine: %v\n  oracle: %v", who, text, orOK(errE), orOK(errO))
	}
	if errE == nil && !slices.Equal(rowsE, rowsO) {
		t.Fatalf("%s: %s\n  engine: %q\n  oracle: %q", who, text, rowsE, rowsO)
	}
}

// milvusDump lists, through SHOW as the account's observer, its privilege
// groups and aliases.
func (m *machine) milvusDump(t *rapid.T, a *oracle.Account, p *pair) []string {
	groups, err := p.e.ShowPrivilegeGroups()
	if err != nil {
		t.Fatalf("%s: SHOW PRIVILEGE GROUPS: %v", a.Name, err)
	}
	aliases, err := p.e.ShowAliases(engine.ShowAliases{})
	if err != nil {
		t.Fatalf("%s: SHOW ALIASES: %v", a.Name, err)
	}
	return append(prefix(a.Name+" groups: ", groups), prefix(a.Name+" aliases: ", aliases)...)
}

// oracleMilvusDump is what milvusDump should see.
func (m *machine) oracleMilvusDump(a *oracle.Account) []string {
	s := m.orc.State
	return append(prefix(a.Name+" groups: ", s.PrivilegeGroupRows(a.ID)), prefix(a.Name+" aliases: ", s.AliasRows(a, nil, 0))...)
}

// checkMilvusInvariants checks, on the engine's SHOW output: no grant of a
// missing group; every alias points at a live table of its database; and
// that a pattern grant's coverage equals a naive prefix scan over every
// table and database of its account, asked of the engine through WhoCan
// for the grantee role.
func (m *machine) checkMilvusInvariants(t *rapid.T, dump []string) {
	groups := map[string]bool{}
	for _, line := range dump {
		head, row, _ := strings.Cut(line, ": ")
		f := strings.Fields(head)
		if len(f) >= 2 && f[1] == "groups" {
			name := row[:strings.LastIndex(row, ":")] // members have no ':', names may
			groups[f[0]+" "+unquote(name)] = true
		}
	}
	s := m.orc.State
	for _, line := range dump {
		head, row, _ := strings.Cut(line, ": ")
		f := strings.Fields(head)
		switch {
		case len(f) >= 2 && f[1] == "role" && strings.HasPrefix(row, "GRANT PRIVILEGE GROUP "):
			g := strings.Fields(row)[3]
			if !groups[f[0]+" "+unquote(g)] {
				t.Fatalf("%s: %s names a group that does not exist", f[0], row)
			}
		case len(f) >= 2 && f[1] == "aliases":
			alias, table, _ := strings.Cut(row, " -> ")
			db, _, _ := strings.Cut(alias, ".")
			d := s.DatabaseByName(s.AccountByName(f[0]).ID, unquote(db))
			if d == nil || s.TableByName(d.ID, unquote(table)) == nil {
				t.Fatalf("%s: the alias %s points at %s, not a live table of its database", f[0], alias, table)
			}
		}
	}
	m.checkPatternCoverage(t)
}

// checkPatternCoverage compares, for a few pattern grants, the objects the
// engine lets the grantee reach through them with a naive prefix scan: the
// grantee role alone must be allowed on an object of the right level
// exactly when the oracle, which tests every name against every prefix,
// allows it.
func (m *machine) checkPatternCoverage(t *rapid.T) {
	s := m.orc.State
	snap := m.eng.Snapshot()
	type grant struct {
		role oracle.ID
		p    model.Privilege
		l    oracle.Level
	}
	var grants []grant
	for _, g := range s.Grants {
		if g.Level.Scope >= oracle.ScopePatternFirst {
			grants = append(grants, grant{g.Role, g.Priv, g.Level})
		}
	}
	for i := 0; i < 3 && len(grants) > 0; i++ {
		g := grants[m.rng.IntN(len(grants))]
		acc := s.Accounts[s.Roles[g.role].Account]
		if acc.Status != model.StatusOpen {
			continue
		}
		p := g.p
		if p.Info().All {
			p = map[model.Level]model.Privilege{model.LevelDatabase: model.PrivShowTables, model.LevelTable: model.PrivSelect}[p.Level()]
		}
		var objs []oracle.Object
		if p.Level() == model.LevelDatabase {
			for id, d := range s.DBs {
				if d.Account == acc.ID {
					objs = append(objs, oracle.Object{Kind: model.KindDatabase, ID: id})
				}
			}
		} else {
			for id, tb := range s.Tables {
				if tb.Account == acc.ID {
					objs = append(objs, oracle.Object{Kind: model.KindTable, ID: id})
				}
			}
		}
		for _, o := range objs {
			want := s.RoleAllowed(g.role, p, o)
			got := slices.Contains(snap.WhoCan(p, model.Object{Kind: o.Kind, ID: m.ids[o.ID]}).Roles, model.RoleID(m.ids[g.role]))
			if got != want {
				t.Fatalf("pattern %s of %s: %s on %s: engine %v, naive prefix scan %v", s.LevelText(g.l), m.label(g.role), p, m.label(o.ID), got, want)
			}
		}
	}
}
