package main

import (
	"fmt"
	"strings"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
)

// Privilege groups and name patterns (reference §15, §16) in generated
// workloads. With -group-share a share of the grants grant a privilege
// group holding the drawn privilege (a predefined one, or one of four
// custom groups every account creates); with -pattern-share a share are
// made at the name pattern of their level: TABLE d.t becomes TABLE d.t*,
// TABLE d.* becomes TABLE d*.*, DATABASE d becomes DATABASE d*. A pattern
// made of a name covers that object and those whose name extends it
// (t1* covers t1 and t10 to t19), so the shape of the policy stays close
// to the workload without them.
//
// The workload format gains CREATE PRIVILEGE GROUP g, ALTER PRIVILEGE
// GROUP g ADD priv [, priv ...], GRANT PRIVILEGE GROUP g ON level TO r,
// MUTATE ... {GRANT | REVOKE} PRIVILEGE GROUP g ON level {TO | FROM} r,
// and the pattern levels DATABASE p*, TABLE p*.* and TABLE d.q*.

// customGroups are the privilege groups every account of a workload with
// group grants creates, with their members.
var customGroups = []struct {
	name  string
	privs model.PrivSet
}{
	{"readers", model.Privs(model.PrivSelect, model.PrivInsert)},
	{"editors", model.Privs(model.PrivUpdate, model.PrivDelete)},
	{"writers", model.Privs(model.PrivSelect, model.PrivInsert, model.PrivUpdate, model.PrivDelete)},
	{"builders", model.Privs(model.PrivCreateTable, model.PrivDropTable)},
}

// allGroups are the groups a grant may use: the predefined ones, then the
// custom ones.
var allGroups = func() []struct {
	name  string
	privs model.PrivSet
} {
	out := []struct {
		name  string
		privs model.PrivSet
	}{{model.ReadOnly, model.ReadOnlyPrivs}, {model.ReadWrite, model.ReadWritePrivs}}
	return append(out, customGroups...)
}()

func init() {
	p := Presets["medium"]
	p.Name, p.GroupShare, p.PatternShare = "medium-milvus", 0.2, 0.1
	Presets["medium-milvus"] = p
}

// milvusString renders the parameters of this file for the "-- params:"
// line, only when they are used.
func (p *Params) milvusString() string {
	if p.GroupShare == 0 && p.PatternShare == 0 {
		return ""
	}
	return fmt.Sprintf(" group_share=%.2f pattern_share=%.2f", p.GroupShare, p.PatternShare)
}

// milvus turns a drawn grant into a group grant or a pattern grant by the
// shares of the parameters.
func (g *generator) milvus(gr genGrant) genGrant {
	p := &g.p
	if p.PatternShare > 0 && gr.level != lvTableAll && gr.level != lvDBAll && g.rng.Float64() < p.PatternShare {
		gr.pattern = true
	}
	if p.GroupShare > 0 && g.rng.Float64() < p.GroupShare {
		var fit []int
		for i, grp := range allGroups {
			if grp.privs.Has(gr.priv) {
				fit = append(fit, i)
			}
		}
		if len(fit) > 0 {
			gr.group = fit[g.rng.IntN(len(fit))]
		}
	}
	return gr
}

// heldPrivilege returns gr with, for a group grant, one of the group's
// members of gr's level as its privilege: what a check may ask for.
func (g *generator) heldPrivilege(gr genGrant) genGrant {
	if gr.group < 0 {
		return gr
	}
	want := model.LevelTable
	if gr.level >= lvDB {
		want = model.LevelDatabase
	}
	var fit []model.Privilege
	allGroups[gr.group].privs.AtLevel(want).Each(func(p model.Privilege) { fit = append(fit, p) })
	gr.priv = fit[g.rng.IntN(len(fit))]
	return gr
}

// patternTarget returns the name pattern of gr's level.
func (gr genGrant) patternTarget() engine.Target {
	switch gr.level {
	case lvTable:
		return engine.Target{Kind: model.KindTable, Database: dbName(gr.db), Name: tableName(gr.table), TablePattern: true}
	case lvTableDB:
		return engine.Target{Kind: model.KindTable, Database: dbName(gr.db), DatabasePattern: true, AnyTable: true}
	}
	return engine.Target{Kind: model.KindDatabase, Database: dbName(gr.db), DatabasePattern: true}
}

