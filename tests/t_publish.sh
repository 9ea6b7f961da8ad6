#!/bin/bash
# Publishing anywhere: base URL with a path, relative links, aliases, precompressed files.
. "$(dirname "$0")/lib.sh"

SITE=$TMP/site
cp -R "$TOP/tests/fixtures/site" "$SITE"
# give one article two old addresses
/usr/bin/python3 - "$SITE/content/2019/mallory.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("date: 2019-05-18\n", "date: 2019-05-18\naliases:\n  - https://old.blog.example/2019/05/mallory.html\n  - /old/mallory/\n", 1)
open(p, "w").write(s)
PY

# --- base_url with a path -------------------------------------------------
BASE=https://example.edu/~anna/archive/
"$FOLIO" build -q -C "$SITE" -o "$TMP/sub" --base-url "$BASE" 2>/dev/null
check "builds with --base-url" test -f "$TMP/sub/index.html"
check "every internal link carries the path and resolves" \
	/usr/bin/python3 "$TOP/tests/tools/linkcheck.py" "$TMP/sub" --base-path /~anna/archive/
bad=$(grep -rhoE '(href|src)="/[^"]*"' "$TMP/sub" --include='*.html' | grep -v '="/~anna/archive/' | head -3)
check "no root-relative link without the path" test -z "$bad"
check "canonical carries the full url" grep -q '<link rel="canonical" href="https://example.edu/~anna/archive/2019/05/ex-agent-jailed-a-case-study/">' "$TMP/sub/2019/05/ex-agent-jailed-a-case-study/index.html"
check "feed ids carry the path" grep -q '<id>https://example.edu/~anna/archive/2019/05/ex-agent-jailed-a-case-study/</id>' "$TMP/sub/atom.xml"
check "feed self link carries the path" grep -q 'rel="self" type="application/atom+xml" href="https://example.edu/~anna/archive/atom.xml"' "$TMP/sub/atom.xml"
check "tag feed links carry the path" grep -q 'href="https://example.edu/~anna/archive/tags/spying/"' "$TMP/sub/tags/spying/atom.xml"
check "sitemap loc carries the path" grep -q '<loc>https://example.edu/~anna/archive/tags/spying/</loc>' "$TMP/sub/sitemap.xml"
n_loc=$(grep -c '<loc>' "$TMP/sub/sitemap.xml")
n_ok=$(grep -c '<loc>https://example.edu/~anna/archive/' "$TMP/sub/sitemap.xml")
check "every sitemap loc carries the path" test "$n_loc" = "$n_ok"
check "stylesheet url carries the path" grep -qE 'href="/~anna/archive/style\.[0-9a-f]{6}\.css"' "$TMP/sub/index.html"
check "robots.txt sitemap url" grep -q 'Sitemap: https://example.edu/~anna/archive/sitemap.xml' "$TMP/sub/robots.txt"
check_fails "a bad --base-url is refused" "$FOLIO" build -q -C "$SITE" -o "$TMP/x" --base-url 'ftp:/x'

# --- relative links --------------------------------------------------------
"$FOLIO" build -q -C "$SITE" -o "$TMP/rel" --relative 2>/dev/null
check "builds with --relative" test -f "$TMP/rel/index.html"
check "every link is relative and resolves from its page" \
	/usr/bin/python3 "$TOP/tests/tools/linkcheck.py" "$TMP/rel" --relative
check "article links its tag relatively" grep -q 'href="../../../tags/spying/index.html"' "$TMP/rel/2019/05/ex-agent-jailed-a-case-study/index.html"
check "feeds keep absolute urls" grep -q '<id>https://example.org/' "$TMP/rel/atom.xml"
sed 's/^per_page: 3/per_page: 3\nrelative_links: true/' "$SITE/folio.yaml" >"$TMP/relcfg.yaml"
"$FOLIO" build -q -C "$SITE" -c "$TMP/relcfg.yaml" -o "$TMP/rel2" 2>/dev/null
check "relative_links: true in folio.yaml does the same" cmp -s "$TMP/rel/index.html" "$TMP/rel2/index.html"
# the site works from a copy anywhere, opened from disk
mkdir -p "$TMP/elsewhere/deep/folder" && cp -R "$TMP/rel" "$TMP/elsewhere/deep/folder/site"
check "links still resolve after moving the folder" \
	/usr/bin/python3 "$TOP/tests/tools/linkcheck.py" "$TMP/elsewhere/deep/folder/site" --relative
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	fail "file:// stylesheet" "chromium is not installed (scripts/install-deps installs it for the tests)"
else
	page="$TMP/elsewhere/deep/folder/site/2019/05/ex-agent-jailed-a-case-study/index.html"
	# a probe script writes the computed style into the DOM
	cp "$page" "$TMP/probe.html.orig"
	/usr/bin/python3 - "$page" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("</body>", "<script>document.body.setAttribute('data-probe', getComputedStyle(document.body).fontFamily + '|' + getComputedStyle(document.querySelector('.site-header')).borderBottomStyle);</script></body>")
open(p, "w").write(s)
PY
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/chrome" --allow-file-access-from-files --dump-dom "file://$page" >"$TMP/dom.html" 2>/dev/null
	grep -o "data-probe=\"[^\"]*\"" "$TMP/dom.html" >&2
	check "file:// page loads in chromium" grep -q 'data-probe=' "$TMP/dom.html"
	check "file:// stylesheet applied (computed style differs from the default)" \
		bash -c "grep -o 'data-probe=\"[^\"]*\"' '$TMP/dom.html' | grep -qv 'Times New Roman|none' && grep -o 'data-probe=\"[^\"]*\"' '$TMP/dom.html' | grep -q 'solid'"
