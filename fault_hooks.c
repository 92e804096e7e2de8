// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults of traced processes, from probes armed only while one runs.
 * The memory-map system call probes (mm_events.c) are armed with them.
 *
 * A traced address space is an mm in bft_mm_table, entered by the loader
 * right after the point of no return and by fork (the task_newtask
 * tracepoint) when a traced mm is copied; it leaves the table when the mm
 * is torn down (a probe on exit_mmap).  The probes are registered when the
 * first traced load starts and unregistered ten seconds after the last
 * traced mm is gone, so processes run untraced at full speed the rest of the time.
 *
 * While armed, every handle_mm_fault() in the system passes the entry
 * handler; the filter is one load and compare (mm->binfmt is ours), then
 * one RCU hash lookup for the few mms that pass it.  The return handler
 * writes the page_fault event with the result and the latency.
 * filemap_fault() is probed to tell page-cache hits from misses: its
 * return handler leaves the answer in the in-flight slot of the faulting
 * task, which the handle_mm_fault() return handler then reads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "binfmt_trace.h"
#include "compat.h"
#include "fault_hooks.h"
#include "mm_events.h"
#include "pool.h"
#include "session.h"
#include "trace.h"

/*
 * Ten seconds of quiet before the probes come out: registering and
 * removing them patches kernel text, so a run of short traced programs
 * should not do it once each.  make flake sets it shorter, to arm and
 * disarm many times per boot.
 */
static unsigned int disarm_delay_ms = 10000;
module_param(disarm_delay_ms, uint, 0644);
MODULE_PARM_DESC(disarm_delay_ms,
		 "how long the fault probes stay armed after the last traced process (ms, default 10000)");
/*
 * Which hooks record page faults: the kretprobes (detail: every
 * handle_mm_fault() call with its result, latency, lock and page-cache
 * answer) or the exception tracepoints (fast: fault_fast.c, a fraction of
 * the cost for traced and untraced processes alike), or the same
 * tracepoints writing binary records to the module's own ring (ring:
 * fault_ring.c).  Read at each arming.
 */
enum bft_capture {
	BFT_CAPTURE_DETAIL,
	BFT_CAPTURE_FAST,
	BFT_CAPTURE_RING,
};

static const char * const bft_capture_names[] = {
	[BFT_CAPTURE_DETAIL]	= "detail",
	[BFT_CAPTURE_FAST]	= "fast",
	[BFT_CAPTURE_RING]	= "ring",
};

static int bft_capture_wanted = BFT_CAPTURE_DETAIL;
/* What the probes armed now, or last, capture with. */
static int bft_capture_armed = BFT_CAPTURE_DETAIL;

static int fault_capture_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(bft_capture_names, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(*(int *)kp->arg, i);
	return 0;
}

static int fault_capture_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n",
			 bft_capture_names[READ_ONCE(*(int *)kp->arg)]);
}

static const struct kernel_param_ops fault_capture_ops = {
	.set	= fault_capture_set,
	.get	= fault_capture_get,
};

module_param_cb(fault_capture, &fault_capture_ops, &bft_capture_wanted, 0644);
MODULE_PARM_DESC(fault_capture,
		 "detail (kretprobes, default), fast (exception tracepoints) or ring (fast, into faults_raw); takes effect when the probes are next armed");

/* handle_mm_fault() calls of traced tasks in flight at once. */
#define BFT_MAXACTIVE		512
#define BFT_INFLIGHT_BITS	9
#define BFT_INFLIGHT_PROBES	16

/**
 * struct bft_tracked_mm - a traced address space
 * @node: in bft_mm_table
 * @mm: the mm, only compared, never dereferenced through this
 * @session: its session, referenced
 * @rcu: freed after the fault hooks that may see it
 */
struct bft_tracked_mm {
	struct hlist_node	node;
	struct mm_struct	*mm;
	struct bft_session	*session;
	struct rcu_head		rcu;
};

static DEFINE_HASHTABLE(bft_mm_table, 8);
/*
 * Raw: the exit_mmap kprobe and the task_newtask tracepoint take it with
 * preemption off, where PREEMPT_RT's sleeping spinlock_t may not be taken.
 * It only guards a hash insert or delete.
 */
static DEFINE_RAW_SPINLOCK(bft_mm_lock);

