// SPDX-License-Identifier: GPL-2.0
/*
 * bft_cost - PROTOTYPE, not built by default, not part of binfmt_trace.
 *
 * One way of capturing page faults per load, selected by module
 * parameters, to measure what it costs the tasks it filters out and the
 * one it traces (docs/cost-study.md, prototypes/fault-capture/run-study.sh).
 *
 *   hook=kretprobe    kretprobe on handle_mm_fault, entry handler filters
 *                     (binfmt_trace's capture today)
 *   hook=kprobe       plain kprobe on handle_mm_fault, record at entry
 *   hook=fprobe       fprobe on handle_mm_fault, entry handler only (6.12)
 *   hook=fprobe_exit  fprobe with an exit handler; the entry handler
 *                     returns non-zero for untraced tasks, which skips the
 *                     return hook (6.12)
 *   hook=tp           tracepoint_probe_register() on exceptions:
 *                     page_fault_user and page_fault_kernel; the record
 *                     carries the task's min_flt/maj_flt at entry, from
 *                     which a reader can tell the previous fault's result
 *   hook=tp_tw        the same tracepoints; for the traced task only, a
 *                     task_work (TWA_RESUME) finishes the record when the
 *                     task returns to user mode: result from the min_flt/
 *                     maj_flt delta, latency entry to return
 *   hook=combo        the design docs/cost-study.md recommends: tp, plus
 *                     for the traced task only, a 16-byte marker record
 *                     from filemap:mm_filemap_add_to_page_cache (a page
 *                     cache miss), from a kprobe on lock_mm_and_find_vma
 *                     (6.12: the fault fell back to mmap_lock) and from a
 *                     kprobe on __get_user_pages (GUP faults, which no
 *                     exception tracepoint sees)
 *   hook=perf_all|perf_min|perf_maj|perf_minmaj
 *                     per-task perf software events on the target only
 *                     (PERF_COUNT_SW_PAGE_FAULTS, _MIN, _MAJ, _MIN and _MAJ)
 *   record=0          filter only; 1: write a 40-byte record into a ring
 *                     buffer of our own (ring_buffer_*); 2: fire the trace
 *                     event bft_cost:fault (fixed size, enable it in tracefs)
 *   sym=NAME          the function of kretprobe, kprobe and fprobe
 *                     (default handle_mm_fault)
 *   tgid=PID          (writable) the traced process; -1: none
 *
 * The filter is current->tgid == tgid: one load from current and a
 * compare, the same order of work as binfmt_trace's mm->binfmt test.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fprobe.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/pid.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/task_work.h>
#include <linux/tracepoint.h>
#include <linux/version.h>

#include "cost_rec.h"
#define CREATE_TRACE_POINTS
#include "cost_trace.h"

enum cost_hook {
	HOOK_NONE, HOOK_KRETPROBE, HOOK_KPROBE, HOOK_FPROBE, HOOK_FPROBE_EXIT,
	HOOK_TP, HOOK_TP_TW, HOOK_COMBO, HOOK_PERF_ALL, HOOK_PERF_MIN,
	HOOK_PERF_MAJ, HOOK_PERF_MINMAJ,
};

static const char *const cost_hook_names[] = {
	"none", "kretprobe", "kprobe", "fprobe", "fprobe_exit", "tp", "tp_tw",
	"combo",
	"perf_all", "perf_min", "perf_maj", "perf_minmaj",
};

static char *hook = "none";
module_param(hook, charp, 0444);
MODULE_PARM_DESC(hook, "kretprobe|kprobe|fprobe|fprobe_exit|tp|tp_tw|combo|perf_all|perf_min|perf_maj|perf_minmaj");
static char *sym = "handle_mm_fault";
module_param(sym, charp, 0444);
MODULE_PARM_DESC(sym, "function probed by kretprobe, kprobe, fprobe");
static int record;
module_param(record, int, 0444);
MODULE_PARM_DESC(record, "0: filter only, 1: ring_buffer record, 2: trace event");
static unsigned long rb_kb = 4096;
module_param(rb_kb, ulong, 0444);
MODULE_PARM_DESC(rb_kb, "ring buffer size per CPU for record=1 (KiB)");

static enum cost_hook cost_hook;
static int cost_tgid = -1;
static struct trace_buffer *cost_rb;
static atomic64_t cost_written;
static atomic64_t cost_lost;
/* hook=combo: markers written, by enum cost_mark_what. */
static atomic64_t cost_marks[4];

