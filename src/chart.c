/*
 * chart: a sweep's times, their statistics and the table, CSV, JSON and SVG
 * renderings.
 *
 * Owns the sweep's two arrays (times, done).  Invariants: done[r] <= runs
 * for every row r in 0..max_workers; times[r * runs + i] is finite and
 * >= 0 for i < done[r].  No locks: one thread owns a sweep.
 *
 * The book draws its chart in a Jupyter notebook with matplotlib from the
 * medians run_procs.sh collected; here the program computes the medians
 * and writes the SVG itself through svg.h, with no library (and no libm:
 * the few roundings are done by hand).  Text goes out through out.h, the
 * one escaper for the terminal, JSON and XML.
 */
#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "out.h"
#include "svg.h"

/* ------------------------------------------------------------------ */
/* The sweep and its statistics                                        */

int chart_sweep_init(struct chart_sweep *s, unsigned max_workers,
		     unsigned runs)
{
	memset(s, 0, sizeof(*s));
	if (max_workers == 0 || max_workers > CHART_MAX_WORKERS ||
	    runs == 0 || runs > CHART_MAX_RUNS)
		return -EINVAL;
	s->times = calloc((size_t)(max_workers + 1) * runs,
			  sizeof(*s->times));
	s->done = calloc((size_t)max_workers + 1, sizeof(*s->done));
	if (s->times == NULL || s->done == NULL) {
		chart_sweep_destroy(s);
		return -ENOMEM;
	}
	s->max_workers = max_workers;
	s->runs = runs;
	return 0;
}

void chart_sweep_destroy(struct chart_sweep *s)
{
	free(s->times);
	free(s->done);
	memset(s, 0, sizeof(*s));
}

static bool finite_nonneg(double v)
{
	/* Written out so no libm call is needed: NaN fails both tests. */
	return v >= 0 && v <= DBL_MAX;
}

int chart_sweep_add(struct chart_sweep *s, unsigned workers, double seconds)
{
	if (!finite_nonneg(seconds))
		return -EINVAL;
	if (workers > s->max_workers)
		return -ERANGE;
	if (s->done[workers] >= s->runs)
		return -ENOSPC;
	s->times[(size_t)workers * s->runs + s->done[workers]++] =
		seconds + 0.0;	/* + 0.0 turns -0.0 into 0.0 */
	return 0;
}

unsigned chart_row_runs(const struct chart_sweep *s, unsigned r)
{
	return s->done[r];
}

