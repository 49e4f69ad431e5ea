package engine

import (
	"fmt"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// The canonical statement text of a change record (reference §20): the
// statement as the engine ran it, names folded, an unqualified table
// qualified with the session's current database, privileges upper-cased,
// and passwords only as the hashes stored (IDENTIFIED BY PASSWORD 'hash').
// It is rendered after the statement succeeded, from its arguments and
// the transaction's writes; a record re-applies from its operations, so
// the text is for people and audits.

// The statements of the engine's own API that are not statements of the
// language.
const (
	stmtBootstrap = "BOOTSTRAP"
	stmtLoad      = "LOAD"
)

// canonical renders st, a statement struct of statements.go, as run by s
// in the transaction of w.
func canonical(s *Session, w *writer, st any) string {
	var b strings.Builder
	c := canon{s: s, w: w, b: &b}
	switch st := st.(type) {
	case CreateAccount:
		c.add("CREATE ACCOUNT", c.ifNot(st.IfNotExists), c.name(model.NameAccount, st.Name),
			"ADMIN_NAME", c.str(c.fold(model.NameUser, st.AdminName)))
		c.password(c.accountAdmin(st.Name, st.AdminName))
		c.add(statusWord(st.Status))
		if st.Comment != "" {
			c.add("COMMENT", c.str(st.Comment))
		}
	case DropAccount:
		c.add("DROP ACCOUNT", c.ifExists(st.IfExists), c.name(model.NameAccount, st.Name))
	case AlterAccount:
		c.alterAccount(st)
	case CreateUser:
		c.add("CREATE USER", c.ifNot(st.IfNotExists))
		for i, u := range st.Users {
			c.list(i, c.name(model.NameUser, u.Name))
			c.password(c.userWritten(s.account, c.fold(model.NameUser, u.Name)))
		}
		if st.DefaultRole != "" {
			c.add("DEFAULT ROLE", c.name(model.NameRole, st.DefaultRole))
		}
		if st.Comment != "" {
			c.add("COMMENT", c.str(st.Comment))
		}
	case DropUser:
		c.add("DROP USER", c.ifExists(st.IfExists), c.names(model.NameUser, st.Names))
	case AlterUser:
		c.alterUser(st)
	case CreateRole:
		c.add("CREATE ROLE", c.ifNot(st.IfNotExists), c.names(model.NameRole, st.Names))
	case DropRole:
		c.add("DROP ROLE", c.ifExists(st.IfExists), c.names(model.NameRole, st.Names))
	case GrantPrivilege:
		c.add("GRANT", c.columnPrivileges(st.Privileges, st.Columns), "ON", c.target(st.On), "TO", c.names(model.NameRole, st.To))
		if st.Option == GrantWithOption {
			c.add("WITH GRANT OPTION")
		}
	case RevokePrivilege:
		c.add("REVOKE", c.ifExists(st.IfExists))
		if st.GrantOptionOnly {
			c.add("GRANT OPTION FOR")
		}
		c.add(c.columnPrivileges(st.Privileges, st.Columns), "ON", c.target(st.On), "FROM", c.names(model.NameRole, st.From))
	case GrantRole:
		c.add("GRANT", c.names(model.NameRole, st.Roles), "TO", c.names(model.NameRole, st.To))
		if st.Option == GrantWithOption {
			c.add("WITH GRANT OPTION")
		}
	case RevokeRole:
		c.add("REVOKE", c.ifExists(st.IfExists))
		if st.GrantOptionOnly {
			c.add("GRANT OPTION FOR")
		}
		c.add(c.names(model.NameRole, st.Roles), "FROM", c.names(model.NameRole, st.From))
	case GrantOwnership:
		c.add("GRANT OWNERSHIP ON", c.target(st.On), "TO", c.name(model.NameRole, st.To))
	case CreateDatabase:
		c.add("CREATE DATABASE", c.ifNot(st.IfNotExists), c.name(model.NameDatabase, st.Name))
	case DropDatabase:
		c.add("DROP DATABASE", c.ifExists(st.IfExists), c.name(model.NameDatabase, st.Name))
	case CreateTable:
		c.add("CREATE TABLE", c.ifNot(st.IfNotExists), c.table(st.Database, st.Name), c.columnDefs(st.Columns))
	case DropTable:
		c.add("DROP TABLE", c.ifExists(st.IfExists), c.table(st.Database, st.Name))
	default:
		if c.columnStatement(st) {
			break
		}
		// A statement without a rendering of its own: its Go form, which
		// prints any password redacted.
		fmt.Fprintf(&b, "%+v", st)
	}
	return b.String()
}

// canon builds one canonical statement text.
type canon struct {
	s *Session
	w *writer
	b *strings.Builder
}

// add appends the non-empty words, separated by single spaces.
func (c canon) add(words ...string) {
	for _, w := range words {
		if w == "" {
			continue
		}
		if c.b.Len() > 0 {
			c.b.WriteByte(' ')
		}
		c.b.WriteString(w)
	}
}

// list appends one item of a comma-separated list.
func (c canon) list(i int, item string) {
	if i > 0 {
		c.b.WriteByte(',')
	}
	c.add(item)
}

func (canon) ifNot(on bool) string {
	if on {
		return "IF NOT EXISTS"
	}
	return ""
}

func (canon) ifExists(on bool) string {
	if on {
		return "IF EXISTS"
	}
	return ""
}

// fold folds a name; a name that does not fold (the statement succeeded,
// so it was skipped) is kept as written.
func (canon) fold(kind model.NameKind, raw string) string {
	if n, err := model.FoldName(kind, raw); err == nil {
		return n
	}
	return raw
}

// name is a folded name as SHOW prints it.
func (c canon) name(kind model.NameKind, raw string) string { return model.Quote(c.fold(kind, raw)) }

// names is a comma-separated list of folded names.
func (c canon) names(kind model.NameKind, raw []string) string {
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = c.name(kind, r)
	}
	return strings.Join(out, ", ")
}

