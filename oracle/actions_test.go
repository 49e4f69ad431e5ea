package oracle_test

import (
	"fmt"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/oracle"
)

// The actions of the state machine: every exported method taking a
// *rapid.T. Each runs one statement (or login) on both sides.

// Account creates, alters or drops an account, creation most often.
func (m *machine) Account(t *rapid.T) {
	switch rapid.IntRange(0, 5).Draw(t, "account statement") {
	case 0, 1, 2:
		m.createAccount(t)
	case 3, 4:
		m.alterAccount(t)
	case 5:
		m.dropAccount(t)
	}
}

func (m *machine) createAccount(t *rapid.T) {
	st := engine.CreateAccount{
		IfNotExists:   flag1(t, "if not exists"),
		Name:          accountName(t),
		AdminName:     pick(t, "admin", []string{"adm"}, "u1", model.Public),
		AdminPassword: model.Secret(rapid.SampledFrom(passwords).Draw(t, "password")),
		Status:        model.StatusUnset,
	}
	if flag1(t, "with status") {
		st.Status = rapid.SampledFrom([]model.AccountStatus{model.StatusOpen, model.StatusRestricted, model.StatusSuspended}).Draw(t, "status")
	}
	who := m.actor(t)
	fresh := m.orc.State.AccountRows()
	m.do(t, who, fmt.Sprintf("CREATE ACCOUNT %s%s ADMIN_NAME '%s' IDENTIFIED BY '%s' %v", ifText(st.IfNotExists, "IF NOT EXISTS "), st.Name, st.AdminName, string(st.AdminPassword), st.Status),
		func(s *engine.Session) error { return s.CreateAccount(st) },
		func(s *oracle.Session) error { return s.CreateAccount(st) })
	if len(m.orc.State.AccountRows()) > len(fresh) {
		// A new account: watch it through its admin, and let the admin act.
		adminRole := model.AccountAdmin
		if p := m.login(t, st.Name, st.AdminName, string(st.AdminPassword), adminRole); p != nil {
			m.obs[st.Name] = p
		}
		if p := m.login(t, st.Name, st.AdminName, string(st.AdminPassword), ""); p != nil {
			m.addSession(t, p)
		}
		m.sync(t)
	}
}

func (m *machine) dropAccount(t *rapid.T) {
	who := m.actor(t)
	st := engine.DropAccount{IfExists: flag1(t, "if exists"), Name: accountName(t)}
	m.do(t, who, fmt.Sprintf("DROP ACCOUNT %s%s", ifText(st.IfExists, "IF EXISTS "), st.Name),
		func(s *engine.Session) error { return s.DropAccount(st) },
		func(s *oracle.Session) error { return s.DropAccount(st) })
}

func (m *machine) alterAccount(t *rapid.T) {
	who := m.actor(t)
	st := engine.AlterAccount{IfExists: flag1(t, "if exists"), Name: accountName(t)}
	var opt string
	switch rapid.IntRange(0, 4).Draw(t, "option") {
	case 0, 1:
		st.Status, opt = model.StatusOpen, "OPEN"
	case 2:
		st.Status, opt = model.StatusSuspended, "SUSPEND"
	case 3:
		st.Status, opt = model.StatusRestricted, "RESTRICTED"
	case 4:
		st.SetAdmin = true
		st.AdminName = pick(t, "admin", []string{"adm", "root"}, "u1")
		st.AdminPassword = model.Secret(rapid.SampledFrom(passwords).Draw(t, "password"))
		opt = fmt.Sprintf("ADMIN_NAME '%s' IDENTIFIED BY '%s'", st.AdminName, string(st.AdminPassword))
	}
	m.do(t, who, fmt.Sprintf("ALTER ACCOUNT %s%s %s", ifText(st.IfExists, "IF EXISTS "), st.Name, opt),
		func(s *engine.Session) error { return s.AlterAccount(st) },
		func(s *oracle.Session) error { return s.AlterAccount(st) })
}

