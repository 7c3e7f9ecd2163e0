# ntsec - a user-mode emulation of the Windows NT security reference monitor.
#
#   make            build build/libntsec.so.0, libntsec.a, the ntsec CLI, ntsec.pc
#   make check      install missing Debian packages, build, run every test,
#                   then the same suites under valgrind memcheck
#   make demo       install missing packages, build, run the demonstration
#   make bench      run the benchmarks
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS
#   make install    PREFIX=/usr/local DESTDIR=

CC       ?= gcc
CLANG    ?= clang
PREFIX   ?= /usr/local
DESTDIR  ?=
VERSION  := 0.1.0
SOVER    := 0
FUZZ_SECONDS ?= 30

WINE_INC := /usr/include/wine/wine/windows
WINFLAGS := -isystem $(WINE_INC) -isystem $(WINE_INC)/ddk \
            -D_NTSYSTEM_ -D_ADVAPI32_ -D_KERNEL32_ -D_OLE32_ -D_RPCRT4_
WARN     := -Wall -Wextra
CFLAGS   ?= -O2 -g
# The library is built with link-time optimisation: the access check calls
# small SID/ACL helpers across files, and LTO inlines them (about 1.7x on
# bench_access). Fat objects keep ordinary code too, so test programs link
# without re-running LTO.
LTOFLAGS ?= -flto=auto -ffat-lto-objects
AR       := gcc-ar
BASEFLAGS := -std=gnu11 $(WARN) -fPIC -pthread -Iinclude
LIBSEC_CFLAGS := $(BASEFLAGS) -Ilibsec
EMUL_CFLAGS   := $(BASEFLAGS) $(WINFLAGS)
# libcap (Linux capabilities -> privileges), libcrypt (password hashes of
# the account world), inih (the world file parser).
LDLIBS   := -lcap -lcrypt -linih -pthread

B := build

