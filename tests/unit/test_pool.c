/*
 * test_pool: both pools give the sequential verdicts for any worker count
 * and order, each number once, one done per worker; a stop request, a
 * failing callback and a failing start end the run with every worker
 * reaped; a killed process worker's job is run again; a number that keeps
 * killing its workers stops the run.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "gil.h"
#include "plat.h"
#include "pool.h"
#include "prime.h"
#include "tap.h"

static const char *const kname[] = { "threads", "procs" };
static const char *const oname[] = { "fifo", "lifo", "priority" };

/* Primes, squares of primes, easy composites, 0, 1, 2, a repeat. */
static const uint64_t mix[] = {
	2, 0, 1, 3, 4, 97, 100, 7919, 7919, 1000003, 1000003ull * 1000003ull,
	999999999989ull, 4294967291ull, 4294967291ull * 3, 65521ull * 65521ull,
	49, 121, 1234567890123ull, 67280421310721ull, 999983ull * 999979ull,
	29, 30, 31, 1ull << 40, (1ull << 31) - 1, 1000000007ull * 3,
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct seen {
	unsigned times[64];
	bool wrong;
	unsigned results;
	int fail_after;		/* return -EPIPE from this result on */
	volatile sig_atomic_t *stop_after_first;
	/* the kill test */
	int kills_left;
	long last_killed;	/* a pid is killed once (later: a zombie) */
	double killed_at, died_after;
	unsigned deaths_with_job, restarts, deaths;
};

static int on_result(const struct pool_result *r, void *arg)
{
	struct seen *s = arg;

	if (r->index < 64)
		s->times[r->index]++;
	if (r->index >= NMIX || r->n != mix[r->index] ||
	    r->prime != is_prime(r->n))
		s->wrong = true;
	s->results++;
	if (s->stop_after_first != NULL)
		*s->stop_after_first = 1;
	if (s->fail_after > 0 && (int)s->results >= s->fail_after)
		return -EPIPE;
	return 0;
}

static bool no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static struct pool_config config(enum pool_kind k, unsigned n,
				 enum pool_order o, struct seen *s)
{
	struct pool_config c;

	memset(&c, 0, sizeof(c));
	c.kind = k;
	c.workers = n;
	c.order = o;
	c.numbers = mix;
	c.count = NMIX;
	c.on_result = on_result;
	c.arg = s;
	memset(s, 0, sizeof(*s));
	return c;
}

static void test_verdicts(enum pool_kind k)
{
	static const unsigned counts[] = { 1, 2, 3, 8, NMIX + 5 };
	unsigned ci, o, i, good = 0, runs = 0;

	for (ci = 0; ci < 5; ci++) {
		for (o = POOL_FIFO; o <= POOL_PRIORITY; o++) {
			struct seen s;
			struct pool_config c = config(k, counts[ci], o, &s);
			struct pool_stats st;
			bool once = true;
			int rc = pool_run(&c, &st);

			for (i = 0; i < NMIX; i++)
				once = once && s.times[i] == 1;
			runs++;
			if (rc == 0 && once && !s.wrong &&
			    st.dones == counts[ci] &&
			    st.started == counts[ci] && st.results == NMIX &&
			    st.deaths == 0)
				good++;
			else
				diag("%s N=%u %s: rc %d once %d wrong %d "
				     "dones %u started %u", kname[k],
				     counts[ci], oname[o], rc, once, s.wrong,
				     st.dones, st.started);
		}
	}
	is_u64(good, runs, "%s: N = 1, 2, 3, 8, %zu x fifo, lifo, priority: "
	       "sequential verdicts, each number once, one done per worker",
	       kname[k], NMIX + 5);
	ok(no_children(), "%s: every process reaped", kname[k]);
}

static void test_empty_and_bad(enum pool_kind k)
{
	struct seen s;
	struct pool_config c = config(k, 3, POOL_FIFO, &s);
	struct pool_stats st;

	c.count = 0;
	ok(pool_run(&c, &st) == 0 && st.dones == 3 && st.results == 0,
	   "%s: no numbers: every worker still says done", kname[k]);
	c.workers = 0;
	ok(pool_run(&c, &st) == -EINVAL, "%s: 0 workers is -EINVAL",
	   kname[k]);
	c.workers = POOL_MAX_WORKERS + 1;
	ok(pool_run(&c, &st) == -EINVAL, "%s: too many workers is -EINVAL",
	   kname[k]);
}

/* The big prime takes seconds: a stop set at the first result must not
 * wait for it. */
static void stop_case(struct pool_config *c, struct seen *s,
		      int (*run)(const struct pool_config *,
				 struct pool_stats *),
		      const char *name)
{
	static const uint64_t slow[] = { 2, 18446744073709551557ull,
					 18446744073709551557ull, 3 };
	static volatile sig_atomic_t stop;
	struct pool_stats st;
	double t;
	int rc;

	stop = 0;
	c->numbers = slow;
	c->count = 4;
	c->stop = &stop;
	s->stop_after_first = &stop;
	t = now();
	rc = run(c, &st);
	t = now() - t;
	ok(rc == -EINTR && s->results >= 1, "%s: a stop request ends the run "
	   "(-EINTR)", name);
	ok_timing(t < 1.0, "%s: at once (%.3f s)", name, t);
}

static void test_stop(enum pool_kind k)
{
	struct seen s;
	struct pool_config c = config(k, 2, POOL_FIFO, &s);
	struct pool_stats st;
	int rc;

	stop_case(&c, &s, pool_run, kname[k]);
	ok(no_children(), "%s: stopped workers reaped", kname[k]);

	c = config(k, 2, POOL_FIFO, &s);
	s.fail_after = 3;
	rc = pool_run(&c, &st);
	ok(rc == -EPIPE && s.results == 3, "%s: a callback error stops the "
	   "run and is returned", kname[k]);
	ok(no_children(), "%s: workers reaped after a callback error",
	   kname[k]);
}

/* A result in list order: the sequential run's promise. */
static int in_order(const struct pool_result *r, void *arg)
{
	struct seen *s = arg;

	if (r->index != s->results || r->worker != 0 || r->pid != 0 ||
	    r->elapsed < 0)
		s->wrong = true;
	return on_result(r, arg);
}

static void test_sequential(void)
{
	struct seen s;
	struct pool_config c = config(POOL_THREADS, 0, POOL_FIFO, &s);
	struct pool_stats st;
	int rc;

	c.on_result = in_order;
	rc = pool_run_sequential(&c, &st);
	ok(rc == 0 && !s.wrong && s.results == NMIX && st.results == NMIX,
	   "sequential: every verdict right, in list order, worker 0");
	c = config(POOL_THREADS, 0, POOL_FIFO, &s);
	s.fail_after = 3;
	rc = pool_run_sequential(&c, &st);
	ok(rc == -EPIPE && s.results == 3 && st.results == 2,
	   "sequential: a callback error stops the run and is returned");
	c = config(POOL_THREADS, 0, POOL_FIFO, &s);
	stop_case(&c, &s, pool_run_sequential, "sequential");
	ok(s.results == 1, "sequential: stopped inside the first long check");
}

/* kill -9 a worker right after a result: it is then mid-job. */
static int kill_result(const struct pool_result *r, void *arg)
{
	struct seen *s = arg;
	int rc = on_result(r, arg);

	if (s->kills_left > 0 && r->pid > 0 && r->pid != s->last_killed &&
	    s->results % 2 == 1) {
		struct timespec d = { 0, 15000000 };

		nanosleep(&d, NULL);
		if (kill((pid_t)r->pid, SIGKILL) == 0) {
			s->kills_left--;
			s->last_killed = r->pid;
			s->killed_at = now();
		}
	}
	return rc;
}

static void kill_event(const struct pool_event *e, void *arg)
{
	struct seen *s = arg;

	if (e->kind == POOL_WORKER_DIED) {
		s->deaths++;
		s->deaths_with_job += e->had_job;
		if (now() - s->killed_at > s->died_after)
			s->died_after = now() - s->killed_at;
	} else if (e->kind == POOL_WORKER_RESTARTED) {
		s->restarts++;
	}
}

static void test_kill(void)
{
	static const uint64_t jobs[] = {
		9999999999999917ull, 9999999999999917ull, 9999999999999917ull,
		9999999999999917ull, 9999999999999917ull, 9999999999999917ull,
		9999999999999917ull, 9999999999999917ull,
	};
	struct seen s;
	struct pool_config c = config(POOL_PROCS, 2, POOL_FIFO, &s);
	struct pool_stats st;
	unsigned i, once = 0;
	int rc;

	c.numbers = jobs;
	c.count = 8;
	c.on_result = kill_result;
	c.on_event = kill_event;
	s.kills_left = 3;
	rc = pool_run(&c, &st);
	for (i = 0; i < 8; i++)
		once += s.times[i] == 1;
	/* on_result's check compares with mix[]: redo it for jobs[]. */
	ok(rc == 0 && once == 8 && st.results == 8 && st.dones == 2,
	   "procs: 3 workers killed mid-run: all 8 results, once each, "
	   "2 dones (rc %d)", rc);
	ok(s.deaths == 3 && s.restarts == 3 && st.deaths == 3,
	   "procs: 3 deaths reported, 3 workers restarted (%u, %u)",
	   s.deaths, s.restarts);
	ok(s.deaths_with_job >= 1, "procs: a killed worker's job was put "
	   "back and re-run (%u of 3 held a job)", s.deaths_with_job);
	ok_timing(s.died_after < 0.5, "procs: each death seen within 0.5 s "
	   "(worst %.3f s)", s.died_after);
	ok(no_children(), "procs: every process reaped after the kills");
}

/* Kill every worker soon after it starts: the one number kills 3. */
static void killer_event(const struct pool_event *e, void *arg)
{
	/* 30 ms: the worker has taken its job (x20 under valgrind, where
	 * a new process is slow to get going).  Split into seconds: tv_nsec
	 * must stay below 1e9 whatever TAP_TIME_SCALE says. */
	long ms = 30L * (long)tap_time_scale();
	struct timespec d = { ms / 1000, ms % 1000 * 1000000L };

	(void)arg;
	if (e->kind == POOL_WORKER_STARTED ||
	    e->kind == POOL_WORKER_RESTARTED) {
		nanosleep(&d, NULL);
		kill((pid_t)e->pid, SIGKILL);
	}
}

static void test_fatal(void)
{
	static const uint64_t one[] = { 18446744073709551557ull };
	struct seen s;
	struct pool_config c = config(POOL_PROCS, 1, POOL_FIFO, &s);
	struct pool_stats st;
	double t = now();
	int rc;

	c.numbers = one;
	c.count = 1;
	c.on_event = killer_event;
	rc = pool_run(&c, &st);
	t = now() - t;
	ok(rc == -ECHILD && st.fatal_n == one[0] && st.deaths >= 3,
	   "procs: a number that killed 3 workers stops the run: -ECHILD, "
	   "fatal_n names it (rc %d, %u deaths, %.2f s)", rc, st.deaths, t);
	ok(no_children(), "procs: every process reaped after the stop");
}

/* Start failures: a process limit of 2 for a fresh user lets one
 * worker start; the rest must be stopped and reaped. */
static void test_start_failure(enum pool_kind k)
{
	pid_t pid;
	int st;

	if (getuid() != 0) {
		ok(1, "# SKIP %s: start failure needs root to switch to a "
		   "fresh user", kname[k]);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 2, 2 };
		struct seen s;
		struct pool_config c = config(k, 4, POOL_FIFO, &s);
		struct pool_stats pst;
		int rc;

		if (setgid(65534) != 0 || setuid(65533) != 0 ||
		    setrlimit(RLIMIT_NPROC, &rl) != 0)
			_exit(3);
		rc = pool_run(&c, &pst);
		if (rc != -EAGAIN)
			_exit(4);
		if (pst.started >= 4 || !no_children())
			_exit(5);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: fork/pthread_create "
	   "failing: -EAGAIN, the started workers stopped and reaped "
	   "(status %d)", kname[k], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* Threads under the emulated GIL: the same verdicts; procs refuse it. */
static void test_gil(void)
{
	static const unsigned counts[] = { 1, 2, 4 };
	unsigned ci, i, good = 0;
	struct gil gil;
	struct seen s;
	struct pool_config c;
	struct pool_stats st;
	unsigned long switches, forced;

	ok(gil_init(&gil, 1000) == 0, "gil: a GIL with a 1 ms interval");
	for (ci = 0; ci < 3; ci++) {
		bool once = true;
		int rc;

		c = config(POOL_THREADS, counts[ci], POOL_PRIORITY, &s);
		c.gil = &gil;
		rc = pool_run(&c, &st);
		for (i = 0; i < NMIX; i++)
			once = once && s.times[i] == 1;
		if (rc == 0 && once && !s.wrong && st.dones == counts[ci])
			good++;
	}
	is_u64(good, 3, "gil: N = 1, 2, 4 threads under the GIL give the "
	       "sequential verdicts, each number once");
	gil_stats(&gil, &switches, &forced);
	ok(switches >= NMIX, "gil: every check took the GIL (%lu times)",
	   switches);
	c = config(POOL_PROCS, 2, POOL_FIFO, &s);
	c.gil = &gil;
	ok(pool_run(&c, &st) == -EINVAL, "gil: processes with a GIL is "
	   "-EINVAL");
	gil_destroy(&gil);
}

int main(void)
{
	int k;

	tap_start(120);
	ok(pool_job_cost(4) == 0 && pool_job_cost(15) == 0 &&
	   pool_job_cost(7777777777777777ull) <= 64 &&
	   pool_job_cost(9999999999999917ull) >=
	   prime_cost(9999999999999917ull) &&
	   pool_job_cost(9999999999999917ull) <=
	   prime_cost(9999999999999917ull) + 16,
	   "pool_job_cost: small factors cost nothing, a prime its scan");
	ok(pool_job_cost(4444444488888889ull) >
	   pool_job_cost(142702110479723ull), "pool_job_cost: the square of a "
	   "large prime is priced above a smaller prime");
	for (k = POOL_THREADS; k <= POOL_PROCS; k++) {
		test_verdicts((enum pool_kind)k);
		test_empty_and_bad((enum pool_kind)k);
		test_stop((enum pool_kind)k);
		test_start_failure((enum pool_kind)k);
	}
	test_gil();
	test_sequential();
	/* A worker killed at a chosen moment may hold the queue's lock
	 * (rarely: a get or put is ~1 us, but valgrind stretches it): only
	 * robust mutexes get the pool past that (not macOS). */
	if (tap_robust(plat_robust(), "workers killed mid-run or soon "
		       "after they start")) {
		test_kill();
		test_fatal();
	}
	return tap_done();
}
