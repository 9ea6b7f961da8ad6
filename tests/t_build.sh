#!/bin/bash
# folio build: the fixture site end to end, bad input, atomic output.
. "$(dirname "$0")/lib.sh"

FIX=$TOP/tests/fixtures/site
SITE=$TMP/site
cp -R "$FIX" "$SITE"
OUT=$TMP/out

check "folio --version" "$FOLIO" --version
check "folio --help" "$FOLIO" --help
check "folio build --help" "$FOLIO" build --help
check_fails "unknown command" "$FOLIO" frobnicate

# --- a clean build ---------------------------------------------------------
"$FOLIO" build -C "$SITE" -o "$OUT" >"$TMP/build.log" 2>&1
check_rc "fixture builds" $? "$TMP/build.log"
check "summary line" grep -qE '^folio: 12 articles, [0-9]+ pages \([0-9]+ unchanged\), [0-9]+ feeds' "$TMP/build.log"
check "the only warning is the javascript: url" test "$(grep -c warning "$TMP/build.log")" = 1
check "javascript: url reported with file:line" grep -q 'content/2020/hostile.md:7: warning: source url' "$TMP/build.log"

for f in index.html 404.html atom.xml sitemap.xml robots.txt tags/index.html \
    sources/index.html archive/index.html changes/index.html changes/atom.xml; do
	check "writes $f" test -s "$OUT/$f"
done

check "writes the fingerprinted stylesheet" bash -c "ls '$OUT' | grep -qE '^style\.[0-9a-f]{6}\.css$'"

# every article has its page, at /year/month/slug/
n=$(find "$OUT" -path '*/20[0-9][0-9]/[01][0-9]/*/index.html' | wc -l)
check "12 article pages" test "$n" = 12
check "slug from the title, accents transliterated" test -f "$OUT/2021/03/lete-a-pekin-une-enquete/index.html"

# tags and sources fold case, spacing, accents; aliases apply
check "tag 'Spying' and 'spying' are one term" test -f "$OUT/tags/spying/index.html"
check "no second spying tag" test ! -e "$OUT/tags/spying-2"
check "tag alias 'cyber security' -> cybersecurity" bash -c "! ls '$OUT/tags' | grep -q 'cyber-security'"
check "Été and ete fold into one tag" bash -c "test \$(ls '$OUT/tags' | grep -c '^ete') = 1"
check "tag page shows the most frequent spelling" grep -q '<h1>Tag: Été</h1>' "$OUT/tags/ete/index.html"
check "source alias REUTERS -> Reuters" grep -q 'Source: Reuters' "$OUT/sources/reuters/index.html"
check "source alias 'South China Morning Post' -> SCMP" test -f "$OUT/sources/scmp/index.html"
check "no page for the variant spelling" test ! -e "$OUT/sources/south-china-morning-post"
check "Reuters page lists 3 articles" grep -q '3 articles' "$OUT/sources/reuters/index.html"

# every tag, source, year and month of the content has its page
tags_expected="b-bold-b cybersecurity ete huawei spying technologie technology"
for t in $tags_expected; do check "tag page $t" test -f "$OUT/tags/$t/index.html"; done
check "no other tag pages" test "$(ls -d "$OUT"/tags/*/ | wc -l)" = 7
for s in central-news-agency evil-i-outlet-i le-monde reuters scmp the-bbc xinhua; do
	check "source page $s" test -f "$OUT/sources/$s/index.html"
	check "source feed $s" test -f "$OUT/sources/$s/atom.xml"
done
for y in 2019 2020 2021; do check "year page $y" test -f "$OUT/$y/index.html"; done
for m in 2019/01 2019/02 2019/05 2019/07 2019/09 2020/04 2020/06 2021/02 2021/03; do
	check "month page $m" test -f "$OUT/$m/index.html"
done

# pagination at per_page = 3
check "home has 4 pages (12 / 3)" test -f "$OUT/page/4/index.html"
check "no page 5" test ! -e "$OUT/page/5"
check "home page 1 lists 3 items" test "$(grep -c '<li class="item">' "$OUT/index.html")" = 3
check "home page 4 lists 3 items" test "$(grep -c '<li class="item">' "$OUT/page/4/index.html")" = 3
check "2019 (7 articles) has 3 pages" test -f "$OUT/2019/page/3/index.html"
check "2019 page 3 lists 1 item" test "$(grep -c '<li class="item">' "$OUT/2019/page/3/index.html")" = 1
check "pager links next" grep -q 'rel="next" href="/page/2/"' "$OUT/index.html"
check "pager links prev to page 1" grep -q 'rel="prev" href="/"' "$OUT/page/2/index.html"
check "spying has 2 pages" test -f "$OUT/tags/spying/page/2/index.html"

