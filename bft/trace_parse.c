// SPDX-License-Identifier: GPL-2.0
/*
 * trace_parse.c - split trace lines into task, tid, cpu, timestamp, event
 * name and fields.  See trace_parse.h and docs/trace-format.md.
 *
 * The lines may come from the tracefs files (with or without ftrace's
 * irq-info column), from trace-cmd report or from perf script: each puts
 * the same fields after the event name, from the tracepoint's own
 * print format.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_parse.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t trace_unescape(char *s)
{
	char *out = s;
	const char *in = s;
	int hi, lo;

	while (*in) {
		if (in[0] == '\\' && in[1] == 'x' &&
		    (hi = hex_digit(in[2])) >= 0 &&
		    (lo = hex_digit(in[3])) >= 0) {
			*out++ = (char)(hi << 4 | lo);
			in += 4;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return out - s;
}

void trace_print_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!*p) {
		fputc('-', f);
		return;
	}
	for (; *p; p++) {
		if (*p < 0x21 || *p > 0x7e || *p == '\\' || *p == '=')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

int trace_parse_fields(char *s, struct trace_field *fields, int max)
{
	int n = 0;
	char *word, *eq;

	for (;;) {
		while (*s == ' ')
			s++;
		if (!*s)
			return n;
		word = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
		eq = strchr(word, '=');
		if (!eq || eq == word)
			return -1;
		*eq = '\0';
		trace_unescape(eq + 1);
		if (n < max)
			fields[n++] = (struct trace_field){ word, eq + 1 };
	}
}

/* Digits at *@p as an unsigned number; advances *@p.  -1 if none. */
static int parse_digits(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s))
		v = v * 10 + (*s++ - '0');
	*p = s;
	*out = v;
	return 0;
}

static void skip_blanks(const char **p)
{
	while (**p == ' ')
		(*p)++;
}

/* The characters of ftrace's irq-info column ("d..1."), when it is shown. */
static bool is_irq_flags(const char *p, size_t len)
{
	return len >= 4 && len <= 6 &&
	       strspn(p, ".dDXnNpPlLbBhHsSzZ0123456789abcdef") >= len;
}

/*
 * "SECS.FRAC:" at *@p: FRAC is microseconds (6 digits: ftrace, trace-cmd,
 * perf) or nanoseconds (9: perf --ns, trace-cmd -t).  Advances *@p past
 * the colon.  -1 if it is not a timestamp.
 */
static int parse_timestamp(const char **p, uint64_t *us)
{
	const char *s = *p, *frac;
	uint64_t sec, f;

	if (parse_digits(&s, &sec) || *s++ != '.')
		return -1;
	frac = s;
	if (parse_digits(&s, &f) || *s++ != ':')
		return -1;
	if (s - 1 - frac == 9)
		f /= 1000;
	else if (s - 1 - frac != 6)
		return -1;
	*us = sec * 1000000 + f;
	*p = s;
	return 0;
}

/*
 * Parse "[CPU] [IRQ-FLAGS] SECS.USECS: " at @p, the part after the task.
 * Returns where the event name starts, or NULL.
 */
static const char *parse_prefix(const char *p, struct trace_event *ev)
{
	uint64_t cpu, ts;
	size_t len;

	skip_blanks(&p);
	if (*p++ != '[' || parse_digits(&p, &cpu) || *p++ != ']')
		return NULL;
	skip_blanks(&p);
	len = strcspn(p, " ");
	if (p[len] == ' ' && is_irq_flags(p, len)) {
		p += len;
		skip_blanks(&p);
	}
	if (parse_timestamp(&p, &ts) || *p++ != ' ')
		return NULL;
	skip_blanks(&p);
	ev->cpu = (unsigned int)cpu;
	ev->ts_us = ts;
	return p;
}

/* The comm before @end, right-aligned: leading blanks cut, 16 at most. */
static void set_comm(struct trace_event *ev, const char *line,
		     const char *end)
{
	const char *comm = line;

	while (comm < end && *comm == ' ')
		comm++;
	if (end - comm > TRACE_COMM_LEN)
		comm = end - TRACE_COMM_LEN;
	memcpy(ev->comm, comm, end - comm);
	ev->comm[end - comm] = '\0';
}

/*
 * The task columns, in one of three spellings:
 *   ftrace, trace-cmd:   "%16s-%-7d " (optionally "(%5s) " for the tgid)
 *   perf script:         "%16s %6d "
 * The comm may itself contain '-' or blanks, so try each candidate from
 * the left until the rest parses; in a well-formed line the first that
 * does is right after the comm.
 */
