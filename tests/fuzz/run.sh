#!/bin/sh
# tests/fuzz/run.sh: the driver behind `make fuzz` (see tests/fuzz/README.md).
#   run.sh probe CC               can CC link a libFuzzer target? (exit 1 if not)
#   run.sh run BUILD SECONDS BIN  run every $BUILD/fuzz/fuzz_* for SECONDS each
# The corpus grows in $BUILD/corpus/NAME between runs; a crash is saved as
# $BUILD/crashes/NAME-crash-*, printed, and fails the run.
set -u

probe() {
	dir=$(mktemp -d "${TMPDIR:-/tmp}/concdemo-fuzz.XXXXXX") || exit 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$dir/t.c"
	if "$1" -fsanitize=fuzzer,address,undefined -o "$dir/t" "$dir/t.c" \
	    >"$dir/log" 2>&1; then
		rm -rf "$dir"
		return 0
	fi
	rm -rf "$dir"
	echo "fuzz: '$1 -fsanitize=fuzzer' does not link here: libFuzzer is"
	echo "fuzz: missing (Debian: apt-get install libclang-rt-14-dev, the"
	echo "fuzz: version of your clang; or set FUZZ_CC to a clang that has it)"
	return 1
}

# A dictionary of every command's long options, read from the --help of
# each command listed by 'concdemo --help': new options need no editing.
dictionary() {
	bin=$1
	{
		printf '"--"\n"-"\n"="\n"_"\n"-h"\n"--help"\n"--version"\n'
		printf '"18446744073709551615"\n"18446744073709551616"\n'
		"$bin" --help | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p' |
		while read -r cmd; do
			printf '"%s"\n' "$cmd"
			"$bin" "$cmd" --help | grep -oE -- '--[a-z][a-z0-9-]*=?' |
			    sed 's/.*/"&"/'
		done
	} | sort -u
}

# Seeds for fuzz_options: each command (byte 0) with --help, a number and
# '-' reading two numbers from stdin.
seed_options() {
	n=$("$1" --help | grep -c '^  [a-z]')
	i=0
	while [ "$i" -le "$n" ]; do
		b=$(printf '\\%03o' "$i")
		printf "$b--help" >"$2/seed-$i-help"
		printf "${b}7\\000-\\377 5 1_000\\n" >"$2/seed-$i-stdin"
		i=$((i + 1))
	done
}

seed_parse() {
	z='\000\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000'
	printf "\\000${z}18_446_744_073_709_551_615" >"$1/seed-u64"
	printf "\\001${z}4" >"$1/seed-count"
	printf "\\002${z}1.5e-3" >"$1/seed-seconds"
}

# Seeds for fuzz_prime: 16381 * a prime, at the integer/vector switch
# near 2^64; the largest 64-bit prime from 2^32 - 30000, budget 4096.
seed_prime() {
	printf '\001\375\077\000\000\001\033\100\002\060\000\004\000' >"$1/seed-switch"
	printf '\000\305\377\377\377\377\377\377\377\000\000\000\000\317\212\377\377\000\020' >"$1/seed-top"
}

run() {
	build=$1
	secs=$2
	bin=$3
	mkdir -p "$build/crashes"
	dictionary "$bin" >"$build/options.dict"
	failed=0
	for f in "$build"/fuzz/fuzz_*; do
		case $f in *.d) continue ;; esac
		name=$(basename "$f")
		corpus=$build/corpus/$name
		if [ ! -d "$corpus" ]; then
			mkdir -p "$corpus"
			case $name in
			fuzz_options) seed_options "$bin" "$corpus" ;;
			fuzz_parse) seed_parse "$corpus" ;;
			fuzz_prime) seed_prime "$corpus" ;;
			esac
		fi
		dict=
		[ "$name" = fuzz_options ] && dict=-dict=$build/options.dict
		log=$build/$name.log
		"$f" $dict -max_total_time="$secs" -timeout=10 \
		    -artifact_prefix="$build/crashes/$name-" "$corpus" \
		    >"$log" 2>&1
		status=$?
		stats=$(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1)
		if [ "$status" -eq 0 ]; then
			printf '%-14s ok   %s\n' "$name" "${stats:-(no stats)}"
		else
			failed=1
			printf '%-14s FAILED (exit %d); log %s\n' "$name" \
			    "$status" "$log"
			grep -E 'ERROR|SUMMARY|^fuzz_|runtime error|Test unit written' "$log" |
			    head -n 20 | sed 's/^/    /'
			echo "    replay: $f $build/crashes/$name-crash-*"
		fi
	done
	return "$failed"
}

case ${1:-} in
probe) probe "$2" ;;
run) run "$2" "$3" "$4" ;;
*) echo "usage: run.sh probe CC | run BUILD SECONDS BIN" >&2; exit 2 ;;
esac
