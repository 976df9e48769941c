# CLI tests: `concdemo spinner`, the book's eight spinner programs, on a
# pseudo-terminal: frames, the final line, the cursor, Ctrl-C and SIGTERM
# in every model, non-terminal output, every bad option.
. tests/lib.sh

ESC=$(printf '\033')
CR=$(printf '\r')
BLANK="$CR            $CR"	# the book's f'\r{blanks}\r', 12 columns
ERASE="$BLANK$ESC[K"	# on signal paths: and clear past an echoed ^C

# spin [PTYRUN-OPTS] -- ARGS: run `concdemo spinner ARGS` on a terminal
# with TERM=xterm (unless TERM_FOR_TEST says otherwise); sets $status and
# leaves the terminal's output in $T/tty, ptyrun's report in $T/report.
spin() {
	opts=""
	while [ "$1" != "--" ]; do opts="$opts $1"; shift; done
	shift
	# shellcheck disable=SC2086
	TERM=${TERM_FOR_TEST-xterm} "$TOOLS/ptyrun" -p -o "$T/tty" \
		-r "$T/report" -g 1000 -t "${RUN_LIMIT_MS:-30000}" $opts -- \
		"$CONCDEMO" spinner "$@" >"$T/ptyrun.err" 2>&1
	status=$?
	echo "$status" >"$T/status"	# for callers in a subshell
}

# Frames drawn: "\r<c> thinking!" each, one per line once \r is a newline.
frames() { tr '\r' '\n' <"$1" | grep -c '^[\\|/-] thinking!$'; }
report() { sed -n "s/^$1 //p" "$T/report"; }

# between DESC VALUE LO HI
between() {
	if [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then
		pass "$1 ($2)"
	else
		fail "$1"
		diag "got $2, want $3..$4"
	fi
}

# has DESC FILE STRING: FILE contains STRING (fixed, may hold \r, ESC).
has() {
	if grep -qF -- "$3" "$2"; then pass "$1"; else
		fail "$1"
		diag "$(basename "$2") holds:"
		od -c "$2" | tail -n 6 | sed 's/^/#   /'
	fi
}
hasnt() {
	if grep -qF -- "$3" "$2"; then
		fail "$1"
		od -c "$2" | tail -n 6 | sed 's/^/#   /'
	else pass "$1"; fi
}

# ends_with DESC FILE STRING: the last bytes of FILE are STRING (compared
# as hex, so trailing newlines count).
ends_with() {
	n=$(printf '%s' "$3" | wc -c)
	got=$(tail -c "$n" "$2" | od -An -tx1)
	want=$(printf '%s' "$3" | od -An -tx1)
	if [ "$got" = "$want" ]; then pass "$1"; else
		fail "$1"
		diag "ends with: $(tail -c 40 "$2" | od -c | head -n 3)"
	fi
}

# cpu_ms CMD...: run CMD in a subshell and print the CPU time (user + sys,
# ms) it and its children used, from the shell's `times`.
cpu_ms() {
	(
		"$@"
		times
	) | tail -n 1 | awk '{
		t = 0
		for (i = 1; i <= 2; i++) {
			split($i, p, "m"); sub("s", "", p[2])
			t += p[1] * 60 + p[2]
		}
		printf "%d\n", t * 1000 + 0.5 }'
}

# The CPU time bound: sanitizers cost more (startup, every call checked),
# a busy loop would still cost ~3000 ms.
if [ -n "$SANITIZER" ]; then CPU_MAX=600; else CPU_MAX=50; fi

# --- help and bad options ---
run spinner --help
is "--help exits 0" "$status" 0
like "--help shows usage" "$T/out" '^usage: concdemo spinner'
like "--help names every model" "$T/out" 'thread .* process .* coroutine|coroutine'
run --help
like "concdemo --help lists spinner" "$T/out" '^  spinner '

