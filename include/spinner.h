/*
 * spinner: the book's spinner programs.  A supervisor starts spin() in a
 * thread, a forked child or a coroutine, runs slow() itself, stops the
 * spinner and returns slow()'s answer.  spin() draws a frame every 0.1 s
 * (on absolute deadlines, no drift) until it is told to stop, then blanks
 * its line, as the book's spin() does.
 *
 *   model      the spinner                     stopped by
 *   thread     a POSIX thread                  an Event (event.h)
 *   process    a forked child                  an Event in shared memory
 *   coroutine  a task of a loop (loop.h)       cancelling the task
 *
 *   work       slow()
 *   sleep      sleeps delay s, answers 42 (coroutine: an awaited sleep)
 *   block      coroutine: a blocking sleep inside a task, so the loop never
 *              runs the spinner; thread, process: the same as sleep
 *   prime      is_prime(number); the coroutine model blocks the loop
 *   nap        coroutine only: is_prime in slices of SPINNER_NAP_SLICE
 *              divisors with a sleep(0) between slices
 *
 * Frames are written with term.h to opts.fd, only when opts.animate; the
 * spinner runs its ticks either way.  The module prints nothing else: the
 * front end gets the spinner's repr through opts.announce and prints the
 * answer.  The caller must fflush its stdio before spinner_run (frames are
 * raw writes; the process model also fflushes everything before fork).
 *
 * Signals: *opts.stop (the front end's signal flag) ends the run within a
 * few milliseconds in every model and work: sleeps are interruptible,
 * is_prime looks at the flag between slices of PRIME_SLICE divisors,
 * the spinner thread blocks the signals (they go to the supervisor), the
 * child is killed and reaped.  The child also dies with its parent
 * (PR_SET_PDEATHSIG on Linux, plus a getppid() check every tick).
 * After an interrupted run the line may still hold a frame: the front end
 * blanks it and shows the cursor.  The terminal's signals (Ctrl-Z, a
 * resize: term.h's guard) are handled by the thread that draws (the
 * thread model blocks them in the supervisor while its spinner thread
 * lives); in the process model the parent's guard stops the child before
 * it writes (term_guard_child).
 *
 * spinner_run is not reentrant (one spinner per process at a time).
 */
#ifndef CONCDEMO_SPINNER_H
#define CONCDEMO_SPINNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "prime.h"

enum spinner_model { SPINNER_THREAD, SPINNER_PROCESS, SPINNER_COROUTINE };
enum spinner_work { SPINNER_SLEEP, SPINNER_BLOCK, SPINNER_PRIME, SPINNER_NAP };

#define SPINNER_TICK 0.1		/* seconds between frames */
#define SPINNER_ANSWER 42		/* what slow() returns */
#define SPINNER_DEFAULT_DELAY 3.0	/* slow()'s sleep */
#define SPINNER_NAP_SLICE 50000		/* the book's i % 100_000 == 1 */
/*
 * The default --number: the largest prime below 2^64, the longest trial
 * division any 64-bit number needs (the book's 5_000_111_000_222_021 is
 * too quick to see a frame; docs/speed.md gives both times).  No 64-bit
 * number can take the book's 3 s with this core.
 */
#define SPINNER_DEFAULT_NUMBER UINT64_C(18446744073709551557)

/* The emulated GIL (gil.h); NULL means no GIL. */
struct gil;
struct trace;

struct spinner_opts {
	enum spinner_model model;
	enum spinner_work work;
	uint64_t number;		/* prime, nap */
	double delay;			/* sleep, block: seconds */
	int fd;				/* frames go here */
	bool animate;			/* draw frames */
	volatile sig_atomic_t *stop;	/* nonzero ends the run (may be NULL) */
	struct gil *gil;		/* thread model only; NULL: none */
	enum prime_path path;		/* prime, nap: the core's path
					   (prime.h); 0 is PRIME_SCALAR */
	/* Called once, before the spinner starts (as the book's supervisors
	 * print it), with a Python-like repr of it in that state: "<Thread(
	 * Thread-1 (spin), initial)>", "<Process name='Process-1' parent=PID
	 * initial>" (PID: this process), "<Task pending name='Task-2' coro=<
	 * spin() running at ...>>" (a created task, not yet run).  A nonzero
	 * return (-errno) stops the run before anything starts, and
	 * spinner_run returns it. */
	int (*announce)(const char *repr, void *arg);
	void *arg;
	/* --trace (trace.h): NULL, or records on lane 0 (the supervisor;
	 * the coroutine model: the loop's thread, with its steps and the
	 * frames) and lane 1 (the spinner thread or process: the frames),
	 * named here.  Shared (trace_create's shared) for the process
	 * model. */
	struct trace *trace;
};

struct spinner_result {
	long answer;		/* sleep, block: SPINNER_ANSWER */
	bool prime;		/* prime, nap: the verdict */
	unsigned long ticks;	/* frames spin() ran (drawn if animate) */
	bool interrupted;	/* *stop ended the run: no answer */
};

/* Whether the model can do the work, with or without a GIL (nap needs the
 * coroutine model; a GIL needs the thread model). */
bool spinner_supported(enum spinner_model model, enum spinner_work work,
		       bool gil);

/* Run the experiment and fill *r.  Returns 0 (also when interrupted: see
 * r->interrupted), -EINVAL for an unsupported combination, -errno when a
 * thread, process, mapping or loop could not be made, or announce's error.
 * Every thread and child is gone when it returns. */
int spinner_run(const struct spinner_opts *o, struct spinner_result *r);

#endif