/* Loads in progress: their mm->binfmt is not yet ours. */
static atomic_t bft_loads;
/* Tracked mms plus loads in progress: the probes stay while non-zero. */
static atomic_t bft_probe_users;
static DEFINE_MUTEX(bft_probe_lock);
static bool bft_armed;
/* Times the probes were armed since the module was loaded. */
static unsigned long bft_arm_count;
static void bft_disarm_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(bft_disarm_work, bft_disarm_work_fn);

static atomic64_t bft_track_failed;
static atomic64_t bft_inflight_full;
/*
 * Traced handle_mm_fault() calls between their entry and return handlers.
 * Unregistering a kretprobe drops the return handler of a call still under
 * way, and with it the session reference and the inflight slot that the
 * entry handler took: the disarm waits for none to be left, and each call
 * pins the module (a fault stalled on a slow file system makes rmmod
 * refuse with EWOULDBLOCK, as a traced mm does).
 */
static atomic_t bft_faults_in_flight;

/**
 * struct bft_inflight - a traced handle_mm_fault() under way
 * @task: the faulting task, or NULL when the slot is free
 * @cache: enum bft_cache, set by the filemap_fault() return handler
 */
struct bft_inflight {
	struct task_struct	*task;
	u8			cache;
};

static struct bft_inflight bft_inflight[1 << BFT_INFLIGHT_BITS];

static struct bft_tracked_mm *bft_find_mm(struct mm_struct *mm)
{
	struct bft_tracked_mm *tracked;

	hash_for_each_possible_rcu(bft_mm_table, tracked, node,
				   (unsigned long)mm) {
		if (tracked->mm == mm)
			return tracked;
	}
	return NULL;
}

/*
 * The cheap filter of every hook: is @mm possibly traced?  Only mms we
 * loaded (or their forks) carry our binfmt; during a load the new mm has
 * none yet, so then every mm is looked up.  Call under rcu_read_lock().
 */
struct bft_session *bft_mm_session(struct mm_struct *mm)
{
	struct bft_tracked_mm *tracked;

	if (!mm || (READ_ONCE(mm->binfmt) != &bft_format &&
		    !atomic_read(&bft_loads)))
		return NULL;
	tracked = bft_find_mm(mm);
	return tracked ? tracked->session : NULL;
}

/**
 * bft_mm_session_get - the session of a traced @mm, referenced
 * @mm: an mm, or NULL
 *
 * For the entry handlers of the kretprobes.  The call may sleep before
 * its return handler runs, and meanwhile a failed load or exit_mmap can
 * untrack the mm and drop the table's reference: the caller holds its own
 * until the return handler is done with the session.
 *
 * Return: the session, which the caller puts, or NULL when @mm is not
 * traced.
 */
struct bft_session *bft_mm_session_get(struct mm_struct *mm)
{
	struct bft_session *s;

	rcu_read_lock();
	s = bft_mm_session(mm);
	if (s && !kref_get_unless_zero(&s->kref))
		s = NULL;
	rcu_read_unlock();
	return s;
}

/* Claim an in-flight slot for current; -1 when all probed ones are busy. */
static int bft_inflight_claim(void)
{
	unsigned int base = hash_ptr(current, BFT_INFLIGHT_BITS);
	unsigned int i, slot;

	for (i = 0; i < BFT_INFLIGHT_PROBES; i++) {
		slot = (base + i) & ((1 << BFT_INFLIGHT_BITS) - 1);
		if (!cmpxchg(&bft_inflight[slot].task, NULL, current)) {
			bft_inflight[slot].cache = BFT_CACHE_NONE;
			return slot;
		}
	}
	atomic64_inc(&bft_inflight_full);
	return -1;
}

/* The slot current claimed, or -1. */
static int bft_inflight_find(void)
{
	unsigned int base = hash_ptr(current, BFT_INFLIGHT_BITS);
	unsigned int i, slot;

	for (i = 0; i < BFT_INFLIGHT_PROBES; i++) {
		slot = (base + i) & ((1 << BFT_INFLIGHT_BITS) - 1);
		if (READ_ONCE(bft_inflight[slot].task) == current)
			return slot;
	}
	return -1;
}

static void bft_inflight_release(int slot)
{
	if (slot < 0)
		return;
	/* Release: our read of the cache byte precedes the next claim. */
	smp_store_release(&bft_inflight[slot].task, NULL);
}

