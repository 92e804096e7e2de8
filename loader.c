// SPDX-License-Identifier: GPL-2.0
/*
 * The load_binary hook for wrapped executables.
 *
 * bft_load_binary() is load_elf_binary() of fs/binfmt_elf.c, step for
 * step, for an ELF that starts elf_offset bytes into the file.  Each step
 * is a function named after the stock function or block it mirrors; the
 * mapping steps are in elf_map.c, the stack in elf_tables.c, the pure
 * header checks in elf_check.c and the 6.1/6.12 differences in compat.h.
 *
 * Up to bft_begin_new_exec() a failure returns the errno stock returns and
 * the old program keeps running.  After it, the old program is gone: a
 * failure is returned as stock returns it, and exec kills the task with
 * SIGSEGV (bprm->point_of_no_return, fs/exec.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/personality.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bft_format.h"
#include "binfmt_trace.h"
#include "compat.h"
#include "control.h"
#include "elf_check.h"
#include "kernel_helpers.h"
#include "ksyms.h"
#include "session.h"
#include "trace.h"

/*
 * Stock elf_read(), for an ELF at @file_base in @file: read exactly @len
 * bytes at ELF offset @pos.  Offsets that the VFS refuses for a bare ELF
 * (rw_verify_area(): negative, or overflowing with @len) are refused with
 * its -EINVAL; any other offset reads from the same bytes of the ELF, and
 * one beyond the ELF gives the same short read, hence -EIO.
 */
static int elf_read(struct file *file, loff_t file_base, void *buf,
		    size_t len, u64 pos)
{
	loff_t elf_pos = pos;
	ssize_t rv;

	if (elf_pos < 0 || (loff_t)len > LLONG_MAX - elf_pos)
		return -EINVAL;
	if (elf_pos > LLONG_MAX - file_base - (loff_t)len)
		return -EIO;
	elf_pos += file_base;

	rv = kernel_read(file, buf, len, &elf_pos);
	if (unlikely(rv != len))
		return (rv < 0) ? rv : -EIO;
	return 0;
}

/*
 * Validate the wrapper header of a file that starts with our magic.
 * bprm->buf holds the first BINPRM_BUF_SIZE bytes of the file, zero
 * padded, enough for the header.  A header we refuse gets one rate-limited
 * line and -ENOEXEC, so that the other binary formats get their turn.
 */
static int bft_check_wrapper(struct bft_load_context *ctx)
{
	struct linux_binprm *bprm = ctx->bprm;
	struct bft_wrapper *wrapper = &ctx->wrapper;
	struct bft_header header;
	const char *why;

	BUILD_BUG_ON(sizeof(header) > BINPRM_BUF_SIZE);
	memcpy(&header, bprm->buf, sizeof(header));
	wrapper->version = le16_to_cpu(header.version);
	wrapper->header_size = le16_to_cpu(header.header_size);
	wrapper->flags = le32_to_cpu(header.flags);
	wrapper->elf_offset = le64_to_cpu(header.elf_offset);
	wrapper->elf_size = le64_to_cpu(header.elf_size);
	memcpy(wrapper->label, header.label, BFT_LABEL_LEN);
	wrapper->label[BFT_LABEL_LEN] = '\0';

	why = bft_check_wrapper_fields(wrapper,
				       i_size_read(file_inode(bprm->file)));
	if (why) {
		/* Escaped: a newline in a name must not forge a log line. */
		pr_info_ratelimited("%*pE: refusing wrapped executable: %s (version %u, flags %#x)\n",
				    (int)strlen(bprm->filename),
				    bprm->filename, why, wrapper->version,
				    wrapper->flags);
		return -ENOEXEC;
	}

	ctx->elf_offset = wrapper->elf_offset;
	return 0;
}

/*
 * A plain ELF whose exec was marked (trace_next_exec): loaded in place,
 * from offset 0, as if wrapped with the mark's flags and label.  A header
 * our loader cannot take (another machine, i386) is left to the kernel's
 * own loaders, untraced, before anything is recorded.
 */
static int bft_check_in_place(struct bft_load_context *ctx)
{
	struct linux_binprm *bprm = ctx->bprm;

	BUILD_BUG_ON(sizeof(struct elfhdr) > BINPRM_BUF_SIZE);
	if (bft_check_elf_header((const struct elfhdr *)bprm->buf))
		return -ENOEXEC;
	ctx->in_place = true;
	ctx->wrapper.elf_size = i_size_read(file_inode(bprm->file));
	return 0;
}

