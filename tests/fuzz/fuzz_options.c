/*
 * fuzz_options: libFuzzer target for the options and operands of every
 * command, run in-process with cli_dry_run set (parse and validate, then
 * return without doing the work).  The commands come from main.c's table
 * (cli_command_name), so a new command is fuzzed without editing this file.
 *
 * Input: byte 0 picks the command (one more value: no command, so argv[1]
 * is fuzzed too and main's own options and errors are reached); the bytes
 * up to the first 0xff are the arguments, split at each NUL; the bytes
 * after it are the command's standard input (for '-').
 *
 * What must hold: no crash, leak or undefined behaviour (ASan, UBSan), and
 * the exit status of a dry run is 0 or 2 (CLI_OK or CLI_USAGE).  The
 * commands' output goes to /dev/null: LLVMFuzzerInitialize adds
 * -close_fd_mask=3, with which libFuzzer points fds 1 and 2 there and keeps
 * its own and the sanitizers' reports on the real stderr.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int concdemo_main(int argc, char **argv);	/* main.c, renamed */

#define MAXARGS 64

static size_t ncommands;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char quiet[] = "-close_fd_mask=3";
	static char *args[256];
	FILE *in = tmpfile();
	int i;

	/* Keep the commands quiet unless asked (FUZZ_VERBOSE=1). */
	if (getenv("FUZZ_VERBOSE") == NULL && *argc < 255) {
		for (i = 0; i < *argc; i++)
			args[i] = (*argv)[i];
		args[i++] = quiet;
		args[i] = NULL;
		*argc = i;
		*argv = args;
	}
	/* Standard input: a temporary file rewritten for each input. */
	if (in == NULL || dup2(fileno(in), 0) < 0) {
		perror("fuzz_options: stdin");
		exit(1);
	}
	while (cli_command_name(ncommands) != NULL)
		ncommands++;
	cli_dry_run = true;
	return 0;
}

static void set_stdin(const uint8_t *data, size_t size)
{
	if (ftruncate(0, 0) != 0 ||
	    (size > 0 && pwrite(0, data, size, 0) != (ssize_t)size)) {
		perror("fuzz_options: stdin");
		abort();
	}
	rewind(stdin);		/* offset 0, buffer, EOF and error cleared */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAXARGS + 3];
	const uint8_t *end, *p, *word;
	size_t pick;
	int argc = 0, i, rc;

	if (size == 0)
		return 0;
	pick = data[0] % (ncommands + 1);
	end = memchr(data + 1, 0xff, size - 1);
	set_stdin(end ? end + 1 : data + size,
		  end ? (size_t)(data + size - end - 1) : 0);
	if (end == NULL)
		end = data + size;
	argv[argc++] = strdup("concdemo");
	if (pick < ncommands)
		argv[argc++] = strdup(cli_command_name(pick));
	/* Each word in its own exact-size block, so ASan sees an overread. */
	for (word = p = data + 1; p <= end && argc < MAXARGS + 2; p++) {
		if (p < end && *p != '\0')
			continue;
		if (p > data + 1 || p < end) {
			argv[argc] = malloc((size_t)(p - word) + 1);
			memcpy(argv[argc], word, (size_t)(p - word));
			argv[argc++][p - word] = '\0';
		}
		word = p + 1;
	}
	argv[argc] = NULL;
	cli_getopt_reset();
	rc = concdemo_main(argc, argv);
	if (rc != CLI_OK && rc != CLI_USAGE) {
		fprintf(stderr, "fuzz_options: a dry run returned %d\n", rc);
		abort();
	}
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