static bool cost_traced(void)
{
	return current->tgid == READ_ONCE(cost_tgid);
}

/* ring_buffer_unlock_commit() lost its event argument in 6.2. */
static void cost_rb_commit(struct trace_buffer *rb,
			   struct ring_buffer_event *ev)
{
#if KERNEL_VERSION(6, 2, 0) <= KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, 0)
	ring_buffer_unlock_commit(rb);
#else
	ring_buffer_unlock_commit(rb, ev);
#endif
}

static void cost_emit(const struct cost_rec *r)
{
	struct ring_buffer_event *ev;

	if (record == 2) {
		trace_fault(r);
		return;
	}
	if (record != 1)
		return;
	ev = ring_buffer_lock_reserve(cost_rb, sizeof(*r));
	if (!ev) {
		atomic64_inc(&cost_lost);
		return;
	}
	memcpy(ring_buffer_event_data(ev), r, sizeof(*r));
	cost_rb_commit(cost_rb, ev);
	atomic64_inc(&cost_written);
}

/* The arguments are handle_mm_fault()'s: other functions record none. */
static bool cost_sym_is_hmf;

/* The fields binfmt_trace fills from handle_mm_fault()'s arguments. */
static void cost_fill_hmf(struct cost_rec *r, struct pt_regs *regs, u8 hk)
{
	struct pt_regs *user_regs;

	r->addr = 0;
	r->flags = 0;
	r->ip = 0;
	if (cost_sym_is_hmf) {
		r->addr = regs_get_kernel_argument(regs, 1);
		r->flags = regs_get_kernel_argument(regs, 2);
		user_regs = (struct pt_regs *)regs_get_kernel_argument(regs, 3);
		r->ip = user_regs && user_mode(user_regs) ?
			instruction_pointer(user_regs) : 0;
	}
	r->latency_ns = 0;
	r->vm_fault = 0;
	r->session = 1;
	r->seg = -1;
	r->hook = hk;
	r->obj = 0;
	r->min_flt = 0;
	r->maj_flt = 0;
}

/* kretprobe: today's capture. */
static int cost_krp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cost_rec *r = (struct cost_rec *)ri->data;

	if (!cost_traced())
		return 1;
	cost_fill_hmf(r, regs, HOOK_KRETPROBE);
	r->latency_ns = local_clock();
	return 0;
}

static int cost_krp_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cost_rec *r = (struct cost_rec *)ri->data;

	r->vm_fault = regs_return_value(regs);
	r->latency_ns = local_clock() - r->latency_ns;
	cost_emit(r);
	return 0;
}

static struct kretprobe cost_krp = {
	.entry_handler	= cost_krp_entry,
	.handler	= cost_krp_return,
	.data_size	= sizeof(struct cost_rec),
	.maxactive	= 64,
};

/* kprobe: entry only. */
static int cost_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct cost_rec r;

	if (!cost_traced())
		return 0;
	cost_fill_hmf(&r, regs, HOOK_KPROBE);
	cost_emit(&r);
	return 0;
}

static struct kprobe cost_kp = {
	.pre_handler	= cost_kp_pre,
};

