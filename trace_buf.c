// SPDX-License-Identifier: GPL-2.0
/*
 * The event buffer: one ring of variable-size records per CPU.
 *
 * Writers are the loader and the fault, fork and exit probes, all in
 * process context.  A writer fills its CPU's scratch record between
 * bft_event_begin() and bft_event_commit() with preemption disabled, so
 * each ring has exactly one producer at a time and needs no lock; and
 * since no interrupt or NMI ever writes, nothing can nest inside it.
 * Readers on any CPU take bft_consume_lock, so each ring has one consumer
 * at a time too.
 *
 * head and tail are free-running byte counts: head - tail bytes are in
 * use, and a position is an offset into the ring once masked, which is why
 * a ring's size is a power of two.  The producer publishes a record with a
 * release store of head; a consumer frees one with a release store of
 * tail.  A record never wraps: when it does not fit before the end of the
 * ring, a padding record (type 0) fills the end and the record starts at
 * offset 0.  A full ring drops the new event and counts it, as blktrace
 * does: the traced program never waits for a reader.
 *
 * Each CPU's ring is in timestamp order, because a CPU commits its events
 * in the order it began them; readers merge the CPUs by timestamp.
 *
 * Resizing replaces all rings: writers, with preemption disabled, are in
 * an RCU read-side critical section, so the old rings are freed after
 * synchronize_rcu().  It empties the buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "session.h"
#include "trace.h"
#include "trace_buf.h"

#define BFT_EVENT_STR_ROOM \
	(BFT_EVENT_MAX_SIZE - offsetof(struct bft_event, str))

/* Recording is on from module load; the enable file switches it. */
bool bft_trace_enabled = true;

DECLARE_WAIT_QUEUE_HEAD(bft_buffer_wait);

/**
 * struct bft_writer - one CPU's event being written, and its counters
 * @scratch: the record bft_event_begin() hands out
 * @session: the session of the event being written; NULL when none is
 * @written: events copied into this CPU's ring
 * @dropped: events this CPU could not copy
 */
struct bft_writer {
	struct bft_event	*scratch;
	struct bft_session	*session;
	unsigned long		written;
	unsigned long		dropped;
};

static DEFINE_PER_CPU(struct bft_writer, bft_writers);

/**
 * struct bft_ring - one CPU's ring
 * @data: the records, vmalloc'd
 * @head: bytes ever written; stored by this CPU's writer only
 * @tail: bytes ever consumed; stored under bft_consume_lock only
 */
struct bft_ring {
	char		*data;
	unsigned long	head;
	unsigned long	tail;
};

/**
 * struct bft_rings - the rings of all CPUs, replaced as one by a resize
 * @size: bytes per ring, a power of two
 * @ring: one ring per possible CPU
 */
struct bft_rings {
	unsigned long		size;
	struct bft_ring __percpu *ring;
};

static struct bft_rings __rcu *bft_rings;

/* Serializes the consumers: trace_pipe, snapshots, clear and resize. */
static DEFINE_MUTEX(bft_consume_lock);

/**
 * struct bft_cursor - a reader's position in one CPU's records
 * @data: the records
 * @mask: applied to @pos to get an offset: a ring's size - 1, or
 *	ULONG_MAX for the linear copy of a snapshot
 * @pos: the next record
 * @end: where the records end
 */
struct bft_cursor {
	char		*data;
	unsigned long	mask;
	unsigned long	pos;
	unsigned long	end;
};

/* Per CPU cursors for bft_buffer_consume(), under bft_consume_lock. */
static struct bft_cursor *bft_consume_cursors;

/* vfree(NULL) does nothing: this also undoes a rings_alloc() cut short. */
static void rings_free_data(struct bft_rings *rings)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		vfree(per_cpu_ptr(rings->ring, cpu)->data);
}

static void rings_free(struct bft_rings *rings)
{
	rings_free_data(rings);
	free_percpu(rings->ring);
	kfree(rings);
}

