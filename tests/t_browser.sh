# tests/t_browser.sh: the default theme in headless Chromium. Builds tests/fixtures/site with
# --relative, opens home, an article, a tag page and a month page at 390 and 1280 px (and the
# article in the dark scheme), asserts facts measured in the rendered DOM, and saves
# screenshots under tests/out/.
#
# Headless Chromium will not make a window narrower than 500 px, so each page is loaded in an
# <iframe> of the exact width inside a small harness page; with --allow-file-access-from-files
# the harness may read the frame's document and writes what it measured into its own DOM,
# which --dump-dom prints. The pages themselves run no script.
. "$(dirname "$0")/lib.sh"
OUTDIR=$TOP/tests/out
SITE=$TMP/site
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}

if [ -z "$CHROMIUM" ]; then
	fail "chromium" "not installed (Debian package 'chromium'; scripts/install-test-deps installs it)"
	done_testing
	exit 1
fi
mkdir -p "$OUTDIR"
check "build the fixture site (--relative)" "$FOLIO" build -q --no-cache --relative \
	-C "$TOP/tests/fixtures/site" -o "$SITE"

# chrome ARGS...: one headless run, bounded
chrome() {
	prof=$(mktemp -d "$TMP/chrome.XXXXXX")
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --mute-audio --hide-scrollbars --user-data-dir="$prof" \
		--allow-file-access-from-files "$@" 2>>"$TMP/chrome.log"
}

# harness NAME PAGE WIDTH HEIGHT: a page that frames PAGE (relative to the site) and measures it
harness() {
	cat > "$SITE/harness-$1.html" <<EOF
<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title></head>
<body style="margin:0;background:#888"><iframe id="f" src="$2" title="page" style="border:0;display:block;width:${3}px;height:${4}px"></iframe>
<script>
function lum(c) {
  var m = c.match(/[\d.]+/g).map(Number), a = m.length > 3 ? m[3] : 1;
  return { a: a, l: m.slice(0, 3).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0) };
}
function bg(w, el) {
  for (; el; el = el.parentElement) {
    var c = w.getComputedStyle(el).backgroundColor;
    if (lum(c).a > 0) return c;
  }
  return "rgb(255, 255, 255)";
}
function contrast(w, el) {
  var f = lum(w.getComputedStyle(el).color).l, b = lum(bg(w, el)).l;
  return Math.round((Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05) * 100) / 100;
}
document.getElementById("f").addEventListener("load", function () {
  var w = this.contentWindow, d = w.document, r = {};
  try {
    r.innerWidth = w.innerWidth;
    r.scrollWidth = d.documentElement.scrollWidth;
    r.title = d.title;
    r.lang = d.documentElement.lang;
    r.h1 = [].map.call(d.querySelectorAll("h1"), function (e) { return e.textContent.trim(); });
    r.headings = [].map.call(d.querySelectorAll("h1,h2,h3,h4,h5,h6"), function (e) { return +e.tagName[1]; });
    r.landmarks = ["header", "nav", "main", "footer"].map(function (s) { return d.querySelectorAll(s).length; });
    r.links = [].map.call(d.querySelectorAll("a[href]"), function (a) { return a.href; })
      .filter(function (h) { return h.indexOf("file:") === 0; });
    r.termlinks = [].map.call(d.querySelectorAll("main a[href]"), function (a) { return a.href; })
      .filter(function (h) { return /\/(tags|sources)\/[^/]+\//.test(h); });
    r.emptylinks = [].filter.call(d.querySelectorAll("a[href]"), function (a) { return !a.textContent.trim() && !a.getAttribute("aria-label"); }).length;
    var ids = {}; r.dupids = [];
    [].forEach.call(d.querySelectorAll("[id]"), function (e) { if (ids[e.id]) r.dupids.push(e.id); ids[e.id] = 1; });
    r.dark = w.matchMedia("(prefers-color-scheme: dark)").matches;
    r.contrast = {};
    ["body", "main p", "main a", ".meta", ".site-header a", ".site-footer", ".n", ".changelog li"].forEach(function (s) {
      var e = d.querySelector(s); if (e) r.contrast[s] = contrast(w, e);
    });
    r.wide = [].filter.call(d.querySelectorAll("body *"), function (e) { return e.getBoundingClientRect().right > w.innerWidth + 1; })
      .slice(0, 5).map(function (e) { return e.tagName + "." + e.className; });
    r.changelog = !!d.querySelector(".history") && d.querySelector(".history").offsetHeight > 0;
  } catch (e) { r.error = String(e); }
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
});
</script></body></html>
EOF
}

# probe NAME PAGE WIDTH [chromium flags...]: measure into $TMP/NAME.json, screenshot tests/out/NAME.png
probe() {
	name=$1 page=$2 width=$3; shift 3
	harness "$name" "$page" "$width" 1400
	# the screenshot is of the harness: the page at its width on the left, grey beyond;
	# taken while the other run measures
	harness "$name-shot" "$page" "$width" 1400
	chrome --window-size="$width",1400 "$@" --screenshot="$OUTDIR/$name.png" "file://$SITE/harness-$name-shot.html" >/dev/null &
	chrome --window-size=$((width > 500 ? width : 500)),1400 "$@" --dump-dom "file://$SITE/harness-$name.html" > "$TMP/$name.dom"
	rc=$?
	wait
	python3 - "$TMP/$name.dom" > "$TMP/$name.json" <<'EOF'
import html, re, sys
m = re.search(r'<pre id="probe">(.*?)</pre>', open(sys.argv[1]).read(), re.S)
print(html.unescape(m.group(1)) if m else "{}")
EOF
	if json "$TMP/$name.json" '"innerWidth" in d and "error" not in d' >"$TMP/.out" 2>&1; then
		pass "$name: measured"
	else
		fail "$name: measured" "$(cat "$TMP/.out"); chromium exit $rc; its log ends: $(tail -n 3 "$TMP/chrome.log" | tr '\n' '|' | head -c 400)"
		# chromium that does not answer in 90 s will not answer the other pages either
		if [ "$rc" = 124 ]; then
			fail "chromium" "stopped after 90 s on $name; the other pages are not tried"
			done_testing
			exit 1
		fi
	fi
	check "$name: screenshot saved" test -s "$OUTDIR/$name.png"
}
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); ok=eval(sys.argv[2]); print(json.dumps(d)[:400]) if not ok else None; sys.exit(0 if ok else 1)' "$1" "$2"; }
# every file: link of the page leads to an existing file of the site
links_exist() {
	python3 - "$1" "$2" <<'EOF'
import json, os, sys, urllib.parse
d = json.load(open(sys.argv[1]))
bad = []
for h in d.get(sys.argv[2], []):
    p = urllib.parse.unquote(urllib.parse.urlparse(h).path)
    if not os.path.isfile(p):
        bad.append(p)
print("\n".join(bad[:10]))
sys.exit(1 if bad or not d.get(sys.argv[2]) else 0)
EOF
}

