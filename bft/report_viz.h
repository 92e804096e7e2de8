/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_viz.h - what the two picture writers of bft report (perfetto,
 * svg) share: how a fault is classed and named, its time, its symbol,
 * and how a model string (any bytes) is written into JSON or XML.
 * Static inline, so that each writer is one file to build.
 */
#ifndef BFT_REPORT_VIZ_H
#define BFT_REPORT_VIZ_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report_model.h"

/*
 * The class of a fault, for its name and its mark.  A cache miss is the
 * call that read the page (cache=miss, whatever its result=); a major
 * one is result=major; the rest go by result=.
 */
enum viz_class {
	VIZ_MINOR,
	VIZ_MAJOR,
	VIZ_MISS,
	VIZ_RETRY,
	VIZ_ERROR,	/* sigsegv, sigbus, oom */
	VIZ_OTHER,
};

static inline enum viz_class viz_fault_class(const struct report_fault *f)
{
	if (f->cache == RCACHE_MISS)
		return VIZ_MISS;
	switch (f->result) {
	case RRES_MINOR:
		return VIZ_MINOR;
	case RRES_MAJOR:
		return VIZ_MAJOR;
	case RRES_RETRY:
		return VIZ_RETRY;
	case RRES_SIGSEGV:
	case RRES_SIGBUS:
	case RRES_OOM:
		return VIZ_ERROR;
	default:
		return VIZ_OTHER;
	}
}

/* "minor fault", "major fault", "cache miss", "retry", ... */
static inline const char *viz_class_name(enum viz_class c)
{
	switch (c) {
	case VIZ_MINOR:
		return "minor fault";
	case VIZ_MAJOR:
		return "major fault";
	case VIZ_MISS:
		return "cache miss";
	case VIZ_RETRY:
		return "retry";
	case VIZ_ERROR:
		return "failed fault";
	default:
		return "fault";
	}
}

/*
 * When the fault entered handle_mm_fault(), in ns since the session's
 * first line: its since= when the trace has it, else its line's time.
 */
static inline uint64_t viz_fault_ns(const struct report_fault *f)
{
	return f->has_since ? f->since_ns : f->rel_us * 1000;
}

/*
 * "name+0x1a" (or "name") of @a's symbol into @buf; NULL, and @buf
 * untouched, when @a names no symbol.
 */
static inline const char *viz_symbol(const struct report_attr *a, char *buf,
				     size_t len)
{
	if (a->state != RATTR_SYMBOL || !a->symbol)
		return NULL;
	if (a->sym_off)
		snprintf(buf, len, "%s+0x%" PRIx64, a->symbol, a->sym_off);
	else
		snprintf(buf, len, "%s", a->symbol);
	return buf;
}

/*
 * The program's name for a title: the basename of load_start's file=,
 * else (none, or an fd of a wrapper: /dev/fd/N) the comm column, else
 * "?".
 */
static inline const char *viz_session_name(const struct report_session *s)
{
	const char *b;

	if (s->file && strncmp(s->file, "/dev/fd/", 8)) {
		b = strrchr(s->file, '/');
		if (b && b[1])
			return b + 1;
		if (!b && s->file[0])
			return s->file;
	}
	if (s->comm && s->comm[0] && strcmp(s->comm, "<...>"))
		return s->comm;
	return "?";
}

/* The object @a lies in, or NULL. */
static inline const struct report_object *
viz_object(const struct report_session *s, const struct report_attr *a)
{
	if (a->state == RATTR_NONE || a->state == RATTR_NO_OBJECT ||
	    a->object >= s->nobjects)
		return NULL;
	return &s->objects[a->object];
}

/* The value of field @key of event @e, or NULL. */
static inline const char *viz_field(const struct report_event *e,
				    const char *key)
{
	size_t i;

	for (i = 0; i < e->nfields; i++)
		if (!strcmp(e->fields[i].key, key))
			return e->fields[i].value;
	return NULL;
}

/*
 * The length of the valid UTF-8 sequence at @s (1 to 4), or 0 when the
 * byte there does not start one.  U+FFFE and U+FFFF, which XML does not
 * allow, count as invalid.
 */
static inline size_t viz_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;	/* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	if (c == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return 0;
	return n;
}

/*
 * Write @str, or only its first characters and "..." when it shows as
 * more than @max characters; @esc gives the escape of an ASCII byte, or
 * NULL for none; @hex starts the \xNN of a byte that is not printable
 * UTF-8.  @f NULL writes nothing.  Returns how many characters it shows.
 */
static inline size_t viz_put_escaped(FILE *f, const char *str, const char *hex,
			  const char *(*esc)(unsigned char c), size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t shown = 0, n, w;
	const char *e;

	if (max < SIZE_MAX && viz_put_escaped(NULL, str, hex, esc, SIZE_MAX) > max)
		max = max > 3 ? max - 3 : 0;
	else
		max = SIZE_MAX;
	while (*s) {
		n = viz_utf8_len(s);
		if (n == 0 || *s < 0x20 || *s == 0x7f)
			n = 0;
		w = n ? 1 : 4;
		if (max < SIZE_MAX && shown + w > max)
			break;
		shown += w;
		if (!f) {
			s += n ? n : 1;
			continue;
		}
		if (!n) {
			fprintf(f, "%sx%02x", hex, *s++);
			continue;
		}
		e = n == 1 ? esc(*s) : NULL;
		if (e)
			fputs(e, f);
		else
			fwrite(s, 1, n, f);
		s += n;
	}
	if (max < SIZE_MAX) {
		if (f)
			fputs("...", f);
		shown += 3;
	}
	return shown;
}

static inline const char *viz_json_esc(unsigned char c)
{
	if (c == '"')
		return "\\\"";
	if (c == '\\')
		return "\\\\";
	return NULL;
}

static inline const char *viz_xml_esc(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	default:
		return NULL;
	}
}

/*
 * Write @str, escaped, without quotes.  Both writers show a byte that is
 * not printable UTF-8 (below 0x20, 0x7f, or not part of a valid UTF-8
 * sequence) as the trace does, the four characters \xNN; the rest is
 * copied, with JSON's or XML's own escapes.
 */
static inline void viz_json_str(FILE *f, const char *str)
{
	viz_put_escaped(f, str, "\\\\", viz_json_esc, SIZE_MAX);
}

/*
 * viz_xml_str() of at most @max characters as shown (\xNN is four): a
 * longer @str is cut and ends in "...".  @f NULL writes nothing.
 * Returns the characters shown.
 */
static inline size_t viz_xml_str_cut(FILE *f, const char *str, size_t max)
{
	return viz_put_escaped(f, str, "\\", viz_xml_esc, max);
}

static inline void viz_xml_str(FILE *f, const char *str)
{
	viz_put_escaped(f, str, "\\", viz_xml_esc, SIZE_MAX);
}

/* @ns as microseconds with three decimals. */
static inline void viz_put_us(FILE *f, uint64_t ns)
{
	fprintf(f, "%" PRIu64 ".%03u", ns / 1000, (unsigned int)(ns % 1000));
}

#endif /* BFT_REPORT_VIZ_H */
