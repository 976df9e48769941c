/*
 * cli: what the front ends (main.c and cmd_*.c) share.  Unlike the modules,
 * these functions print: every message goes through cli_error / cli_usage so
 * it reads "concdemo: CMD: what went wrong".
 *
 * Adding a command: write src/cmd_NAME.c with int cmd_NAME(int, char **)
 * and its option table cmd_NAME_options[], declare both below, add a row to
 * the table in main.c, document it in concdemo.1 (its own .Ss section, every
 * option of its --help) the README and docs/python-to-c.md, and add
 * tests/cli/NAME.sh (docs/design.md has the checklist).  Adding
 * an option: one row in the command's table; docs/cli.md says what follows
 * from it (completion, the optional-value check, the man page test).
 */
#ifndef CONCDEMO_CLI_H
#define CONCDEMO_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atomicfile.h"
#include "prime.h"

#define CONCDEMO_VERSION "0.1.0"

/* Exit statuses (house style).  CLI_PIPE: stdout was closed under us; main
 * then ends the process quietly by SIGPIPE, as a plain C program would. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_PIPE = 141 };

/* A word an option takes (--model=thread), with the value it stands for.
 * A table lists the canonical spelling of a value first, then its other
 * spellings; it ends with a NULL name.  Help, completion and error
 * messages show the canonical spellings only. */
struct cli_word {
	const char *name;
	int value;
};

/* The one vocabulary of concurrency models: thread, process, coroutine
 * (also threads; processes, procs, proc; coroutines). */
enum { CLI_MODEL_THREAD, CLI_MODEL_PROCESS, CLI_MODEL_COROUTINE };
extern const struct cli_word cli_models[];	/* all three */
extern const struct cli_word cli_pool_models[];	/* thread and process */
extern const struct cli_word cli_orders[];	/* fifo, lifo, priority */
extern const struct cli_word cli_sets[];	/* book, large (workload.h) */
/* The paths of the prime core (--simd): auto (the value -1: the fastest
 * this CPU has), avx512, avx2, sse2, neon, scalar (enum prime_path). */
extern const struct cli_word cli_simd_paths[];

/* One option of a command: the single table that its parser
 * (cli_getopt), its error messages and shell completion all read.  A
 * table ends with a NULL name. */
struct cli_option {
	const char *name;	/* long name without "--" */
	int has_arg;		/* no_argument, required_argument or
				 * optional_argument (getopt.h) */
	int val;		/* what cli_getopt returns for it; a letter
				 * also makes the short option -LETTER */
	const char *arg;	/* the value's name in help: "N", "FILE"
				 * (completed as a file name); NULL */
	const struct cli_word *words;	/* the words it takes, or NULL */
	/* optional_argument only: whether a separate word after the option
	 * could be meant as its value (then cli_getopt refuses it as
	 * ambiguous).  NULL: any word that does not start with '-'. */
	bool (*takes)(const char *word);
	const char *help;	/* a few words, for completion menus */
};

/* The rows several commands share, each with its command's value (val)
 * and, where the commands word it differently, its help. */
#define CLI_OPT_HELP							\
	{ "help", no_argument, 'h', NULL, NULL, NULL, "show this help" }
#define CLI_OPT_GIL(val, help)						\
	{ "gil", optional_argument, (val), "MS", NULL, cli_looks_numeric, \
	  (help) }
#define CLI_OPT_ORDER(val)						\
	{ "order", required_argument, (val), "ORDER", cli_orders, NULL,	\
	  "the order workers take the jobs in" }
#define CLI_OPT_SET(val, help)						\
	{ "set", required_argument, (val), "SET", cli_sets, NULL, (help) }
#define CLI_OPT_SIMD(val, help)						\
	{ "simd", optional_argument, (val), "PATH", cli_simd_paths,	\
	  cli_is_simd_path, (help) }
#define CLI_OPT_TIMELINE(val)						\
	{ "timeline", required_argument, (val), "FILE", NULL, NULL,	\
	  "draw the run as an SVG timeline in FILE" }
#define CLI_OPT_TRACE(val)						\
	{ "trace", required_argument, (val), "FILE", NULL, NULL,	\
	  "write a Chrome trace of the run to FILE" }
