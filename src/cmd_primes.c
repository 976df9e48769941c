/*
 * cmd_primes: `concdemo primes [NUMBER ...]`, the book's sequential.py:
 * check each number in order and print one line per number as it is done;
 * with --procs or --threads, the book's procs.py and threads.py: the same
 * checks through a pool of workers, lines in completion order.  --set
 * picks the book's 20 numbers or the larger set of the same shape
 * (workload.h), as for sweep.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "gil.h"
#include "numin.h"
#include "numout.h"
#include "parse.h"
#include "plat.h"
#include "pool.h"
#include "prime.h"
#include "trace.h"
#include "workload.h"

static const char usage_text[] =
	"usage: concdemo primes [--procs[=N] | --threads[=N]]\n"
	"                       [--order=fifo|lifo|priority] [--gil[=MS]]\n"
	"                       [--set=book|large] [--simd[=PATH]]\n"
	"                       [--trace=FILE] [--timeline=FILE.svg]\n"
	"                       [--format=book|tsv|jsonl] [--keep-order]\n"
	"                       [NUMBER ...]\n"
	"\n"
	"Check each NUMBER for primality by trial division, one after the\n"
	"other, as the book's sequential.py does; with no NUMBER, the book's\n"
	"20 numbers (or --set).  '-' reads whitespace-separated numbers from\n"
	"stdin.\n"
	"A NUMBER is a decimal integer 0..18446744073709551615; '_' may\n"
	"separate digits, as in Python (5_000_111_000_222_021).\n"
	"\n"
	"Each line: the number, P if prime, the seconds its check took.\n"
	"\n"
	"  --procs[=N]     N worker processes, as the book's procs.py\n"
	"  --threads[=N]   N worker threads, as the book's threads.py\n"
	"                  (N: 1..1024, default the number of online CPUs;\n"
	"                  lines come in completion order)\n"
	"  --order=ORDER   the order workers take the jobs in: fifo (the\n"
	"                  book's, default), lifo, or priority (largest\n"
	"                  expected cost first)\n"
	"  --gil[=MS]      with --threads: run the checks under an emulation\n"
	"                  of CPython's GIL, switch interval MS milliseconds\n"
	"                  (default 5): the threads take turns, and are no\n"
	"                  faster than sequential, as in the book\n"
	"  --set=SET       book (default: the book's 20 numbers) or large\n"
	"                  (64 numbers of the same shape, several seconds a\n"
	"                  pass)\n"
	"  --simd[=PATH]   test the divisors in the CPU's vector lanes, same\n"
	"                  verdicts: auto (default: the fastest this CPU\n"
	"                  has), avx512 (8 at a time), avx2 (4), sse2 (2),\n"
	"                  neon (2) or scalar (1, as without --simd)\n"
	"  --format=FMT    book (default: the book's lines, a header and a\n"
	"                  total), tsv (NUMBER, prime or composite,\n"
	"                  SECONDS, tab-separated) or jsonl (one JSON\n"
	"                  object per line: n, prime, seconds); tsv and\n"
	"                  jsonl have no header or total, and with '-'\n"
	"                  answer each number as it is read, a bad word\n"
	"                  reported and skipped (exit status 1 at the end)\n"
	"  --keep-order    with a pool and --format=tsv|jsonl: lines in\n"
	"                  input order (else in completion order)\n"
	"  --trace=FILE    also write what ran when (each job, queue wait,\n"
	"                  GIL hold and wait) to FILE as Chrome Trace Event\n"
	"                  JSON, for ui.perfetto.dev (docs/trace.md)\n"
	"  --timeline=FILE.svg\n"
	"                  also draw the run as an SVG picture: a lane per\n"
	"                  worker, jobs coloured by verdict, the GIL's\n"
	"                  holds (docs/trace.md)\n"
	"  -h, --help      show this help\n"
	"\n"
	"An optional value is attached with '=': --procs=4, not --procs 4\n"
	"(which would be refused as ambiguous: 4 could be a NUMBER).\n"
	"\n"
	"Examples:\n"
	"  concdemo primes                        # sequential.py\n"
	"  concdemo primes --procs=4              # procs.py 4\n"
	"  concdemo primes --threads=4 --gil      # threads.py under a GIL\n"
	"  concdemo primes --procs --set=large    # the book's scale\n"
	"  concdemo primes --format=tsv - <FILE   # a filter\n";

enum { OPT_PROCS = 256, OPT_THREADS, OPT_ORDER, OPT_GIL, OPT_SET,
       OPT_SIMD, OPT_TRACE, OPT_TIMELINE, OPT_FORMAT, OPT_KEEP_ORDER };

/* --format's words (numout.h). */
static const struct cli_word formats[] = {
	{ "book", NUMOUT_BOOK },
	{ "tsv", NUMOUT_TSV },
	{ "jsonl", NUMOUT_JSONL },
	{ NULL, 0 },
};

