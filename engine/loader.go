package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// Loader is the system-level bulk path: it writes a whole catalog with no
// authority checks in one transaction, for frontends restoring state and
// for benchmarks. Names are still validated, cycles still refused and
// limits still applied; objects are owned by their account's admin role.
type Loader struct {
	w      *writer
	admins map[model.AccountID]*Session // adminSession's answers, made once per account
}

// Level is a normalised grant level by IDs for the [Loader]. With a
// Prefix it is a name pattern (reference §16): DATABASE Prefix* (LevelDatabase),
// TABLE Prefix*.* (LevelTable, Database 0) or TABLE d.Prefix* (LevelTable,
// Database d).
type Level struct {
	Kind     model.Level      // LevelAccount, LevelDatabase or LevelTable
	Account  model.AccountID  // for wildcard, pattern and account levels
	Database model.DatabaseID // 0: every database
	Table    model.TableID    // 0: every table (of Database, or of every database)
	Prefix   string           // a name pattern's prefix, folded like a name
}

// Load runs fn with a loader; everything fn wrote commits at once, or
// nothing does if fn or a write fails. The users it creates clear the
// engine's own failure counts of their names, not those of a
// [SharedLockout], which lapse with the lock duration.
func (e *Engine) Load(fn func(l *Loader) error) error {
	if !e.ready() {
		return errNoEngine
	}
	return e.update(func(w *writer) error {
		w.describe = func() string { return stmtLoad }
		err := fn(&Loader{w: w})
		w.shared = nil // one call per loaded user is too many: the shared counts of their names lapse with their leases
		return err
	})
}

// CreateAccount creates an open account with its admin user.
func (l *Loader) CreateAccount(name, adminName, adminPassword string) (model.AccountID, error) {
	an, err := model.FoldName(model.NameAccount, name)
	if err != nil {
		return 0, err
	}
	un, err := model.FoldName(model.NameUser, adminName)
	if err != nil {
		return 0, err
	}
	if l.w.AccountByName(an) != nil {
		return 0, model.Errorf(model.ErrExists, "the account %s exists", model.Quote(an))
	}
	hash, err := l.hash(adminPassword)
	if err != nil {
		return 0, err
	}
	acc, err := l.w.createAccount(an, un, hash, model.AccountAdmin, "")
	if err != nil {
		return 0, err
	}
	return acc.ID, nil
}

func (l *Loader) hash(pw string) (string, error) {
	if err := l.w.e.checkPassword(pw); err != nil {
		return "", err
	}
	return l.w.e.cfg.hasher.Hash(pw)
}

func (l *Loader) account(a model.AccountID) (*catalog.Account, error) {
	if acc := l.w.Account(a); acc != nil {
		return acc, nil
	}
	return nil, model.Errorf(model.ErrNotFound, "there is no account %d", a)
}

// CreateUser creates a user holding public, owned by the admin role.
func (l *Loader) CreateUser(a model.AccountID, name, pw string) (model.UserID, error) {
	acc, err := l.account(a)
	if err != nil {
		return 0, err
	}
	n, err := model.FoldName(model.NameUser, name)
	if err != nil {
		return 0, err
	}
	hash, err := l.hash(pw)
	if err != nil {
		return 0, err
	}
	s := l.adminSession(acc)
	if err := l.w.createUser(s, n, hash, "", ""); err != nil {
		return 0, err
	}
	return l.w.UserByName(a, n).ID, nil
}

// adminSession is the identity the loader records as creator and grantor.
func (l *Loader) adminSession(acc *catalog.Account) *Session {
	s := l.admins[acc.ID]
	if s == nil || s.accountName != acc.Name || s.user != acc.AdminUser || s.role != acc.AdminRole {
		s = &Session{e: l.w.e, account: acc.ID, accountName: acc.Name, user: acc.AdminUser, role: acc.AdminRole}
		if l.admins == nil {
			l.admins = map[model.AccountID]*Session{}
		}
		l.admins[acc.ID] = s
	}
	return s
}

// CreateRole creates a role owned by the admin role.
func (l *Loader) CreateRole(a model.AccountID, name string) (model.RoleID, error) {
	acc, err := l.account(a)
	if err != nil {
		return 0, err
	}
	n, err := model.FoldName(model.NameRole, name)
	if err != nil {
		return 0, err
	}
	r, err := l.w.createRole(a, n, acc.AdminRole)
	if err != nil {
		return 0, err
	}
	return r.ID, nil
}

// CreateDatabase creates a database owned by the admin role.
func (l *Loader) CreateDatabase(a model.AccountID, name string) (model.DatabaseID, error) {
	acc, err := l.account(a)
	if err != nil {
		return 0, err
	}
	n, err := model.FoldName(model.NameDatabase, name)
	if err != nil {
		return 0, err
	}
	if l.w.DatabaseByName(a, n) != nil {
		return 0, model.Errorf(model.ErrExists, "the database %s exists", model.Quote(n))
	}
	if err := l.w.limit(l.w.Count(a).Databases, l.w.e.cfg.limits.DatabasesPerAccount, "databases", acc.Name); err != nil {
		return 0, err
	}
	d := &catalog.Database{ID: l.w.NewDatabaseID(), Account: a, Name: n, Owner: acc.AdminRole}
	l.w.Insert(d)
	return d.ID, nil
}

