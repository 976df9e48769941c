/* Unit tests for out and svg: the one escaper (terminal, JSON, XML; bad
 * UTF-8 and controls), the sticky error, and the SVG elements' text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "svg.h"
#include "tap.h"

static char *buf;
static size_t len;
static struct out o;

static void start(void)
{
	o.fp = open_memstream(&buf, &len);
	o.err = 0;
}

/* What was written since start(), compared with want. */
static int got(const char *want)
{
	int same;

	fclose(o.fp);
	same = strcmp(buf, want) == 0;
	if (!same)
		printf("# got  '%s'\n# want '%s'\n", buf, want);
	free(buf);
	return same;
}

static void test_escape(void)
{
	const char *s = "a<b>&\"c'\\ \xC3\xA9\x01\xFF\xED\xA0\x80z";

	start();
	out_text(&o, s, OUT_XML);
	ok(got("a&lt;b&gt;&amp;&quot;c&apos;\\ \xC3\xA9???" "??z"),
	   "XML: markup escaped, UTF-8 kept, control, bad byte and "
	   "surrogate bytes each as '?'");
	start();
	out_text(&o, s, OUT_JSON);
	ok(got("a<b>&\\\"c'\\\\ \xC3\xA9???" "??z"),
	   "JSON: quote and backslash");
	start();
	out_text(&o, s, OUT_PLAIN);
	out_text(&o, NULL, OUT_PLAIN);
	ok(got("a<b>&\"c'\\ \xC3\xA9???" "??z?"), "plain; NULL as '?'");
	ok(out_utf8_len((const unsigned char *)"\xF4\x8F\xBF\xBD") == 4 &&
	   out_utf8_len((const unsigned char *)"\xF4\x90\x80\x80") == 0 &&
	   out_utf8_len((const unsigned char *)"\xC0\xAF") == 0 &&
	   out_utf8_len((const unsigned char *)"\xEF\xBF\xBE") == 0,
	   "utf8_len: U+10FFFD yes; past U+10FFFF, overlong, U+FFFE no");
}

static void test_sticky(void)
{
	struct out bad = { NULL, 0 };

	bad.fp = fopen("/dev/null", "r");
	if (bad.fp == NULL) {
		skip_ok("no /dev/null", "a failed write sticks");
		return;
	}
	out_printf(&bad, "x");
	svg_line(&bad, "c", 1, 2, 3, 4, NULL);
	ok(bad.err < 0, "a failed write sticks (%d)", bad.err);
	fclose(bad.fp);
}

static void test_elements(void)
{
	start();
	svg_begin(&o, 10, 20, "A & B", "t<", NULL);
	svg_group(&o, "fill=\"red\"");
	svg_line(&o, NULL, 1, 2, 3.25, 4, NULL);
	svg_line(&o, "k", 1, 2, 3, 4, "stroke=\"x\"");
	svg_rect(&o, 0, 0, 5, 6, "");
	svg_group_end(&o);
	svg_end(&o);
	ok(got("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns="
	       "\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"10\" "
	       "height=\"20\" viewBox=\"0 0 10 20\" font-family=\"A &amp; "
	       "B\">\n<title>t&lt;</title>\n<g fill=\"red\">\n<line "
	       "x1=\"1.0\" y1=\"2.0\" x2=\"3.2\" y2=\"4.0\"/>\n<line "
	       "class=\"k\" x1=\"1.0\" y1=\"2.0\" x2=\"3.0\" y2=\"4.0\" "
	       "stroke=\"x\"/>\n<rect x=\"0.0\" y=\"0.0\" width=\"5.0\" "
	       "height=\"6.0\"/>\n</g>\n</svg>\n"),
	   "document, group, lines (class, attrs), rect");
	start();
	svg_group(&o, NULL);
	svg_group_end(&o);
	ok(got("<g>\n</g>\n"), "a group without attributes");
	start();
	svg_polyline(&o, "p", "fill=\"none\"");
	svg_polyline_point(&o, 0, 1, 2);
	svg_polyline_point(&o, 1, 3, 4);
	svg_polyline_end(&o);
	svg_path(&o, NULL, "a=\"1\"", "M%d %dh8", 1, 2);
	svg_circle(&o, "c", 1, 2, 4, "fill=\"w\"", "3 < 4");
	svg_circle(&o, NULL, 1, 2, 2.5, NULL, NULL);
	ok(got("<polyline class=\"p\" fill=\"none\" points=\"1.0,2.0 "
	       "3.0,4.0\"/>\n<path d=\"M1 2h8\" a=\"1\"/>\n<circle "
	       "class=\"c\" cx=\"1.0\" cy=\"2.0\" r=\"4\" fill=\"w\"><title>3 "
	       "&lt; 4</title></circle>\n<circle cx=\"1.0\" cy=\"2.0\" "
	       "r=\"2.5\"/>\n"), "polyline, path, circles with and without "
	   "a title");
	start();
	svg_text(&o, 1, 2, "", "a & b");
	svg_text_begin(&o, "y=\"%d\"", 7);
	out_text(&o, "<x>", OUT_XML);
	svg_text_end(&o);
	ok(got("<text x=\"1.0\" y=\"2.0\" >a &amp; b</text>\n<text "
	       "y=\"7\">&lt;x&gt;</text>\n"), "texts, escaped");
}

static void test_box_and_step(void)
{
	double s, t, u, v;
	int d1, d2, d3, d4;

	start();
	svg_box(&o, "b", 1, 2, 3, 4, "fill=\"r\"", "a<b");
	svg_box(&o, NULL, 1, 2, 3, 4, NULL, NULL);
	ok(got("<rect class=\"b\" x=\"1.0\" y=\"2.0\" width=\"3.0\" "
	       "height=\"4.0\" fill=\"r\"><title>a&lt;b</title></rect>\n"
	       "<rect x=\"1.0\" y=\"2.0\" width=\"3.0\" height=\"4.0\"/>\n"),
	   "box: class, attrs, escaped tooltip; and bare");
	s = svg_nice_step(0.07, &d1);
	t = svg_nice_step(3, &d2);
	u = svg_nice_step(12, &d3);
	v = svg_nice_step(0.0015, &d4);
	ok(s > 0.0999 && s < 0.1001 && d1 == 1 && t == 5 && d2 == 0 &&
	   u == 20 && d3 == 0 && v > 0.00199 && v < 0.00201 && d4 == 3,
	   "nice_step: 1, 2 or 5 times a power of ten, and its decimals");
}

/* A render into memory: the bytes on success, nothing left on failure. */
static void test_mem(void)
{
	char *mem;
	size_t n;
	FILE *fp = out_mem_open(&mem, &n);

	ok(fp != NULL && fputs("abc", fp) >= 0 &&
	   out_mem_close(fp, 0, &mem, &n) == 0 && n == 3 &&
	   strcmp(mem, "abc") == 0, "mem: the bytes written, counted");
	free(mem);
	fp = out_mem_open(&mem, &n);
	ok(fp != NULL && fputs("abc", fp) >= 0 &&
	   out_mem_close(fp, -EIO, &mem, &n) == -EIO && mem == NULL && n == 0,
	   "mem: the writer's error given back, the buffer freed");
}

int main(void)
{
	tap_start(30);
	test_escape();
	test_sticky();
	test_elements();
	test_box_and_step();
	test_mem();
	return tap_done();
}
