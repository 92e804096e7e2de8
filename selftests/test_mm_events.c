// SPDX-License-Identifier: GPL-2.0
/*
 * test_mm_events - the memory-map system call events (mmap, mprotect,
 * munmap, mremap, brk) of a traced program, checked against what the
 * program itself saw (progs/mmcalls.c):
 *
 *   - ld.so's mprotect() of the executable's PT_GNU_RELRO, r--, result 0,
 *     exactly over the pages dl_iterate_phdr() gives;
 *   - ld.so's mmap() of libc, with libc's real path and an address;
 *   - the program's own mmap, mprotect, mremap, munmap and brk(0), field
 *     by field, in the order it made them, and an mmap of a bad fd
 *     (result=-9);
 *   - every event after load_end, by the program's thread, counted in
 *     maps= of its sessions line, no probe missed;
 *   - each mmap() of a file written from task work at the return to user
 *     mode (mmap_deferred in stats), with its full path (mmap_name_only
 *     stays 0), and before any fault on what it mapped;
 *   - a plain program's mmap() while the probes are armed: no event.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS		"/selftests/progs"
#define MMCALLS_BFT	"/tmp/mmcalls.bft"
#define PAGE		4096UL
#define PAGE_DOWN(a)	((uint64_t)(a) & ~(PAGE - 1))

/* The memory-map events of @s named @name whose fields are all @want. */
static size_t count_where(const struct tp_trace *t, uint32_t s,
			  const char *name, const char *const want[][2],
			  size_t *last)
{
	size_t i, n = 0;
	int k;

	for (i = 0; i < t->n; i++) {
		if (t->ev[i].session != s || !tp_is(&t->ev[i], name))
			continue;
		for (k = 0; want[k][0]; k++)
			if (!tp_eq(&t->ev[i], want[k][0], want[k][1]))
				break;
		if (!want[k][0]) {
			n++;
			*last = i;
		}
	}
	return n;
}

/* "0x%llx" of @v in @buf, for comparing with a trace value. */
static const char *hex(char *buf, uint64_t v)
{
	sprintf(buf, "0x%llx", (unsigned long long)v);
	return buf;
}

/* The value of "@key=..." in the program's output, or "". */
static void out_str(const char *out, const char *key, char *buf, size_t size)
{
	const char *p = out;
	size_t len = strlen(key);

	buf[0] = '\0';
	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, len) == 0 && p[len] == '=') {
			snprintf(buf, size, "%.*s", (int)strcspn(p + len + 1,
								  "\n"),
				 p + len + 1);
			return;
		}
	}
}

/* Exactly one event @name of @s has the fields @want; its index. */
#define EXPECT_ONE(t, s, name, want, idx)				\
	do {								\
		size_t __n = count_where(t, s, name, want, idx);	\
		EXPECT_EQ(1UL, __n) {					\
			TH_LOG("%zu %s events with the fields of the "	\
			       "program's call; the session's:", __n,	\
			       name);					\
			tp_dump(t, s, 0, 80);				\
		}							\
	} while (0)

struct mm_run {
	char *out;
	pid_t pid;
	struct tp_trace t;
	uint32_t s;
};

static void run_mmcalls(struct __test_metadata *_metadata, struct mm_run *r)
{
	char *argv[] = { "mmcalls", NULL };
	int status;

	ASSERT_EQ(0, tp_clear());
	ASSERT_EQ(0, tp_wrap(PROGS "/mmcalls", MMCALLS_BFT, "mm", 0));
	status = tp_run(MMCALLS_BFT, argv, &r->out, &r->pid);
	ASSERT_EQ(0, status) TH_LOG("wait status 0x%x, output:\n%s", status,
				    r->out);
	ASSERT_EQ(0, tp_read_trace(&r->t));
	r->s = tp_session_of_pid(&r->t, r->pid);
	ASSERT_NE(0U, r->s) tp_dump(&r->t, 0, 0, 40);
}

/*
 * Every memory-map event of the session has its documented keys and
 * syntax, comes after load_end, is the program's own thread's, and
 * maps= of the sessions line counts them all.
 */
