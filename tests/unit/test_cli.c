/* Unit tests for cli (the front ends' helpers): getopt can be reset between
 * two parses in one process, as the fuzzing harness needs; cli_getopt's
 * refusals (an optional value as a separate word, an ambiguous prefix);
 * the nearest-name suggestions; the model vocabulary.  cli_getopt's
 * messages go to stderr, which the test runner keeps in the log. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tap.h"

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse argv with the options of a typical command; return the options
 * seen as a string ("h?h") and leave optind where getopt stopped. */
static void parse(int argc, char **argv, char *seen, size_t size)
{
	size_t n = 0;
	int c;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1 &&
	       n + 1 < size) {
		seen[n++] = (char)c;
		if (c == '?')
			break;	/* a command returns on the first bad option */
	}
	seen[n] = '\0';
}

static void is_str(const char *got, const char *want, const char *desc)
{
	if (!ok(strcmp(got, want) == 0, "%s", desc))
		diag("got '%s', want '%s'", got, want);
}

enum { OPT_PROCS = 256, OPT_SET, OPT_SVG };

static const struct cli_option table[] = {
	{ "help", no_argument, 'h', NULL, NULL, NULL, NULL },
	{ "procs", optional_argument, OPT_PROCS, "N", NULL, cli_looks_numeric,
	  NULL },
	{ "set", required_argument, OPT_SET, "SET", NULL, NULL, NULL },
	{ "svg", required_argument, OPT_SVG, "FILE", NULL, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL },
};

/* cli_getopt over words (NULL-terminated, after "cmd"): the values it
 * returned, as "P=3 S=x E" (P, S, V for the options with their optarg,
 * h, E for CLI_GETOPT_ERROR), then "|" and the first operand, if any. */
static const char *parse_table(const char *const *words)
{
	static char out[128];
	char *argv[16], buf[16][32];
	int argc = 0, c;
	size_t n = 0;

	argv[argc++] = strcpy(buf[0], "cmd");
	for (; *words != NULL && argc < 15; words++, argc++)
		argv[argc] = strcpy(buf[argc], *words);
	argv[argc] = NULL;
	out[0] = '\0';
	cli_getopt_reset();
	while ((c = cli_getopt("cmd", argc, argv, table)) != -1) {
		const char *name = c == OPT_PROCS ? "P" : c == OPT_SET ? "S" :
				   c == OPT_SVG ? "V" : c == 'h' ? "h" : "E";

		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s%s%s",
				      n ? " " : "", name, optarg && c > 255 ?
				      "=" : "", optarg && c > 255 ? optarg :
				      "");
		if (c == CLI_GETOPT_ERROR)
			return out;
	}
	if (optind < argc)
		snprintf(out + n, sizeof(out) - n, "|%s", argv[optind]);
	return out;
}

static void test_getopt(void)
{
	static const char *const a1[] = { "--procs", "3", NULL };
	static const char *const a2[] = { "--procs=3", "7", NULL };
	static const char *const a3[] = { "--procs", "--", "3", NULL };
	static const char *const a4[] = { "--procs", "-", NULL };
	static const char *const a5[] = { "--procs", "abc", NULL };
	static const char *const a6[] = { "7", "--procs", NULL };
	static const char *const a7[] = { "--s=x", NULL };
	static const char *const a8[] = { "--se", "book", "--sv=f", NULL };
	static const char *const a9[] = { "--porcs", NULL };
	static const char *const a10[] = { "-h", "--pro=2", NULL };
	static const char *const a11[] = { "7", "--procs", "8", NULL };

	is_str(parse_table(a1), "E", "'--procs 3' is refused as ambiguous");
	is_str(parse_table(a2), "P=3|7", "'--procs=3 7': the value, then "
	       "an operand");
	is_str(parse_table(a3), "P|3", "'--procs -- 3': '--' ends the "
	       "options, 3 an operand");
	is_str(parse_table(a4), "P|-", "'--procs -': '-' (stdin) is no "
	       "value");
	is_str(parse_table(a5), "P|abc", "'--procs abc': takes() says no, "
	       "abc is an operand");
	is_str(parse_table(a6), "P|7", "'7 --procs': nothing follows");
	is_str(parse_table(a7), "E", "'--s=x' is ambiguous (--set, --svg)");
	is_str(parse_table(a8), "S=book V=f", "unique prefixes are taken, "
	       "a required value may be the next word");
	is_str(parse_table(a9), "E", "an unknown option is an error");
	is_str(parse_table(a10), "h P=2", "-h and --help share a row");
	is_str(parse_table(a11), "E", "'7 --procs 8': the word after the "
	       "option as typed, whatever getopt's permutation");
}

