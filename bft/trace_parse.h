/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_parse.h - split one line of binfmt_trace's trace_pipe (or of its
 * sessions file) into its parts.  docs/trace-format.md is the contract:
 *
 *   "%16s-%-7d [%03d] " ["%c%c%c%c%c "] " %5lu.%06lu: %s:" then
 *   " %s=%s" per field
 *
 * as the tracefs files print it, with or without the irq-flags column;
 * trace-cmd report and perf script lines ("%16s %6d [%03d] %lu.%06lu:
 * binfmt_trace:%s: ...") parse too.
 *
 * No I/O and no allocation: the parts point into the caller's buffer.
 */
#ifndef BFT_TRACE_PARSE_H
#define BFT_TRACE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Enough for every event and for a sessions line, with room to grow. */
#define TRACE_MAX_FIELDS	48
#define TRACE_COMM_LEN		16

struct trace_field {
	const char	*key;
	const char	*value;		/* unescaped; "-" is empty or absent */
};

/* One event line, parsed. */
struct trace_event {
	char		comm[TRACE_COMM_LEN + 1];	/* leading blanks cut */
	int		tid;
	unsigned int	cpu;
	uint64_t	ts_us;		/* CLOCK_MONOTONIC, microseconds */
	const char	*name;		/* "load_start", "page_fault", ... */
	unsigned long	session;	/* the session= field, 0 if none */
	/*
	 * Offsets into the line as given: where the fields start, and where
	 * the fields after session= start, still escaped.
	 */
	size_t		fields_off;
	size_t		after_session_off;
	int		nfields;	/* fields beyond the maximum are dropped */
	struct trace_field fields[TRACE_MAX_FIELDS];
};

/*
 * Parse @line, without its newline, into @ev.  @line is cut up in place.
 * Returns 0, or -1 if it is not an event line.
 */
int trace_parse_line(char *line, struct trace_event *ev);

/*
 * Split space-separated "key=value" words of @s in place into @fields.
 * Returns how many (at most @max), or -1 if a word has no '=' or an empty
 * key.
 */
int trace_parse_fields(char *s, struct trace_field *fields, int max);

/*
 * Whether @line is a header that comes before the events: ftrace's
 * "# tracer: nop" and column names, trace-cmd report's "cpus=N".
 */
bool trace_header_line(const char *line);

/* Decode \xNN escapes in place; returns the new length. */
size_t trace_unescape(char *s);

/* Write @s escaped as the kernel writes string values. */
void trace_print_escaped(FILE *f, const char *s);

/* The value of @key, or NULL. */
const char *trace_field(const struct trace_field *fields, int nfields,
			const char *key);
const char *trace_get(const struct trace_event *ev, const char *key);

/* A decimal or 0x value of @key; false if absent, "-" or malformed. */
bool trace_get_u64(const struct trace_event *ev, const char *key,
		   uint64_t *out);
bool trace_get_s64(const struct trace_event *ev, const char *key,
		   int64_t *out);

/* Whether @value is the "-" of an empty or absent value. */
static inline bool trace_absent(const char *value)
{
	return !value || (value[0] == '-' && value[1] == '\0');
}

#endif /* BFT_TRACE_PARSE_H */
