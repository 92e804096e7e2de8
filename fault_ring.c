// SPDX-License-Identifier: GPL-2.0
/*
 * fault_capture=ring: the fast capture's hook (fault_fast.c), writing each
 * fault as one fixed-size binary record (bft_ring.h) into a ring buffer of
 * the module's own, read from /sys/kernel/debug/binfmt_trace/faults_raw.
 *
 * The page_fault trace event costs a traced fault more than ftrace's own
 * tracepoint does: the scratch record, its string field and the trace
 * event path (docs/cost-study.md).  Here the probe reserves 64 bytes with
 * ring_buffer_lock_reserve(), fills them and commits: no string, no
 * clock read of its own (the ring stamps the record), nothing formatted.
 *
 * The ring is the kernel's ring buffer (kernel/trace/ring_buffer.c), in
 * overwrite mode like ftrace's: when it is full the oldest records go, and
 * the reader is told how many.  It has a part for each online CPU and
 * adds one when a CPU comes up.  It is allocated the first time the probes
 * arm with fault_capture=ring and lives until the module is removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "bft_ring.h"
#include "compat.h"
#include "fault_hooks.h"
#include "session.h"
#include "trace.h"

#define BFT_RING_KB_MIN		64
#define BFT_RING_KB_MAX		(1024 * 1024)

static struct trace_buffer *bft_ring;

/* Serializes allocation and resizing of the ring. */
static DEFINE_MUTEX(bft_ring_lock);
/* One reader at a time takes records out. */
static DEFINE_MUTEX(bft_ring_read_lock);

/* Records the ring refused: recording off, or nested too deep. */
static atomic64_t bft_ring_dropped;

static unsigned int ring_kb = 1024;

static int ring_kb_set(const char *val, const struct kernel_param *kp)
{
	unsigned int kb;
	int ret;

	ret = kstrtouint(val, 0, &kb);
	if (ret)
		return ret;
	if (kb < BFT_RING_KB_MIN || kb > BFT_RING_KB_MAX)
		return -EINVAL;
	mutex_lock(&bft_ring_lock);
	if (bft_ring)
		ret = ring_buffer_resize(bft_ring, (unsigned long)kb * 1024,
					 RING_BUFFER_ALL_CPUS);
	if (!ret)
		WRITE_ONCE(ring_kb, kb);
	mutex_unlock(&bft_ring_lock);
	return ret;
}

static const struct kernel_param_ops ring_kb_ops = {
	.set	= ring_kb_set,
	.get	= param_get_uint,
};

module_param_cb(ring_kb, &ring_kb_ops, &ring_kb, 0644);
MODULE_PARM_DESC(ring_kb,
		 "KiB a CPU of the fault_capture=ring buffer (64 to 1048576, default 1024); resizes it at once");

/**
 * bft_ring_get() - the ring, allocated on first use
 *
 * Return: true when the ring exists.
 */
bool bft_ring_get(void)
{
	struct trace_buffer *ring;

	BUILD_BUG_ON(sizeof(struct bft_ring_rec) != 64);
	mutex_lock(&bft_ring_lock);
	if (!bft_ring) {
		ring = ring_buffer_alloc((unsigned long)ring_kb * 1024,
					 RB_FL_OVERWRITE);
		if (ring) /* Pairs with the readers' acquire. */
			smp_store_release(&bft_ring, ring);
	}
	mutex_unlock(&bft_ring_lock);
	return bft_ring;
}

/**
 * bft_ring_write() - write one fault of the fast capture's probe
 * @s: the faulting task's session
 * @addr: the faulting address
 * @ip: the user instruction pointer, 0 for a fault of the kernel
 * @access: enum bft_access
 * @mode: enum bft_mode
 *
 * Called with interrupts off, from the page fault exception's tracepoint,
 * after bft_ring_get() succeeded (the probes arm only then).  The record
 * says obj=unknown: the reader places the address (bft_ring.h).
 */
void bft_ring_write(struct bft_session *s, unsigned long addr,
		    unsigned long ip, u8 access, u8 mode)
{
	struct ring_buffer_event *event;
	struct bft_ring_rec *rec;

	if (!READ_ONCE(bft_trace_enabled))
		return;
	event = ring_buffer_lock_reserve(bft_ring, sizeof(*rec));
	if (!event) {
		atomic64_inc(&bft_ring_dropped);
		bft_session_note_event(s, false);
		return;
	}
	rec = ring_buffer_event_data(event);
	*rec = (struct bft_ring_rec){
		.session	= bft_session_id(s),
		.addr		= addr,
		.ip		= ip,
		.off		= BFT_RING_OFF_NONE,
		.min_flt	= (u32)current->min_flt,
		.maj_flt	= (u32)current->maj_flt,
		.tid		= task_pid_nr(current),
		.type		= BFT_RING_FAULT,
		.access		= access,
		.mode		= mode,
		.obj		= BFT_OBJ_UNKNOWN,
		.seg		= -1,
	};
	bft_compat_ring_commit(bft_ring, event);
	bft_session_note_event(s, true);
}

