/* Unit tests for plat: the clock, shared memory across fork, condition
 * deadlines on either clock, the robust-lock pass-through, and the sleep
 * that a signal ends. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plat.h"
#include "tap.h"

/* Generous bounds: a loaded 2-core machine, sanitizers; x20 under
 * valgrind. */
#define LATE (0.5 * tap_time_scale())

static void test_clock_and_map(void)
{
	double a = plat_now(), b = plat_now();
	int *shared = plat_map_shared(4096);
	int status = -1;
	pid_t pid;

	ok(a > 0 && b >= a, "plat_now is monotonic (%.6f, then %.6f)", a, b);
	ok(shared != NULL && shared[0] == 0 && shared[1023] == 0,
	   "plat_map_shared: zeroed memory");
	if (shared == NULL)
		return;
	pid = fork();
	if (pid == 0) {
		shared[1] = 42;
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	ok(pid > 0 && status == 0 && shared[1] == 42,
	   "... that a forked child writes into");
	plat_unmap_shared(shared, 4096);
	plat_unmap_shared(NULL, 4096);	/* does nothing */
}

/* A timed wait on a condition from plat_cond_init ends at its deadline,
 * whichever clock the condition is on. */
static void test_cond(void)
{
	pthread_mutex_t m;
	pthread_cond_t c;
	bool mono = false;
	struct timespec ts;
	double t;
	int rc;

	rc = plat_mutex_init(&m, false);
	if (rc == 0)
		rc = plat_cond_init(&c, false, &mono);
	if (!ok(rc == 0, "a mutex and a condition (%s clock)",
		mono ? "monotonic" : "realtime"))
		return;
	pthread_mutex_lock(&m);
	t = plat_now();
	ts = plat_cond_deadline(mono, t + 0.05);
	do
		rc = pthread_cond_timedwait(&c, &m, &ts);
	while (rc == 0);
	t = plat_now() - t;
	pthread_mutex_unlock(&m);
	ok(rc == ETIMEDOUT && t >= 0.045 && t < 0.05 + LATE,
	   "a timed wait ends at the plat_now deadline (%.3f s)", t);
	ok(plat_mutex_consistent(&m, 0) == 0 &&
	   plat_mutex_consistent(&m, ETIMEDOUT) == ETIMEDOUT,
	   "plat_mutex_consistent passes other results through");
	pthread_cond_destroy(&c);
	pthread_mutex_destroy(&m);
}

static volatile sig_atomic_t got;

static void on_term(int sig)
{
	got = sig;
}

struct kicker {
	pthread_t target;
	useconds_t after;
};

static void *kick(void *p)
{
	struct kicker *k = p;

	usleep(k->after);
	pthread_kill(k->target, SIGTERM);
	return NULL;
}

static void test_sleep(void)
{
	struct sigaction sa;
	struct kicker k;
	pthread_t th;
	double t;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART, as cli.c */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);

	t = plat_now();
	rc = plat_sleep_until(t + 0.05, &got);
	t = plat_now() - t;
	ok(rc == 0 && t >= 0.049 && t < 0.05 + LATE,
	   "sleep_until: 0 at the deadline (%.3f s)", t);
	ok(plat_sleep_until(plat_now() - 1, &got) == 0,
	   "sleep_until a past deadline returns at once");
	t = plat_now();
	rc = plat_sleep_until(t + 0.02, NULL);
	ok(rc == 0 && plat_now() - t >= 0.019,
	   "sleep_until with no stop flag sleeps to the deadline");

	k.target = pthread_self();
	k.after = 50000;
	pthread_create(&th, NULL, kick, &k);
	t = plat_now();
	rc = plat_sleep_until(t + 20, &got);
	t = plat_now() - t;
	pthread_join(th, NULL);
	ok(rc == -EINTR && got == SIGTERM,
	   "a signal that sets the flag ends the sleep with -EINTR");
	ok(t < 0.05 + LATE, "... promptly: %.3f s for a signal sent at "
	   "0.05 s", t);
	ok(plat_sleep_until(plat_now() + 20, &got) == -EINTR,
	   "a flag already set: -EINTR at once");
	got = 0;
}

int main(void)
{
	tap_start(60);
	test_clock_and_map();
	test_cond();
	test_sleep();
	return tap_done();
}
