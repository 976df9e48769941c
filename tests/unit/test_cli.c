/* Unit tests for cli (the front ends' helpers): getopt can be reset between
 * two parses in one process, as the fuzzing harness needs. */
#include <getopt.h>
#include <string.h>

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

int main(void)
{
	char a0[] = "primes", bundle[] = "-xhhhhhhhhhhh", h[] = "-h";
	char seven[] = "7", help[] = "--help", dd[] = "--";
	char *first[] = { a0, bundle, NULL };
	char *second[] = { a0, h, seven, NULL };
	char *third[] = { a0, dd, help, NULL };
	char seen[32];

	tap_start(10);
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
