package dcl

import (
	"fmt"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Result is what a statement returns: rows for a SHOW, CHECK or EXPLAIN
// CHECK statement, nothing for the others.
type Result struct {
	// Rows are the lines the statement printed, in its order.
	Rows []string
	// Show reports whether the statement answers with rows (which may be
	// none), as SHOW, CHECK and EXPLAIN CHECK do.
	Show bool
}

// errNotConnected is the answer of a connection that never logged in.
var errNotConnected = model.Errorf(model.ErrNotConnected, "not connected")

// Exec runs st on sess. A nil sess is a connection that never logged in:
// every statement fails with `not connected`. CONNECT needs an engine and
// is run by [Conn.Exec] instead; Exec refuses it.
func Exec(sess *engine.Session, st Statement) (Result, error) {
	if sess == nil {
		return Result{}, errNotConnected
	}
	if res, ok, err := execIntrospection(sess, st); ok {
		return res, err
	}
	if res, ok, err := execColumns(sess, st); ok {
		return res, err
	}
	if res, ok, err := execMilvus(sess, st); ok {
		return res, err
	}
	var err error
	switch st := st.(type) {
	case *CreateAccount:
		err = sess.CreateAccount(engine.CreateAccount(*st))
	case *DropAccount:
		err = sess.DropAccount(engine.DropAccount(*st))
	case *AlterAccount:
		err = sess.AlterAccount(engine.AlterAccount(*st))
	case *CreateUser:
		err = sess.CreateUser(engine.CreateUser(*st))
	case *DropUser:
		err = sess.DropUser(engine.DropUser(*st))
	case *AlterUser:
		err = sess.AlterUser(engine.AlterUser(*st))
	case *CreateRole:
		err = sess.CreateRole(engine.CreateRole(*st))
	case *DropRole:
		err = sess.DropRole(engine.DropRole(*st))
	case *GrantPrivilege:
		err = sess.GrantPrivilege(engine.GrantPrivilege(*st))
	case *RevokePrivilege:
		err = sess.RevokePrivilege(engine.RevokePrivilege(*st))
	case *GrantRole:
		err = sess.GrantRole(engine.GrantRole(*st))
	case *RevokeRole:
		err = sess.RevokeRole(engine.RevokeRole(*st))
	case *CreateDatabase:
		err = sess.CreateDatabase(engine.CreateDatabase(*st))
	case *DropDatabase:
		err = sess.DropDatabase(engine.DropDatabase(*st))
	case *CreateTable:
		err = sess.CreateTable(engine.CreateTable(*st))
	case *DropTable:
		err = sess.DropTable(engine.DropTable(*st))
	case *Use:
		err = sess.UseDatabase(st.Database)
	case *SetRole:
		err = sess.SetRole(st.Role)
	case *SetSecondaryRole:
		err = sess.SetSecondaryRoles(st.Mode)
	case *ShowGrants:
		return rows(sess.ShowGrants(engine.ShowGrants(*st)))
	case *ShowRoles:
		return rows(sess.ShowRoles())
	case *ShowUsers:
		return rows(sess.ShowUsers())
	case *ShowAccounts:
		return rows(sess.ShowAccounts())
	case *Check:
		return checkRows(sess, *st, false)
	case *ExplainCheck:
		return checkRows(sess, st.Check, true)
	case *Connect:
		err = model.Errorf(model.ErrInvalidOption, "CONNECT is run by a connection, not by a session")
	default:
		err = fmt.Errorf("dcl: unknown statement type %T", st)
	}
	return Result{}, err
}

// rows wraps the answer of a SHOW method.
func rows(r []string, err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	return Result{Rows: r, Show: true}, nil
}

// Conn is a client connection to an engine, as a database client holds one:
// the session it is logged in with, if any. CONNECT replaces the session;
// a failed CONNECT leaves it as it was. A Conn is not safe for concurrent use.
type Conn struct {
	eng  *engine.Engine
	sess *engine.Session
}

// NewConn returns a connection to eng that is not logged in.
func NewConn(eng *engine.Engine) *Conn { return &Conn{eng: eng} }

// Session returns the connection's session, nil if it never logged in.
func (c *Conn) Session() *engine.Session { return c.sess }

// Connect logs the connection in with a reference §7 login string. On failure
// the connection keeps its session.
func (c *Conn) Connect(login, password string) error {
	s, err := c.eng.Connect(login, password)
	if err != nil {
		return err
	}
	c.sess = s
	return nil
}

// Exec runs st on the connection: CONNECT logs in again, the others run
// on the session as [Exec] does.
func (c *Conn) Exec(st Statement) (Result, error) {
	if cn, ok := st.(*Connect); ok {
		return Result{}, c.Connect(cn.Login, string(cn.Password))
	}
	return Exec(c.sess, st)
}

// Decide answers a decision for the connection, naming the object by name.
// A connection that never logged in is denied with reason "not connected".
func (c *Conn) Decide(p model.Privilege, on engine.Target) engine.Decision {
	if c.sess == nil {
		return engine.Decision{Reason: engine.ReasonNotConnected}
	}
	return c.sess.Decide(p, on)
}

// Prompt returns "account:user:role" for the session, or "pdp" when the
// connection is not logged in.
func (c *Conn) Prompt() string {
	if c.sess == nil {
		return "pdp"
	}
	return c.sess.Account() + ":" + c.sess.User() + ":" + c.sess.Role()
}