/**
 * bft_recognize - is this exec ours?
 * @ctx: the load; fills ctx->wrapper and ctx->elf_offset
 *
 * Ours are wrapped files, and the next exec of an ELF by a thread that
 * marked it.  A wrapped file takes the mark too: the mark is for one exec.
 * Every exec on the machine comes here first (insert_binfmt()); for one
 * that is neither, the cost is two short compares and an atomic read.
 *
 * Return: 0, or -ENOEXEC so that the other binary formats get their turn.
 */
static int bft_recognize(struct bft_load_context *ctx)
{
	const char *buf = ctx->bprm->buf;

	if (!memcmp(buf, BFT_MAGIC, BFT_MAGIC_LEN)) {
		bft_mark_take(NULL);
		return bft_check_wrapper(ctx);
	}
	if (!memcmp(buf, ELFMAG, SELFMAG) && bft_mark_take(&ctx->wrapper))
		return bft_check_in_place(ctx);
	return -ENOEXEC;
}

/*
 * What prepare_binprm() does for a bare ELF: read the start of the file,
 * here of the ELF, short files leaving zeroes.  Read errors are returned.
 */
static int bft_read_elf_header(struct bft_load_context *ctx)
{
	loff_t pos = ctx->elf_offset;
	ssize_t rv;

	rv = kernel_read(ctx->bprm->file, &ctx->elf_ex, sizeof(ctx->elf_ex),
			 &pos);
	return rv < 0 ? rv : 0;
}

/* The "simple consistency checks" that open load_elf_binary(). */
static int bft_check_elf(struct bft_load_context *ctx)
{
	int retval = bft_check_elf_header(&ctx->elf_ex);

	if (retval)
		return retval;
	if (!ctx->bprm->file->f_op->mmap)
		return -ENOEXEC;
	return 0;
}

/*
 * Stock load_elf_phdrs(): read the program header table, or return NULL
 * on any failure, bad size, allocation or read alike.
 */
static struct elf_phdr *load_elf_phdrs(const struct elfhdr *elf_ex,
				       struct file *elf_file, loff_t file_base)
{
	struct elf_phdr *elf_phdata;
	u32 size;

	if (bft_check_phdrs_size(elf_ex, &size))
		return NULL;

	elf_phdata = kmalloc(size, GFP_KERNEL);
	if (!elf_phdata)
		return NULL;

	if (elf_read(elf_file, file_base, elf_phdata, size, elf_ex->e_phoff)) {
		kfree(elf_phdata);
		return NULL;
	}
	return elf_phdata;
}

static int bft_load_elf_phdrs(struct bft_load_context *ctx)
{
	ctx->elf_phdata = load_elf_phdrs(&ctx->elf_ex, ctx->bprm->file,
					 ctx->elf_offset);
	return ctx->elf_phdata ? 0 : -ENOEXEC;
}

/*
 * The PT_INTERP block of load_elf_binary(): read the interpreter path
 * (from the wrapped file, at p_offset + elf_offset), open it, and read its
 * ELF header.  The interpreter is an ordinary file: offsets from 0.
 */
static int open_interp(struct bft_load_context *ctx,
		       const struct elf_phdr *elf_ppnt)
{
	struct linux_binprm *bprm = ctx->bprm;
	struct file *interpreter;
	char *elf_interpreter;
	int retval;

	retval = bft_check_interp_size(elf_ppnt);
	if (retval)
		return retval;

	elf_interpreter = kmalloc(elf_ppnt->p_filesz, GFP_KERNEL);
	if (!elf_interpreter)
		return -ENOMEM;

	retval = elf_read(bprm->file, ctx->elf_offset, elf_interpreter,
			  elf_ppnt->p_filesz, elf_ppnt->p_offset);
	if (!retval)
		retval = bft_check_interp_path(elf_interpreter,
					       elf_ppnt->p_filesz);
	if (retval) {
		kfree(elf_interpreter);
		return retval;
	}
	/* Kept for the load_start event, freed with the context. */
	ctx->interp_path = elf_interpreter;

	interpreter = open_exec(elf_interpreter);
	if (IS_ERR(interpreter))
		return PTR_ERR(interpreter);
	ctx->interpreter = interpreter;
	ctx->has_interp = true;

	/* An unreadable executable stays undumpable, whatever the interp. */
	would_dump(bprm, interpreter);

	return elf_read(interpreter, 0, &ctx->interp_elf_ex,
			sizeof(ctx->interp_elf_ex), 0);
}

