#!/bin/bash
# Hostile input: markup injection, path traversal, broken Unicode, sizes,
# hostile data reaching Lua; and the fuzz regression inputs, replayed.
# Every folio run's output is kept: none may hold a sanitizer report.
. "$(dirname "$0")/lib.sh"

FIX=$TOP/tests/fixtures/hostile
LOGS=$TMP/logs
mkdir -p "$LOGS"
nrun=0
# fol LOG ARGS...: run folio, output in $LOGS/LOG; returns its status
fol() {
	log=$LOGS/$1; shift
	"$FOLIO" "$@" >"$log" 2>&1
}
article() {	# article FILE TITLE DATE [EXTRA FRONT-MATTER LINES]
	mkdir -p "$(dirname "$1")"
	{ printf -- '---\ntitle: %s\ndate: %s\n' "$2" "$3"; [ -n "${4:-}" ] && printf '%s\n' "$4"; printf -- '---\nBody.\n'; } >"$1"
}
# no_markup DIR: nothing but the theme's own JSON-LD <script> and no javascript:/data: link
no_markup() {
	local bad
	bad=$(grep -rhoiE '<script[^>]*>' "$1" | grep -v '^<script type="application/ld+json">$' | head -n 3)
	[ -z "$bad" ] || { echo "script tag: $bad"; return 1; }
	for f in $(grep -rli '<script' "$1"); do
		[ "$(grep -oi '<script' "$f" | wc -l)" = "$(grep -oi '</script' "$f" | wc -l)" ] ||
		    { echo "$f: a </script> too many: JSON-LD broke out"; return 1; }
	done
	bad=$(grep -rliE '<(iframe|svg|object|embed|img src=x|b onmouseover|span onclick)|(href|src|action)=["'"'"']? *(javascript|data|vbscript):' "$1" | head -n 3)
	[ -z "$bad" ] || { echo "markup in: $bad"; grep -rhoiE '.{40}(<(iframe|svg|img src=x|b onmouseover|span onclick)|(href|src)="? *(javascript|data):).{20}' "$1" | head -n 3; return 1; }
	return 0
}
xml_ok() {	# every .xml file is well-formed
	local f
	command -v xmllint >/dev/null || return 0
	for f in $(find "$1" -name '*.xml'); do xmllint --noout "$f" || return 1; done
}

# --- markup injection through every field ------------------------------------
S=$TMP/xss
cp -R "$FIX" "$S"
fol xss build -C "$S" -o "$S/out"
check_rc "hostile site builds" $? "$LOGS/xss"
check "no markup reaches any page or feed" no_markup "$S/out"
check "feeds and sitemap stay well-formed XML" xml_ok "$S/out"
check "javascript: source url refused with file:line" grep -q "xss.md:9: warning: source url 'javascript:" "$LOGS/xss"
check "JaVaScRiPt: refused too" grep -q "JaVaScRiPt:alert" "$LOGS/xss"
check "data: url refused" grep -q "source url 'data:text/html" "$LOGS/xss"
check "url with a quote refused" grep -q 'source url .https://ok.example/"' "$LOGS/xss"
check "good url kept, & escaped" grep -rqF 'href="https://good.example/a?b=1&amp;c=2"' "$S/out/2019"
art=$(ls -d "$S"/out/2019/03/script-*/)
check "title shown escaped" has "$art/index.html" '&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;'
check "title escaped in <title>" grep -q '<title>&lt;script&gt;' "$art/index.html"
check "title escaped in the JSON-LD" has "$art/index.html" '\u003cscript\u003e'
check "raw HTML in the body is dropped" has "$art/index.html" 'raw HTML omitted'
check "author escaped" has "$art/index.html" '&lt;b onmouseover=alert'
check "site title escaped" grep -q 'Archive &lt;script&gt;' "$S/out/index.html"
check "title escaped in the feed" grep -q '&lt;script&gt;alert' "$S/out/atom.xml"
check "tag url is a plain slug" test -d "$S/out/tags/img-src-x-onerror-alert-tag"
check "source url is a plain slug" test -d "$S/out/sources/svg-onload-alert-source"
check "theme data: %s ]] quotes reach the page as text" has "$(ls -d "$S"/out/2019/03/lua-*/)index.html" \
    'Lua ]] [==[ %s %1 &quot; &#39; \ end -- comment'
