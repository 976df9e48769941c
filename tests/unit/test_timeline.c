/* Unit tests for timeline: synthetic runs drawn as SVG; the document is
 * well-formed (balanced tags, no stray markup), has one lane per lane up
 * to 64 and says what it left out past them, escapes every caller's
 * string, labels the jobs that fit, merges the GIL holds of a lane, and
 * is written whole through atomicfile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "tap.h"
#include "timeline.h"
#include "trace.h"

/* Occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += len;
	}
	return n;
}

/* Whether doc is one balanced element tree after an XML declaration:
 * every start tag closed in order, '&' only as one of the five entities,
 * no '<' inside a tag, attribute values quoted.  Says why not. */
static bool balanced(const char *doc)
{
	const char *stack[64], *p = doc;
	size_t lens[64], depth = 0, roots = 0;

	if (strncmp(p, "<?xml ", 6) != 0 || (p = strstr(p, "?>")) == NULL)
		return printf("# no XML declaration\n"), false;
	for (p += 2; *p != '\0'; p++) {
		if (*p == '&') {
			if (strncmp(p, "&lt;", 4) && strncmp(p, "&gt;", 4) &&
			    strncmp(p, "&amp;", 5) && strncmp(p, "&quot;", 6) &&
			    strncmp(p, "&apos;", 6))
				return printf("# stray & at %td\n", p - doc),
				       false;
			continue;
		}
		if (*p == '>')
			return printf("# stray > at %td\n", p - doc), false;
		if (*p != '<')
			continue;
		if (p[1] == '/') {
			size_t n = strcspn(p + 2, ">");

			if (depth == 0 || n != lens[depth - 1] ||
			    strncmp(p + 2, stack[depth - 1], n) != 0)
				return printf("# unbalanced </%.*s> at %td\n",
					      (int)n, p + 2, p - doc), false;
			depth--;
			p += 2 + n;
			continue;
		}
		if (depth == 0 && roots++ > 0)
			return printf("# a second root at %td\n", p - doc),
			       false;
		{
			const char *name = p + 1, *q = name;
			bool quoted = false;

			q += strcspn(q, " />");
			if (q == name)
				return printf("# empty tag at %td\n", p - doc),
				       false;
			for (; *q != '\0' && (quoted || *q != '>'); q++) {
				if (*q == '"')
					quoted = !quoted;
				else if (*q == '<')
					return printf("# < inside a tag at "
						      "%td\n", q - doc), false;
			}
			if (*q != '>')
				return printf("# unclosed tag\n"), false;
			if (q[-1] != '/') {
				if (depth == 64)
					return printf("# too deep\n"), false;
				stack[depth] = name;
				lens[depth++] = strcspn(name, " />");
			}
			p = q;
		}
	}
	if (depth != 0 || roots != 1)
		return printf("# %zu open at the end, %zu roots\n", depth,
			      roots), false;
	return true;
}

static char *render(const struct timeline *t)
{
	char *buf;
	size_t len;
	int rc = timeline_render(t, &buf, &len);

	if (rc != 0) {
		printf("# timeline_render: %d\n", rc);
		return NULL;
	}
	if (strlen(buf) != len)
		printf("# length %zu, strlen %zu\n", len, strlen(buf));
	return buf;
}

/* Two threads under the GIL and a spinner: every kind once or more. */
static const char *const names3[] = { "thread 0", "thread 1", "spinner" };
static const struct timeline_item items3[] = {
	{ TIMELINE_SPAN, 2, 0.0, 2.0, 0, false, false, 0, "slow()" },
	{ TIMELINE_JOB, 0, 0.0, 1.5, 9999999999999917, true, false, 0, NULL },
	{ TIMELINE_JOB, 1, 0.2, 0.2001, 12, false, false, 0, NULL },
	{ TIMELINE_GIL, 0, 0.0, 0.5, 0, false, false, 0, NULL },
	{ TIMELINE_GIL, 1, 0.5, 1.0, 0, false, false, 0, NULL },
	{ TIMELINE_GIL, 0, 1.0, 1.5, 0, false, false, 0, NULL },
	{ TIMELINE_FRAME, 2, 0.1, 0.1, 0, false, false, 0, NULL },
	{ TIMELINE_FRAME, 2, 0.2, 0.2, 0, false, false, 0, NULL },
	{ TIMELINE_MARK, 0, 0.5, 0.5, 0, false, false, 0, "drop request" },
	{ TIMELINE_DEATH, 1, 1.7, 1.7, 77, false, false, 0, "killed by signal 9" },
};

