package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
)

// The role graph stresses of -graph.
const (
	// GraphChain is a chain of roles: r1 inherits r0, r2 inherits r1, and so
	// on, so that the last role's closure holds every role of the chain and
	// the first role is inherited by every other.
	GraphChain = "chain"
	// GraphWide is one role granted to many users, and a fan-out of ten hub
	// roles each granted to a tenth of that many roles.
	GraphWide = "wide"
)

// graphAccount is the account the role graph stress builds, and its admin.
const (
	graphAccount = "graph"
	graphAdmin   = "admin"
	graphHubs    = 10 // hub roles of the wide fan-out
)

// GraphConfig says which role graph to build and how often to time each
// operation on it.
type GraphConfig struct {
	Shape string // GraphChain or GraphWide
	// Size is the number of roles of the chain, or of users holding the
	// widely held role (the fan-out then has Size/10 roles inheriting each
	// of the 10 hubs).
	Size int
	// Ops is the number of timed runs of each operation.
	Ops int
	Log io.Writer
}

// GraphResult holds the figures of a role graph stress. Its JSON form is
// the -json output of -graph.
type GraphResult struct {
	Graph      string `json:"graph"`
	Size       int    `json:"size"`
	Roles      int    `json:"roles"`
	RoleEdges  int    `json:"role_edges"`
	UserGrants int    `json:"user_grants"`
	// LoadS builds the graph in one Engine.Load; StatementsS builds it
	// again on a new engine with one GRANT statement per edge or user
	// grant (the roles and users are created by one Load first, untimed).
	LoadS       float64   `json:"load_s"`
	StatementsS float64   `json:"statements_s"`
	Ops         []GraphOp `json:"ops"`
}

// GraphOp is the latency of one statement run repeatedly on the built
// graph; each grant is undone by its revoke before the next run.
type GraphOp struct {
	Name      string  `json:"name"`
	Statement string  `json:"statement"`
	N         int     `json:"n"`
	UsP50     float64 `json:"us_p50"`
	UsP99     float64 `json:"us_p99"`
	UsMax     float64 `json:"us_max"`
	// CPUUsMean is the process's CPU time per run (the garbage collector's
	// included), which other load on the machine inflates less than the
	// wall time; -1 where unknown.
	CPUUsMean float64 `json:"cpu_us_mean"`
}

// graphPlan is a role graph: roles to create, users holding one role, and
// role-to-role grants (role, grantee), in the order they are applied.
type graphPlan struct {
	roles []string
	users []string
	held  string // the role every user holds
	edges [][2]string
}

func planGraph(shape string, size int) (*graphPlan, error) {
	p := &graphPlan{}
	switch shape {
	case GraphChain:
		for i := range size {
			p.roles = append(p.roles, "r"+strconv.Itoa(i))
		}
		for i := 1; i < size; i++ {
			p.edges = append(p.edges, [2]string{p.roles[i-1], p.roles[i]})
		}
	case GraphWide:
		p.held = "w"
		p.roles = append(p.roles, p.held)
		for i := range size {
			p.users = append(p.users, "u"+strconv.Itoa(i))
		}
		for h := range graphHubs {
			p.roles = append(p.roles, "h"+strconv.Itoa(h))
		}
		for i := range max(size/graphHubs, 1) {
			m := "m" + strconv.Itoa(i)
			p.roles = append(p.roles, m)
			for h := range graphHubs {
				p.edges = append(p.edges, [2]string{"h" + strconv.Itoa(h), m})
			}
		}
	default:
		return nil, fmt.Errorf("%w: unknown -graph %q (have %s, %s)", errUsage, shape, GraphChain, GraphWide)
	}
	p.roles = append(p.roles, "x") // granted and revoked by the timed operations
	return p, nil
}

// graphEngine returns an engine whose role limit fits the plan.
func graphEngine(p *graphPlan) (*engine.Engine, error) {
	eng, err := engine.New(engine.WithHasher(password.Testing()), engine.WithRootPassword(rootPassword),
		engine.WithLimits(engine.Limits{RolesPerAccount: len(p.roles) + 8, UsersPerAccount: len(p.users) + 8}))
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	return eng, nil
}

