/*
 * cli: messages, output, signals and operand parsing for the front ends.
 * The only shared state is cli_signal, written by the signal handler.
 */
#include <ctype.h>
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
#include "gil.h"
#include "parse.h"
#include "pool.h"
#include "prime.h"
#include "timeline.h"
#include "trace.h"
#include "workload.h"

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

int cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, fmt, ap, NULL);
	va_end(ap);
	return CLI_FAIL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, fmt, ap, "hint");
	va_end(ap);
	return CLI_USAGE;
}

const struct cli_word cli_models[] = {
	{ "thread", CLI_MODEL_THREAD },
	{ "process", CLI_MODEL_PROCESS },
	{ "coroutine", CLI_MODEL_COROUTINE },
	{ "threads", CLI_MODEL_THREAD },
	{ "processes", CLI_MODEL_PROCESS },
	{ "procs", CLI_MODEL_PROCESS },
	{ "proc", CLI_MODEL_PROCESS },
	{ "coroutines", CLI_MODEL_COROUTINE },
	{ NULL, 0 },
};

const struct cli_word cli_pool_models[] = {
	{ "thread", CLI_MODEL_THREAD },
	{ "process", CLI_MODEL_PROCESS },
	{ "threads", CLI_MODEL_THREAD },
	{ "processes", CLI_MODEL_PROCESS },
	{ "procs", CLI_MODEL_PROCESS },
	{ "proc", CLI_MODEL_PROCESS },
	{ NULL, 0 },
};

const struct cli_word cli_orders[] = {
	{ "fifo", POOL_FIFO },
	{ "lifo", POOL_LIFO },
	{ "priority", POOL_PRIORITY },
	{ NULL, 0 },
};

const struct cli_word cli_sets[] = {
	{ "book", WORKLOAD_BOOK },
	{ "large", WORKLOAD_LARGE },
	{ NULL, 0 },
};

/* In the help's order: widest first, scalar (the default loop) last. */
const struct cli_word cli_simd_paths[] = {
	{ "auto", -1 },
	{ "avx512", PRIME_AVX512 },
	{ "avx2", PRIME_AVX2 },
	{ "sse2", PRIME_SSE2 },
	{ "neon", PRIME_NEON },
	{ "scalar", PRIME_SCALAR },
	{ NULL, 0 },
};

/* ---- suggestions: the nearest name by edit distance ---- */

#define NAME_MAX_LEN 64

/* Optimal string alignment distance: insert, delete, change, or swap two
 * neighbours, each 1 (git's suggestions weigh them; plain counts are
 * enough for a dozen names). */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t d[NAME_MAX_LEN + 1][NAME_MAX_LEN + 1];
	size_t i, j;

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

int cli_nearest(const char *word, size_t len, const char *const *names,
		size_t n)
{
	size_t i, best = SIZE_MAX;
	int at = -1;

	for (i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		size_t d = distance(word, len, names[i], nl);
		size_t limit = nl / 3 > 2 ? 2 : nl / 3 ? nl / 3 : 1;

		if (d <= limit && d < best) {
			best = d;
			at = (int)i;
		}
	}
	return at;
}

/* ---- options ---- */

#define MAX_OPTIONS 32

static bool negative_number(const char *word)
{
	return word != NULL && word[0] == '-' && word[1] >= '0' &&
	       word[1] <= '9';
}

/* The option a long word (--name, --name=value, --prefix) names: its
 * index, -1 if none, -2 if the prefix fits several (listed in *amb). */