func (m *machine) CreateUser(t *rapid.T) {
	who := m.actor(t)
	st := engine.CreateUser{IfNotExists: flag1(t, "if not exists")}
	text := ""
	for i, name := range some(t, "user", 2, newUserName) {
		pw := pick(t, "password", passwords, "")
		st.Users = append(st.Users, engine.UserCredential{Name: name, Password: model.Secret(pw)})
		text += ifText(i > 0, ", ") + fmt.Sprintf("%s IDENTIFIED BY '%s'", name, pw)
	}
	if flag1(t, "default role") {
		st.DefaultRole = m.roleName(t, "default role")
		text += " DEFAULT ROLE " + st.DefaultRole
	}
	m.do(t, who, "CREATE USER "+ifText(st.IfNotExists, "IF NOT EXISTS ")+text,
		func(s *engine.Session) error { return s.CreateUser(st) },
		func(s *oracle.Session) error { return s.CreateUser(st) })
}

func (m *machine) DropUser(t *rapid.T) {
	who := m.actor(t)
	st := engine.DropUser{IfExists: flag1(t, "if exists"), Names: some(t, "user", 2, m.userName)}
	m.do(t, who, "DROP USER "+ifText(st.IfExists, "IF EXISTS ")+join(st.Names),
		func(s *engine.Session) error { return s.DropUser(st) },
		func(s *oracle.Session) error { return s.DropUser(st) })
}

func (m *machine) AlterUser(t *rapid.T) {
	who := m.actor(t)
	ch := engine.UserChange{Name: m.userName(t, "user")}
	var opt string
	switch rapid.IntRange(0, 3).Draw(t, "action") {
	case 0:
		ch.Action, opt = engine.UserDefaultRole, "DEFAULT ROLE "
		ch.Role = m.roleName(t, "role")
		opt += ch.Role
	case 1:
		ch.Action, ch.Password = engine.UserSetPassword, model.Secret(rapid.SampledFrom(passwords).Draw(t, "password"))
		opt = "IDENTIFIED BY '" + string(ch.Password) + "'"
	case 2:
		ch.Action, opt = engine.UserUnlock, "UNLOCK"
	case 3:
		ch.Action, opt = engine.UserLock, "LOCK"
	}
	st := engine.AlterUser{IfExists: flag1(t, "if exists"), Users: []engine.UserChange{ch}}
	m.do(t, who, fmt.Sprintf("ALTER USER %s%s %s", ifText(st.IfExists, "IF EXISTS "), ch.Name, opt),
		func(s *engine.Session) error { return s.AlterUser(st) },
		func(s *oracle.Session) error { return s.AlterUser(st) })
}

func (m *machine) CreateRole(t *rapid.T) {
	who := m.actor(t)
	st := engine.CreateRole{IfNotExists: flag1(t, "if not exists"), Names: some(t, "role", 2, newRoleName)}
	m.do(t, who, "CREATE ROLE "+ifText(st.IfNotExists, "IF NOT EXISTS ")+join(st.Names),
		func(s *engine.Session) error { return s.CreateRole(st) },
		func(s *oracle.Session) error { return s.CreateRole(st) })
}

func (m *machine) DropRole(t *rapid.T) {
	who := m.actor(t)
	st := engine.DropRole{IfExists: flag1(t, "if exists"), Names: some(t, "role", 3, m.roleName)}
	m.do(t, who, "DROP ROLE "+ifText(st.IfExists, "IF EXISTS ")+join(st.Names),
		func(s *engine.Session) error { return s.DropRole(st) },
		func(s *oracle.Session) error { return s.DropRole(st) })
}

func (m *machine) GrantPrivilege(t *rapid.T) {
	who := m.actor(t)
	m.needRoles(t)
	on := m.level(t)
	st := engine.GrantPrivilege{On: on, To: some(t, "grantee", 2, m.roleName)}
	for range rapid.IntRange(1, 2).Draw(t, "privileges") {
		st.Privileges = append(st.Privileges, privilege(t, on.Kind))
	}
	st.Columns = m.columnLists(t, st.Privileges, on)
	if flag1(t, "with grant option") {
		st.Option = engine.GrantWithOption
	}
	m.do(t, who, fmt.Sprintf("GRANT %s ON %s TO %s%s", privText(st.Privileges, st.Columns), targetText(on), join(st.To), ifText(st.Option == engine.GrantWithOption, " WITH GRANT OPTION")),
		func(s *engine.Session) error { return s.GrantPrivilege(st) },
		func(s *oracle.Session) error { return s.GrantPrivilege(st) })
}

