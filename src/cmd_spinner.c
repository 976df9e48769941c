/*
 * cmd_spinner: `concdemo spinner`, the book's eight spinner programs
 * (spinner_thread.py, spinner_proc.py, spinner_async.py,
 * spinner_async_experiment.py and the spinner_prime_*.py quiz): parse the
 * options, set up the terminal, run the spinner module, print the answer.
 * Unlike the book's thread spinner, Ctrl-C ends every model at once; on
 * a terminal, Ctrl-Z and a resize leave the line clean (docs/terminal.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gil.h"
#include "parse.h"
#include "spinner.h"
#include "term.h"

#define CMD "spinner"
#define DELAY_MAX 3600.0

static const char usage_text[] =
	"usage: concdemo spinner [--model=thread|process|coroutine]\n"
	"                        [--work=sleep|block|prime|nap] [--number=N]\n"
	"                        [--delay=SECONDS] [--spin=auto|always|never]\n"
	"                        [--gil[=MS]] [--simd[=PATH]] [--trace=FILE]\n"
	"                        [--timeline=FILE.svg]\n"
	"\n"
	"The book's spinners: spin() draws '\\ thinking!' frames every 0.1 s\n"
	"while slow() runs, then the line is blanked and the answer printed.\n"
	"\n"
	"  --model=M     who runs spin() (default thread):\n"
	"                  thread     a thread and an Event (spinner_thread.py)\n"
	"                  process    a child process and a shared Event\n"
	"                             (spinner_proc.py)\n"
	"                  coroutine  a task on an event loop (spinner_async.py)\n"
	"  --work=W      what slow() does (default sleep):\n"
	"                  sleep  sleep --delay seconds, answer 42\n"
	"                  block  a blocking sleep: the coroutine spinner never\n"
	"                         runs (spinner_async_experiment.py)\n"
	"                  prime  is_prime(--number): threads and processes spin,\n"
	"                         the coroutine blocks the loop (the quiz,\n"
	"                         spinner_prime_*.py)\n"
	"                  nap    coroutine only: is_prime with a sleep(0) every\n"
	"                         50,000 divisors (spinner_prime_async_nap.py)\n"
	"  --number=N    the number for prime and nap (default\n"
	"                18446744073709551557, the largest 64-bit prime: the\n"
	"                longest check a 64-bit number can need, ~1.7 s on a\n"
	"                recent core; the book's 5_000_111_000_222_021 takes\n"
	"                ~0.03 s in C, less than one frame)\n"
	"  --delay=S     seconds slow() sleeps for sleep and block (default 3)\n"
	"  --gil[=MS]    thread model only: run under an emulation of CPython's\n"
	"                GIL with a switch interval of MS milliseconds (default\n"
	"                5, as sys.getswitchinterval()): the spinner still spins\n"
	"                during --work=prime, as in spinner_prime_thread.py\n"
	"  --simd[=PATH] prime and nap: test the divisors in the CPU's vector\n"
	"                lanes, same verdict: auto (default: the fastest this\n"
	"                CPU has), avx512, avx2, sse2, neon or scalar\n"
	"  --trace=FILE  also write what ran when (frames, slow(), the loop's\n"
	"                steps, the GIL) to FILE as Chrome Trace Event JSON,\n"
	"                for ui.perfetto.dev (docs/trace.md)\n"
	"  --timeline=FILE.svg\n"
	"                also draw the run as an SVG picture: frames as\n"
	"                ticks, slow() and the loop's steps as bands\n"
	"  --spin=WHEN   draw frames: auto (default: when standard output is a\n"
	"                terminal and TERM is set and not 'dumb'), always, never\n"
	"  -h, --help    show this help\n"
	"\n"
	"--model also takes threads, processes, procs and coroutines.\n"
	"\n"
	"Examples:\n"
	"  concdemo spinner                                # spinner_thread.py\n"
	"  concdemo spinner --model=process --work=prime   # the quiz, processes\n"
	"  concdemo spinner --model=coroutine --work=nap   # spinner_prime_async_nap.py\n";

enum {
	OPT_MODEL = 256, OPT_WORK, OPT_NUMBER, OPT_DELAY, OPT_SPIN, OPT_GIL,
	OPT_SIMD, OPT_TRACE, OPT_TIMELINE,
};

static const struct cli_word works[] = {
	{ "sleep", SPINNER_SLEEP },
	{ "block", SPINNER_BLOCK },
	{ "prime", SPINNER_PRIME },
	{ "nap", SPINNER_NAP },
	{ NULL, 0 },
};

static const struct cli_word spins[] = {
	{ "auto", TERM_SPIN_AUTO },
	{ "always", TERM_SPIN_ALWAYS },
	{ "never", TERM_SPIN_NEVER },
	{ NULL, 0 },
};

const struct cli_option cmd_spinner_options[] = {
	{ "delay", required_argument, OPT_DELAY, "SECONDS", NULL, NULL,
	  "seconds slow() sleeps" },
	CLI_OPT_GIL(OPT_GIL, "thread model: run under an emulated GIL"),
	CLI_OPT_HELP,
	{ "model", required_argument, OPT_MODEL, "MODEL", cli_models, NULL,
	  "who runs spin()" },
	{ "number", required_argument, OPT_NUMBER, "N", NULL, NULL,
	  "the number for prime and nap" },
	CLI_OPT_SIMD(OPT_SIMD, "prime and nap: test divisors in vector lanes"),
	{ "spin", required_argument, OPT_SPIN, "WHEN", spins, NULL,
	  "draw frames" },
	CLI_OPT_TIMELINE(OPT_TIMELINE),
	CLI_OPT_TRACE(OPT_TRACE),
	{ "work", required_argument, OPT_WORK, "WORK", works, NULL,
	  "what slow() does" },
	CLI_OPT_END,
};

/* cli_models' values, in the spinner's terms. */
static const enum spinner_model models[] = {
	[CLI_MODEL_THREAD] = SPINNER_THREAD,
	[CLI_MODEL_PROCESS] = SPINNER_PROCESS,
	[CLI_MODEL_COROUTINE] = SPINNER_COROUTINE,
};

