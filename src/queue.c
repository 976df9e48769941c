/*
 * queue: one bounded queue of tagged messages for threads and processes.
 *
 * Owns: the slots (in the caller's block, after the header), the lock, the
 * wait state.  Every field below the lock is guarded by it.  One lock, no
 * lock order to keep; nothing here calls out while holding it.
 *
 * Invariants (between operations): FIFO holds tail - head messages in
 * slot[head % cap .. tail % cap); LIFO and PRIORITY hold count messages in
 * slot[0 .. count), PRIORITY as a binary max-heap on prio; pills are a
 * counter; jvalid is false.
 *
 * Death at any point.  A shared queue's lock is robust: when its owner dies,
 * the next locker gets EOWNERDEAD and calls repair().  Every operation is
 * written so that repair() can finish or forget it:
 *   - FIFO, LIFO and pill operations change one word to commit (tail, head,
 *     count, pills), after the message was copied;
 *   - the heap moves a hole instead of swapping: the message being placed is
 *     kept in a journal (jmsg, jhole, jcount, jvalid), so at every instant
 *     the slots plus the journal hold each message exactly once; repair()
 *     writes jmsg into the hole and re-heapifies.
 * STEP() orders the stores of these steps (a compiler barrier: a process
 * killed by a signal stops at an instruction boundary, so every store before
 * it is visible to the next owner of the lock).
 *
 * Waiting.  On Linux a waiter sleeps on a futex word (a sequence number
 * bumped by every put for getters, by every get for putters), not a
 * pthread condition variable: glibc's condvar (before 2.41) keeps counts
 * of its waiters inside the condvar, and a waiter killed inside
 * pthread_cond_wait can make the next pthread_cond_signal wait for it
 * forever, with the lock held.  A futex has no such state.  Elsewhere (or
 * with -DQUEUE_USE_CONDVAR, as make test's test_queue_portable builds it
 * on Linux) we use condvars.  Wakes are broadcasts, so a woken waiter that
 * dies cannot swallow the wake-up the others need.
 *
 * System calls only when someone sleeps (docs/queue.md: the design and
 * the measured counts):
 *   - getters / putters count the waiters asleep (or about to be) since
 *     their word last moved: a waiter counts itself before it sleeps and
 *     uncounts itself if it wakes with the word unmoved (timeout, signal);
 *     a wake moves the word, wakes them all and clears the count.  So a
 *     put or get makes a wake call only when someone sleeps, and a waiter
 *     that died asleep costs one wake call, not one per call ever after;
 *   - the futex wake call is made after the unlock: a waiter woken while
 *     the waker holds the lock would only block on it (and on 2 CPUs it
 *     may take the CPU of the lock holder).  A waker killed between the
 *     two would leave its sleepers uncounted and asleep, so a shared
 *     queue's sleeper looks again every SHARED_SLICE seconds;
 *   - before its first sleep in a call, a waiter spins for at most
 *     SPIN_WAIT seconds, lock released, watching its word, a pause
 *     instruction between looks: a tiny job's result comes well within
 *     that, and a spinner is not counted, so its producer makes no wake
 *     call.  Spins that end with nothing in a row make the calls that
 *     sleep at once double (spin_ended), so a slow producer costs one
 *     spin per SPIN_SKIP_MAX + 1 calls.  No spin with one CPU online;
 *   - lock(): up to LOCK_TRIES trylocks, a pause between, before
 *     pthread_mutex_lock: the lock is held for well under a microsecond,
 *     and glibc never spins on a robust mutex: it sleeps in the kernel at
 *     once, and the waiters bit it sets makes the unlock a wake call.
 * Every spin is bounded (a few microseconds), so it costs little when the
 * other side is not running.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plat.h"
#include "queue.h"

#if defined(__linux__) && !defined(QUEUE_USE_CONDVAR)
#define USE_FUTEX 1
#include <sys/syscall.h>
/* The futex operations are fixed kernel ABI; spelled out here because a
 * musl toolchain (musl-gcc) may come without <linux/futex.h>. */
#ifndef FUTEX_WAIT
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#endif
#endif

/* Whether spins pay on one word (guarded by the queue's lock). */
struct spin_hint {
	uint32_t skip;		/* calls left that will not spin */
	uint32_t backoff;	/* skip after the next spin, if it fails */
};

