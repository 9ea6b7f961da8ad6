# tests/t_theme.sh: the Lua theme API: what `page` and `site` carry, helpers, site-level
# overrides, hooks and their errors, the sandbox (one test per escape attempt), both themes.
. "$(dirname "$0")/lib.sh"
FIX=$TOP/tests/fixtures
LIMIT=${THEME_TEST_TIMEOUT:-180}	# seconds for one build, generous for ASan

# site DIR PARTS...: a fresh site folder made of fixture folders, later ones winning
site() {
	d=$1; shift
	rm -rf "$d"; mkdir -p "$d"
	for part in "$@"; do cp -R "$FIX/$part/." "$d/"; done
}
# build SITE OUT: build into OUT (which holds a sentinel from "before"), stderr to OUT.err
build() {
	rm -rf "$2"; mkdir -p "$2"; echo before > "$2/sentinel"
	timeout "$LIMIT" "$FOLIO" build -q -C "$1" -o "$2" 2>"$2.err"
}
# json FILE PYTHON-EXPR: the expression, on the JSON document `d` of FILE, is true
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"; }
# the stylesheet, under its plain or its fingerprinted name (style.3f9a1c.css)
css() { ls "$1"/style.css "$1"/style.*.css 2>/dev/null | head -n 1; }
untouched() { [ -f "$1/sentinel" ] && [ ! -e "$1/index.html" ]; }

