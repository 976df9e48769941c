/*
 * numout: result lines formatted by hand (no printf per line for the
 * filter's formats: at millions of lines a second, printf's parsing of its
 * format string is most of the cost) into one buffer, written with one
 * write(2) per NUMOUT_BUF bytes.  The book's line keeps snprintf, so it
 * stays byte for byte what sequential.py's print shows.
 * Departure from the book's Python: print() is line-buffered on a
 * terminal and block-buffered in a pipe, as here, but Python flushes only
 * at exit; this filter also flushes before it waits for input.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "numout.h"

/* "00" .. "99": two digits per division, half the divisions. */
static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

/* The width digits of v (< 10^width) at dst, zeros first. */
static void put_fixed(char *dst, uint32_t v, int width)
{
	while (width >= 2) {
		width -= 2;
		memcpy(dst + width, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (width == 1)
		dst[0] = (char)('0' + v);
}

/* n in decimal at dst; returns the length (1..20). */
static size_t put_u64(char *dst, uint64_t n)
{
	uint64_t power = 10;
	size_t len = 1;
	char *p;

	while (len < 20 && n >= power) {	/* count the digits */
		len++;
		power *= 10;
	}
	p = dst + len;
	while (n >= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (n % 100), 2);
		n /= 100;
	}
	if (n >= 10)
		memcpy(p - 2, pairs + 2 * n, 2);
	else
		p[-1] = (char)('0' + n);
	return len;
}

/* seconds as S.NNNNNNNNN (nanoseconds, rounded); returns the length. */
static size_t put_seconds(char *dst, double seconds)
{
	uint64_t ns;
	size_t len;

	if (!(seconds > 0))		/* negative, zero or NaN */
		seconds = 0;
	if (seconds > 1e10)		/* 317 years: keeps ns in range */
		seconds = 1e10;
	ns = (uint64_t)(seconds * 1e9 + 0.5);
	if (ns < 1000000000u) {
		dst[0] = '0';
		len = 1;
	} else {
		len = put_u64(dst, ns / 1000000000u);
	}
	dst[len++] = '.';
	put_fixed(dst + len, (uint32_t)(ns % 1000000000u), 9);
	return len + 9;
}

static size_t put_text(char *dst, const char *s)
{
	size_t len = strlen(s);

	memcpy(dst, s, len);
	return len;
}

size_t numout_line(char *dst, enum numout_format format, uint64_t n,
		   bool prime, double seconds)
{
	size_t len = 0;
	int rc;

	switch (format) {
	case NUMOUT_TSV:
		len = put_u64(dst, n);
		len += put_text(dst + len, prime ? "\tprime\t" : "\tcomposite\t");
		len += put_seconds(dst + len, seconds);
		break;
	case NUMOUT_JSONL:
		len = put_text(dst, "{\"n\":");
		len += put_u64(dst + len, n);
		len += put_text(dst + len, prime ? ",\"prime\":true,\"seconds\":" :
				",\"prime\":false,\"seconds\":");
		len += put_seconds(dst + len, seconds);
		dst[len++] = '}';
		break;
	default:
		/* The %9.6f of a huge time can be long: bounded by the size. */
		rc = snprintf(dst, NUMOUT_LINE_MAX, "%16" PRIu64 "  %c %9.6fs",
			      n, prime ? 'P' : ' ', seconds);
		len = rc < 0 ? 0 : (size_t)rc;
		if (len > NUMOUT_LINE_MAX - 1)
			len = NUMOUT_LINE_MAX - 1;
		break;
	}
	dst[len++] = '\n';
	return len;
}

void numout_init(struct numout *o, int fd, enum numout_format format,
		 bool per_line)
{
	o->fd = fd;
	o->format = format;
	o->per_line = per_line;
	o->err = 0;
	o->len = 0;
}

int numout_flush(struct numout *o)
{
	size_t done = 0;

	while (o->err == 0 && done < o->len) {
		ssize_t rc = write(o->fd, o->buf + done, o->len - done);

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			o->err = -errno;
		else if (rc == 0)
			o->err = -EIO;
		else
			done += (size_t)rc;
	}
	o->len = 0;
	return o->err;
}

int numout_put(struct numout *o, uint64_t n, bool prime, double seconds)
{
	if (o->err != 0)
		return o->err;
	if (o->len > NUMOUT_BUF - NUMOUT_LINE_MAX && numout_flush(o) != 0)
		return o->err;
	o->len += numout_line(o->buf + o->len, o->format, n, prime, seconds);
	if (o->per_line)
		return numout_flush(o);
	return 0;
}
