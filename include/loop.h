/*
 * loop: a single-threaded event loop of stackless tasks, asyncio's model
 * in C: create a task, sleep (0 yields), await another task and get its
 * result, cancel.  No ucontext, no stacks: a task is a step function that
 * the loop calls each time the task may go on, with the task's own resume
 * point (pc) telling it where.
 *
 * A step function runs from t->pc until it either
 *   - arms exactly one wait (loop_sleep, loop_sleep_until, loop_await),
 *     sets t->pc to where it resumes, and returns LOOP_WAIT; or
 *   - finishes: return loop_return(t, result) or loop_exit_cancelled(t).
 * The loop calls it again with wake = 0 when the wait is over, or with
 * wake = -ECANCELED when the task was cancelled (asyncio's CancelledError,
 * raised at the current await): the task may clean up, then return, wait
 * again, or finish as cancelled.  A task cancelled before its first step
 * never runs, as a coroutine cancelled before it started never runs.
 *
 *   enum { START, TICK };
 *   static int ticker(struct loop_task *t, int wake)
 *   {
 *       switch (t->pc) {
 *       case START:
 *           ... set up ...
 *       case TICK:
 *           if (wake == -ECANCELED)
 *               return loop_return(t, 0);
 *           ... one tick ...
 *           t->pc = TICK;
 *           return loop_sleep(t, 0.1);
 *       }
 *       abort();
 *   }
 *
 * Departures from asyncio: cancelling a task that awaits another does not
 * cancel the awaited one; awaiting a cancelled task does not raise in the
 * awaiter (it wakes with 0 and asks loop_task_cancelled()).
 *
 * Traced (trace.h), each step is a span on the running thread's lane.
 *
 * Not thread-safe: one loop, one thread.  Tasks are owned by their loop and
 * freed with it, so a finished task's result stays readable.
 */
#ifndef CONCDEMO_LOOP_H
#define CONCDEMO_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* What a step function returns. */
enum { LOOP_DONE = 0, LOOP_WAIT = 1 };

struct loop;

struct loop_task {
	/* The task's own, set by loop_create_task and then the step: */
	int (*step)(struct loop_task *t, int wake);
	void *data;		/* the step function's state */
	int pc;			/* resume point, 0 at the first step */
	unsigned id;		/* 1, 2, ...: asyncio's 'Task-N' */
	/* The loop's own, read through the functions below: */
	struct loop *loop;
	int state;		/* ready, sleeping, awaiting, running, done */
	bool started;		/* has run a step */
	bool cancel_req;	/* cancelled while ready or running */
	bool cancelled;		/* finished as cancelled */
	int wake;		/* passed to the next step */
	long result;		/* valid once done */
	double deadline;	/* while sleeping */
	unsigned long seq;	/* timer order among equal deadlines */
	size_t heap_at;		/* index in the timer heap while sleeping */
	struct loop_task *next_ready;	/* ready queue link */
	struct loop_task *awaiting;	/* the task awaited, while awaiting */
	struct loop_task *waiters;	/* tasks awaiting this one */
	struct loop_task *next_waiter;	/* link in awaiting->waiters */
	struct loop_task *next_all;	/* every task of the loop */
};

/* A new loop.  interrupt (may be NULL) is polled between steps and ends
 * any idle wait: when it becomes nonzero (a signal handler sets it),
 * loop_run returns -EINTR.  Returns NULL on ENOMEM. */
struct loop *loop_create(volatile sig_atomic_t *interrupt);

/* Free the loop and every task it ever created (pending or not). */
void loop_free(struct loop *l);

/* A new task running step(t, wake) with t->data = data, queued to run
 * after the tasks already ready (asyncio.create_task).  Callable from a
 * step or before loop_run.  Returns NULL on ENOMEM. */
struct loop_task *loop_create_task(struct loop *l,
				   int (*step)(struct loop_task *, int),
				   void *data);

/* Run until task `until` is done (NULL: until no task is ready or
 * sleeping).  Returns 0; -EINTR when the interrupt flag was set;
 * -EDEADLK when `until` can never finish (nothing ready or sleeping);
 * -errno if an idle wait failed.  Tasks left pending stay pending: run
 * again, or cancel them and run, or free the loop. */
int loop_run(struct loop *l, struct loop_task *until);

/*
 * Waits: call from t's step, then return the value (LOOP_WAIT).
 * loop_sleep(t, 0) yields: t goes to the back of the ready queue, after
 * every task ready now (asyncio.sleep(0)).  loop_sleep_until takes an
 * absolute deadline on plat_now()'s clock, for ticks without drift.
 * loop_await resumes t when other is done (at once if it already is);
 * read its result with loop_task_result.  Awaiting itself aborts.
 */
int loop_sleep(struct loop_task *t, double seconds);
int loop_sleep_until(struct loop_task *t, double deadline);
int loop_await(struct loop_task *t, struct loop_task *other);

/* Finish t (from its step): with a result, or as cancelled.  Both return
 * LOOP_DONE, for `return loop_return(t, 42);`.  Every awaiter wakes. */
int loop_return(struct loop_task *t, long result);
int loop_exit_cancelled(struct loop_task *t);

/*
 * Ask t to cancel (Task.cancel()): true if asked, false if t is already
 * done (harmless, nothing happens).  A sleeping or awaiting task is woken
 * at once with wake = -ECANCELED; a ready or running one gets it at its
 * next step or next wait.  Callable from any step or outside loop_run.
 */
bool loop_cancel(struct loop_task *t);

bool loop_task_done(const struct loop_task *t);
bool loop_task_cancelled(const struct loop_task *t);
/* The value given to loop_return; 0 for a cancelled or pending task. */
long loop_task_result(const struct loop_task *t);

#endif