check "unsafe_html: false is the default" hasnt "$art/index.html" '<iframe'

# --- path traversal -----------------------------------------------------------
P=$TMP/trav/site
mkdir -p "$P/content"
echo 'history: false' >"$P/folio.yaml"
long=$(printf 'x%.0s' $(seq 1 300))
i=0
for slug in '"../../etc"' '"/abs"' '".."' '"."' '""' "\"$long\"" '"a\0b"' '"index.html"' '"tags"' '"page"' \
    '"../../../../../../tmp/escaped"' '"a/../../b"' '"%2e%2e%2f"' '"\\\\..\\\\x"'; do
	i=$((i + 1))
	article "$P/content/s$i.md" "Same $i" 2019-03-07 "slug: $slug"
done
for t in '"../../etc"' '"/abs"' '".."' '"."' "\"$long\"" '"index.html"' '"a\0b"' '"/"' '"\\\\"'; do
	i=$((i + 1))
	article "$P/content/t$i.md" "Tagged $i" 2019-04-01 "tags: [$t]
sources: [{name: $t}]"
done
article "$P/content/d1.md" "Twin" 2019-05-01 "slug: twin"
article "$P/content/d2.md" "Twin" 2019-05-01 "slug: twin"
nart=$(ls "$P/content" | wc -l)
fol trav build -C "$P" -o "$TMP/trav/site/out"
check_rc "traversal site builds" $? "$LOGS/trav"
check "nothing written beside the site" test "$(ls "$TMP/trav")" = site
check "no etc/ or escaped/ anywhere" test -z "$(find "$TMP" -name etc -o -name escaped -o -name abs | grep -v '/out/')"
check "no '..' segment in any output path" test -z "$(find "$P/out" -name '..*' -o -name '.')"
n=$(find "$P/out/2019" -mindepth 3 -maxdepth 3 -path "*/2019/[01][0-9]/*/index.html" | wc -l)
check "every article has its own page ($nart)" test "$n" = "$nart"
check "a collision is reported" grep -q "slug 'twin' is already used" "$LOGS/trav"
check "the twin gets twin-2" test -f "$P/out/2019/05/twin-2/index.html"
check "tags/index.html is still the tag list" grep -q 'Tags' "$P/out/tags/index.html"
check "long slugs are cut (<= 255 bytes a segment)" test -z "$(find "$P/out" -regextype posix-extended -regex '.*/[^/]{256,}')"
check "traversal output is clean" no_markup "$P/out"

# --- Unicode ----------------------------------------------------------------
U=$TMP/uni
mkdir -p "$U/content"
echo 'history: false' >"$U/folio.yaml"
article "$U/content/a.md" "Café composé" 2020-01-01 "tags: [\"Café\", \"Cafe$(printf '\xcc\x81')\", \"$(printf '\xc2\xa0')Café$(printf '\xc2\xa0')\", \"Ca$(printf '\xe2\x80\x8b')fé\", \"CAFÉ\"]"
article "$U/content/b.md" "$(printf '\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xe2\x80\xae evil.exe')" 2020-01-02 "tags: [\"$(printf '\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d')\"]"
fol uni build -C "$U" -o "$U/out"
check_rc "unicode site builds" $? "$LOGS/uni"
check "composed, decomposed, NBSP, zero-width and upper-case Café fold to one tag" \
    test "$(ls "$U/out/tags" | grep -ci caf)" = 1
