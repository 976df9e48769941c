/*
 * svg: the SVG writer (svg.h).
 */
#include <stdarg.h>

#include "svg.h"

/* "<name" and the class attribute, if any. */
static void open_tag(struct out *o, const char *name, const char *cls)
{
	out_printf(o, "<%s", name);
	if (cls != NULL)
		out_printf(o, " class=\"%s\"", cls);
}

/* The further attributes, if any, after a space. */
static void put_attrs(struct out *o, const char *attrs)
{
	if (attrs != NULL && attrs[0] != '\0')
		out_printf(o, " %s", attrs);
}

/* The further attributes and "/>". */
static void close_tag(struct out *o, const char *attrs)
{
	put_attrs(o, attrs);
	out_printf(o, "/>\n");
}

/* The further attributes and "/>"; with a title, "><title>" the title
 * "</title></name>", which a browser shows as the element's tooltip. */
static void close_titled(struct out *o, const char *name, const char *attrs,
			 const char *title)
{
	if (title == NULL) {
		close_tag(o, attrs);
		return;
	}
	put_attrs(o, attrs);
	out_printf(o, "><title>");
	out_text(o, title, OUT_XML);
	out_printf(o, "</title></%s>\n", name);
}

void svg_begin(struct out *o, int w, int h, const char *font_family,
	       const char *title, const char *bg)
{
	out_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		   "font-family=\"", w, h, w, h);
	out_text(o, font_family, OUT_XML);
	out_printf(o, "\">\n<title>");
	out_text(o, title, OUT_XML);
	out_printf(o, "</title>\n");
	if (bg != NULL)
		out_printf(o, "<rect width=\"100%%\" height=\"100%%\" "
			   "fill=\"%s\"/>\n", bg);
}

void svg_end(struct out *o)
{
	out_printf(o, "</svg>\n");
}

void svg_group(struct out *o, const char *attrs)
{
	out_printf(o, "<g");
	put_attrs(o, attrs);
	out_printf(o, ">\n");
}

void svg_group_end(struct out *o)
{
	out_printf(o, "</g>\n");
}

void svg_line(struct out *o, const char *cls, double x1, double y1,
	      double x2, double y2, const char *attrs)
{
	open_tag(o, "line", cls);
	out_printf(o, " x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", x1,
		   y1, x2, y2);
	close_tag(o, attrs);
}

void svg_rect(struct out *o, double x, double y, double w, double h,
	      const char *attrs)
{
	svg_box(o, NULL, x, y, w, h, attrs, NULL);
}

void svg_path(struct out *o, const char *cls, const char *attrs,
	      const char *dfmt, ...)
{
	va_list ap;

	open_tag(o, "path", cls);
	out_printf(o, " d=\"");
	va_start(ap, dfmt);
	out_vprintf(o, dfmt, ap);
	va_end(ap);
	out_printf(o, "\"");
	close_tag(o, attrs);
}

void svg_polyline(struct out *o, const char *cls, const char *attrs)
{
	open_tag(o, "polyline", cls);
	put_attrs(o, attrs);
	out_printf(o, " points=\"");
}

void svg_polyline_point(struct out *o, unsigned i, double x, double y)
{
	out_printf(o, "%s%.1f,%.1f", i ? " " : "", x, y);
}

void svg_polyline_end(struct out *o)
{
	out_printf(o, "\"/>\n");
}

void svg_circle(struct out *o, const char *cls, double cx, double cy,
		double r, const char *attrs, const char *title)
{
	open_tag(o, "circle", cls);
	out_printf(o, " cx=\"%.1f\" cy=\"%.1f\" r=\"%g\"", cx, cy, r);
	close_titled(o, "circle", attrs, title);
}

void svg_text(struct out *o, double x, double y, const char *attrs,
	      const char *text)
{
	svg_text_begin(o, "x=\"%.1f\" y=\"%.1f\" %s", x, y,
		       attrs != NULL ? attrs : "");
	out_text(o, text, OUT_XML);
	svg_text_end(o);
}

void svg_text_begin(struct out *o, const char *fmt, ...)
{
	va_list ap;

	out_printf(o, "<text ");
	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
	out_printf(o, ">");
}

void svg_text_end(struct out *o)
{
	out_printf(o, "</text>\n");
}

void svg_box(struct out *o, const char *cls, double x, double y, double w,
	     double h, const char *attrs, const char *title)
{
	open_tag(o, "rect", cls);
	out_printf(o, " x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
		   x, y, w, h);
	close_titled(o, "rect", attrs, title);
}

double svg_nice_step(double x, int *decimals)
{
	double p = 1;
	int e = 0;

	while (p * 10 <= x) {
		p *= 10;
		e++;
	}
	while (p > x) {
		p /= 10;
		e--;
	}
	/* now p <= x < 10p */
	if (x > 5 * p) {
		p *= 10;
		e++;
	} else if (x > 2 * p) {
		p *= 5;
	} else if (x > p) {
		p *= 2;
	}
	*decimals = e < 0 ? -e : 0;
	return p;
}
