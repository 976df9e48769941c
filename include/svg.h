/*
 * svg: a small SVG 1.1 writer over out.h, for the sweep's chart (chart.h)
 * and other drawings: the document, groups, lines, rectangles, paths,
 * polylines, circles and text, with text XML-escaped (out_text), and an
 * axis step; the timeline (timeline.h) draws with it too.
 *
 * Coordinates are written with one decimal.  cls (may be NULL) becomes
 * the element's class attribute, written first; attrs (may be NULL or "")
 * are further attributes, written as given after the geometry.  Errors
 * stick in the struct out.  Prints nothing itself; one thread per out.
 */
#ifndef CONCDEMO_SVG_H
#define CONCDEMO_SVG_H

#include "out.h"

/* The XML declaration, <svg> of w x h units with font_family, its
 * <title>, and a background rectangle of colour bg (NULL: none). */
void svg_begin(struct out *o, int w, int h, const char *font_family,
	       const char *title, const char *bg);
void svg_end(struct out *o);				/* </svg> */

/* <g attrs> ... </g> */
void svg_group(struct out *o, const char *attrs);
void svg_group_end(struct out *o);

void svg_line(struct out *o, const char *cls, double x1, double y1,
	      double x2, double y2, const char *attrs);
void svg_rect(struct out *o, double x, double y, double w, double h,
	      const char *attrs);
/* A rectangle with a class (NULL: none) and a title (NULL: none) as its
 * tooltip. */
void svg_box(struct out *o, const char *cls, double x, double y, double w,
	     double h, const char *attrs, const char *title);

/* <path d="..."/>, its data given as printf's format and arguments. */
void svg_path(struct out *o, const char *cls, const char *attrs,
	      const char *dfmt, ...) __attribute__((format(printf, 4, 5)));

/* <polyline class attrs points="x,y ..."/>: begin, then each point (i:
 * its index, from 0), then end. */
void svg_polyline(struct out *o, const char *cls, const char *attrs);
void svg_polyline_point(struct out *o, unsigned i, double x, double y);
void svg_polyline_end(struct out *o);

/* A circle of radius r; with a title (NULL: none), as its tooltip. */
void svg_circle(struct out *o, const char *cls, double cx, double cy,
		double r, const char *attrs, const char *title);

/* <text x y attrs>text</text>, text escaped. */
void svg_text(struct out *o, double x, double y, const char *attrs,
	      const char *text);
/* A text of several pieces: <text ATTRS> from printf's format and
 * arguments, then the pieces (out_text with OUT_XML, or out_printf of
 * markup-free text), then svg_text_end. */
void svg_text_begin(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void svg_text_end(struct out *o);

/* A "nice" axis step (1, 2 or 5 times a power of ten) of at least x > 0,
 * and in *decimals the decimals its multiples need. */
double svg_nice_step(double x, int *decimals);

#endif
