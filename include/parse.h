/*
 * parse: strict parsing of the numbers users type.
 *
 * Every parser takes the whole string: no sign, no blanks, no trailing junk,
 * no hex.  Returns 0, -EINVAL (not a number of the expected form) or -ERANGE
 * (a number, but too large).  Pure functions, thread-safe, no allocation.
 */
#ifndef CONCDEMO_PARSE_H
#define CONCDEMO_PARSE_H

#include <stdint.h>

/* Decimal uint64_t with optional single '_' between digits, as Python's
 * int literals allow ("5_000_111_000_222_021").  "", "_", "1__0", "_1",
 * "1_", "+1", "-1", " 1", "0x10" are -EINVAL; past 18446744073709551615
 * is -ERANGE. */
int parse_u64(const char *s, uint64_t *out);

/* A count in [min, max], same syntax as parse_u64.  Out of range (either
 * side) is -ERANGE. */
int parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Non-negative decimal seconds ("3", "0.5", ".25", "2.", "1e-3"), at most
 * max; no sign, inf or nan.  Above max is -ERANGE. */
int parse_seconds(const char *s, double max, double *out);

#endif
