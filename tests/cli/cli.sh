# CLI tests: the conventions every command shares (docs/cli.md): optional
# values that must be attached, one model vocabulary, help, suggestions,
# the --help hint on every usage error, shell completion, the man page and
# make install.
. tests/lib.sh

# hint DESC: the one line on stderr ends with the hint to --help.
hint() {
	like "$1: ends with the --help hint" "$T/err" \
		"\(see 'concdemo ([a-z]+ )?--help'\)$"
}

# --- an optional value must be attached: never a silent other run ---
for args in "primes --procs 3" "primes --threads 4" \
    "primes --threads --gil 2 7" "sweep --model=thread --gil 2" \
    "spinner --gil 2" "primes --pro 3"; do
	# shellcheck disable=SC2086
	usage_error "'$args' refused" $args
	hint "'$args'"
done
run primes --procs 3
like "'--procs 3': says how to write it" "$T/err" \
	"'--procs 3' is ambiguous: write --procs=3 for N = 3, or put the operands after '--'"
run primes --threads=2 --gil -- 7
is "'--gil -- 7': the operand after '--'" "$status" 0
run primes --procs=3 7
is "'--procs=3 7': exit 0" "$status" 0
is "'--procs=3 7': 3 workers, one number" "$(head -n 1 "$T/out")" \
	"Checking 1 numbers with 3 processes:"
run primes --procs -- 3
is "'--procs -- 3': the number 3" "$(sed -n 2p "$T/out" | awk '{print $1 $2}')" 3P
run primes 3 --procs
is "'3 --procs': the number 3, options after operands" \
	"$(sed -n 2p "$T/out" | awk '{print $1 $2}')" 3P
run primes --procs abc
like "'--procs abc': not a value, a bad number" "$T/err" "invalid number 'abc'"

# --- one vocabulary: canonical words printed, other spellings accepted ---
for m in thread threads process processes procs proc; do
	run sweep --model=$m --max=1 --runs=1 --csv 7
	case $m in t*) want=thread ;; *) want=process ;; esac
	is "sweep --model=$m: the canonical '$want'" \
		"$(sed -n 2p "$T/out" | cut -d, -f1)" "$want"
done
for m in threads processes procs coroutines; do
	run spinner --model=$m --work=prime --number=7 --spin=never
	is "spinner --model=$m: accepted" "$status $(tail -n 1 "$T/out")" \
		"0 7 is prime"
done
usage_error "sweep --model=coroutine" sweep --model=coroutine 7
like "sweep --model=coroutine: the choices, canonical" "$T/err" \
	"expected thread or process\)"

# --- help, as git's ---
run --help
cp "$T/out" "$T/main-help"
run help
check "help = --help" cmp -s "$T/out" "$T/main-help"
like "--help lists help and completion" "$T/main-help" '^  completion '
for cmd in primes spinner sweep completion; do
	run "$cmd" --help
	cp "$T/out" "$T/cmd-help"
	run help "$cmd"
	check "help $cmd = $cmd --help" cmp -s "$T/out" "$T/cmd-help"
	is "$cmd --help: ends with 2 or 3 examples" \
		"$(sed -n '/^Examples:$/,$p' "$T/cmd-help" | grep -c "^  concdemo $cmd")" \
		"$(sed -n '/^Examples:$/,$p' "$T/cmd-help" | sed 1d | wc -l | tr -d ' ')"
	check "$cmd --help: 2 or 3 of them" [ "$(sed -n '/^Examples:$/,$p' \
		"$T/cmd-help" | sed 1d | wc -l)" -ge 2 ]
done
usage_error "help of an unknown command" help primse
like "help primse: did you mean" "$T/err" "did you mean 'primes'\?"

# --- suggestions, ambiguous prefixes: one line, exit 2, the hint ---
usage_error "primse" primse
like "primse: did you mean 'primes'" "$T/err" \
	"^concdemo: unknown command 'primse'; did you mean 'primes'\? \(see 'concdemo --help'\)$"
