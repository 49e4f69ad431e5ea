package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Columns, column grants and denials (reference §18) in workloads: the
// generator's parameters and presets, the statements' forms, the parser,
// the reference evaluator and the loader.
//
// Workload forms (the format's statements, extended):
//
//	CREATE TABLE db.t (c1 INT, c2 INT, ...)
//	GRANT SELECT (c1) ON TABLE db.t TO r
//	DENY SELECT ON TABLE db.* TO r
//	DENY SELECT (c1) ON TABLE db.t TO r
//	CHECK ... SELECT ON COLUMN db.t.c1 EXPECT ALLOW
//
// Columns are loaded only when the workload grants, denies or checks on a
// column, so that the workloads of the benchmark README, whose tables are
// written `(a INT)`, load as before.

func init() {
	medium := Presets["medium"]
	medium.Name, medium.Columns, medium.ColumnGrants, medium.Denials = "medium-ultipa", 8, 0.10, 0.05
	Presets["medium-ultipa"] = medium
	Presets["wide-ultipa"] = Params{Name: "wide-ultipa", Seed: 1, Accounts: 1, Users: 1000, Roles: 250, Depth: 3,
		Fanout: 1.5, Skip: 0.15, DBs: 1, Tables: 1, Grants: 4, RolesPerUser: 2, Mix: [5]float64{1, 0, 0, 0, 0},
		Checks: 20_000, Allow: 0.5, SecondaryAll: 0.5, Mutations: 2_000, MutRole: 1,
		Columns: model.DefaultColumnsPerTable, ColumnGrants: 1, ColumnChecks: 1}
}

// registerUltipaFlags adds the generator flags of reference §18.
func registerUltipaFlags(gen *flag.FlagSet, p *Params) {
	gen.IntVar(&p.Columns, "columns", 0, "columns per table")
	gen.Float64Var(&p.ColumnGrants, "column-grants", 0, "share of privilege grants made on one column of a table")
	gen.Float64Var(&p.Denials, "denials", 0, "share of privilege grants made denials (DENY) instead")
	gen.Float64Var(&p.ColumnChecks, "column-checks", 0, "share of table checks asked of one of the table's columns")
}

// applyUltipaFlag copies the generator flag name of reference §18 from given to
// base; it reports whether name is one of them.
func applyUltipaFlag(base, given *Params, name string) bool {
	switch name {
	case "columns":
		base.Columns = given.Columns
	case "column-grants":
		base.ColumnGrants = given.ColumnGrants
	case "denials":
		base.Denials = given.Denials
	case "column-checks":
		base.ColumnChecks = given.ColumnChecks
	default:
		return false
	}
	return true
}

// validateUltipa checks the parameters of reference §18.
func (p *Params) validateUltipa() error {
	switch {
	case p.Columns < 0 || p.Columns > model.DefaultColumnsPerTable:
		return fmt.Errorf("%w: columns must lie in [0, %d]", errParams, model.DefaultColumnsPerTable)
	case p.ColumnGrants < 0 || p.ColumnGrants > 1 || p.Denials < 0 || p.Denials > 1 || p.ColumnChecks < 0 || p.ColumnChecks > 1:
		return fmt.Errorf("%w: shares must lie in [0, 1]", errParams)
	case p.Columns == 0 && (p.ColumnGrants > 0 || p.ColumnChecks > 0):
		return fmt.Errorf("%w: column grants and column checks need columns", errParams)
	}
	return nil
}

// ultipaString renders the parameters of reference §18 for the "-- params:"
// line, "" when they are all zero (so that other workloads print as before).
func (p *Params) ultipaString() string {
	if p.Columns == 0 && p.Denials == 0 {
		return ""
	}
	return fmt.Sprintf(" columns=%d column_grants=%.2f denials=%.2f column_checks=%.2f",
		p.Columns, p.ColumnGrants, p.Denials, p.ColumnChecks)
}

// columnName names column i (from 1) of every generated table.
func columnName(i int) string { return "c" + strconv.Itoa(i) }

// columnPriv reports the privileges that may name columns.
func columnPriv(p model.Privilege) bool { return p.OnColumns() }

// ultipaAccount holds the column grants and denials of a generated
// account, per role: kept apart from its grants, which the mutation stream
// revokes and grants again.
type ultipaAccount struct {
	colGrants [][]genGrant // role -> its column grants (level lvTable, column set)
	denials   [][]genGrant // role -> its denials (column set for a column denial)
}

