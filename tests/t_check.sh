#!/bin/bash
# t_check.sh: folio check: one fixture per finding kind, each message asserted.
. "$(dirname "$0")/lib.sh"

F=$TOP/tests/fixtures/check
cp -R "$F/site" "$TMP/site"
cp -R "$F/clean" "$TMP/clean"

# a clean site passes, and --external lists its external links on stdout
check "clean fixture builds" "$FOLIO" build -C "$TMP/clean" -q
check "clean fixture passes" "$FOLIO" check -C "$TMP/clean"
"$FOLIO" check -C "$TMP/clean" --external >"$TMP/ext.txt" 2>"$TMP/ext.err"
check "--external lists source urls" has "$TMP/ext.txt" "https://www.reuters.com/a"
check "--external lists localhost urls" has "$TMP/ext.txt" "http://localhost:8080/x"
check "--external: only urls on stdout" sh -c "! grep -v '^https\?://' '$TMP/ext.txt'"
check "clean summary" has "$TMP/ext.err" "folio check: 0 errors, 0 warnings"

# the fixture with every finding
check "check fixture builds" "$FOLIO" build -C "$TMP/site" -q
cp "$F/broken/atom.xml" "$TMP/site/public/atom.xml"
cp "$F/broken/sitemap.xml" "$TMP/site/public/sitemap.xml"
cp "$F/broken/tags-atom.xml" "$TMP/site/public/tags/cybersecurity/atom.xml"
check_fails "check exits non-zero on errors" "$FOLIO" check -C "$TMP/site"
(cd "$TMP/site" && "$FOLIO" check --external) >"$TMP/ext2.txt" 2>"$TMP/out.txt"
O=$TMP/out.txt
check "broken internal link" grep -qE "public/2019/03/broken-link/index.html:[0-9]+: link '/no/such/page/' does not resolve" "$O"
check "good internal link not reported" hasnt "$O" "'/2019/03/good-article/' does not resolve"
check "missing anchor" grep -qE "public/2019/03/bad-anchor/index.html:[0-9]+: anchor '#nowhere' not found in '/2019/03/good-article/'" "$O"
check "existing anchor not reported" hasnt "$O" "'#main'"
check "missing image" grep -qE "public/2019/03/missing-image/index.html:[0-9]+: image '/images/missing.png' is missing" "$O"
check "existing image not reported" hasnt "$O" "present.png"
check "duplicate slug" has "$O" "content/2019/dup-b.md:2: slug 'same-title' is also used by content/2019/dup-a.md: both want the url /2019/04/same-title/"
check "tag variant by accents" has "$O" "content/2020/variants.md:4: warning: tag 'economie' differs from 'Économie' (content/2019/good.md:4) only by case, accents or punctuation; add an entry to tag_aliases in folio.yaml"
check "source variant by case" has "$O" "content/2020/variants.md:7: warning: source 'le  monde' differs from 'Le Monde' (content/2020/variants.md:6)"
check "aliased source not reported" hasnt "$O" "'REUTERS' differs"
check "aliased tag not reported" hasnt "$O" "'cyber security' differs"
check "article without sources" has "$O" "content/2020/nosource.md:2: warning: article has no sources"
check "source url with a space" has "$O" "content/2020/badurl.md:6: source url 'https://exa mple.com/x' is malformed"
check "source url with an empty label" has "$O" "content/2020/badurl.md:8: source url 'https://example..org/a' is malformed: the host has an empty label"
check "source url without colon" has "$O" "content/2020/badurl.md:10: source url 'http//example.org/b' is malformed: not an http(s) address"
check "feed with a bare &" has "$O" "public/atom.xml:5: not well-formed XML: '&' is not the start of a reference"
check "sitemap with an unclosed element" has "$O" "public/sitemap.xml:5: not well-formed XML: end tag '</urlset>' does not match the open element '<url>'"
check "feed with an HTML entity" has "$O" "public/tags/cybersecurity/atom.xml:3: not well-formed XML: undefined entity '&eacute;'"
check "other feeds pass" hasnt "$O" "public/tags/economie/atom.xml"
check "summary counts" has "$O" "folio check: 10 errors, 5 warnings"
check "external link from a body" has "$TMP/ext2.txt" "https://news.example.com/story?id=1&x=2"
check "mailto is not external" hasnt "$TMP/ext2.txt" "mailto:"

# more XML: a second root, text after the root, an unclosed element, a wrong root
P=$TMP/clean/public
printf '<?xml version="1.0"?>\n<urlset></urlset>\n<urlset/>\n' >"$P/sitemap.xml"
printf '<feed>\n<entry>\n' >"$P/atom.xml"
printf '<rss>\n<channel/>\n</rss>\n' >"$P/tags/cybersecurity/atom.xml"
printf '<a x="1" x="2"/>\n' >"$P/extra.xml"
printf '<a>\n&#1;</a>\n' >"$P/extra2.xml"
printf '<?xml version="1.0"?>\n<a b="&lt;c&gt;">&#x263a; &#233; <![CDATA[ < & ]]><!-- c --></a>\n' >"$P/fine.xml"
"$FOLIO" check -C "$TMP/clean" >/dev/null 2>"$TMP/xml.txt"
check "second root element" has "$TMP/xml.txt" "public/sitemap.xml:3: not well-formed XML: a second root element '<urlset>'"
check "unclosed at end of file" has "$TMP/xml.txt" "public/atom.xml:3: not well-formed XML: '<entry>' is not closed at the end of the file"
check "wrong feed root" has "$TMP/xml.txt" "not well-formed XML: the root element is '<rss>'; expected '<feed>'"
check "duplicate attribute" has "$TMP/xml.txt" "public/extra.xml:1: not well-formed XML: attribute 'x' given twice"
check "forbidden character reference" has "$TMP/xml.txt" "public/extra2.xml:2: not well-formed XML: bad character reference '&#1;'"
check "well-formed XML passes" hasnt "$TMP/xml.txt" "fine.xml"

# no built site
rm -rf "$TMP/clean/public"
check_fails "no output folder is an error" "$FOLIO" check -C "$TMP/clean"
"$FOLIO" check -C "$TMP/clean" 2>"$TMP/noout.txt"
check "no output message" has "$TMP/noout.txt" "no built site here; run 'folio build' first"

# a broken article is reported with its line
printf -- '---\ntitle: "x"\ndate: 2019-02-30\n---\nbody\n' >"$TMP/clean/content/2019/bad.md"
"$FOLIO" check -C "$TMP/clean" 2>"$TMP/bad.txt"
check "article parse error" has "$TMP/bad.txt" "content/2019/bad.md:3:"

done_testing
