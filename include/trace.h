/*
 * trace: what ran when, recorded during a run and written after it, for
 * --trace=FILE (Chrome Trace Event JSON, opened by ui.perfetto.dev) and
 * --timeline=FILE.svg.  The modules that run the work (pool, gil,
 * spinner, loop) record spans and instants; docs/trace.md lists them.
 *
 * Recording: one block made before the run (calloc for threads, plat's
 * shared mapping for processes, so a forked worker writes where the
 * parent reads), cut into lanes of fixed-size records.  A lane has one
 * writer (a thread, or a process and then its replacement after a death):
 * no lock, no allocation, no system call but the clock per record.  A
 * full lane drops the record and counts it; it never blocks or grows.
 * Readers look at a lane only after its writer is joined or reaped.
 *
 * The hooks: each thread that records has its lane in trace_self (thread
 * local, NULL when tracing is off: the cost off is one branch).
 */
#ifndef CONCDEMO_TRACE_H
#define CONCDEMO_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum trace_kind {
	/* spans (t0 <= t1) */
	TRACE_JOB,		/* a worker checks n: arg divisors tried,
				   flags TRACE_PRIME; sequential run too */
	TRACE_QUEUE_WAIT,	/* a worker waits for a job: n the number
				   it got (0: a pill, or a timeout) */
	TRACE_RESULT,		/* the parent handles a batch of results:
				   arg the batch size */
	TRACE_GIL_HOLD,		/* this thread holds the GIL */
	TRACE_GIL_WAIT,		/* this thread waits for the GIL */
	TRACE_SLOW,		/* the spinner's slow(): the whole work */
	TRACE_STEP,		/* a coroutine task's step: arg the task id */
	TRACE_BLOCK,		/* a blocking call inside a task's step */
	/* instants (t0 == t1) */
	TRACE_GIL_DROP_REQUEST,	/* a waiter asked the holder to drop it */
	TRACE_GIL_FORCED,	/* the holder dropped it on request */
	TRACE_DEATH,		/* parent: worker died; n its job (if
				   TRACE_HAD_JOB), arg its pid */
	TRACE_RERUN,		/* parent: n put back; arg the new pid */
	TRACE_FRAME,		/* a spinner frame: arg its index */
	TRACE_KINDS
};

/* Record flags. */
#define TRACE_PRIME	0x1	/* JOB, SLOW: the verdict is prime */
#define TRACE_HAD_JOB	0x2	/* DEATH: it was checking n */
#define TRACE_STOPPED	0x4	/* JOB, SLOW, BLOCK: cut short by a stop */

/* 40 bytes.  Times are nanoseconds since trace_create on plat_now()'s
 * clock (monotonic, shared by every process of the run). */
struct trace_rec {
	int64_t t0, t1;
	uint64_t n;		/* the number, or 0 */
	uint64_t arg;		/* per kind, above */
	uint16_t kind;		/* enum trace_kind */
	uint16_t flags;
	uint32_t lane;		/* index of the lane that holds it */
};

#define TRACE_NAME_MAX 32

struct trace_lane {
	char name[TRACE_NAME_MAX];	/* "worker 3", "parent", "spinner" */
	long pid;		/* writer's process (the last one, after a
				   restart); 0: never bound */
	uint32_t index;		/* i in tr->lane[i] */
	uint32_t count;		/* records in rec[] (writer only) */
	uint32_t cap;
	uint64_t dropped;	/* records lost to a full lane */
	struct trace_rec *rec;	/* in the block */
};

/* Caption for readers, filled by trace_set_meta. */
struct trace_meta {
	char command[512];	/* "concdemo primes --procs=2 ..." */
	char cpu[128];		/* machine_cpu_model */
	char date[32];		/* machine_time_iso of trace_create */
};

struct trace {
	struct trace_meta meta;
	long pid;		/* the creator's process */
	bool shared;
	size_t size;		/* of this block */
	unsigned nlanes;
	struct trace_lane lane[];	/* then every lane's records */
};

/* The calling thread's lane; NULL: this thread does not record.  Readers
 * walk tr->lane[i].rec[0 .. count-1] once the writers are gone. */
extern _Thread_local struct trace_lane *trace_self;

/* Records in all lanes when trace_create picks the lanes' size: 80 MB,
 * touched only as written. */
#define TRACE_BUDGET (1u << 21)

/* lanes lanes of cap records each (0: TRACE_BUDGET / lanes, within
 * 1024..65536) in one block, shared across fork if shared.  Returns NULL
 * with errno set (EINVAL for 0 lanes). */
struct trace *trace_create(unsigned lanes, uint32_t cap, bool shared);
void trace_free(struct trace *tr);

/* Name lane i (printf format; cut to TRACE_NAME_MAX - 1 bytes). */
void trace_lane_name(struct trace *tr, unsigned i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Make lane i (NULL tr: none) the calling thread's lane and record its
 * pid; returns the previous trace_self, to put back after. */
struct trace_lane *trace_bind(struct trace *tr, unsigned i);

/* The command line, CPU and date for the caption.  Never fails (an
 * unknown field stays "?"). */
void trace_set_meta(struct trace *tr, int argc, char **argv);

/* Now, in the records' clock: ns since the last trace_create in this
 * process (or its parent, before fork).  One trace at a time. */
int64_t trace_now(void);

/* Record a span [t0, t1] or an instant at t on lane l (trace_self, or a
 * lane the caller owns).  Never fails: a full lane counts a drop. */
void trace_span(struct trace_lane *l, enum trace_kind k, int64_t t0,
		int64_t t1, uint64_t n, uint64_t arg, unsigned flags);
void trace_instant(struct trace_lane *l, enum trace_kind k, uint64_t n,
		   uint64_t arg, unsigned flags);

/* "job", "queue wait", ... (the JSON event's name); "?" if unknown. */
const char *trace_kind_name(enum trace_kind k);
bool trace_kind_is_span(enum trace_kind k);

/* Records dropped on every lane. */
uint64_t trace_dropped(const struct trace *tr);

/* What the JSON adds to a thread's tid for its second track (GIL spans,
 * slow()): a label, past any pid (Linux's pid_max is at most 2^22). */
#define TRACE_ASIDE_TID (1L << 23)

/* The trace as Chrome Trace Event JSON (object form) in a malloc'ed
 * buffer.  Returns 0 or -errno (-ENOMEM). */
int trace_render_json(const struct trace *tr, char **buf, size_t *len);

#endif
