// SPDX-License-Identifier: GPL-2.0
/*
 * The memory-map system calls of traced processes: mmap, mprotect,
 * pkey_mprotect, munmap, mremap and brk, one event each.
 *
 * Kretprobes on the x86-64 system call entry points (__x64_sys_mmap() and
 * the others), armed and disarmed with the fault probes (fault_hooks.c):
 * only while a traced mm exists.  The kernel's syscall tracepoints would
 * put every thread of the machine on the slow system call path, and
 * there are no tracepoints in mmap() or mprotect() themselves.
 *
 * While armed, every one of these calls in the system passes the entry
 * handler, whose filter is that of the fault probe: one load and compare
 * (current->mm->binfmt is ours), then one RCU hash lookup for the few mms
 * that pass it.  For a traced mm the entry handler takes a session
 * reference and copies the arguments from the user registers (the entry
 * point's only argument); mmap() also takes a reference on the fd's file.
 * The return handler writes the event with the result, then drops both.
 * The loader's own mappings (vm_mmap()) call none of these: they are
 * load_map and load_bss.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mman.h>
#include <linux/sched.h>

#include "mm_events.h"
#include "session.h"
#include "trace.h"

/* Traced calls in flight at once, per system call. */
#define BFT_MM_MAXACTIVE	512

/**
 * struct bft_mm_call - what the entry handler saw, for the return one
 * @session: the mm's session, referenced from entry to return
 * @file: mmap()'s file, referenced from entry to return, or NULL
 * @arg: the system call's arguments, as the program passed them
 */
struct bft_mm_call {
	struct bft_session	*session;
	struct file		*file;
	unsigned long		arg[6];
};

/*
 * Traced calls between their entry and return handlers.  Each holds a
 * session reference and maybe a file, which only the return handler puts:
 * the probes must not be unregistered while any is in flight (a return
 * handler of an unregistered kretprobe is skipped).  A traced call keeps
 * its mm, hence the probe users, alive, so this cannot happen today;
 * bft_mm_calls_in_flight() makes the disarm check it all the same.
 */
static atomic_t bft_mm_in_flight;

int bft_mm_calls_in_flight(void)
{
	return atomic_read(&bft_mm_in_flight);
}

/* The user registers that __x64_sys_*(const struct pt_regs *) reads. */
static int bft_mm_call_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;
	const struct pt_regs *user;

	c->session = bft_mm_session_get(current->mm);
	if (!c->session)
		return 1;
	user = (const struct pt_regs *)regs_get_kernel_argument(regs, 0);
	c->arg[0] = user->di;
	c->arg[1] = user->si;
	c->arg[2] = user->dx;
	c->arg[3] = user->r10;
	c->arg[4] = user->r8;
	c->arg[5] = user->r9;
	c->file = NULL;
	atomic_inc(&bft_mm_in_flight);
	return 0;
}

/* The end of every return handler: drop the entry's references. */
static void bft_mm_call_done(struct bft_mm_call *c)
{
	if (c->file)
		fput(c->file);
	bft_session_put(c->session);
	atomic_dec(&bft_mm_in_flight);
}

/* Begin the event of a traced call, and count it for its session. */
static struct bft_event *bft_mm_event_begin(struct bft_mm_call *c, int type)
{
	atomic64_inc(&c->session->maps);
	return bft_event_begin(c->session, type);
}

/*
 * mmap(addr, len, prot, flags, fd, off): the file is the one the fd names
 * at entry; an anonymous mapping ignores the fd.
 */
static int bft_mmap_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;

	if (bft_mm_call_entry(ri, regs))
		return 1;
	if (!(c->arg[3] & MAP_ANONYMOUS))
		c->file = fget((unsigned int)c->arg[4]);
	return 0;
}

static int bft_mmap_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;
	struct bft_ev_mmap *m;
	struct bft_event *ev;
	size_t len;

	ev = bft_mm_event_begin(c, BFT_EV_MMAP);
	if (ev) {
		m = &ev->u.mmap;
		m->addr = c->arg[0];
		m->len = c->arg[1];
		m->prot = c->arg[2];
		m->flags = c->arg[3];
		m->fd = (m->flags & MAP_ANONYMOUS) ? -1 : (int)c->arg[4];
		m->off = c->arg[5];
		m->result = regs_return_value(regs);
		len = bft_event_put_path(ev, 0, c->file);
		bft_event_commit(ev, len);
	}
	bft_mm_call_done(c);
	return 0;
}

