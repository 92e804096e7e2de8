// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace - what binfmt_trace records, checked against what the traced
 * programs and their ELF files say (docs/trace-format.md is the contract):
 *
 *   - every page a program touches gives exactly the faults the access
 *     calls for, with the right object, segment, file offset and thread,
 *     and the counts match the program's own getrusage();
 *   - cold page cache: misses, major faults; warm: hits, none major;
 *   - load events: one load_phdr per program header of the executable and
 *     of ld.so, every load_map where /proc/self/maps has it, the auxv,
 *     the interpreter bias and entry, the stack and the brk;
 *   - plain programs are not traced, forked children are until they exec;
 *   - a full buffer overwrites its oldest events: the newest session is
 *     whole, events= tells how many a reader lost, lines stay whole;
 *   - threads' faults carry their own tid;
 *   - enable=0 and the wrapper's flags turn recording off.
 *
 * Each test clears the buffer first and finds its program's session from
 * the pid= of its load_start.  A failure logs the offending trace lines.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS		"/selftests/progs"
#define DISK		"/mnt/disk"
#define PAGE		4096UL
#define PAGE_DOWN(a)	((uint64_t)(a) & ~(PAGE - 1))
#define PAGE_UP(a)	PAGE_DOWN((uint64_t)(a) + PAGE - 1)
#define MAX_PHDRS	64
#define FLOOD_FAULTS	(64UL * 16384)

/* The program headers of an ELF file, and its PT_INTERP. */
struct elf_info {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHDRS];
	char interp[PATH_MAX];
};

static int elf_read(const char *path, struct elf_info *e)
{
	ssize_t want;
	int fd = open(path, O_RDONLY), i, ret = -1;

	memset(e, 0, sizeof(*e));
	if (fd < 0)
		return -1;
	if (pread(fd, &e->eh, sizeof(e->eh), 0) != sizeof(e->eh) ||
	    memcmp(e->eh.e_ident, ELFMAG, SELFMAG) ||
	    e->eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    e->eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    e->eh.e_phnum > MAX_PHDRS)
		goto out;
	want = e->eh.e_phnum * sizeof(Elf64_Phdr);
	if (pread(fd, e->ph, want, e->eh.e_phoff) != want)
		goto out;
	for (i = 0; i < e->eh.e_phnum; i++) {
		if (e->ph[i].p_type != PT_INTERP)
			continue;
		if (e->ph[i].p_filesz >= sizeof(e->interp) ||
		    pread(fd, e->interp, e->ph[i].p_filesz,
			  e->ph[i].p_offset) != (ssize_t)e->ph[i].p_filesz)
			goto out;
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

/* The PT_LOAD whose [p_vaddr, p_vaddr + p_memsz) holds @vaddr, or -1. */
static int elf_seg_of(const struct elf_info *e, uint64_t vaddr)
{
	int i;

	for (i = 0; i < e->eh.e_phnum; i++)
		if (e->ph[i].p_type == PT_LOAD && e->ph[i].p_vaddr <= vaddr &&
		    vaddr < e->ph[i].p_vaddr + e->ph[i].p_memsz)
			return i;
	return -1;
}

/* The first header of type @type, or NULL. */
static const Elf64_Phdr *elf_phdr(const struct elf_info *e, uint32_t type)
{
	int i;

	for (i = 0; i < e->eh.e_phnum; i++)
		if (e->ph[i].p_type == type)
			return &e->ph[i];
	return NULL;
}

/* stock total_mapping_size(): from the page of the lowest PT_LOAD. */
static uint64_t elf_total_size(const struct elf_info *e)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	int i;

	for (i = 0; i < e->eh.e_phnum; i++) {
		if (e->ph[i].p_type != PT_LOAD)
			continue;
		if (PAGE_DOWN(e->ph[i].p_vaddr) < lo)
			lo = PAGE_DOWN(e->ph[i].p_vaddr);
		if (e->ph[i].p_vaddr + e->ph[i].p_memsz > hi)
			hi = e->ph[i].p_vaddr + e->ph[i].p_memsz;
	}
	return hi - lo;
}

/* A file of @pages pages, each filled with its index. */
static int make_data_file(const char *path, int pages)
{
	char page[PAGE];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), i, ret = 0;

	if (fd < 0)
		return -1;
	for (i = 0; i < pages && !ret; i++) {
		memset(page, 'a' + i % 26, sizeof(page));
		if (write(fd, page, sizeof(page)) != sizeof(page))
			ret = -1;
	}
	close(fd);
	return ret;
}

/* One traced run: the program's output, its session, the whole trace. */
struct run {
	char path[128];		/* the wrapped program */
	char *out;		/* its stdout */
	pid_t pid;
	int status;
	uint64_t t0, t1;	/* CLOCK_MONOTONIC us before and after */
	struct tp_trace t;
	uint32_t s;		/* its session */
};

static void run_traced(struct __test_metadata *_metadata, struct run *r,
		       char *const argv[])
{
	r->t0 = tp_now_us();
	r->status = tp_run(r->path, argv, &r->out, &r->pid);
	r->t1 = tp_now_us() + 1;
	ASSERT_EQ(0, r->status) TH_LOG("%s: wait status 0x%x, output:\n%s",
					r->path, r->status, r->out);
	ASSERT_EQ(0, tp_read_trace(&r->t));
	r->s = tp_session_of_pid(&r->t, r->pid);
	if (!r->s) {
		TH_LOG("no load_start with pid=%d; %zu lines in the trace:",
		       r->pid, r->t.n);
		tp_dump(&r->t, 0, 0, 60);
	}
	ASSERT_NE(0U, r->s);
}

static void free_run(struct run *r)
{
	tp_free(&r->t);
	free(r->out);
	r->out = NULL;
}

/*
 * Every line of the trace parses; every event of the run's session has
 * its documented keys and value syntax, a timestamp within the run and a
 * CPU that exists.
 */
static void check_session_lines(struct __test_metadata *_metadata,
				const struct run *r)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	const struct tp_event *ev;
	size_t bad = 0;
	const char *why;

	EXPECT_EQ(0UL, r->t.nbad) tp_dump_bad(&r->t);
	for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++) {
		if (ev->session != r->s)
			continue;
		why = NULL;
		if (!tp_check_format(ev, &why))
			;
		else if (ev->ts_us < r->t0 || ev->ts_us > r->t1)
			why = "timestamp outside the run";
		else if ((long)ev->cpu >= ncpu)
			why = "no such cpu";
		if (why && bad++ < 10)
			TH_LOG("%s: %s", why, ev->line);
	}
	EXPECT_EQ(0UL, bad) TH_LOG("run from %llu.%06llu to %llu.%06llu",
				 (unsigned long long)r->t0 / 1000000,
				 (unsigned long long)r->t0 % 1000000,
				 (unsigned long long)r->t1 / 1000000,
				 (unsigned long long)r->t1 % 1000000);
}

/*
 * The sessions line of a finished run agrees with its events (none of
 * which was dropped): faults= counts every page_fault event, minor=,
 * major=, cache_hit=, cache_miss= those with that result or cache,
 * retry= the result=retry ones under lock=mmap, fallback= those under
 * lock=vma, errors= the sigsegv, sigbus and oom ones; events= all of them.
 */
static void check_session_summary(struct __test_metadata *_metadata,
				  const struct run *r, const char *label)
{
	int64_t n[9] = { 0 };
	enum { EVENTS, FAULTS, MINOR, MAJOR, RETRY, FALLBACK, ERRORS, HIT,
	       MISS };
	static const char * const keys[] = { "events", "faults", "minor",
		"major", "retry", "fallback", "errors", "cache_hit",
		"cache_miss" };
	const struct tp_event *ev, *end;
	struct tp_event line;
	const char *why;
	int i;

	for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++) {
		if (ev->session != r->s)
			continue;
		n[EVENTS]++;
		if (!tp_is(ev, "page_fault"))
			continue;
		n[FAULTS]++;
		n[MINOR] += tp_eq(ev, "result", "minor");
		n[MAJOR] += tp_eq(ev, "result", "major");
		n[RETRY] += tp_eq(ev, "result", "retry") &&
			    tp_eq(ev, "lock", "mmap");
		n[FALLBACK] += tp_eq(ev, "result", "retry") &&
			       tp_eq(ev, "lock", "vma");
		n[ERRORS] += tp_eq(ev, "result", "sigsegv") ||
			     tp_eq(ev, "result", "sigbus") ||
			     tp_eq(ev, "result", "oom");
		n[HIT] += tp_eq(ev, "cache", "hit");
		n[MISS] += tp_eq(ev, "cache", "miss");
	}
	ASSERT_EQ(0, tp_session_line(r->s, &line))
		TH_LOG("no session=%u in the sessions file", r->s);
	EXPECT_TRUE(tp_check_format(&line, &why))
		TH_LOG("%s: %s", why, line.line);
	EXPECT_EQ(r->pid, tp_d(&line, "pid")) TH_LOG("%s", line.line);
	EXPECT_TRUE(tp_eq(&line, "file", r->path)) TH_LOG("%s", line.line);
	EXPECT_TRUE(tp_eq(&line, "label", label)) TH_LOG("%s", line.line);
	EXPECT_TRUE(tp_eq(&line, "state", "exited")) TH_LOG("%s", line.line);
	EXPECT_EQ(0, tp_d(&line, "dropped")) TH_LOG("%s", line.line);
	end = tp_find(&r->t, r->s, "load_end");
	ASSERT_NE(NULL, end);
	EXPECT_EQ(tp_d(end, "result"), tp_d(&line, "result"))
		TH_LOG("%s", line.line);
	EXPECT_EQ(tp_d(end, "load_ns"), tp_d(&line, "load_ns"))
		TH_LOG("%s", line.line);
	for (i = 0; i < (int)ARRAY_SIZE(keys); i++) {
		EXPECT_EQ(n[i], tp_d(&line, keys[i]))
			TH_LOG("%s= in '%s'", keys[i], line.line);
	}
	tp_event_free(&line);
}

