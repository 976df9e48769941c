/*
 * plat: the platform under the Event, the GIL and the queue: the clock,
 * mutex and condition-variable set-up, the stop signals' sleep and shared
 * memory.  No state of its own.
 */
#include <errno.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <time.h>

#include "plat.h"

/* pthread_condattr_setclock: everywhere but macOS.  -DPLAT_NO_SETCLOCK
 * takes macOS's way (realtime condvars) elsewhere, to test it on Linux. */
#if !defined(__APPLE__) && !defined(PLAT_NO_SETCLOCK)
#define PLAT_SETCLOCK 1
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

bool plat_robust(void)
{
#ifdef PLAT_ROBUST
	return true;
#else
	return false;
#endif
}

double plat_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int plat_mutex_init(pthread_mutex_t *m, bool shared)
{
	pthread_mutexattr_t ma;
	int rc = pthread_mutexattr_init(&ma);

	if (rc != 0)
		return -rc;
	if (shared)
		rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
#ifdef PLAT_ROBUST
	if (rc == 0 && shared)
		rc = pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
#endif
	if (rc == 0)
		rc = pthread_mutex_init(m, &ma);
	pthread_mutexattr_destroy(&ma);
	return -rc;
}

int plat_cond_init(pthread_cond_t *c, bool shared, bool *monotonic)
{
	pthread_condattr_t ca;
	int rc = pthread_condattr_init(&ca);

	if (rc != 0)
		return -rc;
	if (shared)
		rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	*monotonic = false;
#ifdef PLAT_SETCLOCK
	if (rc == 0 && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0)
		*monotonic = true;
#endif
	if (rc == 0)
		rc = pthread_cond_init(c, &ca);
	pthread_condattr_destroy(&ca);
	return -rc;
}

int plat_mutex_consistent(pthread_mutex_t *m, int rc)
{
#ifdef PLAT_ROBUST
	if (rc == EOWNERDEAD)
		rc = pthread_mutex_consistent(m);
#else
	(void)m;
#endif
	return rc;
}

struct timespec plat_cond_deadline(bool monotonic, double deadline)
{
	struct timespec now;

	if (monotonic)
		return to_timespec(deadline);
	clock_gettime(CLOCK_REALTIME, &now);
	return to_timespec((double)now.tv_sec + (double)now.tv_nsec / 1e9 +
			   (deadline - plat_now()));
}

int plat_block_stop_signals(sigset_t *old)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	return -pthread_sigmask(SIG_BLOCK, &block, old);
}

int plat_sleep_until(double deadline, volatile sig_atomic_t *stop)
{
	sigset_t old;
	int rc;

	rc = plat_block_stop_signals(&old);
	if (rc != 0)
		return rc;
	for (;;) {
		struct timespec ts;
		double left;

		if (stop != NULL && *stop) {
			rc = -EINTR;
			break;
		}
		left = deadline - plat_now();
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
			plat_block_stop_signals(NULL);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void *plat_map_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void plat_unmap_shared(void *p, size_t size)
{
	if (p != NULL)
		munmap(p, size);
}
