/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events binfmt_trace records.
 *
 * Every event is one struct bft_event: a fixed header (when, which task,
 * which session), one payload of the union, and for a few events strings
 * after the union.  The loader and the fault hooks fill events in a per-CPU
 * scratch record (bft_event_begin()) and publish them with
 * bft_event_commit(), which fires the matching binfmt_trace:* tracepoint:
 * the kernel's tracing ring buffers hold the events, the module's own
 * tracefs instance among them (trace_fs.c).  A writer never waits for a
 * reader; a full ring buffer overwrites its oldest events.
 *
 * docs/trace-format.md documents the text form of every field.
 */
#ifndef BFT_TRACE_H
#define BFT_TRACE_H

#include <linux/sched.h>
#include <linux/string.h>
#include <linux/types.h>

struct bft_session;
struct dentry;
struct file;
struct seq_file;

/* Load step names in load_error are cut at this length. */
#define BFT_STEP_LEN		32

enum bft_event_type {
	BFT_EV_LOAD_START = 1,
	BFT_EV_LOAD_PHDR,
	BFT_EV_LOAD_MAP,
	BFT_EV_LOAD_BSS,
	BFT_EV_LOAD_BRK,
	BFT_EV_LOAD_STACK,
	BFT_EV_LOAD_INTERP,
	BFT_EV_LOAD_VDSO,
	BFT_EV_LOAD_AUXV,
	BFT_EV_LOAD_ENTRY,
	BFT_EV_LOAD_ERROR,
	BFT_EV_LOAD_END,
	BFT_EV_PAGE_FAULT,
	BFT_EV_FORK,
	BFT_EV_MM_EXIT,
	BFT_EV_MMAP,
	BFT_EV_MPROTECT,
	BFT_EV_MUNMAP,
	BFT_EV_MREMAP,
	BFT_EV_BRK,
	BFT_EV_NR
};

/* What an address or a load step belongs to: obj= in the text. */
enum bft_object {
	BFT_OBJ_EXE,		/* the wrapped executable */
	BFT_OBJ_INTERP,		/* its PT_INTERP, usually ld.so */
	BFT_OBJ_LIB,		/* any other file mapping */
	BFT_OBJ_HEAP,		/* [start_brk, brk) */
	BFT_OBJ_STACK,		/* the main stack */
	BFT_OBJ_ANON,		/* other anonymous memory */
	BFT_OBJ_VDSO,		/* [vdso] */
	BFT_OBJ_VVAR,		/* [vvar] and the other vDSO data pages */
	BFT_OBJ_NONE,		/* no vma: the fault will be a SIGSEGV */
	BFT_OBJ_UNKNOWN,	/* not looked up: mmap_lock was busy (fast) */
	BFT_OBJ_NR
};

/* access= of a page fault. */
enum bft_access {
	BFT_ACCESS_READ,
	BFT_ACCESS_WRITE,
	BFT_ACCESS_EXEC,
};

/* mode= of a page fault: who touched the page. */
enum bft_mode {
	BFT_MODE_USER,		/* FAULT_FLAG_USER: user code */
	BFT_MODE_KERNEL,	/* the kernel, on behalf of the task */
	BFT_MODE_REMOTE,	/* FAULT_FLAG_REMOTE: GUP on another mm */
};

/* result= of a page fault, as mm_account_fault() would count it. */
enum bft_result {
	BFT_RESULT_MINOR,
	BFT_RESULT_MAJOR,	/* VM_FAULT_MAJOR, or a retried fault */
	BFT_RESULT_RETRY,	/* VM_FAULT_RETRY: done again, not counted */
	BFT_RESULT_SIGSEGV,	/* VM_FAULT_SIGSEGV */
	BFT_RESULT_SIGBUS,	/* VM_FAULT_SIGBUS, VM_FAULT_HWPOISON* */
	BFT_RESULT_OOM,		/* VM_FAULT_OOM */
	BFT_RESULT_NONE,	/* not known when written: fault_capture=fast */
};

