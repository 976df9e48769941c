/* Unit tests for prime: isqrt, is_prime and the resumable scan, checked
 * against a sieve, known facts and a Miller-Rabin written here. */
#include <stdlib.h>
#include <string.h>

#include "prime.h"
#include "mr.h"
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

	ok(is_prime(18446744073709551557u), "largest 64-bit prime");
	ok(!is_prime(18446744073709551615u), "2^64 - 1 is composite");
	ok(!is_prime((uint64_t)4294967291u * 4294967291u),
	   "4294967291^2 is composite");
	ok(!is_prime((uint64_t)4294967279u * 4294967291u),
	   "4294967279 * 4294967291 is composite");
	ok(is_prime(4294967291u), "4294967291 is prime");
	ok(is_prime(5000111000222021u), "the quiz number is prime");
	ok(is_prime(9223372036854775783u), "2^63 - 25 is prime");
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

int main(void)
{
	tap_start(60);
	test_isqrt();
	test_small();
	test_book();
	test_edges();
	test_random();
	test_scan();
	return tap_done();
}
