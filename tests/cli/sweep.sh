# CLI tests: `concdemo sweep` (the book's run_procs.sh and its plot).
. tests/lib.sh

# Small numbers: a pass takes a few milliseconds, so every sweep here is
# quick; two primes near 10^12 make the rows more than noise.
small="1000000000039 999999999989 1000000007 12 13 4444444444444444"

# unwrap FILE: the table's head with its wrapped sentences joined (lines
# of the head that start with two spaces continue the line before).
unwrap() {
	awk '/^$/ { body = 1 }
	!body && NR > 1 && sub(/^  /, " ") { printf "%s", $0; next }
	{ if (NR > 1) printf "\n"; printf "%s", $0 } END { printf "\n" }' "$1"
}

# --- the table ---
run sweep --max=2 --runs=1 $small
is "table: exit 0" "$status" 0
empty "table: stderr quiet (not a terminal: no progress)" "$T/err"
unwrap "$T/out" >"$T/unwrapped"
like "table: heading names the model and the numbers" "$T/unwrapped" \
	'^Sweep: process pool; 6 numbers given$'
like "table: CPU line" "$T/unwrapped" '^CPU: .*, [0-9]+ online CPUs; [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$'
is "table: not a terminal, so within 80 columns" \
	"$(awk 'length > 80' "$T/out" | wc -l | tr -d ' ')" 0
like "table: column heads" "$T/out" '^workers +median +min +max +speedup +effic\.$'
n='[0-9]+\.[0-9]+'
like "table: the sequential row" "$T/out" "^ +seq +$n +$n +$n +$n +$n  #*"
like "table: row 1, speedup 1.00" "$T/out" "^ +1 +$n +$n +$n +1\.00 +1\.00  #+"
like "table: row 2" "$T/out" "^ +2 +$n +$n +$n +$n +$n  #+"
is "table: 5 lines after the heading (blank, heads, 3 rows)" \
	"$(sed -n '/^$/,$p' "$T/out" | wc -l | tr -d ' ')" 5
is "table: one row marked best" "$(grep -c '<- best$' "$T/out")" 1

# --- CSV: the run's facts on every line, then the row ---
# (the CPU's name is quoted if it holds a comma: the checks below read
# the fields from the end, or the first four)
run sweep --max=3 --runs=2 --csv --order=lifo $small
is "csv: exit 0" "$status" 0
is "csv: header" "$(head -n 1 "$T/out")" \
	"model,gil_ms,order,set,cpu,online_cpus,concdemo_version,time,numbers,kind,workers,runs,median,min,max,speedup,efficiency,best"
is "csv: 1 + 4 lines" "$(wc -l <"$T/out" | tr -d ' ')" 5
is "csv: the run's model, GIL, order and set on every line" \
	"$(sed 1d "$T/out" | cut -d, -f1-4 | sort -u)" "process,,lifo,"
is "csv: kinds, workers, both runs' times" \
	"$(sed 1d "$T/out" | awk -F, '{n = split($(NF-6), t, " ");
	    printf "%s,%s,%d ", $(NF-8), $(NF-7), n}')" \
	"sequential,1,2 pool,1,2 pool,2,2 pool,3,2 "
is "csv: version, ISO 8601 time with its zone (east or west), numbers" \
	"$(sed 1d "$T/out" | awk -F, '{print $(NF-11) "," $(NF-10) "," $(NF-9)}' |
	    sed 's/[0-9]/9/g; s/-\(99:99,\)/+\1/' | sort -u)" \
	"9.9.9,9999-99-99T99:99:99+99:99,9"
is "csv: min <= median <= max on every row" \
	"$(sed 1d "$T/out" | awk -F, '$(NF-4) <= $(NF-5) && $(NF-5) <= $(NF-3) {k++} END {print k}')" 4
is "csv: one best" "$(sed 1d "$T/out" | awk -F, '$NF == 1' | wc -l | tr -d ' ')" 1

# --- JSON ---
run sweep --max=2 --runs=1 --json --model=threads $small
is "json: exit 0" "$status" 0
is "json: an object" "$(head -c 1 "$T/out")$(tail -n 1 "$T/out")" "{}"
like "json: model, the canonical word" "$T/out" '^  "model": "thread",$'
like "json: no GIL is null" "$T/out" '^  "gil_ms": null,$'
like "json: order" "$T/out" '^  "order": "fifo",$'
like "json: set null for NUMBER operands" "$T/out" '^  "set": null,$'
like "json: version" "$T/out" '^  "concdemo_version": "[0-9]+\.[0-9]+\.[0-9]+",$'
like "json: ISO 8601 time with its zone" "$T/out" \
	'^  "time": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}",$'
