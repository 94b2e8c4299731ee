# scimctl — the two commands a new clone needs: `make run` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: all deps build release run test bench profiles schema clean install dist

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
	rm -rf .build dist

# Release archive for this machine: dist/scimctl-VERSION-linux-ARCH.tar.gz and its .sha256 (see scripts/dist.sh).
dist: release
	SWIFT="$(SWIFT)" ./scripts/dist.sh

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
