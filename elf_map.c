// SPDX-License-Identifier: GPL-2.0
/*
 * Map the executable and its interpreter, set up the brk.
 *
 * The mapping half of fs/binfmt_elf.c: elf_map(), elf_load(), padzero(),
 * total_mapping_size(), maximum_alignment(), the PT_LOAD loop of
 * load_elf_binary(), load_elf_interp() and the "brk" handling.  The one
 * change: a segment of the executable is mapped from file offset
 * p_offset + elf_offset, the ELF sitting elf_offset bytes into the file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf-randomize.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include "binfmt_trace.h"
#include "compat.h"
#include "kernel_helpers.h"
#include "ksyms.h"
#include "session.h"
#include "trace.h"

/* ELF_MIN_ALIGN of stock: the larger of ELF_EXEC_PAGESIZE and PAGE_SIZE. */
static_assert(BFT_ELF_MIN_ALIGN == PAGE_SIZE && ELF_EXEC_PAGESIZE <= PAGE_SIZE);

#define ELF_PAGESTART(v)	((v) & ~(BFT_ELF_MIN_ALIGN - 1))
#define ELF_PAGEOFFSET(v)	((v) & (BFT_ELF_MIN_ALIGN - 1))
#define ELF_PAGEALIGN(v)	(((v) + BFT_ELF_MIN_ALIGN - 1) & \
				 ~(BFT_ELF_MIN_ALIGN - 1))

/*
 * Zero the rest of the page after the last byte taken from the file: the
 * mapping shows whatever the file holds there, which is not bss.
 */
static int padzero(unsigned long address)
{
	unsigned long nbyte = ELF_PAGEOFFSET(address);

	if (nbyte) {
		nbyte = BFT_ELF_MIN_ALIGN - nbyte;
		if (clear_user((void __user *)address, nbyte))
			return -EFAULT;
	}
	return 0;
}

/**
 * struct elf_object - the ELF file a segment is mapped from
 * @ctx: the load
 * @file: the executable or the interpreter
 * @file_base: where the ELF starts in @file: elf_offset or 0
 * @phdata: its program headers, to number the segments in the trace
 * @obj: BFT_OBJ_EXE or BFT_OBJ_INTERP
 */
struct elf_object {
	struct bft_load_context	*ctx;
	struct file		*file;
	loff_t			file_base;
	const struct elf_phdr	*phdata;
	u8			obj;
};

static s16 elf_segment_index(const struct elf_object *o,
			     const struct elf_phdr *eppnt)
{
	return eppnt - o->phdata;
}

/* Record a load_map event: what elf_map() asked mmap for and got. */
static void trace_elf_map(const struct elf_object *o,
			  const struct elf_phdr *eppnt, unsigned long addr,
			  unsigned long size, int prot, int type,
			  unsigned long off, unsigned long total_size,
			  unsigned long map_addr)
{
	struct bft_ev_load_map map = {
		.obj	= o->obj,
		.seg	= elf_segment_index(o, eppnt),
		.prot	= prot,
		.flags	= type,
		.addr	= addr,
		.len	= size,
		.off	= off,
		.total	= total_size,
		.result	= (long)map_addr,
	};

	bft_trace_load_step(o->ctx, BFT_EV_LOAD_MAP, &map, sizeof(map));
}

/* Record a load_bss event: the page tail zeroed, the anonymous pages. */
static void trace_elf_bss(const struct elf_object *o, s16 seg, int prot,
			  unsigned long zero_start, unsigned long anon_start,
			  unsigned long anon_end, int result)
{
	struct bft_ev_load_bss bss = {
		.obj		= o->obj,
		.seg		= seg,
		.prot		= prot,
		.zero_start	= zero_start,
		.zero_end	= ELF_PAGEALIGN(zero_start),
		.anon_start	= anon_start,
		.anon_end	= anon_end,
		.result		= result,
	};

	bft_trace_load_step(o->ctx, BFT_EV_LOAD_BSS, &bss, sizeof(bss));
}

/*
 * Tell the fault hooks where a segment now is, from its first page at
 * @map_addr: its faults during the rest of the load are then attributed.
 */
static void note_segment(const struct elf_object *o,
			 const struct elf_phdr *eppnt, unsigned long map_addr)
{
	unsigned long start = map_addr + ELF_PAGEOFFSET(eppnt->p_vaddr);

	if (o->ctx->session)
		bft_session_add_segment(o->ctx->session, o->obj,
					elf_segment_index(o, eppnt), start,
					start + eppnt->p_memsz);
}

