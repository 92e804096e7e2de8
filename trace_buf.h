/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the debugfs files (trace_fs.c) need from the rings (trace_buf.c)
 * and the text formatter (trace_print.c).  The writers' side is in
 * trace.h.
 */
#ifndef BFT_TRACE_BUF_H
#define BFT_TRACE_BUF_H

#include <linux/types.h>
#include <linux/wait.h>

#include "trace.h"

/*
 * Room for any line bft_event_format() makes: every string byte of the
 * biggest record escaped as \xNN, plus the header and the numbers.
 */
#define BFT_LINE_MAX	(4 * BFT_EVENT_MAX_SIZE + 1024)

/* trace_pipe readers sleep here until an event is written. */
extern wait_queue_head_t bft_buffer_wait;

bool bft_buffer_empty(void);
bool bft_buffer_consume(struct bft_event *ev);
void bft_buffer_clear(void);

unsigned int bft_buffer_size_kb(void);
int bft_buffer_resize(unsigned int size_kb);

/**
 * struct bft_buffer_stats - one CPU's counters
 * @written: events copied into the ring since the module was loaded
 * @dropped: events lost because the ring was full
 * @used: bytes in the ring now, padding included
 */
struct bft_buffer_stats {
	unsigned long	written;
	unsigned long	dropped;
	unsigned long	used;
};

void bft_buffer_cpu_stats(unsigned int cpu, struct bft_buffer_stats *stats);

/* A copy of every ring, for the trace file: reading it consumes nothing. */
struct bft_snapshot;

struct bft_snapshot *bft_snapshot_take(void);
struct bft_event *bft_snapshot_event(const struct bft_snapshot *snap,
				     loff_t pos);
void bft_snapshot_free(struct bft_snapshot *snap);

/* trace_print.c: one event as one line of text. */
int bft_event_format(const struct bft_event *ev, char *buf, size_t len);

#endif /* BFT_TRACE_BUF_H */
