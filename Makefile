# compound: `make demo` and `make test` work on a bare Debian machine of this project's kind.
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
# Release builds link the Swift standard library and Foundation statically: `compound --version` starts in
# 15 ms instead of 24 (the dynamic linker no longer resolves some 60 shared libraries at every command).
RELEASE := $(SWIFT) build -c release --static-swift-stdlib

.PHONY: setup build demo test stress lint bench man install clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

# A fresh embedded database and sample pharmacy in ./demo, and a compounding day on it.
demo: build
	.build/debug/compound demo --dir demo

# The whole test suite, after the same set-up, beside a PostgreSQL server of its own (scripts/postgres.sh
# installs Debian's postgresql when missing, starts it unprivileged on a free loopback port, stops it after);
# then the suite again with every test pharmacy on that server (COMPOUND_TEST_ENGINE=postgres: the tests of the
# SQLite file itself sit that pass out); then the style check.
test: setup
	$(SWIFT) build --build-tests
	bash scripts/postgres.sh $(SWIFT) test --skip-build
	COMPOUND_TEST_ENGINE=postgres bash scripts/postgres.sh $(SWIFT) test --skip-build
	$(MAKE) --no-print-directory lint

# The concurrency, crash and hostile-input suites at full size (four writers of 24 cycles, 50 SIGKILLs,
# every generated input; `make test` runs them short), printing the counts. The whole log: stress.log.
stress: setup
	$(SWIFT) build --build-tests
	@bash -o pipefail -c 'COMPOUND_STRESS=full $(SWIFT) test --skip-build --filter StressTests 2>&1 | tee stress.log | grep -E "^stress:|Test run with|recorded an issue"'

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

# Speed figures as ratios against a reference measured in the same run (release build).
bench: setup
	$(RELEASE)
	mkdir -p bench-out
	cc -O2 scripts/bench/movements.c -o bench-out/movements $$(pkg-config --cflags --libs xlsxwriter) -lsqlite3
	cc -O2 scripts/bench/deflate.c -o bench-out/deflate -lz
	python3 -m pip install --quiet --disable-pip-version-check XlsxWriter
	scripts/postgres.sh .build/release/compound-bench --binary .build/release/compound --work bench-out/run --reference bench-out/movements --floor bench-out/deflate

# The manual page, generated from the command tree by swift-argument-parser's manual plugin (a release build).
MANUAL := .build/plugins/GenerateManual/outputs/compound/compound.1
man: setup
	rm -rf .build/plugins/GenerateManual/outputs/compound
	$(SWIFT) package generate-manual
	@echo "manual page: $(MANUAL) (read it with: man -l $(MANUAL))"

# compound and its manual page under $(PREFIX) (default /usr/local; DESTDIR for staging).
PREFIX ?= /usr/local
install: man
	$(RELEASE)
	install -D -m 0755 .build/release/compound $(DESTDIR)$(PREFIX)/bin/compound
	install -D -m 0644 $(MANUAL) $(DESTDIR)$(PREFIX)/share/man/man1/compound.1

clean:
	rm -rf .build demo bench-out stress.log
