#!/bin/bash
# The benchmark tooling: scripts/gen-corpus is deterministic and writes what
# it promises; scripts/bench --quick runs and writes a results table.
# No timing assertions: benchmarks are never timed tests.
. "$(dirname "$0")/lib.sh"

GEN=$TOP/scripts/gen-corpus
N=40
C=8

check "gen-corpus runs (with --hugo)" \
	"$GEN" --n $N --seed 7 --commits $C --out "$TMP/a" --hugo "$TMP/ah"
check "gen-corpus runs again, same seed" \
	"$GEN" --n $N --seed 7 --commits $C --out "$TMP/b"
check "gen-corpus runs with another seed" \
	"$GEN" --n $N --seed 8 --commits $C --out "$TMP/c"
check_fails "gen-corpus refuses an existing --out" \
	"$GEN" --n $N --seed 7 --commits $C --out "$TMP/a"

head_of() { git -C "$1" rev-parse HEAD 2>/dev/null; }
tree_of() { git -C "$1" rev-parse 'HEAD^{tree}' 2>/dev/null; }
# the work tree as checked out, not just what git says
files_hash() { (cd "$1" && find . -path ./.git -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum | sha256sum); }

check "same seed: identical HEAD id" test "$(head_of "$TMP/a")" = "$(head_of "$TMP/b")"
check "same seed: identical tree" test "$(tree_of "$TMP/a")" = "$(tree_of "$TMP/b")"
check "same seed: identical work-tree files" test "$(files_hash "$TMP/a")" = "$(files_hash "$TMP/b")"
packs() { (cd "$1/.git/objects" && find . -type f ! -name '*.idx' ! -name '*.rev' ! -name 'packed-refs' -path './pack/*' -o -type f -path './??/*') | LC_ALL=C sort; }
check "one pack, repacked by git: no loose object, no second pack" test "$(packs "$TMP/a" | wc -l)" = 1
check "same seed: the same pack, byte for byte" cmp "$TMP/a/.git/objects/$(packs "$TMP/a")" "$TMP/b/.git/objects/$(packs "$TMP/b")"
check "the hugo tree is repacked too" test "$(packs "$TMP/ah" | wc -l)" = 1
# git's delta search chains an article's versions to one another (and to
# other articles of the same size); fast-import chains each blob to the one
# written before it, another article's, or leaves a small import unpacked
chained() {
	repo=$1
	f=$(git -C "$repo" log --diff-filter=M --format= --name-only -- content | head -n 1)
	git -C "$repo" log --format=%H -- "$f" | while read -r c; do git -C "$repo" rev-parse "$c:$f"; done | sort -u >"$TMP/versions"
	test "$(wc -l <"$TMP/versions")" -ge 2 || return 1
	git -C "$repo" verify-pack -v "$repo"/.git/objects/pack/*.idx | grep -F -f "$TMP/versions" |
	    awk 'NF == 7 { print $7 }' >"$TMP/bases"
	# some version is stored as a delta of another
	grep -q -x -F -f "$TMP/versions" "$TMP/bases"
}
check "an edited article's versions: one a delta of another (git's layout)" chained "$TMP/a"
check "another seed: another HEAD" test "$(head_of "$TMP/a")" != "$(head_of "$TMP/c")"
check "$C commits" test "$(git -C "$TMP/a" rev-list --count HEAD)" = $C
check "hugo tree has the same history length" test "$(git -C "$TMP/ah" rev-list --count HEAD)" = $C
check "work tree is clean" test -z "$(git -C "$TMP/a" status --porcelain)"
check "folio.yaml" has "$TMP/a/folio.yaml" 'base_url: "https://example.org/"'
check "$N articles" test "$(find "$TMP/a/content" -name '*.md' | wc -l)" = $N
check "$N hugo articles" test "$(find "$TMP/ah/content/articles" -name '*.md' ! -name _index.md | wc -l)" = $N
check "several committers" test "$(git -C "$TMP/a" log --format=%an | sort -u | wc -l)" -ge 3
check "several time zones" test "$(git -C "$TMP/a" log --format=%ad --date=format:%z | sort -u | wc -l)" -ge 3
check "later commits edit articles" test -n "$(git -C "$TMP/a" log --diff-filter=M --format=%h -- content)"

# Front matter parses (a small YAML subset reader: the generator writes block
# lists, double-quoted strings and bare dates) and the bodies are 3-7 KB.
check_articles() {
	/usr/bin/python3 - "$1" <<'EOF'
import glob, json, re, sys
bad = []
files = sorted(glob.glob(sys.argv[1] + "/content/*/*.md"))
for f in files:
    t = open(f, encoding="utf-8").read()
    m = re.match(r"---\n(.*?)\n---\n(.*)\Z", t, re.S)
    if not m:
        bad.append(f"{f}: no front matter"); continue
    fm, body = m.group(1), m.group(2)
    keys = re.findall(r"^([a-z_]+):", fm, re.M)
    if keys[:4] != ["title", "date", "tags", "sources"] or set(keys) - {"title", "date", "tags", "sources", "authors"}:
        bad.append(f"{f}: keys {keys}")
    q = re.search(r'^title: (".*")$', fm, re.M)
    try:
        assert q and isinstance(json.loads(q.group(1)), str)  # our escapes are JSON's subset
    except Exception:
        bad.append(f"{f}: title not a double-quoted string")
    d = re.search(r"^date: (\d{4})-(\d\d)-(\d\d)$", fm, re.M)
    if not d or not 2014 <= int(d.group(1)) <= 2023 or f.split("/")[-2] != d.group(1):
        bad.append(f"{f}: bad date or folder")
    tags = re.findall(r'^tags:\n((?:  - ".*"\n)+)', fm + "\n", re.M)
    if not tags or not 1 <= tags[0].count("\n") <= 3:
        bad.append(f"{f}: tags")
    n = len(re.findall(r"^  - name: \".*\"\n    url: \"https://[^\"]+\"\n    date: \d{4}-\d\d-\d\d$", fm, re.M))
    if not 1 <= n <= 2:
        bad.append(f"{f}: {n} sources")
    size = len(body.encode())
    if not 3000 <= size <= 7168:
        bad.append(f"{f}: body {size} bytes")
    for want in ("\n## ", "\n- ", "\n> ", "]("):
        if want not in body:
            bad.append(f"{f}: body lacks {want!r}")
if not files:
    bad.append("no articles")
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
EOF
}
check "front matter keys, dates, tags, sources; bodies 3-7 KB" check_articles "$TMP/a"
check "some articles have authors" grep -q '^authors:' -r "$TMP/a/content"
check "UTF-8 names" grep -q 'ü\|ł\|ç' -r "$TMP/a/content"
check "titles with ': '" grep -q '^title: ".*: ' -r "$TMP/a/content"
check "hugo tree: source_names and year sections" \
	test -n "$(grep -l '^source_names:' -r "$TMP/ah/content")" -a -f "$TMP/ah/content/articles/$(ls "$TMP/a/content" | head -n 1)/_index.md"

