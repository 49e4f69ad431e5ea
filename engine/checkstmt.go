package engine

import "github.com/pdp-authz/pdp/model"

// ExplainStatement answers the statements CHECK and EXPLAIN CHECK (reference
// §19, §21) for the session's own principal; see [Session.ExplainFor].
func (s *Session) ExplainStatement(p model.Privilege, on Target) (Explanation, error) {
	return s.ExplainFor(p, on, ForUser{})
}

// ExplainFor answers CHECK and EXPLAIN CHECK [FOR USER u [ROLE r]
// [SECONDARY {ALL | NONE}]]. Like every statement it first re-validates
// the session: a closed session, a locked user or a suspended account
// refuse it with their login message. Asking for another user needs MANAGE
// GRANTS (it runs in a restricted account too); a missing user or role is
// an error. Then it explains the decision as [Snapshot.Explain] does,
// except that the principal's state comes before the object (reference §21's
// order of reasons), and that a missing object is answered as an existing
// one on which S holds nothing: "no grant", or "wrong level" for a
// privilege of another level. Statements never tell a missing object from
// one the caller cannot see.
func (s *Session) ExplainFor(p model.Privilege, on Target, f ForUser) (Explanation, error) {
	if !s.connected() {
		return Explanation{Decision: deny(ReasonNotConnected)}, errNotConnected
	}
	var x Explanation
	var who forNames
	err := s.read(func() (err error) {
		who, err = s.foldFor(f)
		return err
	}, func(snap *Snapshot, ac *actor) error {
		pr, err := s.principalFor(snap, ac, who)
		if err != nil {
			return err
		}
		obj, reason := s.locateOn(snap, on)
		x = snap.statementExplain(pr, p, on.Kind, obj, reason)
		return nil
	})
	return x, err
}

// statementExplain explains the decision for pr on obj, of kind k, or on
// the object the statement named when reason says why there is none.
func (snap *Snapshot) statementExplain(pr Principal, p model.Privilege, k model.Kind, obj model.Object, reason Reason) Explanation {
	x := Explanation{Revision: snap.rev}
	if d, ok := snap.principalState(pr, p); !ok {
		x.Decision = d
		return x
	}
	switch {
	case reason == ReasonNoSuchObject && !fitsKind(p, k):
		x.Decision = deny(ReasonWrongLevel)
	case reason == ReasonNoSuchObject:
		x.Decision = deny(ReasonNoGrant)
	case reason != 0:
		x.Decision = deny(reason)
	default:
		x.Decision = snap.Check(pr.User, pr.Role, pr.Secondary, p, obj)
		x = snap.explain(x, pr, p, obj)
	}
	return x
}

// principalState applies the principal's part of reference §8 rule 1 in reference
// §21's order: user locked, account suspended, role not granted, account
// restricted (for a privilege it refuses).
func (snap *Snapshot) principalState(pr Principal, p model.Privilege) (Decision, bool) {
	u := snap.userAt(uint32(pr.User))
	a := snap.accountAt(uint32(pr.Account))
	r := snap.roleAt(uint32(pr.Role))
	switch {
	case u == nil || a == nil || u.account != a.id:
		return deny(ReasonNoSuchUser), false
	case u.locked:
		return deny(ReasonUserLocked), false
	case a.status == model.StatusSuspended:
		return deny(ReasonSuspended), false
	case r == nil || r.account != u.account || !u.direct.Has(r.slot):
		return deny(ReasonRoleNotGranted), false
	case a.status == model.StatusRestricted && p.Valid() && !p.Info().Restricted:
		return deny(ReasonRestricted), false
	}
	return Decision{}, true
}

// fitsKind reports whether p may be asked about an object of kind k (reference
// §8): the privileges of the object's level, those of its "also allowed by"
// row, and on the account the cluster privileges.
func fitsKind(p model.Privilege, k model.Kind) bool {
	switch k {
	case model.KindAccount:
		return p.Level() == model.LevelAccount || p.Level() == model.LevelCluster
	case model.KindDatabase:
		return p.Level() == model.LevelDatabase || p == model.PrivDropDatabase
	case model.KindTable:
		return p.Level() == model.LevelTable || p == model.PrivDropTable || p == model.PrivAlterTable
	case model.KindRole:
		return p == model.PrivDropRole
	case model.KindUser:
		return p == model.PrivDropUser || p == model.PrivAlterUser
	case model.KindColumn:
		return p.OnColumns()
	}
	return false
}
