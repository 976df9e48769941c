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

static int cmd_help(int argc, char **argv);

enum { OPT_VERSION = 256, OPT_DRY_RUN };

/* Before the command: concdemo [--help | --version] [--dry-run] COMMAND. */
const struct cli_option cli_global_options[] = {
	{ "dry-run", no_argument, OPT_DRY_RUN, NULL, NULL, NULL,
	  "check a command line without running it" },
	{ "help", no_argument, 'h', NULL, NULL, NULL, "list the commands" },
	{ "version", no_argument, OPT_VERSION, NULL, NULL, NULL,
	  "print the version" },
	CLI_OPT_END,
};

static const struct cli_option help_options[] = {
	CLI_OPT_HELP,
	CLI_OPT_END,
};

static const struct cli_command commands[] = {
	{ "primes", cmd_primes,
	  "check numbers for primality (sequential.py, procs.py, threads.py)",
	  cmd_primes_options, NULL, false },
	{ "spinner", cmd_spinner,
	  "a spinner while slow() runs (the book's spinner_*.py)",
	  cmd_spinner_options, NULL, false },
	{ "sweep", cmd_sweep,
	  "time the pool for 1..N workers, table and chart (run_procs.sh)",
	  cmd_sweep_options, NULL, false },
	{ "help", cmd_help,
	  "show the help of concdemo or of a command",
	  help_options, NULL, true },
	{ "completion", cmd_completion,
	  "print a bash or zsh completion script",
	  cmd_completion_options, cmd_completion_shells, false },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct cli_command *cli_command(size_t i)
{
	return i < NCOMMANDS ? &commands[i] : NULL;
}

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
		"\n'concdemo help COMMAND' (or 'concdemo COMMAND --help') "
		"describes a command;\nsee also concdemo(1).\n");
	return CLI_OK;
}

/* The command named name, or NULL after a usage error naming the nearest
 * command. */
static const struct cli_command *find(const char *name)
{
	const char *names[NCOMMANDS];
	size_t i;
	int near;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
		names[i] = commands[i].name;
	}
	near = cli_nearest(name, strlen(name), names, NCOMMANDS);
	if (near >= 0)
		cli_usage(NULL, "unknown command '%.40s'; did you mean '%s'?",
			  name, names[near]);
	else
		cli_usage(NULL, "unknown command '%.40s'", name);
	return NULL;
}

static const char help_usage[] =
	"usage: concdemo help [COMMAND]\n"
	"\n"
	"Describe COMMAND, as 'concdemo COMMAND --help' does; with no\n"
	"COMMAND, list the commands.\n"
	"\n"
	"  -h, --help    show this help\n"
	"\n"
	"Examples:\n"
	"  concdemo help\n"
	"  concdemo help sweep\n";

/* `concdemo help [COMMAND]`, as git's: the command's --help. */
static int cmd_help(int argc, char **argv)
{
	const struct cli_command *cmd;
	char help[] = "--help";
	char *args[3];
	int c;

	cli_getopt_reset();
	while ((c = cli_getopt("help", argc, argv, help_options)) != -1) {
		if (c != 'h')
			return CLI_USAGE;	/* cli_getopt said why */
		fputs(help_usage, stdout);
		return CLI_OK;
	}
	if (optind + 1 < argc)
		return cli_usage("help", "unexpected argument '%.40s'",
				 argv[optind + 1]);
	if (optind == argc || strcmp(argv[optind], "help") == 0)
		return usage(stdout);
	cmd = find(argv[optind]);
	if (cmd == NULL)
		return CLI_USAGE;
	args[0] = argv[optind];
	args[1] = help;
	args[2] = NULL;
	return cmd->run(2, args);
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
			return cli_fail(NULL, "cannot write output: %s",
					strerror(errno));
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
	const struct cli_command *cmd;
	int c;

	if (cli_signals_install() != 0)
		return cli_fail(NULL, "cannot install signal handlers: %s",
				strerror(errno));
	cli_getopt_reset();
	while ((c = cli_getopt(NULL, argc, argv, cli_global_options)) != -1) {
		switch (c) {
		case 'h':
			return finish(usage(stdout));
		case OPT_DRY_RUN:
			cli_dry_run = true;
			break;
		case OPT_VERSION:
			return finish(printf("concdemo %s\n", CONCDEMO_VERSION)
				      < 0 ? CLI_FAIL : CLI_OK);
		default:
			return CLI_USAGE;	/* message printed */
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	cmd = find(argv[optind]);
	if (cmd == NULL)
		return CLI_USAGE;
	return finish(cmd->run(argc - optind, argv + optind));
}
