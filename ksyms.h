/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel symbols the loader (and the trace instance) need that modules
 * cannot link to.
 *
 * load_elf_binary() calls helpers and reads variables that the kernel does
 * not export.  bft_resolve_ksyms() finds each one once, at module load,
 * through kallsyms (see ksyms.c); the loader then goes through bft_ksyms.
 * The kernel headers' macros that expand to these symbols (SET_PERSONALITY,
 * ARCH_DLINFO, ELF_HWCAP2, ARCH_SETUP_ADDITIONAL_PAGES) must not be used.
 */
#ifndef BFT_KSYMS_H
#define BFT_KSYMS_H

#include <linux/types.h>

struct linux_binfmt;
struct linux_binprm;
struct mm_struct;
struct trace_array;
struct vm_area_struct;

/**
 * struct bft_ksyms - the resolved symbols, named after their kernel names
 * @arch_setup_additional_pages: maps the vDSO (arch/x86/entry/vdso/vma.c)
 * @arch_randomize_brk: x86's brk randomization
 * @arch_align_stack: x86's initial stack shuffle
 * @arch_mmap_rnd: x86's mmap randomization, used for the PIE base
 * @randomize_stack_top: the stack top randomization of mm/util.c
 * @get_sigframe_size: the AT_MINSIGSTKSZ value
 * @set_personality_64bit: what SET_PERSONALITY() calls on x86_64
 * @find_extend_vma_locked: grows the stack in create_elf_tables()
 * @do_mseal: seals the MMAP_PAGE_ZERO page (6.12 only)
 * @randomize_va_space: the kernel.randomize_va_space sysctl
 * @elf_hwcap2: the AT_HWCAP2 value
 * @vdso64_enabled: the vdso= boot parameter
 * @elf_format: binfmt_elf's struct linux_binfmt, for its core dumper
 * @tracing_set_clock: what writing trace_clock does, for our instance
 */
struct bft_ksyms {
	int (*arch_setup_additional_pages)(struct linux_binprm *bprm,
					   int uses_interp);
	unsigned long (*arch_randomize_brk)(struct mm_struct *mm);
	unsigned long (*arch_align_stack)(unsigned long sp);
	unsigned long (*arch_mmap_rnd)(void);
	unsigned long (*randomize_stack_top)(unsigned long stack_top);
	unsigned long (*get_sigframe_size)(void);
	void (*set_personality_64bit)(void);
	struct vm_area_struct *(*find_extend_vma_locked)(struct mm_struct *mm,
							 unsigned long addr);
	int (*do_mseal)(unsigned long start, size_t len, unsigned long flags);
	int *randomize_va_space;
	u32 *elf_hwcap2;
	unsigned int *vdso64_enabled;
	struct linux_binfmt *elf_format;
	int (*tracing_set_clock)(struct trace_array *tr, const char *clockstr);
};

extern struct bft_ksyms bft_ksyms;

int bft_resolve_ksyms(void);

#endif /* BFT_KSYMS_H */