usage_error "--porcs" primes --porcs
like "--porcs: did you mean '--procs'" "$T/err" \
	"unknown option '--porcs'; did you mean '--procs'\?"
usage_error "--verison" --verison
like "--verison: did you mean '--version'" "$T/err" "did you mean '--version'\?"
usage_error "--s ambiguous" sweep --s=x 7
like "--s: ambiguous, with its candidates" "$T/err" \
	"ambiguous option '--s' \(could be --set, --simd, --svg\)"
usage_error "--model=proces" spinner --model=proces
like "--model=proces: did you mean 'process'" "$T/err" "did you mean 'process'\?"
usage_error "--frobnicate: no suggestion" primes --frobnicate
check "--frobnicate: no suggestion" [ "$(grep -c 'did you mean' "$T/err")" -eq 0 ]

# --- every usage error carries the hint, bad numbers included ---
for args in "primes x" "primes -1" "primes 18446744073709551616" \
    "primes --procs=0" "primes --order=x --procs" "sweep --max=0 7" \
    "sweep 7 x" "spinner --delay=x" "spinner --number=x --work=prime" \
    "completion fish" "completion" "help a b" "frob"; do
	# shellcheck disable=SC2086
	run $args
	is "'$args': exit 2, nothing on stdout" "$status $(wc -c <"$T/out" | tr -d ' ')" "2 0"
	hint "'$args'"
done
printf '7 x\n' >"$T/in"
run -i "$T/in" primes -
hint "bad number on stdin"

# --- completion: bash, by sourcing the script ---
if command -v bash >/dev/null 2>&1; then
	run completion bash
	cp "$T/out" "$T/comp.bash"
	cat >"$T/comp-test.bash" <<'EOF'
. "$1"
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _concdemo;
      echo "${COMPREPLY[*]}"; }
c concdemo pr
c concdemo primes --p
c concdemo spinner --model = co
c concdemo spinner --model=pro
c concdemo help sw
c concdemo sweep --m
EOF
	bash "$T/comp-test.bash" "$T/comp.bash" >"$T/comp.out" 2>"$T/comp.err"
	is "bash: concdemo pr<TAB>" "$(sed -n 1p "$T/comp.out")" primes
	is "bash: concdemo primes --p<TAB>" "$(sed -n 2p "$T/comp.out")" --procs
	is "bash: --model=co<TAB> ('=' breaks words)" "$(sed -n 3p "$T/comp.out")" coroutine
	is "bash: --model=pro<TAB> (one word)" "$(sed -n 4p "$T/comp.out")" --model=process
	is "bash: help sw<TAB>" "$(sed -n 5p "$T/comp.out")" sweep
	is "bash: sweep --m<TAB>" "$(sed -n 6p "$T/comp.out")" "--max= --model="
	empty "bash: no errors" "$T/comp.err"
else
	for _ in 1 2 3 4 5 6 7; do pass "# SKIP bash not found"; done
fi