# newest first
first=$(grep -o '<h2><a href="[^"]*"' "$OUT/index.html" | head -1)
check "home starts with the newest article" test "$first" = '<h2><a href="/2021/03/lete-a-pekin-une-enquete/"'

# article pages link to tags, sources, month, neighbours
A=$OUT/2019/05/ex-agent-jailed-a-case-study/index.html
check "article h1" grep -q '<h1>Ex-agent jailed: a case study</h1>' "$A"
check "article links its tag" grep -q 'href="/tags/spying/"' "$A"
check "article links its source page" grep -q 'href="/sources/the-bbc/"' "$A"
check "article links the source url" grep -q 'href="https://bbc.example/a"' "$A"
check "article links its month" grep -q 'href="/2019/05/"' "$A"
check "article links next" grep -q 'rel="next" href="/2019/07/brics-cooperation-a-strategic-choice/"' "$A"
check "article links prev" grep -q 'rel="prev" href="/2019/05/ex-agent-admits-spying/"' "$A"
check "authors shown, UTF-8 intact" grep -q 'John Roe, Zoë Müller' "$A"
check "headline shown" grep -q 'Ex-CIA agent jailed for 20 years' "$A"
check "markdown rendered" grep -q '<h2>A subheading</h2>' "$A"
check "smart punctuation" grep -q '’\|“' "$OUT/2019/09/eu-and-japan-guardians-of-universal-values/index.html"
check "French article title" grep -q "L’été à Pékin\|L'été à Pékin\|L&#39;été à Pékin" "$OUT/2021/03/lete-a-pekin-une-enquete/index.html"

# every internal link resolves
check "every internal link resolves" /usr/bin/python3 "$TOP/tests/tools/linkcheck.py" "$OUT"

# feeds and sitemap are well-formed and hold the right entries
for f in $(cd "$OUT" && find . -name '*.xml'); do
	check "well-formed $f" xmllint --noout "$OUT/$f"
done
check "atom.xml has 12 entries" test "$(grep -c '<entry>' "$OUT/atom.xml")" = 12
check "atom entry id is the absolute url" grep -q '<id>https://example.org/2019/05/ex-agent-jailed-a-case-study/</id>' "$OUT/atom.xml"
check "tag feed has only its entries" test "$(grep -c '<entry>' "$OUT/tags/huawei/atom.xml")" = 2
check "sitemap lists every article" test "$(grep -c '<loc>https://example.org/20[0-9][0-9]/[01][0-9]/[^<]*/</loc>' "$OUT/sitemap.xml")" = 12
check "sitemap lists tag pages" grep -q '<loc>https://example.org/tags/spying/</loc>' "$OUT/sitemap.xml"
check "sitemap has lastmod" grep -q '<lastmod>20[0-9][0-9]-[01][0-9]-[0-3][0-9]</lastmod>' "$OUT/sitemap.xml"
check "robots.txt names the sitemap" grep -q 'Sitemap: https://example.org/sitemap.xml' "$OUT/robots.txt"

# the hostile title is escaped everywhere it appears
bad=$(grep -rl '<script>alert(1)' "$OUT" || true)
check "no raw <script>alert(1) in any output file" test -z "$bad"
check "hostile title escaped on its page" grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;' "$OUT/2020/06/script-alert-1-script-quotes/index.html"
check "hostile title escaped in the feed" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$OUT/atom.xml"
check "hostile tag escaped" grep -q '&lt;b&gt;bold&lt;/b&gt;' "$OUT/tags/index.html"
check "hostile author escaped" grep -q 'By &lt;img src=x onerror=alert(1)&gt;' "$OUT/2020/06/script-alert-1-script-quotes/index.html"
check "raw HTML in the body is dropped" grep -q 'raw HTML omitted' "$OUT/2020/06/script-alert-1-script-quotes/index.html"
check "javascript: link in the body neutralised" bash -c "! grep -rq 'href=\"javascript:' '$OUT'"
check "JSON-LD escapes <" grep -q '\\u003cscript\\u003e' "$OUT/2020/06/script-alert-1-script-quotes/index.html"

