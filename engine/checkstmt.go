package engine

import "github.com/pdp-authz/pdp/model"

// ExplainStatement answers the statements CHECK and EXPLAIN CHECK (SPEC
// §19, §21) for the session's own principal. Like every statement it first
// re-validates the session: a closed session, a locked user or a suspended
// account refuse it with their login message. Then it explains the decision
// as [Session.Explain] does, except that the reasons about the object come
// after those about the principal (SPEC §21's order), and that a missing
// object is answered as an existing one on which S holds nothing: "no grant",
// or "wrong level" for a privilege of another level. Statements never tell a
// missing object from one the caller cannot see.
func (s *Session) ExplainStatement(p model.Privilege, on Target) (Explanation, error) {
	if !s.connected() {
		return Explanation{Decision: deny(ReasonNotConnected)}, errNotConnected
	}
	if err := s.read(nil, func(*Snapshot, *actor) error { return nil }); err != nil {
		return Explanation{}, err
	}
	x := s.Explain(p, on)
	switch x.Decision.Reason {
	case ReasonWildcard, ReasonNoDatabase, ReasonNoSuchObject:
		x.Decision = s.beforeObject(p, on, x.Decision.Reason)
	}
	return x, nil
}

// beforeObject re-answers a decision the object decided (a wildcard, no
// current database, a missing object): the principal's state comes first,
// then no database selected, the wildcard, and for a missing object the
// answer for an existing object of its kind on which S holds nothing.
func (s *Session) beforeObject(p model.Privilege, on Target, reason Reason) Decision {
	d := s.Check(p, model.AccountObject(s.Principal().Account))
	switch d.Reason {
	case ReasonNotConnected, ReasonSessionClosed, ReasonUserLocked, ReasonSuspended,
		ReasonRoleNotGranted, ReasonRestricted, ReasonNoSuchUser:
		return d
	}
	switch {
	case on.Kind == model.KindTable && on.Database == "" && s.Database() == "":
		return deny(ReasonNoDatabase)
	case reason == ReasonNoSuchObject && !fitsKind(p, on.Kind):
		return deny(ReasonWrongLevel)
	case reason == ReasonNoSuchObject:
		return deny(ReasonNoGrant)
	}
	return deny(reason)
}

// fitsKind reports whether p may be asked about an object of kind k (SPEC
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
	}
	return false
}
