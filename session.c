// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: what one traced exec was, and its counters.
 *
 * The list keeps the newest sessions for the sessions file.  Once it holds
 * more than BFT_SESSIONS_KEPT, the oldest sessions whose processes are
 * gone leave it; a session still running always stays.  A session is
 * freed after an RCU grace period, since the fault hooks look sessions up
 * without taking a reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "binfmt_trace.h"
#include "session.h"
#include "trace.h"

#define BFT_SESSIONS_KEPT	256

static LIST_HEAD(bft_sessions);
static DEFINE_MUTEX(bft_sessions_lock);
static unsigned int bft_sessions_listed;
static atomic_t bft_session_ids = ATOMIC_INIT(0);
static atomic64_t bft_sessions_started = ATOMIC64_INIT(0);

static const char * const bft_state_names[] = {
	[BFT_SESSION_LOADING]	= "loading",
	[BFT_SESSION_RUNNING]	= "running",
	[BFT_SESSION_EXITED]	= "exited",
	[BFT_SESSION_FAILED]	= "failed",
};

static void bft_session_free_rcu(struct rcu_head *rcu)
{
	struct bft_session *session = container_of(rcu, struct bft_session,
						   rcu);

	kfree(session->segs);
	kfree(session->filename);
	kfree(session);
}

static void bft_session_release(struct kref *kref)
{
	struct bft_session *session = container_of(kref, struct bft_session,
						   kref);

	call_rcu(&session->rcu, bft_session_free_rcu);
}

void bft_session_get(struct bft_session *session)
{
	kref_get(&session->kref);
}

void bft_session_put(struct bft_session *session)
{
	kref_put(&session->kref, bft_session_release);
}

/* Make room in the list: drop the oldest sessions that are over. */
static void bft_sessions_trim(void)
{
	struct bft_session *session, *next;

	lockdep_assert_held(&bft_sessions_lock);
	list_for_each_entry_safe(session, next, &bft_sessions, node) {
		if (bft_sessions_listed <= BFT_SESSIONS_KEPT)
			return;
		if (atomic_read(&session->mms) ||
		    READ_ONCE(session->state) == BFT_SESSION_LOADING)
			continue;
		list_del(&session->node);
		bft_sessions_listed--;
		bft_session_put(session);
	}
}

/**
 * bft_session_start - open a session for a wrapped exec
 * @ctx: the load, with the wrapper header checked
 *
 * Return: the session, holding a reference for the load, or NULL when
 * recording is off or memory is short: the program then runs untraced.
 */
struct bft_session *bft_session_start(struct bft_load_context *ctx)
{
	u32 flags = ctx->wrapper.flags;
	struct bft_session *session;

	if (!READ_ONCE(bft_trace_enabled))
		return NULL;
	if ((flags & BFT_FLAG_NO_LOAD_EVENTS) &&
	    (flags & BFT_FLAG_NO_FAULT_EVENTS))
		return NULL;

	session = kzalloc(sizeof(*session), GFP_KERNEL);
	if (!session)
		goto nomem;
	session->filename = kstrdup(ctx->bprm->filename, GFP_KERNEL);
	if (!session->filename)
		goto nomem;

	kref_init(&session->kref);
	session->id = atomic_inc_return(&bft_session_ids);
	session->pid = task_tgid_nr(current);
	get_task_comm(session->comm, current);
	strscpy(session->label, ctx->wrapper.label, sizeof(session->label));
	session->flags = flags;
	session->elf_offset = ctx->elf_offset;
	session->start_ns = ktime_get_ns();
	session->state = BFT_SESSION_LOADING;
	session->load_events = !(flags & BFT_FLAG_NO_LOAD_EVENTS);
	session->fault_events = !(flags & BFT_FLAG_NO_FAULT_EVENTS);
	session->exe_inode = file_inode(ctx->bprm->file);
	atomic64_inc(&bft_sessions_started);

	mutex_lock(&bft_sessions_lock);
	bft_session_get(session);
	list_add_tail(&session->node, &bft_sessions);
	bft_sessions_listed++;
	bft_sessions_trim();
	mutex_unlock(&bft_sessions_lock);
	return session;

nomem:
	if (session)
		kfree(session->filename);
	kfree(session);
	pr_warn_ratelimited("%s: out of memory, running untraced\n",
			    ctx->bprm->filename);
	return NULL;
}

/**
 * bft_session_end - the load of @session is over
 * @session: the session, whose load reference is dropped
 * @result: what the loader returned
 * @load_ns: how long it took, as load_end reports it
 */
void bft_session_end(struct bft_session *session, int result, u64 load_ns)
{
	session->load_ns = load_ns;
	session->result = result;
	if (!result)
		get_task_comm(session->comm, current);
	if (result)
		WRITE_ONCE(session->state, BFT_SESSION_FAILED);
	else if (atomic_read(&session->mms))
		WRITE_ONCE(session->state, BFT_SESSION_RUNNING);
	else
		WRITE_ONCE(session->state, BFT_SESSION_EXITED);
	bft_session_put(session);
}

/**
 * bft_session_reserve_segments - make room for the segments of a load
 * @session: the session
 * @nr: program headers of the executable and the interpreter
 *
 * Done once, before anything is mapped, so that the fault hooks never see
 * @segs move.
 *
 * Return: 0 or -ENOMEM (faults are then attributed without segments).
 */