// loadGraph creates the account, roles and users of p and, with grants,
// applies its grants, all in one Engine.Load.
func loadGraph(eng *engine.Engine, p *graphPlan, grants bool) error {
	return eng.Load(func(l *engine.Loader) error {
		a, err := l.CreateAccount(graphAccount, graphAdmin, rootPassword)
		if err != nil {
			return err
		}
		ids := make(map[string]model.RoleID, len(p.roles))
		for _, r := range p.roles {
			if ids[r], err = l.CreateRole(a, r); err != nil {
				return err
			}
		}
		users := make([]model.UserID, len(p.users))
		for i, u := range p.users {
			if users[i], err = l.CreateUser(a, u, rootPassword); err != nil {
				return err
			}
		}
		if !grants {
			return nil
		}
		for _, u := range users {
			if err := l.GrantRoleToUser(ids[p.held], u, engine.PlainGrant); err != nil {
				return err
			}
		}
		for _, e := range p.edges {
			if err := l.GrantRole(ids[e[0]], ids[e[1]], engine.PlainGrant); err != nil {
				return fmt.Errorf("grant %s to %s: %w", e[0], e[1], err)
			}
		}
		return nil
	})
}

// grantStatements applies the grants of p one GRANT statement each.
func grantStatements(s *engine.Session, p *graphPlan) error {
	for _, u := range p.users {
		if err := s.GrantRole(engine.GrantRole{Roles: []string{p.held}, To: []string{u}}); err != nil {
			return fmt.Errorf("grant %s to %s: %w", p.held, u, err)
		}
	}
	for _, e := range p.edges {
		if err := s.GrantRole(engine.GrantRole{Roles: []string{e[0]}, To: []string{e[1]}}); err != nil {
			return fmt.Errorf("grant %s to %s: %w", e[0], e[1], err)
		}
	}
	return nil
}

// buildByStatements creates the roles and users of p in one Load, then
// times its grants applied one GRANT statement each.
func buildByStatements(p *graphPlan) (float64, error) {
	eng, err := graphEngine(p)
	if err != nil {
		return 0, err
	}
	if err := loadGraph(eng, p, false); err != nil {
		return 0, err
	}
	s, err := eng.Login(graphAccount, graphAdmin, rootPassword, "")
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := grantStatements(s, p); err != nil {
		return 0, err
	}
	return time.Since(start).Seconds(), nil
}

// RunGraph builds the role graph twice (one Load, then statement by
// statement) and times grants, revokes and cycle refusals on it.
func RunGraph(cfg GraphConfig) (*GraphResult, error) {
	if cfg.Size < 2 || cfg.Ops < 1 {
		return nil, fmt.Errorf("%w: -graph-size must be at least 2 and -graph-ops at least 1", errUsage)
	}
	p, err := planGraph(cfg.Shape, cfg.Size)
	if err != nil {
		return nil, err
	}
	res := &GraphResult{Graph: cfg.Shape, Size: cfg.Size, Roles: len(p.roles), RoleEdges: len(p.edges),
		UserGrants: len(p.users)}

	if res.StatementsS, err = buildByStatements(p); err != nil {
		return nil, err
	}
	eng, err := graphEngine(p)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := loadGraph(eng, p, true); err != nil {
		return nil, err
	}
	res.LoadS = time.Since(start).Seconds()
	s, err := eng.Login(graphAccount, graphAdmin, rootPassword, "")
	if err != nil {
		return nil, err
	}
	for _, op := range graphOps(cfg.Shape, cfg.Size) {
		timed, err := op.time(s, cfg.Ops)
		if err != nil {
			return nil, err
		}
		res.Ops = append(res.Ops, timed...)
	}
	return res, nil
}

// graphOp is a statement timed on the built graph: a grant with the revoke
// that undoes it, or a grant the engine must refuse as a cycle.
type graphOp struct {
	name, role, to string // GRANT role TO to
	cycle          bool   // refused with ErrCycle; no revoke
}

