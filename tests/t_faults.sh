#!/bin/bash
# Faults: disk full, output folder not writable, SIGKILL at random moments, a
# content file removed during the build, a corrupt .folio-cache/. Each time the
# previous output must stay whole (same checksums) and the error say why.
. "$(dirname "$0")/lib.sh"

LOGS=$TMP/logs
mkdir -p "$LOGS"
sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha1sum) 2>/dev/null; }
same_as() { sums "$1" | cmp -s - "$2"; }	# same_as DIR SUMFILE
mounted=
trap 'for m in $mounted; do umount "$m"; done; rm -rf "$TMP"' EXIT

# A site big enough that a build takes a few hundred ms.
gen_site() {	# gen_site DIR N TITLE
	mkdir -p "$1/content"
	printf 'title: %s\nhistory: false\nper_page: 10\n' "$3" >"$1/folio.yaml"
	for y in $(seq 2000 2019); do mkdir -p "$1/content/$y"; done
	awk -v dir="$1/content" -v n="$2" 'BEGIN {
		for (i = 1; i <= n; i++) {
			y = 2000 + i % 20; f = sprintf("%s/%d/a%d.md", dir, y, i)
			printf "---\ntitle: Article number %d\ndate: %d-%02d-%02d\ntags: [t%d, t%d]\n", i, y, 1 + i % 12, 1 + i % 28, i % 50, i % 7 >f
			printf "sources: [{name: S%d, url: \"https://example.org/%d\"}]\n---\n", i % 30, i >f
			printf "Body of %d with *emphasis*.\n\nA second paragraph, long enough to matter.\n", i >f
			close(f)
		}
	}'
}

S=$TMP/site
gen_site "$S" 1500 "Version A"
OUT=$S/public

# reference outputs for the two versions of the site
"$FOLIO" build -C "$S" -o "$TMP/refA" -q --no-cache >"$LOGS/refA" 2>&1
check_rc "reference build A" $? "$LOGS/refA"
sums "$TMP/refA" >"$TMP/A.sums"
site_kb=$(du -sk "$TMP/refA" | cut -f1)
rm -rf "$TMP/refA"	# only its checksums are needed: a machine short of space fails less
sed -i 's/^title: Version A/title: Version B/' "$S/folio.yaml"
"$FOLIO" build -C "$S" -o "$TMP/refB" -q --no-cache >"$LOGS/refB" 2>&1
sums "$TMP/refB" >"$TMP/B.sums"
rm -rf "$TMP/refB"
check "A and B differ on every page" test "$(diff "$TMP/A.sums" "$TMP/B.sums" | grep -c '^<')" -gt 100
sed -i 's/^title: Version B/title: Version A/' "$S/folio.yaml"
"$FOLIO" build -C "$S" -q >"$LOGS/first" 2>&1
check "first build into public/" same_as "$OUT" "$TMP/A.sums"

# --- SIGKILL at random moments ------------------------------------------------
t0=$(date +%s%N)
"$FOLIO" build -C "$S" -q >/dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "a build takes a while (${ms} ms)" test "$ms" -ge 50
whole=0
cur=A
for i in $(seq 1 20); do
	next=$([ $cur = A ] && echo B || echo A)
	sed -i "s/^title: Version .*/title: Version $next/" "$S/folio.yaml"
	"$FOLIO" build -C "$S" -q >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v r=$RANDOM -v ms="$ms" 'BEGIN { printf "%.3f", r / 32768 * ms / 1000 }')"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	if same_as "$OUT" "$TMP/A.sums"; then cur=A; whole=$((whole + 1))
	elif same_as "$OUT" "$TMP/B.sums"; then cur=B; whole=$((whole + 1))
	else fail "kill $i: public/ is neither the old nor the new site" "$(sums "$OUT" | diff - "$TMP/$cur.sums" | head -5)"; fi
done
check "after 20 kills public/ was whole every time ($whole/20)" test $whole = 20
"$FOLIO" build -C "$S" -q >"$LOGS/afterkill" 2>&1
check_rc "a build after the kills succeeds" $? "$LOGS/afterkill"
check "and leaves no staging folder behind" test -z "$(ls -d "$S"/public.staging-* "$S"/public.old-* 2>/dev/null)"
cur=$(grep -o 'Version [AB]' "$S/folio.yaml" | cut -c9)
check "and public/ is the current version" same_as "$OUT" "$TMP/$cur.sums"
sed -i "s/^title: Version .*/title: Version A/" "$S/folio.yaml"
"$FOLIO" build -C "$S" -q >/dev/null 2>&1

