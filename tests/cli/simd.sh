# CLI tests: --simd (the prime core's vector lanes) on primes, the pools,
# sweep and spinner: the same verdicts as without it, on every path this
# CPU has; a path it lacks is refused, naming the ones it has.
. tests/lib.sh

# The verdict lines (number, P or not), times dropped, sorted.
verdicts() {
	sed -n '2,$p' "$1" | grep -v -e '^Total time' -e ' checks in ' |
		awk '{ print $1, ($2 == "P" ? "P" : "-") }' | sort
}

# The book's numbers; and numbers p * q whose factor p lies just below or
# above the switch from integer to vector tests, (n >> 50) + 1 (1024 and
# 16384 here: 1021, 1031, 16381, 16411 times a prime q), Carmichael
# numbers, the largest 64-bit number.
printf '%s\n' 1152921504606809491 1152921504606836551 \
	18446744073709547261 18446744073709500677 18446744073709551615 \
	9746347772161 232250619601 4294967291 49 1 0 >"$T/extra"
run primes
verdicts "$T/out" >"$T/ref"
run -i "$T/extra" primes -
verdicts "$T/out" >"$T/ref_extra"
is "reference: the book's 20 numbers" "$(wc -l <"$T/ref" | tr -d ' ')" 20

# --- help ---
for cmd in primes sweep spinner; do
	run $cmd --help
	like "$cmd --help lists --simd" "$T/out" '^ +--simd\[=PATH\] '
done

# --- every path: the CPU has it (same verdicts) or refuses it (exit 2) ---
has=0
lacks=0
for path in avx512 avx2 sse2 neon scalar; do
	run primes --simd=$path 7
	if [ "$status" -eq 2 ]; then
		lacks=$((lacks + 1))
		is "$path: refused in one line" "$(wc -l <"$T/err" | tr -d ' ')" 1
		like "$path: the message names what the CPU has" "$T/err" \
		    "^concdemo: primes: --simd=$path: this CPU has no $path \\(it has: [a-z0-9, ]*scalar\\)"
		empty "$path: nothing on stdout" "$T/out"
		for cmd in "sweep --max=1 --runs=1 7" \
		    "spinner --work=prime --number=7"; do
			run $cmd --simd=$path
			is "$cmd --simd=$path: exit 2" "$status" 2
			like "$cmd --simd=$path: names what the CPU has" "$T/err" \
			    "this CPU has no $path \\(it has: "
		done
		continue
	fi
	has=$((has + 1))
	is "$path: exit 0" "$status" 0
	like "$path: the first line names it" "$T/out" \
	    "^Checking 1 numbers sequentially \\($path: [1-8] lanes?\\):$"
	run primes --simd=$path
	verdicts "$T/out" >"$T/got"
	check "$path: the book's verdicts" cmp -s "$T/got" "$T/ref"
	run -i "$T/extra" primes --simd=$path -
	verdicts "$T/out" >"$T/got"
	check "$path: verdicts at the switch, Carmichael, 2^64 - 1" \
	    cmp -s "$T/got" "$T/ref_extra"
done
check "at least scalar is there ($has paths)" [ "$has" -ge 1 ]
check "some path is missing on any CPU ($lacks)" [ "$lacks" -ge 1 ]

# --- auto, the pools, --gil ---
run primes --simd
is "--simd: exit 0" "$status" 0
like "--simd (auto) names its path" "$T/out" \
    '^Checking 20 numbers sequentially \((avx512|avx2|sse2|neon|scalar): [1-8] lanes?\):$'
verdicts "$T/out" >"$T/got"
check "--simd: the book's verdicts" cmp -s "$T/got" "$T/ref"
for pool in --procs=2 --threads=2 "--threads=2 --gil"; do
	run primes --simd $pool
	is "--simd $pool: exit 0" "$status" 0
	like "--simd $pool: first line" "$T/out" '^Checking 20 numbers with 2 (processes|threads) \(.*lane'
	verdicts "$T/out" >"$T/got"
	check "--simd $pool: the book's verdicts" cmp -s "$T/got" "$T/ref"
done

# --- sweep ---
run sweep --simd --max=2 --runs=1 4444444444444423 4444444488888889 7
is "sweep --simd: exit 0" "$status" 0
like "sweep --simd: the caption names the path" "$T/out" \
    '^Sweep: process pool, simd (avx512|avx2|sse2|neon|scalar);'

# --- spinner: prime and nap, every model ---
for m in "--model=thread" "--model=thread --gil" "--model=process" \
    "--model=coroutine"; do
	run spinner $m --work=prime --simd --spin=never --number=4444444444444423
	is "spinner $m --work=prime --simd: exit 0" "$status" 0
	is "spinner $m --work=prime --simd: the verdict" "$(tail -n 1 "$T/out")" \
	    "4,444,444,444,444,423 is prime"
done
run spinner --model=coroutine --work=nap --simd --spin=never \
    --number=4444444488888889
is "spinner nap --simd: the verdict" "$(tail -n 1 "$T/out")" \
    "4,444,444,488,888,889 is not prime"

# --- bad values ---
usage_error "--simd=x" primes --simd=x 7
like "--simd=x: names the choices" "$T/err" \
    "invalid --simd value 'x' \\(expected auto, avx512, avx2, sse2, neon or scalar\\)"
usage_error "--simd= (empty)" primes --simd= 7
usage_error "sweep --simd=AVX2" sweep --simd=AVX2 7
usage_error "spinner --simd with --work=sleep" spinner --simd
like "spinner --simd: only prime and nap" "$T/err" "applies to --work=prime or --work=nap"

done_testing
