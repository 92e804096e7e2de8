/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the module share.
 */
#ifndef BINFMT_TRACE_H
#define BINFMT_TRACE_H

#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/types.h>

#include "elf_check.h"

struct bft_session;
struct dentry;
struct file;

/* fs/binfmt_elf.c: an address no user mapping can have. */
#define BAD_ADDR(x)	(unlikely((unsigned long)(x) >= TASK_SIZE))

extern struct linux_binfmt bft_format;
extern struct dentry *bft_debugfs_dir;

/**
 * struct bft_load_context - the state of one load, the locals of stock
 * load_elf_binary() gathered in one place
 * @bprm: the exec in progress
 * @wrapper: the decoded wrapper header; for a load in place, the mark's
 *	flags and label and the file's size
 * @in_place: a plain ELF whose exec was marked, loaded from offset 0
 * @elf_offset: file offset of the ELF inside the wrapped file; added to
 *	every offset the ELF itself gives before the file is read or mapped
 * @elf_ex: the ELF header of the executable
 * @elf_phdata: its program headers
 * @elf_property_phdata: the PT_GNU_PROPERTY header to parse, if any
 * @interpreter: the PT_INTERP file, from open_exec(), or NULL once released
 * @has_interp: the executable has a PT_INTERP; stays true after release,
 *	as stock keeps testing its (then stale) interpreter pointer
 * @interp_elf_ex: the interpreter's ELF header
 * @interp_elf_phdata: the interpreter's program headers
 * @executable_stack: EXSTACK_* from PT_GNU_STACK
 * @snapshot_randomize_va_space: kernel.randomize_va_space, read once
 * @load_bias: what the executable's p_vaddr are shifted by
 * @phdr_addr: where the program headers are in memory (AT_PHDR)
 * @e_entry: the executable's entry point (AT_ENTRY)
 * @elf_entry: where the task starts: e_entry or the interpreter's entry
 * @interp_load_addr: the interpreter's bias (AT_BASE)
 * @reloc_func_desc: for ELF_PLAT_INIT, as stock computes it
 * @elf_brk: the end of the highest segment, then the brk start
 * @start_code: lowest p_vaddr of an executable segment
 * @end_code: highest file end of an executable segment
 * @start_data: highest p_vaddr of any segment
 * @end_data: highest file end of any segment
 * @session: the trace session, or NULL when this load is not recorded
 * @interp_path: the PT_INTERP path, kept for the load_start event
 * @failed_step: the name of the step that failed, for load_error
 * @fault_probes: this load holds a reference on the fault probes
 * @mm_tracked: the new mm is in the fault hooks' table
 */
struct bft_load_context {
	struct linux_binprm	*bprm;
	struct bft_wrapper	wrapper;
	bool			in_place;
	loff_t			elf_offset;

	struct elfhdr		elf_ex;
	struct elf_phdr		*elf_phdata;
	const struct elf_phdr	*elf_property_phdata;

	struct file		*interpreter;
	bool			has_interp;
	struct elfhdr		interp_elf_ex;
	struct elf_phdr		*interp_elf_phdata;

	int			executable_stack;
	int			snapshot_randomize_va_space;

	unsigned long		load_bias;
	unsigned long		phdr_addr;
	unsigned long		e_entry;
	unsigned long		elf_entry;
	unsigned long		interp_load_addr;
	unsigned long		reloc_func_desc;
	unsigned long		elf_brk;
	unsigned long		start_code;
	unsigned long		end_code;
	unsigned long		start_data;
	unsigned long		end_data;

	struct bft_session	*session;
	char			*interp_path;
	const char		*failed_step;
	bool			fault_probes;
	bool			mm_tracked;
};

int bft_load_binary(struct linux_binprm *bprm);

/* elf_map.c: mapping the executable and the interpreter. */
int map_load_segments(struct bft_load_context *ctx);
unsigned long load_elf_interp(struct bft_load_context *ctx);
int set_brk(struct bft_load_context *ctx);

/* elf_tables.c: the initial stack. */
int create_elf_tables(struct bft_load_context *ctx);

/* load_events.c: the load step events. */
void bft_trace_load_step(struct bft_load_context *ctx, int type,
			 const void *payload, size_t size);
void bft_trace_load_start(struct bft_load_context *ctx);
void bft_trace_phdrs(struct bft_load_context *ctx, u8 obj,
		     const struct elf_phdr *phdrs, int nr);
void bft_trace_auxv(struct bft_load_context *ctx);
int bft_trace_error(struct bft_load_context *ctx, const char *step,
		    int error);
void bft_trace_load_end(struct bft_load_context *ctx, int result,
			u64 load_ns);

#endif /* BINFMT_TRACE_H */
