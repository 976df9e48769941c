/*
 * cmd_primes: `concdemo primes [NUMBER ...]`, the book's sequential.py:
 * check each number in order and print one line per number as it is done.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "prime.h"

static const char usage_text[] =
	"usage: concdemo primes [NUMBER ...]\n"
	"\n"
	"Check each NUMBER for primality by trial division, one after the\n"
	"other, as the book's sequential.py does; with no NUMBER, the book's\n"
	"20 numbers.  '-' reads whitespace-separated numbers from stdin.\n"
	"A NUMBER is a decimal integer 0..18446744073709551615; '_' may\n"
	"separate digits, as in Python (5_000_111_000_222_021).\n"
	"\n"
	"Each line: the number, P if prime, the seconds its check took.\n"
	"\n"
	"  -h, --help   show this help\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Slices of the scan between looks at cli_signal: ~1 ms each, so Ctrl-C
 * stops a long check at once (the book's sequential.py stops between
 * bytecodes; a C loop has to look). */
#define SLICE 1000000

static bool check(uint64_t n, bool *prime)
{
	struct prime_scan s;

	prime_scan_start(&s, n);
	while (!prime_scan_step(&s, SLICE))
		if (cli_signal)
			return false;
	*prime = s.prime;
	return true;
}

static int run_sequential(const struct numlist *list)
{
	double t0 = cli_now();
	size_t i;
	int rc;

	rc = cli_printf("Checking %zu numbers sequentially:\n", list->len);
	for (i = 0; rc == 0 && i < list->len; i++) {
		double t = cli_now();
		bool prime;

		if (!check(list->v[i], &prime))
			return CLI_FAIL;	/* main turns it into 128+sig */
		rc = cli_printf("%16" PRIu64 "  %c %9.6fs\n", list->v[i],
				prime ? 'P' : ' ', cli_now() - t);
	}
	if (rc == 0)
		rc = cli_printf("Total time: %.2fs\n", cli_now() - t0);
	return rc == 0 ? CLI_OK : cli_output_failed("primes", rc);
}

int cmd_primes(int argc, char **argv)
{
	struct numlist list;
	int c, rc;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return CLI_OK;
		default:
			return cli_bad_option("primes", argv, longopts);
		}
	}
	rc = cli_numbers("primes", argc - optind, argv + optind, &list);
	if (rc != CLI_OK)
		return rc;
	rc = cli_dry_run ? CLI_OK : run_sequential(&list);
	cli_numbers_free(&list);
	return rc;
}
