package engine

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	must "github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/journal"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// openDurable opens a durable engine on dir with the test options.
func openDurable(t testing.TB, dir string, extra ...Option) *Engine {
	t.Helper()
	e, err := Open(dir, wlOptions(extra...)...)
	must.NoError(t, err)
	return e
}

// rngDraw draws from a seeded generator.
func rngDraw(seed uint64) draw {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(_ string, n int) int { return rng.IntN(n) }
}

// runWorkload runs the workload's setup, n random statements and the
// setup again (where it still applies, so that the final state holds
// every kind of record) as root, and returns the snapshot file of every
// revision it went through, by revision.
func runWorkload(t testing.TB, e *Engine, d draw, n int, files map[uint64][]byte) {
	t.Helper()
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	run := func(st wlStatement) error {
		err := st.run(root)
		if err == nil && files != nil {
			files[e.Snapshot().Revision()] = snapshotBytes(t, e)
		}
		return err
	}
	for _, st := range wlSetup() {
		must.NoError(t, run(st), st.text)
	}
	for range n {
		_ = run(wlDraw(d, true))
	}
	for _, st := range wlSetup() {
		_ = run(st)
	}
}

// logFiles returns the journal's log files in dir, oldest first.
func logFiles(t testing.TB, dir string) []string {
	t.Helper()
	logs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	must.NoError(t, err)
	slices.Sort(logs)
	return logs
}

func TestDurableEngineRecoversEveryChange(t *testing.T) {
	dir := t.TempDir()
	e := openDurable(t, dir, WithSnapshotEvery(25), WithSegmentSize(4096))
	files := map[uint64][]byte{0: snapshotBytes(t, e)}
	runWorkload(t, e, rngDraw(1), 300, files)
	rev := e.Snapshot().Revision()
	must.Greater(t, rev, uint64(60))
	qs := wlQuestions(rngDraw(2), e.Snapshot(), 200)
	want, wantAnswers := stateDump(e.Snapshot(), true), answers(e.Snapshot(), qs)
	must.NoError(t, e.Close())

	snaps, err := filepath.Glob(filepath.Join(dir, "*.snap"))
	must.NoError(t, err)
	assert.Len(t, snaps, 1, "older snapshots are removed")
	assert.Less(t, len(logFiles(t, dir)), 10, "log files a snapshot covers are removed")

	again := openDurable(t, dir)
	defer again.Close()
	assert.Equal(t, rev, again.Snapshot().Revision())
	assert.Equal(t, want, stateDump(again.Snapshot(), true))
	assert.Equal(t, wantAnswers, answers(again.Snapshot(), qs))
	assert.Empty(t, miscounted(again.db.Read()), "the recovered counts")
	assert.Equal(t, files[rev], snapshotBytes(t, again))

	// And it goes on: the next change takes the IDs the first run would have.
	root, err := again.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, root.CreateRole(CreateRole{Names: []string{"after"}}))
	assert.Equal(t, rev+1, again.Snapshot().Revision())
}

func TestDurableEngineRefusesWritesAfterClose(t *testing.T) {
	e := openDurable(t, t.TempDir())
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, e.Close())
	err = root.CreateRole(CreateRole{Names: []string{"r"}})
	must.ErrorIs(t, err, model.ErrStorage)
	assert.Contains(t, err.Error(), "closed")
	assert.True(t, root.Decide(model.PrivCreateRole, Target{Kind: model.KindAccount}).Allowed, "decisions go on")
}

func TestOneProcessPerDirectory(t *testing.T) {
	dir := t.TempDir()
	e := openDurable(t, dir)
	defer e.Close()
	_, err := Open(dir, wlOptions()...)
	must.ErrorIs(t, err, model.ErrStorage)
	assert.Contains(t, err.Error(), journal.ErrInUse.Error())
}