/*
 * Find PT_INTERP, noting PT_GNU_PROPERTY on the way.  Like stock, the scan
 * stops at the first PT_INTERP.
 */
static int parse_interp(struct bft_load_context *ctx)
{
	const struct elf_phdr *elf_ppnt = ctx->elf_phdata;
	int i;

	for (i = 0; i < ctx->elf_ex.e_phnum; i++, elf_ppnt++) {
		if (elf_ppnt->p_type == PT_GNU_PROPERTY) {
			ctx->elf_property_phdata = elf_ppnt;
			continue;
		}
		if (elf_ppnt->p_type == PT_INTERP)
			return open_interp(ctx, elf_ppnt);
	}
	return 0;
}

/*
 * arch_elf_pt_proc() of stock: the dummy of architectures without
 * CONFIG_ARCH_BINFMT_ELF_STATE, x86 among them.
 */
static int arch_elf_pt_proc(const struct elf_phdr *phdr, bool is_interp)
{
	return 0;
}

/* PT_GNU_STACK decides executable_stack; the last one wins. */
static int parse_gnu_stack(struct bft_load_context *ctx)
{
	const struct elf_phdr *elf_ppnt = ctx->elf_phdata;
	int retval, i;

	ctx->executable_stack = EXSTACK_DEFAULT;
	for (i = 0; i < ctx->elf_ex.e_phnum; i++, elf_ppnt++) {
		switch (elf_ppnt->p_type) {
		case PT_GNU_STACK:
			if (elf_ppnt->p_flags & PF_X)
				ctx->executable_stack = EXSTACK_ENABLE_X;
			else
				ctx->executable_stack = EXSTACK_DISABLE_X;
			break;
		case PT_LOPROC ... PT_HIPROC:
			retval = arch_elf_pt_proc(elf_ppnt, false);
			if (retval)
				return retval;
			break;
		}
	}
	return 0;
}

/*
 * "Some simple consistency checks for the interpreter", then its program
 * headers.  Every failure is -ELIBBAD.  The interpreter's PT_GNU_PROPERTY,
 * if any, replaces the executable's; its PT_GNU_STACK is ignored.
 */
static int check_interp(struct bft_load_context *ctx)
{
	const struct elf_phdr *elf_ppnt;
	int retval, i;

	if (!ctx->interpreter)
		return 0;

	retval = bft_check_interp_header(&ctx->interp_elf_ex);
	if (retval)
		return retval;

	ctx->interp_elf_phdata = load_elf_phdrs(&ctx->interp_elf_ex,
						ctx->interpreter, 0);
	if (!ctx->interp_elf_phdata)
		return -ELIBBAD;

	ctx->elf_property_phdata = NULL;
	elf_ppnt = ctx->interp_elf_phdata;
	for (i = 0; i < ctx->interp_elf_ex.e_phnum; i++, elf_ppnt++) {
		switch (elf_ppnt->p_type) {
		case PT_GNU_PROPERTY:
			ctx->elf_property_phdata = elf_ppnt;
			break;
		case PT_LOPROC ... PT_HIPROC:
			retval = arch_elf_pt_proc(elf_ppnt, true);
			if (retval)
				return retval;
			break;
		}
	}
	return 0;
}

/*
 * Stock parse_elf_properties() returns 0 without reading anything unless
 * the architecture selects ARCH_USE_GNU_PROPERTY, which x86 does not on
 * 6.1 nor on 6.12.  Should a kernel turn it on, refuse to build rather
 * than load differently.
 */
static int parse_elf_properties(struct bft_load_context *ctx)
{
	BUILD_BUG_ON(IS_ENABLED(CONFIG_ARCH_USE_GNU_PROPERTY));
	return 0;
}

/* Stock arch_check_elf(): the last chance to refuse; a dummy on x86. */
static int arch_check_elf(struct bft_load_context *ctx)
{
	return 0;
}

/* Flush the old program.  The point of no return. */
static int bft_begin_new_exec(struct bft_load_context *ctx)
{
	return begin_new_exec(ctx->bprm);
}

