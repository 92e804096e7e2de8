// SPDX-License-Identifier: GPL-2.0
/*
 * The initial stack: create_elf_tables() of fs/binfmt_elf.c.
 *
 * Below the argument and environment strings that exec already copied,
 * the stack gets, from the top down: the platform string, 16 random
 * bytes, then 16-byte aligned, argc, the argv and envp pointer arrays and
 * the auxiliary vector.  The auxiliary vector is also kept in
 * mm->saved_auxv for /proc/PID/auxv and core dumps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/elf.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <asm/param.h>

#include "binfmt_trace.h"
#include "compat.h"
#include "kernel_helpers.h"
#include "ksyms.h"

#ifdef ELF_BASE_PLATFORM
#define BFT_ELF_BASE_PLATFORM	ELF_BASE_PLATFORM
#else
#define BFT_ELF_BASE_PLATFORM	NULL
#endif

/**
 * struct stack_strings - what create_elf_tables() puts above the tables
 * @u_platform: the copy of ELF_PLATFORM, or NULL
 * @u_base_platform: the copy of ELF_BASE_PLATFORM, or NULL
 * @u_rand_bytes: the AT_RANDOM bytes
 */
struct stack_strings {
	elf_addr_t __user	*u_platform;
	elf_addr_t __user	*u_base_platform;
	elf_addr_t __user	*u_rand_bytes;
};

/* STACK_ALLOC and copy: the stack grows down on x86. */
static int stack_copy(unsigned long *p, const void *data, size_t len,
		      elf_addr_t __user **where)
{
	*p -= len;
	*where = (elf_addr_t __user *)*p;
	if (copy_to_user(*where, data, len))
		return -EFAULT;
	return 0;
}

/*
 * The platform strings, for ld.so's library search, then the AT_RANDOM
 * bytes that seed userspace's stack protector and pointer guard.
 */
static int copy_stack_strings(unsigned long *p, struct stack_strings *s)
{
	const char *k_platform = ELF_PLATFORM;
	const char *k_base_platform = BFT_ELF_BASE_PLATFORM;
	unsigned char k_rand_bytes[16];
	int retval;

	s->u_platform = NULL;
	if (k_platform) {
		retval = stack_copy(p, k_platform, strlen(k_platform) + 1,
				    &s->u_platform);
		if (retval)
			return retval;
	}

	s->u_base_platform = NULL;
	if (k_base_platform) {
		retval = stack_copy(p, k_base_platform,
				    strlen(k_base_platform) + 1,
				    &s->u_base_platform);
		if (retval)
			return retval;
	}

	get_random_bytes(k_rand_bytes, sizeof(k_rand_bytes));
	return stack_copy(p, k_rand_bytes, sizeof(k_rand_bytes),
			  &s->u_rand_bytes);
}

static elf_addr_t *new_aux_ent(elf_addr_t *elf_info, elf_addr_t id,
			       elf_addr_t val)
{
	*elf_info++ = id;
	*elf_info++ = val;
	return elf_info;
}

/*
 * x86_64's ARCH_DLINFO, which comes first: the vDSO (unless vdso=0) and
 * the signal frame size.  Through bft_ksyms and kernel_helpers.c: the
 * macro's symbols are not exported.
 */
static elf_addr_t *arch_dlinfo(elf_addr_t *elf_info)
{
	if (*bft_ksyms.vdso64_enabled)
		elf_info = new_aux_ent(elf_info, AT_SYSINFO_EHDR,
				       (unsigned long __force)current->mm->context.vdso);
	return new_aux_ent(elf_info, AT_MINSIGSTKSZ,
			   bft_get_sigframe_size());
}

/* The process credentials, as seen from the task's user namespace. */
static elf_addr_t *aux_creds(elf_addr_t *elf_info)
{
	const struct cred *cred = current_cred();

	elf_info = new_aux_ent(elf_info, AT_UID,
			       from_kuid_munged(cred->user_ns, cred->uid));
	elf_info = new_aux_ent(elf_info, AT_EUID,
			       from_kuid_munged(cred->user_ns, cred->euid));
	elf_info = new_aux_ent(elf_info, AT_GID,
			       from_kgid_munged(cred->user_ns, cred->gid));
	return new_aux_ent(elf_info, AT_EGID,
			   from_kgid_munged(cred->user_ns, cred->egid));
}

/**
 * fill_saved_auxv - write the auxiliary vector into mm->saved_auxv
 * @ctx: the load
 * @s: where the strings went on the stack
 *
 * The entries and their order are stock's, value for value.  AT_PHDR,
 * AT_ENTRY and AT_BASE are memory addresses, so the wrapper offset never
 * shows; AT_EXECFN is the path exec copied to the stack.
 *
 * Return: the number of elf_addr_t words to copy to the stack, AT_NULL
 * included.
 */
