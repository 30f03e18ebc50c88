# Open CLP: the two commands a newcomer needs are `make run` and `make test`.
# Every tool step checks first and prints one "installing ..." line only when it installs.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory

WASM_TARGET  := wasm32-unknown-unknown
WASM_PROFILE := wasm-release
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly (pinned `=0.2.130`).
WASM_BINDGEN_VERSION := $(or $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock 2>/dev/null),0.2.130)
DIST         := frontend/dist
WASM_IN      := target/$(WASM_TARGET)/$(WASM_PROFILE)/clp-frontend.wasm
# wasm-opt comes from npm binaryen (a devDependency of e2e/), never from Debian's older binaryen.
WASM_OPT     := e2e/node_modules/.bin/wasm-opt
# Features rustc 1.95 emits for wasm32-unknown-unknown (LLVM's generic CPU); wasm-opt must accept them.
WASM_OPT_FEATURES := --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
	--enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
	--enable-call-indirect-overlong
CHROMIUM     := /usr/bin/chromium
SUDO         := $(if $(filter 0,$(shell id -u)),,sudo)
PG_HOST      := 127.0.0.1
PG_PORT      := 5432
NPM_STAMP    := e2e/node_modules/.clp-installed

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: bench fuzz fuzz-api help tools tools-wasm-target tools-wasm-bindgen tools-npm tools-chromium \
	frontend build run test test-rust e2e lighthouse lint openapi clean tools-wrk

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-20s %s\n", $$1, $$2 }'

# ---------------------------------------------------------------------------------------------
# Tools

tools: tools-wasm-target tools-wasm-bindgen tools-npm tools-chromium ## install every tool the build and tests need

tools-wasm-target: ## rustup target wasm32-unknown-unknown
	@if ! rustup target list --installed | grep -qx '$(WASM_TARGET)'; then \
		echo "installing Rust target $(WASM_TARGET) (rustup target add)"; \
		rustup target add $(WASM_TARGET); \
	fi

