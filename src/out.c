/*
 * out: output with a sticky error, and escaped text (out.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "out.h"

void out_vprintf(struct out *o, const char *fmt, va_list ap)
{
	if (o->err == 0 && vfprintf(o->fp, fmt, ap) < 0)
		o->err = errno ? -errno : -EIO;
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}

int out_flush(struct out *o)
{
	if (o->err == 0 && fflush(o->fp) != 0)
		o->err = errno ? -errno : -EIO;
	return o->err;
}

size_t out_utf8_len(const unsigned char *p)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (c == 0xE0 || c == 0xF0)
		lo = c == 0xE0 ? 0xA0 : 0x90;	/* overlong */
	else if (c == 0xED)
		hi = 0x9F;			/* surrogates */
	else if (c == 0xF4)
		hi = 0x8F;			/* past U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if (c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
		return 0;			/* U+FFFE, U+FFFF */
	return len;
}

/* One ASCII character, escaped for mode m. */
static void put_ascii(struct out *o, char c, enum out_esc m)
{
	if (m == OUT_JSON && (c == '"' || c == '\\'))
		out_printf(o, "\\%c", c);
	else if (m == OUT_XML && c == '&')
		out_printf(o, "&amp;");
	else if (m == OUT_XML && c == '<')
		out_printf(o, "&lt;");
	else if (m == OUT_XML && c == '>')
		out_printf(o, "&gt;");
	else if (m == OUT_XML && c == '"')
		out_printf(o, "&quot;");
	else if (m == OUT_XML && c == '\'')
		out_printf(o, "&apos;");
	else if (m == OUT_CSV && c == '"')
		out_printf(o, "\"\"");
	else
		out_printf(o, "%c", c);
}

void out_text(struct out *o, const char *s, enum out_esc m)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "?");

	while (*p) {
		size_t n = out_utf8_len(p);

		if (n == 0 || *p < 0x20 || *p == 0x7F) {
			out_printf(o, "?");
			p++;
		} else if (n == 1) {
			put_ascii(o, (char)*p++, m);
		} else {
			out_printf(o, "%.*s", (int)n, (const char *)p);
			p += n;
		}
	}
}

FILE *out_mem_open(char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	return open_memstream(buf, len);
}

int out_mem_close(FILE *fp, int rc, char **buf, size_t *len)
{
	if (fp != NULL && fclose(fp) != 0 && rc == 0)
		rc = errno ? -errno : -ENOMEM;
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}