/*
 * lock= of a page fault: what the fault handler held.  6.12 tries a fault
 * under the vma's own lock first and, when that returns VM_FAULT_RETRY,
 * falls back to mmap_lock: a lock fallback, not an I/O retry.  6.1 has no
 * per-VMA locks.
 */
enum bft_lock {
	BFT_LOCK_MMAP,		/* mmap_lock, or no lock of ours (GUP) */
	BFT_LOCK_VMA,		/* FAULT_FLAG_VMA_LOCK: the vma's own lock */
	BFT_LOCK_NONE,		/* not known: fault_capture=fast */
};

/* cache= of a page fault: what filemap_fault() found. */
enum bft_cache {
	BFT_CACHE_NONE,		/* filemap_fault() was not called */
	BFT_CACHE_HIT,		/* the page was in the page cache */
	BFT_CACHE_MISS,		/* it had to be read (VM_FAULT_MAJOR) */
};

/* load_start: one per traced exec, first event of its session. */
struct bft_ev_load_start {
	u32	argc;
	u32	envc;
	u32	flags;		/* wrapper BFT_FLAG_* */
	u16	e_type;
	u16	e_phnum;
	u64	e_entry;
	u64	elf_offset;
	u64	elf_size;
	/* str[]: filename, interpreter path, label: each escaped, NUL */
};

/* load_phdr: one program header, as read from the file. */
struct bft_ev_load_phdr {
	u8	obj;		/* BFT_OBJ_EXE or BFT_OBJ_INTERP */
	u16	index;
	u32	type;
	u32	flags;
	u64	offset;
	u64	vaddr;
	u64	paddr;
	u64	filesz;
	u64	memsz;
	u64	align;
};

/* load_map: one vm_mmap() of a segment's file part (stock elf_map()). */
struct bft_ev_load_map {
	u8	obj;
	s16	seg;		/* program header index */
	s32	prot;		/* PROT_* */
	s32	flags;		/* MAP_* */
	u64	addr;		/* asked for, page aligned */
	u64	len;		/* mapped and kept */
	u64	off;		/* ELF file offset of the mapping */
	u64	total;		/* reserved first for the whole image, or 0 */
	s64	result;		/* the address, or -errno */
};

/* load_bss: padzero() of the last file page, then the anonymous part. */
struct bft_ev_load_bss {
	u8	obj;
	s16	seg;		/* -1 for 6.1's one interpreter bss */
	s32	prot;
	u64	zero_start;	/* zeroed: [zero_start, zero_end) */
	u64	zero_end;
	u64	anon_start;	/* mapped: [anon_start, anon_end) */
	u64	anon_end;
	s32	result;		/* 0 or -errno */
};

/* load_brk: the heap start, before and after randomization. */
struct bft_ev_load_brk {
	u64	elf_brk;	/* end of the highest segment */
	u64	start_brk;	/* mm->start_brk before randomization */
	u64	brk;		/* mm->start_brk == mm->brk at the end */
	u8	moved;		/* static PIE: moved to ELF_ET_DYN_BASE */
	u8	randomized;
};

/* load_stack: setup_arg_pages(). */
struct bft_ev_load_stack {
	u64	stack_top;	/* STACK_TOP after randomize_stack_top() */
	u64	p;		/* bprm->p after the move: the strings */
	s32	executable;	/* EXSTACK_* */
	s32	result;
};

/* load_interp: the interpreter mapped. */
struct bft_ev_load_interp {
	u64	bias;		/* AT_BASE */
	u64	entry;		/* bias + its e_entry */
	s32	result;
};

/* load_vdso: arch_setup_additional_pages(). */
struct bft_ev_load_vdso {
	u64	addr;		/* mm->context.vdso */
	s32	result;
};

/* load_auxv: one auxiliary vector pair, in stack order. */
struct bft_ev_load_auxv {
	u32	index;
	u64	id;		/* AT_* */
	u64	value;
};

