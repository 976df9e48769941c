# CLI tests: the front door (main.c) and `concdemo primes` (sequential.py).
. tests/lib.sh

# --- main: help, version, unknown commands ---
run --help
is "--help exits 0" "$status" 0
like "--help lists primes" "$T/out" '^  primes '
empty "--help writes nothing on stderr" "$T/err"
run --version
is "--version exits 0" "$status" 0
like "--version prints the version" "$T/out" '^concdemo [0-9]+\.[0-9]+\.[0-9]+$'
run
is "no command: exit 2" "$status" 2
like "no command: usage on stderr" "$T/err" '^usage: concdemo'
usage_error "unknown command" frobnicate
like "unknown command is named" "$T/err" "unknown command 'frobnicate'"
like "unknown command has a hint" "$T/err" "concdemo --help"
usage_error "unknown global option" --frob

# --- primes: help and options ---
run primes --help
is "primes --help exits 0" "$status" 0
like "primes --help shows usage" "$T/out" '^usage: concdemo primes'
usage_error "unknown option" primes --frob
like "unknown option is named" "$T/err" "unknown option '--frob'"
like "hint names the command" "$T/err" "concdemo primes --help"
usage_error "unknown short option" primes -x
like "unknown short option is named" "$T/err" "'-x'"
usage_error "--help=x" primes --help=x
like "--help=x: takes no value" "$T/err" "takes no value"

# --- primes: bad numbers, each rejected before any work ---
for bad in -1 +1 abc 12x 0x10 _ 1_ _1 1__0 "" " 1" "1 " 1.5 1e3 \
    18446744073709551616 99999999999999999999999; do
	usage_error "bad number '$bad'" primes 7 "$bad"
	like "bad number '$bad' is named" "$T/err" "number '$(printf '%s' "$bad" | sed 's/[.+]/\\&/g')'"
done
printf '7 11 abc 13\n' >"$T/in"
usage_error "bad number on stdin" -i "$T/in" primes -
like "stdin bad number is named" "$T/err" "'abc' on standard input"
head -c 1000000 /dev/zero | tr '\0' 7 >"$T/in"
usage_error "1 MB token on stdin" -i "$T/in" primes -

# --- primes: the book's output, line by line ---
run primes
is "primes exits 0" "$status" 0
empty "primes writes nothing on stderr" "$T/err"
is "20 numbers: 22 lines" "$(wc -l <"$T/out" | tr -d ' ')" 22
is "header" "$(head -n 1 "$T/out")" "Checking 20 numbers sequentially:"
like "total line" "$T/out" '^Total time: [0-9]+\.[0-9][0-9]s$'
sed -n '2,21p' "$T/out" | sed 's/[0-9]\.[0-9]\{6\}s$/T.TTTTTTs/' >"$T/lines"
cat >"$T/want" <<'WANT'
               2  P  T.TTTTTTs
 142702110479723  P  T.TTTTTTs
 299593572317531  P  T.TTTTTTs
3333333333333301  P  T.TTTTTTs
3333333333333333     T.TTTTTTs
3333335652092209     T.TTTTTTs
4444444444444423  P  T.TTTTTTs
4444444444444444     T.TTTTTTs
4444444488888889     T.TTTTTTs
5555553133149889     T.TTTTTTs
5555555555555503  P  T.TTTTTTs
5555555555555555     T.TTTTTTs
6666666666666666     T.TTTTTTs
6666666666666719  P  T.TTTTTTs
6666667141414921     T.TTTTTTs
7777777536340681     T.TTTTTTs
7777777777777753  P  T.TTTTTTs
7777777777777777     T.TTTTTTs
9999999999999917  P  T.TTTTTTs
9999999999999999     T.TTTTTTs
WANT
check "result lines match the book's format and verdicts" cmp -s "$T/lines" "$T/want"

run primes 5_000_111_000_222_021 0 1 18446744073709551615
is "given numbers: exit 0" "$status" 0
is "given numbers, in order" "$(sed -n '2,5p' "$T/out" | awk '{print $1, ($2 == "P" ? "P" : "-")}')" \
"5000111000222021 P
0 -
1 -
18446744073709551615 -"
like "wide numbers are not cut" "$T/out" '^18446744073709551615     [0-9]'

