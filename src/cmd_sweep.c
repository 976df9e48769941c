/*
 * cmd_sweep: `concdemo sweep`, the book's run_procs.sh and its notebook
 * plot in one command: the sequential baseline, then the pool with
 * 1, 2, ..., N workers, each K times; the medians as a table (or CSV,
 * JSON) on stdout and, with --svg, a line chart written to a file.
 *
 * Owns: the sweep's numbers (cli_numbers or a workload table), the chart
 * (chart.h) the run (sweep.h) fills, the GIL the thread pool shares under
 * --gil, and the SVG's temporary file.  Invariants: only finished runs
 * are recorded; the SVG file appears whole (written to a temporary file
 * in the same directory, then renamed) or not at all; progress goes to
 * stderr only when stderr is a terminal (drawn by the sweep's callback),
 * and its line is blanked before anything else is printed.
 * Single-threaded front end: no locks of its own.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "chart.h"
#include "cli.h"
#include "gil.h"
#include "machine.h"
#include "parse.h"
#include "pool.h"
#include "prime.h"
#include "sweep.h"
#include "term.h"
#include "workload.h"

#define CMD "sweep"

static const char usage_text[] =
	"usage: concdemo sweep [--model=process|thread] [--gil[=MS]] [--max=N]\n"
	"                      [--runs=K] [--order=fifo|lifo|priority]\n"
	"                      [--set=book|large] [--simd[=PATH]]\n"
	"                      [--csv | --json] [--svg=FILE] [NUMBER ...]\n"
	"\n"
	"The book's run_procs.sh and its plot: run the pool with 1, 2, ..., N\n"
	"workers, K times each, after a sequential baseline, and report per\n"
	"count the median and min/max elapsed seconds, the speedup against one\n"
	"worker and the efficiency (speedup / workers); the best count is\n"
	"marked.  NUMBERs (or '-' for stdin, as for primes) replace the set.\n"
	"\n"
	"  --model=M      process (default: worker processes, procs.py) or\n"
	"                 thread (worker threads, threads.py); also\n"
	"                 processes, procs, threads\n"
	"  --gil[=MS]     with --model=thread: the threads run under the\n"
	"                 emulated GIL, switch interval MS ms (default 5)\n"
	"  --max=N        the largest worker count, 1..1024 (default: twice\n"
	"                 the online CPUs)\n"
	"  --runs=K       runs per count, 1..1000 (default 3)\n"
	"  --order=ORDER  the jobs' order: fifo (default), lifo, priority\n"
	"  --set=SET      book (default: the book's 20 numbers) or large\n"
	"                 (64 numbers of the same shape, several seconds a\n"
	"                 pass)\n"
	"  --simd[=PATH]  every check, sequential and in the pools, tests\n"
	"                 the divisors in the CPU's vector lanes: auto\n"
	"                 (default: the fastest this CPU has), avx512, avx2,\n"
	"                 sse2, neon or scalar\n"
	"  --csv          print CSV instead of the table (the run's facts\n"
	"                 on every line: model, order, CPU, time...)\n"
	"  --json         print JSON instead of the table\n"
	"  --svg=FILE     also write a line chart of median time vs workers,\n"
	"                 with min-max whiskers and the ideal T1/N curve\n"
	"  -h, --help     show this help\n"
	"\n"
	"Progress (count, run, time left) goes to stderr when it is a terminal.\n"
	"Ctrl-C stops the sweep and prints the rows completed so far.\n"
	"\n"
	"Examples:\n"
	"  concdemo sweep --max=4                      # run_procs.sh, 1..4\n"
	"  concdemo sweep --set=large --svg=sweep.svg  # and a chart\n"
	"  concdemo sweep --model=thread --gil --csv   # threads.py under a GIL\n";

enum {
	OPT_MODEL = 256, OPT_GIL, OPT_MAX, OPT_RUNS, OPT_ORDER, OPT_SET,
	OPT_CSV, OPT_JSON, OPT_SVG, OPT_SIMD,
};

const struct cli_option cmd_sweep_options[] = {
	{ "csv", no_argument, OPT_CSV, NULL, NULL, NULL, "print CSV" },
	CLI_OPT_GIL(OPT_GIL, "thread model: run under an emulated GIL"),
	CLI_OPT_HELP,
	{ "json", no_argument, OPT_JSON, NULL, NULL, NULL, "print JSON" },
	{ "max", required_argument, OPT_MAX, "N", NULL, NULL,
	  "the largest worker count" },
	{ "model", required_argument, OPT_MODEL, "MODEL", cli_pool_models,
	  NULL, "worker processes or threads" },
	CLI_OPT_ORDER(OPT_ORDER),
	{ "runs", required_argument, OPT_RUNS, "K", NULL, NULL,
	  "runs per worker count" },
	CLI_OPT_SET(OPT_SET, "the numbers to check"),
	CLI_OPT_SIMD(OPT_SIMD, "test the divisors in vector lanes"),
	{ "svg", required_argument, OPT_SVG, "FILE", NULL, NULL,
	  "also write a line chart" },
	CLI_OPT_END,
};

struct options {
	enum pool_kind kind;
	enum pool_order order;
	long gil_us;			/* 0: no GIL */
	unsigned max;			/* N */
	unsigned runs;			/* K */
	enum workload_set set;
	bool set_given;
	bool csv, json;
	const char *svg;		/* NULL: no chart file */
	bool simd;			/* --simd given */
	enum prime_path path;		/* the core's path (PRIME_SCALAR) */
};

