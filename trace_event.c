// SPDX-License-Identifier: GPL-2.0
/*
 * Writing an event: a per-CPU scratch record, filled between
 * bft_event_begin() and bft_event_commit(), which fires the matching
 * binfmt_trace:* tracepoint and counts the event for its session.
 *
 * The events have no buffer of their own: the tracepoints write them into
 * the kernel's tracing ring buffers, the module's own tracefs instance
 * (trace_fs.c) and whoever else enabled them (perf, trace-cmd, another
 * instance).  Writers are the loader and the fault, fork, exit and
 * memory-map system call probes,
 * all in process context, with preemption disabled from begin to commit,
 * so each CPU's scratch record has one writer at a time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "session.h"
#include "trace.h"

#define BFT_EVENT_STR_ROOM \
	(BFT_EVENT_MAX_SIZE - offsetof(struct bft_event, str))

/* Recording is on from module load; the enable file switches it. */
bool bft_trace_enabled = true;

/**
 * struct bft_writer - one CPU's event being written, and its counters
 * @scratch: the record bft_event_begin() hands out
 * @session: the session of the event being written; NULL when none is
 * @path: PATH_MAX bytes where bft_event_put_path() builds a path
 * @written: events this CPU handed to the tracepoints
 * @dropped: events this CPU could not write: a begin nested in another
 */
struct bft_writer {
	struct bft_event	*scratch;
	struct bft_session	*session;
	char			*path;
	unsigned long		written;
	unsigned long		dropped;
};

static DEFINE_PER_CPU(struct bft_writer, bft_writers);

/* The header of a new event, and a payload of zeroes. */
static void event_start(struct bft_event *ev, struct bft_session *session,
			enum bft_event_type type)
{
	memset(ev, 0, offsetof(struct bft_event, str));
	ev->type = type;
	ev->session = bft_session_id(session);
	ev->ts = ktime_get_ns();
	ev->pid = task_tgid_nr(current);
	ev->tid = task_pid_nr(current);
}

/**
 * bft_event_begin() - start writing an event
 * @session: the session the event belongs to
 * @type: its enum bft_event_type
 *
 * Disables preemption until bft_event_commit(): the caller must not sleep
 * or fault in between.  A begin nested in another on the same CPU (a probe
 * hit between begin and commit) would overwrite the record being written,
 * so it is counted as dropped instead.
 *
 * Return: this CPU's scratch record with the header filled in and the
 * payload zeroed, or NULL when recording is off or there is no session.
 */
struct bft_event *bft_event_begin(struct bft_session *session,
				  enum bft_event_type type)
{
	struct bft_writer *writer;

	if (!READ_ONCE(bft_trace_enabled) || !session)
		return NULL;

	preempt_disable();
	writer = this_cpu_ptr(&bft_writers);
	if (unlikely(writer->session)) {
		WRITE_ONCE(writer->dropped, writer->dropped + 1);
		preempt_enable();
		bft_session_note_event(session, false);
		return NULL;
	}
	writer->session = session;
	event_start(writer->scratch, session, type);
	return writer->scratch;
}

/* Bytes a string value holds as \xNN: docs/trace-format.md. */
static bool bft_byte_needs_escape(unsigned char c)
{
	return c < 0x21 || c > 0x7e || c == '\\' || c == '=';
}

static size_t bft_escaped_len(unsigned char c)
{
	return bft_byte_needs_escape(c) ? 4 : 1;
}

/*
 * Write @s escaped at @dst, in at most @max bytes with the NUL: whole if
 * it fits, else as many whole characters as leave room for
 * BFT_EVENT_STR_CUT.  Return: the bytes written, NUL not included.
 */
static size_t bft_escape(char *dst, const char *s, size_t max)
{
	const size_t cut_len = sizeof(BFT_EVENT_STR_CUT) - 1;
	size_t len = 0, need = 0;
	const char *p;

	for (p = s; *p; p++)
		need += bft_escaped_len(*p);
	for (p = s; *p; p++) {
		size_t n = bft_escaped_len(*p);

		if (need >= max && len + n + cut_len >= max)
			break;
		if (n == 1)
			dst[len] = *p;
		else
			snprintf(dst + len, 5, "\\x%02x", (unsigned char)*p);
		len += n;
	}
	if (*p) {
		memcpy(dst + len, BFT_EVENT_STR_CUT, cut_len);
		len += cut_len;
	}
	dst[len] = '\0';
	return len;
}

/**
 * bft_event_put_str() - append a string to an event, as it prints
 * @ev: the event from bft_event_begin()
 * @off: where in @ev->str the string goes: 0, or what the previous call
 *	returned
 * @s: the string; NULL is taken as ""
 *
 * The string is stored escaped, "-" when empty, so that every reader of
 * the record (the tracepoints' TP_printk() included) prints it as is.
 * One longer than BFT_EVENT_STR_MAX once escaped is cut and ends in
 * BFT_EVENT_STR_CUT.
 *
 * Return: the offset after the string's NUL, to pass on to the next call
 * and at last to bft_event_commit().
 */
