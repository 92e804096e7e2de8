// SPDX-License-Identifier: GPL-2.0
/*
 * Who is traced.
 *
 * Two ways into a trace, each with its own gate:
 *
 * - trace_next_exec (debugfs, root only): a process writes "1" to have its
 *   own next exec of an ELF loaded in place by binfmt_trace and traced,
 *   the file unmodified, like PTRACE_TRACEME asks for a tracer.  The mark
 *   belongs to the writing thread; its next exec of an ELF or of a
 *   wrapped file takes it.  "0" takes it back.  "1 FLAGS LABEL" also sets
 *   the BFT_FLAG_* bits (hex) and a label, as a wrapper header would.
 *
 * - users (module parameter, root only): whose execs of wrapped files are
 *   traced: "all", "none" or a comma-separated list of uids (real uid, in
 *   the initial user namespace).  The default is "0": a wrapped file run
 *   by anyone else is loaded the same way, untraced, so that no user arms
 *   system-wide probes or fills root's buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "binfmt_trace.h"
#include "control.h"
#include "trace.h"

/* More marks than this are refused: a mark costs a few bytes each. */
#define BFT_MARKS_MAX		1024
#define BFT_USERS_MAX		16

/**
 * struct bft_mark - a thread whose next exec is traced in place
 * @node: in bft_marks
 * @pid: the thread; a reference, so that a reused pid is not mistaken
 * @flags: BFT_FLAG_* for the session
 * @label: its label
 */
struct bft_mark {
	struct list_head	node;
	struct pid		*pid;
	u32			flags;
	char			label[BFT_LABEL_LEN + 1];
};

static LIST_HEAD(bft_marks);
static DEFINE_SPINLOCK(bft_marks_lock);
/* Read without the lock by every exec on the machine: 0 is the fast way. */
static atomic_t bft_marks_nr = ATOMIC_INIT(0);

static void bft_mark_free(struct bft_mark *mark)
{
	put_pid(mark->pid);
	kfree(mark);
}

static struct bft_mark *bft_mark_find(struct pid *pid)
{
	struct bft_mark *mark;

	lockdep_assert_held(&bft_marks_lock);
	list_for_each_entry(mark, &bft_marks, node)
		if (mark->pid == pid)
			return mark;
	return NULL;
}

static void bft_mark_unlink(struct bft_mark *mark)
{
	list_del(&mark->node);
	atomic_dec(&bft_marks_nr);
}

/* Marks of threads that died without exec'ing; freed by the caller. */
static void bft_marks_prune(struct list_head *dead)
{
	struct bft_mark *mark, *next;

	lockdep_assert_held(&bft_marks_lock);
	list_for_each_entry_safe(mark, next, &bft_marks, node) {
		if (pid_has_task(mark->pid, PIDTYPE_PID))
			continue;
		bft_mark_unlink(mark);
		list_add(&mark->node, dead);
	}
}

/* Mark the current thread's next exec, replacing an earlier mark. */
static int bft_mark_current(u32 flags, const char *label)
{
	struct bft_mark *mark, *old, *next;
	LIST_HEAD(dead);
	int ret = 0;

	mark = kzalloc(sizeof(*mark), GFP_KERNEL);
	if (!mark)
		return -ENOMEM;
	mark->pid = get_pid(task_pid(current));
	mark->flags = flags;
	strscpy(mark->label, label, sizeof(mark->label));

	spin_lock(&bft_marks_lock);
	bft_marks_prune(&dead);
	old = bft_mark_find(mark->pid);
	if (old) {
		bft_mark_unlink(old);
		list_add(&old->node, &dead);
	}
	if (atomic_read(&bft_marks_nr) >= BFT_MARKS_MAX) {
		ret = -ENOSPC;
	} else {
		list_add(&mark->node, &bft_marks);
		atomic_inc(&bft_marks_nr);
		mark = NULL;
	}
	spin_unlock(&bft_marks_lock);

	list_for_each_entry_safe(old, next, &dead, node)
		bft_mark_free(old);
	if (mark)
		bft_mark_free(mark);
	return ret;
}

/**
 * bft_mark_take - take the current thread's exec mark
 * @wrapper: if not NULL and the thread was marked, gets the mark's flags
 *	and label
 *
 * Called for every exec on the machine: without any mark it is one
 * atomic read.
 *
 * Return: whether the thread was marked.
 */
bool bft_mark_take(struct bft_wrapper *wrapper)
{
	struct bft_mark *mark;

	if (likely(!atomic_read(&bft_marks_nr)))
		return false;

	spin_lock(&bft_marks_lock);
	mark = bft_mark_find(task_pid(current));
	if (mark)
		bft_mark_unlink(mark);
	spin_unlock(&bft_marks_lock);
	if (!mark)
		return false;

	if (wrapper) {
		wrapper->flags = mark->flags;
		memcpy(wrapper->label, mark->label, sizeof(wrapper->label));
	}
	bft_mark_free(mark);
	return true;
}

