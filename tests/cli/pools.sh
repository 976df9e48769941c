# CLI tests: `concdemo primes --procs` / `--threads` (procs.py, threads.py).
. tests/lib.sh

# The sequential verdict lines for some numbers, times blanked, sorted.
verdicts() {
	sed -n '2,$p' "$1" | grep -v -e '^Total time' -e ' checks in ' |
		sed 's/[0-9]\.[0-9]\{6\}s$/T/' | sort
}

run primes
verdicts "$T/out" >"$T/seq"

# --- formats, for both kinds, N = 1, 2, and more workers than numbers ---
for kind in procs threads; do
	word=processes
	[ $kind = threads ] && word=threads
	for n in 1 2; do
		run primes --$kind=$n
		is "$kind=$n: exit 0" "$status" 0
		empty "$kind=$n: nothing on stderr" "$T/err"
		is "$kind=$n: header" "$(head -n 1 "$T/out")" \
			"Checking 20 numbers with $n $word:"
		is "$kind=$n: 22 lines" "$(wc -l <"$T/out" | tr -d ' ')" 22
		like "$kind=$n: last line" "$T/out" '^20 checks in [0-9]+\.[0-9][0-9]s$'
		is "$kind=$n: last line is last" "$(tail -n 1 "$T/out" | cut -c1-13)" "20 checks in "
		verdicts "$T/out" >"$T/pool"
		check "$kind=$n: the sequential lines and verdicts, once each" \
			cmp -s "$T/seq" "$T/pool"
	done
	for order in fifo lifo priority; do
		run primes --$kind=3 --order=$order
		verdicts "$T/out" >"$T/pool"
		check "$kind --order=$order: same verdicts" cmp -s "$T/seq" "$T/pool"
	done
	run primes --$kind=50 7 12 13
	is "$kind=50 on 3 numbers: exit 0" "$status" 0
	is "$kind=50 on 3 numbers: 3 results" \
		"$(sed -n '2,4p' "$T/out" | awk '{print $1 ($2 == "P" ? "P" : "")}' | sort | tr '\n' ' ')" \
		"12 13P 7P "
	is "$kind=50: header" "$(head -n 1 "$T/out")" \
		"Checking 3 numbers with 50 $word:"
	run primes --$kind
	# The default is one worker per online CPU: read how many this
	# machine has (1, 2, 64...), as the binary does.
	if cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null) && [ -n "$cpus" ]; then
		[ "$cpus" -gt 1024 ] && cpus=1024
		is "--$kind alone: one worker per online CPU (getconf: $cpus)" \
			"$(head -n 1 "$T/out")" "Checking 20 numbers with $cpus $word:"
	else
		pass "# SKIP --$kind alone: getconf cannot tell the online CPUs"
	fi
done
: >"$T/in"
run -i "$T/in" primes --procs=2 -
is "no numbers: exit 0" "$status" 0
is "no numbers: output" "$(cat "$T/out")" "Checking 0 numbers with 2 processes:
0 checks in $(sed -n 's/^0 checks in //p' "$T/out")"

# --- bad values: exit 2, one line, nothing run ---
for bad in 0 1025 -1 abc "" " 1" 1.5 2x 99999999999999999999; do
	usage_error "--procs='$bad'" primes "--procs=$bad" 7
	like "--procs='$bad': named" "$T/err" "invalid --procs value '$(printf '%s' "$bad" | sed 's/[.]/\\./g')' \(expected 1\.\.1024\)"
done
usage_error "--threads=0" primes --threads=0 7
like "--threads=0: named" "$T/err" "invalid --threads value '0'"
usage_error "--procs with --threads" primes --procs=2 --threads=2 7
like "--procs with --threads: says so" "$T/err" "cannot be used together"
usage_error "--threads then --procs" primes --threads --procs -- 7
like "--threads then --procs: says so" "$T/err" "cannot be used together"
usage_error "--order=bad" primes --procs --order=random 7
like "--order=bad: named" "$T/err" "invalid --order value 'random'"
usage_error "--order alone" primes --order=lifo 7
like "--order alone: says why" "$T/err" "needs --procs or --threads"
usage_error "--order without value" primes --procs --order
usage_error "bad number with --procs" primes --procs=2 7 x

