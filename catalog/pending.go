package catalog

// Preview returns a read transaction on the state a write transaction would
// commit, detached from it: tx may be aborted afterwards and the preview
// still reads that state. It serves "what if" questions, which look at a
// change without making it. A preview reads from one goroutine at a time.
func (tx *Tx) Preview() *Tx { return &Tx{txn: tx.txn.Snapshot()} }

// IDMark is the position of the ID counters at one moment.
type IDMark idCounters

// Mark returns the position of the ID counters, for [DB.Rewind].
func (d *DB) Mark() IDMark { return IDMark(d.next) }

// Rewind gives back the IDs handed out since m, after the write transaction
// that took them was aborted, so that a change that was never made leaves
// no trace. Only the writer that holds the only write transaction may call
// it.
func (d *DB) Rewind(m IDMark) { d.next = idCounters(m) }