static int cmp_since(const void *a, const void *b)
{
	int64_t x = tp_d(*(const struct tp_event * const *)a, "since");
	int64_t y = tp_d(*(const struct tp_event * const *)b, "since");

	return x < y ? -1 : x > y;
}

/* The page_fault events of session @s on @page's page, by since=. */
static size_t faults_at(const struct tp_trace *t, uint32_t s, uint64_t page,
			const struct tp_event **v, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < t->n && n < max; i++)
		if (t->ev[i].session == s && tp_is(&t->ev[i], "page_fault") &&
		    PAGE_DOWN(tp_x(&t->ev[i], "addr")) == PAGE_DOWN(page))
			v[n++] = &t->ev[i];
	qsort(v, n, sizeof(*v), cmp_since);
	return n;
}

/* What one touched page must have seen. */
struct want {
	const char *name;	/* its "name=0xADDR" line */
	const char *access[3];	/* the faults, in order */
	const char *obj;
	int seg;		/* -1: none (seg=-1) */
	int64_t off;		/* -1: '-' */
	const char *file;
	const char *cache;	/* exact, or NULL: "hit" or "-" */
	const char *result;
	int tid;
	const char *comm;
	const char *comm_alt;	/* also accepted, if not NULL */
};

/* Is @ev's comm the one @w expects (or its alternative)? */
static bool comm_ok(const struct tp_event *ev, const struct want *w)
{
	return !strcmp(ev->comm, w->comm) ||
	       (w->comm_alt && !strcmp(ev->comm, w->comm_alt));
}

/*
 * The faults at one page, in since= order, are exactly the accesses of
 * @w: each one fault, minor (or as @w says), at the address touched, by
 * @w->tid from user mode, with @w's object, segment, offset and file.  A
 * fault may be preceded by result=retry attempts of the same access
 * (VM_FAULT_RETRY: the kernel does it again and counts only the last);
 * nothing else may touch the page.
 */
static void check_page(struct __test_metadata *_metadata,
		       const struct run *r, uint64_t addr,
		       const struct want *w)
{
	const struct tp_event *v[32], *ev;
	char why[160] = "";
	size_t n, i;
	int done = 0, nacc = 0;

	while (nacc < 3 && w->access[nacc])
		nacc++;
	n = faults_at(&r->t, r->s, addr, v, ARRAY_SIZE(v));
	for (i = 0; i < n && !*why; i++) {
		ev = v[i];
		if (done == nacc) {
			snprintf(why, sizeof(why), "one fault too many");
		} else if (!tp_eq(ev, "access", w->access[done])) {
			snprintf(why, sizeof(why), "expected access=%s",
				 w->access[done]);
		} else if (ev->tid != w->tid) {
			snprintf(why, sizeof(why), "expected tid %d", w->tid);
		} else if (tp_eq(ev, "result", "retry")) {
			continue;
		} else if (tp_x(ev, "addr") != addr) {
			snprintf(why, sizeof(why), "expected addr=0x%llx",
				 (unsigned long long)addr);
		} else if (!tp_eq(ev, "mode", "user")) {
			snprintf(why, sizeof(why), "expected mode=user");
		} else if (!comm_ok(ev, w)) {
			snprintf(why, sizeof(why), "expected comm %s", w->comm);
		} else if (!tp_eq(ev, "obj", w->obj)) {
			snprintf(why, sizeof(why), "expected obj=%s", w->obj);
		} else if (tp_d(ev, "seg") != w->seg) {
			snprintf(why, sizeof(why), "expected seg=%d", w->seg);
		} else if (w->off < 0 ? !tp_eq(ev, "off", "-") :
			   tp_x(ev, "off") != (uint64_t)w->off) {
			snprintf(why, sizeof(why), "expected off=0x%llx",
				 (unsigned long long)w->off);
		} else if (!tp_eq(ev, "file", w->file)) {
			snprintf(why, sizeof(why), "expected file=%s", w->file);
		} else if (!tp_eq(ev, "result", w->result)) {
			snprintf(why, sizeof(why), "expected result=%s",
				 w->result);
		} else if (w->cache ? !tp_eq(ev, "cache", w->cache) :
			   tp_eq(ev, "cache", "miss")) {
			snprintf(why, sizeof(why), "expected cache=%s",
				 w->cache ? w->cache : "hit or -");
		} else if (tp_x(ev, "ip") == TP_BAD) {
			snprintf(why, sizeof(why), "expected an ip=");
		} else if (!strcmp(w->access[done], "exec") &&
			   tp_x(ev, "ip") != addr) {
			snprintf(why, sizeof(why), "expected ip=addr");
		} else {
			done++;
		}
	}
	if (!*why && done < nacc)
		snprintf(why, sizeof(why), "%d fault(s) missing, access=%s",
			 nacc - done, w->access[done]);
	EXPECT_STREQ("", why) {
		TH_LOG("page %s=0x%llx: %s; its faults:", w->name,
		       (unsigned long long)addr, why);
		for (i = 0; i < n; i++)
			tp_log_line(v[i]->line);
	}
}

/*
 * The faults that touch counted with getrusage(), from its mark0 write to
 * its mark1 write, are the page_fault events of its thread in that window
 * with result=minor and result=major: the kernel's mm_account_fault()
 * counts each handle_mm_fault() call that way and skips retries and
 * errors.
 */
static void check_rusage(struct __test_metadata *_metadata,
			 const struct run *r)
{
	uint64_t mark0 = tp_out(r->out, "mark0"), mark1 = tp_out(r->out, "mark1");
	const struct tp_event *v[32], *ev;
	int64_t lo, hi, since, minor = 0, major = 0;
	size_t n0, n1;

	n0 = faults_at(&r->t, r->s, mark0, v, ARRAY_SIZE(v));
	ASSERT_LT(0UL, n0) TH_LOG("no fault at mark0=0x%llx",
				(unsigned long long)mark0);
	lo = tp_d(v[0], "since");
	n1 = faults_at(&r->t, r->s, mark1, v, ARRAY_SIZE(v));
	ASSERT_LT(0UL, n1) TH_LOG("no fault at mark1=0x%llx",
				(unsigned long long)mark1);
	hi = tp_d(v[n1 - 1], "since");
	for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++) {
		if (ev->session != r->s || !tp_is(ev, "page_fault") ||
		    ev->tid != r->pid || tp_eq(ev, "mode", "remote"))
			continue;
		since = tp_d(ev, "since");
		if (since < lo || since > hi)
			continue;
		minor += tp_eq(ev, "result", "minor");
		major += tp_eq(ev, "result", "major");
	}
	EXPECT_EQ((int64_t)tp_out(r->out, "minflt"), minor);
	EXPECT_EQ((int64_t)tp_out(r->out, "majflt"), major);
	if ((int64_t)tp_out(r->out, "minflt") != minor ||
	    (int64_t)tp_out(r->out, "majflt") != major) {
		TH_LOG("getrusage: minflt=%llu majflt=%llu; the faults from "
		       "since=%lld to since=%lld:",
		       (unsigned long long)tp_out(r->out, "minflt"),
		       (unsigned long long)tp_out(r->out, "majflt"),
		       (long long)lo, (long long)hi);
		for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++)
			if (ev->session == r->s && tp_is(ev, "page_fault") &&
			    tp_d(ev, "since") >= lo && tp_d(ev, "since") <= hi)
				tp_log_line(ev->line);
	}
}

FIXTURE(trace) {
};

/*
 * The timestamps are compared with CLOCK_MONOTONIC: switch the instance
 * from ftrace's default clock to mono, as docs/trace-format.md tells
 * users to (it empties the buffer, which the tests do anyway).
 */
FIXTURE_SETUP(trace)
{
	ASSERT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
	ASSERT_EQ(0, tp_write_file(TP_INSTANCE "/trace_clock", "mono"));
	ASSERT_EQ(0, tp_clear());
}

FIXTURE_TEARDOWN(trace)
{
}