# --- kill -9 of a worker mid-run: every result, status 0 ---
if robust_here; then
	slow="100000000000000003 100000000000000013 100000000000000019"
	nums=$(for i in 1 2 3 4 5 6 7; do echo $slow; done | tr ' ' '\n' | head -n 20 | tr '\n' ' ')
	run primes $nums
	verdicts "$T/out" >"$T/seq20"
	kill_worker 0.3 $nums	# 0.3 s: the worker is mid-job
	is "kill -9 a worker: exit 0, nothing left" "$?" 0
	is "kill -9 a worker: 22 lines" "$(wc -l <"$T/out" | tr -d ' ')" 22
	verdicts "$T/out" >"$T/pool"
	check "kill -9 a worker: all 20 results, right verdicts" cmp -s "$T/seq20" "$T/pool"
	like "kill -9 a worker: the death is reported" "$T/err" \
		'^concdemo: primes: worker [0-9] \(pid [0-9]+\) killed by signal 9 .*while checking 1000000000000000[0-9]+ \(death 1 on it\)$'
	like "kill -9 a worker: the restart is reported" "$T/err" \
		'^concdemo: primes: worker [0-9] restarted as pid [0-9]+$'
else
	for i in 1 2 3 4 5; do
		pass "# SKIP kill -9 of a worker: no robust mutexes on $(uname -s)"
	done
fi

# --- --gil: threads under the emulated GIL, same results ---
for n in 1 2 3; do
	run primes --threads=$n --gil
	is "--threads=$n --gil: exit 0" "$status" 0
	is "--threads=$n --gil: the book's header" "$(head -n 1 "$T/out")" \
		"Checking 20 numbers with $n threads:"
	verdicts "$T/out" >"$T/pool"
	check "--threads=$n --gil: the sequential verdicts, once each" \
		cmp -s "$T/seq" "$T/pool"
done
run primes --threads=2 --gil=0.5 --order=priority
verdicts "$T/out" >"$T/pool"
check "--gil=0.5 --order=priority: same verdicts" cmp -s "$T/seq" "$T/pool"
usage_error "--gil without a pool" primes --gil -- 7
like "--gil needs --threads" "$T/err" "needs --threads"
usage_error "--gil with --procs" primes --procs=2 --gil -- 7
like "--gil with --procs: says why" "$T/err" "needs --threads"
for bad in 0 abc -5 1001 ""; do
	usage_error "--gil='$bad'" primes --threads=2 --gil="$bad" 7
done
"$TOOLS/ptyrun" -p -o "$T/tty" -r "$T/report" -c 300 -g 1000 -t 20000 -- \
	"$CONCDEMO" primes --threads=2 --gil -- 9223372036854775783 9223372036854775783
is "--gil: Ctrl-C: exit 130, nothing left" "$?" 130
within_ms "--gil: Ctrl-C: stops within 200 ms" "$T/report" 200

# --- Ctrl-C, SIGTERM, the parent killed ---
big="9223372036854775783 9223372036854775783 9223372036854775783"
for kind in procs threads; do
	"$TOOLS/ptyrun" -p -o "$T/tty" -r "$T/report" -c 300 -g 1000 \
		-t 20000 -- "$CONCDEMO" primes --$kind=2 $big
	is "$kind: Ctrl-C: exit 130, nothing left" "$?" 130
	within_ms "$kind: Ctrl-C: stops within 200 ms" "$T/report" 200
	check "$kind: Ctrl-C: only the header on the terminal" \
		[ "$(tr -d '\r' <"$T/tty" | grep -cv '^\^C$')" -le 1 ]
	"$TOOLS/ptyrun" -r "$T/report" -s TERM@300 -g 1000 -t 20000 -- \
		"$CONCDEMO" primes --$kind=2 $big >"$T/out" 2>"$T/err"
	is "$kind: SIGTERM: exit 143, nothing left" "$?" 143
	within_ms "$kind: SIGTERM: stops within 200 ms" "$T/report" 200
	empty "$kind: SIGTERM: quiet" "$T/err"
done
"$TOOLS/ptyrun" -s KILL@300 -g 1000 -t 20000 -- \
	"$CONCDEMO" primes --procs=2 $big >"$T/out" 2>"$T/err"
is "parent SIGKILLed: no worker alive 1 s later" "$?" 137

# --- a closed pipe: quiet, workers reaped ---
for kind in procs threads; do
	"$TOOLS/ptyrun" -t 20000 -g 1000 -- sh -c \
		"'$CONCDEMO' primes --$kind=2 2>'$T/err' | head -n 3 >'$T/out'; exit 0"
	is "$kind | head -3: nothing left" "$?" 0
	is "$kind | head -3: 3 lines" "$(wc -l <"$T/out" | tr -d ' ')" 3
	empty "$kind | head -3: quiet" "$T/err"
