/*
 * gil: an emulation of CPython's Global Interpreter Lock (the "new GIL" of
 * CPython 3.2+, Python/ceval_gil.c), so C threads take turns the way
 * Python threads do.  A thread holds it to run the prime core, offers it
 * between slices (gil_yield: the eval-breaker) and drops it around
 * blocking calls; gil.c says how it maps to CPython.
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
/* Divisors of the prime scan between two gil_yield checks: short against
 * the 5 ms interval, as CPython checks between bytecodes (docs/speed.md
 * gives its time). */
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