const struct cli_option cmd_primes_options[] = {
	{ "format", required_argument, OPT_FORMAT, "FMT", formats, NULL,
	  "the lines: the book's, tsv or jsonl" },
	CLI_OPT_GIL(OPT_GIL, "with --threads: run under an emulated GIL"),
	CLI_OPT_HELP,
	{ "keep-order", no_argument, OPT_KEEP_ORDER, NULL, NULL, NULL,
	  "with a pool and tsv or jsonl: lines in input order" },
	CLI_OPT_ORDER(OPT_ORDER),
	{ "procs", optional_argument, OPT_PROCS, "N", NULL, cli_looks_numeric,
	  "N worker processes (procs.py)" },
	CLI_OPT_SET(OPT_SET, "the book's 20 numbers or the large set"),
	CLI_OPT_SIMD(OPT_SIMD, "test the divisors in vector lanes"),
	CLI_OPT_TIMELINE(OPT_TIMELINE),
	{ "threads", optional_argument, OPT_THREADS, "N", NULL,
	  cli_looks_numeric, "N worker threads (threads.py)" },
	CLI_OPT_TRACE(OPT_TRACE),
	CLI_OPT_END,
};

struct options {
	bool pool;		/* --procs or --threads given */
	bool order_set;
	bool keep_order;	/* --keep-order */
	bool set_given;		/* --set */
	enum workload_set set;
	long gil_us;		/* --gil: switch interval; 0: no GIL */
	bool simd;		/* --simd given: path in cfg.path */
	const char *trace;	/* --trace=FILE; NULL: none */
	const char *timeline;	/* --timeline=FILE.svg; NULL: none */
	int argc;		/* the command line, for the trace's caption */
	char **argv;
	enum numout_format format;	/* --format */
	struct pool_config cfg;	/* cfg.path: the sequential run's too */
};

/* " (avx512: 8 lanes)" after --simd, else "": for the first line. */
static const char *lanes_note(const struct options *o, char *buf, size_t size)
{
	unsigned lanes = prime_path_lanes(o->cfg.path);

	if (!o->simd)
		return "";
	snprintf(buf, size, " (%s: %u lane%s)", prime_path_name(o->cfg.path),
		 lanes, lanes == 1 ? "" : "s");
	return buf;
}

/* ---- the runs: sequential.py, procs.py and threads.py ---- */

struct pool_out {
	bool *answered;		/* per number: a result was printed */
	int err;		/* printing failed (-errno): not the pool's */
	struct numout *lines;	/* --format=tsv|jsonl; NULL: the book's */
};

static int print_result(const struct pool_result *r, void *arg)
{
	struct pool_out *out = arg;

	out->answered[r->index] = true;
	if (out->lines != NULL)
		out->err = numout_put(out->lines, r->n, r->prime, r->elapsed);
	else
		out->err = cli_printf("%16" PRIu64 "  %c %9.6fs\n", r->n,
				      r->prime ? 'P' : ' ', r->elapsed);
	return out->err;
}

