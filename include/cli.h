/*
 * cli: what the front ends (main.c and cmd_*.c) share.  Unlike the modules,
 * these functions print: every message goes through cli_error / cli_usage so
 * it reads "concdemo: CMD: what went wrong".
 *
 * Adding a command: write src/cmd_NAME.c with int cmd_NAME(int, char **),
 * declare it below, add a row to the table in main.c, document it in
 * concdemo.1 and the README, and add tests/cli/NAME.sh.
 */
#ifndef CONCDEMO_CLI_H
#define CONCDEMO_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prime.h"

#define CONCDEMO_VERSION "0.1.0"

/* Exit statuses (house style).  CLI_PIPE: stdout was closed under us; main
 * then ends the process quietly by SIGPIPE, as a plain C program would. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_PIPE = 141 };

/* The subcommands: argv[0] is the command name; the return value is the
 * exit status (one of the above). */
int cmd_primes(int argc, char **argv);
int cmd_spinner(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

/* The name of the i-th command of main.c's table, NULL past the end: the
 * fuzzing harness runs every command through it without naming them. */
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

/* cli_error plus a hint to --help, in one line; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* getopt_long's '?' case: name the bad option (unknown, missing or
 * unexpected value, or a negative number); returns CLI_USAGE. */
struct option;
int cli_bad_option(const char *cmd, char **argv, const struct option *opts);

/* printf to stdout and flush, so each line shows as it is made.  Returns
 * 0 or -errno (-EPIPE when the reader went away). */
int cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Map a failed cli_printf to an exit status: quiet CLI_PIPE for -EPIPE,
 * otherwise an error message and CLI_FAIL. */
int cli_output_failed(const char *cmd, int err);

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

/* The value of --simd[=PATH]: NULL or "auto" is the fastest path this CPU
 * has (prime_path_best); otherwise a path's name.  Sets *path; returns
 * CLI_OK or CLI_USAGE (message printed: an unknown name, or a path this
 * CPU lacks, naming the ones it has). */
int cli_simd(const char *cmd, const char *value, enum prime_path *path);

/* The index in names (NULL-terminated) of an option's value, in *out;
 * otherwise a usage error "invalid OPT value 'x' (expected a, b or c)".
 * Returns CLI_OK or CLI_USAGE. */
int cli_choice(const char *cmd, const char *opt, const char *value,
	       const char *const *names, int *out);

/* Online CPUs, at least 1 and at most max (the default worker count). */
unsigned cli_online_cpus(unsigned max);

/* Seconds on the monotonic clock, for elapsed times. */
double cli_now(void);

#endif