static int find_long(const struct cli_option *opts, const char *name,
		     size_t len, char *amb, size_t size)
{
	size_t i, used = 0;
	int found = -1, count = 0;

	for (i = 0; opts[i].name != NULL; i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return (int)i;
	amb[0] = '\0';
	for (i = 0; opts[i].name != NULL; i++) {
		if (strncmp(opts[i].name, name, len) != 0)
			continue;
		found = (int)i;
		count++;
		used += (size_t)snprintf(amb + used, used < size ? size - used
					 : 0, "%s--%s", count > 1 ? ", " : "",
					 opts[i].name);
		if (used >= size)
			used = size;
	}
	return count > 1 ? -2 : found;
}

/* getopt_long's '?': name the bad option (unknown, ambiguous, missing or
 * unexpected value, or a negative number); returns CLI_GETOPT_ERROR. */
static int bad_option(const char *cmd, char **argv,
		      const struct cli_option *opts)
{
	/* Long options use a whole word, so argv[optind - 1] is the culprit.
	 * Inside a bundle of short options getopt may not have moved optind
	 * yet, so a short option is named by optopt. */
	const char *word = optind > 1 ? argv[optind - 1] : NULL;
	const char *names[MAX_OPTIONS];
	char amb[256];
	size_t len, n;
	int i;

	if (optopt >= '0' && optopt <= '9') {
		if (!negative_number(word))
			word = argv[optind];
		if (negative_number(word)) {
			cli_usage(cmd, "invalid number '%.40s' (no sign "
				  "allowed)", word);
			return CLI_GETOPT_ERROR;
		}
	}
	if (word == NULL || strncmp(word, "--", 2) != 0) {
		cli_usage(cmd, "unknown option '-%c'",
			  optopt ? optopt : '?');
		return CLI_GETOPT_ERROR;
	}
	len = strcspn(word + 2, "=");
	i = find_long(opts, word + 2, len, amb, sizeof(amb));
	if (i == -2)
		cli_usage(cmd, "ambiguous option '%.*s' (could be %s)",
			  (int)len + 2 > 42 ? 42 : (int)len + 2, word, amb);
	else if (i >= 0 && word[2 + len] == '=')
		cli_usage(cmd, "option '--%s' takes no value", opts[i].name);
	else if (i >= 0)
		cli_usage(cmd, "option '--%s' needs a value (--%s=%s)",
			  opts[i].name, opts[i].name,
			  opts[i].arg ? opts[i].arg : "VALUE");
	if (i != -1)
		return CLI_GETOPT_ERROR;
	for (n = 0; n < MAX_OPTIONS && opts[n].name != NULL; n++)
		names[n] = opts[n].name;
	i = cli_nearest(word + 2, len, names, n);
	if (i >= 0)
		cli_usage(cmd, "unknown option '%.*s'; did you mean '--%s'?",
			  len > 40 ? 42 : (int)len + 2, word, names[i]);
	else
		cli_usage(cmd, "unknown option '%.*s'",
			  len > 40 ? 42 : (int)len + 2, word);
	return CLI_GETOPT_ERROR;
}

bool cli_looks_numeric(const char *word)
{
	return (word[0] >= '0' && word[0] <= '9') || word[0] == '.';
}

bool cli_is_simd_path(const char *word)
{
	size_t i;

	for (i = 0; cli_simd_paths[i].name != NULL; i++)
		if (strcmp(word, cli_simd_paths[i].name) == 0)
			return true;
	return false;
}

/* The option word getopt_long will read next, and the word after it, as
 * the user typed them: found before the call, because glibc and musl
 * permute argv (operands after options) at different moments, so the
 * word after the option is not always argv[optind] once it returns. */
static void peek(int argc, char **argv, const char **word, const char **next)
{
	int i;

	*word = *next = NULL;
	for (i = optind > 0 ? optind : 1; i < argc && argv[i] != NULL; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			*word = argv[i];
			*next = i + 1 < argc ? argv[i + 1] : NULL;
			return;
		}
	}
}

/* "--procs 3": an optional value must be attached (--procs=3), so a
 * separate word that the option could take is refused, never guessed. */
static bool ambiguous_value(const char *cmd, const char *word,
			    const char *next, const struct cli_option *o)
{
	if (o->has_arg != optional_argument || optarg != NULL ||
	    word == NULL || strncmp(word, "--", 2) != 0 || next == NULL)
		return false;
	if (o->takes ? !o->takes(next) : next[0] == '-')
		return false;
	cli_usage(cmd, "'%.42s %.40s' is ambiguous: write --%s=%.40s for "
		  "%s%s%.40s, or put the operands after '--'", word, next,
		  o->name, next, o->arg ? o->arg : "its value",
		  o->arg ? " = " : " ", next);
	return true;
}

