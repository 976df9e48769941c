/*
 * event: the Event (mutex + condition variable + flag), on plat's mutex,
 * condition variable and clock.
 *
 * Invariant: flag only changes with mutex held, and every change to true
 * is followed by a broadcast, so a waiter that saw false under the mutex
 * cannot miss the set.  One lock, no order to keep.
 * Like Python's threading.Event (a Condition around a bool); unlike
 * multiprocessing.Event, which is a semaphore plus a Condition, ours is the
 * very same struct in shared memory.
 */
#include <errno.h>
#include <time.h>

#include "event.h"
#include "plat.h"

int event_init(struct event *ev, bool shared)
{
	int rc;

	ev->flag = false;
	rc = plat_mutex_init(&ev->mutex, shared);
	if (rc != 0)
		return rc;
	rc = plat_cond_init(&ev->cond, shared, &ev->monotonic);
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
	return plat_mutex_consistent(&ev->mutex, rc);
}

static int lock(struct event *ev)
{
	return -owner_dead(ev, pthread_mutex_lock(&ev->mutex));
}

/* Set or clear the flag; setting it wakes every waiter. */
static int put_flag(struct event *ev, bool flag)
{
	int rc = lock(ev);

	if (rc != 0)
		return rc;
	ev->flag = flag;
	if (flag)
		pthread_cond_broadcast(&ev->cond);
	pthread_mutex_unlock(&ev->mutex);
	return 0;
}

int event_set(struct event *ev)
{
	return put_flag(ev, true);
}

int event_clear(struct event *ev)
{
	return put_flag(ev, false);
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

static int wait_locked(struct event *ev, double deadline, bool forever)
{
	struct timespec ts = plat_cond_deadline(ev->monotonic, deadline);
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
	return wait_until(ev, plat_now() + timeout, false);
}
