package engine_test

import (
	"testing"

	"github.com/pdp-authz/pdp/engine"
	"github.com/pdp-authz/pdp/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// explainReason runs ExplainStatement and returns its decision.
func explainReason(t *testing.T, s *engine.Session, p model.Privilege, on engine.Target) engine.Decision {
	t.Helper()
	x, err := s.ExplainStatement(p, on)
	require.NoError(t, err)
	return x.Decision
}

func TestCheckStatementHidesMissingObjects(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	noGrant := engine.Decision{Reason: engine.ReasonNoGrant}
	wrongLevel := engine.Decision{Reason: engine.ReasonWrongLevel}

	// A missing object answers as an existing one on which S holds nothing.
	assert.Equal(t, explainReason(t, bob, model.PrivSelect, table("sales", "orders")),
		explainReason(t, bob, model.PrivSelect, table("sales", "nope")))
	assert.Equal(t, noGrant, explainReason(t, bob, model.PrivSelect, table("nodb", "t")))
	assert.Equal(t, noGrant, explainReason(t, bob, model.PrivDropRole, engine.Target{Kind: model.KindRole, Name: "nope"}))
	assert.Equal(t, wrongLevel, explainReason(t, bob, model.PrivSelect, engine.Target{Kind: model.KindRole, Name: "analyst"}))
	assert.Equal(t, wrongLevel, explainReason(t, bob, model.PrivSelect, engine.Target{Kind: model.KindRole, Name: "nope"}))
	assert.Equal(t, wrongLevel, explainReason(t, bob, model.PrivSelect, database("nope")))
	// The Go API keeps the precise reason.
	assert.Equal(t, engine.ReasonNoSuchObject, bob.Decide(model.PrivSelect, table("sales", "nope")).Reason)

	// The admin role holds nothing on a missing object either.
	assert.Equal(t, noGrant, explainReason(t, ann, model.PrivSelect, table("sales", "nope")))

	// The principal's state comes before the object's.
	assert.Equal(t, engine.Decision{Reason: engine.ReasonNoDatabase},
		explainReason(t, bob, model.PrivSelect, engine.Target{Kind: model.KindTable, AnyTable: true}))
	assert.Equal(t, engine.Decision{Reason: engine.ReasonWildcard},
		explainReason(t, bob, model.PrivSelect, engine.Target{Kind: model.KindTable, Database: "sales", AnyTable: true}))
	require.NoError(t, ann.RevokeRole(engine.RevokeRole{Roles: []string{"analyst"}, From: []string{"bob"}}))
	assert.Equal(t, engine.Decision{Reason: engine.ReasonRoleNotGranted},
		explainReason(t, bob, model.PrivSelect, table("sales", "nope")))
}

func TestCheckStatementRevalidatesTheSession(t *testing.T) {
	eng, ann := acmeFixture(t)
	bob := connect(t, eng, "acme:bob", "pw")
	require.NoError(t, ann.AlterUser(engine.AlterUser{Users: []engine.UserChange{{Name: "bob", Action: engine.UserLock}}}))
	_, err := bob.ExplainStatement(model.PrivSelect, table("sales", "orders"))
	require.ErrorIs(t, err, model.ErrLocked)

	require.NoError(t, ann.DropUser(engine.DropUser{Names: []string{"bob"}}))
	_, err = bob.ExplainStatement(model.PrivSelect, table("sales", "orders"))
	require.ErrorIs(t, err, model.ErrSessionClosed)

	var never *engine.Session
	_, err = never.ExplainStatement(model.PrivSelect, table("sales", "orders"))
	require.ErrorIs(t, err, model.ErrNotConnected)
}
