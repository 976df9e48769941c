/*
 * numout: the result lines of `primes`, in the book's format or as a
 * filter's (tsv, jsonl: docs/filter.md), gathered in a buffer and written
 * to a file descriptor with one write(2) per buffer, or per line when the
 * caller asks (a terminal).
 *
 * The caller owns the struct (numout_init; nothing to free; it does not
 * close the fd); it is large (NUMOUT_BUF): place it static.  One thread
 * uses it at a time.  The line formatter is pure and thread-safe.
 */
#ifndef CONCDEMO_NUMOUT_H
#define CONCDEMO_NUMOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum numout_format {
	NUMOUT_BOOK,	/* "%16llu  P  0.000001s": sequential.py's line */
	NUMOUT_TSV,	/* "N\tprime\t0.000000021" */
	NUMOUT_JSONL,	/* {"n":N,"prime":true,"seconds":0.000000021} */
};

/* Bytes gathered before a write. */
#define NUMOUT_BUF 65536
/* Longest line any format makes, its newline included. */
#define NUMOUT_LINE_MAX 96

/* One result's line, newline included, into dst (NUMOUT_LINE_MAX bytes;
 * not NUL-ended).  Returns its length.  seconds < 0 is written as 0. */
size_t numout_line(char *dst, enum numout_format format, uint64_t n,
		   bool prime, double seconds);

struct numout {
	int fd;
	enum numout_format format;
	bool per_line;		/* write each line at once (a terminal) */
	int err;		/* the first write's -errno (sticky); 0 */
	size_t len;		/* bytes gathered in buf */
	char buf[NUMOUT_BUF];
};

void numout_init(struct numout *o, int fd, enum numout_format format,
		 bool per_line);

/* Add one result's line; writes the buffer when it is full (or at once
 * when per_line).  Returns 0 or o->err (-EPIPE: the reader went away;
 * nothing more is written after an error). */
int numout_put(struct numout *o, uint64_t n, bool prime, double seconds);

/* Write what is gathered (retrying short writes and EINTR).  Returns 0 or
 * o->err. */
int numout_flush(struct numout *o);

#endif
