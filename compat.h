/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the 6.1 and 6.12 loaders we mirror.
 *
 * This is the only file that tests the kernel version.  The rest of the
 * module calls the helpers below, which do what the running kernel's
 * fs/binfmt_elf.c does.  The Debian 6.1.192 kernel already carries most of
 * the later binfmt_elf changes (elf_load() for the executable, the brk
 * placement of static PIE, maximum_alignment(), the ET_DYN alignment and
 * exe_file_allow_write_access()), so the list is short:
 *
 * - elf_load(): 6.12 fails with -EFAULT when zeroing the tail of the last
 *   file page of a writable segment faults; 6.1 ignores the fault.
 * - load_elf_interp(): 6.12 maps each segment with elf_load(), zeroing and
 *   extending each segment's bss on its own; 6.1 maps with elf_map() and
 *   afterwards zeroes from the highest file end and extends the bss once,
 *   with the protection of the segment that ends highest.
 * - create_elf_tables(): 6.12 appends AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN.
 * - MMAP_PAGE_ZERO: 6.12 seals the page it maps at address 0.
 *
 * And two differences of the tracing API: __assign_str() lost its source
 * argument in 6.10, BFT_ASSIGN_STR() takes both; trace_array_get_by_name()
 * gained a second argument in 6.7, the event systems the new instance
 * gets, bft_compat_trace_array_get() passes ours.
 *
 * And one of the fault path: 6.12 first tries a user fault under the
 * vma's own lock (FAULT_FLAG_VMA_LOCK, since 6.4); 6.1 has no such flag,
 * BFT_FAULT_FLAG_VMA_LOCK is 0 there.
 */
#ifndef BFT_COMPAT_H
#define BFT_COMPAT_H

#include <linux/elf.h>
#include <linux/mman.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/trace.h>
#include <linux/version.h>

#include "ksyms.h"

/*
 * The running kernel's major.minor; the same test as one on the version
 * code, in a spelling checkpatch accepts.
 */
#define BFT_KERNEL_SERIES \
	KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, 0)

#if KERNEL_VERSION(6, 12, 0) <= BFT_KERNEL_SERIES

#include <linux/rseq.h>

#define BFT_ASSIGN_STR(dst, src)	__assign_str(dst)

#define BFT_FAULT_FLAG_VMA_LOCK		FAULT_FLAG_VMA_LOCK

/* The instance @name, created if need be, with only @system's events. */
static inline struct trace_array *
bft_compat_trace_array_get(const char *name, const char *system)
{
	return trace_array_get_by_name(name, system);
}

/* do_mseal() exists, and is needed, from 6.10 on. */
#define BFT_COMPAT_NEEDS_DO_MSEAL	true

static inline bool bft_compat_padzero_failed(int error, int prot)
{
	return error && (prot & PROT_WRITE);
}

static inline bool bft_compat_interp_bss_per_segment(void)
{
	return true;
}

static inline elf_addr_t *bft_compat_put_rseq_auxv(elf_addr_t *elf_info)
{
	if (!IS_ENABLED(CONFIG_RSEQ))
		return elf_info;
	*elf_info++ = AT_RSEQ_FEATURE_SIZE;
	*elf_info++ = offsetof(struct rseq, end);
	*elf_info++ = AT_RSEQ_ALIGN;
	*elf_info++ = __alignof__(struct rseq);
	return elf_info;
}

static inline void bft_compat_seal_page_zero(void)
{
	int retval = bft_ksyms.do_mseal(0, PAGE_SIZE, 0);

	if (retval)
		pr_warn_ratelimited("pid=%d, couldn't seal address 0, ret=%d.\n",
				    task_pid_nr(current), retval);
}

#else /* 6.1 */

#define BFT_COMPAT_NEEDS_DO_MSEAL	false

#define BFT_ASSIGN_STR(dst, src)	__assign_str(dst, src)

#define BFT_FAULT_FLAG_VMA_LOCK		0

/* 6.1 gives every instance the events of every system. */
static inline struct trace_array *
bft_compat_trace_array_get(const char *name, const char *system)
{
	return trace_array_get_by_name(name);
}

static inline bool bft_compat_padzero_failed(int error, int prot)
{
	return false;
}

static inline bool bft_compat_interp_bss_per_segment(void)
{
	return false;
}

static inline elf_addr_t *bft_compat_put_rseq_auxv(elf_addr_t *elf_info)
{
	return elf_info;
}

static inline void bft_compat_seal_page_zero(void)
{
}

#endif

#endif /* BFT_COMPAT_H */