# --- completion: zsh, typed into an interactive zsh on a pseudo-terminal ---
if command -v zsh >/dev/null 2>&1 && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
	mkdir "$T/zfunc"
	run completion zsh
	cp "$T/out" "$T/zfunc/_concdemo"
	check "zsh: the script parses" zsh -n "$T/zfunc/_concdemo"
	# ztab.zsh DIR LINE PATTERN...: in one interactive zsh, type each
	# LINE<TAB>, print 'yes' if the screen then shows its PATTERN, else
	# 'no', and clear the line (Ctrl-U).
	cat >"$T/ztab.zsh" <<'EOF'
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z "PS1='> '; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; print READY"
zpty -r -m z out '*READY*' || exit 3
shift
while (($# >= 2)); do
	zpty -w -n z "$1"$'\t'
	out= seen=no
	for i in {1..30}; do
		zpty -r -t z more && out+=$more
		[[ $out == *$2* ]] && { seen=yes; break; }
		sleep 0.05
	done
	print $seen
	zpty -w -n z $'\C-u'
	shift 2
done
zpty -d z
EOF
	"$TOOLS/ptyrun" -t 10000 -- zsh -f "$T/ztab.zsh" "$T/zfunc" \
		"concdemo pr" "concdemo primes" \
		"concdemo primes --p" "--procs" >"$T/zsh.out" 2>&1
	is "zsh: concdemo pr<TAB>" "$(sed -n 1p "$T/zsh.out")" yes
	is "zsh: concdemo primes --p<TAB>" "$(sed -n 2p "$T/zsh.out")" yes
else
	for _ in 1 2 3; do pass "# SKIP zsh (with zsh/zpty) not found"; done
fi

# --- the man page: every option of a command's --help in its section ---
MAN=$(pwd)/concdemo.1
for cmd in $("$CONCDEMO" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	awk -v s=".Ss $cmd" '$0 == s {on = 1; next} /^\.S[sh] / {on = 0} on' \
		"$MAN" >"$T/section"
	check "man: a section for $cmd" [ -s "$T/section" ]
	missing=""
	for opt in $("$CONCDEMO" "$cmd" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "Fl -${opt#--}\\b" "$T/section" || missing="$missing $opt"
	done
	is "man: every option of '$cmd --help' in its section" "$missing" ""
done
if command -v mandoc >/dev/null 2>&1; then
	# (the Xr lookups say whether this machine's manual database has
	# bash(1): not the page's business)
	mandoc -Tlint "$MAN" 2>&1 | grep -v 'mandoc\.db\|referenced manual not found' >"$T/lint"
	empty "man: mandoc -Tlint is clean" "$T/lint"
else
	pass "# SKIP mandoc not found (apt-get install mandoc)"
fi
if command -v man >/dev/null 2>&1 && man --help 2>&1 | grep -q -- --warnings; then
	MANWIDTH=80 man --warnings -l "$MAN" 2>"$T/manwarn" >/dev/null
	empty "man: man --warnings is clean" "$T/manwarn"
else
	pass "# SKIP man with --warnings (man-db) not found"
fi

# --- make install-strip and uninstall, into a scratch DESTDIR ---
if command -v make >/dev/null 2>&1 && [ -f Makefile ]; then
	BUILD=$(dirname "$TOOLS")
	D=$T/root
	env -u MAKEFLAGS -u MAKELEVEL make -s install-strip DESTDIR="$D" \
		PREFIX=/usr BUILD="$BUILD" BIN="$CONCDEMO" >"$T/make.out" 2>&1
	is "install-strip: exit 0" "$?" 0
	for f in bin/concdemo share/man/man1/concdemo.1 \
	    share/bash-completion/completions/concdemo \
	    share/zsh/site-functions/_concdemo; do
		check "install: usr/$f" [ -s "$D/usr/$f" ]
	done
	check "install-strip: the binary is smaller than the built one" \
		[ "$(wc -c <"$D/usr/bin/concdemo")" -lt "$(wc -c <"$CONCDEMO")" ]
	check "install: the bash script is the binary's" \
		sh -c "'$CONCDEMO' completion bash | cmp -s - '$D/usr/share/bash-completion/completions/concdemo'"
	"$D/usr/bin/concdemo" --version >"$T/out" 2>&1
	like "install-strip: the stripped binary runs" "$T/out" '^concdemo '
	env -u MAKEFLAGS -u MAKELEVEL make -s uninstall DESTDIR="$D" \
		PREFIX=/usr >/dev/null 2>&1
	is "uninstall: no file left" "$(find "$D" -type f | wc -l | tr -d ' ')" 0
else
	for _ in 1 2 3 4 5 6 7 8 9; do pass "# SKIP make not found"; done
fi

done_testing
