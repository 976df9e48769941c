/* Unit tests for prime: isqrt, is_prime and the resumable scan, checked
 * against a sieve, known facts and a Miller-Rabin written here; the vector
 * paths against the scalar core. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prime.h"
#include "mr.h"
#include "prime_paths.h"
#include "tap.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
	/* xorshift64*: reproducible, good enough to pick test numbers. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717u;
}

static void test_isqrt(void)
{
	static const uint64_t roots[] = { 57735047, 66666667, 74535583,
					  81649661, 88191709, 4294967291u,
					  4294967295u };
	bool all = true;
	uint64_t i;

	is_u64(prime_isqrt(0), 0, "isqrt(0)");
	is_u64(prime_isqrt(1), 1, "isqrt(1)");
	is_u64(prime_isqrt(UINT64_MAX), 4294967295u, "isqrt(2^64-1)");
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		uint64_t sq = roots[i] * roots[i];

		is_u64(prime_isqrt(sq), roots[i], "isqrt(%" PRIu64 "^2)",
		       roots[i]);
		is_u64(prime_isqrt(sq - 1), roots[i] - 1,
		       "isqrt(%" PRIu64 "^2 - 1)", roots[i]);
	}
	for (i = 0; i < 200000; i++) {
		uint64_t n = rng() >> (rng() % 64);
		uint64_t r = prime_isqrt(n);

		if (!(r * r <= n && (r == 4294967295u ||
				     (r + 1) * (r + 1) > n))) {
			all = false;
			diag("isqrt(%" PRIu64 ") = %" PRIu64, n, r);
			break;
		}
	}
	ok(all, "isqrt exact on 200000 random numbers of every size");
}

static void test_small(void)
{
	enum { N = 1001 };
	bool composite[N];
	bool all = true;
	int i, j;

	memset(composite, 0, sizeof(composite));
	composite[0] = composite[1] = true;
	for (i = 2; i * i < N; i++)
		if (!composite[i])
			for (j = i * i; j < N; j += i)
				composite[j] = true;
	for (i = 0; i < N; i++)
		if (is_prime((uint64_t)i) == composite[i]) {
			all = false;
			diag("is_prime(%d) wrong", i);
		}
	ok(all, "is_prime agrees with a sieve on 0..1000");
}

static void test_book(void)
{
	static const uint64_t primes[] = {
		2, 142702110479723, 299593572317531, 3333333333333301,
		4444444444444423, 5555555555555503, 6666666666666719,
		7777777777777753, 9999999999999917 };
	unsigned i, j, nprimes = 0;

	for (i = 0; i < PRIME_BOOK_COUNT; i++) {
		bool want = false;

		for (j = 0; j < sizeof(primes) / sizeof(primes[0]); j++)
			want = want || primes[j] == prime_book_numbers[i];
		nprimes += want;
		ok(is_prime(prime_book_numbers[i]) == want,
		   "book number %" PRIu64 " is %s", prime_book_numbers[i],
		   want ? "prime" : "composite");
	}
	is_u64(nprimes, 9, "the book's list holds 9 primes");
}

static void test_edges(void)
{
	/* 2^32 - 5 is the largest 32-bit prime: its square is the isqrt trap
	 * near 2^64; 4294967279 * 4294967291 is a semiprime with both factors
	 * near the root; Carmichael numbers fool Fermat tests, not us. */
	static const uint64_t carmichael[] = { 561, 1105, 1729, 2465, 2821,
					       6601, 8911, 41041, 825265,
					       321197185, 5394826801u,
					       232250619601u,
					       9746347772161u };
	unsigned i;

	ok_slow(is_prime(18446744073709551557u), "largest 64-bit prime");
	ok(!is_prime(18446744073709551615u), "2^64 - 1 is composite");
	ok_slow(!is_prime((uint64_t)4294967291u * 4294967291u),
		"4294967291^2 is composite");
	ok_slow(!is_prime((uint64_t)4294967279u * 4294967291u),
		"4294967279 * 4294967291 is composite");
	ok(is_prime(4294967291u), "4294967291 is prime");
	ok(is_prime(5000111000222021u), "the quiz number is prime");
	ok_slow(is_prime(9223372036854775783u), "2^63 - 25 is prime");
	for (i = 0; i < sizeof(carmichael) / sizeof(carmichael[0]); i++)
		ok(!is_prime(carmichael[i]), "Carmichael %" PRIu64,
		   carmichael[i]);
}

