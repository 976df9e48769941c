/*
 * pool: the book's process and thread pools (procs.py, threads.py) over
 * one queue module, with dead process workers detected and replaced; and
 * the same pools over a stream, small numbers in batches (pool_stream).
 *
 * Owns, per run: one block holding the jobs queue, the results queue, one
 * slot per worker and, for a stream, its batch slots (plat_map_shared for
 * processes, calloc for threads: the same layout and code), and the
 * parent's bookkeeping (pids or thread ids, which numbers were answered,
 * which workers said done, deaths per number; for a stream, the batch
 * slots' states and the numbers read but not yet sent).
 *
 * Sharing: a worker touches only the two queues (their own lock), its own
 * slot (the claim, written by queue_get under the jobs lock; the parent
 * reads it only after the worker is dead and reaped), the batch slot its
 * job names (the parent fills it before putting the JOB and reads it
 * after taking the RESULT: the queues' locks order the two; for a JOB
 * that runs twice, atomics and a generation on each verdict: struct
 * batch), and r->stop (atomic).  Everything else belongs to the parent
 * thread.  Lock order: none (a queue call never holds one lock while
 * taking another).
 *
 * Going past the book (its multiprocessing.Pool hangs forever when a
 * worker dies): a process worker that dies at any moment, even holding a
 * queue lock, is noticed within POOL_POLL seconds (waitpid WNOHANG while
 * the parent waits for results), its job is put back and a new worker is
 * forked in its place.  Each worker records the message it holds in a
 * shared slot, written by queue_get under the queue's lock, so a job is
 * never lost; it may run twice (a worker killed just after putting its
 * result), and the second answer is dropped.  A number whose job killed
 * max_deaths workers stops the run (-ECHILD).
 *
 * Priority order (POOL_PRIORITY): a job's priority is its expected cost,
 * largest first, so the long checks start first and the short ones fill in
 * at the end (the "longest processing time first" rule, within 4/3 of the
 * best finishing time).  The estimate is honest: pool_job_cost() runs the
 * scan's cheap start and its first 64 divisors, which settle every number
 * with a small factor (evens, multiples of 3, 5, 7, ...: cost ~0, priced at
 * the divisors actually tried); any other number is priced at a full scan
 * (the divisors up to its square root), exact for a prime or the square of
 * a prime, an upper bound for a composite with only large factors (which
 * cannot be told apart without doing the work).
 *
 * Departures from the book: a pill is a message kind, not 0; results carry
 * the number's index, so a job that ran twice is answered once; the parent
 * polls its result queue with a timeout so it can look for dead workers
 * (multiprocessing.Pool waits forever on a job whose worker was killed).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "gil.h"
#include "plat.h"
#include "pool.h"
#include "prime.h"
#include "trace.h"

/* Free slots beyond one per job and one per done, for answers that come
 * twice after a death. */
#define SLACK 64

struct slot {
	struct msg claim;	/* jobs lock: the message this worker holds */
	char pad[64 - sizeof(struct msg)];	/* one cache line each */
};

/*
 * A batch slot (pool_stream).  The parent fills n[] and count, then sets
 * gen (never 0) and progress, then puts the JOB that names the slot (its
 * n carries gen): the queue's lock orders the worker's reads after those
 * writes.  The worker publishes each verdict as one word, its tag (gen,
 * prime and elapsed: tag_make), and puts one RESULT for the slot.
 *
 * A JOB can be held by two workers at once: a worker killed inside
 * queue_get leaves it both queued and in its claim, and the parent puts
 * the claim back.  The second worker may then still be checking the
 * slot's earlier filling while the parent refills it, and write into the
 * new one.  So every field is atomic (the parent's writes race with that
 * worker's reads), and the parent believes an entry only if its tag
 * carries the slot's current gen (batch_report, at report time): a stale
 * write costs a redo, never a wrong answer.  The worker also looks at gen
 * before each number and stops when it changed (that only saves work).
 */
struct batch {
	_Atomic uint32_t gen;		/* parent: which filling; 0 = none */
	_Atomic uint32_t count;		/* parent */
	_Atomic uint32_t progress;	/* parent: where the JOB's worker
					   starts (0, or a put back's entry) */
	char pad[64 - 3 * sizeof(uint32_t)];	/* the header's own line:
						   another slot's tags are
						   written per number */
	_Atomic uint64_t n[POOL_BATCH_MAX];	/* parent */
	_Atomic uint64_t tag[POOL_BATCH_MAX];	/* the worker; 0 = none */
};
/* Shared between processes: an atomic that is not lock-free would take a
 * lock of each process's own. */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2,
	       "pool.c needs lock-free 32- and 64-bit atomics");

/* A batch slot's state, in the parent. */
enum { B_FREE, B_BUSY, B_DONE };

struct bslot {
	size_t first;		/* stream position of n[0] */
	uint8_t state;		/* B_FREE, B_BUSY (its JOB is out), B_DONE
				   (answered, waiting for its turn) */
	uint8_t deaths;		/* workers that died on n[died_at] */
	uint32_t died_at;
	uint16_t worker;	/* who answered */
	uint32_t reported;	/* entries reported (a batch put back
				   after a stale write resumes there) */
	uint64_t prio;		/* its JOB's */
};

struct run;
struct targ {
	struct run *r;
	unsigned w;
};

