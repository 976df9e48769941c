/* Unit tests for loop: ready order, sleep(0) yields, timers in deadline
 * order, await and results, cancel (sleeping, awaiting, ready, before
 * start, self, twice, finished), interrupts and deadlock detection. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "plat.h"
#include "tap.h"

/* A log of what ran, as text: each step appends a short mark. */
static char logbuf[4096];

static void mark(const char *s)
{
	strncat(logbuf, s, sizeof(logbuf) - strlen(logbuf) - 1);
}

static void log_reset(void)
{
	logbuf[0] = '\0';
}

/* A task described by its data. */
struct spec {
	const char *name;
	double sleep;		/* seconds for sleeper; rounds for yielder */
	long result;
	int steps;		/* how many times step was called */
	int cancels;		/* how many times it saw -ECANCELED */
	double woke;		/* when it finished sleeping */
	double deadline;	/* the deadline it slept to */
	struct loop_task *other;	/* to await or to cancel */
	long got;		/* the awaited result */
	int round;
};

static int once(struct loop_task *t, int wake)
{
	struct spec *s = t->data;

	(void)wake;
	s->steps++;
	mark(s->name);
	return loop_return(t, s->result);
}

static int yielder(struct loop_task *t, int wake)
{
	struct spec *s = t->data;

	(void)wake;
	s->steps++;
	mark(s->name);
	if (++s->round >= (int)s->sleep)
		return loop_return(t, s->round);
	t->pc = 1;
	return loop_sleep(t, 0);
}

/* Sleeps s->sleep; on -ECANCELED logs "!name" and returns -1 (handled,
 * like catching CancelledError); else logs name and returns result. */
static int sleeper(struct loop_task *t, int wake)
{
	struct spec *s = t->data;

	s->steps++;
	switch (t->pc) {
	case 0:
		t->pc = 1;
		loop_sleep(t, s->sleep);
		s->deadline = t->deadline;
		return LOOP_WAIT;
	case 1:
		s->woke = plat_now();
		if (wake == -ECANCELED) {
			s->cancels++;
			mark("!");
			mark(s->name);
			return loop_return(t, -1);
		}
		mark(s->name);
		return loop_return(t, s->result);
	}
	abort();
}

/* Like sleeper but lets the cancellation end it as cancelled. */
static int sleeper_reraise(struct loop_task *t, int wake)
{
	struct spec *s = t->data;

	s->steps++;
	if (t->pc == 0) {
		t->pc = 1;
		return loop_sleep(t, s->sleep);
	}
	if (wake == -ECANCELED) {
		s->cancels++;
		return loop_exit_cancelled(t);
	}
	return loop_return(t, s->result);
}

/* Awaits s->other; records its result or the cancellation. */
static int awaiter(struct loop_task *t, int wake)
{
	struct spec *s = t->data;

	s->steps++;
	switch (t->pc) {
	case 0:
		t->pc = 1;
		return loop_await(t, s->other);
	case 1:
		if (wake == -ECANCELED) {
			s->cancels++;
			return loop_return(t, -1);
		}
		s->got = loop_task_result(s->other);
		return loop_return(t, s->got + 1);
	}
	abort();
}

/* Sleeps s->sleep, then cancels s->other. */
static int canceller(struct loop_task *t, int wake)
{
	struct spec *s = t->data;

	(void)wake;
	s->steps++;
	if (t->pc == 0) {
		t->pc = 1;
		return loop_sleep(t, s->sleep);
	}
	s->result = loop_cancel(s->other);
	mark("c");
	return loop_return(t, s->result);
}

static void test_ready_order(void)
{
	struct loop *l = loop_create(NULL);
	struct spec a = { .name = "a" }, b = { .name = "b" },
		    c = { .name = "c" };

	log_reset();
	loop_create_task(l, once, &a);
	loop_create_task(l, once, &b);
	loop_create_task(l, once, &c);
	ok(loop_run(l, NULL) == 0, "run until nothing is left: 0");
	is_u64(strcmp(logbuf, "abc") == 0, 1, "ready tasks run in creation "
	       "order (ran '%s')", logbuf);
	loop_free(l);
}

