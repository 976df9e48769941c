/* Unit tests for machine: the CPU model parsed from /proc/cpuinfo samples
 * of several kinds of machine (fixed text: no assumption about the machine
 * the test runs on), its truncation, and the dates in time zones the test
 * sets itself. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "tap.h"

static const char intel[] =
	"processor\t: 0\n"
	"vendor_id\t: GenuineIntel\n"
	"cpu family\t: 6\n"
	"model\t\t: 106\n"
	"model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\n"
	"cpu MHz\t\t: 2899.968\n"
	"cpu cores\t: 2\n"
	"\n"
	"processor\t: 1\n"
	"model name\t: a second CPU, never read\n";

static const char amd_short[] =
	"processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n";

static const char amd_long[] =
	"model name\t: AMD EPYC 7B13 64-Core Processor\n";

/* 64-bit ARM: no model name, only the implementer and part numbers. */
static const char neoverse[] =
	"processor\t: 0\n"
	"BogoMIPS\t: 50.00\n"
	"Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics\n"
	"CPU implementer\t: 0x41\n"
	"CPU architecture: 8\n"
	"CPU variant\t: 0x3\n"
	"CPU part\t: 0xd0c\n"
	"CPU revision\t: 1\n";

static const char apple[] =
	"CPU implementer\t: 0x61\nCPU part\t: 0x022\n";

static const char unknown_arm[] =
	"CPU implementer\t: 0x99\nCPU part\t: 0x001\n";

/* 32-bit ARM board: a model name, and Hardware after the last CPU. */
static const char raspberry[] =
	"processor\t: 0\n"
	"model name\t: ARMv7 Processor rev 3 (v7l)\n"
	"BogoMIPS\t: 108.00\n"
	"\n"
	"Hardware\t: BCM2835\n"
	"Revision\t: a02082\n";

/* Older ARM kernels: "Processor", not "model name"; Hardware names it. */
static const char old_arm[] =
	"Processor\t: ARMv7 Processor rev 10 (v7l)\n"
	"Hardware\t: Freescale i.MX 6Quad\n";

static const char power[] =
	"processor\t: 0\n"
	"cpu MHz\t\t: 3800.000000\n"
	"cpu\t\t: POWER9 (architected), altivec supported\n";

static const char mips[] = "system type\t\t: MediaTek MT7621\n"
			   "cpu model\t\t: MIPS 1004Kc V2.15\n";

/* parse TEXT into a buffer of SIZE, compare with WANT (NULL: -ENOENT). */
static void parses(const char *name, const char *text, size_t size,
		   const char *want)
{
	char buf[256];
	int rc = machine_cpu_model_parse(text, buf, size);

	if (want == NULL) {
		ok(rc == -ENOENT, "%s: -ENOENT (got %d)", name, rc);
		return;
	}
	if (!ok(rc == 0 && strcmp(buf, want) == 0, "%s: '%s'", name, want))
		diag("got %d '%s'", rc, rc == 0 ? buf : "");
}

