/*
 * loop: the ready queue, the timer heap and the task states.
 *
 * Each pending task is in exactly one place: the ready queue (READY), the
 * timer heap (SLEEPING), the waiter list of the task it awaits (AWAITING),
 * or on the CPU (RUNNING, at most one).  DONE tasks are in none.  The heap
 * holds at most one entry per task, so it is grown when a task is created
 * and arming a wait never allocates or fails.  One pass of loop_run reads
 * the clock once (only if something sleeps), moves the due timers to the
 * ready queue, then runs the tasks that were ready at the start of the pass:
 * a task that yields runs again only in the next pass (asyncio's
 * _run_once).  Single-threaded: no locks.
 */
#include <errno.h>
#include <stdlib.h>

#include "loop.h"
#include "plat.h"
#include "trace.h"

enum { T_READY, T_SLEEPING, T_AWAITING, T_RUNNING, T_DONE };

struct loop {
	volatile sig_atomic_t *interrupt;	/* may be NULL */
	struct loop_task *ready_head, *ready_tail;
	size_t nready;
	struct loop_task **heap;	/* min-heap on (deadline, seq) */
	size_t nheap, capheap;
	unsigned long seq;
	unsigned ntasks;
	struct loop_task *all;		/* every task, for loop_free */
};

struct loop *loop_create(volatile sig_atomic_t *interrupt)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (l != NULL)
		l->interrupt = interrupt;
	return l;
}

void loop_free(struct loop *l)
{
	struct loop_task *t, *next;

	if (l == NULL)
		return;
	for (t = l->all; t != NULL; t = next) {
		next = t->next_all;
		free(t);
	}
	free(l->heap);
	free(l);
}

/* --- the ready queue (FIFO) --- */

static void push_ready(struct loop_task *t, int wake)
{
	struct loop *l = t->loop;

	t->state = T_READY;
	t->wake = wake;
	t->next_ready = NULL;
	if (l->ready_tail != NULL)
		l->ready_tail->next_ready = t;
	else
		l->ready_head = t;
	l->ready_tail = t;
	l->nready++;
}

static struct loop_task *pop_ready(struct loop *l)
{
	struct loop_task *t = l->ready_head;

	l->ready_head = t->next_ready;
	if (l->ready_head == NULL)
		l->ready_tail = NULL;
	l->nready--;
	return t;
}

/* --- the timer heap --- */

static bool earlier(const struct loop_task *a, const struct loop_task *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->seq < b->seq);
}

static void heap_put(struct loop *l, size_t i, struct loop_task *t)
{
	l->heap[i] = t;
	t->heap_at = i;
}

static void sift_up(struct loop *l, size_t i)
{
	struct loop_task *t = l->heap[i];

	while (i > 0 && earlier(t, l->heap[(i - 1) / 2])) {
		heap_put(l, i, l->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_put(l, i, t);
}

static void sift_down(struct loop *l, size_t i)
{
	struct loop_task *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && earlier(l->heap[c + 1], l->heap[c]))
			c++;
		if (!earlier(l->heap[c], t))
			break;
		heap_put(l, i, l->heap[c]);
		i = c;
	}
	heap_put(l, i, t);
}

static void heap_remove(struct loop *l, size_t i)
{
	struct loop_task *last = l->heap[--l->nheap];

	if (i == l->nheap)
		return;
	heap_put(l, i, last);
	sift_down(l, i);
	sift_up(l, last->heap_at);
}

/* --- tasks --- */