struct run {
	const struct pool_config *cfg;
	struct pool_stats *st;
	unsigned max_deaths;
	struct queue *jobs;	/* in block */
	struct queue *results;	/* in block */
	struct slot *slots;	/* in block */
	void *block;
	size_t block_size;
	pid_t parent;		/* processes: a worker's parent */
	atomic_int stop;	/* threads: the parent asks them to stop */
	/* parent only */
	pid_t *pids;		/* processes: live worker pids, 0 when gone */
	pthread_t *threads;
	struct targ *targs;
	unsigned nthreads;	/* threads started */
	bool *done_seen;	/* per worker */
	uint8_t *answered;	/* per number */
	uint8_t *deaths;	/* per number: workers its job killed */
	double last_reap;
	bool lost_worker;	/* processes: one was killed or died */
	size_t expect;		/* results due once every worker said done */
	struct trace_lane *old_lane;	/* the caller's thread's, restored */
	/* pool_stream only (batches NULL otherwise) */
	struct batch *batches;	/* in block, nslots of them */
	struct bslot *bs;	/* parent only, from here on */
	unsigned nslots;
	unsigned *free_ids, nfree;	/* a stack of B_FREE slots */
	unsigned *ring, ring_head, ring_len;	/* B_BUSY, B_DONE slots in
						   stream order */
	const struct pool_source *src;
	uint64_t *in;		/* numbers read, not yet in a batch */
	size_t in_pos, in_len;
	size_t next_index;	/* stream position of in[in_pos] */
	bool eof;
};

uint64_t pool_job_cost(uint64_t n)
{
	struct prime_scan s;

	prime_scan_start(&s, n);
	if (!s.done)
		prime_scan_step(&s, 64);
	if (s.done)
		return s.tried;
	return s.root / 30 * 8 + 8;	/* a full scan: 8 divisors per 30 */
}

/*
 * A batch entry's tag: the filling it was checked for (gen, 32 bits), its
 * verdict (bit 31) and its time (bits 30..0: a float's bits, sign left
 * out).  One word, so a verdict and its time never come from two
 * workers.  The time is a float (7 digits, 60 ns at 1 s): the rest of
 * the word is the tag's.  32 bits of gen suffice: a stale write is one
 * number's check old, and the parent clears the entries it refills.
 */
static uint64_t tag_make(uint32_t gen, bool prime, double elapsed)
{
	float f = (float)elapsed;	/* >= 0: plat_now is monotonic */
	uint32_t bits;

	memcpy(&bits, &f, sizeof(bits));
	return (uint64_t)gen << 32 | (uint64_t)prime << 31 |
	       (bits & 0x7fffffffu);
}

static uint32_t tag_gen(uint64_t t)
{
	return (uint32_t)(t >> 32);
}

static bool tag_prime(uint64_t t)
{
	return t >> 31 & 1;
}