func (m *machine) RevokePrivilege(t *rapid.T) {
	who := m.actor(t)
	on := m.level(t)
	st := engine.RevokePrivilege{IfExists: flag1(t, "if exists"), GrantOptionOnly: flag1(t, "grant option for"),
		On: on, From: some(t, "grantee", 2, m.roleName)}
	for range rapid.IntRange(1, 2).Draw(t, "privileges") {
		st.Privileges = append(st.Privileges, privilege(t, on.Kind))
	}
	st.Columns = m.columnLists(t, st.Privileges, on)
	m.do(t, who, fmt.Sprintf("REVOKE %s%s%s ON %s FROM %s", ifText(st.IfExists, "IF EXISTS "), ifText(st.GrantOptionOnly, "GRANT OPTION FOR "), privText(st.Privileges, st.Columns), targetText(on), join(st.From)),
		func(s *engine.Session) error { return s.RevokePrivilege(st) },
		func(s *oracle.Session) error { return s.RevokePrivilege(st) })
}

// GrantRoleToRole grants roles to roles, the role graph's edges.
func (m *machine) GrantRoleToRole(t *rapid.T) {
	who := m.actor(t)
	m.needRoles(t)
	m.grantRole(t, who, some(t, "grantee", 2, m.roleName))
}

// GrantRoleToUser grants roles to users (or, now and then, to roles).
func (m *machine) GrantRoleToUser(t *rapid.T) {
	who := m.actor(t)
	m.needRoles(t)
	m.grantRole(t, who, some(t, "grantee", 2, m.granteeName))
}

// needRoles skips an action (rapid draws another) while the current
// account has no role of its own to grant or grant to.
func (m *machine) needRoles(t *rapid.T) {
	for _, r := range m.orc.State.Names(m.acc, model.KindRole) {
		if !slices.Contains(specialRoles, r) {
			return
		}
	}
	t.Skip("no role to grant")
}

func (m *machine) grantRole(t *rapid.T, who *pair, to []string) {
	st := engine.GrantRole{Roles: some(t, "role", 2, m.roleName), To: to}
	if flag1(t, "with grant option") {
		st.Option = engine.GrantWithOption
	}
	m.do(t, who, fmt.Sprintf("GRANT %s TO %s%s", join(st.Roles), join(st.To), ifText(st.Option == engine.GrantWithOption, " WITH GRANT OPTION")),
		func(s *engine.Session) error { return s.GrantRole(st) },
		func(s *oracle.Session) error { return s.GrantRole(st) })
}

func (m *machine) RevokeRole(t *rapid.T) {
	who := m.actor(t)
	st := engine.RevokeRole{IfExists: flag1(t, "if exists"), GrantOptionOnly: flag1(t, "grant option for"),
		Roles: some(t, "role", 2, m.roleName), From: some(t, "grantee", 2, m.granteeName)}
	m.do(t, who, fmt.Sprintf("REVOKE %s%s%s FROM %s", ifText(st.IfExists, "IF EXISTS "), ifText(st.GrantOptionOnly, "GRANT OPTION FOR "), join(st.Roles), join(st.From)),
		func(s *engine.Session) error { return s.RevokeRole(st) },
		func(s *oracle.Session) error { return s.RevokeRole(st) })
}

func (m *machine) GrantOwnership(t *rapid.T) {
	who := m.actor(t)
	var on engine.Target
	switch rapid.IntRange(0, 4).Draw(t, "object") {
	case 0:
		db := m.dbName(t)
		on = engine.Target{Kind: model.KindTable, Database: db, Name: m.tableName(t, db)}
	case 1:
		on = engine.Target{Kind: model.KindDatabase, Database: m.dbName(t)}
	case 2:
		on = engine.Target{Kind: model.KindRole, Name: m.roleName(t, "role")}
	case 3:
		on = engine.Target{Kind: model.KindUser, Name: m.userName(t, "user")}
	case 4:
		on = engine.Target{Kind: model.KindTable, Name: m.tableName(t, who.o.DBName)}
	}
	to := m.roleName(t, "to")
	stmt := fmt.Sprintf("GRANT OWNERSHIP ON %s TO %s", targetText(on), to)
	if flag1(t, "as a privilege list") {
		// The same transfer written as GRANT OWNERSHIP ON ... in a privilege list.
		st := engine.GrantPrivilege{Privileges: []string{"ownership"}, On: on, To: []string{to}}
		m.do(t, who, stmt,
			func(s *engine.Session) error { return s.GrantPrivilege(st) },
			func(s *oracle.Session) error { return s.GrantPrivilege(st) })
		return
	}
	st := engine.GrantOwnership{On: on, To: to}
	m.do(t, who, stmt,
		func(s *engine.Session) error { return s.GrantOwnership(st) },
		func(s *oracle.Session) error { return s.GrantOwnership(st) })
}

