/*
 * spinner: spin, slow and supervisor for the thread, process and coroutine
 * models (the book's spinner_*.py).
 *
 * Thread and process share one spin() over a struct shared: the book's
 * done Event and a tick counter that only the spinner writes and the
 * supervisor reads after join/waitpid.  The Event locks itself; nothing
 * else is shared.  As in the book, the supervisor prints the spinner
 * object before it starts it, so every frame comes after that line.  The coroutine model
 * keeps its state in struct coro, touched only by the loop's one thread.
 * Lock order: the GIL (--gil), then an Event's mutex; spin() never holds
 * the GIL while it waits.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "event.h"
#include "gil.h"
#include "loop.h"
#include "plat.h"
#include "prime.h"
#include "spinner.h"
#include "term.h"
#include "trace.h"

#define REPR_MAX 160

bool spinner_supported(enum spinner_model model, enum spinner_work work,
		       bool gil)
{
	if (work == SPINNER_NAP && model != SPINNER_COROUTINE)
		return false;
	if (gil && model != SPINNER_THREAD)
		return false;
	return true;
}

static bool stopped(volatile sig_atomic_t *stop)
{
	return stop != NULL && *stop != 0;
}

/* The next tick after deadline, skipping ticks already missed (a stalled
 * spinner resumes on the same 0.1 s grid, without a burst of frames). */
static double next_tick(double deadline)
{
	double now = plat_now();

	deadline += SPINNER_TICK;
	while (deadline <= now)
		deadline += SPINNER_TICK;
	return deadline;
}

/*
 * The GIL (gil.h).  CPython's spinner thread takes the GIL to print a frame
 * and drops it around done.wait(.1); the supervisor's is_prime holds it and
 * lets it go when another thread has waited a switch interval (5 ms).
 * With no GIL (g == NULL) these do nothing.
 */
static void gil_hold(struct gil *g)
{
	if (g != NULL)
		gil_acquire(g);
}

static void gil_drop(struct gil *g)
{
	if (g != NULL)
		gil_release(g);
}

struct scan_hook {
	volatile sig_atomic_t *stop;
	struct gil *g;
};

/* Between slices: stop if asked, else let the GIL go if asked. */
static bool between_slices(void *arg)
{
	struct scan_hook *h = arg;

	if (stopped(h->stop))
		return true;
	if (h->g != NULL)
		gil_yield(h->g);
	return false;
}

/* The supervisor's is_prime(n), in slices: between slices it looks at the
 * stop flag and lets the GIL go if asked, never yielding to a loop.
 * Under the GIL, slices are short: the eval-breaker's check.
 * Returns 0 (verdict in *prime) or -EINTR. */
static int scan(const struct spinner_opts *o, struct gil *g, bool *prime)
{
	struct scan_hook h = { o->stop, g };
	struct prime_scan s;
	bool done;

	prime_scan_start(&s, o->number);
	s.path = o->path;
	gil_hold(g);
	done = prime_scan_run(&s, g ? GIL_SLICE : PRIME_SLICE,
			      between_slices, &h);
	gil_drop(g);
	*prime = s.prime;
	return done ? 0 : -EINTR;
}

/* --trace: slow()'s span from t0 to now, its verdict or stop in flags. */
static void trace_slow(int64_t t0, const struct spinner_opts *o,
		       const struct spinner_result *r, int rc)
{
	if (trace_self == NULL)
		return;
	trace_span(trace_self, TRACE_SLOW, t0, trace_now(),
		   o->work == SPINNER_PRIME || o->work == SPINNER_NAP ?
		   o->number : 0, 0, rc != 0 ? TRACE_STOPPED :
		   r->prime ? TRACE_PRIME : 0);
}

/* slow() for the thread and process models: returns 0 or -EINTR. */
static int slow(const struct spinner_opts *o, struct spinner_result *r)
{
	int64_t t0 = trace_self != NULL ? trace_now() : 0;
	int rc;

	if (o->work == SPINNER_PRIME) {
		rc = scan(o, o->gil, &r->prime);
	} else {
		rc = plat_sleep_until(plat_now() + o->delay, o->stop);
		if (rc == 0)
			r->answer = SPINNER_ANSWER;
	}
	trace_slow(t0, o, r, rc);
	return rc;
}

/* ---------------------------------------------------------------------
 * Thread and process: spin() on a struct shared
 */

struct shared {
	struct event done;	/* the book's done Event */
	unsigned long ticks;	/* written by the spinner only */
	int fd;			/* read-only after setup */
	bool animate;		/* read-only after setup */
};

/* Whether a child spinner must end quietly: its parent is gone, or a
 * signal came (from the terminal, to the whole group: the parent cleans
 * up, the child prints nothing).  A thread spinner passes parent 0. */