static void print_event(const struct pool_event *e, void *arg)
{
	char how[64], what[64];

	(void)arg;
	if (e->kind == POOL_WORKER_STARTED)
		return;
	if (e->kind == POOL_WORKER_RESTARTED) {
		cli_error("primes", "worker %u restarted as pid %ld",
			  e->worker, e->pid);
		return;
	}
	if (WIFSIGNALED(e->wstatus))
		snprintf(how, sizeof(how), "killed by signal %d (%s)",
			 WTERMSIG(e->wstatus), strsignal(WTERMSIG(e->wstatus)));
	else
		snprintf(how, sizeof(how), "exited with status %d",
			 WIFEXITED(e->wstatus) ? WEXITSTATUS(e->wstatus) : -1);
	if (e->had_job)
		snprintf(what, sizeof(what), "while checking %" PRIu64
			 " (death %u on it)", e->n, e->deaths);
	else
		snprintf(what, sizeof(what), "while not checking a number");
	cli_error("primes", "worker %u (pid %ld) %s %s", e->worker, e->pid,
		  how, what);
}

/* Name the numbers left unchecked, at most 10 of them. */
static void print_unchecked(const struct numlist *list, const bool *done)
{
	char buf[512];
	size_t i, shown = 0, left = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < list->len; i++) {
		if (done[i])
			continue;
		if (shown == 10) {
			left++;
			continue;
		}
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%"
					PRIu64, shown ? ", " : "", list->v[i]);
		shown++;
	}
	if (left > 0)
		snprintf(buf + len, sizeof(buf) - len, " and %zu more", left);
	cli_error("primes", "not checked: %s", shown ? buf : "none");
}

static int pool_failed(const struct options *o, const struct pool_stats *st,
		       const struct numlist *list, const bool *done, int err)
{
	const char *what = o->cfg.kind == POOL_PROCS ? "process" : "thread";

	switch (err) {
	case -EINTR:
		return CLI_FAIL;	/* main re-raises the signal */
	case -ECHILD:
		cli_error("primes", "stopped: checking %" PRIu64 " killed %u "
			  "workers", st->fatal_n, o->cfg.max_deaths);
		if (list != NULL)
			print_unchecked(list, done);
		return CLI_FAIL;
	case -EAGAIN:
	case -ENOMEM:
		if (st->started < o->cfg.workers)
			return cli_fail("primes", "cannot start worker %s %u "
					"of %u: %s", what, st->started + 1,
					o->cfg.workers, strerror(-err));
		break;
	}
	return cli_fail("primes", "%s pool failed: %s", what, strerror(-err));
}

/* The first line: how the numbers will be checked. */
static int print_header(const struct options *o, size_t len)
{
	char note[32];

	if (!o->pool)
		return cli_printf("Checking %zu numbers sequentially%s:\n", len,
				  lanes_note(o, note, sizeof(note)));
	return cli_printf("Checking %zu numbers with %u %s%s:\n", len,
			  o->cfg.workers, o->cfg.kind == POOL_PROCS ?
			  "processes" : "threads",
			  lanes_note(o, note, sizeof(note)));
}

/* The filter's lines (--format=tsv|jsonl): static, as they are large. */
static struct numout filter_out;
static struct numin filter_in;

/* --trace and --timeline: open them and point the pool at the trace. */
static int open_traces(struct options *o, struct cli_trace *trace)
{
	unsigned lanes = o->pool ? o->cfg.workers + 1 : 1;
	bool procs = o->pool && o->cfg.kind == POOL_PROCS;
	int rc;

	rc = cli_trace_open("primes", o->trace, lanes, procs, o->argc,
			    o->argv, trace);
	if (rc == CLI_OK)
		rc = cli_timeline_open("primes", o->timeline, lanes, procs,
				       o->argc, o->argv, trace);
	if (rc == CLI_OK)
		o->cfg.trace = trace->tr;
	return rc;
}

/* What ran is written after a stop or a failure too: rc, or CLI_FAIL
 * when writing it failed after a run that did not. */
