# tests/lib.sh: sourced by every tests/t_*.sh.
# check DESC CMD...   passes when CMD exits 0
# fail DESC MSG       records a failure with a reason
# Each script ends with `done_testing`, which prints "N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
FOLIO=${FOLIO_BIN:-$TOP/folio}
SHARED=${SHARED:-$TOP/../shared}
T_PASSED=0
T_FAILED=0
T_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/folio-$T_NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { T_PASSED=$((T_PASSED + 1)); [ -n "${VERBOSE:-}" ] && echo "ok - $1"; return 0; }
fail() { T_FAILED=$((T_FAILED + 1)); echo "not ok - $T_NAME: $1${2:+: $2}"; return 0; }
check() {
	desc=$1; shift
	if "$@" >"$TMP/.out" 2>&1; then pass "$desc"; else fail "$desc" "$(head -c 600 "$TMP/.out")"; fi
}
# check_fails DESC CMD...: passes when CMD exits non-zero
check_fails() {
	desc=$1; shift
	if "$@" >"$TMP/.out" 2>&1; then fail "$desc" "expected failure, got exit 0"; else pass "$desc"; fi
}
# check_rc DESC RC LOG: passes when RC (a command's exit status) is 0; else
# the failure gives the status, the first three and last two lines of LOG
# (the command's output, less /usr/bin/time -v's tab-indented lines)
# and the free space where the suite writes
check_rc() {
	if [ "$2" = 0 ]; then pass "$1"; return 0; fi
	fail "$1" "exit $2; $(awk '!/^\t/ { l[++n] = $0 } END { for (i = 1; i <= n; i++) if (i <= 3 || i > n - 2) print l[i]; else if (i == 4) print "..." }' "$3" 2>/dev/null | tr '\n' '|' | head -c 700); $(df -Pk "$TMP" | awk 'NR == 2 { printf "%d MB free in the test folder", $4 / 1024 }')"
}
# grep helpers
has() { grep -qF -- "$2" "$1"; }
hasnt() { ! grep -qF -- "$2" "$1"; }
done_testing() {
	echo "$T_PASSED passed, $T_FAILED failed"
	[ "$T_FAILED" = 0 ]
}