# French labels follow language
sed 's/^language: en/language: fr/' "$SITE/folio.yaml" >"$TMP/fr.yaml"
"$FOLIO" build -q -C "$SITE" -c "$TMP/fr.yaml" -o "$TMP/out-fr" 2>/dev/null
check "French build" test -f "$TMP/out-fr/index.html"
check "French dates" grep -q '18 mai 2019' "$TMP/out-fr/2019/05/ex-agent-jailed-a-case-study/index.html"
check "French labels" grep -q 'Étiquettes' "$TMP/out-fr/index.html"
check "html lang fr" grep -q '<html lang="fr">' "$TMP/out-fr/index.html"

# drafts are left out unless --drafts
printf -- '---\ntitle: A draft\ndate: 2021-04-01\ndraft: true\n---\nNot yet.\n' >"$SITE/content/2021/draft.md"
"$FOLIO" build -q -C "$SITE" -o "$TMP/out-d" 2>/dev/null
check "draft left out" test ! -e "$TMP/out-d/2021/04"
"$FOLIO" build -q --drafts -C "$SITE" -o "$TMP/out-d" 2>/dev/null
check "draft built with --drafts" test -f "$TMP/out-d/2021/04/a-draft/index.html"
rm "$SITE/content/2021/draft.md"

# slug collisions get -2 with a warning
printf -- '---\ntitle: Ex-agent admits spying\ndate: 2019-05-20\n---\nSame title.\n' >"$SITE/content/2019/dup.md"
"$FOLIO" build -C "$SITE" -o "$TMP/out-dup" 2>"$TMP/dup.log"
check "collision builds" test -f "$TMP/out-dup/2019/05/ex-agent-admits-spying-2/index.html"
check "collision warned with both files" grep -q "dup.md: warning: slug 'ex-agent-admits-spying' is already used by .*lee.md" "$TMP/dup.log"
rm "$SITE/content/2019/dup.md"

# --- bad input: message with file:line, exit 1, previous output untouched ---
snapshot() { (cd "$OUT" && find . -type f -exec md5sum {} + | sort) >"$1"; }
snapshot "$TMP/before"
bad_case() {	# name, file content (printf format), expected message (grep -E)
	name=$1; shift
	rm -f "$SITE"/content/bad.md
	printf -- "$1" >"$SITE/content/bad.md"
	"$FOLIO" build -C "$SITE" -o "$OUT" >"$TMP/bad.log" 2>&1
	rc=$?
	check "$name: exit 1" test "$rc" = 1
	check "$name: message" grep -qE -- "$2" "$TMP/bad.log"
	snapshot "$TMP/after"
	check "$name: previous output untouched" cmp -s "$TMP/before" "$TMP/after"
	check "$name: no staging left" bash -c "! ls -d '$OUT'.staging-* 2>/dev/null"
	rm -f "$SITE/content/bad.md"
}
bad_case "broken YAML" '---\ntitle: [unclosed\ndate: 2020-01-01\n---\nbody\n' 'content/bad.md:[0-9]+: broken YAML'
bad_case "missing title" '---\ndate: 2020-01-01\n---\nbody\n' "content/bad.md:1: missing required key 'title'"
bad_case "impossible date" '---\ntitle: X\ndate: 2021-13-40\n---\nbody\n' "content/bad.md:3: date '2021-13-40' is not a real date"
bad_case "30 February" '---\ntitle: X\ndate: 2019-02-30\n---\nbody\n' "content/bad.md:3: date '2019-02-30' is not a real date"
bad_case "not UTF-8" '---\ntitle: caf\xe9\ndate: 2020-01-01\n---\nbody\n' 'content/bad.md:2: not UTF-8'
bad_case "empty file" '' 'content/bad.md: empty file'
bad_case "no front matter" 'just text\n' "content/bad.md:1: no front matter"
bad_case "unclosed front matter" '---\ntitle: X\ndate: 2020-01-01\nbody\n' 'content/bad.md:1: front matter is not closed'
bad_case "tags not a list" '---\ntitle: X\ndate: 2020-01-01\ntags: {a: b}\n---\nbody\n' "content/bad.md:4: 'tags' must be a list"
bad_case "source without name" '---\ntitle: X\ndate: 2020-01-01\nsources:\n  - url: https://a.example/\n---\nbody\n' "content/bad.md:5: a source needs a 'name'"
bad_case "key twice" '---\ntitle: X\ntitle: Y\ndate: 2020-01-01\n---\nbody\n' "content/bad.md:3: key 'title' is given twice"