# scripts/bench --quick: runs, writes the table (folio may fail: that is reported, exit 3).
bench_quick() {
	FOLIO=$FOLIO "$TOP/scripts/bench" --quick --work "$TMP/work" --out "$TMP/RESULTS.md"
	rc=$?
	[ $rc = 0 ] || [ $rc = 3 ]
}
check "bench --quick runs" bench_quick
check "RESULTS.md has the table" has "$TMP/RESULTS.md" "| articles | commits | tool | runs | wall (s) |"
check "RESULTS.md has the machine" has "$TMP/RESULTS.md" "$(uname -s)"
check "RESULTS.md has a folio row" grep -qE '^\| 50 \| 10 \| folio \|' "$TMP/RESULTS.md"
if command -v hugo >/dev/null; then
	check "RESULTS.md has a Hugo row with numbers" grep -qE '^\| 50 \| 10 \| hugo \| 1 \| [0-9.]+ \|' "$TMP/RESULTS.md"
else
	echo "# hugo not installed: Hugo side of bench --quick not checked"
fi
# Once folio builds the quick corpus by itself, the bench must not call it failed.
if (cd "$TMP/work/corpus-50-c10-s1/folio" && "$FOLIO" build -q --output "$TMP/fo") >/dev/null 2>&1; then
	check "folio builds: bench shows folio numbers" grep -qE '^\| 50 \| 10 \| folio \| 1 \| [0-9.]+ \|' "$TMP/RESULTS.md"
	check "RESULTS.md: folio's articles per second, with and without history (no 10k run: no share)" \
	    grep -qE '^\| 50 \| [0-9,]+ \| – \| [0-9,]+ \| – \|' "$TMP/RESULTS.md"
	check "RESULTS.md has the file-system floor with numbers" \
	    grep -qE '^\| 50 \| [0-9.]+ / [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|' "$TMP/RESULTS.md"
	check "RESULTS.md: edit one, the first edit (no spare) apart, nothing changed" \
	    grep -qE '^\| 50 \| [0-9.]+ / [0-9.]+ \| [0-9.]+ \| [0-9.]+ / [0-9.]+ \| [0-9.]+ / [0-9.]+ \|' "$TMP/RESULTS.md"
	check "RESULTS.md lists the edit-one runs" grep -qE '^  - folio edit one, after the first \(s\): [0-9.]+' "$TMP/RESULTS.md"
	check "RESULTS.md: a theme edited, the first theme edit apart" \
	    grep -qE '^\| 50 \| [0-9.]+ / [0-9.]+ \| [0-9.]+ \| [0-9.]+ / [0-9.]+ \| [0-9.]+ / [0-9.]+ \| [0-9.]+ \| [0-9.]+ / [0-9.]+ \|' "$TMP/RESULTS.md"
	check "RESULTS.md lists the theme-edit runs" grep -qE '^  - folio theme edited, after the first \(s\): [0-9.]+' "$TMP/RESULTS.md"
	check "the bench takes its copy of the theme out of the corpus" test ! -e "$TMP/work/corpus-50-c10-s1/folio/themes"
	# write_tree writes the same files (paths and sizes) as the output it was given
	(cd "$TMP/fo" && find . -type f -printf '%s %P\n' | sort) >"$TMP/fo.list"
	cc -std=gnu11 -O2 -pthread -o "$TMP/write_tree" "$TOP/tests/bench/write_tree.c" &&
	    "$TMP/write_tree" "$TMP/fo.list" "$TMP/wt" 3 >"$TMP/wt.out" 2>&1
	check_rc "write_tree runs on three threads" $? "$TMP/wt.out"
	check "write_tree: the same paths and sizes" \
	    sh -c "cd '$TMP/wt' && find . -type f -printf '%s %P\n' | sort | cmp -s - '$TMP/fo.list'"
	check "write_tree: the listing is not empty" test -s "$TMP/fo.list"
	# scripts/bench-pair: a binary against itself, clean builds, then edit-one rebuilds
	cp -R "$TMP/work/corpus-50-c10-s1/folio" "$TMP/pair"
	"$TOP/scripts/bench-pair" "$FOLIO" "$FOLIO" "$TMP/pair" --runs 1 >"$TMP/pair.out" 2>&1
	check_rc "bench-pair runs" $? "$TMP/pair.out"
	check "bench-pair: medians of both and the paired ratios" \
	    grep -qE '^new/old, median of 1 pairs: wall [0-9.]+, CPU ([0-9.]+|–), user ([0-9.]+|–)$' "$TMP/pair.out"
	"$TOP/scripts/bench-pair" "$FOLIO" "$FOLIO" "$TMP/pair" --runs 1 --edit >"$TMP/pair-edit.out" 2>&1
	check_rc "bench-pair --edit runs" $? "$TMP/pair-edit.out"
	check "bench-pair --edit: the corpus is as it was" sh -c "cd '$TMP/pair' && git status --porcelain -- content | grep -q . && exit 1; exit 0"
fi

# scripts/bench-history on the small corpus: each line of its report, with a number.
RUNS=1 "$TOP/scripts/bench-history" "$TMP/a" >"$TMP/bh.out" 2>&1
check_rc "bench-history runs" $? "$TMP/bh.out"
check "bench-history: git log time" grep -qE '^git log --name-only --no-merges: [0-9]+ ms$' "$TMP/bh.out"
check "bench-history: paired ratio" grep -qE '^cold / git log, median of 1 pairs: [0-9.]+x$' "$TMP/bh.out"
check "bench-history: cached, without the scan" grep -qE '^history pass, cached, without the content scan: -?[0-9.]+ ms$' "$TMP/bh.out"
check "bench-history: cached pass read all $C commits" grep -qE "^last run: [0-9.]+ ms, $C commits, available 1" "$TMP/bh.out"
check "bench-history: the repacked copy measured too" test "$(sed -n '/^repacked by git/,$p' "$TMP/bh.out" | grep -cE '^(cold / git log, median of 1 pairs: [0-9.]+x|last run: [0-9.]+ ms, '"$C"' commits, available 1)')" = 2

done_testing