static int close_traces(struct cli_trace *trace, int rc)
{
	if (cli_timeline_close("primes", trace) != CLI_OK && rc == CLI_OK)
		rc = CLI_FAIL;
	if (cli_trace_close("primes", trace) != CLI_OK && rc == CLI_OK)
		rc = CLI_FAIL;
	return rc;
}

static int run_checks(struct options *o, const struct numlist *list)
{
	struct pool_stats st;
	struct cli_trace trace;
	struct gil gil;
	struct pool_out out;
	double t0 = plat_now();
	bool book = o->format == NUMOUT_BOOK;
	int rc;

	memset(&st, 0, sizeof(st));
	out.err = 0;
	out.lines = book ? NULL : &filter_out;
	out.answered = calloc(list->len + 1, sizeof(bool));
	if (out.answered == NULL)
		return cli_fail("primes", "out of memory");
	rc = open_traces(o, &trace);
	if (rc != CLI_OK) {
		free(out.answered);
		return rc;
	}
	o->cfg.numbers = list->v;
	o->cfg.count = list->len;
	o->cfg.on_result = print_result;
	o->cfg.on_event = print_event;
	o->cfg.arg = &out;
	o->cfg.stop = &cli_signal;
	o->cfg.max_deaths = POOL_MAX_DEATHS;
	rc = out.err = book ? print_header(o, list->len) : 0;
	if (rc == 0 && o->gil_us != 0) {
		rc = gil_init(&gil, o->gil_us);
		o->cfg.gil = rc == 0 ? &gil : NULL;
	}
	if (rc == 0)
		rc = o->pool ? pool_run(&o->cfg, &st) :
			       pool_run_sequential(&o->cfg, &st);
	if (o->cfg.gil != NULL)
		gil_destroy(&gil);
	if (!book) {
		/* What was decided goes out, whatever stopped the run. */
		if (numout_flush(&filter_out) != 0 && out.err == 0)
			out.err = filter_out.err;
	} else if (rc == 0 && o->pool)
		rc = out.err = cli_printf("%zu checks in %.2fs\n", list->len,
					  plat_now() - t0);
	else if (rc == 0)
		rc = out.err = cli_printf("Total time: %.2fs\n",
					  plat_now() - t0);
	/* A write error is the output's, whatever the pool returned. */
	if (out.err != 0)
		rc = cli_output_failed("primes", out.err);
	else if (rc != 0)
		rc = pool_failed(o, &st, list, out.answered, rc);
	free(out.answered);
	return close_traces(&trace, rc);
}

/* ---- the filter: --format=tsv|jsonl with '-' ---- */

struct filter {
	struct options *o;
	bool bad;		/* a bad word was reported */
};

/* A bad word: reported in the stream's order, after the answers before
 * it, then skipped, as coreutils factor does. */
static void report_bad(unsigned long line, const char *word, int err,
		       void *arg)
{
	struct filter *f = arg;

	f->bad = true;
	numout_flush(&filter_out);
	if (err == -ERANGE)
		cli_error("primes", "line %lu: number '%s' is too large (max "
			  "%llu)", line, word, (unsigned long long)UINT64_MAX);
	else
		cli_error("primes", "line %lu: invalid number '%s' (expected "
			  "a decimal integer 0..%llu)", line, word,
			  (unsigned long long)UINT64_MAX);
}

static bool stop_requested(void *arg)
{
	(void)arg;
	return cli_signal != 0;
}

/*
 * Check v[0..count) in order, each answer added to the output as it is
 * decided.  Timing: one clock read per number, so a number's seconds run
 * from the previous answer (or from the read that brought it) to its
 * verdict: its check plus the formatting of the line before it.
 */
static int check_batch(const struct options *o, const uint64_t *v,
		       size_t count, double *t)
{
	size_t i;

	for (i = 0; i < count; i++) {
		bool prime;
		double now;

		if (!pool_check(v[i], o->cfg.path, PRIME_SLICE,
				stop_requested, NULL, &prime))
			return -EINTR;
		now = plat_now();
		if (numout_put(&filter_out, v[i], prime, now - *t) != 0)
			return filter_out.err;
		*t = now;
	}
	return 0;
}

