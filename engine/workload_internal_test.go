package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"time"

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
	wlPasswords = []string{"pw1", "pw2"}
	wlAccounts  = []string{"a1", "a2"}
	wlPrivs     = map[model.Kind][]string{
		model.KindAccount:  {"create user", "create role", "create database", "show databases", "manage grants", "all"},
		model.KindDatabase: {"show tables", "create table", "drop table", "all"},
		model.KindTable:    {"select", "insert", "update", "delete", "all"},
	}
)

// wlStatement is one drawn statement: its text (for failure messages) and
// how a session runs it.
type wlStatement struct {
	text string
	run  func(s *Session) error
}

func wlLevel(d draw) Target {
	db, tb := pickFrom(d, "db", wlDBs), pickFrom(d, "table", wlTables)
	return pickFrom(d, "level", []Target{
		{Kind: model.KindTable, Database: db, Name: tb},
		{Kind: model.KindTable, Database: db, AnyTable: true},
		{Kind: model.KindTable, AnyDatabase: true, AnyTable: true},
		{Kind: model.KindDatabase, Database: db},
		{Kind: model.KindDatabase, AnyDatabase: true},
		{Kind: model.KindAccount},
	})
}

func wlGrantee(d draw) string {
	if d("grantee is a user", 3) == 0 {
		return pickFrom(d, "user", wlUsers)
	}
	return pickFrom(d, "role", wlRoles)
}

func wlOption(d draw) GrantOption { return GrantOption(d("option", 4) / 3) }

// wlDraw draws a statement; accounts adds the statements on accounts,
// which only sys's admin may run.
func wlDraw(d draw, accounts bool) wlStatement {
	n := 15
	if accounts {
		n = 18
	}
	s := func(text string, run func(s *Session) error) wlStatement { return wlStatement{text, run} }
	switch k := d("statement", n); k {
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
			return s.CreateTable(CreateTable{Database: db, Name: tb, Columns: []ColumnDef{{Name: "id", Type: "int"}}})
		})
	case 7:
		db, tb := pickFrom(d, "db", wlDBs), pickFrom(d, "table", wlTables)
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
		return wlColumns(d)
	case 15:
		a, pw := pickFrom(d, "account", wlAccounts), pickFrom(d, "password", wlPasswords)
		return s("CREATE ACCOUNT "+a, func(s *Session) error {
			return s.CreateAccount(CreateAccount{Name: a, AdminName: "adm", AdminPassword: model.Secret(pw), Comment: "c " + pw})
		})
	case 16:
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

// wlColumns draws a statement of reference §18: ALTER TABLE ADD or DROP
// COLUMN, GRANT or REVOKE on a column, DENY or REVOKE DENY.
func wlColumns(d draw) wlStatement {
	db, tb, r := pickFrom(d, "db", wlDBs), pickFrom(d, "table", wlTables), pickFrom(d, "role", wlRoles)
	col := pickFrom(d, "column", []string{"id", "c1", "c2"})
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
		{Kind: model.KindTable, Database: pickFrom(d, "db", wlDBs), Name: pickFrom(d, "table", wlTables)},
		{Kind: model.KindRole, Name: pickFrom(d, "role", wlRoles)},
		{Kind: model.KindUser, Name: u},
	})
	return wlStatement{fmt.Sprintf("GRANT OWNERSHIP ON %+v TO %s", on, r), func(s *Session) error {
		return s.GrantOwnership(GrantOwnership{On: on, To: r})
	}}
}

// stateDump is the state of snap as text, by name: per account its
// status and comment, what SHOW GRANTS prints for every role and user,
// and what it does not print (a user's lock, default role and comment;
// with hashes, its password hash; a table's columns). Two engines whose
// dumps are equal hold the same state up to IDs.
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
		for _, d := range tx.DatabasesOf(acc.ID) {
			out = append(out, a+"database "+d.Name)
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

// wlQuestion is a decision asked by name.
type wlQuestion struct {
	account, user, role string
	sec                 Secondary
	priv                model.Privilege
	kind                model.Kind
	db, table           string
}

var wlQuestionPrivs = []model.Privilege{
	model.PrivSelect, model.PrivInsert, model.PrivCreateTable, model.PrivShowTables,
	model.PrivCreateUser, model.PrivManageGrants, model.PrivCreateDatabase,
}

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
			db:   pickFrom(d, "q db", wlDBs), table: pickFrom(d, "q table", wlTables),
		}
		q.kind = map[model.Level]model.Kind{model.LevelAccount: model.KindAccount, model.LevelDatabase: model.KindDatabase,
			model.LevelTable: model.KindTable}[q.priv.Level()]
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
		if q.kind == model.KindTable {
			t, ok := snap.Table(db, q.table)
			if !ok {
				return "no table"
			}
			obj = model.Object{Kind: model.KindTable, ID: uint32(t)}
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
