/*
 * tracecheck: read a Chrome Trace Event JSON file (--trace=FILE), check
 * that it is valid JSON in the object form and that every event has the
 * fields its phase needs, then answer questions about it, for the CLI
 * tests (no python needed).  Test-only; a small JSON parser of its own.
 *
 * usage: tracecheck FILE [QUERY ...]
 *   count NAME        events named NAME ("job", "frame", ...)
 *   distinct NAME     distinct args.n among NAME events
 *   tracks NAME       distinct (pid, tid) holding NAME events
 *   overlap NAME      pairs of NAME spans of different threads that overlap
 *   uncovered A B C   A spans not covered by the union of B and C spans
 *                     of the same thread (gaps of 0 ns allowed)
 *   inside A B        A events that lie strictly inside a B span of the
 *                     same thread
 * A thread is a (pid, tid) with its second track, tid + 2^23 (concdemo
 * puts the GIL's spans and slow() there, docs/trace.md).
 *   longest NAME      the longest NAME span, in microseconds
 *   dropped           otherData.dropped
 * Each answer on its own line, in query order.  Valid also means that
 * the X spans of each track nest (two of them are disjoint or one holds
 * the other), as viewers draw them.
 * Exit status: 0; 1 when the file is not valid (the reason on stderr);
 * 2 on bad usage.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jt t;
	double num;
	uint64_t whole;		/* J_NUM: exact when a whole number */
	bool b;
	char *str;		/* J_STR */
	struct jv *items;	/* J_ARR: values; J_OBJ: key, value pairs */
	char **keys;		/* J_OBJ */
	size_t n;
};

static const char *p;
static const char *why;

static void ws(void)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
}

static bool value(struct jv *v, int depth);

/* The parse fails: why says where. */
static bool fail(const char *reason)
{
	why = reason;
	return false;
}

static bool string(char **out)
{
	size_t cap = 16, len = 0;
	char *s = malloc(cap);

	p++;
	while (*p != '"') {
		char c = *p++;

		if ((unsigned char)c < 0x20) {
			free(s);
			return fail("control character in a string");
		}
		if (c == '\\') {
			c = *p++;
			if (c == 'u') {
				int i;

				for (i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)*p++)) {
						free(s);
						return fail("bad \\u escape");
					}
				c = '?';
			} else if (strchr("\"\\/bfnrt", c) == NULL || c == 0) {
				free(s);
				return fail("bad escape");
			}
		}
		if (len + 2 > cap)
			s = realloc(s, cap *= 2);
		s[len++] = c;
	}
	p++;
	s[len] = '\0';
	*out = s;
	return true;
}

static bool number(struct jv *v)
{
	const char *start = p;
	char *end;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p) || (*p == '0' && isdigit((unsigned char)p[1])))
		return fail("bad number");
	v->t = J_NUM;
	v->whole = strtoull(start, NULL, 10);	/* doubles lose 2^53 up */
	v->num = strtod(start, &end);
	p = end;
	return true;
}

static bool literal(const char *word)
{
	size_t n = strlen(word);

	if (strncmp(p, word, n) != 0)
		return fail("unexpected character");
	p += n;
	return true;
}

/* An array ('[' values ']') or an object ('{' "key": value pairs '}'). */
static bool container(struct jv *v, int depth)
{
	bool keyed = *p == '{';
	char close = keyed ? '}' : ']';
	size_t cap = 0;

	v->t = keyed ? J_OBJ : J_ARR;
	p++;
	ws();
	if (*p == close) {
		p++;
		return true;
	}
	for (;;) {
		ws();
		if (keyed && *p != '"')
			return fail("expected a key");
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			v->items = realloc(v->items, cap * sizeof(*v->items));
			if (keyed)
				v->keys = realloc(v->keys,
						  cap * sizeof(*v->keys));
		}
		memset(&v->items[v->n], 0, sizeof(*v->items));
		if (keyed && !string(&v->keys[v->n]))
			return false;
		ws();
		if (keyed && *p++ != ':')
			return fail("expected :");
		if (!value(&v->items[v->n++], depth + 1))
			return false;
		ws();
		if (*p == close) {
			p++;
			return true;
		}
		if (*p++ != ',')
			return fail(keyed ? "expected , or }" : "expected , or ]");
	}
}

