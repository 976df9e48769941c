#!/bin/sh
# tests/fault/faults.sh: the fault suite.  Runs every case of
# tests/fault/faults.tab against $CONCDEMO through ptyrun and prints TAP;
# first checks that the table in docs/reliability.md is the one the fault
# table makes.  See tests/fault/README.md.
#   sh tests/fault/faults.sh             the suite (from tests/run.sh)
#   sh tests/fault/faults.sh --markdown  the doc's table, in markdown
#   sh tests/fault/faults.sh --update    rewrite it in docs/reliability.md
# FAULT_RUNS=N runs every case N times; FAULT_FULL=1 (make check-faults)
# runs a case's full count where the table gives two (QUICK/FULL);
# FAULT_SEED=S repeats a run's random moments and limits (each run prints
# its seed); FAULT_ONLY=ERE runs the cases whose name matches.
TAB=tests/fault/faults.tab
DOC=docs/reliability.md

# The table without comments, one case per line, fields trimmed, '|'-joined
# (a '\|' inside a field, a '|' of an ERE, becomes a \001 until verify).
cases() {
	awk -F'|' '/^[[:space:]]*(#|$)/ { next }
	{
		gsub(/\\\|/, "\001")
		line = ""
		for (i = 1; i <= NF; i++) {
			gsub(/^[ \t]+|[ \t]+$/, "", $i)
			line = line (i > 1 ? "|" : "") $i
		}
		print line
	}' "$TAB"
}

markdown() {
	echo "| fault | what concdemo does | case |"
	echo "|---|---|---|"
	cases | awk -F'|' '{ printf "| %s | %s | `%s` |\n", $7, $8, $1 }'
}

# Rewrite $DOC's table between its markers.
update_doc() {
	markdown >"$DOC.table" || exit 1
	awk -v table="$DOC.table" '/^<!-- fault table: end/ { skip = 0 }
	!skip { print }
	/^<!-- fault table: begin/ {
		while ((getline line < table) > 0) print line
		skip = 1
	}' "$DOC" >"$DOC.new" && mv "$DOC.new" "$DOC"
	rm -f "$DOC.table"
}

case ${1:-} in
--markdown) markdown; exit 0 ;;
--update) update_doc; exit 0 ;;
esac

. tests/lib.sh

LIMIT=${FAULT_LIMIT_MS:-30000}
PROMPT_MS=${FAULT_PROMPT_MS:-500}
seed=${FAULT_SEED:-$(date +%s)}
diag "seed $seed (FAULT_SEED=$seed repeats this run's random choices)"
BIG=9223372036854775783		# the largest prime below 2^63: ~1 s of work
SLOW="$BIG $BIG $BIG"

# rand N|LO-HI: set $r to a number in 0..N (or LO..HI), the next from the
# seed.
rand() {
	case $1 in
	*-*) lo=${1%-*} hi=${1#*-} ;;
	*) lo=0 hi=$1 ;;
	esac
	seed=$((seed + 1))
	r=$(awk -v s="$seed" -v lo="$lo" -v hi="$hi" \
		'BEGIN { srand(s); print lo + int(rand() * (hi - lo + 1)) }')
}

# input NAME: the path of a generated input (made once).
input() {
	f=$T/in-$1
	if [ ! -e "$f" ]; then
		case $1 in
		100k) awk 'BEGIN { for (i = 1; i <= 100000; i++) print i }' ;;
		4m)	# 2^22 lines of "1", by doubling
			printf '1\n' >"$f.tmp"
			k=0
			while [ $k -lt 22 ]; do
				cat "$f.tmp" "$f.tmp" >"$f.tmp2"
				mv "$f.tmp2" "$f.tmp"
				k=$((k + 1))
			done
			cat "$f.tmp"
			rm -f "$f.tmp" ;;
		line1m) awk 'BEGIN { for (i = 0; i < 100000; i++) printf "1_000_003 " }' ;;
		token1m) head -c 1000000 /dev/zero | tr '\0' 7 ;;
		past64) printf '7 18_446_744_073_709_551_616\n' ;;
		esac >"$f"
	fi
	echo "$f"
}
ARG100K=$(awk 'BEGIN { s = "9"; while (length(s) < 100000) s = s s;
	print substr(s, 1, 100000) }')