/* The pages of progs/touch and what each access must fault. */
static void check_touch_pages(struct __test_metadata *_metadata,
			      const struct run *r, const struct elf_info *e,
			      const char *mapped)
{
	static const char * const rw_names[] = { "data0", "data1", "data2",
		"data3", "bss0", "bss1", "bss2", "bss3", "bssrw" };
	static const char * const heap_names[] = { "heap0", "heap1", "heap2",
						   "heap3" };
	static const char * const file_names[] = { "file0", "file1", "file2",
						   "file3" };
	const char *comm = strrchr(r->path, '/') + 1;
	struct want w;
	uint64_t addr;
	int i, seg;

	for (i = 0; i < (int)ARRAY_SIZE(rw_names); i++) {
		addr = tp_out(r->out, rw_names[i]);
		ASSERT_NE(TP_BAD, addr) TH_LOG("%s", rw_names[i]);
		seg = elf_seg_of(e, addr);
		ASSERT_LE(0, seg);
		ASSERT_EQ((Elf64_Word)(PF_R | PF_W), e->ph[seg].p_flags);
		w = (struct want){
			.name = rw_names[i], .access = { "write" },
			.obj = "exe", .seg = seg, .off = -1, .file = "-",
			.cache = "-", .result = "minor", .tid = r->pid,
			.comm = comm,
		};
		if (i < 4) {
			/* .data: in the file, copied on write */
			ASSERT_LE(addr + PAGE, e->ph[seg].p_vaddr +
				  e->ph[seg].p_filesz);
			w.off = addr - e->ph[seg].p_vaddr + e->ph[seg].p_offset;
			w.cache = "hit";
		} else {
			/* .bss: wholly beyond the file part */
			ASSERT_LE(e->ph[seg].p_vaddr + e->ph[seg].p_filesz,
				  addr);
		}
		if (i == 8) {
			w.access[0] = "read";
			w.access[1] = "write";
		}
		check_page(_metadata, r, addr, &w);
	}
	for (i = 0; i < (int)ARRAY_SIZE(heap_names); i++) {
		w = (struct want){
			.name = heap_names[i], .access = { "write" },
			.obj = "heap", .seg = -1, .off = -1, .file = "-",
			.cache = "-", .result = "minor", .tid = r->pid,
			.comm = comm,
		};
		check_page(_metadata, r, tp_out(r->out, heap_names[i]), &w);
	}
	for (i = 0; mapped && i < (int)ARRAY_SIZE(file_names); i++) {
		w = (struct want){
			.name = file_names[i], .access = { "read" },
			.obj = "lib", .seg = -1, .off = i * 32 * PAGE,
			.file = strrchr(mapped, '/') + 1, .cache = NULL,
			.result = "minor", .tid = r->pid, .comm = comm,
		};
		check_page(_metadata, r, tp_out(r->out, file_names[i]), &w);
	}
	addr = tp_out(r->out, "far");
	seg = elf_seg_of(e, addr);
	ASSERT_LE(0, seg);
	ASSERT_EQ((Elf64_Word)(PF_R | PF_X), e->ph[seg].p_flags);
	w = (struct want){
		.name = "far", .access = { "exec" }, .obj = "exe", .seg = seg,
		.off = addr - e->ph[seg].p_vaddr + e->ph[seg].p_offset,
		.file = "-", .cache = NULL, .result = "minor", .tid = r->pid,
		.comm = comm,
	};
	check_page(_metadata, r, addr, &w);
}

/*
 * 1. A wrapped static program touches known pages once each: .data
 * written, .bss written, one .bss page read then written, the heap
 * written, a file on ext4 read every 32 pages, a lone function executed.
 * Each page has exactly the faults those accesses call for.  The trace is
 * in time order, and the sessions line sums the session up.
 */
TEST_F_TIMEOUT(trace, touched_pages_fault_exactly_once_each, 120)
{
	struct run r = { .path = DISK "/bft-touch" };
	char *argv[] = { "bft-touch", DISK "/bft-mapped", NULL };
	const struct tp_event *ev;
	struct elf_info e;
	size_t i, late = 0;

	ASSERT_EQ(0, elf_read(PROGS "/touch", &e));
	ASSERT_EQ(ET_EXEC, e.eh.e_type);
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", r.path, "touch", 0));
	ASSERT_EQ(0, make_data_file(argv[1], 128));
	run_traced(_metadata, &r, argv);
	check_session_lines(_metadata, &r);
	check_session_summary(_metadata, &r, "touch");
	check_touch_pages(_metadata, &r, &e, argv[1]);
	check_rusage(_metadata, &r);

	/* Decision: `trace` merges the CPUs' buffers in time order. */
	for (i = 1; i < r.t.n; i++) {
		if (r.t.ev[i].ts_us >= r.t.ev[i - 1].ts_us)
			continue;
		if (late++ < 3) {
			TH_LOG("out of time order:");
			tp_log_line(r.t.ev[i - 1].line);
			tp_log_line(r.t.ev[i].line);
		}
	}
	EXPECT_EQ(0UL, late);

	/* One address space, torn down once, last. */
	EXPECT_EQ(1UL, tp_count(&r.t, r.s, "mm_exit"));
	ev = tp_find(&r.t, r.s, "mm_exit");
	if (ev) {
		EXPECT_EQ(0, tp_d(ev, "mms_left")) TH_LOG("%s", ev->line);
		EXPECT_EQ(r.pid, ev->tid) TH_LOG("%s", ev->line);
		for (i = 0; i < r.t.n; i++) {
			EXPECT_FALSE(r.t.ev[i].session == r.s &&
				     r.t.ev[i].ts_us > ev->ts_us)
				TH_LOG("after mm_exit: %s", r.t.ev[i].line);
		}
	}
	EXPECT_EQ(0UL, tp_count(&r.t, r.s, "fork"));
	free_run(&r);
	unlink(r.path);
	unlink(argv[1]);
}

/*
 * A fault that read the page (cache=miss) is major, or a retry whose
 * next attempt on the same page, by the same thread, is major (the kernel
 * counts a retried fault as major).  Returns the number of misses on @obj.
 */
static int check_misses(struct __test_metadata *_metadata,
			const struct run *r, const char *obj)
{
	const struct tp_event *v[4096], *ev;
	size_t n = 0, i, j;
	int misses = 0;

	for (ev = r->t.ev; ev < r->t.ev + r->t.n && n < ARRAY_SIZE(v); ev++)
		if (ev->session == r->s && tp_is(ev, "page_fault"))
			v[n++] = ev;
	qsort(v, n, sizeof(*v), cmp_since);
	for (i = 0; i < n; i++) {
		if (!tp_eq(v[i], "cache", "miss"))
			continue;
		misses += tp_eq(v[i], "obj", obj);
		if (tp_eq(v[i], "result", "major"))
			continue;
		EXPECT_TRUE(tp_eq(v[i], "result", "retry"))
			TH_LOG("a miss neither major nor retry: %s", v[i]->line);
		for (j = i + 1; j < n; j++) {
			if (v[j]->tid != v[i]->tid)
				continue;
			if (PAGE_DOWN(tp_x(v[j], "addr")) !=
			    PAGE_DOWN(tp_x(v[i], "addr")) ||
			    !tp_eq(v[j], "result", "retry"))
				break;
		}
		EXPECT_TRUE(j < n && tp_eq(v[j], "result", "major") &&
			    PAGE_DOWN(tp_x(v[j], "addr")) ==
			    PAGE_DOWN(tp_x(v[i], "addr"))) {
			TH_LOG("a retried miss not followed by a major fault "
			       "of that page:");
			tp_log_line(v[i]->line);
			if (j < n)
				tp_log_line(v[j]->line);
		}
	}
	return misses;
}

/*
 * 2. The page cache: run from ext4 after drop_caches, the program's own
 * pages are read (cache=miss), major faults; among them the lone function
 * of touch, whose fault must end major after a miss.  Run again: no miss,
 * no major fault on the executable, and the .data copy-on-write faults
 * find their pages (cache=hit).  Both runs: counts match getrusage().
 */
TEST_F_TIMEOUT(trace, page_cache_cold_then_warm, 120)
{
	struct run cold = { .path = DISK "/bft-cold" }, warm = cold;
	char *argv[] = { "bft-cold", NULL };
	const struct tp_event *v[32], *ev;
	int misses, bad = 0;
	struct elf_info e;
	size_t n, i;

	ASSERT_EQ(0, elf_read(PROGS "/touch", &e));
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", cold.path, "cold", 0));
	sync();
	ASSERT_EQ(0, tp_write_file("/proc/sys/vm/drop_caches", "3"));

	run_traced(_metadata, &cold, argv);
	check_session_lines(_metadata, &cold);
	misses = check_misses(_metadata, &cold, "exe");
	EXPECT_LT(0, misses) tp_dump(&cold.t, cold.s, 0, 400);
	n = faults_at(&cold.t, cold.s, tp_out(cold.out, "far"), v,
		      ARRAY_SIZE(v));
	for (i = 0; i < n && !tp_eq(v[i], "cache", "miss"); i++)
		;
	EXPECT_TRUE(n && i < n && tp_eq(v[n - 1], "result", "major") &&
		    tp_eq(v[n - 1], "access", "exec")) {
		TH_LOG("far=0x%llx: expected a miss, then a major exec fault:",
		       (unsigned long long)tp_out(cold.out, "far"));
		for (i = 0; i < n; i++)
			tp_log_line(v[i]->line);
	}
	check_rusage(_metadata, &cold);
	EXPECT_LT(0, (int64_t)tp_out(cold.out, "majflt"));

	ASSERT_EQ(0, tp_clear());
	run_traced(_metadata, &warm, argv);
	check_session_lines(_metadata, &warm);
	for (ev = warm.t.ev; ev < warm.t.ev + warm.t.n; ev++) {
		if (ev->session != warm.s || !tp_is(ev, "page_fault") ||
		    !tp_eq(ev, "obj", "exe"))
			continue;
		if (tp_eq(ev, "cache", "miss") || tp_eq(ev, "result", "major")) {
			if (bad++ < 10)
				TH_LOG("warm cache, yet: %s", ev->line);
		}
	}
	EXPECT_EQ(0, bad);
	n = faults_at(&warm.t, warm.s, tp_out(warm.out, "data0"), v,
		      ARRAY_SIZE(v));
	EXPECT_TRUE(n && tp_eq(v[n - 1], "cache", "hit") &&
		    tp_eq(v[n - 1], "access", "write")) {
		TH_LOG("data0: expected a write fault with cache=hit:");
		for (i = 0; i < n; i++)
			tp_log_line(v[i]->line);
	}
	check_rusage(_metadata, &warm);
	free_run(&cold);
	free_run(&warm);
	unlink(cold.path);
}

