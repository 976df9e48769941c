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
 * bumped on each wake), not a pthread condition variable: glibc's condvar
 * (before 2.41) keeps counts of its waiters inside the condvar, and a waiter
 * killed inside pthread_cond_wait can make the next pthread_cond_signal wait
 * for it forever, with the lock held.  A futex has no such state.  Elsewhere
 * (or with -DQUEUE_USE_CONDVAR, as make test's test_queue_portable builds
 * it on Linux) we use condvars.  Wakes are broadcasts, so a woken waiter
 * that dies cannot swallow the wake-up the others need.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
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

struct queue {
	pthread_mutex_t lock;
#ifndef USE_FUTEX
	pthread_cond_t can_get;		/* signalled with lock held */
	pthread_cond_t can_put;
#endif
	uint32_t get_seq;	/* lock (to write); futex word for getters */
	uint32_t put_seq;	/* lock (to write); futex word for putters */
	uint32_t getters;	/* lock: waiting in get (may count the dead) */
	uint32_t putters;	/* lock: waiting in put */
	uint64_t head, tail;	/* lock: FIFO positions, only ever grow */
	size_t count;		/* lock: LIFO and PRIORITY length */
	size_t pills;		/* lock: pills queued */
	size_t capacity;	/* constant after init */
	unsigned recoveries;	/* lock: repairs after a dead owner */
	int discipline;		/* constant after init */
	bool shared;		/* constant after init */
	bool monotonic;		/* constant: the condvars' clock (not macOS) */
	bool closed;		/* lock */
	bool jvalid;		/* lock: the heap journal below is live */
	size_t jhole;		/* lock: the hole jmsg belongs in */
	size_t jcount;		/* lock: heap length once the move ends */
	struct msg jmsg;	/* lock: the message being placed */
	struct msg slot[];	/* lock */
};

static unsigned die_steps;	/* the test hook, per process */

void queue_test_die_after(unsigned steps)
{
	die_steps = steps;
}

static void step(void)
{
	atomic_signal_fence(memory_order_seq_cst);
	if (die_steps != 0 && --die_steps == 0)
		_exit(99);
}
#define STEP() step()

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
		q->slot[h] = q->slot[c];
		STEP();
		q->jhole = c;
		STEP();
		h = c;
	}
	if (h < n)
		q->slot[h] = q->jmsg;
	STEP();
	q->jvalid = false;
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

#ifdef EVENT_ROBUST
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
		q->slot[h] = q->slot[p];
		STEP();
		q->jhole = p;
		STEP();
		h = p;
	}
	q->slot[h] = q->jmsg;
	STEP();
	q->jvalid = false;
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

#ifdef EVENT_ROBUST
/* A dead owner left an operation half done: finish or forget it. */
static void repair(struct queue *q)
{
	if (q->discipline == QUEUE_PRIORITY && q->jvalid) {
		q->count = q->jcount;
		if (q->jhole < q->count)
			q->slot[q->jhole] = q->jmsg;
		STEP();
		q->jvalid = false;
		heapify(q);
	}
	q->recoveries++;
}
#endif

/* ---- locking and waiting ---- */

static void wake(struct queue *q, uint32_t *seq, uint32_t waiters)
{
	(*seq)++;
	if (waiters == 0)
		return;
#ifdef USE_FUTEX
	syscall(SYS_futex, seq, q->shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE,
		INT_MAX, NULL, NULL, 0);
#else
	pthread_cond_broadcast(seq == &q->get_seq ? &q->can_get : &q->can_put);
#endif
}

static int lock(struct queue *q)
{
	int rc = pthread_mutex_lock(&q->lock);

#ifdef EVENT_ROBUST
	if (rc == EOWNERDEAD) {
		repair(q);
		rc = pthread_mutex_consistent(&q->lock);
		/* The dead one may have been woken for a message it never
		 * took: wake everyone to look again. */
		wake(q, &q->get_seq, q->getters);
		wake(q, &q->put_seq, q->putters);
	}
#endif
	return -rc;
}

static void unlock(struct queue *q)
{
	pthread_mutex_unlock(&q->lock);
}

/* Deadlines are seconds on the event_now() (monotonic) clock; none: */
#define NO_DEADLINE (-1.0)

#ifdef USE_FUTEX
/* Time left until deadline, for FUTEX_WAIT (relative); false once it has
 * passed. */
static bool time_left(double deadline, struct timespec *left)
{
	double t = deadline - event_now();

	if (t <= 0)
		return false;
	left->tv_sec = (time_t)t;
	left->tv_nsec = (long)((t - (double)left->tv_sec) * 1e9);
	return true;
}
#endif

/*
 * Sleep until the sequence word moves (a wake), the deadline (NO_DEADLINE:
 * none) or a signal.  Called and returns with the lock held, except when it
 * returns -ENOTRECOVERABLE.  Returns 0, -ETIMEDOUT, -EINTR.
 */