/* Standard input, number by number, answered at once (sequential).
 * Returns 0 or -errno (-EINTR: a signal). */
static int stream_stdin(struct filter *f)
{
	static uint64_t v[1024];
	double t;

	numin_init(&filter_in, STDIN_FILENO, report_bad, f);
	for (;;) {
		long got;
		int rc;

		if (cli_signal != 0)
			return -EINTR;
		got = numin_read(&filter_in, v, sizeof(v) / sizeof(v[0]),
				 false);
		if (got == -EAGAIN) {
			/* Nothing ready: the answers so far go out first. */
			if (numout_flush(&filter_out) != 0)
				return filter_out.err;
			got = numin_read(&filter_in, v,
					 sizeof(v) / sizeof(v[0]), true);
		}
		if (got == -EINTR)
			continue;
		if (got <= 0)
			return (int)got;
		t = plat_now();		/* the read is not the first's check */
		rc = check_batch(f->o, v, (size_t)got, &t);
		if (rc != 0)
			return rc;
	}
}

/* The operands in order, one by one, '-' streamed, traced on one lane
 * ("main") under --trace or --timeline.  Returns as stream_pool does. */
static int stream_operands(struct options *o, struct filter *f, int argc,
			   char **argv)
{
	struct cli_trace trace;
	struct trace_lane *old;
	double t;
	int i, rc;

	rc = open_traces(o, &trace);
	if (rc != CLI_OK)
		return rc;
	old = trace_bind(o->cfg.trace, 0);
	trace_lane_name(o->cfg.trace, 0, "main");
	for (i = 0; i < argc && rc == 0; i++) {
		uint64_t n;

		if (strcmp(argv[i], "-") == 0)
			rc = stream_stdin(f);
		else if (parse_u64(argv[i], &n) == 0) {	/* checked before */
			t = plat_now();
			rc = check_batch(o, &n, 1, &t);
		}
	}
	trace_self = old;
	return close_traces(&trace, rc);
}

/* ---- the filter through a pool (pool_stream) ---- */

/* The pool's source: a list's numbers (--set, or the operands when
 * none is '-'), or the operands in order, '-' read as it comes. */
struct operands {
	const struct numlist *list;	/* NULL: the operands */
	size_t pos;			/* in list */
	struct filter *f;
	int argc, i;
	char **argv;
	bool reading;		/* argv[i] is '-', numin set up */
	int err;		/* the input's error, if any */
};

static long operands_read(void *arg, uint64_t *buf, size_t max, bool wait)
{
	struct operands *s = arg;
	long got;

	if (s->list != NULL) {
		got = (long)(s->list->len - s->pos < max ?
			     s->list->len - s->pos : max);
		memcpy(buf, s->list->v + s->pos, (size_t)got * sizeof(*buf));
		s->pos += (size_t)got;
		return got;
	}
	while (s->i < s->argc) {
		const char *arg_i = s->argv[s->i];

		if (strcmp(arg_i, "-") != 0) {
			s->i++;
			if (parse_u64(arg_i, buf) == 0)	/* checked before */
				return 1;
			continue;
		}
		if (!s->reading)
			numin_init(&filter_in, STDIN_FILENO, report_bad, s->f);
		s->reading = true;
		got = numin_read(&filter_in, buf, max, wait);
		if (got < 0 && got != -EAGAIN && got != -EINTR)
			s->err = (int)got;
		if (got != 0)
			return got;
		s->i++;
		s->reading = false;
	}
	return 0;
}

static int filter_result(const struct pool_result *r, void *arg)
{
	(void)arg;
	return numout_put(&filter_out, r->n, r->prime, r->elapsed);
}

static int filter_idle(void *arg)
{
	(void)arg;
	return numout_flush(&filter_out);
}

/* The operands through the pool, answers as they are decided (or in
 * input order: --keep-order).  Returns 0, the input's or the output's
 * -errno, -EINTR, or CLI_FAIL once a pool failure is reported. */
