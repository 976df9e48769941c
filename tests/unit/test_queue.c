/*
 * test_queue: the queue in both placements (malloc'd for threads, mmap'd
 * MAP_SHARED for processes) and all three disciplines: order, pills after
 * the jobs, timeouts, close, many producers and consumers (every item
 * delivered exactly once), and processes dying while they hold the lock.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

/* The queue's test hooks: this program links the hooks build of queue.o. */
#define QUEUE_TEST_HOOKS
#include "plat.h"
#include "queue.h"
#include "tap.h"

static const char *const dname[] = { "fifo", "lifo", "priority" };

/* -DTEST_CONDVAR_ROBUST (make's test_queue_condvar_robust, the queue
 * built with condvar waits and robust mutexes, as on FreeBSD): only the
 * tests where the two meet; the futex and portable builds run the rest. */
#ifdef TEST_CONDVAR_ROBUST
#define ALL_TESTS false
#else
#define ALL_TESTS true
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(p, 0, size);
	return p;
}

/* A queue in its placement: shared ones live in MAP_SHARED memory. */
static struct queue *make(size_t cap, enum queue_discipline d, bool shared)
{
	struct queue *q = shared ? shared_alloc(queue_size(cap))
				 : calloc(1, queue_size(cap));

	if (q == NULL || queue_init(q, cap, d, shared) != 0) {
		printf("Bail out! cannot make a queue\n");
		exit(1);
	}
	return q;
}

static void unmake(struct queue *q, size_t cap, bool shared)
{
	queue_destroy(q);
	if (shared)
		munmap(q, queue_size(cap));
	else
		free(q);
}

static struct msg job(uint64_t n, uint64_t prio)
{
	struct msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_JOB;
	m.n = n;
	m.index = (uint32_t)n;
	m.prio = prio;
	return m;
}

static struct msg pill(void)
{
	struct msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_PILL;
	return m;
}

static void test_basics(enum queue_discipline d, bool shared)
{
	static const uint64_t prio[6] = { 30, 10, 60, 20, 50, 40 };
	static const uint64_t want[3][6] = {
		{ 1, 2, 3, 4, 5, 6 },		/* fifo: put order */
		{ 6, 5, 4, 3, 2, 1 },		/* lifo: newest first */
		{ 3, 5, 6, 1, 4, 2 },		/* priority: 60 50 40 30 20 10 */
	};
	const char *pl = shared ? "shared" : "private";
	struct queue *q = make(6, d, shared);
	struct msg m = pill(), j;
	bool order = true, pills_last = true;
	double t;
	int i, rc;

	/* Pills put first and in between: they still come out last. */
	ok(queue_put(q, &m) == 0, "%s %s: a pill first", pl, dname[d]);
	for (i = 0; i < 6; i++) {
		j = job((uint64_t)i + 1, prio[i]);
		queue_put(q, &j);
		if (i == 2)
			queue_put(q, &m);
	}
	is_u64(queue_len(q), 8, "%s %s: 6 jobs and 2 pills queued", pl,
	       dname[d]);
	j = job(99, 99);
	ok(queue_try_put(q, &j) == -EAGAIN, "%s %s: try_put on a full "
	   "queue is -EAGAIN", pl, dname[d]);
	ok(queue_put(q, &m) == 0, "%s %s: a pill needs no slot", pl,
	   dname[d]);
	for (i = 0; i < 6; i++) {
		rc = queue_get(q, &j);
		order = order && rc == 0 && j.kind == MSG_JOB &&
			j.n == want[d][i];
	}
	ok(order, "%s %s: jobs in the discipline's order", pl, dname[d]);
	for (i = 0; i < 3; i++) {
		rc = queue_get_timed(q, &j, 1.0);
		pills_last = pills_last && rc == 0 && j.kind == MSG_PILL;
	}
	ok(pills_last, "%s %s: then the 3 pills", pl, dname[d]);
	t = now();
	rc = queue_get_timed(q, &j, 0.05);
	t = now() - t;
	ok(rc == -ETIMEDOUT && t >= 0.045 && t < 5.0, "%s %s: get_timed on "
	   "empty: -ETIMEDOUT after %.3f s", pl, dname[d], t);
	ok(queue_get_timed(q, &j, 0) == -ETIMEDOUT, "%s %s: timeout 0 just "
	   "looks", pl, dname[d]);
	j.kind = MSG_NONE;
	ok(queue_put(q, &j) == -EINVAL, "%s %s: MSG_NONE is refused", pl,
	   dname[d]);
	unmake(q, 6, shared);
}

