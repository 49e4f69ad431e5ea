package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// FormatName is the name of the workload format, written on a workload's first line.
const FormatName = "peerbench workload v1"

// Workload is a parsed or generated benchmark workload.
type Workload struct {
	// Name names the workload in reports (a file name or a preset name).
	Name string
	// Comments are the leading comment lines, without the "-- " prefix
	// (format name, parameters, statistics).
	Comments []string
	// Setup are the statements that build the policy, in order.
	Setup []Statement
	// Checks are the decisions of the request stream.
	Checks []Check
	// Mutations are the mutation stream, in REVOKE/GRANT pairs.
	Mutations []Mutation
}

// StmtKind is the kind of a setup statement.
type StmtKind uint8

// The setup statement kinds.
const (
	StmtCreateAccount StmtKind = iota + 1
	StmtCreateDatabase
	StmtCreateTable
	StmtCreateRole
	StmtCreateUser
	StmtGrantPrivilege
	StmtGrantRole
	// The statements of reference §15 (milvus.go).
	StmtCreateGroup // CREATE PRIVILEGE GROUP Name
	StmtAlterGroup  // ALTER PRIVILEGE GROUP Name ADD Privileges
	StmtGrantGroup  // GRANT PRIVILEGE GROUP Group ON On TO To
	StmtDeny        // DENY priv [(column)] ON level TO role (reference §18)
)

// Statement is one setup statement. Names are folded to lower case.
type Statement struct {
	// Kind says which statement it is.
	Kind StmtKind
	// Line is the 1-based line of the statement in its file, 0 if generated.
	Line int
	// Account is the account the statement applies to; for CREATE ACCOUNT
	// the new account.
	Account string
	// Name is the object created (account, database, table, role or user),
	// or the role granted by GRANT role TO x.
	Name string
	// Database is the database of CREATE TABLE.
	Database string
	// AdminName is the admin user of CREATE ACCOUNT.
	AdminName string
	// Password is the admin password of CREATE ACCOUNT or the user's of CREATE USER.
	Password string
	// Privilege is the privilege of GRANT priv ON level TO role.
	Privilege model.Privilege
	// On is the level of GRANT priv ON level TO role.
	On engine.Target
	// To is the grantee of a GRANT: a role, or for GRANT role TO x a role or a user.
	To string
	// Group is the privilege group of GRANT PRIVILEGE GROUP.
	Group string
	// Privileges are the privileges ALTER PRIVILEGE GROUP adds.
	Privileges model.PrivSet
	// Columns are the columns of CREATE TABLE, none for `(a INT)` (reference §18).
	Columns []string
	// Column is the column of a GRANT or DENY on one column of On's table.
	Column string
}

// Expect is the answer a CHECK line expects.
type Expect uint8

// The expected answers. ExpectUnknown marks an unverified check.
const (
	ExpectUnknown Expect = iota
	ExpectAllow
	ExpectDeny
)

// String returns the EXPECT keyword of e, or "" for ExpectUnknown.
func (e Expect) String() string {
	switch e {
	case ExpectAllow:
		return "ALLOW"
	case ExpectDeny:
		return "DENY"
	}
	return ""
}

// ExpectOf returns the Expect value of a decision.
func ExpectOf(allowed bool) Expect {
	if allowed {
		return ExpectAllow
	}
	return ExpectDeny
}

// Check is one CHECK line: a decision asked by names.
type Check struct {
	// Line is the 1-based line of the check in its file, 0 if generated.
	Line      int
	Account   string           // the account of the user and the object
	User      string           // the user asking
	Role      string           // the user's active role
	Secondary engine.Secondary // SECONDARY ALL or NONE
	Privilege model.Privilege  // the privilege needed
	// On is a concrete object: DATABASE d or TABLE d.t.
	On engine.Target
	// Expect is the answer on the setup state, if the line gives one.
	Expect Expect
}

// MutKind is the kind of a mutation.
type MutKind uint8

// The mutation kinds.
const (
	MutRevokePrivilege MutKind = iota + 1
	MutGrantPrivilege
	MutRevokeRole
	MutGrantRole
	MutRevokeGroup // REVOKE PRIVILEGE GROUP Group ON On FROM Grantee
	MutGrantGroup  // GRANT PRIVILEGE GROUP Group ON On TO Grantee
)

// Mutation is one MUTATE line, run as the account's admin user.
type Mutation struct {
	// Line is the 1-based line of the mutation in its file, 0 if generated.
	Line    int
	Account string  // the account, whose admin user runs the mutation
	Kind    MutKind // what the mutation does
	// Privilege and On are the privilege and level of a privilege mutation.
	Privilege model.Privilege
	On        engine.Target
	// Role is the role granted or revoked by a role mutation.
	Role string
	// Group is the privilege group of a group mutation.
	Group string
	// Grantee is the role (or, for role mutations, role or user) that gains
	// or loses the privilege or role.
	Grantee string
}

// PrivilegeGrants returns the number of GRANT priv and GRANT PRIVILEGE
// GROUP statements in the setup.
func (w *Workload) PrivilegeGrants() int {
	n := 0
	for i := range w.Setup {
		if k := w.Setup[i].Kind; k == StmtGrantPrivilege || k == StmtGrantGroup {
			n++
		}
	}
	return n
}

