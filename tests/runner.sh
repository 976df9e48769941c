# tests/runner.sh: reading TAP, for tests/run.sh (make test) and
# tests/arm/run.sh (make check-arm).  Sourced; the caller sets LOGDIR.
# A program that crashes, exits non-zero or stops before its plan counts
# as a failure even if every line it printed was "ok".
passed=0
failed=0
failures=""	# NAME:LOG of the failed tests, recalled at the end

# run_one NAME CMD...: run CMD, its output to LOGDIR/NAME.log, and count
# its TAP lines; one line of summary, with the skips or the failures.
run_one() {
	name=$1
	shift
	log=$LOGDIR/$(echo "$name" | tr / -).log
	"$@" >"$log" 2>&1
	count_one "$name" "$log" $?
}

# start_one NAME CMD...: run CMD in the background, its output to
# LOGDIR/NAME.log; end_one NAME waits for it and counts it as run_one
# does.  For tests that neither read a clock nor start threads, so that
# two of them may share the machine (tests/run.sh).
start_one() {
	name=$1
	shift
	log=$LOGDIR/$(echo "$name" | tr / -).log
	{ "$@" >"$log" 2>&1; echo $? >"$log.status"; } &
	eval "bg_$(echo "$name" | tr -c 'A-Za-z0-9_\n' _)=$!"
}
end_one() {
	log=$LOGDIR/$(echo "$1" | tr / -).log
	eval "wait \$bg_$(echo "$1" | tr -c 'A-Za-z0-9_\n' _)"
	count_one "$1" "$log" "$(cat "$log.status" 2>/dev/null || echo 1)"
	rm -f "$log.status"
}

# count_one NAME LOG STATUS: count LOG's TAP lines, print the summary.
count_one() {
	name=$1
	log=$2
	status=$3
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

# finish [PREFIX]: recall each failure just above the final line (a
# failure scrolls away in a long run, and CI shows the end of the
# output), then "[PREFIX: ]N passed, N failed"; the status says whether
# all passed.
finish() {
	if [ -n "$failures" ]; then
		echo "failed:"
		for nl in $failures; do
			echo "  ${nl%%:*} (log: ${nl#*:})"
			show_failure "${nl#*:}"
		done
	fi
	echo "${1:+$1: }$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