static int stream_pool(struct options *o, struct filter *f, int argc,
		       char **argv, const struct numlist *list)
{
	struct operands in = { list, 0, f, argc, 0, argv, false, 0 };
	struct pool_source src = { operands_read, &in };
	struct cli_trace trace;
	struct pool_stats st;
	struct gil gil;
	int rc;

	rc = open_traces(o, &trace);
	if (rc != CLI_OK)
		return rc;
	o->cfg.on_result = filter_result;
	o->cfg.on_event = print_event;
	o->cfg.idle = filter_idle;
	o->cfg.keep_order = o->keep_order;
	o->cfg.stop = &cli_signal;
	o->cfg.max_deaths = POOL_MAX_DEATHS;
	if (o->gil_us != 0) {
		rc = gil_init(&gil, o->gil_us);
		o->cfg.gil = rc == 0 ? &gil : NULL;
	}
	if (rc == 0)
		rc = pool_stream(&o->cfg, &src, &st);
	if (o->cfg.gil != NULL)
		gil_destroy(&gil);
	if (rc != 0 && rc != in.err && rc != filter_out.err && rc != -EINTR) {
		numout_flush(&filter_out);
		rc = pool_failed(o, &st, NULL, NULL, rc);
	}
	return close_traces(&trace, rc);
}

/* The operands in order, '-' streamed: --format=tsv|jsonl with '-'; or,
 * with a pool, the operands or list (not NULL: without '-') through
 * pool_stream. */
static int run_filter(struct options *o, int argc, char **argv,
		      const struct numlist *list)
{
	struct filter f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.o = o;
	rc = o->pool ? stream_pool(o, &f, argc, argv, list) :
		stream_operands(o, &f, argc, argv);
	/* What was decided goes out, whatever stopped the run; a write
	 * error is the output's, whatever else happened. */
	if (numout_flush(&filter_out) != 0)
		return cli_output_failed("primes", filter_out.err);
	if (rc == -EINTR)
		return CLI_FAIL;		/* main re-raises the signal */
	if (rc == -ENOMEM)
		return cli_fail("primes", "out of memory");
	if (rc < 0)
		return cli_fail("primes", "cannot read standard input: %s",
				strerror(-rc));
	if (rc != 0)
		return rc;		/* the pool's failure, reported */
	return f.bad ? CLI_FAIL : CLI_OK;
}

/* Whether argv has the operand '-'. */
static bool has_stdin(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			return true;
	return false;
}

/* The operands other than '-', each checked as the book's are: a usage
 * error, before any work, for the first bad one. */
static int check_operands(int argc, char **argv)
{
	struct numlist one;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			continue;
		rc = cli_numbers("primes", 1, argv + i, &one);
		if (rc != CLI_OK)
			return rc;
		cli_numbers_free(&one);
	}
	return CLI_OK;
}

/* ---- options ---- */

static int set_kind(struct options *o, enum pool_kind kind, const char *arg)
{
	const char *name = kind == POOL_PROCS ? "--procs" : "--threads";
	uint64_t n = cli_online_cpus(POOL_MAX_WORKERS);

	if (o->pool && o->cfg.kind != kind)
		return cli_usage("primes", "--procs and --threads cannot be "
				 "used together");
	if (arg != NULL && parse_count(arg, 1, POOL_MAX_WORKERS, &n) != 0)
		return cli_usage("primes", "invalid %s value '%s' (expected "
				 "1..%d)", name, arg, POOL_MAX_WORKERS);
	o->pool = true;
	o->cfg.kind = kind;
	o->cfg.workers = (unsigned)n;
	return CLI_OK;
}

static int set_order(struct options *o, const char *arg)
{
	int i = 0;

	if (cli_choice("primes", "--order", arg, cli_orders, &i) != CLI_OK)
		return CLI_USAGE;
	o->cfg.order = (enum pool_order)i;
	o->order_set = true;
	return CLI_OK;
}

