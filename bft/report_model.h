/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_model.h - bft report's in-memory model of a trace: one struct
 * report_session per session, built from the trace's own lines
 * (docs/trace-format.md) and attributed with elfutils, which every report
 * writer (text, json, csv, perfetto, svg) reads and none changes.
 *
 * The model holds what the trace says, and what the ELF files it names
 * say about those addresses; nothing is guessed.  Object bases come from
 * the trace only: load_map (exe, interp: load_start's file= and interp=),
 * mmap/mremap/munmap events (libraries), load_vdso, load_brk and brk
 * (heap), load_stack (stack).
 *
 * Conventions, for every struct below:
 *   - Strings are owned by the model, NUL-terminated, unescaped (the
 *     trace's \xNN decoded), and never NULL unless the comment says so.
 *   - Addresses and offsets are uint64_t; a value the trace gave as "-"
 *     or left out has its has_* flag false and the value 0.
 *   - Indices into an array are size_t; REPORT_NONE means "none".
 *   - Times: *_us are the trace's own timestamps (its trace_clock, in
 *     microseconds); rel_us is that minus the session's start_us.
 *     since_ns (faults only) is the kernel's since=: CLOCK_MONOTONIC ns
 *     from the session's start to the fault's entry, more precise.
 *   - Arrays are in trace order: by timestamp, then by line order.
 *
 * Stable from its first commit: fields may be added, none removed or
 * changed in meaning.  The JSON schema (docs/report-format.md) maps it.
 */
#ifndef BFT_REPORT_MODEL_H
#define BFT_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The "schema" value of bft report --format json. */
#define REPORT_SCHEMA		"bft-report/1"

/* "No such element" for every index field. */
#define REPORT_NONE		((size_t)-1)

/* The page size of the traced machines (x86_64). */
#define REPORT_PAGE_SIZE	4096ULL

/* ------------------------------------------------------------------ */
/* Events                                                              */

/* One key=value of an event line, after session=. */
struct report_field {
	char		*key;
	char		*value;		/* unescaped; "-" as the trace has it */
};

enum report_event_kind {
	REV_LOAD,	/* load_start ... load_end, load_error */
	REV_MM,		/* mmap, mprotect, munmap, mremap, brk */
	REV_FAULT,	/* page_fault */
	REV_PROCESS,	/* fork, mm_exit */
	REV_OTHER,	/* an event name this bft does not know */
};

/*
 * One line of the session, parsed.  Every line that parsed as an event
 * of this session is one report_event: CSV writes one row for each.
 */
struct report_event {
	enum report_event_kind kind;
	char		*name;		/* "load_map", "page_fault", ... */
	char		*comm;		/* ftrace's comm column */
	int		tid;
	unsigned int	cpu;
	uint64_t	ts_us;		/* the line's timestamp */
	uint64_t	rel_us;		/* ts_us - session start_us */
	size_t		line_no;	/* 1-based line of the input */
	size_t		nfields;
	struct report_field *fields;	/* all fields after session= */
	/*
	 * Index of this event in the array of its kind: steps[] for
	 * REV_LOAD, mm[] for REV_MM, faults[] for REV_FAULT; else
	 * REPORT_NONE.
	 */
	size_t		index;
};

/* ------------------------------------------------------------------ */
/* Load steps                                                          */

/* One load event (REV_LOAD), with its time. */
struct report_step {
	size_t		event;		/* index into events[] */
	const char	*name;		/* == events[event].name */
	uint64_t	rel_us;		/* since the session's first line */
};

/* ------------------------------------------------------------------ */
/* Objects and their mappings                                          */

enum report_obj_kind {
	ROBJ_EXE,	/* load_start file= */
	ROBJ_INTERP,	/* load_start interp= */
	ROBJ_LIB,	/* a file mapped by an mmap event, or a page_fault
			 * obj=lib whose file has no mmap event (then path is
			 * NULL and name is the fault's file=) */
	ROBJ_VDSO,
	ROBJ_VVAR,
	ROBJ_HEAP,
	ROBJ_STACK,
	ROBJ_ANON,	/* anonymous mappings (mmap fd=-1, or faults obj=anon) */
	ROBJ_UNKNOWN,	/* a page_fault obj= this bft does not know */
};

/* What the attribution could read of an object's file. */
enum report_sym_state {
	RSYM_NOT_FILE,	/* heap, stack, anon, vdso, vvar: no file to read */
	RSYM_NO_PATH,	/* the trace names no full path (lib without mmap) */
	RSYM_NOT_FOUND,	/* the file (under --root) cannot be opened */
	RSYM_BAD_ELF,	/* it is not an ELF that elfutils reads */
	RSYM_NO_SYMBOLS,/* an ELF without .symtab, .dynsym or debug info */
	RSYM_DYNSYM,	/* only .dynsym */
	RSYM_SYMTAB,	/* .symtab of the file itself */
	RSYM_DEBUGINFO,	/* symbols from a separate debug file */
};

/* One address range of an object, as one trace event made it. */
struct report_mapping {
	uint64_t	start;		/* [start, end) */
	uint64_t	end;		/* == start when the size is unknown */
	char		prot[8];	/* "r-x", as the trace; "" unknown */
	bool		has_off;
	uint64_t	off;		/* ELF file offset of start */
	const char	*path;		/* the object's path, NULL if none */
	size_t		event;		/* index of the event that made it */
	size_t		end_event;	/* the munmap/mremap that undid it,
					 * or REPORT_NONE */
	uint64_t	rel_us;		/* when it was made */
};

struct report_object {
	enum report_obj_kind kind;
	const char	*kind_name;	/* "exe", "interp", "lib", "heap", ...
					 * as the trace's obj= */
	char		*path;		/* the path the trace names; NULL if
					 * none (see RSYM_NO_PATH) */
	char		*name;		/* short name: the path's basename,
					 * or "[heap]", "[stack]", "[vdso]" ... */
	char		*opened;	/* the file read (path under --root),
					 * NULL if none was */
	uint64_t	elf_offset;	/* of the ELF in the file: load_start's
					 * elf_offset= for a wrapped exe */
	bool		has_bias;
	uint64_t	bias;		/* address - ELF vaddr */
	enum report_sym_state symbols;
	const char	*symbols_name;	/* "symtab", "no symbols", ... */
	char		*debug_file;	/* the separate debug file, or NULL */
	char		build_id[41];	/* hex, "" when none */
	char		*error;		/* why symbols is RSYM_NOT_FOUND or
					 * RSYM_BAD_ELF, else NULL */
	size_t		nmaps;
	struct report_mapping *maps;
	/* Counts of the faults whose addr= falls in this object. */
	unsigned long	faults;		/* every page_fault event */
	unsigned long	major;
	unsigned long	cache_miss;
	uint64_t	lat_ns;		/* sum of lat= */
};

/* ------------------------------------------------------------------ */
/* Memory-map events (helpers/MM_EVENTS_SPEC.md)                       */

enum report_attr_state {
	RATTR_NONE,		/* no address to attribute (ip=-) */
	RATTR_NO_OBJECT,	/* no object of the session holds it */
	RATTR_NOT_FILE,		/* anonymous memory (heap, stack, anon,
				 * vdso/vvar): object only */
	RATTR_NO_FILE,		/* object's file not read: see its symbols */
	RATTR_NO_SECTION,	/* in the file, but in no allocated section */
	RATTR_NO_SYMBOL,	/* section known, no symbol covers it */
	RATTR_SYMBOL,		/* section and symbol known */
};

/*
 * Where one address lies.  Fields past the state's level are empty:
 * object REPORT_NONE, has_vaddr/has_file_off false, section/symbol NULL.
 */
struct report_attr {
	enum report_attr_state state;
	uint64_t	addr;		/* the address attributed */
	size_t		object;		/* index into objects[] */
	size_t		mapping;	/* index into objects[object].maps */
	bool		has_vaddr;
	uint64_t	vaddr;		/* the ELF's address: addr - bias */
	bool		has_file_off;
	uint64_t	file_off;	/* offset in the ELF file (NOBITS: none) */
	const char	*section;	/* ".text", ".bss" ...; NULL if none */
	const char	*symbol;	/* NULL if none */
	uint64_t	sym_off;	/* vaddr - the symbol's value */
	uint64_t	sym_size;
	const char	*src_file;	/* DWARF line info, NULL if none */
	int		src_line;	/* 0 if none */
};

enum report_mm_kind {
	RMM_MMAP,
	RMM_MPROTECT,
	RMM_MUNMAP,
	RMM_MREMAP,
	RMM_BRK,
};

struct report_mm {
	size_t		event;		/* index into events[] */
	enum report_mm_kind kind;
	int		tid;
	uint64_t	rel_us;
	uint64_t	addr;		/* addr=; mremap: the old address;
					 * brk: brk= */
	uint64_t	len;		/* len=; mremap: old_len= */
	uint64_t	new_len;	/* mremap only */
	uint64_t	new_addr;	/* mremap only: the 5th argument */
	char		prot[8];	/* mmap, mprotect; "" otherwise */
	const char	*flags;		/* mmap, mremap; "" otherwise */
	int		fd;		/* mmap; -1 otherwise */
	const char	*file;		/* mmap; NULL for "-" and others */
	uint64_t	off;		/* mmap */
	bool		ok;		/* the call succeeded */
	int64_t		error;		/* -errno when !ok, else 0 */
	uint64_t	result;		/* mmap/mremap: the address; brk: the
					 * break; else 0 */
	size_t		object;		/* the object it mapped or changed, or
					 * REPORT_NONE */
	/*
	 * mmap, mprotect, munmap of a file's object whose bias is known: the
	 * allocated sections of the file the range overlaps, in address
	 * order, space-separated ("" if none); NULL when not known.
	 */
	char		*sections;
};

/* ------------------------------------------------------------------ */
/* Faults and their attribution                                        */


enum report_access { RACC_READ, RACC_WRITE, RACC_EXEC, RACC_OTHER };
enum report_result {
	RRES_MINOR, RRES_MAJOR, RRES_RETRY, RRES_SIGSEGV, RRES_SIGBUS,
	RRES_OOM, RRES_OTHER,
};
enum report_cache { RCACHE_NONE, RCACHE_HIT, RCACHE_MISS, RCACHE_OTHER };

struct report_fault {
	size_t		event;		/* index into events[] */
	int		tid;
	uint64_t	rel_us;
	bool		has_since;
	uint64_t	since_ns;	/* since= */
	uint64_t	addr;
	bool		has_ip;
	uint64_t	ip;		/* ip=, when not "-" */
	enum report_access access;
	enum report_result result;
	enum report_cache cache;
	/* The trace's own words for the fields above and the others. */
	const char	*access_name;	/* "read", "write", "exec" */
	const char	*mode;		/* "user", "kernel", "remote" */
	const char	*result_name;	/* "minor", "major", ... */
	const char	*cache_name;	/* "hit", "miss", "-" */
	const char	*lock;		/* "vma", "mmap" */
	uint64_t	lat_ns;		/* lat= */
	const char	*obj;		/* the kernel's obj= */
	long		seg;		/* seg=, -1 for none */
	bool		has_off;
	uint64_t	off;		/* off=: the kernel's file offset */
	const char	*file;		/* file= (obj=lib), NULL for "-" */
	struct report_attr at_addr;	/* where addr= lies */
	struct report_attr at_ip;	/* where ip= lies (RATTR_NONE: ip=-) */
	bool		first_touch;	/* first fault on its page */
};

/* A page in the order the session first faulted on it. */
struct report_touch {
	uint64_t	page;		/* addr rounded down to the page */
	size_t		fault;		/* index of the first fault on it */
};

/* ------------------------------------------------------------------ */
/* The session                                                         */

struct report_totals {
	unsigned long	faults;		/* page_fault events */
	unsigned long	by_result[RRES_OTHER + 1];
	unsigned long	by_access[RACC_OTHER + 1];
	unsigned long	cache_hit;
	unsigned long	cache_miss;
	unsigned long	pages;		/* distinct pages touched */
	uint64_t	lat_ns;		/* sum of lat= of every fault */
	/*
	 * What a warm run (every page in the page cache) would not pay:
	 * the faults that read from the disk, their count and latency.
	 * A cache miss is the first (retry) call of a major fault; the
	 * retried call is counted in major.  saved_lat_ns sums lat= of
	 * the cache=miss calls and of the major calls.
	 */
	unsigned long	saved_faults;	/* cache=miss calls */
	uint64_t	saved_lat_ns;
};

struct report_session {
	unsigned long	id;
	bool		has_pid;
	long		pid;		/* load_start pid= */
	char		*comm;		/* comm column of the first line */
	char		*file;		/* load_start file=, NULL if none */
	char		*interp;	/* load_start interp=, NULL if none */
	char		*label;		/* load_start label=, NULL for "-" */
	uint64_t	elf_offset;	/* load_start elf_offset= */
	uint64_t	start_us;	/* timestamp of the first line */
	uint64_t	end_us;		/* timestamp of the last line */
	bool		has_load_end;
	int64_t		load_result;	/* load_end result= */
	uint64_t	load_ns;	/* load_end load_ns= */

	size_t		nevents;
	struct report_event *events;
	size_t		nsteps;
	struct report_step *steps;
	size_t		nobjects;
	struct report_object *objects;
	size_t		nmm;
	struct report_mm *mm;
	size_t		nfaults;
	struct report_fault *faults;
	size_t		ntouches;
	struct report_touch *touches;	/* first-touch order of pages */
	struct report_totals totals;
	/*
	 * Where execution starts (load_entry): entry= (the interpreter's
	 * entry, or the program's when it has none), exe_entry= (AT_ENTRY),
	 * each placed in the mappings of that moment; and the program's
	 * "main" from its symbol table (state RATTR_NONE when there is
	 * none).  Attributed like the faults.
	 */
	bool		has_entry;
	struct report_attr entry_at;
	struct report_attr exe_entry_at;
	struct report_attr main_at;
	/*
	 * Private to report_attr.c: the ELF files read, which own the
	 * section, symbol and source strings of the attributions.
	 */
	void		*attr_priv;
};

/* The whole report: the sessions chosen from one trace. */
struct report {
	const char	*trace_path;	/* as given, "-" for stdin */
	const char	*root;		/* --root, NULL if none */
	size_t		nsessions;
	struct report_session *sessions;
	unsigned long	skipped_lines;	/* lines that were not events */
};

/* ------------------------------------------------------------------ */
/* Building (report_model.c) and attribution (report_attr.c)           */

/*
 * Build the model of session @id from @n raw trace lines @lines (any
 * order; sorted here by timestamp).  @line_nos gives each line's 1-based
 * number in the input, or is NULL.  Returns 0, or -1 with a message in
 * @err (the trace is malformed: a known event lacks a field it must
 * have, or has a value that does not parse).
 */
int report_session_build(struct report_session *s, unsigned long id,
			 char *const *lines, const size_t *line_nos, size_t n,
			 char *err, size_t errlen);

/*
 * Read the ELF files the session names (under @root if not NULL) and
 * fill objects[].symbols and the faults' at_addr/at_ip.  Missing or
 * unreadable files are not an error: their objects say why (symbols,
 * error).  Returns 0.
 */
int report_session_attribute(struct report_session *s, const char *root);

/* Free what report_session_attribute() kept (called by the next). */
void report_session_attr_free(struct report_session *s);

void report_session_free(struct report_session *s);
void report_free(struct report *r);

/*
 * @a in words, as the text report prints it: "OBJECT:SECTION:SYMBOL+0xOFF",
 * "OBJECT:SECTION:(no symbol)", "OBJECT:(no symbols)", "-" (no ip) ...
 */
void report_attr_format(const struct report_session *s,
			const struct report_attr *a, char *buf, size_t len);

/* Names of the enums, as the JSON and CSV writers print them. */
const char *report_obj_kind_name(enum report_obj_kind k);
const char *report_sym_state_name(enum report_sym_state s);
const char *report_attr_state_name(enum report_attr_state s);
const char *report_mm_kind_name(enum report_mm_kind k);

/* ------------------------------------------------------------------ */
/* Writers                                                             */

/*
 * Each writes the whole report @r to @f and returns 0 (EXIT_OK), or an
 * exit status (1: cannot write, 2: this format cannot be made) after a
 * message on stderr.  @f is opened in binary-safe mode by the caller.
 */
int report_write_text(FILE *f, const struct report *r);
int report_write_json(FILE *f, const struct report *r);
int report_write_csv(FILE *f, const struct report *r);
int report_write_perfetto(FILE *f, const struct report *r);
int report_write_svg(FILE *f, const struct report *r);

#endif /* BFT_REPORT_MODEL_H */