/**
 * elf_map - map the file part of one segment, like stock elf_map()
 * @o: the file
 * @addr: where the segment goes
 * @eppnt: its program header
 * @prot: PROT_* from make_prot()
 * @type: MAP_* flags
 * @total_size: if non-zero, the size of the whole image: reserve it all
 *	with this first mapping, so that a randomized base leaves room for
 *	the later segments, then give back what this segment does not use
 *
 * Return: the mapped address, or an error value.
 */
static unsigned long elf_map(const struct elf_object *o, unsigned long addr,
			     const struct elf_phdr *eppnt, int prot, int type,
			     unsigned long total_size)
{
	unsigned long size = eppnt->p_filesz + ELF_PAGEOFFSET(eppnt->p_vaddr);
	unsigned long off = eppnt->p_offset - ELF_PAGEOFFSET(eppnt->p_vaddr);
	unsigned long map_addr;

	addr = ELF_PAGESTART(addr);
	size = ELF_PAGEALIGN(size);

	/* A zero-sized mmap() is -EINVAL, a zero p_filesz is valid. */
	if (!size)
		return addr;

	/* Never let a huge p_offset wrap around onto the wrapper header. */
	if (off + o->file_base < off) {
		map_addr = -EINVAL;
		goto out;
	}

	if (total_size) {
		total_size = ELF_PAGEALIGN(total_size);
		map_addr = vm_mmap(o->file, addr, total_size, prot, type,
				   off + o->file_base);
		if (!BAD_ADDR(map_addr))
			vm_munmap(map_addr + size, total_size - size);
	} else {
		map_addr = vm_mmap(o->file, addr, size, prot, type,
				   off + o->file_base);
	}
out:
	trace_elf_map(o, eppnt, addr, size, prot, type, off, total_size,
		      map_addr);
	if (!BAD_ADDR(map_addr))
		note_segment(o, eppnt, map_addr);

	if ((type & MAP_FIXED_NOREPLACE) &&
	    PTR_ERR((void *)map_addr) == -EEXIST)
		pr_info("%d (%s): Uhuuh, elf segment at %016lx requested but the memory is mapped already\n",
			task_pid_nr(current), current->comm, addr);

	return map_addr;
}

/*
 * Map the anonymous part of a segment, p_filesz rounded up to a page
 * through p_memsz; executable if the segment is (stock: "ppc32 needs
 * this").
 */
static unsigned long elf_map_bss(const struct elf_object *o,
				 const struct elf_phdr *eppnt,
				 unsigned long map_addr,
				 unsigned long zero_start,
				 unsigned long zero_end, int prot)
{
	unsigned long anon_start = ELF_PAGEALIGN(zero_start);
	unsigned long anon_end = ELF_PAGEALIGN(zero_end);
	int error;

	error = vm_brk_flags(anon_start, anon_end - anon_start,
			     prot & PROT_EXEC ? VM_EXEC : 0);
	trace_elf_bss(o, elf_segment_index(o, eppnt), prot, zero_start,
		      anon_start, anon_end, error);
	return error ? error : map_addr;
}

/**
 * elf_load - map a whole segment, file part and bss, like stock elf_load()
 * @o: the file
 * @addr: where the segment goes
 * @eppnt: its program header
 * @prot: PROT_* from make_prot()
 * @type: MAP_* flags
 * @total_size: as for elf_map()
 *
 * Whether a fault while zeroing the tail of the last file page fails the
 * load depends on the kernel version: bft_compat_padzero_failed().
 *
 * Return: the mapped address, or an error value.
 */
static unsigned long elf_load(const struct elf_object *o, unsigned long addr,
			      const struct elf_phdr *eppnt, int prot, int type,
			      unsigned long total_size)
{
	unsigned long in_page = ELF_PAGEOFFSET(eppnt->p_vaddr);
	unsigned long zero_start, zero_end;
	unsigned long map_addr;

	if (eppnt->p_filesz) {
		map_addr = elf_map(o, addr, eppnt, prot, type, total_size);
		if (BAD_ADDR(map_addr))
			return map_addr;
		if (eppnt->p_memsz <= eppnt->p_filesz)
			return map_addr;
		zero_start = map_addr + in_page + eppnt->p_filesz;
		zero_end = map_addr + in_page + eppnt->p_memsz;
		if (bft_compat_padzero_failed(padzero(zero_start), prot)) {
			trace_elf_bss(o, elf_segment_index(o, eppnt), prot,
				      zero_start, 0, 0, -EFAULT);
			return -EFAULT;
		}
	} else {
		map_addr = ELF_PAGESTART(addr);
		zero_start = map_addr;
		zero_end = zero_start + in_page + eppnt->p_memsz;
		if (eppnt->p_memsz <= eppnt->p_filesz)
			return map_addr;
		note_segment(o, eppnt, map_addr);
	}
	return elf_map_bss(o, eppnt, map_addr, zero_start, zero_end, prot);
}