/* The CPU whose next record is the oldest, or -1 when all are empty. */
static int bft_ring_oldest_cpu(void)
{
	u64 ts, oldest = U64_MAX;
	int cpu, found = -1;

	for_each_possible_cpu(cpu) {
		if (ring_buffer_peek(bft_ring, cpu, &ts, NULL) && ts < oldest) {
			oldest = ts;
			found = cpu;
		}
	}
	return found;
}

/*
 * Take the oldest record out into @rec; @lost says how many records of
 * its CPU were overwritten before it.  Return: false when none is left.
 */
static bool bft_ring_take(struct bft_ring_rec *rec, unsigned long *lost)
{
	struct ring_buffer_event *event;
	int cpu = bft_ring_oldest_cpu();
	u64 ts;

	if (cpu < 0)
		return false;
	event = ring_buffer_consume(bft_ring, cpu, &ts, lost);
	if (!event)
		return false;
	memcpy(rec, ring_buffer_event_data(event), sizeof(*rec));
	rec->ts = ts;
	rec->cpu = cpu;
	return true;
}

/* Copy @rec out, and before it a BFT_RING_LOST record when @lost. */
static ssize_t bft_ring_copy_out(char __user *ubuf,
				 const struct bft_ring_rec *rec,
				 unsigned long lost)
{
	struct bft_ring_rec lost_rec = {
		.ts	= rec->ts,
		.addr	= lost,
		.cpu	= rec->cpu,
		.type	= BFT_RING_LOST,
	};
	size_t n = 0;

	if (lost) {
		if (copy_to_user(ubuf, &lost_rec, sizeof(lost_rec)))
			return -EFAULT;
		n = sizeof(lost_rec);
	}
	if (copy_to_user(ubuf + n, rec, sizeof(*rec)))
		return -EFAULT;
	return n + sizeof(*rec);
}

/*
 * A record taken out of the ring that a read could not copy out (a bad
 * user buffer): the next read returns it first.  Under bft_ring_read_lock.
 */
static struct {
	bool			valid;
	unsigned long		lost;
	struct bft_ring_rec	rec;
} bft_ring_pending;

/* The pending record if there is one, else the ring's oldest. */
static bool bft_ring_next(struct bft_ring_rec *rec, unsigned long *lost)
{
	if (!bft_ring_pending.valid)
		return bft_ring_take(rec, lost);
	*rec = bft_ring_pending.rec;
	*lost = bft_ring_pending.lost;
	WRITE_ONCE(bft_ring_pending.valid, false);
	return true;
}

/*
 * As many whole records as fit, oldest first; 0 (end of file) when the
 * ring is empty.  A read must have room for two records: one record may
 * come with a BFT_RING_LOST record before it.  A record that cannot be
 * copied out is kept for the next read, not lost.
 */
static ssize_t faults_raw_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	/* Pairs with the release in bft_ring_get(). */
	struct trace_buffer *ring = smp_load_acquire(&bft_ring);
	struct bft_ring_rec rec;
	unsigned long lost;
	ssize_t done = 0, n;

	if (count < 2 * sizeof(rec))
		return -EINVAL;
	if (!ring)
		return 0;
	if (mutex_lock_interruptible(&bft_ring_read_lock))
		return -ERESTARTSYS;
	while (count - done >= 2 * sizeof(rec) && bft_ring_next(&rec, &lost)) {
		n = bft_ring_copy_out(ubuf + done, &rec, lost);
		if (n < 0) {
			bft_ring_pending.rec = rec;
			bft_ring_pending.lost = lost;
			WRITE_ONCE(bft_ring_pending.valid, true);
			done = done ?: n;
			break;
		}
		done += n;
		cond_resched();
	}
	mutex_unlock(&bft_ring_read_lock);
	return done;
}

const struct file_operations bft_ring_fops = {
	.owner		= THIS_MODULE,
	.read		= faults_raw_read,
	.llseek		= noop_llseek,
};

/* The ring's lines of the stats file. */
void bft_ring_stats(struct seq_file *m)
{
	/* Pairs with the release in bft_ring_get(). */
	struct trace_buffer *ring = smp_load_acquire(&bft_ring);

	seq_printf(m, "ring_kb %u\n", READ_ONCE(ring_kb));
	seq_printf(m, "ring_allocated %d\n", !!ring);
	seq_printf(m, "ring_unread %lu\n",
		   (ring ? ring_buffer_entries(ring) : 0) +
		   READ_ONCE(bft_ring_pending.valid));
	seq_printf(m, "ring_overwritten %lu\n",
		   ring ? ring_buffer_overruns(ring) : 0);
	seq_printf(m, "ring_dropped %lld\n", atomic64_read(&bft_ring_dropped));
}

/*
 * After the probes and the debugfs files are gone.  The parameter files
 * outlive exit(): a ring_kb write may still be resizing, so take the lock.
 */
void bft_ring_exit(void)
{
	struct trace_buffer *ring;

	mutex_lock(&bft_ring_lock);
	ring = bft_ring;
	bft_ring = NULL;
	mutex_unlock(&bft_ring_lock);
	if (ring)
		ring_buffer_free(ring);
}
