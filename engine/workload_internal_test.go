package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"time"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

// The random workload of the durability tests: statements drawn from small
// name pools (so that they collide, cascade and fail often), a dump of the
// state as SHOW prints it, and decisions compared by name, so that two
// engines can be compared even when their IDs differ.

// draw returns a number in [0, n).
type draw func(label string, n int) int

func pickFrom[T any](d draw, label string, from []T) T { return from[d(label, len(from))] }

var (
	wlUsers     = []string{"u1", "u2", "u3", "u4"}
	wlRoles     = []string{"r1", "r2", "r3", "r4", "r5"}
	wlDBs       = []string{"d1", "d2", "d3"}
	wlTables    = []string{"t1", "t2", "t3"}
	wlAliases   = []string{"v1", "v2", "t3"} // t3 collides with a table
	wlPasswords = []string{"pw1", "pw2"}
	wlAccounts  = []string{"a1", "a2"}
	wlPrivs     = map[model.Kind][]string{
		model.KindAccount:  {"create user", "create role", "create database", "show databases", "manage grants", "all"},
		model.KindDatabase: {"show tables", "create table", "drop table", "all"},
		model.KindTable:    {"select", "insert", "update", "delete", "all"},
	}
	// The names a statement or question gives a table: the tables' and
	// an alias's, which resolves to the table it points at (reference §17).
	wlTableNames = []string{"t1", "t2", "t3", "v1"}
	// The prefixes of name patterns (reference §16): some match every name
	// of the pools, some a few, v only aliases (which patterns never match).
	wlDBPrefixes    = []string{"d", "d1"}
	wlTablePrefixes = []string{"t", "t2", "v"}
	wlGroups        = []string{"g1", "g2", model.ReadOnly}
	// The members a privilege group gains or loses: of every level, and
	// ALL, which no group may hold.
	wlGroupPrivs = []string{"select", "insert", "update", "show tables", "create table", "drop table", "create user", "all"}
	wlColumns    = []string{"id", "c1", "c2"}
)

// wlStatement is one drawn statement: its text (for failure messages) and
// how a session runs it.
type wlStatement struct {
	text string
	run  func(s *Session) error
}

// wlLevel draws a grant level: a named object, a wildcard or a name
// pattern.
func wlLevel(d draw) Target {
	db, tb := pickFrom(d, "db", wlDBs), pickFrom(d, "table", wlTableNames)
	dp, tp := pickFrom(d, "db prefix", wlDBPrefixes), pickFrom(d, "table prefix", wlTablePrefixes)
	return pickFrom(d, "level", []Target{
		{Kind: model.KindTable, Database: db, Name: tb},
		{Kind: model.KindTable, Database: db, AnyTable: true},
		{Kind: model.KindTable, AnyDatabase: true, AnyTable: true},
		{Kind: model.KindDatabase, Database: db},
		{Kind: model.KindDatabase, AnyDatabase: true},
		{Kind: model.KindAccount},
		{Kind: model.KindDatabase, Database: dp, DatabasePattern: true},
		{Kind: model.KindTable, Database: dp, DatabasePattern: true, AnyTable: true},
		{Kind: model.KindTable, Database: db, Name: tp, TablePattern: true},
	})
}

func wlGrantee(d draw) string {
	if d("grantee is a user", 3) == 0 {
		return pickFrom(d, "user", wlUsers)
	}
	return pickFrom(d, "role", wlRoles)
}

func wlOption(d draw) GrantOption { return GrantOption(d("option", 4) / 3) }

// wlWeights weighs the cases of wlDraw's switch: creations come more
// often than drops, so that short runs build the databases, tables,
// aliases, roles and groups the other statements need. The last three are
// the statements on accounts.
var wlWeights = []int{2, 1, 3, 1, 3, 1, 4, 1, 2, 2, 1, 2, 1, 1, 3, 2, 3, 3, 2, 1, 1, 1}

// wlCase draws a case of wlDraw's switch among the first n, by weight.
func wlCase(d draw, n int) int {
	total := 0
	for _, w := range wlWeights[:n] {
		total += w
	}
	k := d("statement", total)
	for i, w := range wlWeights[:n] {
		if k < w {
			return i
		}
		k -= w
	}
	panic("unreachable")
}