// ultipa turns shares of a's grants into column grants and denials. It
// draws nothing from the generator when the parameters are zero, so other
// workloads come out as before.
func (g *generator) ultipa(a *genAccount) {
	p := &g.p
	if p.ColumnGrants == 0 && p.Denials == 0 {
		return
	}
	u := &ultipaAccount{colGrants: make([][]genGrant, len(a.grants)), denials: make([][]genGrant, len(a.grants))}
	for r, grants := range a.grants {
		kept := grants[:0:0]
		for _, gr := range grants {
			if gr.group >= 0 || gr.pattern {
				kept = append(kept, gr) // grants of groups and at patterns stay grants
				continue
			}
			switch x := g.rng.Float64(); {
			case x < p.Denials:
				if gr.level == lvTable && columnPriv(gr.priv) && p.Columns > 0 && g.rng.IntN(2) == 0 {
					gr.column = 1 + g.rng.IntN(p.Columns)
				}
				u.denials[r] = append(u.denials[r], gr)
			case x < p.Denials+p.ColumnGrants:
				u.colGrants[r] = append(u.colGrants[r], g.columnGrant(gr))
			default:
				kept = append(kept, gr)
			}
		}
		a.grants[r] = kept
	}
	a.ultipa = u
}

// columnGrant makes gr a grant on one column of one table.
func (g *generator) columnGrant(gr genGrant) genGrant {
	if gr.level != lvTable {
		gr.level, gr.db, gr.table = lvTable, g.rng.IntN(g.p.DBs), g.rng.IntN(g.p.Tables)
	}
	if !columnPriv(gr.priv) {
		gr.priv = model.PrivSelect
	}
	gr.column = 1 + g.rng.IntN(g.p.Columns)
	return gr
}

// tableColumns returns the column names of every generated table, nil
// without columns.
func (p *Params) tableColumns() []string {
	if p.Columns == 0 {
		return nil
	}
	out := make([]string, p.Columns)
	for i := range out {
		out[i] = columnName(i + 1)
	}
	return out
}

// emitUltipa appends the account's column grants and denials to w.
func (a *genAccount) emitUltipa(w *Workload) {
	if a.ultipa == nil {
		return
	}
	for r := range a.ultipa.colGrants {
		for _, gr := range a.ultipa.colGrants[r] {
			w.Setup = append(w.Setup, Statement{Kind: StmtGrantPrivilege, Account: a.name, Privilege: gr.priv,
				On: gr.target(), Column: columnName(gr.column), To: roleName(r)})
		}
	}
	for r := range a.ultipa.denials {
		for _, gr := range a.ultipa.denials[r] {
			st := Statement{Kind: StmtDeny, Account: a.name, Privilege: gr.priv, On: gr.target(), To: roleName(r)}
			if gr.column > 0 {
				st.Column = columnName(gr.column)
			}
			w.Setup = append(w.Setup, st)
		}
	}
}

// columnChecks asks a share ColumnChecks of the table checks of one of
// the table's columns: with probability Allow one the principal holds a
// column grant on, else a random column of the table.
func (g *generator) columnChecks(w *Workload, accounts []*genAccount) {
	p := &g.p
	if p.ColumnChecks == 0 {
		return
	}
	byName := map[string]*genAccount{}
	for _, a := range accounts {
		byName[a.name] = a
	}
	var held []genGrant
	for i := range w.Checks {
		c := &w.Checks[i]
		if c.On.Kind != model.KindTable || g.rng.Float64() >= p.ColumnChecks {
			continue
		}
		if a := byName[c.Account]; a.ultipa != nil && g.rng.Float64() < p.Allow {
			held = held[:0]
			for _, r := range a.principalRoles(c) {
				held = append(held, a.ultipa.colGrants[r]...)
			}
			if len(held) > 0 {
				gr := held[g.rng.IntN(len(held))]
				c.Privilege = gr.priv
				c.On = columnTarget(dbName(gr.db), tableName(gr.table), columnName(gr.column))
				continue
			}
		}
		if !columnPriv(c.Privilege) {
			c.Privilege = model.PrivSelect
		}
		c.On = columnTarget(c.On.Database, c.On.Name, columnName(1+g.rng.IntN(p.Columns)))
	}
}

// principalRoles returns the roles of S of check c (by index), for drawing
// held grants: the active role's closure, with the direct roles' under
// SECONDARY ALL.
func (a *genAccount) principalRoles(c *Check) []int {
	u, _ := strconv.Atoi(strings.TrimPrefix(c.User, "u"))
	active, _ := strconv.Atoi(strings.TrimPrefix(c.Role, "r"))
	roots := []int{active}
	if c.Secondary == engine.SecondaryAll {
		roots = a.users[u]
	}
	var out []int
	for _, root := range roots {
		out = append(out, a.closure[root]...)
	}
	return out
}

