/*
 * sweep: the run of a sweep (the book's run_procs.sh): the sequential
 * baseline, then the pool with 1, 2, ..., N workers, K runs each, every
 * finished run's elapsed time recorded into a chart (chart.h); and the
 * estimate of the time the rest will take.
 *
 * Prints nothing: before each run it reports where it is through the
 * caller's callback, which draws the progress.  One thread runs a sweep
 * and owns its chart while it runs.
 */
#ifndef CONCDEMO_SWEEP_H
#define CONCDEMO_SWEEP_H

#include "chart.h"
#include "pool.h"

struct sweep_progress {
	unsigned workers;	/* 0: the sequential baseline */
	unsigned run;		/* 1..K */
	double left;		/* seconds left, this run included; < 0: no
				 * estimate yet (sweep_time_left) */
};

struct sweep_config {
	/* Every run's pool: kind, order, numbers, count, stop, max_deaths,
	 * gil and path.  sweep_run sets workers, on_result, on_event and
	 * arg itself. */
	struct pool_config pool;
	/* Called before each run; may be NULL. */
	void (*on_progress)(const struct sweep_progress *p, void *arg);
	void *arg;
};

/* Run the sweep of s's shape (rows 0..s->max_workers, s->runs each, s
 * empty) and record each finished run's seconds in s.  Returns 0 (every
 * run recorded); -EINTR (*pool.stop was set: s keeps the runs finished);
 * or the failed run's pool error (pool.h), with its worker count in
 * *workers and its statistics in *st (either may be NULL). */
int sweep_run(const struct sweep_config *cfg, struct chart_sweep *s,
	      unsigned *workers, struct pool_stats *st);

/* Seconds left from row w on, its next run included: each run still to
 * do priced at its row's mean so far, else at T1 (else Tseq) over
 * min(w, s->cpus) (unknown CPUs count as 1).  Returns -1 while the
 * baseline holds no time (nothing to price by).  Pure. */
double sweep_time_left(const struct chart_sweep *s, unsigned w);

#endif
