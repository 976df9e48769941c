/*
 * machine: the CPU's model and the local date, for captions.
 *
 * No state.  The /proc/cpuinfo parser works on text handed to it, so the
 * tests feed it samples from x86, ARM and others; machine_cpu_model only
 * reads the file (or asks macOS) and calls it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#ifdef __APPLE__
#include <sys/sysctl.h>
#endif

#include "machine.h"

/* The most of /proc/cpuinfo we read: the first CPU's lines, and the
 * "Hardware" line that 32-bit ARM prints after the last CPU's. */
#define CPUINFO_MAX (256 * 1024)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* src[0..len) into buf, blanks trimmed and runs of them squeezed to one
 * space.  Cut to what fits: always a prefix of the whole squeezed value,
 * and never ending in a blank (a blank is written only when a character
 * after it fits too), so two words are never glued together. */
static void squeeze(char *buf, size_t size, const char *src, size_t len)
{
	size_t n = 0, i;
	bool blank = false;

	for (i = 0; i < len; i++) {
		if (is_blank(src[i])) {
			blank = n > 0;
			continue;
		}
		if (blank) {
			if (n + 2 >= size)
				break;
			buf[n++] = ' ';
			blank = false;
		}
		if (n + 1 >= size)
			break;
		buf[n++] = src[i];
	}
	buf[n] = '\0';
}

/* The keys we know, in order of preference. */
enum { K_MODEL, K_HARDWARE, K_CPU_MODEL, K_CPU, K_IMPLEMENTER, K_PART, NKEYS };
static const char *const keys[NKEYS] = {
	"model name", "Hardware", "cpu model", "cpu", "CPU implementer",
	"CPU part",
};

struct value {
	const char *at;		/* NULL: no line with this key */
	size_t len;
};

/* Split the line [p, end) as "key<blanks>: value"; fill in the value of
 * a key we know, if it is the first line with that key. */
static void take_line(const char *p, const char *end, struct value *v)
{
	const char *colon = memchr(p, ':', (size_t)(end - p));
	const char *k_end;
	size_t k;

	if (colon == NULL)
		return;
	for (k_end = colon; k_end > p && is_blank(k_end[-1]); k_end--)
		;
	for (k = 0; k < NKEYS; k++) {
		if (v[k].at == NULL && strlen(keys[k]) == (size_t)(k_end - p) &&
		    memcmp(p, keys[k], (size_t)(k_end - p)) == 0) {
			v[k].at = colon + 1;
			v[k].len = (size_t)(end - colon - 1);
		}
	}
}

static bool has_text(const struct value *v)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (!is_blank(v->at[i]))
			return true;
	return false;
}

/* A number such as "0x41" from a value; -1 if it is not one. */
static long hex_value(const struct value *v)
{
	char tmp[24];
	char *end;
	long n;

	if (v->at == NULL)
		return -1;
	squeeze(tmp, sizeof(tmp), v->at, v->len);
	n = strtol(tmp, &end, 0);
	return end != tmp && *end == '\0' && n >= 0 ? n : -1;
}

static const char *implementer_name(long id)
{
	static const struct { long id; const char *name; } names[] = {
		{ 0x41, "ARM" }, { 0x42, "Broadcom" }, { 0x43, "Cavium" },
		{ 0x46, "Fujitsu" }, { 0x48, "HiSilicon" }, { 0x4e, "NVIDIA" },
		{ 0x50, "APM" }, { 0x51, "Qualcomm" }, { 0x61, "Apple" },
		{ 0xc0, "Ampere" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == id)
			return names[i].name;
	return NULL;
}

/* The cores of Arm Ltd (implementer 0x41) seen in servers and boards. */
static const char *arm_part_name(long part)
{
	static const struct { long part; const char *name; } parts[] = {
		{ 0xd03, "Cortex-A53" }, { 0xd04, "Cortex-A35" },
		{ 0xd05, "Cortex-A55" }, { 0xd07, "Cortex-A57" },
		{ 0xd08, "Cortex-A72" }, { 0xd09, "Cortex-A73" },
		{ 0xd0a, "Cortex-A75" }, { 0xd0b, "Cortex-A76" },
		{ 0xd0c, "Neoverse-N1" }, { 0xd0d, "Cortex-A77" },
		{ 0xd40, "Neoverse-V1" }, { 0xd41, "Cortex-A78" },
		{ 0xd44, "Cortex-X1" }, { 0xd46, "Cortex-A510" },
		{ 0xd47, "Cortex-A710" }, { 0xd48, "Cortex-X2" },
		{ 0xd49, "Neoverse-N2" }, { 0xd4f, "Neoverse-V2" },
	};
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].part == part)
			return parts[i].name;
	return NULL;
}