/* ---- get_many: batches ---- */

static void test_many(enum queue_discipline d, bool shared)
{
	static const uint64_t prio[5] = { 20, 50, 10, 40, 30 };
	static const uint64_t want[3][5] = {
		{ 1, 2, 3, 4, 5 },		/* fifo */
		{ 5, 4, 3, 2, 1 },		/* lifo */
		{ 2, 4, 5, 1, 3 },		/* priority: 50 40 30 20 10 */
	};
	const char *pl = shared ? "shared" : "private";
	struct queue *q = make(8, d, shared);
	struct msg m = pill(), out[9];
	bool order = true;
	int i, n1, n2, n3;

	queue_put(q, &m);
	for (i = 0; i < 5; i++) {
		struct msg j = job((uint64_t)i + 1, prio[i]);

		queue_put(q, &j);
	}
	queue_put(q, &m);
	n1 = queue_get_many(q, out, 3, 0);
	n2 = queue_get_many(q, out + 3, 5, 0);
	n3 = queue_get_many(q, out + 6, 3, 1.0);
	for (i = 0; i < 5; i++)
		order = order && out[i].kind == MSG_JOB && out[i].n == want[d][i];
	ok(n1 == 3 && n2 == 3 && n3 == 1 && order && out[5].kind == MSG_PILL &&
	   out[6].kind == MSG_PILL, "%s %s: get_many takes up to max, in the "
	   "discipline's order, pills last, a batch ends after its first pill "
	   "(%d, %d, %d)", pl, dname[d], n1, n2, n3);
	ok(queue_get_many(q, out, 9, 0) == -ETIMEDOUT &&
	   queue_get_many(q, out, 0, 0) == -EINVAL, "%s %s: get_many on empty "
	   "is -ETIMEDOUT, max 0 is -EINVAL", pl, dname[d]);
	unmake(q, 8, shared);
}

/* ---- wake-ups only for those asleep ---- */

static struct queue *wq;

static void *sleepy_get(void *arg)
{
	struct msg m;

	*(int *)arg = queue_get_timed(wq, &m, 30.0);
	return NULL;
}

static void *blocked_put_wq(void *arg)
{
	struct msg m = job(2, 2);

	*(int *)arg = queue_put(wq, &m);
	return NULL;
}

/* A child asleep in get is killed: it costs at most one wake-up. */
static bool dead_sleeper_forgotten(struct queue *q)
{
	struct msg m = job(1, 1), o;
	unsigned long w0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		queue_get(q, &o);
		_exit(0);
	}
	usleep(50000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	w0 = queue_test_wakes();
	queue_put(q, &m);
	queue_get(q, &o);
	if (queue_test_wakes() - w0 > 1)
		return false;
	w0 = queue_test_wakes();
	queue_put(q, &m);
	queue_get(q, &o);
	return queue_test_wakes() == w0;
}

/* Why a process is not killed asleep in a shared queue's wait here, or
 * NULL.  It needs robust locks; and on glibc before 2.41 a waiter killed
 * inside pthread_cond_wait on a process-shared condvar can make the next
 * signal or broadcast wait for it forever (the futex waits have no such
 * state).  Other C libraries' condvars are not tried. */
static const char *no_kill_asleep(void)
{
	int major = 0, minor = 0;

	if (!plat_robust())
		return "no robust mutexes in this build";
	if (!queue_test_condvar())
		return NULL;
#ifdef __GLIBC__
	if (sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) == 2 &&
	    (major > 2 || (major == 2 && minor >= 41)))
		return NULL;
	return "condvar waits: glibc before 2.41 can hang the next "
	       "broadcast after a waiter is killed";
#else
	(void)major;
	(void)minor;
	return "condvar waits: a killed waiter is not tried on this libc";
#endif
}