/* The values a loadinfo run printed. */
struct loadinfo {
	uint64_t argvp, argv0, start_brk;
	uint64_t auxv[64][2];
	int nauxv;
	char *maps[256];
	int nmaps;
};

static void parse_loadinfo(char *out, struct loadinfo *li)
{
	unsigned long long id, val;
	char *line, *save = NULL;

	memset(li, 0, sizeof(*li));
	li->argvp = tp_out(out, "argvp");
	li->argv0 = tp_out(out, "argv0");
	li->start_brk = tp_out(out, "start_brk");
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "auxv %llu 0x%llx", &id, &val) == 2 &&
		    li->nauxv < (int)ARRAY_SIZE(li->auxv)) {
			li->auxv[li->nauxv][0] = id;
			li->auxv[li->nauxv][1] = val;
			li->nauxv++;
		} else if (strncmp(line, "map ", 4) == 0 &&
			   li->nmaps < (int)ARRAY_SIZE(li->maps)) {
			li->maps[li->nmaps++] = line + 4;
		}
	}
}

static uint64_t auxv_get(const struct loadinfo *li, uint64_t id)
{
	int i;

	for (i = 0; i < li->nauxv; i++)
		if (li->auxv[i][0] == id)
			return li->auxv[i][1];
	return TP_BAD;
}

static const char *auxv_key(uint64_t id)
{
	static const char * const names[] = {
		[0] = "AT_NULL", [1] = "AT_IGNORE", [2] = "AT_EXECFD",
		[3] = "AT_PHDR", [4] = "AT_PHENT", [5] = "AT_PHNUM",
		[6] = "AT_PAGESZ", [7] = "AT_BASE", [8] = "AT_FLAGS",
		[9] = "AT_ENTRY", [10] = "AT_NOTELF", [11] = "AT_UID",
		[12] = "AT_EUID", [13] = "AT_GID", [14] = "AT_EGID",
		[15] = "AT_PLATFORM", [16] = "AT_HWCAP", [17] = "AT_CLKTCK",
		[23] = "AT_SECURE", [24] = "AT_BASE_PLATFORM",
		[25] = "AT_RANDOM", [26] = "AT_HWCAP2",
		[27] = "AT_RSEQ_FEATURE_SIZE", [28] = "AT_RSEQ_ALIGN",
		[29] = "AT_HWCAP3", [30] = "AT_HWCAP4", [31] = "AT_EXECFN",
		[32] = "AT_SYSINFO", [33] = "AT_SYSINFO_EHDR",
		[51] = "AT_MINSIGSTKSZ",
	};

	return id < ARRAY_SIZE(names) ? names[id] : NULL;
}

static const char *phdr_type(uint32_t type, char *buf, size_t size)
{
	switch (type) {
	case PT_NULL: return "NULL";
	case PT_LOAD: return "LOAD";
	case PT_DYNAMIC: return "DYNAMIC";
	case PT_INTERP: return "INTERP";
	case PT_NOTE: return "NOTE";
	case PT_SHLIB: return "SHLIB";
	case PT_PHDR: return "PHDR";
	case PT_TLS: return "TLS";
	case PT_GNU_EH_FRAME: return "GNU_EH_FRAME";
	case PT_GNU_STACK: return "GNU_STACK";
	case PT_GNU_RELRO: return "GNU_RELRO";
	case PT_GNU_PROPERTY: return "GNU_PROPERTY";
	}
	snprintf(buf, size, "0x%x", type);
	return buf;
}

static const char *phdr_flags(uint32_t flags, char *buf)
{
	char *p = buf;

	if (flags & PF_R)
		*p++ = 'R';
	if (flags & PF_W)
		*p++ = 'W';
	if (flags & PF_X)
		*p++ = 'E';
	if (p == buf)
		*p++ = '-';
	*p = '\0';
	return buf;
}

