/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory-map system call probes (mm_events.c), which fault_hooks.c
 * registers and unregisters with its own.
 */
#ifndef BFT_MM_EVENTS_H
#define BFT_MM_EVENTS_H

#include <linux/kprobes.h>

enum bft_mm_probe {
	BFT_MM_MMAP,
	BFT_MM_MPROTECT,
	BFT_MM_PKEY_MPROTECT,
	BFT_MM_MUNMAP,
	BFT_MM_MREMAP,
	BFT_MM_BRK,
	BFT_MM_NR
};

/* The kretprobes, copied before each registration. */
extern const struct kretprobe bft_mm_templates[BFT_MM_NR];
/* The key of each one's missed count in the stats file. */
extern const char * const bft_mm_missed_names[BFT_MM_NR];

struct seq_file;

/* Traced calls whose return handler has not run yet. */
int bft_mm_calls_in_flight(void);

void bft_mm_events_init(void);
void bft_mm_events_prepare(void);
void bft_mm_events_stats(struct seq_file *m);
void bft_mm_events_exit(void);

#endif /* BFT_MM_EVENTS_H */
