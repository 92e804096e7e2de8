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
 * And in the kernel helpers we rewrite (kernel_helpers.c):
 *
 * - arch_setup_additional_pages(): 6.1 places the vDSO above the stack, at
 *   a random page of the stack top's 2 MiB region (vdso_addr()); 6.12
 *   lets mmap place it.
 * - set_personality_64bit(): 6.1 sets the mm's context flags to
 *   MM_CONTEXT_HAS_VSYSCALL, 6.12 adds the bit to them.
 * - the symbols each needs (BFT_COMPAT_NEEDS_*, see ksyms.c).
 *
 * And two differences of the tracing API: __assign_str() lost its source
 * argument in 6.10, BFT_ASSIGN_STR() takes both; trace_array_get_by_name()
 * gained a second argument in 6.7, the event systems the new instance
 * gets, bft_compat_trace_array_get() passes ours.
 *
 * And one of the fault path: 6.12 first tries a user fault under the
 * vma's own lock (FAULT_FLAG_VMA_LOCK, since 6.4); 6.1 has no such flag,
 * BFT_FAULT_FLAG_VMA_LOCK is 0 there.
 *
 * And one of the ring buffer: ring_buffer_unlock_commit() lost its event
 * argument after 6.1; bft_compat_ring_commit() takes it for 6.1.
 *
 * And one of ftrace's buffer sizes: since 6.7 ("tracing: Fix unexpected
 * ring buffer expand by instance") each instance has its own "expanded"
 * flag; in 6.1 resizing any instance sets the top instance's, which then
 * keeps its boot size for good.  Where BFT_COMPAT_INSTANCE_OWN_EXPANDED is
 * false the module resolves the global flag and puts it back after each
 * resize of its idle instance (trace_size.c);
 * bft_compat_fput_sync() closes a file at once where __fput_sync() may.
 */
#ifndef BFT_COMPAT_H
#define BFT_COMPAT_H

#include <linux/elf.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/trace.h>
#include <linux/version.h>
#include <asm/elf.h>
#include <asm/mmu.h>
#include <asm/vdso.h>

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

static inline void bft_compat_ring_commit(struct trace_buffer *ring,
					  struct ring_buffer_event *event)
{
	ring_buffer_unlock_commit(ring);
}

/* The instance @name, created if need be, with only @system's events. */
static inline struct trace_array *
bft_compat_trace_array_get(const char *name, const char *system)
{
	return trace_array_get_by_name(name, system);
}

#define BFT_COMPAT_INSTANCE_OWN_EXPANDED	true

/* Close @file now: 6.12's __fput_sync() serves any task. */
static inline void bft_compat_fput_sync(struct file *file)
{
	__fput_sync(file);
}

/* mseal(2) exists, and is needed, from 6.10 on. */
#define BFT_COMPAT_NEEDS_MSEAL		true
/* Only 6.1 places the vDSO itself, from vdso_image_64 and va_align. */
#define BFT_COMPAT_NEEDS_VDSO_ADDR	false

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

/*
 * Stock calls do_mseal(0, PAGE_SIZE, 0), which is sealed against indirect
 * calls; mseal(2) is exactly that call.
 */
static inline void bft_compat_seal_page_zero(void)
{
	int retval = bft_call_syscall(bft_ksyms.__x64_sys_mseal,
				      0, PAGE_SIZE, 0);

	if (retval)
		pr_warn_ratelimited("pid=%d, couldn't seal address 0, ret=%d.\n",
				    task_pid_nr(current), retval);
}

static inline void bft_compat_mm_has_vsyscall(struct mm_struct *mm)
{
	__set_bit(MM_CONTEXT_HAS_VSYSCALL, &mm->context.flags);
}

/* 6.12's arch_setup_additional_pages() calls map_vdso(image, 0). */
static inline unsigned long bft_compat_vdso_addr(void)
{
	return 0;
}

#else /* 6.1 */

#define BFT_COMPAT_NEEDS_MSEAL		false
#define BFT_COMPAT_NEEDS_VDSO_ADDR	true
#define BFT_COMPAT_INSTANCE_OWN_EXPANDED	false

/* 6.1's __fput_sync() is for kernel threads only (a BUG_ON otherwise). */
static inline void bft_compat_fput_sync(struct file *file)
{
	fput(file);
}

#define BFT_ASSIGN_STR(dst, src)	__assign_str(dst, src)

#define BFT_FAULT_FLAG_VMA_LOCK		0

static inline void bft_compat_ring_commit(struct trace_buffer *ring,
					  struct ring_buffer_event *event)
{
	ring_buffer_unlock_commit(ring, event);
}

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

static inline void bft_compat_mm_has_vsyscall(struct mm_struct *mm)
{
	mm->context.flags = MM_CONTEXT_HAS_VSYSCALL;
}

/*
 * align_vdso_addr(), arch/x86/kernel/sys_x86_64.c: with align_va_addr= on
 * (AMD family 15h), and PF_RANDOMIZE, round the address up to va_align's
 * mask and set the per-boot random bits below it.
 */
static inline unsigned long bft_compat_align_vdso_addr(unsigned long addr)
{
	const struct va_alignment *va_align = bft_ksyms.va_align;
	unsigned long mask = 0;

	/* get_align_mask(): 2 - mmap_is_ia32() is ALIGN_VA_64 for us. */
	if (va_align->flags >= 0 &&
	    (va_align->flags & (2 - mmap_is_ia32())) &&
	    (current->flags & PF_RANDOMIZE))
		mask = va_align->mask;
	addr = (addr + mask) & ~mask;
	return addr | (va_align->bits & mask);
}

/*
 * vdso_addr(), arch/x86/entry/vdso/vma.c, for the 64-bit vDSO: a random
 * page between the (page-aligned) stack start and the end of its 2 MiB
 * region, so that the vDSO and vvar pages still fit below that end; with
 * or without PF_RANDOMIZE, as in 6.1.
 */
static inline unsigned long bft_compat_vdso_addr(void)
{
	const struct vdso_image *image = bft_ksyms.vdso_image_64;
	unsigned int len = image->size - image->sym_vvar_start;
	unsigned long start = PAGE_ALIGN(current->mm->start_stack);
	unsigned long end, addr = start;

	end = (start + len + PMD_SIZE - 1) & PMD_MASK;
	if (end >= DEFAULT_MAP_WINDOW)
		end = DEFAULT_MAP_WINDOW;
	end -= len;
	if (end > start) {
		unsigned int pages = ((end - start) >> PAGE_SHIFT) + 1;

		/* prandom_u32_max() is get_random_u32_below() in 6.1. */
		addr = start +
		       ((unsigned long)get_random_u32_below(pages) << PAGE_SHIFT);
	}
	return bft_compat_align_vdso_addr(addr);
}

#endif

#endif /* BFT_COMPAT_H */
