# calhook — the two commands a newcomer needs are `make demo` and `make test`.
# Both install what is missing first (wasm32 target, wasm-bindgen-cli matching Cargo.lock,
# npm devDependencies, reinstalled only when package-lock.json changes), so they work on a fresh machine with rustup and Node 20.

SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.calhook-installed
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
PORT ?= 8080

.PHONY: help setup build test test-rust test-js test-integration lint demo bench fmt clean generate fuzz

help:
	@echo "make demo   build the package and serve the playground on http://127.0.0.1:$(PORT)"
	@echo "make test   build and run every test suite (Rust, Node ESM/CJS, Deno, workerd, Chromium)"
	@echo "make build  build the npm package into pkg/"
	@echo "make bench  compare calhook with its peers; writes BENCHMARKS.md"
	@echo "make lint   cargo fmt --check and clippy -D warnings"

setup:
	@lock=$$(sha1sum package-lock.json | cut -c1-40); \
	if [ "$$(cat $(NPM_STAMP) 2>/dev/null)" != "$$lock" ]; then \
	  npm ci --no-audit --no-fund && echo "$$lock" > $(NPM_STAMP); \
	fi
	@rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (matches Cargo.lock; takes a few minutes)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

build: setup
	node scripts/build-pkg.mjs

test: build test-rust test-js test-integration

test-rust:
	cargo test --all-targets
	# Again with URLs read by WHATWG rules (feature `url`): every suite, and the differential
	# with the runtimes' URL in tests/url_hosts.rs
	cargo test --all-targets --features url
	cargo test -p calhook-signature-wasm

# Browser tests need Chromium: found on PATH or CHROMIUM_PATH, or installed from Debian's
# package when running as root with apt-get; otherwise a message says what to install.
test-js: build
	@chromium=$$(scripts/ensure-chromium.sh) && CHROMIUM_PATH="$$chromium" node --test --test-concurrency=1 tests/js/

# Real projects (Next.js, wrangler, bundlers, servers, TypeScript) installed from `npm pack`.
test-integration: build
	node --test --test-concurrency=1 tests/integration/run.mjs

lint: setup
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --features url -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p calhook-signature-wasm --all-targets -- -D warnings
	cargo clippy -p calhook-signature-wasm --lib --target wasm32-unknown-unknown -- -D warnings
	# Intra-doc links must resolve: the API docs are part of the crate.
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --lib

generate:
	CALHOOK_UPDATE_GENERATED=1 cargo test --test codegen

fmt:
	cargo fmt

demo: build
	node scripts/build-www.mjs
	node scripts/serve.mjs www/dist $(PORT)

bench: build
	node bench/run.mjs

# Coverage-guided fuzzing (not part of `make test`): FUZZ_SECONDS per target, default 60.
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf pkg target/wasm-bindgen www/dist
