# CLI checks for make check-arm: a short set, with $CONCDEMO a wrapper
# that runs the AArch64 binary under qemu-user (tests/arm/run.sh).  The
# full CLI scripts (tests/cli) run natively; here only what the
# architecture could change: the book's verdicts (also on the NEON
# path, --simd), both pools (fork, threads, the shared queue's futex and
# process-shared locks), Ctrl-C of a pool, the spinner's three models on
# a terminal, and one sweep.
# No wall-clock bound is checked: emulation is ~10x slower.
. tests/lib.sh

ESC=$(printf '\033')
CR=$(printf '\r')

# verdicts FILE: each result line's number and P (or -), sorted.
verdicts() {
	sed -n '2,21p' "$1" | awk '{ print $1, ($2 == "P" ? "P" : "-") }' |
		sort
}

# --- primes: the book's 20 numbers, sequential and in both pools ---
cat >"$T/book" <<'BOOK'
142702110479723 P
2 P
299593572317531 P
3333333333333301 P
3333333333333333 -
3333335652092209 -
4444444444444423 P
4444444444444444 -
4444444488888889 -
5555553133149889 -
5555555555555503 P
5555555555555555 -
6666666666666666 -
6666666666666719 P
6666667141414921 -
7777777536340681 -
7777777777777753 P
7777777777777777 -
9999999999999917 P
9999999999999999 -
BOOK
sort -o "$T/book" "$T/book"
run primes
is "primes: exit 0" "$status" 0
empty "primes: nothing on stderr" "$T/err"
is "primes: 22 lines" "$(wc -l <"$T/out" | tr -d ' ')" 22
verdicts "$T/out" >"$T/got"
check "primes: the book's verdicts" cmp -s "$T/book" "$T/got"
for pool in procs threads; do
	run primes --$pool=2
	is "primes --$pool=2: exit 0" "$status" 0
	empty "primes --$pool=2: nothing on stderr" "$T/err"
	like "primes --$pool=2: last line" "$T/out" \
		'^20 checks in [0-9]+\.[0-9][0-9]s$'
	verdicts "$T/out" >"$T/got"
	check "primes --$pool=2: the book's verdicts, once each" \
		cmp -s "$T/book" "$T/got"
done

# --- the vector path: NEON on AArch64, the same verdicts ---
for args in "--simd=neon" "--simd --procs=2"; do
	# shellcheck disable=SC2086
	run primes $args
	is "primes $args: exit 0" "$status" 0
	is "primes $args: the path named" "$(head -n 1 "$T/out" | sed 's/.*(\(neon\): 2 lanes):$/\1/')" neon
	verdicts "$T/out" >"$T/got"
	check "primes $args: the book's verdicts" cmp -s "$T/book" "$T/got"
done

# --- Ctrl-C of a pool: 130, no worker left (ptyrun -g) ---
big="9223372036854775783 9223372036854775783 9223372036854775783"
for pool in procs threads; do
	"$TOOLS/ptyrun" -p -o "$T/tty" -c 1500 -g 3000 -t 60000 -- \
		"$CONCDEMO" primes --$pool=2 $big
	is "primes --$pool=2: Ctrl-C: exit 130, nothing left" "$?" 130
done

# --- the spinner's three models on a terminal ---
for model in thread process coroutine; do
	TERM=xterm "$TOOLS/ptyrun" -p -o "$T/tty" -g 3000 -t 60000 -- \
		"$CONCDEMO" spinner --model=$model --delay=0.5
	is "spinner $model: exit 0, nothing left" "$?" 0
	check "spinner $model: frames drawn" \
		[ "$(tr '\r' '\n' <"$T/tty" | grep -c '^[\\|/-] thinking!$')" -ge 1 ]
	like "spinner $model: cursor hidden, the spinner object" "$T/tty" \
		"^$ESC\\[\\?25lspinner object: <"
	like "spinner $model: cursor shown, the answer last" "$T/tty" \
		"$ESC\\[\\?25hAnswer: 42$CR\$"
done

# --- a sweep of one run ---
small="1000000000039 999999999989 1000000007 12 13 4444444444444444"
run sweep --max=2 --runs=1 $small
is "sweep: exit 0" "$status" 0
empty "sweep: nothing on stderr" "$T/err"
like "sweep: the sequential row" "$T/out" '^ +seq +[0-9]'
like "sweep: row 1, speedup 1.00" "$T/out" '^ +1 +[0-9.]+ +[0-9.]+ +[0-9.]+ +1\.00 '
like "sweep: row 2" "$T/out" '^ +2 +[0-9]'
is "sweep: one row marked best" "$(grep -c '<- best$' "$T/out")" 1

done_testing
