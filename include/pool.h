/*
 * pool: check a list of numbers with N workers, threads or processes, over
 * a jobs queue and a results queue, with the book's protocol (procs.py,
 * threads.py): every number is put as a job, then one pill per worker; a
 * worker answers each job with a result (n, prime, elapsed) and its pill
 * with "done"; the run ends when every worker has said done.
 *
 * Results reach the caller's callback as they arrive, in the caller's
 * thread, each number exactly once (by its index in the list), in
 * completion order.  Worker events (a death, a restart) go to a second
 * callback: the module never prints.  No allocation per job: the queues,
 * the workers' slots and the bookkeeping are allocated once per run.
 *
 * pool_stream runs the same pools as a filter: numbers read as they
 * come, small ones in batches, in bounded memory (docs/queue.md).
 *
 * Going past the book: a process worker that dies, even holding a queue
 * lock, is noticed within POOL_POLL seconds and replaced, its job put back
 * (pool.c says how).  POOL_PRIORITY takes the longest jobs first, priced
 * by pool_job_cost().
 */
#ifndef CONCDEMO_POOL_H
#define CONCDEMO_POOL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prime.h"
#include "queue.h"

struct gil;
struct trace;

enum pool_kind { POOL_THREADS, POOL_PROCS };
/* The order workers take the jobs in (the jobs queue's discipline). */
enum pool_order { POOL_FIFO, POOL_LIFO, POOL_PRIORITY };

#define POOL_MAX_WORKERS 1024
/* Workers a number's job may kill before the run stops (-ECHILD): the
 * default of cfg.max_deaths, and the front ends' choice. */
#define POOL_MAX_DEATHS 3
/* Seconds between two looks for dead process workers (and for a dead
 * parent, in a worker's queue wait). */
#define POOL_POLL 0.1

struct pool_result {
	uint64_t n;
	size_t index;		/* position of n in cfg->numbers, or in the
				   stream (pool_stream) */
	double elapsed;		/* seconds the check took in the worker */
	unsigned worker;	/* 0 .. workers-1 */
	long pid;		/* processes: the pid in that worker's slot now
				   (0 once it ended); threads: 0 */
	bool prime;
};

enum pool_event_kind {
	POOL_WORKER_STARTED,	/* a process worker was forked at the start */
	POOL_WORKER_DIED,	/* a process worker ended without its done */
	POOL_WORKER_RESTARTED,	/* a new process took the dead one's place */
};

struct pool_event {
	enum pool_event_kind kind;
	unsigned worker;	/* slot 0 .. workers-1 */
	long pid;		/* DIED: the dead process; else the new one */
	int wstatus;		/* DIED: its waitpid status */
	bool had_job;		/* DIED: it was checking n (put back unless the
				   number has now killed max_deaths workers) */
	uint64_t n;
	unsigned deaths;	/* DIED with a job: deaths on n so far */
};

struct pool_config {
	enum pool_kind kind;
	unsigned workers;			/* 1 .. POOL_MAX_WORKERS */
	enum pool_order order;			/* of the jobs queue */
	const uint64_t *numbers;		/* not copied; kept unchanged */
	size_t count;				/* < 2^32 */
	/* Called for each number once, as its result arrives.  A non-zero
	 * return (a negative errno) stops the run; pool_run returns it. */
	int (*on_result)(const struct pool_result *r, void *arg);
	/* Called for deaths and restarts; may be NULL. */
	void (*on_event)(const struct pool_event *e, void *arg);
	void *arg;
	/* Polled; non-zero stops the run (-EINTR).  May be NULL. */
	const volatile sig_atomic_t *stop;
	unsigned max_deaths;			/* 0: POOL_MAX_DEATHS */
	/* Threads only (else -EINVAL): run every check under this emulated
	 * GIL (gil.h), as CPython's threads.py does; NULL: real parallel
	 * threads.  Caller-owned, initialised, outlives the run. */
	struct gil *gil;
	/* The prime core's path for every check (prime.h): PRIME_SCALAR
	 * (0) by default; must be one the CPU has (prime_path_supported). */
	enum prime_path path;
	/* --trace (trace.h): NULL, or records on lane 0 (the caller's
	 * thread: results, deaths, re-runs; the sequential run's jobs) and
	 * lane w + 1 (worker w: queue waits, jobs, its GIL), each named
	 * here; lanes past the trace's count are not recorded.  Shared
	 * (trace_create's shared) for processes. */
	struct trace *trace;
	/* pool_stream only (pool_run ignores them).  keep_order: results in
	 * stream order (a finished batch waits for the ones before it),
	 * else in completion order.  idle (may be NULL): called before the
	 * pool waits for input or results (where a front end writes out
	 * what it has gathered); a non-zero return (a negative errno) stops
	 * the run and is returned. */
	bool keep_order;
	int (*idle)(void *arg);
};

