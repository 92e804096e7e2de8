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
 * The return handler writes the event with the result, then drops both;
 * but an mmap() of a file hands its event and references to task work,
 * which names the file at the return to user mode (bft_mmap_defer()).
 * The loader's own mappings (vm_mmap()) call none of these: they are
 * load_map and load_bss.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/task_work.h>

#include "mm_events.h"
#include "pool.h"
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
	if (c->session)
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

/*
 * The file of a traced mmap(), named after the call.  d_path() may sleep
 * on PREEMPT_RT (a reader of rename_lock or mount_lock that meets a writer
 * takes the writer's lock, a sleeping one there), and a return handler
 * runs with preemption off.  So the event of a file mapping is written
 * from task work, at the task's return to user mode: before the program
 * can use the mapping, after any event the system call's own exit work
 * writes.  Taken from a pool (no allocation in a probe on PREEMPT_RT),
 * freed by the work.
 */
struct bft_mmap_defer {
	struct callback_head	work;
	struct bft_session	*session;
	struct file		*file;
	struct bft_ev_mmap	m;
};

static struct bft_pool bft_mmap_pool;
/* mmap events written from task work; ... with the file's name only. */
static atomic64_t bft_mmap_deferred;
static atomic64_t bft_mmap_name_only;
/* Whether task work ran since insmod: the unload must wait it out. */
static bool bft_mmap_work_used;

static void bft_mmap_write(struct bft_session *session,
			   const struct bft_ev_mmap *m, const char *path)
{
	struct bft_event *ev = bft_event_begin(session, BFT_EV_MMAP);

	if (ev) {
		ev->u.mmap = *m;
		bft_event_commit(ev, bft_event_put_str(ev, 0, path));
	}
}

static void bft_mmap_work_fn(struct callback_head *work)
{
	struct bft_mmap_defer *d = container_of(work, struct bft_mmap_defer,
						work);
	char name[NAME_MAX + 1];
	char *buf = __getname();

	if (buf) {
		bft_mmap_write(d->session, &d->m,
			       bft_file_path(d->file, buf, PATH_MAX));
		__putname(buf);
	} else {
		bft_mmap_write(d->session, &d->m,
			       bft_file_path(d->file, name, sizeof(name)));
	}
	fput(d->file);
	bft_session_put(d->session);
	kfree(d);
	/* Last: the unload waits for this to return (bft_mm_events_exit()). */
	module_put(THIS_MODULE);
}

/* Hand the event of @c to task work; false when that cannot be had. */
static bool bft_mmap_defer(struct bft_mm_call *c, const struct bft_ev_mmap *m)
{
	struct bft_mmap_defer *d;

	if (!try_module_get(THIS_MODULE))
		return false;
	d = bft_pool_take(&bft_mmap_pool);
	if (!d)
		goto err_put;
	d->session = c->session;
	d->file = c->file;
	d->m = *m;
	init_task_work(&d->work, bft_mmap_work_fn);
	/* Fails only for a task past exit_task_work(), not in a system call. */
	if (task_work_add(current, &d->work, TWA_RESUME))
		goto err_free;
	WRITE_ONCE(bft_mmap_work_used, true);
	atomic64_inc(&bft_mmap_deferred);
	/* The references are the work's now. */
	c->session = NULL;
	c->file = NULL;
	return true;

err_free:
	/* No kfree() with preemption off on PREEMPT_RT; kfree_rcu() will do. */
	kfree_rcu(d, work);
err_put:
	module_put(THIS_MODULE);
	return false;
}

/*
 * In the return handler, when no task work could be had: the full path
 * where d_path() cannot sleep, else the file's name alone.
 */
static void bft_mmap_write_now(struct bft_mm_call *c,
			       const struct bft_ev_mmap *m)
{
	char name[NAME_MAX + 1];
	struct bft_event *ev;

	if (!IS_ENABLED(CONFIG_PREEMPT_RT) || !c->file) {
		ev = bft_event_begin(c->session, BFT_EV_MMAP);
		if (ev) {
			ev->u.mmap = *m;
			bft_event_commit(ev, bft_event_put_path(ev, 0, c->file));
		}
		return;
	}
	snprintf(name, sizeof(name), "%pD", c->file);
	atomic64_inc(&bft_mmap_name_only);
	bft_mmap_write(c->session, m, name);
}

/* The payload of @c's event, padding zeroed: it goes to the ring. */
static void bft_mmap_args(struct bft_ev_mmap *m, const struct bft_mm_call *c,
			  long result)
{
	memset(m, 0, sizeof(*m));
	m->addr = c->arg[0];
	m->len = c->arg[1];
	m->prot = c->arg[2];
	m->flags = c->arg[3];
	m->fd = (m->flags & MAP_ANONYMOUS) ? -1 : (int)c->arg[4];
	m->off = c->arg[5];
	m->result = result;
}

static int bft_mmap_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct bft_mm_call *c = (struct bft_mm_call *)ri->data;
	struct bft_ev_mmap m;

	bft_mmap_args(&m, c, regs_return_value(regs));
	atomic64_inc(&c->session->maps);
	if (!c->file || !bft_mmap_defer(c, &m))
		bft_mmap_write_now(c, &m);
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

/* Module load: the pool, empty until the first traced load fills it. */
void bft_mm_events_init(void)
{
	bft_pool_init(&bft_mmap_pool, sizeof(struct bft_mmap_defer));
}

/* Process context, before a traced program runs: fill the pool up. */
void bft_mm_events_prepare(void)
{
	bft_pool_fill(&bft_mmap_pool);
}

void bft_mm_events_stats(struct seq_file *m)
{
	seq_printf(m, "mmap_deferred %lld\n",
		   atomic64_read(&bft_mmap_deferred));
	seq_printf(m, "mmap_name_only %lld\n",
		   atomic64_read(&bft_mmap_name_only));
}

/**
 * bft_mm_events_exit() - module unload, the probes gone
 *
 * Each task work pinned the module until its last statement: wait until
 * every task that ran one has left the module's code, which RCU Tasks
 * tells (a voluntary context switch or user mode).  Only when any ran.
 */
void bft_mm_events_exit(void)
{
	bft_pool_destroy(&bft_mmap_pool);
	if (READ_ONCE(bft_mmap_work_used))
		synchronize_rcu_tasks();
}
