package engine

import (
	"fmt"
	"strings"

	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/inherit"
	"github.com/pdp-authz/pdp/model"
)

// Explanation says why a decision went the way it did: the roles that were
// considered (S), the role whose grant or ownership allowed it, and the
// inheritance path from a role the user holds to that role. It is for
// people and logs; it allocates, unlike [Snapshot.Check].
type Explanation struct {
	Decision Decision
	Revision uint64
	Roles    []string // S, sorted
	Via      string   // the role of S whose grant or ownership decided, when allowed
	Path     []string // from a role granted to the user down to Via
	Grant    string   // the SHOW GRANTS row of Via that decided, when allowed
	Deny     string   // the SHOW GRANTS row of the denial that decided, when denied by one
}

// String renders the explanation on one line.
func (x Explanation) String() string {
	verdict := "deny"
	if x.Decision.Allowed {
		verdict = "allow"
	}
	out := fmt.Sprintf("%s (%s) at revision %d; roles considered: %s", verdict, x.Decision.Reason,
		x.Revision, strings.Join(x.Roles, ", "))
	if x.Via != "" {
		out += "; via " + strings.Join(x.Path, " -> ")
	}
	return out
}

// Explain decides like [Session.Decide] and says why. The name, the
// decision and the explanation come from one snapshot, whose revision the
// explanation carries.
func (s *Session) Explain(p model.Privilege, on Target) Explanation {
	if !s.connected() {
		return Explanation{Decision: deny(ReasonNotConnected)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := s.e.Snapshot()
	d, obj := s.decideOn(snap, p, on)
	if p == model.PrivAll {
		p = obj.Kind.Level().All()
	}
	return snap.explain(Explanation{Decision: d, Revision: snap.Revision()}, s.principal(), p, obj)
}

// Explain decides like [Snapshot.Check] and says why, from this snapshot
// alone. A nil Snapshot denies with ReasonNoSuchUser.
func (s *Snapshot) Explain(user model.UserID, activeRole model.RoleID, sec Secondary, p model.Privilege, on model.Object) Explanation {
	if p == model.PrivAll {
		p = on.Kind.Level().All()
	}
	x := Explanation{Decision: s.Check(user, activeRole, sec, p, on), Revision: s.Revision()}
	if s == nil || s.stale {
		return x
	}
	u := s.userAt(uint32(user))
	if u == nil {
		return x
	}
	return s.explain(x, Principal{Account: u.account, User: user, Role: activeRole, Secondary: sec}, p, on)
}

// explain fills in the roles considered and, for an allow, the role that
// decided and the path to it.
func (snap *Snapshot) explain(x Explanation, pr Principal, p model.Privilege, obj model.Object) Explanation {
	u, r := snap.userAt(uint32(pr.User)), snap.roleAt(uint32(pr.Role))
	a := snap.accountAt(uint32(pr.Account))
	if u == nil || r == nil || a == nil || !u.direct.Has(r.slot) {
		return x
	}
	set := r.closure
	if pr.Secondary == SecondaryAll && p.Valid() && !p.Info().Creation {
		set = u.secondary
	}
	tx := snap.read()
	for _, role := range tx.RolesOf(pr.Account) {
		rv := snap.roleAt(uint32(role.ID))
		if rv == nil || !set.Has(rv.slot) {
			continue
		}
		x.Roles = append(x.Roles, role.Name)
		if x.Via == "" && x.Decision.Allowed && snap.decidesAlone(a, rv, pr.Role, p, obj, x.Decision.Reason) {
			x.Via = role.Name
			x.Path = snap.path(tx, pr, role.ID)
			x.Grant = snap.decidingRow(tx, a, role, p, obj, x.Decision.Reason)
		}
	}
	if x.Decision.Reason == ReasonDenied {
		x.Via, x.Deny = snap.denyingRow(tx, a, set, p, obj)
		if x.Via != "" {
			x.Path = snap.path(tx, pr, tx.RoleByName(pr.Account, x.Via).ID)
		}
	}
	return x
}

// path names the inheritance chain from the active role (or, for secondary
// roles, the first direct role that reaches target) down to target.
func (snap *Snapshot) path(tx *catalog.Tx, pr Principal, target model.RoleID) []string {
	g := snap.edges()
	starts := []model.RoleID{pr.Role}
	if pr.Secondary == SecondaryAll {
		for _, ur := range tx.RolesOfUser(pr.User) {
			starts = append(starts, ur.Role)
		}
	}
	for _, start := range starts {
		if ids := inherit.Path(g, start, target); ids != nil {
			names := make([]string, len(ids))
			for i, id := range ids {
				if r := tx.Role(id); r != nil {
					names[i] = r.Name
				}
			}
			return names
		}
	}
	return []string{tx.Role(target).Name} // public: inherited by every role
}
