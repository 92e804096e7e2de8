// SPDX-License-Identifier: GPL-2.0
/*
 * The size of the instance's buffers while nothing has been traced.
 *
 * ftrace gives a new instance its default size (1410 KiB a CPU) at once.
 * A module loaded at boot and never used would hold that much for
 * nothing, so at insmod the module shrinks its instance to idle_buffer_kb
 * a CPU (7 KiB after ftrace's rounding), and the first traced exec of
 * root's grows it back to the size ftrace gave, before its first event
 * (so do marking an exec, which takes CAP_SYS_ADMIN, and naming another
 * user in users=).  A size that somebody else wrote while the buffers
 * were idle is theirs, and kept.
 * The buffers never shrink again by themselves: a finished trace stays
 * until it is read.  Nor at insmod, when the instance (kept by a reader
 * across rmmod) still holds events.
 *
 * The size is the instance's buffer_size_kb file, written as a user
 * would: ftrace exports no call that resizes an instance.  The module
 * opens it through a tracefs mount of its own (tracefs may be mounted
 * nowhere), with the credentials of whoever loaded the module.  tracefs
 * files have no write_iter, so kernel_write() refuses them, and their
 * ->read() and ->write() copy from user memory: the text goes through a
 * page mapped for the call in the calling process, always one of root's
 * or of CAP_SYS_ADMIN's (see bft_size_caller_trusted()): the loading
 * one, the marking one, the exec'ing one before its old image is
 * replaced, or the one that sets the users parameter.
 *
 * Before 6.7 ftrace keeps one "expanded" flag for all instances (see
 * compat.h), and any resize sets it: the top instance's boot-size buffers
 * (7 KiB a CPU until somebody first enables an event there) would then
 * never grow.  There each resize of the module's puts the flag back as it
 * found it, which is what later kernels' flag per instance amounts to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "compat.h"
#include "control.h"
#include "fault_hooks.h"
#include "ksyms.h"
#include "trace.h"

/* The instance's files, from the root of tracefs. */
#define BFT_INSTANCE_DIR	"instances/" KBUILD_MODNAME "/"

static unsigned int idle_buffer_kb = 4;
module_param(idle_buffer_kb, uint, 0444);
MODULE_PARM_DESC(idle_buffer_kb,
		 "KiB a CPU of the trace instance until the first traced exec (default 4; 0 keeps ftrace's size)");

static struct vfsmount *bft_tracefs;
static const struct cred *bft_size_cred;
static DEFINE_MUTEX(bft_size_lock);
/* What ftrace gave the instance, and what it reads once shrunk. */
static unsigned long bft_full_kb, bft_idle_kb;
/* Shrunk, and no session has started since. */
static bool bft_buffer_idle;
static atomic_t bft_resizes = ATOMIC_INIT(0);
static atomic_t bft_resize_errors = ATOMIC_INIT(0);

/*
 * Whose memory the resize may borrow: root's, or that of a process with
 * CAP_SYS_ADMIN (which may mark an exec).  Another user's process (a
 * thread or a tracer of it) could rewrite the text between the copy and
 * ftrace's read of it, and choose the size written with root's
 * credentials.  Only a process holding the same capabilities, or
 * CAP_SYS_PTRACE, may trace one with CAP_SYS_ADMIN.
 */
static bool bft_size_caller_trusted(void)
{
	return (uid_eq(current_uid(), GLOBAL_ROOT_UID) &&
		uid_eq(current_euid(), GLOBAL_ROOT_UID)) ||
	       has_capability_noaudit(current, CAP_SYS_ADMIN);
}

/*
 * Read (@len 0) or write the tracefs file @path through a page of the
 * current process.  @text holds what to write, or receives what was read.
 */