/* vDSO pages are special mappings that name themselves. */
static u8 bft_special_object(struct vm_area_struct *vma)
{
	const char *name;

	if (!vma->vm_ops || !vma->vm_ops->name)
		return BFT_OBJ_ANON;
	name = vma->vm_ops->name(vma);
	if (!name)
		return BFT_OBJ_ANON;
	if (!strcmp(name, "[vdso]"))
		return BFT_OBJ_VDSO;
	if (!strncmp(name, "[vvar", 5))
		return BFT_OBJ_VVAR;
	return BFT_OBJ_ANON;
}

/* An anonymous address: heap, stack, vDSO or other. */
static u8 bft_anon_object(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		return BFT_OBJ_HEAP;
	if (vma->vm_start <= mm->start_stack &&
	    vma->vm_end >= mm->start_stack)
		return BFT_OBJ_STACK;
	return bft_special_object(vma);
}

/*
 * What @addr belongs to.  A PT_LOAD range counts only if the vma maps its
 * own file there or is anonymous (the bss): a library mmap'ed into a hole
 * the program unmapped is a library.
 */
void bft_fault_classify(struct bft_fault_data *d, struct bft_session *s,
			struct vm_area_struct *vma)
{
	const struct bft_segment *seg;
	struct file *file = vma->vm_file;
	struct inode *inode = file ? file_inode(file) : NULL;

	d->seg = -1;
	d->file_backed = !!file;
	d->off = 0;
	if (file)
		d->off = ((u64)vma->vm_pgoff << PAGE_SHIFT) +
			 ((d->addr & PAGE_MASK) - vma->vm_start);

	seg = bft_session_find_segment(s, d->addr);
	if (seg && (!inode || inode == s->exe_inode ||
		    inode == s->interp_inode)) {
		d->obj = seg->obj;
		d->seg = seg->index;
		if (file && seg->obj == BFT_OBJ_EXE)
			d->off -= s->elf_offset;
		return;
	}
	if (file) {
		d->obj = BFT_OBJ_LIB;
		return;
	}
	d->obj = bft_anon_object(vma, d->addr);
}

static int bft_hmf_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct bft_fault_data *d = (struct bft_fault_data *)ri->data;
	struct vm_area_struct *vma;
	struct pt_regs *user_regs;
	struct bft_session *s;

	vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	s = bft_mm_session_get(vma->vm_mm);
	if (!s)
		return 1;
	if (!try_module_get(THIS_MODULE)) {
		bft_session_put(s);
		return 1;
	}
	atomic_inc(&bft_faults_in_flight);

	d->session = s;
	d->start_ns = ktime_get_ns();
	d->addr = regs_get_kernel_argument(regs, 1);
	d->flags = regs_get_kernel_argument(regs, 2);
	user_regs = (struct pt_regs *)regs_get_kernel_argument(regs, 3);
	d->ip = user_regs && user_mode(user_regs) ?
		instruction_pointer(user_regs) : 0;
	d->min_flt = current->min_flt;
	d->maj_flt = current->maj_flt;
	bft_fault_classify(d, s, vma);
	d->name[0] = '\0';
	if (d->obj == BFT_OBJ_LIB)
		snprintf(d->name, sizeof(d->name), "%pD", vma->vm_file);
	d->slot = bft_inflight_claim();
	return 0;
}

/* mm_account_fault(): a retried fault is counted as major. */
static u8 bft_fault_result(vm_fault_t ret, unsigned int flags)
{
	if (ret & VM_FAULT_RETRY)
		return BFT_RESULT_RETRY;
	if (ret & VM_FAULT_OOM)
		return BFT_RESULT_OOM;
	if (ret & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON |
		   VM_FAULT_HWPOISON_LARGE))
		return BFT_RESULT_SIGBUS;
	if (ret & VM_FAULT_SIGSEGV)
		return BFT_RESULT_SIGSEGV;
	if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED))
		return BFT_RESULT_MAJOR;
	return BFT_RESULT_MINOR;
}

/* A retry under the vma's lock is a fallback to mmap_lock, not I/O. */
static u8 bft_fault_lock(unsigned int flags)
{
	return (flags & BFT_FAULT_FLAG_VMA_LOCK) ? BFT_LOCK_VMA : BFT_LOCK_MMAP;
}

