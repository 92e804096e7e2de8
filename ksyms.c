// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve the kernel symbols that are not exported to modules.
 *
 * With CONFIG_X86_KERNEL_IBT (Debian's 6.12) the kernel overwrites at boot
 * the ENDBR64 of every function it never calls through a pointer, and on
 * a CPU that enforces IBT an indirect call to such a "sealed" function
 * faults.  kallsyms_lookup_name() is one of them, so the module never
 * calls it.  It asks register_kprobe(), which is exported and calls
 * kallsyms_lookup_name() directly:
 *
 * - a function: the kprobe is registered disabled (never armed), its
 *   address read, and the kprobe unregistered;
 * - a variable: register_kprobe() stores the address it looked up in
 *   kp.addr, and only then refuses, with -EINVAL, an address outside text.
 *
 * Either way sprint_symbol() must name the address "<name>+0x0/", so a
 * change in register_kprobe() can never hand us a wrong address.  If a
 * symbol is missing the module refuses to load, naming it, rather than
 * fail later in the middle of an exec.
 *
 * The only functions called through bft_ksyms are two system call entry
 * points, which the kernel itself keeps in sys_call_table.  On an IBT
 * kernel each must begin with ENDBR64 or the module refuses to load: the
 * safety net behind scripts/ibt-check.py, which checks the kernel's list
 * of sealed functions against the names in the section .bft_ksym_names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/ibt.h>
#include <asm/ptrace.h>

#include "compat.h"
#include "ksyms.h"

struct bft_ksyms bft_ksyms;

/*
 * The names of the symbols, in a section of their own, so that the host
 * test can list from the built module every symbol it resolves.  A name
 * that the running kernel does not need is not referenced, and the
 * compiler drops it.
 */
#define BFT_KSYM_NAME(sym) \
	static const char bft_name_##sym[] __section(".bft_ksym_names") = #sym

BFT_KSYM_NAME(__x64_sys_arch_prctl);
BFT_KSYM_NAME(__x64_sys_mseal);
BFT_KSYM_NAME(randomize_va_space);
BFT_KSYM_NAME(mmap_rnd_bits);
BFT_KSYM_NAME(max_frame_size);
BFT_KSYM_NAME(elf_hwcap2);
BFT_KSYM_NAME(vdso64_enabled);
BFT_KSYM_NAME(vdso_image_64);
BFT_KSYM_NAME(va_align);
BFT_KSYM_NAME(elf_format);
BFT_KSYM_NAME(ring_buffer_expanded);

/**
 * struct bft_ksym - one symbol to resolve
 * @name: its name in kallsyms; NULL if the running kernel does not need it
 * @slot: where to store its address: the member of bft_ksyms of that name
 * @function: it is a function, which the loader calls through a pointer
 * @optional: the module loads without it; its slot stays NULL
 */
struct bft_ksym {
	const char	*name;
	void		*slot;
	bool		function;
	bool		optional;
};

#define BFT_KSYM_FUNCTION(sym, is_needed) \
	{ .name = (is_needed) ? bft_name_##sym : NULL, \
	  .slot = &bft_ksyms.sym, .function = true }
#define BFT_KSYM_VARIABLE(sym, is_needed) \
	{ .name = (is_needed) ? bft_name_##sym : NULL, \
	  .slot = &bft_ksyms.sym }
#define BFT_KSYM_OPTIONAL(sym, is_needed) \
	{ .name = (is_needed) ? bft_name_##sym : NULL, \
	  .slot = &bft_ksyms.sym, .optional = true }

static const struct bft_ksym bft_ksym_table[] = {
	BFT_KSYM_FUNCTION(__x64_sys_arch_prctl, true),
	BFT_KSYM_FUNCTION(__x64_sys_mseal, BFT_COMPAT_NEEDS_MSEAL),
	BFT_KSYM_VARIABLE(randomize_va_space, true),
	BFT_KSYM_VARIABLE(mmap_rnd_bits, true),
	BFT_KSYM_VARIABLE(max_frame_size, true),
	BFT_KSYM_VARIABLE(elf_hwcap2, true),
	BFT_KSYM_VARIABLE(vdso64_enabled, true),
	BFT_KSYM_VARIABLE(vdso_image_64, BFT_COMPAT_NEEDS_VDSO_ADDR),
	BFT_KSYM_VARIABLE(va_align, BFT_COMPAT_NEEDS_VDSO_ADDR),
	BFT_KSYM_VARIABLE(elf_format, true),
	BFT_KSYM_OPTIONAL(ring_buffer_expanded,
			  !BFT_COMPAT_INSTANCE_OWN_EXPANDED),
};

/* The encoding of ENDBR64, f3 0f 1e fa, read as a little-endian u32. */
#define BFT_ENDBR64	0xfa1e0ff3U

/*
 * The safety net.  On an IBT kernel, a function called through a pointer
 * must begin with ENDBR64.  The kernel seals at boot whatever CPU it runs
 * on, so this check sees what an IBT CPU would enforce.
 */
static bool bft_callable(const char *name, unsigned long addr)
{
	if (!IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		return true;
	if (*(u32 *)addr == BFT_ENDBR64)
		return true;
	pr_err("cannot call %s through a pointer: it does not begin with ENDBR64 (sealed against indirect calls, IBT)\n",
	       name);
	return false;
}

/*
 * With IBT a kprobe on a function entry lands after its ENDBR64 (see
 * arch_adjust_kprobe_addr()), or after the 4-byte nop that replaced a
 * sealed one; an indirect call must target the function's first byte.
 */
static unsigned long bft_function_entry(unsigned long probed)
{
	if (ENDBR_INSN_SIZE &&
	    is_endbr(*(u32 *)(probed - ENDBR_INSN_SIZE)))
		return probed - ENDBR_INSN_SIZE;
	return probed;
}

/* Does kallsyms name @addr exactly @name, at offset 0? */
static bool bft_is_symbol(const char *name, unsigned long addr)
{
	char found[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	sprint_symbol(found, addr);
	return !strncmp(found, name, len) && !strncmp(found + len, "+0x0/", 5);
}

/* The address of @name, through register_kprobe(); 0 if none. */
static unsigned long bft_lookup(const char *name, bool function)
{
	struct kprobe kp = {
		.symbol_name	= name,
		.flags		= KPROBE_FLAG_DISABLED,
	};
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (!ret)
		unregister_kprobe(&kp);
	else if (ret != -EINVAL || !kp.addr)
		return 0;
	addr = (unsigned long)kp.addr;
	if (function)
		addr = bft_function_entry(addr);
	if (!bft_is_symbol(name, addr)) {
		pr_err("symbol %s: register_kprobe() found %pS, not the symbol itself\n",
		       name, (void *)addr);
		return 0;
	}
	return addr;
}

/**
 * bft_resolve_ksyms - fill in bft_ksyms
 *
 * Return: 0, or -ENOENT after logging the name of a missing symbol, or of
 * a function that cannot be called through a pointer.
 */
int bft_resolve_ksyms(void)
{
	unsigned long addr;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bft_ksym_table); i++) {
		const struct bft_ksym *sym = &bft_ksym_table[i];

		if (!sym->name)
			continue;
		addr = bft_lookup(sym->name, sym->function);
		if (!addr && sym->optional)
			continue;
		if (!addr) {
			pr_err("cannot resolve symbol %s\n", sym->name);
			return -ENOENT;
		}
		if (sym->function && !bft_callable(sym->name, addr))
			return -ENOENT;
		*(unsigned long *)sym->slot = addr;
	}
	return 0;
}

/**
 * bft_call_syscall - call a system call's __x64_sys_*() entry point
 * @fn: the entry point, from bft_ksyms
 * @arg1: the first argument (%rdi)
 * @arg2: the second (%rsi)
 * @arg3: the third (%rdx)
 *
 * The entry points take the user registers; like the kernel's own
 * dispatcher, hand them a pt_regs holding the arguments.
 *
 * Return: what the system call returns.
 */
long bft_call_syscall(bft_syscall_t fn, unsigned long arg1,
		      unsigned long arg2, unsigned long arg3)
{
	struct pt_regs regs = {
		.di = arg1,
		.si = arg2,
		.dx = arg3,
	};

	return fn(&regs);
}