// RoleGrants returns the number of GRANT role statements in the setup
// (role-to-role and role-to-user).
func (w *Workload) RoleGrants() int {
	n := 0
	for i := range w.Setup {
		if w.Setup[i].Kind == StmtGrantRole {
			n++
		}
	}
	return n
}

// String renders st as a workload line, without the terminating ";".
func (st *Statement) String() string {
	switch st.Kind {
	case StmtCreateAccount:
		return fmt.Sprintf("CREATE ACCOUNT %s ADMIN_NAME %s IDENTIFIED BY %s", st.Name, quote(st.AdminName), quote(st.Password))
	case StmtCreateDatabase:
		return "CREATE DATABASE " + st.Name
	case StmtCreateTable:
		return st.createTableText()
	case StmtCreateRole:
		return "CREATE ROLE " + st.Name
	case StmtCreateUser:
		return fmt.Sprintf("CREATE USER %s IDENTIFIED BY %s", st.Name, quote(st.Password))
	case StmtGrantPrivilege:
		return fmt.Sprintf("GRANT %s ON %s TO %s", st.privilegeText(), FormatTarget(st.On), st.To)
	case StmtDeny:
		return fmt.Sprintf("DENY %s ON %s TO %s", st.privilegeText(), FormatTarget(st.On), st.To)
	case StmtGrantRole:
		return fmt.Sprintf("GRANT %s TO %s", st.Name, st.To)
	}
	return st.milvusString()
}

// String renders c as a workload line, without the terminating ";".
func (c *Check) String() string {
	sec := "NONE"
	if c.Secondary == engine.SecondaryAll {
		sec = "ALL"
	}
	s := fmt.Sprintf("CHECK ACCOUNT %s USER %s ROLE %s SECONDARY %s %s ON %s",
		c.Account, c.User, c.Role, sec, c.Privilege.Upper(), FormatTarget(c.On))
	if c.Expect != ExpectUnknown {
		s += " EXPECT " + c.Expect.String()
	}
	return s
}

// String renders m as a workload line, without the terminating ";".
func (m *Mutation) String() string {
	prefix := "MUTATE ACCOUNT " + m.Account + " "
	switch m.Kind {
	case MutRevokePrivilege:
		return prefix + fmt.Sprintf("REVOKE %s ON %s FROM %s", m.Privilege.Upper(), FormatTarget(m.On), m.Grantee)
	case MutGrantPrivilege:
		return prefix + fmt.Sprintf("GRANT %s ON %s TO %s", m.Privilege.Upper(), FormatTarget(m.On), m.Grantee)
	case MutRevokeRole:
		return prefix + fmt.Sprintf("REVOKE %s FROM %s", m.Role, m.Grantee)
	case MutGrantRole:
		return prefix + fmt.Sprintf("GRANT %s TO %s", m.Role, m.Grantee)
	}
	return prefix + m.milvusString()
}

// FormatTarget renders a database or table level or object as written in
// a workload: "DATABASE *", "DATABASE d", "TABLE *.*", "TABLE d.*", "TABLE d.t".
func FormatTarget(t engine.Target) string {
	if t.DatabasePattern || t.TablePattern {
		return formatPattern(t)
	}
	switch t.Kind {
	case model.KindDatabase:
		if t.AnyDatabase {
			return "DATABASE *"
		}
		return "DATABASE " + t.Database
	case model.KindTable:
		switch {
		case t.AnyDatabase:
			return "TABLE *.*"
		case t.AnyTable:
			return "TABLE " + t.Database + ".*"
		}
		return "TABLE " + t.Database + "." + t.Name
	case model.KindAccount:
		return "ACCOUNT *"
	case model.KindColumn:
		return "COLUMN " + t.Database + "." + t.Name + "." + t.Column
	}
	return "?"
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Write writes w in the workload format.
func (w *Workload) Write(out io.Writer) error {
	bw := bufio.NewWriterSize(out, 1<<16)
	comments := w.Comments
	if len(comments) == 0 || comments[0] != FormatName {
		comments = append([]string{FormatName}, comments...)
	}
	for _, c := range comments {
		fmt.Fprintf(bw, "-- %s\n", c)
	}
	bw.WriteString("-- section: setup\n")
	account := ""
	for i := range w.Setup {
		st := &w.Setup[i]
		if st.Kind != StmtCreateAccount && st.Account != account {
			fmt.Fprintf(bw, "USE ACCOUNT %s;\n", st.Account)
			account = st.Account
		}
		fmt.Fprintf(bw, "%s;\n", st.String())
	}
	bw.WriteString("-- section: checks\n")
	for i := range w.Checks {
		fmt.Fprintf(bw, "%s;\n", w.Checks[i].String())
	}
	bw.WriteString("-- section: mutations\n")
	for i := range w.Mutations {
		fmt.Fprintf(bw, "%s;\n", w.Mutations[i].String())
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write workload: %w", err)
	}
	return nil
}

// WriteFile writes w to path, gzip-compressed when path ends in ".gz".
func (w *Workload) WriteFile(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("dump workload: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("dump workload: %w", cerr)
		}
	}()
	if !strings.HasSuffix(path, ".gz") {
		return w.Write(f)
	}
	zw := gzip.NewWriter(f)
	if err := w.Write(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("dump workload: %w", err)
	}
	return nil
}
