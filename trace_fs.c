// SPDX-License-Identifier: GPL-2.0
/*
 * Where the events go and how they are read: a tracefs instance of the
 * module's own, tracing/instances/binfmt_trace, with only the
 * binfmt_trace events enabled, and /sys/kernel/debug/binfmt_trace/.
 *
 * The instance is ftrace's: its ring buffers, its trace and trace_pipe
 * files, its buffer_size_kb, its overwrite policy (a full buffer drops
 * its oldest events, so the newest session is always whole).  Our
 * debugfs directory links trace, trace_pipe and buffer_size_kb to the
 * instance's files and keeps what ftrace has no file for: sessions,
 * stats, enable, and faults_raw (fault_ring.c).  docs/trace-format.md describes each one.
 *
 * The debugfs files' fops have .owner: debugfs takes a reference on the
 * module while one is open.  The links do not: a reader of trace_pipe
 * holds the instance, not the module (see bft_trace_fs_exit()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/trace.h>
#include <linux/trace_events.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "fault_hooks.h"
#include "session.h"
#include "trace.h"

/* The instance's name, and the event system it records. */
#define BFT_INSTANCE		KBUILD_MODNAME
#define BFT_EVENT_SYSTEM	"binfmt_trace"
/* From our debugfs directory to the instance, through tracefs' automount. */
#define BFT_INSTANCE_PATH	"../tracing/instances/" BFT_INSTANCE "/"

static struct trace_array *bft_tr;

/* Serializes writes to enable, so the flag and the instance agree. */
static DEFINE_MUTEX(bft_enable_lock);

static int sessions_file_show(struct seq_file *m, void *v)
{
	bft_sessions_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sessions_file);

/*
 * The writers do not stop while the counters are read: the per-CPU lines
 * may have moved on a little from the totals above them.
 */
static void stats_show_events(struct seq_file *m)
{
	unsigned long written, dropped, total_written = 0, total_dropped = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		bft_event_cpu_stats(cpu, &written, &dropped);
		total_written += written;
		total_dropped += dropped;
	}
	seq_printf(m, "events_written %lu\n", total_written);
	seq_printf(m, "events_dropped %lu\n", total_dropped);
	seq_printf(m, "cpus %u\n", num_possible_cpus());
	seq_printf(m, "enabled %d\n", READ_ONCE(bft_trace_enabled));

	for_each_possible_cpu(cpu) {
		bft_event_cpu_stats(cpu, &written, &dropped);
		seq_printf(m, "cpu%u_written %lu\n", cpu, written);
		seq_printf(m, "cpu%u_dropped %lu\n", cpu, dropped);
	}
}

static int stats_file_show(struct seq_file *m, void *v)
{
	stats_show_events(m);
	bft_sessions_stats(m);
	bft_probes_stats(m);
	bft_trace_size_stats(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats_file);

static ssize_t enable_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	const char *value = READ_ONCE(bft_trace_enabled) ? "1\n" : "0\n";

	return simple_read_from_buffer(ubuf, count, ppos, value, 2);
}

/* Recording on or off: new sessions, and the instance's events. */
static ssize_t enable_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	bool enable;
	int ret;

	ret = kstrtobool_from_user(ubuf, count, &enable);
	if (ret)
		return ret;
	mutex_lock(&bft_enable_lock);
	ret = trace_array_set_clr_event(bft_tr, BFT_EVENT_SYSTEM, NULL, enable);
	if (!ret)
		WRITE_ONCE(bft_trace_enabled, enable);
	mutex_unlock(&bft_enable_lock);
	return ret ? ret : count;
}

static const struct file_operations bft_enable_fops = {
	.owner		= THIS_MODULE,
	.read		= enable_read,
	.write		= enable_write,
	.llseek		= default_llseek,
};

/**
 * struct bft_trace_file - one file of the debugfs directory
 * @name: its name
 * @mode: its mode: root only, as the events show other users' programs
 * @fops: its operations; NULL for a link to the instance's file @name
 */