static const char *prot_of(uint32_t flags, char *buf)
{
	buf[0] = flags & PF_R ? 'r' : '-';
	buf[1] = flags & PF_W ? 'w' : '-';
	buf[2] = flags & PF_X ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

/* "A|B" and "B|A" are the same set of MAP_ names. */
static bool same_flags(const char *got, const char *want)
{
	char a[128], *tok, *save = NULL;
	int n = 0, m = 0;
	const char *p;

	if (!got)
		return false;
	for (p = want; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
		m++;
	snprintf(a, sizeof(a), "%s", got);
	for (tok = strtok_r(a, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save), n++) {
		size_t len = strlen(tok);

		for (p = want; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
			if (strncmp(p, tok, len) == 0 &&
			    (p[len] == '|' || !p[len]))
				break;
		if (!p)
			return false;
	}
	return n == m;
}

static int cmp_ts(const void *a, const void *b)
{
	const struct tp_event *x = *(const struct tp_event * const *)a;
	const struct tp_event *y = *(const struct tp_event * const *)b;

	if (x->ts_us != y->ts_us)
		return x->ts_us < y->ts_us ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The events of @r's session named @name, in time order. */
static size_t session_events(const struct run *r, const char *name,
			     const struct tp_event **v, size_t max)
{
	const struct tp_event *ev;
	size_t n = 0;

	for (ev = r->t.ev; ev < r->t.ev + r->t.n && n < max; ev++)
		if (ev->session == r->s && (!name || tp_is(ev, name)))
			v[n++] = ev;
	qsort(v, n, sizeof(*v), cmp_ts);
	return n;
}

/* load_phdr events @v[0..] against the headers of @e. */
static void check_phdrs(struct __test_metadata *_metadata,
			const struct tp_event **v, size_t n,
			const struct elf_info *e, const char *obj)
{
	const Elf64_Phdr *ph;
	char tb[16], fb[8];
	int i;

	ASSERT_LE(e->eh.e_phnum, n) TH_LOG("%zu load_phdr obj=%s left", n, obj);
	for (i = 0; i < e->eh.e_phnum; i++) {
		ph = &e->ph[i];
		EXPECT_TRUE(tp_eq(v[i], "obj", obj) &&
			    tp_d(v[i], "index") == i &&
			    tp_eq(v[i], "type",
				  phdr_type(ph->p_type, tb, sizeof(tb))) &&
			    tp_x(v[i], "offset") == ph->p_offset &&
			    tp_x(v[i], "vaddr") == ph->p_vaddr &&
			    tp_x(v[i], "paddr") == ph->p_paddr &&
			    tp_x(v[i], "filesz") == ph->p_filesz &&
			    tp_x(v[i], "memsz") == ph->p_memsz &&
			    tp_eq(v[i], "flags", phdr_flags(ph->p_flags, fb)) &&
			    tp_x(v[i], "align") == ph->p_align)
			TH_LOG("expected obj=%s index=%d type=%s offset=0x%llx "
			       "vaddr=0x%llx paddr=0x%llx filesz=0x%llx "
			       "memsz=0x%llx flags=%s align=0x%llx, got: %s",
			       obj, i, phdr_type(ph->p_type, tb, sizeof(tb)),
			       (unsigned long long)ph->p_offset,
			       (unsigned long long)ph->p_vaddr,
			       (unsigned long long)ph->p_paddr,
			       (unsigned long long)ph->p_filesz,
			       (unsigned long long)ph->p_memsz,
			       phdr_flags(ph->p_flags, fb),
			       (unsigned long long)ph->p_align, v[i]->line);
	}
}

/* The maps line that starts at @addr, or NULL. */
static const char *maps_line_at(const struct loadinfo *li, uint64_t addr)
{
	unsigned long long start;
	int i;

	for (i = 0; i < li->nmaps; i++)
		if (sscanf(li->maps[i], "%llx-", &start) == 1 && start == addr)
			return li->maps[i];
	return NULL;
}

/*
 * The load_map events of @obj against the PT_LOADs of @e with a file
 * part, in order, mapped with bias @bias: what stock elf_map() is asked
 * and does.  Each mapping that succeeded starts a line of the program's
 * /proc/self/maps with its protection (read-only where ld.so applied
 * PT_GNU_RELRO), private, at the file offset (plus the wrapper header for
 * the executable) of @path.
 */
static void check_maps(struct __test_metadata *_metadata,
		       const struct run *r, const struct loadinfo *li,
		       const struct elf_info *e, const char *obj,
		       uint64_t bias, const char *path)
{
	const struct tp_event *v[64], *all[64];
	const Elf64_Phdr *ph, *relro = elf_phdr(e, PT_GNU_RELRO);
	uint64_t in_page, want_addr, got, total = elf_total_size(e);
	uint64_t relro_lo = 0, relro_hi = 0, shift;
	size_t n_all, n = 0, k = 0;
	char prot[4], perms[8], mperms[8], mpath[PATH_MAX];
	unsigned long long mstart, mend, moff;
	const char *line;
	bool first, is_exe = strcmp(obj, "exe") == 0;
	int i;

	n_all = session_events(r, "load_map", all, ARRAY_SIZE(all));
	for (k = 0; k < n_all; k++)
		if (tp_eq(all[k], "obj", obj))
			v[n++] = all[k];
	if (relro) {
		relro_lo = PAGE_DOWN(bias + relro->p_vaddr);
		relro_hi = PAGE_DOWN(bias + relro->p_vaddr + relro->p_memsz);
	}
	shift = is_exe ? BFT_ELF_ALIGN : 0;
	k = 0;
	for (i = 0; i < e->eh.e_phnum; i++) {
		ph = &e->ph[i];
		if (ph->p_type != PT_LOAD || !ph->p_filesz)
			continue;
		first = k == 0;
		ASSERT_LT(k, n) TH_LOG("no load_map obj=%s for seg %d", obj, i);
		in_page = ph->p_vaddr & (PAGE - 1);
		want_addr = PAGE_DOWN(bias + ph->p_vaddr);
		got = tp_x(v[k], "result");
		EXPECT_TRUE(tp_d(v[k], "seg") == i &&
			    tp_x(v[k], "addr") ==
			    (first && !is_exe ? 0 : want_addr) &&
			    tp_x(v[k], "len") == PAGE_UP(ph->p_filesz + in_page) &&
			    tp_eq(v[k], "prot", prot_of(ph->p_flags, prot)) &&
			    same_flags(tp_get(v[k], "flags"),
				       first ? (is_exe ? "PRIVATE|FIXED_NOREPLACE" :
						"PRIVATE") : "PRIVATE|FIXED") &&
			    tp_x(v[k], "off") == ph->p_offset - in_page &&
			    (first ? tp_x(v[k], "total") == total ||
				     tp_x(v[k], "total") == PAGE_UP(total) :
				     tp_x(v[k], "total") == 0) &&
			    got == want_addr)
			TH_LOG("expected seg=%d addr=0x%llx len=0x%llx prot=%s "
			       "off=0x%llx total=%s result=0x%llx, got: %s", i,
			       (unsigned long long)(first && !is_exe ? 0 : want_addr),
			       (unsigned long long)PAGE_UP(ph->p_filesz + in_page),
			       prot, (unsigned long long)(ph->p_offset - in_page),
			       first ? "the image size" : "0x0",
			       (unsigned long long)want_addr, v[k]->line);

		line = maps_line_at(li, got);
		snprintf(perms, sizeof(perms), "%sp",
			 got >= relro_lo && got < relro_hi ? "r--" : prot);
		EXPECT_TRUE(line &&
			    sscanf(line, "%llx-%llx %7s %llx %*s %*s %4095s",
				   &mstart, &mend, mperms, &moff, mpath) == 5 &&
			    strcmp(mperms, perms) == 0 &&
			    moff == ph->p_offset - in_page + shift &&
			    strcmp(mpath, path) == 0)
			TH_LOG("%s: expected a maps line at 0x%llx %s offset "
			       "0x%llx %s, got '%s'", v[k]->line,
			       (unsigned long long)got, perms,
			       (unsigned long long)(ph->p_offset - in_page + shift),
			       path, line ? line : "none");
		k++;
	}
	EXPECT_EQ(k, n) {
		TH_LOG("more load_map obj=%s than PT_LOADs with a file part:",
		       obj);
		for (; k < n; k++)
			tp_log_line(v[k]->line);
	}
}

/*
 * 3. The load of a wrapped dynamic PIE: load_start describes the file,
 * load_phdr lists the program headers of the executable then of ld.so as
 * readelf would, load_map matches the mappings /proc/self/maps shows, the
 * auxv events are /proc/self/auxv pair for pair (AT_NULL included), and
 * the interpreter bias and entry, vdso, stack, sp and brk agree with what
 * the program finds at run time.
 */
TEST_F_TIMEOUT(trace, load_events_match_headers_maps_and_auxv, 120)
{
	static const char * const once[] = { "load_start", "load_stack",
		"load_interp", "load_vdso", "load_brk", "load_entry",
		"load_end" };
	struct run r = { .path = "/tmp/bft-loadinfo" };
	char *argv[] = { "loadinfo", "arg1", NULL };
	const struct tp_event *v[256], *ev, *end;
	struct stat st;
	struct elf_info exe, in;
	struct loadinfo li;
	uint64_t at_base, at_entry, load_bias, max_end = 0, start_brk;
	unsigned long long st_lo = 0, st_hi = 0;
	char interp_real[PATH_MAX], *out_copy, key[32];
	const char *name;
	size_t n, i;
	int aslr;

	ASSERT_EQ(0, elf_read(PROGS "/loadinfo", &exe));
	ASSERT_EQ(0, stat(PROGS "/loadinfo", &st));
	ASSERT_EQ(ET_DYN, exe.eh.e_type);
	ASSERT_NE(0, exe.interp[0]);
	ASSERT_EQ(0, elf_read(exe.interp, &in));
	ASSERT_NE(NULL, realpath(exe.interp, interp_real));
	ASSERT_EQ(0, tp_wrap(PROGS "/loadinfo", r.path, "loadinfo", 0));
	run_traced(_metadata, &r, argv);
	out_copy = strdup(r.out);
	parse_loadinfo(out_copy, &li);
	ASSERT_NE(TP_BAD, li.argvp);
	ASSERT_NE(TP_BAD, li.start_brk);
	at_base = auxv_get(&li, AT_BASE);
	at_entry = auxv_get(&li, AT_ENTRY);
	ASSERT_NE(TP_BAD, at_base);
	ASSERT_NE(TP_BAD, at_entry);
	load_bias = at_entry - exe.eh.e_entry;
	check_session_lines(_metadata, &r);
	check_session_summary(_metadata, &r, "loadinfo");

	/* Once each, load_start first, load_end last of the load events. */
	for (i = 0; i < ARRAY_SIZE(once); i++) {
		ASSERT_EQ(1UL, tp_count(&r.t, r.s, once[i])) {
			TH_LOG("%s", once[i]);
			tp_dump(&r.t, r.s, 0, 200);
		}
	}
	EXPECT_EQ(0UL, tp_count(&r.t, r.s, "load_error"))
		tp_dump(&r.t, r.s, 0, 200);
	n = session_events(&r, NULL, v, ARRAY_SIZE(v));
	EXPECT_TRUE(tp_is(v[0], "load_start")) tp_log_line(v[0]->line);
	end = tp_find(&r.t, r.s, "load_end");
	for (i = 0; i < n; i++) {
		EXPECT_FALSE(tp_is_load(v[i]) && v[i]->ts_us > end->ts_us)
			TH_LOG("after load_end: %s", v[i]->line);
	}

	ev = tp_find(&r.t, r.s, "load_start");
	EXPECT_TRUE(tp_d(ev, "pid") == r.pid && tp_eq(ev, "file", r.path) &&
		    tp_eq(ev, "interp", exe.interp) && tp_d(ev, "argc") == 2 &&
		    tp_d(ev, "envc") == 2 && tp_eq(ev, "label", "loadinfo") &&
		    tp_x(ev, "flags") == 0 &&
		    tp_x(ev, "elf_offset") == BFT_ELF_ALIGN &&
		    tp_x(ev, "elf_size") == (uint64_t)st.st_size &&
		    tp_eq(ev, "type", "DYN") &&
		    tp_d(ev, "phnum") == exe.eh.e_phnum &&
		    tp_x(ev, "entry") == exe.eh.e_entry)
		TH_LOG("load_start: expected pid=%d file=%s interp=%s argc=2 "
		       "envc=2 label=loadinfo flags=0x0 elf_offset=0x1000 "
		       "elf_size=0x%llx type=DYN phnum=%d entry=0x%llx, got: %s",
		       r.pid, r.path, exe.interp,
		       (unsigned long long)st.st_size, exe.eh.e_phnum,
		       (unsigned long long)exe.eh.e_entry, ev->line);

	n = session_events(&r, "load_phdr", v, ARRAY_SIZE(v));
	ASSERT_EQ((size_t)(exe.eh.e_phnum + in.eh.e_phnum), n)
		tp_dump(&r.t, r.s, 0, 200);
	check_phdrs(_metadata, v, n, &exe, "exe");
	check_phdrs(_metadata, v + exe.eh.e_phnum, n - exe.eh.e_phnum, &in,
		    "interp");

	check_maps(_metadata, &r, &li, &exe, "exe", load_bias, r.path);
	check_maps(_metadata, &r, &li, &in, "interp", at_base, interp_real);

	ev = tp_find(&r.t, r.s, "load_interp");
	EXPECT_TRUE(ev && tp_x(ev, "bias") == at_base &&
		    tp_x(ev, "entry") == at_base + in.eh.e_entry &&
		    tp_d(ev, "result") == 0)
		TH_LOG("expected bias=0x%llx entry=0x%llx result=0, got: %s",
		       (unsigned long long)at_base,
		       (unsigned long long)(at_base + in.eh.e_entry),
		       ev ? ev->line : "none");

	ev = tp_find(&r.t, r.s, "load_entry");
	EXPECT_TRUE(ev && tp_x(ev, "entry") == at_base + in.eh.e_entry &&
		    tp_x(ev, "sp") == li.argvp - 8 &&
		    tp_x(ev, "exe_entry") == at_entry &&
		    tp_x(ev, "load_bias") == load_bias)
		TH_LOG("expected entry=0x%llx sp=0x%llx exe_entry=0x%llx "
		       "load_bias=0x%llx, got: %s",
		       (unsigned long long)(at_base + in.eh.e_entry),
		       (unsigned long long)(li.argvp - 8),
		       (unsigned long long)at_entry,
		       (unsigned long long)load_bias, ev ? ev->line : "none");
	EXPECT_EQ(0UL, (li.argvp - 8) % 16);

	n = session_events(&r, "load_auxv", v, ARRAY_SIZE(v));
	EXPECT_EQ((size_t)li.nauxv, n) tp_dump(&r.t, r.s, 0, 400);
	ASSERT_LT(0, li.nauxv);
	EXPECT_EQ(0UL, li.auxv[li.nauxv - 1][0]);
	for (i = 0; i < n && i < (size_t)li.nauxv; i++) {
		name = auxv_key(li.auxv[i][0]);
		if (!name) {
			snprintf(key, sizeof(key), "%s", tp_get(v[i], "key"));
			name = key;
		}
		EXPECT_TRUE(tp_d(v[i], "index") == (int64_t)i &&
			    tp_d(v[i], "id") == (int64_t)li.auxv[i][0] &&
			    tp_x(v[i], "value") == li.auxv[i][1] &&
			    tp_eq(v[i], "key", name))
			TH_LOG("expected index=%zu key=%s id=%llu value=0x%llx, "
			       "got: %s", i, name,
			       (unsigned long long)li.auxv[i][0],
			       (unsigned long long)li.auxv[i][1], v[i]->line);
	}

	ev = tp_find(&r.t, r.s, "load_vdso");
	EXPECT_TRUE(ev && tp_x(ev, "vdso") == auxv_get(&li, AT_SYSINFO_EHDR) &&
		    tp_d(ev, "result") == 0)
		TH_LOG("expected vdso=AT_SYSINFO_EHDR, got: %s",
		       ev ? ev->line : "none");

	/* The stack: [stack] ends within arch_align_stack() of stack_top. */
	for (i = 0; i < (size_t)li.nmaps; i++)
		if (strstr(li.maps[i], "[stack]"))
			sscanf(li.maps[i], "%llx-%llx", &st_lo, &st_hi);
	ev = tp_find(&r.t, r.s, "load_stack");
	EXPECT_TRUE(ev && tp_x(ev, "p") == li.argv0 &&
		    tp_eq(ev, "exec_stack", "disable") &&
		    tp_d(ev, "result") == 0 &&
		    st_hi <= tp_x(ev, "stack_top") &&
		    st_hi + 8192 >= tp_x(ev, "stack_top") &&
		    st_lo <= li.argvp - 8 && li.argv0 < st_hi)
		TH_LOG("expected p=0x%llx (argv[0]) exec_stack=disable "
		       "result=0, stack_top within 8 KiB above the end of "
		       "[stack] %llx-%llx, got: %s",
		       (unsigned long long)li.argv0, st_lo, st_hi,
		       ev ? ev->line : "none");

	/* The brk: from the end of the highest segment, page aligned. */
	for (i = 0; i < exe.eh.e_phnum; i++)
		if (exe.ph[i].p_type == PT_LOAD &&
		    exe.ph[i].p_vaddr + exe.ph[i].p_memsz > max_end)
			max_end = exe.ph[i].p_vaddr + exe.ph[i].p_memsz;
	aslr = (int)tp_read_number("/proc/sys/kernel/randomize_va_space");
	ev = tp_find(&r.t, r.s, "load_brk");
	start_brk = ev ? tp_x(ev, "start_brk") : 0;
	EXPECT_TRUE(ev && tp_x(ev, "elf_brk") == load_bias + max_end &&
		    start_brk >= PAGE_UP(load_bias + max_end) &&
		    start_brk <= PAGE_UP(load_bias + max_end) + PAGE &&
		    tp_x(ev, "brk") == li.start_brk &&
		    tp_d(ev, "moved") == 0 &&
		    tp_d(ev, "randomized") == (aslr >= 2))
		TH_LOG("expected elf_brk=0x%llx start_brk=its page (+1) "
		       "brk=0x%llx (/proc/self/stat) moved=0 randomized=%d, "
		       "got: %s", (unsigned long long)(load_bias + max_end),
		       (unsigned long long)li.start_brk, aslr >= 2,
		       ev ? ev->line : "none");

	for (ev = r.t.ev; ev < r.t.ev + r.t.n; ev++) {
		if (ev->session != r.s || !tp_is(ev, "load_bss"))
			continue;
		EXPECT_TRUE(tp_d(ev, "result") == 0 &&
			    (tp_eq(ev, "obj", "exe") || tp_eq(ev, "obj", "interp")))
			TH_LOG("%s", ev->line);
	}

	ev = tp_find(&r.t, r.s, "load_end");
	EXPECT_TRUE(ev && tp_d(ev, "result") == 0 && tp_d(ev, "load_ns") > 0)
		TH_LOG("%s", ev ? ev->line : "no load_end");
	free(out_copy);
	free_run(&r);
	unlink(r.path);
}

/*
 * 4a. A plain ELF is not traced: after a clear, running one leaves the
 * buffer empty (nothing else traced runs) and makes no session.
 */
TEST_F(trace, plain_program_records_nothing)
{
	char *argv[] = { "touch", NULL }, *out;
	struct tp_trace t;
	int before = tp_session_count();
	pid_t pid;

	ASSERT_LE(0, before);
	ASSERT_EQ(0, tp_read_trace(&t));
	EXPECT_EQ(0UL, t.n) tp_dump(&t, 0, 0, 20);
	tp_free(&t);
	ASSERT_EQ(0, tp_run(PROGS "/touch", argv, &out, &pid));
	ASSERT_NE(TP_BAD, tp_out(out, "far"));
	ASSERT_EQ(0, tp_read_trace(&t));
	EXPECT_EQ(0UL, t.n + t.nbad) tp_dump(&t, 0, 0, 20);
	EXPECT_EQ(before, tp_session_count());
	tp_free(&t);
	free(out);
}

/*
 * The checks shared by the two forker tests; returns the child's pid.
 * @child_comm: the comm of the child's lines.  ftrace prints the comm it
 * last saw for a pid when the line is read, not when it was written: a
 * child that exec'ed usually shows its new comm on its old lines, but
 * only once ftrace has seen the new comm (at a later event or context
 * switch of the pid: once in four PREEMPT_RT runs it had not), so its
 * comm before the exec, the parent's, is accepted too.
 */
static pid_t check_fork(struct __test_metadata *_metadata, struct run *r,
			const struct elf_info *e, const char *child_comm)
{
	const char *parent_comm = strrchr(r->path, '/') + 1;
	pid_t child = (pid_t)tp_out(r->out, "child");
	uint64_t page = tp_out(r->out, "page");
	const struct tp_event *ev, *fork_ev, *v[64];
	struct want w = {
		.name = "page", .access = { "write" }, .obj = "exe",
		.seg = elf_seg_of(e, page), .off = -1, .file = "-",
		.cache = "-", .result = "minor", .tid = child,
		.comm = child_comm, .comm_alt = parent_comm,
	};
	size_t n;

	ASSERT_EQ(r->pid, (pid_t)tp_out(r->out, "parent"));
	ASSERT_LT(0, child);
	ASSERT_LE(0, w.seg);

	/* The parent wrote one fork event naming the child. */
	EXPECT_EQ(1UL, tp_count(&r->t, r->s, "fork")) tp_dump(&r->t, r->s, 0, 400);
	fork_ev = tp_find(&r->t, r->s, "fork");
	ASSERT_NE(NULL, fork_ev);
	EXPECT_TRUE(fork_ev->tid == r->pid && tp_d(fork_ev, "child") == child)
		TH_LOG("expected tid %d child=%d: %s", r->pid, child,
		       fork_ev->line);

	/* The child's events are all of this session and after the fork. */
	for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++) {
		if (ev->tid != child)
			continue;
		EXPECT_TRUE(ev->session == r->s && ev->ts_us >= fork_ev->ts_us &&
			    comm_ok(ev, &w) &&
			    (tp_is(ev, "page_fault") || tp_is(ev, "mm_exit")))
			TH_LOG("child event out of place: %s", ev->line);
	}
	/* Its page: written by the child only, once. */
	check_page(_metadata, r, page, &w);

	/* The child's old mm goes first, the parent's last. */
	n = session_events(r, "mm_exit", v, ARRAY_SIZE(v));
	EXPECT_EQ(2UL, n) tp_dump(&r->t, r->s, 0, 400);
	if (n == 2) {
		EXPECT_TRUE(v[0]->tid == child && tp_d(v[0], "mms_left") == 1)
			TH_LOG("expected the child's mm_exit mms_left=1: %s",
			       v[0]->line);
		EXPECT_TRUE(v[1]->tid == r->pid && tp_d(v[1], "mms_left") == 0)
			TH_LOG("expected the parent's mm_exit mms_left=0: %s",
			       v[1]->line);
		for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++) {
			if (ev->session != r->s)
				continue;
			if (ev->tid == child && ev->ts_us > v[0]->ts_us)
				TH_LOG("after the child's mm_exit: %s",
				       ev->line);
			EXPECT_FALSE(ev->tid == child &&
				     ev->ts_us > v[0]->ts_us);
			EXPECT_FALSE(ev->ts_us > v[1]->ts_us)
				TH_LOG("after the last mm_exit: %s", ev->line);
		}
	}
	return child;
}

/*
 * 4b. A traced program forks: the parent writes fork child=<pid>; the
 * child's faults, with its own tid, belong to the parent's session; its
 * page (never touched by the parent) has its one write fault; its mm
 * goes with mms_left=1, the parent's with mms_left=0, last.
 */
TEST_F(trace, forked_child_is_traced_in_the_parent_session)
{
	struct run r = { .path = "/tmp/bft-forker" };
	char *argv[] = { "bft-forker", NULL };
	struct elf_info e;

	ASSERT_EQ(0, elf_read(PROGS "/forker", &e));
	ASSERT_EQ(0, tp_wrap(PROGS "/forker", r.path, "forker", 0));
	run_traced(_metadata, &r, argv);
	check_session_lines(_metadata, &r);
	check_fork(_metadata, &r, &e, "bft-forker");
	free_run(&r);
	unlink(r.path);
}

/*
 * 4b. A burst of forks: 150 children at once, more than the pool of 64
 * entries task_newtask takes its table entries from (it may not allocate:
 * PREEMPT_RT forbids it with preemption off), refilled by a work item.
 * Every fork is traced (a fork event, later that child's mm_exit) or
 * counted in track_failed; none is lost, none counted twice.
 */
TEST_F(trace, every_fork_of_a_burst_is_traced_or_counted)
{
	struct run r = { .path = "/tmp/bft-forker" };
	char *argv[] = { "bft-forker", "many", "150", NULL };
	long long failed0 = tp_stat("track_failed"), failed;
	long long forks = 0, exits = 0;
	size_t i;

	ASSERT_LE(0, failed0);
	ASSERT_EQ(0, tp_wrap(PROGS "/forker", r.path, "forker", 0));
	run_traced(_metadata, &r, argv);
	EXPECT_NE(NULL, strstr(r.out, "children=150\n"));
	for (i = 0; i < r.t.n; i++) {
		if (r.t.ev[i].session != r.s)
			continue;
		forks += tp_is(&r.t.ev[i], "fork");
		exits += tp_is(&r.t.ev[i], "mm_exit");
	}
	failed = tp_stat("track_failed") - failed0;
	EXPECT_EQ(150, forks + failed)
		TH_LOG("fork events %lld, track_failed +%lld", forks, failed);
	EXPECT_EQ(forks + 1, exits);
	EXPECT_EQ(0, tp_stat("events_dropped"));
	free_run(&r);
	unlink(r.path);
}

/*
 * 4c. The child then execs a plain ELF: its tracing ends with the exec.
 * Decision: its last event is the mm_exit of the old (traced) mm, which
 * the exec'ing task writes; nothing of the plain program is recorded, in
 * any session: no event of the child's tid after that mm_exit.  Its
 * lines show the plain program's comm, the last that ftrace saw, or the
 * forker's if ftrace has not seen the new one (check_fork()).
 */
TEST_F(trace, exec_of_a_plain_program_ends_a_child_tracing)
{
	struct run r = { .path = "/tmp/bft-forker" };
	char *argv[] = { "bft-forker", "exec", "/tmp/bft-plainexec", NULL };
	const struct tp_event *ev, *gone = NULL;
	struct elf_info e;
	int plain = 0;
	pid_t child;

	ASSERT_EQ(0, elf_read(PROGS "/forker", &e));
	ASSERT_EQ(0, tp_wrap(PROGS "/forker", r.path, "forker", 0));
	ASSERT_EQ(0, tp_copy_file(PROGS "/touch", argv[2]));
	run_traced(_metadata, &r, argv);
	ASSERT_NE(TP_BAD, tp_out(r.out, "far")) TH_LOG("%s", r.out);
	check_session_lines(_metadata, &r);
	child = check_fork(_metadata, &r, &e, "bft-plainexec");
	for (ev = r.t.ev; ev < r.t.ev + r.t.n; ev++)
		if (ev->tid == child && tp_is(ev, "mm_exit"))
			gone = ev;
	ASSERT_NE(NULL, gone);
	for (ev = gone + 1; ev < r.t.ev + r.t.n; ev++) {
		if (ev->tid != child)
			continue;
		if (plain++ < 10)
			TH_LOG("the plain program traced: %s", ev->line);
	}
	EXPECT_EQ(0, plain);
	free_run(&r);
	unlink(r.path);
	unlink(argv[2]);
}

/*
 * 6. Four threads each write the 8 pages of their own mapping: each page
 * has one write fault, anonymous, carrying the writing thread's tid; the
 * threads make no fork event.
 */
TEST_F(trace, thread_faults_carry_the_thread_tid)
{
	struct run r = { .path = "/tmp/bft-threads" };
	char *argv[] = { "bft-threads", NULL }, *line, *save = NULL, *copy;
	int tids[4] = { 0 }, ntids = 0, lines = 0, tid, i;
	unsigned long long addr;
	struct want w = {
		.name = "addr", .access = { "write" }, .obj = "anon",
		.seg = -1, .off = -1, .file = "-", .cache = "-",
		.result = "minor", .comm = "bft-threads",
	};

	ASSERT_EQ(0, tp_wrap(PROGS "/threads", r.path, "threads", 0));
	run_traced(_metadata, &r, argv);
	check_session_lines(_metadata, &r);
	check_session_summary(_metadata, &r, "threads");
	EXPECT_EQ(0UL, tp_count(&r.t, r.s, "fork"));
	copy = strdup(r.out);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "tid=%d addr=%llx", &tid, &addr) != 2)
			continue;
		lines++;
		for (i = 0; i < ntids && tids[i] != tid; i++)
			;
		if (i == ntids && ntids < 4)
			tids[ntids++] = tid;
		EXPECT_NE(r.pid, tid);
		w.tid = tid;
		check_page(_metadata, &r, addr, &w);
	}
	EXPECT_EQ(32, lines) TH_LOG("%s", r.out);
	EXPECT_EQ(4, ntids);
	free(copy);
	free_run(&r);
	unlink(r.path);
}

