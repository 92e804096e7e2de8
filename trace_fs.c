// SPDX-License-Identifier: GPL-2.0
/*
 * The files in /sys/kernel/debug/binfmt_trace/, after ftrace's: trace
 * shows the buffer without consuming it, trace_pipe consumes it, and the
 * other files are small knobs and counters.  docs/trace-format.md
 * describes each one.
 *
 * Every file_operations has .owner: debugfs takes a reference on the
 * module for as long as a file is open, so rmmod says the module is in
 * use rather than freeing the buffer under a reader.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "session.h"
#include "trace.h"
#include "trace_buf.h"

/**
 * struct bft_trace_iter - one open of the trace file
 * @snap: the events in the buffer when the file was opened
 * @line: the line being printed
 */
struct bft_trace_iter {
	struct bft_snapshot	*snap;
	char			*line;
};

static void *trace_start(struct seq_file *m, loff_t *pos)
{
	struct bft_trace_iter *iter = m->private;

	return bft_snapshot_event(iter->snap, *pos);
}

static void *trace_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct bft_trace_iter *iter = m->private;

	++*pos;
	return bft_snapshot_event(iter->snap, *pos);
}

static void trace_stop(struct seq_file *m, void *v)
{
}

static int trace_show(struct seq_file *m, void *v)
{
	struct bft_trace_iter *iter = m->private;
	int len = bft_event_format(v, iter->line, BFT_LINE_MAX);

	seq_write(m, iter->line, len);
	return 0;
}

static const struct seq_operations bft_trace_seq_ops = {
	.start	= trace_start,
	.next	= trace_next,
	.stop	= trace_stop,
	.show	= trace_show,
};

static int trace_open_snapshot(struct inode *inode, struct file *file)
{
	struct bft_trace_iter *iter;
	int ret = -ENOMEM;

	iter = __seq_open_private(file, &bft_trace_seq_ops, sizeof(*iter));
	if (!iter)
		return -ENOMEM;
	iter->line = kvmalloc(BFT_LINE_MAX, GFP_KERNEL);
	if (!iter->line)
		goto release;
	iter->snap = bft_snapshot_take();
	if (IS_ERR(iter->snap)) {
		ret = PTR_ERR(iter->snap);
		goto free_line;
	}
	return 0;

free_line:
	kvfree(iter->line);
release:
	seq_release_private(inode, file);
	return ret;
}

static int trace_open(struct inode *inode, struct file *file)
{
	/* As with ftrace's trace file, "echo > trace" empties the buffer. */
	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		bft_buffer_clear();
	if (!(file->f_mode & FMODE_READ))
		return 0;
	return trace_open_snapshot(inode, file);
}

static int trace_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct bft_trace_iter *iter;

	if (!(file->f_mode & FMODE_READ))
		return 0;
	iter = m->private;
	bft_snapshot_free(iter->snap);
	kvfree(iter->line);
	return seq_release_private(inode, file);
}

/* Opening with O_TRUNC did the work; what is written is ignored. */
static ssize_t trace_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	return count;
}

/* A write-only open has no seq_file to seek in. */
static loff_t trace_lseek(struct file *file, loff_t offset, int whence)
{
	if (file->f_mode & FMODE_READ)
		return seq_lseek(file, offset, whence);
	file->f_pos = 0;
	return 0;
}

static const struct file_operations bft_trace_fops = {
	.owner		= THIS_MODULE,
	.open		= trace_open,
	.read		= seq_read,
	.write		= trace_write,
	.llseek		= trace_lseek,
	.release	= trace_release,
};

/**
 * struct bft_pipe_reader - one open of trace_pipe
 * @lock: serializes the reads of this open file, and poll's look at @pos
 * @ev: the event taken from the buffer
 * @line: its text
 * @len: the length of @line
 * @pos: how much of @line has been read; less than @len when the last
 *	read() had no room for the whole line
 */