static struct bft_rings *rings_alloc(unsigned int size_kb)
{
	struct bft_rings *rings;
	unsigned int cpu;

	rings = kzalloc(sizeof(*rings), GFP_KERNEL);
	if (!rings)
		return NULL;
	rings->size = (unsigned long)size_kb * SZ_1K;
	rings->ring = alloc_percpu(struct bft_ring);
	if (!rings->ring)
		goto free_rings;

	for_each_possible_cpu(cpu) {
		struct bft_ring *ring = per_cpu_ptr(rings->ring, cpu);

		ring->data = vmalloc_node(rings->size, cpu_to_node(cpu));
		if (!ring->data)
			goto free_data;
	}
	return rings;

free_data:
	rings_free_data(rings);
	free_percpu(rings->ring);
free_rings:
	kfree(rings);
	return NULL;
}

/* Fill [off, off + len) up to the end of the ring with one padding record. */
static void ring_pad(char *data, unsigned long off, unsigned long len)
{
	struct bft_event *pad = (struct bft_event *)(data + off);

	pad->size = len;
	pad->type = 0;
}

/*
 * Copy @ev into @ring, or return false when it does not fit.  Only the
 * ring's CPU calls this, with preemption disabled.
 */
static bool ring_write(struct bft_ring *ring, unsigned long size,
		       const struct bft_event *ev)
{
	unsigned long head = ring->head;
	unsigned long off = head & (size - 1);
	unsigned long pad = 0;
	unsigned long tail;

	/* Pairs with ring_consumed(): the bytes freed are no longer read. */
	tail = smp_load_acquire(&ring->tail);
	if (off + ev->size > size)
		pad = size - off;
	if (head + pad + ev->size - tail > size)
		return false;

	if (pad) {
		ring_pad(ring->data, off, pad);
		head += pad;
		off = 0;
	}
	memcpy(ring->data + off, ev, ev->size);
	/* Pairs with ring_cursor(): a reader sees the record whole. */
	smp_store_release(&ring->head, head + ev->size);
	return true;
}

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
	ev->cpu = smp_processor_id();
	/* Lockless: a racing set_task_comm() can only garble the name. */
	memcpy(ev->comm, current->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
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
 * Fires the tracepoint, copies @ev into this CPU's ring if there is room,
 * tells the session whether it did, and re-enables preemption.
 */
void bft_event_commit(struct bft_event *ev, size_t str_len)
{
	struct bft_writer *writer = this_cpu_ptr(&bft_writers);
	struct bft_session *session = writer->session;
	struct bft_rings *rings = rcu_dereference_sched(bft_rings);
	bool written;

	event_seal(ev, min_t(size_t, str_len, BFT_EVENT_STR_ROOM));
	bft_tracepoint_fire(ev);

	written = ring_write(this_cpu_ptr(rings->ring), rings->size, ev);
	if (written)
		WRITE_ONCE(writer->written, writer->written + 1);
	else
		WRITE_ONCE(writer->dropped, writer->dropped + 1);
	writer->session = NULL;
	bft_session_note_event(session, written);
	preempt_enable();

	if (written && wq_has_sleeper(&bft_buffer_wait))
		wake_up_interruptible(&bft_buffer_wait);
}

/* A record the writer never made: stop reading this CPU's records. */
static bool cursor_corrupt(const struct bft_cursor *c,
			   const struct bft_event *ev)
{
	if (ev->size && IS_ALIGNED(ev->size, 8) &&
	    ev->size <= c->end - c->pos &&
	    (!ev->type || ev->size >= offsetof(struct bft_event, str)))
		return false;
	WARN_ONCE(1, "corrupt record at %lu: size %u type %u\n",
		  c->pos, ev->size, ev->type);
	return true;
}

/* The record at @c, skipping padding; NULL at the end. */
static struct bft_event *cursor_peek(struct bft_cursor *c)
{
	while (c->pos != c->end) {
		struct bft_event *ev;

		ev = (struct bft_event *)(c->data + (c->pos & c->mask));
		if (cursor_corrupt(c, ev)) {
			c->pos = c->end;
			break;
		}
		if (ev->type)
			return ev;
		c->pos += ev->size;
	}
	return NULL;
}

/* The CPU whose next record is the oldest, or -1 when all are empty. */
static int cursors_oldest(struct bft_cursor *cursors)
{
	const struct bft_event *oldest = NULL;
	int oldest_cpu = -1;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		const struct bft_event *ev = cursor_peek(&cursors[cpu]);

		if (ev && (!oldest || ev->ts < oldest->ts)) {
			oldest = ev;
			oldest_cpu = cpu;
		}
	}
	return oldest_cpu;
}

