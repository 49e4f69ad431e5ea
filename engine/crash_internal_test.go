package engine

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	must "github.com/stretchr/testify/require"
)

// The crash test (reference §20: "after a crash at any point (kill -9) reopening
// recovers every acknowledged change and nothing half-applied"). A child
// process (this test binary, re-run with crashEnv set) runs random
// statements from several writers on a durable engine and reports each
// acknowledged statement on a pipe; the parent kills it with SIGKILL at a
// random moment, reopens the directory and checks that the state holds
// every acknowledged change, and equals the same statements replayed on an
// in-memory engine. Then the next child goes on in the same directory.

var crashKills = flag.Int("crash.kills", 60, "how many times TestCrashRecovery kills its child (make crash runs more)")

const (
	crashEnv     = "PDP_CRASH_CHILD" // "dir round writers": run as the child
	crashWriters = 3
	crashPw      = "pw"
)

// crashAccount is the account of writer w: writers never share one, so
// that the state of each account depends on its writer's statements only,
// whatever order the writers' commits interleave in.
func crashAccount(w int) string { return fmt.Sprintf("w%d", w) }

// crashDraw is the statement generator of writer w in round round; the
// child and the parent's replay draw the same statements.
func crashDraw(round, w int) draw { return rngDraw(uint64(round)*1000 + uint64(w) + 1) }

// crashOptions are the durable engine's options: frequent snapshots and
// small log files, so that kills land in snapshots, rotations and
// compactions too.
func crashOptions() []Option { return wlOptions(WithSnapshotEvery(40), WithSegmentSize(16<<10)) }

// TestCrashChild is the child process of TestCrashRecovery; it is skipped
// in an ordinary run.
func TestCrashChild(t *testing.T) {
	spec := os.Getenv(crashEnv)
	if spec == "" {
		t.Skip("the child of TestCrashRecovery")
	}
	var dir string
	var round, writers int
	if _, err := fmt.Sscanf(spec, "%s %d %d", &dir, &round, &writers); err != nil {
		t.Fatalf("bad %s %q: %v", crashEnv, spec, err)
	}
	pipe := os.NewFile(3, "acks")
	var mu sync.Mutex
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(pipe, format+"\n", args...)
	}
	e, err := Open(dir, crashOptions()...)
	if err != nil {
		report("error %v", err)
		return
	}
	deadline := time.Now().Add(30 * time.Second) // the parent kills long before
	var wg sync.WaitGroup
	for w := range writers {
		s, err := e.Connect(crashAccount(w)+":adm", crashPw)
		if err != nil {
			report("error %v", err)
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := crashDraw(round, w)
			for i := 0; time.Now().Before(deadline); i++ {
				err := wlDraw(d, false).run(s)
				report("ack %d %d %v %d", w, i, err == nil, e.Snapshot().Revision())
			}
		}()
	}
	wg.Wait()
}

// crashRound is what the parent learnt from one child.
type crashRound struct {
	mu    sync.Mutex
	acks  [crashWriters][]bool // per writer, the outcome of each acknowledged statement
	rev   uint64               // the highest revision an acknowledgement saw
	count int
	err   string
	more  chan struct{} // signalled on every acknowledgement
}

func (r *crashRound) read(t *testing.T, pipe *os.File) {
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		r.mu.Lock()
		switch {
		case len(f) == 5 && f[0] == "ack":
			w, _ := strconv.Atoi(f[1])
			i, _ := strconv.Atoi(f[2])
			rev, _ := strconv.ParseUint(f[4], 10, 64)
			if i != len(r.acks[w]) {
				t.Errorf("writer %d acknowledged statement %d after %d", w, i, len(r.acks[w]))
			}
			r.acks[w] = append(r.acks[w], f[3] == "true")
			r.rev = max(r.rev, rev)
			r.count++
		default:
			r.err = sc.Text()
		}
		r.mu.Unlock()
		select {
		case r.more <- struct{}{}:
		default:
		}
	}
}