#ifdef CONFIG_FPROBE
/* fprobe, 6.12 (before the fgraph rewrite of 6.14): pt_regs handlers. */
static int cost_fp_entry(struct fprobe *fp, unsigned long entry_ip,
			 unsigned long ret_ip, struct pt_regs *regs,
			 void *entry_data)
{
	struct cost_rec r, *d = entry_data;

	if (!cost_traced())
		return 1;	/* skips the exit handler, if any */
	if (d) {
		cost_fill_hmf(d, regs, HOOK_FPROBE_EXIT);
		d->latency_ns = local_clock();
		return 0;
	}
	cost_fill_hmf(&r, regs, HOOK_FPROBE);
	cost_emit(&r);
	return 0;
}

static void cost_fp_exit(struct fprobe *fp, unsigned long entry_ip,
			 unsigned long ret_ip, struct pt_regs *regs,
			 void *entry_data)
{
	struct cost_rec *d = entry_data;

	d->vm_fault = regs_return_value(regs);
	d->latency_ns = local_clock() - d->latency_ns;
	cost_emit(d);
}

static struct fprobe cost_fp = {
	.entry_handler	= cost_fp_entry,
};

static int cost_fprobe_register(bool with_exit)
{
	if (with_exit) {
		cost_fp.exit_handler = cost_fp_exit;
		cost_fp.entry_data_size = sizeof(struct cost_rec);
		cost_fp.nr_maxactive = 64;
	}
	return register_fprobe(&cost_fp, sym, NULL);
}

static void cost_fprobe_unregister(void)
{
	unregister_fprobe(&cost_fp);
}
#else
static int cost_fprobe_register(bool with_exit)
{
	return -EOPNOTSUPP;
}

static void cost_fprobe_unregister(void)
{
}
#endif

/* exceptions:page_fault_user/_kernel, from exc_page_fault(). */
static struct tracepoint *cost_tp_user, *cost_tp_kernel, *cost_tp_add_page;

static void cost_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "page_fault_user"))
		cost_tp_user = tp;
	else if (!strcmp(tp->name, "page_fault_kernel"))
		cost_tp_kernel = tp;
	else if (!strcmp(tp->name, "mm_filemap_add_to_page_cache"))
		cost_tp_add_page = tp;
}

static void cost_fill_tp(struct cost_rec *r, unsigned long address,
			 struct pt_regs *regs, unsigned long error_code)
{
	r->addr = address;
	r->ip = user_mode(regs) ? instruction_pointer(regs) : 0;
	r->flags = error_code;
	r->latency_ns = 0;
	r->vm_fault = 0;
	r->session = 1;
	r->seg = -1;
	r->hook = cost_hook;
	r->obj = 0;
	r->min_flt = current->min_flt;
	r->maj_flt = current->maj_flt;
}

/*
 * hook=tp_tw: a fault of the traced task waiting for its return to user
 * mode.  One slot per task at a time: a second fault before the return
 * (a kernel-mode fault in a system call) finishes the first one there.
 */
struct cost_tw {
	struct callback_head	cb;
	struct task_struct	*task;
	u64			start;
	struct cost_rec		rec;
};

#define COST_TW_BITS	6
static struct cost_tw cost_tw_slots[1 << COST_TW_BITS];

/* The result of rec's fault: what mm_account_fault() counted since. */
static void cost_tw_finish(struct cost_tw *tw)
{
	struct cost_rec *r = &tw->rec;
	u32 maj = current->maj_flt - r->maj_flt;
	u32 min = current->min_flt - r->min_flt;

	r->vm_fault = maj ? VM_FAULT_MAJOR : min ? 0 : VM_FAULT_SIGSEGV;
	r->latency_ns = local_clock() - tw->start;
	cost_emit(r);
}

static void cost_tw_fn(struct callback_head *cb)
{
	struct cost_tw *tw = container_of(cb, struct cost_tw, cb);

	preempt_disable();
	cost_tw_finish(tw);
	preempt_enable();
	/* The record is out before the slot can be claimed again. */
	smp_store_release(&tw->task, NULL);
}

static struct cost_tw *cost_tw_slot(bool *pending)
{
	unsigned int base = hash_ptr(current, COST_TW_BITS), i;
	struct cost_tw *tw;