# --- running concdemo under ptyrun -------------------------------------
# The verbs below set these, then call launch:
#   in    stdin: a file, or "closed"
#   out   stdout: "file" ($T/out), "full", "closed", "pty" or "nopipe"
#   wrap  words run before concdemo (e.g. sh -c 'ulimit ...')
#   skip  a reason to skip this run
#   note  the random choice made, for the TAP line
#   prompt  1 when a signal is sent: the run must end within $PROMPT_MS
#   strict  ptyrun's -z (an orphan counts as left behind), or empty
reset_run() {
	prompt=0
	in=/dev/null
	out=file
	wrap=
	skip=
	note=
	strict=-z
	rm -f "$T/out" "$T/err" "$T/report" "$T/tty"
	: >"$T/out"
	: >"$T/err"
}

# launch [PTYRUN-OPTION ...] -- ARG ...: run concdemo ARGs; sets $code to
# ptyrun's exit status (124: time limit, 125: something left).
launch() {
	opts=
	while [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	shift
	case $out in
	pty) opts="$opts -p -o $T/tty" ;;
	nopipe) opts="$opts -P" ;;
	esac
	[ -n "$skip" ] && return
	(
		# On the terminal, the spinner draws and hides the cursor.
		[ "$out" = pty ] && TERM=xterm && export TERM
		case $in in
		closed) exec 0<&- ;;
		*) exec 0<"$in" ;;
		esac
		case $out in
		closed) exec 1>&- ;;
		full) exec 1>/dev/full ;;
		*) exec 1>"$T/out" ;;
		esac
		# $opts and $wrap are words without blanks inside.
		# shellcheck disable=SC2086
		exec "$TOOLS/ptyrun" -t "$LIMIT" -g 1000 $strict \
			-r "$T/report" $opts -- $wrap "$CONCDEMO" "$@" \
			2>"$T/err"
	)
	code=$?
	if [ "$out" = pty ]; then
		# The terminal carries stdout and stderr: split them again,
		# leaving out the echoed ^C, the spinner's frames ("\r|
		# thinking!"), blanked lines and the cursor's escapes.
		tr '\r' '\n' <"$T/tty" | sed -e 's/\^C//g' \
		    -e "s/$(printf '\033')\\[?25[lh]//g" |
		    grep -Ev '^([\\|/-] thinking!| *)$' >"$T/tty.txt"
		grep -v '^concdemo: ' "$T/tty.txt" >"$T/out"
		grep '^concdemo: ' "$T/tty.txt" >>"$T/err"
	fi
}

