# CLI tests: --trace=FILE on primes and spinner (docs/trace.md).  Every
# file is read by tests/tools/tracecheck (valid JSON, each event with the
# fields its phase needs), whose answers prove the chapter's lessons.
. tests/lib.sh

TC=$TOOLS/tracecheck
# Four of the book's numbers: long enough for the GIL to change hands.
four="9999999999999917 7777777777777753 6666666666666719 5555555555555503"

# q FILE QUERY...: tracecheck's answers on one line ("bad" if invalid).
q() {
	f=$1
	shift
	if out=$("$TC" "$f" "$@" 2>"$T/tc.err"); then
		echo "$out" | tr '\n' ' ' | sed 's/ $//'
	else
		echo bad
	fi
}

# valid DESC FILE: the file parses and every event has its fields.
valid() {
	if "$TC" "$2" 2>"$T/tc.err"; then
		pass "$1: valid trace"
	else
		fail "$1: valid trace"
		diag "$(cat "$T/tc.err")"
	fi
}

# CPUs this process may run on: the affinity (nproc; taskset -c 0 makes
# it 1), else the online count.
cpus=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc 2>/dev/null ||
	getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

# --- the checker itself refuses what a viewer would not draw ---
printf '{"traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":1,"dur":9},
{"ph":"X","name":"b","pid":1,"tid":1,"ts":5,"dur":9}]}' >"$T/cross.json"
check "tracecheck: spans that cross on a track are refused" \
	sh -c '! "$1" "$2" 2>/dev/null' - "$TC" "$T/cross.json"
printf '{"traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":1}]}' \
	>"$T/nodur.json"
check "tracecheck: a complete event without dur is refused" \
	sh -c '! "$1" "$2" 2>/dev/null' - "$TC" "$T/nodur.json"
printf '{"traceEvents":[' >"$T/cut.json"
check "tracecheck: a cut file is refused" \
	sh -c '! "$1" "$2" 2>/dev/null' - "$TC" "$T/cut.json"

# --- primes: sequential, one track ---
run primes --trace="$T/seq.json" 7 11 13 4
is "sequential: exit 0" "$status" 0
valid "sequential" "$T/seq.json"
is "sequential: 4 jobs on 1 track, none dropped" \
	"$(q "$T/seq.json" count job distinct job tracks job dropped)" "4 4 1 0"
like "sequential: the verdict and divisors in args" "$T/seq.json" \
	'"name":"job".*"args":\{"n":13,"prime":true,"divisors":[0-9]+\}'
like "sequential: the command line in the caption" "$T/seq.json" \
	'"command":"concdemo primes --trace=[^"]*seq.json 7 11 13 4"'
check "sequential: no temporary file left" \
	[ "$(ls -A "$T" | grep -c '^\.seq\.json\.')" -eq 0 ]

# --- primes --threads --gil: the GIL is exclusive, jobs run holding it ---
run primes --threads=2 --gil --trace="$T/gil.json" $four
is "--gil: exit 0" "$status" 0
valid "--gil" "$T/gil.json"
is "--gil: one job per number, 2 workers waited on the queue" \
	"$(q "$T/gil.json" count job distinct job tracks "queue wait")" "4 4 2"
check "--gil: GIL holds recorded" [ "$(q "$T/gil.json" count "GIL held")" -gt 0 ]
is "--gil: no two GIL holds overlap" "$(q "$T/gil.json" overlap "GIL held")" 0
is "--gil: each job lies within its thread's GIL holds (and waits)" \
	"$(q "$T/gil.json" uncovered job "GIL held" "GIL wait")" 0

# --- primes --procs: a process per worker, jobs side by side ---
run primes --procs=3 --trace="$T/procs.json" $four
is "--procs=3: exit 0" "$status" 0
valid "--procs=3" "$T/procs.json"
is "--procs=3: one job per number, 3 workers waited on the queue" \
	"$(q "$T/procs.json" count job distinct job tracks "queue wait")" "4 4 3"
is "--procs=3: a process name per worker and one for concdemo" \
	"$(grep -c '"name":"process_name"' "$T/procs.json")" 4
if [ "$cpus" -ge 2 ]; then
	check "--procs=3: jobs of two workers overlap in time ($cpus CPUs)" \
		[ "$(q "$T/procs.json" overlap job)" -gt 0 ]
else
	pass "# SKIP jobs overlap: this process may use 1 CPU only"
fi