struct queue {
	pthread_mutex_t lock;
#ifndef USE_FUTEX
	pthread_cond_t can_get;		/* broadcast with lock held */
	pthread_cond_t can_put;
#endif
	_Atomic uint32_t get_seq;	/* lock (to write); getters' word */
	_Atomic uint32_t put_seq;	/* lock (to write); putters' word */
	struct spin_hint get_hint;	/* lock: for getters' spins */
	struct spin_hint put_hint;	/* lock: for putters' spins */
	uint32_t getters;	/* lock: asleep on get_seq (maybe dead) */
	uint32_t putters;	/* lock: asleep on put_seq */
	uint64_t head, tail;	/* lock: FIFO positions, only ever grow */
	size_t count;		/* lock: LIFO and PRIORITY length */
	size_t pills;		/* lock: pills queued */
	size_t capacity;	/* constant after init */
	unsigned recoveries;	/* lock: repairs after a dead owner */
	int discipline;		/* constant after init */
	bool shared;		/* constant after init */
	bool spin;		/* constant: more than one CPU online */
	bool monotonic;		/* constant: the condvars' clock (not macOS) */
	bool closed;		/* lock */
	bool jvalid;		/* lock: the heap journal below is live */
	size_t jhole;		/* lock: the hole jmsg belongs in */
	size_t jcount;		/* lock: heap length once the move ends */
	struct msg jmsg;	/* lock: the message being placed */
	struct msg slot[];	/* lock */
};

/* The test hooks (queue.h) exist only in the tests' build of this file
 * (-DQUEUE_TEST_HOOKS); the program's STEP() is the barrier alone. */
#ifdef QUEUE_TEST_HOOKS
static unsigned die_steps;	/* per process */
static _Atomic unsigned long wakes_sent;

void queue_test_die_after(unsigned steps)
{
	die_steps = steps;
}

unsigned long queue_test_wakes(void)
{
	return atomic_load_explicit(&wakes_sent, memory_order_relaxed);
}

bool queue_test_condvar(void)
{
#ifdef USE_FUTEX
	return false;
#else
	return true;
#endif
}

static void count_wake(void)
{
	atomic_fetch_add_explicit(&wakes_sent, 1, memory_order_relaxed);
}

static void step(void)
{
	atomic_signal_fence(memory_order_seq_cst);
	if (die_steps != 0 && --die_steps == 0)
		_exit(99);
}
#else
static void count_wake(void)
{
}

static void step(void)
{
	atomic_signal_fence(memory_order_seq_cst);
}
#endif
#define STEP() step()

/* Spins (see the top): the longest a waiter watches its word before it
 * sleeps, a few times below what a futex sleep and wake-up cost (both
 * sides; docs/speed.md); and trylocks before blocking on the lock. */
#ifndef SPIN_WAIT
#define SPIN_WAIT 4e-6
#endif
#define LOCK_TRIES 64
/* After a spin that ended with nothing, the calls that do not spin
 * double, up to this many. */
#ifndef SPIN_SKIP_MAX
#define SPIN_SKIP_MAX 63
#endif
/* A shared queue's sleeper looks again at least this often (seconds): a
 * waker killed between its unlock and its wake call (a few instructions)
 * would otherwise leave it asleep with a message to take. */
#define SHARED_SLICE 1

/* A spin's pause between two looks: it lets the other hyperthread run
 * and tells a hypervisor that this vCPU is spinning. */
static void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

size_t queue_size(size_t capacity)
{
	size_t head = offsetof(struct queue, slot);

	if (capacity == 0 || capacity > (SIZE_MAX - head) / sizeof(struct msg)
	    || capacity > UINT32_MAX)
		return 0;
	return head + capacity * sizeof(struct msg);
}

/* ---- the three containers ---- */

static size_t stored(const struct queue *q)
{
	return q->discipline == QUEUE_FIFO ? (size_t)(q->tail - q->head)
					   : q->count;
}

/* One journalled step of a move: the message at c fills the hole at h,
 * and the hole is at c. */
static void move_hole(struct queue *q, size_t h, size_t c)
{
	q->slot[h] = q->slot[c];
	STEP();
	q->jhole = c;
	STEP();
}

/* The move's end: jmsg into the hole at h (none when the heap is left
 * empty), and the journal closed. */
static void fill_hole(struct queue *q, size_t h)
{
	if (h < q->jcount)
		q->slot[h] = q->jmsg;
	STEP();
	q->jvalid = false;
}

