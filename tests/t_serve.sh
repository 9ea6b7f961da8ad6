#!/bin/bash
# t_serve.sh: folio serve on a free loopback port: pages, types, 404, traversal,
# the event stream, rebuild on change, the error overlay, clean stop.
# All traffic is on 127.0.0.1; every wait is bounded.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	echo "t_serve: curl missing; skipped"
	done_testing
	exit
fi

cp -R "$TOP/tests/fixtures/site" "$TMP/site"
rm -rf "$TMP/site/.folio-cache"
SITE=$TMP/site
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
URL=http://127.0.0.1:$PORT

(cd "$SITE" && exec "$FOLIO" serve --port "$PORT") >"$TMP/serve.log" 2>&1 &
PID=$!
SSE_PID=
cleanup() {
	[ -n "$SSE_PID" ] && kill "$SSE_PID" 2>/dev/null
	kill "$PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# wait up to 20 s for the first page
up=0
for _ in $(seq 1 100); do
	if curl -s -o /dev/null --max-time 2 "$URL/"; then up=1; break; fi
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.2
done
check "server comes up" test "$up" = 1
if [ "$up" != 1 ]; then
	fail "serve log" "$(head -c 600 "$TMP/serve.log")"
	done_testing
	exit
fi

# code URL: the status code
code() { curl -s -o /dev/null --max-time 5 --path-as-is -w '%{http_code}' "$@"; }
ctype() { curl -s -o /dev/null --max-time 5 -w '%{content_type}' "$1"; }
get() { curl -s --max-time 5 "$1"; }

ART=/2019/05/ex-agent-admits-spying/
check "home page 200" test "$(code "$URL/")" = 200
check "article 200" test "$(code "$URL$ART")" = 200
check "html content type" test "$(ctype "$URL$ART")" = "text/html; charset=utf-8"
# the stylesheet, by the (fingerprinted) name the home page links
CSS=$(get "$URL/" | grep -o 'href="[^"]*\.css"' | head -1 | sed 's/^href="//; s/"$//')
check "home page links a stylesheet" test -n "$CSS"
check "css content type" test "$(ctype "$URL$CSS")" = "text/css; charset=utf-8"
check "atom content type" test "$(ctype "$URL/atom.xml")" = "application/atom+xml; charset=utf-8"
check "sitemap content type" test "$(ctype "$URL/sitemap.xml")" = "application/xml; charset=utf-8"
check "robots content type" test "$(ctype "$URL/robots.txt")" = "text/plain; charset=utf-8"
get "$URL$ART" >"$TMP/page.html"
check "article body served" has "$TMP/page.html" "Ex-agent admits spying"
check "reload script injected" has "$TMP/page.html" "/__folio/events"
check "script before </body>" sh -c "grep -n '__folio/events' '$TMP/page.html' | head -1 | cut -d: -f1 | { read n; m=\$(grep -n '</body>' '$TMP/page.html' | cut -d: -f1); [ \"\$n\" -le \"\$m\" ]; }"
check "built file untouched" hasnt "$SITE/.folio-cache/serve-public${ART}index.html" "__folio"
check "no script in css" sh -c "! curl -s --max-time 5 '$URL$CSS' | grep -q __folio"
check "folder without slash redirects" test "$(code "$URL/2019/05/ex-agent-admits-spying")" = 301
check "folder serves index.html" test "$(code "$URL/tags/")" = 200
check "unknown path 404" test "$(code "$URL/no/such/page/")" = 404
get "$URL/no/such/page/" >"$TMP/404.html"
check "404 is the site's 404.html" has "$TMP/404.html" "<title>Page not found — Test Archive</title>"
check "404 page has the reload script" has "$TMP/404.html" "/__folio/events"
check "404 page is html" test "$(ctype "$URL/no/such/page/")" = "text/html; charset=utf-8"
check "POST refused" test "$(code -X POST -d x=1 "$URL/")" = 405

# traversal: raw, encoded, mixed case, and a symlink out of the output folder
echo secret >"$TMP/secret.txt"
for p in "/../secret.txt" "/../../../../etc/passwd" "/%2e%2e/secret.txt" "/%2E%2E/%2e%2e/etc/passwd" \
    "/tags/..%2f..%2f..%2fetc/passwd" "/%2e%2e%2f%2e%2e%2fetc/passwd" "/./index.html"; do
	c=$(code "$URL$p")
	check "traversal $p refused ($c)" sh -c "[ '$c' = 403 ] || [ '$c' = 404 ]"
done
ln -s "$TMP/secret.txt" "$SITE/.folio-cache/serve-public/leak.txt"
c=$(code "$URL/leak.txt")
check "symlink out of the output refused ($c)" sh -c "[ '$c' = 403 ] || [ '$c' = 404 ]"
check "symlink content not leaked" sh -c "! curl -s --max-time 5 '$URL/leak.txt' | grep -q secret"

# the event stream answers
curl -s -N --max-time 2 -o "$TMP/hello.txt" -D "$TMP/hello.hdr" "$URL/__folio/events"
check "event stream hello" has "$TMP/hello.txt" "event: hello"
check "event stream type" grep -qi "content-type: text/event-stream" "$TMP/hello.hdr"

# edit an article: a reload event and the rebuilt page within 15 s
curl -s -N --max-time 20 -o "$TMP/events.txt" "$URL/__folio/events" &
SSE_PID=$!
sleep 0.5
sed -i 's/The last paragraph ends here./The last paragraph was edited by t_serve./' "$SITE/content/2019/lee.md"
ok=0
for _ in $(seq 1 75); do
	if get "$URL$ART" | grep -q "edited by t_serve"; then ok=1; break; fi
	sleep 0.2
done
check "edited article rebuilt" test "$ok" = 1
ok=0
for _ in $(seq 1 50); do
	if grep -q "event: reload" "$TMP/events.txt" 2>/dev/null; then ok=1; break; fi
	sleep 0.2
done
check "reload event sent" test "$ok" = 1
kill "$SSE_PID" 2>/dev/null
wait "$SSE_PID" 2>/dev/null
SSE_PID=

# a new folder is watched too
mkdir -p "$SITE/content/2022/deep"
sleep 0.5
printf -- '---\ntitle: "Nested later"\ndate: 2022-01-02\nsources:\n  - name: "X"\n---\nBody.\n' \
    >"$SITE/content/2022/deep/nested.md"
ok=0
for _ in $(seq 1 75); do
	if [ "$(code "$URL/2022/01/nested-later/")" = 200 ]; then ok=1; break; fi
	sleep 0.2
done
check "article in a new folder built" test "$ok" = 1

# break an article: the overlay names file:line, the old page is still served
cp "$SITE/content/2019/lee.md" "$TMP/lee.md"
printf -- '---\ntitle: "Ex-agent admits spying"\ndate: 2019-13-45\n---\nBody\n' >"$SITE/content/2019/lee.md"
ok=0
for _ in $(seq 1 75); do
	if get "$URL$ART" | grep -q "folio-overlay"; then ok=1; break; fi
	sleep 0.2
done
check "overlay shown after a failed build" test "$ok" = 1
get "$URL$ART" >"$TMP/broken.html"
check "overlay has file:line" has "$TMP/broken.html" "content/2019/lee.md:3:"
check "old page still served" has "$TMP/broken.html" "edited by t_serve"
check "old page status 200" test "$(code "$URL$ART")" = 200
check "css still served" test "$(code "$URL$CSS")" = 200

# fix it: the overlay goes away
cp "$TMP/lee.md" "$SITE/content/2019/lee.md"
ok=0
for _ in $(seq 1 75); do
	if ! get "$URL$ART" | grep -q "folio-overlay"; then ok=1; break; fi
	sleep 0.2
done
check "overlay gone after the fix" test "$ok" = 1

# Ctrl-C stops cleanly
kill -INT "$PID"
st=running
for _ in $(seq 1 50); do
	if ! kill -0 "$PID" 2>/dev/null; then st=stopped; break; fi
	sleep 0.2
done
check "SIGINT stops the server" test "$st" = stopped
wait "$PID"
rc=$?
check "exit status 0 after SIGINT" test "$rc" = 0
check "port closed after stop" sh -c "! curl -s -o /dev/null --max-time 2 '$URL/'"
check "stopped message" has "$TMP/serve.log" "folio: stopped"
check "no sanitizer report" sh -c "! grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error' '$TMP/serve.log'"

# libmicrohttpd (and GnuTLS behind it) is opened by folio serve alone: the other
# commands do not pay for loading it (src/serve/mhd.c)
if command -v ldd >/dev/null 2>&1; then
	ldd "$FOLIO" > "$TMP/ldd.txt" 2>&1
	check "folio runs without libmicrohttpd linked" sh -c "grep -q libc.so '$TMP/ldd.txt' && ! grep -Eq 'microhttpd|gnutls' '$TMP/ldd.txt'"
fi

done_testing
