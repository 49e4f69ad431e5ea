package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "pdp-bench: %v\n", err)
		if errors.Is(err, flag.ErrHelp) || errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// errUsage is wrapped by errors in the command line.
var errUsage = errors.New("usage")

// mixFlag is the -mix flag: five shares separated by "/".
type mixFlag struct{ mix *[5]float64 }

func (m mixFlag) String() string {
	if m.mix == nil || *m.mix == [5]float64{} {
		return ""
	}
	parts := make([]string, len(m.mix))
	for i, v := range m.mix {
		parts[i] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strings.Join(parts, "/")
}

func (m mixFlag) Set(s string) error {
	parts := strings.Split(s, "/")
	if len(parts) != len(m.mix) {
		return fmt.Errorf("want %d shares separated by /", len(m.mix))
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return fmt.Errorf("share %q: %w", p, err)
		}
		m.mix[i] = v
	}
	return nil
}

// options are the parsed command line.
type options struct {
	workload, preset, dump string
	durable                string // -durable: measure durable state in this directory
	durableTail            int
	cpuProfile, memProfile string
	jsonOut                bool
	cfg                    Config
	graph                  GraphConfig
	params                 Params
	generatorFlags         []string // generator flags given on the command line
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("pdp-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.workload, "workload", "", "load the workload in `FILE` (plain or gzip-compressed)")
	fs.StringVar(&o.preset, "preset", "", "generate a workload shaped like `NAME`: small, medium, large, xlarge, medium-milvus, medium-ultipa or wide-ultipa")
	fs.StringVar(&o.graph.Shape, "graph", "", "instead of a workload, stress the role graph: `SHAPE` chain or wide")
	fs.IntVar(&o.graph.Size, "graph-size", 10_000, "roles of the -graph chain, users holding the -graph wide role")
	fs.IntVar(&o.graph.Ops, "graph-ops", 200, "timed runs of each -graph operation")
	fs.StringVar(&o.dump, "dump", "", "write the workload to `FILE` (gzip-compressed if it ends in .gz)")
	fs.StringVar(&o.durable, "durable", "", "measure durable state in the empty directory `DIR` instead of the usual phases: the snapshot file, restore, durable commits by 1 and 8 writers, recovery of the snapshot and a journal tail, Check on the recovered engine")
	fs.IntVar(&o.durableTail, "durable-tail", 100_000, "change records in the journal after the snapshot when -durable measures recovery")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the load and the measurements to `FILE`")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile taken after the load to `FILE`")
	fs.BoolVar(&o.jsonOut, "json", false, "print the figures as one JSON object on the last line of standard output (the table goes to standard error)")
	fs.DurationVar(&o.cfg.Duration, "duration", 2*time.Second, "length of each timed phase")
	fs.IntVar(&o.cfg.Iterations, "iterations", 0, "checks per timed phase (per goroutine when parallel) instead of -duration")
	fs.DurationVar(&o.cfg.MutDuration, "mut-duration", 0, "length of the phase under mutation (default -duration)")
	fs.Float64Var(&o.cfg.MutRate, "mut-rate", 1000, "target mutations per second in the phase under mutation")
	fs.IntVar(&o.cfg.SampleEvery, "sample-every", 4, "time one Check in every `N` for the percentiles (1: every call)")
	fs.IntVar(&o.cfg.Samples, "samples", 1_000_000, "per-call latencies kept per phase (a uniform sample of all calls)")
	fs.IntVar(&o.cfg.VerifyPairs, "verify-mutations", 20, "mutation pairs to replay one step at a time, verifying the mutated account's checks after each step")
	fs.IntVar(&o.cfg.ShowMismatches, "show-mismatches", 20, "mismatches to print")

	// Generator parameters: registered on a zero Params, applied over the preset.
	p := &o.params
	gen := flag.NewFlagSet("generator", flag.ContinueOnError)
	gen.Uint64Var(&p.Seed, "seed", 1, "random seed of the generator and of the request order")
	gen.IntVar(&p.Accounts, "accounts", 0, "accounts")
	gen.IntVar(&p.Users, "users", 0, "users per account")
	gen.IntVar(&p.Roles, "roles", 0, "roles per account")
	gen.IntVar(&p.Depth, "depth", 0, "role inheritance depth (edges of the longest chain)")
	gen.Float64Var(&p.Fanout, "fanout", 0, "mean roles inherited by each non-leaf role")
	gen.Float64Var(&p.Skip, "skip", 0, "share of role edges that skip a layer")
	gen.IntVar(&p.DBs, "dbs", 0, "databases per account")
	gen.IntVar(&p.Tables, "tables", 0, "tables per database")
	gen.IntVar(&p.Grants, "grants", 0, "privilege grants per role")
	gen.IntVar(&p.RolesPerUser, "roles-per-user", 0, "roles granted to each user")
	gen.Var(mixFlag{&p.Mix}, "mix", "grant `mix`: shares of TABLE db.t/db.*/*.*/DATABASE db/*")
	gen.IntVar(&p.Checks, "checks", 0, "CHECK lines")
	gen.Float64Var(&p.Allow, "allow", 0, "share of checks drawn from held grants")
	gen.Float64Var(&p.SecondaryAll, "secondary-all", 0, "share of checks with SECONDARY ALL")
	gen.IntVar(&p.Mutations, "mutations", 0, "MUTATE lines")
	gen.Float64Var(&p.MutRole, "mut-role", 0, "share of mutation pairs on a user's role")
	gen.Float64Var(&p.GroupShare, "group-share", 0, "share of grants of a privilege group (reference §15)")
	gen.Float64Var(&p.PatternShare, "pattern-share", 0, "share of grants at a name pattern (reference §16)")
	registerUltipaFlags(gen, p)
	gen.VisitAll(func(f *flag.Flag) {
		fs.Var(f.Value, f.Name, "generator: "+f.Usage)
	})
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: pdp-bench {-workload FILE | -preset NAME [generator flags] | -graph chain|wide} [flags]\n")
		fmt.Fprintf(stderr, "Generator flags default to the preset's values.\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		if gen.Lookup(f.Name) != nil {
			o.generatorFlags = append(o.generatorFlags, f.Name)
		}
	})
	switch {
	case o.graph.Shape != "" && (o.workload != "" || o.preset != "" || len(o.generatorFlags) > 0):
		return nil, fmt.Errorf("%w: -graph takes no workload, preset or generator flags", errUsage)
	case o.graph.Shape != "":
		return o, nil
	case o.workload == "" && o.preset == "":
		fs.Usage()
		return nil, fmt.Errorf("%w: give -workload FILE or -preset NAME", errUsage)
	case o.workload != "" && o.preset != "":
		return nil, fmt.Errorf("%w: give -workload or -preset, not both", errUsage)
	case o.workload != "" && len(o.generatorFlags) > 0 && !(len(o.generatorFlags) == 1 && o.generatorFlags[0] == "seed"):
		return nil, fmt.Errorf("%w: generator flags (%s) need -preset", errUsage, strings.Join(o.generatorFlags, ", "))
	}
	if o.cfg.MutDuration == 0 {
		o.cfg.MutDuration = o.cfg.Duration
	}
	if o.cfg.Duration <= 0 || o.cfg.MutDuration <= 0 || o.cfg.Iterations < 0 || o.cfg.Samples < 1 || o.cfg.SampleEvery < 1 {
		return nil, fmt.Errorf("%w: durations, -samples and -sample-every must be positive, -iterations not negative", errUsage)
	}
	o.cfg.Seed = p.Seed
	return o, nil
}