like "json: baseline" "$T/out" '^  "baseline": \{"kind": "sequential",'
is "json: two rows" "$(grep -c '{"kind": "pool"' "$T/out")" 2
is "json: balanced braces" \
	"$(tr -cd '{' <"$T/out" | wc -c | tr -d ' ')" \
	"$(tr -cd '}' <"$T/out" | wc -c | tr -d ' ')"
if command -v python3 >/dev/null 2>&1; then
	check "json: python3's strict parser reads it, 2 rows, 1 run each" \
		python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["rows"]) == 2 and d["max_workers"] == 2
assert all(len(r["runs"]) == 1 and r["min"] <= r["median"] <= r["max"]
           for r in d["rows"])
assert [r["workers"] for r in d["rows"]] == [1, 2]
assert d["rows"][0]["speedup"] == 1.0
assert d["online_cpus"] >= 1 and d["numbers"] == 6 and d["cpu"]' "$T/out"
else
	pass "# SKIP python3 not found: JSON shape checked only"
fi

# --- SVG, with the table on stdout ---
run sweep --max=3 --runs=1 --svg="$T/chart.svg" $small
is "svg: exit 0" "$status" 0
like "svg: the table still on stdout" "$T/out" '^ +3 '
is "svg: 3 points" "$(grep -c '<circle class="point"' "$T/chart.svg")" 3
is "svg: 3 whiskers" "$(grep -c '<path class="whisker"' "$T/chart.svg")" 3
like "svg: ideal curve" "$T/chart.svg" '<polyline class="ideal"'
like "svg: x axis label" "$T/chart.svg" '>workers</text>'
is "svg: ends with </svg>" "$(tail -n 1 "$T/chart.svg")" "</svg>"
is "svg: no temporary file left" "$(ls -A "$T" | grep -c '^\.chart\.svg\.')" 0
if command -v xmllint >/dev/null 2>&1; then
	check "svg: well-formed (xmllint)" xmllint --noout "$T/chart.svg"
elif command -v python3 >/dev/null 2>&1; then
	check "svg: well-formed (python3)" python3 -c 'import sys
import xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
assert r.tag.endswith("svg")' "$T/chart.svg"
else
	is "svg: one <svg> open and one close (no XML checker)" \
		"$(grep -c '<svg \|</svg>' "$T/chart.svg")" 2
fi
echo old >"$T/chart.svg"
run sweep --max=1 --runs=1 --svg="$T/chart.svg" 7
is "svg: replaces an existing file" "$(grep -c '<circle class="point"' "$T/chart.svg")" 1

# --- models and sets ---
run sweep --max=2 --runs=1 --model=threads --gil=1 $small
is "--model=threads --gil: exit 0" "$status" 0
like "--model=threads --gil: named" "$T/out" '^Sweep: thread pool, GIL 1 ms; '
run sweep --max=1 --runs=1 --order=priority
is "the book set by default: exit 0" "$status" 0
like "the book set by default: named" "$T/out" \
	"^Sweep: process pool, priority order; book set: the book's 20 numbers"
printf '7 11\n13\n' >"$T/in"
run -i "$T/in" sweep --max=1 --runs=1 --csv -
is "numbers from stdin" "$(sed 1d "$T/out" | wc -l | tr -d ' ')" 2
# --set=large is accepted (its sequential pass takes seconds: stopped).
"$TOOLS/ptyrun" -p -o "$T/tty" -c 300 -g 1000 -t 20000 -- \
	"$CONCDEMO" sweep --set=large --max=1 --runs=1
is "--set=large: accepted (runs until Ctrl-C: 130)" "$?" 130
like "--set=large: named" "$T/tty" 'large set: 64 numbers'
# (the pass is not cut short under TSan, which defers the handler until
# the next libc call, but no pool row is ever reached)
check "--set=large: stopped before any pool row" \
	[ "$(tr -d '\r' <"$T/tty" | grep -c '^ *1 ')" -eq 0 ]

# --- bad values: exit 2, one line, nothing on stdout, no file ---
usage_error "--max=0" sweep --max=0 7
like "--max=0: named" "$T/err" "invalid --max value '0' \(expected 1\.\.1024\)"
usage_error "--runs=0" sweep --runs=0 7
like "--runs=0: named" "$T/err" "invalid --runs value '0' \(expected 1\.\.1000\)"
usage_error "--max=100000" sweep --max=100000 7
usage_error "--runs=1001" sweep --runs=1001 7
usage_error "--max=abc" sweep --max=abc 7
usage_error "--max=-1" sweep --max=-1 7
usage_error "--model=bad" sweep --model=fibers 7
like "--model=bad: named" "$T/err" "invalid --model value 'fibers' \(expected thread or process\)"
usage_error "--gil with procs" sweep --gil --max=1 7
like "--gil with procs: says why" "$T/err" 'needs --model=thread'
usage_error "--gil=0" sweep --model=threads --gil=0 7
usage_error "--set=bad" sweep --set=huge
usage_error "--set with numbers" sweep --set=large 7
usage_error "--csv with --json" sweep --csv --json 7
usage_error "--order=bad" sweep --order=random 7
usage_error "bad number" sweep --max=1 7 x
usage_error "--svg=" sweep --svg= 7
usage_error "bad --max with --svg" sweep --max=0 --svg="$T/never.svg" 7
check "bad --max with --svg: no file" [ ! -e "$T/never.svg" ]

