/*
 * mr.h: an independent primality check for the unit tests (header-only):
 * a deterministic Miller-Rabin for every uint64_t, written here so the
 * trial-division core can be checked against something it shares no code
 * with.  Slow and simple on purpose: no 128-bit type (pedantic C11).
 */
#ifndef CONCDEMO_TEST_MR_H
#define CONCDEMO_TEST_MR_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	/* Double-and-add, so no 128-bit type is needed (pedantic C11). */
	uint64_t r = 0;

	a %= m;
	while (b) {
		if (b & 1)
			r = (r >= m - a) ? r - (m - a) : r + a;
		a = (a >= m - a) ? a - (m - a) : a + a;
		b >>= 1;
	}
	return r;
}

static inline uint64_t powmod(uint64_t a, uint64_t e, uint64_t m)
{
	uint64_t r = 1 % m;

	a %= m;
	while (e) {
		if (e & 1)
			r = mulmod(r, a, m);
		a = mulmod(a, a, m);
		e >>= 1;
	}
	return r;
}

static inline bool mr_prime(uint64_t n)
{
	/* These 12 bases are a proven deterministic set below 3.3e24. */
	static const uint64_t bases[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23,
					  29, 31, 37 };
	uint64_t d = n - 1;
	unsigned s = 0, i, r;

	if (n < 2)
		return false;
	for (i = 0; i < 12; i++)
		if (n % bases[i] == 0)
			return n == bases[i];
	while ((d & 1) == 0) {
		d >>= 1;
		s++;
	}
	for (i = 0; i < 12; i++) {
		uint64_t x = powmod(bases[i], d, n);

		if (x == 1 || x == n - 1)
			continue;
		for (r = 1; r < s; r++) {
			x = mulmod(x, x, n);
			if (x == n - 1)
				break;
		}
		if (r == s)
			return false;
	}
	return true;
}

#endif