static struct bft_rings *rings_locked(void)
{
	return rcu_dereference_protected(bft_rings,
					 lockdep_is_held(&bft_consume_lock));
}

/* A cursor over the records of @cpu's ring, under bft_consume_lock. */
static void ring_cursor(struct bft_rings *rings, unsigned int cpu,
			struct bft_cursor *c)
{
	struct bft_ring *ring = per_cpu_ptr(rings->ring, cpu);

	c->data = ring->data;
	c->mask = rings->size - 1;
	c->pos = ring->tail;
	/* Pairs with ring_write(): the records up to head are written. */
	c->end = smp_load_acquire(&ring->head);
}

/* Free what @c has read in @cpu's ring. */
static void ring_consumed(struct bft_rings *rings, unsigned int cpu,
			  const struct bft_cursor *c)
{
	struct bft_ring *ring = per_cpu_ptr(rings->ring, cpu);

	if (ring->tail == c->pos)
		return;
	/* Pairs with ring_write(): done reading before the space is reused. */
	smp_store_release(&ring->tail, c->pos);
}

/**
 * bft_buffer_consume() - take the oldest event out of the buffer
 * @ev: where to copy it, BFT_EVENT_MAX_SIZE bytes
 *
 * Return: true when an event was copied, false when the buffer is empty.
 */
bool bft_buffer_consume(struct bft_event *ev)
{
	struct bft_cursor *cursors = bft_consume_cursors;
	struct bft_rings *rings;
	unsigned int cpu;
	int oldest;

	mutex_lock(&bft_consume_lock);
	rings = rings_locked();
	for_each_possible_cpu(cpu)
		ring_cursor(rings, cpu, &cursors[cpu]);

	oldest = cursors_oldest(cursors);
	if (oldest >= 0) {
		const struct bft_event *rec = cursor_peek(&cursors[oldest]);

		memcpy(ev, rec, rec->size);
		cursors[oldest].pos += rec->size;
	}

	/* Also frees the padding cursors_oldest() stepped over. */
	for_each_possible_cpu(cpu)
		ring_consumed(rings, cpu, &cursors[cpu]);
	mutex_unlock(&bft_consume_lock);
	return oldest >= 0;
}

/*
 * Lockless, for trace_pipe's wait and poll: true only when every ring is
 * empty.  A ring holding just padding counts as not empty; the next
 * bft_buffer_consume() frees it.
 */
bool bft_buffer_empty(void)
{
	struct bft_rings *rings;
	bool empty = true;
	unsigned int cpu;

	rcu_read_lock();
	rings = rcu_dereference(bft_rings);
	for_each_possible_cpu(cpu) {
		struct bft_ring *ring = per_cpu_ptr(rings->ring, cpu);

		if (READ_ONCE(ring->head) != READ_ONCE(ring->tail)) {
			empty = false;
			break;
		}
	}
	rcu_read_unlock();
	return empty;
}

/* Discard every event; the writers may go on writing meanwhile. */
void bft_buffer_clear(void)
{
	struct bft_rings *rings;
	unsigned int cpu;

	mutex_lock(&bft_consume_lock);
	rings = rings_locked();
	for_each_possible_cpu(cpu) {
		struct bft_ring *ring = per_cpu_ptr(rings->ring, cpu);

		/* As ring_cursor() and ring_consumed(), with nothing read. */
		smp_store_release(&ring->tail, smp_load_acquire(&ring->head));
	}
	mutex_unlock(&bft_consume_lock);
}