/*
 * lock= says which lock a fault ran under.  6.12 tries user faults under
 * the vma's lock first (lock=vma; 6.1 has no such lock: never), and a
 * result=retry there is a fallback: the same thread faults on the same
 * page again under mmap_lock.  Faults the kernel takes for the task
 * (mode=kernel, remote) are always lock=mmap.
 */
TEST_F(trace, lock_tells_a_vma_lock_fallback_from_an_io_retry)
{
	struct run r = { .path = DISK "/bft-lock" };
	char *argv[] = { "bft-lock", DISK "/bft-lock-data", NULL };
	const struct tp_event *ev, *next;
	size_t vma = 0, fallbacks = 0, bad = 0;
	struct utsname uts;
	bool vma_locks;

	ASSERT_EQ(0, uname(&uts));
	vma_locks = strncmp(uts.release, "6.1.", 4) != 0;
	ASSERT_EQ(0, make_data_file(DISK "/bft-lock-data", 128));
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", r.path, "lock", 0));
	sync();
	ASSERT_EQ(0, tp_write_file("/proc/sys/vm/drop_caches", "3"));
	run_traced(_metadata, &r, argv);
	check_session_lines(_metadata, &r);
	check_session_summary(_metadata, &r, "lock");
	for (ev = r.t.ev; ev < r.t.ev + r.t.n; ev++) {
		if (ev->session != r.s || !tp_is(ev, "page_fault") ||
		    !tp_eq(ev, "lock", "vma"))
			continue;
		vma++;
		if (!tp_eq(ev, "mode", "user") && bad++ < 10)
			TH_LOG("lock=vma, not a user fault: %s", ev->line);
		if (!tp_eq(ev, "result", "retry"))
			continue;
		fallbacks++;
		for (next = ev + 1; next < r.t.ev + r.t.n; next++)
			if (next->session == r.s &&
			    tp_is(next, "page_fault") && next->tid == ev->tid &&
			    PAGE_DOWN(tp_x(next, "addr")) ==
			    PAGE_DOWN(tp_x(ev, "addr")))
				break;
		if ((next == r.t.ev + r.t.n || !tp_eq(next, "lock", "mmap")) &&
		    bad++ < 10)
			TH_LOG("a fallback not followed by the same fault under mmap_lock: %s",
			       ev->line);
	}
	EXPECT_EQ(0UL, bad);
	if (vma_locks) {
		EXPECT_LT(0UL, vma) tp_dump(&r.t, r.s, 0, 80);
		/* The cold file pages: read under mmap_lock after a fallback. */
		EXPECT_LT(0UL, fallbacks) tp_dump(&r.t, r.s, 0, 200);
	} else {
		EXPECT_EQ(0UL, vma);
	}
	free_run(&r);
	unlink(r.path);
	unlink(DISK "/bft-lock-data");
}