static bool child_must_go(pid_t parent, volatile sig_atomic_t *stop)
{
	return parent != 0 && (getppid() != parent || stopped(stop));
}

/* The book's spin(): a frame, done.wait(.1), until done.  Returns 0
 * after blanking the line, -EINTR when it had to go quietly. */
static int spin(struct shared *sh, struct gil *g, pid_t parent,
		volatile sig_atomic_t *stop)
{
	bool draw = sh->animate;
	double deadline = plat_now();

	while (!event_is_set(&sh->done)) {
		if (trace_self != NULL)
			trace_instant(trace_self, TRACE_FRAME, 0, sh->ticks, 0);
		if (draw) {
			gil_hold(g);
			draw = term_frame(sh->fd, sh->ticks) == 0;
			gil_drop(g);
		}
		sh->ticks++;
		deadline = next_tick(deadline);
		if (event_wait_until(&sh->done, deadline) == 0)
			break;
		if (child_must_go(parent, stop))
			return -EINTR;
	}
	if (draw && sh->ticks > 0 && !child_must_go(parent, stop)) {
		gil_hold(g);
		term_blank(sh->fd);
		gil_drop(g);
	}
	return 0;
}

static int shared_init(struct shared *sh, const struct spinner_opts *o,
		       bool pshared)
{
	sh->ticks = 0;
	sh->fd = o->fd;
	sh->animate = o->animate;
	return event_init(&sh->done, pshared);
}

static void shared_destroy(struct shared *sh)
{
	event_destroy(&sh->done);
}

/* The supervisor's print('spinner object:', spinner), before the start. */
static int announce(const struct spinner_opts *o, const char *repr)
{
	return o->announce != NULL ? o->announce(repr, o->arg) : 0;
}

/* --- thread --- */

struct thread_arg {
	struct shared *sh;
	struct gil *gil;
	struct trace *trace;
};

static void *spin_thread(void *p)
{
	struct thread_arg *a = p;
	sigset_t tty;

	/* The terminal's signals come here, to the thread that draws. */
	sigemptyset(&tty);
	term_signals_add(&tty);
	pthread_sigmask(SIG_UNBLOCK, &tty, NULL);
	trace_bind(a->trace, 1);
	spin(a->sh, a->gil, 0, NULL);
	return NULL;
}

/* Start the spinner thread with SIGINT, SIGTERM, SIGHUP blocked, so they
 * reach the supervisor, whose sleep or scan they must end; the terminal's
 * signals (term_signals_add: Ctrl-Z, a resize) the other way round: the
 * supervisor blocks them until it has joined the thread, so their
 * handlers run in the thread that draws, never between its frames' checks
 * and writes.  *old: the supervisor's mask to put back after the join. */
static int start_thread(pthread_t *th, struct thread_arg *a, sigset_t *old)
{
	sigset_t tty, mask;
	int rc;

	rc = plat_block_stop_signals(old);
	if (rc != 0)
		return rc;
	sigemptyset(&tty);
	term_signals_add(&tty);
	pthread_sigmask(SIG_BLOCK, &tty, NULL);
	rc = pthread_create(th, NULL, spin_thread, a);
	mask = *old;
	if (rc == 0)
		term_signals_add(&mask);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	return -rc;
}

static int run_thread(const struct spinner_opts *o, struct spinner_result *r)
{
	struct shared sh;
	struct thread_arg a = { &sh, o->gil, o->trace };
	sigset_t old;
	pthread_t th;
	int rc;

	/* CPython 3.10+'s repr of a Thread not yet started (3.9, the book's
	 * print, shows "<Thread(Thread-1, initial)>"). */
	rc = announce(o, "<Thread(Thread-1 (spin), initial)>");
	if (rc != 0)
		return rc;
	rc = shared_init(&sh, o, false);
	if (rc != 0)
		return rc;
	rc = start_thread(&th, &a, &old);
	if (rc != 0)
		goto out_shared;
	if (slow(o, r) == -EINTR)
		r->interrupted = true;
	event_set(&sh.done);
	pthread_join(th, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	r->ticks = sh.ticks;
out_shared:
	shared_destroy(&sh);
	return rc;
}

/* --- process --- */

static void child_main(struct shared *sh, pid_t parent,
		       volatile sig_atomic_t *stop, struct trace *trace)
{
	trace_bind(trace, 1);
#if defined(__linux__) && defined(PR_SET_PDEATHSIG)
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	/* The parent may have died before prctl: then we are re-parented. */
	if (getppid() == parent)
		spin(sh, NULL, parent, stop);
	_exit(0);		/* no atexit, no stdio flush: not ours */
}

/* Reap the child; a signal meanwhile (or kill_first) kills it first.
 * Returns true when it ended by itself (_exit), false if it was killed. */
static bool reap(pid_t pid, volatile sig_atomic_t *stop, bool kill_first)
{
	int status = 0;

	if (kill_first)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return false;
		if (stopped(stop))
			kill(pid, SIGKILL);
	}
	return WIFEXITED(status);
}

