#!/bin/bash
# Changelogs from git history, through a whole build: article pages, /changes/,
# its feed, the sitemap, the cache, uncommitted work, shallow clones, no repository.
. "$(dirname "$0")/lib.sh"

REPO=$TMP/repo
"$TOP/scripts/make-history-fixture" "$REPO" >/dev/null 2>&1 || { fail "fixture" "make-history-fixture failed"; done_testing; exit 1; }
printf 'title: Valley\nbase_url: https://valley.example/\nrepo_url: https://git.example/valley/commit/%%s\nper_page: 3\n' >"$REPO/folio.yaml"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git -C "$REPO" add folio.yaml && git -C "$REPO" -c user.name=T -c user.email=t@x commit -qm "site config" \
	--date="2020-01-13T00:00:00Z" >/dev/null

build() { "$FOLIO" build -C "$1" -o "$2" >"$TMP/log" 2>&1; }
check "cold build" build "$REPO" "$TMP/out"
O=$TMP/out
FLOOD=$O/2019/03/the-flood-of-2019/index.html
DRY=$O/2020/01/drought/index.html

# an article's own history
check "created date" grep -q 'Added to the archive on January 1, 2020' "$FLOOD"
check "updated date" grep -q 'Last revised on January 12, 2020' "$FLOOD"
check "three changelog entries" test "$(grep -c '<li><time datetime=' "$FLOOD")" = 3
check "entry: edited with line counts" grep -q 'Flood: more detail .*edited (+2 −1)' "$FLOOD"
check "entry: added" grep -q 'Add the first articles .*added' "$FLOOD"
check "entry: author" grep -q 'Bob Ndiaye' "$FLOOD"
check "entry: short hash linked with repo_url" grep -qE '<a href="https://git.example/valley/commit/[0-9a-f]{40}"><code>[0-9a-f]{7}</code></a>' "$FLOOD"
check "entry times in UTC from +0100" grep -q 'datetime="2020-01-03T09:00:00Z"' "$FLOOD"
check "entry times in UTC from -0500" grep -q 'datetime="2020-01-12T14:00:00Z"' "$FLOOD"
check "renamed article: created follows the rename" grep -q 'Added to the archive on January 2, 2020' "$DRY"
check "renamed article: rename entry" grep -q 'renamed from 2020/drought.md (+1 −0)' "$DRY"
check "publication date stays the front-matter date" grep -q 'datetime="2020-01-02">' "$DRY"
check "JSON-LD dateModified from git" grep -q '"dateModified":"2020-01-12T14:00:00Z"' "$FLOOD"

# the site-wide changes
C=$O/changes
check "/changes/ has 3 pages (9 commits touch content, 3 a page)" test -f "$C/page/3/index.html"
check "no 4th page" test ! -e "$C/page/4"
all=$(cat "$C/index.html" "$C/page/2/index.html" "$C/page/3/index.html")
n=$(echo "$all" | grep -c '<section class="commit"')
check "9 commits listed" test "$n" = 9
check "the commit outside content/ is not listed" bash -c "! echo '$all' | grep -q 'Readme and theme'"
check "the config commit is not listed" bash -c "! echo '$all' | grep -q 'site config'"
check "newest first" bash -c "grep -o '<section class=\"commit\"' '$C/index.html' >/dev/null && grep -m1 -o 'Flood: aftermath' '$C/index.html'"
check "removed article by its last title, without a link" bash -c "echo '$all' | grep -q '<span class=\"gone\">Fire in the hills</span> — <span class=\"kind kind-removed\">removed'"
check "metadata-only change" bash -c "echo '$all' | grep -q 'metadata changed'"
check "a change to a file removed later shows its last title" bash -c "echo '$all' | grep -q '<span class=\"gone\">Fire in the hills</span> — <span class=\"kind kind-metadata\">metadata changed'"
check "a change to a file renamed later links the article as it is now" bash -c "echo '$all' | grep -q '<a href=\"/2020/01/drought/\">Drought</a> — <span class=\"kind kind-added\">added'"
check "no bare paths for known articles" bash -c "! echo '$all' | grep -q 'class=\"gone\">20[0-9][0-9]/'"
check "merge brings the side branch's article (first parent)" bash -c "echo '$all' | grep -q 'Merge branch .* <a href=\"/2020/01/storm/\">Storm</a> — <span class=\"kind kind-added\">added' || echo '$all' | tr -d '\n' | grep -q 'Merge branch.*href=\"/2020/01/storm/\">Storm</a> — <span class=\"kind kind-added\">added'"
check "changes feed well-formed" xmllint --noout "$C/atom.xml"
check "changes feed has 9 entries" test "$(grep -c '<entry>' "$C/atom.xml")" = 9
check "sitemap lastmod from git" grep -q '<loc>https://valley.example/2019/03/the-flood-of-2019/</loc><lastmod>2020-01-12</lastmod>' "$O/sitemap.xml"
check "cache written" bash -c "ls '$REPO/.folio-cache/history'"

