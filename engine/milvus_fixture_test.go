package engine_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/require"
)

// mediumMilvusShape is the medium shape with a fifth of the grants of a
// privilege group and a tenth at a name pattern (reference §15, §16).
var mediumMilvusShape = func() shape {
	sh := mediumShape
	sh.groupShare, sh.patternShare = 0.2, 0.1
	return sh
}()

// milvusGroups creates the custom privilege groups of an account of a
// shape with group grants: four groups of table privileges.
func milvusGroups(tb testing.TB, l *engine.Loader, a model.AccountID, sh shape) []model.GroupID {
	if sh.groupShare == 0 {
		return nil
	}
	groups := []model.GroupID{model.GroupReadOnly, model.GroupReadWrite}
	for i, privs := range []model.PrivSet{
		model.Privs(model.PrivSelect, model.PrivInsert),
		model.Privs(model.PrivUpdate, model.PrivDelete),
		model.Privs(model.PrivSelect, model.PrivReference, model.PrivIndex),
		model.Privs(model.PrivInsert, model.PrivTruncate),
	} {
		g, err := l.CreatePrivilegeGroup(a, fmt.Sprintf("g%d", i), privs)
		require.NoError(tb, err)
		groups = append(groups, g)
	}
	return groups
}

// milvusGrant grants priv at on to role, or, by the shape's shares, a
// privilege group holding table privileges there, or priv at a name
// pattern: for a table, its name as a prefix (t1* covers t1 and t10 to
// t19); for every table of a database, mostly a prefix of the database's
// tables (t2*), sometimes a database name as a prefix (TABLE db3*.*).
func milvusGrant(l *engine.Loader, rng *rand.Rand, sh shape, groups []model.GroupID, tables []model.TableID, dbs []model.DatabaseID,
	role model.RoleID, priv model.Privilege, on engine.Level) error {
	if on.Kind == model.LevelTable && rng.Float64() < sh.patternShare {
		switch {
		case on.Table != 0:
			t := rng.IntN(sh.tables)
			on.Database, on.Table, on.Prefix = dbs[rng.IntN(len(dbs))], 0, fmt.Sprintf("t%d", t)
		case on.Database != 0 && rng.IntN(4) > 0:
			on.Prefix = fmt.Sprintf("t%d", rng.IntN(5))
		default:
			on.Database, on.Prefix = 0, fmt.Sprintf("db%d", rng.IntN(sh.dbs))
		}
	}
	if on.Kind == model.LevelTable && rng.Float64() < sh.groupShare {
		return l.GrantPrivilegeGroup(role, groups[rng.IntN(len(groups))], on, engine.PlainGrant)
	}
	return l.GrantPrivilege(role, priv, on, engine.PlainGrant)
}
