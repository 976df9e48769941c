/*
 * event: the chapter's Event (threading.Event, multiprocessing.Event): a
 * flag that one side sets and the other waits for, with a timeout.  Built
 * on plat's mutex and condition variable (waits on the monotonic clock
 * where the platform allows).
 *
 * Private events serve threads of one process.  A process-shared event is
 * the same struct placed in memory from plat_map_shared() before fork(),
 * with process-shared (and, where PLAT_ROBUST, robust) mutex and condition
 * variable: a process that dies holding the mutex does not wedge the other.
 *
 * The caller owns the struct and places it (_init / _destroy).  Every
 * function but _init / _destroy is thread-safe and, for a shared event,
 * safe across processes.  None is async-signal-safe.
 */
#ifndef CONCDEMO_EVENT_H
#define CONCDEMO_EVENT_H

#include <pthread.h>
#include <stdbool.h>

struct event {
	pthread_mutex_t mutex;
	pthread_cond_t cond;	/* broadcast when flag becomes true */
	bool flag;		/* guarded by mutex */
	bool monotonic;		/* cond waits on CLOCK_MONOTONIC (set by init) */
};

/* Prepare ev, flag false; shared: usable across fork() (ev must then lie
 * in plat_map_shared() memory).  Returns 0 or -errno. */
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

/* The same with an absolute deadline on the plat_now() clock, so a
 * periodic waiter (the spinner's 0.1 s tick) does not drift. */
int event_wait_until(struct event *ev, double deadline);

#endif
