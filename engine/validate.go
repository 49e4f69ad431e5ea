package engine

import "github.com/pdp-authz/pdp/model"

// The checks of this file are stage 2 of reference §9 for the fields the
// statement parser always fills correctly but a Go caller may not: enum
// values out of range, options given without the flag that selects them,
// empty lists and malformed targets. Each fails with model.ErrInvalidOption.

// invalidOption returns an error wrapping model.ErrInvalidOption.
func invalidOption(format string, args ...any) error {
	return model.Errorf(model.ErrInvalidOption, format, args...)
}

// checkStatus refuses an account status outside the enum.
func checkStatus(st model.AccountStatus) error {
	if st > model.StatusRestricted {
		return invalidOption("the account status %d is invalid", st)
	}
	return nil
}

// checkGrantOption refuses a grant option outside the enum.
func checkGrantOption(o GrantOption) error {
	if o > GrantWithOption {
		return invalidOption("the grant option %d is invalid", o)
	}
	return nil
}

// checkSecondary refuses a secondary-role mode outside the enum.
func checkSecondary(m Secondary) error {
	if m > SecondaryAll {
		return invalidOption("the secondary role mode %d is invalid", m)
	}
	return nil
}

// checkShowGrants refuses a SHOW GRANTS form outside the enum, and a name
// given to the form that takes none.
func checkShowGrants(st ShowGrants) error {
	switch {
	case st.For > ShowRole:
		return invalidOption("the SHOW GRANTS form %d is invalid", st.For)
	case st.For == ShowSelf && st.Name != "":
		return invalidOption("SHOW GRANTS without FOR names no role or user")
	}
	return nil
}

// checkNames refuses an empty list of names.
func checkNames(names []string, what string) error {
	if len(names) == 0 {
		return invalidOption("the statement names no %s", what)
	}
	return nil
}

// checkAlterAccount refuses an invalid status and options given without
// the flag that selects them (they would be ignored).
func checkAlterAccount(st AlterAccount) error {
	switch {
	case !st.SetAdmin && (st.AdminName != "" || st.AdminPassword != ""):
		return invalidOption("an admin name or password is given without SetAdmin")
	case !st.SetComment && st.Comment != "":
		return invalidOption("a comment is given without SetComment")
	}
	return checkStatus(st.Status)
}

// checkUserChange refuses an ALTER USER action outside the enum and values
// the action does not take (they would be ignored).
func checkUserChange(ch UserChange) error {
	switch {
	case ch.Action > UserDefaultRole:
		return invalidOption("the ALTER USER action %d is invalid", ch.Action)
	case ch.Password != "" && ch.Action != UserSetPassword:
		return invalidOption("only IDENTIFIED BY takes a password")
	case ch.Role != "" && ch.Action != UserDefaultRole:
		return invalidOption("only DEFAULT ROLE takes a role")
	}
	return nil
}

// checkTarget refuses a target whose fields contradict its kind, in the
// forms listed at [Target]. The kind itself is checked by its users.
func checkTarget(t Target) error {
	var problem string
	switch {
	case t.DatabasePattern && t.Database == "", t.TablePattern && t.Name == "":
		problem = "a name pattern needs a non-empty prefix"
	case t.DatabasePattern && t.TablePattern:
		problem = "a level has at most one name pattern"
	case (t.DatabasePattern || t.TablePattern) && t.Kind != model.KindDatabase && t.Kind != model.KindTable:
		problem = "only DATABASE and TABLE levels take name patterns"
	case t.DatabasePattern && t.Kind == model.KindTable && !t.AnyTable:
		problem = "TABLE p*.t is not a level"
	case t.TablePattern && t.AnyTable:
		problem = "TABLE d.q* names no table wildcard"
	}
	switch t.Kind {
	case model.KindAccount:
		if t.Database != "" || t.Name != "" || t.AnyDatabase || t.AnyTable {
			problem = "ACCOUNT names no database or table"
		}
	case model.KindDatabase:
		switch {
		case t.Name != "" || t.AnyTable:
			problem = "DATABASE names no table"
		case t.AnyDatabase && t.Database != "":
			problem = "DATABASE * names no database"
		}
	case model.KindTable:
		switch {
		case t.AnyDatabase && !t.AnyTable:
			problem = "TABLE *.t is not a level"
		case t.AnyDatabase && t.Database != "":
			problem = "TABLE *.* names no database"
		case t.AnyTable && t.Name != "":
			problem = "TABLE d.* names no table"
		}
	case model.KindRole, model.KindUser:
		if t.Database != "" || t.AnyDatabase || t.AnyTable {
			problem = "ROLE and USER name no database or wildcard"
		}
	case model.KindAlias:
		if t.Name == "" || t.AnyDatabase || t.AnyTable {
			problem = "ALIAS names one alias"
		}
	case model.KindColumn:
		if t.Name == "" || t.Column == "" || t.AnyDatabase || t.AnyTable {
			problem = "COLUMN names one column of one table"
		}
	}
	if t.Column != "" && t.Kind != model.KindColumn {
		problem = "only COLUMN names a column"
	}
	if problem != "" {
		return invalidOption("the target is malformed: %s", problem)
	}
	return nil
}