static void bft_count_fault(struct bft_session *s, u8 result, u8 lock,
			    u8 cache)
{
	atomic64_inc(&s->faults);
	if (result == BFT_RESULT_MINOR)
		atomic64_inc(&s->minor);
	else if (result == BFT_RESULT_MAJOR)
		atomic64_inc(&s->major);
	else if (result == BFT_RESULT_RETRY && lock == BFT_LOCK_VMA)
		atomic64_inc(&s->fallback);
	else if (result == BFT_RESULT_RETRY)
		atomic64_inc(&s->retry);
	else
		atomic64_inc(&s->errors);
	if (cache == BFT_CACHE_HIT)
		atomic64_inc(&s->cache_hit);
	else if (cache == BFT_CACHE_MISS)
		atomic64_inc(&s->cache_miss);
}

static u8 bft_fault_mode(unsigned int flags)
{
	if (flags & FAULT_FLAG_REMOTE)
		return BFT_MODE_REMOTE;
	return (flags & FAULT_FLAG_USER) ? BFT_MODE_USER : BFT_MODE_KERNEL;
}

static u8 bft_fault_access(unsigned int flags)
{
	if (flags & FAULT_FLAG_INSTRUCTION)
		return BFT_ACCESS_EXEC;
	return (flags & FAULT_FLAG_WRITE) ? BFT_ACCESS_WRITE : BFT_ACCESS_READ;
}

/**
 * bft_fault_write() - write the page_fault event of @d
 * @d: the fault; @d->start_ns 0 when its entry time was not taken apart
 *	(the event's own time is then the fault's, and it has no latency)
 * @vm_fault: what handle_mm_fault() returned, 0 when not known
 * @result: enum bft_result
 * @lock: enum bft_lock
 * @cache: enum bft_cache
 */
void bft_fault_write(const struct bft_fault_data *d, u32 vm_fault, u8 result,
		     u8 lock, u8 cache)
{
	struct bft_ev_page_fault *f;
	struct bft_event *ev;
	size_t len;

	ev = bft_event_begin(d->session, BFT_EV_PAGE_FAULT);
	if (!ev)
		return;
	f = &ev->u.page_fault;
	f->since_ns = (d->start_ns ?: ev->ts) - d->session->start_ns;
	f->min_flt = d->min_flt;
	f->maj_flt = d->maj_flt;
	f->addr = d->addr;
	f->ip = d->ip;
	f->latency_ns = d->start_ns ? ev->ts - d->start_ns : 0;
	f->off = d->file_backed ? d->off : BFT_OFF_NONE;
	f->fault_flags = d->flags;
	f->vm_fault = vm_fault;
	f->access = bft_fault_access(d->flags);
	f->mode = bft_fault_mode(d->flags);
	f->obj = d->obj;
	f->result = result;
	f->cache = cache;
	f->file_backed = d->file_backed;
	f->seg = d->seg;
	f->lock = lock;
	len = bft_event_put_str(ev, 0, d->name);
	bft_event_commit(ev, len);
}

/*
 * A traced fault is done.  A disarm that found it under way gave up
 * rather than poll (a fault can wait on a stalled file system for
 * minutes): the last one brings it back.
 */
static void bft_fault_call_done(void)
{
	if (atomic_dec_and_test(&bft_faults_in_flight) &&
	    !atomic_read(&bft_probe_users))
		schedule_delayed_work(&bft_disarm_work,
				      msecs_to_jiffies(READ_ONCE(disarm_delay_ms)));
}

static int bft_hmf_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct bft_fault_data *d = (struct bft_fault_data *)ri->data;
	vm_fault_t ret = (__force vm_fault_t)regs_return_value(regs);
	u8 cache = BFT_CACHE_NONE;
	u8 result;

	if (d->slot >= 0)
		cache = READ_ONCE(bft_inflight[d->slot].cache);
	bft_inflight_release(d->slot);

	result = bft_fault_result(ret, d->flags);
	bft_count_fault(d->session, result, bft_fault_lock(d->flags), cache);
	bft_fault_write(d, (__force u32)ret, result, bft_fault_lock(d->flags),
			cache);
	bft_session_put(d->session);
	bft_fault_call_done();
	/* Safe before our own return: the unload unregisters, and waits. */
	module_put(THIS_MODULE);
	return 0;
}