/*
 * SET_PERSONALITY2() first, since STACK_TOP depends on the personality;
 * then READ_IMPLIES_EXEC, and PF_RANDOMIZE unless ASLR is off for the
 * task (setarch -R) or the system (randomize_va_space 0).
 */
static int bft_set_personality(struct bft_load_context *ctx)
{
	bft_set_personality_64bit();
	if (elf_read_implies_exec(ctx->elf_ex, ctx->executable_stack))
		current->personality |= READ_IMPLIES_EXEC;

	ctx->snapshot_randomize_va_space =
		READ_ONCE(*bft_ksyms.randomize_va_space);
	if (!(current->personality & ADDR_NO_RANDOMIZE) &&
	    ctx->snapshot_randomize_va_space)
		current->flags |= PF_RANDOMIZE;
	return 0;
}

/* Move the stack to its final, maybe randomized, top; set its exec bit. */
static int bft_setup_arg_pages(struct bft_load_context *ctx)
{
	struct bft_ev_load_stack event = {
		.stack_top = bft_randomize_stack_top(STACK_TOP),
		.executable = ctx->executable_stack,
	};

	event.result = setup_arg_pages(ctx->bprm, event.stack_top,
				       ctx->executable_stack);
	event.p = ctx->bprm->p;
	bft_trace_load_step(ctx, BFT_EV_LOAD_STACK, &event, sizeof(event));
	return event.result;
}

/* Drop the interpreter: its mappings hold their own references. */
static void bft_release_interp(struct bft_load_context *ctx)
{
	kfree(ctx->interp_elf_phdata);
	ctx->interp_elf_phdata = NULL;
	if (!ctx->interpreter)
		return;
	exe_file_allow_write_access(ctx->interpreter);
	fput(ctx->interpreter);
	ctx->interpreter = NULL;
}

/* Record where the interpreter went. */
static void trace_load_interp(struct bft_load_context *ctx,
			      unsigned long elf_entry)
{
	struct bft_ev_load_interp event = {
		.bias	= ctx->interp_load_addr,
		.entry	= elf_entry,
		.result	= BAD_ADDR(elf_entry) ?
			  (IS_ERR_VALUE(elf_entry) ? (int)elf_entry : -EINVAL) :
			  0,
	};

	bft_trace_load_step(ctx, BFT_EV_LOAD_INTERP, &event, sizeof(event));
}

/*
 * Map the interpreter and start there, or start at the executable's own
 * entry.  Stock releases the interpreter file as soon as it is mapped.
 */
static int bft_load_interp(struct bft_load_context *ctx)
{
	unsigned long elf_entry;

	if (!ctx->has_interp) {
		ctx->elf_entry = ctx->e_entry;
		return BAD_ADDR(ctx->elf_entry) ? -EINVAL : 0;
	}

	elf_entry = load_elf_interp(ctx);
	if (!IS_ERR_VALUE(elf_entry)) {
		/* load_elf_interp() returns the interpreter's bias. */
		ctx->interp_load_addr = elf_entry;
		elf_entry += ctx->interp_elf_ex.e_entry;
	}
	trace_load_interp(ctx, elf_entry);
	if (BAD_ADDR(elf_entry))
		return IS_ERR_VALUE(elf_entry) ? (int)elf_entry : -EINVAL;
	ctx->elf_entry = elf_entry;
	ctx->reloc_func_desc = ctx->interp_load_addr;

	bft_release_interp(ctx);
	return 0;
}

/*
 * The task is ours from now on: core dumps go through bft_format, which
 * borrows binfmt_elf's dumper, and hold a reference on this module.
 */
static int bft_set_binfmt(struct bft_load_context *ctx)
{
	kfree(ctx->elf_phdata);
	ctx->elf_phdata = NULL;
	set_binfmt(&bft_format);
	return 0;
}

/* ARCH_SETUP_ADDITIONAL_PAGES: map the vDSO and vvar pages. */
static int bft_setup_additional_pages(struct bft_load_context *ctx)
{
	struct bft_ev_load_vdso event = { };

	event.result = bft_arch_setup_additional_pages();
	event.addr = (unsigned long)current->mm->context.vdso;
	bft_trace_load_step(ctx, BFT_EV_LOAD_VDSO, &event, sizeof(event));
	return event.result;
}