	for (i = 0; i < ARRAY_SIZE(cost_tw_slots); i++) {
		tw = &cost_tw_slots[(base + i) & (ARRAY_SIZE(cost_tw_slots) - 1)];
		if (READ_ONCE(tw->task) == current) {
			*pending = true;
			return tw;
		}
		if (!cmpxchg(&tw->task, NULL, current)) {
			*pending = false;
			return tw;
		}
	}
	return NULL;
}

static void cost_tw_fault(unsigned long address, struct pt_regs *regs,
			  unsigned long error_code)
{
	struct cost_tw *tw;
	bool pending;

	tw = cost_tw_slot(&pending);
	if (!tw) {
		atomic64_inc(&cost_lost);
		return;
	}
	if (pending)
		cost_tw_finish(tw);
	cost_fill_tp(&tw->rec, address, regs, error_code);
	tw->start = local_clock();
	if (pending)
		return;
	init_task_work(&tw->cb, cost_tw_fn);
	if (task_work_add(current, &tw->cb, TWA_RESUME))
		/* Exiting: free the slot, as cost_tw_fn() would. */
		smp_store_release(&tw->task, NULL);
}

static void cost_on_fault(void *data, unsigned long address,
			  struct pt_regs *regs, unsigned long error_code)
{
	struct cost_rec r;

	if (!cost_traced())
		return;
	if (cost_hook == HOOK_TP_TW) {
		cost_tw_fault(address, regs, error_code);
		return;
	}
	cost_fill_tp(&r, address, regs, error_code);
	cost_emit(&r);
}

/*
 * hook=combo: the markers.  Each is a 16-byte record: what happened, and
 * one value (the folio's index, the GUP start address).
 */
struct cost_mark {
	u32	what;
	u32	pad;
	u64	value;
};

enum { MARK_CACHE_MISS = 1, MARK_MMAP_LOCK, MARK_GUP };

static void cost_emit_mark(u32 what, u64 value)
{
	struct ring_buffer_event *ev;
	struct cost_mark *m;

	if (record != 1)
		return;
	ev = ring_buffer_lock_reserve(cost_rb, sizeof(*m));
	if (!ev) {
		atomic64_inc(&cost_lost);
		return;
	}
	m = ring_buffer_event_data(ev);
	m->what = what;
	m->pad = 0;
	m->value = value;
	cost_rb_commit(cost_rb, ev);
	atomic64_inc(&cost_marks[what]);
}

static void cost_on_add_page(void *data, struct folio *folio)
{
	if (cost_traced())
		cost_emit_mark(MARK_CACHE_MISS, folio->index);
}

static int cost_mmap_lock_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (cost_traced())
		cost_emit_mark(MARK_MMAP_LOCK, regs_get_kernel_argument(regs, 1));
	return 0;
}

static int cost_gup_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (cost_traced())
		cost_emit_mark(MARK_GUP, regs_get_kernel_argument(regs, 1));
	return 0;
}

static struct kprobe cost_mmap_lock_kp = {
	.symbol_name	= "lock_mm_and_find_vma",
	.pre_handler	= cost_mmap_lock_pre,
};

static struct kprobe cost_gup_kp = {
	.symbol_name	= "__get_user_pages",
	.pre_handler	= cost_gup_pre,
};

/* 6.1 has no per-VMA lock: every fault takes mmap_lock, nothing to mark. */
static bool cost_has_vma_lock(void)
{
	return KERNEL_VERSION(6, 4, 0) <=
	       KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, 0);
}

static int cost_combo_register(void)
{
	int ret;

	if (!cost_tp_add_page)
		return -ENOENT;
	ret = tracepoint_probe_register(cost_tp_add_page, cost_on_add_page,
					NULL);
	if (ret)
		return ret;
	ret = register_kprobe(&cost_gup_kp);
	if (ret)
		goto fail_gup;
	if (cost_has_vma_lock()) {
		ret = register_kprobe(&cost_mmap_lock_kp);
		if (ret)
			goto fail_lock;
	}
	return 0;
fail_lock:
	unregister_kprobe(&cost_gup_kp);
fail_gup:
	tracepoint_probe_unregister(cost_tp_add_page, cost_on_add_page, NULL);
	return ret;
}

