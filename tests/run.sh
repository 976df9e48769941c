#!/bin/sh
# tests/run.sh BUILD BIN: run every unit test program and CLI test script,
# read their TAP, and end with one line "N passed, N failed".
# A program that crashes, exits non-zero or stops before its plan counts as
# a failure even if every line it printed was "ok".
BUILD=$1
CONCDEMO=$2
TOOLS=$(cd "$BUILD/tools" && pwd)
SANITIZER=${SANITIZER:-}
export CONCDEMO TOOLS SANITIZER
LOGDIR=$BUILD/test-logs
mkdir -p "$LOGDIR"
passed=0
failed=0
failures=""	# names of the failed tests, recalled at the end

run_one() {
	name=$1
	shift
	log=$LOGDIR/$(echo "$name" | tr / -).log
	"$@" >"$log" 2>&1
	status=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
	skip=$(grep -c '^ok .*# [Ss][Kk][Ii][Pp]' "$log")
	extra=""
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		extra=" (exit status $status)"
	elif [ -z "$plan" ] || [ "$plan" -ne $((p + f)) ]; then
		f=$((f + 1))
		extra=" (plan ${plan:-missing}, ran $((p + f - 1)))"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		if [ "$skip" -gt 0 ]; then
			printf '%-28s %4d ok, %d skipped\n' "$name" "$p" "$skip"
			grep '^ok .*# [Ss][Kk][Ii][Pp]' "$log" | sed 's/^/    /'
		else
			printf '%-28s %4d ok\n' "$name" "$p"
		fi
	else
		printf '%-28s %4d ok, %d FAILED%s\n' "$name" "$p" "$f" "$extra"
		show_failure "$log"
		failures="$failures $name:$log"
	fi
}

# show_failure LOG: the failed checks, with their diagnostics, and the
# log's last lines.
show_failure() {
	grep -A3 '^not ok ' "$1" | head -n 40 | sed 's/^/    /'
	tail -n 5 "$1" | sed 's/^/    | /'
}

# TEST_ONLY=ERE runs only the tests whose name matches (make check-faults).
selected() {
	[ -z "${TEST_ONLY:-}" ] || echo "$1" | grep -Eq -- "$TEST_ONLY"
}

for t in "$BUILD"/tests/test_*; do
	case $t in *.d) continue ;; esac
	selected "$(basename "$t")" || continue
	# (a file: macOS puts test_X.dSYM folders beside the programs)
	[ -f "$t" ] && [ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
for t in tests/cli/*.sh; do
	selected "cli/$(basename "$t" .sh)" || continue
	run_one "cli/$(basename "$t" .sh)" sh "$t"
done
for t in tests/fault/*.sh; do
	selected "fault/$(basename "$t" .sh)" || continue
	run_one "fault/$(basename "$t" .sh)" sh "$t"
done
# A failure scrolls away in a long run (CI shows the end of the output):
# recall each one, with its details, just above the final line.
if [ -n "$failures" ]; then
	echo "failed:"
	for nl in $failures; do
		echo "  ${nl%%:*} (log: ${nl#*:})"
		show_failure "${nl#*:}"
	done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
