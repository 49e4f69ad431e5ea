package engine

import (
	"sort"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// The introspection statements of reference §19 and §21.

// ForUser names whose decisions CHECK, EXPLAIN CHECK and SHOW PRIVILEGES
// answer: the session's own principal when User is ""; else user User
// acting through Role (its default role, as at login, when Role is "")
// with Secondary. Asking for another user needs MANAGE GRANTS.
type ForUser struct {
	User      string
	Role      string
	Secondary Secondary
}

// ShowTables is SHOW TABLES [FROM d]; Database "" means the current database.
type ShowTables struct {
	Database string
}

// ShowPrivileges is SHOW PRIVILEGES ON object [FOR USER u [ROLE r] [SECONDARY {ALL | NONE}]].
type ShowPrivileges struct {
	On  Target
	For ForUser
}

// ShowHolders is SHOW USERS WITH priv ON object, or SHOW ROLES WITH when
// Roles is set. Privilege is the name as written.
type ShowHolders struct {
	Roles     bool
	Privilege string
	On        Target
}

// ShowDatabases runs SHOW DATABASES: the databases S sees (reference §19), by
// name. It needs nothing; with the active role revoked S is empty.
func (s *Session) ShowDatabases() ([]string, error) {
	var rows []string
	err := s.read(nil, func(snap *Snapshot, ac *actor) error {
		for _, d := range snap.read().DatabasesOf(s.account) {
			if snap.databaseVisible(ac.a, ac.set, d.ID) {
				rows = append(rows, model.Quote(d.Name))
			}
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}

// ShowTables runs SHOW TABLES [FROM d]: the tables of d that S sees. An
// invisible or missing d is refused as USE refuses it.
func (s *Session) ShowTables(st ShowTables) ([]string, error) {
	var rows []string
	var name string
	err := s.read(func() error {
		if st.Database == "" {
			if s.dbName == "" {
				return errNoDatabaseSelected
			}
			return nil
		}
		return foldInto(&name, model.NameDatabase, st.Database)
	}, func(snap *Snapshot, ac *actor) error {
		tx := snap.read()
		var d *catalog.Database
		var err error
		if st.Database == "" {
			d, err = ac.currentDatabase(s.db, s.dbName)
		} else {
			d, err = ac.visibleDatabase(name)
		}
		if err != nil {
			return err
		}
		dv := snap.dbAt(uint32(d.ID))
		for _, t := range tx.TablesOf(d.ID) {
			if tv := snap.tableAt(uint32(t.ID)); tv != nil && snap.tableVisible(ac.a, ac.set, dv, tv, t.ID, t.Name) {
				rows = append(rows, model.Quote(t.Name))
			}
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}

// UseDatabase runs USE d: it needs CONNECT and d visible to S (reference §9,
// §19). A missing d is refused like an invisible one, except to a session
// that sees every database (SHOW DATABASES or the admin role), which is
// told there is no such database. The database is then held by ID.
func (s *Session) UseDatabase(name string) error {
	var n string
	return s.read(func() error { return foldInto(&n, model.NameDatabase, name) }, func(snap *Snapshot, ac *actor) error {
		d, err := ac.visibleDatabase(n)
		if err != nil {
			return err
		}
		s.db, s.dbName = d.ID, d.Name
		return nil
	})
}

// visibleDatabase resolves database name for USE and SHOW TABLES FROM:
// CONNECT, and the database visible to S.
func (ac *actor) visibleDatabase(name string) (*catalog.Database, error) {
	if err := require(ac.a.accountGrant(ac.set, model.PrivConnect)); err != nil {
		return nil, err
	}
	d := ac.snap.read().DatabaseByName(ac.a.id, name)
	switch {
	case d != nil && ac.snap.databaseVisible(ac.a, ac.set, d.ID):
		return d, nil
	case d == nil && ac.a.seesAllDatabases(ac.set):
		return nil, noDatabase(name)
	}
	return nil, errDenied
}

// currentDatabase resolves the session's current database (id, named
// name when it was chosen) for SHOW TABLES: once dropped it is missing
// (reference §10); else it must still be visible.
func (ac *actor) currentDatabase(id model.DatabaseID, name string) (*catalog.Database, error) {
	if err := require(ac.a.accountGrant(ac.set, model.PrivConnect)); err != nil {
		return nil, err
	}
	d := ac.snap.read().Database(id)
	switch {
	case d == nil:
		return nil, noDatabase(name)
	case !ac.snap.databaseVisible(ac.a, ac.set, d.ID):
		return nil, errDenied
	}
	return d, nil
}

// ShowGrantsOn runs SHOW GRANTS ON {ACCOUNT | level | ROLE r | USER u}: the
// grant and ownership rows stored at exactly that level or object (reference
// §19, §21), the admin role's fixed rows at ACCOUNT, DATABASE * and TABLE
// *.*. It needs MANAGE GRANTS or the admin role, judged before existence.
func (s *Session) ShowGrantsOn(on Target) ([]string, error) {
	var rows []string
	var sp levelSpec
	var name string
	err := s.read(func() (err error) {
		switch on.Kind {
		case model.KindRole:
			return foldInto(&name, model.NameRole, on.Name)
		case model.KindUser:
			return foldInto(&name, model.NameUser, on.Name)
		case model.KindColumn:
			sp, name, err = s.columnSpec(on)
			return err
		}
		sp, err = s.spec(on)
		return err
	}, func(snap *Snapshot, ac *actor) error {
		if !ac.manageGrants() {
			return errDenied
		}
		tx := snap.read()
		var err error
		switch on.Kind {
		case model.KindRole:
			rows, err = roleOwnerRows(tx, s.account, name)
		case model.KindUser:
			rows, err = userOwnerRows(tx, s.account, name)
		case model.KindColumn:
			rows, err = columnLevelRows(tx, s.account, sp, name)
		default:
			rows, err = levelRows(tx, ac.a, (&writer{Tx: tx}).resolve(s.account, sp))
		}
		sort.Strings(rows)
		return err
	})
	return rows, err
}

func roleOwnerRows(tx *catalog.Tx, a model.AccountID, name string) ([]string, error) {
	r := tx.RoleByName(a, name)
	if r == nil {
		return nil, model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(name))
	}
	return []string{"GRANT OWNERSHIP ON ROLE " + model.Quote(r.Name) + " TO " + roleName(tx, r.Owner)}, nil
}

func userOwnerRows(tx *catalog.Tx, a model.AccountID, name string) ([]string, error) {
	u := tx.UserByName(a, name)
	if u == nil {
		return nil, model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(name))
	}
	return []string{"GRANT OWNERSHIP ON USER " + model.Quote(u.Name) + " TO " + roleName(tx, u.Owner)}, nil
}

// roleName returns role id's name as SHOW prints it.
func roleName(tx *catalog.Tx, id model.RoleID) string {
	if r := tx.Role(id); r != nil {
		return model.Quote(r.Name)
	}
	return ""
}

// levelRows returns the rows stored at level l: its grants, the admin
// role's fixed rows at the account-wide levels, and the ownership row of
// the database or table it names.
func levelRows(tx *catalog.Tx, a *accountView, l level) ([]string, error) {
	if l.missing != nil {
		return nil, l.missing
	}
	key := l.key()
	on := " ON " + levelName(tx, key)
	var rows []string
	admin := " TO " + roleName(tx, a.adminRole)
	switch l.scope {
	case catalog.ScopeAccount, catalog.ScopeAnyDatabase, catalog.ScopeAnyTable:
		rows = append(rows, "GRANT ALL"+on+admin+" WITH GRANT OPTION")
		if l.scope == catalog.ScopeAccount && a.sys {
			for _, p := range []model.Privilege{model.PrivCreateAccount, model.PrivDropAccount, model.PrivAlterAccount} {
				rows = append(rows, "GRANT "+p.Upper()+on+admin)
			}
		}
	case catalog.ScopeDatabase:
		rows = append(rows, "GRANT OWNERSHIP"+on+" TO "+roleName(tx, tx.Database(l.db).Owner))
	case catalog.ScopeTable:
		rows = append(rows, "GRANT OWNERSHIP"+on+" TO "+roleName(tx, tx.Table(l.table).Owner))
	}
	for _, g := range tx.GrantsAt(key) {
		rows = append(rows, "GRANT "+g.Priv.Upper()+on+" TO "+roleName(tx, g.Role)+option(g.Option))
	}
	for _, g := range tx.GroupGrantsAt(key) {
		rows = append(rows, groupGrantRow(tx, g))
	}
	return append(rows, aclRowsAt(tx, l)...), nil
}

// ShowPrivileges runs SHOW PRIVILEGES ON object [FOR USER ...]: the
// privileges of [KindPrivileges] that Check allows there for the
// principal, one upper-case name per row. A missing object, or one S
// cannot see, has none; a wildcard names no object and has none.
func (s *Session) ShowPrivileges(st ShowPrivileges) ([]string, error) {
	var rows []string
	var who forNames
	err := s.read(func() (err error) {
		if who, err = s.foldFor(st.For); err != nil {
			return err
		}
		return s.objectSpec(st.On)
	}, func(snap *Snapshot, ac *actor) error {
		pr, err := s.principalFor(snap, ac, who)
		if err != nil {
			return err
		}
		obj, reason := s.locateOn(snap, st.On)
		if reason != 0 {
			return nil
		}
		for p := range privilegesOf(snap.Privileges(pr.User, pr.Role, pr.Secondary, obj)) {
			rows = append(rows, p.Upper())
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}

// ShowHolders runs SHOW USERS WITH priv ON object (or SHOW ROLES WITH):
// the names of the users (roles) [Snapshot.WhoCan] returns. It needs
// MANAGE GRANTS or the admin role, judged before existence; a wildcard
// names no object and has none.
func (s *Session) ShowHolders(st ShowHolders) ([]string, error) {
	var rows []string
	var p model.Privilege
	err := s.read(func() (err error) {
		if p, err = statementPrivilege(st.Privilege, st.On.Kind); err != nil {
			return err
		}
		return s.objectSpec(st.On)
	}, func(snap *Snapshot, ac *actor) error {
		if !ac.manageGrants() {
			return errDenied
		}
		if st.On.wildcard() {
			return nil
		}
		tx := snap.read()
		obj, err := s.existing(snap, st.On)
		if err != nil {
			return err
		}
		h := snap.WhoCan(p, obj)
		if st.Roles {
			for _, r := range h.Roles {
				rows = append(rows, roleName(tx, r))
			}
		} else {
			for _, u := range h.Users {
				if rec := tx.User(u); rec != nil {
					rows = append(rows, model.Quote(rec.Name))
				}
			}
		}
		sort.Strings(rows)
		return nil
	})
	return rows, err
}

// statementPrivilege maps a privilege as written in a statement to its
// privilege; ALL is the ALL of the object's level.
func statementPrivilege(name string, k model.Kind) (model.Privilege, error) {
	p, ok := model.ParsePrivilege(name)
	switch {
	case !ok:
		return 0, model.Errorf(model.ErrInvalidPrivilege, "unsupported privilege type %s", strings.ToLower(strings.Join(strings.Fields(name), " ")))
	case p == model.PrivAll && k.Level() != model.LevelNone:
		return k.Level().All(), nil
	}
	return p, nil
}

// objectSpec does the stage-2 checks of an object named by an
// introspection statement: an unqualified table needs a current database.
func (s *Session) objectSpec(on Target) error {
	if (on.Kind == model.KindTable || on.Kind == model.KindColumn) && on.Database == "" && !on.AnyDatabase && s.dbName == "" {
		return errNoDatabaseSelected
	}
	return nil
}

// locateOn names an object of the session's account on snap (the caller
// holds the session's lock). A wildcard names none.
func (s *Session) locateOn(snap *Snapshot, on Target) (model.Object, Reason) {
	switch {
	case s.objectSpec(on) != nil:
		return model.Object{}, ReasonNoDatabase
	case on.wildcard():
		return model.Object{}, ReasonWildcard
	}
	return locate(snap.read(), s.account, s.db, s.dbName, on)
}

// existing names an object that must exist, or returns the error the reference
// words for a missing one.
func (s *Session) existing(snap *Snapshot, on Target) (model.Object, error) {
	if obj, reason := s.locateOn(snap, on); reason == 0 {
		return obj, nil
	}
	switch on.Kind {
	case model.KindRole:
		return model.Object{}, model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(fold(model.NameRole, on.Name)))
	case model.KindUser:
		return model.Object{}, model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(fold(model.NameUser, on.Name)))
	case model.KindColumn:
		sp, col, err := s.columnSpec(on)
		if err != nil {
			return model.Object{}, err
		}
		_, err = columnLevelRows(snap.read(), s.account, sp, col)
		return model.Object{}, err
	}
	sp, err := s.spec(on)
	if err != nil {
		return model.Object{}, err
	}
	l := (&writer{Tx: snap.read()}).resolve(s.account, sp)
	return model.Object{}, l.missing
}

// forNames is a ForUser with its names folded.
type forNames struct {
	user, role string
	sec        Secondary
}

// foldFor folds the names of a FOR USER clause (stage 2).
func (s *Session) foldFor(f ForUser) (forNames, error) {
	n := forNames{sec: f.Secondary}
	if f.User == "" {
		return n, nil
	}
	if err := foldInto(&n.user, model.NameUser, f.User); err != nil {
		return n, err
	}
	if f.Role != "" {
		return n, foldInto(&n.role, model.NameRole, f.Role)
	}
	return n, nil
}

// principalFor resolves whom a statement asks about: the session's own
// principal, or the named user (another one needs MANAGE GRANTS, stage 3)
// with its named role or else its default role as at login.
func (s *Session) principalFor(snap *Snapshot, ac *actor, who forNames) (Principal, error) {
	if who.user == "" {
		return Principal{s.account, s.user, s.role, s.secondary}, nil
	}
	if who.user != s.userName && !ac.manageGrants() {
		return Principal{}, errDenied
	}
	tx := snap.read()
	u := tx.UserByName(s.account, who.user)
	if u == nil {
		return Principal{}, model.Errorf(model.ErrNotFound, "there is no user %s", model.Quote(who.user))
	}
	pr := Principal{Account: s.account, User: u.ID, Secondary: who.sec}
	if who.role != "" {
		r := tx.RoleByName(s.account, who.role)
		if r == nil {
			return Principal{}, model.Errorf(model.ErrNotFound, "there is no role %s", model.Quote(who.role))
		}
		pr.Role = r.ID
		return pr, nil
	}
	pr.Role = tx.Account(s.account).PublicRole
	if r := tx.Role(u.DefaultRole); r != nil && tx.UserRole(u.ID, r.ID) != nil {
		pr.Role = r.ID
	}
	return pr, nil
}