usage_error "--model=x" spinner --model=x
like "--model=x names the value and the choices" "$T/err" "invalid --model value 'x' \(expected thread, process or coroutine\)"
usage_error "--model=" spinner --model=
usage_error "--model without value" spinner --model
like "--model without value: needs a value" "$T/err" "needs a value"
usage_error "--work=x" spinner --work=x
like "--work=x names the choices" "$T/err" "expected sleep, block, prime or nap"
usage_error "--spin=x" spinner --spin=x
like "--spin=x names the choices" "$T/err" "expected auto, always or never"
usage_error "--spin=ALWAYS (case matters)" spinner --spin=ALWAYS
for bad in abc -1 +1 1.5 0x10 _1 "" 18446744073709551616; do
	usage_error "--number='$bad'" spinner --work=prime --number="$bad"
	like "--number='$bad' is named" "$T/err" "invalid --number value"
done
for bad in abc -1 +1 inf nan 3601 1e9 "" 1s; do
	usage_error "--delay='$bad'" spinner --delay="$bad"
	like "--delay='$bad' is named" "$T/err" "invalid --delay value"
done
usage_error "--work=nap with threads" spinner --work=nap
like "--work=nap needs the coroutine model" "$T/err" "needs --model=coroutine"
usage_error "--work=nap with processes" spinner --model=process --work=nap
usage_error "--number with --work=sleep" spinner --number=7
like "--number: only for prime and nap" "$T/err" "applies to --work=prime"
usage_error "--delay with --work=prime" spinner --work=prime --delay=1
like "--delay: only for sleep and block" "$T/err" "applies to --work=sleep"
usage_error "an operand" spinner extra
like "an operand is named" "$T/err" "unexpected argument 'extra'"
usage_error "unknown option" spinner --frob
usage_error "--help=x" spinner --help=x
usage_error "-x" spinner -x

# --- the three spinners, 3 s as in the book: frames, lines, CPU ---
for model in thread process coroutine; do
	cpu=$(cpu_ms spin -- --model=$model)
	is "$model: exit 0" "$(cat "$T/status")" 0
	between "$model: about 10 frames a second for 3 s" "$(frames "$T/tty")" 20 40
	between "$model: no busy loop: CPU ms for a 3 s run" "$cpu" 0 "$CPU_MAX"
	has "$model: cursor hidden first" "$T/tty" "$ESC[?25lspinner object: <"
	ends_with "$model: line blanked, cursor shown, answer" "$T/tty" \
		"$BLANK$ESC[?25hAnswer: 42$CR
"
	tr '\r' '\n' <"$T/tty" | sed -n 's/^\(.\) thinking!$/\1/p' | tr -d '\n' \
		>"$T/chars"
	n=$(wc -c <"$T/chars" | tr -d ' ')
	want=$(awk -v n="$n" 'BEGIN { s = "\\|/-"; for (i = 0; i < n; i++)
		printf "%s", substr(s, i % 4 + 1, 1) }')
	is "$model: frames cycle \\ | / -" "$(cat "$T/chars")" "$want"
	cp "$T/tty" "$T/tty.$model"
done
# The spinner object as the book prints it: before the start, so in its
# initial state (CPython 3.10+'s reprs), then the frames.
like "thread repr: not yet started" "$T/tty.thread" '^.\[\?25lspinner object: <Thread\(Thread-1 \(spin\), initial\)>.$'
like "process repr: not yet started" "$T/tty.process" "^.\[\?25lspinner object: <Process name='Process-1' parent=[0-9]+ initial>.$"
like "coroutine repr: a pending task" "$T/tty.coroutine" "^.\[\?25lspinner object: <Task pending name='Task-2' coro=<spin\(\) running at [^>]*spinner.c:[0-9]+>>.$"
for model in thread process coroutine; do
	is "$model: the first frame comes right after the object line" \
		"$(sed -n 2p "$T/tty.$model" | cut -c 1-12)" "$CR\\ thinking!"
done

# --- spinner_async_experiment.py: a blocking sleep, no frame ---
spin -- --model=coroutine --work=block --delay=1
is "coroutine block: exit 0" "$status" 0
is "coroutine block: no frame at all" "$(frames "$T/tty")" 0
between "coroutine block: slept the whole second (ms)" "$(report elapsed_ms)" 990 20000
ends_with "coroutine block: cursor shown, answer" "$T/tty" "$ESC[?25hAnswer: 42$CR
"
for model in thread process; do
	spin -- --model=$model --work=block --delay=1
	between "$model block: the same as sleep, it spins" "$(frames "$T/tty")" 6 16
