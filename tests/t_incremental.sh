#!/bin/bash
# Incremental builds: after edits, additions, deletions, renames, a theme
# change and a config change, the incremental output is byte-identical to a
# clean full build; unchanged pages are reused, not rendered again.
. "$(dirname "$0")/lib.sh"

SITE=$TMP/site
cp -R "$TOP/tests/fixtures/site" "$SITE"
rm -rf "$SITE/.folio-cache"
mkdir -p "$SITE/themes"
cp -R "$TOP/themes/default" "$SITE/themes/default"	# a theme we may edit
cd "$SITE" || exit 1
git init -q && git add -A && git -c user.name=T -c user.email=t@example.org commit -qm "first" || exit 1

# --force: these builds test the incremental machinery even when nothing
# changed; the short cut of a build with nothing changed is tested at the end
incr() { "$FOLIO" build --force -o "$TMP/inc" 2>"$TMP/inc.log"; }
clean() { rm -rf "$TMP/clean"; "$FOLIO" build --no-cache -q -o "$TMP/clean" 2>/dev/null; }
same() {	# name: incremental equals clean, byte for byte
	clean
	if diff -r "$TMP/inc" "$TMP/clean" >"$TMP/diff" 2>&1; then pass "$1: incremental = clean"; else fail "$1: incremental = clean" "$(head -c 400 "$TMP/diff")"; fi
}
reused() { sed -n 's/.*pages (\([0-9]*\) unchanged).*/\1/p' "$TMP/inc.log"; }
pages() { sed -n 's/.*articles, \([0-9]*\) pages.*/\1/p' "$TMP/inc.log"; }
commit() { git add -A && git -c user.name=T -c user.email=t@example.org commit -qm "$1"; }

check "first build" incr
same "first build"
check "nothing reused the first time" test "$(reused)" = 0
check "nothing changed: builds" incr
check "nothing changed: every page reused" test "$(reused)" = "$(pages)"
check "nothing changed: no file written" grep -q '(0 written)' "$TMP/inc.log"
same "nothing changed"

# edit one article's body: its page and the lists showing it change, little else
printf '\nOne more paragraph.\n' >>content/2019/brics.md
check "body edit: builds" incr
n=$(reused); total=$(pages)
check "body edit: most pages reused ($n of $total)" test "$n" -gt $((total / 2))
check "body edit: not every page reused" test "$n" -lt "$total"
check "body edit: the new text is there" grep -q 'One more paragraph.' "$TMP/inc/2019/07/brics-cooperation-a-strategic-choice/index.html"
same "body edit"
commit "edit"
check "after a commit: builds" incr
same "after a commit (history changes)"

# a metadata edit: a new tag spelling
sed -i 's/^tags: \["CyberSecurity"\]/tags: ["CyberSecurity", "economy"]/' content/2019/brics.md
check "tag edit" incr
check "the new tag page" test -f "$TMP/inc/tags/economy/index.html"
same "tag edit"

# add, delete, rename
printf -- '---\ntitle: A new arrival\ndate: 2021-05-05\ntags: [spying]\n---\nNew.\n' >content/2021/new.md
check "addition" incr
same "addition"
rm content/2020/tencent.md
check "deletion" incr
check "the deleted page is gone" test ! -e "$TMP/inc/2020/04/tencent-pledges-to-invest-in-wuhan"
same "deletion"
git mv -q content/2019/lee.md content/2019/lee-renamed.md 2>/dev/null || mv content/2019/lee.md content/2019/lee-renamed.md
commit "rename"
check "rename" incr
same "rename"

# a theme change re-renders everything
sed -i 's/<footer class="site-footer"><p>/<footer class="site-footer"><p>Changed · /' themes/default/layouts/base.lua
check "theme change" incr
check "theme change: nothing reused" test "$(reused)" = 0
check "theme change shows" grep -q 'Changed · ' "$TMP/inc/index.html"
same "theme change"

# a config change too
sed -i 's/^per_page: 3/per_page: 4/' folio.yaml
check "config change" incr
same "config change"

