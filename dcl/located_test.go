package dcl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pdp-authz/pdp/dcl"
	"github.com/pdp-authz/pdp/model"
)

func TestAllLocatedNamesLines(t *testing.T) {
	src := "-- roles\nCREATE ROLE a;\n\nCREATE ROLE b; DROP\n  ROLE c;\nGRANT x TO;\nCREATE\nROLE 'd"
	var lines []int
	var errs []error
	for loc := range dcl.New().AllLocated(src) {
		lines = append(lines, loc.Line)
		errs = append(errs, loc.Err)
	}
	assert.Equal(t, []int{2, 4, 4, 6, 8}, lines)
	require.Len(t, errs, 5)
	assert.NoError(t, errs[0])
	assert.NoError(t, errs[2])
	assert.ErrorIs(t, errs[3], model.ErrSyntax)
	assert.ErrorContains(t, errs[4], "unterminated quoted text")
}
