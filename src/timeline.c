/*
 * timeline: a run's events as an SVG (timeline.h).
 *
 * The page, top to bottom: the heading, the lanes (a name at the left, a
 * band per lane, time running right), the time axis in seconds, the
 * legend (only the kinds the run has), a note of what was left out or
 * dropped, and the caption.  Inside a lane, back to front: spans as
 * bands (slow() pale over the lane, a task's step grey inside it, a
 * blocking call dark inside that; named in the legend), job bars in the
 * middle, the GIL strip at the foot, frame ticks at the top, marks and
 * deaths over everything.
 *
 * GIL holds and a coroutine's steps come by the hundred per second, so
 * those of a lane less than half a pixel apart are drawn as one band: the
 * file stays small and the picture the same.  No libm: times are
 * checked by hand.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "out.h"
#include "svg.h"
#include "timeline.h"
#include "trace.h"

/* The page, in SVG user units (px). */
#define W 1000
#define LEFT 150.0		/* lane names end here; time 0 */
#define RIGHT 980.0		/* the run's end */
#define TOP 62.0		/* the first lane */
#define LANE_H 22.0
#define FOOT 118.0		/* axis, legend, caption below the lanes */
#define NOTE_H 18.0		/* one line of notes */
#define CMD_MAX 150		/* bytes of the command line shown */
#define TITLE_MAX 80		/* bytes of the heading (a trace's) */
#define KINDS 6			/* enum timeline_kind */
#define SPAN_DEPTHS 3		/* bands of spans, outer to inner */

#define C_PRIME "#2ca02c"
#define C_COMPOSITE "#1f77b4"
#define C_STOPPED "#7f7f7f"
#define C_GIL "#ff7f0e"
#define C_SPAN "#d9d9d9"
#define C_STEP "#a6a6a6"
#define C_BLOCK "#4d4d4d"
#define C_FRAME "#9467bd"
#define C_DEATH "#d62728"
#define C_MARK "#8c564b"
#define C_GRID "#e3e3e3"
#define C_STRIPE "#f6f6f6"
#define C_TEXT "#222222"
#define C_DIM "#555555"

#define FONT "DejaVu Sans, Helvetica, Arial, sans-serif"

struct page {
	unsigned lanes;		/* drawn */
	double end;		/* seconds at RIGHT */
	double step;		/* between time ticks */
	int decimals;		/* of the tick labels */
	double bottom;		/* y below the last lane */
	struct timeline_omitted om;
	bool has[KINDS];		/* kinds present, by enum timeline_kind */
	bool stopped;			/* a job cut short */
	/* per span depth: up to 3 of its labels, for the legend */
	const char *names[SPAN_DEPTHS][3];
	unsigned nnames[SPAN_DEPTHS];
	bool depth[SPAN_DEPTHS];	/* spans of that depth drawn */
};

static bool usable_time(double x)
{
	return x == x && x >= 0 && x <= 1e9;	/* x == x: not NaN */
}

/* Is an item of kind k an instant (its t1 unused)? */
static bool is_instant(enum timeline_kind k)
{
	return k == TIMELINE_FRAME || k == TIMELINE_DEATH ||
	       k == TIMELINE_MARK;
}

/* Whether item it is drawn on a picture of `lanes` lanes. */
static bool drawable(const struct timeline_item *it, unsigned lanes)
{
	if (it->lane >= lanes || !usable_time(it->t0))
		return false;
	return is_instant(it->kind) || usable_time(it->t1);
}

static unsigned drawn_lanes(const struct timeline *t)
{
	return t->nlanes < TIMELINE_MAX_LANES ? t->nlanes : TIMELINE_MAX_LANES;
}

void timeline_omitted(const struct timeline *t, struct timeline_omitted *om)
{
	unsigned lanes = drawn_lanes(t);
	size_t i;

	om->lanes = t->nlanes - lanes;
	om->items = 0;
	for (i = 0; i < t->count; i++)
		if (!drawable(&t->items[i], lanes))
			om->items++;
}

/* The end of an item in seconds (its start for instants). */
static double item_end(const struct timeline_item *it)
{
	if (is_instant(it->kind) || it->t1 < it->t0)
		return it->t0;
	return it->t1;
}