unsigned int bft_buffer_size_kb(void)
{
	unsigned int size_kb;

	rcu_read_lock();
	size_kb = rcu_dereference(bft_rings)->size / SZ_1K;
	rcu_read_unlock();
	return size_kb;
}

/**
 * bft_buffer_resize() - give every CPU a new, empty ring
 * @size_kb: the size of each, between BFT_BUFFER_SIZE_KB_MIN and
 *	BFT_BUFFER_SIZE_KB_MAX; rounded up to a power of two
 *
 * Every event in the buffer is lost, and so are the events being written
 * while the rings are swapped; they still count as written.
 *
 * Return: 0, -EINVAL for a size out of bounds, or -ENOMEM, which leaves
 * the old rings in place.
 */
int bft_buffer_resize(unsigned int size_kb)
{
	struct bft_rings *rings, *old;

	if (size_kb < BFT_BUFFER_SIZE_KB_MIN || size_kb > BFT_BUFFER_SIZE_KB_MAX)
		return -EINVAL;
	rings = rings_alloc(roundup_pow_of_two(size_kb));
	if (!rings)
		return -ENOMEM;

	mutex_lock(&bft_consume_lock);
	old = rcu_replace_pointer(bft_rings, rings,
				  lockdep_is_held(&bft_consume_lock));
	mutex_unlock(&bft_consume_lock);

	synchronize_rcu();
	rings_free(old);
	return 0;
}

void bft_buffer_cpu_stats(unsigned int cpu, struct bft_buffer_stats *stats)
{
	const struct bft_writer *writer = per_cpu_ptr(&bft_writers, cpu);
	struct bft_ring *ring;

	stats->written = READ_ONCE(writer->written);
	stats->dropped = READ_ONCE(writer->dropped);

	rcu_read_lock();
	ring = per_cpu_ptr(rcu_dereference(bft_rings)->ring, cpu);
	stats->used = READ_ONCE(ring->head) - READ_ONCE(ring->tail);
	rcu_read_unlock();
}

/**
 * struct bft_snapshot - a copy of every ring's records, in time order
 * @data: the records of each CPU, one CPU after the other
 * @events: pointers into @data, oldest first
 * @nr_events: how many
 */
struct bft_snapshot {
	char			*data;
	struct bft_event	**events;
	size_t			nr_events;
};

/* Copy the @len bytes at @c into @dst, unwrapping the ring. */
static void cursor_copy(const struct bft_cursor *c, char *dst,
			unsigned long len)
{
	unsigned long off = c->pos & c->mask;
	unsigned long first = min(len, c->mask + 1 - off);

	memcpy(dst, c->data + off, first);
	memcpy(dst + first, c->data, len - first);
}

/*
 * Copy the records of every ring into @snap->data and point @cursors at
 * the copies.  Under bft_consume_lock: no record can be consumed, and the
 * writers only write past the heads read here.
 */
static int snapshot_copy(struct bft_snapshot *snap,
			 struct bft_cursor *cursors)
{
	struct bft_rings *rings = rings_locked();
	unsigned long total = 0, at = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		ring_cursor(rings, cpu, &cursors[cpu]);
		total += cursors[cpu].end - cursors[cpu].pos;
	}
	if (!total)
		return 0;
	snap->data = vmalloc(total);
	if (!snap->data)
		return -ENOMEM;

	for_each_possible_cpu(cpu) {
		struct bft_cursor *c = &cursors[cpu];
		unsigned long len = c->end - c->pos;

		cursor_copy(c, snap->data + at, len);
		c->data = snap->data + at;
		c->mask = ULONG_MAX;
		c->pos = 0;
		c->end = len;
		at += len;
	}
	return 0;
}