static void base(struct timeline *t)
{
	memset(t, 0, sizeof(*t));
	t->title = "primes --threads=2 --gil";
	t->command = "concdemo primes --threads=2 --gil";
	t->cpu = "Test CPU";
	t->date = "2026-11-29 12:00";
	t->lanes = names3;
	t->nlanes = 3;
	t->items = items3;
	t->count = sizeof(items3) / sizeof(items3[0]);
}

/* The base timeline with these lanes and items instead. */
static void base_with(struct timeline *t, const char *const *lanes,
		      unsigned nlanes, const struct timeline_item *items,
		      size_t count)
{
	base(t);
	t->lanes = lanes;
	t->nlanes = nlanes;
	t->items = items;
	t->count = count;
}

/* t rendered, and checked well-formed as test desc; NULL if it failed. */
static char *render_checked(const struct timeline *t, const char *desc)
{
	char *svg = render(t);

	ok(svg != NULL && balanced(svg), "%s", desc);
	return svg;
}

static void test_kinds(void)
{
	struct timeline t;
	char *svg;

	base(&t);
	svg = render_checked(&t, "well-formed: balanced tags");
	if (svg == NULL)
		return;
	ok(count(svg, "class=\"lane\"") == 3, "one name per lane (%zu)",
	   count(svg, "class=\"lane\""));
	ok(count(svg, "<rect class=\"prime\"") == 1 &&
	   count(svg, "<rect class=\"composite\"") == 1,
	   "a bar per job, coloured by verdict");
	ok(strstr(svg, ">9999999999999917</text>") != NULL,
	   "a long job is labelled with its number");
	ok(strstr(svg, ">12</text>") == NULL,
	   "a job too short for its number is not labelled");
	ok(strstr(svg, "<title>12: composite, ") != NULL,
	   "but its tooltip names it");
	ok(count(svg, "<path class=\"death\"") == 1 &&
	   count(svg, "<path class=\"mark\"") == 1 &&
	   strstr(svg, "killed by signal 9 (77) at 1.700000 s") != NULL,
	   "a death and a mark, with their tooltips");
	ok(strstr(svg, ">slow()</text>") != NULL, "the span named");
	ok(strstr(svg, ">holds the GIL</text>") != NULL &&
	   strstr(svg, ">spinner frame</text>") != NULL &&
	   strstr(svg, ">worker died</text>") != NULL,
	   "the legend names the kinds present");
	ok(strstr(svg, "$ concdemo primes --threads=2 --gil</text>") != NULL &&
	   strstr(svg, "CPU: Test CPU; 2026-11-29 12:00</text>") != NULL,
	   "the caption: command line, CPU, date");
	ok(strstr(svg, "<title>primes --threads=2 --gil</title>") != NULL,
	   "the document's title");
	ok(strstr(svg, "lanes drawn") == NULL &&
	   strstr(svg, "dropped") == NULL, "nothing said left out");
	free(svg);
}

static void test_legend_only_present(void)
{
	static const struct timeline_item one[] = {
		{ TIMELINE_JOB, 0, 0.0, 0.1, 7, true, false, 0, NULL },
	}, cut[] = {
		{ TIMELINE_JOB, 0, 0.0, 0.1, 7, false, true, 0, NULL },
	};
	struct timeline t;
	char *svg;

	base(&t);
	t.items = one;
	t.count = 1;
	svg = render(&t);
	ok(svg != NULL && strstr(svg, ">prime</text>") != NULL &&
	   strstr(svg, ">holds the GIL<") == NULL &&
	   strstr(svg, ">spinner frame<") == NULL &&
	   strstr(svg, ">cut short<") == NULL,
	   "a run of jobs only: no GIL or frame in the legend");
	free(svg);
	t.items = cut;
	svg = render(&t);
	ok(svg != NULL && strstr(svg, "<rect class=\"stopped\"") != NULL &&
	   strstr(svg, "<title>7: stopped,") != NULL &&
	   strstr(svg, ">cut short</text>") != NULL,
	   "a job cut short by a stop: grey, said so, in the legend");
	free(svg);
}

