/*
 * test_pool: both pools give the sequential verdicts for any worker count
 * and order, each number once, one done per worker; a stop request, a
 * failing callback and a failing start end the run with every worker
 * reaped; a killed process worker's job is run again; a number that keeps
 * killing its workers stops the run; a stream's JOB put twice, or a stale
 * write into a batch, never gives a wrong or a second answer.
 */
#define POOL_TEST_HOOKS		/* pool_test_hooks: the test copy of pool.o */
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

/* ---- pool_stream ---- */

/* A source over an array: chunks of at most 700 numbers; without wait,
 * every third call says -EAGAIN.  It checks the pool never waits on it
 * while a number it gave is unanswered. */
struct feed {
	const uint64_t *v;
	size_t len, pos, answered;
	unsigned calls, idles;
	bool waited_busy;	/* read with wait while results were due */
	int fail_at;		/* > 0: -EIO from this call on */
	long killed[2];		/* the kill test: pids per worker */
	unsigned kills_left, deaths, deaths_with_job, restarts;
	size_t next_kill;	/* kill at this many results */
	uint64_t died_on;	/* a number a dead worker held */
};

static long feed_read(void *arg, uint64_t *buf, size_t max, bool wait)
{
	struct feed *f = arg;
	size_t n = f->len - f->pos;

	f->calls++;
	if (wait && f->answered < f->pos)
		f->waited_busy = true;
	if (f->fail_at > 0 && f->calls >= (unsigned)f->fail_at)
		return -EIO;
	if (!wait && f->calls % 3 == 0)
		return -EAGAIN;
	if (n > max)
		n = max;
	if (n > 700)
		n = 700;
	memcpy(buf, f->v + f->pos, n * sizeof(*buf));
	f->pos += n;
	return (long)n;
}

static int feed_idle(void *arg)
{
	((struct feed *)arg)->idles++;
	return 0;
}

struct heard {
	struct feed f;
	uint8_t *times;		/* per position */
	size_t results, first;	/* first: the first index reported */
	bool wrong, ordered;
	volatile sig_atomic_t *stop_at_first;
};

static int heard_result(const struct pool_result *r, void *arg)
{
	struct heard *h = arg;

	if (r->index >= h->f.len || r->n != h->f.v[r->index] ||
	    r->prime != is_prime(r->n) || r->elapsed < 0)
		h->wrong = true;
	else
		h->times[r->index]++;
	if (h->results == 0)
		h->first = r->index;
	if (r->index != h->results)
		h->ordered = false;
	h->results++;
	h->f.answered++;
	if (h->stop_at_first != NULL)
		*h->stop_at_first = 1;
	return 0;
}

static struct pool_config stream_config(enum pool_kind k, unsigned n,
					struct heard *h, const uint64_t *v,
					size_t len, struct pool_source *src)
{
	static struct seen unused;
	struct pool_config c = config(k, n, POOL_FIFO, &unused);

	c.numbers = NULL;	/* pool_stream reads src */
	c.count = 0;
	c.on_result = heard_result;
	c.idle = feed_idle;
	c.arg = h;
	memset(h, 0, sizeof(*h));
	h->f.v = v;
	h->f.len = len;
	h->ordered = true;
	h->times = calloc(len + 1, 1);
	src->read = feed_read;
	src->arg = &h->f;
	return c;
}

static bool each_once(const struct heard *h)
{
	size_t i;

	for (i = 0; i < h->f.len; i++)
		if (h->times[i] != 1)
			return false;
	return !h->wrong && h->results == h->f.len;
}

/* A slow prime at the head (set by each test), then 0 .. 1499 (two
 * batches), then the mix. */
#define NSMALL 1500
#define NSTREAM (1 + NSMALL + NMIX)
static uint64_t stream_v[NSTREAM];

static void stream_numbers(void)
{
	size_t i;

	for (i = 0; i < NSMALL; i++)
		stream_v[1 + i] = i;
	memcpy(stream_v + 1 + NSMALL, mix, sizeof(mix));
}

