/*
 * bench_prime: how fast the trial-division core runs against this CPU's
 * own dividers.  Prints "key value" lines for bench/run.sh:
 *   div64_ns     one 64-bit integer division (DIV), independent ones
 *                overlapped: the throughput, not the latency
 *   fdiv_ns      one double-precision division, same conditions
 *   scan_ns      one divisor tried by prime_scan_step on big primes
 *   divisors     divisors tried for the book's 20 numbers
 *   book_s       seconds for the book's 20 numbers (best of 3)
 *   py_divisors  divisors the book's is_prime tries on them (every odd
 *                d from 3: CPython's ns per divisor is its time over this)
 * and for each vector path this CPU has (prime.h, --simd), PATH one of
 * sse2, avx2, avx512, neon (scalar: the figures above):
 *   paths            the paths measured, best first
 *   scan_ns_PATH     as scan_ns, on that path
 *   book_s_PATH      as book_s, on that path
 * and lanes times cores, on the large set (workload.h: 64 numbers, 48 of
 * them full scans, enough work to time at these speeds), best path, jobs
 * largest first (priority: two workers finish together):
 *   large_seq_s      one pass, one after the other (best of 3)
 *   large_procs2_s   the same through 2 worker processes (best of 3)
 */
#include <stdio.h>
#include <time.h>

#include "pool.h"
#include "prime.h"
#include "workload.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* volatile inputs so the compiler cannot fold the loops away */
static volatile uint64_t vn = 9999999999999917u;
static volatile double vnd = 9999999999999917.0;
static volatile uint64_t sink;

#define REPS 50000000u

static double div64_ns(void)
{
	uint64_t n = vn, acc = 0, d;
	double t = now();

	for (d = 100000007u; d < 100000007u + REPS; d++)
		acc += n % d == 0;
	sink = acc;
	return (now() - t) / REPS * 1e9;
}

static double fdiv_ns(void)
{
	double nd = vnd, acc = 0, dd = 100000007.0;
	uint64_t i;
	double t = now();

	for (i = 0; i < REPS; i++, dd += 1.0)
		acc += nd / dd;
	sink = (uint64_t)acc;
	return (now() - t) / REPS * 1e9;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

/* The divisors the book's is_prime(n) tries: every odd i from 3 up to
 * the smallest factor, or to isqrt(n) for a prime.  The smallest factor
 * is found from where our scan stopped: the start of the wheel turn that
 * holds it (or the divisor itself, for a partial turn). */
static uint64_t book_divisors(uint64_t n)
{
	struct prime_scan s;
	uint64_t f;

	if (n < 3 || n % 2 == 0)
		return 0;
	prime_scan_start(&s, n);
	prime_scan_step(&s, 0);
	if (s.prime)
		return s.root >= 3 ? (s.root - 3) / 2 + 1 : 0;
	if (n % 3 == 0)
		return 1;
	if (n % 5 == 0)
		return 2;
	for (f = s.next; n % f != 0; f += 2)
		;
	return (f - 3) / 2 + 1;
}

/* Seconds for a full scan of each of v[0..count-1] on path; *tried: the
 * divisors tried. */
static double scan_all(const uint64_t *v, size_t count, enum prime_path path,
		       uint64_t *tried)
{
	double t = now();
	size_t i;

	*tried = 0;
	for (i = 0; i < count; i++) {
		struct prime_scan s;

		prime_scan_start(&s, v[i]);
		s.path = path;
		prime_scan_step(&s, 0);
		*tried += s.tried;
	}
	return now() - t;
}

static int ignore(const struct pool_result *r, void *arg)
{
	(void)r;
	(void)arg;
	return 0;
}

/* One pass of the large set through 2 worker processes on path. */
static double procs2(const uint64_t *v, size_t count, enum prime_path path)
{
	struct pool_config c = {
		.kind = POOL_PROCS, .workers = 2, .order = POOL_PRIORITY,
		.numbers = v, .count = count, .on_result = ignore, .path = path,
	};
	struct pool_stats st;
	double t = now();

	if (pool_run(&c, &st) != 0)
		return -1;
	return now() - t;
}

static void vector_paths(void)
{
	static const uint64_t big[] = { 9999999999999917u, 7777777777777753u,
					4444444444444423u };
	static const enum prime_path order[] = { PRIME_AVX512, PRIME_AVX2,
						 PRIME_NEON, PRIME_SSE2 };
	enum prime_path best_path = prime_path_best();
	const uint64_t *large;
	size_t nlarge = workload_numbers(WORKLOAD_LARGE, &large);
	double seq = 1e9, par = 1e9;
	unsigned i;
	int rep;

	printf("paths");
	for (i = 0; i < 4; i++)
		if (prime_path_supported(order[i]))
			printf(" %s", prime_path_name(order[i]));
	printf("\n");
	for (i = 0; i < 4; i++) {
		double scan = 1e9, book = 1e9;
		uint64_t tried;

		if (!prime_path_supported(order[i]))
			continue;
		for (rep = 0; rep < 3; rep++) {
			double t = scan_all(big, 3, order[i], &tried);

			scan = best(scan, t / (double)tried * 1e9);
			book = best(book, scan_all(prime_book_numbers,
						   PRIME_BOOK_COUNT, order[i],
						   &tried));
		}
		printf("scan_ns_%s %.3f\nbook_s_%s %.4f\n",
		       prime_path_name(order[i]), scan,
		       prime_path_name(order[i]), book);
	}
	for (rep = 0; rep < 3; rep++) {
		uint64_t tried;
		double t = procs2(large, nlarge, best_path);

		seq = best(seq, scan_all(large, nlarge, best_path, &tried));
		if (t > 0)
			par = best(par, t);
	}
	printf("large_path %s\nlarge_seq_s %.3f\nlarge_procs2_s %.3f\n",
	       prime_path_name(best_path), seq, par);
}

int main(void)
{
	static const uint64_t big[] = { 9999999999999917u, 7777777777777753u,
					4444444444444423u };
	double scan = 1e9, book = 1e9, dv = 1e9, fd = 1e9;
	uint64_t divisors = 0;
	int rep;
	unsigned i;

	for (rep = 0; rep < 3; rep++) {
		uint64_t tried = 0;
		double t;

		dv = best(dv, div64_ns());
		fd = best(fd, fdiv_ns());
		t = now();
		for (i = 0; i < 3; i++) {
			struct prime_scan s;

			prime_scan_start(&s, big[i]);
			prime_scan_step(&s, 0);
			tried += s.tried;
		}
		scan = best(scan, (now() - t) / (double)tried * 1e9);
		t = now();
		divisors = 0;
		for (i = 0; i < PRIME_BOOK_COUNT; i++) {
			struct prime_scan s;

			prime_scan_start(&s, prime_book_numbers[i]);
			prime_scan_step(&s, 0);
			divisors += s.tried;
		}
		book = best(book, now() - t);
	}
	printf("div64_ns %.3f\nfdiv_ns %.3f\nscan_ns %.3f\n", dv, fd, scan);
	printf("divisors %llu\nbook_s %.4f\n", (unsigned long long)divisors,
	       book);
	divisors = 0;
	for (i = 0; i < PRIME_BOOK_COUNT; i++)
		divisors += book_divisors(prime_book_numbers[i]);
	printf("py_divisors %llu\n", (unsigned long long)divisors);
	fflush(stdout);		/* before pool_run forks */
	vector_paths();
	return 0;
}
