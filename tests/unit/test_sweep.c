/* Unit tests for sweep: the time-left estimate on hand-made charts, and
 * small runs (threads, a few small numbers): every row filled in order,
 * the progress reported before each run, a stop flag honoured. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>

#include "sweep.h"
#include "tap.h"

static const uint64_t numbers[] = { 2, 12, 13, 1000003, 999983 };

static void test_time_left(void)
{
	struct chart_sweep s;

	chart_sweep_init(&s, 4, 2);
	s.cpus = 2;
	ok(sweep_time_left(&s, 0) == -1, "no baseline time: no estimate");
	chart_sweep_add(&s, 0, 3.0);
	/* Tseq 3 prices the rest: seq 1 x 3, then 2 runs each of 3/1,
	 * 3/2, 3/2, 3/2 (two CPUs). */
	ok(sweep_time_left(&s, 0) == 3 + 2 * (3 + 1.5 + 1.5 + 1.5),
	   "baseline only: Tseq over min(w, CPUs) for the rows to come");
	chart_sweep_add(&s, 0, 5.0);
	chart_sweep_add(&s, 1, 2.0);
	/* T1 2 now prices rows 2..4 (1 each); row 1 at its mean, 1 left. */
	ok(sweep_time_left(&s, 1) == 2 + 2 * (1 + 1 + 1),
	   "a row at its mean, the rows to come at T1 over min(w, CPUs)");
	ok(sweep_time_left(&s, 3) == 2 * (1 + 1),
	   "from row w on only");
	s.cpus = 0;
	ok(sweep_time_left(&s, 4) == 2 * 2.0 / 1,
	   "unknown CPUs count as one");
	chart_sweep_destroy(&s);
}

struct seen {
	unsigned calls;
	unsigned last;		/* workers * 100 + run of the last call */
	int in_order;
	volatile sig_atomic_t *stop;
	unsigned stop_at;	/* call that sets *stop; 0: never */
};

static void on_progress(const struct sweep_progress *p, void *arg)
{
	struct seen *sn = arg;
	unsigned at = p->workers * 100 + p->run;

	sn->in_order &= sn->calls == 0 ? at == 1 : at > sn->last;
	sn->in_order &= sn->calls == 0 ? p->left < 0 : p->left >= 0;
	sn->last = at;
	if (++sn->calls == sn->stop_at)
		*sn->stop = 1;
}

static void test_run(void)
{
	static volatile sig_atomic_t stop;
	struct sweep_config cfg = { { 0 }, on_progress, NULL };
	struct seen sn = { 0, 0, 1, &stop, 0 };
	struct chart_sweep s;
	unsigned w = 99;

	cfg.pool.kind = POOL_THREADS;
	cfg.pool.numbers = numbers;
	cfg.pool.count = sizeof(numbers) / sizeof(numbers[0]);
	cfg.pool.stop = &stop;
	cfg.arg = &sn;
	chart_sweep_init(&s, 2, 2);
	s.cpus = 2;
	ok(sweep_run(&cfg, &s, &w, NULL) == 0, "a 2 x 2 sweep: 0");
	ok(chart_row_runs(&s, 0) == 2 && chart_row_runs(&s, 1) == 2 &&
	   chart_row_runs(&s, 2) == 2, "every row holds K times");
	ok(sn.calls == 6 && sn.in_order && sn.last == 202,
	   "progress before each run, in order, estimated after the first");
	ok(w == 99, "success leaves *workers alone");
	chart_sweep_destroy(&s);

	chart_sweep_init(&s, 2, 2);
	sn.calls = 0;
	sn.stop_at = 3;		/* the first run of row 1 */
	ok(sweep_run(&cfg, &s, &w, NULL) == -EINTR, "a stop flag: -EINTR");
	ok(chart_row_runs(&s, 0) == 2 && chart_row_runs(&s, 1) == 0 &&
	   sn.calls == 3, "the runs finished are kept, none after the stop");
	chart_sweep_destroy(&s);
	stop = 0;

	cfg.pool.gil = NULL;
	cfg.pool.kind = POOL_PROCS;
	cfg.pool.max_deaths = 1;
	cfg.pool.order = (enum pool_order)99;
	cfg.on_progress = NULL;
	chart_sweep_init(&s, 1, 1);
	ok(sweep_run(&cfg, &s, &w, NULL) == -EINVAL && w == 1 &&
	   chart_row_runs(&s, 0) == 1 && chart_row_runs(&s, 1) == 0,
	   "a pool error: returned with its worker count, nothing recorded");
	chart_sweep_destroy(&s);
}

int main(void)
{
	tap_start(60);
	test_time_left();
	test_run();
	return tap_done();
}