# a layout that reads folio.read() is never reused (the file is not tracked)
printf 'hello\n' >note.txt
sed -i 's|^return function(page, site)$|return function(page, site)\n  local note = require("folio").read("note.txt")|' themes/default/layouts/archive.lua
check "folio.read layout" incr
printf 'changed\n' >note.txt
check "folio.read layout again" incr
same "a page reading a file"

# folio.cached: a fragment made on one page and taken by others carries what
# it read of `site` to each of them. Every tag page shows the number of tags
# from one cached fragment, made by the first tag page the worker renders
# (-j 1); a new tag must re-render every tag page, not only that first one.
mkdir -p layouts
cat >layouts/tag.lua <<'EOF'
local folio = require("folio")
return function(page, site)
  local n = folio.cached("number of tags", function() return tostring(#site.tags) end)
  return "<!DOCTYPE html><title>" .. folio.escape(page.term.name) .. "</title><p>" .. n .. " tags</p>"
end
EOF
incr1() { "$FOLIO" build --force -j 1 -o "$TMP/inc" 2>"$TMP/inc.log"; }
check "cached fragment: builds" incr1
same "cached fragment"
sed -i 's/^tags: \[spying\]$/tags: [spying, "a brand new tag"]/' content/2021/new.md
check "cached fragment: the tag is added" grep -q 'a brand new tag' content/2021/new.md
check "cached fragment, one tag more: builds" incr1
check "cached fragment, one tag more: not every page rendered" test "$(reused)" -gt 0
same "cached fragment, one tag more"
# a fragment that fails inside a pcall of the layout: what the page read
# before it (site.sources) still counts, and the page goes on
cat >layouts/tag.lua <<'EOF'
local folio = require("folio")
return function(page, site)
  local sources = #site.sources
  local ok = pcall(folio.cached, "failing", function() return #site.tags .. error("no") end)
  return "<!DOCTYPE html><title>" .. folio.escape(page.term.name) .. "</title><p>" .. sources ..
    " sources " .. tostring(ok) .. "</p>"
end
EOF
check "failed fragment: builds" incr1
same "failed fragment"
sed -i 's/^tags: \[spying, "a brand new tag"\]$/tags: [spying, "a brand new tag"]\nsources: [{name: "A brand new outlet"}]/' content/2021/new.md
check "failed fragment: the source is added" grep -q 'A brand new outlet' content/2021/new.md
check "failed fragment, one source more: builds" incr1
same "failed fragment, one source more"
rm -r layouts
check "cached fragment: back to the theme's layout" incr

# a corrupt page cache is ignored, not trusted
for f in .folio-cache/pages-*; do printf 'garbage\nP 0 0 index.html\n' >"$f"; done
check "corrupt cache: builds" incr
same "corrupt cache"
for f in .folio-cache/pages-*; do head -c 100 "$f" >"$f.cut"; mv "$f.cut" "$f"; done
check "truncated cache: builds" incr
same "truncated cache"
rm -f .folio-cache/manifest-*
check "manifest gone: builds" incr
same "manifest gone"

# The previous site is kept beside the output as a spare and the next build
# starts from it: it must never carry into the site a file the build did not make.
incr && incr
check "the previous site is kept as a spare" test -d "$TMP/inc.spare"
check "with its manifest" sh -c 'ls .folio-cache/manifest-*.spare >/dev/null'
# the manifest the site had becomes the spare's, as it was, when the site becomes the spare
cp .folio-cache/manifest-???????????????? "$TMP/manifest.before"
FOLIO_TIMING=1 incr
check "the spare's manifest is the site's last manifest, unchanged" \
    cmp -s "$TMP/manifest.before" .folio-cache/manifest-*.spare
check "no manifest is left aside after the swap" sh -c '! ls .folio-cache/manifest-*.prev 2>/dev/null'
check "the build started from the spare" grep -q 'staging from the spare: yes' "$TMP/inc.log"
echo "by hand" >"$TMP/inc/by-hand.txt"
mkdir -p "$TMP/inc/tags/by-hand" "$TMP/inc/2019/empty-by-hand"
echo "by hand" >"$TMP/inc/tags/by-hand/index.html"
echo "tampered" >>"$TMP/inc/index.html"	# in place: the spare shares this file
for i in 1 2 3; do
	check "hand-made files: build $i" incr
	check "hand-made files: build $i publishes none of them" \
	    test ! -e "$TMP/inc/by-hand.txt" -a ! -e "$TMP/inc/tags/by-hand" -a ! -e "$TMP/inc/2019/empty-by-hand"
done
same "hand-made files and an edit in place"
# the spare itself tampered with: a file turned into a folder, a stray file, a file emptied
sp=$TMP/inc.spare
f=$(cd "$sp" && find . -name index.html -path './20*' | head -n 1)
rm -f "$sp/$f" && mkdir -p "$sp/$f/inner"
echo stray >"$sp/stray.html"
g=$(cd "$sp" && find . -name index.html -path './tags/*' | head -n 1)
: >"$sp/$g"
incr && incr
check "a tampered spare: builds" incr
same "a tampered spare"
# a spare file overwritten in place, its size and folder kept: only its mtime
# tells (the spare's files are looked at while the build parses, not as used)
incr && incr
h=$(cd "$sp" && find . -name index.html -path './20*' | sed -n 2p)
printf 'X' | dd of="$sp/$h" bs=1 seek=0 conv=notrunc 2>/dev/null
check "a spare file overwritten in place keeps its size" test "$(head -c 1 "$sp/$h")" = X
check "a spare file overwritten in place: builds" incr
check "a spare file overwritten in place: not published" test "$(head -c 1 "$TMP/inc/$h")" != X
same "a spare file overwritten in place"
# A page the spare holds alone (not linked into the site) is written over in
# place: the same file, new bytes. One it shares with the site never is: a
# new file takes its place, or the site would change before the swap. A mode
# no build gives (0604) marks the file: it stays with the file, not the name.
page=2019/07/brics-cooperation-a-strategic-choice/index.html
mode() { stat -c %a "$1"; }
links() { stat -c %h "$1"; }
incr && incr	# the site and the spare share every file
check "in place: a page the spare shares with the site" test "$(links "$sp/$page")" = 2
chmod 604 "$sp/$page"	# the site's file too: they are one
sed -i 's/<footer class="site-footer"><p>/<footer class="site-footer"><p>Once · /' themes/default/layouts/base.lua
check "in place: a theme change builds" incr
check "in place: a shared file is not written into" test "$(mode "$TMP/inc/$page")" = 644
check "in place: the spare's file is now its own" test "$(links "$sp/$page")" = 1
chmod 604 "$sp/$page"
sed -i 's/Once · /Twice · /' themes/default/layouts/base.lua
check "in place: a second theme change builds" incr
check "in place: the spare's own file is written over" test "$(mode "$TMP/inc/$page")" = 604
check "in place: with the new bytes" grep -q 'Twice · ' "$TMP/inc/$page"
chmod 644 "$TMP/inc/$page"
same "pages written in place"
# a build that fails after writing over some of the spare's files leaves the site as it was
(cd "$TMP/inc" && find . -type f -exec md5sum {} + | sort -k 2) >"$TMP/site.sums"
sed -i 's/Twice · /Thrice · /' themes/default/layouts/base.lua
cp themes/default/layouts/article.lua "$TMP/article.lua"
sed -i 's/^return function(page, site)$/return function(page, site)\n  if page.title:find("jailed") then error("a broken layout") end/' themes/default/layouts/article.lua
check "in place: the layout is broken" grep -q 'a broken layout' themes/default/layouts/article.lua
check_fails "in place: a build with a broken layout fails" incr
check "in place: it says why" grep -q 'a broken layout' "$TMP/inc.log"
(cd "$TMP/inc" && find . -type f -exec md5sum {} + | sort -k 2) >"$TMP/site.sums.after"
check "in place: the site is as it was, byte for byte" cmp -s "$TMP/site.sums" "$TMP/site.sums.after"
cp "$TMP/article.lua" themes/default/layouts/article.lua
check "in place: after the failure, builds" incr
check "in place: the change shows" grep -q 'Thrice · ' "$TMP/inc/$page"
same "after a failed build that wrote in place"

# a spare without its manifest is not trusted: it is removed
rm -f .folio-cache/manifest-*.spare
check "spare without manifest: builds" incr
same "spare without manifest"
printf '\nAnother paragraph.\n' >>content/2019/brics.md
check "edit after a lost spare manifest" incr
same "edit after a lost spare manifest"
# a build killed while it updates the spare leaves nothing a later build trusts
for i in 1 2 3 4 5; do
	printf '\nKill %d.\n' "$i" >>content/2019/brics.md
	"$FOLIO" build -q -o "$TMP/inc" >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$((RANDOM % 10))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
done
check "after killed builds: builds" incr
same "after killed builds"
check "no staging folder left" sh -c "! ls -d '$TMP'/inc.staging-* 2>/dev/null"
# --no-cache neither uses nor trusts what it did not record
check "a --no-cache build into the same folder" "$FOLIO" build --no-cache -q -o "$TMP/inc"
echo "by hand" >"$TMP/inc/after-no-cache.txt"
incr && incr
check "then cached builds: nothing stale published" test ! -e "$TMP/inc/after-no-cache.txt"
same "cached builds after --no-cache"

# Parsed front matter is cached by each file's size, inode, mtime and ctime;
# files changed in the last 2 s are not cached (their timestamps could be
# shared with a later write), so wait that long first. Files that gave a
# warning (one fixture does) are never cached.
hits() { sed -n 's/^folio: front matter cached *\([0-9]*\) of \([0-9]*\)$/\1 \2/p' "$TMP/inc.log" | grep . || echo "-1 -1"; }
sleep 3.1
FOLIO_TIMING=1 incr
sleep 0.1
FOLIO_TIMING=1 incr
check_rc "front-matter cache: builds" $? "$TMP/inc.log"
set -- $(hits)
before=$1
check "front-matter cache: all but the warned file from the cache ($1 of $2)" test "$1" = $(($2 - 1))
# the same size and the same mtime, but other bytes: ctime gives it away
f=content/2019/brics.md
cp -p "$f" "$TMP/orig.md"
ino=$(stat -c %i "$f")
sed 's/^title: \(.\)/title: X/' "$TMP/orig.md" >"$TMP/edited.md"
cat "$TMP/edited.md" >"$f"	# in place: the same inode
touch -r "$TMP/orig.md" "$f"
check "same inode, size and mtime" test "$(stat -c '%i %s %Y' "$f")" = "$ino $(stat -c '%s %Y' "$TMP/orig.md")"
FOLIO_TIMING=1 incr
set -- $(hits)
check "an edit keeping size and mtime is parsed again ($1 of $2)" test "$1" = $((before - 1))
check "its new title is on its page" grep -rq '<title>X' "$TMP/inc/2019"
same "an edit keeping size and mtime"
# a corrupt, cut or foreign cache is ignored whole
sleep 3.1
incr
printf 'garbage' | dd of=.folio-cache/meta bs=1 seek=200 conv=notrunc 2>/dev/null
FOLIO_TIMING=1 incr
set -- $(hits)
check "corrupt front-matter cache: nothing taken from it ($1)" test "$1" = 0
same "corrupt front-matter cache"
head -c 1000 .folio-cache/meta >"$TMP/cut" && mv "$TMP/cut" .folio-cache/meta
FOLIO_TIMING=1 incr
set -- $(hits)
check "cut front-matter cache: nothing taken from it ($1)" test "$1" = 0
same "cut front-matter cache"
# an empty file, or a folder in the cache's place, is no cache (and no error)
: >.folio-cache/meta
FOLIO_TIMING=1 incr
set -- $(hits)
check "empty front-matter cache: nothing taken from it ($1)" test "$1" = 0
same "empty front-matter cache"
rm -f .folio-cache/meta && mkdir .folio-cache/meta
FOLIO_TIMING=1 incr
check_rc "a folder in the front-matter cache's place: builds" $? "$TMP/inc.log"
set -- $(hits)
check "a folder in the front-matter cache's place: nothing taken ($1)" test "$1" = 0
same "a folder in the front-matter cache's place"
rmdir .folio-cache/meta
# an article with a warning is parsed every time, so the warning is given every time
printf -- '---\ntitle: Warned\ndate: 2021-06-01\nsources: [{name: X, colour: red}]\n---\nText.\n' >content/2021/warned.md
sleep 3.1
incr
for i in 1 2; do
	incr
	check_rc "a warning, build $i: builds" $? "$TMP/inc.log"
	check "a warning, build $i: given again" grep -q "warned.md.*unknown source key" "$TMP/inc.log"
done
same "an article with a warning"

# a build that fails before writing anything keeps the spare as it was
incr && incr
kept=$(reused)
printf -- '---\ntitle: Broken\ndate: 2021-13-45\n---\nText.\n' >content/2021/broken.md
check_fails "a failing build fails" incr
check "after a failed build the spare is still there" test -d "$TMP/inc.spare"
check "with its manifest" sh -c 'ls .folio-cache/manifest-*.spare >/dev/null'
check "and no staging folder" sh -c "! ls -d '$TMP'/inc.staging-* 2>/dev/null"
rm content/2021/broken.md
check "fixed: builds" incr
check "the page cache outlived the failed build: as many pages reused as before it ($kept)" test "$(reused)" = "$kept"
same "after a failed build"

# caches doctored so that their checksums still match: folio checks what it reads
sleep 3.1
incr && incr
for mode in month nulltag bodyoff; do
	cp .folio-cache/meta "$TMP/meta.orig"
	check "doctored front-matter cache ($mode)" /usr/bin/python3 "$TOP/tests/tools/cachecraft.py" .folio-cache/meta $mode
	FOLIO_TIMING=1 incr
	check_rc "doctored front-matter cache ($mode): builds" $? "$TMP/inc.log"
	set -- $(hits)
	check "doctored front-matter cache ($mode): the record is not taken ($1 of $2)" test "$1" -lt $(($2 - 1))
	same "doctored front-matter cache ($mode)"
	cp "$TMP/meta.orig" .folio-cache/meta
done
mkdir -p "$TMP/victim" && echo precious >"$TMP/victim/file" && echo precious >"$TMP/victim.txt"
check "a doctored spare manifest" /usr/bin/python3 "$TOP/tests/tools/cachecraft.py" "$(ls .folio-cache/manifest-*.spare | head -n 1)" manifest-escape
FOLIO_TIMING=1 incr
check_rc "a doctored spare manifest: builds" $? "$TMP/inc.log"
check "a doctored spare manifest: nothing outside the output touched" test -f "$TMP/victim/file" -a -f "$TMP/victim.txt"
check "a doctored spare manifest: the spare is not used" grep -q 'staging from the spare: no' "$TMP/inc.log"
same "a doctored spare manifest"
FOLIO_TIMING=1 incr
check "the next build starts from the spare again" grep -q 'staging from the spare: yes' "$TMP/inc.log"
same "the spare again"

# a path that was a folder becomes a file, and back (static files make it easy)
mkdir -p static/sw && echo in >static/sw/inner.txt
incr && incr
rm -rf static/sw && echo file >static/sw
check "a folder became a file: builds" incr
check "a folder became a file: the file is there" test -f "$TMP/inc/sw"
same "a folder became a file"
incr
rm -f static/sw && mkdir -p static/sw && echo again >static/sw/inner.txt
check "and a folder again: builds" incr
same "and a folder again"
rm -rf static

# one byte of a summary changed on disk: the page cache's hash no longer matches
incr && incr
for f in .folio-cache/pages-*; do sed -i '0,/^S \(.\{17\}\)[A-Za-z]/s//S \1Q/' "$f"; done
check "a summary damaged in the page cache" grep -q '^S .\{17\}Q' $(ls .folio-cache/pages-* | head -n 1)
check "a damaged page cache: builds" incr
same "a damaged page cache"

# Nothing changed since the last good build: the build stops after the scan,
# leaves the output as it is, and says again what that build said. Files
# changed in the last 2 s are not trusted by their stat, hence the sleeps.
sbuild() { "$FOLIO" build -o "$TMP/inc" "$@" 2>"$TMP/inc.log"; }
outid() { stat -c %i "$TMP/inc"; }
shortcut() { grep -q 'nothing changed' "$TMP/inc.log"; }
other_stamp=none
stamped() { ls .folio-cache/stamp-* 2>/dev/null | grep -qv "$other_stamp"; }	# this output's
settle() { sleep 3.1; sbuild "$@"; }	# a build whose inputs are all old enough to stamp
cp "$TOP/themes/default/layouts/archive.lua" themes/default/layouts/archive.lua	# no folio.read
commit "before the short cut" >/dev/null
rm -rf "$TMP/other"
settle
check "short cut: the build is stamped" stamped
id=$(outid)
check "short cut: nothing changed: builds" sbuild
check "short cut: nothing changed: says so" shortcut
check "short cut: the output folder is left as it was" test "$(outid)" = "$id"
check "short cut: the summary line still counts the site" grep -qE '^folio: [0-9]+ articles, [0-9]+ pages \([0-9]+ unchanged\)' "$TMP/inc.log"
check "short cut: the last build's warnings are given again" grep -q "warned.md.*unknown source key" "$TMP/inc.log"
same "short cut"
check "short cut: --force builds" incr
check_fails "short cut: --force does not take it" shortcut
"$FOLIO" build -o "$TMP/other" 2>"$TMP/inc.log"
check_fails "short cut: another output folder has its own stamp" shortcut
other_stamp=$(ls -t .folio-cache/stamp-* | head -n 1)
"$FOLIO" build -o "$TMP/other" 2>"$TMP/inc.log"
check "short cut: which the next build there takes" shortcut

# an edit: a full build, not stamped while the edit is recent
settle
printf '\nShort-cut edit.\n' >>content/2019/brics.md
check "short cut: an edit builds" sbuild
check_fails "short cut: an edit is not 'nothing changed'" shortcut
check "short cut: the edit is published" grep -rq 'Short-cut edit.' "$TMP/inc/2019"
check_fails "short cut: a build right after an edit is not stamped" stamped
sbuild
check_fails "short cut: so the next build is a full one too" shortcut
same "short cut: an edit"
# committing it changes no file, but the history: the page must show the commit
settle && sbuild
check "short cut: the uncommitted edit is stamped" shortcut
page=$(grep -l 'Short-cut edit.' "$TMP"/inc/2019/*/*/index.html | head -n 1)	# its own page: no summary shows the new last line
check "short cut: the page says uncommitted" grep -qi 'uncommitted' "$page"
commit "the short-cut edit"
check "short cut: after a commit: builds" sbuild
check_fails "short cut: after a commit: a full build" shortcut
check "short cut: after a commit: the page shows it" grep -q 'the short-cut edit' "$page"
same "short cut: after a commit"

# an untracked article is "uncommitted"; once git ignores it, it is not
printf -- '---\ntitle: Ignored soon\ndate: 2021-07-01\n---\nText.\n' >content/2021/ignored-soon.md
settle && sbuild
check "short cut: an untracked article: stamped" shortcut
ig=$(ls "$TMP"/inc/2021/*/ignored-soon/index.html | head -n 1)
check "short cut: an untracked article is uncommitted" grep -qi 'uncommitted' "$ig"
echo 'ignored-soon.md' >content/2021/.gitignore
sbuild
check_fails "short cut: a new .gitignore builds" shortcut
check_fails "short cut: the ignored article is no longer uncommitted" grep -qi 'uncommitted' "$ig"
same "short cut: a .gitignore"
settle && sbuild
echo 'nothing.md' >content/2021/.gitignore
sbuild
check_fails "short cut: a .gitignore edited builds" shortcut
check "short cut: the article is uncommitted again" grep -qi 'uncommitted' "$ig"
rm -f content/2021/.gitignore content/2021/ignored-soon.md

# the theme, the config, the command line, static files and the output folder are inputs too
settle && sbuild
check "short cut: stamped again" shortcut
sed -i 's/<footer class="site-footer"><p>/<footer class="site-footer"><p>Again · /' themes/default/layouts/base.lua
sbuild
check_fails "short cut: a theme edit builds" shortcut
check "short cut: the theme edit shows" grep -q 'Again · ' "$TMP/inc/index.html"
settle && sbuild
check "short cut: then nothing changed" shortcut
sed -i 's/^per_page: 4/per_page: 5/' folio.yaml
sbuild
check_fails "short cut: a config edit builds" shortcut
same "short cut: a config edit"
settle && sbuild --drafts
check_fails "short cut: --drafts is another build" shortcut
sbuild --drafts
check "short cut: --drafts twice: nothing changed" shortcut
sbuild
check_fails "short cut: without --drafts again: a build" shortcut
mkdir -p static && echo 'one' >static/note.txt
settle && sbuild
echo 'two' >static/note.txt
sbuild
check_fails "short cut: a static file edited builds" shortcut
check "short cut: the static file is new" grep -q two "$TMP/inc/note.txt"
rm -rf static
settle && sbuild
echo "by hand" >"$TMP/inc/by-hand.txt"
sbuild
check_fails "short cut: a file added to the output builds" shortcut
check "short cut: and the stray file is gone" test ! -e "$TMP/inc/by-hand.txt"
rm -rf "$TMP/inc"
check "short cut: the output removed: builds" sbuild
check_fails "short cut: the output removed: not taken" shortcut
check "short cut: the output is back" test -f "$TMP/inc/index.html"

# a failed build, a --no-cache build and a layout reading an untracked file leave no stamp
settle && sbuild
check "short cut: stamped before the failure" stamped
printf -- '---\ntitle: Broken\ndate: 2021-13-45\n---\nText.\n' >content/2021/broken.md
sleep 3.1	# old enough to stamp: only the failure keeps the stamp away
check_fails "short cut: a failing build fails" sbuild
check_fails "short cut: a failed build leaves no stamp" stamped
rm content/2021/broken.md
settle
check "short cut: stamped before --no-cache" stamped
check "short cut: --no-cache build" "$FOLIO" build --no-cache -q -o "$TMP/inc"
check_fails "short cut: --no-cache leaves no stamp" stamped
sed -i 's|^return function(page, site)$|return function(page, site)\n  local note = require("folio").read("note.txt")|' themes/default/layouts/archive.lua
settle
check_fails "short cut: a layout reading an untracked file: no stamp" stamped
sbuild
check_fails "short cut: a layout reading an untracked file: never 'nothing changed'" shortcut


# On a larger archive the front-matter cache is not written again for a
# change or two (those files are parsed again, which costs less than writing
# the whole file), only once more than 1/256 of its records differ. 600
# articles: one edit (a new record, an old one not taken) stays under 600/256.
"$TOP/scripts/gen-corpus" --n 600 --seed 3 --commits 2 --out "$TMP/big" >/dev/null || fail "gen-corpus"
cd "$TMP/big" || exit 1
big() { FOLIO_TIMING=1 "$FOLIO" build --force -o "$TMP/big-out" 2>"$TMP/inc.log"; }
sleep 3.1
big && big
meta_id() { stat -c '%i %y' .folio-cache/meta; }
written=$(meta_id)
set -- $(hits)
check "600 articles: all from the cache ($1 of $2)" test "$1" = "$2"
f=$(find content -name '*.md' | sort | head -n 1)
printf '\nA new paragraph.\n' >>"$f"
sleep 3.1
big
set -- $(hits)
check "one file changed: parsed again ($1 of $2)" test "$1" = $(($2 - 1))
check "one file changed: the front-matter cache is not written again" test "$(meta_id)" = "$written"
check "one file changed: its page has the edit" grep -rq 'A new paragraph' "$TMP/big-out"
big
set -- $(hits)
check "and the next build parses it again ($1 of $2)" test "$1" = $(($2 - 1))
for g in $(find content -name '*.md' | sort | sed -n '2,3p'); do printf '\nMore.\n' >>"$g"; done
sleep 3.1
big
check "three files changed: the front-matter cache is written again" test "$(meta_id)" != "$written"
big
set -- $(hits)
check "three files changed: then all from the cache ($1 of $2)" test "$1" = "$2"
rm -rf "$TMP/big-clean"
"$FOLIO" build --no-cache -q -o "$TMP/big-clean" 2>/dev/null
check "600 articles after the edits: incremental = clean" diff -r "$TMP/big-out" "$TMP/big-clean"

done_testing