// wlDraw draws a statement; accounts adds the statements on accounts,
// which only sys's admin may run.
func wlDraw(d draw, accounts bool) wlStatement {
	n := len(wlWeights) - 3
	if accounts {
		n = len(wlWeights)
	}
	s := func(text string, run func(s *Session) error) wlStatement { return wlStatement{text, run} }
	switch k := wlCase(d, n); k {
	case 0:
		u, pw := pickFrom(d, "user", wlUsers), pickFrom(d, "password", wlPasswords)
		def := ""
		if d("default role", 3) == 0 {
			def = pickFrom(d, "role", wlRoles)
		}
		return s(fmt.Sprintf("CREATE USER %s DEFAULT ROLE %q", u, def), func(s *Session) error {
			return s.CreateUser(CreateUser{Users: []UserCredential{{Name: u, Password: model.Secret(pw)}}, DefaultRole: def})
		})
	case 1:
		u := pickFrom(d, "user", wlUsers)
		return s("DROP USER "+u, func(s *Session) error { return s.DropUser(DropUser{Names: []string{u}}) })
	case 2:
		r := pickFrom(d, "role", wlRoles)
		return s("CREATE ROLE "+r, func(s *Session) error { return s.CreateRole(CreateRole{Names: []string{r}}) })
	case 3:
		r := pickFrom(d, "role", wlRoles)
		return s("DROP ROLE "+r, func(s *Session) error { return s.DropRole(DropRole{Names: []string{r}}) })
	case 4:
		db := pickFrom(d, "db", wlDBs)
		return s("CREATE DATABASE "+db, func(s *Session) error { return s.CreateDatabase(CreateDatabase{Name: db}) })
	case 5:
		db := pickFrom(d, "db", wlDBs)
		return s("DROP DATABASE "+db, func(s *Session) error { return s.DropDatabase(DropDatabase{Name: db}) })
	case 6:
		db, tb := pickFrom(d, "db", wlDBs), pickFrom(d, "table", wlTables)
		return s("CREATE TABLE "+db+"."+tb, func(s *Session) error {
			return s.CreateTable(CreateTable{Database: db, Name: tb, Columns: []ColumnDef{{Name: "id", Type: "int"}, {Name: "c1", Type: "text"}}})
		})
	case 7:
		db, tb := pickFrom(d, "db", wlDBs), pickFrom(d, "table", wlTableNames)
		return s("DROP TABLE "+db+"."+tb, func(s *Session) error { return s.DropTable(DropTable{Database: db, Name: tb}) })
	case 8, 9:
		on, r, opt := wlLevel(d), pickFrom(d, "role", wlRoles), wlOption(d)
		p := pickFrom(d, "privilege", wlPrivs[on.Kind])
		return s(fmt.Sprintf("GRANT %s ON %+v TO %s (%d)", p, on, r, opt), func(s *Session) error {
			return s.GrantPrivilege(GrantPrivilege{Privileges: []string{p}, On: on, To: []string{r}, Option: opt})
		})
	case 10:
		on, r := wlLevel(d), pickFrom(d, "role", wlRoles)
		p := pickFrom(d, "privilege", wlPrivs[on.Kind])
		only := d("grant option only", 4) == 0
		return s(fmt.Sprintf("REVOKE %s ON %+v FROM %s (option only %v)", p, on, r, only), func(s *Session) error {
			return s.RevokePrivilege(RevokePrivilege{Privileges: []string{p}, On: on, From: []string{r}, GrantOptionOnly: only})
		})
	case 11:
		r, to, opt := pickFrom(d, "role", wlRoles), wlGrantee(d), wlOption(d)
		return s(fmt.Sprintf("GRANT %s TO %s (%d)", r, to, opt), func(s *Session) error {
			return s.GrantRole(GrantRole{Roles: []string{r}, To: []string{to}, Option: opt})
		})
	case 12:
		r, from := pickFrom(d, "role", wlRoles), wlGrantee(d)
		return s("REVOKE "+r+" FROM "+from, func(s *Session) error {
			return s.RevokeRole(RevokeRole{Roles: []string{r}, From: []string{from}})
		})
	case 13:
		return wlAlterOrTransfer(d)
	case 14:
		return wlColumnStatement(d)
	case 15:
		return wlGroupStatement(d)
	case 16:
		return wlGroupGrant(d)
	case 17:
		return wlAliasStatement(d)
	case 18:
		return wlDenial(d)
	case 19:
		a, pw := pickFrom(d, "account", wlAccounts), pickFrom(d, "password", wlPasswords)
		return s("CREATE ACCOUNT "+a, func(s *Session) error {
			return s.CreateAccount(CreateAccount{Name: a, AdminName: "adm", AdminPassword: model.Secret(pw), Comment: "c " + pw})
		})
	case 20:
		a := pickFrom(d, "account", wlAccounts)
		st := pickFrom(d, "status", []model.AccountStatus{model.StatusOpen, model.StatusSuspended, model.StatusRestricted})
		return s(fmt.Sprintf("ALTER ACCOUNT %s %v", a, st), func(s *Session) error {
			return s.AlterAccount(AlterAccount{Name: a, Status: st})
		})
	default:
		a := pickFrom(d, "account", wlAccounts)
		return s("DROP ACCOUNT "+a, func(s *Session) error { return s.DropAccount(DropAccount{Name: a}) })
	}
}