/* Move the hole at jhole down until jmsg fits there, within jcount. */
static void sift_down_hole(struct queue *q)
{
	size_t n = q->jcount, h = q->jhole;

	for (;;) {
		size_t c = 2 * h + 1;

		if (c >= n)
			break;
		if (c + 1 < n && q->slot[c + 1].prio > q->slot[c].prio)
			c++;
		if (q->slot[c].prio <= q->jmsg.prio)
			break;
		move_hole(q, h, c);
		h = c;
	}
	fill_hole(q, h);
}

/* Start a journalled move: jmsg belongs at hole, the heap will hold n. */
static void journal(struct queue *q, const struct msg *m, size_t hole,
		    size_t n)
{
	q->jmsg = *m;
	q->jhole = hole;
	q->jcount = n;
	STEP();
	q->jvalid = true;
	STEP();
}

#ifdef PLAT_ROBUST
/* Rebuild the heap after a repair (only a dead owner's leftovers need it). */
static void heapify(struct queue *q)
{
	size_t i = q->count / 2;

	while (i-- > 0) {
		journal(q, &q->slot[i], i, q->count);
		sift_down_hole(q);
	}
}
#endif

static void heap_push(struct queue *q, const struct msg *m)
{
	size_t h;

	journal(q, m, q->count, q->count + 1);
	q->count = q->jcount;
	STEP();
	for (h = q->jhole; h > 0;) {
		size_t p = (h - 1) / 2;

		if (q->slot[p].prio >= m->prio)
			break;
		move_hole(q, h, p);
		h = p;
	}
	fill_hole(q, h);
}

static void heap_pop(struct queue *q, struct msg *out)
{
	*out = q->slot[0];
	STEP();
	journal(q, &q->slot[q->count - 1], 0, q->count - 1);
	q->count = q->jcount;
	STEP();
	sift_down_hole(q);
}

static void store(struct queue *q, const struct msg *m)
{
	switch (q->discipline) {
	case QUEUE_FIFO:
		q->slot[q->tail % q->capacity] = *m;
		STEP();
		q->tail++;
		break;
	case QUEUE_LIFO:
		q->slot[q->count] = *m;
		STEP();
		q->count++;
		break;
	default:
		heap_push(q, m);
	}
	STEP();		/* committed, lock still held */
}

static void take(struct queue *q, struct msg *out)
{
	switch (q->discipline) {
	case QUEUE_FIFO:
		*out = q->slot[q->head % q->capacity];
		STEP();
		q->head++;
		break;
	case QUEUE_LIFO:
		*out = q->slot[q->count - 1];
		STEP();
		q->count--;
		break;
	default:
		heap_pop(q, out);
	}
	STEP();
}

#ifdef PLAT_ROBUST
/* A dead owner left an operation half done: finish or forget it. */
static void repair(struct queue *q)
{
	if (q->discipline == QUEUE_PRIORITY && q->jvalid) {
		q->count = q->jcount;
		fill_hole(q, q->jhole);
		heapify(q);
	}
	q->recoveries++;
}
#endif

/* ---- locking and waiting ---- */

/*
 * Move *seq (spinning waiters watch it).  If anyone sleeps on it, forget
 * them (each counts itself again if it sleeps again) and wake them all:
 * with condvars here, under the lock as POSIX prefers; with a futex the
 * caller sends wake_all() once it has unlocked (a waiter woken while we
 * hold the lock would only block on it, and on 2 CPUs it may even take
 * the CPU of the lock holder), so we return true.  Lock held.
 */
static bool bump(struct queue *q, _Atomic uint32_t *seq, uint32_t *waiters)
{
	atomic_fetch_add_explicit(seq, 1, memory_order_relaxed);
	if (*waiters == 0)
		return false;
	*waiters = 0;
#ifdef USE_FUTEX
	(void)q;
	return true;
#else
	count_wake();
	pthread_cond_broadcast(seq == &q->get_seq ? &q->can_get : &q->can_put);
	return false;
#endif
}

/* The wake-up bump() asked for (futex path), lock released or held. */
static void wake_all(struct queue *q, _Atomic uint32_t *seq)
{
#ifdef USE_FUTEX
	count_wake();
	syscall(SYS_futex, (void *)seq,
		q->shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE, INT_MAX, NULL,
		NULL, 0);
#else
	(void)q;
	(void)seq;
#endif
}