static void test_stream(enum pool_kind k)
{
	unsigned ci, good = 0;
	struct pool_source src;
	struct pool_stats st;
	struct heard h;
	struct pool_config c;
	int rc;

	for (ci = 0; ci < 2; ci++) {
		c = stream_config(k, ci == 0 ? 1 : 3, &h, stream_v + 1,
				  NSTREAM - 1, &src);
		c.order = ci == 0 ? POOL_FIFO : POOL_PRIORITY;
		rc = pool_stream(&c, &src, &st);
		if (rc == 0 && each_once(&h) && st.results == NSTREAM - 1 &&
		    st.dones == c.workers && !h.f.waited_busy && h.f.idles > 0)
			good++;
		else
			diag("%s stream N=%u: rc %d once %d busy-wait %d "
			     "idles %u", kname[k], c.workers, rc,
			     each_once(&h), h.f.waited_busy, h.f.idles);
		free(h.times);
	}
	ok(good == 2, "%s stream: N = 1 fifo, 3 priority: every number once, "
	   "sequential verdicts; input never awaited with results due; "
	   "idle called", kname[k]);

	/* ~20 ms (8.4 million divisors): the second worker's small
	 * batches finish first, even on one CPU. */
	stream_v[0] = 1000000000000037ull;
	c = stream_config(k, 2, &h, stream_v, NSTREAM, &src);
	rc = pool_stream(&c, &src, &st);
	ok(rc == 0 && each_once(&h) && h.first != 0, "%s stream: completion "
	   "order: the slow first number is not reported first (first %zu)",
	   kname[k], h.first);
	free(h.times);
	stream_v[0] = 10000000000037ull;	/* ~2 ms: the batches end
						   out of order */
	c = stream_config(k, 2, &h, stream_v, NSTREAM, &src);
	c.keep_order = true;
	rc = pool_stream(&c, &src, &st);
	ok(rc == 0 && each_once(&h) && h.ordered, "%s stream: keep_order: "
	   "stream order", kname[k]);
	free(h.times);

	c = stream_config(k, 2, &h, stream_v, 0, &src);
	rc = pool_stream(&c, &src, &st);
	ok(rc == 0 && st.results == 0 && st.dones == 2, "%s stream: empty "
	   "input: every worker says done", kname[k]);
	free(h.times);
	c = stream_config(k, 2, &h, stream_v + 1, NSTREAM - 1, &src);
	h.f.fail_at = 4;
	rc = pool_stream(&c, &src, &st);
	ok(rc == -EIO && no_children(), "%s stream: the source's error is "
	   "returned, every worker reaped (rc %d)", kname[k], rc);
	free(h.times);
}

static void test_stream_stop(enum pool_kind k)
{
	static const uint64_t slow[] = { 2, 18446744073709551557ull,
					 18446744073709551557ull, 3 };
	static volatile sig_atomic_t stop;
	struct pool_source src;
	struct pool_stats st;
	struct heard h;
	struct pool_config c = stream_config(k, 2, &h, slow, 4, &src);
	double t;
	int rc;

	stop = 0;
	c.stop = &stop;
	h.stop_at_first = &stop;
	t = now();
	rc = pool_stream(&c, &src, &st);
	t = now() - t;
	ok(rc == -EINTR && h.results >= 1 && no_children(), "%s stream: a stop "
	   "request ends the run (-EINTR), workers reaped", kname[k]);
	ok_timing(t < 1.0, "%s stream: at once (%.3f s)", kname[k], t);
	free(h.times);
}

/*
 * A JOB that exists twice (a worker killed inside queue_get leaves it
 * queued and in its claim, and the parent puts the claim back): two
 * workers run the same filling of a slot, and the slower one may still
 * be in it when the parent refills the slot.  The hook puts every other
 * JOB twice: every number still answered once, rightly, and each
 * duplicate's answer dropped.  Numbers from 2^34 (a prime's check
 * ~50 us): ~200 to a batch, ~10 batches.
 */
#define NDUP 2000
static uint64_t dup_v[NDUP];

/* What the hooks did in one hooked run. */
struct hooked {
	unsigned long dups, stales, redos;
	unsigned dropped;	/* st.duplicates */
};

/* Stream dup_v through 2 workers of kind k with the test hooks set
 * (pool_test_hooks(dup, stale)), keep_order ko; true if every number was
 * answered once with its sequential verdict (in order with ko).  *hk:
 * what the hooks did. */
static bool run_hooked(enum pool_kind k, unsigned ko, unsigned dup,
		       unsigned stale, struct hooked *hk)
{
	struct pool_source src;
	struct pool_stats st;
	struct heard h;
	struct pool_config c = stream_config(k, 2, &h, dup_v, NDUP, &src);
	bool good;
	int rc;

	c.keep_order = ko;
	pool_test_hooks(dup, stale);
	rc = pool_stream(&c, &src, &st);
	pool_test_counts(&hk->dups, &hk->stales, &hk->redos);
	pool_test_hooks(0, 0);
	hk->dropped = st.duplicates;
	good = rc == 0 && each_once(&h) && (!ko || h.ordered);
	if (!good)
		diag("%s keep_order %u: rc %d once %d ordered %d", kname[k],
		     ko, rc, each_once(&h), h.ordered);
	free(h.times);
	return good;
}

static void test_stream_duplicates(enum pool_kind k)
{
	struct hooked hk;
	unsigned ko, good = 0;
	size_t i;

	for (i = 0; i < NDUP; i++)
		dup_v[i] = (1ull << 34) + i;
	if (tap_time_scale() > 1) {
		/* Two threads on one slot meet only through C11 atomics,
		 * which helgrind cannot see (a race on every access; TSan
		 * runs this), and its reports in the parent would fail the
		 * forked workers' exit status in the procs tests. */
		skip_ok("under valgrind (TAP_TIME_SCALE): helgrind does not "
			"model C11 atomics", "%s stream: every other JOB put "
			"twice", kname[k]);
		return;
	}
	for (ko = 0; ko < 2; ko++) {
		if (run_hooked(k, ko, 2, 0, &hk) && hk.dups >= 3 &&
		    hk.dropped == hk.dups)
			good++;
		else
			diag("dups %lu dropped %u", hk.dups, hk.dropped);
	}
	ok(good == 2, "%s stream: every other JOB put twice, keep_order off "
	   "and on: every number once, sequential verdicts, each duplicate's "
	   "answer dropped", kname[k]);
}

