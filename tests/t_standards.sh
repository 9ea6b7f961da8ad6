# tests/t_standards.sh: the built site against the real tools (issue 11).
# For every theme in themes/*/, the fixture site (with aliases and a git history) is built
# and checked with:
#   - the W3C Nu HTML Checker (vnu.jar, one JVM for every page of every theme): 0 errors, 0 warnings
#   - feedparser (Debian python3-feedparser): every Atom feed not bozo, entry ids absolute,
#     unique and the same in a second build, RFC 3339 dates, absolute links, escaped text
#   - xmllint: every feed and sitemap well-formed; the sitemap by sitemaps.org 0.9, listing
#     every page, and a sitemap index with sitemap_size: 5
#   - axe-core in headless Chromium (one browser for all pages): 0 violations on one page of
#     each kind, light and dark colour schemes; nav and pager links reachable with Tab
#   - metadata: title, description, canonical, Open Graph on every page; NewsArticle JSON-LD
#     on articles, dateModified from git; every JSON-LD block parses
# A tool that is missing is a failure that says so, never a skip.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3		# Debian's, where python3-feedparser lives
NPM=$TOP/tests/.npm/node_modules
VNU=$NPM/vnu-jar/build/dist/vnu.jar
TOOLS=$TOP/tests/tools
BASE=https://example.org/
PUBLISHER="The Archivist"
LIMIT=${STANDARDS_TIMEOUT:-120}	# seconds for one build, generous for ASan
INSTALL="(scripts/install-test-deps installs it)"

# --- the tools
tool() {	# tool NAME TEST...: passes when TEST succeeds, else a failure naming what is missing
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "tool: $name"; return 0; fi
	fail "tool: $name" "not available $INSTALL; the checks that need it fail"
	return 1
}
HAVE_PY=0; HAVE_XMLLINT=0; HAVE_VNU=0; HAVE_AXE=0
tool "/usr/bin/python3" test -x "$PY" && HAVE_PY=1
[ $HAVE_PY = 1 ] && { tool "feedparser for /usr/bin/python3 (python3-feedparser)" "$PY" -c 'import feedparser' || HAVE_PY=0; }
tool "xmllint (libxml2-utils)" command -v xmllint && HAVE_XMLLINT=1
tool "java (default-jre-headless)" java -version && tool "vnu.jar (npm vnu-jar in tests/.npm)" test -f "$VNU" && HAVE_VNU=1
tool "node" command -v node &&
	tool "puppeteer-core in tests/.npm" test -f "$NPM/puppeteer-core/package.json" &&
	tool "axe-core in tests/.npm" test -f "$NPM/axe-core/axe.min.js" &&
	tool "chromium" test -x /usr/bin/chromium && HAVE_AXE=1

# report DESC FILE: passes when FILE (findings, "PAGE: MESSAGE" a line) is empty; else one
# failure a distinct message, naming the first page it is on and how many others
report() {
	local line n
	if [ ! -s "$2" ]; then pass "$1"; return 0; fi
	awk '{
		i = index($0, ": ")
		if (i == 0) { page = ""; key = $0 } else { page = substr($0, 1, i - 1); key = substr($0, i + 2) }
		if (!(key in n)) { order[++k] = key; first[key] = page; n[key] = 0 }
		else if (n[key] < 4) more[key] = more[key] ", " page
		n[key]++
	} END {
		for (j = 1; j <= k; j++) {
			key = order[j]; s = (first[key] != "" ? first[key] ": " : "") key
			if (n[key] > 1) s = s " [also " substr(more[key], 3) (n[key] > 4 ? ", ..." : "") "; " n[key] " in all]"
			print s
		}
	}' "$2" >"$TMP/.grouped"
	head -n 30 "$TMP/.grouped" >"$TMP/.report"
	while IFS= read -r line; do fail "$1" "$line"; done <"$TMP/.report"
	n=$(wc -l <"$TMP/.grouped")
	[ "$n" -gt 30 ] && fail "$1" "and $((n - 30)) more distinct findings"
	return 0
}
# tool_report DESC CMD...: runs a checker (findings on stdout, exit 1 when there are some);
# any other exit status is a failure of its own with the checker's words
tool_report() {
	local desc=$1 rc
	shift
	"$@" >"$TMP/.tool" 2>"$TMP/.tool.err"
	rc=$?
	case $rc in
	0|1) report "$desc" "$TMP/.tool"
	     [ $rc = 1 ] && [ ! -s "$TMP/.tool" ] && fail "$desc" "exit 1 without a finding: $(head -c 400 "$TMP/.tool.err")" ;;
	*) fail "$desc" "the checker could not run (exit $rc): $(cat "$TMP/.tool" "$TMP/.tool.err" | head -c 600)" ;;
	esac
	return 0
}