LIBSEC_SRC := $(sort $(wildcard libsec/*.c))
EMUL_SRC   := $(sort $(wildcard emul/*/*.c))
TOOL_SRC   := $(sort $(wildcard tools/*.c))
LIBSEC_OBJ := $(LIBSEC_SRC:%.c=$(B)/obj/%.o)
EMUL_OBJ   := $(EMUL_SRC:%.c=$(B)/obj/%.o)
TOOL_OBJ   := $(TOOL_SRC:%.c=$(B)/obj/%.o)
LIB_OBJ    := $(LIBSEC_OBJ) $(EMUL_OBJ)

# Tests: tests/test_<module>.c is one CUnit program; tests/test_emul_*.c
# include Wine's headers and call the Windows ABI.
TEST_SRC      := $(sort $(wildcard tests/test_*.c))
TEST_BIN      := $(TEST_SRC:tests/%.c=$(B)/tests/%)
TEST_RUNNER   := $(B)/obj/tests/runner.o

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

HEADERS := $(wildcard include/ntsec/*.h libsec/*.h emul/*/*.h tests/*.h tools/*.h)

.PHONY: all check check-tsan check-ubsan demo bench fuzz fuzz-corpus install clean deps test valgrind cli-test

all: $(B)/libntsec.so.$(SOVER) $(B)/libntsec.so $(B)/libntsec.a $(B)/ntsec $(B)/ntsec.pc

deps:
	@sh scripts/deps.sh

$(B)/obj/libsec/%.o: libsec/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(LIBSEC_CFLAGS) $(CFLAGS) $(LTOFLAGS) -c $< -o $@

$(B)/obj/emul/%.o: emul/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(EMUL_CFLAGS) $(CFLAGS) $(LTOFLAGS) -c $< -o $@

$(B)/obj/tools/%.o: tools/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CFLAGS) -c $< -o $@

# Only the public ABI leaves the shared library: the Windows names the emul/
# objects define, and ntsec_<noun>_<verb> (never ntsec__ internals).
$(B)/libntsec.map: $(LIB_OBJ) scripts/mkmap.sh
	sh scripts/mkmap.sh $(LIB_OBJ) > $@

$(B)/libntsec.so.$(SOVER): $(LIB_OBJ) $(B)/libntsec.map
	$(CC) -shared $(CFLAGS) $(LTOFLAGS) -Wl,-soname,libntsec.so.$(SOVER) \
	    -Wl,--version-script=$(B)/libntsec.map -Wl,--no-undefined -o $@ $(LIB_OBJ) $(LDLIBS)

$(B)/libntsec.so: $(B)/libntsec.so.$(SOVER)
	ln -sf libntsec.so.$(SOVER) $@

$(B)/libntsec.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/ntsec: $(TOOL_OBJ) $(B)/libntsec.a
	$(CC) -o $@ $(TOOL_OBJ) $(B)/libntsec.a $(LDLIBS)

# Uninstalled pkg-config file: points into this tree.
$(B)/ntsec.pc: scripts/ntsec.pc.in Makefile
	@mkdir -p $(B)
	sed -e 's|@PREFIX@|$(CURDIR)|' -e 's|@INCLUDEDIR@|$(CURDIR)/include|' \
	    -e 's|@LIBDIR@|$(abspath $(B))|' -e 's|@WINE_INC@|$(WINE_INC)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

# --- tests --------------------------------------------------------------

$(TEST_RUNNER): tests/runner.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) -Ilibsec $(CFLAGS) -c $< -o $@

$(B)/tests/test_emul_%: tests/test_emul_%.c $(TEST_RUNNER) $(B)/libntsec.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(EMUL_CFLAGS) $(CFLAGS) -Ilibsec -Itests -DNTSEC_SRCDIR='"$(CURDIR)"' -o $@ $< $(TEST_RUNNER) $(B)/libntsec.a -lcunit $(LDLIBS)

$(B)/tests/test_%: tests/test_%.c $(TEST_RUNNER) $(B)/libntsec.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(LIBSEC_CFLAGS) $(CFLAGS) -Itests -o $@ $< $(TEST_RUNNER) $(B)/libntsec.a -lcunit $(LDLIBS)

# A Win32 program built exactly as a user would: pkg-config and plain gcc.
$(B)/tests/win32_program: tests/win32/win32_program.c all
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $$(PKG_CONFIG_PATH=$(B) pkg-config --cflags --libs ntsec) -Wl,-rpath,$(abspath $(B))

# docs/examples/wmi_client.c, the WMI-style COM client, built the same way;
# its exit code is its verdict.
$(B)/tests/wmi_client: docs/examples/wmi_client.c all
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -o $@ $< $$(PKG_CONFIG_PATH=$(B) pkg-config --cflags --libs ntsec) -pthread -Wl,-rpath,$(abspath $(B))

WIN32_BIN := $(B)/tests/win32_program $(B)/tests/wmi_client

test: all $(TEST_BIN) $(WIN32_BIN)
	@sh tests/run.sh plain $(TEST_BIN) $(WIN32_BIN)

valgrind: all $(TEST_BIN) $(WIN32_BIN)
	@sh tests/run.sh valgrind $(TEST_BIN) $(WIN32_BIN)

cli-test: all
	@sh tests/cli.sh $(B)/ntsec

# The fuzz targets' seed corpora, replayed once each (no mutation): every
# crash found by `make fuzz` that is added to the corpus stays fixed.
fuzz-corpus: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); \
	    $$f -runs=0 tests/fuzz/corpus/$$n >/dev/null 2>$(B)/fuzz/$$n.log \
	    || { cat $(B)/fuzz/$$n.log; exit 1; }; echo "fuzz corpus $$n: ok"; done

# The multi-threaded tests again under ThreadSanitizer (clang), libsec
# built with it too (compiled once into its own archive): a data race
# fails the run.
TSAN_SRC := $(sort $(wildcard tests/test_*concurrency*.c tests/test_*stress*.c) tests/test_object_security.c tests/test_process.c tests/test_rpc.c tests/test_com.c tests/test_com_calls.c tests/test_com_sta.c tests/test_pipe_remote.c tests/test_rpc_remote.c)
TSAN_BIN := $(TSAN_SRC:tests/%.c=$(B)/tsan/%)
TSAN_FLAGS := -std=gnu11 -g -O1 -Iinclude -Ilibsec -Itests -fsanitize=thread -pthread
TSAN_LIB   := $(B)/tsan/libsec.a
TSAN_OBJ   := $(LIBSEC_SRC:%.c=$(B)/tsan/obj/%.o) $(B)/tsan/obj/tests/runner.o

$(B)/tsan/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(TSAN_FLAGS) -c $< -o $@

$(TSAN_LIB): $(TSAN_OBJ)
	rm -f $@
	ar rcs $@ $(TSAN_OBJ)

$(B)/tsan/%: tests/%.c $(TSAN_LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(TSAN_FLAGS) -o $@ $< $(B)/tsan/obj/tests/runner.o $(TSAN_LIB) -lcunit $(LDLIBS)

check-tsan: $(TSAN_BIN)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" sh tests/run.sh tsan $(TSAN_BIN)

# Every test program again under UndefinedBehaviorSanitizer (clang), libsec
# and emul built with it too: NULL to memcpy/memcmp/qsort, signed overflow,
# misaligned loads, bad shifts, bool/enum loads, out-of-bounds indexes.
# The library is compiled once into its own archive, as for TSan.
UBSAN_FLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -pthread -Iinclude -Ilibsec \
               -fsanitize=undefined -fno-sanitize-recover=all
UBSAN_LIB   := $(B)/ubsan/libntsec.a
UBSAN_OBJ   := $(LIBSEC_SRC:%.c=$(B)/ubsan/obj/%.o) $(EMUL_SRC:%.c=$(B)/ubsan/obj/%.o)
UBSAN_BIN   := $(TEST_SRC:tests/%.c=$(B)/ubsan/%) $(B)/ubsan/win32_program $(B)/ubsan/wmi_client

$(B)/ubsan/obj/libsec/%.o: libsec/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(UBSAN_FLAGS) -c $< -o $@

$(B)/ubsan/obj/emul/%.o: emul/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(UBSAN_FLAGS) $(WINFLAGS) -c $< -o $@

$(B)/ubsan/obj/tests/runner.o: tests/runner.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(UBSAN_FLAGS) -c $< -o $@

$(UBSAN_LIB): $(UBSAN_OBJ)
	rm -f $@
	ar rcs $@ $(UBSAN_OBJ)

$(B)/ubsan/test_emul_%: tests/test_emul_%.c $(B)/ubsan/obj/tests/runner.o $(UBSAN_LIB) $(HEADERS)
	$(CLANG) $(UBSAN_FLAGS) $(WINFLAGS) -Itests -DNTSEC_SRCDIR='"$(CURDIR)"' -o $@ $< \
	    $(B)/ubsan/obj/tests/runner.o $(UBSAN_LIB) -lcunit $(LDLIBS)

$(B)/ubsan/test_%: tests/test_%.c $(B)/ubsan/obj/tests/runner.o $(UBSAN_LIB) $(HEADERS)
	$(CLANG) $(UBSAN_FLAGS) -Itests -o $@ $< $(B)/ubsan/obj/tests/runner.o $(UBSAN_LIB) -lcunit $(LDLIBS)

# The two Win32 programs, with the flags `pkg-config --cflags ntsec` gives.
$(B)/ubsan/win32_program: tests/win32/win32_program.c $(UBSAN_LIB) $(HEADERS)
	$(CLANG) $(UBSAN_FLAGS) $(WINFLAGS) -o $@ $< $(UBSAN_LIB) $(LDLIBS)

$(B)/ubsan/wmi_client: docs/examples/wmi_client.c $(UBSAN_LIB) $(HEADERS)
	$(CLANG) $(UBSAN_FLAGS) $(WINFLAGS) -o $@ $< $(UBSAN_LIB) $(LDLIBS)

check-ubsan: $(UBSAN_BIN)
	@sh tests/run.sh ubsan $(UBSAN_BIN)

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory cli-test
	@$(MAKE) --no-print-directory fuzz-corpus
	@$(MAKE) --no-print-directory check-tsan
	@$(MAKE) --no-print-directory check-ubsan
	@$(MAKE) --no-print-directory valgrind

# `ntsec demo` ends with the COM chain; its diagrams are written once more
# to $(B)/demo_com.mmd and $(B)/demo_com.svg.
demo: deps
	@$(MAKE) --no-print-directory all
	./$(B)/ntsec demo
	@./$(B)/ntsec demo com --mermaid $(B)/demo_com.mmd --svg $(B)/demo_com.svg >/dev/null && \
	    echo "diagrams of the COM chain: $(B)/demo_com.mmd $(B)/demo_com.svg"

BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

# bench_impersonate calls the Windows ABI through Wine's headers.
$(B)/bench/bench_impersonate: BENCH_CFLAGS := $(WINFLAGS)

$(B)/bench/%: bench/%.c bench/bench.h bench/bench_count.h $(B)/libntsec.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(BENCH_CFLAGS) -O2 -g $(LTOFLAGS) -o $@ $< $(B)/libntsec.a -ldl $(LDLIBS)

# One Win32 source, two runtimes: gcc and libntsec (built as a user
# builds, with pkg-config), and mingw for Wine when mingw is installed.
MINGW_CC   ?= x86_64-w64-mingw32-gcc
BENCH_WIN32 := $(B)/bench/bench_impersonate_win32 \
               $(if $(shell command -v $(MINGW_CC)),$(B)/bench/bench_impersonate_win32.exe)

$(B)/bench/bench_impersonate_win32: bench/win32/bench_impersonate_win32.c bench/win32/perfcounter.c \
                                    $(B)/libntsec.so $(B)/ntsec.pc
	@mkdir -p $(dir $@)
	$(CC) -O2 $(WARN) -o $@ $(filter %.c,$^) -L$(B) $$(PKG_CONFIG_PATH=$(B) pkg-config --cflags --libs ntsec) \
	    -Wl,-rpath,$(abspath $(B))

$(B)/bench/bench_impersonate_win32.exe: bench/win32/bench_impersonate_win32.c
	@mkdir -p $(dir $@)
	$(MINGW_CC) -O2 $(WARN) -o $@ $< -ladvapi32

# Peers measured in the same run are installed by scripts/deps.sh bench.
# The impersonation chart goes to $(B)/bench_impersonate.svg (gnuplot).
bench: deps
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_BIN) $(BENCH_WIN32)
	@for b in $(BENCH_BIN); do $$b $(B)/$$(basename $$b).json || exit 1; done
	@sh scripts/bench_chart.sh $(B)/bench_impersonate.json $(B)/bench_impersonate.svg

# --- fuzzing (clang, libFuzzer + ASan + UBSan) -------------------------

FUZZ_FLAGS := -std=gnu11 -g -O1 -Iinclude -Ilibsec -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

$(B)/fuzz/%: tests/fuzz/%.c $(LIBSEC_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $< $(LIBSEC_SRC) $(LDLIBS)

fuzz: deps $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p $(B)/fuzz/corpus-$$n; \
	    echo "fuzzing $$n for $(FUZZ_SECONDS)s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        $(B)/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; done

# --- install ------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/ntsec \
	    $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(B)/libntsec.so.$(SOVER) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libntsec.so.$(SOVER) $(DESTDIR)$(PREFIX)/lib/libntsec.so
	install -m 644 $(B)/libntsec.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/ntsec/*.h $(DESTDIR)$(PREFIX)/include/ntsec/
	install -m 755 $(B)/ntsec $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(PREFIX)/include|' \
	    -e 's|@LIBDIR@|$(PREFIX)/lib|' -e 's|@WINE_INC@|$(WINE_INC)|' \
	    -e 's|@VERSION@|$(VERSION)|' scripts/ntsec.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ntsec.pc

clean:
	rm -rf $(B)
