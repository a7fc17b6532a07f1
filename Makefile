# Build and install artifactory-hooks as a systemd service.
#
#   make                          release build (swift build -c release)
#   sudo make install             binary, unit, config (kept when present), examples, docs
#   sudo make uninstall           removes what install put in place; keeps config and data
#
# PREFIX (default /usr/local) and DESTDIR (staging root for packages) as usual. BINARY names an
# already built binary to install instead of .build/release/artifactory-hooks. The installed copy
# has its debug information stripped (STRIP=true keeps it); function names stay, so a crash's
# backtrace still names the frames.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
UNITDIR    ?= $(PREFIX)/lib/systemd/system
DATADIR    ?= $(PREFIX)/share/artifactory-hooks
DOCDIR     ?= $(PREFIX)/share/doc/artifactory-hooks
CONFDIR    ?= /etc/artifactory-hooks
BINARY     ?= .build/release/artifactory-hooks
SWIFT      ?= swift
INSTALL    ?= install
STRIP      ?= strip --strip-debug

UNIT       := artifactory-hooks.service
# README.md links docs/NAME.md: the docs keep that layout under DOCDIR so every link resolves.
DOCS       := $(wildcard docs/*.md)
RULES      := $(wildcard rules/*.yml)
OUTBOUND   := $(wildcard examples/outbound/rules/*.yml)
SCHEMAS    := schema/rules.schema.json schema/config.schema.json
# An installed YAML file names the installed JSON Schema (its repository line is relative).
SCHEMA_PATH = sed -e 's|\$$schema=[./]*schema/|$$schema=$(DATADIR)/schema/|'

.PHONY: all build install uninstall

all: build

build:
	$(SWIFT) build -c release --product artifactory-hooks

install:
	@test -x "$(BINARY)" || { echo "$(BINARY) does not exist: run 'make' first, or pass BINARY=path/to/artifactory-hooks" >&2; exit 1; }
	$(INSTALL) -d -m 0755 "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(UNITDIR)" "$(DESTDIR)$(DATADIR)/examples/rules" \
	    "$(DESTDIR)$(DATADIR)/examples/outbound/rules" "$(DESTDIR)$(DATADIR)/schema" "$(DESTDIR)$(DOCDIR)/docs" \
	    "$(DESTDIR)$(DOCDIR)/examples/outbound"
	$(INSTALL) -m 0755 "$(BINARY)" "$(DESTDIR)$(BINDIR)/artifactory-hooks"
	$(STRIP) "$(DESTDIR)$(BINDIR)/artifactory-hooks"
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' \
	    -e 's|/usr/local/share/doc/artifactory-hooks|$(DOCDIR)|g' \
	    -e 's|/etc/artifactory-hooks|$(CONFDIR)|g' \
	    systemd/$(UNIT) > "$(DESTDIR)$(UNITDIR)/$(UNIT).tmp"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/$(UNIT).tmp"
	mv "$(DESTDIR)$(UNITDIR)/$(UNIT).tmp" "$(DESTDIR)$(UNITDIR)/$(UNIT)"
	$(INSTALL) -m 0644 $(SCHEMAS) "$(DESTDIR)$(DATADIR)/schema/"
	$(SCHEMA_PATH) config/production.yml > "$(DESTDIR)$(DATADIR)/examples/config.yml"
	for rule in $(RULES); do $(SCHEMA_PATH) "$$rule" > "$(DESTDIR)$(DATADIR)/examples/$$rule"; done
	$(SCHEMA_PATH) examples/outbound/config.yml > "$(DESTDIR)$(DATADIR)/examples/outbound/config.yml"
	for rule in $(OUTBOUND); do $(SCHEMA_PATH) "$$rule" > "$(DESTDIR)$(DATADIR)/$$rule"; done
	chmod 0644 "$(DESTDIR)$(DATADIR)"/examples/*.yml "$(DESTDIR)$(DATADIR)"/examples/rules/*.yml \
	    "$(DESTDIR)$(DATADIR)"/examples/outbound/*.yml "$(DESTDIR)$(DATADIR)"/examples/outbound/rules/*.yml
	$(INSTALL) -m 0644 README.md "$(DESTDIR)$(DOCDIR)/"
	$(INSTALL) -m 0644 $(DOCS) "$(DESTDIR)$(DOCDIR)/docs/"
	$(INSTALL) -m 0644 examples/outbound/README.md "$(DESTDIR)$(DOCDIR)/examples/outbound/"
	$(INSTALL) -d -m 0755 "$(DESTDIR)$(CONFDIR)" "$(DESTDIR)$(CONFDIR)/rules"
	@if [ -e "$(DESTDIR)$(CONFDIR)/config.yml" ]; then \
	    echo "Kept $(DESTDIR)$(CONFDIR)/config.yml; the shipped one is $(DATADIR)/examples/config.yml"; \
	else \
	    $(SCHEMA_PATH) config/production.yml > "$(DESTDIR)$(CONFDIR)/config.yml" && \
	    chmod 0644 "$(DESTDIR)$(CONFDIR)/config.yml" && \
	    echo "Installed $(DESTDIR)$(CONFDIR)/config.yml"; \
	fi
	@if [ -z "$(DESTDIR)" ]; then \
	    echo "Next: put the webhook secret in $(CONFDIR)/secret (mode 0600), then"; \
	    echo "  systemctl daemon-reload && systemctl enable --now artifactory-hooks"; \
	fi

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/artifactory-hooks" "$(DESTDIR)$(UNITDIR)/$(UNIT)"
	rm -rf "$(DESTDIR)$(DATADIR)" "$(DESTDIR)$(DOCDIR)"
	@echo "Kept $(CONFDIR) (config, secrets, rules) and /var/lib/artifactory-hooks (events); remove them by hand to purge."