struct bft_pipe_reader {
	struct mutex		lock;	/* serializes the reads of this file */
	struct bft_event	*ev;
	char			*line;
	size_t			len;
	size_t			pos;
};

static int trace_pipe_open(struct inode *inode, struct file *file)
{
	struct bft_pipe_reader *reader;

	reader = kzalloc(sizeof(*reader), GFP_KERNEL);
	if (!reader)
		return -ENOMEM;
	reader->ev = kmalloc(BFT_EVENT_MAX_SIZE, GFP_KERNEL);
	if (!reader->ev)
		goto free_reader;
	reader->line = kvmalloc(BFT_LINE_MAX, GFP_KERNEL);
	if (!reader->line)
		goto free_ev;

	mutex_init(&reader->lock);
	file->private_data = reader;
	return nonseekable_open(inode, file);

free_ev:
	kfree(reader->ev);
free_reader:
	kfree(reader);
	return -ENOMEM;
}

static int trace_pipe_release(struct inode *inode, struct file *file)
{
	struct bft_pipe_reader *reader = file->private_data;

	mutex_destroy(&reader->lock);
	kvfree(reader->line);
	kfree(reader->ev);
	kfree(reader);
	return 0;
}

/* Take the next event out of the buffer as the line to read. */
static bool pipe_next_line(struct bft_pipe_reader *reader)
{
	if (!bft_buffer_consume(reader->ev))
		return false;
	reader->len = bft_event_format(reader->ev, reader->line, BFT_LINE_MAX);
	reader->pos = 0;
	return true;
}

/**
 * pipe_copy_lines() - copy the lines of the buffered events to userspace
 * @reader: the open file, locked
 * @ubuf: the user's buffer
 * @count: its size, not 0
 *
 * Copies whole lines while they fit, and at least one line: a line longer
 * than @count is copied in part and finished by the next reads.  A line
 * that is taken out of the buffer but does not fit waits in @reader, so
 * nothing is lost between reads.
 *
 * Return: the bytes copied, 0 when the buffer is empty, or -EFAULT.
 */
static ssize_t pipe_copy_lines(struct bft_pipe_reader *reader,
			       char __user *ubuf, size_t count)
{
	size_t done = 0;

	while (done < count) {
		size_t n;

		if (reader->pos == reader->len && !pipe_next_line(reader))
			break;
		n = reader->len - reader->pos;
		if (done && n > count - done)
			break;
		n = min(n, count - done);
		if (copy_to_user(ubuf + done, reader->line + reader->pos, n))
			return done ? done : -EFAULT;
		reader->pos += n;
		done += n;
	}
	return done;
}

static ssize_t trace_pipe_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct bft_pipe_reader *reader = file->private_data;
	ssize_t ret;

	if (!count)
		return 0;
	for (;;) {
		if (mutex_lock_interruptible(&reader->lock))
			return -ERESTARTSYS;
		ret = pipe_copy_lines(reader, ubuf, count);
		mutex_unlock(&reader->lock);
		if (ret)
			return ret;

		/* Another reader may take the event we wake for: loop. */
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(bft_buffer_wait,
					       !bft_buffer_empty());
		if (ret)
			return ret;
	}
}