/* bump() both words and send their wakes now (lock held: rare paths). */
static void wake_everyone(struct queue *q)
{
	if (bump(q, &q->get_seq, &q->getters))
		wake_all(q, &q->get_seq);
	if (bump(q, &q->put_seq, &q->putters))
		wake_all(q, &q->put_seq);
}

/* The lock was taken from a dead owner (rc EOWNERDEAD): repair, mark it
 * usable.  Returns 0 or a pthread error. */
static int owner_died(struct queue *q)
{
#ifdef PLAT_ROBUST
	repair(q);
	/* The dead one may have been woken for a message it never took:
	 * wake everyone to look again. */
	wake_everyone(q);
	return pthread_mutex_consistent(&q->lock);
#else
	(void)q;
	return EOWNERDEAD;
#endif
}

static int lock(struct queue *q)
{
	int rc = EBUSY;
	unsigned i;

	for (i = 0; q->spin && i < LOCK_TRIES && rc == EBUSY; i++) {
		if (i > 0)
			relax();
		rc = pthread_mutex_trylock(&q->lock);
	}
	if (rc == EBUSY)
		rc = pthread_mutex_lock(&q->lock);
	if (rc == EOWNERDEAD)
		rc = owner_died(q);
	return -rc;
}

static void unlock(struct queue *q)
{
	pthread_mutex_unlock(&q->lock);
}

/* A wait in progress.  Its deadline (plat_now() clock) is read only
 * once it must wait: a get that finds a message reads no clock. */
struct wait {
	double timeout;		/* < 0: none; 0: just look */
	double deadline;	/* if timeout > 0; set by the first round */
	bool started;		/* the first round (the spin) is over */
};

#define FOREVER (-1.0)

/* Watch *seq, lock released, until it moves from seen or until passes;
 * true if it moved. */
static bool spin_on(_Atomic uint32_t *seq, uint32_t seen, double until)
{
	unsigned i;

	for (i = 1;; i++) {
		if (atomic_load_explicit(seq, memory_order_relaxed) != seen)
			return true;
		relax();
		if (i % 16 == 0 && plat_now() >= until)
			return false;
	}
}

#ifdef USE_FUTEX
/* Time left until deadline, for FUTEX_WAIT (relative); false once it has
 * passed. */
static bool time_left(double deadline, struct timespec *left)
{
	double t = deadline - plat_now();

	if (t <= 0)
		return false;
	left->tv_sec = (time_t)t;
	left->tv_nsec = (long)((t - (double)left->tv_sec) * 1e9);
	return true;
}
#endif

/*
 * Sleep until *seq moves (a wake), the deadline or a signal, counted in
 * *waiters meanwhile.  Called and returns with the lock held, except when
 * it returns -ENOTRECOVERABLE.  Returns 0, -ETIMEDOUT, -EINTR.
 */
static int sleep_on(struct queue *q, _Atomic uint32_t *seq,
		    uint32_t *waiters, const struct wait *w)
{
	uint32_t seen = atomic_load_explicit(seq, memory_order_relaxed);
	bool timed = w->timeout > 0;
	int rc = 0, lrc;
#ifdef USE_FUTEX
	struct timespec left = { SHARED_SLICE, 0 };
	bool slice = false;

	if (timed && !time_left(w->deadline, &left))
		return -ETIMEDOUT;
	if (q->shared && (!timed || left.tv_sec >= SHARED_SLICE)) {
		left.tv_sec = SHARED_SLICE;	/* look again then */
		left.tv_nsec = 0;
		slice = true;
	}
	(*waiters)++;
	unlock(q);
	if (syscall(SYS_futex, (void *)seq,
		    q->shared ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE, seen,
		    timed || slice ? &left : NULL, NULL, 0) != 0) {
		if (errno == ETIMEDOUT && !slice)
			rc = -ETIMEDOUT;
		else if (errno == EINTR)
			rc = -EINTR;
	}
	lrc = lock(q);
	if (lrc != 0)
		return lrc;
#else
	pthread_cond_t *cv = seq == &q->get_seq ? &q->can_get : &q->can_put;
	struct timespec ts;

	if (timed) {
		if (w->deadline <= plat_now())
			return -ETIMEDOUT;
		ts = plat_cond_deadline(q->monotonic, w->deadline);
	}
	(*waiters)++;
	lrc = timed ? pthread_cond_timedwait(cv, &q->lock, &ts)
		    : pthread_cond_wait(cv, &q->lock);
	if (lrc == EOWNERDEAD)
		lrc = owner_died(q);
	if (lrc == ETIMEDOUT)
		rc = -ETIMEDOUT;
	else if (lrc != 0)
		return -lrc;
#endif
	/* Unmoved: no wake cleared the count, we are still in it. */
	if (atomic_load_explicit(seq, memory_order_relaxed) == seen &&
	    *waiters > 0)
		(*waiters)--;
	return rc;
}

