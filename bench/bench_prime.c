/*
 * bench_prime: how fast the trial-division core runs against this CPU's
 * own dividers.  Prints "key value" lines for bench/run.sh:
 *   div64_ns     one 64-bit integer division (DIV), independent ones
 *                overlapped: the throughput, not the latency
 *   fdiv_ns      one double-precision division, same conditions
 *   scan_ns      one divisor tried by prime_scan_step on big primes
 *   divisors     divisors tried for the book's 20 numbers
 *   book_s       seconds for the book's 20 numbers (best of 3)
 */
#include <stdio.h>
#include <time.h>

#include "prime.h"

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
	printf("divisors %llu\nbook_s %.3f\n", (unsigned long long)divisors,
	       book);
	return 0;
}
