# Xinfang — build, run and test.
#   make run     install what is missing, build, create the demo database, serve it
#   make check   build and run every test suite (C unit, HTTP API, fuzz replay, browser), then again under ASan/UBSan
#   make ui      build the browser front end (ui/ -> ui/dist) with the locked npm packages
#   make fuzz    run each libFuzzer harness for FUZZ_SECONDS (default 600), growing its corpus
# BUILD=release (default) or BUILD=debug (ASan + UBSan); BUILD=fuzz is clang + libFuzzer.

BUILD   ?= release
OUT     := build/$(BUILD)
PKGS    := libmicrohttpd jansson sqlite3 libsodium libcrypto icu-uc icu-i18n
PORT    ?= 8080
DB      ?= var/demo.db

CC      ?= gcc
FUZZ_CC ?= clang
WARN    := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Werror
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -MMD -MP
ifeq ($(BUILD),debug)
  OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(BUILD),fuzz)
  CC  := $(FUZZ_CC)
  OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
         -fno-sanitize-recover=all -Wno-error -Wno-format-nonliteral
else
  OPT := -O2 -g
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  := $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS := $(OPT) $(EXTRA_LDFLAGS)
LIBS     = $(PKG_LIBS) -lpthread -lm

LIB_SRCS  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJS  := $(LIB_SRCS:src/%.c=$(OUT)/obj/%.o) $(OUT)/obj/base/embed.o
EMBEDDED  := data/calendar/cn-holidays.json data/policy/policies.txt
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:tests/unit/%.c=$(OUT)/obj/tests/%.o)
FUZZERS   := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SECONDS ?= 600

.PHONY: all deps run check unit api e2e ui screenshots bench clean help fuzz fuzz-build fuzz-replay

all: $(OUT)/xinfang

help:
	@sed -n '1,4p' Makefile

deps:
	@scripts/deps.sh

$(OUT)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/obj/base/embed.o: src/base/embed.S $(EMBEDDED)
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(OUT)/obj/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/libxinfang.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(OUT)/xinfang: $(OUT)/obj/cli/main.o $(OUT)/libxinfang.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(OUT)/unit-tests: $(UNIT_OBJS) $(OUT)/libxinfang.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) -lcriterion

.PRECIOUS: $(OUT)/obj/fuzz/%.o
$(OUT)/obj/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# libFuzzer binaries (BUILD=fuzz) and the same harnesses with a plain main (tests/fuzz/replay.c)
$(OUT)/fuzz/%: $(OUT)/obj/fuzz/%.o $(OUT)/libxinfang.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(OUT)/fuzz-replay/%: $(OUT)/obj/fuzz/%.o $(OUT)/obj/fuzz/replay.o $(OUT)/libxinfang.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# The front end: npm ci from the committed lock file, then vue-tsc and vite build into ui/dist.
UI_SRCS := $(shell find ui/src ui/public -type f 2>/dev/null) ui/index.html ui/vite.config.ts ui/tsconfig.json
ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui/dist/index.html: ui/node_modules/.installed $(UI_SRCS)
	cd ui && npm run build

ui: ui/dist/index.html

# The browser tests (ui/e2e/, playwright-core driving Debian's chromium) against this build's server.
e2e: $(OUT)/xinfang ui
	XINFANG_BIN=$(CURDIR)/$(OUT)/xinfang node --test --test-concurrency=1 ui/e2e/

# The screenshots linked from the README: the browser scenario writes them, this copies them.
README_SHOTS := workbench registration-duplicate-hint receipt case-page portal dashboard
screenshots:
	@rm -rf build/screenshots
	@$(MAKE) --no-print-directory BUILD=release e2e
	@mkdir -p docs/screenshots
	cp $(README_SHOTS:%=build/screenshots/%.png) docs/screenshots/

run: deps
	@$(MAKE) --no-print-directory BUILD=release all ui
	@mkdir -p var
	@build/release/xinfang demo --db $(DB)
	@echo "serving http://127.0.0.1:$(PORT)/  (staff: log in with a user above; petitioners: http://127.0.0.1:$(PORT)/portal; Ctrl-C stops it)"
	@build/release/xinfang serve --db $(DB) --port $(PORT) --ui ui/dist

# Sanitizer reports in forked test workers do not fail Criterion: look for them.
unit: $(OUT)/unit-tests
	@$(OUT)/unit-tests --jobs 2 > $(OUT)/unit.log 2>&1; rc=$$?; cat $(OUT)/unit.log; \
	 if grep -qE "Sanitizer|runtime error:" $(OUT)/unit.log; then echo "sanitizer report in unit tests"; exit 1; fi; \
	 exit $$rc

api: $(OUT)/xinfang
	XINFANG_BIN=$(CURDIR)/$(OUT)/xinfang node --test --test-concurrency=1 tests/api/

check:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory BUILD=release unit api fuzz-replay e2e
	@$(MAKE) --no-print-directory BUILD=debug unit api fuzz-replay e2e
	@echo "make check: all suites passed (release and ASan/UBSan)"

# Replay the seeds and the saved corpus of every harness (tests/fuzz/); any finding fails.
fuzz-replay: $(FUZZERS:%=$(OUT)/fuzz-replay/%)
	@for h in $(FUZZERS); do \
	  $(OUT)/fuzz-replay/$$h $$(ls -d tests/fuzz/seeds/$$h tests/fuzz/corpus/$$h 2>/dev/null) || exit 1; done

# Each harness for FUZZ_SECONDS under clang's libFuzzer + ASan/UBSan; new inputs are merged
# into tests/fuzz/corpus/<harness>/ (tests/fuzz/run.sh). FUZZERS="fuzz_text" picks some.
fuzz:
	@FUZZ_CC=$(FUZZ_CC) scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=fuzz fuzz-build
	@for h in $(FUZZERS); do tests/fuzz/run.sh build/fuzz/fuzz/$$h $(FUZZ_SECONDS) || exit 1; done

fuzz-build: $(FUZZERS:%=$(OUT)/fuzz/%)

# The overdue-scan benchmark at 1,000,000 cases; rewrites its section of docs/PERFORMANCE.md.
bench:
	@$(MAKE) --no-print-directory BUILD=release build/release/libxinfang.a
	@$(MAKE) --no-print-directory -C bench run

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(OUT)/obj/cli/main.d $(wildcard $(OUT)/obj/fuzz/*.d)
