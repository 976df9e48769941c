/* Unit tests for parse: every form a user may type, good and bad. */
#include <errno.h>

#include "parse.h"
#include "tap.h"

static void good_u64(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int rc = parse_u64(s, &v);

	ok(rc == 0 && v == want, "parse_u64('%s') = %" PRIu64, s, want);
}

static void bad_u64(const char *s, int want)
{
	uint64_t v = 12345;
	int rc = parse_u64(s, &v);

	ok(rc == want && v == 12345, "parse_u64('%s') is %s", s,
	   want == -ERANGE ? "ERANGE" : "EINVAL");
}

int main(void)
{
	static const char *invalid[] = {
		"", "_", "-1", "+1", " 1", "1 ", "0x10", "1_", "_1", "1__0",
		"12a", "1.0", "1e3", "\xd9\xa3", "1\\n", "--1", "1,000",
	};
	uint64_t v;
	double d;
	unsigned i;

	tap_start(10);
	good_u64("0", 0);
	good_u64("2", 2);
	good_u64("007", 7);
	good_u64("5_000_111_000_222_021", 5000111000222021u);
	good_u64("1_2_3", 123);
	good_u64("18446744073709551615", UINT64_MAX);
	good_u64("18_446_744_073_709_551_615", UINT64_MAX);
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		bad_u64(invalid[i], -EINVAL);
	bad_u64("18446744073709551616", -ERANGE);
	bad_u64("99999999999999999999999", -ERANGE);
	bad_u64("99999999999999999999999x", -EINVAL);
	ok(parse_u64(NULL, &v) == -EINVAL, "parse_u64(NULL) is EINVAL");
	ok(parse_u64("1\n", &v) == -EINVAL, "parse_u64 rejects a newline");

	ok(parse_count("4", 1, 1024, &v) == 0 && v == 4, "count 4");
	ok(parse_count("1024", 1, 1024, &v) == 0 && v == 1024, "count max");
	ok(parse_count("0", 1, 1024, &v) == -ERANGE, "count 0 < min");
	ok(parse_count("1025", 1, 1024, &v) == -ERANGE, "count > max");
	ok(parse_count("abc", 1, 1024, &v) == -EINVAL, "count 'abc'");

	ok(parse_seconds("3", 3600, &d) == 0 && d == 3.0, "seconds 3");
	ok(parse_seconds("0.5", 3600, &d) == 0 && d == 0.5, "seconds 0.5");
	ok(parse_seconds(".25", 3600, &d) == 0 && d == 0.25, "seconds .25");
	ok(parse_seconds("2.", 3600, &d) == 0 && d == 2.0, "seconds 2.");
	ok(parse_seconds("1e-3", 3600, &d) == 0 && d == 0.001, "seconds 1e-3");
	ok(parse_seconds("0", 3600, &d) == 0 && d == 0.0, "seconds 0");
	ok(parse_seconds("3601", 3600, &d) == -ERANGE, "seconds > max");
	ok(parse_seconds("1e999", 3600, &d) == -ERANGE, "seconds 1e999");
	ok(parse_seconds("-1", 3600, &d) == -EINVAL, "seconds -1");
	ok(parse_seconds("inf", 3600, &d) == -EINVAL, "seconds inf");
	ok(parse_seconds("nan", 3600, &d) == -EINVAL, "seconds nan");
	ok(parse_seconds("0x1p3", 3600, &d) == -EINVAL, "seconds hex");
	ok(parse_seconds("1.2.3", 3600, &d) == -EINVAL, "seconds 1.2.3");
	ok(parse_seconds(".", 3600, &d) == -EINVAL, "seconds .");
	ok(parse_seconds("", 3600, &d) == -EINVAL, "seconds empty");
	ok(parse_seconds("1e", 3600, &d) == -EINVAL, "seconds 1e");
	ok(parse_seconds(" 1", 3600, &d) == -EINVAL, "seconds ' 1'");
	/* Underflow (strtod's ERANGE on a subnormal) is not "too large". */
	ok(parse_seconds("1e-310", 3600, &d) == 0 && d > 0 && d < 1e-300,
	   "seconds 1e-310 (a subnormal) is accepted");
	ok(parse_seconds("8888888888888888888888887e-335", 3600, &d) == 0 &&
	   d > 0 && d < 1e-300, "seconds 8.9e-311 is accepted");
	ok(parse_seconds("1e-400", 3600, &d) == 0 && d == 0.0,
	   "seconds 1e-400 rounds to 0");
	return tap_done();
}
