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

	if (lanes == 0 || cap == 0 ||
	    (SIZE_MAX - head) / sizeof(struct trace_rec) / lanes < cap) {
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
	tr->start = trace_start = plat_now();
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

int trace_render_json(const struct trace *tr, char **buf, size_t *len)
{
	(void)tr;
	*buf = NULL;
	*len = 0;
	return -ENOSYS;
}