/* load_entry: where the task starts. */
struct bft_ev_load_entry {
	u64	entry;		/* the interpreter's entry, or e_entry */
	u64	sp;		/* initial stack pointer, at argc */
	u64	exe_entry;	/* AT_ENTRY */
	u64	load_bias;
};

/* load_error: the step that failed. */
struct bft_ev_load_error {
	s32	error;
	char	step[BFT_STEP_LEN];
};

/* load_end: last load event of a session. */
struct bft_ev_load_end {
	s32	result;
	u64	load_ns;	/* from the wrapper check to the end */
};

/* off= of a page that is in no file: -1, which prints as "-". */
#define BFT_OFF_NONE		(~0ULL)

/*
 * page_fault: one handle_mm_fault() call on a traced mm, or with
 * fault_capture=fast one page fault exception of a traced task.
 */
struct bft_ev_page_fault {
	u64	since_ns;	/* fault entry minus the session start */
	u64	min_flt;	/* the task's minor fault count at entry */
	u64	maj_flt;	/* and its major fault count */
	u64	addr;
	u64	ip;		/* user ip, or 0 when there are no regs */
	u64	latency_ns;	/* handle_mm_fault() entry to return */
	u64	off;		/* file offset (ELF offset for obj=exe),
				 * BFT_OFF_NONE in no file
				 */
	u32	fault_flags;	/* FAULT_FLAG_* */
	u32	vm_fault;	/* the vm_fault_t returned */
	u8	access;		/* enum bft_access */
	u8	mode;		/* enum bft_mode */
	u8	obj;		/* enum bft_object */
	u8	result;		/* enum bft_result */
	u8	cache;		/* enum bft_cache */
	u8	file_backed;	/* the vma maps a file */
	s16	seg;		/* program header index, or -1 */
	u8	lock;		/* enum bft_lock */
	/* str[]: for obj=lib, the file's name; else "-" */
};

/* fork: a traced mm was copied; the child is traced too. */
struct bft_ev_fork {
	s32	child_pid;
	s32	child_tid;
};

/* mm_exit: a traced mm was torn down. */
struct bft_ev_mm_exit {
	u32	mms_left;	/* traced mms still alive in the session */
	u64	min_flt;	/* the fault counts of the task tearing it down */
	u64	maj_flt;
};

/*
 * The memory-map system calls of a traced mm after the exec, one event
 * each, written as the call returns: the arguments as the program passed
 * them and the result.
 */

/* mmap: result is the address or -errno. */
struct bft_ev_mmap {
	u64	addr;		/* the hint, 0 for none */
	u64	len;
	s32	prot;		/* PROT_* */
	s32	flags;		/* MAP_* */
	s32	fd;		/* -1 for MAP_ANONYMOUS */
	u64	off;		/* the byte offset argument */
	s64	result;
	/* str[]: the path of the fd's file; "-" for none */
};

/* mprotect and pkey_mprotect: result is 0 or -errno. */
struct bft_ev_mprotect {
	u64	addr;
	u64	len;
	s32	prot;
	s32	result;
};

/* munmap: result is 0 or -errno. */
struct bft_ev_munmap {
	u64	addr;
	u64	len;
	s32	result;
};

/* mremap: result is the new address or -errno. */
struct bft_ev_mremap {
	u64	addr;
	u64	old_len;
	u64	new_len;
	u32	flags;		/* MREMAP_* */
	u64	new_addr;	/* the 5th argument */
	s64	result;
};

/* brk: result is the break the kernel returned, never an errno. */
struct bft_ev_brk {
	u64	brk;		/* asked for; 0 asks for the current one */
	u64	result;
};

/**
 * struct bft_event - one recorded event
 * @size: the whole record in bytes, header and strings, multiple of 8
 * @type: enum bft_event_type
 * @session: the session id, from 1
 * @ts: CLOCK_MONOTONIC ns (ktime_get_ns()) when the event was begun
 * @pid: tgid of the task that wrote it
 * @tid: its pid
 * @u: the payload of @type
 * @str: NUL-terminated strings of load_start, page_fault and mmap
 */