// statement returns the setup statement granting gr to role.
func (gr genGrant) statement(role string) Statement {
	if gr.group >= 0 {
		return Statement{Kind: StmtGrantGroup, Group: allGroups[gr.group].name, On: gr.target(), To: role}
	}
	return Statement{Kind: StmtGrantPrivilege, Privilege: gr.priv, On: gr.target(), To: role}
}

// mutations returns the REVOKE/GRANT pair of gr held by role.
func (gr genGrant) mutations(account, role string) []Mutation {
	on := gr.target()
	if gr.group >= 0 {
		name := allGroups[gr.group].name
		return []Mutation{
			{Account: account, Kind: MutRevokeGroup, Group: name, On: on, Grantee: role},
			{Account: account, Kind: MutGrantGroup, Group: name, On: on, Grantee: role},
		}
	}
	return []Mutation{
		{Account: account, Kind: MutRevokePrivilege, Privilege: gr.priv, On: on, Grantee: role},
		{Account: account, Kind: MutGrantPrivilege, Privilege: gr.priv, On: on, Grantee: role},
	}
}

// emitGroups adds the custom groups of an account, when grants use groups.
func emitGroups(add func(Statement), p Params) {
	if p.GroupShare == 0 {
		return
	}
	for _, g := range customGroups {
		add(Statement{Kind: StmtCreateGroup, Name: g.name})
		add(Statement{Kind: StmtAlterGroup, Name: g.name, Privileges: g.privs})
	}
}

// milvusString renders the statements of this file.
func (st *Statement) milvusString() string {
	switch st.Kind {
	case StmtCreateGroup:
		return "CREATE PRIVILEGE GROUP " + st.Name
	case StmtAlterGroup:
		var names []string
		st.Privileges.Each(func(p model.Privilege) { names = append(names, p.Upper()) })
		return "ALTER PRIVILEGE GROUP " + st.Name + " ADD " + strings.Join(names, ", ")
	case StmtGrantGroup:
		return fmt.Sprintf("GRANT PRIVILEGE GROUP %s ON %s TO %s", st.Group, FormatTarget(st.On), st.To)
	}
	return "-- unknown statement"
}

// milvusString renders the group mutations, after "MUTATE ACCOUNT a ".
func (m *Mutation) milvusString() string {
	switch m.Kind {
	case MutRevokeGroup:
		return fmt.Sprintf("REVOKE PRIVILEGE GROUP %s ON %s FROM %s", m.Group, FormatTarget(m.On), m.Grantee)
	case MutGrantGroup:
		return fmt.Sprintf("GRANT PRIVILEGE GROUP %s ON %s TO %s", m.Group, FormatTarget(m.On), m.Grantee)
	}
	return "-- unknown mutation"
}

// formatPattern renders a name pattern level.
func formatPattern(t engine.Target) string {
	switch {
	case t.Kind == model.KindDatabase:
		return "DATABASE " + t.Database + "*"
	case t.DatabasePattern:
		return "TABLE " + t.Database + "*.*"
	}
	return "TABLE " + t.Database + "." + t.Name + "*"
}

// loadMilvus loads the statements of this file, and privilege grants at a
// name pattern; done is false for any other statement.
func loadMilvus(l *engine.Loader, st *Statement, a *loadIDs, tables map[model.DatabaseID]map[string]model.TableID) (done bool, err error) {
	switch {
	case st.Kind == StmtCreateGroup:
		id, err := l.CreatePrivilegeGroup(a.id, st.Name, 0)
		a.groups[st.Name] = id
		return true, err
	case st.Kind == StmtAlterGroup:
		id, ok := a.groups[st.Name]
		if !ok {
			return true, fmt.Errorf("no privilege group %s", st.Name)
		}
		return true, l.AddToPrivilegeGroup(id, st.Privileges)
	case st.Kind == StmtGrantGroup:
		role, ok := a.roles[st.To]
		if !ok {
			return true, fmt.Errorf("no role %s", st.To)
		}
		id, ok := a.groups[st.Group]
		switch {
		case st.Group == model.ReadOnly:
			id, ok = model.GroupReadOnly, true
		case st.Group == model.ReadWrite:
			id, ok = model.GroupReadWrite, true
		}
		if !ok {
			return true, fmt.Errorf("no privilege group %s", st.Group)
		}
		lvl, err := a.level(tables, st.On)
		if err != nil {
			return true, err
		}
		return true, l.GrantPrivilegeGroup(role, id, lvl, engine.PlainGrant)
	case st.Kind == StmtGrantPrivilege && (st.On.DatabasePattern || st.On.TablePattern):
		role, ok := a.roles[st.To]
		if !ok {
			return true, fmt.Errorf("no role %s", st.To)
		}
		lvl, err := a.level(tables, st.On)
		if err != nil {
			return true, err
		}
		return true, l.GrantPrivilege(role, st.Privilege, lvl, engine.PlainGrant)
	}
	return false, nil
}

