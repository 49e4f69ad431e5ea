// Command depcheck fails when a package imports a project package outside
// the dependency diagram of docs/architecture.md. Run it with `make deps`.
package main
