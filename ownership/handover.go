package ownership

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// Dropped maps each role dropped by one statement to its owner at the time
// it was dropped, so that owner chains can be followed through it.
type Dropped map[model.RoleID]model.RoleID

// Heir returns the new owner of an object that owner (a dropped role)
// owned: the nearest role up the owner chain that survives the statement
// and is not the object itself (self is the object's role ID, or 0), else
// admin. live reports the current owner of a surviving role.
func Heir(owner, self, admin model.RoleID, dropped Dropped, ownerOf func(model.RoleID) (model.RoleID, bool)) model.RoleID {
	seen := map[model.RoleID]bool{}
	for r := owner; r != 0 && !seen[r]; {
		seen[r] = true
		if up, gone := dropped[r]; gone {
			r = up
			continue
		}
		if r != self {
			return r
		}
		up, ok := ownerOf(r)
		if !ok {
			break
		}
		r = up
	}
	return admin
}

// HandOver gives everything the dropped roles owned to their heirs.
func HandOver(tx *catalog.Tx, dropped Dropped, admin model.RoleID) {
	ownerOf := func(r model.RoleID) (model.RoleID, bool) {
		if rec := tx.Role(r); rec != nil {
			return rec.Owner, true
		}
		return 0, false
	}
	for gone := range dropped {
		heir := Heir(gone, 0, admin, dropped, ownerOf)
		for _, d := range tx.DatabasesOwnedBy(gone) {
			tx.Put(catalog.WithOwner(d, heir))
		}
		for _, t := range tx.TablesOwnedBy(gone) {
			tx.Put(catalog.WithOwner(t, heir))
		}
		for _, a := range tx.AliasesOwnedBy(gone) {
			tx.Put(catalog.WithOwner(a, heir))
		}
		for _, u := range tx.UsersOwnedBy(gone) {
			tx.Put(catalog.WithOwner(u, heir))
		}
		for _, r := range tx.RolesOwnedBy(gone) {
			tx.Put(catalog.WithOwner(r, Heir(gone, r.ID, admin, dropped, ownerOf)))
		}
	}
}

// Transfer makes to the single owner of the object rec (a pointer to a
// Database, Table, Role, User or Alias record). Existing grants stay.
func Transfer(tx *catalog.Tx, rec any, to model.RoleID) {
	tx.Put(catalog.WithOwner(rec, to))
}
