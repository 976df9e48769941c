/*
 * numin: a hand-written scanner of decimal words over one 64 KiB buffer.
 *
 * Invariant: buf[pos..end) holds the bytes read and not yet scanned; a
 * word cut by the end of the buffer is moved to its start before the next
 * read(2) (words are short: one longer than NUMIN_WORD_MAX is not a number
 * and is skipped to its end without being kept).  A plain word of 1..19
 * digits is converted here (it cannot overflow); any other word goes to
 * parse_u64, so the syntax and its errors are exactly the operands'.
 * Departure from the book's Python: the book reads no input at all.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "numin.h"
#include "parse.h"

void numin_init(struct numin *r, int fd,
		void (*on_bad)(unsigned long line, const char *word, int err,
			       void *arg),
		void *arg)
{
	r->fd = fd;
	r->pos = r->end = 0;
	r->line = 0;
	r->eof = false;
	r->skipping = false;
	r->on_bad = on_bad;
	r->arg = arg;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static void report(struct numin *r, const char *word, size_t len, int err)
{
	char text[NUMIN_WORD_MAX + 1];

	if (len > NUMIN_WORD_MAX) {
		memcpy(text, word, NUMIN_WORD_MAX - 3);
		memcpy(text + NUMIN_WORD_MAX - 3, "...", 4);
	} else {
		memcpy(text, word, len);
		text[len] = '\0';
	}
	if (r->on_bad != NULL)
		r->on_bad(r->line + 1, text, err, r->arg);
}

/* The word w[0..len): true and *n if a number, else reported. */
static bool convert(struct numin *r, const char *w, size_t len, uint64_t *n)
{
	char tok[NUMIN_WORD_MAX + 1];
	uint64_t v = 0;
	size_t i;
	int rc;

	if (len <= 19) {
		for (i = 0; i < len && (unsigned)(w[i] - '0') < 10; i++)
			v = v * 10 + (unsigned)(w[i] - '0');
		if (i == len) {
			*n = v;
			return true;
		}
	}
	if (len > NUMIN_WORD_MAX || memchr(w, '\0', len) != NULL) {
		report(r, w, len, -EINVAL);
		return false;
	}
	memcpy(tok, w, len);
	tok[len] = '\0';
	rc = parse_u64(tok, n);
	if (rc == 0)
		return true;
	report(r, w, len, rc);
	return false;
}

/* Scan whole words of buf[pos..end) into out; stops at a word the end of
 * the buffer may cut (unless at end of input).  Returns the count. */
static size_t scan(struct numin *r, uint64_t *out, size_t max)
{
	const char *b = r->buf;
	size_t p = r->pos, end = r->end, got = 0;

	if (r->skipping) {	/* the tail of an over-long word */
		while (p < end && !is_space(b[p]))
			p++;
		r->skipping = p == end;
	}
	while (got < max) {
		size_t start;

		while (p < end && is_space(b[p]))
			if (b[p++] == '\n')
				r->line++;
		if (p == end)
			break;
		start = p;
		while (p < end && !is_space(b[p]))
			p++;
		if (p == end && !r->eof) {
			p = start;	/* maybe cut: wait for the rest */
			break;
		}
		if (convert(r, b + start, p - start, &out[got]))
			got++;
	}
	r->pos = p;
	return got;
}

/* Make room and read once more.  Returns bytes read, 0 at end, -errno. */
static long refill(struct numin *r)
{
	size_t keep = r->end - r->pos;
	ssize_t got;

	if (keep > NUMIN_WORD_MAX) {
		/* Not a number however it ends: report it now, skip the rest. */
		report(r, r->buf + r->pos, keep, -EINVAL);
		r->skipping = true;
		keep = 0;
	}
	memmove(r->buf, r->buf + r->pos, keep);
	r->pos = 0;
	r->end = keep;
	got = read(r->fd, r->buf + keep, NUMIN_BUF);
	if (got < 0)
		return -errno;
	if (got == 0)
		r->eof = true;
	r->end += (size_t)got;
	return got;
}

/* Whether a read would not block now. */
static int ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc = poll(&p, 1, 0);

	if (rc < 0)
		return -errno;
	return rc > 0;
}

long numin_read(struct numin *r, uint64_t *buf, size_t max, bool wait)
{
	for (;;) {
		size_t got = scan(r, buf, max);
		long rc;

		if (got > 0)
			return (long)got;
		if (r->eof)
			return 0;
		if (!wait) {
			rc = ready(r->fd);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return -EAGAIN;
		}
		rc = refill(r);
		if (rc < 0)
			return rc;
	}
}