static double tag_elapsed(uint64_t t)
{
	uint32_t bits = (uint32_t)t & 0x7fffffffu;
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/*
 * Test hooks (pool.h), in the parent: a JOB put twice, as a worker killed
 * inside queue_get would leave it; a stale tag with the wrong verdict
 * written into an entry just before its batch is reported.
 */
#ifdef POOL_TEST_HOOKS
static unsigned dup_every, stale_every;
static unsigned long dup_calls, stale_calls, dups_made, stales_made, redos;

void pool_test_hooks(unsigned dup, unsigned stale)
{
	dup_every = dup;
	stale_every = stale;
	dup_calls = stale_calls = dups_made = stales_made = redos = 0;
}

void pool_test_counts(unsigned long *dups, unsigned long *stales,
		      unsigned long *redone)
{
	*dups = dups_made;
	*stales = stales_made;
	*redone = redos;
}

static bool hook_duplicate(void)
{
	if (dup_every == 0 || ++dup_calls % dup_every != 0)
		return false;
	dups_made++;
	return true;
}

static void hook_stale(struct batch *b)
{
	uint32_t gen = atomic_load_explicit(&b->gen, memory_order_relaxed);
	uint32_t i = atomic_load_explicit(&b->count,
					  memory_order_relaxed) / 2;
	uint64_t t = atomic_load_explicit(&b->tag[i], memory_order_relaxed);

	if (stale_every == 0 || ++stale_calls % stale_every != 0 ||
	    tag_gen(t) != gen)
		return;
	atomic_store_explicit(&b->tag[i], tag_make(gen - 1, !tag_prime(t),
						   tag_elapsed(t)),
			      memory_order_relaxed);
	stales_made++;
}

static void hook_redo(void)
{
	redos++;
}
#else
static bool hook_duplicate(void)
{
	return false;
}

static void hook_stale(struct batch *b)
{
	(void)b;
}

static void hook_redo(void)
{
}
#endif

/* ---- the worker: one loop for threads and processes ---- */

static bool stopping(struct run *r)
{
	if (r->cfg->kind == POOL_THREADS)
		return atomic_load_explicit(&r->stop, memory_order_relaxed);
	return getppid() != r->parent;	/* the parent died: we go too */
}

/* Between slices: stop if asked, else offer the GIL (if any). */
static bool between_slices(void *arg)
{
	struct run *r = arg;

	if (stopping(r))
		return true;
	if (r->cfg->gil != NULL)
		gil_yield(r->cfg->gil);
	return false;
}

bool pool_check(uint64_t n, enum prime_path path, uint64_t slice,
		bool (*between)(void *arg), void *arg, bool *prime)
{
	struct trace_lane *tl = trace_self;
	int64_t tt = tl != NULL ? trace_now() : 0;
	struct prime_scan s;
	bool done;

	prime_scan_start(&s, n);
	s.path = path;
	done = prime_scan_run(&s, slice, between, arg);
	if (tl != NULL)
		trace_span(tl, TRACE_JOB, tt, trace_now(), n, s.tried,
			   done ? (s.prime ? TRACE_PRIME : 0) : TRACE_STOPPED);
	*prime = s.prime;
	return done;
}

/*
 * Check n into *prime, in slices (PRIME_SLICE, or GIL_SLICE under the
 * GIL), looking at the stop flag between slices.  Under the emulated GIL
 * (threads only) the worker holds it for the scan, offers it between
 * slices (CPython's eval-breaker) and drops it before its queue waits (a
 * blocking call).  Departure: CPython would also hold it for the few
 * bytecodes around queue.get/put; we do not.
 */
static bool scan(struct run *r, uint64_t n, bool *prime)
{
	struct gil *gil = r->cfg->gil;
	bool done;

	if (gil != NULL)	/* the job's span lies within the GIL's */
		gil_acquire(gil);
	done = pool_check(n, r->cfg->path, gil ? GIL_SLICE : PRIME_SLICE,
			  between_slices, r, prime);
	if (gil != NULL)
		gil_release(gil);
	return done;
}

static void result_msg(const struct msg *job, unsigned w, struct msg *res)
{
	memset(res, 0, sizeof(*res));
	res->kind = MSG_RESULT;
	res->n = job->n;
	res->index = job->index;
	res->worker = (uint16_t)w;
}

static bool check(struct run *r, const struct msg *job, unsigned w,
		  struct msg *res)
{
	double t0 = plat_now();
	bool prime;

	if (!scan(r, job->n, &prime))
		return false;
	result_msg(job, w, res);
	res->prime = prime;
	res->elapsed = plat_now() - t0;
	return true;
}

/*
 * Check a batch slot's numbers from where the JOB says to start (the
 * slot's progress: 0, or where a dead worker or a stale write left a
 * hole), publishing each verdict and time as a tag.  Stops early when
 * the slot's gen is no longer the JOB's (a duplicate JOB outlived its
 * batch); a JOB from an earlier filling is answered without work: the
 * parent drops that answer.  A thread looks at the stop flag between two
 * numbers (a relaxed load); a process only between slices and jobs
 * (getppid is a system call).
 */
static bool check_batch(struct run *r, const struct msg *job, unsigned w,
			struct msg *res)
{
	struct batch *b = &r->batches[job->index];
	bool threads = r->cfg->kind == POOL_THREADS, prime;
	uint32_t gen = (uint32_t)job->n;
	uint32_t i = atomic_load_explicit(&b->progress, memory_order_relaxed);
	uint32_t count = atomic_load_explicit(&b->count, memory_order_relaxed);
	double t = plat_now(), t1;

	for (; i < count && atomic_load_explicit(&b->gen,
						  memory_order_relaxed) == gen;
	     i++) {
		if (threads && atomic_load_explicit(&r->stop,
						    memory_order_relaxed))
			return false;
		if (!scan(r, atomic_load_explicit(&b->n[i],
						  memory_order_relaxed),
			  &prime))
			return false;
		t1 = plat_now();
		/* Release: pairs with batch_report's acquire, so a tag the
		 * parent believes was not computed from a number it wrote
		 * after reading the tag. */
		atomic_store_explicit(&b->tag[i], tag_make(gen, prime, t1 - t),
				      memory_order_release);
		t = t1;
	}
	result_msg(job, w, res);
	return true;
}

/*
 * Take jobs until the pill.  The stop flag (for a process: getppid(), a
 * system call) is read when a wait for a job times out, between the
 * slices of a check, and every LOOK_JOBS jobs, so a worker goes on for at
 * most LOOK_JOBS short jobs (or one slice of a long one) once its parent
 * is gone.  A forced stop does not wait for that: it closes the thread
 * pool's queues and kills process workers (which on Linux also get
 * PDEATHSIG when the parent dies).
 */
#define LOOK_JOBS 64

static int worker_main(struct run *r, unsigned w)
{
	struct slot *me = &r->slots[w];
	struct trace_lane *tl;
	struct msg job, res;
	unsigned jobs = 0;
	int64_t tt = 0;
	int rc;

	trace_bind(r->cfg->trace, w + 1);	/* NULL: this worker does not */
	tl = trace_self;
	for (;;) {
		if (jobs++ % LOOK_JOBS == 0 && stopping(r))
			return 0;
		if (tl != NULL)
			tt = trace_now();
		rc = queue_get_timed(r->jobs, &me->claim, 2 * POOL_POLL);
		if (tl != NULL)
			trace_span(tl, TRACE_QUEUE_WAIT, tt, trace_now(),
				   rc == 0 ? me->claim.n : 0, 0, 0);
		if (rc == -ETIMEDOUT || rc == -EINTR) {
			jobs = 0;	/* look now */
			continue;
		}
		if (rc != 0)
			return rc;
		job = me->claim;
		if (job.kind == MSG_PILL) {
			memset(&res, 0, sizeof(res));
			res.kind = MSG_DONE;
			res.worker = (uint16_t)w;
			return queue_put(r->results, &res);
		}
		if (!(r->batches ? check_batch : check)(r, &job, w, &res))
			return 0;
		rc = queue_put(r->results, &res);
		if (rc != 0)
			return rc;
	}
}

static void *thread_main(void *arg)
{
	struct targ *t = arg;

	worker_main(t->r, t->w);
	return NULL;
}

static void proc_main(struct run *r, unsigned w)
{
	/* Ctrl-C goes to the whole foreground group: the parent handles it
	 * and stops us; a worker stays quiet. */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() != r->parent)
		_exit(0);	/* the parent died before prctl */
	_exit(worker_main(r, w) == 0 ? 0 : 1);
}

/* ---- starting and stopping workers ---- */

static int start_proc(struct run *r, unsigned w)
{
	pid_t pid;

	memset(&r->slots[w].claim, 0, sizeof(struct msg));
	fflush(stdout);		/* or the child's copy is printed twice */
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		proc_main(r, w);
	r->pids[w] = pid;
	r->st->started++;
	return 0;
}

