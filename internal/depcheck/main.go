package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

const module = "github.com/pdp-authz/pdp/"

// allowed lists, for each project package, the project packages it may import.
var allowed = map[string][]string{
	"model":             nil,
	"password":          nil,
	"internal/pvec":     nil,
	"internal/depcheck": nil,
	"internal/readme":   nil,
	"catalog":           {"model", "internal/pvec"},
	"hierarchy":         {"model", "catalog"},
	"inherit":           {"model"},
	"ownership":         {"model", "catalog"},
	"record":            {"model", "catalog"},
	"journal":           nil,
	"engine":            {"model", "catalog", "hierarchy", "inherit", "ownership", "password", "internal/pvec", "record", "journal"},
	"dcl":               {"model", "engine"},
	"scenario":          {"model", "engine", "dcl", "password"},
	"internal/cli":      {"model", "engine", "dcl", "scenario", "password"},
	"cmd/pdp":           {"internal/cli"},
	"cmd/pdp-bench":     {"model", "engine", "password"},
	"oracle":            {"model", "engine", "password"},
	"replica":           {"model", "record", "engine"},
}

func main() {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "depcheck: go list:", err)
		os.Exit(2)
	}
	bad := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		pkg := strings.TrimPrefix(fields[0], module)
		ok, known := allowed[pkg]
		if !known {
			fmt.Printf("depcheck: package %s is not in the diagram\n", pkg)
			bad++
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if !contains(ok, dep) {
				fmt.Printf("depcheck: %s must not import %s\n", pkg, dep)
				bad++
			}
		}
	}
	if bad > 0 {
		os.Exit(1)
	}
	fmt.Println("depcheck: import edges match the diagram")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