struct args {
	struct spinner_opts opts;
	enum term_spin spin;
	bool number_given, delay_given, simd_given;
	long gil_us;		/* --gil: switch interval; 0: no GIL */
	const char *trace;	/* --trace=FILE; NULL: none */
	const char *timeline;	/* --timeline=FILE.svg; NULL: none */
	int argc;		/* the command line, for the trace's caption */
	char **argv;
	int out_err;		/* announce could not print (-errno) */
};

static int parse_number(const char *value, uint64_t *out)
{
	int rc = parse_u64(value, out);

	if (rc == -ERANGE)
		return cli_usage(CMD, "invalid --number value '%s' (too large, "
				 "max %" PRIu64 ")", value, UINT64_MAX);
	if (rc != 0)
		return cli_usage(CMD, "invalid --number value '%s' (expected "
				 "a decimal integer 0..%" PRIu64 ", '_' allowed "
				 "between digits)", value, UINT64_MAX);
	return CLI_OK;
}

static int parse_delay(const char *value, double *out)
{
	if (parse_seconds(value, DELAY_MAX, out) != 0)
		return cli_usage(CMD, "invalid --delay value '%s' (expected "
				 "seconds, 0..%g)", value, DELAY_MAX);
	return CLI_OK;
}

static int parse_one(int c, const char *value, struct args *a)
{
	int i = 0, rc;

	switch (c) {
	case OPT_DELAY:
		a->delay_given = true;
		return parse_delay(value, &a->opts.delay);
	case OPT_GIL:
		return cli_gil_interval(CMD, value, &a->gil_us);
	case OPT_MODEL:
		rc = cli_choice(CMD, "--model", value, cli_models, &i);
		a->opts.model = models[i];
		return rc;
	case OPT_NUMBER:
		a->number_given = true;
		return parse_number(value, &a->opts.number);
	case OPT_SIMD:
		a->simd_given = true;
		return cli_simd(CMD, value, &a->opts.path);
	case OPT_SPIN:
		rc = cli_choice(CMD, "--spin", value, spins, &i);
		a->spin = (enum term_spin)i;
		return rc;
	case OPT_WORK:
		rc = cli_choice(CMD, "--work", value, works, &i);
		a->opts.work = (enum spinner_work)i;
		return rc;
	case OPT_TRACE:
		return cli_file(CMD, "--trace", value, &a->trace);
	case OPT_TIMELINE:
		return cli_file(CMD, "--timeline", value, &a->timeline);
	}
	return CLI_USAGE;
}

/* Options that make sense alone but not together; which model can do
 * which work is the module's to say (spinner_supported). */
static int check_combination(const struct args *a)
{
	enum spinner_model m = a->opts.model;
	enum spinner_work w = a->opts.work;

	if (!spinner_supported(m, w, false))
		return cli_usage(CMD, "--work=nap needs --model=coroutine");
	if (a->number_given && w != SPINNER_PRIME && w != SPINNER_NAP)
		return cli_usage(CMD, "--number applies to --work=prime or "
				 "--work=nap only");
	if (a->simd_given && w != SPINNER_PRIME && w != SPINNER_NAP)
		return cli_usage(CMD, "--simd applies to --work=prime or "
				 "--work=nap only");
	if (a->gil_us != 0 && !spinner_supported(m, w, true))
		return cli_usage(CMD, "--gil needs --model=thread (only threads "
				 "share a GIL)");
	if (a->delay_given && w != SPINNER_SLEEP && w != SPINNER_BLOCK)
		return cli_usage(CMD, "--delay applies to --work=sleep or "
				 "--work=block only");
	return CLI_OK;
}