/* Whether this call spins: not while the hint says spins fail on this
 * word (skip counts down the calls that do not).  Lock held. */
static bool spin_pays(struct spin_hint *h)
{
	if (h->skip == 0)
		return true;
	h->skip--;
	return false;
}

/* A spin ended: a success clears the hint; failures in a row make the
 * calls that will not spin double (0, 1, 3, 7 .. SPIN_SKIP_MAX), so one
 * failure (a producer preempted a moment) costs no sleep, and a slow
 * producer costs a spin per SPIN_SKIP_MAX + 1 calls.  Lock held. */
static void spin_ended(struct spin_hint *h, bool moved)
{
	h->skip = moved ? 0 : h->backoff;
	if (moved)
		h->backoff = 0;
	else if (h->backoff < SPIN_SKIP_MAX)
		h->backoff = h->backoff * 2 + 1;
}

/*
 * One round of waiting for *seq to move: the call's first round reads the
 * clock (the deadline) and spins, lock released, where spins pay; later
 * rounds (and a first one that does not spin) sleep.  Called and returns
 * with the lock held, except when it returns -ENOTRECOVERABLE.
 * Returns 0 (look again), -ETIMEDOUT, -EINTR.
 */
static int wait_round(struct queue *q, _Atomic uint32_t *seq,
		      uint32_t *waiters, struct spin_hint *h, struct wait *w)
{
	double until;
	uint32_t seen;
	bool moved;
	int rc;

	if (w->timeout == 0)
		return -ETIMEDOUT;
	if (!w->started) {
		w->started = true;
		until = plat_now();
		w->deadline = until + (w->timeout > 0 ? w->timeout : 0);
		if (q->spin && spin_pays(h)) {
			until += SPIN_WAIT;
			if (w->timeout > 0 && w->deadline < until)
				until = w->deadline;
			seen = atomic_load_explicit(seq, memory_order_relaxed);
			unlock(q);
			moved = spin_on(seq, seen, until);
			rc = lock(q);
			if (rc == 0)
				spin_ended(h, moved);
			return rc;
		}
	}
	return sleep_on(q, seq, waiters, w);
}

/* Whether a put (put) or a get can go on: the queue has room (put), or
 * a message or a pill (get); or it is closed, and the caller fails. */
static bool can_go(const struct queue *q, bool put)
{
	if (q->closed)
		return true;
	return put ? stored(q) < q->capacity : stored(q) > 0 || q->pills > 0;
}

/* Wait, lock held, until a put (put) or a get can go on.  Returns 0,
 * -ETIMEDOUT (at once where w->timeout is 0), -EINTR, or
 * -ENOTRECOVERABLE with the lock no longer held. */
static int wait_to_go(struct queue *q, bool put, struct wait *w)
{
	int rc = 0;

	while (rc == 0 && !can_go(q, put)) {
		if (put)
			rc = wait_round(q, &q->put_seq, &q->putters,
					&q->put_hint, w);
		else
			rc = wait_round(q, &q->get_seq, &q->getters,
					&q->get_hint, w);
	}
	return rc;
}

/* ---- the public operations ---- */

int queue_init(struct queue *q, size_t capacity, enum queue_discipline d,
	       bool shared)
{
	int rc;

	if (queue_size(capacity) == 0 || (d != QUEUE_FIFO && d != QUEUE_LIFO &&
					  d != QUEUE_PRIORITY))
		return -EINVAL;
	memset(q, 0, offsetof(struct queue, slot));
	q->capacity = capacity;
	q->discipline = d;
	q->shared = shared;
	q->spin = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	atomic_init(&q->get_seq, 0);
	atomic_init(&q->put_seq, 0);
	rc = plat_mutex_init(&q->lock, shared);
	if (rc != 0)
		return rc;
#ifndef USE_FUTEX
	/* plat's condvar set-up: monotonic clock where there is one. */
	rc = plat_cond_init(&q->can_get, shared, &q->monotonic);
	if (rc == 0 &&
	    (rc = plat_cond_init(&q->can_put, shared, &q->monotonic)) != 0)
		pthread_cond_destroy(&q->can_get);
	if (rc != 0) {
		pthread_mutex_destroy(&q->lock);
		return rc;
	}
#endif
	return 0;
}

