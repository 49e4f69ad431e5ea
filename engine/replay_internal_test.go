package engine

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	must "github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

// published returns the records e's change feed holds from revision from on.
func published(t must.TestingT, e *Engine, from uint64) []*record.Record {
	recs, _, err := e.feed.since(from)
	must.NoError(t, err)
	return recs
}

// roundTrip encodes and decodes rec, as a journal or a replica's log would.
func roundTrip(t must.TestingT, rec *record.Record) *record.Record {
	b, err := record.Encode(rec)
	must.NoError(t, err)
	out, err := record.Decode(b)
	must.NoError(t, err)
	return out
}

// snapshotBytes is e's snapshot file.
func snapshotBytes(t must.TestingT, e *Engine) []byte {
	var buf bytes.Buffer
	must.NoError(t, e.WriteSnapshot(&buf))
	return buf.Bytes()
}

// requireSameState fails unless a and b hold the same state: the same
// snapshot file (every catalog record, the ID counters and the
// revision), the same SHOW output and the same decisions on qs; and
// unless a holds no dangling record, which a copy would share.
func requireSameState(t must.TestingT, a, b *Engine, qs []wlQuestion, what string) {
	must.Equal(t, a.Snapshot().Revision(), b.Snapshot().Revision(), "%s: revision", what)
	must.Empty(t, dangling(a.Snapshot().read()), "%s: records left dangling", what)
	must.Empty(t, miscounted(a.db.Read()), "%s: the first engine's counts", what)
	must.Empty(t, miscounted(b.db.Read()), "%s: the second engine's counts", what)
	da, db := stateDump(a.Snapshot(), true), stateDump(b.Snapshot(), true)
	must.Equal(t, da, db, "%s: SHOW output (- first, + second):\n%s", what, dumpDiff(da, db))
	must.Equal(t, answers(a.Snapshot(), qs), answers(b.Snapshot(), qs), "%s: decisions", what)
	must.True(t, bytes.Equal(snapshotBytes(t, a), snapshotBytes(t, b)), "%s: snapshot files differ", what)
}

// TestRecordsReplayToTheLiveState drives the workload's setup and random
// statements on an engine and applies each change record, encoded and
// decoded, to a second engine started from the first one's bootstrap
// record: after every record both hold the same state (reference §20). At
// the end a snapshot taken half way and the records after it give that
// state too, and so does the last snapshot, whose decision state is
// derived at once where the live engine's grew commit by commit.
func TestRecordsReplayToTheLiveState(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := func(label string, n int) int { return rapid.IntRange(0, n-1).Draw(t, label) }
		live, err := New(wlOptions()...)
		must.NoError(t, err)
		root, err := live.Connect("root", "111")
		must.NoError(t, err)
		boot := published(t, live, 0)
		must.Len(t, boot, 1)
		must.Equal(t, uint64(0), boot[0].Revision)
		replica, err := New(wlOptions(WithBootstrap(roundTrip(t, boot[0])))...)
		must.NoError(t, err)
		qs := wlQuestions(rngDraw(rapid.Uint64().Draw(t, "questions")), live.Snapshot(), 40)
		requireSameState(t, live, replica, qs, "after the bootstrap")

		step := func(st wlStatement, who *Session) {
			before := live.Snapshot().Revision()
			err := st.run(who)
			t.Logf("%s as %s -> %v", st.text, who.User(), err)
			recs := published(t, live, before+1)
			if err != nil {
				must.Empty(t, recs, "a failed statement made a record")
				return
			}
			must.Len(t, recs, 1, "one record per commit")
			must.Equal(t, before+1, recs[0].Revision)
			must.NoError(t, replica.Apply(roundTrip(t, recs[0])))
			must.NoError(t, replica.Apply(roundTrip(t, recs[0])), "a record at or below the revision is a no-op")
			requireSameState(t, live, replica, qs, st.text)
		}
		for _, st := range wlSetup() {
			step(st, root)
		}
		var mid []byte // a snapshot file taken part way
		var midRev uint64
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for i := range steps {
			who := root
			if d("as the admin of a1", 4) == 0 {
				if adm, err := live.Connect("a1:adm", "pw1"); err == nil {
					who = adm
				}
			}
			step(wlDraw(rngDraw(rapid.Uint64().Draw(t, "statement")), who == root), who)
			if i == steps/2 {
				mid, midRev = snapshotBytes(t, live), live.Snapshot().Revision()
			}
		}
		restored, err := Restore(bytes.NewReader(mid), wlOptions()...)
		must.NoError(t, err)
		must.Equal(t, midRev, restored.Snapshot().Revision())
		for _, rec := range published(t, live, midRev+1) {
			must.NoError(t, restored.Apply(roundTrip(t, rec)))
		}
		requireSameState(t, live, restored, qs, "a snapshot and the records after it")
		last, err := Restore(bytes.NewReader(snapshotBytes(t, live)), wlOptions()...)
		must.NoError(t, err)
		more := wlQuestions(rngDraw(rapid.Uint64().Draw(t, "more questions")), live.Snapshot(), 300)
		requireSameState(t, live, last, more, "the last snapshot, derived at once")
	})
}