# --- the verbs of the table's "how" field ------------------------------
# run ARG ...: concdemo ARGs, stdin /dev/null.
run() { launch -- "$@"; }
# stdin NAME|closed|dir ARG ...
stdin() {
	case $1 in
	closed) in=closed ;;
	dir) in=/ ;;
	*) in=$(input "$1") ;;
	esac
	shift
	launch -- "$@"
}
# signal SIG MAXMS ARG ...: SIG to concdemo at a random moment.
signal() {
	rand "$2"
	s=$1 at=$r note="at $r ms" prompt=1
	shift 2
	launch -s "$s@$at" -- "$@"
}
# signal_group SIG MAXMS ARG ...: SIG to its whole process group.
signal_group() {
	rand "$2"
	s=$1 at=$r note="at $r ms" prompt=1
	shift 2
	launch -S "$s@$at" -- "$@"
}
# ctrl_c MAXMS ARG ...: Ctrl-C typed on its (pseudo-)terminal.
ctrl_c() {
	rand "$1"
	at=$r note="at $r ms" prompt=1
	shift
	out=pty
	launch -c "$at" -- "$@"
}
# kill_worker SIG MAXMS ARG ...: SIG to one of its workers (the processes
# of its group other than itself) at a random moment; kill_workers: to all.
kill_worker() {
	rand "$2"
	s=$1 at=$r note="at $r ms"
	shift 2
	worker_kill_setup
	launch -w "$s@$at" -- "$@"
}
kill_workers() {
	rand "$2"
	s=$1 at=$r note="at $r ms"
	shift 2
	worker_kill_setup
	launch -W "$s@$at" -- "$@"
}
# no_leak_check: the words that run concdemo without LeakSanitizer's
# check at exit under ASan (nothing otherwise).
no_leak_check() {
	[ "$SANITIZER" = address ] &&
		echo "env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	return 0
}
# worker_kill_setup: killing workers needs robust mutexes to be
# recoverable (tests/lib.sh).  Under ASan, LeakSanitizer checks at exit
# from a helper process in the group: a kill meant for a worker could pick
# it, and then the program waits for it for good.  So the kill cases run
# without the leak check there.
worker_kill_setup() {
	robust_here || skip="no robust mutexes on $(uname -s)"
	wrap=$(no_leak_check)
}
# kill_worker_n N GAPMS MAXMS ARG ...: SIGKILL to a worker N times, GAPMS
# apart, the first at a random moment.
kill_worker_n() {
	rand "$3"
	n=$1 gap=$2 at=$r note="at $r ms, then every $2 ms" opts=
	shift 3
	while [ "$n" -gt 0 ]; do
		opts="$opts -w KILL@$at"
		at=$((at + gap))
		n=$((n - 1))
	done
	worker_kill_setup
	# shellcheck disable=SC2086
	launch $opts -- "$@"
}
# parent_kill MAXMS ARG ...: SIGKILL to concdemo itself at a random moment.
# It cannot reap its workers then: they must end by themselves (ptyrun,
# the subreaper, reaps them) and be gone within -g's second.
parent_kill() {
	strict=
	signal KILL "$@"
}
closed_pipe() { out=nopipe; launch -- "$@"; }
stdout_closed() { out=closed; launch -- "$@"; }
full() {
	if [ ! -w /dev/full ]; then skip="no /dev/full"; return; fi
	out=full
	launch -- "$@"
}

ulimit_skip() {
	if [ -n "$SANITIZER" ]; then
		skip="the $SANITIZER sanitizer reserves more address space"
	elif ! (ulimit -v 1000000) 2>/dev/null; then
		skip="ulimit -v unsupported here"
	fi
}
# ulimit_v KB NAME ARG ...: address space limited to KB, stdin from NAME.
ulimit_v() {
	ulimit_skip
	[ -n "$skip" ] && return
	kb=$1 note="ulimit -v $1"
	in=$(input "$2")
	shift 2
	printf '%s\n' 'ulimit -v "$1" || exit 3' 'shift' 'exec "$@"' \
		>"$T/ulimit.sh"
	wrap="sh $T/ulimit.sh $kb"
	launch -- "$@"
}
# ulimit_u LIMIT ARG ...: concdemo run as a fresh unprivileged uid with
# RLIMIT_NPROC (ulimit -u) LIMIT, or a random one in LO-HI: counting
# concdemo itself, and on Linux every thread.  (Under ASan, LeakSanitizer
# needs a thread of its own at exit: leak checks are off for these runs.)  Root is exempt from the
# limit and any other user shares it with the processes it already runs,
# so this needs root and tests/tools/nprocrun; skipped otherwise.
ulimit_u() {
	fresh_uid
	if [ "$fresh_uid" = none ]; then
		skip=$fresh_why
		return
	fi
	case $1 in
	*-*) rand "$1" ;;
	*) r=$1 ;;
	esac
	note="ulimit -u $r as uid $fresh_uid"
	shift
	wrap="$(no_leak_check) $TOOLS/nprocrun $fresh_uid $r --"
	launch -- "$@"
}

