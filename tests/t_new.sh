#!/bin/bash
# t_new.sh: folio new writes content/<year>/<slug>.md with its front matter, never overwrites.
. "$(dirname "$0")/lib.sh"

S=$TMP/site
mkdir -p "$S"
cp "$TOP/tests/fixtures/site/folio.yaml" "$S/"
cp -R "$TOP/tests/fixtures/site/content" "$S/"
YEAR=$(date +%Y)
TODAY=$(date +%Y-%m-%d)

(cd "$S" && "$FOLIO" new "Été à Pékin: l'enquête" --tag "Tech: AI" --tag spying \
    --source Reuters --url "https://www.reuters.com/x?a=1&b=2" --source "Le Monde") >"$TMP/new.out" 2>&1
F=$S/content/$YEAR/ete-a-pekin-lenquete.md
check "file written" test -f "$F"
check "path printed" has "$TMP/new.out" "content/$YEAR/ete-a-pekin-lenquete.md"
check "starts with front matter" sh -c "head -1 '$F' | grep -qx -- ---"
check "title quoted for YAML" has "$F" "title: 'Été à Pékin: l''enquête'"
check "date is today" has "$F" "date: $TODAY"
check "tag with a colon quoted" has "$F" "- 'Tech: AI'"
check "second tag" has "$F" "- spying"
check "source name" has "$F" "- name: Reuters"
check "source url" has "$F" "url: https://www.reuters.com/x?a=1&b=2"
check "second source without url" has "$F" "- name: Le Monde"
check "the new article builds" "$FOLIO" build -C "$S" -o "$TMP/out" -q
check "its page exists" test -f "$TMP/out/$(date +%Y/%m)/ete-a-pekin-lenquete/index.html"

# never overwrite
echo "my draft" >>"$F"
cp "$F" "$TMP/before.md"
check_fails "second new with the same title fails" sh -c "cd '$S' && '$FOLIO' new 'Été à Pékin: l’enquête'"
(cd "$S" && "$FOLIO" new "Été à Pékin: l'enquête") 2>"$TMP/dup.err"
check "refusal message" has "$TMP/dup.err" "already exists; not overwritten"
check "file unchanged" cmp -s "$F" "$TMP/before.md"

# options and bad input
check "--date and -C" "$FOLIO" new -C "$S" "Old story" --date 2018-07-04
check "year folder from --date" has "$S/content/2018/old-story.md" "date: 2018-07-04"
check_fails "impossible date refused" "$FOLIO" new -C "$S" "Bad day" --date 2019-02-30
check "nothing written for a bad date" test ! -e "$S/content/2019/bad-day.md"
check_fails "--url without --source refused" "$FOLIO" new -C "$S" "No source" --url https://x.org/
check_fails "title without letters refused" "$FOLIO" new -C "$S" "!!!"
check_fails "no title is a usage error" "$FOLIO" new -C "$S"
check "--help" "$FOLIO" new --help

done_testing
