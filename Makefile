GO ?= go
PKGS := ./...

.PHONY: test fmt vet race bench fuzz cover deps pdp-bench rapid scenarios demo

# test: the gate CI runs — formatting, vet, and every test under the race detector.
test: fmt vet race

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

race:
	$(GO) test -race -count=1 $(PKGS)

# scenarios: the SPEC §13 files, ours and the shared ones.
scenarios:
	$(GO) run ./cmd/pdp test testdata/scenarios/*.test $$(ls ../shared/scenarios/*.test 2>/dev/null)

demo:
	$(GO) run ./cmd/pdp demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine
	$(GO) test -run '^$$' -bench Append -benchtime 2s ./journal
	$(GO) run ./cmd/pdp-bench -workload ../shared/bench/small.sql.gz
	$(GO) run ./cmd/pdp-bench -workload ../shared/bench/medium.sql.gz

pdp-bench:
	$(GO) run ./cmd/pdp-bench -workload ../shared/bench/medium.sql.gz

rapid:
	$(GO) test -count=1 -run 'Oracle|Property|StateMachine' ./oracle -rapid.checks=20000 -timeout 60m

FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./dcl
	$(GO) test -run '^$$' -fuzz '^FuzzParseCheck$$' -fuzztime $(FUZZTIME) ./dcl
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./scenario
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./record

cover:
	$(GO) test -coverprofile=cover.out $(PKGS) && $(GO) tool cover -func=cover.out | tail -1

# deps: fails on any import edge outside the package diagram of docs/architecture.md.
deps:
	@$(GO) run ./internal/depcheck
