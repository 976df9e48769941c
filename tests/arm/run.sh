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
. tests/runner.sh

if ! command -v "${QEMU%% *}" >/dev/null 2>&1; then
	echo "$QEMU not found (Debian: apt-get install qemu-user)" >&2
	exit 1
fi

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

finish arm