# --- the sandbox: every escape attempt is refused or stopped, names file:line, fails the build,
# and leaves the previous output as it was
SB=$TMP/sb
site "$SB" theme-base
ln -s /etc/passwd "$SB/content/leak.txt"
mkdir -p "$SB/.git" && echo "url = https://user:token@example.org/x" > "$SB/.git/config"
rm -f /tmp/folio-pwned
for f in "$FIX"/theme-sandbox/*.lua; do
	name=$(basename "$f" .lua)
	expect=$(sed -n '1s/^-- expect: //p' "$f")
	cp "$f" "$SB/layouts/home.lua" 2>/dev/null || { mkdir -p "$SB/layouts"; cp "$f" "$SB/layouts/home.lua"; }
	start=$(date +%s)
	build "$SB" "$TMP/sb-$name"
	rc=$?
	check "sandbox $name: build fails" test "$rc" != 0 -a "$rc" != 124
	check "sandbox $name: says '$expect'" has "$TMP/sb-$name.err" "$expect"
	check "sandbox $name: names layouts/home.lua and a line" grep -Eq 'layouts/home\.lua:[0-9]+' "$TMP/sb-$name.err"
	check "sandbox $name: previous output untouched" untouched "$TMP/sb-$name"
	check "sandbox $name: stopped in $LIMIT s" test $(($(date +%s) - start)) -lt "$LIMIT"
	check "sandbox $name: no crash or sanitizer report" sh -c "! grep -Eq 'AddressSanitizer|runtime error|LeakSanitizer|Segmentation' '$TMP/sb-$name.err'"
done
check "sandbox: os.execute ran nothing" test ! -e /tmp/folio-pwned
check "sandbox: the token in .git/config is not in any message" sh -c "! cat $TMP/sb-*.err | grep -q token"
rm -f "$SB/layouts/home.lua"
check "sandbox site builds without the escape" build "$SB" "$TMP/sb-clean"

# --- the instruction count: with a watchdog it starts once a call has run for 0.1 s (the
# watchdog's signal), without one (page_time_limit: 0) at the call's start. Both stop a
# runaway loop, in a layout and in a hook on the build's own thread; a page that computes
# past the signal, within the limit, is not disturbed by it.
LZ=$TMP/lazy
for limit in 120 0; do
	site "$LZ" theme-base
	printf 'page_time_limit: %s\n' "$limit" >>"$LZ/folio.yaml"
	mkdir -p "$LZ/layouts"
	cp "$FIX/theme-sandbox/infinite_loop.lua" "$LZ/layouts/home.lua"
	build "$LZ" "$TMP/lz-$limit"
	check "page_time_limit $limit: a runaway layout fails the build" test $? = 1
	check "page_time_limit $limit: the layout's loop hit the instruction limit" \
	    grep -Eq 'layouts/home\.lua:[0-9]+: instruction limit exceeded' "$TMP/lz-$limit.err"
	rm "$LZ/layouts/home.lua"
	printf 'return { on_article = function(a)\n  while true do end\nend }\n' >"$LZ/site.lua"
	build "$LZ" "$TMP/lz-hook-$limit"
	check "page_time_limit $limit: a runaway on_article hook fails the build" test $? = 1
	check "page_time_limit $limit: the hook's loop hit the instruction limit" \
	    grep -Eq 'site\.lua:[0-9]+: instruction limit exceeded' "$TMP/lz-hook-$limit.err"
	rm "$LZ/site.lua"
	# 60 million rounds: 120 million instructions, some 0.2-0.5 s here, under the 200 million
	cat >"$LZ/layouts/home.lua" <<'LUA'
return function(page, site)
  local n = 0
  for i = 1, 60000000 do n = n + 1 end
  return "<p>rounds " .. n .. "</p>"
end
LUA
	build "$LZ" "$TMP/lz-long-$limit"
	check "page_time_limit $limit: a long page within the limit builds" test $? = 0
	check "page_time_limit $limit: and its loop ran to the end" has "$TMP/lz-long-$limit/index.html" "rounds 60000000"
done

# --- what a layout sees: the probe layouts return the page as JSON
PR=$TMP/probe
site "$PR" theme-base theme-probe
git -C "$PR" init -q && git -C "$PR" add -A &&
	git -C "$PR" -c user.name=Tester -c user.email=t@example.org commit -q -m "first import" ||
	fail "probe: git init"
check "probe site builds" build "$PR" "$PR/out"
A=$PR/out/2020/08/first-story/index.html
check "article: kind, title, url" json "$A" 'd["page"]["kind"]=="article" and d["page"]["title"]=="First story" and d["page"]["url"]=="/2020/08/first-story/"'
check "article: date parts" json "$A" 'd["page"]["date"]=="2020-08-03" and d["page"]["year"]==2020 and d["page"]["month"]==8 and d["page"]["day"]==3'
check "article: unknown front-matter keys" json "$A" 'd["page"]["location"]=="Paris" and d["page"]["rating"]=="4" and d["page"]["extra"]["credits"]==["A","B"]'
check "article: body is rendered HTML" json "$A" '"<strong>bold</strong>" in d["page"]["body"]'
check "article: summary is text" json "$A" 'd["page"]["summary"].startswith("The first story has bold text")'
check "article: authors" json "$A" 'd["page"]["authors"]==["Ann Writer"]'
check "article: tags with urls" json "$A" '[(t["name"],t["url"],t["count"]) for t in d["page"]["tags"]]==[("Water","/tags/water/",2),("Cities","/tags/cities/",1)]'
check "article: sources with urls" json "$A" 'd["page"]["sources"][0]=={"name":"Reuters","spelling":"Reuters","url":"/sources/reuters/","link":"https://reuters.example/first","date":"2020-08-02"}'
check "article: next (newer), no prev (oldest)" json "$A" 'd["page"]["next"]["title"]=="Second story" and "prev" not in d["page"]'
check "article: history from git" json "$A" 'd["page"]["history"][0]["kind"]=="added" and d["page"]["history"][0]["subject"]=="first import" and d["page"]["history"][0]["author"]=="Tester"'
check "article: created date" json "$A" '"created" in d["page"]'
B=$PR/out/2020/08/second-story/index.html
check "article: headline and prev" json "$B" 'd["page"]["headline"]=="The second story, as printed" and d["page"]["prev"]["url"]=="/2020/08/first-story/"'
H=$PR/out/index.html
check "home: kind, items, count" json "$H" 'd["page"]["kind"]=="home" and len(d["page"]["items"])==2 and d["page"]["count"]==3'
check "home: newest first" json "$H" 'd["page"]["items"][0]["title"]=="Third story <b>"'
check "home: pager page 1 of 2" json "$H" 'd["page"]["pager"]["number"]==1 and d["page"]["pager"]["total"]==2 and d["page"]["pager"]["next"]=="/page/2/" and "prev" not in d["page"]["pager"]'
check "home: pager page 2 of 2" json "$PR/out/page/2/index.html" 'd["page"]["pager"]["number"]==2 and d["page"]["pager"]["prev"]=="/" and "next" not in d["page"]["pager"] and d["page"]["pager"]["first"]==3'
check "tag: term and items" json "$PR/out/tags/water/index.html" 'd["page"]["kind"]=="tag" and d["page"]["term"]["name"]=="Water" and d["page"]["term"]["count"]==2 and len(d["page"]["items"])==2'
check "source: term" json "$PR/out/sources/reuters/index.html" 'd["page"]["kind"]=="source" and d["page"]["term"]["url"]=="/sources/reuters/"'
check "month: period" json "$PR/out/2020/08/index.html" 'd["page"]["kind"]=="month" and d["page"]["period"]["year"]==2020 and d["page"]["period"]["month"]==8 and len(d["page"]["items"])==2'
check "year: period" json "$PR/out/2021/index.html" 'd["page"]["kind"]=="year" and d["page"]["period"]["year"]==2021'
check "site: title, language, count" json "$H" 'd["site"]["title"]=="Theme Test" and d["site"]["language"]=="fr" and d["site"]["count"]==3 and d["site"]["n_articles"]==3'
check "site: lists, lookup by key, lazy term items" json "$H" 'd["site"]["n_tags"]==3 and d["site"]["tag_water"]["name"]=="Water" and len(d["site"]["tag_water"]["items"])==2 and d["site"]["first_month"]["key"]=="2021/01"'
check "entries: url and title until more is read" json "$H" 'd["entries"]["lazy"] and d["entries"]["url"]=="/2021/01/third-story-b/" and d["entries"]["title"]=="Third story <b>"'
check "entries: a read fills the rest in" json "$H" 'd["entries"]["date"]=="2021-01-05" and d["entries"]["filled"] and d["entries"]["same"]'
check "entries: a write fills the rest in first" json "$H" 'd["entries"]["written"]=={"title":"Written","date":"2020-08-20"}'
check "entries: pairs() sees every field" json "$H" 'set(["title","url","date","tags","sources","summary","authors","slug","path","draft"]) <= set(d["entries"]["keys"])'
check "changes page: commits" json "$PR/out/changes/index.html" 'd["page"]["kind"]=="changes" and d["page"]["commits"][0]["subject"]=="first import"'
check "404 page" json "$PR/out/404.html" 'd["page"]["kind"]=="404"'

# --- helpers: dates in French and English, escape, slug, json, url, summary, markdown
HL=$TMP/helpers
site "$HL" theme-base
mkdir -p "$HL/layouts"
printf -- '---\ntitle: "Third story"\ndate: 2020-11-02\n---\nIn November.\n' >"$HL/content/2020/third.md"
cat > "$HL/layouts/home.lua" <<'EOF'
local folio = require("folio")
return function(page, site)
  local r = {
    fr_long = folio.date("2020-08-03", "%A %e %B %Y"),
    en_long = folio.date("2020-08-03", "%A, %B %o, %Y", "en"),
    fr_first = folio.date("2021-03-01", "%o %B", "fr"),
    abbr_fr = folio.date("2020-08-03", "%a %e %b", "fr"),
    abbr_en = folio.date("2020-02-03", "%a %e %b", "en"),
    iso = folio.date("2020-08-03T10:20:30Z", "%F %H:%M:%S"),
    secs = folio.date(0, "%Y-%m-%d %H:%M"),
    escape = folio.escape([[<a href="x">'&']]),
    escape_plain = folio.escape("Zoë Müller, no specials"),
    escape_number = folio.escape(42),
    escape_nil = folio.escape(nil),
    escape_forbidden = folio.escape("a\1b\127c\239\191\190d\239\191\191"),
    escape_allowed = folio.escape("tab\tline\n\239\191\188\239\187\191 ends&"),
    slug = folio.slug("L'été à Pékin !"),
    json = folio.json({ b = { 1, 2 }, a = "<x>", c = true }),
    json_order = folio.json({ ab = 1, a = 2, b = 3, B = 4, ["a b"] = 5, [1] = "x", [3] = "y" }),
    json_error = select(2, pcall(folio.json, { a = 1, z = { f = function() end } })),
    json_deep = (function()   -- objects and arrays nested as deep as allowed: Lua's stack must hold them
      local top = {}
      local cur = top
      for i = 1, 63 do cur.a = { i }; cur.b = i; cur = cur.a end
      return folio.json(top)
    end)(),
    url = folio.url("/tags/water/"), abs = folio.url("/tags/water/", true),
    summary = folio.summary("<p>one <b>two</b> three four</p>", 2),
    markdown = folio.markdown("*hi* <script>x</script>"),
    same = site.articles[1] == site.articles[1],
    periods = (function()
      local out = {}
      for _, list in ipairs({ site.years, site.months }) do
        for i, p in ipairs(list) do
          local ms = {}
          for _, m in ipairs(p.months or {}) do ms[#ms + 1] = m.key end
          out[#out + 1] = { key = p.key, index = p.index, at = list[p.index].key,
            months = table.concat(ms, ","), url = p.url, date = p.date }
        end
      end
      return out
    end)(),
    cached = (function()
      -- keys of this page's own: the store is the build's, and the home's
      -- second page runs this layout too, maybe at the same time
      local calls = 0
      local function make(x) calls = calls + 1; return "made " .. x end
      local a = folio.cached("key one " .. page.url, make, 1)
      local b = folio.cached("key one " .. page.url, make, 2)     -- the first result, fn not called
      local c = folio.cached("key two " .. page.url, make, 3)
      return { a, b, c, calls }
    end)(),
    tag_urls = site.tags["water"].url .. " " .. site.tags["water"].feed .. " " .. site.sources[1].url,
    read = folio.read("about.txt"),
    missing = select(2, folio.read("no-such-file.txt")),
  }
  return folio.json(r)
end
EOF
check "helpers site builds" build "$HL" "$HL/out"
J=$HL/out/index.html
check "date: French long" json "$J" 'd["fr_long"]=="lundi 3 août 2020"'
check "date: English with ordinal" json "$J" 'd["en_long"]=="Monday, August 3rd, 2020"'
check "date: French 1er" json "$J" 'd["fr_first"]=="1er mars"'
check "date: French abbreviations" json "$J" 'd["abbr_fr"]=="lun. 3 août"'
check "date: English abbreviations" json "$J" 'd["abbr_en"]=="Mon 3 Feb"'
check "date: ISO time and %F" json "$J" 'd["iso"]=="2020-08-03 10:20:30"'
check "date: seconds" json "$J" 'd["secs"]=="1970-01-01 00:00"'
check "escape" json "$J" 'd["escape"]=="&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"'
check "escape: text without specials as it is" json "$J" 'd["escape_plain"]=="Zoë Müller, no specials"'
check "escape: a number, nil" json "$J" 'd["escape_number"]=="42" and d["escape_nil"]==""'
check "escape: controls, DEL, U+FFFE and U+FFFF become U+FFFD" json "$J" 'd["escape_forbidden"]=="a\ufffdb\ufffdc\ufffdd\ufffd"'
check "escape: tab, line end, U+FFFC, U+FEFF kept; a special at the end" json "$J" 'd["escape_allowed"]=="tab\tline\n\ufffc\ufeff ends&amp;"'
check "slug" json "$J" 'd["slug"]=="lete-a-pekin"'
check "json: sorted keys, script-safe" json "$J" 'd["json"]=="{\"a\":\"\\u003cx\\u003e\",\"b\":[1,2],\"c\":true}"'
check "json: keys in byte order, a prefix first; number keys of an object left out" json "$J" \
	'd["json_order"]=="{\"B\":4,\"a\":2,\"a b\":5,\"ab\":1,\"b\":3}"'
check "json: a value it cannot encode is an error" json "$J" '"cannot encode a function" in d["json_error"]'
check "json: nested 64 deep, objects and arrays" json "$J" \
	'(lambda f: f(f, json.loads(d["json_deep"]), 0))(lambda f, v, n: n if not isinstance(v, (dict, list)) else max([f(f, x, n + 1) for x in (v.values() if isinstance(v, dict) else v)] or [n + 1])) == 64'
check "url: base path" json "$J" 'd["url"]=="/news/tags/water/" and d["abs"]=="https://example.org/news/tags/water/"'
check "summary" json "$J" 'd["summary"].startswith("one two") and "three" not in d["summary"]'
check "markdown: raw HTML dropped" json "$J" '"<em>hi</em>" in d["markdown"] and "<script>" not in d["markdown"]'
check "site lists: same item within a page" json "$J" 'd["same"] is True'
check "periods: index is the place in site.years / site.months" json "$J" \
    '[(p["key"], p["index"]) for p in d["periods"]] == [("2021", 1), ("2020", 2), ("2021/01", 1), ("2020/11", 2), ("2020/08", 3)] and all(p["at"] == p["key"] for p in d["periods"])'
check "periods: a year's months, newest first; a month has none" json "$J" \
    '[p["months"] for p in d["periods"]] == ["2021/01", "2020/11,2020/08", "", "", ""]'
check "periods: url and first day" json "$J" \
    'd["periods"][1]["url"] == "/2020/" and d["periods"][1]["date"] == "2020-01-01" and d["periods"][3]["url"] == "/2020/11/" and d["periods"][3]["date"] == "2020-11-01"'
check "cached: made once per key, the same string after" json "$J" 'd["cached"] == ["made 1", "made 1", "made 3", 2]'
check "terms: url and feed" json "$J" 'd["tag_urls"] == "/tags/water/ /tags/water/atom.xml /sources/le-monde/"'
check "read: a site file" json "$J" 'd["read"].startswith("Read from the site folder")'
check "read: a missing file is nil and a message" json "$J" '"no file" in d["missing"]'

# --- folio.cached is one store for the build's workers: a fragment made by one worker is the
# string every page gets, whichever worker renders it (tostring({}) differs between Lua states)
CS=$TMP/cached-shared
site "$CS" theme-base
i=0
while [ $i -lt 300 ]; do
	printf -- '---\ntitle: "Story %d"\ndate: 2019-01-%02d\n---\nBody %d.\n' $i $((i % 28 + 1)) $i >"$CS/content/2020/s$i.md"
	i=$((i + 1))
done
mkdir -p "$CS/layouts"
cat >"$CS/layouts/article.lua" <<'EOF'
local folio = require("folio")
return function(page, site)
  local state = folio.cached("state", function() return tostring({}) end)
  local n = 0
  for i = 1, 20000 do n = n + i end   -- some work, so that both workers take pages
  return "<p>" .. state .. "</p>\n"
end
EOF
rm -rf "$CS/out"
check "cached, two workers: builds" timeout "$LIMIT" "$FOLIO" build -q -j 2 -C "$CS" -o "$CS/out"
check "cached, two workers: 303 article pages" \
    test "$(cat "$CS"/out/20*/*/*/index.html | grep -c '^<p>table: ')" = 303
check "cached, two workers: every page got the same fragment" \
    test "$(cat "$CS"/out/20*/*/*/index.html | grep '^<p>table: ' | sort -u | wc -l)" = 1

# --- a site-level override of one layout, static override, and the three hooks
OV=$TMP/override
site "$OV" theme-base theme-override
check "override site builds" build "$OV" "$OV/out"
OA=$OV/out/2020/08/first-story/index.html
check "override: the site's article layout" has "$OA" '<article class="override">'
check "override: unknown key shown" has "$OA" '<p class="dateline">Paris</p>'
check "override: French date" has "$OA" 'lundi 3 août 2020'
check "override: still wrapped by the theme's base" has "$OA" 'class="site-header"'
check "override: other layouts from the theme" has "$OV/out/index.html" 'class="site-header"'
check "override: home is not overridden" hasnt "$OV/out/index.html" 'class="override"'
check "override: static file from the site" has "$(css "$OV/out")" 'site-style-marker'
check "on_article: tag added by rule" has "$OA" '>Wire</a>'
check "on_article: the tag has its page" test -f "$OV/out/tags/wire/index.html"
check "on_article: only articles citing Reuters" hasnt "$OV/out/2020/08/second-story/index.html" '>Wire<'
check "pages: articles.json" json "$OV/out/articles.json" 'd["count"]==3 and [a["title"] for a in d["articles"]]==["Third story <b>","Second story","First story"]'
check "pages: absolute urls and unknown keys" json "$OV/out/articles.json" 'd["articles"][2]["url"]=="https://example.org/news/2020/08/first-story/" and d["articles"][2]["location"]=="Paris" and "Wire" in d["articles"][2]["tags"]'
check "pages: leading slash path" has "$OV/out/about/index.txt" "Read from the site folder"

# --- hook errors name site.lua and a line, with a traceback, and fail the build
hookerr() {	# NAME LUA [notrace]
	site "$TMP/he" theme-base
	printf '%s\n' "$2" > "$TMP/he/site.lua"
	build "$TMP/he" "$TMP/he-$1"
	check "hook error $1: build fails" test $? = 1
	check "hook error $1: names site.lua:line" grep -Eq 'site\.lua:[0-9]+: ' "$TMP/he-$1.err"
	[ -z "${3:-}" ] && check "hook error $1: traceback" has "$TMP/he-$1.err" "stack traceback"
	check "hook error $1: output untouched" untouched "$TMP/he-$1"
	check "hook error $1: no sanitizer report" sh -c "! grep -Eq 'AddressSanitizer|runtime error|LeakSanitizer' '$TMP/he-$1.err'"
}
hookerr on_article 'return { on_article = function(a)
  error("no article " .. a.title)
end }'
check "hook error on_article: names the article" has "$TMP/he-on_article.err" "content/2020/first.md: on_article hook failed"
hookerr pages 'return { pages = function(site)
  local x = nil
  return x.y
end }'
hookerr on_done 'return { on_done = function(site)
  assert(false, "checked at the end")
end }'
hookerr syntax 'return { on_done = function(site) end' notrace

# --- what a hook returns is read raw: a metamethod set on it never runs outside the hook's
# call, where nothing would catch its error or count its steps
MT=$TMP/rawread
site "$MT" theme-base
cat >"$MT/site.lua" <<'LUA'
return { on_article = function(a)
  a.title = nil
  setmetatable(a, { __index = function() while true do end end })
end }
LUA
timeout 60 "$FOLIO" build -q -C "$MT" -o "$MT/out" >"$MT/out.log" 2>&1
rc=$?
check "on_article's article read raw: the build succeeds (exit $rc), no loop in an __index" \
    test "$rc" = 0 -a -f "$MT/out/index.html"
check "on_article's article read raw: a title the hook removed is the article's own" \
    has "$MT/out/2020/08/first-story/index.html" "First story"
cat >"$MT/site.lua" <<'LUA'
return { pages = function(site)
  return { setmetatable({}, { __index = function() error("read by C") end }) }
end }
LUA
timeout 60 "$FOLIO" build -q -C "$MT" -o "$MT/out2" >"$MT/out2.log" 2>&1
rc=$?
check "pages() items read raw: the build fails with exit 1 ($rc), not a crash" \
    test "$rc" = 1 -a ! -e "$MT/out2/index.html"
check "pages() items read raw: the item's fields, only a metamethod's, are missing" \
    has "$MT/out2.log" "item 1 needs a path and a content string"

# folio.cached: the function must give a string; an error inside it is the page's
CE=$TMP/cached-err
site "$CE" theme-base
mkdir -p "$CE/layouts"
printf 'local folio = require("folio")\nreturn function(page, site)\n  return folio.cached("bad one", function() return 42 end)\nend\n' >"$CE/layouts/home.lua"
build "$CE" "$CE/out"
check "cached: a function that gives no string fails the build" test $? = 1
check "cached: says which key and what it gave" grep -q "folio.cached: the function for 'bad one' returned number, not a string" "$CE/out.err"
check "cached: names the layout's line" grep -Eq 'home\.lua:3: ' "$CE/out.err"
printf 'local folio = require("folio")\nreturn function(page, site)\n  return folio.cached("k", function() error("inside") end)\nend\n' >"$CE/layouts/home.lua"
build "$CE" "$CE/out"
check "cached: an error in the function fails the build" test $? = 1
check "cached: the error's own message and line" grep -Eq 'home\.lua:3: inside' "$CE/out.err"
printf 'local folio = require("folio")\nreturn function(page, site)\n  return folio.cached(nil, function() return "" end)\nend\n' >"$CE/layouts/home.lua"
build "$CE" "$CE/out"
check "cached: a key is required" grep -q "bad argument #1 to 'cached'" "$CE/out.err"
printf 'local folio = require("folio")\nreturn function(page, site)\n  return folio.cached("a\\0b", function() return "" end)\nend\n' >"$CE/layouts/home.lua"
build "$CE" "$CE/out"
check "cached: a key with a NUL byte is refused" grep -q "a key may not hold a NUL byte" "$CE/out.err"
hookerr bad_pages 'return { pages = function(site) return { { path = 3 } } end }' notrace
check "bad pages item explained" has "$TMP/he-bad_pages.err" "needs a path and a content string"
hookerr pages_escape 'return { pages = function(site) return { { path = "../../outside.txt", content = "x" } } end }' notrace
check "pages: no path outside the output" test ! -e "$TMP/outside.txt"

# --- layout mistakes
LM=$TMP/lm
site "$LM" theme-base
mkdir -p "$LM/layouts" && echo 'return function() return nil end' > "$LM/layouts/tag.lua"
build "$LM" "$LM/out"
check "layout returning nil fails" test $? = 1
check "layout returning nil explained" has "$LM/out.err" "layouts/tag.lua returned nil"
echo 'return 42' > "$LM/layouts/tag.lua"
build "$LM" "$LM/out"
check "layout not a function explained" has "$LM/out.err" "must return a function"

# --- a pattern that runs for ever inside C, where the instruction limit cannot see it:
# the page time limit stops the build, names the page, and leaves the output as it was
PT=$TMP/pt
site "$PT" theme-base
build "$PT" "$PT/out"
before=$(cd "$PT/out" && find . -type f | sort | xargs md5sum)
mkdir -p "$PT/layouts"
cat >"$PT/layouts/tag.lua" <<'LUA'
return function(page, site)
  local s = string.rep("a", 20000)
  return tostring(string.find(s, ".-.-.-.-b"))
end
LUA
printf 'page_time_limit: 2\n' >>"$PT/folio.yaml"
start=$(date +%s)
timeout 60 "$FOLIO" build -C "$PT" -o "$PT/out" >"$PT/pt.log" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
check "runaway pattern: the build stops (exit 1, not the 60 s timeout)" test "$rc" = 1
check "runaway pattern: stopped within a few seconds ($took s)" test "$took" -le 20
check "runaway pattern: names the page and the limit" grep -q "theme: /tags/.*/ took longer than 2 s (page_time_limit" "$PT/pt.log"
after=$(cd "$PT/out" && find . -type f | sort | xargs md5sum)
check "runaway pattern: output untouched" test "$before" = "$after"
rm -f "$PT/layouts/tag.lua"
build "$PT" "$PT/out"
check "the next build sweeps the stopped build's staging folder" sh -c "! ls -d '$PT'/out.staging-* 2>/dev/null"

# --- both themes build the fixture site; data is escaped
for theme in default broadsheet; do
	S=$TMP/site-$theme
	site "$S" site
	sed -i "s/^theme: .*/theme: $theme/" "$S/folio.yaml"
	check "$theme: fixture site builds" build "$S" "$S/out"
	check "$theme: article h1 is the title" has "$S/out/2019/02/britain-does-not-support-total-huawei-network-ban/index.html" '<h1>Britain does not support total Huawei network ban</h1>'
	check "$theme: lang from config" has "$S/out/index.html" '<html lang="en">'
	check "$theme: hostile title escaped" sh -c "! grep -rq '<script>alert(1)' '$S/out' --include=*.html"
	check "$theme: hostile tag escaped" sh -c "! grep -rq '<b>bold</b>' '$S/out' --include=*.html"
	check "$theme: no javascript: link" sh -c "! grep -rqi 'href=\"javascript:' '$S/out' --include=*.html"
	check "$theme: no script but JSON-LD" sh -c "! grep -rh '<script' '$S/out' --include=*.html | grep -v 'application/ld+json' | grep -q ."
	check "$theme: stylesheet copied" test -s "$(css "$S/out")"
	check "$theme: every page kind written" sh -c "test -f '$S/out/tags/index.html' -a -f '$S/out/sources/index.html' -a -f '$S/out/archive/index.html' -a -f '$S/out/changes/index.html' -a -f '$S/out/404.html' -a -f '$S/out/2019/index.html' -a -f '$S/out/2019/02/index.html'"
done
check "broadsheet looks different" hasnt "$TMP/site-broadsheet/out/index.html" 'class="site-header"'
check "broadsheet: masthead" has "$TMP/site-broadsheet/out/index.html" 'class="masthead"'

done_testing
