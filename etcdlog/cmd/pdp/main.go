// Command pdp is the full program pdp: the program of the core module
// (cmd/pdp: the shell, exec, dump, restore, test and demo) with etcd
// support, which the core module leaves out so that it needs no etcd.
//
//	pdp -etcd ENDPOINTS [FLAGS]              the shell on a replica kept in step
//	                                         through the etcd cluster at ENDPOINTS
//	pdp -etcd ENDPOINTS exec [-f FILE] [-e SQL]
//	                                         statements on such a replica
//	pdp etcd [-dir DIR] [-listen HOST:PORT]  a single-node etcd server in this
//	                                         process, for trying replicas
//
// Build it with `make pdp` (to bin/pdp), or `go build ./cmd/pdp` in the
// directory etcdlog. `pdp help` prints the usage.
package main

import (
	"os"

	"github.com/pdp-authz/pdp/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, options()))
}

// options are the extensions of the full program: replicas over etcd for
// -etcd, and the etcd command.
func options() cli.Options {
	return cli.Options{
		Replica:  openReplica,
		Commands: map[string]cli.Command{"etcd": etcdCommand},
	}
}
