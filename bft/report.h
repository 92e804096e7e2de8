/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - bft report's driver, shared with bft run --report: build the
 * models of some sessions of a trace and write them in one format.
 */
#ifndef BFT_REPORT_H
#define BFT_REPORT_H

#include <stdio.h>

#include "report_model.h"

/* The index of format @name (text json csv perfetto svg), or -1. */
int report_format_find(const char *name);

/*
 * Build and attribute the sessions @ids[0..@nids) of the @n trace lines
 * @lines (@nos their line numbers, or NULL) into @r, whose trace_path
 * and root are set.  Messages say "bft @cmd: ...".  Returns 0, or 2 after
 * a message (a malformed trace or ELF file).
 */
int report_build(struct report *r, char *const *lines, const size_t *nos,
		 size_t n, const unsigned long *ids, size_t nids,
		 const char *cmd);

/* Write @r in @format to @out_path (NULL: to @out).  Returns 0, 1 or 2. */
int report_write(const struct report *r, int format, const char *out_path,
		 FILE *out);

#endif /* BFT_REPORT_H */