static void test_escaped(void)
{
	static const char *const names[] = { "a<b&c\"", NULL };
	static const struct timeline_item it[] = {
		{ TIMELINE_SPAN, 0, 0.0, 1.0, 0, false, false, 0, "x</text><y>" },
		{ TIMELINE_MARK, 1, 0.5, 0.5, 0, false, false, 0, "'&'" },
	};
	struct timeline t;
	char *svg;

	base_with(&t, names, 2, it, 2);
	t.title = "<svg>";
	t.command = "concdemo primes '<script>&amp;'";
	t.cpu = "\x01" "cpu";
	t.date = NULL;
	svg = render_checked(&t, "hostile strings: still well-formed");
	if (svg == NULL)
		return;
	ok(strstr(svg, ">a&lt;b&amp;c&quot;</text>") != NULL,
	   "a lane's name escaped");
	ok(strstr(svg, ">?</text>") != NULL, "a NULL name as '?'");
	ok(strstr(svg, "<title>x&lt;/text&gt;&lt;y&gt;</title>") != NULL,
	   "a span's label escaped");
	ok(strstr(svg, "&apos;&amp;&apos; at 0.500000 s") != NULL,
	   "a mark's label escaped");
	ok(strstr(svg, "&lt;script&gt;&amp;amp;") != NULL &&
	   strstr(svg, "<title>&lt;svg&gt;</title>") != NULL,
	   "command line and title escaped");
	ok(strstr(svg, "CPU: ?cpu; ?</text>") != NULL,
	   "a control character and a NULL date as '?'");
	free(svg);
}

static void test_clipped(void)
{
	static const char *names[100];
	static char buf[100][16];
	static struct timeline_item it[201];
	struct timeline_omitted om;
	struct timeline t;
	char *svg;
	unsigned i;

	for (i = 0; i < 100; i++) {
		snprintf(buf[i], sizeof(buf[i]), "worker %u", i);
		names[i] = buf[i];
		it[2 * i].kind = TIMELINE_JOB;
		it[2 * i].lane = i;
		it[2 * i].t0 = i * 0.01;
		it[2 * i].t1 = i * 0.01 + 0.5;
		it[2 * i].n = 1000 + i;
		it[2 * i + 1].kind = TIMELINE_FRAME;
		it[2 * i + 1].lane = i;
		it[2 * i + 1].t0 = 0.3;
	}
	/* not drawable: a negative start, counted as left out */
	it[200].kind = TIMELINE_JOB;
	it[200].t0 = -1;
	it[200].t1 = 1;
	base_with(&t, names, 100, it, 201);
	timeline_omitted(&t, &om);
	ok(om.lanes == 36 && om.items == 36 * 2 + 1,
	   "omitted: 36 lanes, their 72 items and the bad one (%u, %zu)",
	   om.lanes, om.items);
	svg = render_checked(&t, "100 lanes: well-formed");
	if (svg == NULL)
		return;
	ok(count(svg, "class=\"lane\"") == TIMELINE_MAX_LANES,
	   "64 lanes drawn (%zu)", count(svg, "class=\"lane\""));
	ok(strstr(svg, ">worker 63</text>") != NULL &&
	   strstr(svg, ">worker 64</text>") == NULL, "the first 64");
	ok(count(svg, "<rect class=\"composite\"") +
	   count(svg, "<rect class=\"prime\"") == 64, "their jobs only");
	ok(strstr(svg, ">64 of 100 lanes drawn; left out: 36 lanes and 73 "
		  "events</text>") != NULL, "the picture says what it left out");
	free(svg);
}