// params returns the preset's parameters overridden by the generator
// flags given on the command line.
func (o *options) generatorParams() (Params, error) {
	base, ok := Presets[o.preset]
	if !ok {
		names := make([]string, 0, len(Presets))
		for n := range Presets {
			names = append(names, n)
		}
		sort.Strings(names)
		return Params{}, fmt.Errorf("%w: unknown preset %q (have %s)", errUsage, o.preset, strings.Join(names, ", "))
	}
	for _, name := range o.generatorFlags {
		switch name {
		case "seed":
			base.Seed = o.params.Seed
		case "accounts":
			base.Accounts = o.params.Accounts
		case "users":
			base.Users = o.params.Users
		case "roles":
			base.Roles = o.params.Roles
		case "depth":
			base.Depth = o.params.Depth
		case "fanout":
			base.Fanout = o.params.Fanout
		case "skip":
			base.Skip = o.params.Skip
		case "dbs":
			base.DBs = o.params.DBs
		case "tables":
			base.Tables = o.params.Tables
		case "grants":
			base.Grants = o.params.Grants
		case "roles-per-user":
			base.RolesPerUser = o.params.RolesPerUser
		case "mix":
			base.Mix = o.params.Mix
		case "checks":
			base.Checks = o.params.Checks
		case "allow":
			base.Allow = o.params.Allow
		case "secondary-all":
			base.SecondaryAll = o.params.SecondaryAll
		case "mutations":
			base.Mutations = o.params.Mutations
		case "mut-role":
			base.MutRole = o.params.MutRole
		case "group-share":
			base.GroupShare = o.params.GroupShare
		case "pattern-share":
			base.PatternShare = o.params.PatternShare
		default:
			applyUltipaFlag(&base, &o.params, name)
		}
	}
	if len(o.generatorFlags) > 0 && !(len(o.generatorFlags) == 1 && o.generatorFlags[0] == "seed") {
		base.Name += "-custom"
	}
	return base, nil
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	table := stdout
	if o.jsonOut {
		table = stderr
	}
	o.cfg.Log = table
	if o.graph.Shape != "" {
		return runGraph(o, stdout, table)
	}

	start := time.Now()
	var w *Workload
	source := ""
	if o.workload != "" {
		if w, err = ReadFile(o.workload); err != nil {
			return err
		}
		source = "file"
	} else {
		params, err := o.generatorParams()
		if err != nil {
			return err
		}
		if w, err = Generate(params); err != nil {
			return err
		}
		source = "generated: " + params.String()
	}
	parseS := time.Since(start).Seconds()
	if o.dump != "" {
		if err := w.WriteFile(o.dump); err != nil {
			return err
		}
		fmt.Fprintf(table, "wrote %s\n", o.dump)
	}

	res := &Result{
		Workload:   w.Name,
		Hasher:     "test",
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		PrivGrants: w.PrivilegeGrants(),
		RoleGrants: w.RoleGrants(),
		ParseS:     parseS,
	}
	for i := range w.Setup {
		if w.Setup[i].Kind == StmtCreateAccount {
			res.Accounts++
		}
	}
	fmt.Fprintf(table, "pdp-bench: workload %s (%s)\n", w.Name, source)
	fmt.Fprintf(table, "%d setup statements (%d accounts), %d checks, %d mutations; setup uses the test password hasher\n",
		len(w.Setup), res.Accounts, len(w.Checks), len(w.Mutations))

	if o.cpuProfile != "" {
		stop, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	b, err := Build(o.cfg, w, res)
	if err != nil {
		return err
	}
	if o.memProfile != "" {
		if err := writeHeapProfile(o.memProfile); err != nil {
			return err
		}
	}
	if o.durable != "" {
		if err := b.runDurable(o.durable, o.durableTail); err != nil {
			return err
		}
	} else {
		b.Run()
	}
	if err := WriteTable(table, res); err != nil {
		return err
	}
	if o.jsonOut {
		if err := WriteJSON(stdout, res); err != nil {
			return err
		}
	}
	if res.Mismatches > 0 || res.MismatchesAfterMut > 0 || res.MutVerifyMismatches > 0 {
		return fmt.Errorf("%d checks disagree with EXPECT (%d after the mutation phase, %d while replaying mutations step by step)",
			res.Mismatches, res.MismatchesAfterMut, res.MutVerifyMismatches)
	}
	return nil
}

// runGraph runs the role graph stress and reports it.
func runGraph(o *options, stdout, table io.Writer) error {
	if o.cpuProfile != "" {
		stop, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	res, err := RunGraph(o.graph)
	if err != nil {
		return err
	}
	if err := WriteGraphTable(table, res); err != nil {
		return err
	}
	if o.jsonOut {
		return WriteGraphJSON(stdout, res)
	}
	return nil
}

// startCPUProfile starts a CPU profile into path and returns its stop function.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes a heap profile of the live objects to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}
