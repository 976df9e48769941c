/*
 * cli: messages, output, signals and operand parsing for the front ends.
 * The only shared state is cli_signal, written by the signal handler.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "event.h"
#include "gil.h"
#include "parse.h"
#include "prime.h"

volatile sig_atomic_t cli_signal;
bool cli_dry_run;

static void on_signal(int sig)
{
	cli_signal = sig;
}

int cli_signals_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits return EINTR */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -errno;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		return -errno;
	return 0;
}

void cli_getopt_reset(void)
{
	/* optind = 1 alone is not enough: glibc and musl keep the position
	 * inside a bundle of short options ("-xh") in hidden state, which
	 * only optind = 0 resets; the BSDs have optreset for that. */
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || \
	defined(__NetBSD__) || defined(__DragonFly__)
	optind = 1;
	optreset = 1;
#else
	optind = 0;
#endif
	opterr = 0;		/* we print our own one-line messages */
}

static void vmessage(const char *cmd, const char *fmt, va_list ap,
		     const char *hint)
{
	fflush(stdout);
	fputs("concdemo: ", stderr);
	if (cmd != NULL)
		fprintf(stderr, "%s: ", cmd);
	vfprintf(stderr, fmt, ap);
	if (hint != NULL)
		fprintf(stderr, " (see 'concdemo %s%s--help')", cmd ? cmd : "",
			cmd ? " " : "");
	fputc('\n', stderr);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, fmt, ap, NULL);
	va_end(ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, fmt, ap, "hint");
	va_end(ap);
	return CLI_USAGE;
}

static bool negative_number(const char *word)
{
	return word != NULL && word[0] == '-' && word[1] >= '0' &&
	       word[1] <= '9';
}

int cli_bad_option(const char *cmd, char **argv, const struct option *opts)
{
	/* Long options use a whole word, so argv[optind - 1] is the culprit.
	 * Inside a bundle of short options getopt may not have moved optind
	 * yet, so a short option is named by optopt. */
	const char *word = optind > 1 ? argv[optind - 1] : NULL;
	size_t len;

	if (optopt >= '0' && optopt <= '9') {
		if (!negative_number(word))
			word = argv[optind];
		if (negative_number(word))
			return cli_usage(cmd, "invalid number '%s' (no sign "
					 "allowed)", word);
	}
	if (word == NULL || strncmp(word, "--", 2) != 0)
		return cli_usage(cmd, "unknown option '-%c'",
				 optopt ? optopt : '?');
	len = strcspn(word + 2, "=");
	for (; opts != NULL && opts->name != NULL; opts++) {
		if (strlen(opts->name) != len ||
		    strncmp(opts->name, word + 2, len) != 0)
			continue;
		if (word[2 + len] == '=')
			return cli_usage(cmd, "option '--%s' takes no value",
					 opts->name);
		return cli_usage(cmd, "option '--%s' needs a value",
				 opts->name);
	}
	return cli_usage(cmd, "unknown option '%.*s'", (int)len + 2, word);
}

int cli_printf(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vprintf(fmt, ap);
	va_end(ap);
	if (rc < 0 || fflush(stdout) != 0) {
		int err = errno ? errno : EIO;

		clearerr(stdout);
		return -err;
	}
	return 0;
}

int cli_output_failed(const char *cmd, int err)
{
	if (err == -EPIPE)
		return CLI_PIPE;
	cli_error(cmd, "cannot write output: %s", strerror(-err));
	return CLI_FAIL;
}

