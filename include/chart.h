/*
 * chart: the results of a sweep (the book's run_procs.sh + notebook plot),
 * their statistics, and four renderings: a terminal table with bars, CSV,
 * JSON and an SVG line chart.
 *
 * A sweep holds, for the sequential baseline (row 0) and for every worker
 * count 1..N (row w), up to K elapsed times.  The caller records times as
 * runs finish; a row may hold fewer than K (a sweep stopped by Ctrl-C), and
 * empty rows are left out of every rendering.
 *
 * Statistics per row: median, min and max of its times; speedup = median
 * T1 / median of the row (T1: the 1-worker row; the baseline row gets
 * T1 / Tseq, the cost of the pool itself); efficiency = speedup / workers
 * (the baseline counts as 1 worker).  Undefined speedups (no T1, or a
 * median of 0) are flagged, never NaN or inf.  The best row is the worker
 * count with the lowest median (ties: the fewer workers).
 *
 * The module prints nothing by itself: every renderer writes to the
 * caller's FILE *, or to a buffer it allocates (chart_render).  Numbers are
 * printed with printf in the C locale (the program never calls
 * setlocale).  Strings (model, workload, CPU, date) are escaped for each
 * format; control characters and invalid UTF-8 become '?'.
 *
 * Thread-safety: a sweep is a plain struct with no lock: one thread records
 * and renders (cmd_sweep's main thread).  The other functions are pure or
 * act only on their arguments.
 */
#ifndef CONCDEMO_CHART_H
#define CONCDEMO_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Upper bounds the renderers rely on (a chart of 100000 workers is
 * nonsense; cmd_sweep rejects larger values first). */
#define CHART_MAX_WORKERS 4096
#define CHART_MAX_RUNS 1000

struct chart_sweep {
	/* Description: caller-owned strings that outlive the sweep, any of
	 * them may be NULL (shown as "?" in the table and SVG, null in JSON,
	 * an empty field in CSV). */
	const char *caption;	/* table and SVG: "process pool",
				 * "thread pool, GIL 5 ms, lifo order" */
	const char *workload;	/* table and SVG: workload_description() */
	const char *date;	/* table and SVG: machine_date() */
	const char *cpu;	/* machine_cpu_model() */
	unsigned cpus;		/* online CPUs, 0 if unknown */
	/* The same facts as separate fields, for CSV and JSON. */
	const char *model;	/* "process" or "thread" (cli_pool_models) */
	double gil_ms;		/* the emulated GIL's switch interval; 0: none */
	const char *order;	/* "fifo", "lifo" or "priority" */
	const char *set;	/* "book", "large"; NULL: NUMBER operands */
	size_t numbers;		/* how many numbers one pass checks */
	const char *version;	/* concdemo's version */
	const char *time;	/* the start, ISO 8601 with its zone:
				 * "2026-11-29T12:34:56+01:00" */
	/* Shape, set by chart_sweep_init; do not change. */
	unsigned max_workers;	/* N: rows 1..N */
	unsigned runs;		/* K: times per row */
	/* Data, owned, filled by chart_sweep_add only. */
	double *times;		/* (N + 1) * K seconds; row r at r * K */
	unsigned *done;		/* N + 1 counts: times recorded per row */
};

/* Prepare an empty sweep of rows 0..max_workers, each taking `runs` times;
 * description fields are NULL / 0.  Returns 0, -EINVAL (max_workers or runs
 * 0 or above CHART_MAX_*), -ENOMEM.  Free with chart_sweep_destroy. */
int chart_sweep_init(struct chart_sweep *s, unsigned max_workers,
		     unsigned runs);
void chart_sweep_destroy(struct chart_sweep *s);

/* Record one run: `workers` 0 for the sequential baseline, else 1..N.
 * Returns 0, -EINVAL (seconds negative, NaN or inf), -ERANGE (workers
 * above N), -ENOSPC (that row already holds K times). */
int chart_sweep_add(struct chart_sweep *s, unsigned workers, double seconds);