static bool value(struct jv *v, int depth)
{
	if (depth > 64)
		return fail("nested too deep");
	ws();
	switch (*p) {
	case '{':
	case '[':
		return container(v, depth);
	case '"':
		v->t = J_STR;
		return string(&v->str);
	case 't':
		v->t = J_BOOL;
		v->b = true;
		return literal("true");
	case 'f':
		v->t = J_BOOL;
		return literal("false");
	case 'n':
		v->t = J_NULL;
		return literal("null");
	}
	return number(v);
}

static const struct jv *get(const struct jv *o, const char *key)
{
	size_t i;

	if (o == NULL || o->t != J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->items[i];
	return NULL;
}

/* ---- the events ---- */

struct ev {
	const char *name;
	char ph;
	long pid, tid;
	int64_t t0, t1;		/* ns */
	uint64_t n;		/* args.n, or UINT64_MAX */
};

static struct ev *evs;
static size_t nev;
static double dropped = -1;

static bool has(const struct jv *e, const char *key, enum jt t)
{
	const struct jv *v = get(e, key);

	return v != NULL && v->t == t;
}

static int64_t ns(double us)
{
	return (int64_t)(us * 1000.0 + 0.5);	/* us >= 0 */
}

/* Check event i's fields for its phase; keep X and i events. */
static bool check_event(const struct jv *e, size_t i)
{
	const struct jv *ph = get(e, "ph"), *args = get(e, "args");
	struct ev *v = &evs[nev];

	if (e->t != J_OBJ || ph == NULL || ph->t != J_STR ||
	    strlen(ph->str) != 1 || !has(e, "name", J_STR) ||
	    !has(e, "pid", J_NUM) || !has(e, "tid", J_NUM)) {
		fprintf(stderr, "tracecheck: event %zu: needs ph, name, pid, "
			"tid\n", i);
		return false;
	}
	if (ph->str[0] == 'M') {
		if (args == NULL || args->t != J_OBJ) {
			fprintf(stderr, "tracecheck: event %zu: metadata "
				"without args\n", i);
			return false;
		}
		return true;
	}
	if (!has(e, "ts", J_NUM) || get(e, "ts")->num < 0 ||
	    (ph->str[0] == 'X' && (!has(e, "dur", J_NUM) ||
				   get(e, "dur")->num < 0)) ||
	    (ph->str[0] != 'X' && ph->str[0] != 'i')) {
		fprintf(stderr, "tracecheck: event %zu: phase %s needs ts%s\n",
			i, ph->str, ph->str[0] == 'X' ? " and dur" : "");
		return false;
	}
	if (ph->str[0] == 'i' && get(e, "s") != NULL &&
	    (!has(e, "s", J_STR) || strchr("gpt", get(e, "s")->str[0]) ==
	     NULL)) {
		fprintf(stderr, "tracecheck: event %zu: bad scope\n", i);
		return false;
	}
	v->name = get(e, "name")->str;
	v->ph = ph->str[0];
	v->pid = (long)get(e, "pid")->num;
	v->tid = (long)get(e, "tid")->num;
	v->t0 = ns(get(e, "ts")->num);
	v->t1 = v->ph == 'X' ? v->t0 + ns(get(e, "dur")->num) : v->t0;
	v->n = has(args, "n", J_NUM) ? get(args, "n")->whole : UINT64_MAX;
	nev++;
	return true;
}

static bool same_track(const struct ev *a, const struct ev *b);

/* X spans by track, then start, longest first: a parent before its
 * children. */
static int by_track(const void *x, const void *y)
{
	const struct ev *a = x, *b = y;

	if (a->ph != b->ph)
		return a->ph < b->ph ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	if (a->t0 != b->t0)
		return a->t0 < b->t0 ? -1 : 1;
	return a->t1 > b->t1 ? -1 : a->t1 < b->t1;
}

/* Whether the X spans of every track nest; sorts a copy of the events. */
static bool nested(void)
{
	struct ev *s = malloc((nev + 1) * sizeof(*s));
	size_t *stack = malloc((nev + 1) * sizeof(*stack));
	size_t i, top = 0;
	bool good = true;

	memcpy(s, evs, nev * sizeof(*s));
	qsort(s, nev, sizeof(*s), by_track);
	for (i = 0; i < nev && good; i++) {
		if (s[i].ph != 'X')
			continue;
		while (top > 0 && (!same_track(&s[stack[top - 1]], &s[i]) ||
				   s[stack[top - 1]].t1 <= s[i].t0))
			top--;
		if (top > 0 && s[i].t1 > s[stack[top - 1]].t1) {
			fprintf(stderr, "tracecheck: '%s' at %lld ns crosses "
				"'%s' on track %ld/%ld\n", s[i].name,
				(long long)s[i].t0, s[stack[top - 1]].name,
				s[i].pid, s[i].tid);
			good = false;
		}
		stack[top++] = i;
	}
	free(s);
	free(stack);
	return good;
}

static bool load(const struct jv *doc)
{
	const struct jv *list = get(doc, "traceEvents"), *u, *other;
	size_t i;

	if (list == NULL || list->t != J_ARR) {
		fprintf(stderr, "tracecheck: no traceEvents array\n");
		return false;
	}
	u = get(doc, "displayTimeUnit");
	if (u != NULL && (u->t != J_STR || (strcmp(u->str, "ms") != 0 &&
					    strcmp(u->str, "ns") != 0))) {
		fprintf(stderr, "tracecheck: bad displayTimeUnit\n");
		return false;
	}
	other = get(doc, "otherData");
	if (has(other, "dropped", J_NUM))
		dropped = get(other, "dropped")->num;
	evs = calloc(list->n + 1, sizeof(*evs));
	for (i = 0; i < list->n; i++)
		if (!check_event(&list->items[i], i))
			return false;
	return nested();
}

/* ---- the questions ---- */

static bool named(const struct ev *e, const char *name)
{
	return strcmp(e->name, name) == 0;
}

#define ASIDE (1L << 23)

static bool same_track(const struct ev *a, const struct ev *b)
{
	return a->pid == b->pid && a->tid == b->tid;
}

static bool same_thread(const struct ev *a, const struct ev *b)
{
	return a->pid == b->pid && a->tid % ASIDE == b->tid % ASIDE;
}

static long count(const char *name)
{
	size_t i;
	long c = 0;

	for (i = 0; i < nev; i++)
		c += named(&evs[i], name);
	return c;
}

/* Distinct values of key(a) among events named name (quadratic: the
 * files are small). */
static long distinct(const char *name, bool track)
{
	size_t i, j;
	long c = 0;

	for (i = 0; i < nev; i++) {
		if (!named(&evs[i], name))
			continue;
		for (j = 0; j < i; j++)
			if (named(&evs[j], name) &&
			    (track ? same_track(&evs[i], &evs[j]) :
			     evs[i].n == evs[j].n))
				break;
		c += j == i;
	}
	return c;
}

static long overlap(const char *name)
{
	size_t i, j;
	long c = 0;

	for (i = 0; i < nev; i++)
		for (j = i + 1; j < nev; j++)
			if (named(&evs[i], name) && named(&evs[j], name) &&
			    evs[i].ph == 'X' && evs[j].ph == 'X' &&
			    !same_thread(&evs[i], &evs[j]) &&
			    evs[i].t0 < evs[j].t1 && evs[j].t0 < evs[i].t1)
				c++;
	return c;
}

/* Whether [t0, t1] is covered by the union of the b and c spans on a's
 * track: walk forward from t0, each time to the furthest end of a span
 * that starts at or before the point reached. */
static bool covered(const struct ev *a, const char *b, const char *c)
{
	int64_t at = a->t0;
	bool moved = true;
	size_t i;

	while (at < a->t1 && moved) {
		moved = false;
		for (i = 0; i < nev; i++) {
			const struct ev *e = &evs[i];

			if (e->ph == 'X' && same_thread(e, a) &&
			    (named(e, b) || named(e, c)) && e->t0 <= at &&
			    e->t1 > at) {
				at = e->t1;
				moved = true;
			}
		}
	}
	return at >= a->t1;
}

static long uncovered(const char *a, const char *b, const char *c)
{
	size_t i;
	long n = 0;

	for (i = 0; i < nev; i++)
		if (named(&evs[i], a) && evs[i].ph == 'X' &&
		    !covered(&evs[i], b, c))
			n++;
	return n;
}

static long inside(const char *a, const char *b)
{
	size_t i, j;
	long n = 0;

	for (i = 0; i < nev; i++) {
		if (!named(&evs[i], a))
			continue;
		for (j = 0; j < nev; j++)
			if (named(&evs[j], b) && evs[j].ph == 'X' &&
			    same_thread(&evs[i], &evs[j]) &&
			    evs[j].t0 < evs[i].t0 && evs[i].t1 < evs[j].t1)
				break;
		n += j < nev;
	}
	return n;
}

static double longest(const char *name)
{
	double m = 0;
	size_t i;

	for (i = 0; i < nev; i++)
		if (named(&evs[i], name) && evs[i].t1 - evs[i].t0 > m)
			m = (double)(evs[i].t1 - evs[i].t0);
	return m / 1000.0;
}

static int usage(void)
{
	fprintf(stderr, "usage: tracecheck FILE [count|distinct|tracks|"
		"overlap|longest NAME | uncovered A B C | inside A B | "
		"dropped] ...\n");
	return 2;
}

static int query(int argc, char **argv)
{
	int i = 0;

	while (i < argc) {
		const char *q = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(q, "dropped") == 0) {
			printf("%.0f\n", dropped);
			i += 1;
		} else if (a == NULL) {
			return usage();
		} else if (strcmp(q, "count") == 0) {
			printf("%ld\n", count(a));
			i += 2;
		} else if (strcmp(q, "distinct") == 0) {
			printf("%ld\n", distinct(a, false));
			i += 2;
		} else if (strcmp(q, "tracks") == 0) {
			printf("%ld\n", distinct(a, true));
			i += 2;
		} else if (strcmp(q, "overlap") == 0) {
			printf("%ld\n", overlap(a));
			i += 2;
		} else if (strcmp(q, "longest") == 0) {
			printf("%.3f\n", longest(a));
			i += 2;
		} else if (strcmp(q, "inside") == 0 && i + 2 < argc) {
			printf("%ld\n", inside(a, argv[i + 2]));
			i += 3;
		} else if (strcmp(q, "uncovered") == 0 && i + 3 < argc) {
			printf("%ld\n", uncovered(a, argv[i + 2], argv[i + 3]));
			i += 4;
		} else {
			return usage();
		}
	}
	return 0;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 1 << 16, len = 0, got;
	char *buf;

	if (fp == NULL)
		return NULL;
	buf = malloc(cap);
	while ((got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
		len += got;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	buf[len] = '\0';
	return buf;
}

/* Static: still reachable at exit, for the leak checker. */
static struct jv doc;
static char *text;

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	text = slurp(argv[1]);
	if (text == NULL) {
		fprintf(stderr, "tracecheck: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	p = text;
	ws();
	if (*p != '{' || !value(&doc, 0) || (ws(), *p != '\0')) {
		fprintf(stderr, "tracecheck: not a JSON object at byte %ld: "
			"%s\n", (long)(p - text), why ? why : "trailing text");
		return 1;
	}
	if (!load(&doc))
		return 1;
	return query(argc - 2, argv + 2);
}