static void test_wakes(bool shared)
{
	const char *pl = shared ? "shared" : "private";
	struct queue *q = make(4, QUEUE_FIFO, shared);
	struct msg m = job(1, 1), o[4];
	unsigned long w0 = queue_test_wakes();
	pthread_t t;
	int i, rc = -1, prc = -1;

	for (i = 0; i < 1000; i++) {
		queue_put(q, &m);
		queue_get(q, o);
	}
	queue_get_timed(q, o, 0.01);	/* it slept, and timed out */
	queue_put(q, &m);
	queue_get(q, o);
	is_u64(queue_test_wakes() - w0, 0, "%s: 1000 puts and gets with "
	       "nobody waiting, then one after a get timed out: no wake-up",
	       pl);
	/* usleep: time for it to sleep; if it has not yet, no wake at all. */
	wq = q;
	pthread_create(&t, NULL, sleepy_get, &rc);
	usleep(50000);
	w0 = queue_test_wakes();
	queue_put(q, &m);
	pthread_join(t, NULL);
	ok(rc == 0 && queue_test_wakes() - w0 <= 1, "%s: a put wakes a "
	   "sleeping getter with one wake-up (%lu)", pl,
	   queue_test_wakes() - w0);
	for (i = 0; i < 4; i++)
		queue_put(q, &m);
	pthread_create(&t, NULL, blocked_put_wq, &prc);
	usleep(50000);
	w0 = queue_test_wakes();
	rc = queue_get_many(q, o, 4, 0);
	pthread_join(t, NULL);
	ok(rc == 4 && prc == 0 && queue_test_wakes() - w0 <= 1 &&
	   queue_len(q) == 1,
	   "%s: a get_many of 4 wakes a putter waiting on a full queue with "
	   "one wake-up (%lu)", pl, queue_test_wakes() - w0);
	queue_get(q, o);
	w0 = queue_test_wakes();
	queue_put(q, &m);
	queue_get(q, o);
	is_u64(queue_test_wakes() - w0, 0, "%s: the woken are forgotten: "
	       "the next put and get wake nobody", pl);
	if (shared && no_kill_asleep() == NULL)
		ok(dead_sleeper_forgotten(q), "shared: a process killed asleep "
		   "in get costs at most one wake-up, none after");
	else if (shared)
		skip_ok(no_kill_asleep(), "shared: a process killed asleep in "
			"get costs at most one wake-up, none after");
	unmake(q, 4, shared);
}

/* ---- many producers and consumers ---- */

#define NPROD 8
#define NCONS 8
#define ITEMS 100000
#define PER (ITEMS / NPROD)
#define SCAP 64

struct stress {
	struct queue *q;
	_Atomic unsigned char seen[ITEMS];	/* deliveries per item */
	_Atomic unsigned pills;			/* pills taken */
	_Atomic unsigned early_pills;		/* items after a pill */
	_Atomic unsigned got;			/* items taken */
};

struct worker {
	struct stress *s;
	unsigned id;
};

static void produce(struct stress *s, unsigned id)
{
	unsigned i;

	for (i = 0; i < PER; i++) {
		uint64_t n = (uint64_t)id * PER + i;
		struct msg m = job(n, (n * 2654435761u) % 1000);

		if (queue_put(s->q, &m) != 0)
			return;
	}
}

/*
 * An early pill shows as an item taken after a pill: pills_before is read
 * before queue_get starts, so if it is already non-zero when the get
 * returns an item, a pill left the queue before that item (no false
 * alarm: counting got at the pill would race with a consumer that has
 * taken the last item but not yet counted it).
 */
static void consume(struct stress *s)
{
	struct msg m;

	for (;;) {
		unsigned pills_before = atomic_load(&s->pills);

		if (queue_get(s->q, &m) != 0)
			return;
		if (m.kind == MSG_PILL) {
			atomic_fetch_add(&s->pills, 1);
			return;
		}
		if (pills_before != 0)
			atomic_fetch_add(&s->early_pills, 1);
		if (m.n < ITEMS)
			atomic_fetch_add(&s->seen[m.n], 1);
		atomic_fetch_add(&s->got, 1);
	}
}

static void *producer_thread(void *arg)
{
	struct worker *w = arg;

	produce(w->s, w->id);
	return NULL;
}

static void *consumer_thread(void *arg)
{
	struct worker *w = arg;

	consume(w->s);
	return NULL;
}

static void stress_check(struct stress *s, const char *pl,
			 enum queue_discipline d, double t)
{
	unsigned i, once = 0;