// columnTarget is the object COLUMN db.t.c.
func columnTarget(db, table, column string) engine.Target {
	return engine.Target{Kind: model.KindColumn, Database: db, Name: table, Column: column}
}

// UsesColumns reports whether the workload grants, denies or checks on a
// column: only then are its tables' columns loaded.
func (w *Workload) UsesColumns() bool {
	for i := range w.Setup {
		if w.Setup[i].Column != "" {
			return true
		}
	}
	for i := range w.Checks {
		if w.Checks[i].On.Kind == model.KindColumn {
			return true
		}
	}
	return false
}

// Denials returns the number of DENY statements in the setup.
func (w *Workload) Denials() int {
	n := 0
	for i := range w.Setup {
		if w.Setup[i].Kind == StmtDeny {
			n++
		}
	}
	return n
}

// privilegeText renders a privilege with its column, as GRANT and DENY
// write it.
func (st *Statement) privilegeText() string {
	if st.Column == "" {
		return st.Privilege.Upper()
	}
	return st.Privilege.Upper() + " (" + st.Column + ")"
}

// createTableText renders CREATE TABLE with its columns; a table without
// columns is written `(a INT)`, as the workloads of the benchmark README.
func (st *Statement) createTableText() string {
	if len(st.Columns) == 0 {
		return fmt.Sprintf("CREATE TABLE %s.%s (a INT)", st.Database, st.Name)
	}
	defs := make([]string, len(st.Columns))
	for i, c := range st.Columns {
		defs[i] = c + " INT"
	}
	return fmt.Sprintf("CREATE TABLE %s.%s (%s)", st.Database, st.Name, strings.Join(defs, ", "))
}

// constraintWords start the items of a column list that are not columns.
var constraintWords = []string{"PRIMARY", "UNIQUE", "KEY", "INDEX", "CONSTRAINT", "FOREIGN", "CHECK"}

// columnDefs parses the column names of CREATE TABLE's list, after the
// table's name: the first word of each top-level item that is not a
// constraint.
func (p *parser) columnDefs() ([]string, error) {
	if !p.accept("(") {
		return nil, p.end()
	}
	var out []string
	depth, first := 0, true
	for {
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		switch {
		case !t.quoted && t.text == "(":
			depth++
		case !t.quoted && t.text == ")" && depth == 0:
			return out, p.end()
		case !t.quoted && t.text == ")":
			depth--
		case !t.quoted && t.text == "," && depth == 0:
			first = true
			continue
		case first && (t.quoted || !isConstraint(t.text)):
			out = append(out, strings.ToLower(t.text))
		}
		first = false
	}
}

func isConstraint(word string) bool {
	for _, w := range constraintWords {
		if strings.EqualFold(word, w) {
			return true
		}
	}
	return false
}

// privilegeColumn reads a privilege with an optional `(column)` before ON.
func (p *parser) privilegeColumn() (model.Privilege, string, error) {
	start := p.pos
	for p.pos < len(p.toks) && (p.toks[p.pos].quoted || p.toks[p.pos].text != "(") &&
		(p.toks[p.pos].quoted || !strings.EqualFold(p.toks[p.pos].text, "ON")) {
		p.pos++
	}
	if p.pos >= len(p.toks) || p.toks[p.pos].text != "(" {
		p.pos = start
		priv, err := p.privilege()
		return priv, "", err
	}
	words := p.toks[start:p.pos]
	p.pos++
	col, err := p.name()
	if err != nil {
		return 0, "", err
	}
	if err := p.expect(")"); err != nil {
		return 0, "", err
	}
	names := make([]string, len(words))
	for i, w := range words {
		names[i] = w.text
	}
	priv, ok := model.ParsePrivilege(strings.Join(names, " "))
	if !ok || !priv.OnColumns() {
		return 0, "", fmt.Errorf("%w: unsupported column privilege %q", errSyntax, strings.Join(names, " "))
	}
	return priv, col, p.expect("ON")
}

// deny parses DENY priv [(column)] ON level TO role.
func (p *parser) deny() error {
	if err := p.needAccount(); err != nil {
		return err
	}
	priv, col, err := p.privilegeColumn()
	if err != nil {
		return err
	}
	on, err := p.level()
	if err != nil {
		return err
	}
	if err := p.columnOnTable(col, on); err != nil {
		return err
	}
	if err := p.expect("TO"); err != nil {
		return err
	}
	to, err := p.name()
	if err != nil {
		return err
	}
	p.w.Setup = append(p.w.Setup, Statement{Kind: StmtDeny, Line: p.line, Account: p.account, Privilege: priv,
		On: on, Column: col, To: to})
	return p.end()
}