/* How many records are left at @start. */
static size_t cursor_count(const struct bft_cursor *start)
{
	struct bft_cursor c = *start;
	struct bft_event *ev;
	size_t nr = 0;

	while ((ev = cursor_peek(&c))) {
		c.pos += ev->size;
		nr++;
	}
	return nr;
}

/* Point @snap->events at the copied records, merging the CPUs by time. */
static int snapshot_index(struct bft_snapshot *snap,
			  struct bft_cursor *cursors)
{
	size_t nr = 0;
	unsigned int cpu;
	int oldest;

	for_each_possible_cpu(cpu)
		nr += cursor_count(&cursors[cpu]);
	if (!nr)
		return 0;
	snap->events = kvmalloc_array(nr, sizeof(*snap->events), GFP_KERNEL);
	if (!snap->events)
		return -ENOMEM;

	while ((oldest = cursors_oldest(cursors)) >= 0) {
		struct bft_cursor *c = &cursors[oldest];
		struct bft_event *ev = cursor_peek(c);

		snap->events[snap->nr_events++] = ev;
		c->pos += ev->size;
	}
	return 0;
}

/**
 * bft_snapshot_take() - copy the events now in the buffer
 *
 * Return: the copy, to free with bft_snapshot_free(), or an ERR_PTR.
 */
struct bft_snapshot *bft_snapshot_take(void)
{
	struct bft_cursor *cursors;
	struct bft_snapshot *snap;
	int ret = -ENOMEM;

	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return ERR_PTR(-ENOMEM);
	cursors = kcalloc(nr_cpu_ids, sizeof(*cursors), GFP_KERNEL);
	if (!cursors)
		goto free_snap;

	mutex_lock(&bft_consume_lock);
	ret = snapshot_copy(snap, cursors);
	mutex_unlock(&bft_consume_lock);
	if (ret)
		goto free_cursors;
	ret = snapshot_index(snap, cursors);
	if (ret)
		goto free_data;

	kfree(cursors);
	return snap;

free_data:
	vfree(snap->data);
free_cursors:
	kfree(cursors);
free_snap:
	kfree(snap);
	return ERR_PTR(ret);
}

/* The @pos-th event of @snap, oldest first, or NULL past the last. */
struct bft_event *bft_snapshot_event(const struct bft_snapshot *snap,
				     loff_t pos)
{
	if (pos < 0 || (u64)pos >= snap->nr_events)
		return NULL;
	return snap->events[pos];
}

void bft_snapshot_free(struct bft_snapshot *snap)
{
	kvfree(snap->events);
	vfree(snap->data);
	kfree(snap);
}

static void writers_free(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		kfree(per_cpu_ptr(&bft_writers, cpu)->scratch);
}

static int writers_alloc(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct bft_writer *writer = per_cpu_ptr(&bft_writers, cpu);

		writer->scratch = kmalloc_node(BFT_EVENT_MAX_SIZE, GFP_KERNEL,
					       cpu_to_node(cpu));
		if (!writer->scratch) {
			writers_free();
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * bft_buffer_init() - allocate the scratch records and the rings
 *
 * Return: 0 or -ENOMEM.
 */
int bft_buffer_init(void)
{
	struct bft_rings *rings;
	int ret;

	ret = writers_alloc();
	if (ret)
		return ret;
	bft_consume_cursors = kcalloc(nr_cpu_ids, sizeof(*bft_consume_cursors),
				      GFP_KERNEL);
	if (!bft_consume_cursors)
		goto free_writers;
	rings = rings_alloc(BFT_BUFFER_SIZE_KB_DEFAULT);
	if (!rings)
		goto free_cursors;

	rcu_assign_pointer(bft_rings, rings);
	return 0;

free_cursors:
	kfree(bft_consume_cursors);
free_writers:
	writers_free();
	return -ENOMEM;
}

/* Call once no writer and no reader can be running. */
void bft_buffer_exit(void)
{
	rings_free(rcu_replace_pointer(bft_rings, NULL, true));
	kfree(bft_consume_cursors);
	writers_free();
}