static const char *parse_task(const char *line, struct trace_event *ev)
{
	const char *sep, *p, *name;
	uint64_t tid;

	for (sep = line; *sep; sep++) {
		if (*sep != '-' && *sep != ' ')
			continue;
		if (*sep == ' ' && (sep == line || sep[-1] == ' '))
			continue;
		p = sep + 1;
		if (*sep == ' ')
			skip_blanks(&p);
		if (parse_digits(&p, &tid) || *p != ' ')
			continue;
		skip_blanks(&p);
		if (*p == '(') {	/* ftrace's record-tgid option */
			p += strcspn(p, ")");
			if (*p++ != ')')
				continue;
		}
		name = parse_prefix(p, ev);
		if (!name)
			continue;
		ev->tid = (int)tid;
		set_comm(ev, line, sep);
		return name;
	}
	return NULL;
}

/* The session= field comes first; note its value and what follows it. */
static void note_session(const char *line, struct trace_event *ev)
{
	const char *rest = line + ev->fields_off;
	char *end;

	ev->after_session_off = ev->fields_off;
	if (strncmp(rest, "session=", 8) != 0)
		return;
	ev->session = strtoul(rest + 8, &end, 10);
	if (end == rest + 8 || (*end && *end != ' ')) {
		ev->session = 0;
		return;
	}
	while (*end == ' ')
		end++;
	ev->after_session_off = end - line;
}

bool trace_header_line(const char *line)
{
	if (line[0] == '#')
		return true;
	return !strncmp(line, "cpus=", 5) &&
	       strspn(line + 5, "0123456789") == strlen(line + 5);
}

int trace_parse_line(char *line, struct trace_event *ev)
{
	const char *name;
	char *colon;
	int n;

	memset(ev, 0, sizeof(*ev));
	name = parse_task(line, ev);
	if (!name)
		return -1;
	colon = strchr(name, ':');
	if (!colon || colon == name || memchr(name, ' ', colon - name))
		return -1;
	/* perf script names the system: "binfmt_trace:page_fault:" */
	if (colon[1] != '\0' && colon[1] != ' ') {
		name = colon + 1;
		colon = strchr(name, ':');
		if (!colon || colon == name || memchr(name, ' ', colon - name))
			return -1;
		if (colon[1] != '\0' && colon[1] != ' ')
			return -1;
	}
	ev->fields_off = colon + 1 - line;
	while (line[ev->fields_off] == ' ')
		ev->fields_off++;
	note_session(line, ev);
	*colon = '\0';
	ev->name = name;
	n = trace_parse_fields(line + ev->fields_off, ev->fields,
			       TRACE_MAX_FIELDS);
	if (n < 0)
		return -1;
	ev->nfields = n;
	return 0;
}

const char *trace_field(const struct trace_field *fields, int nfields,
			const char *key)
{
	int i;

	for (i = 0; i < nfields; i++)
		if (!strcmp(fields[i].key, key))
			return fields[i].value;
	return NULL;
}

const char *trace_get(const struct trace_event *ev, const char *key)
{
	return trace_field(ev->fields, ev->nfields, key);
}

/*
 * @v as a number: "0x" and hex digits, else decimal with an optional
 * '-' when @is_signed.  No blanks, no '+', no octal.
 */
static bool parse_value(const char *v, bool is_signed, uint64_t *out)
{
	bool negative = false;
	int base = 10;
	char *end;

	if (trace_absent(v))
		return false;
	if (is_signed && *v == '-') {
		negative = true;
		v++;
	}
	if (v[0] == '0' && v[1] == 'x') {
		base = 16;
		v += 2;
	}
	if (!isxdigit((unsigned char)*v))
		return false;
	errno = 0;
	*out = strtoull(v, &end, base);
	if (errno || *end)
		return false;
	if (negative)
		*out = -*out;
	return true;
}

bool trace_get_u64(const struct trace_event *ev, const char *key,
		   uint64_t *out)
{
	return parse_value(trace_get(ev, key), false, out);
}

bool trace_get_s64(const struct trace_event *ev, const char *key,
		   int64_t *out)
{
	uint64_t v;

	if (!parse_value(trace_get(ev, key), true, &v))
		return false;
	*out = (int64_t)v;
	return true;
}