/*
 * A stale worker's write (a verdict tagged with the slot's earlier
 * filling, and wrong) in every other batch about to be reported: the
 * batch is put back from that entry and redone, the stale verdict never
 * reported.
 */
static void test_stream_stale(enum pool_kind k)
{
	struct hooked hk;
	unsigned ko, good = 0;

	if (tap_time_scale() > 1) {
		/* Seconds of valgrind: the paths are the stream's above, the
		 * put-back's checked natively and under ASan and TSan. */
		skip_ok("slow under valgrind (TAP_TIME_SCALE)", "%s stream: "
			"a stale wrong verdict in every other batch", kname[k]);
		return;
	}
	for (ko = 0; ko < 2; ko++) {
		if (run_hooked(k, ko, 0, 2, &hk) && hk.stales >= 3 &&
		    hk.redos == hk.stales)
			good++;
		else
			diag("stale tags %lu batches put back %lu", hk.stales,
			     hk.redos);
	}
	ok(good == 2, "%s stream: a stale wrong verdict in every other "
	   "batch, keep_order off and on: each such batch put back from it "
	   "and redone, the stale verdict never reported; every number once, "
	   "rightly", kname[k]);
}

/* Kill the other worker as a batch is reported: it is then mid-batch. */
static int stream_kill_result(const struct pool_result *r, void *arg)
{
	struct heard *h = arg;
	long pid = h->f.killed[(r->worker + 1) % 2];

	if (h->f.kills_left > 0 && h->results >= h->f.next_kill && pid > 0 &&
	    kill((pid_t)pid, SIGKILL) == 0) {
		h->f.kills_left--;
		h->f.next_kill = h->results + 100;
		h->f.killed[(r->worker + 1) % 2] = 0;
	}
	return heard_result(r, arg);
}

static void stream_kill_event(const struct pool_event *e, void *arg)
{
	struct heard *h = arg;

	if (e->kind == POOL_WORKER_DIED) {
		h->f.deaths++;
		if (e->had_job) {
			h->f.deaths_with_job++;
			h->f.died_on = e->n;
		}
	} else {
		h->f.restarts += e->kind == POOL_WORKER_RESTARTED;
		h->f.killed[e->worker % 2] = e->pid;
	}
}

/* Primes of 37 bits (~0.1 ms each): ~60 to a batch, ~6 ms a batch. */
#define NKILL 360
static void test_stream_kill(void)
{
	static uint64_t v[NKILL];
	struct pool_source src;
	struct pool_stats st;
	struct heard h;
	struct pool_config c;
	uint64_t n = 1ull << 36;
	size_t i;
	int rc;

	for (i = 0; i < NKILL; n++)
		if (is_prime(n))
			v[i++] = n;
	c = stream_config(POOL_PROCS, 2, &h, v, NKILL, &src);
	c.on_result = stream_kill_result;
	c.on_event = stream_kill_event;
	h.f.kills_left = 2;
	h.f.next_kill = 10;
	rc = pool_stream(&c, &src, &st);
	ok(rc == 0 && each_once(&h) && h.f.deaths == 2 && h.f.restarts == 2,
	   "procs stream: 2 workers killed mid-batch: every number once, "
	   "2 deaths, 2 restarts (rc %d, %u, %u)", rc, h.f.deaths,
	   h.f.restarts);
	ok(h.f.deaths_with_job >= 1 && is_prime(h.f.died_on), "procs stream: "
	   "a killed worker's batch was put back (%u of 2 held one)",
	   h.f.deaths_with_job);
	ok(no_children(), "procs stream: every process reaped after the "
	   "kills");
	free(h.times);

	if (tap_time_scale() > 1) {
		/* pool_run's twin above covers the mechanism; here, seconds
		 * of valgrind for the per-number count alone. */
		skip_ok("slow under valgrind (TAP_TIME_SCALE)", "procs stream: "
			"a number that killed 3 workers stops the run");
		return;
	}
	c = stream_config(POOL_PROCS, 1, &h, v, NKILL, &src);
	c.on_event = killer_event;
	v[0] = 18446744073709551557ull;
	rc = pool_stream(&c, &src, &st);
	ok(rc == -ECHILD && st.fatal_n == v[0] && no_children(),
	   "procs stream: a number that killed 3 workers stops the run: "
	   "-ECHILD, fatal_n names it (rc %d)", rc);
	free(h.times);
}

int main(void)
{
	int k;

	tap_start(120);
	stream_numbers();
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
		test_stream((enum pool_kind)k);
		test_stream_stop((enum pool_kind)k);
		test_stream_duplicates((enum pool_kind)k);
		test_stream_stale((enum pool_kind)k);
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
		test_stream_kill();
	}
	return tap_done();
}
