/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's small unexported helpers that load_elf_binary() calls,
 * rewritten from the target kernels' own code (kernel_helpers.c).  Each
 * bft_<name>() does what the kernel's <name>() does, with the same ranges
 * and entropy; calling the kernel's own through a pointer would fault on
 * an IBT CPU, since nothing in the kernel calls them indirectly.
 */
#ifndef BFT_KERNEL_HELPERS_H
#define BFT_KERNEL_HELPERS_H

#include <linux/types.h>

struct mm_struct;
struct vm_area_struct;

void bft_set_personality_64bit(void);
unsigned long bft_randomize_stack_top(unsigned long stack_top);
unsigned long bft_arch_mmap_rnd(void);
unsigned long bft_arch_randomize_brk(struct mm_struct *mm);
unsigned long bft_arch_align_stack(unsigned long sp);
unsigned long bft_get_sigframe_size(void);
int bft_arch_setup_additional_pages(void);
struct vm_area_struct *bft_find_extend_vma_locked(struct mm_struct *mm,
						  unsigned long addr);

#endif /* BFT_KERNEL_HELPERS_H */
