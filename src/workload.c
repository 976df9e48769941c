/*
 * workload: the book's set and the large set, and a classifier that says
 * what each number costs the core.
 *
 * Two named sets of the same shape as the book's primes.py NUMBERS: primes
 * and squares of primes (each costs a full trial division up to the root)
 * mixed with easy composites (a small factor: almost free).
 *
 *   book   the book's 20 numbers (prime_book_numbers): 9 primes, 5 prime
 *          squares, 6 easy composites.
 *   large  64 numbers: 32 primes, 16 prime squares, 16 easy composites,
 *          48 heavy jobs: about 20 times the book's work, long enough
 *          that start-up noise is lost, enough jobs that a sweep up to
 *          24 workers still shows a curve.
 *
 * The large set, built like the book's list around round bounds: for each
 * group g = 0..15, with bound B = (g + 5) * 10^16 (5e16 .. 2e17), in
 * ascending order:
 *   q^2  q the largest prime <= isqrt(B)     (a prime square, just below B)
 *   p2   the second largest prime below B
 *   p1   the largest prime below B
 *   e    the smallest odd multiple of c above B, c = 3, 7, 11, 13 cycling
 * The numbers are a table (finding the 32 primes with the trial-division
 * core takes as long as checking them, on every run); the unit test
 * proves the table follows this recipe.
 *
 * Owns only constant tables; no state, no locks.  The book's Python has one
 * list (primes.py NUMBERS); the large set is ours, built the same way.
 */
#include <string.h>

#include "prime.h"
#include "workload.h"

/* Four per group, ascending: q^2, p2, p1, e (see the top); the comment
 * names q.  tests/unit/test_workload.c proves every entry. */
const uint64_t workload_large_numbers[WORKLOAD_LARGE_COUNT] = {
	/* B = 5e16, q = 223606793 */
	49999997875744849u, 49999999999999963u,
	49999999999999993u, 50000000000000001u,
	/* B = 6e16, q = 244948973 */
	59999999373754729u, 59999999999999831u,
	59999999999999923u, 60000000000000011u,
	/* B = 7e16, q = 264575119 */
	69999993593864161u, 69999999999999983u,
	69999999999999989u, 70000000000000015u,
	/* B = 8e16, q = 282842633 */
	79999955042372689u, 79999999999999813u,
	79999999999999867u, 80000000000000015u,
	/* B = 9e16, q = 299999977 */
	89999986200000529u, 89999999999999977u,
	89999999999999989u, 90000000000000003u,
	/* B = 10e16, q = 316227731 */
	99999977853408361u, 99999999999999977u,
	99999999999999997u, 100000000000000009u,
	/* B = 11e16, q = 331662449 */
	109999980076677601u, 109999999999999873u,
	109999999999999957u, 110000000000000011u,
	/* B = 12e16, q = 346410143 */
	119999987173280449u, 119999999999999969u,
	119999999999999989u, 120000000000000003u,
	/* B = 13e16, q = 360555127 */
	129999999605986129u, 129999999999999859u,
	129999999999999979u, 130000000000000005u,
	/* B = 14e16, q = 374165677 */
	139999953844868329u, 139999999999999991u,
	139999999999999999u, 140000000000000007u,
	/* B = 15e16, q = 387298319 */
	149999987900225761u, 149999999999999983u,
	149999999999999987u, 150000000000000007u,
	/* B = 16e16, q = 399999959 */
	159999967200001681u, 159999999999999941u,
	159999999999999983u, 160000000000000017u,
	/* B = 17e16, q = 412310533 */
	169999975622744089u, 169999999999999993u,
	169999999999999997u, 170000000000000001u,
	/* B = 18e16, q = 424264063 */
	179999995153267969u, 179999999999999981u,
	179999999999999987u, 180000000000000005u,
	/* B = 19e16, q = 435889879 */
	189999986614634641u, 189999999999999869u,
	189999999999999941u, 190000000000000003u,
	/* B = 20e16, q = 447213589 */
	199999994186260921u, 199999999999999819u,
	199999999999999949u, 200000000000000005u,
};

uint64_t workload_large_bound(unsigned group)
{
	if (group >= WORKLOAD_LARGE_GROUPS)
		return 0;
	return (uint64_t)(group + 5) * 10000000000000000u;
}

const char *workload_name(enum workload_set set)
{
	switch (set) {
	case WORKLOAD_BOOK:
		return "book";
	case WORKLOAD_LARGE:
		return "large";
	}
	return "?";
}

const char *workload_description(enum workload_set set)
{
	switch (set) {
	case WORKLOAD_BOOK:
		return "book set: the book's 20 numbers (9 primes, "
		       "5 prime squares, 6 easy composites)";
	case WORKLOAD_LARGE:
		return "large set: 64 numbers (32 primes, 16 prime squares, "
		       "16 easy composites)";
	}
	return "?";
}

size_t workload_numbers(enum workload_set set, const uint64_t **numbers)
{
	switch (set) {
	case WORKLOAD_BOOK:
		*numbers = prime_book_numbers;
		return PRIME_BOOK_COUNT;
	case WORKLOAD_LARGE:
		*numbers = workload_large_numbers;
		return WORKLOAD_LARGE_COUNT;
	}
	*numbers = NULL;
	return 0;
}

static bool has_small_factor(uint64_t n)
{
	uint64_t d;

	for (d = 2; d < WORKLOAD_EASY_FACTOR && d < n; d++)
		if (n % d == 0)
			return true;
	return false;
}

enum workload_kind workload_classify(uint64_t n)
{
	uint64_t r;

	if (n < 2)
		return WORKLOAD_TINY;
	if (has_small_factor(n))
		return WORKLOAD_EASY;	/* cheap test first: no full scan */
	if (is_prime(n))
		return WORKLOAD_PRIME;
	r = prime_isqrt(n);
	if (r * r == n && is_prime(r))
		return WORKLOAD_PRIME_SQUARE;
	return WORKLOAD_HARD;
}

void workload_shape(const uint64_t *numbers, size_t count,
		    struct workload_shape *shape)
{
	size_t *const per_kind[] = {
		[WORKLOAD_PRIME] = &shape->primes,
		[WORKLOAD_PRIME_SQUARE] = &shape->prime_squares,
		[WORKLOAD_EASY] = &shape->easy,
		[WORKLOAD_HARD] = &shape->hard,
		[WORKLOAD_TINY] = &shape->tiny,
	};
	size_t i;

	memset(shape, 0, sizeof(*shape));
	for (i = 0; i < count; i++)
		(*per_kind[workload_classify(numbers[i])])++;
}