struct bft_trace_file {
	const char			*name;
	umode_t				mode;
	const struct file_operations	*fops;
};

static const struct bft_trace_file bft_trace_files[] = {
	{ "trace",		0,	NULL },
	{ "trace_pipe",		0,	NULL },
	{ "buffer_size_kb",	0,	NULL },
	{ "sessions",		0400,	&sessions_file_fops },
	{ "stats",		0400,	&stats_file_fops },
	{ "enable",		0600,	&bft_enable_fops },
	{ "faults_raw",		0400,	&bft_ring_fops },
};

static struct dentry *bft_trace_file_create(const struct bft_trace_file *f,
					    struct dentry *dir)
{
	char target[64];

	if (f->fops)
		return debugfs_create_file(f->name, f->mode, dir, NULL,
					   f->fops);
	snprintf(target, sizeof(target), BFT_INSTANCE_PATH "%s", f->name);
	return debugfs_create_symlink(f->name, dir, target);
}

/*
 * Drop our reference and remove the instance.  A process that has one of
 * its files open (a reader of trace_pipe) holds it: then it stays, empty
 * of our events once the module is gone, and a later insmod takes it up
 * again by its name.
 */
static void bft_instance_destroy(void)
{
	int ret;

	bft_trace_size_exit();
	trace_array_set_clr_event(bft_tr, BFT_EVENT_SYSTEM, NULL, false);
	trace_array_put(bft_tr);
	ret = trace_array_destroy(bft_tr);
	if (ret)
		pr_info("tracefs instance %s is in use (%d), left in place\n",
			BFT_INSTANCE, ret);
	bft_tr = NULL;
}

/*
 * The instance, recording our events only.  It keeps ftrace's default
 * clock ("local"): the kernel has no exported way to set another, and
 * tracing_set_clock() is sealed against indirect calls on IBT kernels.
 * Writing "mono" to the instance's trace_clock gives CLOCK_MONOTONIC
 * timestamps, like the times the events carry (since=, the sessions').
 */
static int bft_instance_create(void)
{
	int ret;

	bft_tr = bft_compat_trace_array_get(BFT_INSTANCE, BFT_EVENT_SYSTEM);
	if (!bft_tr) {
		pr_err("cannot create the tracefs instance %s\n", BFT_INSTANCE);
		return -ENOMEM;
	}
	ret = trace_array_set_clr_event(bft_tr, BFT_EVENT_SYSTEM, NULL, true);
	if (ret) {
		pr_err("cannot enable the %s events: %d\n", BFT_EVENT_SYSTEM,
		       ret);
		goto destroy;
	}
	bft_trace_size_init();
	return 0;

destroy:
	bft_instance_destroy();
	return ret;
}

/**
 * bft_trace_fs_init() - create the instance and the debugfs files
 * @dir: the module's debugfs directory
 *
 * The files live and die with @dir: its owner removes them with
 * debugfs_remove_recursive(), also when this fails half-way.
 *
 * Return: 0, or the error of the instance or of the first file that could
 * not be created.
 */
int bft_trace_fs_init(struct dentry *dir)
{
	const struct bft_trace_file *file;
	struct dentry *dentry;
	int ret;

	ret = bft_instance_create();
	if (ret)
		return ret;
	for (file = bft_trace_files;
	     file < bft_trace_files + ARRAY_SIZE(bft_trace_files); file++) {
		dentry = bft_trace_file_create(file, dir);
		if (IS_ERR(dentry)) {
			pr_err("cannot create debugfs file %s: %ld\n",
			       file->name, PTR_ERR(dentry));
			bft_instance_destroy();
			return PTR_ERR(dentry);
		}
	}
	return 0;
}

/* After the debugfs directory is gone: no enable write can race. */
void bft_trace_fs_exit(void)
{
	if (bft_tr)
		bft_instance_destroy();
}
