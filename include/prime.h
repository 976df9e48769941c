/*
 * prime: the one trial-division core every driver uses.
 *
 * The book's is_prime(n) divides by every odd d up to isqrt(n).  This core
 * gives the same verdicts but skips divisors that are multiples of 2, 3 or 5
 * (a mod-30 wheel: 8 divisors tried per 30 integers instead of 15), because
 * the experiment is about how drivers share a CPU-bound job, and the job
 * should be as fast as trial division can be.  It is still trial division:
 * the cost grows with sqrt(n), which is what makes the book's numbers slow.
 *
 * All functions are pure or act only on the caller's struct: thread-safe and
 * async-signal-safe, no allocation.
 */
#ifndef CONCDEMO_PRIME_H
#define CONCDEMO_PRIME_H

#include <stdbool.h>
#include <stdint.h>

/* The book's 20 numbers (primes.py NUMBERS), in the book's order. */
#define PRIME_BOOK_COUNT 20
extern const uint64_t prime_book_numbers[PRIME_BOOK_COUNT];

/* Exact floor(sqrt(n)) for every uint64_t, in integers (no libm, no double
 * rounding: 4444444488888889 = 66666667^2 must give 66666667, not one less). */
uint64_t prime_isqrt(uint64_t n);

/* The book's is_prime: false below 2, true for 2, then trial division. */
bool is_prime(uint64_t n);

/*
 * A resumable scan, so a driver can check a slice of divisors and then yield
 * (the coroutine "nap", the GIL emulation).  The caller owns the struct.
 *
 *   struct prime_scan s;
 *   prime_scan_start(&s, n);
 *   while (!prime_scan_step(&s, 50000))
 *       yield();
 *   verdict = s.prime;
 */
struct prime_scan {
	uint64_t n;		/* the number under test */
	uint64_t root;		/* prime_isqrt(n): last divisor worth trying */
	uint64_t next;		/* next divisor to try */
	uint64_t tried;		/* divisors tried so far (the work done) */
	unsigned spoke;		/* position of next on the mod-30 wheel */
	bool done;		/* verdict reached */
	bool prime;		/* the verdict, valid once done */
};

/* Prepare a scan of n; cheap cases (n < 2, even, multiples of 3 and 5,
 * n < 49) are decided here, so done may already be true. */
void prime_scan_start(struct prime_scan *s, uint64_t n);

/* Try at most budget more divisors (budget 0 means no limit).  Returns true
 * once the verdict is reached (then s->prime holds it), false if the budget
 * ran out first.  Calling it again after done returns true at once. */
bool prime_scan_step(struct prime_scan *s, uint64_t budget);

/* Number of divisors a full scan of n tries: the work is_prime(n) does. */
uint64_t prime_cost(uint64_t n);

#endif
