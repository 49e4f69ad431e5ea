// Package cli is the pdp command-line program: the shell, exec, dump,
// restore, test and demo (see the documentation of cmd/pdp). [Main] runs
// it; [Options] extend it in builds that link more than the core module:
// the full program of the nested module etcdlog opens replicas kept in
// step through etcd (-etcd) and adds the etcd command, so that the core
// module needs no etcd.
package cli