# --- the site: the fixture, two articles with aliases (one of them hostile), a git history
# with fixed dates, and a later commit that edits one article (its dateModified)
SITE=$TMP/site
mkdir -p "$SITE"
cp -R "$TOP/tests/fixtures/site/." "$SITE/"
rm -rf "$SITE/.folio-cache"
sed -i '/^date:/a aliases: ["/old/hostile.html"]' "$SITE/content/2020/hostile.md"
sed -i '/^date:/a aliases: ["/2019/brics/"]' "$SITE/content/2019/brics.md"
commit() {	# commit DATE MESSAGE
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$SITE" -c user.name=Archivist \
		-c user.email=archivist@example.org -c commit.gpgsign=false commit -q -m "$2"
}
{ git -C "$SITE" init -q && git -C "$SITE" add -A && commit 2021-06-01T12:00:00Z "import the fixture" &&
	echo "A paragraph added later." >>"$SITE/content/2019/brics.md" &&
	git -C "$SITE" add -A && commit 2022-02-02T12:00:00Z "brics: one more paragraph"; } >"$TMP/git.log" 2>&1 ||
	fail "fixture: git history" "$(head -c 400 "$TMP/git.log")"
EDITED=2019/07/brics-cooperation-a-strategic-choice/
EDITED_DATE=2022-02-02

# one page of each kind (paths are folio's, whatever the theme); a leading + keeps a page
# out of the axe run (a second page of a kind already there)
KINDS="article=2020/06/script-alert-1-script-quotes/index.html
+article-edited=${EDITED}index.html
home=index.html
home-page-2=page/2/index.html
tag=tags/spying/index.html
+tag-page-2=tags/spying/page/2/index.html
tags-index=tags/index.html
source=sources/reuters/index.html
sources-index=sources/index.html
year=2019/index.html
month=2019/05/index.html
archive=archive/index.html
changes=changes/index.html
404=404.html
redirect=old/hostile.html
+redirect-folder=2019/brics/index.html"

# build NAME CONFIG OUT [ARGS...]: a build that must succeed
build() {
	local name=$1 cfg=$2 dir=$3 rc
	shift 3
	rm -rf "$dir"
	FOLIO_THEMES=$TOP/themes timeout "$LIMIT" "$FOLIO" build -q -C "$SITE" -c "$cfg" -o "$dir" "$@" >"$dir.log" 2>&1
	rc=$?
	# the fixture's hostile source url is refused with a warning; anything else is news
	grep -v "warning: source url 'javascript:" "$dir.log" >"$dir.msg"
	if [ $rc != 0 ] || [ -s "$dir.msg" ]; then
		fail "$name: build" "exit $rc: $(head -c 600 "$dir.msg")"
		return 1
	fi
	pass "$name: build"
}