// CreateTable creates a table of database d owned by the admin role.
func (l *Loader) CreateTable(d model.DatabaseID, name string) (model.TableID, error) {
	db := l.w.Database(d)
	if db == nil {
		return 0, model.Errorf(model.ErrNotFound, "there is no database %d", d)
	}
	n, err := model.FoldName(model.NameTable, name)
	if err != nil {
		return 0, err
	}
	if l.w.TableByName(d, n) != nil {
		return 0, model.Errorf(model.ErrExists, "the table %s.%s exists", model.Quote(db.Name), model.Quote(n))
	}
	acc := l.w.Account(db.Account)
	if err := l.w.limit(l.w.Count(acc.ID).Tables, l.w.e.cfg.limits.TablesPerAccount, "tables", acc.Name); err != nil {
		return 0, err
	}
	t := catalog.Table{ID: l.w.NewTableID(), Account: db.Account, Database: d, Name: n, Owner: acc.AdminRole}
	l.w.InsertTable(t)
	return t.ID, nil
}

// GrantPrivilege grants p (ALL: PrivAll) at level on to role.
func (l *Loader) GrantPrivilege(role model.RoleID, p model.Privilege, on Level, opt GrantOption) error {
	if err := checkGrantOption(opt); err != nil {
		return err
	}
	r := l.w.Role(role)
	if r == nil {
		return model.Errorf(model.ErrNotFound, "there is no role %d", role)
	}
	if p == model.PrivAll {
		p = on.Kind.All()
	}
	if p.Level() != on.Kind {
		return model.Errorf(model.ErrInvalidPrivilege, "the privilege %q can only be granted to the object type %q",
			p.String(), p.Level().String())
	}
	lv, err := l.level(r.Account, on)
	if err != nil {
		return err
	}
	acc := l.w.Account(r.Account)
	s := l.adminSession(acc)
	return l.w.grantPrivs(s, []model.Privilege{p}, lv, r.Name, opt)
}

func (l *Loader) level(a model.AccountID, on Level) (level, error) {
	if on.Prefix != "" {
		return l.patternLevel(a, on)
	}
	lv := level{account: a, db: on.Database, table: on.Table}
	switch {
	case on.Kind == model.LevelAccount:
		lv.scope = catalog.ScopeAccount
	case on.Kind == model.LevelDatabase && on.Database == 0:
		lv.scope = catalog.ScopeAnyDatabase
	case on.Kind == model.LevelDatabase:
		lv.scope = catalog.ScopeDatabase
	case on.Kind == model.LevelTable && on.Table != 0:
		lv.scope = catalog.ScopeTable
	case on.Kind == model.LevelTable && on.Database != 0:
		lv.scope = catalog.ScopeDatabaseTables
	case on.Kind == model.LevelTable:
		lv.scope = catalog.ScopeAnyTable
	default:
		return lv, model.Errorf(model.ErrInvalidOption, "invalid grant level")
	}
	if d := l.w.Database(on.Database); on.Database != 0 && (d == nil || d.Account != a) {
		return lv, model.Errorf(model.ErrNotFound, "there is no database %d", on.Database)
	}
	if t := l.w.Table(on.Table); on.Table != 0 && (t == nil || t.Account != a) {
		return lv, model.Errorf(model.ErrNotFound, "there is no table %d", on.Table)
	}
	return lv, nil
}

// GrantRole makes role to inherit role; cycles are refused.
func (l *Loader) GrantRole(role, to model.RoleID, opt GrantOption) error {
	if err := checkGrantOption(opt); err != nil {
		return err
	}
	r, x := l.w.Role(role), l.w.Role(to)
	if r == nil || x == nil || r.Account != x.Account {
		return model.Errorf(model.ErrNotFound, "there is no role %d or %d in one account", role, to)
	}
	return l.w.grantRole(l.adminSession(l.w.Account(r.Account)), r, grantee{role: x, name: x.Name}, opt)
}

// GrantRoleToUser grants role to user u.
func (l *Loader) GrantRoleToUser(role model.RoleID, u model.UserID, opt GrantOption) error {
	if err := checkGrantOption(opt); err != nil {
		return err
	}
	r, usr := l.w.Role(role), l.w.User(u)
	if r == nil || usr == nil || r.Account != usr.Account {
		return model.Errorf(model.ErrNotFound, "there is no role %d or user %d in one account", role, u)
	}
	return l.w.grantRole(l.adminSession(l.w.Account(r.Account)), r, grantee{user: usr, name: usr.Name}, opt)
}
