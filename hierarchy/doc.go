// Package hierarchy owns the containment of objects: account ⊃ database ⊃
// table ⊃ column, and what dies with what. Dropping a table removes its
// grants, denials and columns with theirs; dropping a column its grants and
// denials; dropping a database removes its tables, their grants and its
// DATABASE d and TABLE d.* grants and denials; dropping an account removes
// everything in it.
//
// Its functions run inside one catalog write transaction; they hold no state.
package hierarchy