static void test_gil_merged(void)
{
	static struct timeline_item it[2000];
	static const char *const names[] = { "t0", "t1" };
	struct timeline t;
	char *svg, *g, *end;
	unsigned i;

	/* 1000 holds of 1 ms, turn about, over 2 s: on a 830 px axis a hold
	 * is 0.4 px, so each lane's holds merge into one strip */
	for (i = 0; i < 2000; i++) {
		it[i].kind = TIMELINE_GIL;
		it[i].lane = i % 2;
		it[i].t0 = i * 0.001;
		it[i].t1 = i * 0.001 + 0.001;
	}
	base_with(&t, names, 2, it, 2000);
	t.dropped = 5;
	svg = render(&t);
	if (svg == NULL) {
		ok(false, "rendered");
		return;
	}
	g = strstr(svg, "<g class=\"gil\"");
	end = g != NULL ? strstr(g, "</g>") : NULL;
	if (end != NULL)
		*end = '\0';
	ok(g != NULL && count(g, "<rect") == 2,
	   "2000 short holds: one strip per lane (%zu)",
	   g != NULL ? count(g, "<rect") : 0);
	if (end != NULL)
		*end = '<';
	ok(strstr(svg, ">5 events dropped by the recorder (a full "
		  "buffer)</text>") != NULL, "dropped events said");
	ok(strlen(svg) < 20000, "small (%zu bytes)", strlen(svg));
	free(svg);
}

/* A coroutine's steps: thousands, merged; the depths' bands. */
static void test_spans(void)
{
	static struct timeline_item it[2002];
	static const char *const names[] = { "event loop" };
	struct timeline t;
	char *svg;
	unsigned i;

	it[0].kind = TIMELINE_SPAN;
	it[0].t1 = 2.0;
	it[0].label = "slow()";
	for (i = 1; i <= 2000; i++) {
		it[i].kind = TIMELINE_SPAN;
		it[i].depth = 1;
		it[i].t0 = i * 0.0005;
		it[i].t1 = i * 0.0005 + 0.0004;
		it[i].label = "step";
	}
	it[2001].kind = TIMELINE_SPAN;
	it[2001].depth = 7;	/* drawn as 2 */
	it[2001].t0 = 1.2;
	it[2001].t1 = 1.9;
	it[2001].label = "blocking call";
	base_with(&t, names, 1, it, 2002);
	svg = render_checked(&t, "spans: well-formed");
	if (svg == NULL)
		return;
	ok(count(svg, "<rect class=\"span\"") == 3 &&
	   strstr(svg, "<title>step (2000 of them)</title>") != NULL,
	   "2000 steps, half a millisecond apart: one band (%zu boxes)",
	   count(svg, "<rect class=\"span\""));
	ok(strstr(svg, ">slow()</text>") != NULL &&
	   strstr(svg, ">step</text>") != NULL &&
	   strstr(svg, ">blocking call</text>") != NULL,
	   "the legend names the spans of each depth");
	free(svg);
}

static void test_edges(void)
{
	struct timeline t;
	char *svg, *buf;
	size_t len;
	char cmd[400];

	ok(timeline_write(NULL, stdout) == -EINVAL, "NULL: -EINVAL");
	base(&t);
	t.items = NULL;
	ok(timeline_render(&t, &buf, &len) == -EINVAL && buf == NULL,
	   "items NULL with a count: -EINVAL, no buffer");
	memset(&t, 0, sizeof(t));
	svg = render_checked(&t, "an empty timeline: well-formed");
	free(svg);
	base(&t);
	memset(cmd, 'x', sizeof(cmd) - 1);
	cmd[sizeof(cmd) - 1] = '\0';
	memcpy(cmd + 148, "\xC3\xA9\xC3\xA9", 4);
	t.command = cmd;
	svg = render(&t);
	ok(svg != NULL && strstr(svg, "xx\xC3\xA9\xE2\x80\xA6</text>") != NULL,
	   "a long command line cut on a character, with an ellipsis");
	free(svg);
}

static void test_commit(void)
{
	char dir[] = "/tmp/test_timeline.XXXXXX", path[64], head[6] = "";
	struct atomicfile f;
	struct timeline t;
	FILE *fp;

	if (mkdtemp(dir) == NULL) {
		skip_ok("no temporary folder", "written through atomicfile");
		return;
	}
	snprintf(path, sizeof(path), "%s/t.svg", dir);
	base(&t);
	ok(atomicfile_open(&f, path) == 0 && timeline_commit(&t, &f) == 0,
	   "committed");
	fp = fopen(path, "r");
	ok(fp != NULL && fread(head, 1, 5, fp) == 5 &&
	   strcmp(head, "<?xml") == 0, "the file is there, whole");
	if (fp != NULL)
		fclose(fp);
	unlink(path);
	rmdir(dir);
}

