/*
 * bench_pool: the pools against the sequential core, and their cost per
 * job.  Prints "key value" lines for bench/run.sh:
 *   seq_s          the book's 20 numbers, one after the other (best of 5)
 *   procs2_s       the same through 2 worker processes, --order=priority
 *   threads2_s     the same through 2 worker threads, --order=priority
 *   procs2_fifo_s  2 processes in the book's order (FIFO), for comparison
 *   tiny_threads_us  microseconds per job, 100,000 tiny jobs, 2 threads
 *   tiny_procs_us    the same with 2 processes
 *   gil_seq_s      the book's numbers sequentially, best of GIL_REPS,
 *                  interleaved with the two rows below (same conditions)
 *   gil1_s         --threads=1 --gil: one thread under the emulated GIL
 *   gil2_s         --threads=2 --gil: two threads taking turns
 * A tiny job is a number below 1000: its check is a few divisors, so the
 * time is the pool's (queue put and get both ways, the wake-ups).
 *
 * bench_pool tiny threads|procs: one run of the tiny jobs through that
 * pool only: tiny_jobs (their number) and its tiny_*_us line; bench/run.sh
 * counts its futex calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gil.h"
#include "pool.h"
#include "prime.h"

#define TINY 100000
#define REPS 5
#define GIL_REPS 7

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_result(const struct pool_result *r, void *arg)
{
	(void)r;
	++*(size_t *)arg;
	return 0;
}

/* One pool run: its seconds (exits on failure). */
static double time_pool(enum pool_kind k, unsigned n, enum pool_order o,
			const uint64_t *v, size_t len, struct gil *gil)
{
	struct pool_config c = { 0 };
	size_t got = 0;
	double t = now();

	c.kind = k;
	c.workers = n;
	c.order = o;
	c.numbers = v;
	c.count = len;
	c.on_result = count_result;
	c.arg = &got;
	c.gil = gil;
	if (pool_run(&c, NULL) != 0 || got != len) {
		fprintf(stderr, "bench_pool: pool_run failed\n");
		exit(1);
	}
	return now() - t;
}

static double best_pool(enum pool_kind k, unsigned n, enum pool_order o,
			const uint64_t *v, size_t len)
{
	double best = 1e9;
	int rep;

	for (rep = 0; rep < REPS; rep++) {
		double t = time_pool(k, n, o, v, len, NULL);

		if (t < best)
			best = t;
	}
	return best;
}

static double time_seq(void)
{
	double t = now();
	unsigned found = 0;
	int i;

	for (i = 0; i < PRIME_BOOK_COUNT; i++)
		found += is_prime(prime_book_numbers[i]);
	if (found != 9)
		fprintf(stderr, "bench_pool: wrong verdicts\n");
	return now() - t;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

/* The sequential pass and the GIL pools in turn, so that a load that
 * comes and goes on a shared machine weighs on all three alike. */
static void gil_rows(void)
{
	double seq = 1e9, one = 1e9, two = 1e9;
	struct gil g;
	int rep;

	if (gil_init(&g, GIL_DEFAULT_INTERVAL_US) != 0) {
		fprintf(stderr, "bench_pool: gil_init failed\n");
		exit(1);
	}
	for (rep = 0; rep < GIL_REPS; rep++) {
		seq = min2(seq, time_seq());
		one = min2(one, time_pool(POOL_THREADS, 1, POOL_FIFO,
					  prime_book_numbers,
					  PRIME_BOOK_COUNT, &g));
		two = min2(two, time_pool(POOL_THREADS, 2, POOL_FIFO,
					  prime_book_numbers,
					  PRIME_BOOK_COUNT, &g));
	}
	gil_destroy(&g);
	printf("gil_seq_s %.4f\ngil1_s %.4f\ngil2_s %.4f\n", seq, one, two);
}

static double best_seq(void)
{
	double best = 1e9;
	unsigned found = 0;
	int rep, i;

	for (rep = 0; rep < REPS; rep++) {
		double t = now();

		for (i = 0; i < PRIME_BOOK_COUNT; i++)
			found += is_prime(prime_book_numbers[i]);
		t = now() - t;
		if (t < best)
			best = t;
	}
	if (found != 9 * REPS)
		fprintf(stderr, "bench_pool: wrong verdicts\n");
	return best;
}

int main(int argc, char **argv)
{
	static uint64_t tiny[TINY];
	const uint64_t *book = prime_book_numbers;
	size_t i;

	for (i = 0; i < TINY; i++)
		tiny[i] = i % 1000;
	if (argc == 3 && strcmp(argv[1], "tiny") == 0) {
		bool procs = strcmp(argv[2], "procs") == 0;

		if (!procs && strcmp(argv[2], "threads") != 0)
			goto usage;
		printf("tiny_jobs %d\ntiny_%s_us %.3f\n", TINY, argv[2],
		       time_pool(procs ? POOL_PROCS : POOL_THREADS, 2,
				 POOL_FIFO, tiny, TINY, NULL) / TINY * 1e6);
		return 0;
	}
	if (argc != 1)
		goto usage;
	printf("seq_s %.3f\n", best_seq());
	printf("procs2_s %.3f\n", best_pool(POOL_PROCS, 2, POOL_PRIORITY,
					    book, PRIME_BOOK_COUNT));
	printf("threads2_s %.3f\n", best_pool(POOL_THREADS, 2, POOL_PRIORITY,
					      book, PRIME_BOOK_COUNT));
	printf("procs2_fifo_s %.3f\n", best_pool(POOL_PROCS, 2, POOL_FIFO,
						 book, PRIME_BOOK_COUNT));
	printf("tiny_threads_us %.3f\n", best_pool(POOL_THREADS, 2, POOL_FIFO,
						   tiny, TINY) / TINY * 1e6);
	printf("tiny_procs_us %.3f\n", best_pool(POOL_PROCS, 2, POOL_FIFO,
						 tiny, TINY) / TINY * 1e6);
	gil_rows();
	return 0;
usage:
	fprintf(stderr, "usage: bench_pool [tiny threads|procs]\n");
	return 2;
}
