# CLI tests: docs/cluster.md's recipes for spreading `primes` as a filter,
# run here: xargs -P over pieces of the input on one machine, and GNU
# parallel over three simulated hosts (tests/tools/fakessh as its ssh),
# one of which is lost in the middle of its first job.  Each merged
# result must equal a sequential run's: every number answered once, with
# the same verdict.
. tests/lib.sh

N=200000
# pipeline DESC SCRIPT: run SCRIPT with sh under ptyrun (bounded in time,
# nothing left running); "DESC: exit 0, nothing left" is checked; its
# stdout and stderr are $T/out and $T/err.
pipeline() {
	"$TOOLS/ptyrun" -t 60000 -g 1000 -r "$T/report" -- sh -c "$2" \
	    </dev/null >"$T/out" 2>"$T/err"
	status=$?
	is "$1: exit 0, nothing left" "$status" 0
	[ "$status" -eq 0 ] || sed 's/^/#   /' "$T/err" | head -n 5
	diag "$1: $(sed -n 's/^elapsed_ms //p' "$T/report") ms"
}
# verdicts FILE: the number and verdict columns, sorted by number (the
# seconds column differs from run to run).
verdicts() {
	cut -f 1,2 "$1" | LC_ALL=C sort -n -k 1,1
}
# in_input_order DESC FILE: FILE's numbers are 1..N in that order.
in_input_order() {
	cut -f 1 "$2" >"$T/col"
	check "$1" cmp -s "$T/col" "$T/numbers"
}
# same_as_sequential DESC FILE: FILE holds every number of 1..N once,
# with the sequential run's verdict.
same_as_sequential() {
	verdicts "$2" >"$T/got"
	is "$1: $N lines" "$(wc -l <"$T/got" | tr -d ' ')" $N
	is "$1: no number twice" "$(cut -f 1 "$T/got" | uniq -d | head -n 3)" ""
	check "$1: the sequential run's verdicts" cmp -s "$T/got" "$T/seq"
}

# --- the reference: one sequential run over 1..N ---
seq 1 $N >"$T/numbers"
run -i "$T/numbers" primes --format=tsv -
is "sequential: exit 0" "$status" 0
empty "sequential: nothing on stderr" "$T/err"
in_input_order "sequential: the numbers in input order" "$T/out"
# pi(200000) = 17984, a fact that does not come from concdemo.
is "sequential: 17984 primes up to 200000" \
    "$(cut -f 2 "$T/out" | grep -c '^prime$')" 17984
verdicts "$T/out" >"$T/seq"

# --- xargs -P on one machine: split the input file into pieces cut at
# line ends, one filter per piece, each to its own file (lines from
# several writers to one pipe can tear), then cat in the pieces' order ---
if split -n l/2 "$T/numbers" "$T/probe." 2>/dev/null; then
	mkdir "$T/x"
	pipeline "xargs -P 2 over split -n l/4" "
		cd '$T/x' && split -n l/4 ../numbers part. &&
		ls part.* | xargs -P 2 -I {} sh -c \
		    '\"\$CONCDEMO\" primes --format=tsv - <\"\$1\" >\"\$1.tsv\"' sh {} &&
		cat part.*.tsv"
	in_input_order "xargs -P over split: the pieces in order are the input's order" \
	    "$T/out"
	same_as_sequential "xargs -P over split" "$T/out"
else
	for i in 1 2 3 4 5; do
		pass "# SKIP xargs -P over split: no split -n l/K (GNU coreutils)"
	done
fi
# The same with seq ranges, no input file: each range's output is sorted,
# so sort -m merges them.
rm -rf "$T/x"
mkdir "$T/x"
pipeline "xargs -P 2 over seq ranges" "
	cd '$T/x' &&
	printf '%s\n' '1 50000' '50001 100000' '100001 150000' '150001 $N' |
	xargs -P 2 -L 1 sh -c \
	    'seq \"\$0\" \"\$1\" | \"\$CONCDEMO\" primes --format=tsv - >\"r\$0.tsv\"' &&
	LC_ALL=C sort -m -n -k 1,1 r*.tsv"
in_input_order "xargs -P over seq ranges: sort -m gives the input's order" \
    "$T/out"
same_as_sequential "xargs -P over seq ranges" "$T/out"

# --- GNU parallel over three hosts; host2's first job is lost after it
# answered 100 numbers (fakessh exits 255, as ssh does when the link
# drops); --retries sends that block again, to another host.  -k prints
# the blocks in input order, --keep-order each block's lines: the output
# needs no sort ---
if ! command -v parallel >/dev/null 2>&1 ||
    ! parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
	for i in 1 2 3 4 5 6 7 8; do
		pass "# SKIP GNU parallel not installed (Debian: apt-get install parallel)"
	done
	done_testing
	exit
fi
mkdir "$T/ssh" "$T/home"
# HOME: parallel keeps its files there; PARALLEL: no options of the user's.
pipeline "parallel -S 3 hosts --retries 2" "
	FAKESSH_DIR='$T/ssh' FAKESSH_LOSE=host2 HOME='$T/home'
	export FAKESSH_DIR FAKESSH_LOSE HOME
	unset PARALLEL
	parallel -k --pipe --block 100k --retries 2 --joblog '$T/joblog' \
	    --ssh '$PWD/tests/tools/fakessh' -S 1/host1,1/host2,1/host3 \
	    \"\$CONCDEMO\" primes --procs=2 --keep-order --format=tsv - \
	    <'$T/numbers'"
in_input_order "parallel -k, --keep-order: the input's order" "$T/out"
same_as_sequential "parallel over 3 hosts" "$T/out"
check "parallel: host2 lost a job" test -d "$T/ssh/lost.host2"
# The joblog has each job's last attempt: one call more than jobs means
# the lost job, and it alone, ran twice.
jobs=$(($(wc -l <"$T/joblog") - 1))
is "parallel: one call per job, plus the lost one's retry" \
    "$(wc -l <"$T/ssh/calls" | tr -d ' ')" $((jobs + 1))
is "parallel: all three hosts worked" \
    "$(sort -u "$T/ssh/calls" | tr '\n' ' ')" "host1 host2 host3 "
done_testing