static const struct kretprobe bft_hmf_template = {
	.kp.symbol_name	= "handle_mm_fault",
	.entry_handler	= bft_hmf_entry,
	.handler	= bft_hmf_return,
	.data_size	= sizeof(struct bft_fault_data),
	.maxactive	= BFT_MAXACTIVE,
};

static int bft_filemap_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct vm_fault *vmf;
	struct mm_struct *mm;
	int slot;

	vmf = (struct vm_fault *)regs_get_kernel_argument(regs, 0);
	mm = vmf->vma->vm_mm;
	if (READ_ONCE(mm->binfmt) != &bft_format && !atomic_read(&bft_loads))
		return 1;
	slot = bft_inflight_find();
	if (slot < 0)
		return 1;
	*(int *)ri->data = slot;
	return 0;
}

/* filemap_fault() says VM_FAULT_MAJOR when the page was not cached. */
static int bft_filemap_return(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	vm_fault_t ret = (__force vm_fault_t)regs_return_value(regs);
	int slot = *(int *)ri->data;

	WRITE_ONCE(bft_inflight[slot].cache,
		   (ret & VM_FAULT_MAJOR) ? BFT_CACHE_MISS : BFT_CACHE_HIT);
	return 0;
}

static const struct kretprobe bft_filemap_template = {
	.kp.symbol_name	= "filemap_fault",
	.entry_handler	= bft_filemap_entry,
	.handler	= bft_filemap_return,
	.data_size	= sizeof(int),
	.maxactive	= BFT_MAXACTIVE,
};

/* Drop @tracked from the table; called with bft_mm_lock held. */
static struct bft_session *bft_unlink_mm(struct bft_tracked_mm *tracked)
{
	struct bft_session *session = tracked->session;

	hash_del_rcu(&tracked->node);
	kfree_rcu(tracked, rcu);
	return session;
}

static void bft_mm_gone(struct bft_session *session)
{
	struct bft_event *ev;
	int left = atomic_dec_return(&session->mms);

	if (!left && READ_ONCE(session->state) == BFT_SESSION_RUNNING)
		WRITE_ONCE(session->state, BFT_SESSION_EXITED);
	ev = bft_event_begin(session, BFT_EV_MM_EXIT);
	if (ev) {
		ev->u.mm_exit.mms_left = left;
		ev->u.mm_exit.min_flt = current->min_flt;
		ev->u.mm_exit.maj_flt = current->maj_flt;
		bft_event_commit(ev, 0);
	}
	bft_session_put(session);
	bft_probes_put();
}

/**
 * bft_untrack_mm - @mm is no longer traced
 * @mm: an address space being torn down, or of a load that failed
 */
void bft_untrack_mm(struct mm_struct *mm)
{
	struct bft_session *session = NULL;
	struct bft_tracked_mm *tracked;
	unsigned long flags;

	raw_spin_lock_irqsave(&bft_mm_lock, flags);
	tracked = bft_find_mm(mm);
	if (tracked)
		session = bft_unlink_mm(tracked);
	raw_spin_unlock_irqrestore(&bft_mm_lock, flags);
	if (session)
		bft_mm_gone(session);
}

/* exit_mmap(mm): the last user of a traced mm is gone. */
static int bft_exit_mmap_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct mm_struct *mm;

	mm = (struct mm_struct *)regs_get_kernel_argument(regs, 0);
	bft_untrack_mm(mm);
	return 0;
}

static const struct kprobe bft_exit_mmap_template = {
	.symbol_name	= "exit_mmap",
	.pre_handler	= bft_exit_mmap_pre,
};

/*
 * The registered probes.  Registration fills in kp.addr and other state,
 * and a kprobe with both an address and a symbol is refused: each arming
 * starts again from the templates.  The kretprobes are registered and
 * unregistered as one array: the filemap_fault() and handle_mm_fault()
 * ones, then the memory-map system call ones (mm_events.c).
 */
enum {
	BFT_KRP_FILEMAP,
	BFT_KRP_HMF,
	BFT_KRP_MM,
	BFT_KRP_NR = BFT_KRP_MM + BFT_MM_NR
};

