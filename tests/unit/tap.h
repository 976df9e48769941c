/*
 * tap.h: a tiny TAP producer for the unit tests (header-only, one per test
 * program).  ok() prints "ok N - name" or "not ok N - name"; tap_done()
 * prints the plan and returns the exit status.  tap_start() arms alarm() so
 * a deadlock fails the program instead of hanging the suite.
 */
#ifndef CONCDEMO_TAP_H
#define CONCDEMO_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int tap_count, tap_failed;

/* TAP_TIME_SCALE (an integer, set by tests/valgrind/run.sh): how much
 * slower this run is (1 when unset).  It stretches the alarm, and the
 * generous "not much later than" bounds that are still checked there. */
static inline unsigned tap_time_scale(void)
{
	const char *scale = getenv("TAP_TIME_SCALE");

	return scale != NULL && atoi(scale) > 1 ? (unsigned)atoi(scale) : 1;
}

static inline void tap_start(unsigned seconds)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(seconds * tap_time_scale());
}

static inline bool ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

/* A timing assertion: skipped when TAP_NO_TIMING is set (valgrind runs
 * threads one at a time and 20-50 times slower, so wall-clock bounds mean
 * nothing there; every other run checks them). */
static inline bool ok_timing(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool ok_timing(bool cond, const char *fmt, ...)
{
	char name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (getenv("TAP_NO_TIMING") != NULL)
		return ok(true, "%s # SKIP timing not checked here", name);
	return ok(cond, "%s", name);
}

/* Compare two unsigned values and show both when they differ. */
#define is_u64(got, want, ...)						\
	do {								\
		uint64_t g_ = (got), w_ = (want);			\
		if (!ok(g_ == w_, __VA_ARGS__))				\
			printf("#   got %" PRIu64 ", want %" PRIu64 "\n",	\
			       g_, w_);					\
	} while (0)

static inline void diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