struct loop_task *loop_create_task(struct loop *l,
				   int (*step)(struct loop_task *, int),
				   void *data)
{
	struct loop_task *t;

	if (l->ntasks == l->capheap) {
		size_t cap = l->capheap ? l->capheap * 2 : 8;
		struct loop_task **h = realloc(l->heap, cap * sizeof(*h));

		if (h == NULL)
			return NULL;
		l->heap = h;
		l->capheap = cap;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->step = step;
	t->data = data;
	t->loop = l;
	t->id = ++l->ntasks;
	t->next_all = l->all;
	l->all = t;
	push_ready(t, 0);
	return t;
}

/* Waits are armed by the running task only; anything else is a bug. */
static void must_run(const struct loop_task *t)
{
	if (t->state != T_RUNNING)
		abort();
}

/* A cancel that came while t ran is delivered at its next wait. */
static bool deliver_cancel(struct loop_task *t)
{
	if (!t->cancel_req)
		return false;
	t->cancel_req = false;
	push_ready(t, -ECANCELED);
	return true;
}

int loop_sleep_until(struct loop_task *t, double deadline)
{
	struct loop *l = t->loop;

	must_run(t);
	if (deliver_cancel(t))
		return LOOP_WAIT;
	t->state = T_SLEEPING;
	t->deadline = deadline;
	t->seq = l->seq++;
	heap_put(l, l->nheap++, t);
	sift_up(l, t->heap_at);
	return LOOP_WAIT;
}

int loop_sleep(struct loop_task *t, double seconds)
{
	must_run(t);
	if (seconds <= 0) {
		if (!deliver_cancel(t))
			push_ready(t, 0);
		return LOOP_WAIT;
	}
	return loop_sleep_until(t, plat_now() + seconds);
}

int loop_await(struct loop_task *t, struct loop_task *other)
{
	struct loop_task **p;

	must_run(t);
	if (other == t)
		abort();
	if (deliver_cancel(t))
		return LOOP_WAIT;
	if (other->state == T_DONE) {
		push_ready(t, 0);
		return LOOP_WAIT;
	}
	t->state = T_AWAITING;
	t->awaiting = other;
	t->next_waiter = NULL;
	for (p = &other->waiters; *p != NULL; p = &(*p)->next_waiter)
		;
	*p = t;			/* waiters wake in the order they came */
	return LOOP_WAIT;
}

static int finish(struct loop_task *t, bool cancelled, long result)
{
	struct loop_task *w, *next;

	t->state = T_DONE;
	t->cancelled = cancelled;
	t->cancel_req = false;
	t->result = cancelled ? 0 : result;
	for (w = t->waiters; w != NULL; w = next) {
		next = w->next_waiter;
		w->awaiting = NULL;
		w->next_waiter = NULL;
		push_ready(w, 0);
	}
	t->waiters = NULL;
	return LOOP_DONE;
}

int loop_return(struct loop_task *t, long result)
{
	must_run(t);
	return finish(t, false, result);
}

int loop_exit_cancelled(struct loop_task *t)
{
	must_run(t);
	return finish(t, true, 0);
}

static void unlink_waiter(struct loop_task *t)
{
	struct loop_task **p = &t->awaiting->waiters;

	while (*p != t)
		p = &(*p)->next_waiter;
	*p = t->next_waiter;
	t->awaiting = NULL;
	t->next_waiter = NULL;
}

bool loop_cancel(struct loop_task *t)
{
	switch (t->state) {
	case T_DONE:
		return false;
	case T_SLEEPING:
		heap_remove(t->loop, t->heap_at);
		push_ready(t, -ECANCELED);
		break;
	case T_AWAITING:
		unlink_waiter(t);
		push_ready(t, -ECANCELED);
		break;
	default:		/* ready or running: at its next step or wait */
		t->cancel_req = true;
		break;
	}
	return true;
}

bool loop_task_done(const struct loop_task *t)
{
	return t->state == T_DONE;
}

bool loop_task_cancelled(const struct loop_task *t)
{
	return t->state == T_DONE && t->cancelled;
}

long loop_task_result(const struct loop_task *t)
{
	return t->state == T_DONE ? t->result : 0;
}

/* --- running --- */

static void run_step(struct loop_task *t)
{
	int wake = t->wake, rc;
	int64_t t0;

	t->wake = 0;
	if (t->cancel_req) {
		t->cancel_req = false;
		wake = -ECANCELED;
	}
	t->state = T_RUNNING;
	if (!t->started && wake == -ECANCELED) {
		finish(t, true, 0);	/* cancelled before it ever ran */
		return;
	}
	t->started = true;
	t0 = trace_self != NULL ? trace_now() : 0;	/* --trace: a span */
	rc = t->step(t, wake);
	if (trace_self != NULL)
		trace_span(trace_self, TRACE_STEP, t0, trace_now(), 0, t->id,
			   0);
	if (rc == LOOP_DONE && t->state == T_RUNNING)
		finish(t, false, 0);	/* fell off the end: result 0 */
	else if (rc != LOOP_DONE && (rc != LOOP_WAIT || t->state == T_RUNNING))
		abort();		/* said it waits, armed nothing */
}

static void timers_due(struct loop *l)
{
	double now = plat_now();

	while (l->nheap > 0 && l->heap[0]->deadline <= now) {
		struct loop_task *t = l->heap[0];

		heap_remove(l, 0);
		push_ready(t, 0);
	}
}

static bool interrupted(const struct loop *l)
{
	return l->interrupt != NULL && *l->interrupt;
}

static bool finished(const struct loop *l, const struct loop_task *until)
{
	if (until != NULL)
		return until->state == T_DONE;
	return l->nready == 0 && l->nheap == 0;
}

int loop_run(struct loop *l, struct loop_task *until)
{
	while (!finished(l, until)) {
		size_t n;

		if (interrupted(l))
			return -EINTR;
		if (l->nheap > 0)
			timers_due(l);
		if (l->nready == 0) {
			int rc;

			if (l->nheap == 0)
				return -EDEADLK;
			rc = plat_sleep_until(l->heap[0]->deadline,
					       l->interrupt);
			if (rc != 0)
				return rc;
			continue;
		}
		for (n = l->nready; n > 0; n--) {
			run_step(pop_ready(l));
			if (interrupted(l))
				return -EINTR;
			if (until != NULL && until->state == T_DONE)
				return 0;
		}
	}
	return 0;
}