int cli_getopt(const char *cmd, int argc, char **argv,
	       const struct cli_option *opts)
{
	struct option lo[MAX_OPTIONS + 1];
	char so[3 * MAX_OPTIONS + 2];
	const char *word, *next;
	size_t n, k = 0;
	int c, index = -1;

	if (cmd == NULL)
		so[k++] = '+';	/* main: stop at the command */
	for (n = 0; n < MAX_OPTIONS && opts[n].name != NULL; n++) {
		lo[n].name = opts[n].name;
		lo[n].has_arg = opts[n].has_arg;
		lo[n].flag = NULL;
		lo[n].val = opts[n].val;
		if (opts[n].val > 0 && opts[n].val < 128 &&
		    isalpha(opts[n].val)) {
			so[k++] = (char)opts[n].val;
			if (opts[n].has_arg != no_argument)
				so[k++] = ':';
			if (opts[n].has_arg == optional_argument)
				so[k++] = ':';
		}
	}
	memset(&lo[n], 0, sizeof(lo[n]));
	so[k] = '\0';
	peek(argc, argv, &word, &next);
	c = getopt_long(argc, argv, so, lo, &index);
	if (c == -1)
		return -1;
	if (c == '?' || c == ':')
		return bad_option(cmd, argv, opts);
	if (index < 0)		/* a short option: find its row */
		for (index = 0; index < (int)n && opts[index].val != c; index++)
			;
	if (index < (int)n && ambiguous_value(cmd, word, next, &opts[index]))
		return CLI_GETOPT_ERROR;
	return c;
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
	return cli_fail(cmd, "cannot write output: %s", strerror(-err));
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
		cli_usage(cmd, "number '%.*s%s'%s is too large (max %llu)",
			  len, text, more, where,
			  (unsigned long long)UINT64_MAX);
	else
		cli_usage(cmd, "invalid number '%.*s%s'%s (expected a decimal "
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
	if (ferror(stdin))
		return cli_fail(cmd, "cannot read standard input: %s",
				strerror(errno));
	return CLI_OK;
nomem:
	return cli_fail(cmd, "out of memory");
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

bool cli_word_is_canonical(const struct cli_word *words, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (words[j].value == words[i].value)
			return false;
	return true;
}

const char *cli_word_name(const struct cli_word *words, int value)
{
	size_t i;

	for (i = 0; words[i].name != NULL; i++)
		if (words[i].value == value)
			return words[i].name;
	return NULL;
}

/* snprintf at buf + *len, advancing *len; once the text is cut, *len
 * stays at size - 1 (not past the end) and later calls add nothing. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

int cli_file(const char *cmd, const char *opt, const char *value,
	     const char **path)
{
	if (value[0] == '\0')
		return cli_usage(cmd, "%s needs a file name", opt);
	*path = value;
	return CLI_OK;
}

int cli_simd(const char *cmd, const char *value, enum prime_path *path)
{
	char has[96] = "";
	size_t i, len = 0;
	int v = -1;

	if (value != NULL &&
	    cli_choice(cmd, "--simd", value, cli_simd_paths, &v) != CLI_OK)
		return CLI_USAGE;
	if (v < 0) {
		*path = prime_path_best();
		return CLI_OK;
	}
	*path = (enum prime_path)v;
	if (prime_path_supported(*path))
		return CLI_OK;
	for (i = 1; cli_simd_paths[i].name != NULL; i++)
		if (prime_path_supported(
			    (enum prime_path)cli_simd_paths[i].value))
			append(has, sizeof(has), &len, "%s%s", len ? ", " : "",
			       cli_simd_paths[i].name);
	return cli_usage(cmd, "--simd=%s: this CPU has no %s (it has: %s)",
			 value, value, has);
}

int cli_choice(const char *cmd, const char *opt, const char *value,
	       const struct cli_word *words, int *out)
{
	const char *names[MAX_OPTIONS];
	char list[128] = "", near[64] = "";
	size_t i, n = 0, len = 0;
	int at;

	for (i = 0; words[i].name != NULL; i++) {
		if (strcmp(words[i].name, value) == 0) {
			*out = words[i].value;
			return CLI_OK;
		}
		if (cli_word_is_canonical(words, i) && n < MAX_OPTIONS)
			names[n++] = words[i].name;
	}
	for (i = 0; i < n; i++)
		append(list, sizeof(list), &len, "%s%s", i == 0 ? "" :
		       i + 1 < n ? ", " : " or ", names[i]);
	at = cli_nearest(value, strlen(value), names, n);
	if (at >= 0)
		snprintf(near, sizeof(near), "; did you mean '%s'?",
			 names[at]);
	return cli_usage(cmd, "invalid %s value '%.40s' (expected %s)%s", opt,
			 value, list, near);
}

unsigned cli_online_cpus(unsigned max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return (unsigned long)n > max ? max : (unsigned)n;
}

/* ---- --trace=FILE ---- */

int cli_write_failed(const char *cmd, const char *path, int err)
{
	/* -EEXIST: there, but a device or a fifo (atomicfile.h). */
	return cli_fail(cmd, "cannot write '%s': %s", path, err == -EEXIST ?
			"not a regular file" : strerror(-err));
}

/* Record into a new trace t->tr, the run's command line its meta data;
 * if it cannot be made, f (opened for what) is discarded. */
static int trace_start(const char *cmd, const char *what,
		       struct atomicfile *f, unsigned lanes, bool shared,
		       int argc, char **argv, struct cli_trace *t)
{
	int err;

	t->tr = trace_create(lanes, 0, shared);
	if (t->tr == NULL) {
		err = errno;
		atomicfile_discard(f);
		return cli_fail(cmd, "cannot record a %s: %s", what,
				strerror(err));
	}
	trace_set_meta(t->tr, argc, argv);
	return CLI_OK;
}

int cli_trace_open(const char *cmd, const char *path, unsigned lanes,
		   bool shared, int argc, char **argv, struct cli_trace *t)
{
	int rc;

	t->file = (struct atomicfile)ATOMICFILE_INIT;
	t->tr = NULL;
	if (path == NULL)
		return CLI_OK;
	rc = atomicfile_open(&t->file, path);
	if (rc != 0)
		return cli_write_failed(cmd, path, rc);
	return trace_start(cmd, "trace", &t->file, lanes, shared, argc, argv,
			   t);
}

int cli_trace_close(const char *cmd, struct cli_trace *t)
{
	uint64_t dropped;
	char *buf;
	size_t len;
	int rc;

	if (t->tr == NULL)
		return CLI_OK;
	dropped = trace_dropped(t->tr);
	rc = trace_render_json(t->tr, &buf, &len);
	trace_free(t->tr);
	t->tr = NULL;
	rc = atomicfile_finish(&t->file, rc, buf, len);
	if (rc != 0)
		return cli_write_failed(cmd, t->file.path, rc);
	if (dropped > 0)
		cli_error(cmd, "trace: %llu events dropped (a lane was full)",
			  (unsigned long long)dropped);
	return CLI_OK;
}

/* ---- --timeline=FILE.svg ---- */

int cli_timeline_open(const char *cmd, const char *path, unsigned lanes,
		      bool shared, int argc, char **argv, struct cli_trace *t)
{
	int rc;

	t->svg = (struct atomicfile)ATOMICFILE_INIT;
	if (path == NULL)
		return CLI_OK;
	rc = atomicfile_open(&t->svg, path);
	if (rc != 0) {
		/* Nothing ran: a --trace file stays as it was. */
		trace_free(t->tr);
		t->tr = NULL;
		atomicfile_discard(&t->file);
		return cli_write_failed(cmd, path, rc);
	}
	if (t->tr != NULL)
		return CLI_OK;
	return trace_start(cmd, "timeline", &t->svg, lanes, shared, argc,
			   argv, t);
}

int cli_timeline_close(const char *cmd, struct cli_trace *t)
{
	int rc = 0;

	if (t->svg.path != NULL && t->tr != NULL)
		rc = timeline_commit_trace(t->tr, &t->svg);
	atomicfile_discard(&t->svg);
	/* Without --trace the trace is the timeline's: it says the drops
	 * (cli_trace_close does otherwise). */
	if (t->file.path == NULL && t->tr != NULL) {
		uint64_t dropped = trace_dropped(t->tr);

		trace_free(t->tr);
		t->tr = NULL;
		if (dropped > 0 && rc == 0)
			cli_error(cmd, "timeline: %llu events dropped (a lane "
				  "was full)", (unsigned long long)dropped);
	}
	return rc == 0 ? CLI_OK : cli_write_failed(cmd, t->svg.path, rc);
}