/* A whole file's text (malloc'ed), NULL if unreadable. */
static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;

	if (fp != NULL) {
		buf = calloc(1, 1 << 16);
		if (buf != NULL && fread(buf, 1, (1 << 16) - 1, fp) == 0) {
			free(buf);
			buf = NULL;
		}
		fclose(fp);
	}
	return buf;
}

/* A trace made by hand, as the hooks would fill it. */
static void test_from_trace(void)
{
	char dir[] = "/tmp/test_timeline.XXXXXX", path[64];
	struct atomicfile f;
	struct trace *tr = trace_create(3, 4, false);
	char *svg;
	int rc;

	if (tr == NULL || mkdtemp(dir) == NULL) {
		ok(false, "trace_create and a temporary folder");
		trace_free(tr);
		return;
	}
	strcpy(tr->meta.command, "concdemo primes --threads=2 --gil "
	       "--timeline=/x/t.svg --trace=t.json 7 <9>");
	strcpy(tr->meta.cpu, "Hand CPU");
	strcpy(tr->meta.date, "2026-11-29T12:00:00+00:00");
	trace_lane_name(tr, 0, "parent");
	trace_lane_name(tr, 1, "thread %d", 0);
	trace_lane_name(tr, 2, "thread %d", 1);
	trace_span(&tr->lane[1], TRACE_JOB, 0, 500000000, 7, 2, TRACE_PRIME);
	trace_span(&tr->lane[1], TRACE_GIL_HOLD, 0, 500000000, 0, 0, 0);
	trace_span(&tr->lane[2], TRACE_GIL_WAIT, 0, 500000000, 0, 0, 0);
	trace_span(&tr->lane[2], TRACE_GIL_DROP_REQUEST, 5000000, 5000000, 0,
		   0, 0);
	trace_span(&tr->lane[2], TRACE_JOB, 500000000, 900000000, 9, 3, 0);
	trace_span(&tr->lane[0], TRACE_RESULT, 500000000, 500001000, 0, 1, 0);
	trace_span(&tr->lane[0], TRACE_DEATH, 600000000, 600000000, 9, 123,
		   TRACE_HAD_JOB);
	trace_span(&tr->lane[0], TRACE_RERUN, 600000000, 600000000, 9, 124, 0);
	trace_span(&tr->lane[0], TRACE_FRAME, 700000000, 700000000, 0, 1, 0);
	trace_span(&tr->lane[0], TRACE_FRAME, 800000000, 800000000, 0, 2, 0);
	snprintf(path, sizeof(path), "%s/t.svg", dir);
	rc = atomicfile_open(&f, path);
	if (rc == 0)
		rc = timeline_commit_trace(tr, &f);
	ok(rc == 0, "a trace committed (%d)", rc);
	svg = slurp(path);
	ok(svg != NULL && balanced(svg), "well-formed");
	if (svg != NULL) {
		ok(count(svg, "class=\"lane\"") == 3 &&
		   strstr(svg, ">thread 1</text>") != NULL,
		   "its lanes, named");
		ok(count(svg, "<rect class=\"prime\"") == 1 &&
		   count(svg, "<rect class=\"composite\"") == 1,
		   "its jobs, by verdict");
		ok(strstr(svg, "<title>primes --threads=2 --gil 7 &lt;9&gt;"
			  "</title>") != NULL, "titled by its command line, "
		   "less the files it writes");
		ok(strstr(svg, "$ concdemo primes --threads=2 --gil "
			  "--timeline=/x/t.svg --trace=t.json 7 &lt;9&gt;") !=
		   NULL, "the caption: the whole command line");
		ok(strstr(svg, "worker died (9) at 0.600000 s") != NULL &&
		   strstr(svg, "job re-run (9) at") != NULL,
		   "the death and the re-run");
		ok(strstr(svg, "drop request") == NULL &&
		   strstr(svg, "GIL wait") == NULL,
		   "GIL waits and drop requests not drawn");
		ok(strstr(svg, ">1 event dropped by the recorder") != NULL,
		   "the fifth record of a 4-record lane: dropped, said");
	}
	free(svg);
	unlink(path);
	rmdir(dir);
	trace_free(tr);
}

int main(void)
{
	tap_start(30);
	test_kinds();
	test_legend_only_present();
	test_escaped();
	test_clipped();
	test_gil_merged();
	test_spans();
	test_edges();
	test_commit();
	test_from_trace();
	return tap_done();
}