static void test_random(void)
{
	/* Numbers of every size, up to 2^40 so the run stays quick, plus
	 * products of two random primes near a 2^k root. */
	unsigned i, bad = 0;

	for (i = 0; i < 5000; i++) {
		uint64_t n = rng() >> (24 + rng() % 40);

		if (is_prime(n) != mr_prime(n) && bad++ < 5)
			diag("disagree on %" PRIu64, n);
	}
	ok(bad == 0, "is_prime agrees with Miller-Rabin on 5000 random n");
	bad = 0;
	for (i = 0; i < 300; i++) {
		uint64_t a = (rng() >> (44 + i % 12)) | 1, b;

		while (!mr_prime(a))
			a += 2;
		b = a + 2;
		while (!mr_prime(b))
			b += 2;
		if (is_prime(a * b) || !is_prime(a))
			bad++;
	}
	ok(bad == 0, "products of two primes near the root are composite");
}

/* The scalar core's count, by the rule prime.h documents, with 64-bit
 * remainders: whole turns of 8 while the turn ends at or below the root
 * (a turn holding a divisor counts whole), then one divisor at a time. */
static bool ref_scan(uint64_t n, uint64_t *tried)
{
	static const unsigned off[8] = { 0, 4, 6, 10, 12, 16, 22, 24 };
	uint64_t root = prime_isqrt(n), d = 7;
	unsigned j;

	*tried = 0;
	if (n < 2 || n % 2 == 0 || n % 3 == 0 || n % 5 == 0)
		return n == 2 || n == 3 || n == 5;
	for (; d + 24 <= root; d += 30) {
		*tried += 8;
		for (j = 0; j < 8; j++)
			if (n % (d + off[j]) == 0)
				return false;
	}
	for (j = 0; j < 8 && d + off[j] <= root; j++) {
		++*tried;
		if (n % (d + off[j]) == 0)
			return false;
	}
	return true;
}

/* n below 2^32 take the multiply-by-inverse path: same verdicts, same
 * divisors tried as the reference, at both ends of the range. */
static void test_below_2_32(void)
{
	static const uint64_t edges[] = {
		4294967291u, 4294967295u, 4294967296u, 4293001441u,
		4292870399u, 65521u * 65519u, 65537u * 65521u, 49, 961,
		2147483647u, 3u * 1431655765u,
	};
	unsigned bad = 0, i;
	uint64_t n, want;

	for (n = 0; n < 100000; n++)
		if (is_prime(n) != ref_scan(n, &want) || prime_cost(n) != want)
			if (bad++ < 5)
				diag("differs on %" PRIu64, n);
	for (i = 0; i < 2000; i++) {
		n = rng() >> (32 + rng() % 32);
		if (is_prime(n) != ref_scan(n, &want) || prime_cost(n) != want)
			if (bad++ < 5)
				diag("differs on %" PRIu64, n);
	}
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		n = edges[i];
		if (is_prime(n) != ref_scan(n, &want) ||
		    prime_cost(n) != want || is_prime(n) != mr_prime(n))
			if (bad++ < 5)
				diag("differs on %" PRIu64, n);
	}
	ok(bad == 0, "below 2^32: verdicts and divisors tried as the "
	   "reference's (0..99999, 2000 random, the edges)");
}