// columnOnTable refuses a column on anything but one table.
func (p *parser) columnOnTable(col string, on engine.Target) error {
	if col != "" && (on.Kind != model.KindTable || on.AnyTable || on.AnyDatabase) {
		return fmt.Errorf("%w: a column needs one table, not %s", errSyntax, FormatTarget(on))
	}
	return nil
}

// column reads db.t.c after COLUMN.
func (p *parser) column() (engine.Target, error) {
	t, err := p.next()
	if err != nil {
		return engine.Target{}, err
	}
	parts := strings.Split(strings.ToLower(t.text), ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" || strings.Contains(t.text, "*") {
		return engine.Target{}, fmt.Errorf("%w: a column is written db.t.c, not %q", errSyntax, t.text)
	}
	return columnTarget(parts[0], parts[1], parts[2]), nil
}

// refUltipa is the reference state of reference §18 of one account: the
// denials, the column grants and the tables' columns.
type refUltipa struct {
	denials   map[string]map[refDenial]bool // role -> its denials
	colGrants map[string]map[refColumn]bool // role -> its column grants
	columns   map[string]bool               // "db.t.c" of every column
}

// refDenial is a denial at a level (column "" for the level itself).
type refDenial struct {
	priv   model.Privilege
	on     engine.Target
	column string
}

// refColumn is a column privilege on one column.
type refColumn struct {
	priv          model.Privilege
	db, table, co string
}

// applyUltipa applies a statement of reference §18; it reports whether st was one.
func (r *Reference) applyUltipa(st *Statement) bool {
	a := r.accounts[st.Account]
	if st.Kind == StmtCreateTable && len(st.Columns) > 0 && a != nil {
		u := a.ultipaState()
		for _, c := range st.Columns {
			u.columns[st.Database+"."+st.Name+"."+c] = true
		}
		return false
	}
	if st.Kind != StmtDeny && (st.Kind != StmtGrantPrivilege || st.Column == "") {
		return false
	}
	if a == nil || a.roles[st.To] == nil {
		return true
	}
	u := a.ultipaState()
	if st.Kind == StmtDeny {
		if u.denials[st.To] == nil {
			u.denials[st.To] = map[refDenial]bool{}
		}
		u.denials[st.To][refDenial{st.Privilege, st.On, st.Column}] = true
		return true
	}
	if u.colGrants[st.To] == nil {
		u.colGrants[st.To] = map[refColumn]bool{}
	}
	u.colGrants[st.To][refColumn{st.Privilege, st.On.Database, st.On.Name, st.Column}] = true
	return true
}

// ultipaState returns a's state of reference §18, made on first use.
func (a *refAccount) ultipaState() *refUltipa {
	if a.ultipa == nil {
		a.ultipa = &refUltipa{denials: map[string]map[refDenial]bool{}, colGrants: map[string]map[refColumn]bool{},
			columns: map[string]bool{}}
	}
	return a.ultipa
}

// decideUltipa decides c with the rules of reference §18, written out: S (the
// active role's closure, with the direct roles' under SECONDARY ALL for a
// privilege that is not a creation privilege); the admin role allows; a
// denial of S covering the object denies; else a grant covering it, or a
// grant on the column, allows.
func (a *refAccount) decideUltipa(c *Check, direct map[string]bool) bool {
	S := append([]string(nil), a.closure(c.Role)...)
	if c.Secondary == engine.SecondaryAll && !c.Privilege.Info().Creation {
		for d := range direct {
			S = append(S, a.closure(d)...)
		}
	}
	for _, r := range S {
		if r == adminRole {
			return true
		}
	}
	table := c.On
	if c.On.Kind == model.KindColumn {
		if !c.Privilege.OnColumns() || a.ultipa == nil || !a.ultipa.columns[c.On.Database+"."+c.On.Name+"."+c.On.Column] {
			return false
		}
		table = engine.Target{Kind: model.KindTable, Database: c.On.Database, Name: c.On.Name}
	} else if !a.exists(c.On) {
		return false
	}
	needs := needed(c.Privilege, table)
	if needs == nil {
		return false
	}
	if a.denied(S, c, needs) {
		return false
	}
	if a.holds(S, needs) {
		return true
	}
	if c.On.Kind != model.KindColumn || a.ultipa == nil {
		return false
	}
	want := refColumn{c.Privilege, c.On.Database, c.On.Name, c.On.Column}
	for _, r := range S {
		if a.ultipa.colGrants[r][want] {
			return true
		}
	}
	return false
}

