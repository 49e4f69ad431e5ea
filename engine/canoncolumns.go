package engine

import (
	"strings"

	"github.com/pdp-authz/pdp/model"
)

// The canonical texts of the statements of reference §18 (see canonical.go).

// columnStatement renders ALTER TABLE, DENY and REVOKE DENY; it reports
// whether st was one of them.
func (c canon) columnStatement(st any) bool {
	switch st := st.(type) {
	case AlterTable:
		c.add("ALTER TABLE", c.table(st.Database, st.Name))
		if st.Action == TableDropColumn {
			c.add("DROP COLUMN", c.name(model.NameColumn, st.Column.Name))
		} else {
			c.add("ADD COLUMN", c.name(model.NameColumn, st.Column.Name), st.Column.Type)
		}
	case Deny:
		c.add("DENY", c.columnPrivileges(st.Privileges, st.Columns), "ON", c.target(st.On), "TO",
			c.names(model.NameRole, st.To))
	case RevokeDeny:
		c.add("REVOKE", c.ifExists(st.IfExists), "DENY", c.columnPrivileges(st.Privileges, st.Columns), "ON",
			c.target(st.On), "FROM", c.names(model.NameRole, st.From))
	default:
		return false
	}
	return true
}

// columnPrivileges upper-cases the privilege names, each followed by its
// folded column list when it has one.
func (c canon) columnPrivileges(raw []string, cols [][]string) string {
	out := make([]string, len(raw))
	for i, p := range raw {
		out[i] = c.privileges([]string{p})
		if i < len(cols) && len(cols[i]) > 0 {
			out[i] += " (" + c.names(model.NameColumn, cols[i]) + ")"
		}
	}
	return strings.Join(out, ", ")
}

// columnDefs renders a CREATE TABLE column list, "" for none.
func (c canon) columnDefs(defs []ColumnDef) string {
	if len(defs) == 0 {
		return ""
	}
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = c.name(model.NameColumn, d.Name)
		if d.Type != "" {
			out[i] += " " + d.Type
		}
	}
	return "(" + strings.Join(out, ", ") + ")"
}
