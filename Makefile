# folio: a static-site generator for curated topical archives
# make            build ./folio
# make site       install missing Debian packages, build folio, build content/ into public/
# make test       install missing packages, build, run the whole suite (last line: N passed, N failed)
# make asan       the suite again with folio built under AddressSanitizer and UBSan
# make fuzz       libFuzzer targets (FUZZ_SECONDS=N each)
# make bench      folio against Hugo on generated archives (writes bench/RESULTS.md)

PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc

CMARK_PC	?= libcmark-gfm
LUA_PC		?= lua5.4
GIT2_PC		?= libgit2
YAML_PC		?= yaml-0.1
MHD_PC		?= libmicrohttpd
PKGS		 = $(CMARK_PC) $(LUA_PC) $(GIT2_PC) $(YAML_PC)
# libmicrohttpd is not linked: `folio serve` opens it by its soname (src/serve/mhd.c)
MHD_SONAME	?= $(shell objdump -p $$(pkg-config --variable=libdir $(MHD_PC) 2>/dev/null)/libmicrohttpd.so 2>/dev/null | \
		     awk '$$1 == "SONAME" { print $$2 }')

WARN	 = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Werror
OPT	?= -O2 -g
CFLAGS	+= -std=gnu11 $(OPT) $(WARN) -pthread -Isrc $(shell pkg-config --cflags $(PKGS) $(MHD_PC) 2>/dev/null)
CFLAGS	+= $(if $(MHD_SONAME),-DMHD_SONAME='"$(MHD_SONAME)"')
# cmark-gfm, Lua and libyaml are linked from the static archives their Debian -dev
# packages ship (a library without one is linked shared): their shared builds made
# a clean build at 10,000 articles 4% slower (scripts/bench-pair, 2 x 11 pairs,
# wall 0.953 and 0.961). `make STATIC_LIBS=` links all of them shared.
ARCHIVE_LIBS	 = cmark-gfm-extensions cmark-gfm lua5.4 yaml
STATIC_LIBS	?= $(ARCHIVE_LIBS)
LIBDIR		:= $(shell pkg-config --variable=libdir $(LUA_PC) 2>/dev/null)
link_lib	 = $(if $(and $(filter $(1),$(STATIC_LIBS)),$(wildcard $(LIBDIR)/lib$(1).a)),$(LIBDIR)/lib$(1).a,-l$(1))
LDLIBS	+= $(foreach l,$(ARCHIVE_LIBS),$(call link_lib,$(l)))
LDLIBS	+= $(shell pkg-config --libs $(GIT2_PC) 2>/dev/null) -lz -lm -ldl -pthread

SRCS	 = $(sort $(wildcard src/*.c src/*/*.c))
LIBSRCS	 = $(filter-out src/main.c,$(SRCS))
OBJDIR	?= build
OBJS	 = $(SRCS:%.c=$(OBJDIR)/%.o)
LIBOBJS	 = $(LIBSRCS:%.c=$(OBJDIR)/%.o)
HDRS	 = $(wildcard src/*.h src/*/*.h)

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(OBJDIR)/tests/%)

FOLIO	?= folio

.PHONY: all deps test-deps site test units asan fuzz bench install uninstall clean

all: $(FOLIO)

deps:
	@scripts/install-deps

test-deps: deps
	@scripts/install-test-deps

$(FOLIO): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(OBJDIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(OBJDIR)/tests/%: tests/unit/%.c tests/unit/check.h $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIBOBJS) $(LDLIBS)

units: $(UNIT_BINS)

site: deps
	$(MAKE) $(FOLIO)
	./$(FOLIO) build

test: test-deps
	$(MAKE) $(FOLIO) units
	scripts/run-tests

asan: test-deps
	$(MAKE) OBJDIR=build-asan FOLIO=folio-asan \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" folio-asan build-asan-units
	FOLIO_BIN=$(CURDIR)/folio-asan UNIT_DIR=build-asan/tests \
	    SANITIZER_LOG_DIR=$(CURDIR)/build-asan/sanitizer-logs scripts/run-tests

build-asan-units:
	$(MAKE) OBJDIR=build-asan FOLIO=folio-asan units

fuzz: deps
	scripts/fuzz $(FUZZ_SECONDS)

bench:
	@FOLIO_EXTRA_DEPS=hugo scripts/install-deps
	$(MAKE) $(FOLIO)
	scripts/bench

install: $(FOLIO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/folio/themes
	install -m 755 $(FOLIO) $(DESTDIR)$(PREFIX)/bin/folio
	cp -R themes/. $(DESTDIR)$(PREFIX)/share/folio/themes/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/folio
	rm -rf $(DESTDIR)$(PREFIX)/share/folio

clean:
	rm -rf build build-asan build-fuzz folio folio-asan tests/out