static int fill_saved_auxv(struct bft_load_context *ctx,
			   const struct stack_strings *s)
{
	struct linux_binprm *bprm = ctx->bprm;
	struct mm_struct *mm = current->mm;
	elf_addr_t *elf_info = (elf_addr_t *)mm->saved_auxv;
	elf_addr_t flags = 0;

	elf_info = arch_dlinfo(elf_info);
	elf_info = new_aux_ent(elf_info, AT_HWCAP, ELF_HWCAP);
	elf_info = new_aux_ent(elf_info, AT_PAGESZ, ELF_EXEC_PAGESIZE);
	elf_info = new_aux_ent(elf_info, AT_CLKTCK, CLOCKS_PER_SEC);
	elf_info = new_aux_ent(elf_info, AT_PHDR, ctx->phdr_addr);
	elf_info = new_aux_ent(elf_info, AT_PHENT, sizeof(struct elf_phdr));
	elf_info = new_aux_ent(elf_info, AT_PHNUM, ctx->elf_ex.e_phnum);
	elf_info = new_aux_ent(elf_info, AT_BASE, ctx->interp_load_addr);
	if (bprm->interp_flags & BINPRM_FLAGS_PRESERVE_ARGV0)
		flags |= AT_FLAGS_PRESERVE_ARGV0;
	elf_info = new_aux_ent(elf_info, AT_FLAGS, flags);
	elf_info = new_aux_ent(elf_info, AT_ENTRY, ctx->e_entry);
	elf_info = aux_creds(elf_info);
	elf_info = new_aux_ent(elf_info, AT_SECURE, bprm->secureexec);
	elf_info = new_aux_ent(elf_info, AT_RANDOM,
			       (unsigned long)s->u_rand_bytes);
	elf_info = new_aux_ent(elf_info, AT_HWCAP2, *bft_ksyms.elf_hwcap2);
	elf_info = new_aux_ent(elf_info, AT_EXECFN, bprm->exec);
	if (s->u_platform)
		elf_info = new_aux_ent(elf_info, AT_PLATFORM,
				       (unsigned long)s->u_platform);
	if (s->u_base_platform)
		elf_info = new_aux_ent(elf_info, AT_BASE_PLATFORM,
				       (unsigned long)s->u_base_platform);
	if (bprm->have_execfd)
		elf_info = new_aux_ent(elf_info, AT_EXECFD, bprm->execfd);
	elf_info = bft_compat_put_rseq_auxv(elf_info);

	/* AT_NULL is zero; clear the rest of saved_auxv too. */
	memset(elf_info, 0, (char *)mm->saved_auxv + sizeof(mm->saved_auxv) -
	       (char *)elf_info);
	elf_info += 2;

	return elf_info - (elf_addr_t *)mm->saved_auxv;
}

/*
 * Fault the whole new stack in now: some architectures limit how far below
 * the stack pointer a user access may grow the stack.
 */
static int grow_stack(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	vma = bft_find_extend_vma_locked(mm, addr);
	mmap_write_unlock(mm);
	return vma ? 0 : -EFAULT;
}

/*
 * One NULL-terminated pointer array (argv or envp): a pointer to each of
 * the @count strings that start at *@p, which is left past the last one.
 */
static int put_string_pointers(elf_addr_t __user **sp, int count,
			       unsigned long *p)
{
	elf_addr_t __user *pos = *sp;
	size_t len;

	while (count-- > 0) {
		if (put_user((elf_addr_t)*p, pos))
			return -EFAULT;
		pos++;
		len = strnlen_user((void __user *)*p, MAX_ARG_STRLEN);
		if (!len || len > MAX_ARG_STRLEN)
			return -EINVAL;
		*p += len;
	}
	if (put_user(0, pos))
		return -EFAULT;
	*sp = pos + 1;
	return 0;
}

/**
 * create_elf_tables - build the initial stack, like stock
 * @ctx: the load, with the executable and the interpreter mapped
 *
 * Leaves bprm->p at the final stack pointer, which points at argc.
 *
 * Return: 0, or an errno (the task is then killed).
 */
int create_elf_tables(struct bft_load_context *ctx)
{
	struct linux_binprm *bprm = ctx->bprm;
	struct mm_struct *mm = current->mm;
	unsigned long p = bprm->p;
	struct stack_strings s;
	elf_addr_t __user *sp;
	int ei_index, items, retval;

	/* The stack grows down on x86: no CONFIG_STACK_GROWSUP variant. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_STACK_GROWSUP));

	/* Stock: shuffle the stack to spare hyperthreads L1 evictions. */
	p = bft_arch_align_stack(p);

	retval = copy_stack_strings(&p, &s);
	if (retval)
		return retval;

	ei_index = fill_saved_auxv(ctx, &s);

	/* STACK_ROUND: argc, argv, envp and auxv, 16-byte aligned. */
	sp = (elf_addr_t __user *)p - ei_index;
	items = (bprm->argc + 1) + (bprm->envc + 1) + 1;
	bprm->p = (unsigned long)(sp - items) & ~15UL;
	sp = (elf_addr_t __user *)bprm->p;

	retval = grow_stack(mm, bprm->p);
	if (retval)
		return retval;

	if (put_user(bprm->argc, sp++))
		return -EFAULT;

	p = mm->arg_start;
	mm->arg_end = p;
	retval = put_string_pointers(&sp, bprm->argc, &p);
	if (retval)
		return retval;
	mm->arg_end = p;

	mm->env_start = p;
	mm->env_end = p;
	retval = put_string_pointers(&sp, bprm->envc, &p);
	if (retval)
		return retval;
	mm->env_end = p;

	if (copy_to_user(sp, mm->saved_auxv, ei_index * sizeof(elf_addr_t)))
		return -EFAULT;
	bft_trace_auxv(ctx);
	return 0;
}
