package engine

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/journal"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/password"
	"github.com/pdp-authz/pdp/record"
)

// Engine is the policy decision point: the catalog of record, one writer at
// a time, and the current decision [Snapshot] published through an atomic
// pointer. All methods are safe for concurrent use; [Engine.Check] takes no
// lock and does not allocate. Make one with [New]; a nil or zero Engine
// holds nothing: its decisions deny, its logins fail and it refuses loads.
// Printed with fmt, an Engine shows only its revision.
type Engine struct {
	mu       sync.Mutex // serialises writers
	db       *catalog.DB
	head     *Snapshot                // the last committed snapshot, which writers start from (mu)
	cur      atomic.Pointer[Snapshot] // the last published snapshot, which readers see
	cfg      config
	logins   *lockout // volatile login state: failure counts, automatic locks
	verifier verifier // the hasher, as logins use it

	pub    *publisher            // committed changes on their way to being published (commit.go)
	feed   *feed                 // the recent change records, for Changes (feed.go)
	store  *durable              // the journal of a durable engine, nil in memory (durable.go)
	broken atomic.Pointer[error] // set once the journal failed: writes are refused
	stale  atomic.Pointer[error] // set while a replica fails closed (replicated.go)
}

// Limits are the configurable limits of reference §10. A zero field takes its default.
type Limits struct {
	UsersPerAccount     int
	RolesPerAccount     int
	DatabasesPerAccount int
	TablesPerAccount    int
	GrantsPerRole       int
	NamesPerStatement   int
	// RoleGrantPairsPerStatement bounds roles × grantees of one GRANT or
	// REVOKE of roles.
	RoleGrantPairsPerStatement int
	StatementBytes             int
	GroupsPerAccount           int // custom privilege groups (reference §15)
	PatternsPerAccount         int // name pattern levels (reference §16)
	// ColumnsPerTable bounds the columns of a table, and the length of
	// one column list of a statement (reference §18, §21).
	ColumnsPerTable int
}

// DefaultLimits are the limits of reference §10.
var DefaultLimits = Limits{
	UsersPerAccount:            100_000,
	RolesPerAccount:            10_000,
	DatabasesPerAccount:        10_000,
	TablesPerAccount:           1_000_000,
	GrantsPerRole:              100_000,
	NamesPerStatement:          1_000,
	RoleGrantPairsPerStatement: 10_000,
	StatementBytes:             1 << 20,
	GroupsPerAccount:           1_000,
	PatternsPerAccount:         1_000,
	ColumnsPerTable:            model.DefaultColumnsPerTable,
}

func (l Limits) withDefaults() Limits {
	fill := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	fill(&l.UsersPerAccount, DefaultLimits.UsersPerAccount)
	fill(&l.RolesPerAccount, DefaultLimits.RolesPerAccount)
	fill(&l.DatabasesPerAccount, DefaultLimits.DatabasesPerAccount)
	fill(&l.TablesPerAccount, DefaultLimits.TablesPerAccount)
	fill(&l.GrantsPerRole, DefaultLimits.GrantsPerRole)
	fill(&l.NamesPerStatement, DefaultLimits.NamesPerStatement)
	fill(&l.RoleGrantPairsPerStatement, DefaultLimits.RoleGrantPairsPerStatement)
	fill(&l.StatementBytes, DefaultLimits.StatementBytes)
	fill(&l.GroupsPerAccount, DefaultLimits.GroupsPerAccount)
	fill(&l.PatternsPerAccount, DefaultLimits.PatternsPerAccount)
	fill(&l.ColumnsPerTable, DefaultLimits.ColumnsPerTable)
	return l
}

// config is what the options set. The root password and hash serve New
// only: New clears them once root's hash is stored, so a running engine
// holds no password, not even root's.
type config struct {
	rootPassword string
	rootHash     string
	hasher       password.Hasher
	policy       func(string) error
	threshold    int
	lockFor      time.Duration
	now          func() time.Time
	sleep        func(time.Duration)
	limits       Limits
	bootstrap    *record.Record // WithBootstrap: record 0 to start from
	feedSize     int            // WithFeedSize
	snapEvery    int            // WithSnapshotEvery (durable engines)
	journalOpts  []journal.Option
	sequencer    Sequencer     // WithSequencer: the engine is a replica
	lockout      SharedLockout // WithSharedLockout: failure counts and locks shared with replicas
}