/* mprotect(addr, len, prot) and pkey_mprotect(addr, len, prot, pkey). */
static int bft_mprotect_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;
	struct bft_event *ev;

	ev = bft_mm_event_begin(c, BFT_EV_MPROTECT);
	if (ev) {
		ev->u.mprotect.addr = c->arg[0];
		ev->u.mprotect.len = c->arg[1];
		ev->u.mprotect.prot = c->arg[2];
		ev->u.mprotect.result = regs_return_value(regs);
		bft_event_commit(ev, 0);
	}
	bft_mm_call_done(c);
	return 0;
}

/* munmap(addr, len). */
static int bft_munmap_return(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;
	struct bft_event *ev;

	ev = bft_mm_event_begin(c, BFT_EV_MUNMAP);
	if (ev) {
		ev->u.munmap.addr = c->arg[0];
		ev->u.munmap.len = c->arg[1];
		ev->u.munmap.result = regs_return_value(regs);
		bft_event_commit(ev, 0);
	}
	bft_mm_call_done(c);
	return 0;
}

/* mremap(addr, old_len, new_len, flags, new_addr). */
static int bft_mremap_return(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;
	struct bft_event *ev;

	ev = bft_mm_event_begin(c, BFT_EV_MREMAP);
	if (ev) {
		ev->u.mremap.addr = c->arg[0];
		ev->u.mremap.old_len = c->arg[1];
		ev->u.mremap.new_len = c->arg[2];
		ev->u.mremap.flags = c->arg[3];
		ev->u.mremap.new_addr = c->arg[4];
		ev->u.mremap.result = regs_return_value(regs);
		bft_event_commit(ev, 0);
	}
	bft_mm_call_done(c);
	return 0;
}

/* brk(brk): returns the new break, or the old one when it failed. */
static int bft_brk_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;
	struct bft_event *ev;

	ev = bft_mm_event_begin(c, BFT_EV_BRK);
	if (ev) {
		ev->u.brk.brk = c->arg[0];
		ev->u.brk.result = regs_return_value(regs);
		bft_event_commit(ev, 0);
	}
	bft_mm_call_done(c);
	return 0;
}

#define BFT_MM_PROBE(sym, entry, ret)				\
	{							\
		.kp.symbol_name	= sym,				\
		.entry_handler	= entry,			\
		.handler	= ret,				\
		.data_size	= sizeof(struct bft_mm_call),	\
		.maxactive	= BFT_MM_MAXACTIVE,		\
	}

/* The probes, in enum bft_mm_probe order, registered with the fault ones. */
const struct kretprobe bft_mm_templates[BFT_MM_NR] = {
	[BFT_MM_MMAP] = BFT_MM_PROBE("__x64_sys_mmap", bft_mmap_entry,
				     bft_mmap_return),
	[BFT_MM_MPROTECT] = BFT_MM_PROBE("__x64_sys_mprotect",
					 bft_mm_call_entry,
					 bft_mprotect_return),
	[BFT_MM_PKEY_MPROTECT] = BFT_MM_PROBE("__x64_sys_pkey_mprotect",
					      bft_mm_call_entry,
					      bft_mprotect_return),
	[BFT_MM_MUNMAP] = BFT_MM_PROBE("__x64_sys_munmap", bft_mm_call_entry,
				       bft_munmap_return),
	[BFT_MM_MREMAP] = BFT_MM_PROBE("__x64_sys_mremap", bft_mm_call_entry,
				       bft_mremap_return),
	[BFT_MM_BRK] = BFT_MM_PROBE("__x64_sys_brk", bft_mm_call_entry,
				    bft_brk_return),
};

/* Their lines in the stats file. */
const char * const bft_mm_missed_names[BFT_MM_NR] = {
	[BFT_MM_MMAP]		= "mmap_probe_missed",
	[BFT_MM_MPROTECT]	= "mprotect_probe_missed",
	[BFT_MM_PKEY_MPROTECT]	= "pkey_mprotect_probe_missed",
	[BFT_MM_MUNMAP]		= "munmap_probe_missed",
	[BFT_MM_MREMAP]		= "mremap_probe_missed",
	[BFT_MM_BRK]		= "brk_probe_missed",
};