func (m *machine) CreateDatabase(t *rapid.T) {
	who := m.actor(t)
	st := engine.CreateDatabase{IfNotExists: flag1(t, "if not exists"), Name: rapid.SampledFrom(dbNames).Draw(t, "db")}
	m.do(t, who, "CREATE DATABASE "+ifText(st.IfNotExists, "IF NOT EXISTS ")+st.Name,
		func(s *engine.Session) error { return s.CreateDatabase(st) },
		func(s *oracle.Session) error { return s.CreateDatabase(st) })
}

func (m *machine) DropDatabase(t *rapid.T) {
	who := m.actor(t)
	st := engine.DropDatabase{IfExists: flag1(t, "if exists"), Name: m.dbName(t)}
	m.do(t, who, "DROP DATABASE "+ifText(st.IfExists, "IF EXISTS ")+st.Name,
		func(s *engine.Session) error { return s.DropDatabase(st) },
		func(s *oracle.Session) error { return s.DropDatabase(st) })
}

func (m *machine) UseDatabase(t *rapid.T) {
	who := m.actor(t)
	name := m.dbName(t)
	m.do(t, who, "USE "+name,
		func(s *engine.Session) error { return s.UseDatabase(name) },
		func(s *oracle.Session) error { return s.UseDatabase(name) })
}

func (m *machine) tableArgs(t *rapid.T) (db, name, text string) {
	if flag1(t, "unqualified") {
		name = m.tableName(t, m.cur.o.DBName)
		return "", name, name
	}
	db = m.dbName(t)
	name = m.tableName(t, db)
	return db, name, db + "." + name
}

func (m *machine) CreateTable(t *rapid.T) {
	who := m.actor(t)
	db, name, text := m.tableArgs(t)
	st := engine.CreateTable{IfNotExists: flag1(t, "if not exists"), Database: db, Name: name, Columns: columnDefs(t)}
	var cols []string
	for _, c := range st.Columns {
		cols = append(cols, c.Name+" "+c.Type)
	}
	if len(cols) > 0 {
		text += " (" + join(cols) + ")"
	}
	m.do(t, who, "CREATE TABLE "+ifText(st.IfNotExists, "IF NOT EXISTS ")+text,
		func(s *engine.Session) error { return s.CreateTable(st) },
		func(s *oracle.Session) error { return s.CreateTable(st) })
}

func (m *machine) DropTable(t *rapid.T) {
	who := m.actor(t)
	db, name, text := m.tableArgs(t)
	st := engine.DropTable{IfExists: flag1(t, "if exists"), Database: db, Name: name}
	m.do(t, who, "DROP TABLE "+ifText(st.IfExists, "IF EXISTS ")+text,
		func(s *engine.Session) error { return s.DropTable(st) },
		func(s *oracle.Session) error { return s.DropTable(st) })
}

// other draws a connection other than root's, which stays moadmin.
func (m *machine) other(t *rapid.T) *pair {
	if len(m.pool) < 2 {
		t.Skip("no connection but root")
	}
	m.cur = m.pool[rapid.IntRange(1, len(m.pool)-1).Draw(t, "session")]
	m.acc = m.cur.o.Account
	return m.cur
}

// Connection logs in, fails to log in, lets time pass, or changes the
// active or secondary roles of a connection.
func (m *machine) Connection(t *rapid.T) {
	switch rapid.IntRange(0, 7).Draw(t, "connection statement") {
	case 0, 1, 2:
		m.login1(t)
	case 3:
		m.wrongPasswords(t)
	case 4:
		m.wait(t)
	case 5, 6:
		m.setRole(t)
	case 7:
		m.setSecondaryRoles(t)
	}
}