/* The spans of one depth: a band, lighter and taller the shallower. */
static const struct {
	const char *fill;
	double top, height;	/* within the lane */
} band[SPAN_DEPTHS] = {
	{ "fill=\"" C_SPAN "\"", 1, LANE_H - 2 },
	{ "fill=\"" C_STEP "\"", 5, LANE_H - 10 },
	{ "fill=\"" C_BLOCK "\"", 8, LANE_H - 16 },
};

static unsigned depth_of(const struct timeline_item *it)
{
	return it->depth < SPAN_DEPTHS ? it->depth : SPAN_DEPTHS - 1;
}

/* Keep a span's label for the legend, once, up to 3 a depth. */
static void note_span(struct page *p, const struct timeline_item *it)
{
	unsigned d = depth_of(it), i;

	p->depth[d] = true;
	if (it->label == NULL)
		return;
	for (i = 0; i < p->nnames[d]; i++)
		if (strcmp(p->names[d][i], it->label) == 0)
			return;
	if (p->nnames[d] < 3)
		p->names[d][p->nnames[d]++] = it->label;
}

static void plan(const struct timeline *t, struct page *p)
{
	double end = t->end > 0 && usable_time(t->end) ? t->end : 0;
	unsigned ticks;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->lanes = drawn_lanes(t);
	p->om.lanes = t->nlanes - p->lanes;	/* as timeline_omitted */
	for (i = 0; i < t->count; i++) {
		const struct timeline_item *it = &t->items[i];

		if (!drawable(it, p->lanes)) {
			p->om.items++;
			continue;
		}
		if ((unsigned)it->kind < KINDS)
			p->has[it->kind] = true;
		if (it->kind == TIMELINE_JOB && it->stopped)
			p->stopped = true;
		if (it->kind == TIMELINE_SPAN)
			note_span(p, it);
		if (item_end(it) > end)
			end = item_end(it);
	}
	if (end <= 0)
		end = 1e-3;
	p->step = svg_nice_step(end / 8, &p->decimals);
	ticks = (unsigned)(end / p->step);
	if (ticks * p->step < end * (1 - 1e-9))
		ticks++;
	p->end = ticks * p->step;
	p->bottom = TOP + p->lanes * LANE_H;
}

static double xpos(const struct page *p, double s)
{
	if (s > p->end)
		s = p->end;
	return LEFT + s / p->end * (RIGHT - LEFT);
}

static double lane_y(unsigned lane)
{
	return TOP + lane * LANE_H;
}

/* ---- the frame: lanes, names, time axis ---- */

static void draw_lanes(struct out *o, const struct timeline *t,
		       const struct page *p)
{
	unsigned i;

	svg_group(o, "class=\"stripes\" fill=\"" C_STRIPE "\"");
	for (i = 0; i < p->lanes; i += 2)
		svg_rect(o, LEFT, lane_y(i), RIGHT - LEFT, LANE_H, NULL);
	svg_group_end(o);
	svg_group(o, "class=\"names\" font-size=\"12\" text-anchor=\"end\" "
		  "fill=\"" C_TEXT "\"");
	for (i = 0; i < p->lanes; i++)
		svg_text(o, LEFT - 8, lane_y(i) + LANE_H / 2 + 4,
			 "class=\"lane\"", t->lanes[i]);
	svg_group_end(o);
}

static void draw_axis(struct out *o, const struct page *p)
{
	char label[32];
	double s;
	unsigned i;

	svg_group(o, "class=\"grid\" stroke=\"" C_GRID "\" stroke-width=\"1\"");
	for (i = 0; (s = i * p->step) <= p->end * (1 + 1e-9); i++)
		svg_line(o, NULL, xpos(p, s), TOP, xpos(p, s), p->bottom, NULL);
	svg_group_end(o);
	svg_group(o, "class=\"ticks\" font-size=\"11\" text-anchor=\"middle\" "
		  "fill=\"" C_TEXT "\" stroke=\"" C_TEXT "\"");
	svg_line(o, NULL, LEFT, p->bottom, RIGHT, p->bottom, NULL);
	for (i = 0; (s = i * p->step) <= p->end * (1 + 1e-9); i++) {
		svg_line(o, NULL, xpos(p, s), p->bottom, xpos(p, s),
			 p->bottom + 5, NULL);
		snprintf(label, sizeof(label), "%.*f", p->decimals, s);
		svg_text(o, xpos(p, s), p->bottom + 18, "stroke=\"none\"",
			 label);
	}
	svg_group_end(o);
	svg_text(o, (LEFT + RIGHT) / 2, p->bottom + 34, "font-size=\"12\" "
		 "text-anchor=\"middle\" fill=\"" C_TEXT "\"", "seconds");
}