static void test_kinds(void)
{
	parses("Intel, first CPU only", intel, 256,
	       "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
	parses("AMD, a short name", amd_short, 256, "AMD EPYC");
	parses("AMD, a long name", amd_long, 256,
	       "AMD EPYC 7B13 64-Core Processor");
	parses("64-bit ARM, implementer and part", neoverse, 256,
	       "ARM Neoverse-N1");
	parses("Apple silicon under Linux", apple, 256, "Apple part 0x022");
	parses("unknown implementer", unknown_arm, 256,
	       "implementer 0x99 part 0x001");
	parses("32-bit ARM: model name before Hardware", raspberry, 256,
	       "ARMv7 Processor rev 3 (v7l)");
	parses("older ARM: Hardware", old_arm, 256, "Freescale i.MX 6Quad");
	parses("POWER: 'cpu', not 'cpu MHz'", power, 256,
	       "POWER9 (architected), altivec supported");
	parses("MIPS: cpu model", mips, 256, "MIPS 1004Kc V2.15");
	parses("no newline at the end", "model name : Z80", 256, "Z80");
	parses("CRLF lines", "model name\t: 6502 CPU\r\n", 256, "6502 CPU");
	parses("an empty file", "", 256, NULL);
	parses("no key we know", "vendor_id : X\nflags : a b c\n", 256, NULL);
	parses("an empty value", "model name\t:\n", 256, NULL);
	parses("a blank value", "model name\t:  \t \n", 256, NULL);
	parses("an empty model name, then Hardware",
	       "model name\t:\nHardware\t: Board X\n", 256, "Board X");
	parses("a line with no colon", "model name AMD\n", 256, NULL);
}

static void test_blanks(void)
{
	parses("runs of blanks and tabs squeezed",
	       "model name\t:  Intel(R)\t\tCore(TM)   i7  \t\n", 256,
	       "Intel(R) Core(TM) i7");
	parses("blank exactly at the cut (size 4)", amd_short, 4, "AMD");
	parses("blank before the cut (size 5)", amd_short, 5, "AMD");
	parses("cut inside the second word (size 6)", amd_short, 6, "AMD E");
	parses("exactly fits (size 9)", amd_short, 9, "AMD EPYC");
	parses("size 1: empty", amd_short, 1, "");
	parses("squeezed runs at the cut",
	       "model name : A \t  B\n", 3, "A");
}

/* Every size: a prefix of the whole name, never two words glued, never
 * a trailing blank, and at most one character short of the buffer. */
static void test_every_size(void)
{
	const char *full = "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz";
	size_t size, bad = 0;
	char buf[64];

	for (size = 1; size <= strlen(full) + 2; size++) {
		size_t n;

		if (machine_cpu_model_parse(intel, buf, size) != 0) {
			bad++;
			continue;
		}
		n = strlen(buf);
		if (strncmp(buf, full, n) != 0 || (n > 0 && buf[n - 1] == ' ') ||
		    n + 1 > size || n + 2 < (size < strlen(full) + 1 ?
					      size : strlen(full) + 1))
			bad++;
	}
	is_u64(bad, 0, "every buffer size: a prefix, no trailing blank");
	ok(machine_cpu_model_parse(intel, buf, 0) == -EINVAL, "size 0: -EINVAL");
	ok(machine_cpu_model_parse(NULL, buf, 8) == -EINVAL, "NULL: -EINVAL");
}

/* This machine, whatever it is: some name, clean (uname's machine at
 * worst, where /proc/cpuinfo is missing or says nothing we know). */
static void test_here(void)
{
	char buf[128], small[8];
	size_t n;

	ok(machine_cpu_model(buf, sizeof(buf)) == 0 && (n = strlen(buf)) > 0 &&
	   buf[0] != ' ' && buf[n - 1] != ' ' && !strstr(buf, "  ") &&
	   !strchr(buf, '\t') && !strchr(buf, '\n'),
	   "this machine's CPU model: '%s'", buf);
	ok(machine_cpu_model(small, sizeof(small)) == 0 &&
	   strncmp(small, buf, strlen(small)) == 0,
	   "this machine's, in 8 bytes: a prefix ('%s')", small);
	ok(machine_cpu_model(small, 0) == -EINVAL, "size 0: -EINVAL");
}

static void in_zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void test_dates(void)
{
	char d[32];

	in_zone("UTC0");
	ok(machine_date(0, d, sizeof(d)) == 0 &&
	   strcmp(d, "1970-01-01 00:00") == 0, "date of 0, TZ=UTC0");
	ok(machine_date(1700000000, d, sizeof(d)) == 0 &&
	   strcmp(d, "2023-11-14 22:13") == 0, "date of 1700000000, TZ=UTC0");
	ok(machine_date(0, d, 16) == -EINVAL, "date: small buffer -EINVAL");
	ok(machine_time_iso(0, d, sizeof(d)) == 0 &&
	   strcmp(d, "1970-01-01T00:00:00+00:00") == 0, "ISO time, TZ=UTC0");
	in_zone("EST5");
	ok(machine_time_iso(0, d, sizeof(d)) == 0 &&
	   strcmp(d, "1969-12-31T19:00:00-05:00") == 0,
	   "ISO time, TZ=EST5: %s", d);
	ok(machine_date(0, d, sizeof(d)) == 0 &&
	   strcmp(d, "1969-12-31 19:00") == 0, "date, TZ=EST5");
	in_zone("<+0530>-5:30");
	ok(machine_time_iso(1700000000, d, sizeof(d)) == 0 &&
	   strcmp(d, "2023-11-15T03:43:20+05:30") == 0,
	   "ISO time, TZ=+05:30: %s", d);
	ok(machine_time_iso(0, d, 25) == -EINVAL, "ISO: small buffer -EINVAL");
}

int main(void)
{
	tap_start(30);
	test_kinds();
	test_blanks();
	test_every_size();
	test_here();
	test_dates();
	return tap_done();
}
