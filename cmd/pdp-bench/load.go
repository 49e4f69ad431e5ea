package main

import (
	"fmt"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

// rootPassword is the cluster administrator's password of the benchmark
// engine, as in the scenario runner.
const rootPassword = "111"

// Request is a CHECK line resolved to IDs, ready for Engine.Check.
type Request struct {
	User      model.UserID     // the user asking
	Role      model.RoleID     // the active role
	Secondary engine.Secondary // whether secondary roles count
	Privilege model.Privilege  // the privilege needed
	On        model.Object     // the object
	Expect    Expect           // the expected answer, if known
	// Check is the index of the CHECK line in the workload.
	Check int
}

// Op is a MUTATE line ready to run on its account admin's session.
type Op struct {
	sess   *engine.Session
	kind   MutKind
	grantP engine.GrantPrivilege
	revokP engine.RevokePrivilege
	grantR engine.GrantRole
	revokR engine.RevokeRole
	grantG engine.GrantPrivilegeGroup
	revokG engine.RevokePrivilegeGroup
}

// Run applies the mutation.
func (o *Op) Run() error {
	switch o.kind {
	case MutGrantPrivilege:
		return o.sess.GrantPrivilege(o.grantP)
	case MutRevokePrivilege:
		return o.sess.RevokePrivilege(o.revokP)
	case MutGrantRole:
		return o.sess.GrantRole(o.grantR)
	case MutRevokeRole:
		return o.sess.RevokeRole(o.revokR)
	case MutGrantGroup:
		return o.sess.GrantPrivilegeGroup(o.grantG)
	case MutRevokeGroup:
		return o.sess.RevokePrivilegeGroup(o.revokG)
	}
	return fmt.Errorf("unknown mutation kind %d", o.kind)
}

// NewEngine returns an engine for the benchmark: the test password hasher
// and the root password of the scenario runner.
func NewEngine() (*engine.Engine, error) {
	eng, err := engine.New(engine.WithHasher(password.Testing()), engine.WithRootPassword(rootPassword))
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	return eng, nil
}

// loadIDs holds the IDs the loader returned, by name, for one account.
type loadIDs struct {
	id     model.AccountID
	users  map[string]model.UserID
	roles  map[string]model.RoleID
	dbs    map[string]model.DatabaseID
	groups map[string]model.GroupID
}

// Load runs the workload's setup on eng in one Engine.Load.
func Load(eng *engine.Engine, w *Workload) error {
	return eng.Load(func(l *engine.Loader) error {
		accounts := make(map[string]*loadIDs)
		tables := make(map[model.DatabaseID]map[string]model.TableID)
		ultipa := newUltipaLoad(w)
		for i := range w.Setup {
			handled, err := ultipa.load(l, &w.Setup[i], accounts[w.Setup[i].Account], tables)
			if !handled && err == nil {
				if err = loadStatement(l, &w.Setup[i], accounts, tables); err == nil {
					err = ultipa.addColumns(l, &w.Setup[i], accounts[w.Setup[i].Account], tables)
				}
			}
			if err != nil {
				st := &w.Setup[i]
				if st.Line > 0 {
					return fmt.Errorf("line %d: %s: %w", st.Line, st.String(), err)
				}
				return fmt.Errorf("%s: %w", st.String(), err)
			}
		}
		return nil
	})
}

func loadStatement(l *engine.Loader, st *Statement, accounts map[string]*loadIDs,
	tables map[model.DatabaseID]map[string]model.TableID) error {
	if st.Kind == StmtCreateAccount {
		id, err := l.CreateAccount(st.Name, st.AdminName, st.Password)
		if err != nil {
			return err
		}
		accounts[st.Name] = &loadIDs{id: id, users: make(map[string]model.UserID),
			roles: make(map[string]model.RoleID), dbs: make(map[string]model.DatabaseID), groups: make(map[string]model.GroupID)}
		return nil
	}
	a := accounts[st.Account]
	if a == nil {
		return fmt.Errorf("account %s was not created by this workload", st.Account)
	}
	if done, err := loadMilvus(l, st, a, tables); done {
		return err
	}
	switch st.Kind {
	case StmtCreateDatabase:
		id, err := l.CreateDatabase(a.id, st.Name)
		if err != nil {
			return err
		}
		a.dbs[st.Name] = id
		tables[id] = make(map[string]model.TableID)
	case StmtCreateTable:
		db, ok := a.dbs[st.Database]
		if !ok {
			return fmt.Errorf("no database %s", st.Database)
		}
		id, err := l.CreateTable(db, st.Name)
		if err != nil {
			return err
		}
		tables[db][st.Name] = id
	case StmtCreateRole:
		id, err := l.CreateRole(a.id, st.Name)
		if err != nil {
			return err
		}
		a.roles[st.Name] = id
	case StmtCreateUser:
		id, err := l.CreateUser(a.id, st.Name, st.Password)
		if err != nil {
			return err
		}
		a.users[st.Name] = id
	case StmtGrantPrivilege:
		role, ok := a.roles[st.To]
		if !ok {
			return fmt.Errorf("no role %s", st.To)
		}
		lvl := engine.Level{Kind: model.LevelTable}
		if st.On.Kind == model.KindDatabase {
			lvl.Kind = model.LevelDatabase
		}
		if !st.On.AnyDatabase {
			db, ok := a.dbs[st.On.Database]
			if !ok {
				return fmt.Errorf("no database %s", st.On.Database)
			}
			lvl.Database = db
			if st.On.Kind == model.KindTable && !st.On.AnyTable {
				t, ok := tables[db][st.On.Name]
				if !ok {
					return fmt.Errorf("no table %s.%s", st.On.Database, st.On.Name)
				}
				lvl.Table = t
			}
		}
		return l.GrantPrivilege(role, st.Privilege, lvl, engine.PlainGrant)
	case StmtGrantRole:
		role, ok := a.roles[st.Name]
		if !ok {
			return fmt.Errorf("no role %s", st.Name)
		}
		if to, ok := a.roles[st.To]; ok {
			return l.GrantRole(role, to, engine.PlainGrant)
		}
		if u, ok := a.users[st.To]; ok {
			return l.GrantRoleToUser(role, u, engine.PlainGrant)
		}
		return fmt.Errorf("no role or user %s", st.To)
	default:
		return fmt.Errorf("unknown statement kind %d", st.Kind)
	}
	return nil
}

// Resolve turns the workload's checks into requests by IDs, looking names
// up once in a snapshot. A name that does not resolve becomes ID 0, which
// names nothing, so the engine denies the request; unresolved counts them.
func Resolve(snap *engine.Snapshot, w *Workload) (reqs []Request, unresolved int) {
	reqs = make([]Request, len(w.Checks))
	for i := range w.Checks {
		c := &w.Checks[i]
		r := Request{Secondary: c.Secondary, Privilege: c.Privilege, Expect: c.Expect, Check: i}
		ok := false
		if a, found := snap.Account(c.Account); found {
			var okU, okR, okO bool
			r.User, okU = snap.User(a, c.User)
			r.Role, okR = snap.Role(a, c.Role)
			r.On, okO = resolveObject(snap, a, c.On)
			ok = okU && okR && okO
		}
		if !ok {
			unresolved++
		}
		reqs[i] = r
	}
	return reqs, unresolved
}

func resolveObject(snap *engine.Snapshot, a model.AccountID, on engine.Target) (model.Object, bool) {
	if on.Kind == model.KindColumn {
		return resolveColumn(snap, a, on)
	}
	db, ok := snap.Database(a, on.Database)
	if on.Kind == model.KindDatabase {
		return model.DatabaseObject(db), ok
	}
	if !ok {
		return model.TableObject(0), false
	}
	t, ok := snap.Table(db, on.Name)
	return model.TableObject(t), ok
}

// Ops logs in as each account's admin user (named by the workload's CREATE
// ACCOUNT) and prepares the mutation stream.
func Ops(eng *engine.Engine, w *Workload) ([]Op, error) {
	admins := make(map[string]*Statement)
	for i := range w.Setup {
		if st := &w.Setup[i]; st.Kind == StmtCreateAccount {
			admins[st.Name] = st
		}
	}
	sessions := make(map[string]*engine.Session)
	ops := make([]Op, len(w.Mutations))
	for i := range w.Mutations {
		m := &w.Mutations[i]
		sess := sessions[m.Account]
		if sess == nil {
			st := admins[m.Account]
			if st == nil {
				return nil, fmt.Errorf("%s: account %s was not created by this workload", m.String(), m.Account)
			}
			var err error
			if sess, err = eng.Login(st.Name, st.AdminName, st.Password, ""); err != nil {
				return nil, fmt.Errorf("log in as %s:%s: %w", st.Name, st.AdminName, err)
			}
			sessions[m.Account] = sess
		}
		op := Op{sess: sess, kind: m.Kind}
		privs := []string{m.Privilege.String()}
		names := []string{m.Grantee}
		switch m.Kind {
		case MutGrantPrivilege:
			op.grantP = engine.GrantPrivilege{Privileges: privs, On: m.On, To: names}
		case MutRevokePrivilege:
			op.revokP = engine.RevokePrivilege{Privileges: privs, On: m.On, From: names}
		case MutGrantRole:
			op.grantR = engine.GrantRole{Roles: []string{m.Role}, To: names}
		case MutRevokeRole:
			op.revokR = engine.RevokeRole{Roles: []string{m.Role}, From: names}
		case MutGrantGroup:
			op.grantG = engine.GrantPrivilegeGroup{Group: m.Group, On: m.On, To: names}
		case MutRevokeGroup:
			op.revokG = engine.RevokePrivilegeGroup{Group: m.Group, On: m.On, From: names}
		}
		ops[i] = op
	}
	return ops, nil
}