static void check_all_events(struct __test_metadata *_metadata,
			     const struct mm_run *r)
{
	const struct tp_event *ev;
	size_t end = SIZE_MAX, n = 0, i;
	struct tp_event line;
	const char *why;

	for (i = 0; i < r->t.n; i++) {
		ev = &r->t.ev[i];
		if (ev->session != r->s)
			continue;
		if (tp_is(ev, "load_end"))
			end = i;
		if (!tp_is_mm(ev))
			continue;
		n++;
		EXPECT_TRUE(tp_check_format(ev, &why)) TH_LOG("%s: %s", why,
							      ev->line);
		EXPECT_TRUE(end != SIZE_MAX && i > end)
			TH_LOG("before load_end: %s", ev->line);
		EXPECT_EQ(r->pid, ev->tid) TH_LOG("%s", ev->line);
	}
	EXPECT_LT(5UL, n);
	ASSERT_EQ(0, tp_session_line(r->s, &line));
	EXPECT_EQ(0, tp_d(&line, "dropped"));
	EXPECT_EQ((int64_t)n, tp_d(&line, "maps")) TH_LOG("%s", line.line);
	EXPECT_EQ((int64_t)tp_count(&r->t, r->s, NULL), tp_d(&line, "events"))
		TH_LOG("%s", line.line);
	tp_event_free(&line);
}

/* ld.so's mprotect(PROT_READ) of the executable's PT_GNU_RELRO. */
static void check_relro(struct __test_metadata *_metadata,
			const struct mm_run *r)
{
	uint64_t bias = tp_out(r->out, "bias");
	uint64_t vaddr = tp_out(r->out, "relro_vaddr");
	uint64_t memsz = tp_out(r->out, "relro_memsz");
	char a[32], l[32];
	uint64_t start;
	size_t idx;

	ASSERT_NE(TP_BAD, bias) TH_LOG("output:\n%s", r->out);
	ASSERT_NE(TP_BAD, vaddr) TH_LOG("no PT_GNU_RELRO:\n%s", r->out);
	ASSERT_NE(TP_BAD, memsz);
	start = PAGE_DOWN(bias + vaddr);
	ASSERT_LT(start, PAGE_DOWN(bias + vaddr + memsz));
	hex(a, start);
	hex(l, PAGE_DOWN(bias + vaddr + memsz) - start);

	const char *const want[][2] = {
		{ "addr", a }, { "len", l }, { "prot", "r--" },
		{ "result", "0" }, { NULL, NULL },
	};

	EXPECT_ONE(&r->t, r->s, "mprotect", want, &idx);
}

/* ld.so's mmap() of libc: the real path, an address. */
static void check_libc(struct __test_metadata *_metadata,
		       const struct mm_run *r)
{
	const struct tp_event *ev;
	size_t n = 0, first = 0, i;
	char libc[PATH_MAX];

	out_str(r->out, "libc", libc, sizeof(libc));
	ASSERT_NE('\0', libc[0]) TH_LOG("output:\n%s", r->out);
	for (i = 0; i < r->t.n; i++) {
		ev = &r->t.ev[i];
		if (ev->session != r->s || !tp_is(ev, "mmap") ||
		    !tp_eq(ev, "file", libc))
			continue;
		EXPECT_NE(TP_BAD, tp_x(ev, "result")) TH_LOG("%s", ev->line);
		EXPECT_LE(0, tp_d(ev, "fd")) TH_LOG("%s", ev->line);
		first += tp_eq(ev, "off", "0x0");
		n++;
	}
	EXPECT_LE(1UL, first) tp_dump(&r->t, r->s, 0, 80);
	EXPECT_LE(2UL, n) TH_LOG("mmap events of %s: %zu", libc, n);
}

