/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two fault captures share: the detail one (kretprobes on
 * handle_mm_fault() and filemap_fault(), fault_hooks.c) and the fast one
 * (the page fault exception tracepoints, fault_fast.c).  The module
 * parameter fault_capture picks one at each arming of the probes.
 */
#ifndef BFT_FAULT_HOOKS_H
#define BFT_FAULT_HOOKS_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/types.h>

struct bft_session;
struct seq_file;

#define BFT_NAME_LEN		64

/**
 * struct bft_fault_data - one fault as a hook saw it, before it is written
 * @session: the mm's session
 * @start_ns: entry time, or 0 when the event's own time is the fault's
 * @addr: faulting address
 * @ip: user instruction pointer, 0 without user regs
 * @off: file offset of the page
 * @min_flt: the faulting task's minor fault count at entry
 * @maj_flt: and its major fault count
 * @flags: FAULT_FLAG_*
 * @slot: index in the in-flight table (detail capture), or -1
 * @seg: program header index or -1
 * @obj: enum bft_object
 * @file_backed: the vma maps a file
 * @name: for obj=lib, the file's name (detail capture only)
 */
struct bft_fault_data {
	struct bft_session	*session;
	u64			start_ns;
	unsigned long		addr;
	unsigned long		ip;
	u64			off;
	u64			min_flt;
	u64			maj_flt;
	unsigned int		flags;
	int			slot;
	s16			seg;
	u8			obj;
	u8			file_backed;
	char			name[BFT_NAME_LEN];
};

struct bft_session *bft_mm_session(struct mm_struct *mm);
void bft_fault_classify(struct bft_fault_data *d, struct bft_session *s,
			struct vm_area_struct *vma);
void bft_fault_write(const struct bft_fault_data *d, u32 vm_fault, u8 result,
		     u8 lock, u8 cache);

/* fault_fast.c */
bool bft_fast_available(void);
int bft_fast_arm(bool to_ring);
void bft_fast_disarm(void);
void bft_fast_stats(struct seq_file *m);
void bft_fast_init(void);

/* fault_ring.c */
extern const struct file_operations bft_ring_fops;
bool bft_ring_get(void);
void bft_ring_write(struct bft_session *s, unsigned long addr,
		    unsigned long ip, u8 access, u8 mode);
void bft_ring_stats(struct seq_file *m);
void bft_ring_exit(void);

#endif /* BFT_FAULT_HOOKS_H */
