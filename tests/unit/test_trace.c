/* Unit tests for trace: the block and its lanes, records and drops, the
 * thread's lane, a forked child writing into a shared trace, the JSON's
 * shape, and the GIL's records under two threads. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gil.h"
#include "tap.h"
#include "trace.h"

static void test_create(void)
{
	struct trace *tr = trace_create(3, 4, false);

	ok(tr != NULL && tr->nlanes == 3 && tr->lane[2].cap == 4 &&
	   tr->lane[2].index == 2 && tr->lane[0].count == 0,
	   "trace_create: 3 lanes of 4 records, empty");
	ok(tr != NULL && tr->lane[1].rec == tr->lane[0].rec + 4,
	   "... the lanes' records follow one another in the block");
	trace_free(tr);
	errno = 0;
	ok(trace_create(0, 4, false) == NULL && errno == EINVAL,
	   "0 lanes: EINVAL");
	errno = 0;
	ok(trace_create(0, 0, false) == NULL && errno == EINVAL,
	   "0 lanes, default cap: EINVAL, no division by zero");
	tr = trace_create(2, 0, false);
	ok(tr != NULL && tr->lane[0].cap == 65536,
	   "cap 0: the default (%u)", tr ? tr->lane[0].cap : 0);
	trace_free(tr);
	trace_free(NULL);
}

static void test_records_and_drops(void)
{
	struct trace *tr = trace_create(2, 3, false);
	struct trace_lane *l;
	int i;

	if (!ok(tr != NULL, "a trace of 2 lanes of 3 records"))
		return;
	trace_lane_name(tr, 1, "worker %d", 7);
	ok(strcmp(tr->lane[1].name, "worker 7") == 0, "lane named");
	ok(trace_bind(tr, 1) == NULL && trace_self == &tr->lane[1] &&
	   tr->lane[1].pid == (long)getpid(),
	   "trace_bind: this thread's lane, with its pid");
	l = trace_self;
	trace_span(l, TRACE_JOB, 10, 20, 97, 5, TRACE_PRIME);
	trace_instant(l, TRACE_FRAME, 0, 1, 0);
	for (i = 0; i < 4; i++)
		trace_instant(l, TRACE_FRAME, 0, 2, 0);
	ok(l->count == 3 && l->dropped == 3 && trace_dropped(tr) == 3,
	   "a full lane keeps 3 records and counts 3 dropped");
	ok(l->rec[0].t0 == 10 && l->rec[0].t1 == 20 && l->rec[0].n == 97 &&
	   l->rec[0].arg == 5 && l->rec[0].kind == TRACE_JOB &&
	   l->rec[0].flags == TRACE_PRIME && l->rec[0].lane == 1,
	   "a span's fields as given");
	ok(l->rec[1].t0 == l->rec[1].t1 && l->rec[1].t0 >= 0,
	   "an instant: t0 == t1, on the trace's clock");
	ok(trace_bind(NULL, 0) == l && trace_self == NULL,
	   "trace_bind(NULL): no lane, the old one returned");
	ok(strcmp(trace_kind_name(TRACE_GIL_HOLD), "GIL held") == 0 &&
	   strcmp(trace_kind_name(TRACE_KINDS), "?") == 0 &&
	   trace_kind_is_span(TRACE_BLOCK) && !trace_kind_is_span(TRACE_FRAME),
	   "kind names; spans and instants");
	ok(sizeof(struct trace_rec) == 40, "a record is 40 bytes");
	trace_free(tr);
}

static void test_fork(void)
{
	struct trace *tr = trace_create(2, 8, true);
	int status = -1;
	pid_t pid;

	if (!ok(tr != NULL, "a shared trace"))
		return;
	pid = fork();
	if (pid == 0) {
		trace_bind(tr, 1);
		trace_span(trace_self, TRACE_JOB, 1, 2, 11, 0, TRACE_PRIME);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	ok(pid > 0 && status == 0 && tr->lane[1].count == 1 &&
	   tr->lane[1].rec[0].n == 11 && tr->lane[1].pid == (long)pid,
	   "a forked child's record and pid reach the parent");
	trace_free(tr);
}

static void test_json(void)
{
	struct trace *tr = trace_create(2, 4, false);
	char *argv[] = { "primes", "say \"hi\"\\" };
	char *buf = NULL;
	size_t len = 0;

	if (!ok(tr != NULL, "a trace for JSON"))
		return;
	trace_set_meta(tr, 2, argv);
	trace_lane_name(tr, 0, "parent");
	trace_bind(tr, 0);
	trace_span(trace_self, TRACE_JOB, 1500, 2750, 13, 3, TRACE_PRIME);
	trace_instant(trace_self, TRACE_DEATH, 5, 1234, TRACE_HAD_JOB);
	trace_bind(NULL, 0);
	ok(trace_render_json(tr, &buf, &len) == 0 && buf != NULL &&
	   len == strlen(buf), "trace_render_json");
	ok(buf && strncmp(buf, "{\"traceEvents\":[", 16) == 0 &&
	   strstr(buf, "\"displayTimeUnit\":\"ms\"") != NULL &&
	   buf[len - 2] == '}', "the object form");
	ok(buf && strstr(buf, "\"ph\":\"X\",\"ts\":1.500,\"dur\":1.250") &&
	   strstr(buf, "\"args\":{\"n\":13,\"prime\":true,\"divisors\":3}"),
	   "a job: microseconds with ns decimals, its args");
	ok(buf && strstr(buf, "\"name\":\"worker died\"") &&
	   strstr(buf, "\"ph\":\"i\""), "an instant");
	ok(buf && strstr(buf, "\"command\":\"concdemo primes say \\\"hi\\\"\\\\\""),
	   "the caption, escaped");
	ok(buf && strstr(buf, "\"thread_name\"") && strstr(buf, "\"parent\""),
	   "the lane's name as metadata");
	free(buf);
	trace_free(tr);
}

/* Two threads under the GIL: holds never overlap, each thread's records
 * on its own lane. */
