# CLI tests: every command shown in README.md and docs/*.md is one the
# binary accepts, so the docs cannot drift from the command line.
#
# A shown command is a line that starts (after blanks) with '$ concdemo',
# '$ ./concdemo' or './concdemo', in a code block or not, or a '$ ' line
# that pipes into one ('$ seq 1 9 | ./concdemo ...').  Its trailing
# '# comment' and anything from a '|', '<', '>', ';' or '&' on are dropped;
# the rest is split on blanks (so shown commands use no quotes) and run as
# 'concdemo --dry-run ARGS': parse and check, no work.  Expected: exit 0
# and, unless it asks for help or --version, nothing on stdout (no work
# done); exit 2 with one line on stderr when the comment says 'exit 2' (a
# documented error).
. tests/lib.sh

DOCS="README.md $(ls docs/*.md 2>/dev/null)"

# --- --dry-run itself ---
run --help
like "--help describes --dry-run" "$T/out" '^  --dry-run '
if grep -q '^\.It Fl -dry-run' concdemo.1; then
	pass "concdemo.1 describes --dry-run"
else
	fail "concdemo.1 describes --dry-run"
fi
run --dry-run spinner
is "--dry-run spinner: exit 0" "$status" 0
empty "--dry-run spinner: no spinner, no answer" "$T/out"
run --dry-run sweep --max=1 --runs=1 --svg="$T/chart.svg"
is "--dry-run sweep --svg: exit 0" "$status" 0
check "--dry-run sweep --svg: no file written" test ! -e "$T/chart.svg"
run --dry-run
is "--dry-run with no command: exit 2" "$status" 2
like "--dry-run with no command: usage on stderr" "$T/err" '^usage: concdemo'
empty "--dry-run with no command: nothing on stdout" "$T/out"
usage_error "--dry-run, bad value" --dry-run primes --threads=0

# --- the commands the docs show ---
# FILE:LINE <tab> expected status <tab> prefix (./ or none) <tab> args
awk '
/^[ \t]*\$[ \t]/ && !/^[ \t]*\$[ \t]+(\.\/)?concdemo([ \t]|$)/ {
	# a producer piped into concdemo: from the concdemo on
	c = match($0, /\|[ \t]*(\.\/)?concdemo([ \t]|$)/)
	if (c > 0)
		$0 = "$ " substr($0, c + 1)
}
/^[ \t]*(\$[ \t]+(\.\/)?concdemo|\.\/concdemo)([ \t]|$)/ {
	line = $0
	want = 0
	c = match(line, /[ \t]#/)
	if (c > 0) {
		if (substr(line, c) ~ /exit 2/)
			want = 2
		line = substr(line, 1, c - 1)
	}
	c = match(line, /[|<>;&]/)
	if (c > 0)
		line = substr(line, 1, c - 1)
	prefix = line ~ /^[ \t]*(\$[ \t]+)?\.\/concdemo/ ? "./" : "none"
	sub(/^[ \t]*(\$[ \t]+)?(\.\/)?concdemo/, "", line)
	gsub(/^[ \t]+|[ \t]+$/, "", line)
	printf "%s:%d\t%d\t%s\t%s\n", FILENAME, FNR, want, prefix, line
}' $DOCS >"$T/cmds"

n=$(wc -l <"$T/cmds" | tr -d ' ')
readme_n=$(grep -c '^README\.md:' "$T/cmds")
diag "$n commands shown, $readme_n of them in README.md"
check "README.md shows at least 10 commands" test "$readme_n" -ge 10
bare=$(awk -F'\t' '$1 ~ /^README\.md:/ && $3 != "./" { print $1 }' "$T/cmds")
is "README.md's commands run as ./concdemo (they work after make)" \
    "$bare" ""

set -f	# a shown '*' or '?' is an argument, not a pattern
while IFS='	' read -r where want prefix args; do
	# shellcheck disable=SC2086 # split on blanks, as a shell would
	run --dry-run $args
	desc="$where: concdemo $args"
	if [ "$want" = 2 ]; then
		if [ "$status" = 2 ] && [ "$(wc -l <"$T/err" | tr -d ' ')" = 1 ] &&
		    [ ! -s "$T/out" ]; then
			pass "$desc (a usage error)"
		else
			fail "$desc (a usage error)"
			diag "exit $status, want 2 with one line on stderr"
			sed 's/^/#   /' "$T/err" | head -n 3
		fi
		continue
	fi
	case " $args " in
	" help "* | *" --help "* | *" -h "* | *" --version "*) quiet=no ;;
	*) quiet=yes ;;
	esac
	if [ "$status" = 0 ] && { [ $quiet = no ] || [ ! -s "$T/out" ]; }; then
		pass "$desc"
	else
		fail "$desc"
		diag "exit $status, want 0$([ $quiet = yes ] && echo ' and no output')"
		sed 's/^/#   /' "$T/err" | head -n 3
	fi
done <"$T/cmds"
set +f

# --- no source line numbers: they go stale ---
refs=$(grep -nE '[A-Za-z0-9_]\.[ch]:[0-9]' $DOCS)
is "no document points at a source line by number (write FILE.c:N)" \
    "$refs" ""

done_testing