/* The executable: the wrapped file, its ELF elf_offset bytes in. */
static struct elf_object exe_object(struct bft_load_context *ctx)
{
	return (struct elf_object) {
		.ctx		= ctx,
		.file		= ctx->bprm->file,
		.file_base	= ctx->elf_offset,
		.phdata		= ctx->elf_phdata,
		.obj		= BFT_OBJ_EXE,
	};
}

/* The interpreter: an ordinary ELF file. */
static struct elf_object interp_object(struct bft_load_context *ctx)
{
	return (struct elf_object) {
		.ctx		= ctx,
		.file		= ctx->interpreter,
		.file_base	= 0,
		.phdata		= ctx->interp_elf_phdata,
		.obj		= BFT_OBJ_INTERP,
	};
}

/* The span of all PT_LOAD segments, from the page of the lowest. */
static unsigned long total_mapping_size(const struct elf_phdr *phdr, int nr)
{
	elf_addr_t min_addr = -1;
	elf_addr_t max_addr = 0;
	bool pt_load = false;
	int i;

	for (i = 0; i < nr; i++) {
		if (phdr[i].p_type != PT_LOAD)
			continue;
		min_addr = min(min_addr, ELF_PAGESTART(phdr[i].p_vaddr));
		max_addr = max(max_addr, phdr[i].p_vaddr + phdr[i].p_memsz);
		pt_load = true;
	}
	return pt_load ? (max_addr - min_addr) : 0;
}

/* The largest power-of-two p_align of a PT_LOAD, at least a page. */
static unsigned long maximum_alignment(const struct elf_phdr *cmds, int nr)
{
	unsigned long alignment = 0;
	int i;

	for (i = 0; i < nr; i++) {
		if (cmds[i].p_type != PT_LOAD)
			continue;
		/* Stock skips non-power-of-two alignments as invalid. */
		if (!is_power_of_2(cmds[i].p_align))
			continue;
		alignment = max_t(unsigned long, alignment, cmds[i].p_align);
	}
	return ELF_PAGEALIGN(alignment);
}

/* PF_* to PROT_*; arch_elf_adjust_prot() is the identity on x86. */
static int make_prot(u32 p_flags, bool has_interp, bool is_interp)
{
	int prot = 0;

	if (p_flags & PF_R)
		prot |= PROT_READ;
	if (p_flags & PF_W)
		prot |= PROT_WRITE;
	if (p_flags & PF_X)
		prot |= PROT_EXEC;

	return arch_elf_adjust_prot(prot, NULL, has_interp, is_interp);
}

/*
 * The once-per-binary layout decision for ET_DYN, the "DOC: PIE handling"
 * block of load_elf_binary().  A program (PIE with PT_INTERP) goes at
 * ELF_ET_DYN_BASE plus the mmap randomization; a loader (static PIE, no
 * PT_INTERP) goes wherever mmap puts it, probed first with a mapping at
 * address 0 when it asks for more than page alignment, so that the base
 * can be rounded down to that alignment.
 */
