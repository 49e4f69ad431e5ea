package ownership

import (
	"testing"

	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
)

func TestHeir(t *testing.T) {
	const admin = model.RoleID(1)
	owners := map[model.RoleID]model.RoleID{5: 2, 6: 5}
	ownerOf := func(r model.RoleID) (model.RoleID, bool) { o, ok := owners[r]; return o, ok }

	// 3 owned by 4; 4 dropped, owned by 5 (alive): 5 inherits.
	assert.Equal(t, model.RoleID(5), Heir(4, 0, admin, Dropped{4: 5}, ownerOf))
	// chain through two dropped roles
	assert.Equal(t, model.RoleID(2), Heir(4, 0, admin, Dropped{4: 7, 7: 2}, ownerOf))
	// the object itself is skipped: role 5 owned by dropped 4 owned by 5 → 5's owner 2
	assert.Equal(t, model.RoleID(2), Heir(4, 5, admin, Dropped{4: 5}, ownerOf))
	// a loop of dropped owners falls back to the admin role
	assert.Equal(t, admin, Heir(4, 0, admin, Dropped{4: 7, 7: 4}, ownerOf))
	// 6 owned by dropped 4 owned by 6 owned by 5: skip self, go to 5
	assert.Equal(t, model.RoleID(5), Heir(4, 6, admin, Dropped{4: 6}, ownerOf))
}
