/*
 * prime: integer square root, the mod-30 wheel and the resumable scan.
 *
 * Invariant of a running scan: every divisor below s->next that is coprime
 * to 30 has been tried and does not divide n; s->next <= s->root + 30.
 * Departures from the book: Python tries every odd d; we try only d coprime
 * to 30 (7, 11, 13, 17, 19, 23, 29, 31, 37, ...), same verdicts, fewer
 * steps; and the remainder is found with the floating-point divider (see
 * divides_fp), which is twice as fast as the integer one on x86-64.
 */
#include "prime.h"

const uint64_t prime_book_numbers[PRIME_BOOK_COUNT] = {
	2, 142702110479723, 299593572317531, 3333333333333301,
	3333333333333333, 3333335652092209, 4444444444444423,
	4444444444444444, 4444444488888889, 5555553133149889,
	5555555555555503, 5555555555555555, 6666666666666666,
	6666666666666719, 6666667141414921, 7777777536340681,
	7777777777777753, 7777777777777777, 9999999999999917,
	9999999999999999,
};

/* Gaps between successive wheel divisors, starting at 7 (spoke 0). */
static const unsigned char gap[8] = { 4, 2, 4, 2, 4, 6, 2, 6 };

uint64_t prime_isqrt(uint64_t n)
{
	/* Digit-by-digit binary method: exact, no floating point. */
	uint64_t root = 0;
	uint64_t bit = (uint64_t)1 << 62;

	while (bit > n)
		bit >>= 2;
	while (bit != 0) {
		if (n >= root + bit) {
			n -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}

static void decide(struct prime_scan *s, bool verdict)
{
	s->done = true;
	s->prime = verdict;
}

void prime_scan_start(struct prime_scan *s, uint64_t n)
{
	s->n = n;
	s->root = prime_isqrt(n);
	s->next = 7;
	s->tried = 0;
	s->spoke = 0;
	s->done = false;
	s->prime = false;
	if (n < 2)
		decide(s, false);
	else if (n == 2 || n == 3 || n == 5)
		decide(s, true);
	else if (n % 2 == 0 || n % 3 == 0 || n % 5 == 0)
		decide(s, false);
	else if (s->root < 7)
		decide(s, true);	/* 7 .. 48, coprime to 30: prime */
}

/* The offsets of the 8 divisors of one wheel turn from d = 30k + 7. */
#define TURN(test, d)							\
	(test(d) | test((d) + 4) | test((d) + 6) | test((d) + 10) |	\
	 test((d) + 12) | test((d) + 16) | test((d) + 22) | test((d) + 24))

/*
 * Divisibility without the integer divider.  x86-64's 64-bit DIV is slow
 * (about 7 cycles each, even overlapped), its double-precision divider is
 * about twice as fast.  q = n / d in doubles is within 1 of the true
 * quotient while n / d < 2^50 (rounding of n and of the division adds a
 * relative error of 2^-52 at most), so r = n - q*d, computed exactly modulo
 * 2^64, is the true remainder rem, rem + d or rem - d, and d divides n
 * exactly when r is 0, d or -d.  Same verdicts as n % d == 0.
 */
static inline int divides_fp(uint64_t n, double nd, uint64_t d)
{
	uint64_t q = (uint64_t)(int64_t)(nd / (double)(int64_t)d);
	uint64_t r = n - q * d;

	return (r == 0) | (r == d) | (r + d == 0);
}

/*
 * Whole wheel turns (8 divisors each, d = 30k + 7 .. 30k + 31), at most
 * max_turns.  Returns the number of turns completed; *found is set when a
 * divisor of n lies in the turn after those.
 */
static uint64_t whole_turns(uint64_t n, uint64_t d, uint64_t max_turns,
			    bool *found)
{
	const uint64_t fp_from = (n >> 50) + 1;	/* quotients below 2^50 */
	const double nd = (double)n;
	uint64_t turns = 0;

#define INT_TEST(x) (n % (x) == 0)
#define FP_TEST(x) divides_fp(n, nd, (x))
	*found = true;
	for (; turns < max_turns && d < fp_from; turns++, d += 30)
		if (TURN(INT_TEST, d))
			return turns;
	for (; turns < max_turns; turns++, d += 30)
		if (TURN(FP_TEST, d))
			return turns;
#undef INT_TEST
#undef FP_TEST
	*found = false;
	return turns;
}

bool prime_scan_step(struct prime_scan *s, uint64_t budget)
{
	uint64_t left = budget ? budget : UINT64_MAX;

	if (s->done)
		return true;
	/* Fast path: whole turns while at spoke 0 and the turn ends <= root. */
	if (s->spoke == 0 && s->next + 24 <= s->root && left >= 8) {
		uint64_t fit = (s->root - 24 - s->next) / 30 + 1;
		uint64_t turns = left / 8 < fit ? left / 8 : fit;
		bool found;

		turns = whole_turns(s->n, s->next, turns, &found);
		s->next += 30 * turns;
		s->tried += 8 * turns;
		left -= 8 * turns;
		if (found) {
			/* The divisor is somewhere in this turn: n is composite,
			 * count the turn as tried. */
			s->tried += 8;
			decide(s, false);
			return true;
		}
	}
	/* Slow path: one divisor at a time (partial turns, the last turn). */
	while (left > 0 && s->next <= s->root) {
		s->tried++;
		left--;
		if (s->n % s->next == 0) {
			decide(s, false);
			return true;
		}
		s->next += gap[s->spoke];
		s->spoke = (s->spoke + 1) & 7;
		if (s->spoke == 0 && left >= 8 && s->next + 24 <= s->root)
			return prime_scan_step(s, budget ? left : 0);
	}
	if (s->next > s->root)
		decide(s, true);
	return s->done;
}

bool is_prime(uint64_t n)
{
	struct prime_scan s;

	prime_scan_start(&s, n);
	return prime_scan_step(&s, 0) && s.prime;
}

uint64_t prime_cost(uint64_t n)
{
	struct prime_scan s;

	prime_scan_start(&s, n);
	prime_scan_step(&s, 0);
	return s.tried;
}