static void test_scan(void)
{
	static const uint64_t budgets[] = { 1, 2, 3, 7, 8, 9, 50000, 0 };
	static const uint64_t ns[] = { 0, 1, 2, 49, 121, 961, 1009, 7919,
				       1000003, 999999999989u,
				       4444444488888889u, 142702110479723u,
				       4294967291u };
	unsigned i, j, bad = 0;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct prime_scan full;

		prime_scan_start(&full, ns[i]);
		prime_scan_step(&full, 0);
		for (j = 0; j < sizeof(budgets) / sizeof(budgets[0]); j++) {
			struct prime_scan s;
			uint64_t before;

			prime_scan_start(&s, ns[i]);
			/* One divisor per slice is slow on big numbers. */
			if (budgets[j] != 0 && budgets[j] < 7 && ns[i] > 1000000)
				continue;
			do {
				before = s.tried;
				if (prime_scan_step(&s, budgets[j]))
					break;
				if (budgets[j] && s.tried - before != budgets[j])
					bad++;	/* an unfinished slice is full */
			} while (1);
			if (budgets[j] && s.tried - before > budgets[j])
				bad++;
			if (s.prime != full.prime || s.prime != mr_prime(ns[i])) {
				bad++;
				diag("scan %" PRIu64 " budget %" PRIu64,
				     ns[i], budgets[j]);
			}
		}
	}
	ok(bad == 0, "the scan gives one verdict for every slice size");
	{
		struct prime_scan s;
		uint64_t before;

		prime_scan_start(&s, 4444444444444423u);
		before = s.tried;
		ok(!prime_scan_step(&s, 50000) && s.tried - before <= 50000,
		   "a slice tries at most its budget");
		ok(prime_scan_step(&s, 0) && s.prime, "and the scan resumes");
		ok(prime_scan_step(&s, 10), "stepping a finished scan is done");
	}
}

/* The runner's hook: counts its calls, stops the scan at the limit. */
struct hook_count {
	unsigned calls;
	unsigned stop_at;
};

static bool count_slices(void *arg)
{
	struct hook_count *h = arg;

	return ++h->calls >= h->stop_at;
}

static void test_scan_run(void)
{
	struct hook_count h = { 0, 3 };
	struct prime_scan s, full;

	prime_scan_start(&full, 4444444444444423u);
	prime_scan_step(&full, 0);
	prime_scan_start(&s, 4444444444444423u);
	ok(!prime_scan_run(&s, 1000, count_slices, &h) && h.calls == 3 &&
	   !s.done, "the hook stops the run after its third slice");
	h.stop_at = (unsigned)-1;
	ok(prime_scan_run(&s, 100000, count_slices, &h) && s.prime &&
	   s.tried == full.tried, "a resumed run ends with the full scan's "
	   "verdict and work");
	ok(h.calls == 3 + (full.tried - 3000 - 1) / 100000,
	   "the hook runs once between every two slices (%u calls)", h.calls);
	h.calls = 0;
	prime_scan_start(&s, 91);
	ok(prime_scan_run(&s, 1, count_slices, &h) && !s.prime,
	   "a short scan: verdict 91 = 7 * 13");
	prime_scan_start(&s, 97);
	ok(prime_scan_run(&s, 0, count_slices, &h) && s.prime && h.calls == 0,
	   "slice 0 runs the scan in one go, the hook never called");
}

/* ---- the vector paths against the scalar core ----
 *
 * Each case is a scan state and a budget: the scan of n from its start,
 * or from a wheel turn placed by hand (white box: next, spoke and tried
 * are the struct's own fields), so the end of a long scan can be tested
 * without its first billion divisors.  Every path the CPU has runs the
 * same step from the same state, and the whole state after it (verdict,
 * divisors tried, where it stopped) must be the scalar core's. */

struct diff {
	uint64_t numbers;		/* cases run */
	uint64_t bad[PRIME_PATHS];	/* cases where a path differed */
};

/* Put the scan at the wheel turn holding divisor from (>= 7, coprime to
 * 30 or not), as if every divisor below had been tried. */
static void place(struct prime_scan *s, uint64_t from)
{
	if (s->done || from < 37)
		return;
	s->next = (from - 7) / 30 * 30 + 7;
	s->spoke = 0;
}

static void diff_case(struct diff *df, uint64_t n, uint64_t from,
		      uint64_t budget)
{
	struct prime_scan base, ref, out[PRIME_PATHS];
	unsigned bad;
	int p;

	prime_scan_start(&base, n);
	place(&base, from);
	bad = prime_paths_differ(&base, budget, &ref, out);
	df->numbers++;
	for (p = 1; p < PRIME_PATHS; p++)
		if ((bad >> p & 1) && df->bad[p]++ < 3)
			diag("%s: n %" PRIu64 " from %" PRIu64 " budget %"
			     PRIu64 ": prime %d tried %" PRIu64 ", scalar %d %"
			     PRIu64, prime_path_name((enum prime_path)p), n,
			     from, budget, out[p].prime, out[p].tried,
			     ref.prime, ref.tried);
}

