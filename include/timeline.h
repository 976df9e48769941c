/*
 * timeline: a run's recorded events drawn as one self-contained SVG (the
 * --timeline picture): a lane per worker, thread or task, time in seconds
 * along x, job bars coloured by verdict and labelled with their number
 * where it fits, the GIL holder as a strip at the foot of each thread's
 * lane, spans (slow(), a blocking call, a wait) behind, spinner frames as
 * ticks, deaths and other instants as marks, a legend and a caption (the
 * command line, the CPU, the date).  Drawn through svg.h and out.h (the
 * one SVG writer and the one escaper).
 *
 * The input is plain: lanes named by the caller and items that point at
 * a lane, in seconds from the run's start; timeline_commit_trace makes
 * them from a trace's records (trace.h).
 * At most TIMELINE_MAX_LANES lanes are drawn: the items of the others are
 * left out, and the picture says how many lanes and items that was.
 *
 * Prints nothing; pure apart from the FILE * or the atomicfile it is
 * given; one thread per call.
 */
#ifndef CONCDEMO_TIMELINE_H
#define CONCDEMO_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct atomicfile;
struct trace;

/* Lanes drawn at most; past them the picture names what it left out. */
#define TIMELINE_MAX_LANES 64

enum timeline_kind {
	TIMELINE_JOB,	/* span: number n checked; prime is its verdict */
	TIMELINE_GIL,	/* span: the lane's thread holds the GIL */
	TIMELINE_SPAN,	/* span: a named stretch (label): slow(), a
			 * blocking call, a wait on a queue */
	TIMELINE_FRAME,	/* instant: the spinner drew a frame */
	TIMELINE_DEATH,	/* instant: the lane's worker died (label: how) */
	TIMELINE_MARK,	/* instant: anything else (label): a GIL drop
			 * request, a job put back */
};

struct timeline_item {
	enum timeline_kind kind;
	unsigned lane;		/* index into the timeline's lanes */
	double t0, t1;		/* seconds from the start; t1 >= t0 (t1 is
				 * ignored for instants) */
	uint64_t n;		/* JOB: the number (DEATH, MARK: shown if
				 * not 0) */
	bool prime;		/* JOB: its verdict */
	bool stopped;		/* JOB: cut short by a stop (no verdict) */
	unsigned char depth;	/* SPAN: 0 a pale band over the lane (slow(),
				 * a wait), 1 a grey band inside (a task's
				 * step), 2 a dark one inside that (a
				 * blocking call); above 2: 2 */
	const char *label;	/* SPAN, DEATH, MARK: its name or NULL */
};

struct timeline {
	/* Text, all escaped; any may be NULL (shown as "?" or left out). */
	const char *title;	/* the heading: "primes --threads=2 --gil" */
	const char *command;	/* the command line, in the caption */
	const char *cpu;	/* machine_cpu_model() */
	const char *date;	/* machine_date() */
	/* The lanes, top to bottom: nlanes names (NULL names are "?"). */
	const char *const *lanes;
	unsigned nlanes;
	/* The items, in any order; an item whose lane is >= nlanes or
	 * whose times are not finite and >= 0 is not drawn (counted with
	 * the lanes left out). */
	const struct timeline_item *items;
	size_t count;
	uint64_t dropped;	/* events the recorder could not keep (a
				 * full buffer): said in the picture */
	double end;		/* the run's length in seconds; 0: the last
				 * item's end */
};

/* What the picture leaves out: lanes past TIMELINE_MAX_LANES and the
 * items on them or not drawable (see above). */
struct timeline_omitted {
	unsigned lanes;
	size_t items;
};
void timeline_omitted(const struct timeline *t, struct timeline_omitted *om);

/* The SVG document to fp.  Returns 0, -EINVAL (t NULL, or lanes NULL
 * with nlanes > 0, or items NULL with count > 0), or -errno of the
 * failed write (-EIO if the stream does not say). */
int timeline_write(const struct timeline *t, FILE *fp);

/* The same into a NUL-terminated buffer the caller frees.  Returns 0 or
 * -errno; *buf is NULL on failure. */
int timeline_render(const struct timeline *t, char **buf, size_t *len);

/* Render, write to f (opened by atomicfile_open before the run, so that
 * an unwritable path was refused before any work) and rename it into
 * place.  Returns 0 or -errno; either way f holds nothing more (on
 * failure the target is left as it was). */
int timeline_commit(const struct timeline *t, struct atomicfile *f);

/* The trace tr drawn (every lane of it, named as in tr; the title and
 * caption from tr->meta) and committed to f as timeline_commit does.
 * Read tr only once its writers are joined or reaped.  Jobs, GIL holds,
 * spans (slow(), steps, blocking calls, queue waits, result handling),
 * frames, deaths and re-runs are drawn; GIL waits, drop requests and
 * forced switches are not (the strips show who holds it; the JSON trace
 * has every record).  Returns 0 or -errno (-ENOMEM). */
int timeline_commit_trace(const struct trace *tr, struct atomicfile *f);

#endif