// level resolves a level by names for the loader, name patterns included.
func (a *loadIDs) level(tables map[model.DatabaseID]map[string]model.TableID, on engine.Target) (engine.Level, error) {
	lvl := engine.Level{Kind: model.LevelTable, Account: a.id}
	if on.Kind == model.KindDatabase {
		lvl.Kind = model.LevelDatabase
	}
	switch {
	case on.DatabasePattern:
		lvl.Prefix = on.Database
		return lvl, nil
	case on.AnyDatabase:
		return lvl, nil
	}
	db, ok := a.dbs[on.Database]
	if !ok {
		return lvl, fmt.Errorf("no database %s", on.Database)
	}
	lvl.Database = db
	switch {
	case on.TablePattern:
		lvl.Prefix = on.Name
	case on.Kind == model.KindTable && !on.AnyTable:
		t, ok := tables[db][on.Name]
		if !ok {
			return lvl, fmt.Errorf("no table %s.%s", on.Database, on.Name)
		}
		lvl.Table = t
	}
	return lvl, nil
}

// applyMilvus applies the statements of this file to the reference.
func (a *refAccount) applyMilvus(st *Statement) {
	if a.groups == nil {
		a.groups = map[string]model.PrivSet{model.ReadOnly: model.ReadOnlyPrivs, model.ReadWrite: model.ReadWritePrivs}
	}
	switch st.Kind {
	case StmtCreateGroup:
		a.groups[st.Name] = 0
	case StmtAlterGroup:
		a.groups[st.Name] |= st.Privileges
	case StmtGrantGroup:
		if role := a.roles[st.To]; role != nil {
			role.add(refGrant{group: st.Group, on: st.On})
		}
	}
}

// applyMilvusMutation applies a group mutation to the reference.
func (a *refAccount) applyMilvusMutation(m *Mutation) {
	role := a.roles[m.Grantee]
	if role == nil {
		return
	}
	g := refGrant{group: m.Group, on: m.On}
	switch m.Kind {
	case MutGrantGroup:
		role.add(g)
	case MutRevokeGroup:
		role.remove(g)
	}
}

// add records a grant: by its exact level, or among the wide ones (group
// grants and patterns), which are matched one by one.
func (r *refRole) add(g refGrant) {
	if g.group == "" && !g.on.DatabasePattern && !g.on.TablePattern {
		r.grants[g] = true
		return
	}
	for _, w := range r.wide {
		if w == g {
			return
		}
	}
	r.wide = append(r.wide, g)
}

// remove forgets a grant.
func (r *refRole) remove(g refGrant) {
	delete(r.grants, g)
	for i, w := range r.wide {
		if w == g {
			r.wide = append(r.wide[:i], r.wide[i+1:]...)
			return
		}
	}
}

// holdsWide reports whether a wide grant of role meets one of needs, the
// grants needed() lists for a decision: a group grant at one of their
// levels holding the privilege now, or a grant (of the privilege, its
// level's ALL, or a group holding it) at a pattern matching the object's
// names, tested naively by prefix.
func (a *refAccount) holdsWide(role *refRole, needs []refGrant) bool {
	if len(needs) == 0 {
		return false
	}
	priv, obj := needs[0].priv, needs[0].on
	for _, g := range role.wide {
		covered := false
		for _, n := range needs {
			covered = covered || g.on == n.on
		}
		switch on := g.on; {
		case on.Kind == model.KindDatabase && on.DatabasePattern:
			covered = obj.Kind == model.KindDatabase && strings.HasPrefix(obj.Database, on.Database)
		case on.DatabasePattern:
			covered = obj.Kind == model.KindTable && strings.HasPrefix(obj.Database, on.Database)
		case on.TablePattern:
			covered = obj.Kind == model.KindTable && obj.Database == on.Database && strings.HasPrefix(obj.Name, on.Name)
		}
		if !covered {
			continue
		}
		if g.group != "" && a.groups[g.group].Has(priv) || g.group == "" && (g.priv == priv || g.priv == priv.Level().All()) {
			return true
		}
	}
	return false
}