static int run_process(const struct spinner_opts *o, struct spinner_result *r)
{
	struct shared *sh;
	char repr[REPR_MAX];
	pid_t parent = getpid(), pid;
	bool clean;
	int rc;

	snprintf(repr, sizeof(repr),
		 "<Process name='Process-1' parent=%ld initial>", (long)parent);
	rc = announce(o, repr);
	if (rc != 0)
		return rc;
	sh = plat_map_shared(sizeof(*sh));
	if (sh == NULL)
		return -errno;
	rc = shared_init(sh, o, true);
	if (rc != 0)
		goto out_map;
	fflush(NULL);		/* the child must not inherit pending output */
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out_shared;
	}
	if (pid == 0)
		child_main(sh, parent, o->stop, o->trace);
	term_guard_child(pid);	/* Ctrl-Z: the child stops first */
	if (slow(o, r) == -EINTR)
		r->interrupted = true;
	event_set(&sh->done);
	term_guard_child(0);
	clean = reap(pid, o->stop, r->interrupted);
	r->ticks = sh->ticks;
	/* A child killed inside a wait stays a waiter of the condition
	 * variables forever (glibc's pthread_cond_destroy would wait for
	 * it): then the events are only unmapped. */
	if (clean)
		shared_destroy(sh);
	goto out_map;
out_shared:
	shared_destroy(sh);
out_map:
	plat_unmap_shared(sh, sizeof(*sh));
	return rc;
}

/* ---------------------------------------------------------------------
 * Coroutine: three tasks on one loop, as spinner_async.py
 *   supervisor (Task-1)  creates spin, announces it, awaits slow, cancels
 *                        spin; for block and prime it calls the blocking
 *                        code itself, as the book's `await slow()` runs a
 *                        coroutine that never yields
 *   spin (Task-2)        a frame, sleep until the next tick; on cancel it
 *                        blanks the line and returns
 *   slow (Task-3)        sleep: loop sleep, 42; nap: is_prime in slices
 */

struct coro {
	const struct spinner_opts *o;
	struct spinner_result *r;
	struct loop *loop;
	struct loop_task *spin, *slow;
	double deadline;	/* spin's next tick */
	bool draw;		/* spin still draws (no write error) */
	struct prime_scan scan;	/* nap */
	int64_t slow_t0;	/* --trace: when slow() began */
	int err;		/* announce's or an allocation failure */
};

enum { SPIN_START, SPIN_TICK };
enum { SPIN_LINE = __LINE__ };	/* for the repr: "running at spinner.c:N" */
static int spin_step(struct loop_task *t, int wake)
{
	struct coro *c = t->data;

	switch (t->pc) {
	case SPIN_START:
		c->deadline = plat_now();
		c->draw = c->o->animate;
		/* fallthrough */
	case SPIN_TICK:
		if (wake == -ECANCELED) {	/* except CancelledError: break */
			if (c->draw && c->r->ticks > 0)
				term_blank(c->o->fd);
			return loop_return(t, 0);
		}
		if (trace_self != NULL)
			trace_instant(trace_self, TRACE_FRAME, 0, c->r->ticks,
				      0);
		if (c->draw)
			c->draw = term_frame(c->o->fd, c->r->ticks) == 0;
		c->r->ticks++;
		c->deadline = next_tick(c->deadline);
		t->pc = SPIN_TICK;
		return loop_sleep_until(t, c->deadline);
	}
	abort();
}

enum { SLOW_START, SLOW_WOKE };
static int slow_sleep_step(struct loop_task *t, int wake)
{
	struct coro *c = t->data;

	switch (t->pc) {
	case SLOW_START:
		t->pc = SLOW_WOKE;
		return loop_sleep(t, c->o->delay);
	case SLOW_WOKE:
		if (wake == -ECANCELED)
			return loop_exit_cancelled(t);
		return loop_return(t, SPINNER_ANSWER);
	}
	abort();
}

enum { NAP_START, NAP_SLICE };
static int nap_step(struct loop_task *t, int wake)
{
	struct coro *c = t->data;

	switch (t->pc) {
	case NAP_START:
		prime_scan_start(&c->scan, c->o->number);
		c->scan.path = c->o->path;
		/* fallthrough */
	case NAP_SLICE:
		if (wake == -ECANCELED)
			return loop_exit_cancelled(t);
		if (prime_scan_step(&c->scan, SPINNER_NAP_SLICE))
			return loop_return(t, c->scan.prime);
		t->pc = NAP_SLICE;
		return loop_sleep(t, 0);	/* await asyncio.sleep(0) */
	}
	abort();
}