THEMES=""
for d in "$TOP"/themes/*/; do
	[ -d "$d/layouts" ] || [ -f "$d/theme.lua" ] || continue
	THEMES="$THEMES $(basename "$d")"
done
[ -n "$THEMES" ] || fail "themes" "no theme in $TOP/themes"

BUILT=""
: >"$TMP/axe.list"
: >"$TMP/vnu.files"
for th in $THEMES; do
	cfg=$TMP/folio-$th.yaml
	{ grep -v '^theme:' "$SITE/folio.yaml"; echo "theme: $th"; } >"$cfg"
	out=$TMP/out-$th
	build "$th" "$cfg" "$out" || continue
	build "$th (again, --no-cache)" "$cfg" "$TMP/again-$th" --no-cache || continue
	BUILT="$BUILT $th"
	missing=""
	for kv in $KINDS; do
		kind=${kv%%=*} path=${kv#*=}
		[ -f "$out/$path" ] || missing="$missing ${kind#+} ($path)"
		case $kind in +*) ;; *) echo "$th/$kind $out $path" >>"$TMP/axe.list" ;; esac
	done
	if [ -n "$missing" ]; then fail "$th: every page kind is built" "missing:$missing"; else pass "$th: every page kind is built"; fi
	find "$out" -name '*.html' | sort >>"$TMP/vnu.files"
done

# --- (1) HTML: the Nu checker over every page of every theme, one JVM, in the background
# while the other checks run
VNU_PID=""
if [ $HAVE_VNU = 1 ] && [ -s "$TMP/vnu.files" ]; then
	# GNU format: "file:/path":L.C-L.C: error: message ("info warning:" for warnings)
	xargs -d '\n' timeout 300 java -Xss4m -jar "$VNU" --format gnu --exit-zero-always \
		<"$TMP/vnu.files" >"$TMP/vnu.out" 2>&1 &
	VNU_PID=$!
else
	fail "vnu" "not run: java or vnu.jar is missing $INSTALL"
fi

# --- (2) feeds, (3) sitemap, (5) metadata: per theme
for th in $BUILT; do
	out=$TMP/out-$th
	if [ $HAVE_PY = 1 ]; then
		tool_report "$th: feeds (feedparser, ids stable from build to build)" "$PY" "$TOOLS/feedcheck.py" "$out" "$TMP/again-$th"
		tool_report "$th: sitemap (sitemaps.org, every page listed)" "$PY" "$TOOLS/sitemapcheck.py" "$out" "$BASE" 50000 urlset
		tool_report "$th: metadata and JSON-LD" "$PY" "$TOOLS/metacheck.py" "$out" "$BASE" "$PUBLISHER" "$EDITED=$EDITED_DATE"
		check "$th: the hostile title survives the feed as text" "$PY" -c '
import feedparser, sys
d = feedparser.parse(sys.argv[1])
want = "<script>alert(1)</script> & \"quotes\""
sys.exit(0 if any(e.title == want and e.title_detail.type == "text/plain" for e in d.entries) else 1)' "$out/atom.xml"
	else
		fail "$th: feeds, sitemap, metadata" "not run: /usr/bin/python3 with feedparser is missing $INSTALL"
	fi
	if [ $HAVE_XMLLINT = 1 ]; then
		find "$out" -name '*.xml' | sort | xargs -d '\n' xmllint --noout >"$TMP/xmllint-$th" 2>&1
		report "$th: every feed and sitemap is well-formed (xmllint)" "$TMP/xmllint-$th"
	else
		fail "$th: xmllint" "not run: xmllint is missing $INSTALL"
	fi
done

# the sitemap index: sitemap_size: 5 splits the fixture's ~50 pages (feeds and sitemap are C,
# so one theme is enough)
case " $BUILT " in
*" default "*) first=default ;;
*) set -- $BUILT; first=${1:-} ;;
esac
if [ -n "$first" ]; then
	{ cat "$TMP/folio-$first.yaml"; echo "sitemap_size: 5"; } >"$TMP/folio-sm.yaml"
	if build "sitemap_size: 5" "$TMP/folio-sm.yaml" "$TMP/out-sm"; then
		check "sitemap_size: 5 writes sitemap-N.xml files" test -f "$TMP/out-sm/sitemap-2.xml"
		[ $HAVE_XMLLINT = 1 ] && check "sitemap_size: 5: well-formed (xmllint)" xmllint --noout "$TMP"/out-sm/sitemap*.xml
		[ $HAVE_PY = 1 ] && tool_report "sitemap_size: 5: a sitemap index, <= 5 URLs a file, every page once" \
			"$PY" "$TOOLS/sitemapcheck.py" "$TMP/out-sm" "$BASE" 5 index
	fi
	# a title with a noncharacter (U+FFFE, legal in YAML, illegal in XML) leaves the feeds readable
	mkdir -p "$SITE/content/2022"
	printf -- '---\ntitle: "odd \\uFFFE title"\ndate: 2022-01-01\nauthors: ["odd \\uFFFF author"]\n---\nText.\n' \
		>"$SITE/content/2022/odd.md"
	if build "noncharacter in a title" "$TMP/folio-$first.yaml" "$TMP/out-odd"; then
		[ $HAVE_PY = 1 ] && tool_report "noncharacter in a title: feeds still parse" "$PY" "$TOOLS/feedcheck.py" "$TMP/out-odd"
		[ $HAVE_XMLLINT = 1 ] && check "noncharacter in a title: atom.xml well-formed" xmllint --noout "$TMP/out-odd/atom.xml"
	fi
	rm -f "$SITE/content/2022/odd.md"
fi

# --- (4) accessibility: axe-core on one page of each kind of each theme, light and dark
if [ $HAVE_AXE = 1 ] && [ -s "$TMP/axe.list" ]; then
	npages=$(wc -l <"$TMP/axe.list")
	AXE_TOTAL_MS=$((npages * 15000 + 60000)) timeout $((npages * 15 + 90)) \
		node "$TOOLS/axe.js" "$TMP/axe.list" >"$TMP/axe.out" 2>"$TMP/axe.err"
	rc=$?
	if [ $rc = 0 ] || [ $rc = 1 ]; then
		for th in $BUILT; do
			grep "^$th/" "$TMP/axe.out" | sed "s|^$th/||" >"$TMP/axe-$th"
			report "$th: axe-core, 0 violations, light and dark; nav and pager by keyboard" "$TMP/axe-$th"
		done
	else
		fail "axe" "could not run (exit $rc): $(cat "$TMP/axe.out" "$TMP/axe.err" | head -c 600)"
	fi
else
	fail "axe" "not run: node, puppeteer-core, axe-core or chromium is missing $INSTALL"
fi

# --- (1) HTML, the results
if [ -n "$VNU_PID" ]; then
	wait "$VNU_PID"
	rc=$?
	if [ $rc != 0 ]; then
		fail "vnu" "the checker could not run (exit $rc): $(head -c 600 "$TMP/vnu.out")"
	else
		for th in $BUILT; do
			# every error and warning, with the page as a site path
			grep -E ': (error|info warning|fatal)' "$TMP/vnu.out" | grep -F "$TMP/out-$th/" |
				sed -e "s|\"\{0,1\}file:$TMP/out-$th/\([^\"]*\)\"\{0,1\}|\1|" >"$TMP/vnu-$th"
			report "$th: W3C Nu HTML Checker, 0 errors and 0 warnings on $(grep -c "/out-$th/" "$TMP/vnu.files") pages" "$TMP/vnu-$th"
		done
		grep -vE '^"?file:' "$TMP/vnu.out" | grep -E 'error|warning|Exception' >"$TMP/vnu-other"
		report "vnu: no message outside a page" "$TMP/vnu-other"
	fi
fi

done_testing