static int wait_on(struct queue *q, uint32_t *seq, uint32_t *waiters,
		   double deadline)
{
	int rc = 0, lrc;
	bool timed = deadline != NO_DEADLINE;
#ifdef USE_FUTEX
	uint32_t seen = *seq;
	struct timespec left;

	if (timed && !time_left(deadline, &left))
		return -ETIMEDOUT;
	(*waiters)++;
	unlock(q);
	if (syscall(SYS_futex, seq, q->shared ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE,
		    seen, timed ? &left : NULL, NULL, 0) != 0) {
		if (errno == ETIMEDOUT)
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
		if (deadline <= event_now())
			return -ETIMEDOUT;
		ts = event_cond_deadline(q->monotonic, deadline);
	}
	(*waiters)++;
	lrc = timed ? pthread_cond_timedwait(cv, &q->lock, &ts)
		    : pthread_cond_wait(cv, &q->lock);
#ifdef EVENT_ROBUST
	if (lrc == EOWNERDEAD) {
		repair(q);
		pthread_mutex_consistent(&q->lock);
		lrc = 0;
	}
#endif
	if (lrc == ETIMEDOUT)
		rc = -ETIMEDOUT;
	else if (lrc != 0)
		return -lrc;
#endif
	(*waiters)--;
	return rc;
}

/* ---- the public operations ---- */

int queue_init(struct queue *q, size_t capacity, enum queue_discipline d,
	       bool shared)
{
	pthread_mutexattr_t ma;
	int rc;

	if (queue_size(capacity) == 0 || (d != QUEUE_FIFO && d != QUEUE_LIFO &&
					  d != QUEUE_PRIORITY))
		return -EINVAL;
	memset(q, 0, offsetof(struct queue, slot));
	q->capacity = capacity;
	q->discipline = d;
	q->shared = shared;
	rc = pthread_mutexattr_init(&ma);
	if (rc != 0)
		return -rc;
	if (shared) {
		rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
#ifdef EVENT_ROBUST
		if (rc == 0)
			rc = pthread_mutexattr_setrobust(&ma,
							 PTHREAD_MUTEX_ROBUST);
#endif
	}
	if (rc == 0)
		rc = pthread_mutex_init(&q->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	if (rc != 0)
		return -rc;
#ifndef USE_FUTEX
	/* The Event's condvar set-up: monotonic clock where there is one. */
	rc = event_cond_init(&q->can_get, shared, &q->monotonic);
	if (rc == 0 &&
	    (rc = event_cond_init(&q->can_put, shared, &q->monotonic)) != 0)
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
	int rc;

	if (m->kind == MSG_NONE || m->kind > MSG_DONE)
		return -EINVAL;
	rc = lock(q);
	if (rc != 0)
		return rc;
	while (!q->closed && m->kind != MSG_PILL && stored(q) == q->capacity) {
		if (!block) {
			rc = -EAGAIN;
			break;
		}
		rc = wait_on(q, &q->put_seq, &q->putters, NO_DEADLINE);
		if (rc == -ENOTRECOVERABLE)
			return rc;
		if (rc != 0)
			break;
	}
	if (q->closed) {
		rc = -EPIPE;
	} else if (rc == 0) {
		if (m->kind == MSG_PILL) {
			q->pills++;
			STEP();
		} else {
			store(q, m);
		}
		wake(q, &q->get_seq, q->getters);
	} else if (stored(q) < q->capacity) {
		wake(q, &q->put_seq, q->putters);	/* pass it on */
	}
	unlock(q);
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

static int get(struct queue *q, struct msg *out, double dl)
{
	int rc = lock(q);

	if (rc != 0)
		return rc;
	while (!q->closed && stored(q) == 0 && q->pills == 0) {
		rc = wait_on(q, &q->get_seq, &q->getters, dl);
		if (rc == -ENOTRECOVERABLE)
			return rc;
		if (rc != 0)
			break;
	}
	if (q->closed) {
		rc = -EPIPE;
	} else if (stored(q) > 0) {
		/* After a timeout or signal too: a message beat it. */
		take(q, out);
		wake(q, &q->put_seq, q->putters);
		rc = 0;
	} else if (q->pills > 0) {
		memset(out, 0, sizeof(*out));
		out->kind = MSG_PILL;
		STEP();
		q->pills--;
		rc = 0;
	}
	unlock(q);
	return rc;
}

int queue_get(struct queue *q, struct msg *out)
{
	return get(q, out, NO_DEADLINE);
}

int queue_get_timed(struct queue *q, struct msg *out, double timeout)
{
	if (timeout > 1e9)
		timeout = 1e9;
	return get(q, out, event_now() + (timeout > 0 ? timeout : 0));
}

int queue_close(struct queue *q)
{
	int rc = lock(q);

	if (rc != 0)
		return rc;
	q->closed = true;
	wake(q, &q->get_seq, q->getters);
	wake(q, &q->put_seq, q->putters);
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