static __poll_t trace_pipe_poll(struct file *file, poll_table *wait)
{
	struct bft_pipe_reader *reader = file->private_data;
	bool pending;

	poll_wait(file, &bft_buffer_wait, wait);
	mutex_lock(&reader->lock);
	pending = reader->pos != reader->len;
	mutex_unlock(&reader->lock);
	if (pending || !bft_buffer_empty())
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static const struct file_operations bft_trace_pipe_fops = {
	.owner		= THIS_MODULE,
	.open		= trace_pipe_open,
	.read		= trace_pipe_read,
	.poll		= trace_pipe_poll,
	.release	= trace_pipe_release,
};

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
static void stats_show_buffer(struct seq_file *m)
{
	struct bft_buffer_stats total = {}, stats;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		bft_buffer_cpu_stats(cpu, &stats);
		total.written += stats.written;
		total.dropped += stats.dropped;
		total.used += stats.used;
	}
	seq_printf(m, "events_written %lu\n", total.written);
	seq_printf(m, "events_dropped %lu\n", total.dropped);
	seq_printf(m, "buffer_size_kb %u\n", bft_buffer_size_kb());
	seq_printf(m, "buffer_used_bytes %lu\n", total.used);
	seq_printf(m, "cpus %u\n", num_possible_cpus());
	seq_printf(m, "enabled %d\n", READ_ONCE(bft_trace_enabled));

	for_each_possible_cpu(cpu) {
		bft_buffer_cpu_stats(cpu, &stats);
		seq_printf(m, "cpu%u_written %lu\n", cpu, stats.written);
		seq_printf(m, "cpu%u_dropped %lu\n", cpu, stats.dropped);
	}
}

static int stats_file_show(struct seq_file *m, void *v)
{
	stats_show_buffer(m);
	bft_sessions_stats(m);
	bft_probes_stats(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats_file);

static ssize_t buffer_size_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%u\n", bft_buffer_size_kb());
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t buffer_size_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	unsigned int size_kb;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 10, &size_kb);
	if (ret)
		return ret;
	ret = bft_buffer_resize(size_kb);
	return ret ? ret : count;
}

static const struct file_operations bft_buffer_size_fops = {
	.owner		= THIS_MODULE,
	.read		= buffer_size_read,
	.write		= buffer_size_write,
	.llseek		= default_llseek,
};

static ssize_t enable_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	const char *value = READ_ONCE(bft_trace_enabled) ? "1\n" : "0\n";

	return simple_read_from_buffer(ubuf, count, ppos, value, 2);
}

static ssize_t enable_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	bool enable;
	int ret;

	ret = kstrtobool_from_user(ubuf, count, &enable);
	if (ret)
		return ret;
	WRITE_ONCE(bft_trace_enabled, enable);
	return count;
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
 * @fops: its operations
 */
struct bft_trace_file {
	const char			*name;
	umode_t				mode;
	const struct file_operations	*fops;
};

static const struct bft_trace_file bft_trace_files[] = {
	{ "trace",		0600,	&bft_trace_fops },
	{ "trace_pipe",		0400,	&bft_trace_pipe_fops },
	{ "sessions",		0400,	&sessions_file_fops },
	{ "stats",		0400,	&stats_file_fops },
	{ "buffer_size_kb",	0600,	&bft_buffer_size_fops },
	{ "enable",		0600,	&bft_enable_fops },
};

/**
 * bft_trace_fs_init() - create the trace files
 * @dir: the module's debugfs directory
 *
 * Call after bft_buffer_init(): the files read the buffer from the moment
 * they exist.  The files live and die with @dir: its owner removes them
 * with debugfs_remove_recursive(), also when this fails half-way.
 *
 * Return: 0, or the error of the first file that could not be created.
 */
int bft_trace_fs_init(struct dentry *dir)
{
	const struct bft_trace_file *file;
	struct dentry *dentry;

	for (file = bft_trace_files;
	     file < bft_trace_files + ARRAY_SIZE(bft_trace_files); file++) {
		dentry = debugfs_create_file(file->name, file->mode, dir, NULL,
					     file->fops);
		if (IS_ERR(dentry)) {
			pr_err("cannot create debugfs file %s: %ld\n",
			       file->name, PTR_ERR(dentry));
			return PTR_ERR(dentry);
		}
	}
	return 0;
}

/*
 * Nothing to undo: the files go with the directory, and no reader can be
 * left, since an open file holds the module.  The dentries are not kept,
 * so this is safe before and after the directory is removed.
 */
void bft_trace_fs_exit(void)
{
}