# one more commit: the cached build equals a cold one
printf '\nA last line.\n' >>"$REPO/content/2020/heat.md"
git -C "$REPO" -c user.name="Carol" -c user.email=c@x commit -qam "Heat: a last line" --date="2020-02-01T12:00:00+0200"
check "cached build after one more commit" build "$REPO" "$TMP/cached"
rm -rf "$TMP/coldrepo" && cp -R "$REPO" "$TMP/coldrepo" && rm -rf "$TMP/coldrepo/.folio-cache"
check "cold build of the same" build "$TMP/coldrepo" "$TMP/cold"
check "cached = cold" diff -r "$TMP/cached" "$TMP/cold"
check "the new commit shows" grep -q 'Heat: a last line' "$TMP/cached/changes/index.html"

# a corrupt history cache is rebuilt
printf 'garbage' >"$REPO/.folio-cache/history"
check "corrupt cache: builds" build "$REPO" "$TMP/fixed"
check "corrupt cache: same site" diff -r "$TMP/fixed" "$TMP/cold"

# uncommitted work
printf '\nNot yet committed.\n' >>"$REPO/content/2019/flood.md"
check "uncommitted: builds" build "$REPO" "$TMP/wip"
check "uncommitted: shown in the changelog" grep -q 'uncommitted changes' "$TMP/wip/2019/03/the-flood-of-2019/index.html"
today=$(date -u +%Y-%m-%d)
check "uncommitted: updated is the file's mtime" grep -q "\"dateModified\":\"$today" "$TMP/wip/2019/03/the-flood-of-2019/index.html"
git -C "$REPO" checkout -q -- content/2019/flood.md

# staged work: what is staged is cached by HEAD and the index's checksum
FLOODPAGE=2019/03/the-flood-of-2019/index.html
printf '\nStaged, not committed.\n' >>"$REPO/content/2019/flood.md"
git -C "$REPO" add content/2019/flood.md
check "staged: builds" build "$REPO" "$TMP/st1"
check "staged: shown as uncommitted" grep -q 'uncommitted changes' "$TMP/st1/$FLOODPAGE"
check "staged: the list is cached" test -f "$REPO/.folio-cache/staged"
check "staged, from the cache: builds" build "$REPO" "$TMP/st2"
check "staged, from the cache: still shown" grep -q 'uncommitted changes' "$TMP/st2/$FLOODPAGE"
git -C "$REPO" reset -q
check "unstaged again: builds" build "$REPO" "$TMP/st3"
check "unstaged again: still shown (the work tree differs)" grep -q 'uncommitted changes' "$TMP/st3/$FLOODPAGE"
git -C "$REPO" add content/2019/flood.md
build "$REPO" "$TMP/st4"
git -C "$REPO" checkout -q HEAD -- content/2019/flood.md
check "staged then reverted: builds" build "$REPO" "$TMP/st5"
check "staged then reverted: no longer shown (the index changed)" bash -c "! grep -q 'uncommitted changes' '$TMP/st5/$FLOODPAGE'"
printf -- '---\ntitle: Staged arrival\ndate: 2020-02-02\n---\nNew and staged.\n' >"$REPO/content/2020/staged.md"
git -C "$REPO" add content/2020/staged.md
check "a new staged file: builds" build "$REPO" "$TMP/st6"
check "a new staged file: uncommitted" grep -rq 'uncommitted changes' "$TMP/st6/2020/02"
git -C "$REPO" rm -q --cached content/2020/staged.md && rm "$REPO/content/2020/staged.md"
check "and gone: builds" build "$REPO" "$TMP/st7"
check "and gone: no page" test ! -d "$TMP/st7/2020/02/staged-arrival"
printf 'garbage\n' >"$REPO/.folio-cache/staged"
check "a corrupt staged cache: builds" build "$REPO" "$TMP/st8"
check "a corrupt staged cache: same site" diff -r "$TMP/st7" "$TMP/st8"

# a shallow clone: detected, one warning, "history truncated", no invented creation date
git clone -q --depth 3 "file://$REPO" "$TMP/shallow" 2>/dev/null
check "shallow: builds" build "$TMP/shallow" "$TMP/sh"
check "shallow: one warning" test "$(grep -ci 'shallow' "$TMP/log")" = 1
check "shallow: pages say truncated" grep -qi 'history truncated' "$TMP/sh/2019/03/the-flood-of-2019/index.html"
check "shallow: no invented creation date" bash -c "! grep -q 'Added to the archive on January 1, 2020' '$TMP/sh/2019/03/the-flood-of-2019/index.html'"