#define CLI_OPT_END { NULL, 0, 0, NULL, NULL, NULL, NULL }

/* The subcommands: argv[0] is the command name; the return value is the
 * exit status (one of the above). */
int cmd_primes(int argc, char **argv);
int cmd_spinner(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_completion(int argc, char **argv);
extern const struct cli_option cmd_primes_options[];
extern const struct cli_option cmd_spinner_options[];
extern const struct cli_option cmd_sweep_options[];
extern const struct cli_option cmd_completion_options[];
extern const struct cli_word cmd_completion_shells[];	/* bash, zsh */

/* main.c's table of commands, and the global options (before the
 * command). */
struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const struct cli_option *options;
	const struct cli_word *operands;	/* words its operands take
						 * (completion), or NULL */
	bool command_operand;	/* its operand is a command (help) */
};
extern const struct cli_option cli_global_options[];

/* The i-th command of main.c's table, NULL past the end: the fuzzing
 * harness and the completion scripts go through every command with it. */
const struct cli_command *cli_command(size_t i);
const char *cli_command_name(size_t i);

/* The last of SIGINT, SIGTERM or SIGHUP received, 0 if none.  Long-running
 * front ends poll it, clean up, and return; main re-raises it so the shell
 * sees 128 + signal (130 for Ctrl-C). */
extern volatile sig_atomic_t cli_signal;

/* When set, a command parses and validates its options and operands, then
 * returns CLI_OK without doing the work (and without forking, spawning
 * threads or touching the terminal).  The fuzzing harness sets it to run
 * every command's parser in-process. */
extern bool cli_dry_run;

/* Install the flag-setting handler for SIGINT, SIGTERM, SIGHUP and ignore
 * SIGPIPE (a closed stdout shows up as EPIPE from cli_printf instead, so
 * workers can still be reaped).  Returns 0 or -errno. */
int cli_signals_install(void);

/* Reset getopt so a command can parse its argv (also when called twice in
 * one process, as the fuzzing harness does). */
void cli_getopt_reset(void);

/* "concdemo: CMD: message" on stderr (cmd may be NULL). */
void cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cli_error, then returns CLI_FAIL: for a runtime failure. */
int cli_fail(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cli_error plus a hint to --help, in one line; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* getopt_long over a table of cli_option, for a command's argv after
 * cli_getopt_reset.  Returns the next option's val (optarg set as by
 * getopt_long), -1 after the last option (optind at the first operand;
 * '--' ends the options), or CLI_GETOPT_ERROR after printing a one-line
 * usage error: an unknown option (with the nearest known one), an
 * ambiguous prefix (with its candidates), a value missing or not allowed,
 * a negative number, or an optional-value option followed by a separate
 * word it could take ("--procs 3": write --procs=3 or put the operands
 * after '--').  cmd NULL: main's global options, parsed up to the first
 * operand (the command) without permuting. */
#define CLI_GETOPT_ERROR (-2)
int cli_getopt(const char *cmd, int argc, char **argv,
	       const struct cli_option *opts);

/* The takes() of numeric optional values: word starts like a number (a
 * digit or '.'), whatever its range. */
bool cli_looks_numeric(const char *word);

/* The takes() of --simd: word is one of cli_simd_paths. */
bool cli_is_simd_path(const char *word);

/* The index in names[0..n-1] of the name nearest to the first len bytes
 * of word, counting an inserted, deleted or changed character or two
 * swapped neighbours as one edit, if it is near enough to be a typo of it
 * (at most 2 edits, and at most a third of the name); -1 if none.  Ties
 * go to the first. */
int cli_nearest(const char *word, size_t len, const char *const *names,
		size_t n);

/* printf to stdout and flush, so each line shows as it is made.  Returns
 * 0 or -errno (-EPIPE when the reader went away). */
int cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Map a failed cli_printf to an exit status: quiet CLI_PIPE for -EPIPE,
 * otherwise an error message and CLI_FAIL. */
int cli_output_failed(const char *cmd, int err);

/* "cannot write 'path': why" for an atomicfile's -errno err (-EEXIST:
 * not a regular file); returns CLI_FAIL. */