// TestBulkLoadsReplay applies the record of a Loader run, whose tables the
// catalog inserts by value, to a second engine.
func TestBulkLoadsReplay(t *testing.T) {
	live, err := New(wlOptions()...)
	must.NoError(t, err)
	replica, err := New(wlOptions(WithBootstrap(roundTrip(t, published(t, live, 0)[0])))...)
	must.NoError(t, err)
	err = live.Load(func(l *Loader) error {
		a, err := l.CreateAccount("bulk", "adm", "pw")
		if err != nil {
			return err
		}
		r, err := l.CreateRole(a, "reader")
		if err != nil {
			return err
		}
		for i := range 3 {
			d, err := l.CreateDatabase(a, fmt.Sprintf("d%d", i))
			if err != nil {
				return err
			}
			for j := range 50 {
				tb, err := l.CreateTable(d, fmt.Sprintf("t%d", j))
				if err != nil {
					return err
				}
				if err := l.GrantPrivilege(r, model.PrivSelect, Level{Kind: model.LevelTable, Account: a, Database: d, Table: tb}, PlainGrant); err != nil {
					return err
				}
			}
		}
		return nil
	})
	must.NoError(t, err)
	recs := published(t, live, 1)
	must.Len(t, recs, 1)
	must.Equal(t, "LOAD", recs[0].Statement)
	must.NoError(t, replica.Apply(roundTrip(t, recs[0])))
	requireSameState(t, live, replica, wlQuestions(rngDraw(3), live.Snapshot(), 100), "a bulk load")
}

// TestTheWorkloadWritesEveryRecordKind keeps the workload of the
// durability properties honest: run long enough, its statements put and
// delete every kind of catalog record, so that a record kind the change
// records, snapshot files or Apply got wrong shows in those properties.
func TestTheWorkloadWritesEveryRecordKind(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(3) {
		e, err := New(wlOptions()...)
		must.NoError(t, err)
		runWorkload(t, e, rngDraw(10+seed), 600, nil)
		for _, rec := range published(t, e, 1) {
			for _, op := range rec.Ops {
				seen[fmt.Sprintf("%s %T", op.Action, op.Rec)] = true
			}
		}
	}
	for _, rec := range []any{&catalog.Account{}, &catalog.User{}, &catalog.Role{}, &catalog.Database{},
		&catalog.Table{}, &catalog.Grant{}, &catalog.RoleEdge{}, &catalog.UserRole{}, &catalog.PrivilegeGroup{},
		&catalog.GroupGrant{}, &catalog.Pattern{}, &catalog.Alias{}, &catalog.ColumnGrant{}, &catalog.Denial{}} {
		for _, a := range []record.Action{record.ActionPut, record.ActionDelete} {
			assert.True(t, seen[fmt.Sprintf("%s %T", a, rec)], "no %s of a %T", a, rec)
		}
	}
	assert.True(t, seen[fmt.Sprintf("%s %T", record.ActionPut, &catalog.IDCounters{})], "no ID counters")
}