/*
 * Where pool_stream reads its numbers.  read(arg, buf, max, wait) fills
 * buf[0 .. count) with up to max (>= 1) numbers and returns count > 0;
 * 0 at the end of input; -EAGAIN when no number is ready and wait is
 * false (it must not block then); -EINTR if a signal interrupted a wait;
 * any other -errno stops the run and is returned.  Called in the
 * caller's thread only.
 */
struct pool_source {
	long (*read)(void *arg, uint64_t *buf, size_t max, bool wait);
	void *arg;
};

struct pool_stats {
	double elapsed;		/* seconds, first job put to last done */
	size_t results;		/* numbers answered (each once) */
	unsigned started;	/* workers started, restarts included */
	unsigned dones;		/* workers that said done (each once) */
	unsigned deaths;	/* process workers that died */
	unsigned duplicates;	/* second answers dropped */
	uint64_t fatal_n;	/* -ECHILD: the number that killed too many */
};

/*
 * Run cfg->numbers through cfg->workers workers and wait for them all.
 * Every worker started is stopped and reaped (joined) before it returns,
 * whatever happened; stdout and stderr are flushed before each fork.
 * stats (may be NULL) is filled in every case.
 * Returns 0 once every worker said done (every number answered);
 *   -EINVAL (bad config), -ENOMEM, -EAGAIN (fork or pthread_create
 *   failed: no more processes or threads), -EINTR (*cfg->stop was set),
 *   -ECHILD (stats->fatal_n killed max_deaths workers), the callback's
 *   error, or a queue error.
 * Thread-safety: one pool_run per process at a time (it reaps only its own
 * children, but SIGCHLD handling is the caller's); reusable any number of
 * times (the sweep calls it for N = 1, 2, ...).
 */
int pool_run(const struct pool_config *cfg, struct pool_stats *stats);

/*
 * The book's sequential.py, beside the pools: check cfg->numbers one
 * after the other in the caller's thread, in list order, each result
 * through cfg->on_result as it is reached (worker 0, pid 0), stopping
 * between slices of a check when *cfg->stop is set.  Uses numbers, count,
 * on_result, arg, stop and path; the pool's other fields are ignored.
 * stats (may be NULL): elapsed and results.
 * Returns 0, -EINTR (*cfg->stop was set) or the callback's error.
 */
int pool_run_sequential(const struct pool_config *cfg,
			struct pool_stats *stats);

/*
 * pool_run for a stream of any length: read numbers from src as they
 * come, check them with cfg->workers workers and report each once through
 * cfg->on_result (index: its position in the stream), in completion order
 * or, with cfg->keep_order, in stream order.  Small numbers travel in
 * batches (as many as about a millisecond of checks, at most
 * POOL_BATCH_MAX), big ones one by one; the memory is a fixed number of
 * batch slots, whatever the input's length.  The source is never read
 * with wait=true while results are pending.  Uses cfg's fields but
 * numbers and count.  Deaths, restarts, stop and the return values are
 * pool_run's; a batch whose worker died is put back from the number it
 * was on, and -ECHILD names that number in stats->fatal_n.  Also returns
 * src->read's error.
 */
#define POOL_BATCH_MAX 1024
int pool_stream(const struct pool_config *cfg, const struct pool_source *src,
		struct pool_stats *stats);

/* One check as a worker makes it: n on path in slices of slice divisors
 * (prime_scan_run), between(arg) after each, recorded as a job span on
 * the calling thread's trace lane (trace_self; none when NULL).  The
 * verdict in *prime; returns false if between stopped it.  The
 * sequential run and the sequential filter use it too. */
bool pool_check(uint64_t n, enum prime_path path, uint64_t slice,
		bool (*between)(void *arg), void *arg, bool *prime);

/* The priority of n's job: expected divisors tried (pool.c).  Pure. */
uint64_t pool_job_cost(uint64_t n);

/* Test hooks, built only with -DPOOL_TEST_HOOKS (the unit tests' copy of
 * pool.o; not in the program), for pool_stream, in the calling process.
 * pool_test_hooks(dup, stale): every dup-th JOB is put twice (as a
 * worker killed inside queue_get leaves it: queued and in its claim);
 * every stale-th batch about to be reported first gets, in its middle
 * entry, a tag of its slot's earlier filling with the wrong verdict (a
 * stale worker's write).  0 disables; the counts are reset.
 * pool_test_counts: JOBs put twice, stale tags written, batches put back
 * at report time.  Not thread-safe. */
#ifdef POOL_TEST_HOOKS
void pool_test_hooks(unsigned dup, unsigned stale);
void pool_test_counts(unsigned long *dups, unsigned long *stales,
		      unsigned long *redone);
#endif

#endif