// str quotes a text as a string literal.
func (canon) str(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// privileges upper-cases the privilege names with single spaces.
func (canon) privileges(raw []string) string {
	out := make([]string, len(raw))
	for i, p := range raw {
		out[i] = strings.ToUpper(strings.Join(strings.Fields(p), " "))
	}
	return strings.Join(out, ", ")
}

// table is [d.]t qualified with the current database when d is omitted.
func (c canon) table(db, name string) string {
	if db == "" {
		db = c.s.dbName
	}
	t := c.name(model.NameTable, name)
	if db == "" {
		return t
	}
	return c.name(model.NameDatabase, db) + "." + t
}

// target is a grant level or an object in its normalised form.
func (c canon) target(t Target) string {
	switch t.Kind {
	case model.KindAccount:
		return "ACCOUNT"
	case model.KindDatabase:
		if t.AnyDatabase {
			return "DATABASE *"
		}
		return "DATABASE " + c.name(model.NameDatabase, t.Database)
	case model.KindTable:
		switch {
		case t.AnyDatabase:
			return "TABLE *.*"
		case t.AnyTable:
			db := t.Database
			if db == "" {
				db = c.s.dbName
			}
			return "TABLE " + c.name(model.NameDatabase, db) + ".*"
		}
		return "TABLE " + c.table(t.Database, t.Name)
	case model.KindRole:
		return "ROLE " + c.name(model.NameRole, t.Name)
	case model.KindUser:
		return "USER " + c.name(model.NameUser, t.Name)
	}
	return t.Kind.String()
}

// password appends the hash a user was given, if the transaction wrote one.
func (c canon) password(u *catalog.User) {
	if u != nil {
		c.add("IDENTIFIED BY PASSWORD", c.str(u.Hash))
	}
}

// userWritten returns the last version of the user of account a named
// name the transaction wrote, or nil.
func (c canon) userWritten(a model.AccountID, name string) *catalog.User {
	var found *catalog.User
	for _, wr := range c.w.Writes() {
		if u, ok := wr.Rec.(*catalog.User); ok && !wr.Delete && u.Account == a && u.Name == name {
			found = u
		}
	}
	return found
}

// accountAdmin returns the admin user the transaction wrote for the
// account named account, or nil.
func (c canon) accountAdmin(account, admin string) *catalog.User {
	acc := c.w.AccountByName(c.fold(model.NameAccount, account))
	if acc == nil {
		return nil
	}
	return c.userWritten(acc.ID, c.fold(model.NameUser, admin))
}

func (c canon) alterAccount(st AlterAccount) {
	c.add("ALTER ACCOUNT", c.ifExists(st.IfExists), c.name(model.NameAccount, st.Name))
	if st.SetAdmin {
		c.add("ADMIN_NAME", c.str(c.fold(model.NameUser, st.AdminName)))
		c.password(c.accountAdmin(st.Name, st.AdminName))
	}
	c.add(statusWord(st.Status))
	if st.SetComment {
		c.add("COMMENT", c.str(st.Comment))
	}
}

func (c canon) alterUser(st AlterUser) {
	c.add("ALTER USER", c.ifExists(st.IfExists))
	for i, u := range st.Users {
		name := c.fold(model.NameUser, u.Name)
		c.list(i, model.Quote(name))
		switch u.Action {
		case UserSetPassword:
			c.password(c.userWritten(c.s.account, name))
		case UserLock:
			c.add("LOCK")
		case UserUnlock:
			c.add("UNLOCK")
		case UserDefaultRole:
			c.add("DEFAULT ROLE", c.name(model.NameRole, u.Role))
		}
	}
}

// statusWord is an account status as the statement language writes it,
// "" for StatusUnset.
func statusWord(st model.AccountStatus) string {
	switch st {
	case model.StatusOpen:
		return "OPEN"
	case model.StatusSuspended:
		return "SUSPEND"
	case model.StatusRestricted:
		return "RESTRICTED"
	}
	return ""
}