fi

# --- aliases ---------------------------------------------------------------
OUT=$TMP/sub
check "redirect page at the old .html path" test -f "$OUT/2019/05/mallory.html"
check "redirect page at the old folder path" test -f "$OUT/old/mallory/index.html"
check "redirect refreshes to the article" grep -q 'http-equiv="refresh" content="0; url=/~anna/archive/2019/05/ex-agent-jailed-a-case-study/"' "$OUT/2019/05/mallory.html"
check "redirect names the canonical url" grep -q 'rel="canonical" href="https://example.edu/~anna/archive/2019/05/ex-agent-jailed-a-case-study/"' "$OUT/old/mallory/index.html"
check "the redirect's target exists" test -f "$OUT/2019/05/ex-agent-jailed-a-case-study/index.html"
check "_redirects lists both" test "$(grep -c ' /~anna/archive/2019/05/ex-agent-jailed-a-case-study/ 301$' "$OUT/_redirects")" = 2
check "relative redirect resolves" grep -q 'url=../../2019/05/ex-agent-jailed-a-case-study/index.html' "$TMP/rel/old/mallory/index.html"
# an alias onto a real page is an error naming both files
cp -R "$SITE" "$TMP/col"
/usr/bin/python3 - "$TMP/col/content/2019/lee.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("date: 2019-05-06\n", "date: 2019-05-06\naliases: [/2019/05/ex-agent-jailed-a-case-study/]\n", 1)
open(p, "w").write(s)
PY
"$FOLIO" build -C "$TMP/col" -o "$TMP/col-out" >"$TMP/col.log" 2>&1
check "alias onto a page fails the build" test $? = 1
check "the message names both files" grep -q "content/2019/lee.md: alias '/2019/05/ex-agent-jailed-a-case-study/' collides with the page /2019/05/ex-agent-jailed-a-case-study/index.html of .*content/2019/mallory.md" "$TMP/col.log"
check "nothing written on failure" test ! -e "$TMP/col-out"
# two articles claiming one old address
cp -R "$SITE" "$TMP/col2"
/usr/bin/python3 - "$TMP/col2/content/2019/lee.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("date: 2019-05-06\n", "date: 2019-05-06\naliases: [/old/mallory/]\n", 1)
open(p, "w").write(s)
PY
"$FOLIO" build -C "$TMP/col2" -o "$TMP/col2-out" >"$TMP/col2.log" 2>&1
check "one alias on two articles fails" grep -qE "content/2019/(lee|mallory).md: alias '/old/mallory/' is also an alias of .*content/2019/(lee|mallory).md" "$TMP/col2.log"
check_fails "an alias '..' is refused" bash -c "cp -R '$SITE' '$TMP/col3' && sed -i 's|^date: 2019-05-06|date: 2019-05-06\naliases: [\"/../../etc/passwd\"]|' '$TMP/col3/content/2019/lee.md' && '$FOLIO' build -q -C '$TMP/col3' -o '$TMP/col3-out'"

# --- precompressed copies ----------------------------------------------------
printf 'precompress: true\n' >>"$SITE/folio.yaml"
"$FOLIO" build -q -C "$SITE" -o "$TMP/gz" 2>/dev/null
check "index.html.gz written" test -f "$TMP/gz/index.html.gz"
check "style.css.gz written" bash -c "ls '$TMP/gz' | grep -qE '^style\.[0-9a-f]{6}\.css\.gz$'"
check "atom.xml.gz written" test -f "$TMP/gz/atom.xml.gz"
check "small files are not compressed" test ! -e "$TMP/gz/robots.txt.gz"
bad=0
for gz in $(find "$TMP/gz" -name '*.gz'); do
	zcat "$gz" | cmp -s - "${gz%.gz}" || bad=$((bad + 1))
done
check "every .gz decompresses to the same bytes" test "$bad" = 0
check "gz copies are the same from build to build" bash -c "'$FOLIO' build -q -C '$SITE' -o '$TMP/gz2' 2>/dev/null && cmp '$TMP/gz/index.html.gz' '$TMP/gz2/index.html.gz'"

# --- fingerprinted assets -----------------------------------------------------
css_name() { ls "$1" | grep -E '^style\.[0-9a-f]{6}\.css$'; }
a=$(css_name "$TMP/gz")
check "stylesheet has a content hash in its name" test -n "$a"
check "no unhashed style.css" test ! -e "$TMP/gz/style.css"
check "every page refers to the hashed name" bash -c "! grep -rL --include='*.html' '$a' '$TMP/gz' | grep -v -e '/20[0-9][0-9]/05/mallory.html' -e '/old/mallory/' | grep -q ."
"$FOLIO" build -q -C "$SITE" -o "$TMP/fp2" 2>/dev/null
check "same bytes, same name" test "$(css_name "$TMP/fp2")" = "$a"
mkdir -p "$SITE/static"
cp "$TOP/themes/default/static/style.css" "$SITE/static/style.css"
printf '\n/* site override */\n' >>"$SITE/static/style.css"
"$FOLIO" build -q -C "$SITE" -o "$TMP/fp3" 2>/dev/null
b=$(css_name "$TMP/fp3")
check "changed file, new name" test -n "$b" -a "$b" != "$a"
check "the site's static/ overrides the theme's" grep -q 'site override' "$TMP/fp3/$b"
check "pages refer to the new name" grep -q "$b" "$TMP/fp3/index.html"
check "links resolve with the new name" /usr/bin/python3 "$TOP/tests/tools/linkcheck.py" "$TMP/fp3"
rm -rf "$SITE/static"

done_testing
