# truce - build, test, demo. `make` builds build/truce and the dashboard;
# `make check` runs every test (and again under ASan + UBSan); `make demo`
# runs the main job on the example data; `make fresh-check` runs demo and
# check on a Debian 12 root made from nothing. Each installs the Debian
# packages it needs first.

CC      ?= gcc
BUILD   ?= build
.DEFAULT_GOAL := all

# The libraries' flags, PKG_CFLAGS and PKG_LIBS, are written into
# $(BUILD)/config.mk by scripts/configure.sh once it has installed the
# packages that carry them. make makes an included file that is missing or
# older than its rule's inputs first and then reads the Makefile anew, so
# the flags are read after the install, on the first run too.
NO_CONFIG_GOALS := clean deps format fresh-check
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BUILD)/config.mk
endif
$(BUILD)/config.mk: scripts/configure.sh scripts/install-deps.sh
	@scripts/configure.sh $@

WARN    := -Wall -Wextra -Werror -Wshadow -Wundef -Wwrite-strings \
           -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c17 $(OPT) $(WARN) $(EXTRA_CFLAGS) -Iinclude -Isrc \
             $(PKG_CFLAGS)
LDFLAGS_ALL = $(EXTRA_LDFLAGS) $(PKG_LIBS)

LIB_SRC := $(wildcard src/*.c)
CLI_SRC := $(wildcard cli/*.c server/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
BENCH_SRC := $(wildcard bench/*.c)

.PHONY: all deps check test test-pg unit cli-test asan tsan demo fuzz fuzz-short bench clean \
        format web web-browser browser-test fresh-check screenshots

all: $(BUILD)/truce web

deps:
	@scripts/install-deps.sh

$(BUILD)/%.o: %.c $(wildcard include/truce/*.h src/*.h cli/*.h server/*.h tests/unit/*.h) \
              $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libtruce.a: $(LIB_OBJ)
	@ar rcs $@ $^

$(BUILD)/truce: $(CLI_OBJ) $(BUILD)/libtruce.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL)

$(BUILD)/unit_tests: $(UNIT_OBJ) $(BUILD)/libtruce.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL)

$(BUILD)/bench_ingest: bench/bench_ingest.c $(BUILD)/libtruce.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL)

$(BUILD)/bench_extract: bench/bench_extract.c $(BUILD)/libtruce.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL)

$(BUILD)/bench_link: bench/bench_link.c $(BUILD)/libtruce.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL)

$(BUILD)/http_concurrent: tests/http/concurrent.c
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -o $@ $< -lcurl -lpthread $(EXTRA_LDFLAGS)

$(BUILD)/http_slow: tests/http/slow_clients.c
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -o $@ $< $(EXTRA_LDFLAGS)

$(BUILD)/news_score: tests/news/score.c $(BUILD)/libtruce.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL)

$(BUILD)/link_score: tests/link/score.c $(BUILD)/libtruce.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL)

$(BUILD)/http_trickle: tests/http/trickle.c
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -o $@ $< $(EXTRA_LDFLAGS)

# The unit runner and the CLI scripts, on one build.
test: $(BUILD)/truce $(BUILD)/unit_tests $(BUILD)/http_concurrent $(BUILD)/http_slow $(BUILD)/http_trickle $(BUILD)/news_score $(BUILD)/link_score
	@TRUCE_BUILD=$(BUILD) scripts/run-tests.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" test

# The server's tests again under ThreadSanitizer.
tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
	  EXTRA_LDFLAGS="-fsanitize=thread" build/tsan/truce \
	  build/tsan/http_concurrent
	@scripts/run-tsan-tests.sh

# The dashboard into $(BUILD)/web; web-browser also installs Chromium for
# the browser tests.
web:
	@TRUCE_BUILD=$(BUILD) scripts/build-web.sh --no-browser

web-browser:
	@TRUCE_BUILD=$(BUILD) scripts/build-web.sh

browser-test: $(BUILD)/truce web-browser
	@TRUCE_BUILD=$(BUILD) scripts/run-browser-tests.sh

# The unit and CLI suites again with every store on PostgreSQL 15.
test-pg: $(BUILD)/truce $(BUILD)/unit_tests $(BUILD)/http_concurrent $(BUILD)/http_slow $(BUILD)/http_trickle $(BUILD)/news_score $(BUILD)/link_score
	@TRUCE_BUILD=$(BUILD) scripts/run-tests-pg.sh

check:
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory test-pg
	@ASAN_OPTIONS=detect_leaks=1 $(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory tsan
	@$(MAKE) --no-print-directory browser-test
	@$(MAKE) --no-print-directory fuzz-short
	@scripts/summary.sh build/test-summary.txt build/pg-test-summary.txt \
	  build/asan/test-summary.txt \
	  build/tsan/test-summary.txt build/browser-summary.txt

demo: $(BUILD)/truce web
	@TRUCE_BIN=$(BUILD)/truce scripts/demo.sh

fuzz: $(BUILD)/config.mk
	@scripts/build-fuzz.sh

# The campaigns in short form, in `make check`: every target built, its
# crash files replayed, and fuzzed for 10 s.
fuzz-short: $(BUILD)/config.mk
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-10} scripts/build-fuzz.sh

bench: $(BUILD)/truce $(BUILD)/bench_ingest $(BUILD)/bench_extract $(BUILD)/bench_link
	@scripts/bench.sh

# The pictures of docs/img/, from the current build.
screenshots: $(BUILD)/truce web-browser
	@TRUCE_BUILD=$(BUILD) scripts/screenshots.sh

# make demo and make check on a Debian 12 root made by mmdebstrap
# (docs/fresh-check.md).
fresh-check:
	@scripts/fresh-check.sh

clean:
	rm -rf build demo.db demo.db-wal demo.db-shm

format:
	clang-format -i src/*.c src/*.h cli/*.c include/truce/*.h