static struct kretprobe bft_kretprobes[BFT_KRP_NR];
static struct kretprobe *bft_kretprobe_list[BFT_KRP_NR];
static struct kprobe bft_exit_mmap_probe;
/* Probes missed by earlier armings. */
static unsigned long bft_kretprobe_missed[BFT_KRP_NR];
static unsigned long bft_exit_mmap_missed;

/*
 * Entries for the mms of forks.  task_newtask runs with preemption off,
 * where PREEMPT_RT allows no allocation at all, GFP_NOWAIT included: a
 * fork takes an entry from this pool, which process context fills up (a
 * traced load, and a work item once it is half empty).  A fork that finds
 * it empty runs untraced (track_failed).
 */
static struct bft_pool bft_fork_pool;

/* Enter @mm in the table with @tracked (NULL: none could be had). */
static int bft_insert_mm(struct bft_session *session, struct mm_struct *mm,
			 struct bft_tracked_mm *tracked)
{
	unsigned long flags;

	if (!tracked) {
		atomic64_inc(&bft_track_failed);
		return -ENOMEM;
	}
	tracked->mm = mm;
	tracked->session = session;
	bft_session_get(session);
	atomic_inc(&session->mms);
	atomic_inc(&bft_probe_users);

	raw_spin_lock_irqsave(&bft_mm_lock, flags);
	hash_add_rcu(bft_mm_table, &tracked->node, (unsigned long)mm);
	raw_spin_unlock_irqrestore(&bft_mm_lock, flags);
	return 0;
}

/**
 * bft_track_mm - trace the faults of @mm in @session
 * @session: the session of the load in progress
 * @mm: the new mm, right after the point of no return
 *
 * The caller holds a probe reference (bft_probes_get()).
 *
 * Return: 0 or -ENOMEM; the program then runs without fault events.
 */
int bft_track_mm(struct bft_session *session, struct mm_struct *mm)
{
	bft_pool_fill(&bft_fork_pool);
	bft_mm_events_prepare();
	return bft_insert_mm(session, mm,
			     kmalloc(sizeof(struct bft_tracked_mm),
				     GFP_KERNEL));
}

/*
 * task_newtask: a fork copied a traced mm.  The child has not run yet, so
 * none of its faults can be missed.  Probes run with preemption off: no
 * sleep and, on PREEMPT_RT, no allocation (the entry is the pool's).
 */
static void bft_on_newtask(void *data, struct task_struct *task,
			   unsigned long clone_flags)
{
	struct bft_session *session;
	struct bft_event *ev;

	if (clone_flags & CLONE_VM)
		return;
	rcu_read_lock();
	session = bft_mm_session(current->mm);
	if (session && task->mm && task->mm != current->mm &&
	    READ_ONCE(task->mm->binfmt) == &bft_format &&
	    !bft_insert_mm(session, task->mm, bft_pool_take(&bft_fork_pool))) {
		ev = bft_event_begin(session, BFT_EV_FORK);
		if (ev) {
			ev->u.fork.child_pid = task_tgid_nr(task);
			ev->u.fork.child_tid = task_pid_nr(task);
			bft_event_commit(ev, 0);
		}
	}
	rcu_read_unlock();
}

static struct tracepoint *bft_newtask_tp;

static void bft_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "task_newtask"))
		bft_newtask_tp = tp;
}

static void bft_kretprobes_fill(void)
{
	unsigned int i;

	bft_kretprobes[BFT_KRP_FILEMAP] = bft_filemap_template;
	bft_kretprobes[BFT_KRP_HMF] = bft_hmf_template;
	for (i = 0; i < BFT_MM_NR; i++)
		bft_kretprobes[BFT_KRP_MM + i] = bft_mm_templates[i];
	for (i = 0; i < BFT_KRP_NR; i++)
		bft_kretprobe_list[i] = &bft_kretprobes[i];
}

/*
 * The capture to arm: fast and ring only where the kernel has the
 * tracepoints, ring only once its buffer is allocated.
 */
static int bft_capture_choose(void)
{
	int want = READ_ONCE(bft_capture_wanted);

	if (want != BFT_CAPTURE_DETAIL && !bft_fast_available()) {
		pr_warn_once("no page fault tracepoints: fault_capture=%s arms the detail capture\n",
			     bft_capture_names[want]);
		return BFT_CAPTURE_DETAIL;
	}
	if (want == BFT_CAPTURE_RING && !bft_ring_get()) {
		pr_warn_ratelimited("cannot allocate the fault ring: fault_capture=ring arms the fast capture\n");
		return BFT_CAPTURE_FAST;
	}
	return want;
}