/* The program's own calls, field by field, in the order made. */
static void check_own_calls(struct __test_metadata *_metadata,
			    const struct mm_run *r)
{
	uint64_t anon = tp_out(r->out, "anon"), moved = tp_out(r->out, "mremap");
	uint64_t brk = tp_out(r->out, "brk");
	size_t i_mmap = 0, i_prot = 0, i_remap = 0, i_unmap = 0, i_brk = 0;
	size_t i_bad = 0;
	char anon_s[32], prot_s[32], last_s[32], moved_s[32], brk_s[32];

	ASSERT_NE(TP_BAD, anon) TH_LOG("output:\n%s", r->out);
	ASSERT_EQ(0UL, tp_out(r->out, "mprotect")) TH_LOG("%s", r->out);
	ASSERT_NE(TP_BAD, moved) TH_LOG("%s", r->out);
	ASSERT_EQ(0UL, tp_out(r->out, "munmap")) TH_LOG("%s", r->out);
	ASSERT_NE(TP_BAD, brk);
	hex(anon_s, anon);
	hex(prot_s, anon + PAGE);
	hex(last_s, anon + 2 * PAGE);
	hex(moved_s, moved);
	hex(brk_s, brk);

	const char *const want_mmap[][2] = {
		{ "addr", "0x0" }, { "len", "0x3000" }, { "prot", "rw-" },
		{ "flags", "PRIVATE|ANONYMOUS" }, { "fd", "-1" },
		{ "file", "-" }, { "off", "0x0" }, { "result", anon_s },
		{ NULL, NULL },
	};
	const char *const want_mprotect[][2] = {
		{ "addr", prot_s }, { "len", "0x1000" }, { "prot", "r--" },
		{ "result", "0" }, { NULL, NULL },
	};
	const char *const want_mremap[][2] = {
		{ "addr", last_s }, { "old_len", "0x1000" },
		{ "new_len", "0x3000" }, { "flags", "MAYMOVE" },
		{ "new_addr", "0x0" }, { "result", moved_s }, { NULL, NULL },
	};
	const char *const want_munmap[][2] = {
		{ "addr", moved_s }, { "len", "0x3000" }, { "result", "0" },
		{ NULL, NULL },
	};
	const char *const want_brk[][2] = {
		{ "brk", "0x0" }, { "result", brk_s }, { NULL, NULL },
	};
	const char *const want_bad[][2] = {
		{ "addr", "0x0" }, { "len", "0x1000" }, { "prot", "r--" },
		{ "flags", "PRIVATE" }, { "fd", "987" }, { "file", "-" },
		{ "off", "0x0" }, { "result", "-9" }, { NULL, NULL },
	};

	EXPECT_ONE(&r->t, r->s, "mmap", want_mmap, &i_mmap);
	EXPECT_ONE(&r->t, r->s, "mprotect", want_mprotect, &i_prot);
	EXPECT_ONE(&r->t, r->s, "mremap", want_mremap, &i_remap);
	EXPECT_ONE(&r->t, r->s, "munmap", want_munmap, &i_unmap);
	/* glibc's malloc asked for brk(0) too: the last is ours. */
	EXPECT_LE(1UL, count_where(&r->t, r->s, "brk", want_brk, &i_brk));
	EXPECT_EQ(-9, (int)tp_out(r->out, "badfd")) TH_LOG("%s", r->out);
	EXPECT_ONE(&r->t, r->s, "mmap", want_bad, &i_bad);
	EXPECT_TRUE(i_mmap < i_prot && i_prot < i_remap &&
		    i_remap < i_unmap && i_unmap < i_brk && i_brk < i_bad)
		tp_dump(&r->t, r->s, 0, 80);
}

/* The mmap events of @s that name a file. */
static long long count_file_mmaps(const struct tp_trace *t, uint32_t s)
{
	const struct tp_event *ev;
	long long n = 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		ev = &t->ev[i];
		n += ev->session == s && tp_is(ev, "mmap") &&
		     !tp_eq(ev, "file", "-");
	}
	return n;
}

/*
 * Whether a successful mmap of a file before @upto in the trace maps
 * @addr: the event of a mapping comes before the faults on it.
 */
static bool mapped_before(const struct tp_trace *t, uint32_t s, size_t upto,
			  uint64_t addr)
{
	const struct tp_event *ev;
	uint64_t start, len;
	size_t i;

	for (i = 0; i < upto; i++) {
		ev = &t->ev[i];
		if (ev->session != s || !tp_is(ev, "mmap") ||
		    tp_eq(ev, "file", "-"))
			continue;
		start = tp_x(ev, "result");
		len = tp_x(ev, "len");
		if (start != TP_BAD && addr >= start && addr - start < len)
			return true;
	}
	return false;
}

/* Every obj=lib fault of the session has its mmap event before it. */
static void check_mmap_before_faults(struct __test_metadata *_metadata,
				     const struct mm_run *r)
{
	const struct tp_event *ev;
	size_t i, n = 0;

	for (i = 0; i < r->t.n; i++) {
		ev = &r->t.ev[i];
		if (ev->session != r->s || !tp_is(ev, "page_fault") ||
		    !tp_eq(ev, "obj", "lib"))
			continue;
		n++;
		EXPECT_TRUE(mapped_before(&r->t, r->s, i, tp_x(ev, "addr")))
			TH_LOG("no mmap before %s", ev->line);
	}
	EXPECT_LT(0UL, n) TH_LOG("no fault on libc");
}