static int set_set(struct options *o, const char *arg)
{
	int i = 0;

	if (cli_choice("primes", "--set", arg, cli_sets, &i) != CLI_OK)
		return CLI_USAGE;
	o->set = (enum workload_set)i;
	o->set_given = true;
	return CLI_OK;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	int c, i = 0, rc = CLI_OK;

	memset(o, 0, sizeof(*o));
	o->cfg.order = POOL_FIFO;
	o->argc = argc;
	o->argv = argv;
	cli_getopt_reset();
	while (rc == CLI_OK &&
	       (c = cli_getopt("primes", argc, argv, cmd_primes_options)) !=
	       -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case OPT_ORDER:
			rc = set_order(o, optarg);
			break;
		case OPT_PROCS:
			rc = set_kind(o, POOL_PROCS, optarg);
			break;
		case OPT_THREADS:
			rc = set_kind(o, POOL_THREADS, optarg);
			break;
		case OPT_GIL:
			rc = cli_gil_interval("primes", optarg, &o->gil_us);
			break;
		case OPT_SET:
			rc = set_set(o, optarg);
			break;
		case OPT_KEEP_ORDER:
			o->keep_order = true;
			break;
		case OPT_FORMAT:
			rc = cli_choice("primes", "--format", optarg, formats,
					&i);
			o->format = (enum numout_format)i;
			break;
		case OPT_SIMD:
			o->simd = true;
			rc = cli_simd("primes", optarg, &o->cfg.path);
			break;
		case OPT_TRACE:
			rc = cli_file("primes", "--trace", optarg, &o->trace);
			break;
		case OPT_TIMELINE:
			rc = cli_file("primes", "--timeline", optarg,
				      &o->timeline);
			break;
		default:
			return CLI_USAGE;	/* cli_getopt said why */
		}
	}
	if (rc == CLI_OK && o->keep_order &&
	    (!o->pool || o->format == NUMOUT_BOOK))
		rc = cli_usage("primes", "--keep-order needs --procs or "
			       "--threads, and --format=tsv or jsonl");
	if (rc == CLI_OK && o->order_set && !o->pool)
		rc = cli_usage("primes", "--order needs --procs or --threads");
	if (rc == CLI_OK && o->gil_us != 0 &&
	    !(o->pool && o->cfg.kind == POOL_THREADS))
		rc = cli_usage("primes", "--gil needs --threads (only threads "
			       "share a GIL)");
	if (rc == CLI_OK && o->set_given && optind < argc)
		rc = cli_usage("primes", "--set and NUMBER operands cannot be "
			       "used together");
	return rc;
}

/* The numbers of a --set, copied into list (which owns its numbers). */
static int set_numbers(enum workload_set set, struct numlist *list)
{
	const uint64_t *v;
	size_t len = workload_numbers(set, &v);

	list->v = malloc(len * sizeof(*v));
	if (list->v == NULL)
		return cli_fail("primes", "out of memory");
	memcpy(list->v, v, len * sizeof(*v));
	list->len = list->cap = len;
	return CLI_OK;
}

int cmd_primes(int argc, char **argv)
{
	struct options o;
	struct numlist list;
	int rc;

	rc = parse_options(argc, argv, &o);
	if (rc != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (o.format != NUMOUT_BOOK)
		numout_init(&filter_out, STDOUT_FILENO, o.format,
			    !cli_dry_run && isatty(STDOUT_FILENO));
	if (o.format != NUMOUT_BOOK && has_stdin(argc - optind, argv + optind)) {
		rc = check_operands(argc - optind, argv + optind);
		if (rc != CLI_OK || cli_dry_run)
			return rc;
		return run_filter(&o, argc - optind, argv + optind, NULL);
	}
	if (o.set_given)
		rc = set_numbers(o.set, &list);
	else
		rc = cli_numbers("primes", argc - optind, argv + optind, &list);
	if (rc != CLI_OK)
		return rc;
	if (cli_dry_run)
		rc = CLI_OK;
	else if (o.pool && o.format != NUMOUT_BOOK)
		rc = run_filter(&o, 0, NULL, &list);
	else
		rc = run_checks(&o, &list);
	cli_numbers_free(&list);
	return rc;
}