static void test_nearest(void)
{
	static const char *const cmds[] = { "primes", "spinner", "sweep",
					    "help", "completion" };
	static const char *const opts[] = { "gil", "help", "order", "procs",
					    "threads" };

	ok(cli_nearest("primse", 6, cmds, 5) == 0, "primse -> primes (a "
	   "swap is one edit)");
	ok(cli_nearest("sweeep", 6, cmds, 5) == 2, "sweeep -> sweep");
	ok(cli_nearest("spiner", 6, cmds, 5) == 1, "spiner -> spinner");
	ok(cli_nearest("porcs=3", 5, opts, 5) == 3, "porcs -> procs, the "
	   "length given stops at '='");
	ok(cli_nearest("gul", 3, opts, 5) == 0, "gul -> gil");
	ok(cli_nearest("frobnicate", 10, cmds, 5) == -1 &&
	   cli_nearest("x", 1, opts, 5) == -1 &&
	   cli_nearest("json", 4, opts, 5) == -1,
	   "nothing near: no suggestion");
	ok(cli_nearest("", 0, opts, 5) == -1, "an empty word: none");
}

static void test_words(void)
{
	static const char *const thread[] = { "thread", "threads", NULL };
	static const char *const process[] = { "process", "processes",
					       "procs", "proc", NULL };
	int v = -1, bad = 0;
	size_t i;

	for (i = 0; thread[i] != NULL; i++)
		bad += cli_choice("t", "--model", thread[i], cli_models, &v)
		       != CLI_OK || v != CLI_MODEL_THREAD;
	for (i = 0; process[i] != NULL; i++)
		bad += cli_choice("t", "--model", process[i], cli_pool_models,
				  &v) != CLI_OK || v != CLI_MODEL_PROCESS;
	is_u64(bad, 0, "every spelling of thread and process is accepted");
	ok(cli_choice("t", "--model", "coroutine", cli_pool_models, &v) ==
	   CLI_USAGE, "no coroutine among the pools");
	ok(strcmp(cli_word_name(cli_models, CLI_MODEL_PROCESS), "process")
	   == 0 && strcmp(cli_word_name(cli_orders, 2), "priority") == 0,
	   "the canonical spelling is the first");
}

/* A list of choices longer than the message's room is cut, not written
 * past its buffer. */
static void test_long_choice(void)
{
	static const struct cli_word many[] = {
		{ "aaaaaaaaaaaaaaaaaaaaaaaa", 0 },
		{ "bbbbbbbbbbbbbbbbbbbbbbbb", 1 },
		{ "cccccccccccccccccccccccc", 2 },
		{ "dddddddddddddddddddddddd", 3 },
		{ "eeeeeeeeeeeeeeeeeeeeeeee", 4 },
		{ "ffffffffffffffffffffffff", 5 },
		{ "gggggggggggggggggggggggg", 6 },
		{ "hhhhhhhhhhhhhhhhhhhhhhhh", 7 },
		{ NULL, 0 },
	};
	char line[512] = "";
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO), v = -1, rc;

	if (f == NULL || saved < 0) {
		ok(1, "# SKIP no temporary file for stderr");
		return;
	}
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	rc = cli_choice("t", "--x", "zzz", many, &v);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	ok(rc == CLI_USAGE && v == -1 && strstr(line, "(expected aaaa") &&
	   !strstr(line, "hhhh") && strlen(line) < 300,
	   "a long list of choices is cut to the message's room");
}

int main(void)
{
	char a0[] = "primes", bundle[] = "-xhhhhhhhhhhh", h[] = "-h";
	char seven[] = "7", help[] = "--help", dd[] = "--";
	char *first[] = { a0, bundle, NULL };
	char *second[] = { a0, h, seven, NULL };
	char *third[] = { a0, dd, help, NULL };
	char seen[32];

	tap_start(10);
	test_getopt();
	test_nearest();
	test_words();
	test_long_choice();
	parse(2, first, seen, sizeof(seen));
	is_u64(strcmp(seen, "?"), 0, "a bad option inside a bundle stops "
	       "the parse");
	parse(3, second, seen, sizeof(seen));
	ok(strcmp(seen, "h") == 0, "after a reset, the next argv is parsed "
	   "from its start (got '%s')", seen);
	is_u64(optind, 2, "optind points at the first operand");
	parse(3, third, seen, sizeof(seen));
	ok(strcmp(seen, "") == 0 && optind == 2, "'--' ends the options");
	return tap_done();
}