/* The blocking slow() of spinner_async_experiment.py and
 * spinner_prime_async_broken.py, run inside the supervisor's step. */
static void slow_blocking(struct coro *c)
{
	const struct spinner_opts *o = c->o;
	int64_t t0 = trace_self != NULL ? trace_now() : 0;
	int rc;

	if (o->work == SPINNER_PRIME) {
		rc = scan(o, NULL, &c->r->prime);
	} else {
		rc = plat_sleep_until(plat_now() + o->delay, o->stop);
		if (rc == 0)		/* time.sleep(3); return 42 */
			c->r->answer = SPINNER_ANSWER;
	}
	/* If stopped, the loop sees the flag as soon as this step returns. */
	if (trace_self != NULL)
		trace_span(trace_self, TRACE_BLOCK, t0, trace_now(), 0, 0,
			   rc != 0 ? TRACE_STOPPED : 0);
	trace_slow(t0, o, c->r, rc);
}

static int announce_task(struct coro *c)
{
	char repr[REPR_MAX];

	snprintf(repr, sizeof(repr),
		 "<Task pending name='Task-%u' coro=<spin() running at %s:%d>>",
		 c->spin->id, __FILE__, SPIN_LINE);
	return announce(c->o, repr);
}

enum { SUP_START, SUP_AWAITED };
static int supervisor_step(struct loop_task *t, int wake)
{
	struct coro *c = t->data;

	(void)wake;		/* nobody cancels the supervisor */
	switch (t->pc) {
	case SUP_START:
		c->spin = loop_create_task(c->loop, spin_step, c);
		if (c->spin == NULL) {
			c->err = -ENOMEM;
			return loop_return(t, 0);
		}
		c->err = announce_task(c);
		if (c->err != 0)
			break;
		if (c->o->work == SPINNER_BLOCK || c->o->work == SPINNER_PRIME) {
			slow_blocking(c);
			break;
		}
		if (trace_self != NULL)
			c->slow_t0 = trace_now();
		c->slow = loop_create_task(c->loop, c->o->work == SPINNER_NAP ?
					   nap_step : slow_sleep_step, c);
		if (c->slow == NULL) {
			c->err = -ENOMEM;
			break;
		}
		t->pc = SUP_AWAITED;
		return loop_await(t, c->slow);	/* result = await slow() */
	case SUP_AWAITED:
		if (c->o->work == SPINNER_NAP)
			c->r->prime = loop_task_result(c->slow) != 0;
		else
			c->r->answer = loop_task_result(c->slow);
		trace_slow(c->slow_t0, c->o, c->r, 0);
		break;
	default:
		abort();
	}
	loop_cancel(c->spin);			/* spinner.cancel() */
	return loop_return(t, 0);
}

static int run_coroutine(const struct spinner_opts *o,
			 struct spinner_result *r)
{
	struct coro c;
	struct loop_task *sup;
	int rc;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.r = r;
	c.loop = loop_create(o->stop);
	if (c.loop == NULL)
		return -ENOMEM;
	sup = loop_create_task(c.loop, supervisor_step, &c);
	rc = sup != NULL ? loop_run(c.loop, sup) : -ENOMEM;
	/* asyncio.run() then lets the cancelled spinner finish (it blanks
	 * its line); a spinner that never ran is simply done. */
	if (rc == 0 && c.spin != NULL)
		rc = loop_run(c.loop, c.spin);
	if (rc == -EINTR) {
		r->interrupted = true;
		rc = 0;
	}
	loop_free(c.loop);
	return rc != 0 ? rc : c.err;
}

static int run_model(const struct spinner_opts *o, struct spinner_result *r)
{
	switch (o->model) {
	case SPINNER_THREAD:
		return run_thread(o, r);
	case SPINNER_PROCESS:
		return run_process(o, r);
	case SPINNER_COROUTINE:
		return run_coroutine(o, r);
	}
	return -EINVAL;
}

int spinner_run(const struct spinner_opts *o, struct spinner_result *r)
{
	struct trace_lane *old;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!spinner_supported(o->model, o->work, o->gil != NULL))
		return -EINVAL;
	old = trace_bind(o->trace, 0);
	if (o->trace != NULL) {
		trace_lane_name(o->trace, 0, o->model == SPINNER_COROUTINE ?
				"event loop" : "supervisor");
		trace_lane_name(o->trace, 1, "spinner");
	}
	rc = run_model(o, r);
	trace_self = old;
	return rc;
}