struct gil_arg {
	struct gil *g;
	struct trace *tr;
	unsigned lane;
};

static void *gil_thread(void *p)
{
	struct gil_arg *a = p;
	double end = 0;
	int i;

	trace_bind(a->tr, a->lane);
	for (i = 0; i < 20; i++) {
		gil_acquire(a->g);
		for (end = trace_now() + 2e6; trace_now() < end;)
			gil_yield(a->g);
		gil_release(a->g);
	}
	return NULL;
}

static void test_gil(void)
{
	struct trace *tr = trace_create(2, 4096, false);
	struct gil g;
	struct gil_arg a[2] = { { &g, tr, 0 }, { &g, tr, 1 } };
	pthread_t th[2];
	const struct trace_rec *x, *y;
	unsigned i, j, holds = 0, bad = 0;

	if (!ok(tr != NULL && gil_init(&g, 1000) == 0, "a GIL and a trace"))
		return;
	pthread_create(&th[0], NULL, gil_thread, &a[0]);
	pthread_create(&th[1], NULL, gil_thread, &a[1]);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	gil_destroy(&g);
	for (i = 0; i < tr->lane[0].count; i++) {
		x = &tr->lane[0].rec[i];
		if (x->kind != TRACE_GIL_HOLD)
			continue;
		holds++;
		for (j = 0; j < tr->lane[1].count; j++) {
			y = &tr->lane[1].rec[j];
			if (y->kind == TRACE_GIL_HOLD && x->t0 < y->t1 &&
			    y->t0 < x->t1)
				bad++;
		}
	}
	ok(holds >= 20, "thread 0 held the GIL %u times", holds);
	ok(bad == 0, "no two threads' holds overlap (%u did)", bad);
	trace_free(tr);
}

int main(void)
{
	tap_start(30);
	test_create();
	test_records_and_drops();
	test_fork();
	test_json();
	test_gil();
	return tap_done();
}
