package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTableViewOwnerWordKeepsSlotAndBits(t *testing.T) {
	for _, tc := range []struct {
		slot, bits, wantSlot uint32
	}{
		{5, 0, 5},
		{5, tableDenials, 5},
		{0, aclDenials, 0},
		{ownerBits - 1, columnDenials, ownerBits - 1},
		{noSlot, aclDenials, noSlot},
		{ownerBits, 0, noSlot},
		{1 << 30, tableDenials, noSlot}, // too large for the word: no owner, failing closed
	} {
		v := tableView{owner: packOwner(tc.slot, tc.bits)}
		assert.Equal(t, tc.wantSlot, v.ownerSlot(), "slot %d", tc.slot)
		assert.Equal(t, tc.bits, v.owner&aclDenials, "bits of slot %d", tc.slot)
	}
}
