package catalog

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/pdp-authz/pdp/model"
)

// The scopes of name pattern levels (reference §16). The object of such a level
// is the ID of its [Pattern].
const (
	ScopeDatabasePattern Scope = iota + ScopeTable + 1 // ON DATABASE p*
	ScopeAnyTablePattern                               // ON TABLE p*.*: every table of the matching databases
	ScopeTablePattern                                  // ON TABLE d.q*: the matching tables of d
)

// IsPattern reports whether s is the scope of a name pattern level.
func (s Scope) IsPattern() bool { return s >= ScopeDatabasePattern && s <= ScopeTablePattern }

// Pattern is a name pattern level of an account: a scope, the database of
// a TABLE d.q* level, and the folded prefix. It exists while grants are
// stored at it, and carries the ID those grants use as their level's
// object.
type Pattern struct {
	ID       uint32
	Account  model.AccountID
	Scope    Scope
	Database model.DatabaseID // ScopeTablePattern only
	Prefix   string
}

// Level returns the pattern's grant level.
func (p *Pattern) Level() LevelKey { return LevelKey{p.Scope, p.ID} }

// Owner returns where the pattern is indexed for decisions: its account
// for database-name patterns, its database for table-name patterns.
func (p *Pattern) Owner() PatternOwner {
	return PatternOwner{Account: p.Account, Database: p.Database}
}

// PatternOwner is the account (Database 0) or database whose prefix index
// holds a pattern.
type PatternOwner struct {
	Account  model.AccountID
	Database model.DatabaseID
}

const tPatterns = "patterns"

func patternTables() []*memdb.TableSchema {
	return []*memdb.TableSchema{
		table(tPatterns,
			index("id", true, uintIdx("ID")),
			index("key", true, compound(prefixIdx("Account"), uintIdx("Scope"), uintIdx("Database"), strIdx("Prefix"))),
			index("database", false, uintIdx("Database"))),
	}
}

// Pattern returns the pattern with ID id, or nil.
func (tx *Tx) Pattern(id uint32) *Pattern { return first[Pattern](tx, tPatterns, "id", id) }

// PatternByKey returns the pattern of account a at scope s (of database d
// for ScopeTablePattern, else 0) with prefix, or nil.
func (tx *Tx) PatternByKey(a model.AccountID, s Scope, d model.DatabaseID, prefix string) *Pattern {
	return first[Pattern](tx, tPatterns, "key", a, s, d, prefix)
}

// PatternsOf returns the patterns indexed by o: the database-name patterns
// of an account, or the table-name patterns of a database.
func (tx *Tx) PatternsOf(o PatternOwner) []*Pattern {
	if o.Database != 0 {
		return list[Pattern](tx, tPatterns, "database", o.Database)
	}
	var out []*Pattern
	for _, p := range list[Pattern](tx, tPatterns, "key_prefix", o.Account) {
		if p.Database == 0 {
			out = append(out, p)
		}
	}
	return out
}

// PatternsOfAccount returns every pattern of account a.
func (tx *Tx) PatternsOfAccount(a model.AccountID) []*Pattern {
	return list[Pattern](tx, tPatterns, "key_prefix", a)
}

// NewPatternID hands out a fresh pattern ID.
func (tx *Tx) NewPatternID() uint32 { return tx.newID(&tx.db.next.pattern, "pattern") }