printf ' 7\n\t11  4_294_967_291\n' >"$T/in"
run -i "$T/in" primes 2 - 3
is "'-' reads stdin in place" "$(sed -n '2,6p' "$T/out" | awk '{print $1 $2}')" \
"2P
7P
11P
4294967291P
3P"
: >"$T/in"
run -i "$T/in" primes -
is "empty stdin: exit 0" "$status" 0
is "empty stdin: zero numbers" "$(head -n 1 "$T/out")" "Checking 0 numbers sequentially:"

# --- --set: the book's numbers or the large set, as sweep --set ---
run primes --set=book
is "--set=book: exit 0" "$status" 0
sed -n '2,21p' "$T/out" | sed 's/[0-9]\.[0-9]\{6\}s$/T.TTTTTTs/' >"$T/lines"
check "--set=book: the book's 20 numbers, as with no operand" cmp -s "$T/lines" "$T/want"
# The large set takes seconds: its first two lines (then the closed pipe
# ends the run, at its next line).
for pool in "" --procs=2 --threads=2; do
	case $pool in
	"") head="Checking 64 numbers sequentially:" ;;
	--procs=2) head="Checking 64 numbers with 2 processes:" ;;
	*) head="Checking 64 numbers with 2 threads:" ;;
	esac
	"$TOOLS/ptyrun" -t 20000 -g 1000 -- sh -c "'$CONCDEMO' primes $pool \
		--set=large 2>'$T/err' | head -n 2 >'$T/out'; exit 0"
	is "--set=large $pool: ends with the pipe, nothing left" "$?" 0
	is "--set=large $pool: 64 numbers" "$(head -n 1 "$T/out")" "$head"
	empty "--set=large $pool: quiet" "$T/err"
	like "--set=large $pool: a number of the large set checked" "$T/out" \
		'^[0-9]{17,18}  [P ]  [0-9]\.[0-9]{6}s$'
	[ -n "$pool" ] || cp "$T/out" "$T/large"
done
is "--set=large: in the set's order, its first number first" \
	"$(sed -n 2p "$T/large" | cut -c 1-20)" "49999997875744849   "
usage_error "--set=huge" primes --set=huge
like "--set=huge names the choices" "$T/err" "invalid --set value 'huge' \(expected book or large\)"
usage_error "--set without value" primes --set
usage_error "--set with NUMBER operands" primes --set=large 7
like "--set with NUMBER: says why" "$T/err" "--set and NUMBER operands cannot be used together"
usage_error "--set with '-'" primes --procs --set=book -
run primes --help
like "--help: --set" "$T/out" '^  --set=SET       book \(default: the book.s 20 numbers\) or large$'

# --- a closed pipe ends the run quietly ---
"$TOOLS/ptyrun" -t 20000 -g 1000 -- sh -c \
	"'$CONCDEMO' primes 2>'$T/err' | head -n 1 >'$T/out'; exit 0"
is "primes | head -1: no process left" "$?" 0
is "primes | head -1: first line" "$(cat "$T/out")" "Checking 20 numbers sequentially:"
empty "primes | head -1: quiet" "$T/err"

# --- Ctrl-C on a terminal stops a long check at once ---
"$TOOLS/ptyrun" -p -o "$T/tty" -r "$T/report" -c 300 -g 1000 -t 20000 -- \
	"$CONCDEMO" primes 9223372036854775783
is "Ctrl-C: exit 130" "$?" 130
within_ms "Ctrl-C: stops within 200 ms" "$T/report" 200

# --- /dev/full: a write error is reported, exit 1 ---
if [ -w /dev/full ]; then
	"$TOOLS/ptyrun" -t 20000 -g 1000 -- "$CONCDEMO" primes 7 \
		>/dev/full 2>"$T/err"
	is "/dev/full: exit 1" "$?" 1
	like "/dev/full: message" "$T/err" '^concdemo: primes: cannot write output: No space'
else
	pass "# SKIP /dev/full missing"
	pass "# SKIP /dev/full missing"
fi

done_testing