TEST(traced_program)
{
	long long deferred = tp_stat("mmap_deferred");
	long long name_only = tp_stat("mmap_name_only");
	struct mm_run r = { 0 };
	const char *const keys[] = { "mmap_probe_missed",
		"mprotect_probe_missed", "pkey_mprotect_probe_missed",
		"munmap_probe_missed", "mremap_probe_missed",
		"brk_probe_missed" };
	size_t i;

	run_mmcalls(_metadata, &r);
	check_all_events(_metadata, &r);
	check_relro(_metadata, &r);
	check_libc(_metadata, &r);
	check_own_calls(_metadata, &r);
	check_mmap_before_faults(_metadata, &r);
	ASSERT_LE(0, deferred);
	EXPECT_EQ(count_file_mmaps(&r.t, r.s),
		  tp_stat("mmap_deferred") - deferred);
	EXPECT_EQ(name_only, tp_stat("mmap_name_only"));
	const char *key;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		key = keys[i];
		EXPECT_EQ(0, tp_stat(key)) TH_LOG("%s", key);
	}
	tp_free(&r.t);
	free(r.out);
	unlink(MMCALLS_BFT);
}

/* Wait until the sessions file says @pid's session is running. */
static bool wait_running(pid_t pid)
{
	struct tp_event line;
	char id[16];
	int tries;
	bool ok;

	snprintf(id, sizeof(id), "%d", pid);
	for (tries = 0; tries < 200; tries++) {
		ok = !tp_session_line_where("pid", id, &line) &&
		     tp_eq(&line, "state", "running");
		tp_event_free(&line);
		if (ok)
			return true;
		usleep(20000);
	}
	return false;
}

/*
 * A plain mmcalls run while a traced program keeps the probes armed: its
 * calls pass the probes' filter and leave nothing in the trace.
 */
TEST(untraced_program)
{
	char *wait_argv[] = { "loadinfo", "wait", NULL };
	char *argv[] = { "mmcalls", NULL };
	const char *waiter = "/tmp/mm-waiter.bft";
	struct tp_trace t;
	pid_t traced, plain;
	int in[2], status;
	uint32_t s;
	size_t i, mine = 0, others = 0;
	char *out;

	ASSERT_EQ(0, tp_wrap(PROGS "/loadinfo", waiter, "waiter", 0));
	ASSERT_EQ(0, tp_clear());
	ASSERT_EQ(0, pipe2(in, O_CLOEXEC));
	traced = tp_spawn(waiter, wait_argv, in[0], -1);
	close(in[0]);
	ASSERT_LT(0, traced);
	ASSERT_TRUE(wait_running(traced));
	ASSERT_EQ(1, tp_stat("probes_armed"));

	status = tp_run(PROGS "/mmcalls", argv, &out, &plain);
	EXPECT_EQ(0, status) TH_LOG("%s", out);
	EXPECT_NE(TP_BAD, tp_out(out, "anon")) TH_LOG("%s", out);
	EXPECT_EQ(1, tp_stat("probes_armed"));
	close(in[1]);
	ASSERT_EQ(traced, waitpid(traced, &status, 0));
	EXPECT_EQ(0, status);

	ASSERT_EQ(0, tp_read_trace(&t));
	s = tp_session_of_pid(&t, traced);
	ASSERT_NE(0U, s);
	for (i = 0; i < t.n; i++) {
		if (t.ev[i].tid == plain) {
			mine++;
			TH_LOG("event of the plain program: %s", t.ev[i].line);
		}
		if (tp_is_mm(&t.ev[i]) && t.ev[i].session != s)
			others++;
	}
	EXPECT_EQ(0UL, mine);
	EXPECT_EQ(0UL, others) tp_dump(&t, 0, 0, 40);
	/* The probes were live: the traced program's ld.so mapped libc. */
	EXPECT_LE(1UL, tp_count(&t, s, "mmap")) tp_dump(&t, s, 0, 40);
	tp_free(&t);
	free(out);
	unlink(waiter);
}

TEST_HARNESS_MAIN
