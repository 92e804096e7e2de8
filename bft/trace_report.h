/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_report.h - what bft prints about one session: its load steps, its
 * fault timeline and a summary of the faults.  bft run prints it for the
 * program it ran, bft summarize for each session of a saved trace.
 */
#ifndef BFT_TRACE_REPORT_H
#define BFT_TRACE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace_parse.h"

/* The lines of one session, as read, without their newlines. */
struct session_lines {
	unsigned long	id;
	char		**lines;
	size_t		n;
	size_t		cap;
};

int session_lines_add(struct session_lines *s, const char *line);
void session_lines_free(struct session_lines *s);

struct report_opts {
	bool		raw;		/* print lines as the kernel wrote them */
	bool		summary_only;	/* leave out load steps and timeline */
	bool		has_lost;	/* lost is known (sessions file) */
	uint64_t	lost;		/* events written minus lines read */
};

/*
 * Print the report of @s to @f: @header ("== ..." line, or NULL for the
 * default one), the load steps, the fault timeline, the summary.
 */
void report_print(FILE *f, const struct session_lines *s, const char *header,
		  const struct report_opts *opts);

/*
 * Tell on stderr that @lost of the @written events of @session are not
 * in the trace, and how big to make the buffer (@buffer_kb is its size
 * now, 0 if unknown).
 */
void warn_lost(const char *cmd, unsigned long session, uint64_t lost,
	       uint64_t written, const char *buffer_file,
	       unsigned long buffer_kb);

/*
 * One event in bft's readable form, time relative to @base_us:
 *   +0.000812 4242    page_fault  since=812345 addr=0x7f... ...
 * With @with_session, "S<session> " comes first.
 */
void print_readable(FILE *f, const char *line, const struct trace_event *ev,
		    uint64_t base_us, bool with_session);

#endif /* BFT_TRACE_REPORT_H */
