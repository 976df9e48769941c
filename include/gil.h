/*
 * gil: an emulation of CPython's Global Interpreter Lock (the "new GIL" of
 * CPython 3.2+, Python/ceval_gil.c), so C threads can be made to take turns
 * the way Python threads do and the book's thread results can be seen
 * beside real parallel threads.
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
 * Thread-safety: every function may be called from any thread; a thread
 * must not call gil_acquire while holding the GIL, nor gil_release or
 * gil_yield without holding it.
 */
#ifndef CONCDEMO_GIL_H
#define CONCDEMO_GIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define GIL_DEFAULT_INTERVAL_US 5000	/* sys.getswitchinterval() = 0.005 */
#define GIL_MAX_INTERVAL_US 1000000	/* --gil=MS accepts up to 1000 ms */
/* Divisors of the prime scan between two gil_yield checks (~20 us here):
 * short against the 5 ms interval, as CPython checks between bytecodes. */
#define GIL_SLICE 16384

struct gil {
	pthread_mutex_t mutex;		/* guards the fields below it */
	pthread_cond_t cond;		/* signalled when locked drops */
	pthread_cond_t switch_cond;	/* signalled when the holder changes */
	bool locked;			/* mutex */
	pthread_t holder;		/* mutex: last thread to take it */
	unsigned long switches;		/* mutex: times the GIL was taken */
	unsigned long forced;		/* mutex: drops forced by a request */
	long interval_us;		/* fixed after init */
	bool monotonic;			/* cond's clock (plat_cond_init) */
	atomic_int drop_request;	/* lock-free: read by the holder */
};

/* Initialise a GIL with a switch interval in microseconds (>= 1).
 * Returns 0 or -errno. */
int gil_init(struct gil *g, long interval_us);
void gil_destroy(struct gil *g);

/* Take the GIL for the calling thread, waiting as CPython's take_gil. */
void gil_acquire(struct gil *g);

/* Drop the GIL (before a blocking call, or when done). */
void gil_release(struct gil *g);

/* The eval-breaker: if another thread asked for the GIL, hand it over and
 * take it back after.  Cheap when nobody asked (one atomic load).  Returns
 * true if the GIL changed hands. */
bool gil_yield(struct gil *g);

/* Times the GIL was taken, and drops forced by a waiting thread. */
void gil_stats(struct gil *g, unsigned long *switches, unsigned long *forced);

#endif
