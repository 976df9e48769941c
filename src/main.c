/*
 * main: the table of subcommands (as git.c's), global options, and the one
 * place that decides the exit status: the command's return value, turned
 * into a write error if stdout could not be flushed, or into the signal that
 * ended the run, re-raised so the shell sees 128 + signal.
 *
 * Global options, before the command: --help, --version, and --dry-run,
 * which sets cli_dry_run so the command parses and validates its options
 * and operands, then exits 0 without doing the work (tests/cli/docs.sh runs
 * every command the docs show this way).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "primes", cmd_primes,
	  "check numbers for primality (sequential.py, procs.py, threads.py)" },
	{ "spinner", cmd_spinner,
	  "a spinner while slow() runs (the book's spinner_*.py)" },
	{ "sweep", cmd_sweep,
	  "time the pool for 1..N workers, table and chart (run_procs.sh)" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *cli_command_name(size_t i)
{
	return i < NCOMMANDS ? commands[i].name : NULL;
}

static int usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"usage: concdemo [--help | --version] [--dry-run] COMMAND [ARGS]\n"
		"\n"
		"Reproduces the experiments of Fluent Python (2nd ed.),\n"
		"chapter 19, \"Concurrency Models in Python\", in C.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(fp,
		"\nOptions (before COMMAND):\n"
		"  --dry-run  parse and check COMMAND's options and operands,\n"
		"             then exit 0 (2 if they are wrong) without running it\n"
		"\n'concdemo COMMAND --help' describes a command; "
		"see also concdemo(1).\n");
	return CLI_OK;
}

static const struct command *find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Turn the command's status into the process's end. */
static int finish(int status)
{
	int sig = cli_signal;

	if (sig == 0 && status == CLI_PIPE)
		sig = SIGPIPE;
	if (sig == 0 && fflush(stdout) != 0) {
		if (errno == EPIPE)
			sig = SIGPIPE;
		else {
			cli_error(NULL, "cannot write output: %s",
				  strerror(errno));
			return CLI_FAIL;
		}
	}
	if (sig != 0) {
		/* End by the signal itself, so a shell loop sees an
		 * interrupted child; 128 + sig if it does not kill us. */
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	return status;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (cli_signals_install() != 0) {
		cli_error(NULL, "cannot install signal handlers: %s",
			  strerror(errno));
		return CLI_FAIL;
	}
	if (argc >= 2 && strcmp(argv[1], "--dry-run") == 0) {
		cli_dry_run = true;
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return finish(usage(stdout));
	if (strcmp(argv[1], "--version") == 0)
		return finish(printf("concdemo %s\n", CONCDEMO_VERSION) < 0 ?
			      CLI_FAIL : CLI_OK);
	cmd = find(argv[1]);
	if (cmd == NULL) {
		if (argv[1][0] == '-')
			return cli_usage(NULL, "unknown option '%s'", argv[1]);
		return cli_usage(NULL, "unknown command '%s'", argv[1]);
	}
	return finish(cmd->run(argc - 1, argv + 1));
}