check "RTL-only tag gets a stable key" test -n "$(ls "$U/out/tags" | grep '^t-')"
B=$TMP/badutf
cp -R "$U" "$B"
rm -rf "$B/out"
printf -- '---\ntitle: "bad \xff\xfe"\ndate: 2020-01-03\n---\nx\n' >"$B/content/c.md"
printf -- '---\ntitle: "nul"\ndate: 2020-01-03\n---\nx\0y\n' >"$B/content/d.md"
fol badutf build -C "$B" -o "$B/out"
check "invalid UTF-8 fails the build" test $? = 1
check "invalid UTF-8 is named with file:line" grep -q 'c.md:2: not UTF-8' "$LOGS/badutf"
check "a NUL byte is named" grep -q 'd.md:5: NUL byte' "$LOGS/badutf"
check "no output from a failed build" test ! -e "$B/out"

# --- sizes ------------------------------------------------------------------
Z=$TMP/size
mkdir -p "$Z/content"
echo 'history: false' >"$Z/folio.yaml"
{ printf -- '---\ntitle: Big\ndate: 2020-02-02\n---\n'
  yes 'A paragraph of a very long article, with *emphasis* and a [link](https://example.org/).
' | head -c 52428800; } >"$Z/content/big.md"
/usr/bin/time -v "$FOLIO" build -C "$Z" -o "$Z/out" -j 2 >"$LOGS/big" 2>&1
check_rc "a 50 MB article builds" $? "$LOGS/big"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$LOGS/big")
lim=$((2500 * 1024)); case $FOLIO in *asan*) lim=$((6000 * 1024)) ;; esac
check "50 MB article: peak RSS ${rss:-?} kB under $lim kB" test "${rss:-0}" -gt 0 -a "${rss:-0}" -lt $lim
rm -rf "$Z/content/big.md" "$Z/out"
{ printf -- '---\ntitle: Many tags\ndate: 2020-02-02\ntags: ['; seq -s, 1 100000 | tr -d '\n'; printf ']\n---\nx\n'; } >"$Z/content/tags.md"
fol tags build -C "$Z" -o "$Z/out"
check "100,000 tags: refused" test $? = 1
check "100,000 tags: the message names the limit" grep -q "tags.md:.*'tags' has 100000 items; at most 10000" "$LOGS/tags"
rm -f "$Z/content/tags.md"
{ printf -- '---\ntitle: Over\ndate: 2020-02-02\n---\n'; head -c 70000000 /dev/zero | tr '\0' a; } >"$Z/content/over.md"
fol over build -C "$Z" -o "$Z/out"
check "an article over 64 MB is refused with its size" grep -q 'over.md: file is 700000[0-9]* bytes; the limit is 64 MB' "$LOGS/over"
rm -f "$Z/content/over.md"
n=10000; case $FOLIO in *asan*) n=3000 ;; esac
mkdir -p "$Z/content/same"
awk -v d="$Z/content/same" -v n=$n 'BEGIN { for (i = 1; i <= n; i++) { f = d "/a" i ".md"; printf "---\ntitle: Same title\ndate: 2019-05-01\n---\nBody %d\n", i >f; close(f) } }'
/usr/bin/time -v "$FOLIO" build -C "$Z" -o "$Z/out" -q >"$LOGS/same" 2>&1
check_rc "$n articles with one title and date build" $? "$LOGS/same"
check "each gets its own page" test "$(ls "$Z/out/2019/05" | grep -c '^same-title')" = $n
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$LOGS/same")
check "$n same-title articles: peak RSS ${rss:-?} kB under 1 GB" test "${rss:-0}" -gt 0 -a "${rss:-0}" -lt 1048576
rm -rf "$Z"