static void test_yield(void)
{
	struct loop *l = loop_create(NULL);
	struct spec a = { .name = "a", .sleep = 3 },
		    b = { .name = "b", .sleep = 3 },
		    c = { .name = "c" };

	log_reset();
	loop_create_task(l, yielder, &a);
	loop_create_task(l, yielder, &b);
	loop_create_task(l, once, &c);
	loop_run(l, NULL);
	ok(strcmp(logbuf, "abcabab") == 0,
	   "sleep(0) yields to every task ready (ran '%s', want 'abcabab')",
	   logbuf);
	loop_free(l);
}

static void test_timers(void)
{
	enum { N = 200 };
	struct loop *l = loop_create(NULL);
	struct spec a = { .name = "1", .sleep = 0.06 },
		    b = { .name = "2", .sleep = 0.02 },
		    c = { .name = "3", .sleep = 0.04 };
	static struct spec many[N];
	static char names[N][16];
	double t0 = plat_now();
	int i, inorder, cancelled = 0;

	log_reset();
	loop_create_task(l, sleeper, &a);
	loop_create_task(l, sleeper, &b);
	loop_create_task(l, sleeper, &c);
	loop_run(l, NULL);
	ok(strcmp(logbuf, "231") == 0, "timers fire in deadline order "
	   "(ran '%s', want '231')", logbuf);
	ok(a.woke - t0 >= 0.059 && b.woke - t0 >= 0.019 &&
	   c.woke - t0 >= 0.039, "... none before its deadline");
	ok(a.woke - t0 < 0.06 + 0.5 * tap_time_scale(),
	   "... and not much later (%.3f s)",
	   a.woke - t0);
	loop_free(l);

	/* Many random deadlines, a third of them cancelled while asleep:
	 * the heap keeps order through removals. */
	l = loop_create(NULL);
	srand(7);
	log_reset();
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "%d,", i);
		memset(&many[i], 0, sizeof(many[i]));
		many[i].name = names[i];
		many[i].sleep = 0.005 + (rand() % 1000) / 20000.0;
		many[i].other = loop_create_task(l, sleeper, &many[i]);
	}
	{
		struct spec pass = { .name = "" };

		/* one pass: every sleeper has armed its timer */
		loop_run(l, loop_create_task(l, once, &pass));
	}
	for (i = 0; i < N; i += 3)
		loop_cancel(many[i].other);
	loop_run(l, NULL);
	for (i = 0; i < N; i++)
		cancelled += many[i].cancels;
	/* An earlier deadline never wakes after a later one. */
	inorder = 1;
	for (i = 0; i < N; i++) {
		int j;

		if (many[i].cancels)
			continue;
		for (j = 0; j < N; j++)
			if (!many[j].cancels &&
			    many[j].deadline < many[i].deadline &&
			    many[j].woke > many[i].woke)
				inorder = 0;
	}
	is_u64(cancelled, (N + 2) / 3, "cancelled sleepers woke with "
	       "-ECANCELED");
	ok(inorder, "%d timers woke in deadline order", N - cancelled);
	loop_free(l);
}

static void test_equal_deadlines(void)
{
	struct loop *l = loop_create(NULL);
	struct spec s[3] = { { .name = "x" }, { .name = "y" },
			     { .name = "z" } };
	int i;

	log_reset();
	for (i = 0; i < 3; i++)
		s[i].sleep = 0.01;	/* the same duration, armed in order */
	for (i = 0; i < 3; i++)
		loop_create_task(l, sleeper, &s[i]);
	loop_run(l, NULL);
	ok(strlen(logbuf) == 3 && logbuf[0] == 'x',
	   "equal sleeps wake in the order they were armed ('%s')", logbuf);
	loop_free(l);
}

