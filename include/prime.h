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
 * Vector paths (--simd): the same divisors, the same verdicts and the same
 * count of divisors tried, but the divisors of a wheel turn are tested 2, 4
 * or 8 at a time in the CPU's vector lanes (AVX-512, AVX2, SSE2 on x86-64,
 * NEON on AArch64).  A scan uses the scalar loop unless its caller picks a
 * path; the CPU is asked once (cpuid, xgetbv) what it and the OS support.
 * docs/simd.md says why each lane's answer is exact.
 *
 * All functions are pure or act only on the caller's struct (the paths'
 * detection caches one word, atomically): thread-safe and
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

/* The ways to run the scan's whole wheel turns.  PRIME_SCALAR (0) is the
 * default: one divisor at a time, as the book's loop. */
enum prime_path {
	PRIME_SCALAR,		/* one divisor at a time */
	PRIME_SSE2,		/* x86-64: 2 doubles per vector */
	PRIME_AVX2,		/* x86-64 with AVX2 and FMA: 4 */
	PRIME_AVX512,		/* x86-64 with AVX-512F: 8 */
	PRIME_NEON,		/* AArch64 Advanced SIMD: 2 */
};
#define PRIME_PATHS 5

/* Whether this CPU (and its OS, which must save the vector registers)
 * can run path: scalar always; a path built for another architecture
 * never.  The first call asks the CPU; later calls read the answer. */
bool prime_path_supported(enum prime_path path);

/* The fastest path this CPU has: what --simd=auto picks. */
enum prime_path prime_path_best(void);

/* "scalar", "sse2", "avx2", "avx512", "neon"; "?" for an unknown value. */
const char *prime_path_name(enum prime_path path);

/* Divisors tested by one vector instruction: 1, 2, 4 or 8 (0 if unknown). */
unsigned prime_path_lanes(enum prime_path path);

/* A path's name (as prime_path_name) or "auto" (prime_path_best()) into
 * *path.  Returns 0; -EINVAL for an unknown name (*path unchanged);
 * -ENOTSUP when this CPU lacks the path (*path set to it all the same). */
int prime_path_parse(const char *name, enum prime_path *path);

/*
 * A resumable scan, so a driver can check a slice of divisors and then yield
 * (the coroutine "nap", the GIL emulation).  The caller owns the struct.
 *
 *   struct prime_scan s;
 *   prime_scan_start(&s, n);
 *   while (!prime_scan_step(&s, 50000))
 *       yield();
 *   verdict = s.prime;
 *
 * or, with a hook between slices, prime_scan_run(&s, PRIME_SLICE, hook, arg).
 */
struct prime_scan {
	uint64_t n;		/* the number under test */
	uint64_t root;		/* prime_isqrt(n): last divisor worth trying */
	uint64_t next;		/* next divisor to try */
	uint64_t tried;		/* divisors tried so far (the work done) */
	unsigned spoke;		/* position of next on the mod-30 wheel */
	bool done;		/* verdict reached */
	bool prime;		/* the verdict, valid once done */
	/* How whole wheel turns are tried: PRIME_SCALAR after start; the
	 * caller may set any path before or between steps (the state above
	 * does not depend on it).  A path the CPU lacks runs as scalar. */
	enum prime_path path;
};

/* Prepare a scan of n (path PRIME_SCALAR); cheap cases (n < 2, even, multiples of 3 and 5,
 * n < 49) are decided here, so done may already be true. */
void prime_scan_start(struct prime_scan *s, uint64_t n);

/* Try at most budget more divisors (budget 0 means no limit).  Returns true
 * once the verdict is reached (then s->prime holds it), false if the budget
 * ran out first.  Calling it again after done returns true at once. */
bool prime_scan_step(struct prime_scan *s, uint64_t budget);

/* Divisors per slice between two looks at a stop flag: short enough that
 * Ctrl-C stops a long check at once (docs/speed.md gives the time). */
#define PRIME_SLICE 1000000u

/* Run s to its verdict in slices of slice divisors (0: one slice, no
 * limit), calling between(arg) after each slice that did not reach it;
 * between returning true stops the scan there (it may be resumed).  The
 * hook is where a driver looks at its stop flag, or lets a lock go.
 * Returns true once the verdict is reached (in s->prime), false if
 * between stopped it. */
bool prime_scan_run(struct prime_scan *s, uint64_t slice,
		    bool (*between)(void *arg), void *arg);

/* Number of divisors a full scan of n tries: the work is_prime(n) does. */
uint64_t prime_cost(uint64_t n);

#endif
