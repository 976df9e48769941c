/*
 * sweep: the sweep's run and its time-left estimate (sweep.h).
 *
 * The book runs procs.py 13 times per N from a shell script and takes
 * the medians in a notebook; here one process runs every pool in turn.
 */
#include <errno.h>
#include <stddef.h>

#include "plat.h"
#include "sweep.h"

double sweep_time_left(const struct chart_sweep *s, unsigned w)
{
	double base, left = 0;
	unsigned cpus = s->cpus ? s->cpus : 1;

	if (chart_row_runs(s, 0) == 0)
		return -1;
	base = chart_row_mean(s, 1);
	if (!(base > 0))	/* none yet (or NaN) */
		base = chart_row_mean(s, 0);
	for (; w <= s->max_workers; w++) {
		double t = chart_row_mean(s, w);
		unsigned par = w == 0 ? 1 : w < cpus ? w : cpus;

		if (t <= 0)
			t = base / par;
		left += t * (s->runs - chart_row_runs(s, w));
	}
	return left;
}

/* A sweep times the runs; their results are not kept. */
static int ignore_result(const struct pool_result *r, void *arg)
{
	(void)r;
	(void)arg;
	return 0;
}

/* One run with w workers (0: sequential.py), its time recorded. */
static int run_once(const struct sweep_config *cfg, struct chart_sweep *s,
		    unsigned w, struct pool_stats *st)
{
	struct pool_config pc = cfg->pool;
	double t0;
	int rc;

	pc.workers = w;
	pc.on_result = ignore_result;
	pc.on_event = NULL;
	pc.arg = NULL;
	t0 = plat_now();
	rc = w == 0 ? pool_run_sequential(&pc, st) : pool_run(&pc, st);
	if (rc == -EINTR || (pc.stop != NULL && *pc.stop))
		return -EINTR;
	if (rc == 0)
		chart_sweep_add(s, w, plat_now() - t0);
	return rc;
}

int sweep_run(const struct sweep_config *cfg, struct chart_sweep *s,
	      unsigned *workers, struct pool_stats *st)
{
	struct pool_stats local;
	unsigned w, k;
	int rc;

	if (st == NULL)
		st = &local;
	/* w == 0: the sequential pass (sequential.py), then the pools. */
	for (w = 0; w <= s->max_workers; w++) {
		for (k = 1; k <= s->runs; k++) {
			struct sweep_progress p = { w, k, 0 };

			if (cfg->on_progress != NULL) {
				p.left = sweep_time_left(s, w);
				cfg->on_progress(&p, cfg->arg);
			}
			rc = run_once(cfg, s, w, st);
			if (rc != 0) {
				if (workers != NULL)
					*workers = w;
				return rc;
			}
		}
	}
	return 0;
}
