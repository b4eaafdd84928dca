# truce - build, test, demo. `make` builds build/truce; `make check` runs
# every test (and again under ASan + UBSan); `make demo` runs the main job
# on the example data. Both install missing Debian packages first.

CC      ?= gcc
PKGS    := sqlite3 jansson proj gsl libsodium libmicrohttpd libutf8proc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
              $(shell geos-config --cflags 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
              $(shell geos-config --clibs 2>/dev/null) -lpthread -lm

WARN    := -Wall -Wextra -Werror -Wshadow -Wundef -Wwrite-strings \
           -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT     ?= -O2 -g
BUILD   ?= build
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

.PHONY: all deps check test unit cli-test asan tsan demo fuzz bench clean \
        format web browser-test

all: deps-quiet $(BUILD)/truce

deps:
	@scripts/install-deps.sh

deps-quiet:
	@scripts/install-deps.sh --quiet

$(BUILD)/%.o: %.c $(wildcard include/truce/*.h src/*.h cli/*.h server/*.h tests/unit/*.h)
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

$(BUILD)/http_concurrent: tests/http/concurrent.c
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -o $@ $< -lcurl -lpthread $(EXTRA_LDFLAGS)

# The unit runner and the CLI scripts, on one build.
test: $(BUILD)/truce $(BUILD)/unit_tests $(BUILD)/http_concurrent
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

web:
	@scripts/build-web.sh

browser-test: $(BUILD)/truce web
	@TRUCE_BUILD=$(BUILD) scripts/run-browser-tests.sh

check: deps-quiet
	@$(MAKE) --no-print-directory test
	@ASAN_OPTIONS=detect_leaks=1 $(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory tsan
	@$(MAKE) --no-print-directory browser-test
	@scripts/summary.sh build/test-summary.txt build/asan/test-summary.txt \
	  build/tsan/test-summary.txt build/browser-summary.txt

demo: deps-quiet $(BUILD)/truce web
	@scripts/demo.sh

fuzz: deps-quiet
	@scripts/build-fuzz.sh

bench: deps-quiet $(BUILD)/truce $(BUILD)/bench_ingest
	@scripts/bench.sh

clean:
	rm -rf build demo.db demo.db-wal demo.db-shm

format:
	clang-format -i src/*.c src/*.h cli/*.c include/truce/*.h