static void test_await(void)
{
	struct loop *l = loop_create(NULL);
	struct spec slow = { .name = "s", .sleep = 0.02, .result = 42 };
	struct spec w1 = { .name = "w" }, w2 = { .name = "v" };
	struct loop_task *ts, *t1, *t2;

	log_reset();
	ts = loop_create_task(l, sleeper, &slow);
	w1.other = ts;
	w2.other = ts;
	t1 = loop_create_task(l, awaiter, &w1);
	t2 = loop_create_task(l, awaiter, &w2);
	ok(loop_run(l, t1) == 0, "run until the awaiter is done: 0");
	is_u64(w1.got, 42, "await returns the awaited task's result");
	is_u64(loop_task_result(t1), 43, "the awaiter's own result");
	loop_run(l, t2);
	ok(loop_task_done(t2) && w2.got == 42,
	   "a second awaiter of the same task wakes too");
	ok(loop_task_done(ts) && !loop_task_cancelled(ts) &&
	   loop_task_result(ts) == 42, "the awaited task is done, not "
	   "cancelled");

	/* Awaiting a task that is already done resumes at once. */
	w1.steps = 0;
	w1.got = 0;
	t1 = loop_create_task(l, awaiter, &w1);
	loop_run(l, t1);
	ok(w1.got == 42 && w1.steps == 2, "awaiting a finished task "
	   "resumes with its result (2 steps: %d)", w1.steps);
	loop_free(l);
}

static void test_cancel(void)
{
	struct loop *l = loop_create(NULL);
	struct spec s = { .name = "s", .sleep = 30, .result = 5 };
	struct spec c = { .name = "c", .sleep = 0.02 };
	struct loop_task *ts, *tc;
	double t0 = plat_now();

	log_reset();
	ts = loop_create_task(l, sleeper, &s);
	c.other = ts;
	tc = loop_create_task(l, canceller, &c);
	ok(loop_run(l, NULL) == 0, "run with a cancel: 0");
	ok(plat_now() - t0 < 5, "cancel wakes a 30 s sleeper at once");
	ok(loop_task_result(tc) == 1, "loop_cancel of a pending task: true");
	ok(s.cancels == 1 && strcmp(logbuf, "c!s") == 0,
	   "the sleeper sees -ECANCELED at its sleep and cleans up ('%s')",
	   logbuf);
	ok(loop_task_done(ts) && !loop_task_cancelled(ts) &&
	   loop_task_result(ts) == -1,
	   "having handled it, it ends normally with its own result");

	/* cancelling a finished task is harmless */
	ok(!loop_cancel(ts), "cancelling a finished task: false");
	ok(loop_task_done(ts) && !loop_task_cancelled(ts) &&
	   loop_task_result(ts) == -1 && s.steps == 2,
	   "... and changes nothing");
	ok(loop_run(l, NULL) == 0 && s.steps == 2, "... it never runs again");
	loop_free(l);
}

static void test_cancel_kinds(void)
{
	struct loop *l = loop_create(NULL);
	struct spec r = { .name = "r", .sleep = 30 };
	struct spec never = { .name = "n" }, pass = { .name = "p" };
	struct spec slow = { .name = "s", .sleep = 0.05, .result = 3 };
	struct spec aw = { .name = "a" };
	struct spec c = { .name = "c", .sleep = 0.01 };
	struct spec twice = { .name = "t", .sleep = 30 };
	struct loop_task *tr, *tn, *ts, *ta, *tt, *tp;

	/* before it ever ran */
	tn = loop_create_task(l, once, &never);
	ok(loop_cancel(tn), "cancel a task before it ever ran: true");
	loop_run(l, NULL);
	ok(never.steps == 0 && loop_task_cancelled(tn),
	   "... it never runs and ends cancelled");

	/* cancelled twice while asleep: one -ECANCELED */
	tt = loop_create_task(l, sleeper, &twice);
	tp = loop_create_task(l, once, &pass);
	loop_run(l, tp);		/* one pass: tt is asleep */
	ok(loop_cancel(tt) && loop_cancel(tt), "cancel a sleeper twice: "
	   "true, true");
	loop_run(l, tt);
	ok(twice.cancels == 1 && twice.steps == 2,
	   "... it sees one -ECANCELED (%d steps)", twice.steps);
	ok(!loop_cancel(tt), "... a third cancel, once done: false");

	/* re-raised: the task ends cancelled */
	tr = loop_create_task(l, sleeper_reraise, &r);
	pass.steps = 0;
	tp = loop_create_task(l, once, &pass);
	loop_run(l, tp);
	loop_cancel(tr);
	loop_run(l, tr);
	ok(r.cancels == 1 && loop_task_cancelled(tr) &&
	   loop_task_result(tr) == 0,
	   "a task that lets the cancellation through ends cancelled");
	loop_free(l);

	/* cancel an awaiting task: it wakes, the awaited one goes on */
	l = loop_create(NULL);
	ts = loop_create_task(l, sleeper, &slow);
	aw.other = ts;
	ta = loop_create_task(l, awaiter, &aw);
	c.other = ta;
	loop_create_task(l, canceller, &c);
	loop_run(l, ta);
	ok(aw.cancels == 1 && loop_task_result(ta) == -1,
	   "cancel wakes an awaiting task with -ECANCELED");
	ok(!loop_task_done(ts), "... the awaited task is not cancelled");
	loop_run(l, ts);
	ok(loop_task_result(ts) == 3 && slow.cancels == 0,
	   "... and finishes normally");
	loop_free(l);
}