/* Row r (0: the baseline, else the worker count; r <= N): how many times
 * it holds so far, and their mean (0 while it holds none). */
unsigned chart_row_runs(const struct chart_sweep *s, unsigned r);
double chart_row_mean(const struct chart_sweep *s, unsigned r);

/* The statistics of one row (see the top of this file). */
struct chart_stats {
	unsigned workers;	/* 0: the sequential baseline */
	unsigned runs;		/* times recorded; 0: empty row, rest unset */
	double median, min, max;	/* seconds */
	bool has_speedup;	/* false: speedup and efficiency are 0 */
	double speedup;
	double efficiency;
	bool best;		/* the lowest median of rows 1..N */
};

/* Fill out[0..N] (N + 1 entries, row r in out[r]).  Returns the best
 * worker count, or 0 when no worker row holds a time yet. */
unsigned chart_sweep_stats(const struct chart_sweep *s,
			   struct chart_stats *out);

/* The median of v[0..n-1] (mean of the two middle values for even n), v
 * unchanged.  Returns 0, -EINVAL (n == 0 or a NaN in v), -ENOMEM. */
int chart_median(const double *v, size_t n, double *median);

enum chart_format {
	CHART_TABLE,	/* terminal table, a bar per row, best marked,
			 * fitted to a width */
	CHART_CSV,	/* header + one row per non-empty row */
	CHART_JSON,	/* one object, strictly valid JSON */
	CHART_SVG,	/* standalone SVG 1.1 document */
};

/* Flags for chart_write / chart_render. */
#define CHART_UTF8 1u	/* table: Unicode block bars (eighths) for '#' */

/* CSV and JSON carry the same fields.  Per sweep: model, gil_ms (empty /
 * null without a GIL), order, set (empty / null for NUMBER operands), cpu,
 * online_cpus, concdemo_version, time, numbers.  Per row: kind
 * ("sequential" or "pool"), workers (1 for the baseline), runs (every
 * time recorded, in seconds, in the order run: a JSON array, in CSV
 * separated by spaces), median, min, max (seconds, 6 decimals), speedup
 * and efficiency (4 decimals; empty / null when undefined), best (1/0,
 * true/false).
 *
 * CSV (RFC 4180): the header line below, then one line per non-empty row,
 * each carrying the sweep's fields too, so that the lines of several
 * sweeps concatenated can be told apart; a field holding a comma or a
 * quote is quoted.  JSON: one object with the sweep's fields plus
 * runs_per_count, max_workers, best_workers (null if none), baseline (a
 * row or null) and rows (the pool rows). */
#define CHART_CSV_HEADER \
	"model,gil_ms,order,set,cpu,online_cpus,concdemo_version,time," \
	"numbers,kind,workers,runs,median,min,max,speedup,efficiency,best"
#define CHART_CSV_COLUMNS 18

/* The table's width when the caller has none (not a terminal, or its
 * width unknown), and the largest it uses. */
#define CHART_DEFAULT_WIDTH 80
#define CHART_MAX_WIDTH 1000

/* Render the sweep in format f to fp.  width (CHART_TABLE only; the other
 * formats ignore it): the columns every line of the table must fit in,
 * 0 for CHART_DEFAULT_WIDTH.  The bar column shrinks to fit, the head
 * wraps, and at narrow widths (under ~80) the efficiency, min/max and
 * speedup columns go in that order; `<- best` and `(K of R runs)` stay.
 * Returns 0, -EINVAL (unknown format), -ENOMEM, or -errno of the failed
 * write (-EIO if the stream does not say). */
int chart_write(const struct chart_sweep *s, enum chart_format f,
		unsigned flags, unsigned width, FILE *fp);

/* The same into a NUL-terminated buffer the caller frees (so a file can
 * be written whole or not at all).  Returns 0 or -errno; *buf is NULL on
 * failure. */
int chart_render(const struct chart_sweep *s, enum chart_format f,
		 unsigned flags, unsigned width, char **buf, size_t *len);

#endif