/* ---- options ---- */

static int set_count(const char *opt, const char *arg, unsigned max,
		     unsigned *out)
{
	uint64_t n;

	if (parse_count(arg, 1, max, &n) != 0)
		return cli_usage(CMD, "invalid %s value '%s' (expected 1..%u)",
				 opt, arg, max);
	*out = (unsigned)n;
	return CLI_OK;
}

static int set_option(struct options *o, int c, const char *arg)
{
	int i = 0, rc = CLI_OK;

	switch (c) {
	case OPT_MODEL:
		rc = cli_choice(CMD, "--model", arg, cli_pool_models, &i);
		o->kind = i == CLI_MODEL_PROCESS ? POOL_PROCS : POOL_THREADS;
		break;
	case OPT_ORDER:
		rc = cli_choice(CMD, "--order", arg, cli_orders, &i);
		o->order = (enum pool_order)i;
		break;
	case OPT_SET:
		rc = cli_choice(CMD, "--set", arg, cli_sets, &i);
		o->set = (enum workload_set)i;
		o->set_given = true;
		break;
	case OPT_GIL:
		return cli_gil_interval(CMD, arg, &o->gil_us);
	case OPT_MAX:
		return set_count("--max", arg, POOL_MAX_WORKERS < CHART_MAX_WORKERS
				 ? POOL_MAX_WORKERS : CHART_MAX_WORKERS, &o->max);
	case OPT_RUNS:
		return set_count("--runs", arg, CHART_MAX_RUNS, &o->runs);
	case OPT_SIMD:
		o->simd = true;
		return cli_simd(CMD, arg, &o->path);
	case OPT_CSV:
		o->csv = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_SVG:
		return cli_file(CMD, "--svg", arg, &o->svg);
	}
	return rc;
}

