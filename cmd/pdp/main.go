package main

import (
	"os"

	"github.com/pdp-authz/pdp/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, cli.Options{}))
}
