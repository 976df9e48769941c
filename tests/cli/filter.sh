# CLI tests: `concdemo primes --format=tsv|jsonl` as a filter
# (docs/filter.md): the formats, streaming, bad lines, Ctrl-C, a closed
# pipe, bounded memory.
. tests/lib.sh

# --- the formats, every field ---
run primes --format=tsv 2 9 97 0 18446744073709551615
is "tsv: exit 0" "$status" 0
empty "tsv: quiet" "$T/err"
is "tsv: one line per number, no header or total, in order" \
	"$(cut -f 1,2 "$T/out")" "2	prime
9	composite
97	prime
0	composite
18446744073709551615	composite"
is "tsv: three tab-separated fields, seconds with 9 decimals" \
	"$(grep -Evc '^[0-9]+	(prime|composite)	[0-9]+\.[0-9]{9}$' "$T/out")" 0

run primes --format=jsonl 2 9 18446744073709551615
is "jsonl: exit 0" "$status" 0
is "jsonl: n and prime, in order" \
	"$(sed 's/,"seconds":[0-9.]*}$/}/' "$T/out")" '{"n":2,"prime":true}
{"n":9,"prime":false}
{"n":18446744073709551615,"prime":false}'
# JSON's grammar for these objects: a number, a boolean, a number.
is "jsonl: every line a JSON object of n, prime, seconds" \
	"$(grep -Evc '^\{"n":(0|[1-9][0-9]*),"prime":(true|false),"seconds":(0|[1-9][0-9]*)\.[0-9]+\}$' "$T/out")" 0
if command -v python3 >/dev/null 2>&1; then
	check "jsonl: python3's json reads every line" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) == {"n", "prime", "seconds"}, o
    assert type(o["prime"]) is bool and o["seconds"] >= 0' "$T/out"
else
	pass "# SKIP python3 not found (the grep check above stands)"
fi

run primes --format=tsv
is "tsv, no operand: the book's 20 numbers, 20 lines" \
	"$(wc -l <"$T/out" | tr -d ' ')" 20
run primes --format=book 2 3
is "--format=book is the default's format" \
	"$(sed 's/[0-9]\.[0-9]\{6\}s$/T/' "$T/out")" "Checking 2 numbers sequentially:
               2  P  T
               3  P  T
Total time: 0.00s"
usage_error "--format=xml" primes --format=xml
like "--format=xml names the choices" "$T/err" \
	"invalid --format value 'xml' \(expected book, tsv or jsonl\)"
usage_error "--format=tsv, a bad operand: before any work" \
	primes --format=tsv 7 x -

# --- bad words in a stream: reported, skipped, status 1 at the end ---
printf '2\n3 x\n5\n99999999999999999999 7\n\n1e3\n11' >"$T/in"
run -i "$T/in" primes --format=tsv -
is "bad words: exit 1" "$status" 1
is "bad words: every good number answered once, in order" \
	"$(cut -f 1 "$T/out" | tr '\n' ' ')" "2 3 5 7 11 "
is "bad words: one line each on stderr, with the line number" \
	"$(sed 's/ (expected.*//; s/ (max.*//' "$T/err")" \
	"concdemo: primes: line 2: invalid number 'x'