# --- a content file removed during the build ------------------------------------
ok=0
for i in 1 2 3 4 5; do
	cp "$S/content/2001/a$((i * 20 + 1)).md" "$TMP/keep.md"
	"$FOLIO" build -C "$S" >"$LOGS/rm$i" 2>&1 &
	pid=$!
	sleep "0.0$((RANDOM % 9))"
	rm -f "$S/content/2001/a$((i * 20 + 1)).md"
	wait $pid
	rc=$?
	if [ $rc = 0 ]; then
		# read before it went: a whole new site, swapped in
		[ -f "$OUT/index.html" ] && [ -z "$(ls -d "$S"/public.staging-* 2>/dev/null)" ] && ok=$((ok + 1))
	elif grep -q "a$((i * 20 + 1)).md" "$LOGS/rm$i" && grep -q 'left as it was' "$LOGS/rm$i" &&
	    same_as "$OUT" "$TMP/A.sums"; then
		ok=$((ok + 1))
	else
		fail "removed file $i" "$(tail -n 3 "$LOGS/rm$i")"
	fi
	mv "$TMP/keep.md" "$S/content/2001/a$((i * 20 + 1)).md"
	"$FOLIO" build -C "$S" -q >/dev/null 2>&1
done
check "a file removed mid-build: a whole site or a clear error, 5/5 ($ok)" test $ok = 5
check "public/ back to A" same_as "$OUT" "$TMP/A.sums"

# --- output folder not writable (as root: a file where its parent should be) ---------
echo x >"$TMP/notadir"
"$FOLIO" build -C "$S" -o "$TMP/notadir/public" >"$LOGS/notdir" 2>&1
check "output under a file: fails" test $? = 1
check "output under a file: says why" grep -qiE 'not a directory|a file is in the way' "$LOGS/notdir"
check "output under a file: the file is untouched" test "$(cat "$TMP/notadir")" = x
if [ "$(id -u)" = 0 ] && mount --bind "$S" "$S" 2>/dev/null; then
	mounted="$S $mounted"
	if mount -o remount,ro,bind "$S" 2>/dev/null; then
		sed -n p "$S/folio.yaml" >/dev/null
		"$FOLIO" build -C "$S" >"$LOGS/ro" 2>&1
		check "read-only output folder: fails" test $? = 1
		check "read-only output folder: says why" grep -qi 'read-only file system' "$LOGS/ro"
		check "read-only output folder: public/ whole" same_as "$OUT" "$TMP/A.sums"
	fi
	umount "$S" && mounted=
fi

