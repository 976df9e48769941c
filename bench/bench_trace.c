/*
 * bench_trace: what --trace costs.  Prints "key value" lines for
 * bench/run.sh:
 *   now_ns          ns per trace_now() (the clock read behind a record)
 *   record_ns       ns per record: trace_now() and trace_span()
 *   procs2_s        the book's 20 numbers, 2 worker processes, untraced
 *   procs2_trace_s  the same, traced
 *   gil2_s          --threads=2 --gil, untraced
 *   gil2_trace_s    the same, traced
 * Each pair runs interleaved, best of REPS each, so the machine's drift
 * hits both alike (a GIL run varies by about 10 % from one to the next;
 * the minimum settles after a dozen).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gil.h"
#include "plat.h"
#include "pool.h"
#include "prime.h"
#include "trace.h"

#define REPS 15
#define RECORDS 2000000u
#define LANE_CAP 65536u

/* Where the clock reads go, so the compiler keeps them. */
volatile int64_t bench_sink;

static int count_result(const struct pool_result *r, void *arg)
{
	(void)r;
	(*(size_t *)arg)++;
	return 0;
}

/* One run of the book's numbers; traced into a fresh trace if trace. */
static double run_book(enum pool_kind k, struct gil *g, bool trace)
{
	struct trace *tr = NULL;
	size_t got = 0;
	struct pool_config c = {
		.kind = k, .workers = 2, .gil = g,
		.numbers = prime_book_numbers, .count = PRIME_BOOK_COUNT,
		.on_result = count_result, .arg = &got,
	};
	double t0;

	if (trace) {
		tr = trace_create(3, 0, k == POOL_PROCS);
		if (tr == NULL) {
			fprintf(stderr, "bench_trace: trace_create failed\n");
			exit(1);
		}
		c.trace = tr;
	}
	/* Timed as --trace's user waits: the run and the records, not the
	 * JSON written after it. */
	t0 = plat_now();
	if (pool_run(&c, NULL) != 0 || got != PRIME_BOOK_COUNT) {
		fprintf(stderr, "bench_trace: pool_run failed\n");
		exit(1);
	}
	t0 = plat_now() - t0;
	trace_free(tr);
	return t0;
}

static void pair(const char *name, enum pool_kind k, struct gil *g)
{
	double plain = 1e9, traced = 1e9, t;
	int i;

	for (i = 0; i < REPS; i++) {
		t = run_book(k, g, false);
		plain = t < plain ? t : plain;
		t = run_book(k, g, true);
		traced = t < traced ? t : traced;
	}
	printf("%s_s %.4f\n%s_trace_s %.4f\n", name, plain, name, traced);
}

static void record_cost(void)
{
	struct trace *tr = trace_create(1, LANE_CAP, false);
	struct trace_lane *l;
	double t0, t1, t2;
	unsigned i;

	if (tr == NULL) {
		fprintf(stderr, "bench_trace: trace_create failed\n");
		exit(1);
	}
	l = &tr->lane[0];
	t0 = plat_now();
	for (i = 0; i < RECORDS; i++)
		bench_sink = trace_now();
	t1 = plat_now();
	for (i = 0; i < RECORDS; i++) {
		int64_t t = trace_now();

		if (l->count == LANE_CAP)
			l->count = 0;	/* keep writing, never dropping */
		trace_span(l, TRACE_JOB, t, t, i, i, 0);
	}
	t2 = plat_now();
	printf("now_ns %.1f\nrecord_ns %.1f\n", (t1 - t0) / RECORDS * 1e9,
	       (t2 - t1) / RECORDS * 1e9);
	trace_free(tr);
}

int main(void)
{
	struct gil g;

	record_cost();
	pair("procs2", POOL_PROCS, NULL);
	if (gil_init(&g, GIL_DEFAULT_INTERVAL_US) != 0) {
		fprintf(stderr, "bench_trace: gil_init failed\n");
		return 1;
	}
	pair("gil2", POOL_THREADS, &g);
	gil_destroy(&g);
	return 0;
}
