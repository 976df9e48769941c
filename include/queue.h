/*
 * queue: a bounded queue of tagged messages, the one queue both pools use.
 *
 * The caller places the queue: queue_size(capacity) bytes, the slots in the
 * same block, so the same code runs in malloc'd memory (threads) and in
 * mmap(MAP_SHARED | MAP_ANONYMOUS) memory set up before fork (processes).
 * A shared queue uses a process-shared mutex, robust where the platform has
 * it (PLAT_ROBUST in plat.h: Linux, FreeBSD): a process killed at any
 * point, even while it holds the lock, leaves the queue valid for the others
 * (see queue.c's journal).  Without robust mutexes (macOS), a process killed
 * while it holds the lock (a few instructions per put or get) leaves it
 * locked for good.
 *
 * Messages are tagged.  A poison pill is a message kind (MSG_PILL), never a
 * magic job value: the chapter's sentinel lesson (the book uses 0).
 *
 * How pills order with each discipline: pills are not stored among the jobs
 * but counted apart, and a get hands out a pill only when no other message
 * is queued.  So a pill never overtakes a message, whatever the discipline:
 *   QUEUE_FIFO      messages in put order, then the pills (the book's order,
 *                   since the book puts every job before the first pill);
 *   QUEUE_LIFO      messages newest first, then the pills;
 *   QUEUE_PRIORITY  messages largest msg.prio first (ties in no set order),
 *                   then the pills.
 * A LIFO or priority queue that stored pills with the jobs would hand the
 * last-put pill out first and stop a worker with jobs still queued.
 *
 * Waiting: a call that must wait spins a few microseconds (more than one
 * CPU online), then sleeps; a put or get makes a wake-up system call only
 * when someone sleeps (queue.c, docs/queue.md).
 *
 * Thread-safety: every function but queue_init / queue_destroy may be called
 * from any thread or process at once.  Calls do not allocate.
 */
#ifndef CONCDEMO_QUEUE_H
#define CONCDEMO_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum msg_kind {
	MSG_NONE = 0,	/* an empty message (a claim slot with nothing) */
	MSG_JOB,	/* a number to check */
	MSG_PILL,	/* the poison pill: "no more jobs, stop" */
	MSG_RESULT,	/* a checked number: (n, prime, elapsed) */
	MSG_DONE,	/* a worker's answer to its pill */
};

/* One message, 32 bytes, copied in and out (no pointers: it crosses
 * process boundaries). */
struct msg {
	uint64_t n;		/* JOB, RESULT: the number */
	uint64_t prio;		/* JOB: priority (QUEUE_PRIORITY: largest first) */
	double elapsed;		/* RESULT: seconds the check took */
	uint32_t index;		/* JOB, RESULT: position in the caller's list */
	uint16_t worker;	/* RESULT, DONE: who sent it */
	uint8_t kind;		/* enum msg_kind */
	bool prime;		/* RESULT: the verdict */
};

enum queue_discipline { QUEUE_FIFO, QUEUE_LIFO, QUEUE_PRIORITY };

/* Opaque: place queue_size(capacity) bytes, aligned as malloc aligns. */
struct queue;

/* Bytes needed for a queue of capacity messages (pills not counted: they
 * need no slot).  0 if capacity is 0 or too large. */
size_t queue_size(size_t capacity);

/* Initialise a queue in mem (queue_size(capacity) bytes).  shared: usable
 * by processes forked after this call (mem must then be MAP_SHARED).
 * Returns 0, -EINVAL (capacity, discipline) or a pthread error (-ENOMEM,
 * -EAGAIN...).  Not thread-safe: call it before anyone uses the queue. */
int queue_init(struct queue *q, size_t capacity, enum queue_discipline d,
	       bool shared);

/* Release the mutex and waiting state.  No call may be in progress (a put
 * or get may still send its wake-up after the message it moved has been
 * taken: it returns after), and nobody may use q afterwards.
 * Not for a shared queue one of whose processes was killed: it may have
 * died holding the mutex or waiting on a condvar, and destroying those is
 * undefined (it can hang); unmap that queue's memory without this call. */
void queue_destroy(struct queue *q);

/* Add m (m->kind MSG_PILL adds a pill; MSG_NONE is -EINVAL).  queue_put
 * waits while the queue is full; queue_try_put returns -EAGAIN instead.
 * Returns 0, -EPIPE once the queue is closed, -EINTR if a signal
 * interrupted the wait, -ENOTRECOVERABLE if the lock was lost. */
int queue_put(struct queue *q, const struct msg *m);
int queue_try_put(struct queue *q, const struct msg *m);

/*
 * Take the next message into *out.  The copy into *out happens under the
 * queue's lock, before the message leaves the queue: when out points into
 * memory another process can read (a worker's claim slot), a process that
 * dies at any moment either still has the message in the queue, or in
 * *out, or both (never neither).  queue_get waits for a message;
 * queue_get_timed waits at most timeout seconds (0: just look), counted
 * from when it finds nothing to take.
 * Returns 0, -ETIMEDOUT, -EPIPE once the queue is closed (even if messages
 * are left: close is for shutdown), -EINTR if a signal interrupted the wait
 * (a shared queue on Linux), -ENOTRECOVERABLE.
 */
int queue_get(struct queue *q, struct msg *out);
int queue_get_timed(struct queue *q, struct msg *out, double timeout);

/*
 * Take every message that is ready, up to max, into out[0 .. n), as n
 * queue_get calls in a row would (same order, same copy under the lock),
 * under one lock and with at most one wake-up; a batch ends after its
 * first pill, so a consumer that stops at its pill leaves the other pills
 * queued.  Waits as queue_get_timed does when nothing is ready.
 * Returns n (1 .. max), -EINVAL (max 0), or queue_get_timed's errors.
 */
int queue_get_many(struct queue *q, struct msg *out, size_t max,
		   double timeout);

/* Close q: every waiting and later put and get returns -EPIPE at once.
 * Returns 0 or -ENOTRECOVERABLE. */
int queue_close(struct queue *q);

/* Messages queued (pills included), and how often a dead lock owner's
 * state was repaired.  A snapshot, for tests and reports. */
size_t queue_len(struct queue *q);
unsigned queue_recoveries(struct queue *q);

/* Test hooks, built only with -DQUEUE_TEST_HOOKS (the unit tests' copy
 * of queue.o; not in the program).
 * queue_test_die_after(k) makes the calling process _exit(99) at the k-th
 * step (k >= 1) of its next put or get, with the lock held and the queue
 * half-changed.  0 disables.  Per process, not thread-safe.
 * queue_test_wakes(): the wake-ups (futex wake calls, or condvar
 * broadcasts) this process has sent, to check that nobody is woken who
 * does not sleep.
 * queue_test_condvar(): whether this build's waits are on condition
 * variables (else on a futex). */
#ifdef QUEUE_TEST_HOOKS
void queue_test_die_after(unsigned steps);
unsigned long queue_test_wakes(void);
bool queue_test_condvar(void);
#endif

#endif
