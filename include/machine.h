/*
 * machine: facts about the machine a run is on, for the captions of the
 * sweep's table, CSV, JSON and SVG and for the benchmarks: the CPU's model
 * and the local date.  Nothing else in the program reads them, so every
 * caption says the same thing.
 *
 * The parsers take text (a /proc/cpuinfo read elsewhere), so they can be
 * tested on samples from any kind of machine.  Pure or reentrant, no
 * allocation that outlives a call; thread-safe (machine_date uses
 * localtime_r).
 */
#ifndef CONCDEMO_MACHINE_H
#define CONCDEMO_MACHINE_H

#include <stddef.h>
#include <time.h>

/*
 * The CPU's model from the text of a Linux /proc/cpuinfo, into buf (always
 * NUL-terminated when size > 0).  Looks, in the first line that has each
 * key, for "model name" (x86, 32-bit ARM), then "Hardware" (ARM boards),
 * "cpu model" (MIPS), "cpu" (POWER), and last for "CPU implementer" with
 * "CPU part" (64-bit ARM, which has no model name: "ARM Neoverse-N1",
 * "Apple part 0x022", "implementer 0x99 part 0x001").  Blanks are trimmed
 * and runs of them squeezed to one space; a value longer than the buffer
 * is cut to a prefix of the whole value, never ending in a blank.
 * Returns 0, -EINVAL (size 0 or text NULL), -ENOENT (no such line, or
 * only empty values).
 */
int machine_cpu_model_parse(const char *cpuinfo, char *buf, size_t size);

/* The CPU's model on this machine: macOS's machdep.cpu.brand_string, else
 * /proc/cpuinfo through machine_cpu_model_parse, else uname's machine
 * ("x86_64").  Same buffer rules.  Returns 0 or -errno (-EINVAL for
 * size 0). */
int machine_cpu_model(char *buf, size_t size);

/* Local date and time of t as "YYYY-MM-DD HH:MM" (17 bytes or more).
 * Returns 0 or -EINVAL (buffer too small, time not representable). */
int machine_date(time_t t, char *buf, size_t size);

/* Local time of t in ISO 8601 with its offset, "2026-11-29T13:05:09+01:00"
 * (26 bytes or more).  Returns 0 or -EINVAL. */
int machine_time_iso(time_t t, char *buf, size_t size);

#endif