ARTICLE=2019/02/britain-does-not-support-total-huawei-network-ban/index.html
TITLE="Britain does not support total Huawei network ban"
for w in 390 1280; do
	probe "home-$w" index.html $w
	probe "article-$w" $ARTICLE $w
	probe "tag-$w" tags/huawei/index.html $w
	probe "month-$w" 2019/02/index.html $w
	for p in home article tag month; do
		J=$TMP/$p-$w.json
		check "$p-$w: width is $w" json "$J" "d['innerWidth'] == $w"
		check "$p-$w: no horizontal overflow" json "$J" "d['scrollWidth'] <= d['innerWidth'] and not d['wide']"
		check "$p-$w: lang" json "$J" "d['lang'] == 'en'"
		check "$p-$w: one h1, headings in order" json "$J" "len(d['h1']) == 1 and all(b <= a + 1 for a, b in zip([1] + d['headings'], d['headings'])) and d['headings'][0] == 1"
		check "$p-$w: landmarks" json "$J" "d['landmarks'][0] >= 1 and d['landmarks'][1] >= 1 and d['landmarks'][2] == 1 and d['landmarks'][3] >= 1"
		check "$p-$w: no duplicate ids" json "$J" "not d['dupids']"
		check "$p-$w: every link has text" json "$J" "d['emptylinks'] == 0"
		check "$p-$w: contrast >= 4.5 (light)" json "$J" "not d['dark'] and min(d['contrast'].values()) >= 4.5"
		check "$p-$w: every internal link leads to a file" links_exist "$J" links
	done
	check "article-$w: h1 is the title" json "$TMP/article-$w.json" "d['h1'] == ['$TITLE']"
	check "article-$w: tag and source links lead to pages" links_exist "$TMP/article-$w.json" termlinks
	check "article-$w: changelog visible" json "$TMP/article-$w.json" "d['changelog']"
	check "tag-$w: h1 names the tag" json "$TMP/tag-$w.json" "d['h1'] == ['Tag: Huawei']"
	check "month-$w: h1 names the month" json "$TMP/month-$w.json" "d['h1'] == ['Articles of February 2019']"
	check "home-$w: tag and source links lead to pages" links_exist "$TMP/home-$w.json" termlinks
done
# the dark scheme
probe article-dark-390 $ARTICLE 390 --force-dark-mode --blink-settings=preferredColorScheme=0
J=$TMP/article-dark-390.json
check "dark: prefers-color-scheme matches" json "$J" "d['dark']"
check "dark: contrast >= 4.5" json "$J" "min(d['contrast'].values()) >= 4.5"
check "dark: no horizontal overflow" json "$J" "d['scrollWidth'] <= d['innerWidth']"
rm -f "$SITE"/harness-*.html
done_testing
