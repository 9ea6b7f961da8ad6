# tests/t_import.sh: folio import on the seeds and on tests/import/*.txt, checked with check-import;
# idempotence, hand-edit protection, --force, --dry-run, unreadable pages, merging.
. "$(dirname "$0")/lib.sh"
CHECK="/usr/bin/python3 $SHARED/scripts/check-import"
TRUTH=$SHARED/import-truth/seeds.json
MINE=$TOP/tests/import/truth.json

# check-import's last line must read P/T posts, P/T fields, P/T bodies with P = T
all_ok() {
	out=$("$@" 2>&1)
	last=$(printf '%s\n' "$out" | tail -n 1)
	printf '%s\n' "$last" | grep -Eq '^import: ([0-9]+)/\1 posts, \1/\1 fields, \1/\1 bodies$' ||
		{ printf '%s\n' "$out" | tail -n 30; return 1; }
}
# every file under a folder, with its hash and mtime, to compare runs
snapshot() { (cd "$1" && find . -type f | sort | xargs stat -c '%n %Y %s' && find . -type f | sort | xargs sha1sum); }

# --- the seeds: one folder per seed, then all five together
if [ -d "$SHARED/seeds" ]; then
	for page in "$SHARED"/seeds/*.txt; do
		stem=$(basename "$page" .txt)
		check "import seed $stem" "$FOLIO" import --out "$TMP/seeds/$stem" "$page"
		check "check-import seed $stem" all_ok $CHECK "$TRUTH" "$stem" "$TMP/seeds/$stem"
	done
	check "import all seeds" "$FOLIO" import --out "$TMP/all" "$SHARED"/seeds/*.txt
	check "check-import --combined (26/26)" all_ok $CHECK "$TRUTH" --combined "$TMP/all"
	check "combined is 26/26" sh -c "$CHECK '$TRUTH' --combined '$TMP/all' | tail -n 1 | grep -q 'import: 26/26 posts, 26/26 fields, 26/26 bodies'"
	check "committed content/ is 26/26" all_ok $CHECK "$TRUTH" --combined "$TOP/content"
else
	fail "seeds" "no $SHARED/seeds"
fi

# --- our own pages, one folder each, and the merge of two pages sharing a post
for page in "$TOP"/tests/import/*.txt; do
	stem=$(basename "$page" .txt)
	[ "$stem" = not-a-page ] && continue
	check "import $stem" "$FOLIO" import --out "$TMP/mine/$stem" "$page"
	check "check-import $stem" all_ok $CHECK "$MINE" "$stem" "$TMP/mine/$stem"
done
check "import shared-a + shared-b" "$FOLIO" import --out "$TMP/mine/shared" \
	"$TOP/tests/import/shared-a.txt" "$TOP/tests/import/shared-b.txt"
check "merge: tags and imported_from merge" all_ok $CHECK "$MINE" shared "$TMP/mine/shared"
# the same post in a later run merges too
check "later run: page a" "$FOLIO" import --out "$TMP/later" "$TOP/tests/import/shared-a.txt"
check "later run: page b" "$FOLIO" import --out "$TMP/later" "$TOP/tests/import/shared-b.txt"
check "later run merges" all_ok $CHECK "$MINE" shared "$TMP/later"
# the same post twice on one page is one article
cat "$TOP/tests/import/shared-b.txt" "$TOP/tests/import/shared-b.txt" > "$TMP/twice.txt"
check "twice on one page" "$FOLIO" import --out "$TMP/twice" "$TMP/twice.txt"
check "twice on one page: one file" test "$(find "$TMP/twice" -name '*.md' | wc -l)" = 1

# --- report: format, counts, warnings as page:line:
"$FOLIO" import --out "$TMP/rep" "$TOP/tests/import/wp-category-cut.txt" 2>"$TMP/rep.err"
check "report names the format" has "$TMP/rep.err" "wordpress-category 'Water/Infrastructure'"
check "report counts" has "$TMP/rep.err" "2 new, 0 updated, 0 unchanged, 1 skipped"
check "cut post reported at its line" has "$TMP/rep.err" "wp-category-cut.txt:24: warning: post 'Pipe Network Renewal"

# --- idempotence: a second run changes no file (content, mtime)
snapshot "$TMP/all" > "$TMP/snap1"
sleep 1
check "re-import" "$FOLIO" import --out "$TMP/all" "$SHARED"/seeds/*.txt
snapshot "$TMP/all" > "$TMP/snap2"
check "re-import changes no file" cmp -s "$TMP/snap1" "$TMP/snap2"
"$FOLIO" import --out "$TMP/all" "$SHARED"/seeds/*.txt 2>"$TMP/re.err"
check "re-import reports unchanged" has "$TMP/re.err" "0 new, 0 updated, 4 unchanged, 0 skipped"

# --- hand edits are left alone and reported; --force overwrites
f=$(find "$TMP/all" -name '*.md' | sort | head -n 1)
printf '\nA note added by hand.\n' >> "$f"
"$FOLIO" import --out "$TMP/all" "$SHARED"/seeds/*.txt 2>"$TMP/hand.err"
check "hand edit kept" has "$f" "A note added by hand."
check "hand edit reported" has "$TMP/hand.err" "edited by hand"
check "hand edit counted as skipped" grep -q "1 skipped" "$TMP/hand.err"
check "--force overwrites" "$FOLIO" import --force --out "$TMP/all" "$SHARED"/seeds/*.txt
check "--force restored the file" hasnt "$f" "A note added by hand."
check "after --force, 26/26" all_ok $CHECK "$TRUTH" --combined "$TMP/all"

# --- --dry-run writes nothing and prints what it would write
check "dry run" sh -c "'$FOLIO' import --dry-run --out '$TMP/dry' '$TOP/tests/import/blogger-label-en.txt' >'$TMP/dry.out' 2>'$TMP/dry.err'"
check "dry run wrote nothing" test ! -e "$TMP/dry"
check "dry run prints the article" has "$TMP/dry.out" "title: Grid operators brace for a hot summer"

# --- a page of no known format: clear error, non-zero exit, nothing written
check_fails "unknown page fails" "$FOLIO" import --out "$TMP/bad" "$TOP/tests/import/not-a-page.txt"
"$FOLIO" import --out "$TMP/bad" "$TOP/tests/import/not-a-page.txt" 2>"$TMP/bad.err"
check "unknown page: clear error" has "$TMP/bad.err" "not-a-page.txt: no date headers"
check "unknown page: nothing written" test -z "$(find "$TMP/bad" -name '*.md' 2>/dev/null)"
check_fails "missing page fails" "$FOLIO" import --out "$TMP/bad" "$TMP/no-such-page.txt"
check_fails "no page: usage" "$FOLIO" import

# --- CRLF + BOM page gives clean files (no CR, no BOM)
check "crlf page imported" test -n "$(find "$TMP/mine/wp-archive-mdy" -name '*.md')"
check "no CR in output" sh -c "! grep -rl \"\$(printf '\\r')\" '$TMP/mine/wp-archive-mdy'"

# --- a titled page with ': ' and YAML specials round-trips through a YAML parser
printf 'Archive for \xe2\x80\x98yaml\xe2\x80\x99\n\n01/02/2020\n\nnull\n\nText of a post titled null.\n\n13/02/2020\n\nQuote: "a" #1 - [x] {y} & *z\n\nText.\n' > "$TMP/yaml.txt"
check "yaml specials import" "$FOLIO" import --out "$TMP/yaml" "$TMP/yaml.txt"
check "yaml specials parse" sh -c "$CHECK --parse '$TMP'/yaml/*/*.md > '$TMP/yaml.json'"
check "title null stays a string" has "$TMP/yaml.json" '"title": "null"'
check "title with specials" has "$TMP/yaml.json" '"title": "Quote: \"a\" #1 - [x] {y} & *z"'

done_testing