/* ---- the items ---- */

/* A band's width: at least 0.8 px, so that a short item still shows. */
static double min_w(double w)
{
	return w < 0.8 ? 0.8 : w;
}

/* A run of items of one lane (spans: of one depth and label), merged. */
struct run {
	double x0, x1;		/* x1 < 0: none */
	const char *label;
	size_t n;
};

/* Does an item starting at x = a join the run (less than half a pixel
 * past its end)? */
static bool run_near(const struct run *r, double a)
{
	return r->x1 >= 0 && a >= r->x0 && a <= r->x1 + 0.5;
}

/* The item from a to b joins the run. */
static void run_grow(struct run *r, double b)
{
	if (b > r->x1)
		r->x1 = b;
	r->n++;
}

/* A new run of one item, from a to b. */
static void run_start(struct run *r, double a, double b, const char *label)
{
	r->x0 = a;
	r->x1 = b;
	r->label = label;
	r->n = 1;
}

static void flush_run(struct out *o, struct run *r, unsigned lane,
		      unsigned d)
{
	char tip[96];
	const char *label;
	double w;

	if (r->x1 < 0)		/* none (x0 and label unset) */
		return;
	label = r->label != NULL ? r->label : "span";
	w = min_w(r->x1 - r->x0);
	if (r->n > 1)
		snprintf(tip, sizeof(tip), "%.60s (%zu of them)", label, r->n);
	else
		snprintf(tip, sizeof(tip), "%.60s", label);
	/* (named in the legend and the tooltip: a name inside would be
	 * covered by the deeper bands) */
	svg_box(o, "span", r->x0, lane_y(lane) + band[d].top, w,
		band[d].height, band[d].fill, tip);
	r->x1 = -1;
}