void queue_destroy(struct queue *q)
{
#ifndef USE_FUTEX
	pthread_cond_destroy(&q->can_get);
	pthread_cond_destroy(&q->can_put);
#endif
	pthread_mutex_destroy(&q->lock);
}

static int put(struct queue *q, const struct msg *m, bool block)
{
	struct wait w = { block ? FOREVER : 0, 0, false };
	bool wake = false;
	int rc;

	if (m->kind == MSG_NONE || m->kind > MSG_DONE)
		return -EINVAL;
	rc = lock(q);
	if (rc != 0)
		return rc;
	if (m->kind != MSG_PILL)	/* a pill takes no slot */
		rc = wait_to_go(q, true, &w);
	if (rc == -ENOTRECOVERABLE)
		return rc;
	if (!block && rc == -ETIMEDOUT)
		rc = -EAGAIN;
	if (q->closed) {
		rc = -EPIPE;
	} else if (rc == 0) {
		if (m->kind == MSG_PILL) {
			q->pills++;
			STEP();
		} else {
			store(q, m);
		}
		wake = bump(q, &q->get_seq, &q->getters);
	}
	unlock(q);
	if (wake)
		wake_all(q, &q->get_seq);
	return rc;
}

int queue_put(struct queue *q, const struct msg *m)
{
	return put(q, m, true);
}

int queue_try_put(struct queue *q, const struct msg *m)
{
	return put(q, m, false);
}

/* Take up to max messages into out, as max gets in a row would, ending
 * after a pill.  Returns how many (>= 1) or -errno. */
static int get(struct queue *q, struct msg *out, size_t max, double timeout)
{
	struct wait w = { timeout, 0, false };
	bool wake = false;
	int rc = lock(q), n = 0;

	if (rc != 0)
		return rc;
	rc = wait_to_go(q, false, &w);
	if (rc == -ENOTRECOVERABLE)
		return rc;
	if (q->closed) {
		rc = -EPIPE;
	} else {
		/* After a timeout or signal too: a message beat it. */
		while ((size_t)n < max && stored(q) > 0)
			take(q, &out[n++]);
		if (n > 0)	/* slots freed (pills have none) */
			wake = bump(q, &q->put_seq, &q->putters);
		if ((size_t)n < max && q->pills > 0) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n++].kind = MSG_PILL;
			STEP();
			q->pills--;
		}
		if (n > 0)
			rc = n;
	}
	unlock(q);
	if (wake)
		wake_all(q, &q->put_seq);
	return rc;
}

int queue_get(struct queue *q, struct msg *out)
{
	int rc = get(q, out, 1, FOREVER);

	return rc > 0 ? 0 : rc;
}

/* A timeout of 0 (or less) just looks; very long ones wait 1e9 s. */
static double clamp_timeout(double timeout)
{
	return timeout > 1e9 ? 1e9 : timeout > 0 ? timeout : 0;
}

int queue_get_timed(struct queue *q, struct msg *out, double timeout)
{
	int rc = get(q, out, 1, clamp_timeout(timeout));

	return rc > 0 ? 0 : rc;
}

int queue_get_many(struct queue *q, struct msg *out, size_t max,
		   double timeout)
{
	if (max == 0)
		return -EINVAL;
	return get(q, out, max < INT_MAX ? max : INT_MAX,
		   clamp_timeout(timeout));
}

int queue_close(struct queue *q)
{
	int rc = lock(q);

	if (rc != 0)
		return rc;
	q->closed = true;
	wake_everyone(q);
	unlock(q);
	return 0;
}

size_t queue_len(struct queue *q)
{
	size_t n = 0;

	if (lock(q) == 0) {
		n = stored(q) + q->pills;
		unlock(q);
	}
	return n;
}

unsigned queue_recoveries(struct queue *q)
{
	unsigned n = 0;

	if (lock(q) == 0) {
		n = q->recoveries;
		unlock(q);
	}
	return n;
}