/* Divisors of the integer range (below (n >> 50) + 1) plus extra. */
static uint64_t past_int(uint64_t n, uint64_t extra)
{
	return ((n >> 50) / 30 + 2) * 8 + extra;
}

static uint64_t next_prime(uint64_t n)
{
	while (!mr_prime(n))
		n++;
	return n;
}

static uint64_t prev_prime(uint64_t n)
{
	while (!mr_prime(n))
		n--;
	return n;
}

/* Random numbers of every size; the scan's first slice covers the integer
 * range and 1..64 vector turns past it. */
static void diff_random(struct diff *df, unsigned count)
{
	unsigned i;

	for (i = 0; i < count; i++) {
		uint64_t n = rng() >> (rng() % 58);

		diff_case(df, n, 0, past_int(n, 8 * (1 + rng() % 64)));
	}
}

/* n = p * q, p prime just below, at and above the turn where the paths
 * switch from integer to vector tests, (n >> 50) + 1, at every magnitude
 * 2^40 .. 2^64, q the primes just above 2^e / p; full scans (they end at
 * p).  Counts how many p fell below and at-or-above the switch. */
static void diff_switch(struct diff *df, unsigned *below, unsigned *above)
{
	unsigned e;

	for (e = 40; e <= 64; e++) {
		uint64_t top = e == 64 ? UINT64_MAX : (uint64_t)1 << e;
		uint64_t sw = (top >> 50) + 1, p;

		for (p = next_prime(sw > 97 ? sw - 90 : 7); p <= sw + 90;
		     p = next_prime(p + 1)) {
			uint64_t q = next_prime(top / p - 40 * 30);
			unsigned k;

			for (k = 0; k < 6; k++, q = next_prime(q + 1)) {
				uint64_t n = p * q;

				if (q > UINT64_MAX / p)
					break;
				*below += p < (n >> 50) + 1;
				*above += p >= (n >> 50) + 1;
				diff_case(df, n, 0, 0);
			}
		}
	}
}

/* Squares of the primes just below 2^32 (the last turn of a full scan,
 * where the root is the factor), windows of up to 300 turns before it. */
static void diff_squares(struct diff *df)
{
	uint64_t p = 4294967295u;
	unsigned i;

	for (i = 0; i < 60; i++) {
		p = prev_prime(p - 1);
		diff_case(df, p * p, p - 30 * (rng() % 300) - rng() % 30, 0);
		diff_case(df, p * p, p - 30 * (rng() % 300), 5000);
	}
	diff_case(df, (uint64_t)33554393 * 33554393, 0, 0);	/* < 2^25 */
}

/* Carmichael numbers: the known small ones, and Chernick's
 * (6k+1)(12k+1)(18k+1) with all three factors prime, up to 2^64. */
static void diff_carmichael(struct diff *df)
{
	static const uint64_t known[] = { 561, 1105, 1729, 2465, 2821, 6601,
					  8911, 41041, 825265, 321197185,
					  5394826801u, 232250619601u,
					  9746347772161u };
	uint64_t k;
	unsigned i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		diff_case(df, known[i], 0, 0);
	for (k = 1; k < 240000; k += k < 3000 ? 1 : 997) {
		uint64_t a = 6 * k + 1, b = 12 * k + 1, c = 18 * k + 1;

		if (a * b > UINT64_MAX / c)
			break;
		if (mr_prime(a) && mr_prime(b) && mr_prime(c))
			diff_case(df, a * b * c, 0, 0);
	}
}

/* The primes just below 2^64: the first vector turns (quotients near
 * 2^50), a window in the middle, and the last turns up to the root. */
static void diff_top_primes(struct diff *df)
{
	uint64_t p = UINT64_MAX;
	unsigned i;

	for (i = 0; i < 40; i++) {
		p = prev_prime(p - 1);
		diff_case(df, p, 0, past_int(p, 4096));
		diff_case(df, p, rng() % 4294967295u, 8192);
		diff_case(df, p, 4294967295u - 30 * (rng() % 400), 0);
	}
}

/* Whole scans of a few primes, each path in slices of odd sizes, the path
 * changing between slices: the verdict and the count of divisors tried
 * are the scalar core's. */
