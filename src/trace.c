/*
 * trace: the record block, the writers and the JSON rendering.
 *
 * The block is the struct trace, its lanes, then cap records per lane; the
 * lanes' rec pointers point into it (valid in a forked child: the mapping
 * is at the same address).  A lane's count, dropped and records are
 * written by its one writer and read by the parent only once that writer
 * is joined or reaped; a record is complete before count covers it, so a
 * writer killed between the two loses one record, never garbles one.
 * trace_start is per process, set by trace_create and inherited by fork.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "machine.h"
#include "out.h"
#include "plat.h"
#include "trace.h"

_Thread_local struct trace_lane *trace_self;

static double trace_start;

static const char *const kind_names[TRACE_KINDS] = {
	[TRACE_JOB] = "job",
	[TRACE_QUEUE_WAIT] = "queue wait",
	[TRACE_RESULT] = "results",
	[TRACE_GIL_HOLD] = "GIL held",
	[TRACE_GIL_WAIT] = "GIL wait",
	[TRACE_SLOW] = "slow()",
	[TRACE_STEP] = "step",
	[TRACE_BLOCK] = "blocking call",
	[TRACE_GIL_DROP_REQUEST] = "GIL drop request",
	[TRACE_GIL_FORCED] = "GIL forced switch",
	[TRACE_DEATH] = "worker died",
	[TRACE_RERUN] = "job re-run",
	[TRACE_FRAME] = "frame",
};

const char *trace_kind_name(enum trace_kind k)
{
	return (unsigned)k < TRACE_KINDS ? kind_names[k] : "?";
}

bool trace_kind_is_span(enum trace_kind k)
{
	return k <= TRACE_BLOCK;
}

struct trace *trace_create(unsigned lanes, uint32_t cap, bool shared)
{
	size_t head = sizeof(struct trace) + lanes * sizeof(struct trace_lane);
	size_t size;
	struct trace *tr;
	struct trace_rec *rec;
	unsigned i;

	if (lanes == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (cap == 0)
		cap = TRACE_BUDGET / lanes < 1024 ? 1024 :
		      TRACE_BUDGET / lanes > 65536 ? 65536 :
		      TRACE_BUDGET / lanes;
	if ((SIZE_MAX - head) / sizeof(struct trace_rec) / lanes < cap) {
		errno = EINVAL;
		return NULL;
	}
	head = (head + 63) & ~(size_t)63;
	size = head + (size_t)lanes * cap * sizeof(struct trace_rec);
	tr = shared ? plat_map_shared(size) : calloc(1, size);
	if (tr == NULL)
		return NULL;
	tr->size = size;
	tr->shared = shared;
	tr->nlanes = lanes;
	tr->pid = (long)getpid();
	rec = (struct trace_rec *)((char *)tr + head);
	for (i = 0; i < lanes; i++) {
		tr->lane[i].index = i;
		tr->lane[i].cap = cap;
		tr->lane[i].rec = rec + (size_t)i * cap;
		snprintf(tr->lane[i].name, TRACE_NAME_MAX, "lane %u", i);
	}
	strcpy(tr->meta.command, "?");
	strcpy(tr->meta.cpu, "?");
	strcpy(tr->meta.date, "?");
	trace_start = plat_now();
	return tr;
}

void trace_free(struct trace *tr)
{
	if (tr == NULL)
		return;
	if (trace_self != NULL && (char *)trace_self >= (char *)tr &&
	    (char *)trace_self < (char *)tr + tr->size)
		trace_self = NULL;
	if (tr->shared)
		plat_unmap_shared(tr, tr->size);
	else
		free(tr);
}

void trace_lane_name(struct trace *tr, unsigned i, const char *fmt, ...)
{
	va_list ap;

	if (tr == NULL || i >= tr->nlanes)
		return;
	va_start(ap, fmt);
	vsnprintf(tr->lane[i].name, TRACE_NAME_MAX, fmt, ap);
	va_end(ap);
}

struct trace_lane *trace_bind(struct trace *tr, unsigned i)
{
	struct trace_lane *old = trace_self;

	if (tr == NULL || i >= tr->nlanes) {
		trace_self = NULL;
		return old;
	}
	tr->lane[i].pid = (long)getpid();
	trace_self = &tr->lane[i];
	return old;
}

void trace_set_meta(struct trace *tr, int argc, char **argv)
{
	size_t len = 0;
	int i;

	len = (size_t)snprintf(tr->meta.command, sizeof(tr->meta.command),
			       "concdemo");
	for (i = 0; i < argc && len < sizeof(tr->meta.command); i++)
		len += (size_t)snprintf(tr->meta.command + len,
					sizeof(tr->meta.command) - len, " %s",
					argv[i]);
	if (machine_cpu_model(tr->meta.cpu, sizeof(tr->meta.cpu)) != 0)
		strcpy(tr->meta.cpu, "?");
	if (machine_time_iso(time(NULL), tr->meta.date,
			     sizeof(tr->meta.date)) != 0)
		strcpy(tr->meta.date, "?");
}

int64_t trace_now(void)
{
	return (int64_t)((plat_now() - trace_start) * 1e9);
}

void trace_span(struct trace_lane *l, enum trace_kind k, int64_t t0,
		int64_t t1, uint64_t n, uint64_t arg, unsigned flags)
{
	struct trace_rec *r;

	if (l->count >= l->cap) {
		l->dropped++;
		return;
	}
	r = &l->rec[l->count];
	r->t0 = t0;
	r->t1 = t1;
	r->n = n;
	r->arg = arg;
	r->kind = (uint16_t)k;
	r->flags = (uint16_t)flags;
	r->lane = l->index;
	l->count++;
}

void trace_instant(struct trace_lane *l, enum trace_kind k, uint64_t n,
		   uint64_t arg, unsigned flags)
{
	int64_t t = trace_now();

	trace_span(l, k, t, t, n, arg, flags);
}

uint64_t trace_dropped(const struct trace *tr)
{
	uint64_t d = 0;
	unsigned i;

	for (i = 0; i < tr->nlanes; i++)
		d += tr->lane[i].dropped;
	return d;
}

/* ---- Chrome Trace Event JSON ----
 * Lanes of the creator's process are its threads (pid: the creator, tid:
 * pid + lane number, a label only); a lane written by a forked worker is
 * a process of its own (pid and tid: the worker's last pid).  A lane's
 * GIL spans and slow() go on a second track of the same thread, tid +
 * TRACE_ASIDE_TID: they cross the job and step spans (a job holds the GIL
 * in turns, slow() lasts many of the loop's steps), and a viewer draws
 * the spans of one track nested.  Times in microseconds with nanosecond
 * decimals. */

