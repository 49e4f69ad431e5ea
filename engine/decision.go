package engine

// Decision is the answer to an authorization question: allowed or not, and
// why. It is a small value; deciding never fails and never allocates.
type Decision struct {
	Allowed bool
	Reason  Reason
}

// Reason says which rule decided.
type Reason uint8

// The reasons. The first three allow; the others deny.
const (
	ReasonGrant          Reason = iota + 1 // a grant in S covers the object
	ReasonOwner                            // a role in S owns the object
	ReasonAdmin                            // S holds the account's admin role
	ReasonNoGrant                          // nothing in S allows it
	ReasonNoSuchObject                     // the object does not exist in the user's account
	ReasonWrongLevel                       // the privilege does not belong to the object's level
	ReasonWildcard                         // a wildcard is not a concrete object
	ReasonSuspended                        // the account is suspended
	ReasonRestricted                       // the account is restricted
	ReasonUserLocked                       // the user is locked
	ReasonNoSuchUser                       // the user does not exist
	ReasonRoleNotGranted                   // the active role is missing or not granted directly
	ReasonSessionClosed                    // the session's account, user or role was dropped
	ReasonNoDatabase                       // an unqualified table with no current database
	ReasonNotConnected                     // the connection never logged in
	ReasonDenied                           // a denial held by a role in S covers the object (reference §18)
	ReasonReplicaStale                     // the replica fails closed: it can not apply, or lags behind, the shared log (reference §20)
)

var reasonNames = [...]string{
	"", "granted", "owner", "admin role", "no grant", "no such object", "wrong level",
	"wildcard object", "account suspended", "account restricted", "user locked",
	"no such user", "role not granted", "session closed", "no database selected",
	"not connected", "denied", "replica stale",
}

// String returns a short lower-case description.
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

func allow(r Reason) Decision { return Decision{Allowed: true, Reason: r} }

func deny(r Reason) Decision { return Decision{Reason: r} }