# --- disk full -------------------------------------------------------------------
D=$TMP/disk
mkdir -p "$D"
need=$(( site_kb * 2 + $(du -sk "$S/content" | cut -f1) + 4096 ))
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=${need}k tmpfs "$D" 2>/dev/null; then
	mounted="$D $mounted"
	cp -R "$S/content" "$S/folio.yaml" "$D/"
	"$FOLIO" build -C "$D" -q >"$LOGS/disk1" 2>&1
	check_rc "disk: first build fits" $? "$LOGS/disk1"
	sums "$D/public" >"$TMP/D.sums"
	# leave 300 kB free, then change every page
	avail=$(df -k --output=avail "$D" | tail -n 1)
	head -c $(( (avail - 300) * 1024 )) /dev/zero >"$D/filler" 2>/dev/null
	sed -i 's/^title: Version .*/title: Version B/' "$D/folio.yaml"
	"$FOLIO" build -C "$D" >"$LOGS/disk2" 2>&1
	check "disk full: fails" test $? = 1
	check "disk full: says so" grep -qi 'no space left on device' "$LOGS/disk2"
	check "disk full: says the old site is left" grep -q 'left as it was' "$LOGS/disk2"
	check "disk full: public/ whole" same_as "$D/public" "$TMP/D.sums"
	check "disk full: staging removed" test -z "$(ls -d "$D"/public.staging-* 2>/dev/null)"
	rm -f "$D/filler"
	"$FOLIO" build -C "$D" -q >"$LOGS/disk3" 2>&1
	check_rc "disk freed: the next build succeeds" $? "$LOGS/disk3"
	umount "$D" && mounted=${mounted#"$D "}
else
	# no mount: a file-size limit instead (SIGXFSZ ignored, so write() fails with EFBIG)
	cp -R "$S/content" "$S/folio.yaml" "$D/"
	"$FOLIO" build -C "$D" -q >"$LOGS/disk1" 2>&1
	sums "$D/public" >"$TMP/D.sums"
	{ printf -- '---\ntitle: Huge\ndate: 2019-01-01\n---\n'; head -c 3000000 /dev/zero | tr '\0' a; } >"$D/content/huge.md"
	(trap '' XFSZ; ulimit -f 2048; exec "$FOLIO" build -C "$D") >"$LOGS/disk2" 2>&1
	check "file too large: fails" test $? = 1
	check "file too large: says so" grep -qi 'file too large' "$LOGS/disk2"
	check "file too large: public/ whole" same_as "$D/public" "$TMP/D.sums"
fi

# --- threads that cannot be made (a pids limit, no memory) ------------------------------
# A preloaded pthread_create() that fails every second call, or every call:
# the build does the work on the threads it has, the same site.
cat >"$TMP/nothreads.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int
pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	static int	 n;
	const char	*mode = getenv("NOTHREADS");
	create_fn	 real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");

	if (mode != NULL && (mode[0] == 'a' || __atomic_add_fetch(&n, 1, __ATOMIC_SEQ_CST) % 2 == 0))
		return EAGAIN;
	return real(t, a, fn, arg);
}
EOF
if cc -shared -fPIC -o "$TMP/nothreads.so" "$TMP/nothreads.c" -ldl 2>"$LOGS/cc_nothreads"; then
	for mode in half all; do
		rm -rf "$TMP/thr"
		NOTHREADS=$mode LD_PRELOAD=$TMP/nothreads.so ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
			"$FOLIO" build -C "$S" -o "$TMP/thr" -q --no-cache -j 4 >"$LOGS/thr-$mode" 2>&1
		check_rc "threads refused ($mode): builds" $? "$LOGS/thr-$mode"
		check "threads refused ($mode): the same site" same_as "$TMP/thr" "$TMP/A.sums"
	done
	rm -rf "$TMP/thr"
else
	fail "threads refused: the preloaded pthread_create does not compile" "$(head -c 300 "$LOGS/cc_nothreads")"
fi

# --- a corrupt .folio-cache/ ---------------------------------------------------------
C=$S/.folio-cache
check "the cache exists" test -n "$(ls "$C" 2>/dev/null)"
for how in garbage truncated binary traversal dir; do
	for f in $(find "$C" -type f); do
		case $how in
		garbage) printf 'not a cache\n\n\n' >"$f" ;;
		truncated) head -c 300 "$f" >"$TMP/m" && mv "$TMP/m" "$f" ;;
		binary) head -c 4096 /dev/urandom >"$f" ;;
		traversal) { head -n 2 "$f"; echo "0000000000000000 0 0 ../../../../etc/passwd"; echo "ffffffffffffffff 99999999999999999999999 -1 index.html"; } >"$TMP/m" && mv "$TMP/m" "$f" ;;
		dir) rm -f "$f" && mkdir "$f" ;;
		esac
	done
	sed -i 's/^title: Version .*/title: Version B/' "$S/folio.yaml"
	"$FOLIO" build -C "$S" >"$LOGS/cache-$how" 2>&1
	check_rc "corrupt cache ($how): builds" $? "$LOGS/cache-$how"
	check "corrupt cache ($how): output right" same_as "$OUT" "$TMP/B.sums"
	sed -i 's/^title: Version .*/title: Version A/' "$S/folio.yaml"
	rm -rf "$C"/*
	"$FOLIO" build -C "$S" -q >/dev/null 2>&1
	check "corrupt cache ($how): rebuilt" test -n "$(find "$C" -type f)"
	check "corrupt cache ($how): back to A" same_as "$OUT" "$TMP/A.sums"
done

for m in $mounted; do umount "$m"; done
check "no sanitizer report in any folio run" test -z "$(grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$LOGS"/* 2>/dev/null)"
done_testing