static int push(struct numlist *list, uint64_t n)
{
	if (list->len == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 32;
		uint64_t *v = realloc(list->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		list->v = v;
		list->cap = cap;
	}
	list->v[list->len++] = n;
	return 0;
}

/* Longest token we accept from stdin (20 digits plus 19 separators), and
 * the most of a bad number a message quotes. */
#define TOKEN_MAX 40

static int bad_number(const char *cmd, const char *text, int err,
		      const char *where)
{
	/* Quote a long operand by its start: one short line, not 100 KB. */
	int len = strlen(text) > TOKEN_MAX ? TOKEN_MAX - 3 : TOKEN_MAX;
	const char *more = strlen(text) > TOKEN_MAX ? "..." : "";

	if (err == -ERANGE)
		cli_error(cmd, "number '%.*s%s'%s is too large (max %llu)",
			  len, text, more, where,
			  (unsigned long long)UINT64_MAX);
	else
		cli_error(cmd, "invalid number '%.*s%s'%s (expected a decimal "
			  "integer 0..%llu, '_' allowed between digits)",
			  len, text, more, where,
			  (unsigned long long)UINT64_MAX);
	return CLI_USAGE;
}

static int read_stdin(const char *cmd, struct numlist *list)
{
	char tok[TOKEN_MAX + 4];
	size_t len = 0;
	int c;

	do {
		c = getchar();
		if (c != EOF && c != ' ' && c != '\t' && c != '\n' &&
		    c != '\r' && c != '\v' && c != '\f') {
			if (len < TOKEN_MAX + 1)
				tok[len++] = (char)c;
			continue;
		}
		if (len > 0) {
			uint64_t n;
			int rc;

			tok[len] = '\0';
			if (len > TOKEN_MAX) {
				strcpy(tok + TOKEN_MAX - 3, "...");
				rc = -EINVAL;
			} else {
				rc = parse_u64(tok, &n);
			}
			if (rc != 0)
				return bad_number(cmd, tok, rc,
						  " on standard input");
			if (push(list, n) != 0)
				goto nomem;
			len = 0;
		}
	} while (c != EOF);
	if (ferror(stdin)) {
		cli_error(cmd, "cannot read standard input: %s",
			  strerror(errno));
		return CLI_FAIL;
	}
	return CLI_OK;
nomem:
	cli_error(cmd, "out of memory");
	return CLI_FAIL;
}

int cli_numbers(const char *cmd, int argc, char **argv, struct numlist *list)
{
	int i, rc;

	memset(list, 0, sizeof(*list));
	if (argc == 0) {
		for (i = 0; i < PRIME_BOOK_COUNT; i++)
			if (push(list, prime_book_numbers[i]) != 0)
				goto nomem;
		return CLI_OK;
	}
	for (i = 0; i < argc; i++) {
		uint64_t n;

		if (strcmp(argv[i], "-") == 0) {
			rc = read_stdin(cmd, list);
			if (rc != CLI_OK)
				goto fail;
			continue;
		}
		rc = parse_u64(argv[i], &n);
		if (rc != 0) {
			rc = bad_number(cmd, argv[i], rc, "");
			goto fail;
		}
		if (push(list, n) != 0)
			goto nomem;
	}
	return CLI_OK;
nomem:
	cli_error(cmd, "out of memory");
	cli_numbers_free(list);
	return CLI_FAIL;
fail:
	cli_numbers_free(list);
	return rc;
}

void cli_numbers_free(struct numlist *list)
{
	free(list->v);
	memset(list, 0, sizeof(*list));
}

int cli_gil_interval(const char *cmd, const char *value, long *interval_us)
{
	double ms;

	if (value == NULL) {
		*interval_us = GIL_DEFAULT_INTERVAL_US;
		return CLI_OK;
	}
	if (parse_seconds(value, GIL_MAX_INTERVAL_US / 1000.0, &ms) != 0 ||
	    ms * 1000.0 < 1.0)
		return cli_usage(cmd, "invalid --gil value '%s' (expected a "
				 "switch interval in ms, 0.001..%d)", value,
				 GIL_MAX_INTERVAL_US / 1000);
	*interval_us = (long)(ms * 1000.0 + 0.5);
	return CLI_OK;
}

int cli_simd(const char *cmd, const char *value, enum prime_path *path)
{
	/* The order of the help text: widest first, scalar last. */
	static const enum prime_path order[] = { PRIME_AVX512, PRIME_AVX2,
						 PRIME_SSE2, PRIME_NEON,
						 PRIME_SCALAR };
	char has[96] = "";
	size_t i, len = 0;
	int rc = prime_path_parse(value != NULL ? value : "auto", path);

	if (rc == 0)
		return CLI_OK;
	if (rc != -ENOTSUP)
		return cli_usage(cmd, "invalid --simd value '%s' (expected "
				 "auto, avx512, avx2, sse2, neon or scalar)",
				 value);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (prime_path_supported(order[i]))
			len += (size_t)snprintf(has + len, sizeof(has) - len,
						"%s%s", len ? ", " : "",
						prime_path_name(order[i]));
	return cli_usage(cmd, "--simd=%s: this CPU has no %s (it has: %s)",
			 value, value, has);
}

int cli_choice(const char *cmd, const char *opt, const char *value,
	       const char *const *names, int *out)
{
	char list[128] = "";
	size_t len = 0;
	int i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], value) == 0) {
			*out = i;
			return CLI_OK;
		}
	}
	for (i = 0; names[i] != NULL; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i == 0 ? "" : names[i + 1] ? ", " :
					" or ", names[i]);
	return cli_usage(cmd, "invalid %s value '%s' (expected %s)", opt,
			 value, list);
}

unsigned cli_online_cpus(unsigned max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return (unsigned long)n > max ? max : (unsigned)n;
}

double cli_now(void)
{
	return event_now();
}