# a 10 MB line: builds (no limit is hit), or fails with a message; never crashes
/usr/bin/python3 -c "
import sys
sys.stdout.write('---\ntitle: Long line\ndate: 2020-02-02\n---\n' + 'x' * (10*1024*1024) + '\n')" >"$SITE/content/long.md"
"$FOLIO" build -q -C "$SITE" -o "$TMP/out-long" >"$TMP/long.log" 2>&1
check_rc "10 MB line: the build succeeds" $? "$TMP/long.log"
check "10 MB line: its page is written" test -f "$TMP/out-long/2020/02/long-line/index.html"
rm "$SITE/content/long.md"
/usr/bin/python3 -c "
import sys
sys.stdout.write('---\ntitle: \"' + 'y' * (2*1024*1024) + '\"\ndate: 2020-02-02\n---\nbody\n')" >"$SITE/content/long.md"
"$FOLIO" build -q -C "$SITE" -o "$OUT" >"$TMP/long.log" 2>&1
check "2 MB front matter refused" grep -q 'content/long.md:2: front matter longer than' "$TMP/long.log"
rm "$SITE/content/long.md"

# --keep-going reports every error and still fails
printf -- '---\ndate: 2020-01-01\n---\n' >"$SITE/content/bad1.md"
printf -- '---\ntitle: X\ndate: 2020-02-31\n---\n' >"$SITE/content/bad2.md"
"$FOLIO" build -k -C "$SITE" -o "$OUT" >"$TMP/kg.log" 2>&1
check "keep-going exits 1" test $? = 1
check "keep-going reports the first" grep -q 'bad1.md:1:' "$TMP/kg.log"
check "keep-going reports the second" grep -q 'bad2.md:3:' "$TMP/kg.log"
check "keep-going counts" grep -q 'build failed with 2 errors' "$TMP/kg.log"
snapshot "$TMP/after"
check "keep-going: output untouched" cmp -s "$TMP/before" "$TMP/after"
rm "$SITE/content/bad1.md" "$SITE/content/bad2.md"

# broken folio.yaml
cp "$SITE/folio.yaml" "$TMP/good.yaml"
printf 'title: X\nper_page: lots\n' >"$SITE/folio.yaml"
"$FOLIO" build -C "$SITE" -o "$OUT" >"$TMP/cfg.log" 2>&1
check "bad per_page: exit 1" test $? = 1
check "bad per_page: message" grep -q "folio.yaml:2: 'per_page' must be a number" "$TMP/cfg.log"
cp "$TMP/good.yaml" "$SITE/folio.yaml"

# a rebuild with nothing changed gives the same bytes
"$FOLIO" build -q -C "$SITE" -o "$OUT" 2>/dev/null
snapshot "$TMP/again"
check "rebuild is byte-identical" cmp -s "$TMP/before" "$TMP/again"

# --- tags without Latin letters keep the key they had in earlier versions ---
# (FNV-1a of the folded name: a published URL must not move with folio's own hashes)
mkdir -p "$TMP/nonlatin/content"
printf 'title: T\nbase_url: https://t.example/\n' >"$TMP/nonlatin/folio.yaml"
printf -- '---\ntitle: Un\ndate: 2020-01-01\ntags: [中国, Кибер]\n---\nBody.\n' >"$TMP/nonlatin/content/a.md"
"$FOLIO" build -q -C "$TMP/nonlatin" -o "$TMP/nonlatin/out" 2>/dev/null
check "non-Latin tag key is stable (中国)" test -f "$TMP/nonlatin/out/tags/t-d742718f/index.html"
check "non-Latin tag key is stable (Кибер)" test -f "$TMP/nonlatin/out/tags/t-ddfd775a/index.html"

# --- the archive's own content builds without a warning ---------------------
if [ -d "$TOP/content" ] && [ -n "$(find "$TOP/content" -name '*.md' | head -1)" ]; then
	"$FOLIO" build -C "$TOP" -o "$TMP/archive" >"$TMP/archive.log" 2>&1
	check_rc "archive builds" $? "$TMP/archive.log"
	check "archive builds without warnings" bash -c "! grep -q warning '$TMP/archive.log'"
	check "archive links resolve" /usr/bin/python3 "$TOP/tests/tools/linkcheck.py" "$TMP/archive" --base-path /clippings/
else
	fail "archive content" "content/ is empty"
fi

done_testing