done

# --- the quiz: is_prime in the supervisor ---
BIG=2305843009213693951		# 2^61 - 1, a Mersenne prime: under a second
# spun NAME HOW: the last spin exited 0, drew ~1 frame per 0.1 s of its
# run, and ended blanked, the cursor shown, with the verdict on BIG.
spun() {
	is "$1: exit 0" "$status" 0
	ms=$(report elapsed_ms)
	between "$1: $2, ~1 frame per 0.1 s of $ms ms" \
		"$(frames "$T/tty")" $((ms / 200)) $((ms / 100 + 3))
	ends_with "$1: blanked, cursor shown, the verdict" "$T/tty" \
		"$BLANK$ESC[?25h2,305,843,009,213,693,951 is prime$CR
"
}
for model in thread process; do
	spin -- --model=$model --work=prime --number=$BIG
	spun "$model prime" "it spins while is_prime runs"
done
spin -- --model=coroutine --work=prime --number=$BIG
is "coroutine prime: exit 0" "$status" 0
is "coroutine prime: the loop is blocked, no frame" "$(frames "$T/tty")" 0
ends_with "coroutine prime: the verdict" "$T/tty" "$ESC[?25h2,305,843,009,213,693,951 is prime$CR
"
spin -- --model=coroutine --work=nap --number=$BIG
spun "coroutine nap" "it spins"
# --- the quiz under the emulated GIL: it still spins (the switch interval) ---
spin -- --model=thread --work=prime --number=$BIG --gil
spun "thread prime --gil" "it still spins"
# A switch interval longer than the run: the spinner thread waits for the
# GIL all along (CPython: sys.setswitchinterval(10)); at most the frame
# drawn before is_prime took the GIL.
spin -- --model=thread --work=prime --number=$BIG --gil=1000
ms=$(report elapsed_ms)
between "thread prime --gil=1000: ~1 frame per second of $ms ms" \
	"$(frames "$T/tty")" 0 $((ms / 1000 + 2))
spin -c 400 -- --model=thread --work=prime --gil
interrupted_gil_status=$status
is "Ctrl-C, thread prime --gil: exit 130" "$interrupted_gil_status" 130
within_ms "Ctrl-C, thread prime --gil: ends within 200 ms" "$T/report" 200
usage_error "--gil with --model=process" spinner --model=process --gil
like "--gil needs threads" "$T/err" "needs --model=thread"
usage_error "--gil with --model=coroutine" spinner --model=coroutine --gil=5
for bad in 0 -1 abc 1001 "" 1e9; do
	usage_error "--gil='$bad'" spinner --work=prime --gil="$bad"
done
like "--gil names the range" "$T/err" "0.001..1000"
spin -- --work=prime --number=5_000_111_000_222_021
has "the book's number, with separators" "$T/tty" "h5,000,111,000,222,021 is prime$CR"
between "the book's number: done within a frame or two" "$(frames "$T/tty")" 0 3
spin -- --model=coroutine --work=nap --number=4444444488888889
has "nap: a square of a prime is not prime" "$T/tty" "h4,444,444,488,888,889 is not prime$CR"
spin -- --model=process --work=prime --number=0
has "0 is not prime" "$T/tty" "h0 is not prime$CR"

# --- not a terminal, TERM=dumb, --spin ---
run spinner --delay=0.3
is "not a terminal: exit 0" "$status" 0
is "not a terminal: no frames, no escapes, just the two lines" \
	"$(cat "$T/out")" "spinner object: <Thread(Thread-1 (spin), initial)>
Answer: 42"
empty "not a terminal: nothing on stderr" "$T/err"
# parent=: the pid of concdemo itself (the shell's pid, which exec keeps).
run_sh() { "$TOOLS/ptyrun" -t 20000 -g 1000 -- sh -c "$1" >"$T/out" 2>"$T/err"; }
run_sh "echo \$\$; exec '$CONCDEMO' spinner --model=process --delay=0.2"
is "not a terminal, process: parent= is concdemo's pid" "$(sed -n 2p "$T/out")" \
	"spinner object: <Process name='Process-1' parent=$(head -n 1 "$T/out") initial>"