	for (i = 0; i < ITEMS; i++)
		once += atomic_load(&s->seen[i]) == 1;
	is_u64(once, ITEMS, "%s %s: %dx%d, %d items, each delivered exactly "
	       "once (%.2f s)", pl, dname[d], NPROD, NCONS, ITEMS, t);
	is_u64(atomic_load(&s->pills), NCONS, "%s %s: every consumer took "
	       "one pill and stopped", pl, dname[d]);
	is_u64(atomic_load(&s->early_pills), 0, "%s %s: no pill before the "
	       "last item", pl, dname[d]);
}

static void stress_threads(enum queue_discipline d)
{
	struct stress *s = calloc(1, sizeof(*s));
	pthread_t pt[NPROD], ct[NCONS];
	struct worker pw[NPROD], cw[NCONS];
	struct msg m = pill();
	double t = now();
	unsigned i;

	s->q = make(SCAP, d, false);
	for (i = 0; i < NCONS; i++) {
		cw[i].s = s;
		cw[i].id = i;
		pthread_create(&ct[i], NULL, consumer_thread, &cw[i]);
	}
	for (i = 0; i < NPROD; i++) {
		pw[i].s = s;
		pw[i].id = i;
		pthread_create(&pt[i], NULL, producer_thread, &pw[i]);
	}
	for (i = 0; i < NPROD; i++)
		pthread_join(pt[i], NULL);
	for (i = 0; i < NCONS; i++)
		queue_put(s->q, &m);
	for (i = 0; i < NCONS; i++)
		pthread_join(ct[i], NULL);
	stress_check(s, "threads", d, now() - t);
	unmake(s->q, SCAP, false);
	free(s);
}

static void stress_procs(enum queue_discipline d)
{
	struct stress *s = shared_alloc(sizeof(*s));
	pid_t pids[NPROD + NCONS];
	struct msg m = pill();
	double t = now();
	unsigned i, clean = 0;
	int st;

	s->q = make(SCAP, d, true);
	for (i = 0; i < NPROD + NCONS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			if (i < NPROD)
				produce(s, i);
			else
				consume(s);
			_exit(0);
		}
	}
	for (i = 0; i < NPROD; i++)
		if (waitpid(pids[i], &st, 0) > 0 && WIFEXITED(st))
			clean++;
	for (i = 0; i < NCONS; i++)
		queue_put(s->q, &m);
	for (i = NPROD; i < NPROD + NCONS; i++)
		if (waitpid(pids[i], &st, 0) > 0 && WIFEXITED(st))
			clean++;
	is_u64(clean, NPROD + NCONS, "processes %s: all %d processes ended",
	       dname[d], NPROD + NCONS);
	stress_check(s, "processes", d, now() - t);
	unmake(s->q, SCAP, true);
	munmap(s, sizeof(*s));
}

/* ---- close wakes everyone ---- */

static struct queue *closing;
static _Atomic int woke_epipe;

static void *blocked_get(void *arg)
{
	struct msg m;

	(void)arg;
	if (queue_get(closing, &m) == -EPIPE)
		atomic_fetch_add(&woke_epipe, 1);
	return NULL;
}

static void *blocked_put(void *arg)
{
	struct msg m = job(1, 1);

	(void)arg;
	if (queue_put(closing, &m) == -EPIPE)
		atomic_fetch_add(&woke_epipe, 1);
	return NULL;
}

static void test_close(bool shared)
{
	const char *pl = shared ? "shared" : "private";
	struct queue *full = make(1, QUEUE_FIFO, shared);
	struct queue *empty = make(1, QUEUE_LIFO, shared);
	struct msg m = job(1, 1);
	pthread_t t[8];
	double start;
	int i;

	queue_put(full, &m);
	atomic_store(&woke_epipe, 0);
	closing = empty;
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, blocked_get, NULL);
	usleep(50000);
	start = now();
	queue_close(empty);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	closing = full;
	for (i = 4; i < 8; i++)
		pthread_create(&t[i], NULL, blocked_put, NULL);
	usleep(50000);
	queue_close(full);
	for (i = 4; i < 8; i++)
		pthread_join(t[i], NULL);
	is_u64(atomic_load(&woke_epipe), 8, "%s: close wakes 4 waiting "
	       "getters and 4 waiting putters with -EPIPE (%.3f s)", pl,
	       now() - start);
	ok(queue_put(empty, &m) == -EPIPE && queue_get(full, &m) == -EPIPE,
	   "%s: put and get after close are -EPIPE", pl);
	unmake(full, 1, shared);
	unmake(empty, 1, shared);
}

