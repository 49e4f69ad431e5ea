package catalog

import (
	"maps"

	"github.com/pdp-authz/pdp/internal/pvec"
)

// Preview returns a read transaction on the state a write transaction would
// commit, detached from it: tx may go on writing or be aborted afterwards
// and the preview still reads that state. It serves "what if" questions,
// which look at a change without making it. A preview reads from one
// goroutine at a time.
//
// The preview keeps the transaction's copies of the trees and arrays as
// they are; the transaction goes on with fresh copy-on-write clones of them
// and a fresh edit, so that none of its later writes reaches a node or a
// leaf the preview reads.
func (tx *Tx) Preview() *Tx {
	p := &Tx{txn: tx.txn.Snapshot(), st: tx.st, goneRoles: maps.Clone(tx.goneRoles)}
	if tx.edit != nil {
		tx.st, tx.edit = tx.st.clone(), &pvec.Edit{}
	}
	return p
}

// IDMark is the position of the ID counters at one moment.
type IDMark idCounters

// Mark returns the position of the ID counters, for [DB.Rewind].
func (d *DB) Mark() IDMark { return IDMark(d.next) }

// Rewind gives back the IDs handed out since m, after the write transaction
// that took them was aborted, so that a change that was never made leaves
// no trace. Only the writer that holds the only write transaction may call
// it. The aborted transaction's trees and arrays were private copies and
// are dropped with it: the committed state is as it was.
func (d *DB) Rewind(m IDMark) { d.next = idCounters(m) }