static void cost_combo_unregister(void)
{
	if (cost_has_vma_lock())
		unregister_kprobe(&cost_mmap_lock_kp);
	unregister_kprobe(&cost_gup_kp);
	tracepoint_probe_unregister(cost_tp_add_page, cost_on_add_page, NULL);
}

static int cost_tp_register(void)
{
	int ret;

	for_each_kernel_tracepoint(cost_find_tp, NULL);
	if (!cost_tp_user || !cost_tp_kernel)
		return -ENOENT;
	ret = tracepoint_probe_register(cost_tp_user, cost_on_fault, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(cost_tp_kernel, cost_on_fault, NULL);
	if (ret)
		tracepoint_probe_unregister(cost_tp_user, cost_on_fault, NULL);
	return ret;
}

static void cost_tp_unregister(void)
{
	tracepoint_probe_unregister(cost_tp_kernel, cost_on_fault, NULL);
	tracepoint_probe_unregister(cost_tp_user, cost_on_fault, NULL);
	tracepoint_synchronize_unregister();
}

/* Per-task perf software events: only the target's faults reach us. */
static struct perf_event *cost_perf[2];
static DEFINE_MUTEX(cost_perf_lock);

static void cost_perf_overflow(struct perf_event *event,
			       struct perf_sample_data *data,
			       struct pt_regs *regs)
{
	struct cost_rec r = {};

	r.addr = data->addr;
	r.ip = regs && user_mode(regs) ? instruction_pointer(regs) : 0;
	r.flags = event->attr.config;
	r.session = 1;
	r.seg = -1;
	r.hook = cost_hook;
	cost_emit(&r);
}

static void cost_perf_release(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cost_perf); i++) {
		if (cost_perf[i])
			perf_event_release_kernel(cost_perf[i]);
		cost_perf[i] = NULL;
	}
}

static int cost_perf_create(struct task_struct *task, int i, u64 config)
{
	struct perf_event_attr attr = {
		.type		= PERF_TYPE_SOFTWARE,
		.size		= sizeof(attr),
		.config		= config,
		.sample_period	= 1,
		.exclude_hv	= 1,
	};
	struct perf_event *event;

	event = perf_event_create_kernel_counter(&attr, -1, task,
						 cost_perf_overflow, NULL);
	if (IS_ERR(event))
		return PTR_ERR(event);
	cost_perf[i] = event;
	return 0;
}

/* Attach the perf events of cost_hook to process @tgid. */
static int cost_perf_attach(int tgid)
{
	struct task_struct *task;
	struct pid *pid;
	int ret = 0;

	if (tgid < 0)
		return 0;
	pid = find_get_pid(tgid);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	switch (cost_hook) {
	case HOOK_PERF_ALL:
		ret = cost_perf_create(task, 0, PERF_COUNT_SW_PAGE_FAULTS);
		break;
	case HOOK_PERF_MIN:
		ret = cost_perf_create(task, 0, PERF_COUNT_SW_PAGE_FAULTS_MIN);
		break;
	case HOOK_PERF_MAJ:
		ret = cost_perf_create(task, 0, PERF_COUNT_SW_PAGE_FAULTS_MAJ);
		break;
	case HOOK_PERF_MINMAJ:
		ret = cost_perf_create(task, 0, PERF_COUNT_SW_PAGE_FAULTS_MIN);
		if (!ret)
			ret = cost_perf_create(task, 1,
					       PERF_COUNT_SW_PAGE_FAULTS_MAJ);
		break;
	default:
		break;
	}
	put_task_struct(task);
	return ret;
}

static bool cost_is_perf(void)
{
	return cost_hook >= HOOK_PERF_ALL;
}

