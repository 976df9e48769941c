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

/* Whether other processes keep this machine's CPUs busy: a 1-minute load
 * average above twice the online CPUs (read, not assumed: a quiet machine
 * of any size checks every bound).  *load gets the figure. */
static inline bool tap_overloaded(double *load)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	*load = 0;
	if (getloadavg(load, 1) != 1)
		return false;
	return *load > 2.0 * (double)(cpus > 0 ? cpus : 1);
}

/* A timing assertion: skipped when TAP_NO_TIMING is set (valgrind runs
 * threads one at a time and 20-50 times slower, so wall-clock bounds mean
 * nothing there), and when the machine is overloaded (then a bound
 * measures the other processes, not ours); the skip says the load it
 * saw.  Every other run checks them. */
static inline bool ok_timing(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool ok_timing(bool cond, const char *fmt, ...)
{
	char name[256];
	double load;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (getenv("TAP_NO_TIMING") != NULL)
		return ok(true, "%s # SKIP timing not checked here", name);
	if (!cond && tap_overloaded(&load))
		return ok(true, "%s # SKIP load %.1f on %ld CPUs: timing not "
			  "checked", name, load, sysconf(_SC_NPROCESSORS_ONLN));
	return ok(cond, "%s", name);
}

/* skip_ok(WHY, FMT, ...): one skipped check, "ok N - NAME # SKIP WHY". */
static inline bool skip_ok(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool skip_ok(const char *why, const char *fmt, ...)
{
	char name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return ok(true, "%s # SKIP %s", name, why);
}

/* A check that takes seconds natively (trial division of a number near
 * 2^64): skipped when TAP_NO_SLOW is set (make check-arm, where emulation
 * is ~10 times slower).  COND is not evaluated then. */
#define TAP_SLOW_WHY "seconds natively, ~10x that emulated (TAP_NO_SLOW)"
static inline bool tap_no_slow(void)
{
	return getenv("TAP_NO_SLOW") != NULL;
}
#define ok_slow(cond, ...)						\
	(tap_no_slow() ? skip_ok(TAP_SLOW_WHY, __VA_ARGS__)		\
		       : ok((cond), __VA_ARGS__))

/* Whether to run the checks that need robust mutexes to recover a lock
 * whose owner died: HAVE (the build's plat_robust()) and TAP_NO_ROBUST
 * unset.  TAP_NO_ROBUST=WHY turns them off where the build has them but
 * the system does not honour them (make check-arm: qemu-user does not
 * pass the robust futex list to the kernel, so a lock whose owner died
 * stays taken).  Otherwise one skipped check, named by FMT, says why. */
static inline bool tap_robust(bool have, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool tap_robust(bool have, const char *fmt, ...)
{
	const char *why = getenv("TAP_NO_ROBUST");
	char name[256];
	va_list ap;

	if (have && (why == NULL || *why == '\0'))
		return true;
	if (!have)
		why = "no robust mutexes in this build";
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	skip_ok(why, "%s", name);
	return false;
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