# on_pty VERB ARG ...: VERB with concdemo on a pseudo-terminal (TERM=xterm):
# the run must leave the terminal's modes as they were, the cursor shown
# and the spinner's last frame blanked.
on_pty() {
	out=pty
	"$@"
}

# each LIST VERB ARG ...: VERB ARG ... and then the LIST's next entry (run
# i of a case takes entry i, cycling), e.g. every model of a command.
# (The lists are named by the table; their $SLOW is expanded by each.)
# shellcheck disable=SC2016,SC2034
PRIMES_MODELS='primes $SLOW; primes --procs=2 $SLOW;
	primes --threads=2 $SLOW; primes --threads=2 --gil -- $SLOW'
# shellcheck disable=SC2034
SPINNER_MODELS='spinner --model=thread; spinner --model=thread --work=prime;
	spinner --model=thread --work=block; spinner --model=process;
	spinner --model=process --work=prime;
	spinner --model=process --work=block; spinner --model=coroutine;
	spinner --model=coroutine --work=prime;
	spinner --model=coroutine --work=nap;
	spinner --model=coroutine --work=block; spinner --model=thread --gil;
	spinner --model=thread --gil --work=prime'
# shellcheck disable=SC2034
POOL_MODELS='primes --procs=2; primes --threads=2; primes --threads=2 --gil'
# shellcheck disable=SC2034
SPINNER_SHORT='spinner --model=thread --delay=0.2;
	spinner --model=process --delay=0.2; spinner --model=coroutine --delay=0.2'
each() {
	eval "list=\$$1"
	# shellcheck disable=SC2154
	shift
	echo "$list" | tr '\n;' ' \n' |
		sed 's/^[[:space:]]*//; s/[[:space:]]*$//' >"$T/list"
	n=$(grep -c . "$T/list")
	pick=$(sed -n "$(((run_i - 1) % n + 1))p" "$T/list")
	# The entry's words and $VARIABLES, after the verb's arguments.
	eval "set -- \"\$@\" $pick"
	"$@"
	note="$pick${note:+, $note}"
}

# ulimit_v_random SPAN NAME ARG ...: a limit at random from the least that
# lets concdemo start (found once, by bisection) to SPAN KB more.
ulimit_v_random() {
	ulimit_skip
	[ -n "$skip" ] && return
	if [ -z "${ulimit_floor:-}" ]; then
		lo=256 hi=262144
		while [ $((hi - lo)) -gt 16 ]; do
			mid=$(((lo + hi) / 2))
			if sh -c "ulimit -v $mid && exec '$CONCDEMO' --version" \
			    >/dev/null 2>&1; then
				hi=$mid
			else
				lo=$mid
			fi
		done
		ulimit_floor=$hi
		diag "concdemo starts with ulimit -v $ulimit_floor"
	fi
	span=$1
	shift
	rand "$span"
	ulimit_v $((ulimit_floor + r)) "$@"
}

