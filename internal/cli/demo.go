package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/password"
)

// step is one moment of the demo: a line of narration, a statement run on a
// named connection with the outcome the story expects, and the decisions
// it leads to.
type step struct {
	say    string   // narration, printed as a comment
	conn   string   // the connection the statement and checks run on
	sql    string   // the statement, "" for checks only
	fails  string   // the error the statement must give, "" if it succeeds
	allow  []string // decisions that must allow: "SELECT ON TABLE d.t"
	deny   []string // decisions that must deny
	expect []string // rows a SHOW must print, nil to print without checking
}

// story is the quickstart story: a cluster administrator opens two
// business accounts; the retail administrator builds a sales database and
// gives a developer role to one user; what that user may do, what the
// other account sees, and how a revoke takes effect at once.
var story = []step{
	{say: "The cluster administrator, root with role moadmin, opens one account per business line.",
		conn: "root", sql: "CREATE ACCOUNT retail ADMIN_NAME 'rita' IDENTIFIED BY 'r1ta'"},
	{conn: "root", sql: "CREATE ACCOUNT logistics ADMIN_NAME 'leo' IDENTIFIED BY 'l3o'"},
	{conn: "root", sql: "SHOW ACCOUNTS", expect: []string{"logistics open", "retail open", "sys open"}},

	{say: "Rita administers retail: she logs in and builds the sales database.",
		conn: "rita", sql: "CONNECT retail:rita IDENTIFIED BY 'r1ta'"},
	{conn: "rita", sql: "CREATE DATABASE sales"},
	{conn: "rita", sql: "CREATE TABLE sales.orders (id int, total decimal(10, 2))"},
	{conn: "rita", sql: "CREATE TABLE sales.customers (id int, name varchar(64))"},

	{say: "She opens an account for Dan, an application developer, and a role for his job.",
		conn: "rita", sql: "CREATE ROLE developer"},
	{conn: "rita", sql: "CREATE USER dan IDENTIFIED BY 'd4n' DEFAULT ROLE developer"},
	{say: "The role may create tables in sales and read and write every table of it, present and future.",
		conn: "rita", sql: "GRANT CREATE TABLE, SHOW TABLES ON DATABASE sales TO developer"},
	{conn: "rita", sql: "GRANT SELECT, INSERT, UPDATE ON TABLE sales.* TO developer"},
	{conn: "rita", sql: "SHOW GRANTS FOR ROLE developer", expect: []string{
		"GRANT CREATE TABLE ON DATABASE sales TO developer",
		"GRANT INSERT ON TABLE sales.* TO developer",
		"GRANT SELECT ON TABLE sales.* TO developer",
		"GRANT SHOW TABLES ON DATABASE sales TO developer",
		"GRANT UPDATE ON TABLE sales.* TO developer",
	}},

	{say: "Dan logs in; his default role developer is active.",
		conn: "dan", sql: "CONNECT retail:dan IDENTIFIED BY 'd4n'",
		allow: []string{"SELECT ON TABLE sales.orders", "INSERT ON TABLE sales.customers", "CREATE TABLE ON DATABASE sales"},
		deny:  []string{"DELETE ON TABLE sales.orders", "DROP TABLE ON TABLE sales.orders", "CREATE DATABASE ON ACCOUNT", "CREATE USER ON ACCOUNT"}},
	{say: "EXPLAIN CHECK tells which role decided, how Dan holds it, and the grant that did it.",
		conn: "dan", sql: "EXPLAIN CHECK SELECT ON TABLE sales.orders", expect: []string{
			"allow granted", "via developer", "path developer", "grant GRANT SELECT ON TABLE sales.* TO developer"}},
	{say: "A table Dan creates is covered by the sales.* grants, and his role owns it.",
		conn: "dan", sql: "CREATE TABLE sales.shipments (id int)",
		allow: []string{"INSERT ON TABLE sales.shipments", "DROP TABLE ON TABLE sales.shipments"}},
	{conn: "dan", sql: "EXPLAIN CHECK DROP TABLE ON TABLE sales.shipments", expect: []string{
		"allow owner", "via developer", "path developer", "grant GRANT OWNERSHIP ON TABLE sales.shipments TO developer"}},
	{say: "Account administration stays with Rita.",
		conn: "dan", sql: "CREATE ROLE intern", fails: "do not have privilege to execute the statement"},
	{conn: "dan", sql: "GRANT developer TO rita", fails: "do not have privilege to execute the statement"},

	{say: "Leo administers logistics: nothing of retail exists for him. A CHECK on a missing object\n" +
		"-- answers as for one he holds nothing on, so it never tells what exists elsewhere.",
		conn: "leo", sql: "CONNECT logistics:leo IDENTIFIED BY 'l3o'",
		deny: []string{"SELECT ON TABLE sales.orders", "CREATE TABLE ON DATABASE sales"}},
	{conn: "leo", sql: "GRANT developer TO leo", fails: "there is no role developer"},
	{conn: "leo", sql: "SHOW ROLES", expect: []string{"accountadmin", "public"}},

	{say: "Rita takes writing away; Dan's very next decision sees it.",
		conn: "rita", sql: "REVOKE INSERT, UPDATE ON TABLE sales.* FROM developer"},
	{conn: "dan", allow: []string{"SELECT ON TABLE sales.orders"}, deny: []string{"INSERT ON TABLE sales.orders"}},
	{say: "Dropping the role takes the rest: the table it owned passes up to accountadmin, which owned the role.",
		conn: "rita", sql: "DROP ROLE developer",
		allow: []string{"DROP TABLE ON TABLE sales.shipments"}},
	{conn: "rita", sql: "SHOW GRANTS FOR USER dan", expect: []string{"GRANT public TO USER dan"}},
	{say: "Dan's session was acting as the dropped role: it is closed for good.",
		conn: "dan", sql: "SHOW ROLES", fails: "the session is closed"},
	{conn: "dan", sql: "CHECK SELECT ON TABLE sales.orders", fails: "the session is closed"},
}

