/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sessions: one per traced exec, and the address spaces that belong to it.
 *
 * A session starts when bft_load_binary() accepts a wrapped file and lives
 * as long as the sessions file shows it or one of its address spaces is
 * alive.  The fault hooks find a session from an mm (fault_hooks.c); the
 * new process, its threads and its forked children share one session.
 */
#ifndef BFT_SESSION_H
#define BFT_SESSION_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "elf_check.h"

struct bft_load_context;
struct inode;
struct mm_struct;
struct seq_file;

enum bft_session_state {
	BFT_SESSION_LOADING,
	BFT_SESSION_RUNNING,
	BFT_SESSION_EXITED,
	BFT_SESSION_FAILED,
};

/**
 * struct bft_segment - where one PT_LOAD landed, for fault attribution
 * @start: first address of [bias + p_vaddr, bias + p_vaddr + p_memsz)
 * @end: the end of that range
 * @index: the program header's index
 * @obj: BFT_OBJ_EXE or BFT_OBJ_INTERP
 */
struct bft_segment {
	unsigned long	start;
	unsigned long	end;
	u16		index;
	u8		obj;
};

/**
 * struct bft_session - one traced exec
 * @kref: one reference for the sessions list, one per traced mm, one for
 *	the load in progress
 * @node: in the sessions list
 * @rcu: freeing waits for the fault hooks that looked the session up
 * @id: its number, from 1
 * @pid: the tgid that exec'ed
 * @comm: the comm after exec
 * @filename: bprm->filename
 * @label: the wrapper's label
 * @flags: the wrapper's BFT_FLAG_*
 * @elf_offset: the wrapper's elf_offset, to turn file offsets into ELF ones
 * @start_ns: ktime_get_ns() when the wrapper was accepted
 * @load_ns: how long the load took
 * @result: what the load returned
 * @state: enum bft_session_state
 * @load_events: record load steps
 * @fault_events: record page faults
 * @exe_inode: the wrapped file, to tell its mappings from a library's
 * @interp_inode: the interpreter's, or NULL
 * @segs: the PT_LOADs mapped so far, executable's and interpreter's
 * @nsegs: how many
 * @max_segs: room in @segs
 * @mms: traced address spaces alive
 * @events: events written: handed to the tracepoints
 * @dropped: events not written: begun while another was (nested)
 * @faults: page faults seen
 * @minor: ... with result=minor
 * @major: ... with result=major
 * @retry: ... with result=retry under mmap_lock: I/O retries
 * @fallback: ... with result=retry under the vma's lock (lock=vma): the
 *	fault is done again under mmap_lock
 * @errors: ... with result sigsegv, sigbus or oom
 * @cache_hit: filemap_fault() found the page cached
 * @cache_miss: filemap_fault() read the page
 * @maps: memory-map system calls seen (mm_events.c)
 */
struct bft_session {
	struct kref		kref;
	struct list_head	node;
	struct rcu_head		rcu;
	u32			id;
	pid_t			pid;
	char			comm[TASK_COMM_LEN];
	char			*filename;
	char			label[BFT_LABEL_LEN + 1];
	u32			flags;
	loff_t			elf_offset;
	u64			start_ns;
	u64			load_ns;
	int			result;
	int			state;
	bool			load_events;
	bool			fault_events;
	struct inode		*exe_inode;
	struct inode		*interp_inode;
	struct bft_segment	*segs;
	unsigned int		nsegs;
	unsigned int		max_segs;
	atomic_t		mms;
	atomic64_t		events;
	atomic64_t		dropped;
	atomic64_t		faults;
	atomic64_t		minor;
	atomic64_t		major;
	atomic64_t		retry;
	atomic64_t		fallback;
	atomic64_t		errors;
	atomic64_t		cache_hit;
	atomic64_t		cache_miss;
	atomic64_t		maps;
};

/* The session's number, as events and the sessions file show it. */
static inline u32 bft_session_id(const struct bft_session *session)
{
	return session->id;
}

/*
 * Called for every event of @session: @written is false when it could
 * not be written (bft_event_begin() nested in another on the same CPU).
 */
static inline void bft_session_note_event(struct bft_session *session,
					  bool written)
{
	atomic64_inc(written ? &session->events : &session->dropped);
}

/* session.c */
struct bft_session *bft_session_start(struct bft_load_context *ctx);
void bft_session_end(struct bft_session *session, int result, u64 load_ns);
int bft_session_reserve_segments(struct bft_session *session,
				 unsigned int nr);
void bft_session_add_segment(struct bft_session *session, u8 obj, u16 index,
			     unsigned long start, unsigned long end);
const struct bft_segment *bft_session_find_segment(struct bft_session *session,
						   unsigned long addr);
void bft_session_get(struct bft_session *session);
void bft_session_put(struct bft_session *session);
void bft_sessions_exit(void);

/* The sessions file: one line per retained session. */
void bft_sessions_show(struct seq_file *m);
/* Lines for the stats file ("key value"). */
void bft_sessions_stats(struct seq_file *m);

/* fault_hooks.c: which mm belongs to which session, and the probes. */
int bft_probes_get(void);
void bft_probes_put(void);
int bft_track_mm(struct bft_session *session, struct mm_struct *mm);
void bft_untrack_mm(struct mm_struct *mm);
struct bft_session *bft_mm_session_get(struct mm_struct *mm);
void bft_load_begin(void);
void bft_load_done(void);
int bft_fault_hooks_init(void);
void bft_fault_hooks_exit(void);
void bft_probes_stats(struct seq_file *m);

#endif /* BFT_SESSION_H */
