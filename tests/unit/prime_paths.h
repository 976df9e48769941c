/*
 * prime_paths.h: every path of the prime core against the scalar one, for
 * test_prime and fuzz_prime: the same scan state, stepped on each path
 * this CPU has, must end in the same state.
 */
#ifndef CONCDEMO_PRIME_PATHS_H
#define CONCDEMO_PRIME_PATHS_H

#include <stdbool.h>
#include <stdint.h>

#include "prime.h"

/* Whether two scans are in the same state: number, verdict, divisors
 * tried, where they stopped. */
static inline bool prime_same_state(const struct prime_scan *a,
				    const struct prime_scan *b)
{
	return a->n == b->n && a->root == b->root && a->next == b->next &&
	       a->tried == b->tried && a->spoke == b->spoke &&
	       a->done == b->done && a->prime == b->prime;
}

/* Step a copy of base budget divisors on its own path (the scalar one)
 * into *ref, and a copy on each other path this CPU has into out[path].
 * Returns the paths that ended in another state than *ref, bit p for
 * path p. */
static inline unsigned prime_paths_differ(const struct prime_scan *base,
					  uint64_t budget,
					  struct prime_scan *ref,
					  struct prime_scan out[PRIME_PATHS])
{
	unsigned bad = 0;
	int p;

	*ref = *base;
	prime_scan_step(ref, budget);
	for (p = 1; p < PRIME_PATHS; p++) {
		if (!prime_path_supported((enum prime_path)p))
			continue;
		out[p] = *base;
		out[p].path = (enum prime_path)p;
		prime_scan_step(&out[p], budget);
		if (!prime_same_state(&out[p], ref))
			bad |= 1u << p;
	}
	return bad;
}

#endif
