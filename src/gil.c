/*
 * gil: CPython's GIL, emulated.
 *
 * How it maps to CPython:
 * - One flag, locked, under a mutex, with a condition variable: a thread
 *   must hold the GIL to run "Python code" (here: the prime core).
 * - A thread that wants the GIL waits on the condition at most one switch
 *   interval (sys.getswitchinterval(), 5 ms by default); if the GIL has not
 *   changed hands by then, it sets drop_request.
 * - The holder looks at drop_request between slices of its work
 *   (gil_yield), as the interpreter's eval-breaker does between bytecodes,
 *   and then drops the GIL.
 * - Forced switching (CPython's FORCE_SWITCHING): a thread that drops the
 *   GIL because it was asked to waits until another thread has taken it,
 *   so it cannot grab it straight back.
 * - Blocking calls release it: callers wrap sleeps, Event waits and queue
 *   waits in gil_release / gil_acquire, as CPython's I/O and sleep do.
 *
 * Simplifications: no per-thread state objects (a holder is identified by
 * pthread_self(), where CPython keeps its PyThreadState); the holder
 * checks for drop requests only where the caller calls gil_yield (every
 * slice of the prime scan), not after every bytecode; no pending calls,
 * signals or GC requests share the eval-breaker.
 *
 * Lock order: g->mutex only; nothing else is held while it is taken.
 * Invariant: locked is true exactly while one thread is between
 * gil_acquire and gil_release; holder is the last thread to acquire.
 * drop_request is set only by a waiter that timed out while the same
 * holder kept the GIL, and cleared by the next thread to take it.
 */
#include <errno.h>

#include "gil.h"
#include "plat.h"
#include "trace.h"

/* --trace: when this thread took the GIL (trace.h; unused when off).  The
 * holds' ends and starts are read under g->mutex, so the spans of two
 * threads never overlap: the GIL's exclusion, visible in the trace. */
static _Thread_local int64_t held_since;

int gil_init(struct gil *g, long interval_us)
{
	int rc;

	if (interval_us < 1)
		return -EINVAL;
	g->locked = false;
	g->holder = pthread_self();	/* nobody has dropped it yet */
	g->switches = 0;
	g->forced = 0;
	g->interval_us = interval_us;
	atomic_init(&g->drop_request, 0);
	rc = pthread_mutex_init(&g->mutex, NULL);
	if (rc != 0)
		return -rc;
	/* Waits use the monotonic clock where the platform allows, so a
	 * clock step cannot stall them (plat.h). */
	rc = -plat_cond_init(&g->cond, false, &g->monotonic);
	if (rc != 0)
		goto out_mutex;
	rc = pthread_cond_init(&g->switch_cond, NULL);
	if (rc != 0)
		goto out_cond;
	return 0;
out_cond:
	pthread_cond_destroy(&g->cond);
out_mutex:
	pthread_mutex_destroy(&g->mutex);
	return -rc;
}

void gil_destroy(struct gil *g)
{
	pthread_cond_destroy(&g->switch_cond);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->mutex);
}

/* The deadline one switch interval from now, on the clock of g->cond. */
static struct timespec deadline(const struct gil *g)
{
	return plat_cond_deadline(g->monotonic,
				   plat_now() + (double)g->interval_us / 1e6);
}

/* Take the GIL.  Traced, a wait is recorded from since (the caller's
 * clock read, or a forced drop's end of hold, so the two spans meet) when
 * the thread waited or was forced out. */
static void acquire(struct gil *g, int64_t since, bool forced)
{
	struct trace_lane *tl = trace_self;
	bool waited = false;

	pthread_mutex_lock(&g->mutex);
	while (g->locked) {
		unsigned long seen = g->switches;
		struct timespec until = deadline(g);
		int rc = 0;

		while (g->locked && g->switches == seen && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&g->cond, &g->mutex,
						    &until);
		/* A whole interval without a switch: ask the holder to drop
		 * it (CPython: SET_GIL_DROP_REQUEST after a timed-out wait). */
		if (rc == ETIMEDOUT && g->locked && g->switches == seen) {
			atomic_store(&g->drop_request, 1);
			if (tl != NULL)
				trace_instant(tl, TRACE_GIL_DROP_REQUEST, 0, 0,
					      0);
		}
		waited = true;
	}
	g->locked = true;
	g->holder = pthread_self();
	g->switches++;
	atomic_store(&g->drop_request, 0);
	if (tl != NULL) {
		held_since = trace_now();
		if (waited || forced)
			trace_span(tl, TRACE_GIL_WAIT, since, held_since, 0, 0,
				   0);
	}
	pthread_cond_broadcast(&g->switch_cond);
	pthread_mutex_unlock(&g->mutex);
}

void gil_acquire(struct gil *g)
{
	acquire(g, trace_self != NULL ? trace_now() : 0, false);
}

/* Drop the GIL; if forced, wait until another thread has taken it.
 * Returns when the hold ended (trace clock; 0 when not tracing). */
static int64_t drop(struct gil *g, bool forced)
{
	struct trace_lane *tl = trace_self;
	int64_t t = 0;

	pthread_mutex_lock(&g->mutex);
	if (tl != NULL) {
		t = trace_now();
		trace_span(tl, TRACE_GIL_HOLD, held_since, t, 0, 0, 0);
		if (forced)
			trace_span(tl, TRACE_GIL_FORCED, t, t, 0, 0, 0);
	}
	g->locked = false;
	pthread_cond_signal(&g->cond);
	if (forced) {
		g->forced++;
		while (pthread_equal(g->holder, pthread_self()))
			pthread_cond_wait(&g->switch_cond, &g->mutex);
	}
	pthread_mutex_unlock(&g->mutex);
	return t;
}

void gil_release(struct gil *g)
{
	drop(g, false);
}

bool gil_yield(struct gil *g)
{
	if (!atomic_load_explicit(&g->drop_request, memory_order_relaxed))
		return false;
	acquire(g, drop(g, true), true);
	return true;
}

void gil_stats(struct gil *g, unsigned long *switches, unsigned long *forced)
{
	pthread_mutex_lock(&g->mutex);
	*switches = g->switches;
	*forced = g->forced;
	pthread_mutex_unlock(&g->mutex);
}