# no repository
cp -R "$REPO" "$TMP/export" && rm -rf "$TMP/export/.git" "$TMP/export/.folio-cache"
check "no repository: builds" build "$TMP/export" "$TMP/ex"
check "no repository: one notice" test "$(grep -c 'not in a git repository' "$TMP/log")" = 1
check "no repository: no history on pages" bash -c "! grep -q 'Added to the archive' '$TMP/ex/2019/03/the-flood-of-2019/index.html'"
check "no repository: /changes/ still written" test -f "$TMP/ex/changes/index.html"

# a corrupt index: the walk or the work tree (asked on its own thread) cannot be read: no history, one notice
cp -R "$REPO" "$TMP/badindex" && rm -rf "$TMP/badindex/.folio-cache"
printf 'not an index' >"$TMP/badindex/.git/index"
# libgit2 1.5 leaks two short strings when its diff's attribute lookup meets
# the corrupt index (the rename path, git_patch_from_diff): under make asan
# this one build is run without leak detection; its memory errors still count
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 check "corrupt index: builds" build "$TMP/badindex" "$TMP/bi"
check "corrupt index: one notice" test "$(grep -cE "cannot read the git (history|work tree's status)" "$TMP/log")" = 1
check "corrupt index: no history on pages" bash -c "! grep -q 'Added to the archive' '$TMP/bi/2019/03/the-flood-of-2019/index.html'"

# libgit2's set-up runs on a thread of its own during the scan. A build
# waits for that thread to end before it exits, even when it needed no
# history: an exit while the thread ends races OpenSSL's per-thread clean-up
# (under make asan, a leak report in one build of two on a loaded machine).
# A preloaded git_libgit2_init() gives its thread an end that takes 400 ms
# and then leaves a mark: the mark must be there when folio has exited.
# (On a small site the main thread may come to the set-up first, asking
# for the history's state: then no thread of libgit2's is left to end,
# and the mark is left at once.)
cat >"$TMP/slowinit.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
static pthread_key_t	key;
static void
mark(void)
{
	int	fd;

	if ((fd = open(getenv("SLOWINIT_MARK"), O_WRONLY | O_CREAT, 0644)) != -1)
		close(fd);
}
static void
thread_ends(void *unused)
{
	(void)unused;
	usleep(400000);
	mark();
}
int
git_libgit2_init(void)
{
	int	(*real)(void) = (int (*)(void))dlsym(RTLD_NEXT, "git_libgit2_init");

	if (gettid() == getpid())
		mark();		/* on the main thread: no other thread to wait for */
	else if (pthread_key_create(&key, thread_ends) == 0)
		pthread_setspecific(key, &key);
	return real();
}
EOF
if cc -shared -fPIC -o "$TMP/slowinit.so" "$TMP/slowinit.c" -ldl -pthread 2>"$TMP/cc_slowinit"; then
	cp -R "$REPO" "$TMP/warm" && rm -rf "$TMP/warm/.folio-cache"
	check "libgit2 set-up thread: first build" build "$TMP/warm" "$TMP/warm/public"
	rm -f "$TMP/mark"
	SLOWINIT_MARK=$TMP/mark LD_PRELOAD=$TMP/slowinit.so ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		"$FOLIO" build -C "$TMP/warm" -o "$TMP/warm/public" >"$TMP/log" 2>&1
	check_rc "libgit2 set-up thread: nothing-changed build" $? "$TMP/log"
	check "libgit2 set-up thread: nothing was written" grep -q '(0 written)' "$TMP/log"
	check "libgit2 set-up thread: folio waited for its thread to end" test -f "$TMP/mark"
else
	fail "libgit2 set-up thread: the preloaded git_libgit2_init does not compile" "$(head -c 300 "$TMP/cc_slowinit")"
fi

# history: false
printf 'history: false\n' >>"$REPO/folio.yaml"
check "history: false builds" build "$REPO" "$TMP/off"
check "history: false: no history on pages" bash -c "! grep -q 'Added to the archive' '$TMP/off/2019/03/the-flood-of-2019/index.html'"

# the repository's own archive shows its import commit(s)
if git -C "$TOP" rev-parse --is-shallow-repository 2>/dev/null | grep -q false; then
	check "own archive builds" build "$TOP" "$TMP/own"
	import_commit=$(git -C "$TOP" log --format=%h --diff-filter=A -- content | tail -1)
	check "own archive: /changes/ lists the import commit $import_commit" \
		bash -c "cat '$TMP/own/changes/index.html' '$TMP/own'/changes/page/*/index.html 2>/dev/null | grep -q '<code>$import_commit</code>'"
	f=$(ls "$TMP/own"/20*/*/*/index.html | head -1)
	check "own archive: article pages show when they were added" grep -q 'Added to the archive on' "$f"
else
	pass "own archive: shallow checkout, skipped with the documented behaviour"
fi

done_testing