/* 64-bit ARM: a name from the implementer and part numbers. */
static int arm_model(const struct value *v, char *buf, size_t size)
{
	long impl = hex_value(&v[K_IMPLEMENTER]), part = hex_value(&v[K_PART]);
	const char *who = implementer_name(impl);
	const char *core = impl == 0x41 ? arm_part_name(part) : NULL;
	char name[80];

	if (impl < 0)
		return -ENOENT;
	if (who != NULL && core != NULL)
		snprintf(name, sizeof(name), "%s %s", who, core);
	else if (who != NULL && part >= 0)
		snprintf(name, sizeof(name), "%s part 0x%03lx", who, part);
	else if (who != NULL)
		snprintf(name, sizeof(name), "%s", who);
	else if (part >= 0)
		snprintf(name, sizeof(name), "implementer 0x%02lx part 0x%03lx",
			 impl, part);
	else
		snprintf(name, sizeof(name), "implementer 0x%02lx", impl);
	squeeze(buf, size, name, strlen(name));
	return 0;
}

int machine_cpu_model_parse(const char *cpuinfo, char *buf, size_t size)
{
	struct value v[NKEYS];
	const char *p = cpuinfo;
	size_t k;

	if (size == 0 || cpuinfo == NULL)
		return -EINVAL;
	buf[0] = '\0';
	memset(v, 0, sizeof(v));
	while (*p != '\0') {
		const char *end = strchr(p, '\n');

		if (end == NULL)
			end = p + strlen(p);
		take_line(p, end, v);
		p = *end == '\n' ? end + 1 : end;
	}
	for (k = 0; k < K_IMPLEMENTER; k++) {
		if (v[k].at != NULL && has_text(&v[k])) {
			squeeze(buf, size, v[k].at, v[k].len);
			return 0;
		}
	}
	return arm_model(v, buf, size);
}

/* Linux: the first CPUINFO_MAX bytes of /proc/cpuinfo, parsed. */
static int from_proc(char *buf, size_t size)
{
	FILE *fp = fopen("/proc/cpuinfo", "r");
	char *text;
	size_t len;
	int rc;

	if (fp == NULL)
		return -errno;
	text = malloc(CPUINFO_MAX + 1);
	if (text == NULL) {
		fclose(fp);
		return -ENOMEM;
	}
	len = fread(text, 1, CPUINFO_MAX, fp);
	text[len] = '\0';
	rc = ferror(fp) ? -EIO : machine_cpu_model_parse(text, buf, size);
	fclose(fp);
	free(text);
	return rc;
}

#ifdef __APPLE__
static int from_sysctl(char *buf, size_t size)
{
	char brand[256];
	size_t len = sizeof(brand);

	if (sysctlbyname("machdep.cpu.brand_string", brand, &len, NULL, 0) != 0)
		return -errno;
	squeeze(buf, size, brand, strnlen(brand, len));
	return buf[0] != '\0' ? 0 : -ENOENT;
}
#endif

int machine_cpu_model(char *buf, size_t size)
{
	struct utsname u;

	if (size == 0)
		return -EINVAL;
	buf[0] = '\0';
#ifdef __APPLE__
	if (from_sysctl(buf, size) == 0)
		return 0;
#endif
	if (from_proc(buf, size) == 0)
		return 0;
	if (uname(&u) != 0)
		return -errno;
	squeeze(buf, size, u.machine, strlen(u.machine));
	return 0;
}

int machine_date(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (size < 17 || localtime_r(&t, &tm) == NULL)
		return -EINVAL;
	if (strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
		return -EINVAL;
	return 0;
}

int machine_time_iso(time_t t, char *buf, size_t size)
{
	struct tm tm;
	size_t n;

	if (size < 26 || localtime_r(&t, &tm) == NULL)
		return -EINVAL;
	/* %z gives +0100; ISO 8601's extended form wants +01:00. */
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (n != 24 || (buf[19] != '+' && buf[19] != '-'))
		return -EINVAL;
	memmove(buf + 23, buf + 22, 3);
	buf[22] = ':';
	return 0;
}