static void test_paths_resume(void)
{
	static const uint64_t ns[] = { 142702110479723u, 1125899906842597u,
				       4444444488888889u };
	static const uint64_t budgets[] = { 1, 7, 9, 13, 50000, 0 };
	unsigned i, j, bad = 0;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct prime_scan ref;

		prime_scan_start(&ref, ns[i]);
		prime_scan_step(&ref, 0);
		for (j = 0; j < sizeof(budgets) / sizeof(budgets[0]); j++) {
			struct prime_scan s;
			unsigned slice = 0;
			uint64_t b = budgets[j];

			prime_scan_start(&s, ns[i]);
			/* Small slices for the first million divisors only. */
			while (!prime_scan_step(&s, b)) {
				do
					s.path = (enum prime_path)(++slice %
								   PRIME_PATHS);
				while (!prime_path_supported(s.path));
				if (b < 50000 && s.tried > 1000000)
					b = 50000;
			}
			bad += !prime_same_state(&s, &ref);
		}
	}
	ok(bad == 0, "every path resumed in slices gives the scalar scan");
}

static void test_paths(void)
{
	struct diff df;
	unsigned below = 0, above = 0, n_supported = 0;
	int p;

	memset(&df, 0, sizeof(df));
	for (p = 0; p < PRIME_PATHS; p++) {
		enum prime_path path = (enum prime_path)p, back;

		n_supported += prime_path_supported(path);
		ok(prime_path_parse(prime_path_name(path), &back) ==
		   (prime_path_supported(path) ? 0 : -ENOTSUP) && back == path,
		   "path %s: name, parse and support agree",
		   prime_path_name(path));
	}
	ok(prime_path_supported(PRIME_SCALAR) &&
	   prime_path_supported(prime_path_best()) &&
	   prime_path_lanes(prime_path_best()) >= 1,
	   "scalar is always there; auto picks a path the CPU has");
	{
		enum prime_path back = PRIME_NEON;

		ok(prime_path_parse("auto", &back) == 0 &&
		   back == prime_path_best() &&
		   prime_path_parse("avx", &back) == -EINVAL &&
		   prime_path_parse("", &back) == -EINVAL &&
		   back == prime_path_best(),
		   "parse: auto is the best path; unknown names refused");
	}
	ok(!prime_path_supported((enum prime_path)PRIME_PATHS) &&
	   strcmp(prime_path_name((enum prime_path)PRIME_PATHS), "?") == 0,
	   "an out-of-range path is not supported and named ?");
	ok(n_supported < PRIME_PATHS, "no CPU has every path (x86 or ARM)");
	for (p = 0; p <= PRIME_PATHS; p++) {
		struct prime_scan s, ref;

		if (p < PRIME_PATHS && prime_path_supported((enum prime_path)p))
			continue;
		prime_scan_start(&ref, 4444444488888889u);
		s = ref;
		s.path = (enum prime_path)p;
		prime_scan_step(&ref, 0);
		prime_scan_step(&s, 0);
		ok(prime_same_state(&s, &ref), "a scan on path %d, which this "
		   "CPU lacks, runs as scalar", p);
	}

	diff_random(&df, 1000000);
	diff_switch(&df, &below, &above);
	ok(below >= 100 && above >= 100, "p*q cases on both sides of the "
	   "switch: %u below, %u at or above", below, above);
	diff_squares(&df);
	diff_carmichael(&df);
	diff_top_primes(&df);
	ok(df.numbers >= 1000000, "%" PRIu64 " cases in the differential run",
	   df.numbers);
	for (p = 1; p < PRIME_PATHS; p++) {
		const char *name = prime_path_name((enum prime_path)p);

		if (!prime_path_supported((enum prime_path)p))
			ok(true, "%s agrees with scalar # SKIP this CPU has "
			   "no %s", name, name);
		else
			ok(df.bad[p] == 0, "%s agrees with scalar on every "
			   "case (%" PRIu64 " differ)", name, df.bad[p]);
	}
	test_paths_resume();
}

int main(void)
{
	tap_start(90);
	test_isqrt();
	test_small();
	test_book();
	test_edges();
	test_random();
	test_below_2_32();
	test_scan();
	test_scan_run();
	test_paths();
	return tap_done();
}