run spinner --model=coroutine --work=nap --number=4444444444444423
is "not a terminal, nap: the verdict" "$(tail -n 1 "$T/out")" "4,444,444,444,444,423 is prime"
run spinner --model=process --delay=0.5 --spin=always
is "--spin=always, not a terminal: exit 0" "$status" 0
between "--spin=always: frames even in a file" "$(frames "$T/out")" 2 10
hasnt "--spin=always in a file: no cursor escapes" "$T/out" "$ESC"
has "--spin=always in a file: the line is blanked" "$T/out" "$BLANK"
spin -- --delay=0.5 --spin=never
is "--spin=never on a terminal: no frames" "$(frames "$T/tty")" 0
hasnt "--spin=never: no escapes" "$T/tty" "$ESC"
like "--spin=never: the answer" "$T/tty" '^Answer: 42'
TERM_FOR_TEST=dumb spin -- --model=coroutine --delay=0.5
is "TERM=dumb: no frames" "$(frames "$T/tty")" 0
hasnt "TERM=dumb: no escapes" "$T/tty" "$ESC"
TERM_FOR_TEST= spin -- --delay=0.5
is "TERM empty: no frames" "$(frames "$T/tty")" 0
TERM_FOR_TEST=dumb spin -- --delay=0.5 --spin=always
between "TERM=dumb --spin=always: frames" "$(frames "$T/tty")" 2 10
hasnt "TERM=dumb --spin=always: no cursor escapes" "$T/tty" "$ESC"

# --- Ctrl-Z and a resize, in the background, while the tests go on ---
# Ctrl-Z at 400 ms under a shell-like session leader (ptyrun -j: the job
# really stops), `fg` 200 ms later; and a resize to 8 columns and back.
for model in thread process coroutine; do
	TERM=xterm "$TOOLS/ptyrun" -p -j 200 -Z 400 -o "$T/z.$model" \
		-r "$T/z.$model.report" -g 1000 -t 20000 -- "$CONCDEMO" spinner \
		--model=$model --delay=1.5 >"$T/z.$model.err" 2>&1 &
done
TERM=xterm "$TOOLS/ptyrun" -p -x 80 -X 8@300 -X 80@800 -o "$T/resize" \
	-r "$T/resize.report" -g 1000 -t 20000 -- "$CONCDEMO" spinner \
	--delay=1.2 >"$T/resize.err" 2>&1 &

# --- Ctrl-C and SIGTERM in every model: blanked, cursor back, 130/143 ---
# Under TSan a compute loop sees the signal only at its next libc call,
# so after the scan: the exit status still holds, the timing does not.
interrupted() {	# DESC WANT_STATUS [compute]
	is "$1: exit $2" "$status" "$2"
	within_ms "$1: ends within 200 ms" "$T/report" 200
	if [ "$SANITIZER" = thread ] && [ -n "$3" ]; then
		has "$1: line erased, cursor shown (TSan: after the scan)" \
			"$T/tty" "$ERASE$ESC[?25h"
		pass "$1: no answer # SKIP TSan defers signal handlers"
	else
		ends_with "$1: line erased past ^C, cursor shown last" "$T/tty" \
			"$ERASE$ESC[?25h"
		hasnt "$1: no verdict" "$T/tty" " is prime"
		hasnt "$1: no answer" "$T/tty" "Answer"
	fi
	hasnt "$1: no message" "$T/tty" "concdemo:"
	empty "$1: nothing left running" "$T/ptyrun.err"
}
for mw in thread:sleep thread:prime process:sleep process:prime \
    coroutine:sleep coroutine:block coroutine:prime coroutine:nap; do
	model=${mw%:*}
	work=${mw#*:}
	spin -c 400 -- --model=$model --work=$work
	case $work in prime | nap) compute=yes ;; *) compute= ;; esac
	interrupted "Ctrl-C, $model $work" 130 $compute
