/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ring_read.h - the records of faults_raw (fault_capture=ring, bft_ring.h)
 * as bft run reads them, and their page_fault lines.
 */
#ifndef BFT_RING_READ_H
#define BFT_RING_READ_H

#include <stddef.h>
#include <stdint.h>

#include "bft_ring.h"
#include "trace_dir.h"
#include "trace_report.h"

struct ring_records {
	struct bft_ring_rec	*r;
	size_t			n;
	size_t			cap;
	uint64_t		lost;	/* the BFT_RING_LOST records' sum */
};

/* Open faults_raw; -1 when the module has none (errno set). */
int ring_records_open(const struct trace_dir *d);

/* Append what @fd has now; 0 at its end, -1 on error (errno set). */
int ring_records_drain(int fd, struct ring_records *rr);

void ring_records_free(struct ring_records *rr);

/*
 * Add to @lines one page_fault line for each fault record of @lines->id's
 * session, in the text the fast capture's trace event has, with comm and
 * file= from @lines (docs/trace-format.md, fault_capture=ring).  Returns
 * how many it added.
 */
size_t ring_records_to_lines(const struct ring_records *rr,
			     struct session_lines *lines);

#endif /* BFT_RING_READ_H */
