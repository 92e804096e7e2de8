// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve the kernel symbols that are not exported to modules.
 *
 * There is one mechanism, used once, at module load:
 *
 * 1. kallsyms_lookup_name() itself is not exported (since 5.7), but a
 *    kprobe can be registered on it by name, and registration fills in
 *    its address: register, read kp.addr, unregister.
 * 2. Every symbol in bft_ksym_table is then looked up by name.  If one is
 *    missing the module refuses to load, naming it, rather than fail
 *    later in the middle of an exec.  So does a function the kernel has
 *    sealed against indirect calls, when IBT is enforced.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/ibt.h>

#include "compat.h"
#include "ksyms.h"

struct bft_ksyms bft_ksyms;

/**
 * struct bft_ksym - one symbol to resolve
 * @name: its name in kallsyms
 * @slot: where to store its address: a member of bft_ksyms
 * @needed: false if the running kernel's loader does not use it
 * @function: it is a function, which the loader calls through a pointer
 */
struct bft_ksym {
	const char	*name;
	void		*slot;
	bool		needed;
	bool		function;
};

#define BFT_KSYM_FUNCTION(sym, is_needed) \
	{ .name = #sym, .slot = &bft_ksyms.sym, .needed = (is_needed), \
	  .function = true }
#define BFT_KSYM_VARIABLE(sym) \
	{ .name = #sym, .slot = &bft_ksyms.sym, .needed = true }

static const struct bft_ksym bft_ksym_table[] = {
	BFT_KSYM_FUNCTION(arch_setup_additional_pages, true),
	BFT_KSYM_FUNCTION(arch_randomize_brk, true),
	BFT_KSYM_FUNCTION(arch_align_stack, true),
	BFT_KSYM_FUNCTION(arch_mmap_rnd, true),
	BFT_KSYM_FUNCTION(randomize_stack_top, true),
	BFT_KSYM_FUNCTION(get_sigframe_size, true),
	BFT_KSYM_FUNCTION(set_personality_64bit, true),
	BFT_KSYM_FUNCTION(find_extend_vma_locked, true),
	BFT_KSYM_FUNCTION(do_mseal, BFT_COMPAT_NEEDS_DO_MSEAL),
	BFT_KSYM_VARIABLE(randomize_va_space),
	BFT_KSYM_VARIABLE(elf_hwcap2),
	BFT_KSYM_VARIABLE(vdso64_enabled),
	BFT_KSYM_VARIABLE(elf_format),
	BFT_KSYM_FUNCTION(tracing_set_clock, true),
};

/* The encoding of ENDBR64, f3 0f 1e fa, read as a little-endian u32. */
#define BFT_ENDBR64	0xfa1e0ff3U

/*
 * With IBT enforced, an indirect call must land on an ENDBR64, and the
 * kernel overwrites at boot the ENDBR64 of every function it never calls
 * through a pointer ("sealing").  Calling such a function through our
 * pointers would oops; refuse to load instead.
 */
static bool bft_callable(const char *name, unsigned long addr)
{
	if (!cpu_feature_enabled(X86_FEATURE_IBT))
		return true;
	if (*(u32 *)addr == BFT_ENDBR64)
		return true;
	pr_err("cannot call symbol %s: sealed against indirect calls (IBT); boot with ibt=off\n",
	       name);
	return false;
}

typedef unsigned long (*bft_lookup_name_t)(const char *name);

/*
 * With IBT a kprobe on a function entry lands after its ENDBR64 (see
 * arch_adjust_kprobe_addr()); an indirect call must target the ENDBR64.
 */
static unsigned long bft_function_entry(unsigned long probed)
{
	if (ENDBR_INSN_SIZE &&
	    is_endbr(*(u32 *)(probed - ENDBR_INSN_SIZE)))
		return probed - ENDBR_INSN_SIZE;
	return probed;
}

static bft_lookup_name_t bft_find_kallsyms_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (ret < 0) {
		pr_err("cannot resolve symbol kallsyms_lookup_name: register_kprobe returned %d\n",
		       ret);
		return NULL;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	addr = bft_function_entry(addr);
	if (!bft_callable("kallsyms_lookup_name", addr))
		return NULL;
	return (bft_lookup_name_t)addr;
}

/**
 * bft_resolve_ksyms - fill in bft_ksyms
 *
 * Return: 0, or -ENOENT after logging the name of a missing symbol.
 */
int bft_resolve_ksyms(void)
{
	bft_lookup_name_t lookup_name;
	unsigned long addr;
	size_t i;

	lookup_name = bft_find_kallsyms_lookup_name();
	if (!lookup_name)
		return -ENOENT;

	for (i = 0; i < ARRAY_SIZE(bft_ksym_table); i++) {
		const struct bft_ksym *sym = &bft_ksym_table[i];

		if (!sym->needed)
			continue;
		addr = lookup_name(sym->name);
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