# --- nesting ----------------------------------------------------------------
# An unknown key's value reaches the theme as nested Lua tables, each level a
# slot of Lua's stack: 64 levels at most. Deeper flow collections are refused
# before libyaml loads them, whose scanner took minutes on 400,000 nested '['.
N=$TMP/nest
mkdir -p "$N/content"
printf 'title: Nest\nbase_url: https://example.org/\nhistory: false\n' >"$N/folio.yaml"
nested() { /usr/bin/python3 -c "import sys; n = int(sys.argv[1]); print(sys.argv[2] * n + '1' + sys.argv[3] * n)" "$@"; }
article "$N/content/deep.md" "Deep" 2020-03-03 "extra: $(nested 64 '[' ']')
map: $(nested 64 '{a: ' '}')"
fol nest64 build -C "$N" -o "$N/out"
check_rc "values nested 64 deep build" $? "$LOGS/nest64"
check "a value nested 64 deep reaches the theme (the JSON-LD is whole, the page written)" test -s "$N/out/2020/03/deep/index.html"
article "$N/content/deep.md" "Deep" 2020-03-03 "extra: $(nested 65 '[' ']')"
fol nest65 build -C "$N" -o "$N/out"
check "a value nested 65 deep: refused" test $? = 1
check "a value nested 65 deep: file, line and why" grep -q "deep.md:4: 'extra' is nested more than 64 levels deep" "$LOGS/nest65"
{ printf -- '---\ntitle: Block\ndate: 2020-03-03\nextra:\n'; i=1; while [ $i -le 70 ]; do printf '%*sk:\n' "$i" ''; i=$((i + 1)); done; printf '%*s- 1\n---\nx\n' 71 ''; } >"$N/content/deep.md"
fol block70 build -C "$N" -o "$N/out"
check "block maps nested 70 deep: refused, with file and line" grep -q "deep.md:[0-9]*: 'extra' is nested more than 64 levels deep" "$LOGS/block70"
article "$N/content/deep.md" "Deep" 2020-03-03 "extra: $(nested 400000 '[' ']')"
timeout 600 "$FOLIO" build -C "$N" -o "$N/out" >"$LOGS/nest400k" 2>&1
check "400,000 nested '[': refused" test $? = 1
check "400,000 nested '[': refused before loading, with file and line" \
    grep -q "deep.md:4: lists and maps nested more than 128 levels deep" "$LOGS/nest400k"
article "$N/content/deep.md" "\"$(nested 100000 '[' '')\"" 2020-03-03
fol quoted build -C "$N" -o "$N/out"
check_rc "a quoted title of 100,000 '[' is only text: builds" $? "$LOGS/quoted"
rm -f "$N/content/deep.md"
printf 'title: Nest\nbase_url: https://example.org/\nhistory: false\nmine: %s\n' "$(nested 65 '[' ']')" >"$N/folio.yaml"
article "$N/content/a.md" "A" 2020-03-03
fol conf65 build -C "$N" -o "$N/out"
check "folio.yaml: a value nested 65 deep, refused with its line" grep -q "folio.yaml:4: 'mine' is nested more than 64 levels deep" "$LOGS/conf65"
rm -rf "$N"

# --- many keys --------------------------------------------------------------
# A front matter of 80,000 unknown keys (under its 1 MB): each key was compared
# with every key before it (3 s at 40,000 keys); past 32 keys they go in a map.
K=$TMP/keys
mkdir -p "$K/content"
printf 'title: Keys\nbase_url: https://example.org/\nhistory: false\n' >"$K/folio.yaml"
keys() { /usr/bin/python3 -c "import sys; sys.stdout.write(''.join('k%d: 1\n' % i for i in range(int(sys.argv[1]))))" "$1"; }
{ printf -- '---\ntitle: Keys\ndate: 2020-04-04\n'; keys 80000; printf -- '---\nx\n'; } >"$K/content/keys.md"
fol keys80k build -C "$K" -o "$K/out"
check_rc "80,000 distinct keys build" $? "$LOGS/keys80k"
check "80,000 keys: the page is written" test -s "$K/out/2020/04/keys/index.html"
{ printf -- '---\ntitle: Keys\ndate: 2020-04-04\n'; keys 80000; printf -- 'k79998: again\n---\nx\n'; } >"$K/content/keys.md"
fol keysdup build -C "$K" -o "$K/out"
check "80,000 keys, one given twice: refused" test $? = 1
check "80,000 keys, one given twice: its line and name" grep -q "keys.md:80004: key 'k79998' is given twice" "$LOGS/keysdup"
rm -rf "$K"

