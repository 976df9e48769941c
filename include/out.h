/*
 * out: text output to a FILE * with a sticky error, and the program's one
 * escaper of strings for a terminal, JSON and XML.  The chart's renderings
 * and the SVG writer (svg.h) write through it.
 *
 * Text is escaped as UTF-8: control characters and invalid UTF-8 become
 * '?'.  The caller owns the struct and its stream; one thread uses it.
 */
#ifndef CONCDEMO_OUT_H
#define CONCDEMO_OUT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct out {
	FILE *fp;
	int err;	/* the first write's -errno (-EIO if unknown); 0 */
};

/* printf to o->fp; nothing once o->err is set. */
void out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_vprintf(struct out *o, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Flush o->fp unless o->err is set; returns o->err (the flush's -errno,
 * -EIO if unknown, once it fails). */
int out_flush(struct out *o);

enum out_esc {
	OUT_PLAIN,	/* as is (only controls and bad UTF-8 replaced) */
	OUT_JSON,	/* inside a JSON string: \" and \\ */
	OUT_XML,	/* XML text or attribute value: & < > " ' as
			 * entities */
	OUT_CSV,	/* inside a quoted CSV field: " doubled */
};

/* s escaped for m; NULL is written as "?". */
void out_text(struct out *o, const char *s, enum out_esc m);

/* Length of the valid UTF-8 sequence at p (1..4), 0 if it is not one:
 * overlong forms, surrogates, U+FFFE/U+FFFF and code points past
 * U+10FFFF are not (XML allows none of them, JSON wants valid UTF-8). */
size_t out_utf8_len(const unsigned char *p);

/* A render into memory: out_mem_open sets *buf to NULL and *len to 0 and
 * returns a stream on a growing buffer (NULL and errno set if it cannot).
 * out_mem_close closes it (fp NULL: nothing to close) and returns rc (the
 * writer's result) or else the close's -errno; on failure it frees the
 * buffer: *buf NULL, *len 0.  On success the caller owns *buf
 * (NUL-terminated, *len bytes).  So a render reads:
 *	FILE *fp = out_mem_open(buf, len);
 *	int rc = fp != NULL ? write(x, fp) : -errno;
 *	return out_mem_close(fp, rc, buf, len); */
FILE *out_mem_open(char **buf, size_t *len);
int out_mem_close(FILE *fp, int rc, char **buf, size_t *len);

#endif