// denied reports whether a denial of S denies c: a denial of the privilege
// (or its level's ALL) at a level needs reads grants from, or on the
// column asked about; for a table check of a column privilege, on any
// column of the table.
func (a *refAccount) denied(S []string, c *Check, needs []refGrant) bool {
	if a.ultipa == nil {
		return false
	}
	for _, r := range S {
		for d := range a.ultipa.denials[r] {
			if d.column == "" {
				for _, n := range needs {
					if n.on == d.on && n.priv == d.priv {
						return true
					}
				}
				continue
			}
			if d.on.Database != c.On.Database || d.on.Name != c.On.Name || d.priv != c.Privilege {
				continue
			}
			if c.On.Kind == model.KindTable || c.On.Column == d.column {
				return true
			}
		}
	}
	return false
}

// ultipaLoad loads the columns, column grants and denials of a workload.
type ultipaLoad struct {
	columns bool                                        // load the tables' columns
	ids     map[model.TableID]map[string]model.ColumnID // table -> column IDs by name
}

func newUltipaLoad(w *Workload) *ultipaLoad {
	return &ultipaLoad{columns: w.UsesColumns(), ids: map[model.TableID]map[string]model.ColumnID{}}
}

// addColumns adds the columns of a table CREATE TABLE st just created.
func (u *ultipaLoad) addColumns(l *engine.Loader, st *Statement, a *loadIDs,
	tables map[model.DatabaseID]map[string]model.TableID) error {
	if !u.columns || st.Kind != StmtCreateTable || len(st.Columns) == 0 || a == nil {
		return nil
	}
	t := tables[a.dbs[st.Database]][st.Name]
	defs := make([]engine.ColumnDef, len(st.Columns))
	for i, c := range st.Columns {
		defs[i] = engine.ColumnDef{Name: c, Type: "INT"}
	}
	ids, err := l.AddColumns(t, defs)
	if err != nil {
		return err
	}
	u.ids[t] = map[string]model.ColumnID{}
	for i, c := range st.Columns {
		u.ids[t][c] = ids[i]
	}
	return nil
}

// load runs a statement of reference §18, a column grant or a denial; handled
// reports whether st was one (loadStatement runs the others).
func (u *ultipaLoad) load(l *engine.Loader, st *Statement, a *loadIDs,
	tables map[model.DatabaseID]map[string]model.TableID) (handled bool, err error) {
	if a == nil || st.Kind != StmtDeny && (st.Kind != StmtGrantPrivilege || st.Column == "") {
		return false, nil
	}
	role, ok := a.roles[st.To]
	if !ok {
		return true, fmt.Errorf("no role %s", st.To)
	}
	lvl, err := loadLevel(st.On, a, tables)
	if err != nil {
		return true, err
	}
	var col model.ColumnID
	if st.Column != "" {
		if col, ok = u.ids[lvl.Table][st.Column]; !ok {
			return true, fmt.Errorf("no column %s of %s", st.Column, FormatTarget(st.On))
		}
	}
	if st.Kind == StmtDeny {
		return true, l.Deny(role, st.Privilege, lvl, col)
	}
	return true, l.GrantColumn(role, st.Privilege, lvl.Table, col, engine.PlainGrant)
}

// loadLevel resolves a level by the loader's IDs.
func loadLevel(on engine.Target, a *loadIDs, tables map[model.DatabaseID]map[string]model.TableID) (engine.Level, error) {
	lvl := engine.Level{Kind: model.LevelTable}
	if on.Kind == model.KindDatabase {
		lvl.Kind = model.LevelDatabase
	}
	if on.AnyDatabase {
		return lvl, nil
	}
	db, ok := a.dbs[on.Database]
	if !ok {
		return lvl, fmt.Errorf("no database %s", on.Database)
	}
	lvl.Database = db
	if on.Kind == model.KindTable && !on.AnyTable {
		t, ok := tables[db][on.Name]
		if !ok {
			return lvl, fmt.Errorf("no table %s.%s", on.Database, on.Name)
		}
		lvl.Table = t
	}
	return lvl, nil
}

// resolveColumn resolves COLUMN db.t.c in account a.
func resolveColumn(snap *engine.Snapshot, a model.AccountID, on engine.Target) (model.Object, bool) {
	db, ok := snap.Database(a, on.Database)
	if !ok {
		return model.ColumnObject(0), false
	}
	t, ok := snap.Table(db, on.Name)
	if !ok {
		return model.ColumnObject(0), false
	}
	c, ok := snap.Column(t, on.Column)
	return model.ColumnObject(c), ok
}
