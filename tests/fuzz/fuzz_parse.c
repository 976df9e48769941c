/*
 * fuzz_parse: libFuzzer target for the number parsers (parse.h), checked
 * against slow references written here from the header's contract, not
 * from parse.c: digits and '_' walked one by one, the range decided on the
 * decimal string, seconds rebuilt in long double.
 *
 * Input: byte 0 picks the parser, bytes 1..16 give parse_count's min and
 * max (and byte 1 parse_seconds' max), the rest is the string.
 * Any disagreement aborts, and libFuzzer keeps the input.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

static void fail(const char *what, const char *s, int got, int want)
{
	fprintf(stderr, "fuzz_parse: %s('%s'): got %d, want %d\n", what, s,
		got, want);
	abort();
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* parse_u64's contract: digits, single '_' only between two digits, and
 * at most 18446744073709551615, decided on the decimal string. */
static int ref_u64(const char *s, uint64_t *out)
{
	static const char max[] = "18446744073709551615";
	char digits[64];
	size_t i, n = 0, len = strlen(s);
	uint64_t v = 0;
	bool big = false;

	if (len == 0 || !digit(s[0]) || !digit(s[len - 1]))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] == '_' && digit(s[i - 1]) && digit(s[i + 1]))
			continue;
		if (!digit(s[i]))
			return -EINVAL;
		if (n == 0 && s[i] == '0')
			continue;	/* leading zeros do not count */
		if (n < sizeof(digits) - 1)
			digits[n++] = s[i];
		else
			big = true;
	}
	digits[n] = '\0';
	if (big || n > 20 || (n == 20 && strcmp(digits, max) > 0))
		return -ERANGE;
	for (i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(digits[i] - '0');
	*out = v;
	return 0;
}

static void check_u64(const char *s)
{
	uint64_t got = SENTINEL, want = SENTINEL;
	int rc = parse_u64(s, &got), ref = ref_u64(s, &want);

	if (rc != ref)
		fail("parse_u64", s, rc, ref);
	if (got != want)
		fail("parse_u64 value (or *out touched on error)", s, 0, 1);
}

static void check_count(const char *s, uint64_t min, uint64_t max)
{
	uint64_t got = SENTINEL, want = SENTINEL, v;
	int rc = parse_count(s, min, max, &got), ref = ref_u64(s, &v);

	if (ref == 0 && (v < min || v > max))
		ref = -ERANGE;
	else if (ref == 0)
		want = v;
	if (rc != ref)
		fail("parse_count", s, rc, ref);
	if (got != want)
		fail("parse_count value (or *out touched on error)", s, 0, 1);
}

/* parse_seconds' contract: [digits][.digits] with a digit somewhere, then
 * an optional e[+-]digits; the value rebuilt from its digits. */
static int ref_seconds(const char *s, long double *out)
{
	long double m = 0;
	long exp10 = 0, e = 0;
	int sig = 0, dots = 0, any = 0, esign = 1;
	const char *p;

	for (p = s; digit(*p) || *p == '.'; p++) {
		if (*p == '.') {
			dots++;
			continue;
		}
		any = 1;
		if (sig < 19 && (m > 0 || *p != '0')) {
			m = m * 10 + (*p - '0');
			sig++;
			if (dots)
				exp10--;
		} else if (m > 0 && !dots) {
			exp10++;	/* a digit past 19 significant ones */
		} else if (m == 0 && dots) {
			exp10--;	/* leading zero after the point */
		}
	}
	if (!any || dots > 1)
		return -EINVAL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			esign = *p++ == '-' ? -1 : 1;
		if (!digit(*p))
			return -EINVAL;
		for (; digit(*p); p++)
			if (e < 100000)
				e = e * 10 + (*p - '0');
	}
	if (*p != '\0')
		return -EINVAL;
	exp10 += esign * e;
	if (m == 0)
		*out = 0;
	else if (exp10 > 5000)
		*out = HUGE_VALL;
	else if (exp10 < -5000)
		*out = 0;
	else
		*out = m * powl(10.0L, (long double)exp10);
	return 0;
}

static void check_seconds(const char *s, double max)
{
	double got = -1;
	long double want;
	int rc = parse_seconds(s, max, &got), ref = ref_seconds(s, &want);
	long double lim = (long double)max < (long double)DBL_MAX ?
			  (long double)max : (long double)DBL_MAX;

	if (ref != 0) {
		if (rc != ref)
			fail("parse_seconds", s, rc, ref);
		return;
	}
	/* The range is decided on the double the text rounds to (1e-400 is
	 * 0); within a hair of the limit either answer is right. */
	if ((long double)(double)want == 0)
		want = 0;
	if (want > lim * (1 + 1e-12L)) {
		if (rc != -ERANGE)
			fail("parse_seconds above max", s, rc, -ERANGE);
	} else if (want < lim * (1 - 1e-12L) || want == 0) {
		long double err = fabsl((long double)got - want);

		if (rc != 0)
			fail("parse_seconds in range", s, rc, 0);
		if (err > want * 1e-15L && err > 1e-323L)
			fail("parse_seconds value", s, 0, 1);
	}
	if (rc != 0 && got != -1)
		fail("parse_seconds touched *out on error", s, 0, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double maxes[] = { 3600, 86400, 1e308, DBL_MAX, 0 };
	uint64_t a = 0, b = 0;
	char *s;

	if (size < 17)
		return 0;
	memcpy(&a, data + 1, 8);
	memcpy(&b, data + 9, 8);
	s = malloc(size - 17 + 1);	/* exact size: ASan sees overreads */
	if (s == NULL)
		return 0;
	memcpy(s, data + 17, size - 17);
	s[size - 17] = '\0';
	switch (data[0] % 3) {
	case 0:
		check_u64(s);
		break;
	case 1:
		/* Small bounds too, so both sides of the range are hit. */
		if (data[0] & 0x80) {
			a %= 1000;
			b %= 2000;
		}
		check_count(s, a < b ? a : b, a < b ? b : a);
		break;
	default:
		check_seconds(s, maxes[data[1] % 5]);
		break;
	}
	free(s);
	return 0;
}