/*
 * enable=0 stops recording: a wrapped program still runs, the buffer
 * stays empty.
 */
FIXTURE(disabled) {
};

FIXTURE_SETUP(disabled)
{
	ASSERT_EQ(0, tp_write_file(BFT_DEBUGFS "/enable", "0"));
	ASSERT_EQ(0, tp_clear());
}

FIXTURE_TEARDOWN(disabled)
{
	EXPECT_EQ(0, tp_write_file(BFT_DEBUGFS "/enable", "1"));
	EXPECT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
}

TEST_F(disabled, enable_0_records_nothing)
{
	char *argv[] = { "bft-off", NULL }, *out;
	const char *path = "/tmp/bft-off";
	struct tp_trace t;
	pid_t pid;

	EXPECT_EQ(0, tp_read_number(BFT_DEBUGFS "/enable"));
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", path, "off", 0));
	ASSERT_EQ(0, tp_run(path, argv, &out, &pid));
	ASSERT_NE(TP_BAD, tp_out(out, "far"));
	ASSERT_EQ(0, tp_read_trace(&t));
	EXPECT_EQ(0UL, t.n + t.nbad) tp_dump(&t, 0, 0, 20);
	tp_free(&t);
	free(out);
	unlink(path);
}

/*
 * The wrapper's flags: BFT_FLAG_NO_FAULT_EVENTS keeps the load events and
 * drops every page_fault; BFT_FLAG_NO_LOAD_EVENTS keeps the faults and
 * drops every load_* event, load_start included (decision), the session
 * still being listed in `sessions` with its pid.
 */