// graphOps names the timed operations of a shape, "deep end" first.
func graphOps(shape string, size int) []graphOp {
	if shape == GraphChain {
		last := "r" + strconv.Itoa(size-1)
		return []graphOp{
			{name: "grant to the role with the largest closure", role: "x", to: last},
			{name: "grant to the role every other inherits", role: "x", to: "r0"},
			{name: "cycle refusal across the chain", role: last, to: "r0", cycle: true},
		}
	}
	return []graphOp{
		{name: "grant to a hub every fan-out role inherits", role: "x", to: "h0"},
		{name: "cycle refusal across the fan-out", role: "m0", to: "h0", cycle: true},
		{name: "grant to the widely held role", role: "x", to: "w"},
	}
}

// time runs the operation n times and summarises the grant and its revoke
// (or the refusal).
func (op graphOp) time(s *engine.Session, n int) ([]GraphOp, error) {
	grant := engine.GrantRole{Roles: []string{op.role}, To: []string{op.to}}
	revoke := engine.RevokeRole{Roles: []string{op.role}, From: []string{op.to}}
	var grants, revokes opTimes
	for range n {
		err := grants.run(func() error { return s.GrantRole(grant) })
		if op.cycle {
			if !errors.Is(err, model.ErrCycle) {
				return nil, fmt.Errorf("GRANT %s TO %s: want a cycle refusal, got %v", op.role, op.to, err)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("GRANT %s TO %s: %w", op.role, op.to, err)
		}
		if err := revokes.run(func() error { return s.RevokeRole(revoke) }); err != nil {
			return nil, fmt.Errorf("REVOKE %s FROM %s: %w", op.role, op.to, err)
		}
	}
	out := []GraphOp{grants.summary(op.name, fmt.Sprintf("GRANT %s TO %s", op.role, op.to))}
	if !op.cycle {
		out = append(out, revokes.summary("revoke: "+op.name, fmt.Sprintf("REVOKE %s FROM %s", op.role, op.to)))
	}
	return out, nil
}

// opTimes collects the wall times of the runs of one statement and the
// process CPU time they took.
type opTimes struct {
	wall  []int64
	cpu   time.Duration
	noCPU bool
}

// run times one run of fn.
func (o *opTimes) run(fn func() error) error {
	c0, ok0 := cpuTime()
	t := time.Now()
	err := fn()
	o.wall = append(o.wall, int64(time.Since(t)))
	c1, ok1 := cpuTime()
	o.cpu += c1 - c0
	o.noCPU = o.noCPU || !ok0 || !ok1
	return err
}

func (o *opTimes) summary(name, stmt string) GraphOp {
	s := Summarize(o.wall)
	cpu := -1.0
	if !o.noCPU && s.N > 0 {
		cpu = float64(o.cpu.Microseconds()) / float64(s.N)
	}
	return GraphOp{Name: name, Statement: stmt, N: s.N, UsP50: s.P50 / 1e3, UsP99: s.P99 / 1e3, UsMax: s.Max / 1e3,
		CPUUsMean: cpu}
}

// WriteGraphJSON writes res as one line of JSON.
func WriteGraphJSON(out io.Writer, res *GraphResult) error {
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	_, err = fmt.Fprintf(out, "%s\n", b)
	return err
}

// WriteGraphTable writes res as a readable table.
func WriteGraphTable(out io.Writer, res *GraphResult) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "role graph %s (size %d): %d roles, %d role edges, %d user grants\n",
		res.Graph, res.Size, res.Roles, res.RoleEdges, res.UserGrants)
	fmt.Fprintf(tw, "  build in one Load\t%.3f s\n", res.LoadS)
	fmt.Fprintf(tw, "  build by statements\t%.3f s\n", res.StatementsS)
	for _, op := range res.Ops {
		cpu := "cpu ?"
		if op.CPUUsMean >= 0 {
			cpu = "cpu " + nsString(op.CPUUsMean*1e3)
		}
		fmt.Fprintf(tw, "  %s\t%s\tp50 %s\tp99 %s\tmax %s\t%s\t(%d runs)\n", op.Name, op.Statement,
			nsString(op.UsP50*1e3), nsString(op.UsP99*1e3), nsString(op.UsMax*1e3), cpu, op.N)
	}
	return tw.Flush()
}
