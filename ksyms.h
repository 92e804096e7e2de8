/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel symbols the loader needs that modules cannot link to.
 *
 * load_elf_binary() calls helpers and reads variables that the kernel does
 * not export.  The small helpers are rewritten in kernel_helpers.c; what
 * is left is a few variables, read through their addresses (and one of
 * ftrace's put back after a resize on 6.1, trace_size.c), and two
 * system call entry points, called through pointers because the kernel
 * calls them through pointers too (see ksyms.c and docs/loader.md,
 * "Symbol resolution").  bft_resolve_ksyms() finds each one once, at
 * module load.  The kernel headers' macros that expand to unexported
 * symbols (SET_PERSONALITY, ARCH_DLINFO, ELF_HWCAP2,
 * ARCH_SETUP_ADDITIONAL_PAGES) must not be used.
 */
#ifndef BFT_KSYMS_H
#define BFT_KSYMS_H

#include <linux/types.h>

struct linux_binfmt;
struct pt_regs;
struct va_alignment;
struct vdso_image;

/* The type of every __x64_sys_*() system call entry point. */
typedef long (*bft_syscall_t)(const struct pt_regs *regs);

/**
 * struct bft_ksyms - the resolved symbols, named after their kernel names
 * @__x64_sys_arch_prctl: arch_prctl(2), for ARCH_MAP_VDSO_64
 * @__x64_sys_mseal: mseal(2), seals the MMAP_PAGE_ZERO page (6.12 only)
 * @randomize_va_space: the kernel.randomize_va_space sysctl
 * @mmap_rnd_bits: the vm.mmap_rnd_bits sysctl
 * @max_frame_size: what get_sigframe_size() returns (AT_MINSIGSTKSZ)
 * @elf_hwcap2: the AT_HWCAP2 value
 * @vdso64_enabled: the vdso= boot parameter
 * @vdso_image_64: the 64-bit vDSO, whose size places it (6.1 only)
 * @va_align: the align_va_addr= alignment of the vDSO (6.1 only)
 * @elf_format: binfmt_elf's struct linux_binfmt, for its core dumper
 * @ring_buffer_expanded: ftrace's one "expanded" flag (6.1 only), which
 *	a resize of the module's instance puts back (trace_size.c); NULL if
 *	the kernel has none (a 6.1.y with the flag per instance backported)
 */
struct bft_ksyms {
	bft_syscall_t __x64_sys_arch_prctl;
	bft_syscall_t __x64_sys_mseal;
	int *randomize_va_space;
	int *mmap_rnd_bits;
	unsigned long *max_frame_size;
	u32 *elf_hwcap2;
	unsigned int *vdso64_enabled;
	const struct vdso_image *vdso_image_64;
	const struct va_alignment *va_align;
	struct linux_binfmt *elf_format;
	bool *ring_buffer_expanded;
};

extern struct bft_ksyms bft_ksyms;

int bft_resolve_ksyms(void);
long bft_call_syscall(bft_syscall_t fn, unsigned long arg1,
		      unsigned long arg2, unsigned long arg3);

#endif /* BFT_KSYMS_H */
