GO ?= go
PKGS := ./...

# Tools are installed into the repository (ignored by git), pinned, each
# version in its own directory so that a version bump installs afresh.
BIN := $(CURDIR)/.bin
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(BIN)/staticcheck-$(STATICCHECK_VERSION)/staticcheck

.PHONY: test fmt vet staticcheck race etcd-test bench fuzz cover deps pdp-bench rapid crash scenarios demo pdp

# test: the gate CI runs — formatting, vet, staticcheck, and every test under the race detector,
# of the core module and of the nested module etcdlog.
test: fmt vet staticcheck race etcd-test

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck: $(STATICCHECK)
	$(STATICCHECK) $(PKGS)

$(STATICCHECK):
	GOBIN=$(dir $@) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

race:
	$(GO) test -race -count=1 $(PKGS)

# etcd-test: the nested module etcdlog (its own go.mod keeps etcd out of the core module, and
# out of ./... above): vet and its tests, which run an embedded etcd on loopback. vet builds
# with -race too, so that both share one build of etcd (from a cold cache: ~1.5 min, not ~4).
etcd-test:
	cd etcdlog && $(GO) vet -race ./... && $(GO) test -race -count=1 ./...

# pdp: the full program, with replicas over etcd (-etcd) and `pdp etcd`, built from the nested
# module etcdlog (the program of the core module, ./cmd/pdp, has no etcd support).
pdp:
	cd etcdlog && $(GO) build -o ../bin/pdp ./cmd/pdp

# scenarios: the reference §13 files; add others with SCENARIOS='testdata/scenarios/*.test more/*.test'.
SCENARIOS ?= testdata/scenarios/*.test
scenarios:
	$(GO) run ./cmd/pdp test $(SCENARIOS)

demo:
	$(GO) run ./cmd/pdp demo

# bench: the Go benchmarks, then pdp-bench on generated workloads of the small
# and medium shapes (-workload FILE loads a workload file instead).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine
	$(GO) test -run '^$$' -bench Append -benchtime 2s ./journal
	cd etcdlog && $(GO) test -run '^$$' -bench . -benchtime 2s ./...
	$(GO) run ./cmd/pdp-bench -preset small
	$(GO) run ./cmd/pdp-bench -preset medium

PRESET ?= medium
pdp-bench:
	$(GO) run ./cmd/pdp-bench -preset $(PRESET)

rapid:
	$(GO) test -count=1 -run 'Oracle|Property|StateMachine' ./oracle -rapid.checks=20000 -timeout 60m

# crash: the crash test of durable engines at length (make test kills its child 60 times;
# this kills it CRASH_KILLS times, under the race detector), and the replay property with
# more cases.
CRASH_KILLS ?= 2000
crash:
	$(GO) test -race -count=1 -run '^TestCrashRecovery$$' ./engine -crash.kills=$(CRASH_KILLS) -timeout 60m
	$(GO) test -count=1 -run '^TestRecordsReplayToTheLiveState$$' ./engine -rapid.checks=5000 -timeout 60m

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