// wlSetup returns the statements that start a workload in an account
// (run by its admin): objects of most pools, so that the drawn
// statements on groups, patterns, aliases, columns and denials find
// something to act on from the start, while the names left out (r5, u2,
// d3, t3, v2, g2) are still there to be created.
func wlSetup() []wlStatement {
	s := func(text string, run func(s *Session) error) wlStatement { return wlStatement{text, run} }
	table := func(db, name string) wlStatement {
		return s("CREATE TABLE "+db+"."+name, func(s *Session) error {
			return s.CreateTable(CreateTable{Database: db, Name: name, Columns: []ColumnDef{{Name: "id", Type: "int"}, {Name: "c1", Type: "text"}}})
		})
	}
	on := func(db, tb string) Target { return Target{Kind: model.KindTable, Database: db, Name: tb} }
	return []wlStatement{
		s("CREATE ROLE r1, r2, r3, r4", func(s *Session) error { return s.CreateRole(CreateRole{Names: []string{"r1", "r2", "r3", "r4"}}) }),
		s("CREATE USER u1", func(s *Session) error {
			return s.CreateUser(CreateUser{Users: []UserCredential{{Name: "u1", Password: "pw1"}}})
		}),
		s("GRANT r1 TO u1", func(s *Session) error { return s.GrantRole(GrantRole{Roles: []string{"r1"}, To: []string{"u1"}}) }),
		s("GRANT r2 TO r1", func(s *Session) error { return s.GrantRole(GrantRole{Roles: []string{"r2"}, To: []string{"r1"}}) }),
		s("CREATE DATABASE d1", func(s *Session) error { return s.CreateDatabase(CreateDatabase{Name: "d1"}) }),
		s("CREATE DATABASE d2", func(s *Session) error { return s.CreateDatabase(CreateDatabase{Name: "d2"}) }),
		table("d1", "t1"), table("d1", "t2"), table("d2", "t1"),
		s("CREATE ALIAS d1.v1 FOR TABLE d1.t1", func(s *Session) error {
			return s.CreateAlias(CreateAlias{Database: "d1", Name: "v1", TableDatabase: "d1", Table: "t1"})
		}),
		s("CREATE PRIVILEGE GROUP g1", func(s *Session) error { return s.CreatePrivilegeGroup(CreatePrivilegeGroup{Name: "g1"}) }),
		s("ALTER PRIVILEGE GROUP g1 ADD SELECT, SHOW TABLES", func(s *Session) error {
			return s.AlterPrivilegeGroup(AlterPrivilegeGroup{Name: "g1", Action: GroupAdd, Privileges: []string{"select", "show tables"}})
		}),
		s("GRANT PRIVILEGE GROUP g1 ON DATABASE d* TO r1", func(s *Session) error {
			return s.GrantPrivilegeGroup(GrantPrivilegeGroup{Group: "g1", On: Target{Kind: model.KindDatabase, Database: "d", DatabasePattern: true}, To: []string{"r1"}})
		}),
		s("GRANT INSERT ON TABLE d1.t* TO r2", func(s *Session) error {
			return s.GrantPrivilege(GrantPrivilege{Privileges: []string{"insert"}, On: Target{Kind: model.KindTable, Database: "d1", Name: "t", TablePattern: true}, To: []string{"r2"}})
		}),
		s("GRANT SELECT (c1) ON TABLE d1.t2 TO r3", func(s *Session) error {
			return s.GrantPrivilege(GrantPrivilege{Privileges: []string{"select"}, Columns: [][]string{{"c1"}}, On: on("d1", "t2"), To: []string{"r3"}})
		}),
		s("DENY SELECT ON TABLE d1.v1 TO r2", func(s *Session) error {
			return s.Deny(Deny{Privileges: []string{"select"}, On: on("d1", "v1"), To: []string{"r2"}})
		}),
	}
}

