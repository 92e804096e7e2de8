// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's small unexported helpers that load_elf_binary() calls,
 * rewritten so that the module never calls one of them through a pointer.
 *
 * On a kernel built with CONFIG_X86_KERNEL_IBT, every one of these is
 * "sealed": nothing calls it through a pointer, so the kernel removed its
 * ENDBR64 at boot, and an indirect call to it faults on a CPU that
 * enforces IBT.  Each function here follows the kernel's code of 6.1 and
 * 6.12, which agree except where compat.h says otherwise, and reads the
 * kernel's own variables (through bft_ksyms) where the kernel's does, so
 * that every random value has the same range and entropy as stock.
 *
 * The loader only loads 64-bit programs, and bft_set_personality_64bit()
 * has cleared TIF_ADDR32 before any of the others runs: mmap_is_ia32() is
 * false for them, and the 32-bit branches that need more kernel variables
 * (mmap_rnd_compat_bits, the 32-bit vDSO) are left out.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/personality.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/sizes.h>
#include <linux/thread_info.h>
#include <asm/elf.h>
#include <asm/prctl.h>
#include <asm/unistd.h>

#include "compat.h"
#include "kernel_helpers.h"
#include "ksyms.h"

/* set_personality_64bit(), arch/x86/kernel/process_64.c: SET_PERSONALITY. */
void bft_set_personality_64bit(void)
{
	/* A 64-bit task, whatever the parent was. */
	clear_thread_flag(TIF_ADDR32);
	/* As if a 64-bit execve() had been called. */
	task_pt_regs(current)->orig_ax = __NR_execve;
	current_thread_info()->status &= ~TS_COMPAT;
	if (current->mm)
		bft_compat_mm_has_vsyscall(current->mm);
	/* The personality is inherited, except this bit. */
	current->personality &= ~READ_IMPLIES_EXEC;
}

/*
 * randomize_stack_top(), mm/util.c: with PF_RANDOMIZE, lower the stack top
 * by a random number of pages, STACK_RND_MASK at most (22 bits on x86_64).
 */
unsigned long bft_randomize_stack_top(unsigned long stack_top)
{
	unsigned long random_pages = 0;

	if (current->flags & PF_RANDOMIZE)
		random_pages = get_random_long() & STACK_RND_MASK;
	return PAGE_ALIGN(stack_top) - (random_pages << PAGE_SHIFT);
}

/*
 * arch_mmap_rnd(), arch/x86/mm/mmap.c: with PF_RANDOMIZE, a random number
 * of pages below 2^mmap_rnd_bits (the vm.mmap_rnd_bits sysctl, read each
 * time as the kernel does).
 */
unsigned long bft_arch_mmap_rnd(void)
{
	unsigned int bits;

	if (!(current->flags & PF_RANDOMIZE))
		return 0;
	bits = READ_ONCE(*bft_ksyms.mmap_rnd_bits);
	return (get_random_long() & ((1UL << bits) - 1)) << PAGE_SHIFT;
}

/*
 * randomize_page(), mm/util.c: a random page-aligned address in
 * [start, start + range), start first rounded up to a page.
 */
static unsigned long bft_randomize_page(unsigned long start,
					unsigned long range)
{
	unsigned long pages;

	if (!PAGE_ALIGNED(start)) {
		range -= PAGE_ALIGN(start) - start;
		start = PAGE_ALIGN(start);
	}
	if (start > ULONG_MAX - range)
		range = ULONG_MAX - start;
	pages = range >> PAGE_SHIFT;
	if (!pages)
		return start;
	return start + ((get_random_long() % pages) << PAGE_SHIFT);
}

/*
 * arch_randomize_brk(), arch/x86/kernel/process.c: the brk start moves up
 * by up to 1 GiB (32 MiB for a 32-bit task).
 */
unsigned long bft_arch_randomize_brk(struct mm_struct *mm)
{
	if (mmap_is_ia32())
		return bft_randomize_page(mm->brk, SZ_32M);
	return bft_randomize_page(mm->brk, SZ_1G);
}

/*
 * arch_align_stack(), arch/x86/kernel/process.c: unless ASLR is off for
 * the task or the system, move the stack down by up to 8 KiB, then align
 * it to 16 bytes.  It reads the sysctl itself, not the loader's snapshot.
 */
unsigned long bft_arch_align_stack(unsigned long sp)
{
	if (!(current->personality & ADDR_NO_RANDOMIZE) &&
	    READ_ONCE(*bft_ksyms.randomize_va_space))
		sp -= get_random_u32_below(8192);
	return sp & ~0xfUL;
}

/*
 * get_sigframe_size(), arch/x86/kernel/signal.c, returns the variable
 * max_frame_size, set once at boot.  Reading it is no call at all.
 */
unsigned long bft_get_sigframe_size(void)
{
	return READ_ONCE(*bft_ksyms.max_frame_size);
}

/*
 * arch_setup_additional_pages(), arch/x86/entry/vdso/vma.c: unless vdso=0,
 * map the 64-bit vDSO and its vvar pages with map_vdso().  map_vdso() is
 * static, and its special mappings are the kernel's own, so we do not
 * rewrite it: arch_prctl(ARCH_MAP_VDSO_64, addr) reaches it, through
 * map_vdso_once(), which first makes sure no vDSO is mapped yet (none is,
 * in the new mm).  The address is the one the running kernel's
 * arch_setup_additional_pages() passes (compat.h).
 *
 * Return: 0, or map_vdso()'s errno.
 */
int bft_arch_setup_additional_pages(void)
{
	long ret;

	if (!READ_ONCE(*bft_ksyms.vdso64_enabled))
		return 0;
	ret = bft_call_syscall(bft_ksyms.__x64_sys_arch_prctl,
			       ARCH_MAP_VDSO_64, bft_compat_vdso_addr(), 0);
	/* On success arch_prctl() returns the size of the vDSO image. */
	return ret < 0 ? ret : 0;
}

/**
 * bft_find_extend_vma_locked - find_extend_vma_locked(), mm/mmap.c
 * @mm: the new mm, write-locked
 * @addr: the lowest address create_elf_tables() will write
 *
 * The kernel's finds the stack VMA and, if @addr is below it, grows it
 * down with expand_stack_locked(), which is not exported.  We find the
 * VMA and leave the growing to the fault of create_elf_tables()' first
 * write, which is at @addr: the fault handler (lock_mm_and_find_vma())
 * grows a VM_GROWSDOWN VMA with the same expand_stack_locked() and the
 * same limits, and fails the write with -EFAULT where the kernel's would
 * return NULL, which create_elf_tables() turns into -EFAULT too.  The
 * page is faulted in by that write in both cases.  The kernel's also
 * populates a VM_LOCKED stack; a new mm's stack never is (mm->def_flags
 * keeps no VM_LOCKED across exec).
 *
 * Return: the VMA at or above @addr, or NULL if there is none.
 */
struct vm_area_struct *bft_find_extend_vma_locked(struct mm_struct *mm,
						  unsigned long addr)
{
	mmap_assert_write_locked(mm);
	return find_vma(mm, addr & PAGE_MASK);
}