/* Returns CLI_OK, CLI_USAGE, or -1 after --help. */
static int parse_options(int argc, char **argv, struct options *o)
{
	int c, rc = CLI_OK;

	memset(o, 0, sizeof(*o));
	o->kind = POOL_PROCS;
	o->order = POOL_FIFO;
	o->runs = 3;
	o->max = 2 * cli_online_cpus(POOL_MAX_WORKERS);
	if (o->max > POOL_MAX_WORKERS)
		o->max = POOL_MAX_WORKERS;
	cli_getopt_reset();
	while (rc == CLI_OK &&
	       (c = cli_getopt(CMD, argc, argv, cmd_sweep_options)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return -1;
		}
		if (c == CLI_GETOPT_ERROR)
			return CLI_USAGE;
		rc = set_option(o, c, optarg);
	}
	if (rc != CLI_OK)
		return rc;
	if (o->csv && o->json)
		return cli_usage(CMD, "--csv and --json cannot be used "
				 "together");
	if (o->gil_us != 0 && o->kind != POOL_THREADS)
		return cli_usage(CMD, "--gil needs --model=thread (only "
				 "threads share a GIL)");
	if (o->set_given && optind < argc)
		return cli_usage(CMD, "--set and NUMBER operands cannot be "
				 "used together");
	return CLI_OK;
}

/* ---- the SVG file: whole or not at all ---- */

/* Render and write the chart, then rename it into place; on any failure
 * the temporary file is removed and the target left as it was. */
static int svg_commit(struct atomicfile *f, const struct chart_sweep *s)
{
	char *buf;
	size_t len;
	int rc;

	rc = chart_render(s, CHART_SVG, 0, 0, &buf, &len);
	rc = atomicfile_finish(f, rc, buf, len);
	return rc == 0 ? CLI_OK : cli_write_failed(CMD, f->path, rc);
}

/* ---- progress on stderr, when it is a terminal ---- */

/* Columns a line may use on fd: its width less one (a line that fills the
 * last column leaves the cursor waiting to wrap), CHART_DEFAULT_WIDTH's
 * when fd is not a terminal or its width is unknown. */
static int usable_columns(int fd)
{
	int cols = isatty(fd) ? term_columns(fd) : 0;

	return (cols > 1 ? cols : CHART_DEFAULT_WIDTH) - 1;
}

struct progress {
	bool on;
	int width;		/* columns drawn on the line, to blank it */
	const struct chart_sweep *s;
};

static void progress_blank(struct progress *p)
{
	if (!p->on || p->width == 0)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	p->width = 0;
}

/* The progress line, long or (short) terse, into line; its length. */
static int progress_text(char *line, size_t size, const struct chart_sweep *s,
			 double left, unsigned w, unsigned run, bool terse)
{
	char eta[48];
	int n;

	if (left < 0)
		snprintf(eta, sizeof(eta), terse ? "estimating" :
			 "estimating time left");
	else
		snprintf(eta, sizeof(eta), terse ? "~%.0f s left" :
			 "about %.0f s left", left + 0.5);
	if (w == 0)
		n = snprintf(line, size, terse ? "sweep: seq, run %u/%u, %s" :
			     "sweep: sequential, run %u of %u; %s", run,
			     s->runs, eta);
	else
		n = snprintf(line, size, terse ? "sweep: %u/%u workers, run "
			     "%u/%u, %s" : "sweep: %u of %u workers, run %u "
			     "of %u; %s", w, s->max_workers, run, s->runs, eta);
	return n < (int)size ? n : (int)size - 1;
}

/* Draw the line over the last one, within the terminal's width (read
 * each time: the window may have been resized), terse if the long form
 * does not fit, cut if neither does; spaces cover what is left of the
 * last line. */
static void progress_show(const struct sweep_progress *sp, void *arg)
{
	struct progress *p = arg;
	char line[160];
	int fit = usable_columns(STDERR_FILENO), n, cover;

	n = progress_text(line, sizeof(line), p->s, sp->left, sp->workers,
			  sp->run, false);
	if (n > fit)
		n = progress_text(line, sizeof(line), p->s, sp->left,
				  sp->workers, sp->run, true);
	if (n > fit)
		n = fit;
	cover = p->width < fit ? p->width : fit;
	fprintf(stderr, "\r%.*s%*s", n, line, cover > n ? cover - n : 0, "");
	p->width = cover > n ? cover : n;
}