# --- spinner: a blocked loop shows a gap, nap interleaves ---
run spinner --model=coroutine --work=block --delay=0.3 --trace="$T/block.json"
is "coroutine block: exit 0" "$status" 0
valid "coroutine block" "$T/block.json"
is "coroutine block: one blocking call, no frame inside it" \
	"$(q "$T/block.json" count "blocking call" inside frame "blocking call")" "1 0"
check "coroutine block: the blocking call lasts the delay" \
	[ "$(q "$T/block.json" longest "blocking call" | cut -d. -f1)" -ge 300000 ]
run spinner --model=coroutine --work=nap --number=100000000000000003 \
	--trace="$T/nap.json"
is "coroutine nap: exit 0" "$status" 0
valid "coroutine nap" "$T/nap.json"
check "coroutine nap: frames inside the check" \
	[ "$(q "$T/nap.json" inside frame "slow()")" -gt 0 ]
check "coroutine nap: the check's steps" \
	[ "$(q "$T/nap.json" count Task-3)" -gt 1 ]
run spinner --model=process --delay=0.3 --trace="$T/proc.json"
is "process: exit 0" "$status" 0
valid "process" "$T/proc.json"
is "process: the frames on the child's own track, slow() on the parent's" \
	"$(q "$T/proc.json" tracks frame tracks "slow()" inside frame "slow()")" "1 1 0"
check "process: frames recorded" [ "$(q "$T/proc.json" count frame)" -ge 2 ]
run spinner --work=prime --gil --number=100000000000000003 \
	--trace="$T/spin-gil.json"
is "thread --gil: exit 0" "$status" 0
valid "thread --gil" "$T/spin-gil.json"
check "thread --gil: the spinner spins" \
	[ "$(q "$T/spin-gil.json" count frame)" -ge 1 ]

# --- bad paths: refused before any work; an empty name ---
unwritable primes --trace 7
unwritable spinner --trace --model=coroutine
# A --timeline that cannot be written: nothing ran, so the --trace file
# is left as it was (not replaced by an empty trace).
echo keep >"$T/keep.json"
run primes --trace="$T/keep.json" --timeline="$T/nodir/x.svg" 7
is "--timeline unwritable: exit 1" "$status" 1
is "--timeline unwritable: the --trace file untouched" "$(cat "$T/keep.json")" keep
usage_error "--trace=" primes --trace= 7
usage_error "spinner --trace=" spinner --trace=

# --- the filter: '-' streamed one by one is traced too ---
printf '7\n8\n9\n' >"$T/nums"
run -i "$T/nums" primes --format=tsv --trace="$T/filter.json" -
is "filter, sequential: exit 0" "$status" 0
valid "filter, sequential" "$T/filter.json"
is "filter, sequential: a job span per number" \
	"$(q "$T/filter.json" count job)" 3

# --- Ctrl-C: what ran is still written, valid ---
big="9223372036854775783 9223372036854775783 9223372036854775783"
rm -f "$T/int.json"
"$TOOLS/ptyrun" -p -o "$T/tty" -c 300 -g 1000 -t 20000 -- \
	"$CONCDEMO" primes --threads=2 --trace="$T/int.json" $big
is "Ctrl-C: exit 130" "$?" 130
valid "Ctrl-C" "$T/int.json"
is "Ctrl-C: the stopped jobs are there, marked" \
	"$(grep -c '"stopped":true' "$T/int.json")" 2

# --- a worker killed: its death and the job's re-run, as instants ---
if robust_here; then
	# Three numbers three times: each worker is busy for ~0.6 s (here),
	# so the kill 0.1 s in finds it mid-job even on a loaded machine.
	three="100000000000000003 100000000000000013 100000000000000019"
	slow="$three $three $three"
	kill_worker 0.1 --trace="$T/kill.json" $slow
	is "kill -9 a worker: exit 0" "$?" 0
	valid "kill -9 a worker" "$T/kill.json"
	is "kill -9 a worker: one death, every number answered" \
		"$(q "$T/kill.json" count "worker died" distinct job)" "1 3"
	check "kill -9 a worker: a re-run when it held a job" \
		[ "$(q "$T/kill.json" count "job re-run")" -eq \
		  "$(grep -c '"had_job":true' "$T/kill.json")" ]
else
	for i in 1 2 3 4; do
		pass "# SKIP kill -9 of a worker: no robust mutexes on $(uname -s)"
	done
fi

# python3's json, when it is there: an independent reader.
if command -v python3 >/dev/null 2>&1; then
	check "python3 json reads the --gil trace" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["displayTimeUnit"] == "ms" and len(d["traceEvents"]) > 0' "$T/gil.json"
else
	pass "# SKIP python3 json: no python3"
fi

done_testing
