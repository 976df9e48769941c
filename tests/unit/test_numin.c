/* Unit tests for numin (the stream reader) and numout (the result lines):
 * words cut by the buffer's end, bad words with their line numbers, the
 * no-wait contract on a pipe, every field of each format, and the
 * buffer's writes. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numin.h"
#include "numout.h"
#include "tap.h"

struct bad {
	unsigned count;
	unsigned long line[8];
	char word[8][NUMIN_WORD_MAX + 1];
	int err[8];
};

static void on_bad(unsigned long line, const char *word, int err, void *arg)
{
	struct bad *b = arg;

	if (b->count < 8) {
		b->line[b->count] = line;
		snprintf(b->word[b->count], sizeof(b->word[0]), "%s", word);
		b->err[b->count] = err;
	}
	b->count++;
}

/* The line buf[0..len) is want. */
static void is_str(const char *name, const char *buf, size_t len,
		   const char *want)
{
	if (!ok(len == strlen(want) && memcmp(buf, want, len) == 0, "%s",
		name))
		diag("got '%.*s'", (int)len, buf);
}

/* A temporary file holding text, open for reading at its start. */
static int file_of(const char *text, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	if (f == NULL || fwrite(text, 1, len, f) != len || fflush(f) != 0)
		abort();
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Every number of fd, read max at a time, into v; returns the count. */
static size_t read_all(int fd, uint64_t *v, size_t cap, size_t max,
		       struct bad *b)
{
	static struct numin r;
	size_t len = 0;
	long got = 0;

	numin_init(&r, fd, on_bad, b);
	while (len + max <= cap &&
	       (got = numin_read(&r, v + len, max, true)) > 0)
		len += (size_t)got;
	if (len + max > cap)
		got = -ENOBUFS;		/* a test's mistake */
	if (got != 0)
		diag("numin_read returned %ld", got);
	return len;
}

static void test_words(void)
{
	static const char text[] = "1 2\n 3\t4\r\n5_000 18446744073709551615"
				   "\n\n  x7 18446744073709551616 12\n"
				   "0x10 -1 +1 1__0 13";
	struct bad b;
	uint64_t v[64];
	size_t len;
	int fd = file_of(text, sizeof(text) - 1);

	memset(&b, 0, sizeof(b));
	len = read_all(fd, v, 64, 3, &b);
	close(fd);
	if (!ok(len == 8 && v[0] == 1 && v[1] == 2 && v[2] == 3 && v[3] == 4 &&
		v[4] == 5000 && v[5] == UINT64_MAX && v[6] == 12 && v[7] == 13,
		"numbers in order, 3 at a time, the last without a newline"))
		diag("len %zu", len);
	if (!ok(b.count == 6 && b.line[0] == 5 &&
		strcmp(b.word[0], "x7") == 0 &&
		b.err[0] == -EINVAL && b.line[1] == 5 && b.err[1] == -ERANGE &&
		strcmp(b.word[1], "18446744073709551616") == 0 &&
		b.line[2] == 6 && strcmp(b.word[2], "0x10") == 0 &&
		strcmp(b.word[5], "1__0") == 0 && b.line[5] == 6,
		"bad words reported with their line and text, skipped"))
		diag("%u bad", b.count);
}

static void test_buffer_edges(void)
{
	/* 200,000 numbers of varying length: words cut by every 64 KiB
	 * buffer's end come out whole. */
	enum { N = 200000 };
	char *text = malloc((size_t)N * 12);
	uint64_t *v = malloc((N + 1024) * sizeof(*v));
	size_t len = 0, i, got;
	bool all = true;
	struct bad b;
	int fd;

	for (i = 0; i < N; i++)
		len += (size_t)sprintf(text + len, "%zu%c", i * 7919 % 1000003,
				       i % 5 ? ' ' : '\n');
	fd = file_of(text, len);
	memset(&b, 0, sizeof(b));
	got = read_all(fd, v, N + 1024, 1000, &b);
	close(fd);
	for (i = 0; i < N && i < got; i++)
		if (v[i] != i * 7919 % 1000003)
			all = false;
	ok(got == N && all && b.count == 0,
	   "200000 numbers across 64 KiB buffers, none cut, none lost");
	free(text);
	free(v);
}

static void test_long_word(void)
{
	/* A 1 MB word: one report, cut to NUMIN_WORD_MAX with "...", its
	 * tail skipped (never held whole: the buffer is 64 KiB). */
	size_t n = 1000000, len;
	char *text = malloc(n + 16);
	uint64_t v[8];
	struct bad b;
	int fd;

	memcpy(text, "5\n", 2);
	memset(text + 2, '7', n);
	memcpy(text + 2 + n, "\n6 ", 3);
	fd = file_of(text, n + 5);
	memset(&b, 0, sizeof(b));
	len = read_all(fd, v, 8, 1, &b);
	close(fd);
	ok(len == 2 && v[0] == 5 && v[1] == 6 && b.count == 1 &&
	   b.line[0] == 2 && strlen(b.word[0]) == NUMIN_WORD_MAX &&
	   strcmp(b.word[0] + NUMIN_WORD_MAX - 3, "...") == 0,
	   "a 1 MB word: reported once, cut, skipped; 5 and 6 read");
	free(text);
}

static void test_nul(void)
{
	static const char text[] = "12\0003 4";
	uint64_t v[8];
	struct bad b;
	int fd = file_of(text, sizeof(text) - 1);
	size_t len;

	memset(&b, 0, sizeof(b));
	len = read_all(fd, v, 8, 4, &b);
	close(fd);
	ok(len == 1 && v[0] == 4 && b.count == 1,
		"a word holding a NUL byte is bad, not 12");
}

static void test_no_wait(void)
{
	static struct numin r;
	uint64_t v[4];
	int p[2];
	long a, c, d, e, f;

	if (pipe(p) != 0)
		abort();
	numin_init(&r, p[0], NULL, NULL);
	a = numin_read(&r, v, 4, false);
	(void)!write(p[1], "41 4", 4);
	c = numin_read(&r, v, 4, false);
	d = numin_read(&r, v, 4, false);	/* "4" may be cut */
	(void)!write(p[1], "2\n", 2);
	e = numin_read(&r, v + 1, 4, false);
	close(p[1]);
	f = numin_read(&r, v, 4, true);
	close(p[0]);
	ok(a == -EAGAIN, "an empty pipe: -EAGAIN, no wait");
	if (!ok(c == 1 && d == -EAGAIN && e == 1 && v[0] == 41 && v[1] == 42,
		"a word the pipe may still extend waits for its end"))
		diag("%ld %ld %ld", c, d, e);
	ok(f == 0 && numin_read(&r, v, 4, true) == 0,
	   "end of input: 0, and 0 again");
}

static void test_lines(void)
{
	char buf[NUMOUT_LINE_MAX];
	char want[NUMOUT_LINE_MAX + 1];
	size_t len;

	len = numout_line(buf, NUMOUT_TSV, 7, true, 0.0000000214);
	is_str("tsv: prime", buf, len, "7\tprime\t0.000000021\n");
	len = numout_line(buf, NUMOUT_TSV, UINT64_MAX, false, 12.5);
	is_str("tsv: composite, the largest number",
		    buf, len, "18446744073709551615\tcomposite\t12.500000000\n");
	len = numout_line(buf, NUMOUT_TSV, 0, false, -1);
	is_str("tsv: 0, negative time as 0", buf, len,
		    "0\tcomposite\t0.000000000\n");
	len = numout_line(buf, NUMOUT_JSONL, 2, true, 1.0000000005);
	is_str("jsonl: prime", buf, len,
		    "{\"n\":2,\"prime\":true,\"seconds\":1.000000001}\n");
	len = numout_line(buf, NUMOUT_JSONL, 4444444444444444, false, 0.25);
	is_str("jsonl: composite", buf, len, "{\"n\":4444444444444444,"
		    "\"prime\":false,\"seconds\":0.250000000}\n");
	len = numout_line(buf, NUMOUT_BOOK, 3333333333333301, true, 0.0123456);
	snprintf(want, sizeof(want), "%16llu  P %9.6fs\n",
		 3333333333333301ull, 0.0123456);
	is_str("book: sequential.py's line", buf, len, want);
	len = numout_line(buf, NUMOUT_BOOK, 4, false, 1e300);
	ok(len == NUMOUT_LINE_MAX && buf[len - 1] == '\n',
		"book: a huge time stays within NUMOUT_LINE_MAX");
}

static void test_digits(void)
{
	/* Every length of number and of whole seconds, against printf. */
	char buf[NUMOUT_LINE_MAX], want[NUMOUT_LINE_MAX + 1];
	uint64_t n = 1;
	unsigned k, bad = 0;
	size_t len;

	for (k = 0; k < 20; k++, n *= 10) {
		uint64_t v[3] = { n - 1, n, n + n / 3 };
		unsigned j;

		for (j = 0; j < 3; j++) {
			double s = (double)(k * 7 % 13) + 0.000001234;

			len = numout_line(buf, NUMOUT_TSV, v[j], j == 1, s);
			snprintf(want, sizeof(want), "%llu\t%s\t%.9f\n",
				 (unsigned long long)v[j],
				 j == 1 ? "prime" : "composite", s);
			if (len != strlen(want) || memcmp(buf, want, len) != 0)
				if (bad++ < 3)
					diag("got '%.*s' want '%s'", (int)len,
					     buf, want);
		}
	}
	len = numout_line(buf, NUMOUT_TSV, 5, false, 1234567.5);
	if (len != strlen("5\tcomposite\t1234567.500000000\n"))
		bad++;
	ok(bad == 0, "tsv: numbers of 1..20 digits and seconds as printf's");
}

static void test_writes(void)
{
	static struct numout o;
	static char got[2 * NUMOUT_BUF];
	int p[2];
	ssize_t n;
	size_t total = 0;
	unsigned i;
	bool early = false;

	if (pipe(p) != 0)
		abort();
	numout_init(&o, p[1], NUMOUT_TSV, false);
	numout_put(&o, 5, true, 0);
	{	/* nothing written before a flush, while the buffer has room */
		static struct numin r;
		uint64_t v[1];

		numin_init(&r, p[0], NULL, NULL);
		early = numin_read(&r, v, 1, false) != -EAGAIN;
	}
	ok(!early && numout_flush(&o) == 0, "buffered until flushed");
	n = read(p[0], got, sizeof(got));
	if (!ok(n == 20 && memcmp(got, "5\tprime\t0.000000000\n", 20) == 0,
		"the flush writes the line"))
		diag("read %zd", n);
	for (i = 0; i < 3000; i++)	/* ~80 KB: one write when full */
		numout_put(&o, 1000000 + i, false, 0);
	n = read(p[0], got, sizeof(got));
	if (!ok(n > 0 && (size_t)n <= NUMOUT_BUF && (size_t)n > NUMOUT_BUF -
		NUMOUT_LINE_MAX, "a full buffer is written at once, whole lines"))
		diag("read %zd", n);
	total = (size_t)n;
	ok(got[total - 1] == '\n', "the write ends with a whole line");
	close(p[0]);
	numout_put(&o, 9, false, 0);
	ok(numout_flush(&o) == -EPIPE && numout_put(&o, 1, true, 0) == -EPIPE,
	   "a closed pipe: -EPIPE, sticky");
	close(p[1]);
}

int main(void)
{
	tap_start(30);
	signal(SIGPIPE, SIG_IGN);
	test_words();
	test_buffer_edges();
	test_long_word();
	test_nul();
	test_no_wait();
	test_lines();
	test_digits();
	test_writes();
	return tap_done();
}
