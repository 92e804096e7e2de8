// SPDX-License-Identifier: GPL-2.0
/*
 * The fast fault capture (fault_capture=fast): x86's page fault exception
 * tracepoints, exceptions:page_fault_user and page_fault_kernel, instead
 * of the kretprobes on handle_mm_fault() and filemap_fault().
 *
 * While armed, every page fault exception in the system calls the probe
 * before the kernel looks the address up, with interrupts off: the filter
 * (is current's mm traced?) is all an untraced process pays, a tracepoint
 * call instead of a kretprobe instance (docs/cost-study.md).  A traced
 * task's fault is looked up under a trylock of its mmap_lock and written
 * at once, with no result: the task's minor and major fault counts at
 * entry go in the event, and a reader tells the fault's result from the
 * same task's counts at its next fault or at its mm's exit.  Not seen:
 * faults that are not exceptions (get_user_pages(): MAP_POPULATE, mlock,
 * process_vm_readv(), ptrace), and what the detail capture measures inside
 * handle_mm_fault(): latency, retries, the lock, page-cache hits.
 *
 * fault_capture=ring arms the same probe, which then looks nothing up and
 * writes a binary record into the module's own ring (fault_ring.c) instead
 * of the trace event.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/hardirq.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <asm/ptrace.h>
#include <asm/trap_pf.h>

#include "fault_hooks.h"
#include "session.h"
#include "trace.h"

static struct tracepoint *bft_pf_user_tp;
static struct tracepoint *bft_pf_kernel_tp;

/* Faults written with obj=unknown: their mmap_lock was taken. */
static atomic64_t bft_fast_unclassified;

/* Armed for fault_capture=ring: records go to fault_ring.c. */
static bool bft_fast_to_ring;

/* FAULT_FLAG_* of an x86 page fault error code. */
static unsigned int bft_fast_flags(unsigned long error_code)
{
	unsigned int flags = 0;

	if (error_code & X86_PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	return flags;
}

/* The access= and mode= of @error_code, for the ring's record. */
static u8 bft_fast_access(unsigned long error_code)
{
	if (error_code & X86_PF_INSTR)
		return BFT_ACCESS_EXEC;
	return (error_code & X86_PF_WRITE) ? BFT_ACCESS_WRITE : BFT_ACCESS_READ;
}

static u8 bft_fast_mode(unsigned long error_code)
{
	return (error_code & X86_PF_USER) ? BFT_MODE_USER : BFT_MODE_KERNEL;
}

/*
 * The vma @d->addr is in, or the stack vma it will grow, as the fault
 * handler will find it.  Under mmap_lock taken with a trylock: the
 * exception has interrupts off and may not sleep.  PREEMPT_RT's rwsem may
 * turn interrupts on in its unlock, so there the lookup is not tried.
 */
static void bft_fast_classify(struct bft_fault_data *d, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	d->obj = BFT_OBJ_UNKNOWN;
	d->seg = -1;
	d->file_backed = 0;
	d->off = 0;
	if (IS_ENABLED(CONFIG_PREEMPT_RT) || !mmap_read_trylock(mm)) {
		atomic64_inc(&bft_fast_unclassified);
		return;
	}
	vma = find_vma(mm, d->addr);
	if (vma && d->addr < vma->vm_start && !(vma->vm_flags & VM_GROWSDOWN))
		vma = NULL;
	if (vma)
		bft_fault_classify(d, d->session, vma);
	else
		d->obj = BFT_OBJ_NONE;
	mmap_read_unlock(mm);
}

static void bft_fast_record(struct bft_session *s, unsigned long addr,
			    struct pt_regs *regs, unsigned long error_code)
{
	struct bft_fault_data d = {
		.session	= s,
		.addr		= addr,
		.ip		= user_mode(regs) ? instruction_pointer(regs) : 0,
		.min_flt	= current->min_flt,
		.maj_flt	= current->maj_flt,
		.flags		= bft_fast_flags(error_code),
		.slot		= -1,
	};

	bft_fast_classify(&d, current->mm);
	atomic64_inc(&s->faults);
	bft_fault_write(&d, 0, BFT_RESULT_NONE, BFT_LOCK_NONE, BFT_CACHE_NONE);
}

/*
 * fault_capture=ring: no lookup at all.  The reader places the address in
 * the session's mappings from its load and memory-map events (bft run:
 * bft/ring_place.c), so a traced fault costs the filter and one record.
 */
static void bft_ring_record(struct bft_session *s, unsigned long addr,
			    struct pt_regs *regs, unsigned long error_code)
{
	atomic64_inc(&s->faults);
	bft_ring_write(s, addr, user_mode(regs) ? instruction_pointer(regs) : 0,
		       bft_fast_access(error_code), bft_fast_mode(error_code));
}

/*
 * Both tracepoints' probe.  Kernel addresses never reach handle_mm_fault(),
 * and a fault in NMI context (a user stack read by perf) is never handled:
 * neither is a fault of the task.
 */
static void bft_fast_on_fault(void *data, unsigned long addr,
			      struct pt_regs *regs, unsigned long error_code)
{
	struct bft_session *s;

	if (addr >= TASK_SIZE_MAX || in_nmi())
		return;
	rcu_read_lock();
	s = bft_mm_session(current->mm);
	if (s && bft_fast_to_ring)
		bft_ring_record(s, addr, regs, error_code);
	else if (s)
		bft_fast_record(s, addr, regs, error_code);
	rcu_read_unlock();
}

/* Whether the running kernel has both tracepoints. */
bool bft_fast_available(void)
{
	return bft_pf_user_tp && bft_pf_kernel_tp;
}

/**
 * bft_fast_arm() - attach to the page fault tracepoints
 * @to_ring: write the faults to fault_ring.c's ring, not as trace events
 *	(the ring must exist: bft_ring_get())
 *
 * Attaching the first probe turns on the tracepoints' static key
 * (trace_pagefault_reg()) for every fault in the system.
 *
 * Return: 0 or the error of tracepoint_probe_register().
 */
int bft_fast_arm(bool to_ring)
{
	int ret;

	/* No probe runs now: the last disarm waited for them. */
	bft_fast_to_ring = to_ring;
	ret = tracepoint_probe_register(bft_pf_user_tp, bft_fast_on_fault,
					NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(bft_pf_kernel_tp, bft_fast_on_fault,
					NULL);
	if (ret)
		tracepoint_probe_unregister(bft_pf_user_tp, bft_fast_on_fault,
					    NULL);
	return ret;
}

/* The caller waits for running probes: tracepoint_synchronize_unregister(). */
void bft_fast_disarm(void)
{
	tracepoint_probe_unregister(bft_pf_kernel_tp, bft_fast_on_fault, NULL);
	tracepoint_probe_unregister(bft_pf_user_tp, bft_fast_on_fault, NULL);
}

void bft_fast_stats(struct seq_file *m)
{
	seq_printf(m, "fast_unclassified %lld\n",
		   atomic64_read(&bft_fast_unclassified));
}

static void bft_fast_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "page_fault_user"))
		bft_pf_user_tp = tp;
	else if (!strcmp(tp->name, "page_fault_kernel"))
		bft_pf_kernel_tp = tp;
}

/**
 * bft_fast_init() - find the page fault tracepoints
 *
 * Their absence is not an error: fault_capture=fast then arms the detail
 * capture, and says so once.
 */
void bft_fast_init(void)
{
	for_each_kernel_tracepoint(bft_fast_find, NULL);
}