double chart_row_mean(const struct chart_sweep *s, unsigned r)
{
	double sum = 0;
	unsigned i;

	for (i = 0; i < s->done[r]; i++)
		sum += s->times[(size_t)r * s->runs + i];
	return s->done[r] ? sum / s->done[r] : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of n sorted values. */
static double sorted_median(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int chart_median(const double *v, size_t n, double *median)
{
	double small[64], *copy = small;
	size_t i;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (v[i] != v[i])
			return -EINVAL;	/* NaN has no place in an order */
	if (n > sizeof(small) / sizeof(small[0])) {
		copy = malloc(n * sizeof(*copy));
		if (copy == NULL)
			return -ENOMEM;
	}
	memcpy(copy, v, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_double);
	*median = sorted_median(copy, n);
	if (copy != small)
		free(copy);
	return 0;
}

/* Median, min and max of one row (runs > 0), sorting on the stack: a row
 * holds at most CHART_MAX_RUNS times, so no allocation can fail here. */
static void row_basics(const struct chart_sweep *s, unsigned r,
		       struct chart_stats *st)
{
	double v[CHART_MAX_RUNS];
	unsigned n = s->done[r];

	memcpy(v, s->times + (size_t)r * s->runs, n * sizeof(v[0]));
	qsort(v, n, sizeof(v[0]), cmp_double);
	st->median = sorted_median(v, n);
	st->min = v[0];
	st->max = v[n - 1];
}

unsigned chart_sweep_stats(const struct chart_sweep *s,
			   struct chart_stats *out)
{
	unsigned r, best = 0;
	double t1;

	for (r = 0; r <= s->max_workers; r++) {
		memset(&out[r], 0, sizeof(out[r]));
		out[r].workers = r;
		out[r].runs = s->done[r];
		if (out[r].runs > 0)
			row_basics(s, r, &out[r]);
	}
	t1 = out[1].runs > 0 ? out[1].median : -1;
	for (r = 0; r <= s->max_workers; r++) {
		if (out[r].runs == 0)
			continue;
		if (t1 >= 0 && out[r].median > 0) {
			out[r].has_speedup = true;
			out[r].speedup = t1 / out[r].median;
			out[r].efficiency = out[r].speedup / (r ? r : 1);
		}
		if (r > 0 && (best == 0 || out[r].median < out[best].median))
			best = r;
	}
	if (best)
		out[best].best = true;
	return best;
}

/* ------------------------------------------------------------------ */
/* Terminal table                                                      */

/*
 * The table fits a width: every line is at most `width` columns (a UTF-8
 * character counts as one column).  The head's sentences wrap at spaces.
 * The rows keep the workers and median columns, the bar and its marks
 * (`<- best`, `(K of R runs)`); the bar gets what the other columns leave,
 * and when that is less than MIN_BAR cells, columns go, in this order:
 * efficiency, min and max, speedup; then the note shrinks to `(K/R)`.
 * Below about 30 columns lines may still overflow.
 */
#define MIN_BAR 10
#define W_WORKERS 7		/* "workers" */
#define W_SPEEDUP 7		/* "speedup" */
#define W_EFFIC 6		/* "effic." */

enum { COL_MINMAX = 1, COL_SPEEDUP = 2, COL_EFFIC = 4 };

struct layout {
	unsigned cols;		/* COL_* shown besides workers and median */
	int dec;		/* decimals of the times */
	int tw;			/* width of a time column */
	int bar;		/* cells of the longest bar, 0: no bars */
	bool short_note;	/* "(K/R)" for "(K of R runs)" */
};

static double max_median(const struct chart_stats *st, unsigned n)
{
	double m = 0;
	unsigned r;

	for (r = 0; r <= n; r++)
		if (st[r].runs > 0 && st[r].median > m)
			m = st[r].median;
	return m;
}

/* A bar of median/top of `cells` cells, in '#' or in eighths of a
 * Unicode block; at least a sliver when the median is not 0. */
static void put_bar(struct out *o, double median, double top, int cells,
		    bool utf8)
{
	unsigned eighths = top > 0 ?
		(unsigned)(median / top * cells * 8 + 0.5) : 0;
	unsigned i;

	if (eighths == 0 && median > 0)
		eighths = 1;
	if (!utf8) {
		unsigned n = (eighths + 4) / 8;

		if (n == 0 && eighths > 0)
			n = 1;
		for (i = 0; i < n; i++)
			out_printf(o, "#");
		return;
	}
	for (i = 0; i < eighths / 8; i++)
		out_printf(o, "\xE2\x96\x88");	/* U+2588 full block */
	if (eighths % 8)	/* U+258F (1/8) down to U+2589 (7/8) */
		out_printf(o, "\xE2\x96%c", (char)(0x90 - eighths % 8));
}

/* Decimals for times: enough to tell the rows apart at this scale. */
static int time_decimals(double top)
{
	return top >= 10 ? 2 : top >= 0.1 ? 3 : top >= 0.001 ? 5 : 6;
}

static int digits(unsigned v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* The columns of a time: "median" or the widest value. */
static int time_width(const struct chart_stats *st, unsigned n, int dec)
{
	int w = 6;
	unsigned r;

	for (r = 0; r <= n; r++) {
		char buf[64];
		double v[3] = { st[r].median, st[r].min, st[r].max };
		int i;

		for (i = 0; st[r].runs > 0 && i < 3; i++) {
			int len = snprintf(buf, sizeof(buf), "%.*f", dec, v[i]);

			if (len > w)
				w = len;
		}
	}
	return w;
}

static int fixed_width(unsigned cols, int tw)
{
	return W_WORKERS + 1 + tw + (cols & COL_MINMAX ? 2 * (1 + tw) : 0) +
	       (cols & COL_SPEEDUP ? 1 + W_SPEEDUP : 0) +
	       (cols & COL_EFFIC ? 1 + W_EFFIC : 0);
}

/* Columns of a row's marks after its bar: "  <- best", "  (K of R runs)"
 * or "  (K/R)". */
static int marks_width(const struct chart_sweep *s, const struct chart_stats
		       *st, bool short_note)
{
	int w = st->best ? 9 : 0;

	if (st->runs > 0 && st->runs < s->runs)
		w += 2 + 2 + digits(st->runs) + 1 + digits(s->runs) +
		     (short_note ? 0 : 8);	/* " of " ... " runs" */
	return w;
}

static void plan(struct layout *l, const struct chart_sweep *s,
		 const struct chart_stats *st, int width)
{
	static const unsigned sets[] = {
		COL_MINMAX | COL_SPEEDUP | COL_EFFIC, COL_MINMAX | COL_SPEEDUP,
		COL_SPEEDUP, 0,
	};
	int pass, marks = 0, i;
	unsigned r;

	l->dec = time_decimals(max_median(st, s->max_workers));
	l->tw = time_width(st, s->max_workers, l->dec);
	for (pass = 0; pass < 2; pass++) {
		l->short_note = pass == 1;
		marks = 0;
		for (r = 0; r <= s->max_workers; r++) {
			int m = marks_width(s, &st[r], l->short_note);

			marks = m > marks ? m : marks;
		}
		for (i = 0; i < 4; i++) {
			l->cols = sets[i];
			l->bar = width - fixed_width(l->cols, l->tw) - 2 - marks;
			if (l->bar >= MIN_BAR)
				return;
		}
	}
	if (l->bar < 0)
		l->bar = 0;
}

/* Word-wrapped text of at most width columns; lines after the first are
 * indented by two spaces.  printf-style, escaped for the terminal. */
static void put_para(struct out *o, int width, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put_para(struct out *o, int width, const char *fmt, ...)
{
	va_list ap;
	char *text, *word, *next;
	int len, col = 0;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (text == NULL) {
		if (o->err == 0)
			o->err = -ENOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, (size_t)len + 1, fmt, ap);
	va_end(ap);
	for (word = text; word != NULL; word = next) {
		const char *p;
		int cols = 0;

		next = strchr(word, ' ');
		if (next != NULL)
			*next++ = '\0';
		for (p = word; *p; p++)	/* UTF-8 continuation bytes: none */
			cols += ((unsigned char)*p & 0xC0) != 0x80;
		if (col > 0 && col + 1 + cols > width) {
			out_printf(o, "\n  ");
			col = 2;
		} else if (col > 0) {
			out_printf(o, " ");
			col++;
		}
		out_text(o, word, OUT_PLAIN);
		col += cols;
	}
	out_printf(o, "\n");
	free(text);
}

static const char *text_or_q(const char *s)
{
	return s != NULL ? s : "?";
}

static void table_head(struct out *o, const struct chart_sweep *s,
		       const struct layout *l, int width)
{
	char cpus[32] = "";

	put_para(o, width, "Sweep: %s; %s", text_or_q(s->caption),
		 text_or_q(s->workload));
	if (s->cpus)
		snprintf(cpus, sizeof(cpus), ", %u online CPUs", s->cpus);
	put_para(o, width, "CPU: %s%s; %s", text_or_q(s->cpu), cpus,
		 text_or_q(s->date));
	put_para(o, width, "Seconds, median of %u run%s%s%s.", s->runs,
		 s->runs == 1 ? "" : "s", l->cols & COL_SPEEDUP ?
		 "; speedup = T1 / TN" : "", l->cols & COL_EFFIC ?
		 "; efficiency = speedup / N" : "");
	out_printf(o, "\n%*s %*s", W_WORKERS, "workers", l->tw, "median");
	if (l->cols & COL_MINMAX)
		out_printf(o, " %*s %*s", l->tw, "min", l->tw, "max");
	if (l->cols & COL_SPEEDUP)
		out_printf(o, " %*s", W_SPEEDUP, "speedup");
	if (l->cols & COL_EFFIC)
		out_printf(o, " %*s", W_EFFIC, "effic.");
	out_printf(o, "\n");
}

static void table_row(struct out *o, const struct chart_sweep *s,
		      const struct chart_stats *st, const struct layout *l,
		      double top, bool utf8)
{
	if (st->workers == 0)
		out_printf(o, "%*s", W_WORKERS, "seq");
	else
		out_printf(o, "%*u", W_WORKERS, st->workers);
	out_printf(o, " %*.*f", l->tw, l->dec, st->median);
	if (l->cols & COL_MINMAX)
		out_printf(o, " %*.*f %*.*f", l->tw, l->dec, st->min, l->tw,
			   l->dec, st->max);
	if ((l->cols & COL_SPEEDUP) && st->has_speedup)
		out_printf(o, " %*.2f", W_SPEEDUP, st->speedup);
	else if (l->cols & COL_SPEEDUP)
		out_printf(o, " %*s", W_SPEEDUP, "-");
	if ((l->cols & COL_EFFIC) && st->has_speedup)
		out_printf(o, " %*.2f", W_EFFIC, st->efficiency);
	else if (l->cols & COL_EFFIC)
		out_printf(o, " %*s", W_EFFIC, "-");
	if (l->bar > 0) {
		out_printf(o, "  ");
		put_bar(o, st->median, top, l->bar, utf8);
	}
	if (st->best)
		out_printf(o, "  <- best");
	if (st->runs < s->runs && l->short_note)
		out_printf(o, "  (%u/%u)", st->runs, s->runs);
	else if (st->runs < s->runs)
		out_printf(o, "  (%u of %u runs)", st->runs, s->runs);
	out_printf(o, "\n");
}

static void write_table(struct out *o, const struct chart_sweep *s,
			const struct chart_stats *st, unsigned flags,
			unsigned width)
{
	double top = max_median(st, s->max_workers);
	struct layout l;
	unsigned r, shown = 0;
	int w = width == 0 ? CHART_DEFAULT_WIDTH :
		width > CHART_MAX_WIDTH ? CHART_MAX_WIDTH : (int)width;

	plan(&l, s, st, w);
	table_head(o, s, &l, w);
	for (r = 0; r <= s->max_workers; r++) {
		if (st[r].runs == 0)
			continue;
		table_row(o, s, &st[r], &l, top, flags & CHART_UTF8);
		shown++;
	}
	if (shown == 0)
		out_printf(o, "(no runs completed)\n");
}

/* ------------------------------------------------------------------ */
/* CSV and JSON                                                        */

/* A CSV field (RFC 4180): quoted when it holds a comma or a quote,
 * its quotes doubled; controls and bad UTF-8 become '?'.  NULL: empty. */
static void csv_text(struct out *o, const char *v)
{
	if (v == NULL)
		return;
	if (strpbrk(v, ",\"") == NULL) {
		out_text(o, v, OUT_PLAIN);
		return;
	}
	out_printf(o, "\"");
	out_text(o, v, OUT_CSV);
	out_printf(o, "\"");
}

/* The sweep's own fields, leading every CSV line. */
static void csv_sweep(struct out *o, const struct chart_sweep *s)
{
	csv_text(o, s->model);
	out_printf(o, ",");
	if (s->gil_ms > 0)
		out_printf(o, "%g", s->gil_ms);
	out_printf(o, ",");
	csv_text(o, s->order);
	out_printf(o, ",");
	csv_text(o, s->set);
	out_printf(o, ",");
	csv_text(o, s->cpu);
	out_printf(o, ",");
	if (s->cpus)
		out_printf(o, "%u", s->cpus);
	out_printf(o, ",");
	csv_text(o, s->version);
	out_printf(o, ",");
	csv_text(o, s->time);
	out_printf(o, ",%zu,", s->numbers);
}

static void write_csv(struct out *o, const struct chart_sweep *s,
		      const struct chart_stats *st)
{
	unsigned r, i;

	out_printf(o, "%s\n", CHART_CSV_HEADER);
	for (r = 0; r <= s->max_workers; r++) {
		const double *t = s->times + (size_t)r * s->runs;

		if (st[r].runs == 0)
			continue;
		csv_sweep(o, s);
		out_printf(o, "%s,%u,", r ? "pool" : "sequential", r ? r : 1);
		for (i = 0; i < st[r].runs; i++)
			out_printf(o, "%s%.6f", i ? " " : "", t[i]);
		out_printf(o, ",%.6f,%.6f,%.6f,", st[r].median, st[r].min,
			   st[r].max);
		if (st[r].has_speedup)
			out_printf(o, "%.4f,%.4f,", st[r].speedup,
				   st[r].efficiency);
		else
			out_printf(o, ",,");
		out_printf(o, "%d\n", st[r].best);
	}
}

static void json_string(struct out *o, const char *key, const char *v)
{
	out_printf(o, "  \"%s\": ", key);
	if (v == NULL) {
		out_printf(o, "null,\n");
		return;
	}
	out_printf(o, "\"");
	out_text(o, v, OUT_JSON);
	out_printf(o, "\",\n");
}

/* "key": v (a whole number where whole), or null where v is 0. */
static void json_number(struct out *o, const char *key, double v, bool whole)
{
	out_printf(o, "  \"%s\": ", key);
	if (v > 0)
		out_printf(o, whole ? "%.0f,\n" : "%g,\n", v);
	else
		out_printf(o, "null,\n");
}

static void json_row(struct out *o, const struct chart_sweep *s,
		     const struct chart_stats *st)
{
	const double *t = s->times + (size_t)st->workers * s->runs;
	unsigned i;

	out_printf(o, "{\"kind\": \"%s\", \"workers\": %u, \"runs\": [",
		   st->workers ? "pool" : "sequential",
		   st->workers ? st->workers : 1);
	for (i = 0; i < st->runs; i++)
		out_printf(o, "%s%.6f", i ? ", " : "", t[i]);
	out_printf(o, "], \"median\": %.6f, \"min\": %.6f, \"max\": %.6f, ",
		   st->median, st->min, st->max);
	if (st->has_speedup)
		out_printf(o, "\"speedup\": %.4f, \"efficiency\": %.4f, ",
			   st->speedup, st->efficiency);
	else
		out_printf(o, "\"speedup\": null, \"efficiency\": null, ");
	out_printf(o, "\"best\": %s}", st->best ? "true" : "false");
}

static void write_json(struct out *o, const struct chart_sweep *s,
		       const struct chart_stats *st, unsigned best)
{
	unsigned r, n = 0;

	out_printf(o, "{\n");
	json_string(o, "model", s->model);
	json_number(o, "gil_ms", s->gil_ms, false);
	json_string(o, "order", s->order);
	json_string(o, "set", s->set);
	json_string(o, "cpu", s->cpu);
	json_number(o, "online_cpus", s->cpus, true);
	json_string(o, "concdemo_version", s->version);
	json_string(o, "time", s->time);
	out_printf(o, "  \"numbers\": %zu,\n", s->numbers);
	out_printf(o, "  \"runs_per_count\": %u,\n  \"max_workers\": %u,\n",
		   s->runs, s->max_workers);
	json_number(o, "best_workers", best, true);
	out_printf(o, "  \"baseline\": ");
	if (st[0].runs)
		json_row(o, s, &st[0]);
	else
		out_printf(o, "null");
	out_printf(o, ",\n  \"rows\": [");
	for (r = 1; r <= s->max_workers; r++) {
		if (st[r].runs == 0)
			continue;
		out_printf(o, "%s\n    ", n++ ? "," : "");
		json_row(o, s, &st[r]);
	}
	out_printf(o, "%s]\n}\n", n ? "\n  " : "");
}

/* ------------------------------------------------------------------ */
/* SVG                                                                 */

/* Canvas and plot area, in SVG user units (px). */
#define SVG_W 800
#define SVG_H 540
#define PLOT_L 90.0
#define PLOT_R 770.0
#define PLOT_T 76.0
#define PLOT_B 390.0

#define C_MEDIAN "#1f77b4"
#define C_IDEAL "#2ca02c"
#define C_SEQ "#7f7f7f"
#define C_BEST "#d62728"
#define C_GRID "#e3e3e3"
#define C_TEXT "#222222"

struct axes {
	unsigned n;		/* workers, x from 1 to n */
	double ymax;		/* y from 0 to ymax */
	double ystep;		/* y tick step */
	int ydec;		/* decimals of the y labels */
	unsigned xstep;		/* x tick step */
};

static double xpos(const struct axes *a, double w)
{
	return PLOT_L + (w - 0.5) / a->n * (PLOT_R - PLOT_L);
}

static double ypos(const struct axes *a, double v)
{
	return PLOT_B - v / a->ymax * (PLOT_B - PLOT_T);
}

static void make_axes(struct axes *a, const struct chart_sweep *s,
		      const struct chart_stats *st)
{
	double top = 0;
	unsigned r, ticks;
	int dec;

	for (r = 0; r <= s->max_workers; r++)
		if (st[r].runs > 0 && st[r].max > top)
			top = st[r].max;
	if (top <= 0)
		top = 1e-6;
	a->n = s->max_workers;
	a->ystep = svg_nice_step(top * 1.08 / 6, &a->ydec);
	ticks = (unsigned)(top * 1.08 / a->ystep);
	if (ticks * a->ystep < top * 1.08)
		ticks++;
	a->ymax = ticks * a->ystep;
	a->xstep = a->n <= 12 ? 1 : (unsigned)(svg_nice_step(a->n / 10.0, &dec) +
					       0.5);
}

static void svg_grid(struct out *o, const struct axes *a)
{
	unsigned i;
	char label[64];

	svg_group(o, "class=\"grid\" stroke=\"" C_GRID "\" stroke-width=\"1\"");
	for (i = 0; i * a->ystep <= a->ymax * (1 + 1e-9); i++)
		svg_line(o, NULL, PLOT_L, ypos(a, i * a->ystep), PLOT_R,
			 ypos(a, i * a->ystep), NULL);
	svg_group_end(o);
	svg_group(o, "class=\"yticks\" font-size=\"12\" text-anchor=\"end\" "
		  "fill=\"" C_TEXT "\"");
	for (i = 0; i * a->ystep <= a->ymax * (1 + 1e-9); i++) {
		snprintf(label, sizeof(label), "%.*f", a->ydec, i * a->ystep);
		svg_text(o, PLOT_L - 8, ypos(a, i * a->ystep) + 4, "", label);
	}
	svg_group_end(o);
	svg_group(o, "class=\"xticks\" font-size=\"12\" "
		  "text-anchor=\"middle\" fill=\"" C_TEXT "\"");
	for (i = 1; i <= a->n; i = i == 1 && a->xstep > 1 ? a->xstep :
							   i + a->xstep) {
		snprintf(label, sizeof(label), "%u", i);
		svg_line(o, NULL, xpos(a, i), PLOT_B, xpos(a, i), PLOT_B + 5,
			 "stroke=\"" C_TEXT "\"");
		svg_text(o, xpos(a, i), PLOT_B + 20, "", label);
	}
	svg_group_end(o);
	svg_rect(o, PLOT_L, PLOT_T, PLOT_R - PLOT_L, PLOT_B - PLOT_T,
		 "fill=\"none\" stroke=\"" C_TEXT "\" stroke-width=\"1\"");
}

static void svg_labels(struct out *o, const struct chart_sweep *s)
{
	svg_text(o, SVG_W / 2.0, 30, "font-size=\"18\" font-weight=\"bold\" "
		 "text-anchor=\"middle\"", "Elapsed time vs number of workers");
	svg_text_begin(o, "x=\"%.1f\" y=\"54\" font-size=\"13\" "
		       "text-anchor=\"middle\" fill=\"#555555\"", SVG_W / 2.0);
	out_text(o, s->caption, OUT_XML);
	out_printf(o, " \xC2\xB7 median of %u run%s, whiskers from min to max",
		   s->runs, s->runs == 1 ? "" : "s");
	svg_text_end(o);
	svg_text(o, (PLOT_L + PLOT_R) / 2, PLOT_B + 44,
		 "font-size=\"13\" text-anchor=\"middle\"", "workers");
	svg_text_begin(o, "transform=\"translate(28 %.1f) rotate(-90)\" "
		       "font-size=\"13\" text-anchor=\"middle\"",
		       (PLOT_T + PLOT_B) / 2);
	out_text(o, "elapsed time (s)", OUT_XML);
	svg_text_end(o);
	svg_group(o, "class=\"caption\" font-size=\"12\" "
		  "text-anchor=\"middle\" fill=\"#555555\"");
	if (s->workload)
		svg_text(o, SVG_W / 2.0, SVG_H - 36, "", s->workload);
	svg_text_begin(o, "x=\"%.1f\" y=\"%d\"", SVG_W / 2.0, SVG_H - 16);
	out_printf(o, "CPU: ");
	out_text(o, s->cpu, OUT_XML);
	if (s->cpus)
		out_printf(o, " (%u online CPUs)", s->cpus);
	out_printf(o, " \xC2\xB7 ");
	out_text(o, s->date, OUT_XML);
	svg_text_end(o);
	svg_group_end(o);
}

/* The ideal curve T1/N, sampled finely enough to look smooth. */
static void svg_ideal(struct out *o, const struct axes *a, double t1)
{
	unsigned i, steps = a->n > 1 ? (a->n * 8 < 800 ? a->n * 8 : 800) : 0;

	if (steps == 0)
		return;
	svg_polyline(o, "ideal", "fill=\"none\" stroke=\"" C_IDEAL "\" "
		     "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
	for (i = 0; i <= steps; i++) {
		double w = 1 + (double)(a->n - 1) * i / steps;

		svg_polyline_point(o, i, xpos(a, w), ypos(a, t1 / w));
	}
	svg_polyline_end(o);
}

static void svg_whisker(struct out *o, const struct axes *a,
			const struct chart_stats *st)
{
	double x = xpos(a, st->workers);

	svg_path(o, "whisker", NULL, "M%.1f %.1fV%.1fM%.1f %.1fh8M%.1f %.1fh8",
		 x, ypos(a, st->min), ypos(a, st->max), x - 4, ypos(a, st->min),
		 x - 4, ypos(a, st->max));
}

/* A median as a dot, hollow when the row is short of runs. */
static void svg_point(struct out *o, const struct axes *a,
		      const struct chart_stats *st, bool partial)
{
	char title[64];

	snprintf(title, sizeof(title), "%u workers: median %.6f s",
		 st->workers, st->median);
	svg_circle(o, "point", xpos(a, st->workers), ypos(a, st->median), 4,
		   partial ? "fill=\"white\" stroke=\"" C_MEDIAN "\" "
		   "stroke-width=\"1.5\"" : "fill=\"" C_MEDIAN "\" stroke=\""
		   C_MEDIAN "\" stroke-width=\"1.5\"", title);
}

/* The medians joined by a line, their whiskers, then the dots on top. */
static void svg_series(struct out *o, const struct axes *a,
		       const struct chart_sweep *s,
		       const struct chart_stats *st)
{
	unsigned r, k = 0, n = s->max_workers;

	svg_polyline(o, "median", "fill=\"none\" stroke=\"" C_MEDIAN "\" "
		     "stroke-width=\"2\"");
	for (r = 1; r <= n; r++)
		if (st[r].runs > 0)
			svg_polyline_point(o, k++, xpos(a, r),
					   ypos(a, st[r].median));
	svg_polyline_end(o);
	svg_group(o, "stroke=\"" C_MEDIAN "\" stroke-width=\"1.2\"");
	for (r = 1; r <= n; r++)
		if (st[r].runs > 0)
			svg_whisker(o, a, &st[r]);
	svg_group_end(o);
	for (r = 1; r <= n; r++)
		if (st[r].runs > 0)
			svg_point(o, a, &st[r], st[r].runs < s->runs);
}

/* The best count: a ring and its median, as many decimals as the table. */
static void svg_best(struct out *o, const struct axes *a,
		     const struct chart_stats *st, unsigned best, int dec)
{
	double x = xpos(a, best), y = ypos(a, st[best].median);
	bool left = x > (PLOT_L + PLOT_R) / 2;

	svg_circle(o, "best", x, y, 8, "fill=\"none\" stroke=\"" C_BEST "\" "
		   "stroke-width=\"2\"", NULL);
	svg_text_begin(o, "x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\""
		       C_BEST "\" text-anchor=\"%s\"", left ? x - 10 : x + 10,
		       y - 12, left ? "end" : "start");
	out_printf(o, "best: %u worker%s, %.*f s", best, best == 1 ? "" : "s",
		   dec, st[best].median);
	svg_text_end(o);
}

enum glyph { G_MEDIAN, G_WHISKER, G_IDEAL, G_SEQ };

/* One legend entry at x, y: a glyph 24 units wide and a label; returns
 * the x after it (labels are measured at ~7 units a character). */
static double legend_item(struct out *o, double x, double y, enum glyph g,
			  const char *label)
{
	static const char *const line_style[] = {
		[G_MEDIAN] = "stroke=\"" C_MEDIAN "\" stroke-width=\"2\"",
		[G_IDEAL] = "stroke=\"" C_IDEAL "\" stroke-width=\"1.5\" "
			    "stroke-dasharray=\"6 4\"",
		[G_SEQ] = "stroke=\"" C_SEQ "\" stroke-width=\"1.5\" "
			  "stroke-dasharray=\"2 3\"",
	};

	if (g == G_WHISKER)
		svg_path(o, NULL, "stroke=\"" C_MEDIAN "\" fill=\"none\"",
			 "M%.1f %.1fv14m-4 -14h8m-8 14h8", x + 12, y - 7);
	else
		svg_line(o, NULL, x, y, x + 24, y, line_style[g]);
	if (g == G_MEDIAN)
		svg_circle(o, NULL, x + 12, y, 4, "fill=\"" C_MEDIAN "\"",
			   NULL);
	svg_text(o, x + 30, y + 4, "", label);
	return x + 30 + 7.0 * (double)strlen(label) + 24;
}

static void svg_legend(struct out *o, const struct chart_stats *st)
{
	double x = PLOT_L, y = PLOT_B + 74;

	svg_group(o, "class=\"legend\" font-size=\"12\" fill=\"" C_TEXT "\"");
	x = legend_item(o, x, y, G_MEDIAN, "median elapsed");
	x = legend_item(o, x, y, G_WHISKER, "min\xE2\x80\x93max");
	x = legend_item(o, x, y, G_IDEAL, "ideal T1/N");
	if (st[0].runs > 0)
		legend_item(o, x, y, G_SEQ, "sequential (no pool)");
	svg_group_end(o);
}

static void write_svg(struct out *o, const struct chart_sweep *s,
		      const struct chart_stats *st, unsigned best)
{
	struct axes a;

	make_axes(&a, s, st);
	svg_begin(o, SVG_W, SVG_H, "DejaVu Sans, Helvetica, Arial, sans-serif",
		  "Elapsed time vs number of workers", "white");
	svg_grid(o, &a);
	svg_labels(o, s);
	if (st[0].runs > 0)
		svg_line(o, "baseline", PLOT_L, ypos(&a, st[0].median), PLOT_R,
			 ypos(&a, st[0].median), "stroke=\"" C_SEQ "\" "
			 "stroke-width=\"1.5\" stroke-dasharray=\"2 3\"");
	if (st[1].runs > 0)
		svg_ideal(o, &a, st[1].median);
	svg_series(o, &a, s, st);
	if (best)
		svg_best(o, &a, st, best,
			 time_decimals(max_median(st, s->max_workers)));
	svg_legend(o, st);
	svg_end(o);
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

int chart_write(const struct chart_sweep *s, enum chart_format f,
		unsigned flags, unsigned width, FILE *fp)
{
	struct out o = { fp, 0 };
	struct chart_stats *st;
	unsigned best;

	st = malloc(((size_t)s->max_workers + 1) * sizeof(*st));
	if (st == NULL)
		return -ENOMEM;
	best = chart_sweep_stats(s, st);
	switch (f) {
	case CHART_TABLE:
		write_table(&o, s, st, flags, width);
		break;
	case CHART_CSV:
		write_csv(&o, s, st);
		break;
	case CHART_JSON:
		write_json(&o, s, st, best);
		break;
	case CHART_SVG:
		write_svg(&o, s, st, best);
		break;
	default:
		o.err = -EINVAL;
	}
	free(st);
	return out_flush(&o);
}

int chart_render(const struct chart_sweep *s, enum chart_format f,
		 unsigned flags, unsigned width, char **buf, size_t *len)
{
	FILE *fp = out_mem_open(buf, len);
	int rc = fp != NULL ? chart_write(s, f, flags, width, fp)
			    : -errno;

	return out_mem_close(fp, rc, buf, len);
}