concdemo: primes: line 4: number '99999999999999999999' is too large
concdemo: primes: line 6: invalid number '1e3'"
printf '7\n' >"$T/in"
run -i "$T/in" primes --format=jsonl 2 - 3
is "operands and '-', in order" "$(cut -c 1-8 "$T/out")" '{"n":2,"
{"n":7,"
{"n":3,"'

# --- streaming: each answer is out before the next number is written ---
# The writer waits (up to 10 s) for the answer to each number before it
# writes the next: with output to a file, this passes only if the filter
# flushes when its input has nothing more.
mkfifo "$T/fifo"
"$TOOLS/ptyrun" -t 20000 -g 1000 -- "$CONCDEMO" primes --format=tsv - \
	<"$T/fifo" >"$T/out" 2>"$T/err" &
pid=$!
exec 3>"$T/fifo"
seen=0
for n in 7 8 9 10 11; do
	echo "$n" >&3
	tries=0
	until grep -q "^$n	" "$T/out"; do
		tries=$((tries + 1))
		[ "$tries" -le 1000 ] || break
		sleep 0.01
	done
	[ "$tries" -le 1000 ] && seen=$((seen + 1))
done
exec 3>&-
wait "$pid"
st=$?
is "slow writer: each answer came before the next number" "$seen" 5
is "slow writer: exit 0 at the end of input" "$st" 0

# --- Ctrl-C (SIGINT) mid-stream: what was decided is out, whole lines ---
# 20 million numbers take seconds: the signal comes in the middle.
seq 1 20000000 2>/dev/null | "$TOOLS/ptyrun" -r "$T/report" -s INT@300 \
	-t 20000 -g 1000 -- "$CONCDEMO" primes --format=tsv - \
	>"$T/out" 2>"$T/err"
is "SIGINT: exit 130" "$?" 130
empty "SIGINT: quiet" "$T/err"
check "SIGINT: the output ends with a whole line" sh -c \
	"[ ! -s '$T/out' ] || [ \"\$(tail -c 1 '$T/out' | od -An -tx1 | tr -d ' ')\" = 0a ]"
check "SIGINT: the answers decided before it are out" [ -s "$T/out" ]
diag "SIGINT: $(wc -l <"$T/out" | tr -d ' ') lines before the signal"
is "SIGINT: a line for each of 1..N, none lost, none cut" \
	"$(awk -F '	' '$1 != NR || NF != 3 { bad++ } END { print bad + 0 }' "$T/out")" 0
# On a terminal, line by line; Ctrl-C while it waits for input.
"$TOOLS/ptyrun" -p -o "$T/tty" -i '2 3 4
' -C composite \
	-t 20000 -g 1000 -- "$CONCDEMO" primes --format=tsv -
is "Ctrl-C while waiting on a terminal: exit 130" "$?" 130
like "Ctrl-C while waiting: the answers were shown" "$T/tty" '^4	composite'

# --- a closed pipe: the run ends at once, quietly, nothing left ---
# (an endless input: only the closed pipe can end it)
yes 7 2>/dev/null | "$TOOLS/ptyrun" -r "$T/report" -t 20000 -g 1000 -- \
	sh -c "'$CONCDEMO' primes --format=tsv - 2>'$T/err' | head -n 1 \
	>'$T/out'"
is "| head -1: ends, no process left" "$?" 0
is "| head -1: the first answer" "$(cut -f 1,2 "$T/out")" "7	prime"
empty "| head -1: no message" "$T/err"
yes 7 2>/dev/null | "$TOOLS/ptyrun" -P -t 20000 -g 1000 -- \
	"$CONCDEMO" primes --format=jsonl - 2>"$T/err"
is "stdout closed: ends by SIGPIPE (141), as coreutils factor" "$?" 141
empty "stdout closed: no message" "$T/err"

# --- /dev/full: a write error is reported, exit 1 ---
if [ -w /dev/full ]; then
	echo 7 | "$TOOLS/ptyrun" -t 20000 -g 1000 -- "$CONCDEMO" primes \
		--format=tsv - >/dev/full 2>"$T/err"
	is "/dev/full: exit 1" "$?" 1
	like "/dev/full: message" "$T/err" \
		'^concdemo: primes: cannot write output: No space'
else
	pass "# SKIP /dev/full missing"
	pass "# SKIP /dev/full missing"
fi

# --- bounded memory: 10^7 numbers in under 4 MB ---
# Held in memory, 10^7 numbers alone would take 80 MB: the bound shows the
# stream is not kept.  The peak is tests/tools/maxrss's (getrusage), so no
# GNU time is needed; under a sanitizer the peak is the sanitizer's.
if [ -n "$SANITIZER" ]; then
	pass "# SKIP peak memory under a sanitizer is the sanitizer's"
else
	lines=$(seq 1 10000000 | "$TOOLS/maxrss" "$T/rss" "$CONCDEMO" primes \
		--format=tsv - | wc -l | tr -d ' ')
	read -r kib _ <"$T/rss"
	if [ "$lines" = 10000000 ] && [ "$kib" -lt 4096 ]; then
		pass "10^7 numbers: all answered, peak RSS $kib KiB < 4 MiB"
	else
		fail "10^7 numbers: all answered, peak RSS < 4 MiB"
		diag "$lines lines, $kib KiB"
	fi
fi

done_testing
