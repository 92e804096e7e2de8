/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BFT_COST_REC_H
#define BFT_COST_REC_H

#include <linux/types.h>

/**
 * struct cost_rec - a fixed-size binary fault record (48 bytes)
 * @addr: faulting address
 * @ip: user instruction pointer, 0 when not known
 * @latency_ns: entry to return, 0 for entry-only hooks
 * @flags: FAULT_FLAG_* (kprobe/fprobe/kretprobe) or x86 error code (tp)
 * @vm_fault: handle_mm_fault()'s result, 0 for entry-only hooks
 * @session: session id (a constant here)
 * @seg: program header index (a constant here)
 * @hook: which hook wrote it
 * @obj: enum bft_object (a constant here)
 * @min_flt: the task's minor fault count at entry (hook=tp, tp_tw)
 * @maj_flt: the task's major fault count at entry (hook=tp, tp_tw)
 */
struct cost_rec {
	u64	addr;
	u64	ip;
	u64	latency_ns;
	u32	flags;
	u32	vm_fault;
	u32	session;
	s16	seg;
	u8	hook;
	u8	obj;
	u32	min_flt;
	u32	maj_flt;
};

#endif