TEST_F(trace, wrapper_flags_turn_off_load_or_fault_events)
{
	struct run r = { .path = "/tmp/bft-noflt" };
	char *argv[] = { "bft-noflt", NULL }, *out, pidstr[16];
	const char *path = "/tmp/bft-noload";
	struct tp_event line;
	struct tp_trace t;
	uint32_t s;
	size_t i;
	pid_t pid;

	ASSERT_EQ(0, tp_wrap(PROGS "/touch", r.path, "noflt",
			     BFT_FLAG_NO_FAULT_EVENTS));
	run_traced(_metadata, &r, argv);
	check_session_lines(_metadata, &r);
	EXPECT_EQ(0UL, tp_count(&r.t, r.s, "page_fault"))
		tp_dump(&r.t, r.s, 0, 20);
	EXPECT_EQ(1UL, tp_count(&r.t, r.s, "load_end"));
	free_run(&r);
	unlink(r.path);

	ASSERT_EQ(0, tp_clear());
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", path, "noload",
			     BFT_FLAG_NO_LOAD_EVENTS));
	argv[0] = "bft-noload";
	ASSERT_EQ(0, tp_run(path, argv, &out, &pid));
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	ASSERT_EQ(0, tp_session_line_where("pid", pidstr, &line))
		TH_LOG("no sessions line with pid=%d", pid);
	s = line.session;
	tp_event_free(&line);
	ASSERT_EQ(0, tp_read_trace(&t));
	for (i = 0; i < t.n; i++) {
		EXPECT_FALSE(t.ev[i].session == s && tp_is_load(&t.ev[i]))
			TH_LOG("%s", t.ev[i].line);
	}
	r.t = t;
	r.s = s;
	r.pid = pid;
	r.out = out;
	snprintf(r.path, sizeof(r.path), "%s", path);
	EXPECT_LT(0UL, faults_at(&t, s, tp_out(out, "data0"),
			       (const struct tp_event *[4]){ 0 }, 4))
		tp_dump(&t, s, 0, 40);
	check_rusage(_metadata, &r);
	free_run(&r);
	unlink(path);
}

/*
 * 5. A 64 KiB per CPU buffer, which ftrace's policy keeps full by
 * overwriting its oldest events; buffer_size_kb is restored after.
 */
FIXTURE(flood) {
	long long old_kb;
};

FIXTURE_SETUP(flood)
{
	ASSERT_EQ(0, tp_buffer_awake());
	self->old_kb = tp_buffer_kb();
	ASSERT_LT(0, self->old_kb);
	ASSERT_EQ(0, tp_write_file(BFT_DEBUGFS "/buffer_size_kb", "64"));
	/* ftrace rounds up to whole pages of 4080 bytes of data: 17 */
	ASSERT_EQ(17 * 4080 / 1024, tp_buffer_kb());
	ASSERT_EQ(0, tp_clear());
}

FIXTURE_TEARDOWN(flood)
{
	char kb[32];

	snprintf(kb, sizeof(kb), "%lld", self->old_kb);
	EXPECT_EQ(0, tp_write_file(BFT_DEBUGFS "/buffer_size_kb", kb));
	EXPECT_EQ(self->old_kb,
		  tp_buffer_kb());
}

/* The last event of session @s in @t, or NULL. */
static const struct tp_event *tp_last(const struct tp_trace *t, uint32_t s)
{
	const struct tp_event *ev, *last = NULL;

	for (ev = t->ev; ev < t->ev + t->n; ev++)
		if (ev->session == s)
			last = ev;
	return last;
}

/*
 * A program takes 1048576 faults while nobody reads.  The buffer keeps
 * the newest events: the session's load_start is gone, its last event
 * (mm_exit, mms_left=0) is there.  events= of the session counts every
 * event written, so a reader knows it lost events= minus what it got;
 * dropped= stays 0 (nothing is refused for lack of room); faults= counts
 * all its faults, which are all among events=.  Every line is whole and
 * well-formed.
 */
TEST_F_TIMEOUT(flood, full_buffer_overwrites_the_oldest, 400)
{
	struct run r = { .path = "/tmp/bft-flood" };
	char *argv[] = { "bft-flood", NULL };
	const struct tp_event *ev;
	struct tp_event line;
	const char *why;
	size_t bad = 0, mine;
	int64_t events, faults;
	char pid[16];

	ASSERT_EQ(0, tp_wrap(PROGS "/flood", r.path, "flood", 0));
	/* Not run_traced(): the load_start that names the pid is gone. */
	ASSERT_EQ(0, tp_run(r.path, argv, &r.out, &r.pid));
	ASSERT_EQ(0, tp_read_trace(&r.t));
	snprintf(pid, sizeof(pid), "%d", r.pid);
	ASSERT_EQ(0, tp_session_line_where("pid", pid, &line));
	r.s = line.session;
	tp_event_free(&line);
	EXPECT_EQ(FLOOD_FAULTS, tp_out(r.out, "faults"));
	EXPECT_EQ(0, tp_stat("events_dropped"));

	EXPECT_EQ(0UL, r.t.nbad) tp_dump_bad(&r.t);
	for (ev = r.t.ev; ev < r.t.ev + r.t.n; ev++) {
		if (!tp_check_format(ev, &why) && bad++ < 10)
			TH_LOG("%s: %s", why, ev->line);
	}
	EXPECT_EQ(0UL, bad);
	mine = tp_count(&r.t, r.s, NULL);
	EXPECT_LT(0UL, tp_count(&r.t, r.s, "page_fault"));
	EXPECT_EQ(NULL, tp_find(&r.t, r.s, "load_start"));
	ev = tp_last(&r.t, r.s);
	ASSERT_NE(NULL, ev);
	EXPECT_TRUE(tp_is(ev, "mm_exit") && tp_d(ev, "mms_left") == 0)
		TH_LOG("the last event: %s", ev->line);

	ASSERT_EQ(0, tp_session_line(r.s, &line));
	events = tp_d(&line, "events");
	faults = tp_d(&line, "faults");
	EXPECT_EQ(0, tp_d(&line, "dropped")) TH_LOG("%s", line.line);
	EXPECT_LE((int64_t)FLOOD_FAULTS, faults) TH_LOG("%s", line.line);
	/* load steps, every fault, one mm_exit */
	EXPECT_LT(faults + 1, events) TH_LOG("%s", line.line);
	EXPECT_LT((int64_t)mine, events) TH_LOG("%s", line.line);
	EXPECT_LT((int64_t)FLOOD_FAULTS / 2, events - (int64_t)mine)
		TH_LOG("lost %lld of %lld", (long long)(events - mine),
		       (long long)events);
	EXPECT_TRUE(tp_eq(&line, "state", "exited")) TH_LOG("%s", line.line);
	EXPECT_EQ(0, tp_d(&line, "result")) TH_LOG("%s", line.line);
	tp_event_free(&line);
	free_run(&r);
	unlink(r.path);
}

#define UNREAD_SESSIONS	24

/*
 * Many sessions nobody reads, several times what the buffer holds: the
 * first ones are (partly) overwritten, yet the session run after them is
 * in the buffer whole, load_start to mm_exit, as many events as its
 * events= says.
 */
TEST_F_TIMEOUT(flood, newest_session_is_whole_after_unread_ones, 300)
{
	struct run r = { .path = "/tmp/bft-newest" };
	char *argv[] = { "bft-newest", NULL }, *out;
	const struct tp_event *ev;
	struct tp_event line;
	int64_t written = 0, kept = 0;
	uint32_t s;
	pid_t pid;
	int i;

	ASSERT_EQ(0, tp_wrap(PROGS "/hello-dynamic", r.path, "newest", 0));
	for (i = 0; i < UNREAD_SESSIONS; i++) {
		ASSERT_EQ(0, tp_run(r.path, argv, &out, &pid));
		free(out);
	}
	run_traced(_metadata, &r, argv);
	ASSERT_LT((uint32_t)UNREAD_SESSIONS, r.s);

	ev = tp_find(&r.t, r.s, "load_start");
	EXPECT_NE(NULL, ev) tp_dump(&r.t, r.s, 0, 10);
	ev = tp_last(&r.t, r.s);
	ASSERT_NE(NULL, ev);
	EXPECT_TRUE(tp_is(ev, "mm_exit") && tp_d(ev, "mms_left") == 0)
		TH_LOG("the last event: %s", ev->line);
	ASSERT_EQ(0, tp_session_line(r.s, &line));
	EXPECT_EQ(tp_d(&line, "events"), (int64_t)tp_count(&r.t, r.s, NULL))
		TH_LOG("%s", line.line);
	EXPECT_LT(100, tp_d(&line, "events")) TH_LOG("%s", line.line);
	tp_event_free(&line);

	/* The unread sessions lost events, the first one its load_start. */
	for (s = r.s - UNREAD_SESSIONS; s < r.s; s++) {
		ASSERT_EQ(0, tp_session_line(s, &line));
		written += tp_d(&line, "events");
		kept += tp_count(&r.t, s, NULL);
		tp_event_free(&line);
	}
	EXPECT_LT(kept, written);
	EXPECT_EQ(NULL, tp_find(&r.t, r.s - UNREAD_SESSIONS, "load_start"))
		tp_dump(&r.t, r.s - UNREAD_SESSIONS, 0, 10);
	free_run(&r);
	unlink(r.path);
}

TEST_HARNESS_MAIN
