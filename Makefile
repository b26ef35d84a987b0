# mp2c: translate Python multiprocessing scripts into standalone C11 programs.
#
#   make                 build/mp2c and build/libmp2crt.a (+ build/include/mp2c*.h)
#   make test            every test; the last line is "N passed, N failed"
#   make SANITIZE=1 test the same, with everything built under ASan and UBSan
#   make demo            translate, build and run examples/ next to CPython
#   make golden          rewrite tests/golden/*.expected and *.rc with CPython
#   make bench           paired CPython / mp2c benchmarks
#   make install PREFIX=/usr/local
#
# Sources are found by wildcard: gen/*.c is the translator, runtime/*.c the
# runtime library, tests/unit/test_*.c the cmocka tests.

TS_PY_VERSION   := 0.23.6
TS_PY_INTEGRITY := sha512-yIM9z0oxKIxT7bAtPOhgoVl6gTXlmlIhue7liFT4oBPF/lha7Ha4dQBS82Av6hMMRZoVnFJI8M6mL+SwWoLD3A==
GRAMMAR         := build/tree-sitter-python-$(TS_PY_VERSION)
VERSION         := 0.1.0

CC      ?= cc
PREFIX  ?= /usr/local
OPT     ?= -O2
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

ifeq ($(SANITIZE),1)
B       := build/san
OPT     := -O1
SANFL   := $(SAN_FLAGS)
else
B       := build
SANFL   :=
endif

BASEFLAGS := -std=c11 -D_GNU_SOURCE -g $(OPT) $(SANFL) -Wall -Wextra -pthread
TS_CFLAGS := $(shell pkg-config --cflags tree-sitter 2>/dev/null)
TS_LIBS   := $(shell pkg-config --libs tree-sitter 2>/dev/null || echo -ltree-sitter)
# -z now binds every library call at startup, so a forked child does not
# write the PLT entries of each call it makes for the first time.
RT_LIBS   := -lgmp -lm -pthread -lrt -Wl,-z,now

GEN_SRC   := $(wildcard gen/*.c)
GEN_OBJ   := $(GEN_SRC:%.c=$(B)/%.o)
GEN_LIB_OBJ := $(filter-out $(B)/gen/main.o $(B)/gen/driver.o,$(GEN_OBJ))
RT_SRC    := $(wildcard runtime/*.c)
RT_OBJ    := $(RT_SRC:%.c=$(B)/%.o)
RT_HDR    := $(wildcard runtime/mp2c*.h)
RT_INC    := $(RT_HDR:runtime/%=$(B)/include/%)
TMPL      := $(wildcard templates/*.c.tmpl)
GRAM_OBJ  := $(B)/grammar/parser.o $(B)/grammar/scanner.o
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps test unit golden demo bench valgrind install clean distclean
.DELETE_ON_ERROR:

all: $(B)/mp2c $(B)/libmp2crt.a $(RT_INC)

deps:
	@sh tools/deps.sh

build/.deps-ok: tools/deps.sh
	@sh tools/deps.sh
	@mkdir -p build && touch $@

build/.test-deps-ok: tools/deps.sh
	@sh tools/deps.sh test
	@mkdir -p build && touch $@

# --- the grammar: fetched, checked, never committed ------------------------
$(GRAMMAR)/src/parser.c: tools/fetch-grammar.sh | build/.deps-ok
	@sh tools/fetch-grammar.sh $(TS_PY_VERSION) $(TS_PY_INTEGRITY) $(GRAMMAR)
$(GRAMMAR)/src/scanner.c: $(GRAMMAR)/src/parser.c

# Third-party code: compiled with its own flags and without our warnings.
$(B)/grammar/%.o: $(GRAMMAR)/src/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g $(SANFL) -w -I$(GRAMMAR)/src -c $< -o $@

# --- the translator ---------------------------------------------------------
$(B)/gen/templates.inc: $(TMPL) tools/embed-templates.sh
	@mkdir -p $(dir $@)
	sh tools/embed-templates.sh $@ $(TMPL)

MP2C_DEFS := -DMP2C_VERSION='"$(VERSION)"' -DMP2C_SAN_FLAGS='"$(SANFL)"' \
             -DMP2C_RT_LIBS='"$(RT_LIBS)"'

$(B)/gen/%.o: gen/%.c $(wildcard gen/*.h) gen/modules.def $(B)/gen/templates.inc | build/.deps-ok $(GRAMMAR)/src/parser.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(TS_CFLAGS) $(MP2C_DEFS) -I$(B)/gen -Igen -c $< -o $@

$(B)/mp2c: $(GEN_OBJ) $(GRAM_OBJ)
	$(CC) $(BASEFLAGS) $^ $(TS_LIBS) -lgmp -o $@

# --- the runtime --------------------------------------------------------------
$(B)/runtime/%.o: runtime/%.c $(wildcard runtime/*.h) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) -Iruntime -c $< -o $@

$(B)/libmp2crt.a: $(RT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/include/%.h: runtime/%.h
	@mkdir -p $(dir $@)
	cp $< $@

# --- tests ------------------------------------------------------------------
$(B)/tests/test_%: tests/unit/test_%.c $(GEN_LIB_OBJ) $(GRAM_OBJ) $(B)/libmp2crt.a $(wildcard tests/unit/*.h) | build/.test-deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) -DUNIT_TESTING $(TS_CFLAGS) -I$(B)/gen -Igen -Iruntime -Itests/unit \
	    $< $(GEN_LIB_OBJ) $(GRAM_OBJ) $(B)/libmp2crt.a $(TS_LIBS) -lcmocka $(RT_LIBS) -o $@

unit: $(UNIT_BIN)

test: all unit
	@B=$(B) SANITIZE=$(SANITIZE) sh tests/run.sh

golden: all
	@B=$(B) sh tools/golden.sh

demo: all
	@B=$(B) sh tools/demo.sh

bench: all
	@B=$(B) sh bench/run.sh

valgrind: all unit
	@B=$(B) sh tools/valgrind.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 $(B)/mp2c $(DESTDIR)$(PREFIX)/bin/mp2c
	install -m 644 $(B)/libmp2crt.a $(DESTDIR)$(PREFIX)/lib/libmp2crt.a
	install -m 644 $(RT_HDR) $(DESTDIR)$(PREFIX)/include/

clean:
	rm -rf build/gen build/runtime build/grammar build/tests build/include build/mp2c build/libmp2crt.a build/san build/cache

distclean:
	rm -rf build