/* ---- a process dies holding the lock, mid-operation ---- */

#define DCAP 16

/* Drain q; true if it holds exactly the ids in want[] (a bitmask of
 * ids 0..DCAP-1) and, for priority, in descending prio. */
static bool drain_is(struct queue *q, unsigned want, bool prio_order)
{
	unsigned have = 0;
	uint64_t last = UINT64_MAX;
	bool sorted = true;
	struct msg m;

	while (queue_get_timed(q, &m, 0) == 0) {
		if (m.kind != MSG_JOB || m.n >= DCAP || (have >> m.n & 1))
			return false;
		have |= 1u << m.n;
		sorted = sorted && m.prio <= last;
		last = m.prio;
	}
	return have == want && (!prio_order || sorted);
}

/* A shared queue of DCAP slots holding ids 0..count-1, their priorities
 * shuffled by mul; *all: their bits. */
static struct queue *filled(enum queue_discipline d, int count, int mul,
			    unsigned *all)
{
	struct queue *q = make(DCAP, d, true);
	struct msg m;
	int i;

	*all = 0;
	for (i = 0; i < count; i++) {
		m = job((uint64_t)i, (uint64_t)((i * mul) % DCAP));
		queue_put(q, &m);
		*all |= 1u << i;
	}
	return q;
}

/* A child fills nothing; it takes (get) or adds (put) one message and dies
 * at step k of it, lock held.  Returns true if the queue is whole after. */
static bool die_in(enum queue_discipline d, bool in_get, unsigned k,
		   bool *died)
{
	unsigned all, want;
	struct queue *q = filled(d, DCAP - 1, 7, &all);	/* ids 0..14 */
	struct msg *claim = shared_alloc(sizeof(*claim));
	struct msg m;
	bool good;
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		queue_test_die_after(k);
		if (in_get) {
			queue_get(q, claim);
		} else {
			m = job(DCAP - 1, 100);
			queue_put(q, &m);
		}
		_exit(0);
	}
	waitpid(pid, &st, 0);
	*died = WIFEXITED(st) && WEXITSTATUS(st) == 99;
	/* The queue must work (no wedge) and hold every id: for a get,
	 * the taken one may be in the claim, the queue, or both. */
	if (in_get) {
		want = all;
		if (claim->kind == MSG_JOB && claim->n < DCAP) {
			size_t len = queue_len(q);

			if (len == DCAP - 2)
				want &= ~(1u << claim->n);
		}
	} else {
		want = all | (queue_len(q) == DCAP ? 1u << (DCAP - 1) : 0);
	}
	good = drain_is(q, want, d == QUEUE_PRIORITY);
	m = job(3, 3);
	good = good && queue_put(q, &m) == 0 && queue_get(q, &m) == 0 &&
	       m.n == 3;
	if (*died)
		good = good && queue_recoveries(q) >= 1;
	unmake(q, DCAP, true);
	munmap(claim, sizeof(*claim));
	return good;
}

static void test_deaths(enum queue_discipline d)
{
	unsigned k, deaths, whole;
	int op;

	for (op = 0; op < 2; op++) {
		deaths = whole = 0;
		for (k = 1; k <= 30; k++) {
			bool died;

			whole += die_in(d, op == 0, k, &died);
			deaths += died;
		}
		ok(whole == 30 && deaths >= 2, "%s: a process dying at each "
		   "step of a %s (%u of 30 died holding the lock) leaves the "
		   "queue whole and unwedged (%u/30)", dname[d],
		   op == 0 ? "get" : "put", deaths, whole);
	}
}

/* Steps of a put tried: it has two, the third finishes it. */
#define WAITED_STEPS 3

struct waiter {
	struct queue *q;
	struct msg m;
	int rc;
};

static void *short_get(void *arg)
{
	struct waiter *w = arg;

	w->rc = queue_get_timed(w->q, &w->m, 0.05);
	return NULL;
}

/* A process dies at step k of a put, lock held, while a getter sleeps:
 * at its timeout the getter takes the lock from the dead one (in the
 * condvar builds, pthread_cond_timedwait returns EOWNERDEAD to it),
 * repairs, and finds the message or nothing.  Returns true if the queue
 * is whole and usable after. */