// Option configures [New].
type Option func(*config) error

// WithRootPassword sets the password of root, the admin user of sys.
func WithRootPassword(pw string) Option {
	return func(c *config) error { c.rootPassword = pw; return nil }
}

// WithRootHash sets root's password as an encoded hash the hasher accepts:
// a production hasher refuses test hashes and hashes of a lower work factor
// than its own.
func WithRootHash(hash string) Option {
	return func(c *config) error { c.rootHash = hash; return nil }
}

// WithHasher sets the password hasher (default [password.Production]).
// [password.PBKDF2] with a small work factor gives tests the production
// code path at a low cost.
func WithHasher(h password.Hasher) Option {
	return func(c *config) error { c.hasher = h; return nil }
}

// WithPasswordPolicy adds a check every new password must pass, after the
// built-in rules (non-empty, at most 128 bytes).
func WithPasswordPolicy(policy func(pw string) error) Option {
	return func(c *config) error { c.policy = policy; return nil }
}

// The lockout of reference §7 unless [WithLockout] sets another: a shared
// lockout ([WithSharedLockout]) must count and lock the same way.
const (
	DefaultLockoutThreshold = 5
	DefaultLockDuration     = 15 * time.Minute
)

// WithLockout sets how many wrong passwords in a row lock a user (default
// 5) and for how long (default 15 minutes).
func WithLockout(threshold int, duration time.Duration) Option {
	return func(c *config) error {
		if threshold < 1 || duration <= 0 {
			return model.Errorf(model.ErrInvalidOption, "lockout threshold and duration must be positive")
		}
		c.threshold, c.lockFor = threshold, duration
		return nil
	}
}

// WithClock sets the clock automatic locks expire on (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error { c.now = now; return nil }
}

// WithSleep sets how the engine waits out the one-second delay before it
// answers a failed login of the admin user of sys past the lockout
// threshold (default time.Sleep), so tests need not wait.
func WithSleep(sleep func(time.Duration)) Option {
	return func(c *config) error {
		if sleep == nil {
			return model.Errorf(model.ErrInvalidOption, "the sleep function must not be nil")
		}
		c.sleep = sleep
		return nil
	}
}

// WithLimits sets the limits; zero fields keep their defaults.
func WithLimits(l Limits) Option {
	return func(c *config) error { c.limits = l; return nil }
}

// New returns an in-memory engine holding the account sys with its roles
// moadmin and public and the user root (reference §2): the bootstrap, revision
// 0. A root password or hash is required, unless [WithBootstrap] gives
// the bootstrap record to start from.
func New(opts ...Option) (*Engine, error) {
	e, err := blank(opts)
	if err != nil {
		return nil, err
	}
	if err := e.bootstrap(); err != nil {
		return nil, err
	}
	return e, nil
}

// configure applies the options over the defaults.
func configure(opts []Option) (config, error) {
	cfg := config{hasher: password.Production(), threshold: DefaultLockoutThreshold, lockFor: DefaultLockDuration, now: time.Now, sleep: time.Sleep,
		feedSize: defaultFeedSize, snapEvery: defaultSnapshotEvery}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return cfg, err
		}
	}
	cfg.limits = cfg.limits.withDefaults()
	return cfg, nil
}

// blank returns an engine with an empty catalog and no snapshot: it must
// be bootstrapped or restored before use.
func blank(opts []Option) (*Engine, error) {
	cfg, err := configure(opts)
	if err != nil {
		return nil, err
	}
	db, err := catalog.Open()
	if err != nil {
		return nil, err
	}
	return &Engine{db: db, cfg: cfg, logins: newLockout(cfg.threshold, cfg.lockFor, cfg.now), verifier: cfg.hasher,
		pub: newPublisher(), feed: newFeed(cfg.feedSize)}, nil
}

