/*
 * numin: numbers read from a file descriptor as they come, for `primes -`
 * as a filter (docs/filter.md).
 *
 * The input is whitespace-separated decimal numbers, the syntax of
 * parse_u64 (parse.h), any number of them per line.  A word that is not
 * one is reported through the caller's callback with its line number and
 * skipped; reading goes on (as coreutils factor does).  Memory is the
 * struct's fixed buffer, whatever the input's length: no allocation.
 *
 * The caller owns the struct (numin_init; nothing to free; it does not
 * close the fd).  One thread uses it at a time.  The fd is never switched
 * to non-blocking mode (it may be shared with other processes): a read
 * that must not block first asks poll(2) with a zero timeout.
 */
#ifndef CONCDEMO_NUMIN_H
#define CONCDEMO_NUMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes read from the fd at a time. */
#define NUMIN_BUF 65536
/* Longest word quoted back in a bad-word report (longer: cut, "...") */
#define NUMIN_WORD_MAX 40

struct numin {
	int fd;
	size_t pos, end;	/* unread bytes are buf[pos..end) */
	unsigned long line;	/* newlines consumed so far */
	bool eof;		/* read(2) returned 0 */
	bool skipping;		/* in an over-long word, already reported */
	/* A word that is not a number: its line (from 1), its text
	 * (NUL-ended, cut to NUMIN_WORD_MAX bytes with "..." when longer),
	 * and why: -EINVAL (not a number) or -ERANGE (past
	 * 18446744073709551615).  May be NULL. */
	void (*on_bad)(unsigned long line, const char *word, int err,
		       void *arg);
	void *arg;
	char buf[NUMIN_BUF + NUMIN_WORD_MAX + 8];
};

/* Read numbers from fd; on_bad(line, word, err, arg) hears of bad words. */
void numin_init(struct numin *r, int fd,
		void (*on_bad)(unsigned long line, const char *word, int err,
			       void *arg),
		void *arg);

/*
 * Up to max (>= 1) numbers into buf, in input order.  Returns the count
 * (> 0); 0 at the end of the input (and at every later call); -EAGAIN
 * when wait is false and no whole number is ready (it did not block);
 * -EINTR when a signal interrupted a blocking read (call again, or stop);
 * or another -errno of read(2) or poll(2).
 *
 * It blocks (wait true) only when it has no number to return: once it
 * has one, it returns what the bytes already read hold rather than read
 * again.  So a caller answers what it got, flushes its output, and only
 * then calls with wait true, when the input has nothing ready:
 *
 *   n = numin_read(&r, v, max, false);
 *   if (n == -EAGAIN) { flush(); n = numin_read(&r, v, max, true); }
 */
long numin_read(struct numin *r, uint64_t *buf, size_t max, bool wait);

#endif