/* What /proc/PID/stat and prctl(PR_SET_MM) report as the layout. */
static int bft_set_mm_layout(struct bft_load_context *ctx)
{
	struct mm_struct *mm = current->mm;

	mm->end_code = ctx->end_code;
	mm->start_code = ctx->start_code;
	mm->start_data = ctx->start_data;
	mm->end_data = ctx->end_data;
	mm->start_stack = ctx->bprm->p;
	return 0;
}

/*
 * MMAP_PAGE_ZERO personality: SVr4 maps page 0 read-only and some old
 * programs depend on it.  Stock ignores the result of the mapping.
 */
static int bft_map_page_zero(struct bft_load_context *ctx)
{
	unsigned long addr;

	if (!(current->personality & MMAP_PAGE_ZERO))
		return 0;
	addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_EXEC,
		       MAP_FIXED | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr))
		pr_debug("pid=%d: cannot map page zero: %ld\n",
			 task_pid_nr(current), (long)addr);
	bft_compat_seal_page_zero();
	return 0;
}

/*
 * ELF_PLAT_INIT clears the registers the x86_64 ABI wants zero at entry;
 * then the new program is committed and set to start at elf_entry with
 * the stack pointer at argc.
 */
static int bft_start_thread(struct bft_load_context *ctx)
{
	struct pt_regs *regs = current_pt_regs();

	struct bft_ev_load_entry event = {
		.entry		= ctx->elf_entry,
		.sp		= ctx->bprm->p,
		.exe_entry	= ctx->e_entry,
		.load_bias	= ctx->load_bias,
	};

	ELF_PLAT_INIT(regs, ctx->reloc_func_desc);
	finalize_exec(ctx->bprm);
	START_THREAD(&ctx->elf_ex, regs, ctx->elf_entry, ctx->bprm->p);
	bft_trace_load_step(ctx, BFT_EV_LOAD_ENTRY, &event, sizeof(event));
	return 0;
}

static void bft_free_context(struct bft_load_context *ctx)
{
	bft_release_interp(ctx);
	kfree(ctx->elf_phdata);
	kfree(ctx->interp_path);
}

/* setup_new_exec() as a step: the new program's name, sighand, mmap base. */
static int bft_setup_new_exec(struct bft_load_context *ctx)
{
	setup_new_exec(ctx->bprm);
	return 0;
}

/**
 * struct bft_step - one step of the load, named for the trace
 * @name: the function's name; load_error's step= names it
 * @run: the step: 0, or the errno that ends the load
 */
struct bft_step {
	const char	*name;
	int		(*run)(struct bft_load_context *ctx);
};

#define BFT_STEP(fn)	{ .name = #fn, .run = fn }

/*
 * Everything load_elf_binary() checks and reads while the exec can still
 * fail cleanly: the headers, the interpreter, the stack flags.
 */
static const struct bft_step bft_parse_steps[] = {
	BFT_STEP(bft_read_elf_header),
	BFT_STEP(bft_check_elf),
	BFT_STEP(bft_load_elf_phdrs),
	BFT_STEP(parse_interp),
	BFT_STEP(parse_gnu_stack),
	BFT_STEP(check_interp),
	BFT_STEP(parse_elf_properties),
	BFT_STEP(arch_check_elf),
};

/*
 * Everything after the point of no return: build the new address space
 * and stack, and point the task at the entry.
 */
static const struct bft_step bft_exec_steps[] = {
	BFT_STEP(bft_set_personality),
	BFT_STEP(bft_setup_new_exec),
	BFT_STEP(bft_setup_arg_pages),
	BFT_STEP(map_load_segments),
	BFT_STEP(bft_load_interp),
	BFT_STEP(bft_set_binfmt),
	BFT_STEP(bft_setup_additional_pages),
	BFT_STEP(create_elf_tables),
	BFT_STEP(bft_set_mm_layout),
	BFT_STEP(set_brk),
	BFT_STEP(bft_map_page_zero),
	BFT_STEP(bft_start_thread),
};

/* Run @steps in order; the first failure ends the load and is recorded. */
static int bft_run_steps(struct bft_load_context *ctx,
			 const struct bft_step *steps, size_t nr)
{
	int retval;
	size_t i;

	for (i = 0; i < nr; i++) {
		retval = steps[i].run(ctx);
		if (retval) {
			ctx->failed_step = steps[i].name;
			return retval;
		}
	}
	return 0;
}