func (m *machine) setRole(t *rapid.T) {
	who := m.other(t)
	// Mostly a role granted to the user directly.
	var direct []string
	s := m.orc.State
	for _, ur := range s.UserRoles {
		if ur.User == who.o.User {
			direct = append(direct, s.Roles[ur.Role].Name)
		}
	}
	slices.Sort(direct)
	name, ok := live(t, "role", direct)
	if !ok {
		name = m.roleName(t, "role")
	}
	m.do(t, who, "SET ROLE "+name,
		func(s *engine.Session) error { return s.SetRole(name) },
		func(s *oracle.Session) error { return s.SetRole(name) })
}

func (m *machine) setSecondaryRoles(t *rapid.T) {
	who := m.other(t)
	mode, text := engine.SecondaryNone, "NONE"
	if rapid.Bool().Draw(t, "all") {
		mode, text = engine.SecondaryAll, "ALL"
	}
	m.do(t, who, "SET SECONDARY ROLE "+text,
		func(s *engine.Session) error { return s.SetSecondaryRoles(mode) },
		func(s *oracle.Session) error { return s.SetSecondaryRoles(mode) })
}

// login1 logs in with the right password most of the time, and puts the
// connection in the pool.
func (m *machine) login1(t *rapid.T) {
	account := pick(t, "account", append([]string{model.SysAccount}, accountNames...))
	m.in(account)
	user := m.userName(t, "user")
	pw := m.password(account, user)
	if rapid.IntRange(0, 3).Draw(t, "wrong password") == 3 {
		pw = "wrong"
	}
	role := ""
	if flag1(t, "with role") {
		role = m.roleName(t, "role")
	}
	if p := m.login(t, account, user, pw, role); p != nil {
		m.addSession(t, p)
	}
}

// wrongPasswords fails to log in a few times in a row, towards a lock; now
// and then as root, which is never locked but delayed past the threshold.
func (m *machine) wrongPasswords(t *rapid.T) {
	if rapid.IntRange(0, 3).Draw(t, "as root") == 0 {
		for range rapid.IntRange(1, threshold+2).Draw(t, "attempts") {
			m.login(t, model.SysAccount, model.RootUser, "wrong", "")
		}
		return
	}
	account := pick(t, "account", append([]string{model.SysAccount}, accountNames...))
	m.in(account)
	user := m.userName(t, "user")
	for range rapid.IntRange(1, threshold).Draw(t, "attempts") {
		m.login(t, account, user, "wrong", "")
	}
}

// wait moves the clock on, so that automatic locks expire.
func (m *machine) wait(t *rapid.T) {
	d := time.Duration(rapid.IntRange(1, 15).Draw(t, "minutes")) * time.Minute
	m.now = m.now.Add(d)
	t.Logf("(the clock moves on %v)", d)
}

// Show runs a SHOW statement from any connection; rows and errors must agree.
func (m *machine) Show(t *rapid.T) {
	who := m.actor(t)
	var text string
	var e func() ([]string, error)
	var o func() ([]string, error)
	switch rapid.IntRange(0, 5).Draw(t, "show") {
	case 0:
		st := engine.ShowGrants{For: rapid.SampledFrom([]engine.ShowFor{engine.ShowSelf, engine.ShowAny, engine.ShowUser, engine.ShowRole}).Draw(t, "for")}
		text = "SHOW GRANTS"
		if st.For != engine.ShowSelf {
			st.Name = m.granteeName(t, "name")
			text += " FOR " + map[engine.ShowFor]string{engine.ShowAny: "", engine.ShowUser: "USER ", engine.ShowRole: "ROLE "}[st.For] + st.Name
		}
		e = func() ([]string, error) { return who.e.ShowGrants(st) }
		o = func() ([]string, error) { return who.o.ShowGrants(st) }
	case 1:
		text, e, o = "SHOW ROLES", who.e.ShowRoles, who.o.ShowRoles
	case 2:
		text, e, o = "SHOW USERS", who.e.ShowUsers, who.o.ShowUsers
	case 3:
		text, e, o = "SHOW ACCOUNTS", who.e.ShowAccounts, who.o.ShowAccounts
	case 4:
		text, e, o = "SHOW DATABASES", who.e.ShowDatabases, who.o.ShowDatabases
	case 5:
		db := ""
		if !flag1(t, "current database") {
			db = m.dbName(t)
		}
		text = "SHOW TABLES" + ifText(db != "", " FROM "+db)
		e = func() ([]string, error) { return who.e.ShowTables(engine.ShowTables{Database: db}) }
		o = func() ([]string, error) { return who.o.ShowTables(db) }
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