// wlColumnStatement draws a statement of reference §18: ALTER TABLE ADD or DROP
// COLUMN, GRANT or REVOKE on a column, DENY or REVOKE DENY.
func wlColumnStatement(d draw) wlStatement {
	db, tb, r := pickFrom(d, "db", wlDBs), pickFrom(d, "table", wlTableNames), pickFrom(d, "role", wlRoles)
	col := pickFrom(d, "column", wlColumns)
	on := Target{Kind: model.KindTable, Database: db, Name: tb}
	cols := [][]string{{col}}
	switch d("column statement", 6) {
	case 0:
		return wlStatement{"ALTER TABLE ADD COLUMN " + col, func(s *Session) error {
			return s.AlterTable(AlterTable{Database: db, Name: tb, Action: TableAddColumn, Column: ColumnDef{Name: col, Type: "text"}})
		}}
	case 1:
		return wlStatement{"ALTER TABLE DROP COLUMN " + col, func(s *Session) error {
			return s.AlterTable(AlterTable{Database: db, Name: tb, Action: TableDropColumn, Column: ColumnDef{Name: col}})
		}}
	case 2:
		return wlStatement{"GRANT SELECT (" + col + ") TO " + r, func(s *Session) error {
			return s.GrantPrivilege(GrantPrivilege{Privileges: []string{"select"}, Columns: cols, On: on, To: []string{r}})
		}}
	case 3:
		return wlStatement{"REVOKE SELECT (" + col + ") FROM " + r, func(s *Session) error {
			return s.RevokePrivilege(RevokePrivilege{Privileges: []string{"select"}, Columns: cols, On: on, From: []string{r}})
		}}
	case 4:
		if d("deny a column", 2) == 0 {
			cols = nil
		}
		return wlStatement{fmt.Sprintf("DENY SELECT %v ON %+v TO %s", cols, on, r), func(s *Session) error {
			return s.Deny(Deny{Privileges: []string{"select"}, Columns: cols, On: on, To: []string{r}})
		}}
	}
	return wlStatement{"REVOKE DENY SELECT (" + col + ") FROM " + r, func(s *Session) error {
		return s.RevokeDeny(RevokeDeny{Privileges: []string{"select"}, Columns: cols, On: on, From: []string{r}})
	}}
}

// wlGroupStatement draws CREATE, ALTER or DROP PRIVILEGE GROUP (reference §15).
func wlGroupStatement(d draw) wlStatement {
	g := pickFrom(d, "group", wlGroups)
	switch d("group statement", 5) {
	case 0:
		ine := d("if not exists", 2) == 0
		return wlStatement{fmt.Sprintf("CREATE PRIVILEGE GROUP %s (if not exists %v)", g, ine), func(s *Session) error {
			return s.CreatePrivilegeGroup(CreatePrivilegeGroup{IfNotExists: ine, Name: g})
		}}
	case 1, 2, 3:
		act := GroupAction(1 + d("add or remove", 3)/2)
		privs := []string{pickFrom(d, "member", wlGroupPrivs)}
		if d("two members", 3) == 0 {
			privs = append(privs, pickFrom(d, "member", wlGroupPrivs))
		}
		return wlStatement{fmt.Sprintf("ALTER PRIVILEGE GROUP %s %d %v", g, act, privs), func(s *Session) error {
			return s.AlterPrivilegeGroup(AlterPrivilegeGroup{Name: g, Action: act, Privileges: privs})
		}}
	}
	ie := d("if exists", 2) == 0
	return wlStatement{fmt.Sprintf("DROP PRIVILEGE GROUP %s (if exists %v)", g, ie), func(s *Session) error {
		return s.DropPrivilegeGroup(DropPrivilegeGroup{IfExists: ie, Name: g})
	}}
}

