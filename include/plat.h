/*
 * plat: what the synchronisation modules need from the platform, in one
 * place (as libuv's thread.c under its threadpool): the program's one
 * clock, mutexes and condition variables (private or process-shared,
 * robust where the platform has it, waits on the monotonic clock where it
 * can), a sleep that the stop signals end, and memory shared across fork.
 *
 * The platforms differ in two ways this module hides:
 *   - pthread_condattr_setclock: everywhere but macOS, whose condition
 *     variables wait on the realtime clock (deadlines are converted);
 *     -DPLAT_NO_SETCLOCK takes macOS's way on Linux, for the tests.
 *   - robust mutexes (PLAT_ROBUST below).
 *
 * Every function is thread-safe; none is async-signal-safe.
 */
#ifndef CONCDEMO_PLAT_H
#define CONCDEMO_PLAT_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
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
#define PLAT_ROBUST 1
#endif

/* Seconds on the monotonic clock: the program's one clock, for elapsed
 * times and deadlines. */
double plat_now(void);

/* Whether this build's shared locks are robust (PLAT_ROBUST): the tests
 * that kill a process holding one skip where they are not. */
bool plat_robust(void);

/* A mutex, process-shared if shared (and then robust where PLAT_ROBUST).
 * Returns 0 or -errno. */
int plat_mutex_init(pthread_mutex_t *m, bool shared);

/* After a lock or wait on m returned rc: if rc is EOWNERDEAD (its owner
 * died holding it; robust builds only), mark m usable and return
 * pthread_mutex_consistent's result; else rc.  For a lock whose data
 * needs no repair (the caller repairs first otherwise). */
int plat_mutex_consistent(pthread_mutex_t *m, int rc);

/* A condition variable on the monotonic clock where the platform allows
 * (not macOS); *monotonic says whether it is.  Returns 0 or -errno. */
int plat_cond_init(pthread_cond_t *c, bool shared, bool *monotonic);

/* deadline (plat_now() clock) as a timespec on the clock of a condition
 * made by plat_cond_init, for pthread_cond_timedwait. */
struct timespec plat_cond_deadline(bool monotonic, double deadline);

/*
 * Sleep until deadline (plat_now() clock) unless a signal sets *stop
 * first; returns 0 at the deadline, -EINTR as soon as *stop is nonzero
 * (also when it already was).  Race-free: the signals that set stop
 * (SIGINT, SIGTERM, SIGHUP) are blocked while *stop is checked and
 * unblocked atomically by pselect(); they must be handled without
 * SA_RESTART or not, pselect returns EINTR either way.  The calling
 * thread's signal mask is restored on return.
 */
int plat_sleep_until(double deadline, volatile sig_atomic_t *stop);

/* Block SIGINT, SIGTERM and SIGHUP in the calling thread (the stop
 * signals), the previous mask in *old (may be NULL).  Returns 0 or
 * -errno. */
int plat_block_stop_signals(sigset_t *old);

/* size bytes of zeroed memory shared with the children forked after this
 * call (mmap MAP_SHARED | MAP_ANONYMOUS), or NULL with errno set.  Free it
 * with plat_unmap_shared (in each process that keeps a mapping). */
void *plat_map_shared(size_t size);
void plat_unmap_shared(void *p, size_t size);

#endif