// durableWithRecords makes a durable engine in dir with n changes, each its
// own journal batch, closes it and returns the snapshot file of every
// revision.
func durableWithRecords(t *testing.T, dir string, n int, extra ...Option) map[uint64][]byte {
	t.Helper()
	e := openDurable(t, dir, extra...)
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	files := map[uint64][]byte{0: snapshotBytes(t, e)}
	for i := range n {
		must.NoError(t, root.CreateRole(CreateRole{Names: []string{fmt.Sprintf("r%d", i)}}))
		files[e.Snapshot().Revision()] = snapshotBytes(t, e)
	}
	must.NoError(t, e.Close())
	return files
}

func TestATornLastRecordIsDropped(t *testing.T) {
	dir := t.TempDir()
	files := durableWithRecords(t, dir, 5)
	logs := logFiles(t, dir)
	last := logs[len(logs)-1]
	fi, err := os.Stat(last)
	must.NoError(t, err)
	must.NoError(t, os.Truncate(last, fi.Size()-3)) // the power went out during the last write

	e := openDurable(t, dir)
	defer e.Close()
	assert.Equal(t, uint64(4), e.Snapshot().Revision(), "the torn record is dropped")
	assert.Equal(t, files[4], snapshotBytes(t, e), "nothing of it is applied")
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, root.CreateRole(CreateRole{Names: []string{"r4"}}), "its revision is taken again")
}

func TestACorruptedMiddleRecordRefusesToOpen(t *testing.T) {
	dir := t.TempDir()
	durableWithRecords(t, dir, 5)
	logs := logFiles(t, dir)
	data, err := os.ReadFile(logs[0])
	must.NoError(t, err)
	data[len(data)/2] ^= 0x10
	must.NoError(t, os.WriteFile(logs[0], data, 0o644))

	_, err = Open(dir, wlOptions()...)
	must.ErrorIs(t, err, model.ErrStorage)
	assert.Contains(t, err.Error(), logs[0], "the error names the file")
	assert.Contains(t, err.Error(), "byte ", "and the offset")
	assert.Contains(t, err.Error(), journal.ErrCorrupt.Error())
}

func TestARecordOfAFutureVersionRefusesToOpen(t *testing.T) {
	dir := t.TempDir()
	durableWithRecords(t, dir, 2)
	j, rec, err := journal.Open(dir)
	must.NoError(t, err)
	last := rec.Entries[len(rec.Entries)-1]
	r, err := record.Decode(last.Payload)
	must.NoError(t, err)
	r.Revision++
	payload, err := record.Encode(r)
	must.NoError(t, err)
	payload[1] = record.Version + 1 // a record a later build wrote
	must.NoError(t, j.Append(r.Revision, payload))
	must.NoError(t, j.Close())

	_, err = Open(dir, wlOptions()...)
	must.ErrorIs(t, err, model.ErrReplay)
	assert.Contains(t, err.Error(), "revision 3")
	assert.Contains(t, err.Error(), record.ErrVersion.Error())
}

func TestAMissingSnapshotRefusesToOpen(t *testing.T) {
	dir := t.TempDir()
	durableWithRecords(t, dir, 40, WithSnapshotEvery(10), WithSegmentSize(256))
	snaps, err := filepath.Glob(filepath.Join(dir, "*.snap"))
	must.NoError(t, err)
	must.Len(t, snaps, 1)
	must.NoError(t, os.Remove(snaps[0]))

	_, err = Open(dir, wlOptions()...)
	must.ErrorIs(t, err, model.ErrStorage)
	assert.Contains(t, err.Error(), journal.ErrMissingSnapshot.Error())
}

func TestAProductionHasherRefusesTestHashesAtOpen(t *testing.T) {
	dir := t.TempDir()
	durableWithRecords(t, dir, 1)
	_, err := Open(dir) // the production hasher
	must.ErrorIs(t, err, model.ErrReplay)
	assert.Contains(t, err.Error(), "refused by the engine's hasher")
}