static int choose_load_bias(struct bft_load_context *ctx,
			    const struct elf_phdr *elf_ppnt, int elf_prot,
			    int *elf_flags, unsigned long *total_size)
{
	struct elf_object exe = exe_object(ctx);
	int e_phnum = ctx->elf_ex.e_phnum;
	unsigned long alignment, load_bias;

	*total_size = total_mapping_size(ctx->elf_phdata, e_phnum);
	if (!*total_size)
		return -EINVAL;

	alignment = maximum_alignment(ctx->elf_phdata, e_phnum);

	if (ctx->has_interp) {
		load_bias = ELF_ET_DYN_BASE;
		if (current->flags & PF_RANDOMIZE)
			load_bias += bft_arch_mmap_rnd();
		if (alignment)
			load_bias &= ~(alignment - 1);
		*elf_flags |= MAP_FIXED_NOREPLACE;
	} else if (alignment > BFT_ELF_MIN_ALIGN) {
		load_bias = elf_load(&exe, 0, elf_ppnt, elf_prot, *elf_flags,
				     *total_size);
		if (BAD_ADDR(load_bias))
			return IS_ERR_VALUE(load_bias) ?
			       PTR_ERR((void *)load_bias) : -EINVAL;
		vm_munmap(load_bias, *total_size);
		if (alignment)
			load_bias &= ~(alignment - 1);
		*elf_flags |= MAP_FIXED_NOREPLACE;
	} else {
		load_bias = 0;
	}

	/*
	 * Lower the bias by the first vaddr, so that bias + p_vaddr is where
	 * each segment goes; page aligned.
	 */
	ctx->load_bias = ELF_PAGESTART(load_bias - elf_ppnt->p_vaddr);
	return 0;
}

/*
 * The bookkeeping after each PT_LOAD: where the program headers are
 * (AT_PHDR, in ELF offsets, not file offsets), the code and data bounds,
 * the brk, and the refusal of segments that cannot fit in the task.
 */
static int account_load_segment(struct bft_load_context *ctx,
				const struct elf_phdr *elf_ppnt)
{
	unsigned long e_phoff = ctx->elf_ex.e_phoff;
	unsigned long k;
	int retval;

	if (elf_ppnt->p_offset <= e_phoff &&
	    e_phoff < elf_ppnt->p_offset + elf_ppnt->p_filesz)
		ctx->phdr_addr = e_phoff - elf_ppnt->p_offset +
				 elf_ppnt->p_vaddr;

	k = elf_ppnt->p_vaddr;
	if ((elf_ppnt->p_flags & PF_X) && k < ctx->start_code)
		ctx->start_code = k;
	if (ctx->start_data < k)
		ctx->start_data = k;

	/* Stock: "set_brk can never work.  Avoid overflows." */
	retval = bft_check_load_segment(elf_ppnt, 0, TASK_SIZE, -EINVAL);
	if (retval)
		return retval;

	k = elf_ppnt->p_vaddr + elf_ppnt->p_filesz;
	if ((elf_ppnt->p_flags & PF_X) && ctx->end_code < k)
		ctx->end_code = k;
	if (ctx->end_data < k)
		ctx->end_data = k;
	k = elf_ppnt->p_vaddr + elf_ppnt->p_memsz;
	if (k > ctx->elf_brk)
		ctx->elf_brk = k;
	return 0;
}

/*
 * Map one PT_LOAD of the executable.  The first one fixes the layout:
 * ET_EXEC at its own addresses (MAP_FIXED_NOREPLACE, never over an
 * existing mapping), ET_DYN as choose_load_bias() decides; the others
 * follow with MAP_FIXED inside the range the first one reserved.
 */
static int map_load_segment(struct bft_load_context *ctx,
			    const struct elf_phdr *elf_ppnt, bool first_pt_load)
{
	struct elf_object exe = exe_object(ctx);
	unsigned long vaddr = elf_ppnt->p_vaddr;
	unsigned long total_size = 0;
	unsigned long error;
	int elf_prot = make_prot(elf_ppnt->p_flags, ctx->has_interp, false);
	int elf_flags = MAP_PRIVATE;
	int retval;

	if (!first_pt_load) {
		elf_flags |= MAP_FIXED;
	} else if (ctx->elf_ex.e_type == ET_EXEC) {
		elf_flags |= MAP_FIXED_NOREPLACE;
	} else {
		retval = choose_load_bias(ctx, elf_ppnt, elf_prot, &elf_flags,
					  &total_size);
		if (retval)
			return retval;
	}

	error = elf_load(&exe, ctx->load_bias + vaddr, elf_ppnt, elf_prot,
			 elf_flags, total_size);
	if (BAD_ADDR(error))
		return IS_ERR_VALUE(error) ? PTR_ERR((void *)error) : -EINVAL;

	/* mmap may have placed an ET_DYN elsewhere than asked: follow it. */
	if (first_pt_load && ctx->elf_ex.e_type == ET_DYN) {
		ctx->load_bias += error - ELF_PAGESTART(ctx->load_bias + vaddr);
		ctx->reloc_func_desc = ctx->load_bias;
	}

	return account_load_segment(ctx, elf_ppnt);
}

