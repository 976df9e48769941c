/*
 * parse: strict number parsing.  We walk the digits ourselves instead of
 * calling strtoull, which would accept a sign ("-1" wraps to 2^64-1),
 * leading blanks and would need separators stripped first.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	bool overflow = false;
	const char *p;

	if (s == NULL || !is_digit(s[0]))
		return -EINVAL;
	for (p = s; *p != '\0'; p++) {
		unsigned digit;

		if (*p == '_') {
			/* A separator sits between two digits. */
			if (!is_digit(p[1]) || !is_digit(p[-1]))
				return -EINVAL;
			continue;
		}
		if (!is_digit(*p))
			return -EINVAL;
		digit = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - digit) / 10)
			overflow = true;	/* keep checking the syntax */
		else
			v = v * 10 + digit;
	}
	if (overflow)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	int rc = parse_u64(s, &v);

	if (rc != 0)
		return rc;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_seconds(const char *s, double max, double *out)
{
	const char *p;
	bool digits = false;
	char *end;
	double v;

	/* Allow only [0-9] [.] [0-9] [e[-+]0-9]: strtod alone would also take
	 * blanks, a sign, hex floats, "inf" and "nan". */
	for (p = s; is_digit(*p) || *p == '.'; p++)
		digits = digits || is_digit(*p);
	if (!digits)
		return -EINVAL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return -EINVAL;
		while (is_digit(*p))
			p++;
	}
	if (*p != '\0')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end != p)
		return -EINVAL;	/* e.g. "1.2.3" */
	/* ERANGE means overflow (HUGE_VAL) or underflow (a value below
	 * DBL_MIN, rounded: 1e-310 is a subnormal, not an error). */
	if (errno == ERANGE && v > 1.0)
		return -ERANGE;
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