// waitAcks waits until n statements were acknowledged or the child ended.
func (r *crashRound) waitAcks(n int, done <-chan struct{}) {
	for {
		r.mu.Lock()
		enough := r.count >= n || r.err != ""
		r.mu.Unlock()
		if enough {
			return
		}
		select {
		case <-r.more:
		case <-done:
			return
		case <-time.After(time.Second):
		}
	}
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	ref, err := New(wlOptions()...)
	must.NoError(t, err)
	setup := func(e *Engine) {
		root, err := e.Connect("root", "111")
		must.NoError(t, err)
		for w := range crashWriters {
			must.NoError(t, root.CreateAccount(CreateAccount{Name: crashAccount(w), AdminName: "adm", AdminPassword: crashPw}))
			adm, err := e.Connect(crashAccount(w)+":adm", crashPw)
			must.NoError(t, err)
			for _, st := range wlSetup() {
				must.NoError(t, st.run(adm), st.text)
			}
		}
	}
	first, err := Open(dir, crashOptions()...)
	must.NoError(t, err)
	setup(first)
	setup(ref)
	must.NoError(t, first.Close())
	var refSessions [crashWriters]*Session
	for w := range refSessions {
		refSessions[w], err = ref.Connect(crashAccount(w)+":adm", crashPw)
		must.NoError(t, err)
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	qs := wlQuestions(rngDraw(99), ref.Snapshot(), 300)
	for round := range *crashKills {
		r := runChild(t, dir, round, rng)
		must.Empty(t, r.err, "round %d: the child failed", round)
		e, err := Open(dir, crashOptions()...)
		must.NoError(t, err, "round %d: reopen after the kill", round)
		must.GreaterOrEqual(t, e.Snapshot().Revision(), r.rev, "round %d: an acknowledged change is lost", round)
		replayRound(t, ref, refSessions, e, round, r)
		got, want := stateDump(e.Snapshot(), false), stateDump(ref.Snapshot(), false)
		must.Equal(t, want, got, "round %d: the recovered state differs from the replay (- replay, + recovered):\n%s", round, dumpDiff(want, got))
		must.Equal(t, ref.Snapshot().Revision(), e.Snapshot().Revision(), "round %d: revision", round)
		must.Equal(t, answers(ref.Snapshot(), qs), answers(e.Snapshot(), qs), "round %d: decisions", round)
		must.Empty(t, miscounted(e.db.Read()), "round %d: the recovered counts", round)
		must.NoError(t, e.Close())
	}
}

// runChild runs one child on dir and kills it at a random moment: after a
// random number of acknowledgements, and a random fraction of a commit.
func runChild(t *testing.T, dir string, round int, rng *rand.Rand) *crashRound {
	t.Helper()
	pr, pw, err := os.Pipe()
	must.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %d", crashEnv, dir, round, crashWriters))
	cmd.ExtraFiles = []*os.File{pw}
	must.NoError(t, cmd.Start())
	pw.Close()
	r := &crashRound{more: make(chan struct{}, 1)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.read(t, pr)
	}()
	r.waitAcks(rng.IntN(60), done)
	time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	<-done
	pr.Close()
	return r
}

// replayRound runs the round's statements on the in-memory engine: every
// acknowledged one (with the outcome the child saw), and, for a writer
// whose next statement was in flight at the kill, that one too if the
// recovered state of its account shows it committed. A statement in
// flight that committed without changing what SHOW prints is told only by
// the revision: such statements (tried first on a copy of the replay) are
// run until the revisions agree; which of them committed makes no
// difference to the state.
func replayRound(t *testing.T, ref *Engine, sessions [crashWriters]*Session, got *Engine, round int, r *crashRound) {
	t.Helper()
	type inFlight struct {
		w  int
		st wlStatement
	}
	var unseen []inFlight
	for w := range crashWriters {
		d := crashDraw(round, w)
		for i, ok := range r.acks[w] {
			st := wlDraw(d, false)
			err := st.run(sessions[w])
			must.Equal(t, ok, err == nil, "round %d, writer %d, statement %d (%s): the replay's outcome %v", round, w, i, st.text, err)
		}
		prefix := crashAccount(w) + ": "
		st := wlDraw(d, false)
		if accountLines(stateDump(ref.Snapshot(), false), prefix) == accountLines(stateDump(got.Snapshot(), false), prefix) {
			unseen = append(unseen, inFlight{w, st})
			continue
		}
		must.NoError(t, st.run(sessions[w]), "round %d, writer %d: the statement in flight (%s)", round, w, st.text)
		assert.Equal(t, accountLines(stateDump(ref.Snapshot(), false), prefix), accountLines(stateDump(got.Snapshot(), false), prefix),
			"round %d, writer %d: after the statement in flight", round, w)
	}
	for _, f := range unseen {
		if ref.Snapshot().Revision() == got.Snapshot().Revision() {
			break
		}
		trial := restore(t, ref)
		s, err := trial.Connect(crashAccount(f.w)+":adm", crashPw)
		must.NoError(t, err)
		if f.st.run(s) == nil && slices.Equal(stateDump(trial.Snapshot(), false), stateDump(ref.Snapshot(), false)) {
			must.NoError(t, f.st.run(sessions[f.w]))
		}
	}
}

// accountLines returns the lines of a dump that begin with prefix.
func accountLines(dump []string, prefix string) string {
	var b strings.Builder
	for _, l := range dump {
		if strings.HasPrefix(l, prefix) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// restore returns a copy of e made through its snapshot file.
func restore(t *testing.T, e *Engine) *Engine {
	t.Helper()
	c, err := Restore(bytes.NewReader(snapshotBytes(t, e)), wlOptions()...)
	must.NoError(t, err)
	return c
}
