/*
 * fuzz_prime: libFuzzer target for the prime core's vector paths (the
 * `--simd` lanes, prime.h): every path this CPU has must leave a scan in
 * the state the scalar core leaves it, on numbers the fuzzer picks.
 *
 * Input (missing bytes are zeros, little-endian):
 *   byte 0       how n is made: bit 0 clear, n is bytes 1..8; bit 0 set,
 *                n = a * b (wrapping) with a = bytes 1..4 (a factor that
 *                lands in the scan's range) and b = bytes 5..12
 *   bytes 13..16 where the scan starts: 0 from the start, else at the
 *                wheel turn holding that divisor (white box: next and
 *                spoke set by hand, as test_prime does)
 *   bytes 17..18 the budget in divisors (0: 65536), so every input is fast
 * Any difference in the state (verdict, divisors tried, where it stopped)
 * aborts, and libFuzzer keeps the input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prime.h"
#include "prime_paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le(const uint8_t *buf, size_t at, size_t len)
{
	uint64_t v = 0;

	while (len-- > 0)
		v = v << 8 | buf[at + len];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[19] = { 0 };
	struct prime_scan base, ref, out[PRIME_PATHS];
	uint64_t n, from, budget;
	unsigned bad;
	int p;

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	if (in[0] & 1)
		n = le(in, 1, 4) * le(in, 5, 8);
	else
		n = le(in, 1, 8);
	from = le(in, 13, 4);
	budget = le(in, 17, 2);
	if (budget == 0)
		budget = 65536;
	prime_scan_start(&base, n);
	if (!base.done && from >= 37 && from <= base.root) {
		base.next = (from - 7) / 30 * 30 + 7;
		base.spoke = 0;
	}
	bad = prime_paths_differ(&base, budget, &ref, out);
	for (p = 1; p < PRIME_PATHS; p++) {
		if (!(bad >> p & 1))
			continue;
		fprintf(stderr, "fuzz_prime: %s: n %llu from %llu budget "
			"%llu: prime %d tried %llu, scalar %d %llu\n",
			prime_path_name((enum prime_path)p),
			(unsigned long long)n, (unsigned long long)from,
			(unsigned long long)budget, out[p].prime,
			(unsigned long long)out[p].tried, ref.prime,
			(unsigned long long)ref.tried);
		abort();
	}
	return 0;
}