/* Whether the armed capture is on the exception tracepoints. */
static bool bft_capture_on_tracepoints(void)
{
	return bft_capture_armed != BFT_CAPTURE_DETAIL;
}

/* The first of bft_kretprobe_list to register: fast has no fault ones. */
static unsigned int bft_kretprobes_first(void)
{
	return bft_capture_on_tracepoints() ? BFT_KRP_MM : 0;
}

static int bft_arm(void)
{
	unsigned int first;
	int ret;

	memset(bft_inflight, 0, sizeof(bft_inflight));
	bft_kretprobes_fill();
	bft_capture_armed = bft_capture_choose();
	first = bft_kretprobes_first();
	bft_exit_mmap_probe = bft_exit_mmap_template;
	ret = register_kprobe(&bft_exit_mmap_probe);
	if (ret)
		goto fail_exit_mmap;
	ret = register_kretprobes(bft_kretprobe_list + first, BFT_KRP_NR - first);
	if (ret)
		goto fail_kretprobes;
	ret = tracepoint_probe_register(bft_newtask_tp, bft_on_newtask, NULL);
	if (ret)
		goto fail_newtask;
	if (bft_capture_on_tracepoints()) {
		ret = bft_fast_arm(bft_capture_armed == BFT_CAPTURE_RING);
		if (ret)
			goto fail_fast;
	}
	bft_armed = true;
	bft_arm_count++;
	return 0;

fail_fast:
	tracepoint_probe_unregister(bft_newtask_tp, bft_on_newtask, NULL);
	tracepoint_synchronize_unregister();
fail_newtask:
	pr_warn_ratelimited("cannot attach to a tracepoint: %d\n", ret);
	unregister_kretprobes(bft_kretprobe_list + first, BFT_KRP_NR - first);
fail_kretprobes:
	unregister_kprobe(&bft_exit_mmap_probe);
fail_exit_mmap:
	pr_warn_ratelimited("cannot arm the fault probes: %d\n", ret);
	return ret;
}

static void bft_disarm(void)
{
	unsigned int first = bft_kretprobes_first();
	unsigned int i;

	if (bft_capture_on_tracepoints())
		bft_fast_disarm();
	tracepoint_probe_unregister(bft_newtask_tp, bft_on_newtask, NULL);
	unregister_kretprobes(bft_kretprobe_list + first, BFT_KRP_NR - first);
	unregister_kprobe(&bft_exit_mmap_probe);
	tracepoint_synchronize_unregister();
	for (i = first; i < BFT_KRP_NR; i++)
		bft_kretprobe_missed[i] += bft_kretprobes[i].nmissed;
	bft_exit_mmap_missed += bft_exit_mmap_probe.nmissed;
	bft_armed = false;
}

/*
 * Disarm once nobody needs the probes.  A memory-map call or a traced
 * fault still between its entry and return handlers would lose its
 * references with its return handler: wait for it.  A memory-map call
 * returns soon, so poll for it (bft_mm_calls_in_flight()); the last
 * traced fault schedules this work again itself (bft_fault_call_done()).
 */
static void bft_disarm_work_fn(struct work_struct *work)
{
	mutex_lock(&bft_probe_lock);
	if (bft_armed && !atomic_read(&bft_probe_users)) {
		if (bft_mm_calls_in_flight())
			schedule_delayed_work(&bft_disarm_work,
					      msecs_to_jiffies(10));
		else if (!atomic_read(&bft_faults_in_flight))
			bft_disarm();
	}
	mutex_unlock(&bft_probe_lock);
}

/**
 * bft_probes_get - make sure the fault probes are armed, and stay so
 *
 * Return: 0, or the registration error (the load then runs without fault
 * events).
 */
int bft_probes_get(void)
{
	int ret = 0;

	mutex_lock(&bft_probe_lock);
	if (!bft_armed)
		ret = bft_arm();
	if (!ret)
		atomic_inc(&bft_probe_users);
	mutex_unlock(&bft_probe_lock);
	return ret;
}

