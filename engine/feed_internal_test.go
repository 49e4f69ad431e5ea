package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	must "github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/model"
	"github.com/pdp-authz/pdp/record"
)

func TestFeedDoesNotKeepBulkLoads(t *testing.T) {
	f := newFeed(8)
	f.add(&record.Record{Revision: 0, Ops: make([]record.Op, 10)})
	f.add(&record.Record{Revision: 1, Ops: make([]record.Op, maxFeedOps+1)})
	_, _, err := f.since(1)
	must.ErrorIs(t, err, model.ErrResync, "a record too large to keep")
	_, _, err = f.since(0)
	must.ErrorIs(t, err, model.ErrResync, "and the records before it")
	f.add(&record.Record{Revision: 2})
	recs, _, err := f.since(2)
	must.NoError(t, err)
	must.Len(t, recs, 1)

	// Records are evicted once their operations together exceed the bound.
	f.add(&record.Record{Revision: 3, Ops: make([]record.Op, maxFeedOps-1)})
	f.add(&record.Record{Revision: 4, Ops: make([]record.Op, 2)})
	_, _, err = f.since(3)
	assert.ErrorIs(t, err, model.ErrResync)
	recs, _, err = f.since(4)
	must.NoError(t, err)
	assert.Len(t, recs, 1)
}

func TestFeedSkipsAnUnkeptRecord(t *testing.T) {
	f := newFeed(8)
	f.add(&record.Record{Revision: 0})
	f.skip(1)
	_, _, err := f.since(0)
	must.ErrorIs(t, err, model.ErrResync)
	_, _, err = f.since(1)
	must.ErrorIs(t, err, model.ErrResync)
	recs, wake, err := f.since(2)
	must.NoError(t, err)
	assert.Empty(t, recs)
	assert.NotNil(t, wake, "waits for revision 2")
}