/**
 * map_load_segments - the PT_LOAD loop of load_elf_binary()
 * @ctx: the load; sets load_bias, e_entry, phdr_addr, elf_brk and the
 *	code and data bounds, all relocated by the load bias
 *
 * Return: 0, or an errno (after the point of no return: the task dies).
 */
int map_load_segments(struct bft_load_context *ctx)
{
	const struct elf_phdr *elf_ppnt = ctx->elf_phdata;
	bool first_pt_load = true;
	int retval, i;

	ctx->elf_brk = 0;
	ctx->start_code = ~0UL;
	ctx->end_code = 0;
	ctx->start_data = 0;
	ctx->end_data = 0;

	for (i = 0; i < ctx->elf_ex.e_phnum; i++, elf_ppnt++) {
		if (elf_ppnt->p_type != PT_LOAD)
			continue;
		retval = map_load_segment(ctx, elf_ppnt, first_pt_load);
		if (retval)
			return retval;
		first_pt_load = false;
	}

	ctx->e_entry = ctx->elf_ex.e_entry + ctx->load_bias;
	ctx->phdr_addr += ctx->load_bias;
	ctx->elf_brk += ctx->load_bias;
	ctx->start_code += ctx->load_bias;
	ctx->end_code += ctx->load_bias;
	ctx->start_data += ctx->load_bias;
	ctx->end_data += ctx->load_bias;
	return 0;
}

/**
 * struct interp_layout - the running state of load_elf_interp()'s loop
 * @load_addr: the interpreter's bias
 * @load_addr_set: the first PT_LOAD has fixed @load_addr
 * @total_size: the image size, passed only with the first mapping
 * @elf_bss: 6.1 only: the highest end of file data
 * @last_bss: 6.1 only: the highest end of memory
 * @bss_prot: 6.1 only: the protection of the segment ending at @last_bss
 */
struct interp_layout {
	unsigned long	load_addr;
	bool		load_addr_set;
	unsigned long	total_size;
	unsigned long	elf_bss;
	unsigned long	last_bss;
	int		bss_prot;
};

/* Map one PT_LOAD of the interpreter.  Return: 0, or an error value. */
static unsigned long load_interp_segment(struct bft_load_context *ctx,
					 const struct elf_phdr *eppnt,
					 struct interp_layout *layout)
{
	const struct elfhdr *interp_elf_ex = &ctx->interp_elf_ex;
	struct elf_object interp = interp_object(ctx);
	int elf_prot = make_prot(eppnt->p_flags, true, true);
	int elf_type = MAP_PRIVATE;
	unsigned long vaddr = eppnt->p_vaddr;
	unsigned long map_addr, k;

	if (interp_elf_ex->e_type == ET_EXEC || layout->load_addr_set)
		elf_type |= MAP_FIXED;
	else if (ctx->load_bias && interp_elf_ex->e_type == ET_DYN)
		layout->load_addr = -vaddr;

	if (bft_compat_interp_bss_per_segment())
		map_addr = elf_load(&interp, layout->load_addr + vaddr, eppnt,
				    elf_prot, elf_type, layout->total_size);
	else
		map_addr = elf_map(&interp, layout->load_addr + vaddr, eppnt,
				   elf_prot, elf_type, layout->total_size);
	layout->total_size = 0;
	if (BAD_ADDR(map_addr))
		return map_addr;

	if (!layout->load_addr_set && interp_elf_ex->e_type == ET_DYN) {
		layout->load_addr = map_addr - ELF_PAGESTART(vaddr);
		layout->load_addr_set = true;
	}

	if (bft_check_load_segment(eppnt, layout->load_addr, TASK_SIZE,
				   -ENOMEM))
		return -ENOMEM;

	/* 6.1 zeroes and extends the bss once, after the loop. */
	k = layout->load_addr + eppnt->p_vaddr + eppnt->p_filesz;
	if (k > layout->elf_bss)
		layout->elf_bss = k;
	k = layout->load_addr + eppnt->p_vaddr + eppnt->p_memsz;
	if (k > layout->last_bss) {
		layout->last_bss = k;
		layout->bss_prot = elf_prot;
	}
	return 0;
}

/*
 * 6.1's load_elf_interp() tail: zero from the highest end of file data to
 * its page end (even without bss), then map the rest of the bss at once.
 */
static unsigned long set_interp_bss(struct bft_load_context *ctx,
				    struct interp_layout *layout)
{
	struct elf_object interp = interp_object(ctx);
	unsigned long elf_bss, last_bss;
	int error = 0;