static bool is_gil(enum trace_kind k)
{
	return k == TRACE_GIL_HOLD || k == TRACE_GIL_WAIT ||
	       k == TRACE_GIL_DROP_REQUEST || k == TRACE_GIL_FORCED;
}

/* Does a record of kind k go on the lane's second track? */
static bool aside(enum trace_kind k)
{
	return is_gil(k) || k == TRACE_SLOW;
}

static long lane_pid(const struct trace *tr, const struct trace_lane *l)
{
	return l->pid != 0 ? l->pid : tr->pid;
}

static long lane_tid(const struct trace *tr, const struct trace_lane *l)
{
	return lane_pid(tr, l) != tr->pid ? l->pid : tr->pid + (long)l->index;
}

static void put_us(struct out *o, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	out_printf(o, "%" PRId64 ".%03d", ns / 1000, (int)(ns % 1000));
}

/* A metadata event after sep: args {key: value}, or {key: number} if
 * value is NULL. */
static void put_meta_after(struct out *o, const char *sep, const char *what,
			   long pid, long tid, const char *key,
			   const char *value, long number)
{
	out_printf(o, "%s{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%ld,"
		   "\"tid\":%ld,\"args\":{\"%s\":", sep, what, pid, tid, key);
	if (value != NULL) {
		out_printf(o, "\"");
		out_text(o, value, OUT_JSON);
		out_printf(o, "\"}}");
	} else {
		out_printf(o, "%ld}}", number);
	}
}

/* A metadata event after another event. */
static void put_meta(struct out *o, const char *what, long pid, long tid,
		     const char *key, const char *value, long number)
{
	put_meta_after(o, ",\n", what, pid, tid, key, value, number);
}

/* The second track's name: "worker 0: GIL", "event loop: slow()". */
static void put_aside_meta(struct out *o, const struct trace_lane *l,
			   long pid, long tid)
{
	bool gil = false, slow = false;
	char name[TRACE_NAME_MAX + 32];
	uint32_t i;

	for (i = 0; i < l->count; i++) {
		slow |= l->rec[i].kind == TRACE_SLOW;
		gil |= is_gil((enum trace_kind)l->rec[i].kind);
	}
	if (!gil && !slow)
		return;
	snprintf(name, sizeof(name), "%s: %s%s%s", l->name,
		 slow ? "slow()" : "", slow && gil ? ", " : "",
		 gil ? "GIL" : "");
	put_meta(o, "thread_name", pid, tid + TRACE_ASIDE_TID, "name", name,
		 0);
	put_meta(o, "thread_sort_index", pid, tid + TRACE_ASIDE_TID,
		 "sort_index", NULL, 2 * (long)l->index + 1);
}

static void put_lane_meta(struct out *o, const struct trace *tr,
			  const struct trace_lane *l)
{
	long pid = lane_pid(tr, l), tid = lane_tid(tr, l);

	if (pid != tr->pid) {
		char name[TRACE_NAME_MAX + 32];

		snprintf(name, sizeof(name), "%s (pid %ld)", l->name, pid);
		put_meta(o, "process_name", pid, tid, "name", name, 0);
		put_meta(o, "process_sort_index", pid, tid, "sort_index", NULL,
			 (long)l->index);
	}
	put_meta(o, "thread_name", pid, tid, "name", l->name, 0);
	put_meta(o, "thread_sort_index", pid, tid, "sort_index", NULL,
		 2 * (long)l->index);
	put_aside_meta(o, l, pid, tid);
}