done
for model in thread process coroutine; do
	spin -s TERM@400 -- --model=$model
	interrupted "SIGTERM, $model" 143
done
spin -S TERM@400 -- --model=process --work=prime
interrupted "SIGTERM to the group, process prime" 143 yes

# --- the parent dies: the child spinner goes too ---
spin -s KILL@400 -- --model=process
is "parent killed: 137, and no child left (ptyrun -g)" "$status" 137
empty "parent killed: nothing left running" "$T/ptyrun.err"

# --- Ctrl-\ (SIGQUIT): the guard puts the cursor back ---
spin -S QUIT@400 -- --model=process
is "SIGQUIT: dies by it" "$status" 131
ends_with "SIGQUIT: line erased, cursor shown last" "$T/tty" "$ERASE$ESC[?25h"
empty "SIGQUIT: nothing left running" "$T/ptyrun.err"

# --- Ctrl-Z and the resize: their results ---
wait
STOPPED="$CR
[ptyrun: stopped]$CR
"
for model in thread process coroutine; do
	f=$T/z.$model
	is "Ctrl-Z, $model: exit 0" "$(sed -n 's/^status //p' "$f.report")" 0
	empty "Ctrl-Z, $model: nothing left running" "$f.err"
	has "Ctrl-Z, $model: line erased past ^Z, cursor shown, then stopped" \
		"$f" "^Z$ERASE$ESC[?25h$STOPPED"
	# What came once continued (fg): the cursor hidden again, the end.
	awk '/^\[ptyrun: stopped\]/ { on = 1; next } on' "$f" >"$f.after"
	has "Ctrl-Z, $model: fg hides the cursor again" "$f.after" "$ESC[?25l"
	ends_with "Ctrl-Z, $model: blanked, cursor shown, answer" "$f.after" \
		"$BLANK$ESC[?25hAnswer: 42$CR
"
	is "Ctrl-Z, $model: the terminal's modes restored" \
		"$(sed -n 's/^tty_restored //p' "$f.report")" 1
done
for model in thread coroutine; do	# the drawing thread hides it first
	is "Ctrl-Z, $model: fg hides the cursor before any frame" \
		"$(head -c 6 "$T/z.$model.after")" "$ESC[?25l"
done
is "resize: exit 0" "$(sed -n 's/^status //p' "$T/resize.report")" 0
# The frames as letters: F whole, C cut to 7 columns, K "\r ESC [ K" (a
# resize seen), B the blank: whole frames, a resize, cut frames, a resize,
# whole frames again, the book's blank.
shape=$(tr '\r' '\n' <"$T/resize" | awk -v esc="$ESC" '
	/^[\\|\/-] thinking!$/ { printf "F"; next }
	/^[\\|\/-] think$/ { printf "C"; next }
	$0 == esc "[K" { printf "K"; next }
	/^ +$/ { printf "B" }')
printf '%s\n' "$shape" >"$T/shape"
like "resize: frames cut to the width and back, each resize erased" \
	"$T/shape" '^F+KC+KF*B$'
ends_with "resize: blanked as the book, cursor shown, answer" "$T/resize" \
	"$BLANK$ESC[?25hAnswer: 42$CR
"

# --- output errors ---
if [ -w /dev/full ]; then
	"$TOOLS/ptyrun" -t 20000 -g 1000 -- "$CONCDEMO" spinner --delay=0.2 \
		>/dev/full 2>"$T/err"
	is "/dev/full: exit 1" "$?" 1
	like "/dev/full: message" "$T/err" '^concdemo: spinner: cannot write output'
	is "/dev/full: one line" "$(wc -l <"$T/err" | tr -d ' ')" 1
else
	pass "# SKIP /dev/full missing"
	pass "# SKIP /dev/full missing"
	pass "# SKIP /dev/full missing"
fi
"$TOOLS/ptyrun" -t 20000 -g 1000 -- sh -c \
	"'$CONCDEMO' spinner --model=process --delay=0.3 2>'$T/err' | true; exit 0"
is "closed pipe: no process left" "$?" 0
empty "closed pipe: quiet" "$T/err"

done_testing