static int start_thread(struct run *r, unsigned w)
{
	sigset_t all, old;
	int rc;

	/* Signals go to the parent thread, which is waiting for them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r->targs[w].r = r;
	r->targs[w].w = w;
	rc = pthread_create(&r->threads[w], NULL, thread_main, &r->targs[w]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -rc;
	r->nthreads++;
	r->st->started++;
	return 0;
}

static void reap_blocking(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Stop (force: at once) and reap or join every worker still there. */
static void stop_workers(struct run *r, bool force)
{
	unsigned w;

	if (r->cfg->kind == POOL_THREADS) {
		if (force) {
			atomic_store(&r->stop, 1);
			queue_close(r->jobs);
			queue_close(r->results);
		}
		for (w = 0; w < r->nthreads; w++)
			pthread_join(r->threads[w], NULL);
		r->nthreads = 0;
		return;
	}
	for (w = 0; w < r->cfg->workers; w++) {
		if (r->pids[w] <= 0)
			continue;
		if (force) {
			kill(r->pids[w], SIGKILL);
			r->lost_worker = true;
		}
		reap_blocking(r->pids[w]);
		r->pids[w] = 0;
	}
}

/* ---- the parent: results, deaths, jobs put back ---- */

static void make_job(const struct run *r, size_t i, struct msg *m)
{
	uint64_t n = r->cfg->numbers[i];

	memset(m, 0, sizeof(*m));
	m->kind = MSG_JOB;
	m->n = n;
	m->index = (uint32_t)i;
	m->prio = r->cfg->order == POOL_PRIORITY ? pool_job_cost(n) : 0;
}

/* Report a worker event to the caller; a death is also a trace instant
 * (the dead pid, and its number if it held a job). */
static void emit(struct run *r, const struct pool_event *e)
{
	if (e->kind == POOL_WORKER_DIED && trace_self != NULL)
		trace_instant(trace_self, TRACE_DEATH, e->had_job ? e->n : 0,
			      (uint64_t)e->pid, e->had_job ? TRACE_HAD_JOB : 0);
	if (r->cfg->on_event != NULL)
		r->cfg->on_event(e, r->cfg->arg);
}

static bool stop_asked(const struct run *r)
{
	return r->cfg->stop != NULL && *r->cfg->stop != 0;
}

static int batch_lost(struct run *r, const struct msg *held, unsigned w,
		      struct pool_event *e, struct msg *job);

/*
 * The job a dead worker held, if it is still unanswered: its number (or
 * the batch's number it was on) into *e, and the job to put back into
 * *job.  Returns the number's (batch's) death count, 0 for no such job,
 * or a negative errno.
 */
static int job_lost(struct run *r, const struct msg *held, unsigned w,
		    struct pool_event *e, struct msg *job)
{
	size_t i = held->index;

	if (r->batches != NULL)
		return batch_lost(r, held, w, e, job);
	if (held->kind != MSG_JOB || i >= r->cfg->count || r->answered[i])
		return 0;
	e->n = held->n;
	make_job(r, i, job);
	return ++r->deaths[i];
}

static int worker_died(struct run *r, unsigned w, pid_t pid, int wstatus)
{
	const struct msg *held = &r->slots[w].claim;
	struct pool_event e;
	struct msg job;
	int rc;

	if (stop_asked(r))
		return -EINTR;	/* a signal to the group: no restart, no noise */
	memset(&e, 0, sizeof(e));
	e.kind = POOL_WORKER_DIED;
	e.worker = w;
	e.pid = (long)pid;
	e.wstatus = wstatus;
	r->st->deaths++;
	if (held->kind == MSG_PILL) {
		/* It had its pill: it was leaving anyway.  Count its done
		 * (once, even if its own done is still queued). */
		emit(r, &e);
		if (!r->done_seen[w]) {
			r->done_seen[w] = true;
			r->st->dones++;
		}
		return 0;
	}
	rc = job_lost(r, held, w, &e, &job);
	if (rc < 0)
		return rc;
	if (rc > 0) {
		e.had_job = true;
		e.deaths = (unsigned)rc;
		emit(r, &e);
		if (e.deaths >= r->max_deaths) {
			r->st->fatal_n = e.n;
			return -ECHILD;
		}
		/* Put it back before the new worker starts: a pill is
		 * handed out only when no job is queued, so whoever takes
		 * the last pill has seen this job taken first. */
		rc = queue_put(r->jobs, &job);
		if (rc != 0)
			return rc;
	} else {
		emit(r, &e);
	}
	rc = start_proc(r, w);
	if (rc != 0)
		return rc;
	if (trace_self != NULL && e.had_job)
		trace_instant(trace_self, TRACE_RERUN, e.n,
			      (uint64_t)r->pids[w], 0);
	e.kind = POOL_WORKER_RESTARTED;
	e.pid = (long)r->pids[w];
	e.had_job = false;
	emit(r, &e);
	return 0;
}

/* Look for workers that ended: normally after their done, or not. */
static int reap(struct run *r)
{
	unsigned w;

	r->last_reap = plat_now();
	for (w = 0; w < r->cfg->workers; w++) {
		pid_t pid = r->pids[w];
		int wstatus = 0, rc;
		pid_t got;

		if (pid <= 0)
			continue;
		got = waitpid(pid, &wstatus, WNOHANG);
		if (got == 0 || (got < 0 && errno == EINTR))
			continue;
		r->pids[w] = 0;
		if (got > 0 && WIFEXITED(wstatus) &&
		    WEXITSTATUS(wstatus) == 0)
			continue;	/* said done (maybe still queued) */
		r->lost_worker = true;
		rc = worker_died(r, w, pid, wstatus);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* One number's answer to the caller. */
static int report(struct run *r, uint64_t n, size_t index, double elapsed,
		  unsigned w, bool prime)
{
	struct pool_result res;

	r->st->results++;
	res.n = n;
	res.index = index;
	res.elapsed = elapsed;
	res.worker = w;
	res.pid = r->cfg->kind == POOL_PROCS ? (long)r->pids[w] : 0;
	res.prime = prime;
	return r->cfg->on_result(&res, r->cfg->arg);
}

static int batch_answered(struct run *r, const struct msg *m);

static int deliver(struct run *r, const struct msg *m)
{
	if (m->kind == MSG_DONE && m->worker < r->cfg->workers) {
		if (!r->done_seen[m->worker]) {
			r->done_seen[m->worker] = true;
			r->st->dones++;
		}
		return 0;
	}
	if (m->kind == MSG_RESULT && r->batches != NULL)
		return batch_answered(r, m);
	if (m->kind != MSG_RESULT || m->index >= r->cfg->count)
		return 0;	/* cannot happen: ignore */
	if (r->answered[m->index]) {
		r->st->duplicates++;
		return 0;
	}
	r->answered[m->index] = 1;
	return report(r, m->n, m->index, m->elapsed, m->worker, m->prime);
}

/* Results the parent takes under one lock. */
#define RESULTS_PER_TAKE 64

/* Deliver m[0 .. n), stopping at the first error. */
static int deliver_msgs(struct run *r, const struct msg *m, int n)
{
	int rc = 0, i;

	for (i = 0; i < n && rc == 0; i++)
		rc = deliver(r, &m[i]);
	return rc;
}

/* Deliver every message now in the results queue. */
static int deliver_ready(struct run *r)
{
	struct msg m[RESULTS_PER_TAKE];
	int rc = 0, n;

	while (rc == 0 &&
	       (n = queue_get_many(r->results, m, RESULTS_PER_TAKE, 0)) > 0)
		rc = deliver_msgs(r, m, n);
	return rc;
}

/* Deliver what is left in the results queue.  Every worker said done
 * after its pill, and pills come after every queued job: every number
 * now has its answer. */
static int drain(struct run *r)
{
	int rc = deliver_ready(r);

	if (rc != 0)
		return rc;
	return r->st->results == r->expect ? 0 : -EIO;
}

/*
 * Wait up to timeout seconds for results and deliver every one that is
 * ready at once: one lock and at most one wake-up per batch, not per
 * result; then, every POOL_POLL / 2, look for dead process workers.
 */
static int take(struct run *r, double timeout)
{
	struct msg m[RESULTS_PER_TAKE];
	int64_t tt = 0;
	int rc, n;

	n = queue_get_many(r->results, m, RESULTS_PER_TAKE, timeout);
	rc = n < 0 && n != -ETIMEDOUT && n != -EINTR ? n : 0;
	if (n > 0 && trace_self != NULL)
		tt = trace_now();
	if (n > 0)
		rc = deliver_msgs(r, m, n);
	if (n > 0 && trace_self != NULL)
		trace_span(trace_self, TRACE_RESULT, tt, trace_now(), 0,
			   (uint64_t)n, 0);
	if (rc == 0 && r->cfg->kind == POOL_PROCS &&
	    plat_now() - r->last_reap >= POOL_POLL / 2)
		rc = reap(r);
	return rc;
}

/*
 * Read results until every worker said done (the book's loop).
 * Departure: the book's parent takes them one by one (SimpleQueue.get).
 */
static int collect(struct run *r)
{
	while (r->st->dones < r->cfg->workers) {
		int rc;

		if (stop_asked(r))
			return -EINTR;
		rc = take(r, POOL_POLL);
		if (rc != 0)
			return rc;
	}
	/* A worker that died after taking its pill was counted done when
	 * it was reaped: its last results may still be queued. */
	return drain(r);
}

/* ---- setting up a run ---- */

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

/* The jobs queue's discipline for each pool order. */
static const enum queue_discipline discipline[] = {
	[POOL_FIFO] = QUEUE_FIFO,
	[POOL_LIFO] = QUEUE_LIFO,
	[POOL_PRIORITY] = QUEUE_PRIORITY,
};

/* The block (queues for nj messages, the workers' slots, then the batch
 * slots) and the parent's arrays (per number: count of them). */
static int alloc_run(struct run *r, size_t nj, size_t count)
{
	const struct pool_config *c = r->cfg;
	size_t qj = align64(queue_size(nj)), qr = align64(queue_size(nj));
	size_t sl = align64(c->workers * sizeof(struct slot));
	char *b;
	int rc;

	r->block_size = qj + qr + sl + r->nslots * sizeof(struct batch);
	b = c->kind == POOL_PROCS ? plat_map_shared(r->block_size) :
				    calloc(1, r->block_size);
	if (b == NULL)
		return -ENOMEM;
	r->block = b;
	r->jobs = (struct queue *)b;
	r->results = (struct queue *)(b + qj);
	r->slots = (struct slot *)(b + qj + qr);
	if (r->nslots > 0)
		r->batches = (struct batch *)(b + qj + qr + sl);
	rc = queue_init(r->jobs, nj, discipline[c->order],
			c->kind == POOL_PROCS);
	if (rc != 0)
		return rc;
	rc = queue_init(r->results, nj, QUEUE_FIFO, c->kind == POOL_PROCS);
	if (rc != 0) {
		queue_destroy(r->jobs);
		r->jobs = NULL;
		return rc;
	}
	r->pids = calloc(c->workers, sizeof(*r->pids));
	r->threads = calloc(c->workers, sizeof(*r->threads));
	r->targs = calloc(c->workers, sizeof(*r->targs));
	r->done_seen = calloc(c->workers, sizeof(*r->done_seen));
	r->answered = calloc(count + 1, 1);
	r->deaths = calloc(count + 1, 1);
	if (!r->pids || !r->threads || !r->targs || !r->done_seen ||
	    !r->answered || !r->deaths)
		return -ENOMEM;
	return 0;
}

/* A worker killed inside a queue call may have left a queue's mutex
 * locked or itself counted as a condvar waiter; destroying either is
 * undefined (glibc's pthread_cond_destroy waits for that waiter for
 * good).  The queues then go with their memory, unmapped below. */
static void free_run(struct run *r)
{
	if (r->jobs != NULL && !r->lost_worker) {
		queue_destroy(r->jobs);
		queue_destroy(r->results);
	}
	if (r->block != NULL) {
		if (r->cfg->kind == POOL_PROCS)
			plat_unmap_shared(r->block, r->block_size);
		else
			free(r->block);
	}
	free(r->pids);
	free(r->threads);
	free(r->targs);
	free(r->done_seen);
	free(r->answered);
	free(r->deaths);
	free(r->bs);
	free(r->free_ids);
	free(r->ring);
	free(r->in);
}

static bool bad_config(const struct pool_config *c)
{
	return c == NULL || c->workers < 1 || c->workers > POOL_MAX_WORKERS ||
	       (c->kind != POOL_THREADS && c->kind != POOL_PROCS) ||
	       (c->order != POOL_FIFO && c->order != POOL_LIFO &&
		c->order != POOL_PRIORITY) ||
	       c->count >= UINT32_MAX - POOL_MAX_WORKERS - SLACK ||
	       c->on_result == NULL || c->max_deaths > 255 ||
	       (c->gil != NULL && c->kind != POOL_THREADS);
}

static void started(struct run *r, unsigned w)
{
	struct pool_event e;

	memset(&e, 0, sizeof(e));
	e.kind = POOL_WORKER_STARTED;
	e.worker = w;
	e.pid = (long)r->pids[w];
	emit(r, &e);
}

static int start_worker(struct run *r, unsigned w)
{
	int rc;

	if (r->cfg->kind == POOL_THREADS)
		return start_thread(r, w);
	rc = start_proc(r, w);
	if (rc == 0)
		started(r, w);
	return rc;
}

static int put_pill(struct run *r)
{
	struct msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_PILL;
	return queue_put(r->jobs, &m);
}

/* The book's order: every job, then per worker: start it, put a pill. */
static int start(struct run *r)
{
	struct msg m;
	size_t i;
	unsigned w;
	int rc;

	for (i = 0; i < r->cfg->count; i++) {
		make_job(r, i, &m);
		rc = queue_put(r->jobs, &m);
		if (rc != 0)
			return rc;
	}
	for (w = 0; w < r->cfg->workers; w++) {
		rc = start_worker(r, w);
		if (rc == 0)
			rc = put_pill(r);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static void name_lanes(const struct pool_config *c)
{
	unsigned w;

	if (c->trace == NULL)
		return;
	trace_lane_name(c->trace, 0, "parent");
	for (w = 0; w < c->workers; w++)
		trace_lane_name(c->trace, w + 1, "worker %u", w);
}

/* A run's set-up before its allocation, and its end: the parts pool_run
 * and pool_stream share. */
static void run_init(struct run *r, const struct pool_config *cfg,
		     struct pool_stats *stats)
{
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->st = stats;
	r->max_deaths = cfg->max_deaths ? cfg->max_deaths : POOL_MAX_DEATHS;
	r->parent = getpid();
	r->last_reap = plat_now();
	atomic_init(&r->stop, 0);
	r->old_lane = trace_bind(cfg->trace, 0);
	name_lanes(cfg);
}

static int run_end(struct run *r, int rc, double t0)
{
	if (r->jobs != NULL)
		stop_workers(r, rc != 0);
	free_run(r);
	trace_self = r->old_lane;
	r->st->elapsed = plat_now() - t0;
	return rc;
}

int pool_run(const struct pool_config *cfg, struct pool_stats *stats)
{
	struct pool_stats local;
	struct run r;
	double t0 = plat_now();
	int rc;

	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (bad_config(cfg) || (cfg->numbers == NULL && cfg->count > 0))
		return -EINVAL;
	run_init(&r, cfg, stats);
	r.expect = cfg->count;
	rc = alloc_run(&r, cfg->count + cfg->workers + SLACK, cfg->count);
	if (rc == 0)
		rc = start(&r);
	if (rc == 0)
		rc = collect(&r);
	return run_end(&r, rc, t0);
}

/* ---- the stream: pool_stream ---- */

/* A batch's budget in expected divisors: about 1 ms of scalar trial
 * division (~1.5 ns a divisor, docs/speed.md's machine), so a job's two
 * trips through the queues (microseconds) are small beside its work,
 * and a stop, a death or an ordered output waits little for one. */
#define BATCH_BUDGET 650000
/* Seconds the parent waits for results before it looks at the input
 * again, while the input has nothing ready and a batch slot is free. */
#define INPUT_POLL 0.005

static unsigned bit_length(uint64_t n)
{
	return n ? 64 - (unsigned)__builtin_clzll(n) : 0;	/* gcc, clang */
}

/*
 * The divisors n's check is expected to try, from its size alone: the
 * parent prices every number, so no division and no scan here (unlike
 * pool_job_cost).  A full scan of a b-bit number tries up to
 * 2^(b/2) * 8/30 divisors; a prime (odds ~1/ln n) tries them all, and
 * most composites stop at a small factor, so the mean over numbers of
 * that size is about a full scan times 3/b (~2/ln n).  A big number's
 * estimate alone is over the budget: it goes in a batch of one.
 */
static uint64_t expected_cost(uint64_t n)
{
	unsigned b = bit_length(n);

	if (b == 0)
		return 0;
	return (((uint64_t)1 << (b + 1) / 2) * 8 / 30 + 1) * 3 / b;
}

static int stream_alloc(struct run *r)
{
	unsigned i, n;
	int rc;

	/* Two batches per worker (one checked, one queued), two more being
	 * filled or waiting for their turn to be reported. */
	n = r->nslots = 2 * r->cfg->workers + 2;
	rc = alloc_run(r, n + r->cfg->workers + SLACK, 0);
	if (rc != 0)
		return rc;
	r->bs = calloc(n, sizeof(*r->bs));
	r->free_ids = calloc(n, sizeof(*r->free_ids));
	r->ring = calloc(n, sizeof(*r->ring));
	r->in = calloc(POOL_BATCH_MAX, sizeof(*r->in));
	if (!r->bs || !r->free_ids || !r->ring || !r->in)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		r->free_ids[i] = n - 1 - i;
	r->nfree = n;
	return 0;
}

static int idle(struct run *r)
{
	return r->cfg->idle != NULL ? r->cfg->idle(r->cfg->arg) : 0;
}

/* Refill r->in: 0 (numbers read, end of input, or a signal: the caller
 * looks at the stop flag), -EAGAIN (nothing ready, !wait) or the
 * source's error. */
static int read_input(struct run *r, bool wait)
{
	long n;

	if (wait) {
		int rc = idle(r);

		if (rc != 0)
			return rc;
	}
	n = r->src->read(r->src->arg, r->in, POOL_BATCH_MAX, wait);
	if (n > POOL_BATCH_MAX)
		return -EIO;
	if (n == 0)
		r->eof = true;
	if (n >= 0) {
		r->in_pos = 0;
		r->in_len = (size_t)n;
		return 0;
	}
	return n == -EINTR ? 0 : (int)n;
}

/* Put slot id's JOB (its current gen) in the jobs queue. */
static int put_job(struct run *r, unsigned id)
{
	struct msg m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_JOB;
	m.n = atomic_load_explicit(&r->batches[id].gen, memory_order_relaxed);
	m.index = id;
	m.prio = r->bs[id].prio;
	rc = queue_put(r->jobs, &m);
	if (rc == 0 && hook_duplicate())
		rc = queue_put(r->jobs, &m);
	return rc;
}

/* The first entry of slot id from i on whose tag is not of the slot's
 * current filling (a stale worker's, or none yet); count if none. */
static uint32_t first_stale(struct run *r, unsigned id, uint32_t i)
{
	struct batch *b = &r->batches[id];
	uint32_t gen = atomic_load_explicit(&b->gen, memory_order_relaxed);
	uint32_t count = atomic_load_explicit(&b->count, memory_order_relaxed);

	while (i < count && tag_gen(atomic_load_explicit(
		       &b->tag[i], memory_order_relaxed)) == gen)
		i++;
	return i;
}

/* Put slot id's batch back from entry i (its gen unchanged): the
 * entries before it are answered. */
static int batch_redo(struct run *r, unsigned id, uint32_t i)
{
	hook_redo();
	atomic_store_explicit(&r->batches[id].progress, i,
			      memory_order_relaxed);
	r->bs[id].state = B_BUSY;
	return put_job(r, id);
}

/*
 * Report an answered batch's numbers (in stream order, from the first
 * not yet reported) and free its slot: 0 or the callback's error.  Each
 * verdict is believed only if its tag carries the slot's current gen
 * (read once, with acquire: pairs with check_batch's release); at the
 * first that does not (a stale worker's write), the batch is put back
 * from that entry, the entries before it reported, and 1 is returned:
 * a stale write costs a redo, never a wrong answer.
 */
static int batch_report(struct run *r, unsigned id)
{
	struct batch *b = &r->batches[id];
	struct bslot *s = &r->bs[id];
	uint32_t gen = atomic_load_explicit(&b->gen, memory_order_relaxed);
	uint32_t count = atomic_load_explicit(&b->count, memory_order_relaxed);
	uint32_t i;
	uint64_t t;
	int rc = 0;

	hook_stale(b);
	for (i = s->reported; i < count && rc == 0; i++) {
		t = atomic_load_explicit(&b->tag[i], memory_order_acquire);
		if (tag_gen(t) != gen) {
			s->reported = i;
			rc = batch_redo(r, id, i);
			return rc != 0 ? rc : 1;
		}
		rc = report(r, atomic_load_explicit(&b->n[i],
						    memory_order_relaxed),
			    s->first + i, tag_elapsed(t), s->worker,
			    tag_prime(t));
	}
	s->state = B_FREE;
	r->free_ids[r->nfree++] = id;
	return rc;
}

/* Slot id's batch is answered (by worker w): report it now (completion
 * order), or with the answered batches that were waiting for it
 * (keep_order); a batch put back stops the reports there. */
static int batch_done(struct run *r, unsigned id, unsigned w)
{
	int rc = 0;

	r->bs[id].state = B_DONE;
	r->bs[id].worker = (uint16_t)w;
	if (!r->cfg->keep_order)
		rc = batch_report(r, id);
	while (r->cfg->keep_order && rc == 0 && r->ring_len > 0 &&
	       r->bs[r->ring[r->ring_head]].state == B_DONE) {
		rc = batch_report(r, r->ring[r->ring_head]);
		if (rc <= 0) {
			r->ring_head = (r->ring_head + 1) % r->nslots;
			r->ring_len--;
		}
	}
	return rc > 0 ? 0 : rc;
}

/* A batch's RESULT.  An answer for a slot that is not out, or for its
 * earlier filling, came twice (a death, a duplicate JOB): dropped. */
static int batch_answered(struct run *r, const struct msg *m)
{
	if (m->index >= r->nslots || r->bs[m->index].state != B_BUSY ||
	    m->n != atomic_load_explicit(&r->batches[m->index].gen,
					 memory_order_relaxed)) {
		r->st->duplicates++;
		return 0;
	}
	return batch_done(r, m->index, m->worker);
}

/*
 * A dead worker w held a batch's JOB.  Its answer may be queued already
 * (it died after putting it): the results that are ready go first, so a
 * batch is put back only if it is still out, from its first unreported
 * entry whose tag is not current (not from a progress a stale worker
 * could have moved).  Every entry current: it died before its RESULT,
 * and the batch is answered here.  Deaths are counted per number, not
 * per batch.
 */
static int batch_lost(struct run *r, const struct msg *held, unsigned w,
		      struct pool_event *e, struct msg *job)
{
	unsigned id = held->index;
	struct batch *b;
	struct bslot *s;
	uint32_t at;
	int rc;

	if (held->kind != MSG_JOB || id >= r->nslots)
		return 0;
	rc = deliver_ready(r);
	if (rc != 0)
		return rc;
	b = &r->batches[id];
	s = &r->bs[id];
	if (s->state != B_BUSY ||
	    held->n != atomic_load_explicit(&b->gen, memory_order_relaxed))
		return 0;
	at = first_stale(r, id, s->reported);
	if (at == atomic_load_explicit(&b->count, memory_order_relaxed))
		return batch_done(r, id, w);
	atomic_store_explicit(&b->progress, at, memory_order_relaxed);
	if (s->died_at != at)
		s->deaths = 0;
	s->died_at = at;
	e->n = atomic_load_explicit(&b->n[at], memory_order_relaxed);
	*job = *held;
	return ++s->deaths;
}

/* Put the filled batch in slot id out as a job: its next gen (0 is an
 * empty tag's, skipped), from its first entry. */
static int dispatch(struct run *r, unsigned id, uint32_t count, uint64_t cost)
{
	struct batch *b = &r->batches[id];
	struct bslot *s = &r->bs[id];
	uint32_t gen = atomic_load_explicit(&b->gen, memory_order_relaxed) + 1;

	atomic_store_explicit(&b->count, count, memory_order_relaxed);
	atomic_store_explicit(&b->gen, gen != 0 ? gen : 1,
			      memory_order_relaxed);
	atomic_store_explicit(&b->progress, 0, memory_order_relaxed);
	s->first = r->next_index;
	r->next_index += count;
	s->state = B_BUSY;
	s->reported = 0;
	s->deaths = 0;
	s->died_at = 0;
	s->prio = r->cfg->order == POOL_PRIORITY ? cost : 0;
	if (r->cfg->keep_order)
		r->ring[(r->ring_head + r->ring_len++) % r->nslots] = id;
	return put_job(r, id);
}

/*
 * Fill a free slot with the numbers that are ready, up to the budget or
 * POOL_BATCH_MAX, and put it out.  Returns 0 when the batch was full (the
 * caller may fill another), -EAGAIN when the input ran dry (or ended)
 * first, or an error.
 */
static int feed_one(struct run *r)
{
	unsigned id = r->free_ids[--r->nfree];
	struct batch *b = &r->batches[id];
	uint64_t cost = 0, c;
	uint32_t count = 0;
	int rc = 0;

	/* The entries are cleared as they are refilled: a tag left from an
	 * earlier filling can never pass for this one's. */
	while (count < POOL_BATCH_MAX) {
		if (r->in_pos == r->in_len) {
			rc = r->eof ? -EAGAIN : read_input(r, false);
			if (rc == 0 && r->in_pos == r->in_len)
				rc = -EAGAIN;	/* the end, or a signal */
			if (rc != 0)
				break;
		}
		c = expected_cost(r->in[r->in_pos]);
		if (count > 0 && cost + c > BATCH_BUDGET)
			break;
		cost += c;
		atomic_store_explicit(&b->n[count], r->in[r->in_pos++],
				      memory_order_relaxed);
		atomic_store_explicit(&b->tag[count++], 0,
				      memory_order_relaxed);
	}
	if (count == 0) {
		r->free_ids[r->nfree++] = id;
		return rc;
	}
	if (rc == 0 || rc == -EAGAIN) {
		int put = dispatch(r, id, count, cost);

		rc = put != 0 ? put : rc;
	}
	return rc;
}

/* Put out batches while a slot is free and input is ready. */
static int feed(struct run *r)
{
	int rc = 0;

	while (rc == 0 && r->nfree > 0 && !r->eof)
		rc = feed_one(r);
	return rc == -EAGAIN ? 0 : rc;
}

/*
 * The parent's loop: put batches out while input is ready, deliver
 * results as they come.  It blocks on the input only when no batch is
 * out; otherwise it waits on the results queue, for INPUT_POLL when a
 * slot is free for more input, for POOL_POLL when none is.
 */
static int stream_loop(struct run *r)
{
	int rc = 0;

	while (rc == 0 && (!r->eof || r->nfree < r->nslots)) {
		if (stop_asked(r))
			return -EINTR;
		rc = feed(r);
		if (rc != 0)
			break;
		if (r->nfree == r->nslots) {
			if (!r->eof)
				rc = read_input(r, true);
			continue;
		}
		rc = idle(r);
		if (rc == 0)
			rc = take(r, r->eof || r->nfree == 0 ? POOL_POLL :
				  INPUT_POLL);
	}
	return rc;
}

int pool_stream(const struct pool_config *cfg, const struct pool_source *src,
		struct pool_stats *stats)
{
	struct pool_stats local;
	struct run r;
	double t0 = plat_now();
	unsigned w;
	int rc;

	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (bad_config(cfg) || src == NULL || src->read == NULL)
		return -EINVAL;
	run_init(&r, cfg, stats);
	r.src = src;
	rc = stream_alloc(&r);
	for (w = 0; rc == 0 && w < cfg->workers; w++)
		rc = start_worker(&r, w);
	if (rc == 0)
		rc = stream_loop(&r);
	/* Every batch answered: the pills, and the book's ending. */
	for (w = 0; rc == 0 && w < cfg->workers; w++)
		rc = put_pill(&r);
	r.expect = r.next_index;
	if (rc == 0)
		rc = collect(&r);
	return run_end(&r, rc, t0);
}

/* ---- the sequential run: sequential.py, beside the pools ---- */

static bool flag_set(void *arg)
{
	const volatile sig_atomic_t *const *stop = arg;

	return *stop != NULL && **stop != 0;
}

int pool_run_sequential(const struct pool_config *cfg,
			struct pool_stats *stats)
{
	const volatile sig_atomic_t *stop = cfg->stop;
	struct trace_lane *old = trace_bind(cfg->trace, 0);
	struct pool_stats local;
	struct pool_result res;
	double t0 = plat_now();
	int rc = 0;

	trace_lane_name(cfg->trace, 0, "main");
	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	memset(&res, 0, sizeof(res));
	for (res.index = 0; rc == 0 && res.index < cfg->count; res.index++) {
		double t = plat_now();

		res.n = cfg->numbers[res.index];
		if (!pool_check(res.n, cfg->path, PRIME_SLICE, flag_set, &stop,
				&res.prime)) {
			rc = -EINTR;
			break;
		}
		res.elapsed = plat_now() - t;
		rc = cfg->on_result(&res, cfg->arg);
		if (rc == 0)
			stats->results++;
	}
	trace_self = old;
	stats->elapsed = plat_now() - t0;
	return rc;
}