static int cost_tgid_set(const char *val, const struct kernel_param *kp)
{
	int tgid, ret;

	ret = kstrtoint(val, 0, &tgid);
	if (ret)
		return ret;
	if (!cost_is_perf()) {
		WRITE_ONCE(cost_tgid, tgid);
		return 0;
	}
	mutex_lock(&cost_perf_lock);
	cost_perf_release();
	WRITE_ONCE(cost_tgid, tgid);
	ret = cost_perf_attach(tgid);
	mutex_unlock(&cost_perf_lock);
	return ret;
}

static const struct kernel_param_ops cost_tgid_ops = {
	.set	= cost_tgid_set,
	.get	= param_get_int,
};
module_param_cb(tgid, &cost_tgid_ops, &cost_tgid, 0644);
MODULE_PARM_DESC(tgid, "the traced process (-1: none)");

static int cost_written_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld %lld miss=%lld mmap_lock=%lld gup=%lld\n",
			  atomic64_read(&cost_written),
			  atomic64_read(&cost_lost),
			  atomic64_read(&cost_marks[MARK_CACHE_MISS]),
			  atomic64_read(&cost_marks[MARK_MMAP_LOCK]),
			  atomic64_read(&cost_marks[MARK_GUP]));
}

static const struct kernel_param_ops cost_written_ops = {
	.get	= cost_written_get,
};
module_param_cb(written, &cost_written_ops, NULL, 0444);
MODULE_PARM_DESC(written, "records written and lost (record=1), markers (combo)");

static int cost_register(void)
{
	int ret;

	switch (cost_hook) {
	case HOOK_KRETPROBE:
		cost_krp.kp.symbol_name = sym;
		return register_kretprobe(&cost_krp);
	case HOOK_KPROBE:
		cost_kp.symbol_name = sym;
		return register_kprobe(&cost_kp);
	case HOOK_FPROBE:
		return cost_fprobe_register(false);
	case HOOK_FPROBE_EXIT:
		return cost_fprobe_register(true);
	case HOOK_TP:
	case HOOK_TP_TW:
		return cost_tp_register();
	case HOOK_COMBO:
		ret = cost_tp_register();
		if (ret)
			return ret;
		ret = cost_combo_register();
		if (ret)
			cost_tp_unregister();
		return ret;
	default:
		return 0;
	}
}

static void cost_unregister(void)
{
	switch (cost_hook) {
	case HOOK_KRETPROBE:
		unregister_kretprobe(&cost_krp);
		break;
	case HOOK_KPROBE:
		unregister_kprobe(&cost_kp);
		break;
	case HOOK_FPROBE:
	case HOOK_FPROBE_EXIT:
		cost_fprobe_unregister();
		break;
	case HOOK_TP:
	case HOOK_TP_TW:
		cost_tp_unregister();
		break;
	case HOOK_COMBO:
		cost_combo_unregister();
		cost_tp_unregister();
		break;
	default:
		mutex_lock(&cost_perf_lock);
		cost_perf_release();
		mutex_unlock(&cost_perf_lock);
		break;
	}
}

static int __init cost_init(void)
{
	int ret;

	ret = match_string(cost_hook_names, ARRAY_SIZE(cost_hook_names), hook);
	if (ret < 0)
		return -EINVAL;
	cost_hook = ret;
	cost_sym_is_hmf = !strcmp(sym, "handle_mm_fault");
	if (record == 1) {
		cost_rb = ring_buffer_alloc(rb_kb << 10, RB_FL_OVERWRITE);
		if (!cost_rb)
			return -ENOMEM;
	}
	ret = cost_register();
	if (ret) {
		pr_err("cannot register hook %s: %d\n", hook, ret);
		if (cost_rb)
			ring_buffer_free(cost_rb);
		return ret;
	}
	return 0;
}

static void __exit cost_exit(void)
{
	cost_unregister();
	if (cost_rb)
		ring_buffer_free(cost_rb);
}

module_init(cost_init);
module_exit(cost_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("binfmt_trace fault-capture cost prototype (not for use)");
