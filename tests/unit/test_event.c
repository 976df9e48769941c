/* Unit tests for event: set / clear / wait with timeouts, private across
 * threads, shared across fork (and a child dying with the mutex held). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event.h"
#include "plat.h"
#include "tap.h"

/* Generous bounds: a loaded 2-core machine, sanitizers; x20 under
 * valgrind (still checked there: a lost wake-up would take forever). */
#define LATE (0.5 * tap_time_scale())

static void test_basics(void)
{
	struct event ev;
	double t;
	int rc;

	ok(event_init(&ev, false) == 0, "private event: init");
	diag("condition variable clock: %s",
	     ev.monotonic ? "monotonic" : "realtime (no setclock)");
	ok(!event_is_set(&ev), "starts clear");
	t = plat_now();
	rc = event_wait(&ev, 0.05);
	t = plat_now() - t;
	ok(rc == -ETIMEDOUT, "wait(0.05) on a clear event times out");
	ok(t >= 0.049 && t < 0.05 + LATE, "... after 0.05 s (%.3f s)", t);
	t = plat_now();
	ok(event_wait(&ev, 0) == -ETIMEDOUT && plat_now() - t < LATE,
	   "wait(0) on a clear event returns at once");
	ok(event_wait_until(&ev, plat_now() - 1) == -ETIMEDOUT,
	   "wait_until a past deadline times out");
	ok(event_set(&ev) == 0 && event_is_set(&ev), "set: is_set");
	t = plat_now();
	ok(event_wait(&ev, 10) == 0 && plat_now() - t < LATE,
	   "wait on a set event returns 0 at once");
	ok(event_wait(&ev, -1) == 0, "wait without limit on a set event");
	ok(event_set(&ev) == 0 && event_is_set(&ev), "set twice: still set");
	ok(event_clear(&ev) == 0 && !event_is_set(&ev), "clear");
	ok(event_wait(&ev, 0.01) == -ETIMEDOUT, "cleared: wait times out");
	event_destroy(&ev);
}

struct waiter {
	struct event *ev;
	double timeout;
	int rc;
	double woke;
};

static void *wait_thread(void *p)
{
	struct waiter *w = p;

	w->rc = event_wait(w->ev, w->timeout);
	w->woke = plat_now();
	return NULL;
}

static void test_threads(void)
{
	enum { N = 4 };
	struct waiter w[N];
	pthread_t th[N];
	struct event ev;
	double set_at;
	int i, woke = 0, late = 0;

	event_init(&ev, false);
	for (i = 0; i < N; i++) {
		w[i].ev = &ev;
		w[i].timeout = i == 0 ? -1 : 20;
		w[i].rc = 1;
		pthread_create(&th[i], NULL, wait_thread, &w[i]);
	}
	usleep(50000);
	set_at = plat_now();
	event_set(&ev);
	for (i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		woke += w[i].rc == 0 && w[i].woke >= set_at;
		late += w[i].woke - set_at > LATE;
	}
	ok(woke == N, "one set wakes all %d waiting threads (%d woke)", N,
	   woke);
	ok(late == 0, "... promptly");
	event_destroy(&ev);

	/* A timeout in another thread, with no set. */
	event_init(&ev, false);
	w[0].ev = &ev;
	w[0].timeout = 0.05;
	set_at = plat_now();
	pthread_create(&th[0], NULL, wait_thread, &w[0]);
	pthread_join(th[0], NULL);
	ok(w[0].rc == -ETIMEDOUT && w[0].woke - set_at >= 0.049,
	   "a thread's wait(0.05) times out after 0.05 s");
	event_destroy(&ev);
}

/* Child exit codes: 0 = as expected. */
static int child_wait(struct event *ev, double timeout, int want)
{
	return event_wait(ev, timeout) == want ? 0 : 1;
}

static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

struct two {
	struct event a, b;
};

static void test_fork(void)
{
	struct two *sh = plat_map_shared(sizeof(*sh));
	double t;
	pid_t pid;

	ok(sh != NULL, "shared memory mapped");
	if (sh == NULL)
		return;
	ok(event_init(&sh->a, true) == 0 && event_init(&sh->b, true) == 0,
	   "shared events: init");

	/* parent sets, child sees it */
	pid = fork();
	if (pid == 0)
		_exit(child_wait(&sh->a, 20, 0));
	usleep(50000);
	t = plat_now();
	event_set(&sh->a);
	ok(reap(pid) == 0 && plat_now() - t < LATE,
	   "a child waiting on a shared event wakes on the parent's set");

	/* child sets, parent sees it */
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		_exit(event_set(&sh->b) == 0 ? 0 : 1);
	}
	ok(event_wait(&sh->b, 20) == 0, "the parent wakes on the child's set");
	ok(reap(pid) == 0, "... and the child set it cleanly");

	/* a timeout in the child */
	event_clear(&sh->a);
	pid = fork();
	if (pid == 0) {
		double c = plat_now();
		int rc = event_wait(&sh->a, 0.05);

		_exit(rc == -ETIMEDOUT && plat_now() - c >= 0.049 ? 0 : 1);
	}
	ok(reap(pid) == 0, "a child's wait(0.05) on a clear shared event "
	   "times out after 0.05 s");

	/* clear is seen across processes too */
	event_set(&sh->a);
	pid = fork();
	if (pid == 0)
		_exit(event_clear(&sh->a) == 0 ? 0 : 1);
	ok(reap(pid) == 0 && !event_is_set(&sh->a),
	   "a child's clear is seen by the parent");

	/* A child that dies holding the mutex does not wedge the parent. */
	if (tap_robust(plat_robust(), "robust: set works after a child "
		       "died holding the lock")) {
		pid = fork();
		if (pid == 0) {
			pthread_mutex_lock(&sh->a.mutex);
			_exit(0);
		}
		reap(pid);
		ok(event_set(&sh->a) == 0 && event_is_set(&sh->a),
		   "robust: set works after a child died holding the lock");
	}
	event_destroy(&sh->a);
	event_destroy(&sh->b);
	plat_unmap_shared(sh, sizeof(*sh));
}

int main(void)
{
	tap_start(60);
	test_basics();
	test_threads();
	test_fork();
	return tap_done();
}