struct bft_event {
	u16	size;
	u16	type;
	u32	session;
	u64	ts;
	s32	pid;
	s32	tid;
	union {
		struct bft_ev_load_start	load_start;
		struct bft_ev_load_phdr		load_phdr;
		struct bft_ev_load_map		load_map;
		struct bft_ev_load_bss		load_bss;
		struct bft_ev_load_brk		load_brk;
		struct bft_ev_load_stack	load_stack;
		struct bft_ev_load_interp	load_interp;
		struct bft_ev_load_vdso		load_vdso;
		struct bft_ev_load_auxv		load_auxv;
		struct bft_ev_load_entry	load_entry;
		struct bft_ev_load_error	load_error;
		struct bft_ev_load_end		load_end;
		struct bft_ev_page_fault	page_fault;
		struct bft_ev_fork		fork;
		struct bft_ev_mm_exit		mm_exit;
		struct bft_ev_mmap		mmap;
		struct bft_ev_mprotect		mprotect;
		struct bft_ev_munmap		munmap;
		struct bft_ev_mremap		mremap;
		struct bft_ev_brk		brk;
	} u;
	char	str[];
};

/*
 * The most bytes of one string in a record, its NUL included: strings are
 * stored escaped (docs/trace-format.md), and one longer than this is cut
 * and ends in BFT_EVENT_STR_CUT.  Three of them and the rest of a
 * load_start must stay below a page: the kernel's trace buffers take no
 * bigger event, and its printer no longer line.
 */
#define BFT_EVENT_STR_MAX	1024
#define BFT_EVENT_STR_CUT	"..."

/* The biggest record: load_start with its file, interpreter and label. */
#define BFT_EVENT_MAX_SIZE \
	ALIGN(sizeof(struct bft_event) + 3 * BFT_EVENT_STR_MAX, 8)

/**
 * bft_event_str() - the @n-th string of a committed record
 * @ev: the record
 * @n: 0 for the first
 *
 * Return: the string, or "-" when the record has fewer.
 */
static inline const char *bft_event_str(const struct bft_event *ev,
					unsigned int n)
{
	const char *end = (const char *)ev + ev->size;
	const char *s = ev->str;

	while (n-- && s < end)
		s += strnlen(s, end - s) + 1;
	return s < end && *s ? s : "-";
}

/*
 * [start, end) as printed: an empty range is 0x0-0x0, whatever its
 * bounds were.
 */
static inline void bft_range(u64 *start, u64 *end, u64 from, u64 to)
{
	*start = from < to ? from : 0;
	*end = from < to ? to : 0;
}

/* trace_event.c: the scratch records and the counters. */
int bft_buffer_init(void);
void bft_buffer_exit(void);

struct bft_event *bft_event_begin(struct bft_session *session,
				  enum bft_event_type type);
size_t bft_event_put_str(struct bft_event *ev, size_t off, const char *s);
const char *bft_file_path(const struct file *file, char *buf, size_t size);
size_t bft_event_put_path(struct bft_event *ev, size_t off,
			  const struct file *file);
void bft_event_commit(struct bft_event *ev, size_t str_len);
void bft_event_cpu_stats(unsigned int cpu, unsigned long *written,
			 unsigned long *dropped);

/* tracepoints.c: the tracepoints, fired by bft_event_commit(). */
void bft_tracepoint_fire(const struct bft_event *ev);

/* trace_fs.c: the tracefs instance and /sys/kernel/debug/binfmt_trace/. */
int bft_trace_fs_init(struct dentry *dir);
void bft_trace_fs_exit(void);

/* trace_size.c: the instance's small buffers until the first session. */
void bft_trace_size_init(void);
void bft_trace_size_grow(void);
void bft_trace_size_stats(struct seq_file *m);
void bft_trace_size_exit(void);

/* 1 while recording: the enable file. */
extern bool bft_trace_enabled;

#endif /* BFT_TRACE_H */