// demo runs the story, printing every statement, its outcome and the
// decisions that follow; it returns 1 if the engine told a different story.
func demo(w io.Writer) int {
	eng, err := engine.New(engine.WithRootPassword(defaultRootPassword), engine.WithHasher(password.Testing()))
	if err != nil {
		fmt.Fprintf(w, "pdp demo: start the engine: %s\n", err.Error())
		return 1
	}
	parser := dcl.New(dcl.WithLimits(eng.Limits()))
	conns := map[string]*dcl.Conn{}
	root := dcl.NewConn(eng)
	if err := root.Connect("sys:root:moadmin", defaultRootPassword); err != nil {
		fmt.Fprintf(w, "pdp demo: log in as root: %s\n", err.Error())
		return 1
	}
	conns["root"] = root
	surprises := 0
	for _, s := range story {
		c, ok := conns[s.conn]
		if !ok {
			c = dcl.NewConn(eng)
			conns[s.conn] = c
		}
		if s.say != "" {
			fmt.Fprintf(w, "\n-- %s\n", s.say)
		}
		if s.sql != "" && !runStep(w, parser, c, s) {
			surprises++
		}
		for _, want := range []bool{true, false} {
			checks := s.deny
			if want {
				checks = s.allow
			}
			for _, chk := range checks {
				if !decide(w, parser, c, chk, want) {
					surprises++
				}
			}
		}
	}
	fmt.Fprintln(w)
	if surprises > 0 {
		fmt.Fprintf(w, "-- %d outcomes differed from the story\n", surprises)
		return 1
	}
	fmt.Fprintln(w, "-- every outcome matched the story")
	return 0
}

// runStep runs a step's statement and prints its outcome; it reports
// whether the outcome is the one the story expects.
func runStep(w io.Writer, parser *dcl.Parser, c *dcl.Conn, s step) bool {
	fmt.Fprintf(w, "%s> %s;\n", c.Prompt(), s.sql)
	stmts, err := parser.Parse(s.sql)
	var res dcl.Result
	if err == nil {
		for _, st := range stmts {
			if res, err = c.Exec(st); err != nil {
				break
			}
		}
	}
	switch {
	case err != nil:
		fmt.Fprintf(w, "ERROR: %s\n", err.Error())
		if s.fails == "" || !strings.Contains(err.Error(), s.fails) {
			fmt.Fprintf(w, "   (the story expected %s)\n", expected(s))
			return false
		}
		return true
	case s.fails != "":
		printResult(w, res)
		fmt.Fprintf(w, "   (the story expected an error: %s)\n", s.fails)
		return false
	}
	printResult(w, res)
	if s.expect != nil && strings.Join(res.Rows, "\n") != strings.Join(s.expect, "\n") {
		fmt.Fprintf(w, "   (the story expected:\n   %s)\n", strings.Join(s.expect, "\n   "))
		return false
	}
	return true
}

// expected describes a step's expected outcome.
func expected(s step) string {
	if s.fails != "" {
		return "an error: " + s.fails
	}
	return "success"
}

// decide runs `CHECK <src>` on c and prints the decision; it reports
// whether the answer is want.
func decide(w io.Writer, parser *dcl.Parser, c *dcl.Conn, src string, want bool) bool {
	stmts, err := parser.Parse("CHECK " + src)
	var res dcl.Result
	if err == nil {
		res, err = c.Exec(stmts[0])
	}
	if err != nil {
		fmt.Fprintf(w, "   CHECK %s: ERROR: %s\n", src, err.Error())
		return false
	}
	answer := strings.Join(res.Rows, "; ")
	fmt.Fprintf(w, "   CHECK %-40s -> %s\n", src, answer)
	if allowed := strings.HasPrefix(answer, "allow "); allowed != want {
		fmt.Fprintf(w, "   (the story expected %s)\n", map[bool]string{true: "allow", false: "deny"}[want])
		return false
	}
	return true
}