/* ---- the run (sweep.h) ---- */

static int pool_failed(const struct options *o, int err,
		       const struct pool_stats *st, unsigned w)
{
	const char *what = o->kind == POOL_PROCS ? "process" : "thread";

	if ((err == -EAGAIN || err == -ENOMEM) && st->started < w)
		return cli_fail(CMD, "cannot start worker %s %u of %u: %s",
				what, st->started + 1, w, strerror(-err));
	if (err == -ECHILD)
		return cli_fail(CMD, "stopped: checking %" PRIu64 " killed %u "
				"workers", st->fatal_n, POOL_MAX_DEATHS);
	return cli_fail(CMD, "%s pool with %u workers failed: %s", what, w,
			strerror(-err));
}

/* Run the sweep into s, progress drawn on p.  Returns 0 (every run
 * done), -EINTR (a signal: the sweep keeps what it recorded) or CLI_FAIL
 * (message printed). */
static int run_sweep(const struct options *o, struct gil *gil,
		     const uint64_t *v, size_t len, struct chart_sweep *s,
		     struct progress *p)
{
	struct sweep_config cfg = { { 0 }, NULL, NULL };
	struct pool_stats st;
	unsigned w = 0;
	int rc;

	cfg.pool.kind = o->kind;
	cfg.pool.order = o->order;
	cfg.pool.numbers = v;
	cfg.pool.count = len;
	cfg.pool.stop = &cli_signal;
	cfg.pool.max_deaths = POOL_MAX_DEATHS;
	cfg.pool.gil = gil;
	cfg.pool.path = o->path;
	if (p->on) {
		cfg.on_progress = progress_show;
		cfg.arg = p;
	}
	rc = sweep_run(&cfg, s, &w, &st);
	progress_blank(p);
	if (rc == 0 || rc == -EINTR)
		return rc;
	return pool_failed(o, rc, &st, w);
}

/* ---- output ---- */

/* Unicode bars only on a terminal whose locale says UTF-8 (the program
 * never calls setlocale, so it reads the variables as setlocale would). */
static unsigned table_flags(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i;

	if (!isatty(STDOUT_FILENO))
		return 0;
	for (i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0')
			return strstr(v, "UTF-8") || strstr(v, "utf-8") ||
			       strstr(v, "UTF8") || strstr(v, "utf8") ?
			       CHART_UTF8 : 0;
	}
	return 0;
}

/* The table fits the terminal on stdout, or 80 columns. */
static int print_sweep(const struct options *o, const struct chart_sweep *s)
{
	enum chart_format f = o->csv ? CHART_CSV : o->json ? CHART_JSON :
			      CHART_TABLE;
	int cols = isatty(STDOUT_FILENO) ? term_columns(STDOUT_FILENO) : 0;
	char *buf;
	size_t len;
	int rc;

	rc = chart_render(s, f, f == CHART_TABLE ? table_flags() : 0,
			  cols > 0 ? (unsigned)cols : CHART_DEFAULT_WIDTH, &buf,
			  &len);
	if (rc != 0)
		return cli_fail(CMD, "cannot render the results: %s",
				strerror(-rc));
	rc = cli_printf("%s", buf);
	free(buf);
	return rc == 0 ? CLI_OK : cli_output_failed(CMD, rc);
}

/* ---- the command ---- */

struct labels {
	char caption[64];
	char workload[96];
	char cpu[128];
	char date[32];
	char time[32];
};

static void describe(const struct options *o, size_t len, bool operands,
		     struct labels *l, struct chart_sweep *s)
{
	time_t now = time(NULL);
	size_t n;