/* n with thousands separators, as Python's f'{n:,}'. */
static void thousands(uint64_t n, char *buf, size_t size)
{
	char digits[24];
	size_t len, i, j = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, n);
	len = strlen(digits);
	for (i = 0; i < len && j + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = digits[i];
	}
	buf[j] = '\0';
}

static int announce(const char *repr, void *arg)
{
	struct args *a = arg;

	a->out_err = cli_printf("spinner object: %s\n", repr);
	return a->out_err;
}

static int print_answer(const struct args *a, const struct spinner_result *r)
{
	char n[32];

	if (a->opts.work == SPINNER_PRIME || a->opts.work == SPINNER_NAP) {
		thousands(a->opts.number, n, sizeof(n));
		return cli_printf("%s %s prime\n", n, r->prime ? "is" : "is not");
	}
	return cli_printf("Answer: %ld\n", r->answer);
}

/* Set up the GIL and the terminal, run, put the terminal back, report. */
static int run(struct args *a)
{
	struct spinner_result r;
	struct cli_trace trace;
	bool cursor = false, stopped;
	struct gil gil;
	int rc, drawn;

	if (a->gil_us != 0) {	/* first: a failure leaves no file behind */
		rc = gil_init(&gil, a->gil_us);
		if (rc != 0)
			return cli_fail(CMD, "cannot create the GIL: %s",
					strerror(-rc));
		a->opts.gil = &gil;
	}
	rc = cli_trace_open(CMD, a->trace, 2,
			    a->opts.model == SPINNER_PROCESS, a->argc, a->argv,
			    &trace);
	if (rc == CLI_OK)
		rc = cli_timeline_open(CMD, a->timeline, 2,
				       a->opts.model == SPINNER_PROCESS,
				       a->argc, a->argv, &trace);
	if (rc != CLI_OK) {
		if (a->opts.gil != NULL)
			gil_destroy(a->opts.gil);
		return rc;
	}
	a->opts.trace = trace.tr;

	a->opts.fd = STDOUT_FILENO;
	a->opts.animate = term_animates(a->spin, STDOUT_FILENO,
					getenv("TERM"));
	if (a->opts.animate && term_is_smart(STDOUT_FILENO, getenv("TERM")) &&
	    term_guard_install(STDOUT_FILENO) == 0) {
		cursor = true;
		term_cursor(STDOUT_FILENO, false);
	}
	rc = spinner_run(&a->opts, &r);
	if (a->opts.gil != NULL)
		gil_destroy(a->opts.gil);
	/* A signal that came as the work ended counts too: the child may
	 * have gone quietly on it, leaving its frame on the line. */
	stopped = r.interrupted || cli_signal != 0;
	/* The terminal echoed ^C after the frame: erase past it too. */
	if (a->opts.animate && (stopped || rc != 0))
		(cursor ? term_erase : term_blank)(STDOUT_FILENO);
	if (cursor) {
		term_cursor(STDOUT_FILENO, true);
		term_guard_remove();
	}
	/* What ran is written after a stop or a failure too. */
	drawn = cli_timeline_close(CMD, &trace);
	if ((cli_trace_close(CMD, &trace) != CLI_OK || drawn != CLI_OK) &&
	    rc == 0 && !stopped)
		return CLI_FAIL;
	if (rc != 0 && a->out_err != 0)
		return cli_output_failed(CMD, a->out_err);
	if (rc != 0)
		return cli_fail(CMD, "cannot run the spinner: %s",
				strerror(-rc));
	if (stopped)
		return CLI_FAIL;	/* main turns it into 128 + signal */
	rc = print_answer(a, &r);
	return rc == 0 ? CLI_OK : cli_output_failed(CMD, rc);
}

int cmd_spinner(int argc, char **argv)
{
	struct args a;
	int c, rc;

	memset(&a, 0, sizeof(a));
	a.opts.model = SPINNER_THREAD;
	a.opts.work = SPINNER_SLEEP;
	a.opts.number = SPINNER_DEFAULT_NUMBER;
	a.opts.delay = SPINNER_DEFAULT_DELAY;
	a.opts.stop = &cli_signal;
	a.opts.announce = announce;
	a.opts.arg = &a;
	a.spin = TERM_SPIN_AUTO;
	a.argc = argc;
	a.argv = argv;
	cli_getopt_reset();
	while ((c = cli_getopt(CMD, argc, argv, cmd_spinner_options)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return CLI_OK;
		}
		if (c == CLI_GETOPT_ERROR)
			return CLI_USAGE;
		rc = parse_one(c, optarg, &a);
		if (rc != CLI_OK)
			return rc;
	}
	if (optind < argc)
		return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
	rc = check_combination(&a);
	if (rc != CLI_OK || cli_dry_run)
		return rc;
	return run(&a);
}