/* Drop a probe reference; the last one disarms, after a delay. */
void bft_probes_put(void)
{
	if (atomic_dec_and_test(&bft_probe_users))
		schedule_delayed_work(&bft_disarm_work,
				      msecs_to_jiffies(READ_ONCE(disarm_delay_ms)));
}

/* A load starts or ends: while any runs, all mms are looked up. */
void bft_load_begin(void)
{
	atomic_inc(&bft_loads);
}

void bft_load_done(void)
{
	atomic_dec(&bft_loads);
}

/* Misses of kretprobe @i since insmod; called with bft_probe_lock held. */
static unsigned long bft_kretprobe_missed_now(unsigned int i)
{
	bool registered = bft_armed && i >= bft_kretprobes_first();

	return bft_kretprobe_missed[i] +
	       (registered ? bft_kretprobes[i].nmissed : 0);
}

/* The traced mms, and the memory they and the fork pool hold. */
static void bft_tracked_stats(struct seq_file *m)
{
	size_t size = kmalloc_size_roundup(sizeof(struct bft_tracked_mm));
	struct bft_tracked_mm *tracked;
	unsigned int bkt, n = 0;

	rcu_read_lock();
	hash_for_each_rcu(bft_mm_table, bkt, tracked, node)
		n++;
	rcu_read_unlock();
	seq_printf(m, "tracked_mms %u\n", n);
	seq_printf(m, "tracked_mm_bytes %zu\n", n * size);
	seq_printf(m, "fork_pool_bytes %zu\n", READ_ONCE(bft_fork_pool.n) * size);
}

void bft_probes_stats(struct seq_file *m)
{
	unsigned int i;

	seq_printf(m, "probes_armed %d\n", READ_ONCE(bft_armed));
	seq_printf(m, "fault_capture %s\n",
		   bft_capture_names[READ_ONCE(bft_capture_armed)]);
	seq_printf(m, "probe_users %d\n", atomic_read(&bft_probe_users));
	mutex_lock(&bft_probe_lock);
	seq_printf(m, "probes_armed_count %lu\n", bft_arm_count);
	seq_printf(m, "fault_probe_missed %lu\n",
		   bft_kretprobe_missed_now(BFT_KRP_HMF));
	seq_printf(m, "filemap_probe_missed %lu\n",
		   bft_kretprobe_missed_now(BFT_KRP_FILEMAP));
	/* A missed exit_mmap leaves its mm traced, and the probes armed. */
	seq_printf(m, "exit_mmap_probe_missed %lu\n",
		   bft_exit_mmap_missed +
		   (bft_armed ? bft_exit_mmap_probe.nmissed : 0));
	/* A missed system call is a call without its event. */
	for (i = 0; i < BFT_MM_NR; i++)
		seq_printf(m, "%s %lu\n", bft_mm_missed_names[i],
			   bft_kretprobe_missed_now(BFT_KRP_MM + i));
	mutex_unlock(&bft_probe_lock);
	seq_printf(m, "track_failed %lld\n", atomic64_read(&bft_track_failed));
	bft_tracked_stats(m);
	bft_mm_events_stats(m);
	seq_printf(m, "inflight_full %lld\n",
		   atomic64_read(&bft_inflight_full));
	seq_printf(m, "faults_in_flight %d\n",
		   atomic_read(&bft_faults_in_flight));
	bft_fast_stats(m);
	bft_ring_stats(m);
}

/**
 * bft_fault_hooks_init - find the task_newtask tracepoint
 *
 * Return: 0, or -ENOENT when the kernel has none.
 */
int bft_fault_hooks_init(void)
{
	for_each_kernel_tracepoint(bft_find_tracepoint, NULL);
	bft_fast_init();
	if (!bft_newtask_tp) {
		pr_err("cannot find tracepoint task_newtask\n");
		return -ENOENT;
	}
	bft_pool_init(&bft_fork_pool, sizeof(struct bft_tracked_mm));
	bft_mm_events_init();
	return 0;
}

/* Module exit: every traced mm pinned the module, so none is left. */
void bft_fault_hooks_exit(void)
{
	cancel_delayed_work_sync(&bft_disarm_work);
	mutex_lock(&bft_probe_lock);
	if (bft_armed)
		bft_disarm();
	mutex_unlock(&bft_probe_lock);
	bft_pool_destroy(&bft_fork_pool);
	bft_mm_events_exit();
}