/*
 * Open the session of this exec.  When it wants fault events, arm the
 * probes first: they must be in place before the new mm takes its first
 * fault, and arming them must not count as load time.
 */
static void bft_trace_begin(struct bft_load_context *ctx)
{
	bool enabled = READ_ONCE(bft_trace_enabled);

	/* Marks are root's; a wrapped file is traced for the users allowed. */
	if (!ctx->in_place && !bft_user_traced())
		return;
	/* The old mm is still there: the resize borrows a page of it. */
	if (enabled)
		bft_trace_size_grow();
	if (enabled && !(ctx->wrapper.flags & BFT_FLAG_NO_FAULT_EVENTS) &&
	    !bft_probes_get()) {
		ctx->fault_probes = true;
		bft_load_begin();
	}
	ctx->session = bft_session_start(ctx);
	if (!ctx->session && ctx->fault_probes) {
		bft_load_done();
		bft_probes_put();
		ctx->fault_probes = false;
	}
}

/*
 * The headers are read: say what is being loaded, and make room for the
 * fault hooks to learn where its segments go.
 */
static void bft_trace_parsed(struct bft_load_context *ctx)
{
	struct bft_session *session = ctx->session;

	if (!session)
		return;
	if (ctx->interpreter)
		session->interp_inode = file_inode(ctx->interpreter);
	/* Only headers that passed their checks: at most a page of each. */
	if (ctx->elf_phdata)
		bft_session_reserve_segments(session, ctx->elf_ex.e_phnum +
					     (ctx->interp_elf_phdata ?
					      ctx->interp_elf_ex.e_phnum : 0));
	bft_trace_load_start(ctx);
	bft_trace_phdrs(ctx, BFT_OBJ_EXE, ctx->elf_phdata,
			ctx->elf_ex.e_phnum);
	bft_trace_phdrs(ctx, BFT_OBJ_INTERP, ctx->interp_elf_phdata,
			ctx->interp_elf_ex.e_phnum);
}

/* The new mm is current->mm from the point of no return on. */
static void bft_trace_new_mm(struct bft_load_context *ctx)
{
	if (ctx->fault_probes)
		ctx->mm_tracked = !bft_track_mm(ctx->session, current->mm);
}

/*
 * Close the session.  A failed load after the point of no return leaves a
 * task about to die: its mm is traced no longer.
 */
static void bft_trace_end(struct bft_load_context *ctx, int retval)
{
	u64 load_ns;

	if (!ctx->session)
		return;
	load_ns = ktime_get_ns() - ctx->session->start_ns;
	if (retval && ctx->failed_step)
		bft_trace_error(ctx, ctx->failed_step, retval);
	bft_trace_load_end(ctx, retval, load_ns);
	if (retval && ctx->mm_tracked)
		bft_untrack_mm(current->mm);
	if (ctx->fault_probes) {
		bft_load_done();
		bft_probes_put();
	}
	bft_session_end(ctx->session, retval, load_ns);
}

/**
 * bft_load_binary - the linux_binfmt.load_binary hook
 * @bprm: the exec in progress; bprm->buf holds the first bytes of the file
 *
 * Return: 0 with the task set up to run the wrapped ELF; -ENOEXEC for a
 * file that is not ours, so that other binary formats get their turn; or
 * the errno stock load_elf_binary() returns for the same ELF.
 */
int bft_load_binary(struct linux_binprm *bprm)
{
	struct bft_load_context ctx = { .bprm = bprm };
	int retval;

	retval = bft_recognize(&ctx);
	if (retval)
		return retval;
	bft_trace_begin(&ctx);

	retval = bft_run_steps(&ctx, bft_parse_steps,
			       ARRAY_SIZE(bft_parse_steps));
	bft_trace_parsed(&ctx);
	if (retval)
		goto out;
	retval = bft_begin_new_exec(&ctx);
	if (retval) {
		ctx.failed_step = "begin_new_exec";
		goto out;
	}
	bft_trace_new_mm(&ctx);
	retval = bft_run_steps(&ctx, bft_exec_steps,
			       ARRAY_SIZE(bft_exec_steps));
out:
	bft_trace_end(&ctx, retval);
	bft_free_context(&ctx);
	return retval;
}
