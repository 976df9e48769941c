/*
 * event: the Event (mutex + condition variable + flag), its shared-memory
 * placement, and a sleep that signals can end.
 *
 * Invariant: flag only changes with mutex held, and every change to true
 * is followed by a broadcast, so a waiter that saw false under the mutex
 * cannot miss the set.  One lock, no order to keep.
 * Like Python's threading.Event (a Condition around a bool); unlike
 * multiprocessing.Event, which is a semaphore plus a Condition, ours is the
 * very same struct in shared memory.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <time.h>

#include "event.h"

/* pthread_condattr_setclock: everywhere but macOS.  -DEVENT_NO_SETCLOCK
 * takes macOS's way (realtime condvars) elsewhere, to test it on Linux. */
#if !defined(__APPLE__) && !defined(EVENT_NO_SETCLOCK)
#define EVENT_SETCLOCK 1
#endif

static struct timespec to_timespec(double t)
{
	struct timespec ts;

	if (t < 0)
		t = 0;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	if (ts.tv_nsec < 0)
		ts.tv_nsec = 0;
	return ts;
}

bool event_robust(void)
{
#ifdef EVENT_ROBUST
	return true;
#else
	return false;
#endif
}

double event_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int init_mutex(pthread_mutex_t *m, bool shared)
{
	pthread_mutexattr_t ma;
	int rc = pthread_mutexattr_init(&ma);

	if (rc != 0)
		return -rc;
	if (shared)
		rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
#ifdef EVENT_ROBUST
	if (rc == 0 && shared)
		rc = pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
#endif
	if (rc == 0)
		rc = pthread_mutex_init(m, &ma);
	pthread_mutexattr_destroy(&ma);
	return -rc;
}

int event_cond_init(pthread_cond_t *c, bool shared, bool *monotonic)
{
	pthread_condattr_t ca;
	int rc = pthread_condattr_init(&ca);

	if (rc != 0)
		return -rc;
	if (shared)
		rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	*monotonic = false;
#ifdef EVENT_SETCLOCK
	if (rc == 0 && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0)
		*monotonic = true;
#endif
	if (rc == 0)
		rc = pthread_cond_init(c, &ca);
	pthread_condattr_destroy(&ca);
	return -rc;
}

int event_init(struct event *ev, bool shared)
{
	int rc;

	ev->flag = false;
	rc = init_mutex(&ev->mutex, shared);
	if (rc != 0)
		return rc;
	rc = event_cond_init(&ev->cond, shared, &ev->monotonic);
	if (rc != 0)
		pthread_mutex_destroy(&ev->mutex);
	return rc;
}

void event_destroy(struct event *ev)
{
	pthread_cond_destroy(&ev->cond);
	pthread_mutex_destroy(&ev->mutex);
}

/* A robust mutex whose owner died comes back EOWNERDEAD: the flag is a
 * single bool, always consistent, so we only mark the mutex usable. */
static int owner_dead(struct event *ev, int rc)
{
#ifdef EVENT_ROBUST
	if (rc == EOWNERDEAD)
		rc = pthread_mutex_consistent(&ev->mutex);
#else
	(void)ev;
#endif
	return rc;
}

static int lock(struct event *ev)
{
	return -owner_dead(ev, pthread_mutex_lock(&ev->mutex));
}

int event_set(struct event *ev)
{
	int rc = lock(ev);

	if (rc != 0)
		return rc;
	ev->flag = true;
	pthread_cond_broadcast(&ev->cond);
	pthread_mutex_unlock(&ev->mutex);
	return 0;
}

int event_clear(struct event *ev)
{
	int rc = lock(ev);

	if (rc != 0)
		return rc;
	ev->flag = false;
	pthread_mutex_unlock(&ev->mutex);
	return 0;
}

bool event_is_set(struct event *ev)
{
	bool set;

	if (lock(ev) != 0)
		return false;
	set = ev->flag;
	pthread_mutex_unlock(&ev->mutex);
	return set;
}

struct timespec event_cond_deadline(bool monotonic, double deadline)
{
	struct timespec now;

	if (monotonic)
		return to_timespec(deadline);
	clock_gettime(CLOCK_REALTIME, &now);
	return to_timespec((double)now.tv_sec + (double)now.tv_nsec / 1e9 +
			   (deadline - event_now()));
}

static int wait_locked(struct event *ev, double deadline, bool forever)
{
	struct timespec ts = event_cond_deadline(ev->monotonic, deadline);
	int rc = 0;

	while (!ev->flag) {
		if (forever)
			rc = pthread_cond_wait(&ev->cond, &ev->mutex);
		else
			rc = pthread_cond_timedwait(&ev->cond, &ev->mutex, &ts);
		rc = owner_dead(ev, rc);
		if (rc != 0)
			break;
	}
	return ev->flag ? 0 : -rc;
}

static int wait_until(struct event *ev, double deadline, bool forever)
{
	int rc = lock(ev);

	if (rc != 0)
		return rc;
	rc = wait_locked(ev, deadline, forever);
	pthread_mutex_unlock(&ev->mutex);
	return rc;
}

int event_wait_until(struct event *ev, double deadline)
{
	return wait_until(ev, deadline, false);
}

int event_wait(struct event *ev, double timeout)
{
	if (timeout < 0)
		return wait_until(ev, 0, true);
	return wait_until(ev, event_now() + timeout, false);
}

int event_block_stop_signals(sigset_t *old)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	return -pthread_sigmask(SIG_BLOCK, &block, old);
}

int event_sleep_until(double deadline, volatile sig_atomic_t *stop)
{
	sigset_t old;
	int rc;

	rc = event_block_stop_signals(&old);
	if (rc != 0)
		return rc;
	for (;;) {
		struct timespec ts;
		double left;

		if (stop != NULL && *stop) {
			rc = -EINTR;
			break;
		}
		left = deadline - event_now();
		if (left <= 0) {
			rc = 0;
			break;
		}
		ts = to_timespec(left);
		/* pselect unblocks the signals only while it sleeps: a signal
		 * that came after the check above ends this very sleep. */
		if (pselect(0, NULL, NULL, NULL, &ts, &old) < 0) {
			if (errno != EINTR) {
				rc = -errno;
				break;
			}
			/* Let every handler due run before the flag is read
			 * again: TSan defers handlers to the next call it
			 * intercepts, which pselect is not. */
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			event_block_stop_signals(NULL);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void *event_map_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void event_unmap_shared(void *p, size_t size)
{
	if (p != NULL)
		munmap(p, size);
}