# --- checks of stdout (the table's "stdout" field) ----------------------
# Each prints why it failed, or nothing.
lines() {
	n=$(wc -l <"$T/out" | tr -d ' ')
	[ "$n" = "$1" ] || echo "$n lines on stdout, want $1"
}
primes() {
	n=$(grep -c '^ *[0-9][0-9]*  P ' "$T/out")
	[ "$n" = "$1" ] || echo "$n primes on stdout, want $1"
}
verdict() {
	got=$(awk -v n="$1" '($1 "") == n { print ($2 == "P" ? "P" : "-") }' \
		"$T/out")
	[ "$got" = "$2" ] || echo "verdict for $1: '$got', want '$2'"
}
wellformed() {
	bad=$(grep -Evc '^(Checking [0-9]+ numbers (sequentially|with [0-9]+ '\
'(processes|threads)):| *[0-9]+  [P ] +[0-9]+\.[0-9]{6}s|'\
'Total time: [0-9]+\.[0-9]{2}s|[0-9]+ checks in [0-9]+\.[0-9]{2}s|'\
'spinner object: <.*>|Answer: 42|[0-9,]+ is (not )?prime)$' "$T/out")
	[ "$bad" = 0 ] || echo "$bad torn or unknown lines on stdout"
}
# says ERE, prints ERE: some line of stderr, of stdout, matches ERE.
says() {
	grep -Eq -- "$1" "$T/err" || echo "no line of stderr matches /$1/"
}
prints() {
	grep -Eq -- "$1" "$T/out" || echo "no line of stdout matches /$1/"
}
# The result lines of primes: "NUMBER VERDICT", one per line.
verdict_lines() {
	awk '/^ *[0-9]+  [P ] +[0-9.]+s$/ { print $1, ($2 == "P" ? "P" : "-") }' \
		"$T/out"
}
# results N: N result lines, each for a different number.
results() {
	n=$(verdict_lines | awk '!seen[$1]++' | wc -l | tr -d ' ')
	all=$(verdict_lines | wc -l | tr -d ' ')
	[ "$n" = "$1" ] && [ "$all" = "$1" ] ||
		echo "$all result lines, $n numbers, want $1 of each"
}
# verdicts: every verdict printed (complete run or not) is the sequential
# command's for the same number (asked once per number, then kept).
verdicts() {
	touch "$T/ref"
	verdict_lines >"$T/got"
	# (FILENAME, not NR == FNR: the reference may still be empty.)
	awk 'FILENAME == ARGV[1] { ref[$1] = 1; next }
		!($1 in ref) { print $1 }' "$T/ref" "$T/got" | sort -u >"$T/ask"
	if [ -s "$T/ask" ]; then
		# shellcheck disable=SC2046
		"$CONCDEMO" primes $(cat "$T/ask") | awk \
			'/^ *[0-9]+  [P ] / { print $1, ($2 == "P" ? "P" : "-") }' \
			>>"$T/ref"
	fi
	awk 'FILENAME == ARGV[1] { ref[$1] = $2; next }
		ref[$1] != $2 {
			printf "%s%s marked %s, want %s", sep, $1, $2, ref[$1]
			sep = "; "
		}' "$T/ref" "$T/got"
}
# blanked (on a terminal): after the spinner's last frame, its line was
# blanked ("\r", 12 spaces, "\r"), before anything else was printed.
blanked() {
	# (Ctrl-C's echo, ^C, may land anywhere: it is not concdemo's.)
	tr '\r' '\n' <"$T/tty" | sed 's/\^C//g' | awk '
		/thinking!$/ { frame = NR; ok = 0; next }
		frame && !ok && /^            +$/ { ok = 1; next }
		frame && !ok && /[^ ]/ { late = $0 }
		END {
			if (frame && !ok) print "last frame not blanked"
			if (late != "") print "printed on the last frame: " late
		}'
}