// wlGroupGrant draws GRANT or REVOKE PRIVILEGE GROUP at a level, public
// among the roles (which may hold a group only while it may hold every
// member).
func wlGroupGrant(d draw) wlStatement {
	g, on, r := pickFrom(d, "group", wlGroups), wlLevel(d), pickFrom(d, "role", append([]string{model.Public}, wlRoles...))
	if d("grant or revoke", 2) == 0 {
		opt := wlOption(d)
		return wlStatement{fmt.Sprintf("GRANT PRIVILEGE GROUP %s ON %+v TO %s (%d)", g, on, r, opt), func(s *Session) error {
			return s.GrantPrivilegeGroup(GrantPrivilegeGroup{Group: g, On: on, To: []string{r}, Option: opt})
		}}
	}
	only, ie := d("grant option only", 4) == 0, d("if exists", 2) == 0
	return wlStatement{fmt.Sprintf("REVOKE PRIVILEGE GROUP %s ON %+v FROM %s (option only %v, if exists %v)", g, on, r, only, ie), func(s *Session) error {
		return s.RevokePrivilegeGroup(RevokePrivilegeGroup{IfExists: ie, GrantOptionOnly: only, Group: g, On: on, From: []string{r}})
	}}
}

// wlAliasStatement draws CREATE, ALTER or DROP ALIAS or GRANT OWNERSHIP ON
// ALIAS (reference §17); the target may be an alias, or in another
// database.
func wlAliasStatement(d draw) wlStatement {
	db, a := pickFrom(d, "db", wlDBs), pickFrom(d, "alias", wlAliases)
	tdb, tb := db, pickFrom(d, "target", wlTableNames)
	if d("target in another database", 6) == 0 {
		tdb = pickFrom(d, "db", wlDBs)
	}
	text := fmt.Sprintf("%s.%s FOR TABLE %s.%s", db, a, tdb, tb)
	switch d("alias statement", 7) {
	case 0, 1, 2:
		ine := d("if not exists", 3) == 0
		return wlStatement{"CREATE ALIAS " + text, func(s *Session) error {
			return s.CreateAlias(CreateAlias{IfNotExists: ine, Database: db, Name: a, TableDatabase: tdb, Table: tb})
		}}
	case 3, 4:
		return wlStatement{"ALTER ALIAS " + text, func(s *Session) error {
			return s.AlterAlias(AlterAlias{Database: db, Name: a, TableDatabase: tdb, Table: tb})
		}}
	case 5:
		ie := d("if exists", 2) == 0
		return wlStatement{"DROP ALIAS " + db + "." + a, func(s *Session) error {
			return s.DropAlias(DropAlias{IfExists: ie, Database: db, Name: a})
		}}
	}
	r := pickFrom(d, "role", wlRoles)
	return wlStatement{"GRANT OWNERSHIP ON ALIAS " + db + "." + a + " TO " + r, func(s *Session) error {
		return s.GrantOwnership(GrantOwnership{On: Target{Kind: model.KindAlias, Database: db, Name: a}, To: r})
	}}
}

// wlDenial draws DENY or REVOKE DENY at a level, public among the roles
// (reference §18).
func wlDenial(d draw) wlStatement {
	on := wlLevel(d)
	r := pickFrom(d, "role", append([]string{model.Public}, wlRoles...))
	p := pickFrom(d, "privilege", wlPrivs[on.Kind])
	if d("deny or revoke", 2) == 0 {
		return wlStatement{fmt.Sprintf("DENY %s ON %+v TO %s", p, on, r), func(s *Session) error {
			return s.Deny(Deny{Privileges: []string{p}, On: on, To: []string{r}})
		}}
	}
	ie := d("if exists", 2) == 0
	return wlStatement{fmt.Sprintf("REVOKE DENY %s ON %+v FROM %s (if exists %v)", p, on, r, ie), func(s *Session) error {
		return s.RevokeDeny(RevokeDeny{IfExists: ie, Privileges: []string{p}, On: on, From: []string{r}})
	}}
}

// wlAlterOrTransfer draws an ALTER USER or a GRANT OWNERSHIP.
func wlAlterOrTransfer(d draw) wlStatement {
	u, r := pickFrom(d, "user", wlUsers), pickFrom(d, "role", wlRoles)
	if d("alter or transfer", 2) == 0 {
		ch := UserChange{Name: u, Action: UserAction(1 + d("action", 4))}
		switch ch.Action {
		case UserSetPassword:
			ch.Password = model.Secret(pickFrom(d, "password", wlPasswords))
		case UserDefaultRole:
			ch.Role = r
		}
		return wlStatement{fmt.Sprintf("ALTER USER %s %d %s", u, ch.Action, r), func(s *Session) error {
			return s.AlterUser(AlterUser{Users: []UserChange{ch}})
		}}
	}
	on := pickFrom(d, "object", []Target{
		{Kind: model.KindDatabase, Database: pickFrom(d, "db", wlDBs)},
		{Kind: model.KindTable, Database: pickFrom(d, "db", wlDBs), Name: pickFrom(d, "table", wlTableNames)},
		{Kind: model.KindRole, Name: pickFrom(d, "role", wlRoles)},
		{Kind: model.KindUser, Name: u},
	})
	return wlStatement{fmt.Sprintf("GRANT OWNERSHIP ON %+v TO %s", on, r), func(s *Session) error {
		return s.GrantOwnership(GrantOwnership{On: on, To: r})
	}}
}

