package engine

import (
	"github.com/pdp-authz/pdp/catalog"
	"github.com/pdp-authz/pdp/model"
)

// tableOrAlias returns the table of database d named name, or the table an
// alias of that name points at (SPEC §17: naming d.a means a's table at
// that moment); nil if neither exists.
func (w *writer) tableOrAlias(d model.DatabaseID, name string) *catalog.Table {
	return tableOrAlias(w.Tx, d, name)
}

func tableOrAlias(tx *catalog.Tx, d model.DatabaseID, name string) *catalog.Table {
	if t := tx.TableByName(d, name); t != nil {
		return t
	}
	if a := tx.AliasByName(d, name); a != nil {
		return tx.Table(a.Table)
	}
	return nil
}