# verify CASE STATUSES STDERR STDOUT: the run's outcome against the table.
verify() {
	why=
	st=$(sed -n 's/^status //p' "$T/report" 2>/dev/null)
	case $code in
	124) why="$why; still running after $LIMIT ms" ;;
	125) why="$why; processes left behind or not reaped" ;;
	esac
	# Under TSan, signal handlers wait for the next libc call.
	if [ "$prompt" = 1 ] && [ "$SANITIZER" != thread ]; then
		ms=$(sed -n 's/^signal_ms //p' "$T/report" 2>/dev/null)
		[ "${ms:-99999}" -le "$PROMPT_MS" ] ||
			why="$why; ended ${ms:-?} ms after the signal (limit $PROMPT_MS)"
	fi
	case ",$2," in
	*",$st,"*) ;;
	*) why="$why; exit status ${st:-?}, want $2" ;;
	esac
	nerr=$(wc -l <"$T/err" | tr -d ' ')
	case $3 in
	'*/'*)	# any number of lines, each matching; one at least on failure
		ere=$(printf '%s' "${3#\*/}" | tr '\001' '|')
		ere=${ere%/}
		if grep -Evq -- "$ere" "$T/err"; then
			why="$why; a line of stderr does not match /$ere/"
		elif [ "$st" != 0 ] && [ "$nerr" = 0 ]; then
			why="$why; exit status $st with nothing on stderr"
		fi ;;
	empty)
		[ -s "$T/err" ] && why="$why; stderr not empty" ;;
	*)	# /ERE/: nothing after success, one matching line else
		ere=$(printf '%s' "${3#/}" | tr '\001' '|')
		ere=${ere%/}
		if [ "$st" = 0 ]; then
			[ -s "$T/err" ] && why="$why; stderr not empty"
		elif [ "$nerr" != 1 ] || ! grep -Eq -- "$ere" "$T/err"; then
			why="$why; stderr is not one line matching /$ere/"
		fi ;;
	esac
	if [ "$st" = 2 ] && [ -s "$T/out" ]; then
		why="$why; a usage error, yet something on stdout"
	fi
	# Counting checks are for complete runs; wellformed, verdicts, says
	# and prints for every run.
	if [ "$4" != - ]; then
		checks=$4
		while [ -n "$checks" ]; do
			one=${checks%%;*}
			[ "$one" = "$checks" ] && checks= || checks=${checks#*;}
			one=${one#"${one%%[! ]*}"}	# no leading blanks
			case ${one%% *} in
			wellformed | verdicts | says | prints) ;;
			*) [ "$st" != 0 ] && continue ;;
			esac
			msg=$(eval "$one")
			[ -n "$msg" ] && why="$why; $msg"
		done
	fi
	if [ "$out" = pty ]; then
		grep -q '^tty_restored 1$' "$T/report" ||
			why="$why; terminal modes not restored"
		# A hidden cursor (ESC [ ? 25 l) must be shown again.
		last=$(grep -o "$(printf '\033')\[?25[lh]" "$T/tty" | tail -n 1)
		[ "$last" = "$(printf '\033')[?25l" ] &&
			why="$why; cursor left hidden"
		msg=$(blanked)
		[ -n "$msg" ] && why="$why; $msg"
	fi
	if [ -z "$why" ]; then
		return 0
	fi
	echo "${why#; }"
	return 1
}

# --- the doc's table must be the fault table's --------------------------
markdown >"$T/want.md"
sed -n '/^<!-- fault table: begin/,/^<!-- fault table: end/p' "$DOC" |
	sed '1d;$d' >"$T/got.md"
if cmp -s "$T/want.md" "$T/got.md"; then
	pass "$DOC's fault table matches $TAB"
else
	fail "$DOC's fault table matches $TAB"
	diag "regenerate it: sh tests/fault/faults.sh --update"
	diff "$T/got.md" "$T/want.md" | head -n 20 | sed 's/^/#   /'
fi

# --- the cases ----------------------------------------------------------
cases >"$T/cases"
while IFS='|' read -r name runs statuses err stdout how fault outcome <&3; do
	if [ -n "${FAULT_ONLY:-}" ] && ! echo "$name" | grep -Eq -- "$FAULT_ONLY"
	then
		continue
	fi
	# QUICK/FULL: QUICK runs in make test, FULL in make check-faults.
	case $runs in
	*/*) [ -n "${FAULT_FULL:-}" ] && runs=${runs#*/} || runs=${runs%/*} ;;
	esac
	runs=${FAULT_RUNS:-$runs}
	run_i=1
	while [ "$run_i" -le "$runs" ]; do
		reset_run
		# $how is the table's: words and $VARIABLES of this script.
		eval "set -- $how"
		"$@"
		desc="$name ($run_i/$runs): $how${note:+ ($note)}"
		if [ -n "$skip" ]; then
			pass "$name ($run_i/$runs) # SKIP $skip"
		elif why=$(verify "$name" "$statuses" "$err" "$stdout"); then
			pass "$desc"
		else
			fail "$desc"
			diag "$why"
			sed 's/^/#   stderr: /' "$T/err" | cut -c 1-200 | head -n 5
		fi
		run_i=$((run_i + 1))
	done
done 3<"$T/cases"
: "$fault$outcome"	# fields for the doc's table only
done_testing
