/*
 * event: the chapter's Event (threading.Event, multiprocessing.Event): a
 * flag that one side sets and the other waits for, with a timeout.  Built
 * on a mutex and a condition variable; the waits run on the monotonic clock
 * where the platform has pthread_condattr_setclock (not macOS, where they
 * fall back to the realtime clock, converted from monotonic deadlines).
 *
 * Private events serve threads of one process.  A process-shared event is
 * the same struct placed in memory from event_map_shared() before fork(),
 * with process-shared (and, where EVENT_ROBUST, robust) mutex and condition
 * variable: a process that dies holding the mutex does not wedge the other.
 *
 * The caller owns the struct and places it (_init / _destroy).  Every
 * function but _init / _destroy is thread-safe and, for a shared event,
 * safe across processes.  None is async-signal-safe.
 */
#ifndef CONCDEMO_EVENT_H
#define CONCDEMO_EVENT_H

#include <pthread.h>
#include <time.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

/* Robust mutexes (the next locker of a mutex whose owner died gets
 * EOWNERDEAD and carries on): Linux (glibc, and musl, which does not
 * advertise them), FreeBSD, and whoever advertises them; not macOS.  The
 * Event and the queue use them for shared locks.  -DCONCDEMO_NO_ROBUST
 * builds without them, to test that path on Linux. */
#if !defined(CONCDEMO_NO_ROBUST) && \
	(defined(__linux__) || defined(__FreeBSD__) || \
	 (defined(_POSIX_THREAD_ROBUST_PRIO_INHERIT) && \
	  _POSIX_THREAD_ROBUST_PRIO_INHERIT > 0))
#define EVENT_ROBUST 1
#endif

struct event {
	pthread_mutex_t mutex;
	pthread_cond_t cond;	/* broadcast when flag becomes true */
	bool flag;		/* guarded by mutex */
	bool monotonic;		/* cond waits on CLOCK_MONOTONIC (set by init) */
};

/* Prepare ev, flag false; shared: usable across fork() (ev must then lie
 * in event_map_shared() memory).  Returns 0 or -errno. */
int event_init(struct event *ev, bool shared);

/* Release ev; no thread or process may be waiting on it.  A shared event
 * one of whose waiters was killed mid-wait must not be destroyed, only
 * unmapped: glibc's pthread_cond_destroy waits for that waiter forever. */
void event_destroy(struct event *ev);

/* Set the flag and wake every waiter; clear it.  Return 0 or -errno (a
 * failure to lock, which only a corrupted event can cause). */
int event_set(struct event *ev);
int event_clear(struct event *ev);

/* The flag, now. */
bool event_is_set(struct event *ev);

/* Wait until the flag is set, or timeout seconds pass (timeout < 0: no
 * limit).  Returns 0 when set (also when it was set already), -ETIMEDOUT,
 * or -errno.  Signals do not end the wait (POSIX condition variables do
 * not return EINTR): use a timeout and look at your flag between waits. */
int event_wait(struct event *ev, double timeout);

/* The same with an absolute deadline on the event_now() clock, so a
 * periodic waiter (the spinner's 0.1 s tick) does not drift. */
int event_wait_until(struct event *ev, double deadline);

/* A condition variable on the monotonic clock where the platform allows
 * (not macOS); *monotonic says whether it is.  For other modules' waits
 * (the GIL) to share the Event's clock handling.  Returns 0 or -errno. */
int event_cond_init(pthread_cond_t *c, bool shared, bool *monotonic);

/* deadline (event_now() clock) as a timespec on the clock of a condition
 * made by event_cond_init, for pthread_cond_timedwait. */
struct timespec event_cond_deadline(bool monotonic, double deadline);

/* Whether this build's shared locks are robust (EVENT_ROBUST): the tests
 * that kill a process holding one skip where they are not. */
bool event_robust(void);

/* Seconds on the monotonic clock (the deadlines' clock). */
double event_now(void);

/*
 * Sleep until deadline (event_now() clock) unless a signal sets *stop
 * first; returns 0 at the deadline, -EINTR as soon as *stop is nonzero
 * (also when it already was).  Race-free: the signals that set stop
 * (SIGINT, SIGTERM, SIGHUP) are blocked while *stop is checked and
 * unblocked atomically by pselect(); they must be handled without
 * SA_RESTART or not, pselect returns EINTR either way.  The calling
 * thread's signal mask is restored on return.
 */
int event_sleep_until(double deadline, volatile sig_atomic_t *stop);

/* Block SIGINT, SIGTERM and SIGHUP in the calling thread (the stop
 * signals), the previous mask in *old.  Returns 0 or -errno. */
int event_block_stop_signals(sigset_t *old);

/* size bytes of zeroed memory shared with the children forked after this
 * call (mmap MAP_SHARED | MAP_ANONYMOUS), or NULL with errno set.  Free it
 * with event_unmap_shared (in each process that keeps a mapping). */
void *event_map_shared(size_t size);
void event_unmap_shared(void *p, size_t size);

#endif