// bootstrap commits revision 0: the given bootstrap record, or sys, its
// roles and root.
func (e *Engine) bootstrap() error {
	if rec := e.cfg.bootstrap; rec != nil {
		e.cfg.bootstrap = nil
		e.cfg.rootPassword, e.cfg.rootHash = "", ""
		if err := e.Apply(rec); err != nil {
			return fmt.Errorf("bootstrap: %w", err)
		}
		return nil
	}
	hash, err := e.rootHash()
	e.cfg.rootPassword, e.cfg.rootHash = "", ""
	if err != nil {
		return err
	}
	err = e.update(func(w *writer) error {
		w.describe = func() string { return stmtBootstrap }
		_, err := w.createAccount(model.SysAccount, model.RootUser, hash, model.MoAdmin, "")
		return err
	})
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	return nil
}

func (e *Engine) rootHash() (string, error) {
	switch {
	case e.cfg.rootHash != "":
		if !e.cfg.hasher.Accepts(e.cfg.rootHash) {
			return "", model.Errorf(model.ErrPassword, "the root password hash is malformed or refused by the hasher")
		}
		return e.cfg.rootHash, nil
	case e.cfg.rootPassword != "":
		if err := e.checkPassword(e.cfg.rootPassword); err != nil {
			return "", err
		}
		return e.cfg.hasher.Hash(e.cfg.rootPassword)
	}
	return "", model.Errorf(model.ErrPassword, "a root password or hash is required")
}

// Limits returns the engine's limits.
func (e *Engine) Limits() Limits {
	if e == nil {
		return DefaultLimits
	}
	return e.cfg.limits.withDefaults()
}

// Snapshot returns the current snapshot. It is immutable: hold it to ask
// many questions of one consistent state. An engine not made by [New]
// has none: it returns nil, which denies every decision.
func (e *Engine) Snapshot() *Snapshot {
	if e == nil {
		return nil
	}
	return e.cur.Load()
}

// ready reports whether e was made by [New]. A nil or zero Engine holds
// nothing: its decisions deny, its logins fail and it refuses writes.
func (e *Engine) ready() bool { return e != nil && e.pub != nil }

// errNoEngine refuses a write to an engine not made by [New].
var errNoEngine = model.Errorf(model.ErrNotConnected, "the engine was not made by engine.New")

// String describes the engine by its revision; it never shows the
// configuration (the password hasher, root's credentials) or the catalog.
func (e *Engine) String() string {
	if !e.ready() {
		return "engine.Engine{not started}"
	}
	return fmt.Sprintf("engine.Engine{revision %d}", e.Snapshot().Revision())
}

// GoString is [Engine.String], for %#v.
func (e *Engine) GoString() string { return e.String() }

// Format writes [Engine.String] for every verb, so that no fmt verb
// prints the engine's fields.
func (e *Engine) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(e.String())) }

// Check decides on the current snapshot; see [Snapshot.Check].
func (e *Engine) Check(user model.UserID, activeRole model.RoleID, sec Secondary, p model.Privilege, on model.Object) Decision {
	return e.Snapshot().Check(user, activeRole, sec, p, on)
}

// writer is one write transaction: the catalog transaction and the snapshot
// it starts from (authority is judged on that state, reference §9).
type writer struct {
	*catalog.Tx
	e      *Engine
	base   *Snapshot
	after  []func()       // effects outside the catalog, run only once it commits
	shared []sharedEffect // effects on the shared lockout, made once the change is acknowledged

	pending      *inherit.Pending // closures for cycle checks, made on first use
	edgesRemoved bool             // a role edge was removed: pending is no longer exact
	describe     func() string    // the canonical statement text, rendered once the statement succeeded
	replaying    []*record.Record // the records Apply replays
}

// afterCommit defers an effect outside the catalog until the transaction
// commits, so that a failed statement leaves it undone too.
func (w *writer) afterCommit(fn func()) { w.after = append(w.after, fn) }

// hashPassword checks pw against the password rules and hashes it.
func (e *Engine) hashPassword(pw string) (string, error) {
	if err := e.checkPassword(pw); err != nil {
		return "", err
	}
	return e.cfg.hasher.Hash(pw)
}

// checkPassword applies the password rules of reference §1 and the policy.
func (e *Engine) checkPassword(pw string) error {
	switch {
	case pw == "":
		return model.Errorf(model.ErrPassword, "password is empty string")
	case len(pw) > 128:
		return model.Errorf(model.ErrPassword, "password is too long")
	case e.cfg.policy != nil:
		if err := e.cfg.policy(pw); err != nil {
			return &model.Error{Kind: model.ErrPassword, Msg: err.Error()}
		}
	}
	return nil
}