// stateDump is the state of snap as text, by name: per account its
// status and comment, what SHOW GRANTS prints for every role and user
// (group grants, grants at patterns, denials and alias owners included),
// what SHOW PRIVILEGE GROUPS and SHOW ALIASES print, and what none of them
// print (a user's lock, default role and comment; with hashes, its
// password hash; a table's columns; a group's slot; the pattern levels
// held). Two engines whose dumps are equal hold the same state up to IDs.
func stateDump(snap *Snapshot, hashes bool) []string {
	tx := snap.read()
	var out []string
	for _, acc := range tx.Accounts() {
		a := acc.Name + ": "
		admin := ""
		if u := tx.User(acc.AdminUser); u != nil {
			admin = u.Name
		}
		out = append(out, fmt.Sprintf("%saccount %s %q admin %s", a, acc.Status, acc.Comment, admin))
		av := snap.accountAt(uint32(acc.ID))
		for _, r := range tx.RolesOf(acc.ID) {
			for _, row := range roleGrantRows(tx, av, r) {
				out = append(out, a+"role "+r.Name+": "+row)
			}
		}
		for _, u := range tx.UsersOf(acc.ID) {
			def := ""
			if r := tx.Role(u.DefaultRole); r != nil {
				def = r.Name
			}
			line := fmt.Sprintf("%suser %s locked %v default %q comment %q", a, u.Name, u.Locked, def, u.Comment)
			if hashes {
				line += " hash " + u.Hash
			}
			out = append(out, line)
			for _, row := range userGrantRows(tx, u) {
				out = append(out, a+"user "+u.Name+": "+row)
			}
		}
		for _, g := range tx.GroupsOf(acc.ID) {
			var members []string
			g.Privs.Each(func(p model.Privilege) { members = append(members, p.Upper()) })
			out = append(out, fmt.Sprintf("%sgroup %s slot %d: %s", a, g.Name, g.Slot, strings.Join(members, ", ")))
		}
		for _, p := range tx.PatternsOfAccount(acc.ID) {
			out = append(out, a+"pattern "+patternLevelName(tx, p.Level()))
		}
		for _, d := range tx.DatabasesOf(acc.ID) {
			out = append(out, a+"database "+d.Name)
			for _, al := range tx.AliasesOf(d.ID) {
				target := "?"
				if t := tx.Table(al.Table); t != nil {
					target = t.Name
				}
				out = append(out, fmt.Sprintf("%salias %s -> %s", a, aliasName(tx, al), target))
			}
			for _, t := range tx.TablesOf(d.ID) {
				var cols []string // by name: column IDs are handed out across accounts
				for _, c := range t.Columns {
					cols = append(cols, c.Name+" "+c.Type)
				}
				out = append(out, fmt.Sprintf("%stable %s.%s (%s)", a, d.Name, t.Name, strings.Join(cols, ", ")))
			}
		}
	}
	sort.Strings(out)
	return out
}

// wlQuestion is a decision asked by name; table may name an alias.
type wlQuestion struct {
	account, user, role string
	sec                 Secondary
	priv                model.Privilege
	kind                model.Kind
	db, table, column   string
}

var wlQuestionPrivs = []model.Privilege{
	model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete, model.PrivCreateTable,
	model.PrivShowTables, model.PrivDropTable, model.PrivCreateUser, model.PrivManageGrants,
	model.PrivCreateDatabase, model.PrivShowDatabases,
}

// wlQuestionKinds are the kinds of object questions name: a privilege is
// asked on its own level's objects half of the time, else on any.
var wlQuestionKinds = []model.Kind{model.KindAccount, model.KindDatabase, model.KindTable, model.KindColumn}