static ssize_t bft_tracefs_io(const char *path, char *text, size_t size,
			      size_t len)
{
	const struct cred *old;
	unsigned long ubuf;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	if (!current->mm || (current->flags & PF_KTHREAD) ||
	    !bft_size_caller_trusted())
		return -EPERM;
	old = override_creds(bft_size_cred);
	file = file_open_root_mnt(bft_tracefs, path,
				  len ? O_WRONLY : O_RDONLY, 0);
	revert_creds(old);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (!(file->f_mode & (len ? FMODE_CAN_WRITE : FMODE_CAN_READ))) {
		n = -EINVAL;
		goto out_fput;
	}
	ubuf = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(ubuf)) {
		n = (long)ubuf;
		goto out_fput;
	}
	if (len) {
		n = copy_to_user((char __user *)ubuf, text, len) ? -EFAULT :
		    file->f_op->write(file, (char __user *)ubuf, len, &pos);
	} else {
		n = file->f_op->read(file, (char __user *)ubuf, size - 1, &pos);
		if (n >= 0 && copy_from_user(text, (char __user *)ubuf, n))
			n = -EFAULT;
		if (n >= 0)
			text[n] = '\0';
	}
	vm_munmap(ubuf, PAGE_SIZE);
out_fput:
	/* Now, not at return to user space: rmmod destroys the instance. */
	bft_compat_fput_sync(file);
	return n;
}

/* The size a CPU of @path, in KiB; 0 if the file shows anything else. */
static unsigned long bft_size_read_of(const char *path)
{
	char text[64];
	unsigned long kb;

	if (bft_tracefs_io(path, text, sizeof(text), 0) <= 0)
		return 0;
	/* "X" when CPUs differ; 6.1 may add " (expanded: N)". */
	text[strcspn(text, "\n ")] = '\0';
	return kstrtoul(text, 10, &kb) ? 0 : kb;
}

/* Our instance's size a CPU. */
static unsigned long bft_size_read(void)
{
	return bft_size_read_of(BFT_INSTANCE_DIR "buffer_size_kb");
}

/* The top instance's size on one CPU: its boot size until it expands. */
static unsigned long bft_top_size_read(void)
{
	char path[48];

	snprintf(path, sizeof(path), "per_cpu/cpu%u/buffer_size_kb",
		 cpumask_first(cpu_possible_mask));
	return bft_size_read_of(path);
}

/*
 * The one resize there is.  Before 6.7, ftrace's global "expanded" flag
 * goes back to false if it was: the resize was of our instance, and the
 * top one is still due to expand at its first enabled event.  Unless the
 * top instance changed size meanwhile: then somebody else expanded or
 * resized it, and set the flag for good reason.
 */
static int bft_size_write(unsigned long kb)
{
	bool *expanded = bft_ksyms.ring_buffer_expanded;
	unsigned long top_kb = 0;
	char text[24];
	int len = scnprintf(text, sizeof(text), "%lu\n", kb);
	ssize_t n;

	if (expanded && !READ_ONCE(*expanded))
		top_kb = bft_top_size_read();
	n = bft_tracefs_io(BFT_INSTANCE_DIR "buffer_size_kb", text,
			   sizeof(text), len);
	if (top_kb && READ_ONCE(*expanded) && bft_top_size_read() == top_kb)
		WRITE_ONCE(*expanded, false);
	if (n < 0)
		return n;
	atomic_inc(&bft_resizes);
	return 0;
}

/*
 * Whether the instance holds no events.  It does when a reader kept it
 * open across rmmod and insmod and has not read them all yet: they are
 * not to be lost to a shrink.  "No" when a CPU's stats do not say.  (Not
 * from the trace file's header: an open trace file blocks resizing, and
 * 6.1 closes it only at the return to user space.)
 */
static bool bft_instance_empty(void)
{
	static const char key[] = "entries: ";
	char name[64], *text, *p;
	bool empty = true;
	int cpu;

	text = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!text)
		return false;
	for_each_possible_cpu(cpu) {
		snprintf(name, sizeof(name), BFT_INSTANCE_DIR "per_cpu/cpu%d/stats",
			 cpu);
		if (bft_tracefs_io(name, text, PAGE_SIZE, 0) <= 0) {
			empty = false;
			break;
		}
		p = strstr(text, key);
		if (!p || p[sizeof(key) - 1] != '0' ||
		    p[sizeof(key)] != '\n') {
			empty = false;
			break;
		}
	}
	kfree(text);
	return empty;
}

/* From ftrace's size to the idle one; a failure leaves ftrace's. */
static int bft_size_shrink(void)
{
	int ret;

	if (!bft_instance_empty())
		return -EEXIST;
	bft_full_kb = bft_size_read();
	if (!bft_full_kb)
		return -EIO;
	ret = bft_size_write(idle_buffer_kb);
	if (ret)
		return ret;
	bft_idle_kb = bft_size_read();
	if (!bft_idle_kb) {
		/* Nothing would grow them again: back to ftrace's size. */
		bft_size_write(bft_full_kb);
		return -EIO;
	}
	WRITE_ONCE(bft_buffer_idle, true);
	return 0;
}