int bft_session_reserve_segments(struct bft_session *session, unsigned int nr)
{
	session->segs = kcalloc(nr, sizeof(*session->segs), GFP_KERNEL);
	if (!session->segs)
		return -ENOMEM;
	session->max_segs = nr;
	return 0;
}

/**
 * bft_session_add_segment - a PT_LOAD was mapped at [@start, @end)
 * @session: the session
 * @obj: BFT_OBJ_EXE or BFT_OBJ_INTERP
 * @index: its program header index
 * @start: bias + p_vaddr
 * @end: @start + p_memsz
 *
 * Called as each segment is mapped, so that the faults of the rest of the
 * load (padzero(), the stack tables) are attributed.  A segment mapped
 * again (the alignment probe of a static PIE) replaces the first mapping.
 */
void bft_session_add_segment(struct bft_session *session, u8 obj, u16 index,
			     unsigned long start, unsigned long end)
{
	struct bft_segment *seg = NULL;
	unsigned int i;

	for (i = 0; i < session->nsegs; i++) {
		if (session->segs[i].obj == obj &&
		    session->segs[i].index == index)
			seg = &session->segs[i];
	}
	if (!seg) {
		if (session->nsegs >= session->max_segs)
			return;
		seg = &session->segs[session->nsegs];
	}
	seg->start = start;
	seg->end = end;
	seg->index = index;
	seg->obj = obj;
	if (seg == &session->segs[session->nsegs])
		WRITE_ONCE(session->nsegs, session->nsegs + 1);
}

/* The PT_LOAD whose [vaddr, vaddr + memsz) holds @addr, or NULL. */
const struct bft_segment *bft_session_find_segment(struct bft_session *session,
						   unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < session->nsegs; i++) {
		if (addr >= session->segs[i].start &&
		    addr < session->segs[i].end)
			return &session->segs[i];
	}
	return NULL;
}

/* A string value as the trace prints it: \xNN for unsafe bytes, "-" if empty. */
static void bft_seq_value(struct seq_file *m, const char *key, const char *str)
{
	const unsigned char *c = (const unsigned char *)str;

	seq_printf(m, " %s=", key);
	if (!*c)
		seq_putc(m, '-');
	for (; *c; c++) {
		if (*c < 0x21 || *c > 0x7e || *c == '\\' || *c == '=')
			seq_printf(m, "\\x%02x", *c);
		else
			seq_putc(m, *c);
	}
}

static void bft_session_show(struct seq_file *m, struct bft_session *s)
{
	seq_printf(m, "session=%u pid=%d", s->id, s->pid);
	bft_seq_value(m, "comm", s->comm);
	bft_seq_value(m, "file", s->filename);
	bft_seq_value(m, "label", s->label);
	seq_printf(m, " state=%s result=%d load_ns=%llu events=%lld dropped=%lld",
		   bft_state_names[READ_ONCE(s->state)], s->result, s->load_ns,
		   atomic64_read(&s->events), atomic64_read(&s->dropped));
	seq_printf(m, " faults=%lld minor=%lld major=%lld retry=%lld fallback=%lld errors=%lld cache_hit=%lld cache_miss=%lld mms=%d maps=%lld\n",
		   atomic64_read(&s->faults), atomic64_read(&s->minor),
		   atomic64_read(&s->major), atomic64_read(&s->retry),
		   atomic64_read(&s->fallback),
		   atomic64_read(&s->errors), atomic64_read(&s->cache_hit),
		   atomic64_read(&s->cache_miss), atomic_read(&s->mms),
		   atomic64_read(&s->maps));
}

void bft_sessions_show(struct seq_file *m)
{
	struct bft_session *session;

	mutex_lock(&bft_sessions_lock);
	list_for_each_entry(session, &bft_sessions, node)
		bft_session_show(m, session);
	mutex_unlock(&bft_sessions_lock);
}

/* What @s holds of kmalloc()'s memory, in the sizes kmalloc() gives. */
static size_t bft_session_bytes(const struct bft_session *s)
{
	unsigned int max_segs = READ_ONCE(s->max_segs);

	return kmalloc_size_roundup(sizeof(*s)) +
	       kmalloc_size_roundup(strlen(s->filename) + 1) +
	       (max_segs ? kmalloc_size_roundup(max_segs * sizeof(*s->segs)) :
			   0);
}

void bft_sessions_stats(struct seq_file *m)
{
	struct bft_session *session;
	unsigned int running = 0;
	size_t bytes = 0;

	mutex_lock(&bft_sessions_lock);
	list_for_each_entry(session, &bft_sessions, node) {
		running += atomic_read(&session->mms) > 0;
		bytes += bft_session_bytes(session);
	}
	seq_printf(m, "sessions_listed %u\n", bft_sessions_listed);
	mutex_unlock(&bft_sessions_lock);
	seq_printf(m, "sessions_bytes %zu\n", bytes);
	seq_printf(m, "sessions_running %u\n", running);
	seq_printf(m, "sessions_started %lld\n",
		   atomic64_read(&bft_sessions_started));
}

/* Module exit: no traced mm is left, since each pins the module. */
void bft_sessions_exit(void)
{
	struct bft_session *session, *next;

	mutex_lock(&bft_sessions_lock);
	list_for_each_entry_safe(session, next, &bft_sessions, node) {
		list_del(&session->node);
		bft_session_put(session);
	}
	bft_sessions_listed = 0;
	mutex_unlock(&bft_sessions_lock);
	rcu_barrier();
}