	if (padzero(layout->elf_bss)) {
		trace_elf_bss(&interp, -1, layout->bss_prot, layout->elf_bss,
			      0, 0, -EFAULT);
		return -EFAULT;
	}

	elf_bss = ELF_PAGEALIGN(layout->elf_bss);
	last_bss = ELF_PAGEALIGN(layout->last_bss);
	if (last_bss > elf_bss)
		error = vm_brk_flags(elf_bss, last_bss - elf_bss,
				     layout->bss_prot & PROT_EXEC ? VM_EXEC : 0);
	else
		last_bss = elf_bss;
	trace_elf_bss(&interp, -1, layout->bss_prot, layout->elf_bss,
		      elf_bss, last_bss, error);
	return error;
}

/**
 * load_elf_interp - map the interpreter, like stock load_elf_interp()
 * @ctx: the load, with the interpreter opened and its headers read
 *
 * A dynamic interpreter gets its own base from mmap, unless the executable
 * is itself placed by bias (stock's no_base): then it is asked for
 * address 0 and mmap picks.  Its file offsets are its own: no elf_offset.
 *
 * Return: the interpreter's bias (AT_BASE), or an error value; ~0UL when
 * stock's first consistency checks fail.
 */
unsigned long load_elf_interp(struct bft_load_context *ctx)
{
	const struct elfhdr *interp_elf_ex = &ctx->interp_elf_ex;
	const struct elf_phdr *eppnt = ctx->interp_elf_phdata;
	struct interp_layout layout = { };
	unsigned long error;
	int i;

	if (bft_check_interp_type(interp_elf_ex))
		return ~0UL;
	if (!ctx->interpreter->f_op->mmap)
		return ~0UL;

	layout.total_size = total_mapping_size(ctx->interp_elf_phdata,
					       interp_elf_ex->e_phnum);
	if (!layout.total_size)
		return -EINVAL;

	for (i = 0; i < interp_elf_ex->e_phnum; i++, eppnt++) {
		if (eppnt->p_type != PT_LOAD)
			continue;
		error = load_interp_segment(ctx, eppnt, &layout);
		if (error)
			return error;
	}

	if (!bft_compat_interp_bss_per_segment()) {
		error = set_interp_bss(ctx, &layout);
		if (error)
			return error;
	}
	return layout.load_addr;
}

/**
 * set_brk - place the heap, the "DOC: brk handling" block of stock
 * @ctx: the load, after create_elf_tables()
 *
 * A loader run directly (static PIE: ET_DYN without PT_INTERP) sits in the
 * mmap region, where a growing brk would soon hit something; its brk is
 * moved to the otherwise unused ELF_ET_DYN_BASE.  With full randomization
 * (randomize_va_space 2) the brk start is randomized, after a gap page
 * unless it was moved.
 */
int set_brk(struct bft_load_context *ctx)
{
	struct mm_struct *mm = current->mm;
	struct bft_ev_load_brk event = { .elf_brk = ctx->elf_brk };
	bool brk_moved = false;

	if (!IS_ENABLED(CONFIG_COMPAT_BRK) &&
	    IS_ENABLED(CONFIG_ARCH_HAS_ELF_RANDOMIZE) &&
	    ctx->elf_ex.e_type == ET_DYN && !ctx->has_interp) {
		ctx->elf_brk = ELF_ET_DYN_BASE;
		brk_moved = true;
		event.moved = true;
	}
	mm->start_brk = ELF_PAGEALIGN(ctx->elf_brk);
	mm->brk = mm->start_brk;

	if ((current->flags & PF_RANDOMIZE) &&
	    ctx->snapshot_randomize_va_space > 1) {
		if (!brk_moved) {
			mm->start_brk = mm->brk + PAGE_SIZE;
			mm->brk = mm->start_brk;
		}
		/* arch_randomize_brk() randomizes from mm->brk. */
		event.start_brk = mm->start_brk;
		mm->start_brk = bft_arch_randomize_brk(mm);
		mm->brk = mm->start_brk;
		event.randomized = true;
		brk_moved = true;
	} else {
		event.start_brk = mm->start_brk;
	}
	event.brk = mm->brk;
	bft_trace_load_step(ctx, BFT_EV_LOAD_BRK, &event, sizeof(event));

#ifdef compat_brk_randomized
	if (brk_moved)
		current->brk_randomized = 1;
#endif
	return 0;
}
