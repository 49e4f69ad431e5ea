// Package hierarchy owns the containment of objects: account ⊃ database ⊃
// table, and what dies with what. Dropping a table removes its grants;
// dropping a database removes its tables, their grants and its DATABASE d
// and TABLE d.* grants; dropping an account removes everything in it.
//
// Its functions run inside one catalog write transaction; they hold no state.
package hierarchy
