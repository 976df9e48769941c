/* Unit tests for workload: the names, the book set, and a proof that the
 * large set follows its recipe (checked with the tests' Miller-Rabin, mr.h),
 * with the core's verdicts (workload_classify runs is_prime) and shape. */
#include <string.h>

#include "prime.h"
#include "mr.h"
#include "tap.h"
#include "workload.h"

static uint64_t isqrt_slow(uint64_t n)
{
	uint64_t r = 0, bit;

	/* The largest r with r * r <= n, bit by bit (n < 2^62 here). */
	for (bit = (uint64_t)1 << 31; bit; bit >>= 1)
		if ((r + bit) * (r + bit) <= n)
			r += bit;
	return r;
}

/* No prime strictly between lo and hi. */
static bool no_prime_between(uint64_t lo, uint64_t hi)
{
	uint64_t k;

	for (k = lo + 1; k < hi; k++)
		if (mr_prime(k))
			return false;
	return true;
}

static void test_names(void)
{
	const uint64_t *v = NULL;

	ok(strcmp(workload_name(WORKLOAD_BOOK), "book") == 0 &&
	   strcmp(workload_name(WORKLOAD_LARGE), "large") == 0,
	   "names round-trip");
	ok(strstr(workload_description(WORKLOAD_LARGE), "64 numbers") &&
	   strstr(workload_description(WORKLOAD_BOOK), "20 numbers"),
	   "descriptions give the counts");
	is_u64(workload_numbers(WORKLOAD_BOOK, &v), PRIME_BOOK_COUNT,
	       "book set: 20 numbers");
	ok(v == prime_book_numbers, "book set is prime_book_numbers");
	is_u64(workload_numbers(WORKLOAD_LARGE, &v), 64, "large set: 64");
	ok(v == workload_large_numbers, "large set is the table");
	is_u64(workload_numbers((enum workload_set)7, &v), 0,
	       "unknown set: 0 numbers");
	ok(v == NULL, "unknown set: NULL");
	is_u64(workload_large_bound(0), 50000000000000000u, "bound 0: 5e16");
	is_u64(workload_large_bound(15), 200000000000000000u,
	       "bound 15: 2e17");
	is_u64(workload_large_bound(16), 0, "bound 16: none");
}

static void test_recipe(void)
{
	static const uint64_t cs[4] = { 3, 7, 11, 13 };
	const uint64_t *v = workload_large_numbers;
	unsigned g, bad = 0, i;

	for (i = 1; i < WORKLOAD_LARGE_COUNT; i++)
		bad += v[i - 1] >= v[i];
	ok(bad == 0, "the large set ascends, as the book's list does");
	for (g = 0; g < WORKLOAD_LARGE_GROUPS; g++) {
		uint64_t b = workload_large_bound(g), c = cs[g % 4];
		uint64_t sq = v[4 * g], p2 = v[4 * g + 1], p1 = v[4 * g + 2];
		uint64_t e = v[4 * g + 3], q = isqrt_slow(sq);

		ok(q * q == sq && mr_prime(q) &&
		   no_prime_between(q, isqrt_slow(b) + 1),
		   "group %u: %" PRIu64 " = %" PRIu64 "^2, q the largest "
		   "prime <= isqrt(B)", g, sq, q);
		ok(p1 < b && mr_prime(p1) && no_prime_between(p1, b),
		   "group %u: %" PRIu64 " is the largest prime below B", g,
		   p1);
		ok(mr_prime(p2) && no_prime_between(p2, p1),
		   "group %u: %" PRIu64 " is the next prime down", g, p2);
		ok(e > b && e % 2 == 1 && e % c == 0 && e - 2 * c <= b,
		   "group %u: %" PRIu64 " is the first odd multiple of %"
		   PRIu64 " above B", g, e, c);
	}
}

/* The core's verdicts on the large set: one full pass (several seconds). */
static void test_large_verdicts(void)
{
	static const enum workload_kind want[4] = {
		WORKLOAD_PRIME_SQUARE, WORKLOAD_PRIME, WORKLOAD_PRIME,
		WORKLOAD_EASY };
	struct workload_shape sh;
	unsigned i, bad = 0;

	if (tap_no_slow()) {
		skip_ok(TAP_SLOW_WHY, "the core's verdicts on the large set");
		return;
	}
	memset(&sh, 0, sizeof(sh));
	for (i = 0; i < WORKLOAD_LARGE_COUNT; i++) {
		uint64_t n = workload_large_numbers[i];
		enum workload_kind k = workload_classify(n);

		sh.primes += k == WORKLOAD_PRIME;
		sh.prime_squares += k == WORKLOAD_PRIME_SQUARE;
		sh.easy += k == WORKLOAD_EASY;
		if (k != want[i % 4] || (k == WORKLOAD_PRIME) != mr_prime(n)) {
			bad++;
			diag("%" PRIu64 ": kind %d", n, (int)k);
		}
	}
	ok(bad == 0, "the core's verdicts on the large set agree with "
	   "Miller-Rabin, kind by kind");
	ok(sh.primes == 32 && sh.prime_squares == 16 && sh.easy == 16,
	   "large shape: 32 primes, 16 prime squares, 16 easy composites");
	ok(sh.primes + sh.prime_squares >= 40,
	   "large set: 40+ heavy jobs (%zu)", sh.primes + sh.prime_squares);
}

static void test_shape(void)
{
	static const uint64_t mixed[] = {
		0, 1, 2, 3, 9, 997, 1009, 1000003, 1018081 /* 1009^2 */,
		1022117 /* 1009 * 1013 */, 4444444444444444u,
		4444444488888889u /* 66666667^2 */ };
	struct workload_shape sh;

	workload_shape(prime_book_numbers, PRIME_BOOK_COUNT, &sh);
	ok(sh.primes == 9 && sh.prime_squares == 5 && sh.easy == 6 &&
	   sh.hard == 0 && sh.tiny == 0,
	   "book shape: 9 primes, 5 prime squares, 6 easy composites");
	workload_shape(mixed, sizeof(mixed) / sizeof(mixed[0]), &sh);
	is_u64(sh.tiny, 2, "0 and 1 are tiny");
	is_u64(sh.primes, 5, "2, 3, 997, 1009, 1000003 are primes");
	is_u64(sh.easy, 2, "9 and 4444444444444444 are easy");
	is_u64(sh.prime_squares, 2, "1009^2 and 66666667^2 are prime squares");
	is_u64(sh.hard, 1, "1009 * 1013 is hard");
}

int main(void)
{
	tap_start(300);
	test_names();
	test_shape();
	test_recipe();
	test_large_verdicts();
	return tap_done();
}