# --- many aliases -----------------------------------------------------------
# Each new spelling was folded against every alias (9,000 tags against 50,000
# aliases: a second); the aliases are now indexed by their folded spelling,
# the first of a spelling winning as before.
A=$TMP/aliases
mkdir -p "$A/content"
/usr/bin/python3 - "$A" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/folio.yaml", "w") as f:
    f.write("title: Aliases\nbase_url: https://example.org/\nhistory: false\ntag_aliases:\n")
    f.write("  \"Cyber Security\": First\n  \"cyber-security\": Second\n")
    f.write("".join("  t%d: T%d\n" % (i, i % 100) for i in range(50000)))
with open(d + "/content/a.md", "w") as f:
    f.write("---\ntitle: A\ndate: 2020-05-05\ntags: [" + ", ".join("t%d" % i for i in range(9000)) + ", CYBER security]\n---\nx\n")
PY
fol aliases build -C "$A" -o "$A/out"
check_rc "9,000 tags and 50,000 aliases build" $? "$LOGS/aliases"
check "every tag lands on its alias's target: 101 tags" test "$(ls "$A/out/tags" | grep -vc '^index.html$')" = 101
check "two aliases of one folded spelling: the first wins" test -d "$A/out/tags/first" -a ! -e "$A/out/tags/second"
rm -rf "$A"

# --- fuzz regressions: every saved input, through its target -------------------
# The targets are built here with the suite's own objects and a small main().
objdir=${UNIT_DIR:-build/tests}; objdir=$TOP/${objdir%/tests}
[ -d "$objdir/src" ] || objdir=$TOP/build
if [ -d "$TOP/tests/fuzz/regressions" ] && [ -d "$objdir/src" ]; then
	flags=; case $FOLIO in *asan*) flags="-fsanitize=address,undefined" ;; esac
	pcs="libcmark-gfm lua5.4 libgit2 yaml-0.1 libmicrohttpd"
	objs=
	for c in $(cd "$TOP" && ls src/*.c src/*/*.c | grep -v '^src/main\.c$'); do
		o=$objdir/${c%.c}.o
		if [ ! -f "$o" ] || [ "$TOP/$c" -nt "$o" ]; then	# a source newer than the suite's build
			o=$TMP/obj/$(echo "$c" | tr / _).o
			mkdir -p "$TMP/obj"
			cc -std=gnu11 -g $flags -I"$TOP/src" $(pkg-config --cflags $pcs) -c -o "$o" "$TOP/$c" 2>>"$LOGS/cc_objs"
		fi
		objs="$objs $o"
	done
	printf '#include <stdio.h>\n#include <stdlib.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *, size_t);\nint main(int argc, char **argv) { for (int i = 1; i < argc; i++) { FILE *f = fopen(argv[i], "rb"); char *d = NULL; size_t n = 0, cap = 0, r; if (!f) return 2; do { if (n == cap) d = realloc(d, cap = cap ? 2 * cap : 65536); r = fread(d + n, 1, cap - n, f); n += r; } while (r > 0); fclose(f); LLVMFuzzerTestOneInput((const uint8_t *)d, n); free(d); } return 0; }\n' >"$TMP/replay.c"
	for dir in "$TOP"/tests/fuzz/regressions/*/; do
		t=$(basename "$dir")
		[ -n "$(ls "$dir")" ] || continue
		if cc -std=gnu11 -g $flags -Isrc -I"$TOP/src" -DFOLIO_TOP="\"$TOP\"" $(pkg-config --cflags $pcs) \
		    -o "$TMP/replay_$t" "$TOP/tests/fuzz/fuzz_$t.c" "$TMP/replay.c" $objs \
		    $(pkg-config --libs $pcs) -lcmark-gfm-extensions -lz -lm -pthread >"$LOGS/cc_$t" 2>&1; then
			for f in "$dir"*; do
				check "fuzz regression $t/$(basename "$f")" "$TMP/replay_$t" "$f"
			done
		else
			fail "build the $t replay" "$(head -c 400 "$LOGS/cc_$t")"
		fi
	done
fi

check "no sanitizer report in any folio run" test -z "$(grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$LOGS"/* 2>/dev/null)"
done_testing