/* "0", "1" or "1 FLAGS LABEL", as the file comment says. */
static ssize_t trace_next_exec_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	char buf[64], label[BFT_LABEL_LEN + 1] = "";
	unsigned int flags = 0;
	int on, n, ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	n = sscanf(buf, "%d %x %32s", &on, &flags, label);
	if (n < 1 || (on != 0 && on != 1) || (n > 1 && !on) ||
	    (flags & ~BFT_FLAGS_KNOWN))
		return -EINVAL;
	if (!on) {
		bft_mark_take(NULL);
		return count;
	}
	ret = bft_mark_current(flags, label);
	if (ret)
		return ret;
	/* Root marks; the marked exec may be another user's after setuid(). */
	bft_trace_size_grow();
	return count;
}

static const struct file_operations bft_trace_next_exec_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= trace_next_exec_write,
	.llseek	= noop_llseek,
};

/**
 * struct bft_users - whose wrapped execs are traced
 * @all: everyone's
 * @nr: else, how many uids follow (0: nobody's)
 * @uids: the uids
 * @rcu: freed after the readers
 */
struct bft_users {
	bool		all;
	unsigned int	nr;
	uid_t		uids[BFT_USERS_MAX];
	struct rcu_head	rcu;
};

static struct bft_users bft_users_default = { .nr = 1, .uids = { 0 } };
static struct bft_users __rcu *bft_users =
	RCU_INITIALIZER(&bft_users_default);

/* Parse "all", "none" or "UID,UID,...". */
static int bft_users_parse(const char *val, struct bft_users *users)
{
	char *copy, *cursor, *token;
	int ret = 0;

	copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cursor = strim(copy);
	if (!strcmp(cursor, "all")) {
		users->all = true;
		goto out;
	}
	if (!strcmp(cursor, "none") || !*cursor)
		goto out;
	while ((token = strsep(&cursor, ",")) != NULL) {
		if (users->nr == BFT_USERS_MAX ||
		    kstrtouint(strim(token), 10, &users->uids[users->nr])) {
			ret = -EINVAL;
			break;
		}
		users->nr++;
	}
out:
	kfree(copy);
	return ret;
}

static int bft_users_set(const char *val, const struct kernel_param *kp)
{
	struct bft_users *users, *old;
	int ret;

	users = kzalloc(sizeof(*users), GFP_KERNEL);
	if (!users)
		return -ENOMEM;
	ret = bft_users_parse(val, users);
	if (ret) {
		kfree(users);
		return ret;
	}
	/* Writers are serialized by the kernel_param lock. */
	old = rcu_replace_pointer(bft_users, users, true);
	if (old != &bft_users_default)
		kfree_rcu(old, rcu);
	/* Their execs may not grow idle buffers (trace_size.c): root does. */
	if (bft_users_others())
		bft_trace_size_grow();
	return 0;
}

static int bft_users_get(char *buffer, const struct kernel_param *kp)
{
	const struct bft_users *users;
	int len = 0;
	unsigned int i;

	rcu_read_lock();
	users = rcu_dereference(bft_users);
	if (users->all)
		len = scnprintf(buffer, PAGE_SIZE, "all");
	else if (!users->nr)
		len = scnprintf(buffer, PAGE_SIZE, "none");
	for (i = 0; !users->all && i < users->nr; i++)
		len += scnprintf(buffer + len, PAGE_SIZE - len, "%s%u",
				 i ? "," : "", users->uids[i]);
	len += scnprintf(buffer + len, PAGE_SIZE - len, "\n");
	rcu_read_unlock();
	return len;
}

static const struct kernel_param_ops bft_users_ops = {
	.set	= bft_users_set,
	.get	= bft_users_get,
};
module_param_cb(users, &bft_users_ops, NULL, 0644);
MODULE_PARM_DESC(users,
		 "whose execs of wrapped files are traced: all, none or uid,uid,... (default 0)");

/* Whether users= has "all", or a uid equal to @uid (unequal if @other). */
static bool bft_users_match(uid_t uid, bool other)
{
	const struct bft_users *users;
	bool match;
	unsigned int i;

	rcu_read_lock();
	users = rcu_dereference(bft_users);
	match = users->all;
	for (i = 0; !match && i < users->nr; i++)
		match = (users->uids[i] == uid) != other;
	rcu_read_unlock();
	return match;
}

/**
 * bft_users_others - whether users= names anyone but root
 *
 * Return: true for "all" or a uid other than 0.
 */
bool bft_users_others(void)
{
	return bft_users_match(0, true);
}

/**
 * bft_user_traced - whether the current task's wrapped exec is traced
 *
 * Return: true when the task's real uid is in the users parameter.
 */
bool bft_user_traced(void)
{
	return bft_users_match(from_kuid(&init_user_ns, current_uid()), false);
}

int bft_control_init(struct dentry *dir)
{
	struct dentry *dentry;

	dentry = debugfs_create_file("trace_next_exec", 0200, dir, NULL,
				     &bft_trace_next_exec_fops);
	if (IS_ERR(dentry)) {
		pr_err("cannot create debugfs file trace_next_exec: %ld\n",
		       PTR_ERR(dentry));
		return PTR_ERR(dentry);
	}
	return 0;
}

/* After unregister_binfmt(): nobody takes a mark any more. */
void bft_control_exit(void)
{
	struct bft_mark *mark, *next;
	struct bft_users *users;

	list_for_each_entry_safe(mark, next, &bft_marks, node) {
		bft_mark_unlink(mark);
		bft_mark_free(mark);
	}
	users = rcu_replace_pointer(bft_users, &bft_users_default, true);
	if (users != &bft_users_default)
		kfree_rcu(users, rcu);
}