	s->model = o->kind == POOL_PROCS ? "process" : "thread";
	snprintf(l->caption, sizeof(l->caption), "%s pool", s->model);
	n = strlen(l->caption);
	if (o->gil_us != 0)
		snprintf(l->caption + n, sizeof(l->caption) - n, ", GIL %g ms",
			 o->gil_us / 1000.0);
	s->order = cli_word_name(cli_orders, (int)o->order);
	n = strlen(l->caption);
	if (o->order != POOL_FIFO)
		snprintf(l->caption + n, sizeof(l->caption) - n, ", %s order",
			 s->order);
	n = strlen(l->caption);
	if (o->simd)
		snprintf(l->caption + n, sizeof(l->caption) - n, ", simd %s",
			 prime_path_name(o->path));
	if (operands)
		snprintf(l->workload, sizeof(l->workload), "%zu number%s "
			 "given", len, len == 1 ? "" : "s");
	else
		snprintf(l->workload, sizeof(l->workload), "%s",
			 workload_description(o->set));
	if (machine_cpu_model(l->cpu, sizeof(l->cpu)) != 0)
		snprintf(l->cpu, sizeof(l->cpu), "?");
	if (machine_date(now, l->date, sizeof(l->date)) != 0)
		snprintf(l->date, sizeof(l->date), "?");
	s->caption = l->caption;
	s->workload = l->workload;
	s->cpu = l->cpu;
	s->date = l->date;
	s->cpus = cli_online_cpus(POOL_MAX_WORKERS);
	s->gil_ms = o->gil_us / 1000.0;
	s->set = operands ? NULL : cli_word_name(cli_sets, (int)o->set);
	s->numbers = len;
	s->version = CONCDEMO_VERSION;
	s->time = machine_time_iso(now, l->time, sizeof(l->time)) == 0 ?
		  l->time : NULL;
}

static int sweep(const struct options *o, const uint64_t *v, size_t len,
		 bool operands)
{
	struct atomicfile svg = ATOMICFILE_INIT;
	struct progress p = { 0 };
	struct chart_sweep s;
	struct labels l;
	struct gil gil;
	int rc;

	/* Made before the sweep, so that an unwritable path is reported at
	 * once, not after minutes of work. */
	if (o->svg != NULL && (rc = atomicfile_open(&svg, o->svg)) != 0)
		return cli_write_failed(CMD, o->svg, rc);
	rc = chart_sweep_init(&s, o->max, o->runs);
	if (rc == 0 && o->gil_us != 0 && (rc = gil_init(&gil, o->gil_us)) != 0)
		chart_sweep_destroy(&s);
	if (rc != 0) {
		atomicfile_discard(&svg);
		return cli_fail(CMD, "cannot start: %s", strerror(-rc));
	}
	describe(o, len, operands, &l, &s);
	p.on = isatty(STDERR_FILENO);
	p.s = &s;
	rc = run_sweep(o, o->gil_us ? &gil : NULL, v, len, &s, &p);
	if (rc == 0 || rc == -EINTR) {
		int out = print_sweep(o, &s);

		/* Interrupted: the rows so far on stdout, no chart file. */
		if (rc == 0 && out == CLI_OK && o->svg != NULL)
			out = svg_commit(&svg, &s);
		rc = rc == -EINTR ? CLI_FAIL : out;
	}
	atomicfile_discard(&svg);
	if (o->gil_us != 0)
		gil_destroy(&gil);
	chart_sweep_destroy(&s);
	return rc;
}

int cmd_sweep(int argc, char **argv)
{
	struct options o;
	struct numlist list = { 0 };
	const uint64_t *v;
	size_t len;
	bool operands;
	int rc;

	rc = parse_options(argc, argv, &o);
	if (rc != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	operands = optind < argc;
	if (operands) {
		rc = cli_numbers(CMD, argc - optind, argv + optind, &list);
		if (rc != CLI_OK)
			return rc;
		v = list.v;
		len = list.len;
	} else {
		len = workload_numbers(o.set, &v);
	}
	rc = cli_dry_run ? CLI_OK : sweep(&o, v, len, operands);
	cli_numbers_free(&list);
	return rc;
}