/**
 * bft_trace_size_init() - shrink the new instance to its idle size
 *
 * Called at insmod, in the loading process, once the instance exists.
 * Nothing here is fatal: on failure the instance keeps ftrace's size.
 */
void bft_trace_size_init(void)
{
	struct file_system_type *type;
	int ret;

	/* Other users' execs could not grow the buffers back. */
	if (!idle_buffer_kb || bft_users_others())
		return;
	if (!BFT_COMPAT_INSTANCE_OWN_EXPANDED &&
	    !bft_ksyms.ring_buffer_expanded) {
		pr_info("no ring_buffer_expanded in this kernel: the trace buffers keep ftrace's size\n");
		return;
	}
	/* Built in, never a module: there is no reference to put. */
	type = get_fs_type("tracefs");
	if (!type) {
		pr_warn("no tracefs: the trace buffers keep ftrace's size\n");
		return;
	}
	bft_tracefs = kern_mount(type);
	if (IS_ERR(bft_tracefs)) {
		ret = PTR_ERR(bft_tracefs);
		bft_tracefs = NULL;
		goto fail;
	}
	bft_size_cred = get_current_cred();
	ret = bft_size_shrink();
	if (ret == -EEXIST)
		pr_info("the trace instance holds unread events: it keeps its size\n");
	else if (ret)
		goto fail;
	return;

fail:
	atomic_inc(&bft_resize_errors);
	pr_warn("cannot shrink the idle trace buffers (%d): they keep ftrace's size\n",
		ret);
}

/**
 * bft_trace_size_grow() - give the buffers their full size for a session
 *
 * Called before a session's first event, in the exec'ing process while it
 * still has its old mm; when a thread marks its next exec, and when the
 * users parameter comes to name another user than root, in the writer's
 * process.  Only the first call after insmod does any work (or the next
 * ones, after a failure).  Only root's processes (and those with
 * CAP_SYS_ADMIN) lend a page: an exec of another user's, of a kernel
 * thread, or from a traced mm leaves the buffers as they are.  Other
 * users' execs therefore never meet idle buffers: the module does not
 * shrink them while users= names anyone else, and grows them when it
 * comes to.
 */
void bft_trace_size_grow(void)
{
	struct bft_session *traced;
	unsigned long kb;
	int ret = 0;

	if (!READ_ONCE(bft_buffer_idle) || !current->mm ||
	    !bft_size_caller_trusted())
		return;
	/* A traced mm would record the fault on the borrowed page. */
	rcu_read_lock();
	traced = bft_mm_session(current->mm);
	rcu_read_unlock();
	if (traced)
		return;
	mutex_lock(&bft_size_lock);
	if (bft_buffer_idle) {
		kb = bft_size_read();
		if (!kb)
			ret = -EIO;
		else if (kb == bft_idle_kb)
			ret = bft_size_write(bft_full_kb);
		/* A reader of the trace file blocks resizing: try again. */
		if (!ret)
			WRITE_ONCE(bft_buffer_idle, false);
	}
	mutex_unlock(&bft_size_lock);
	if (ret) {
		atomic_inc(&bft_resize_errors);
		pr_warn_ratelimited("cannot grow the trace buffers (%d): they stay at %lu KiB a CPU for now\n",
				    ret, bft_idle_kb);
	}
}

/* The stats file's lines. */
void bft_trace_size_stats(struct seq_file *m)
{
	seq_printf(m, "buffer_idle %d\n", READ_ONCE(bft_buffer_idle));
	seq_printf(m, "buffer_resizes %d\n", atomic_read(&bft_resizes));
	seq_printf(m, "buffer_resize_errors %d\n",
		   atomic_read(&bft_resize_errors));
}

/* Before the instance goes: nothing of ours holds it open by then. */
void bft_trace_size_exit(void)
{
	if (bft_tracefs)
		kern_unmount(bft_tracefs);
	bft_tracefs = NULL;
	if (bft_size_cred)
		put_cred(bft_size_cred);
	bft_size_cred = NULL;
}