int cli_write_failed(const char *cmd, const char *path, int err);

/* A growable list of numbers to check. */
struct numlist {
	uint64_t *v;
	size_t len;
	size_t cap;
};

/* Fill list from the operands argv[0..argc-1]: none means the book's 20
 * numbers; "-" reads whitespace-separated numbers from stdin.  Every number
 * is parsed before any work starts.  Returns CLI_OK, CLI_USAGE (message
 * printed, naming the bad operand) or CLI_FAIL. */
int cli_numbers(const char *cmd, int argc, char **argv, struct numlist *list);
void cli_numbers_free(struct numlist *list);

/* The value of --gil[=MS]: NULL means CPython's default 5 ms; MS is a
 * decimal number of milliseconds, 0.001..1000 (CPython refuses a switch
 * interval of 0).  Sets *interval_us; returns CLI_OK or CLI_USAGE (message
 * printed). */
int cli_gil_interval(const char *cmd, const char *value, long *interval_us);

/* The value of a file option (--svg, --trace, --timeline) into *path;
 * empty: a usage error "OPT needs a file name".  Returns CLI_OK or
 * CLI_USAGE (message printed). */
int cli_file(const char *cmd, const char *opt, const char *value,
	     const char **path);

/* The value of --simd[=PATH]: NULL or "auto" is the fastest path this CPU
 * has (prime_path_best); otherwise a path's name.  Sets *path; returns
 * CLI_OK or CLI_USAGE (message printed: an unknown name, or a path this
 * CPU lacks, naming the ones it has). */
int cli_simd(const char *cmd, const char *value, enum prime_path *path);

/* The value of the word in words (any spelling) into *out; otherwise a
 * usage error "invalid OPT value 'x' (expected a, b or c)", with the
 * nearest canonical word if one is near.  Returns CLI_OK or CLI_USAGE. */
int cli_choice(const char *cmd, const char *opt, const char *value,
	       const struct cli_word *words, int *out);

/* Whether words[i] is the canonical spelling of its value (the first
 * row with that value). */
bool cli_word_is_canonical(const struct cli_word *words, size_t i);

/* The canonical spelling of value in words, NULL if none. */
const char *cli_word_name(const struct cli_word *words, int value);

/* Online CPUs, at least 1 and at most max (the default worker count). */
unsigned cli_online_cpus(unsigned max);

/* --trace=FILE (trace.h) and --timeline=FILE.svg (timeline.h), for
 * primes and spinner. */
struct cli_trace {
	struct atomicfile file;
	struct trace *tr;	/* NULL: no --trace */
	struct atomicfile svg;	/* --timeline (set by cli_timeline_open) */
};

/* Open path (NULL: no trace; t->tr stays NULL) before any work, so an
 * unwritable path is refused at once (as sweep --svg), and make the trace
 * of lanes lanes (shared across fork if shared), captioned with argv.
 * Returns CLI_OK or CLI_FAIL (message printed). */
int cli_trace_open(const char *cmd, const char *path, unsigned lanes,
		   bool shared, int argc, char **argv, struct cli_trace *t);

/* Write the trace of what ran (also after a stop or a failure), whole or
 * not at all; say on stderr how many events a full lane dropped; free
 * it.  Returns CLI_OK or CLI_FAIL (message printed). */
int cli_trace_close(const char *cmd, struct cli_trace *t);

/* After cli_trace_open: open the --timeline file path (NULL: none) before
 * any work, as cli_trace_open does, and make the trace if --trace did
 * not.  On failure the trace is closed too.  Returns CLI_OK or CLI_FAIL
 * (message printed). */
int cli_timeline_open(const char *cmd, const char *path, unsigned lanes,
		      bool shared, int argc, char **argv, struct cli_trace *t);

/* Before cli_trace_close: draw the trace into the --timeline file, whole
 * or not at all (also after a stop or a failure); without --trace, free
 * the trace (cli_trace_close then has nothing to do).  Returns CLI_OK or
 * CLI_FAIL (message printed). */
int cli_timeline_close(const char *cmd, struct cli_trace *t);

#endif