# --- an unwritable chart file: exit 1 at once, before the sweep ---
unwritable sweep --svg --set=large
is "no temporary file anywhere" "$(ls -A "$T" | grep -c '\.svg\.')" 0

# --- Ctrl-C: the rows so far, exit 130, nothing left, no chart ---
# Ctrl-C comes when the progress line (stderr, the terminal) says the
# 2-worker row has begun: a point in the sweep, not a time, so a fast
# and a slow machine see the same rows done (the sequential one and 1).
"$TOOLS/ptyrun" -p -o "$T/tty" -r "$T/report" -C 'sweep: 2 of 64 workers' \
	-g 1000 -t 60000 -- \
	sh -c "exec '$CONCDEMO' sweep --max=64 --runs=1 --svg='$T/int.svg' \
		>'$T/out'"
is "Ctrl-C: exit 130, nothing left" "$?" 130
like "Ctrl-C: the sequential row printed" "$T/out" '^ +seq +[0-9]'
like "Ctrl-C: row 1 printed" "$T/out" '^ +1 +[0-9]'
check "Ctrl-C: not every row" [ "$(grep -c '^ *64 ' "$T/out")" -eq 0 ]
is "Ctrl-C: the terminal shows only progress and ^C" \
	"$(tr '\r' '\n' <"$T/tty" | grep -v -e '^ *$' -e '^sweep: ' -e '^^C$' | wc -l | tr -d ' ')" 0
check "Ctrl-C: no chart file" [ ! -e "$T/int.svg" ]
is "Ctrl-C: no temporary file" "$(ls -A "$T" | grep -c '^\.int\.svg\.')" 0
within_ms "Ctrl-C: stops within 300 ms" "$T/report" 300

# --- progress: on stderr only when it is a terminal, then blanked ---
"$TOOLS/ptyrun" -p -o "$T/tty" -g 1000 -t 20000 -- \
	sh -c "exec '$CONCDEMO' sweep --max=2 --runs=2 >'$T/out'"
is "progress: exit 0" "$?" 0
like "progress: the count, the run, the time left" "$T/tty" \
	'sweep: 2 of 2 workers, run 2 of 2; about [0-9]+ s left'
like "progress: the baseline first" "$T/tty" \
	'sweep: sequential, run 1 of 2; estimating time left'
check "progress: the line blanked at the end" \
	sh -c "tr '\r' '\n' <'$T/tty' | tail -n 1 | grep -q '^ *\$'"
check "progress: none of it on stdout" [ "$(grep -c 'sweep:' "$T/out")" -eq 0 ]
like "progress: the table on stdout" "$T/out" '^ +2 +[0-9]'

# --- a terminal of 40 columns: the table and the progress line fit ---
LC_ALL=C "$TOOLS/ptyrun" -p -x 40 -o "$T/tty" -g 1000 -t 20000 -- \
	"$CONCDEMO" sweep --max=2 --runs=2 $small
is "40 columns: exit 0" "$?" 0
tr '\r' '\n' <"$T/tty" >"$T/lines"
is "40 columns: every line and every progress draw fits" \
	"$(awk 'length > 40' "$T/lines" | wc -l | tr -d ' ')" 0
like "40 columns: the short form of the progress line" "$T/lines" \
	'^sweep: 2/2 workers, run 2/2, ~[0-9]+ s left *$'
like "40 columns: the columns that fit" "$T/lines" '^workers +median$'
like "40 columns: a bar, and the best marked" "$T/lines" \
	'^ +[12] +[0-9.]+  #+  <- best$'
is "40 columns: the progress line blanked before the table" \
	"$(grep -v '^$' "$T/lines" | grep -B1 '^Sweep: ' | head -n 1 |
	   tr -d ' ')" ""

# --- a closed pipe: quiet ---
"$TOOLS/ptyrun" -P -g 1000 -t 20000 -- "$CONCDEMO" sweep --max=1 --runs=1 7
is "closed pipe: SIGPIPE (141), nothing left" "$?" 141

done_testing
