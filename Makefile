# scimctl — the two commands a new clone needs: `make run` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: all deps build release run test bench profiles schema clean install dist fuzz fuzz-build rules-doc

all: build

# libcurl's headers and pkg-config are the only system packages scimctl needs beyond the Swift toolchain; the
# tests also drive the emulator's control API and the action's installer with the curl command.
deps:
	@if ! pkg-config --exists libcurl 2>/dev/null || ! command -v curl >/dev/null 2>&1; then \
		echo "installing libcurl4-openssl-dev, pkg-config and curl"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libcurl4-openssl-dev pkg-config curl; \
	fi

# The bundled profiles are embedded in the binary; regenerate the Swift file when Profiles/ changes.
profiles:
	@./scripts/embed-profiles.sh

build: deps profiles
	$(SWIFT) build

# docs/rules.md is generated from the diagnostics registry; a test fails when the committed file is stale.
rules-doc: build
	$(SWIFT) run --skip-build scimctl rules --format markdown > docs/rules.md

# Release binaries carry the Swift runtime (--static-swift-stdlib), so they run where no toolchain is installed.
# `install` and `dist` use this one build: the same flags, so the second never rebuilds.
RELEASE_FLAGS := -c release --static-swift-stdlib

release: deps profiles
	$(SWIFT) build $(RELEASE_FLAGS)

# The main job: validate every bundled profile, then show what `apply` would send for one of them.
run: build
	./scripts/demo.sh

test: deps
	$(SWIFT) test

bench: deps profiles
	./scripts/bench.sh

clean:
	rm -rf .build .build-fuzz dist

# Release archive for this machine: dist/scimctl-VERSION-linux-ARCH.tar.gz and its .sha256 (see scripts/dist.sh).
dist: release
	SWIFT="$(SWIFT)" ./scripts/dist.sh

# Coverage-guided fuzzing with libFuzzer (docs/fuzzing.md). The targets live in Fuzz/, a separate package built
# into .build-fuzz, so `swift build` and `make test` never see them. Each target runs FUZZ_SECONDS from the
# committed seeds in Fuzz/Corpus/<target> (new inputs go to .build-fuzz/corpus/<target>); a crash, a sanitizer
# report, an input slower than FUZZ_TIMEOUT seconds or more than FUZZ_RSS_MB of memory fails the run, and the
# input is saved under .build-fuzz/artifacts/<target>/.
FUZZ_TARGETS ?= $(notdir $(wildcard Fuzz/Sources/fuzz-*))
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 2
FUZZ_RSS_MB ?= 2048
FUZZ_RUNTIME = $$(toolchain=$$(dirname $$(dirname $$(readlink -f $$(command -v swiftc)))); \
	ls $$toolchain/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-$$(uname -m).a \
	   $$toolchain/lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-$$(uname -m).a 2>/dev/null | head -1)

# Leak checks are off (-detect_leaks=0 per input, ASAN_OPTIONS at exit): Swift's lazily initialised globals look
# like leaks when the process ends.
# SwiftPM links an executable target with its own entry point, so libFuzzer's main cannot be used: targets are
# instrumented with ASan and coverage, and linked with libFuzzer's no-main runtime, whose driver they call.
fuzz-build: deps
	@runtime=$(FUZZ_RUNTIME); \
	if [ -z "$$runtime" ]; then echo "fuzz: libclang_rt.fuzzer_no_main not found next to the Swift toolchain"; exit 1; fi; \
	$(SWIFT) build --package-path Fuzz --scratch-path .build-fuzz -c release \
		-Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
		-Xlinker "$$runtime" -Xlinker -lstdc++

fuzz: fuzz-build
	@set -e; for target in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$target .build-fuzz/artifacts/$$target; \
		echo "fuzz: $$target for $(FUZZ_SECONDS)s"; \
		ASAN_OPTIONS=detect_leaks=0 .build-fuzz/release/$$target .build-fuzz/corpus/$$target Fuzz/Corpus/$$target \
			-max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) -max_len=16384 \
			-detect_leaks=0 -artifact_prefix=.build-fuzz/artifacts/$$target/ -print_final_stats=1 2>&1 \
			| grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==|SUMMARY|ERROR|Done|.*(crash|timeout|leak|oom))" \
			|| true; \
		if ls .build-fuzz/artifacts/$$target/* >/dev/null 2>&1; then echo "fuzz: $$target failed; inputs in .build-fuzz/artifacts/$$target/"; exit 1; fi; \
	done

# The JSON Schema for editors is generated from the loader's own declaration; a test fails when it is stale.
schema: build
	$$(swift build --show-bin-path)/scimctl schema > Schema/profile.schema.json

# Installs the release binaries, the man page, shell completions and the bundled profiles under $(PREFIX).
install: release
	@bin=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path); \
	set -e; \
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" "$(DESTDIR)$(PREFIX)/share/scimctl/profiles" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
		"$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"; \
	install -m 755 "$$bin/scimctl" "$$bin/graph-emulator" "$(DESTDIR)$(PREFIX)/bin/"; \
	"$$bin/scimctl" manual > "$(DESTDIR)$(PREFIX)/share/man/man1/scimctl.1"; \
	"$$bin/scimctl" --generate-completion-script bash > "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/scimctl"; \
	"$$bin/scimctl" --generate-completion-script zsh > "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_scimctl"; \
	"$$bin/scimctl" --generate-completion-script fish > "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/scimctl.fish"; \
	install -m 644 Profiles/*.yaml Schema/profile.schema.json "$(DESTDIR)$(PREFIX)/share/scimctl/profiles/"; \
	echo "installed scimctl $$("$$bin/scimctl" --version) under $(DESTDIR)$(PREFIX)"