// wlQuestions draws n questions over the names of the pools (and of
// whatever snap holds), most of them about objects that exist.
func wlQuestions(d draw, snap *Snapshot, n int) []wlQuestion {
	tx := snap.read()
	accounts := []string{model.SysAccount}
	for _, a := range tx.Accounts() {
		accounts = append(accounts, a.Name)
	}
	accounts = append(accounts, wlAccounts...)
	users := append([]string{model.RootUser, "adm"}, wlUsers...)
	roles := append([]string{model.Public, model.MoAdmin, model.AccountAdmin}, wlRoles...)
	out := make([]wlQuestion, n)
	for i := range out {
		q := wlQuestion{
			account: pickFrom(d, "q account", accounts), user: pickFrom(d, "q user", users),
			role: pickFrom(d, "q role", roles), sec: Secondary(d("q secondary", 2)),
			priv: pickFrom(d, "q privilege", wlQuestionPrivs),
			db:   pickFrom(d, "q db", wlDBs), table: pickFrom(d, "q table", append(slices.Clone(wlTableNames), "v2")),
			column: pickFrom(d, "q column", wlColumns),
		}
		q.kind = map[model.Level]model.Kind{model.LevelAccount: model.KindAccount, model.LevelDatabase: model.KindDatabase,
			model.LevelTable: model.KindTable}[q.priv.Level()]
		if d("q on any kind", 2) == 0 {
			q.kind = pickFrom(d, "q kind", wlQuestionKinds)
		}
		out[i] = q
	}
	return out
}

// ask decides q on snap by name; a name that does not resolve is a
// distinct answer of its own.
func ask(snap *Snapshot, q wlQuestion) string {
	acc, ok := snap.Account(q.account)
	if !ok {
		return "no account"
	}
	u, ok := snap.User(acc, q.user)
	if !ok {
		return "no user"
	}
	r, ok := snap.Role(acc, q.role)
	if !ok {
		return "no role"
	}
	obj := model.Object{Kind: model.KindAccount, ID: uint32(acc)}
	if q.kind != model.KindAccount {
		db, ok := snap.Database(acc, q.db)
		if !ok {
			return "no database"
		}
		obj = model.Object{Kind: model.KindDatabase, ID: uint32(db)}
		if q.kind == model.KindTable || q.kind == model.KindColumn {
			t, ok := snap.Table(db, q.table)
			if !ok {
				return "no table"
			}
			obj = model.Object{Kind: model.KindTable, ID: uint32(t)}
			if q.kind == model.KindColumn {
				c, ok := snap.Column(t, q.column)
				if !ok {
					return "no column"
				}
				obj = model.ColumnObject(c)
			}
		}
	}
	dec := snap.Check(u, r, q.sec, q.priv, obj)
	return fmt.Sprintf("%v %v", dec.Allowed, dec.Reason)
}

// answers decides every question on snap.
func answers(snap *Snapshot, qs []wlQuestion) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = ask(snap, q)
	}
	return out
}

// dumpDiff returns the lines only in a (-) or only in b (+).
func dumpDiff(a, b []string) string {
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// wlOptions are the options of the engines of the durability tests: the
// test hasher, a fixed clock, root's password 111.
func wlOptions(extra ...Option) []Option {
	return append([]Option{WithRootPassword("111"), WithHasher(password.Testing()), WithClock(fixedClock)}, extra...)
}

// fixedClock is the durability tests' clock: commits and snapshot files
// carry its time, so that two engines write the same bytes.
func fixedClock() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }

// dangling returns a line for every catalog record of tx that refers to
// a record that is not there (an owner, a grantee, the object of a level,
// a group, the database or table of an alias) or that should be gone with
// the last thing it served (a pattern level without grants or denials).
// Change records and snapshot files copy such a leftover faithfully, so
// comparing two engines never shows one. Grantors are history and may be
// gone.
func dangling(tx *catalog.Tx) []string {
	var out []string
	bad := func(rec any, what string) { out = append(out, fmt.Sprintf("%T %+v: %s", rec, rec, what)) }
	role := func(rec any, r model.RoleID, what string) {
		if tx.Role(r) == nil {
			bad(rec, "no "+what)
		}
	}
	level := func(rec any, k catalog.LevelKey) {
		if !levelExists(tx, k) {
			bad(rec, "no level object")
		}
	}
	for rec := range tx.All() {
		switch r := rec.(type) {
		case *catalog.User:
			role(rec, r.Owner, "owner")
			if r.DefaultRole != 0 {
				role(rec, r.DefaultRole, "default role")
			}
		case *catalog.Role:
			role(rec, r.Owner, "owner")
		case *catalog.Database:
			role(rec, r.Owner, "owner")
		case *catalog.Table:
			role(rec, r.Owner, "owner")
			if d := tx.Database(r.Database); d == nil || d.Account != r.Account {
				bad(rec, "no database")
			}
		case *catalog.Grant:
			role(rec, r.Role, "grantee")
			level(rec, r.Level())
		case *catalog.GroupGrant:
			role(rec, r.Role, "grantee")
			level(rec, r.Level())
			if r.Group > model.GroupReadWrite && tx.Group(r.Group) == nil {
				bad(rec, "no group")
			}
		case *catalog.Denial:
			role(rec, r.Role, "grantee")
			level(rec, r.Level())
			if r.Scope == catalog.ScopeColumn && !hasColumn(tx, r.Table, model.ColumnID(r.Object)) {
				bad(rec, "no column")
			}
		case *catalog.ColumnGrant:
			role(rec, r.Role, "grantee")
			if !hasColumn(tx, r.Table, r.Column) {
				bad(rec, "no column")
			}
		case *catalog.RoleEdge:
			role(rec, r.Role, "role")
			role(rec, r.Grantee, "grantee")
		case *catalog.UserRole:
			role(rec, r.Role, "role")
			if tx.User(r.User) == nil {
				bad(rec, "no user")
			}
		case *catalog.Pattern:
			if r.Scope == catalog.ScopeTablePattern && tx.Database(r.Database) == nil {
				bad(rec, "no database")
			}
			k := r.Level()
			if len(tx.GrantsAt(k))+len(tx.GroupGrantsAt(k))+len(tx.DenialsAt(k)) == 0 {
				bad(rec, "nothing stored at it")
			}
		case *catalog.Alias:
			role(rec, r.Owner, "owner")
			if t := tx.Table(r.Table); t == nil || t.Database != r.Database {
				bad(rec, "no table in its database")
			}
		}
	}
	return out
}

// hasColumn reports whether table t exists and has column c.
func hasColumn(tx *catalog.Tx, t model.TableID, c model.ColumnID) bool {
	rec := tx.Table(t)
	return rec != nil && slices.ContainsFunc(rec.Columns, func(col catalog.Column) bool { return col.ID == c })
}

// levelExists reports whether the object a stored level names exists (a
// column's is checked through its record's table).
func levelExists(tx *catalog.Tx, k catalog.LevelKey) bool {
	switch k.Scope {
	case catalog.ScopeDatabase, catalog.ScopeDatabaseTables:
		return tx.Database(model.DatabaseID(k.Object)) != nil
	case catalog.ScopeTable:
		return tx.Table(model.TableID(k.Object)) != nil
	}
	if k.Scope.IsPattern() {
		return tx.Pattern(k.Object) != nil
	}
	return true
}

// miscounted returns a line for every account whose object counts (the
// limits of reference §10, §15 and §16) and every role whose grant count
// differ from what the records of tx hold: the counts are kept apart from
// the records, by the statements on a live engine, by Apply on a replica
// and by Restore, and limits are checked on them. tx must be a read
// transaction of the engine's catalog, which holds the counts.
func miscounted(tx *catalog.Tx) []string {
	var out []string
	for _, acc := range tx.Accounts() {
		want := catalog.Counts{
			Users: len(tx.UsersOf(acc.ID)), Roles: len(tx.RolesOf(acc.ID)), Databases: len(tx.DatabasesOf(acc.ID)),
			Tables: len(tx.TablesOfAccount(acc.ID)), Groups: len(tx.GroupsOf(acc.ID)), Patterns: len(tx.PatternsOfAccount(acc.ID)),
		}
		for _, d := range tx.DatabasesOf(acc.ID) {
			want.Tables += len(tx.AliasesOf(d.ID)) // aliases count as tables
		}
		if got := tx.Count(acc.ID); got != want {
			out = append(out, fmt.Sprintf("account %s: counts %+v, records %+v", acc.Name, got, want))
		}
		for _, r := range tx.RolesOf(acc.ID) {
			want := len(tx.GrantsOf(r.ID)) + len(tx.GroupGrantsOf(r.ID)) + len(tx.ColumnGrantsOf(r.ID)) + len(tx.DenialsOf(r.ID))
			if got := tx.GrantCount(r.ID); got != want {
				out = append(out, fmt.Sprintf("account %s, role %s: %d grants counted, %d records", acc.Name, r.Name, got, want))
			}
		}
	}
	return out
}