tools-wasm-bindgen: ## wasm-bindgen-cli at the version in Cargo.lock
	@if [[ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (cargo install)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

tools-npm: $(NPM_STAMP) ## npm packages of e2e/ (Playwright, axe-core, binaryen's wasm-opt)
	@:

# Re-run `npm ci` when node_modules is missing or package.json / package-lock.json changed.
$(NPM_STAMP): e2e/package.json e2e/package-lock.json
	@echo "installing e2e npm packages: @playwright/test, @axe-core/playwright, binaryen (npm ci)"
	@cd e2e && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

tools-chromium: ## Debian's Chromium for Playwright (apt-get), never `playwright install`
	@if [[ ! -x $(CHROMIUM) ]]; then \
		echo "installing chromium (apt-get install)"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; \
	fi
	@if ! fc-list :lang=ja 2>/dev/null | grep -q .; then \
		echo "installing a Japanese font for Chromium (apt-get install fonts-ipafont-gothic)"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y fonts-ipafont-gothic; \
	fi

# ---------------------------------------------------------------------------------------------
# Build and run

frontend: tools-wasm-target tools-wasm-bindgen tools-npm ## build the browser app into frontend/dist
	cargo build -p clp-frontend --target $(WASM_TARGET) --profile $(WASM_PROFILE)
	rm -rf $(DIST)
	mkdir -p $(DIST)
	wasm-bindgen --target web --no-typescript --out-name clp_frontend --out-dir $(DIST) $(WASM_IN)
	$(WASM_OPT) -Oz $(WASM_OPT_FEATURES) -o $(DIST)/clp_frontend_bg.wasm $(DIST)/clp_frontend_bg.wasm
	cp frontend/index.html frontend/boot.js frontend/style.css frontend/robots.txt $(DIST)/
	@# Content-hashed asset names and build-time brotli/gzip copies (see the script's header).
	node scripts/dist-assets.mjs $(DIST)

build: ## debug build of the server (target/debug/clp-server)
	cargo build -p clp-api --bin clp-server

run: frontend ## build everything in release, load demo data and serve (prints the URLs and demo keys)
	cargo build --release -p clp-api --bin clp-server
	CLP_STATIC_DIR="$${CLP_STATIC_DIR:-$(DIST)}" target/release/clp-server seed-demo
	CLP_STATIC_DIR="$${CLP_STATIC_DIR:-$(DIST)}" exec target/release/clp-server serve

# ---------------------------------------------------------------------------------------------
# Checks

test: test-rust ## every test: Rust on SQLite and PostgreSQL, then Playwright, then Lighthouse
	$(MAKE) e2e
	$(MAKE) lighthouse

# PostgreSQL tests run when 127.0.0.1:5432 answers; under CI a missing PostgreSQL is a failure.
test-rust: ## Rust tests of the default members (nextest if installed) plus doctests
	@if command -v pg_isready >/dev/null; then probe="pg_isready -q -h $(PG_HOST) -p $(PG_PORT)"; \
	else probe="exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)"; fi; \
	if (eval "$$probe") 2>/dev/null; then \
		dbs=sqlite,postgres; \
	elif [[ "$${CI:-}" == true ]]; then \
		echo "ERROR: PostgreSQL does not answer at $(PG_HOST):$(PG_PORT); CI must test on PostgreSQL" >&2; exit 1; \
	else \
		echo "WARNING: ******** PostgreSQL does not answer at $(PG_HOST):$(PG_PORT): testing on SQLite ONLY ********" >&2; \
		dbs=sqlite; \
	fi; \
	echo "CLP_TEST_DATABASES=$$dbs"; \
	export CLP_TEST_DATABASES=$$dbs; \
	if cargo nextest --version >/dev/null 2>&1; then \
		(set -x; cargo nextest run --no-tests=warn); \
	else \
		(set -x; cargo test --all-targets); \
	fi; \
	(set -x; cargo test --doc)
	@# The SPA's catalogs and formatting are plain Rust: their tests run on the host.
	cargo test -p clp-frontend --lib

e2e: frontend build tools-npm tools-chromium ## Playwright tests in Chromium against target/debug/clp-server
	cd e2e && npx playwright test

lighthouse: frontend build tools-npm tools-chromium ## Lighthouse: landing page and My account score 100 on accessibility, best practices, SEO
	scripts/lighthouse.sh

lint: tools-wasm-target ## rustfmt, clippy (host members and the wasm32 frontend), wasm32 build of shared crates, no module cycles
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy -p clp-frontend --target $(WASM_TARGET) -- -D warnings
	cargo build -p clp-domain -p clp-api-types --target $(WASM_TARGET)
	python3 scripts/module-cycles.py crates/api/src crates/db/src

openapi: ## regenerate openapi/openapi.json from the code
	mkdir -p openapi
	cargo run -q -p clp-api --bin clp-server -- openapi > openapi/openapi.json.tmp \
		|| { rm -f openapi/openapi.json.tmp; exit 1; }
	mv openapi/openapi.json.tmp openapi/openapi.json

BENCH_ARGS ?=

tools-wrk: ## wrk, the load generator of make bench (apt-get)
	@if ! command -v wrk >/dev/null; then \
		echo "installing wrk (apt-get install)"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y wrk; \
	fi

bench: frontend tools-wrk tools-chromium ## release build, bulk seed, load the server; writes docs/benchmarks.md (BENCH_ARGS="--db sqlite|postgres|both --lines N")
	scripts/bench.sh $(BENCH_ARGS)

FUZZ_SECONDS      ?= 60
FUZZ_API_EXAMPLES ?= 30

fuzz: ## cargo-fuzz targets (key parsers, request bodies), FUZZ_SECONDS each; needs nightly
	scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-api: ## schemathesis over every operation of /api-docs/openapi.json against a fresh server
	scripts/fuzz-api.sh $(FUZZ_API_EXAMPLES)

clean: ## remove build output (target/, frontend/dist, e2e results)
	cargo clean
	rm -rf $(DIST) e2e/test-results e2e/playwright-report