static bool same_label(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Spans, shallow first; on a lane, spans of one label less than half a
 * pixel apart are one band (a coroutine's thousands of steps). */
static void draw_spans(struct out *o, const struct timeline *t,
		       const struct page *p)
{
	struct run r[TIMELINE_MAX_LANES];
	unsigned d, l;
	size_t i;

	svg_group(o, "class=\"spans\"");
	for (d = 0; d < SPAN_DEPTHS; d++) {
		for (l = 0; l < p->lanes; l++)
			r[l].x1 = -1;
		for (i = 0; i < t->count; i++) {
			const struct timeline_item *it = &t->items[i];
			double a, b;

			if (it->kind != TIMELINE_SPAN || depth_of(it) != d ||
			    !drawable(it, p->lanes))
				continue;
			l = it->lane;
			a = xpos(p, it->t0);
			b = xpos(p, item_end(it));
			if (run_near(&r[l], a) &&
			    same_label(it->label, r[l].label)) {
				run_grow(&r[l], b);
				continue;
			}
			flush_run(o, &r[l], l, d);
			run_start(&r[l], a, b, it->label);
		}
		for (l = 0; l < p->lanes; l++)
			flush_run(o, &r[l], l, d);
	}
	svg_group_end(o);
}

/* A job: a bar, its tooltip, and its number inside if it fits. */
static void draw_job(struct out *o, const struct page *p,
		     const struct timeline_item *it)
{
	char tip[96], num[24];
	double x0 = xpos(p, it->t0), x1 = xpos(p, item_end(it));
	double w = min_w(x1 - x0), y = lane_y(it->lane);
	int len;
	const char *verdict = it->stopped ? "stopped" : it->prime ? "prime" :
			      "composite";
	const char *fill = it->stopped ? "fill=\"" C_STOPPED "\"" :
			   it->prime ? "fill=\"" C_PRIME "\"" :
			   "fill=\"" C_COMPOSITE "\"";

	len = snprintf(num, sizeof(num), "%" PRIu64, it->n);
	snprintf(tip, sizeof(tip), "%s: %s, %.6f s from %.6f s", num,
		 verdict, item_end(it) - it->t0, it->t0);
	svg_box(o, verdict, x0, y + 4, w, LANE_H - 10, fill, tip);
	/* DejaVu Sans digits are 0.64 em wide: 6.4 px at 10 px. */
	if (len * 6.4 + 4 <= w)
		svg_text(o, x0 + w / 2, y + LANE_H / 2 + 2, "stroke=\"none\"",
			 num);
}

static void draw_jobs(struct out *o, const struct timeline *t,
		      const struct page *p)
{
	size_t i;

	/* (a white edge parts two jobs of one verdict back to back) */
	svg_group(o, "class=\"jobs\" font-size=\"10\" text-anchor=\"middle\" "
		  "fill=\"white\" stroke=\"white\" stroke-width=\"0.5\"");
	for (i = 0; i < t->count; i++)
		if (t->items[i].kind == TIMELINE_JOB &&
		    drawable(&t->items[i], p->lanes))
			draw_job(o, p, &t->items[i]);
	svg_group_end(o);
}

/* One GIL strip: a run of holds of one lane. */
static void flush_gil(struct out *o, struct run *r, unsigned lane)
{
	if (r->x1 < 0)
		return;
	svg_rect(o, r->x0, lane_y(lane) + LANE_H - 5, min_w(r->x1 - r->x0), 4,
		 NULL);
	r->x1 = -1;
}

/* The GIL strips: per lane, holds less than half a pixel apart merge. */
static void draw_gil(struct out *o, const struct timeline *t,
		     const struct page *p)
{
	struct run r[TIMELINE_MAX_LANES];
	unsigned l;
	size_t i;

	for (l = 0; l < p->lanes; l++)
		r[l].x1 = -1;
	svg_group(o, "class=\"gil\" fill=\"" C_GIL "\"");
	for (i = 0; i < t->count; i++) {
		const struct timeline_item *it = &t->items[i];
		double a, b;

		if (it->kind != TIMELINE_GIL || !drawable(it, p->lanes))
			continue;
		l = it->lane;
		a = xpos(p, it->t0);
		b = xpos(p, item_end(it));
		if (run_near(&r[l], a)) {
			run_grow(&r[l], b);
			continue;
		}
		flush_gil(o, &r[l], l);
		run_start(&r[l], a, b, NULL);
	}
	for (l = 0; l < p->lanes; l++)
		flush_gil(o, &r[l], l);
	svg_group_end(o);
}

/* The tooltip of an instant: its label, its number, its time. */
static void instant_tip(const struct timeline_item *it, char *buf,
			size_t size)
{
	int n = snprintf(buf, size, "%s", it->label != NULL ? it->label :
			 it->kind == TIMELINE_DEATH ? "death" : "mark");

	if (n > 0 && (size_t)n < size && it->n != 0)
		n += snprintf(buf + n, size - (size_t)n, " (%" PRIu64 ")",
			      it->n);
	if (n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " at %.6f s", it->t0);
}

/* Frames: a tick at the top of the lane.  Marks: a small triangle.
 * Deaths: a red cross over the lane. */
static void draw_instants(struct out *o, const struct timeline *t,
			  const struct page *p)
{
	char tip[160];
	size_t i;

	svg_group(o, "class=\"frames\" stroke=\"" C_FRAME "\" "
		  "stroke-width=\"1.5\"");
	for (i = 0; i < t->count; i++) {
		const struct timeline_item *it = &t->items[i];

		if (it->kind == TIMELINE_FRAME && drawable(it, p->lanes))
			svg_line(o, NULL, xpos(p, it->t0), lane_y(it->lane) + 1,
				 xpos(p, it->t0), lane_y(it->lane) + 8, NULL);
	}
	svg_group_end(o);
	for (i = 0; i < t->count; i++) {
		const struct timeline_item *it = &t->items[i];
		double x = xpos(p, it->t0), y = lane_y(it->lane);

		if ((it->kind != TIMELINE_MARK && it->kind != TIMELINE_DEATH) ||
		    !drawable(it, p->lanes))
			continue;
		instant_tip(it, tip, sizeof(tip));
		if (it->kind == TIMELINE_MARK)
			svg_path(o, "mark", "fill=\"" C_MARK "\"",
				 "M%.1f %.1fl-3.5 -6h7z", x, y + LANE_H - 1);
		else
			svg_path(o, "death", "stroke=\"" C_DEATH "\" "
				 "stroke-width=\"2.5\" fill=\"none\"",
				 "M%.1f %.1fl10 14M%.1f %.1fl-10 14", x - 5,
				 y + 4, x + 5, y + 4);
		/* (the path's tooltip as a separate titled box: paths
		 * here take no title) */
		svg_box(o, NULL, x - 5, y + 2, 10, LANE_H - 4,
			"fill=\"none\" pointer-events=\"all\"", tip);
	}
}

/* ---- legend, notes, caption ---- */

/* A legend entry at x: a swatch of the kind (of a job: its fill
 * attribute) and its name; the next x. */
static double legend_item(struct out *o, double x, double y,
			  enum timeline_kind k, const char *fill,
			  const char *name)
{
	switch (k) {
	case TIMELINE_JOB:
		svg_rect(o, x, y - 9, 18, 12, fill);
		break;
	case TIMELINE_GIL:
		svg_rect(o, x, y - 1, 18, 4, "fill=\"" C_GIL "\"");
		break;
	case TIMELINE_SPAN:
		svg_rect(o, x, y - 10, 18, 14, fill);
		break;
	case TIMELINE_FRAME:
		svg_line(o, NULL, x + 9, y - 10, x + 9, y - 3, "stroke=\""
			 C_FRAME "\" stroke-width=\"1.5\"");
		break;
	case TIMELINE_DEATH:
		svg_path(o, NULL, "stroke=\"" C_DEATH "\" stroke-width=\"2.5\" "
			 "fill=\"none\"", "M%.1f %.1fl8 11M%.1f %.1fl-8 11",
			 x + 5, y - 9, x + 13, y - 9);
		break;
	case TIMELINE_MARK:
		svg_path(o, NULL, "fill=\"" C_MARK "\"",
			 "M%.1f %.1fl-3.5 -6h7z", x + 9, y + 2);
		break;
	}
	svg_text(o, x + 24, y + 2, "", name);
	return x + 24 + strlen(name) * 6.5 + 22;
}

/* The labels of the spans of depth d, "a, b, c", or "span". */
static void span_names(const struct page *p, unsigned d, char *buf,
		       size_t size)
{
	size_t len = 0;
	unsigned i;

	snprintf(buf, size, "%s", p->nnames[d] ? "" : "span");
	for (i = 0; i < p->nnames[d] && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%.40s",
					i ? ", " : "", p->names[d][i]);
}

static void draw_legend(struct out *o, const struct page *p)
{
	double x = LEFT, y = p->bottom + 58;
	char names[160];
	unsigned d;

	svg_group(o, "class=\"legend\" font-size=\"12\" fill=\"" C_TEXT "\"");
	if (p->has[TIMELINE_JOB]) {
		x = legend_item(o, x, y, TIMELINE_JOB,
				"fill=\"" C_PRIME "\"", "prime");
		x = legend_item(o, x, y, TIMELINE_JOB,
				"fill=\"" C_COMPOSITE "\"", "composite");
	}
	if (p->stopped)
		x = legend_item(o, x, y, TIMELINE_JOB,
				"fill=\"" C_STOPPED "\"", "cut short");
	if (p->has[TIMELINE_GIL])
		x = legend_item(o, x, y, TIMELINE_GIL, NULL, "holds the GIL");
	for (d = 0; d < SPAN_DEPTHS; d++) {
		if (!p->depth[d])
			continue;
		span_names(p, d, names, sizeof(names));
		x = legend_item(o, x, y, TIMELINE_SPAN, band[d].fill, names);
	}
	if (p->has[TIMELINE_FRAME])
		x = legend_item(o, x, y, TIMELINE_FRAME, NULL,
				"spinner frame");
	if (p->has[TIMELINE_MARK])
		x = legend_item(o, x, y, TIMELINE_MARK, NULL, "event");
	if (p->has[TIMELINE_DEATH])
		legend_item(o, x, y, TIMELINE_DEATH, NULL, "worker died");
	svg_group_end(o);
}

/* What the picture does not show, one line each. */
static double draw_notes(struct out *o, const struct timeline *t,
			 const struct page *p, double y)
{
	if (p->om.lanes > 0 || p->om.items > 0) {
		svg_text_begin(o, "x=\"%.1f\" y=\"%.1f\" class=\"omitted\"",
			       LEFT, y);
		out_printf(o, "%u of %u lanes drawn; left out: %u lane%s and "
			   "%zu event%s", p->lanes, t->nlanes, p->om.lanes,
			   p->om.lanes == 1 ? "" : "s", p->om.items,
			   p->om.items == 1 ? "" : "s");
		svg_text_end(o);
		y += NOTE_H;
	}
	if (t->dropped > 0) {
		svg_text_begin(o, "x=\"%.1f\" y=\"%.1f\" class=\"dropped\"",
			       LEFT, y);
		out_printf(o, "%" PRIu64 " event%s dropped by the recorder "
			   "(a full buffer)", t->dropped,
			   t->dropped == 1 ? "" : "s");
		svg_text_end(o);
		y += NOTE_H;
	}
	return y;
}

/* The command line, cut at CMD_MAX bytes on a character's boundary. */
static void put_command(struct out *o, const char *cmd)
{
	char buf[CMD_MAX + 4];
	size_t n = cmd != NULL ? strlen(cmd) : 0;

	if (n <= CMD_MAX) {
		out_text(o, cmd, OUT_XML);
		return;
	}
	n = CMD_MAX;
	while (n > 0 && ((unsigned char)cmd[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, cmd, n);
	memcpy(buf + n, "\xE2\x80\xA6", 4);	/* U+2026 and the NUL */
	out_text(o, buf, OUT_XML);
}

static void draw_caption(struct out *o, const struct timeline *t,
			 double y)
{
	svg_group(o, "class=\"caption\" font-size=\"12\" fill=\"" C_DIM "\"");
	svg_text_begin(o, "x=\"%.1f\" y=\"%.1f\"", LEFT, y);
	out_printf(o, "$ ");
	put_command(o, t->command);
	svg_text_end(o);
	svg_text_begin(o, "x=\"%.1f\" y=\"%.1f\"", LEFT, y + NOTE_H);
	out_printf(o, "CPU: ");
	out_text(o, t->cpu, OUT_XML);
	out_printf(o, "; ");
	out_text(o, t->date, OUT_XML);
	svg_text_end(o);
	svg_group_end(o);
}

static double page_height(const struct timeline *t, const struct page *p)
{
	double h = p->bottom + FOOT;

	if (p->om.lanes > 0 || p->om.items > 0)
		h += NOTE_H;
	if (t->dropped > 0)
		h += NOTE_H;
	return h;
}

static void draw(struct out *o, const struct timeline *t)
{
	struct page p;
	double y;

	plan(t, &p);
	svg_begin(o, W, (int)page_height(t, &p), FONT,
		  t->title != NULL ? t->title : "timeline", "white");
	svg_text(o, W / 2.0, 28, "font-size=\"17\" font-weight=\"bold\" "
		 "text-anchor=\"middle\" fill=\"" C_TEXT "\"",
		 t->title != NULL ? t->title : "timeline");
	svg_text(o, W / 2.0, 48, "font-size=\"12\" text-anchor=\"middle\" "
		 "fill=\"" C_DIM "\"", "who ran when: a lane per worker, "
		 "thread or task");
	draw_lanes(o, t, &p);
	draw_axis(o, &p);
	draw_spans(o, t, &p);
	draw_jobs(o, t, &p);
	draw_gil(o, t, &p);
	draw_instants(o, t, &p);
	draw_legend(o, &p);
	y = draw_notes(o, t, &p, p.bottom + 80);
	draw_caption(o, t, y);
	svg_end(o);
}

/* ---- entry points ---- */

int timeline_write(const struct timeline *t, FILE *fp)
{
	struct out o = { fp, 0 };

	if (t == NULL || (t->lanes == NULL && t->nlanes > 0) ||
	    (t->items == NULL && t->count > 0))
		return -EINVAL;
	draw(&o, t);
	return out_flush(&o);
}

int timeline_render(const struct timeline *t, char **buf, size_t *len)
{
	FILE *fp = out_mem_open(buf, len);
	int rc = fp != NULL ? timeline_write(t, fp) : -errno;

	return out_mem_close(fp, rc, buf, len);
}

int timeline_commit(const struct timeline *t, struct atomicfile *f)
{
	char *buf;
	size_t len;
	int rc;

	rc = timeline_render(t, &buf, &len);
	return atomicfile_finish(f, rc, buf, len);
}

/* ---- from a trace ---- */

/* The item a record is drawn as; false: not drawn. */
static bool from_record(const struct trace_rec *r, struct timeline_item *it)
{
	memset(it, 0, sizeof(*it));
	it->lane = r->lane;
	it->t0 = r->t0 / 1e9;
	it->t1 = r->t1 / 1e9;
	it->n = r->n;
	it->label = trace_kind_name((enum trace_kind)r->kind);
	switch (r->kind) {
	case TRACE_JOB:
		it->kind = TIMELINE_JOB;
		it->prime = (r->flags & TRACE_PRIME) != 0;
		it->stopped = (r->flags & TRACE_STOPPED) != 0;
		return true;
	case TRACE_GIL_HOLD:
		it->kind = TIMELINE_GIL;
		return true;
	case TRACE_QUEUE_WAIT:
	case TRACE_RESULT:
	case TRACE_SLOW:
	case TRACE_STEP:
	case TRACE_BLOCK:
		it->kind = TIMELINE_SPAN;
		it->depth = r->kind == TRACE_STEP ? 1 : r->kind == TRACE_BLOCK ?
			    2 : 0;
		it->n = 0;
		return true;
	case TRACE_FRAME:
		it->kind = TIMELINE_FRAME;
		return true;
	case TRACE_DEATH:
		it->kind = TIMELINE_DEATH;
		if (!(r->flags & TRACE_HAD_JOB))
			it->n = 0;
		return true;
	case TRACE_RERUN:
		it->kind = TIMELINE_MARK;
		return true;
	}
	return false;	/* GIL waits, drop requests, forced switches */
}

/* The heading: the command line without "concdemo" and the files it
 * writes (--trace=, --timeline=), cut to TITLE_MAX bytes on a word. */
static void make_title(const char *cmd, char *buf, size_t size)
{
	const char *w = cmd;
	size_t len = 0, n;

	buf[0] = '\0';
	if (strncmp(w, "concdemo ", 9) == 0)
		w += 9;
	for (; *w != '\0'; w += n + (w[n] == ' ')) {
		n = strcspn(w, " ");
		if (n == 0 || strncmp(w, "--trace=", 8) == 0 ||
		    strncmp(w, "--timeline=", 11) == 0)
			continue;
		if (len + n + 1 >= size || len + n + 1 > TITLE_MAX) {
			snprintf(buf + len, size - len, " \xE2\x80\xA6");
			return;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s",
					len ? " " : "", (int)n, w);
	}
}

int timeline_commit_trace(const struct trace *tr, struct atomicfile *f)
{
	char title[TITLE_MAX + 8];
	struct timeline t;
	struct timeline_item *items = NULL;
	const char **names;
	size_t total = 0, k = 0;
	uint32_t j;
	unsigned i;
	int rc;

	for (i = 0; i < tr->nlanes; i++)
		total += tr->lane[i].count;
	names = calloc(tr->nlanes, sizeof(*names));
	if (total > 0)
		items = malloc(total * sizeof(*items));
	if (names == NULL || (total > 0 && items == NULL)) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < tr->nlanes; i++) {
		const struct trace_lane *l = &tr->lane[i];

		names[i] = l->name;
		for (j = 0; j < l->count && j < l->cap; j++)
			if (from_record(&l->rec[j], &items[k]))
				items[k++].lane = i;
	}
	memset(&t, 0, sizeof(t));
	t.command = tr->meta.command;
	make_title(t.command, title, sizeof(title));
	t.title = title;
	t.cpu = tr->meta.cpu;
	t.date = tr->meta.date;
	t.lanes = names;
	t.nlanes = tr->nlanes;
	t.items = items;
	t.count = k;
	t.dropped = trace_dropped(tr);
	rc = timeline_commit(&t, f);
out_free:
	atomicfile_discard(f);
	free(items);
	free(names);
	return rc;
}
