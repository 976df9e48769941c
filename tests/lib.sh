# tests/lib.sh: TAP helpers for the CLI tests, sourced by each script.
# $CONCDEMO is the binary under test, $TOOLS the test helpers (ptyrun).
# Every command runs under ptyrun: bounded in time, and checked to leave no
# process of its group behind.

T=$(mktemp -d "${TMPDIR:-/tmp}/concdemo-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
tap_n=0
tap_failed=0

pass() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
diag() { echo "# $*"; }

# fresh_uid: set $fresh_uid to a uid that runs no process and that can run
# $CONCDEMO through tests/tools/nprocrun (which sets RLIMIT_NPROC for it),
# or to "none" with the reason in $fresh_why: not root, or the binary out
# of that uid's reach (a checkout in a 0700 folder, say).  Probed once.
fresh_uid() {
	[ -n "${fresh_uid:-}" ] && return
	if [ "$(id -u)" != 0 ]; then
		fresh_uid=none fresh_why="not root: no fresh uid to switch to"
		return
	fi
	fresh_uid=$((60000 + $$ % 4000))
	while ps -A -o uid= | grep -qx " *$fresh_uid"; do
		fresh_uid=$((fresh_uid + 1))
	done
	if ! "$TOOLS/nprocrun" "$fresh_uid" 64 -- "$CONCDEMO" --version \
	    >/dev/null 2>"$T/nproc.err"; then
		fresh_why="uid $fresh_uid cannot run $CONCDEMO: $(head -n 1 "$T/nproc.err")"
		fresh_uid=none
	fi
}

# Whether this system has robust mutexes (PLAT_ROBUST in include/plat.h):
# only there does a worker killed while it holds the queue's lock (a few
# instructions per job) leave the pool able to go on; tests that kill
# workers skip elsewhere (macOS) instead of hanging now and then.
robust_here() {
	case $(uname -s) in Linux | FreeBSD) return 0 ;; esac
	return 1
}

# check DESC CMD...: pass when CMD succeeds.
check() {
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		diag "got:  '$2'"
		diag "want: '$3'"
	fi
}

# like DESC FILE ERE: some line of FILE matches.
like() {
	if grep -Eq -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1"
		diag "no line of $(basename "$2") matches /$3/; it holds:"
		sed 's/^/#   /' "$2" | head -n 10
	fi
}

# empty DESC FILE
empty() {
	if [ ! -s "$2" ]; then
		pass "$1"
	else
		fail "$1"
		sed 's/^/#   /' "$2" | head -n 10
	fi
}

# run [-i FILE] ARGS...: run concdemo ARGS with stdin from FILE (default
# /dev/null); sets $status, and $T/out, $T/err.  ptyrun exits 124 on its
# time limit and 125 when a process was left behind.
run() {
	input=/dev/null
	if [ "$1" = "-i" ]; then input=$2; shift 2; fi
	"$TOOLS/ptyrun" -t "${RUN_LIMIT_MS:-60000}" -g 1000 -- \
		"$CONCDEMO" "$@" <"$input" >"$T/out" 2>"$T/err"
	status=$?
}

# kill_worker PAUSE ARGS...: run concdemo primes --procs=2 ARGS (no
# single quotes in them) and kill -9 its first worker PAUSE seconds after
# it appears; $T/out, $T/err; returns concdemo's exit status.
kill_worker() {
	pause=$1
	shift
	args=
	for a; do args="$args '$a'"; done
	"$TOOLS/ptyrun" -t 60000 -g 1000 -- sh -c "
		'$CONCDEMO' primes --procs=2 $args >'$T/out' 2>'$T/err' &
		p=\$!
		w=
		while [ -z \"\$w\" ]; do
			sleep 0.05
			w=\$(ps -A -o pid= -o ppid= | awk -v p=\$p '\$2 == p { print \$1; exit }')
		done
		sleep $pause
		kill -9 \$w
		wait \$p"
}

# unwritable CMD OPT ARGS...: concdemo CMD OPT=FILE ARGS, FILE under a
# plain file, in a missing folder, a folder, /dev/null: each exits 1
# before any work, with one line naming FILE and nothing on stdout.
unwritable() {
	u_cmd=$1
	u_opt=$2
	shift 2
	: >"$T/plain"
	for bad in "$T/plain/x.svg" "$T/nodir/x.svg" "$T" /dev/null; do
		run "$u_cmd" "$u_opt=$bad" "$@"
		is "$u_opt=$bad: exit 1" "$status" 1
		like "$u_opt=$bad: clear message" "$T/err" \
			"^concdemo: $u_cmd: cannot write '$bad': "
		is "$u_opt=$bad: one line" "$(wc -l <"$T/err" | tr -d ' ')" 1
		empty "$u_opt=$bad: nothing on stdout (no work started)" "$T/out"
	done
	check "/dev/null is still a device" [ -c /dev/null ]
}

# usage_error DESC ARGS...: exit 2, one line on stderr, nothing on stdout.
usage_error() {
	desc=$1
	shift
	run "$@"
	is "$desc: exit 2" "$status" 2
	is "$desc: one line on stderr" "$(wc -l <"$T/err" | tr -d ' ')" 1
	like "$desc: message" "$T/err" '^concdemo: '
	empty "$desc: nothing on stdout" "$T/out"
}

# within_ms DESC REPORT MS: ptyrun's report says the run ended at most MS
# after the first signal.  Under TSan, signal handlers are deferred until
# the next libc call, so a compute loop sees Ctrl-C late: skipped there.
within_ms() {
	if [ "$SANITIZER" = thread ]; then
		pass "$1 # SKIP TSan defers signal handlers"
		return
	fi
	got=$(sed -n 's/^signal_ms //p' "$2")
	if [ -n "$got" ] && [ "$got" -ge 0 ] && [ "$got" -le "$3" ]; then
		pass "$1"
	else
		fail "$1"
		diag "ended ${got:-?} ms after the signal (limit $3 ms)"
	fi
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