size_t bft_event_put_str(struct bft_event *ev, size_t off, const char *s)
{
	if (off + BFT_EVENT_STR_MAX > BFT_EVENT_STR_ROOM)
		return off;
	if (!s || !*s)
		s = "-";
	return off + bft_escape(ev->str + off, s, BFT_EVENT_STR_MAX) + 1;
}

/**
 * bft_file_path() - the path of a file, as /proc/PID/maps shows it
 * @file: the file
 * @buf: where to build it
 * @size: the bytes @buf has
 *
 * d_path(): it sleeps on PREEMPT_RT, where a reader of rename_lock or
 * mount_lock that meets a writer takes the writer's (sleeping) lock; so
 * there it must not be called with preemption off.  A path that does not
 * fit in @size is replaced by the file's name.
 *
 * Return: the path, somewhere in @buf.
 */
const char *bft_file_path(const struct file *file, char *buf, size_t size)
{
	char *p = d_path(&file->f_path, buf, size);

	if (IS_ERR(p)) {
		snprintf(buf, size, "%pD", file);
		p = buf;
	}
	return p;
}

/**
 * bft_event_put_path() - append the path of a file to an event
 * @ev: the event from bft_event_begin()
 * @off: as for bft_event_put_str()
 * @file: the file, or NULL for "-"
 *
 * bft_file_path() between begin and commit, preemption off: not on
 * PREEMPT_RT, where it may sleep.
 *
 * Return: as bft_event_put_str().
 */
size_t bft_event_put_path(struct bft_event *ev, size_t off,
			  const struct file *file)
{
	char *buf = this_cpu_ptr(&bft_writers)->path;

	/* The per-CPU buffer is ours only between begin and commit. */
	lockdep_assert_preemption_disabled();
	if (!file)
		return bft_event_put_str(ev, off, NULL);
	return bft_event_put_str(ev, off, bft_file_path(file, buf, PATH_MAX));
}

/*
 * Set the size of @ev and zero the bytes that round it up to 8, so that no
 * byte of an earlier event goes to the ring or the tracepoint.
 */
static void event_seal(struct bft_event *ev, size_t str_len)
{
	size_t used = offsetof(struct bft_event, str) + str_len;

	BUILD_BUG_ON(BFT_EVENT_MAX_SIZE > U16_MAX);
	ev->size = ALIGN(used, 8);
	memset((char *)ev + used, 0, ev->size - used);
}

/**
 * bft_event_commit() - publish the event from bft_event_begin()
 * @ev: the event
 * @str_len: the bytes of @ev->str used, as bft_event_put_str() returned
 *
 * Fires the tracepoint, counts the event for its CPU and its session,
 * and re-enables preemption.  Whether a ring buffer took it is the
 * tracing core's business: a full one overwrites its oldest events.
 */
void bft_event_commit(struct bft_event *ev, size_t str_len)
{
	struct bft_writer *writer = this_cpu_ptr(&bft_writers);
	struct bft_session *session = writer->session;

	event_seal(ev, min_t(size_t, str_len, BFT_EVENT_STR_ROOM));
	bft_tracepoint_fire(ev);
	WRITE_ONCE(writer->written, writer->written + 1);
	writer->session = NULL;
	bft_session_note_event(session, true);
	preempt_enable();
}

/**
 * bft_event_cpu_stats() - one CPU's counters
 * @cpu: the CPU
 * @written: events it handed to the tracepoints
 * @dropped: events it could not write
 */
void bft_event_cpu_stats(unsigned int cpu, unsigned long *written,
			 unsigned long *dropped)
{
	const struct bft_writer *writer = per_cpu_ptr(&bft_writers, cpu);

	*written = READ_ONCE(writer->written);
	*dropped = READ_ONCE(writer->dropped);
}

static void writers_free(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		kfree(per_cpu_ptr(&bft_writers, cpu)->scratch);
		kfree(per_cpu_ptr(&bft_writers, cpu)->path);
	}
}

/**
 * bft_buffer_init() - allocate the scratch records
 *
 * Return: 0 or -ENOMEM.
 */
int bft_buffer_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct bft_writer *writer = per_cpu_ptr(&bft_writers, cpu);

		writer->scratch = kmalloc_node(BFT_EVENT_MAX_SIZE, GFP_KERNEL,
					       cpu_to_node(cpu));
		writer->path = kmalloc_node(PATH_MAX, GFP_KERNEL,
					    cpu_to_node(cpu));
		if (!writer->scratch || !writer->path) {
			writers_free();
			return -ENOMEM;
		}
	}
	return 0;
}

/* Call once no writer can be running. */
void bft_buffer_exit(void)
{
	writers_free();
}
