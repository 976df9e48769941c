#!/bin/sh
# tests/arm/run.sh BUILD BIN TOOLS: make check-arm's runs.  Every unit test
# program of an AArch64 build (BUILD/tests/test_*) and the short CLI set
# tests/arm/cli.sh, all under qemu-user ($QEMU, default qemu-aarch64; the
# target's libraries from $QEMU_LD_PREFIX), read as TAP like tests/run.sh,
# ending with "arm: N passed, N failed".  TOOLS holds the host's ptyrun.
#
# What cannot be checked under qemu-user is skipped by name, with why:
# - robust mutexes: qemu-user does not pass the robust futex list to the
#   kernel (set_robust_list is refused), so a lock whose owner died stays
#   taken; the checks that kill a lock's owner skip (TAP_NO_ROBUST).
# - wall-clock bounds: emulation is ~10x slower (TAP_NO_TIMING), and the
#   alarms that catch a deadlock are stretched (TAP_TIME_SCALE).
# - the few checks that take seconds natively (TAP_NO_SLOW).
# Process-shared mutexes and condition variables, futex waits and wakes,
# fork, signals and PR_SET_PDEATHSIG work under qemu-user and are run.
BUILD=$1
BIN=$2
TOOLS=$(cd "$3" && pwd)
QEMU=${QEMU:-qemu-aarch64}
QEMU_LD_PREFIX=${QEMU_LD_PREFIX:-/usr/aarch64-linux-gnu}
TAP_NO_ROBUST="qemu-user keeps no robust futex list: a dead owner's lock stays taken"
TAP_NO_TIMING=1
TAP_NO_SLOW=1
TAP_TIME_SCALE=4
export QEMU_LD_PREFIX TAP_NO_ROBUST TAP_NO_TIMING TAP_NO_SLOW TAP_TIME_SCALE
LOGDIR=$BUILD/test-logs
mkdir -p "$LOGDIR"
passed=0
failed=0
failures=""

if ! command -v "${QEMU%% *}" >/dev/null 2>&1; then
	echo "$QEMU not found (Debian: apt-get install qemu-user)" >&2
	exit 1
fi

# run_one NAME CMD...: as in tests/run.sh, a program that exits non-zero
# or stops before its plan counts as a failure.
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
	if [ "$f" -eq 0 ] && [ "$skip" -eq 0 ]; then
		printf '%-28s %4d ok\n' "$name" "$p"
	elif [ "$f" -eq 0 ]; then
		printf '%-28s %4d ok, %d skipped\n' "$name" "$p" "$skip"
		grep '^ok .*# [Ss][Kk][Ii][Pp]' "$log" | sed 's/^/    /'
	else
		printf '%-28s %4d ok, %d FAILED%s\n' "$name" "$p" "$f" "$extra"
		grep -A3 '^not ok ' "$log" | head -n 40 | sed 's/^/    /'
		tail -n 5 "$log" | sed 's/^/    | /'
		failures="$failures $name"
	fi
}

for t in "$BUILD"/tests/test_*; do
	case $t in *.d) continue ;; esac
	# shellcheck disable=SC2086 (QEMU may hold options: -cpu NAME)
	[ -f "$t" ] && [ -x "$t" ] && run_one "arm/$(basename "$t")" $QEMU "$t"
done

# The CLI set: lib.sh runs $CONCDEMO, here a wrapper around qemu.
wrapper=$BUILD/concdemo-qemu
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$QEMU" "$BIN" >"$wrapper"
chmod +x "$wrapper"
CONCDEMO=$(cd "$BUILD" && pwd)/concdemo-qemu
SANITIZER=
export CONCDEMO TOOLS SANITIZER
run_one arm/cli sh tests/arm/cli.sh

[ -n "$failures" ] && echo "failed:$failures (logs: $LOGDIR)"
echo "arm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