// TestAFailedJournalStopsWrites breaks the journal under a running engine:
// the statement whose record could not be written fails, nothing of it
// becomes visible, later statements are refused, and reopening finds
// exactly the acknowledged changes.
func TestAFailedJournalStopsWrites(t *testing.T) {
	dir := t.TempDir()
	e := openDurable(t, dir, WithSegmentSize(1)) // every batch starts a new log file
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, root.CreateRole(CreateRole{Names: []string{"kept"}}))
	rev := e.Snapshot().Revision()
	want := snapshotBytes(t, e)
	block := filepath.Join(dir, fmt.Sprintf("%020d.log", rev+1))
	must.NoError(t, os.Mkdir(block, 0o755)) // the next log file can not be created

	err = root.CreateRole(CreateRole{Names: []string{"lost"}})
	must.ErrorIs(t, err, model.ErrStorage)
	assert.Contains(t, err.Error(), "not made durable")
	assert.Equal(t, rev, e.Snapshot().Revision(), "nothing unacknowledged is visible")
	_, visible := e.Snapshot().Role(1, "lost")
	assert.False(t, visible)
	err = root.CreateRole(CreateRole{Names: []string{"later"}})
	must.ErrorIs(t, err, model.ErrStorage, "later writes are refused")
	assert.Error(t, e.Close())

	must.NoError(t, os.Remove(block))
	again := openDurable(t, dir)
	defer again.Close()
	assert.Equal(t, want, snapshotBytes(t, again))
}

// TestConcurrentDurableWriters commits from eight sessions at once: each
// acknowledged statement is one record of its own, the feed holds them in
// revision order, and reopening gives the same state.
func TestConcurrentDurableWriters(t *testing.T) {
	dir := t.TempDir()
	e := openDurable(t, dir, WithSnapshotEvery(30))
	const writers, each = 8, 25
	var wg sync.WaitGroup
	for w := range writers {
		s, err := e.Connect("root", "111")
		must.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				before := e.Snapshot().Revision()
				if err := s.CreateRole(CreateRole{Names: []string{fmt.Sprintf("w%d_%d", w, i)}}); err != nil {
					t.Error(err)
					return
				}
				if e.Snapshot().Revision() <= before {
					t.Error("a statement returned before its change was published")
				}
			}
		}()
	}
	wg.Wait()
	must.Equal(t, uint64(writers*each), e.Snapshot().Revision())
	var stmts []string
	for i, rec := range published(t, e, 1) {
		must.Equal(t, uint64(i+1), rec.Revision)
		stmts = append(stmts, rec.Statement)
	}
	slices.Sort(stmts)
	assert.Len(t, slices.Compact(stmts), writers*each, "one record per statement")
	want := snapshotBytes(t, e)
	must.NoError(t, e.Close())
	again := openDurable(t, dir)
	defer again.Close()
	assert.Equal(t, want, snapshotBytes(t, again))
}

func TestCreateADirectoryFromASnapshot(t *testing.T) {
	mem, err := New(wlOptions()...)
	must.NoError(t, err)
	runWorkload(t, mem, rngDraw(5), 100, nil)
	file := snapshotBytes(t, mem)
	dir := t.TempDir()
	e, err := Create(dir, bytes.NewReader(file), wlOptions()...)
	must.NoError(t, err)
	assert.Equal(t, file, snapshotBytes(t, e))
	root, err := e.Connect("root", "111")
	must.NoError(t, err)
	must.NoError(t, root.CreateRole(CreateRole{Names: []string{"after"}}))
	want := snapshotBytes(t, e)
	must.NoError(t, e.Close())

	again := openDurable(t, dir)
	assert.Equal(t, want, snapshotBytes(t, again))
	must.NoError(t, again.Close())
	_, err = Create(dir, bytes.NewReader(file), wlOptions()...)
	must.ErrorIs(t, err, model.ErrStorage)
	assert.Contains(t, err.Error(), journal.ErrNotEmpty.Error())
}
