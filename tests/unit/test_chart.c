/* Unit tests for chart: medians, the statistics of a hand-made sweep, and
 * each rendering checked by a parser written here (CSV columns, a strict
 * JSON validator, an XML well-formedness checker for the SVG), plus
 * python3's json and xml.etree when python3 is installed. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "chart.h"
#include "tap.h"

static bool near(double a, double b)
{
	double d = a - b;

	return d < 1e-9 && d > -1e-9;
}

/* --- a strict JSON validator (RFC 8259): structure, strings, numbers --- */

struct js {
	const char *p;
	int depth;
};

static void ws(struct js *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool digits(struct js *j)
{
	const char *s = j->p;

	while (*j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static bool js_number(struct js *j)
{
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (*j->p < '1' || *j->p > '9' || !digits(j))
		return false;
	if (*j->p == '.') {
		j->p++;
		if (!digits(j))
			return false;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!digits(j))
			return false;
	}
	return true;
}

/* Bytes of one valid UTF-8 character at p (no overlongs, surrogates). */
static size_t utf8_char(const unsigned char *p)
{
	unsigned c = p[0], n, i, cp;

	if (c < 0x80)
		return 1;
	n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
	if (n == 0 || (n == 3 && c > 0xEF))
		return 0;
	cp = c & (0x7F >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

static bool js_string(struct js *j)
{
	if (*j->p++ != '"')
		return false;
	while (*j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		size_t n;

		if (c < 0x20)
			return false;	/* raw control characters: never */
		if (c == '\\') {
			j->p++;
			if (*j->p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF",
						    j->p[i]) || !j->p[i])
						return false;
				j->p += 5;
			} else if (*j->p && strchr("\"\\/bfnrt", *j->p)) {
				j->p++;
			} else {
				return false;
			}
			continue;
		}
		n = utf8_char((const unsigned char *)j->p);
		if (n == 0)
			return false;
		j->p += n;
	}
	j->p++;
	return true;
}

static bool js_value(struct js *j);

/* An object or an array, after its opening bracket. */
static bool js_members(struct js *j, char close, bool keys)
{
	ws(j);
	if (*j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		ws(j);
		if (keys) {
			if (!js_string(j))
				return false;
			ws(j);
			if (*j->p++ != ':')
				return false;
		}
		if (!js_value(j))
			return false;
		ws(j);
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static bool js_value(struct js *j)
{
	bool r;

	ws(j);
	if (++j->depth > 64)
		return false;
	if (*j->p == '{' || *j->p == '[') {
		char open = *j->p++;

		r = js_members(j, open == '{' ? '}' : ']', open == '{');
	} else if (*j->p == '"') {
		r = js_string(j);
	} else if (strncmp(j->p, "true", 4) == 0 ||
		   strncmp(j->p, "null", 4) == 0) {
		j->p += 4;
		r = true;
	} else if (strncmp(j->p, "false", 5) == 0) {
		j->p += 5;
		r = true;
	} else {
		r = js_number(j);
	}
	j->depth--;
	return r;
}

static bool json_valid(const char *text)
{
	struct js j = { text, 0 };

	if (!js_value(&j))
		return false;
	ws(&j);
	return *j.p == '\0';
}

/* --- an XML well-formedness checker (the subset an SVG uses) --- */

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
	       c == '.';
}

/* Character data or an attribute value up to `end`: '&' only in an
 * entity, never '<', valid UTF-8, no control characters but blanks. */
static bool xml_chars(const char **pp, char end)
{
	const char *p = *pp;

	while (*p && *p != end) {
		size_t n;

		if (*p == '<')
			return false;
		if (*p == '&') {
			static const char *const ent[] = { "&amp;", "&lt;",
				"&gt;", "&quot;", "&apos;" };
			size_t i, len = 0;

			for (i = 0; i < 5; i++)
				if (strncmp(p, ent[i], strlen(ent[i])) == 0)
					len = strlen(ent[i]);
			if (len == 0)
				return false;
			p += len;
			continue;
		}
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' &&
		    *p != '\r')
			return false;
		n = utf8_char((const unsigned char *)p);
		if (n == 0)
			return false;
		p += n;
	}
	*pp = p;
	return true;
}

/* A start tag after '<': name, attributes (each name once would need a
 * set; we check the syntax), then '>' or '/>'.  Copies the name. */
static bool xml_start(const char **pp, char *name, size_t size, bool *empty)
{
	const char *p = *pp;
	size_t n = 0;

	while (name_char(*p) && n + 1 < size)
		name[n++] = *p++;
	name[n] = '\0';
	if (n == 0)
		return false;
	for (;;) {
		bool blank = *p == ' ' || *p == '\n' || *p == '\t';

		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (*p == '>' || (p[0] == '/' && p[1] == '>')) {
			*empty = *p == '/';
			*pp = p + (*empty ? 2 : 1);
			return true;
		}
		if (!blank || !name_char(*p))
			return false;
		while (name_char(*p))
			p++;
		if (*p++ != '=' || *p++ != '"' || !xml_chars(&p, '"') ||
		    *p++ != '"')
			return false;
	}
}

struct xml_counts {
	int elements;
	int depth_max;
	char root[32];
};

static bool xml_well_formed(const char *p, struct xml_counts *c)
{
	char stack[64][32];
	int depth = 0;

	memset(c, 0, sizeof(*c));
	if (strncmp(p, "<?xml ", 6) == 0) {
		p = strstr(p, "?>");
		if (p == NULL)
			return false;
		p += 2;
	}
	while (*p) {
		if (!xml_chars(&p, '<'))
			return false;
		if (*p == '\0')
			break;
		if (strncmp(p, "<!--", 4) == 0) {
			p = strstr(p + 4, "-->");
			if (p == NULL)
				return false;
			p += 3;
		} else if (p[1] == '/') {
			size_t n;

			if (depth == 0)
				return false;
			n = strlen(stack[depth - 1]);
			if (strncmp(p + 2, stack[depth - 1], n) != 0 ||
			    p[2 + n] != '>')
				return false;	/* unbalanced */
			depth--;
			p += 3 + n;
		} else {
			bool empty;
			char name[32];

			p++;
			if (!xml_start(&p, name, sizeof(name), &empty))
				return false;
			if (c->elements++ == 0)
				strcpy(c->root, name);
			else if (depth == 0)
				return false;	/* a second root */
			if (!empty) {
				if (depth == 64)
					return false;
				strcpy(stack[depth++], name);
				if (depth > c->depth_max)
					c->depth_max = depth;
			}
		}
		if (depth == 0 && c->elements > 0) {
			while (*p == '\n' || *p == ' ')
				p++;
			return *p == '\0';	/* nothing after the root */
		}
	}
	return false;
}

/* --- helpers --- */

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static char *render_width(const struct chart_sweep *s, enum chart_format f,
			  unsigned flags, unsigned width)
{
	char *buf;
	size_t len;
	int rc = chart_render(s, f, flags, width, &buf, &len);

	if (rc != 0 || buf == NULL || strlen(buf) != len) {
		diag("chart_render(%d): %d", (int)f, rc);
		free(buf);
		return NULL;
	}
	return buf;
}

static char *render(const struct chart_sweep *s, enum chart_format f,
		    unsigned flags)
{
	return render_width(s, f, flags, 0);
}

/* The hand-made fixture: N = 4, K = 3.  Medians: seq 10.0, 1: 10.0,
 * 2: 5.1, 3: 4.0, 4: 4.5.  Speedups 1, 1.96078, 2.5, 2.2222; best 3. */
static const double fixture[5][3] = {
	{ 10.2, 9.9, 10.0 },
	{ 10.4, 10.0, 9.8 },
	{ 5.0, 5.3, 5.1 },
	{ 4.2, 3.9, 4.0 },
	{ 4.5, 4.8, 4.4 },
};

static void fill(struct chart_sweep *s)
{
	unsigned r, i;

	chart_sweep_init(s, 4, 3);
	for (r = 0; r < 5; r++)
		for (i = 0; i < 3; i++)
			chart_sweep_add(s, r, fixture[r][i]);
	s->caption = "process pool";
	s->workload = "book set";
	s->cpu = "Test CPU @ 1.00GHz";
	s->date = "2024-01-02 03:04";
	s->cpus = 2;
	s->model = "process";
	s->order = "fifo";
	s->set = "book";
	s->numbers = 20;
	s->version = "0.1.0";
	s->time = "2024-01-02T03:04:05+01:00";
}

/* --- the tests --- */

static void test_median(void)
{
	double odd[] = { 3, 1, 2 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };
	double big[101], m = -1, nan_v[] = { 1, NAN, 2 };
	unsigned i;

	ok(chart_median(odd, 3, &m) == 0 && m == 2, "median of 3 (odd K)");
	ok(odd[0] == 3 && odd[1] == 1, "median leaves its input alone");
	ok(chart_median(even, 4, &m) == 0 && m == 2.5,
	   "median of 4 (even K): mean of the middle two");
	ok(chart_median(one, 1, &m) == 0 && m == 7, "median of 1");
	ok(chart_median(one, 0, &m) == -EINVAL, "median of none: -EINVAL");
	ok(chart_median(nan_v, 3, &m) == -EINVAL, "NaN: -EINVAL");
	for (i = 0; i < 101; i++)
		big[i] = 100 - i;
	ok(chart_median(big, 101, &m) == 0 && m == 50, "median of 101");
	ok(chart_median(big, 100, &m) == 0 && m == 50.5, "median of 100");
}

static void test_sweep_add(void)
{
	struct chart_sweep s;

	ok(chart_sweep_init(&s, 0, 3) == -EINVAL &&
	   chart_sweep_init(&s, 4, 0) == -EINVAL &&
	   chart_sweep_init(&s, CHART_MAX_WORKERS + 1, 3) == -EINVAL &&
	   chart_sweep_init(&s, 4, CHART_MAX_RUNS + 1) == -EINVAL,
	   "init refuses 0 and too large shapes");
	ok(chart_sweep_init(&s, 2, 2) == 0, "init 2 x 2");
	ok(chart_sweep_add(&s, 0, -1) == -EINVAL &&
	   chart_sweep_add(&s, 0, NAN) == -EINVAL &&
	   chart_sweep_add(&s, 0, INFINITY) == -EINVAL &&
	   chart_sweep_add(&s, 0, -INFINITY) == -EINVAL,
	   "negative, NaN and inf times: -EINVAL");
	ok(chart_sweep_add(&s, 3, 1) == -ERANGE, "workers above N: -ERANGE");
	ok(chart_sweep_add(&s, 2, 1) == 0 && chart_sweep_add(&s, 2, 2) == 0 &&
	   chart_sweep_add(&s, 2, 3) == -ENOSPC, "a full row: -ENOSPC");
	ok(s.done[0] == 0 && s.done[1] == 0 && s.done[2] == 2,
	   "refused times are not recorded");
	ok(chart_row_runs(&s, 0) == 0 && chart_row_runs(&s, 2) == 2 &&
	   chart_row_mean(&s, 0) == 0 && chart_row_mean(&s, 2) == 1.5,
	   "row runs and mean: 0 and 0 when empty, else count and mean");
	chart_sweep_destroy(&s);
	ok(s.times == NULL && s.done == NULL, "destroy clears the sweep");
}

static void test_stats(void)
{
	struct chart_sweep s;
	struct chart_stats st[5];
	unsigned best;

	fill(&s);
	best = chart_sweep_stats(&s, st);
	is_u64(best, 3, "best count: 3 workers (lowest median)");
	ok(st[3].best && !st[0].best && !st[1].best && !st[2].best &&
	   !st[4].best, "only the best row is marked");
	ok(st[0].median == 10.0 && st[1].median == 10.0 &&
	   st[2].median == 5.1 && st[3].median == 4.0 && st[4].median == 4.5,
	   "medians per row");
	ok(st[2].min == 5.0 && st[2].max == 5.3 && st[1].min == 9.8 &&
	   st[1].max == 10.4, "min and max per row");
	ok(st[1].has_speedup && near(st[1].speedup, 1) &&
	   near(st[1].efficiency, 1), "1 worker: speedup 1, efficiency 1");
	ok(near(st[2].speedup, 10 / 5.1) &&
	   near(st[2].efficiency, 10 / 5.1 / 2), "2 workers: T1/T2, /2");
	ok(near(st[3].speedup, 2.5) && near(st[3].efficiency, 2.5 / 3),
	   "3 workers: speedup 2.5, efficiency 0.8333");
	ok(near(st[4].speedup, 10 / 4.5) && near(st[4].efficiency, 10 / 18.0),
	   "4 workers: speedup 2.2222, efficiency 0.5556");
	ok(st[0].workers == 0 && near(st[0].speedup, 1),
	   "baseline: T1 / Tseq");
	chart_sweep_destroy(&s);

	/* Ties go to fewer workers; no T1 means no speedup anywhere. */
	chart_sweep_init(&s, 3, 1);
	chart_sweep_add(&s, 2, 3.0);
	chart_sweep_add(&s, 3, 3.0);
	best = chart_sweep_stats(&s, st);
	ok(best == 2 && st[2].best && !st[3].best, "a tie: fewer workers");
	ok(!st[2].has_speedup && st[2].speedup == 0 && st[1].runs == 0,
	   "no 1-worker row: speedup undefined, not NaN");
	chart_sweep_add(&s, 1, 6.0);
	chart_sweep_add(&s, 0, 0.0);
	chart_sweep_stats(&s, st);
	ok(st[0].runs == 1 && !st[0].has_speedup,
	   "a median of 0: speedup undefined, not inf");
	chart_sweep_destroy(&s);

	chart_sweep_init(&s, 2, 3);
	is_u64(chart_sweep_stats(&s, st), 0, "an empty sweep has no best");
	chart_sweep_destroy(&s);
}

/* Columns of a line of the table: UTF-8 continuation bytes take none. */
static size_t columns(const char *line)
{
	size_t n = 0;

	for (; *line; line++)
		n += ((unsigned char)*line & 0xC0) != 0x80;
	return n;
}

/* Cells of a row's bar: '#' or U+2588 full blocks (a partial block, one
 * of U+2589..U+258F, counts as one more). */
static size_t bar_cells(const char *line)
{
	const char *p = strchr(line, '#');
	size_t n = 0;

	if (p != NULL)
		return strspn(p, "#");
	for (p = strstr(line, "\xE2\x96"); p && strncmp(p, "\xE2\x96", 2) == 0
	     && (unsigned char)p[2] >= 0x88 && (unsigned char)p[2] <= 0x8F;
	     p += 3)
		n++;
	return n;
}

/* The row of `workers` (0: seq) in table t, copied into buf; false if
 * there is none. */
static bool table_row_of(const char *t, unsigned workers, char *buf,
			 size_t size)
{
	const char *line = strstr(t, "\n\n");	/* the rows follow the head */

	while (line != NULL && *++line) {
		size_t len = strcspn(line, "\n");
		char first[16];

		if (sscanf(line, "%15s", first) == 1 &&
		    (workers == 0 ? strcmp(first, "seq") == 0 :
		     strtoul(first, NULL, 10) == workers && first[0] != 's')) {
			snprintf(buf, size, "%.*s", (int)len, line);
			return true;
		}
		line = strchr(line, '\n');
	}
	return false;
}

/* The fixture's table at one width: everything fits, the marks are
 * there, the bars are proportional (10 s, the top median, is the longest
 * bar). */
static void check_table(const struct chart_sweep *s, unsigned width,
			unsigned flags, bool partial)
{
	static const double median[5] = { 10.0, 10.0, 5.1, 4.0, 4.5 };
	char *t = render_width(s, CHART_TABLE, flags, width), *copy, *line;
	char row[512];
	size_t widest = 0, top = 0;
	bool prop = true;
	unsigned r;

	ok(t != NULL, "width %u: table renders", width);
	if (t == NULL)
		return;
	copy = strdup(t);
	for (line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"))
		if (columns(line) > widest)
			widest = columns(line);
	free(copy);
	ok(widest <= width, "width %u%s%s: every line fits (widest %zu)",
	   width, flags & CHART_UTF8 ? ", UTF-8" : "",
	   partial ? ", short rows" : "", widest);
	ok(table_row_of(t, 3, row, sizeof(row)) && strstr(row, "<- best"),
	   "width %u: row 3 marked best", width);
	if (partial)
		ok(table_row_of(t, 4, row, sizeof(row)) &&
		   (strstr(row, "  (1 of 3 runs)") || strstr(row, "  (1/3)")),
		   "width %u: the short row's note", width);
	if (table_row_of(t, 0, row, sizeof(row)))
		top = bar_cells(row);
	for (r = 0; r <= 4 && !partial; r++) {
		double want = median[r] / 10.0 * (double)top;
		size_t got = table_row_of(t, r, row, sizeof(row)) ?
			     bar_cells(row) : 0;

		if (got + 1 < want || got > want + 1) {
			prop = false;
			diag("width %u, row %u: %zu cells, want ~%.1f", width,
			     r, got, want);
		}
	}
	if (!partial)
		ok(top >= 10 && prop, "width %u: bars of %zu cells at most, "
		   "proportional to the median", width, top);
	free(t);
}

static void test_table(void)
{
	static const unsigned widths[] = { 40, 60, 80, 132 };
	struct chart_sweep s;
	const char *head;
	char *t, *t80;
	size_t i;

	fill(&s);
	t = render(&s, CHART_TABLE, 0);
	t80 = render_width(&s, CHART_TABLE, 0, 80);
	ok(t && t80 && strcmp(t, t80) == 0, "width 0 is 80 columns");
	ok(t && strstr(t, "\nworkers median    min    max speedup effic.\n"),
	   "80 columns: every column of the fixture");
	free(t80);
	free(t);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		check_table(&s, widths[i], 0, false);
		check_table(&s, widths[i], CHART_UTF8, false);
	}
	t = render_width(&s, CHART_TABLE, 0, 40);
	ok(t && strstr(t, "\nworkers median\n") &&
	   !strstr(t, "speedup = T1"), "40 columns: workers, median, bars");
	free(t);
	t = render_width(&s, CHART_TABLE, 0, 60);
	ok(t && strstr(t, "\nworkers median    min    max speedup\n"),
	   "60 columns: efficiency goes first");
	free(t);
	t = render_width(&s, CHART_TABLE, CHART_UTF8, 80);
	ok(t && count(t, "\xE2\x96\x88") > 0 && !strchr(t, '#'),
	   "CHART_UTF8: block bars instead of '#'");
	free(t);
	/* A long caption wraps at spaces, indented. */
	s.workload = "large set: 64 numbers (32 primes, 16 prime squares, "
		     "16 easy composites)";
	t = render_width(&s, CHART_TABLE, 0, 40);
	head = "Sweep: process pool; large set: 64\n  numbers (32 primes, 16 "
	       "prime squares,\n  16 easy composites)\nCPU: ";
	ok(t && strncmp(t, head, strlen(head)) == 0,
	   "the head wraps at spaces, indented");
	free(t);
	chart_sweep_destroy(&s);

	/* A sweep stopped by Ctrl-C: rows short of runs keep their note. */
	chart_sweep_init(&s, 4, 3);
	for (i = 0; i < 3; i++) {
		chart_sweep_add(&s, 0, fixture[0][i]);
		chart_sweep_add(&s, 1, fixture[1][i]);
		chart_sweep_add(&s, 2, fixture[2][i]);
	}
	chart_sweep_add(&s, 3, 3.9);
	chart_sweep_add(&s, 3, 4.0);
	chart_sweep_add(&s, 4, 4.5);
	s.model = "procs";
	s.cpus = 2;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		check_table(&s, widths[i], 0, true);
	t = render_width(&s, CHART_TABLE, 0, 132);
	ok(t && strstr(t, "  <- best  (2 of 3 runs)\n"),
	   "132 columns: the long note");
	free(t);
	chart_sweep_destroy(&s);
}

/* The fields of one CSV line (RFC 4180 quoting) into f[0..max-1]; the
 * line is changed in place.  Returns the number of fields. */
static int csv_split(char *line, char **f, int max)
{
	char *r = line, *w = line;
	int n = 0;

	while (n < max) {
		bool quoted = *r == '"';

		f[n++] = w;
		r += quoted;
		while (*r && (quoted || *r != ',')) {
			if (quoted && *r == '"' && r[1] == '"')
				r++;
			else if (quoted && *r == '"') {
				quoted = false;
				r++;
				continue;
			}
			*w++ = *r++;
		}
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++;
	}
	return n;
}

static void test_csv(void)
{
	struct chart_sweep s;
	char *t, *line, *save = NULL;
	int lines = 0, wrong = 0, best_rows = 0;

	fill(&s);
	t = render(&s, CHART_CSV, 0);
	ok(t != NULL, "CSV renders");
	if (t == NULL)
		return;
	ok(strncmp(t, CHART_CSV_HEADER "\n", strlen(CHART_CSV_HEADER) + 1)
	   == 0, "CSV header");
	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[CHART_CSV_COLUMNS + 1];
		int n = csv_split(line, f, CHART_CSV_COLUMNS + 1);

		if (n != CHART_CSV_COLUMNS)
			wrong++;
		if (lines > 0 && n == CHART_CSV_COLUMNS) {
			double med = atof(f[12]), mn = atof(f[13]),
			       mx = atof(f[14]);

			/* model,gil_ms,order,set,cpu,online_cpus,version,
			 * time,numbers: the sweep's, on every line. */
			if (strcmp(f[0], "process") || strcmp(f[1], "") ||
			    strcmp(f[2], "fifo") || strcmp(f[3], "book") ||
			    strcmp(f[4], "Test CPU @ 1.00GHz") ||
			    strcmp(f[5], "2") || strcmp(f[6], "0.1.0") ||
			    strcmp(f[7], "2024-01-02T03:04:05+01:00") ||
			    strcmp(f[8], "20"))
				wrong++;
			/* runs: the three times, separated by blanks */
			if (count(f[11], " ") != 2 || mn > med || med > mx)
				wrong++;
			best_rows += strcmp(f[17], "1") == 0;
			if (lines == 1 && strcmp(f[9], "sequential"))
				wrong++;
			if (lines == 3 && strcmp(f[11], "5.000000 5.300000 "
						 "5.100000"))
				wrong++;
			if (lines == 4 && (strcmp(f[10], "3") ||
					   strcmp(f[17], "1") ||
					   atof(f[15]) != 2.5))
				wrong++;
		}
		lines++;
	}
	is_u64(lines, 6, "CSV: header, baseline and 4 rows");
	is_u64(wrong, 0, "CSV: %d columns on every line, the sweep's fields "
	       "on each, values parse", CHART_CSV_COLUMNS);
	is_u64(best_rows, 1, "CSV: one best row");
	free(t);
	/* A CPU name with a comma and a quote is quoted, a GIL shows. */
	s.cpu = "Acme \"Fast\", 2 GHz";
	s.gil_ms = 0.5;
	s.set = NULL;
	t = render(&s, CHART_CSV, 0);
	ok(t && strstr(t, "\nprocess,0.5,fifo,,\"Acme \"\"Fast\"\", 2 GHz\","
		       "2,"), "CSV: a field with a comma or quote is quoted, "
	   "no set is empty");
	free(t);
	/* Undefined speedups are empty fields, still 18 columns. */
	chart_sweep_destroy(&s);
	chart_sweep_init(&s, 2, 1);
	chart_sweep_add(&s, 2, 1.5);
	t = render(&s, CHART_CSV, 0);
	ok(t && strstr(t, "\n,,,,,,,,0,pool,2,1.500000,1.500000,1.500000,"
		       "1.500000,,,1\n"),
	   "CSV: undefined speedup and unset fields left empty");
	free(t);
	chart_sweep_destroy(&s);
}

static void test_json(void)
{
	struct chart_sweep s;
	char *t;

	ok(json_valid("{\"a\": [1, -0.5, 2e3, true, null, \"\\u00e9\"]}") &&
	   !json_valid("{\"a\": 01}") && !json_valid("{\"a\": NaN}") &&
	   !json_valid("{\"a\": inf}") && !json_valid("[1,]") &&
	   !json_valid("\"a\tb\"") && !json_valid("\"\\x\"") &&
	   !json_valid("{\"a\" 1}") && !json_valid("\"\xff\"") &&
	   !json_valid("[1] 2") && !json_valid("1."),
	   "the validator itself accepts JSON and refuses near misses");
	fill(&s);
	t = render(&s, CHART_JSON, 0);
	ok(t && json_valid(t), "JSON of the fixture is valid");
	ok(t && strstr(t, "\"best_workers\": 3,") &&
	   count(t, "\"kind\": \"pool\"") == 4 &&
	   count(t, "\"kind\": \"sequential\"") == 1 &&
	   strstr(t, "\"speedup\": 2.5000") &&
	   strstr(t, "\"runs\": [5.000000, 5.300000, 5.100000], "
		  "\"median\": 5.100000, \"min\": 5.000000, "
		  "\"max\": 5.300000"),
	   "JSON holds the best count, the rows and every run's time");
	ok(t && strstr(t, "\n  \"model\": \"process\",\n  \"gil_ms\": null,\n"
		       "  \"order\": \"fifo\",\n  \"set\": \"book\",\n"
		       "  \"cpu\": \"Test CPU @ 1.00GHz\",\n"
		       "  \"online_cpus\": 2,\n"
		       "  \"concdemo_version\": \"0.1.0\",\n"
		       "  \"time\": \"2024-01-02T03:04:05+01:00\",\n"
		       "  \"numbers\": 20,\n"),
	   "JSON: the sweep's facts as separate fields");
	free(t);
	s.gil_ms = 5;
	t = render(&s, CHART_JSON, 0);
	ok(t && json_valid(t) && strstr(t, "\"gil_ms\": 5,\n"),
	   "JSON: gil_ms a number when set");
	free(t);
	/* Hostile strings: quotes, backslash, control characters, bad and
	 * good UTF-8. */
	s.model = "a\"b\\c\n\x01<&>";
	s.cpu = "caf\xC3\xA9 \xFF\xC0\xAF \xED\xA0\x80!";
	s.set = NULL;
	t = render(&s, CHART_JSON, 0);
	ok(t && json_valid(t), "JSON with hostile strings is valid");
	ok(t && strstr(t, "\"model\": \"a\\\"b\\\\c\?\?<&>\"") &&
	   strstr(t, "\"cpu\": \"caf\xC3\xA9 \?\?\? \?\?\?!\"") &&
	   strstr(t, "\"set\": null"),
	   "strings escaped, bad bytes and controls made '?', NULL is null");
	free(t);
	chart_sweep_destroy(&s);
	chart_sweep_init(&s, 3, 2);
	t = render(&s, CHART_JSON, 0);
	ok(t && json_valid(t) && strstr(t, "\"rows\": []") &&
	   strstr(t, "\"baseline\": null") &&
	   strstr(t, "\"best_workers\": null"),
	   "JSON of an empty sweep is valid: no rows, nulls");
	free(t);
	chart_sweep_add(&s, 2, 0.0);
	chart_sweep_add(&s, 1, 1e-7);
	t = render(&s, CHART_JSON, 0);
	ok(t && json_valid(t) && !strstr(t, "e-") && !strstr(t, "nan") &&
	   !strstr(t, "inf"), "tiny and zero times: plain decimals, no NaN");
	free(t);
	chart_sweep_destroy(&s);
}

/* Numbers of the y axis labels, from the yticks group. */
static int y_ticks(const char *svg, double *v, int max)
{
	const char *p = strstr(svg, "class=\"yticks\""), *end;
	int n = 0;

	if (p == NULL || (end = strstr(p, "</g>")) == NULL)
		return -1;
	while (n < max && (p = strstr(p, "<text ")) != NULL && p < end) {
		p = strchr(p, '>') + 1;
		v[n++] = strtod(p, NULL);
	}
	return n;
}

static bool round_step(double step)
{
	double m = step;

	while (m >= 10)
		m /= 10;
	while (m < 1)
		m *= 10;
	return near(m, 1) || near(m, 2) || near(m, 5) || near(m, 10);
}

static double point_cy(const char *svg, int k)
{
	const char *p = svg;

	while (k-- >= 0 && p)
		if ((p = strstr(p, "<circle class=\"point\"")) != NULL)
			p++;
	return p ? strtod(strstr(p, "cy=\"") + 4, NULL) : -1;
}

static void test_svg(void)
{
	struct chart_sweep s;
	struct xml_counts xc;
	double ticks[32];
	int n, i, lowest = 0;
	bool even = true;
	char *t;

	ok(xml_well_formed("<a x=\"1\"><b/>t &amp; u</a>", &xc) &&
	   !xml_well_formed("<a><b></a></b>", &xc) &&
	   !xml_well_formed("<a>x & y</a>", &xc) &&
	   !xml_well_formed("<a x=\"<\"/>", &xc) &&
	   !xml_well_formed("<a/><b/>", &xc) &&
	   !xml_well_formed("<a>", &xc) && !xml_well_formed("<a x=1/>", &xc),
	   "the XML checker accepts XML and refuses near misses");
	fill(&s);
	s.caption = "procs <&> \"x\"";
	t = render(&s, CHART_SVG, 0);
	ok(t && xml_well_formed(t, &xc) && strcmp(xc.root, "svg") == 0,
	   "SVG is well-formed XML with one <svg> root");
	if (t == NULL)
		return;
	is_u64(count(t, "<circle class=\"point\""), 4, "SVG: 4 data points");
	is_u64(count(t, "class=\"whisker\""), 4, "SVG: 4 min-max whiskers");
	is_u64(count(t, "class=\"ideal\""), 1, "SVG: the ideal T1/N curve");
	is_u64(count(t, "class=\"baseline\""), 1, "SVG: the baseline line");
	is_u64(count(t, "class=\"best\""), 1, "SVG: one best mark");
	ok(strstr(t, "procs &lt;&amp;&gt; &quot;x&quot;") != NULL,
	   "SVG: text escaped");
	ok(strstr(t, "Test CPU @ 1.00GHz") && strstr(t, "2024-01-02 03:04"),
	   "SVG: CPU model and date in the caption");
	ok(strstr(t, ">workers</text>") && strstr(t, ">elapsed time (s)<"),
	   "SVG: both axes labelled");
	for (i = 1; i < 4; i++)
		if (point_cy(t, i) > point_cy(t, lowest))
			lowest = i;
	is_u64(lowest, 2, "SVG: the third point (3 workers) is lowest");
	n = y_ticks(t, ticks, 32);
	for (i = 1; i < n; i++)
		even = even &&
		       near(ticks[i] - ticks[i - 1], ticks[1] - ticks[0]);
	ok(n >= 3 && n <= 11 && ticks[0] == 0 && even &&
	   round_step(ticks[1] - ticks[0]) && ticks[n - 1] >= 10.4,
	   "SVG: y ticks from 0 in round steps past the largest time "
	   "(%d ticks, top %g)", n, n > 0 ? ticks[n - 1] : 0);
	free(t);
	chart_sweep_destroy(&s);

	/* Rows missing (a stopped sweep): only the points recorded. */
	chart_sweep_init(&s, 24, 2);
	chart_sweep_add(&s, 1, 2.0);
	chart_sweep_add(&s, 2, 1.0);
	chart_sweep_add(&s, 2, 1.2);
	t = render(&s, CHART_SVG, 0);
	ok(t && xml_well_formed(t, &xc) &&
	   count(t, "<circle class=\"point\"") == 2 &&
	   count(t, "class=\"whisker\"") == 2 &&
	   count(t, "class=\"baseline\"") == 0 && strstr(t, ">?<") == NULL,
	   "SVG of a partial sweep: 2 points, 2 whiskers, no baseline");
	ok(t && strstr(t, "fill=\"white\""), "a row short of runs is hollow");
	free(t);
	chart_sweep_destroy(&s);
	chart_sweep_init(&s, 1, 1);
	t = render(&s, CHART_SVG, 0);
	ok(t && xml_well_formed(t, &xc) &&
	   count(t, "<circle class=\"point\"") == 0,
	   "SVG of an empty sweep is well-formed");
	free(t);
	chart_sweep_destroy(&s);
}

static void test_write_errors(void)
{
	struct chart_sweep s;
	FILE *fp;

	fill(&s);
	ok(chart_write(&s, (enum chart_format)9, 0, 0, stdout) == -EINVAL,
	   "unknown format: -EINVAL");
	fp = fopen("/dev/full", "w");
	if (fp == NULL) {
		ok(true, "# SKIP no /dev/full");
	} else {
		int rc = chart_write(&s, CHART_SVG, 0, 0, fp);

		ok(rc == -ENOSPC, "a full device: -ENOSPC (got %d)", rc);
		fclose(fp);
	}
	chart_sweep_destroy(&s);
}

/* python3's own parsers, when python3 is there. */
static void test_python(void)
{
	static const char *const files[2] = { "json", "svg" };
	static const char *const code[2] = {
		"import json,sys; json.load(open(sys.argv[1]), "
		"parse_constant=lambda c: sys.exit(1))",
		"import sys, xml.etree.ElementTree as E; "
		"r = E.parse(sys.argv[1]).getroot(); "
		"n = sum(1 for e in r.iter() if e.get('class') == 'point'); "
		"sys.exit(0 if r.tag.endswith('svg') and n == 4 else 1)" };
	struct chart_sweep s;
	int i;

	if (system("python3 -c 'pass' >/dev/null 2>&1") != 0) {
		ok(true, "# SKIP python3 not found: no python3 json check");
		ok(true, "# SKIP python3 not found: no python3 xml check");
		return;
	}
	fill(&s);
	s.cpu = "caf\xC3\xA9 <&> \"\\\x01\xFF";
	for (i = 0; i < 2; i++) {
		char path[] = "/tmp/test_chart.XXXXXX", cmd[1024];
		int fd = mkstemp(path), st = -1;
		FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;

		if (fp != NULL) {
			chart_write(&s, i ? CHART_SVG : CHART_JSON, 0, 0, fp);
			fclose(fp);
			snprintf(cmd, sizeof(cmd), "python3 -c \"%s\" %s",
				 code[i], path);
			st = system(cmd);
			unlink(path);
		}
		ok(st == 0, "python3 parses the %s", files[i]);
	}
	chart_sweep_destroy(&s);
}

int main(void)
{
	tap_start(60);
	test_median();
	test_sweep_add();
	test_stats();
	test_table();
	test_csv();
	test_json();
	test_svg();
	test_write_errors();
	test_python();
	return tap_done();
}