done

# --- stdout is a file: each line once (fflush before fork) ---
run primes --procs=4 7 11 13 17 19 23 29 31
is "procs to a file: 10 lines, none twice" \
	"$(sort "$T/out" | uniq | wc -l | tr -d ' ')" 10

# --- fork failing: a fresh user limited to 2 processes ---
fresh_uid
if [ "$fresh_uid" != none ]; then
	for kind in procs threads; do
		"$TOOLS/ptyrun" -t 20000 -g 1000 -- \
			"$TOOLS/nprocrun" "$fresh_uid" 2 -- \
			"$CONCDEMO" primes --$kind=4 $big \
			>"$T/out" 2>"$T/err"
		is "$kind: start failing: exit 1, nothing left" "$?" 1
		like "$kind: start failing: clear error" "$T/err" \
			'^concdemo: primes: cannot start worker (process|thread) [0-9]+ of 4: Resource temporarily unavailable$'
		is "$kind: start failing: one line on stderr" \
			"$(wc -l <"$T/err" | tr -d ' ')" 1
	done
else
	for i in 1 2 3 4 5 6; do
		pass "# SKIP start failure: $fresh_why"
	done
fi

# --- the pools as a filter: --format=tsv|jsonl through pool_stream ---
seq 1 3000 >"$T/in3k"
run -i "$T/in3k" primes --format=tsv -
cut -f1,2 "$T/out" >"$T/seqtsv"
sort "$T/seqtsv" >"$T/seqset"
for kind in procs threads; do
	run -i "$T/in3k" primes --$kind=2 --format=tsv -
	is "$kind stream: exit 0" "$status" 0
	cut -f1,2 "$T/out" | sort >"$T/pool"
	check "$kind stream: the sequential lines, as a set" \
		cmp -s "$T/seqset" "$T/pool"
	run -i "$T/in3k" primes --$kind=3 --format=jsonl --keep-order -
	sed 's/,"seconds":.*//' "$T/out" >"$T/pool"
	sed 's/^\([0-9]*\)	\(.*\)/{"n":\1,"prime":\2/; s/prime":prime$/prime":true/; s/prime":composite$/prime":false/' \
		"$T/seqtsv" >"$T/seqjson"
	check "$kind stream --keep-order: the sequential lines, in order" \
		cmp -s "$T/seqjson" "$T/pool"
done
printf '5\nx\n7\n' >"$T/bad"
run -i "$T/bad" primes --procs=2 --format=tsv -
is "procs stream, a bad word: exit 1" "$status" 1
like "procs stream, a bad word: reported with its line" "$T/err" \
	"^concdemo: primes: line 2: invalid number 'x'"
is "procs stream, a bad word: the others answered" \
	"$(cut -f1,2 "$T/out" | sort | tr '\t\n' ': ')" "5:prime 7:prime "
usage_error "--keep-order without a pool" primes --keep-order --format=tsv 7
usage_error "--keep-order with the book's format" primes --procs=2 --keep-order 7
# A worker killed mid-stream: its batch is put back, every number
# answered; the small numbers (one batch, the second worker's) overtake
# the slow one before them.
slow=100000000000000003
{ echo $slow; cat "$T/in3k"; echo $slow; echo $slow; } >"$T/killin"
"$TOOLS/ptyrun" -w KILL@100 -g 1000 -t 60000 -- sh -c "exec '$CONCDEMO' \
	primes --procs=2 --format=tsv - <'$T/killin' >'$T/out' 2>'$T/err'"
is "procs stream, a worker killed: exit 0, nothing left" "$?" 0
{ printf '%s\tprime\n' $slow $slow $slow; cat "$T/seqtsv"; } | sort >"$T/seqset"
cut -f1,2 "$T/out" | sort >"$T/pool"
check "procs stream, a worker killed: every number once, right verdicts" \
	cmp -s "$T/seqset" "$T/pool"
like "procs stream, a worker killed: the death is reported" "$T/err" \
	'^concdemo: primes: worker [0-9] \(pid [0-9]+\) killed by signal 9'
is "procs stream, a worker killed: completion order (a small number first)" \
	"$(head -n 1 "$T/out" | cut -f1)" 1

done_testing