static bool die_while_waited(unsigned k, bool *died)
{
	struct queue *q = make(DCAP, QUEUE_FIFO, true);
	struct waiter w = { q, { 0 }, -1 };
	struct msg m = job(7, 7);
	bool good;
	pthread_t t;
	pid_t pid;
	int st;

	pthread_create(&t, NULL, short_get, &w);
	usleep(10000);	/* time to fall asleep; if not, its lock() repairs */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		queue_test_die_after(k);
		queue_put(q, &m);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	pthread_join(t, NULL);
	*died = WIFEXITED(st) && WEXITSTATUS(st) == 99;
	if (w.rc == 0)
		good = w.m.kind == MSG_JOB && w.m.n == 7 && queue_len(q) == 0;
	else if (queue_len(q) == 0)	/* only a dead putter loses it */
		good = w.rc == -ETIMEDOUT && *died;
	else
		good = w.rc == -ETIMEDOUT && queue_get(q, &w.m) == 0 &&
		       w.m.n == 7;
	if (*died)
		good = good && queue_recoveries(q) >= 1;
	good = good && queue_put(q, &m) == 0 && queue_get(q, &w.m) == 0 &&
	       w.m.n == 7;
	unmake(q, DCAP, true);
	return good;
}

static void test_death_while_waited(void)
{
	unsigned k, deaths = 0, whole = 0;

	for (k = 1; k <= WAITED_STEPS; k++) {
		bool died;

		whole += die_while_waited(k, &died);
		deaths += died;
	}
	ok(whole == WAITED_STEPS && deaths >= 1, "a process dying at each "
	   "step of a put while a getter sleeps (%u of %u died holding the "
	   "lock): the getter repairs, the queue stays whole (%u/%u)",
	   deaths, WAITED_STEPS, whole, WAITED_STEPS);
}

/* kill -9 at random moments a process that churns the queue (get into a
 * shared claim, put back); the rest must find every id, once. */
static void test_kill9(enum queue_discipline d)
{
	unsigned round, whole = 0;

	srand(42);
	for (round = 0; round < 20; round++) {
		unsigned all, want;
		struct queue *q = filled(d, DCAP, 5, &all);
		struct msg *claim = shared_alloc(sizeof(*claim));
		pid_t pid;

		pid = fork();
		if (pid == 0) {
			for (;;) {
				if (queue_get(q, claim) == 0)
					queue_put(q, claim);
			}
		}
		usleep((useconds_t)(rand() % 3000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		want = all;
		if (queue_len(q) == DCAP - 1 && claim->kind == MSG_JOB &&
		    claim->n < DCAP)
			want &= ~(1u << claim->n);
		whole += drain_is(q, want, d == QUEUE_PRIORITY);
		unmake(q, DCAP, true);
		munmap(claim, sizeof(*claim));
	}
	is_u64(whole, 20, "%s: kill -9 of a churning process, 20 times: "
	       "every id still there once, queue usable", dname[d]);
}

int main(void)
{
	int d;

	tap_start(120);
	if (ALL_TESTS) {
		ok(queue_size(0) == 0 && queue_size(SIZE_MAX / 2) == 0 &&
		   queue_size(1) > sizeof(struct msg), "queue_size bounds");
		for (d = QUEUE_FIFO; d <= QUEUE_PRIORITY; d++) {
			test_basics((enum queue_discipline)d, false);
			test_basics((enum queue_discipline)d, true);
		}
		for (d = QUEUE_FIFO; d <= QUEUE_PRIORITY; d++) {
			test_many((enum queue_discipline)d, false);
			test_many((enum queue_discipline)d, true);
		}
		test_wakes(false);
	}
	test_wakes(true);
	if (ALL_TESTS) {
		test_close(false);
		test_close(true);
		for (d = QUEUE_FIFO; d <= QUEUE_PRIORITY; d++) {
			stress_threads((enum queue_discipline)d);
			stress_procs((enum queue_discipline)d);
		}
	}
	for (d = QUEUE_FIFO; d <= QUEUE_PRIORITY; d++) {
		if (!tap_robust(plat_robust(), "%s: deaths and kill -9 with "
				"the lock held", dname[d]))
			continue;
		test_deaths((enum queue_discipline)d);
		test_kill9((enum queue_discipline)d);
	}
	if (tap_robust(plat_robust(), "a process dying in a put while a "
		       "getter sleeps"))
		test_death_while_waited();
	return tap_done();
}
