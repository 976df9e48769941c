/*
 * workload: the lists of numbers a sweep (or any driver) checks.
 *
 * Two named sets of the same shape as the book's primes.py NUMBERS: primes
 * and squares of primes (each a full trial division to the root) mixed
 * with easy composites (a small factor: almost free).  book: the book's
 * 20 (9 primes, 5 prime squares, 6 easy); large: 64 (32, 16, 16), built
 * by the recipe in workload.c; docs/speed.md gives their times.
 *
 * Everything here is constant data or pure: thread-safe, no allocation.
 */
#ifndef CONCDEMO_WORKLOAD_H
#define CONCDEMO_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

enum workload_set { WORKLOAD_BOOK, WORKLOAD_LARGE };

#define WORKLOAD_LARGE_GROUPS 16
#define WORKLOAD_LARGE_COUNT (4 * WORKLOAD_LARGE_GROUPS)
extern const uint64_t workload_large_numbers[WORKLOAD_LARGE_COUNT];

/* The recipe's bound of group g (0 .. WORKLOAD_LARGE_GROUPS-1): (g+5)e16;
 * 0 for a group out of range. */
uint64_t workload_large_bound(unsigned group);

/* The set's name ("book", "large"); "?" for an unknown value. */
const char *workload_name(enum workload_set set);

/* A one-line description for captions, e.g. "large set: 64 numbers
 * (32 primes, 16 prime squares, 16 easy composites)"; static storage. */
const char *workload_description(enum workload_set set);

/* Point *numbers at the set's constant table and return its length
 * (0, *numbers NULL, for an unknown set). */
size_t workload_numbers(enum workload_set set, const uint64_t **numbers);

/* What a number costs the trial-division core: a prime or the square of a
 * prime is a full scan to the root; an easy composite has a factor below
 * WORKLOAD_EASY_FACTOR; any other composite ("hard") has its smallest
 * factor above that bound but is not a prime square. */
#define WORKLOAD_EASY_FACTOR 1000
enum workload_kind {
	WORKLOAD_PRIME,
	WORKLOAD_PRIME_SQUARE,
	WORKLOAD_EASY,
	WORKLOAD_HARD,
	WORKLOAD_TINY,		/* 0 and 1: neither prime nor composite */
};

/* Classify n; runs the core on n (as slow as is_prime(n)). */
enum workload_kind workload_classify(uint64_t n);

/* Counts per kind over a list (as slow as checking the list). */
struct workload_shape {
	size_t primes;
	size_t prime_squares;
	size_t easy;
	size_t hard;
	size_t tiny;
};
void workload_shape(const uint64_t *numbers, size_t count,
		    struct workload_shape *shape);

#endif