/* The args of a record, by kind. */
static void put_args(struct out *o, const struct trace_rec *r)
{
	switch (r->kind) {
	case TRACE_JOB:
		out_printf(o, "{\"n\":%" PRIu64 ",\"prime\":%s,\"divisors\":%"
			   PRIu64 "%s}", r->n,
			   r->flags & TRACE_PRIME ? "true" : "false", r->arg,
			   r->flags & TRACE_STOPPED ? ",\"stopped\":true" : "");
		break;
	case TRACE_QUEUE_WAIT:
		out_printf(o, "{\"got\":%" PRIu64 "}", r->n);
		break;
	case TRACE_RESULT:
		out_printf(o, "{\"results\":%" PRIu64 "}", r->arg);
		break;
	case TRACE_SLOW:
		out_printf(o, "{\"n\":%" PRIu64 ",\"prime\":%s%s}", r->n,
			   r->flags & TRACE_PRIME ? "true" : "false",
			   r->flags & TRACE_STOPPED ? ",\"stopped\":true" : "");
		break;
	case TRACE_STEP:
		out_printf(o, "{\"task\":%" PRIu64 "}", r->arg);
		break;
	case TRACE_DEATH:
		out_printf(o, "{\"pid\":%" PRIu64 ",\"n\":%" PRIu64
			   ",\"had_job\":%s}", r->arg, r->n,
			   r->flags & TRACE_HAD_JOB ? "true" : "false");
		break;
	case TRACE_RERUN:
		out_printf(o, "{\"n\":%" PRIu64 ",\"pid\":%" PRIu64 "}", r->n,
			   r->arg);
		break;
	case TRACE_FRAME:
		out_printf(o, "{\"frame\":%" PRIu64 "}", r->arg);
		break;
	default:
		out_printf(o, "{}");
		break;
	}
}

static void put_event(struct out *o, const struct trace *tr,
		      const struct trace_lane *l, const struct trace_rec *r)
{
	enum trace_kind k = (enum trace_kind)r->kind;

	out_printf(o, ",\n{\"name\":\"");
	if (k == TRACE_STEP)
		out_printf(o, "Task-%" PRIu64, r->arg);
	else
		out_text(o, trace_kind_name(k), OUT_JSON);
	out_printf(o, "\",\"cat\":\"%s\",\"ph\":\"%s\",\"ts\":",
		   is_gil(k) ? "gil" : "run", trace_kind_is_span(k) ? "X" : "i");
	put_us(o, r->t0);
	if (trace_kind_is_span(k)) {
		out_printf(o, ",\"dur\":");
		put_us(o, r->t1 > r->t0 ? r->t1 - r->t0 : 0);
	} else {
		out_printf(o, ",\"s\":\"t\"");
	}
	out_printf(o, ",\"pid\":%ld,\"tid\":%ld,\"args\":", lane_pid(tr, l),
		   lane_tid(tr, l) + (aside(k) ? TRACE_ASIDE_TID : 0));
	put_args(o, r);
	out_printf(o, "}");
}

static void put_other(struct out *o, const struct trace *tr)
{
	out_printf(o, "\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{"
		   "\"command\":\"");
	out_text(o, tr->meta.command, OUT_JSON);
	out_printf(o, "\",\"cpu\":\"");
	out_text(o, tr->meta.cpu, OUT_JSON);
	out_printf(o, "\",\"date\":\"");
	out_text(o, tr->meta.date, OUT_JSON);
	out_printf(o, "\",\"dropped\":%" PRIu64 "}\n}\n", trace_dropped(tr));
}

static int write_json(const struct trace *tr, FILE *fp)
{
	struct out o = { fp, 0 };
	unsigned i;
	uint32_t j;

	out_printf(&o, "{\"traceEvents\":[");
	put_meta_after(&o, "\n", "process_name", tr->pid, tr->pid, "name",
		       "concdemo", 0);
	for (i = 0; i < tr->nlanes; i++)
		if (tr->lane[i].pid != 0 || tr->lane[i].count > 0)
			put_lane_meta(&o, tr, &tr->lane[i]);
	for (i = 0; i < tr->nlanes; i++)
		for (j = 0; j < tr->lane[i].count; j++)
			put_event(&o, tr, &tr->lane[i], &tr->lane[i].rec[j]);
	put_other(&o, tr);
	return o.err;
}

int trace_render_json(const struct trace *tr, char **buf, size_t *len)
{
	FILE *fp = out_mem_open(buf, len);
	int rc = fp != NULL ? write_json(tr, fp) : -errno;

	return out_mem_close(fp, rc, buf, len);
}