/* Cancels itself, then sleeps: the cancellation comes at that await. */
static int self_cancel(struct loop_task *t, int wake)
{
	struct spec *s = t->data;

	s->steps++;
	if (t->pc == 0) {
		loop_cancel(t);
		t->pc = 1;
		return loop_sleep(t, 30);
	}
	s->cancels += wake == -ECANCELED;
	return loop_return(t, 0);
}

/* Sets the interrupt flag, as a signal handler would. */
static int set_flag(struct loop_task *t, int wake)
{
	volatile sig_atomic_t *flag = t->data;

	(void)wake;
	*flag = 1;
	return loop_return(t, 0);
}

static volatile sig_atomic_t stop_flag;

static void on_term(int sig)
{
	stop_flag = sig;
}

static void *kick(void *p)
{
	usleep(50000);
	pthread_kill(*(pthread_t *)p, SIGTERM);
	return NULL;
}

static void test_misc(void)
{
	struct loop *l = loop_create(NULL);
	struct spec s = { .name = "s" }, a = { .name = "a" },
		    b = { .name = "b" }, z = { .name = "z", .sleep = 30 };
	struct loop_task *ts, *ta, *tb;
	struct sigaction sa;
	pthread_t me = pthread_self(), th;
	double t0;

	ts = loop_create_task(l, self_cancel, &s);
	t0 = plat_now();
	loop_run(l, ts);
	ok(s.cancels == 1 && plat_now() - t0 < 5,
	   "a task that cancels itself gets -ECANCELED at its next await");
	loop_free(l);

	/* a cycle of awaits can never finish */
	l = loop_create(NULL);
	ta = loop_create_task(l, awaiter, &a);
	tb = loop_create_task(l, awaiter, &b);
	a.other = tb;
	b.other = ta;
	ok(loop_run(l, ta) == -EDEADLK, "an await cycle: -EDEADLK");
	loop_free(l);

	/* the interrupt flag, set by a step */
	stop_flag = 0;
	l = loop_create(&stop_flag);
	loop_create_task(l, set_flag, (void *)&stop_flag);
	ts = loop_create_task(l, once, &s);
	s.steps = 0;
	ok(loop_run(l, NULL) == -EINTR && s.steps == 0,
	   "a flag set by a step stops the loop after that step");
	loop_free(l);

	/* ... and by a signal while the loop sleeps */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	stop_flag = 0;
	l = loop_create(&stop_flag);
	ts = loop_create_task(l, sleeper, &z);
	pthread_create(&th, NULL, kick, &me);
	t0 = plat_now();
	ok(loop_run(l, ts) == -EINTR && plat_now() - t0 < 5,
	   "a signal ends the loop's idle wait: -EINTR");
	pthread_join(th, NULL);
	ok(!loop_task_done(ts), "... the sleeper is left pending");
	stop_flag = 0;
	loop_cancel(ts);
	ok(loop_run(l, ts) == 0 && z.cancels == 1,
	   "cancel and run again: it cleans up");
	loop_free(l);
}

int main(void)
{
	tap_start(60);
	test_ready_order();
	test_yield();
	test_timers();
	test_equal_deadlines();
	test_await();
	test_cancel();
	test_cancel_kinds();
	test_misc();
	return tap_done();
}
