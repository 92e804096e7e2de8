/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records of /sys/kernel/debug/binfmt_trace/faults_raw,
 * shared by the kernel module (fault_ring.c) and its readers.  See
 * docs/trace-format.md, "fault_capture=ring".
 *
 * With fault_capture=ring each page fault exception of a traced task is
 * one fixed-size binary record in a ring buffer of the module's own,
 * instead of a page_fault line in the tracefs instance.  A read of
 * faults_raw takes records out of the ring, oldest first across CPUs, as
 * whole records; an empty ring reads as end of file.
 */
#ifndef BFT_RING_H
#define BFT_RING_H

#include <linux/types.h>

/* struct bft_ring_rec.type */
#define BFT_RING_FAULT		1	/* one page fault exception */
#define BFT_RING_LOST		2	/* @addr records were overwritten */

/* struct bft_ring_rec.off of a page that maps no file. */
#define BFT_RING_OFF_NONE	(~0ULL)

/**
 * struct bft_ring_rec - one record of faults_raw, 64 bytes, little-endian
 * @ts: when it was written, ns, by the tracefs instance's default clock
 *	("local", trace_clock_local()): the clock of its lines' timestamps
 * @session: the session id, as the page_fault line's session=
 * @addr: the faulting address; for BFT_RING_LOST, the records lost
 * @ip: the user instruction pointer, 0 when the kernel touched the page
 * @off: BFT_RING_OFF_NONE: the reader places the address (below)
 * @min_flt: the task's minor fault count at the fault's entry (its low
 *	32 bits: a reader takes differences, modulo 2^32)
 * @maj_flt: and its major fault count
 * @tid: the faulting task
 * @type: BFT_RING_FAULT or BFT_RING_LOST
 * @access: 0 read, 1 write, 2 exec (the line's access=)
 * @mode: 0 user, 1 kernel (the line's mode=)
 * @obj: 9 (unknown): the reader places the address; the numbers of the
 *	line's obj= are 0 exe, 1 interp, 2 lib, 3 heap, 4 stack, 5 anon,
 *	6 vdso, 7 vvar, 8 none (no vma), 9 unknown
 * @seg: -1: the reader works out the PT_LOAD index
 * @pad0: zero
 * @cpu: the CPU whose part of the ring held it, set by the reader
 * @pad: zero
 *
 * A BFT_RING_LOST record has only @ts (of the record after the loss),
 * @cpu, @type and @addr set; the rest is zero.
 *
 * The probe looks nothing up, so that a traced fault costs no more than
 * ftrace's own tracepoint: @obj, @seg and @off are the reader's to find,
 * from the session's load and memory-map events, as bft run does
 * (bft/ring_place.c, docs/trace-format.md).  A reader that finds another
 * @obj (a module that classified in the kernel) keeps it.
 */
struct bft_ring_rec {
	__u64	ts;
	__u64	session;
	__u64	addr;
	__u64	ip;
	__u64	off;
	__u32	min_flt;
	__u32	maj_flt;
	__u32	tid;
	__u8	type;
	__u8	access;
	__u8	mode;
	__u8	obj;
	__s8	seg;
	__u8	pad0;
	__u16	cpu;
	__u8	pad[4];
};

#endif /* BFT_RING_H */
