// SPDX-License-Identifier: GPL-2.0
/*
 * test_ring_capture - fault_capture=ring: the fast capture's faults as
 * binary records (bft_ring.h) in the module's own ring, read from
 * faults_raw:
 *
 *   - the probes arm with it, the ring is allocated, and the stats say so;
 *   - a traced program's faults are records, not page_fault lines; from
 *     its first record to its mm_exit the kernel counted exactly one
 *     fault per record, and from mark0 to mark1 as many as touch's own
 *     getrusage(); records come out oldest first, stamped by the clock of
 *     the instance's lines ("local"), between load_start and mm_exit;
 *   - a record has the access, mode and ip of the fast capture's
 *     page_fault line at the same page, and leaves obj=, seg= and off= to
 *     the reader (obj=unknown, seg=-1, off=-);
 *   - bft run places every record as the kernel places the fault (the
 *     fast capture's lines): with ASLR off, warm, the same programs
 *     traced both ways give the same faults with the same page, access,
 *     mode, obj, seg and off (exe, interp, libs, bss, heap, stack, vDSO
 *     and its data, mmap/mremap/munmap, a forked child);
 *   - a full ring keeps the newest records: the lost ones are counted in
 *     BFT_RING_LOST records and in the stats, and the last fault before
 *     the exit is there;
 *   - a read with room for less than two records is EINVAL; an empty ring
 *     reads as end of file; a record a bad buffer could not take is
 *     returned by the next read;
 *   - bft run reads faults_raw: its summary counts every fault, minor, and
 *     its --trace-out has one page_fault line per fault, of the documented
 *     syntax, each obj=lib line naming the file of the mmap event whose
 *     range holds its address.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "trace_parse.h"
#include "bft_ring.h"

#define PROGS		"/selftests/progs"
#define PARAMS		"/sys/module/" BFT_MODULE_NAME "/parameters/"
#define RAW		BFT_DEBUGFS "/faults_raw"
#define TOUCH		"/tmp/ring-touch.bft"
#define BENCH		"/tmp/ring-bench.bft"
#define TRACE_OUT	"/tmp/ring-trace.txt"

static const char *const obj_names[] = {
	"exe", "interp", "lib", "heap", "stack", "anon", "vdso", "vvar",
	"none", "unknown",
};
static const char *const access_names[] = { "read", "write", "exec" };
static const char *const mode_names[] = { "user", "kernel" };

struct records {
	struct bft_ring_rec *r;
	size_t n;
};

/* Every record faults_raw has now; -1 on a read error. */
static int read_records(struct records *out)
{
	char buf[64 * sizeof(struct bft_ring_rec)];
	ssize_t got;
	int fd = open(RAW, O_RDONLY);

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return -1;
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		size_t k = got / sizeof(struct bft_ring_rec);

		out->r = realloc(out->r, (out->n + k) * sizeof(*out->r));
		memcpy(out->r + out->n, buf, got);
		out->n += k;
		if (got % sizeof(struct bft_ring_rec))
			break;
	}
	close(fd);
	return got < 0 ? -1 : 0;
}

struct run {
	char *out;
	pid_t pid;
	struct tp_trace t;
	uint32_t s;
	struct records rec;
};

/* Run @prog traced with @capture, from an empty instance and ring. */
static void run_traced(struct __test_metadata *_metadata, struct run *r,
		       const char *capture, char *const argv[])
{
	struct records old;

	ASSERT_TRUE(tp_wait_disarmed());
	ASSERT_EQ(0, tp_write_file(PARAMS "fault_capture", capture));
	ASSERT_EQ(0, tp_clear());
	ASSERT_EQ(0, read_records(&old));
	free(old.r);
	ASSERT_EQ(0, tp_run(argv[0], argv, &r->out, &r->pid));
	ASSERT_EQ(0, tp_read_trace(&r->t));
	ASSERT_EQ(0, read_records(&r->rec));
	r->s = tp_session_of_pid(&r->t, r->pid);
	ASSERT_NE(0U, r->s);
}

static void run_touch(struct __test_metadata *_metadata, struct run *r,
		      const char *capture)
{
	char *argv[] = { TOUCH, NULL };

	run_traced(_metadata, r, capture, argv);
}

static void free_run(struct run *r)
{
	free(r->out);
	free(r->rec.r);
	tp_free(&r->t);
}

static bool is_fault_of(const struct bft_ring_rec *x, const struct run *r)
{
	return x->type == BFT_RING_FAULT && x->session == r->s &&
	       x->tid == (uint32_t)r->pid;
}

/* The record of @r's task at @addr's page. */
static const struct bft_ring_rec *record_at(const struct run *r,
					    uint64_t addr)
{
	const struct bft_ring_rec *x;

	for (x = r->rec.r; x < r->rec.r + r->rec.n; x++)
		if (is_fault_of(x, r) && (x->addr & ~4095ULL) == (addr & ~4095ULL))
			return x;
	return NULL;
}

/* The fast capture's page_fault line of @r's task at @addr's page. */
static const struct tp_event *line_at(const struct run *r, uint64_t addr)
{
	const struct tp_event *ev;

	for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++)
		if (ev->session == r->s && tp_is(ev, "page_fault") &&
		    ev->tid == r->pid &&
		    (tp_x(ev, "addr") & ~4095ULL) == (addr & ~4095ULL))
			return ev;
	return NULL;
}

static const struct tp_event *event_of(const struct run *r, const char *name)
{
	const struct tp_event *ev;

	for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++)
		if (ev->session == r->s && tp_is(ev, name) && ev->tid == r->pid)
			return ev;
	return NULL;
}

static uint32_t counts(const struct bft_ring_rec *x)
{
	return x->min_flt + x->maj_flt;
}

FIXTURE(ring) {
	char delay[32];
	char kb[32];
};

FIXTURE_SETUP(ring)
{
	ASSERT_EQ(0, tp_swap_file(PARAMS "disarm_delay_ms", "100", self->delay,
				  sizeof(self->delay)));
	ASSERT_EQ(0, tp_swap_file(PARAMS "ring_kb", "1024", self->kb,
				  sizeof(self->kb)));
	ASSERT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
	/* The ring's clock, so the lines and the records compare. */
	ASSERT_EQ(0, tp_write_file(TP_INSTANCE "/trace_clock", "local"));
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", TOUCH, "ring", 0));
	ASSERT_EQ(0, tp_wrap(PROGS "/bench", BENCH, "ring", 0));
}

FIXTURE_TEARDOWN(ring)
{
	tp_wait_disarmed();
	tp_write_file(PARAMS "fault_capture", "detail");
	tp_write_file(PARAMS "disarm_delay_ms", self->delay);
	tp_write_file(PARAMS "ring_kb", self->kb);
	unlink(TOUCH);
	unlink(BENCH);
}

TEST_F(ring, parameter_takes_ring_and_stats_say_so)
{
	struct run r = { 0 };
	char *text;

	EXPECT_NE(0, tp_write_file(PARAMS "ring_kb", "63"));
	run_touch(_metadata, &r, "ring");
	text = tp_read_file(BFT_DEBUGFS "/stats", NULL);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "\nfault_capture ring\n"));
	free(text);
	EXPECT_EQ(1, tp_stat("ring_allocated"));
	EXPECT_EQ(1024, tp_stat("ring_kb"));
	EXPECT_EQ(0, tp_stat("ring_unread"));
	EXPECT_EQ(0, tp_stat("ring_dropped"));
	free_run(&r);
}

TEST_F_TIMEOUT(ring, every_counted_fault_has_its_record, 60)
{
	const struct tp_event *ev, *start, *exit_ev;
	const struct bft_ring_rec *x, *first = NULL, *m0, *m1, *prev = NULL;
	uint64_t n = 0, window = 0;
	struct run r = { 0 };

	run_touch(_metadata, &r, "ring");
	for (ev = r.t.ev; ev < r.t.ev + r.t.n; ev++)
		EXPECT_FALSE(tp_is(ev, "page_fault")) TH_LOG("%s", ev->line);
	start = event_of(&r, "load_start");
	exit_ev = event_of(&r, "mm_exit");
	ASSERT_TRUE(start && exit_ev);
	for (x = r.rec.r; x < r.rec.r + r.rec.n; x++) {
		EXPECT_EQ(BFT_RING_FAULT, x->type);
		if (prev)
			EXPECT_LE(prev->ts, x->ts);
		prev = x;
		if (!is_fault_of(x, &r))
			continue;
		/* The lines' timestamps are microseconds, cut. */
		EXPECT_LE(start->ts_us * 1000, x->ts);
		EXPECT_GT(exit_ev->ts_us * 1000 + 1000, x->ts);
		if (!first)
			first = x;
		n++;
	}
	ASSERT_NE(NULL, first);
	EXPECT_EQ((uint32_t)(tp_d(exit_ev, "minflt") + tp_d(exit_ev, "majflt")) -
		  counts(first), n);

	m0 = record_at(&r, tp_out(r.out, "mark0"));
	m1 = record_at(&r, tp_out(r.out, "mark1"));
	ASSERT_TRUE(m0 && m1);
	for (x = m0; x <= m1; x++)
		window += is_fault_of(x, &r);
	EXPECT_EQ(tp_out(r.out, "minflt") + tp_out(r.out, "majflt"), window);
	free_run(&r);
}

static const char *name_of(const char *const *names, size_t n, unsigned int i)
{
	return i < n ? names[i] : "(bad)";
}

TEST_F_TIMEOUT(ring, records_leave_the_placing_to_the_reader, 60)
{
	static const char *const spots[] = {
		"data0", "data3", "bss0", "bss3", "bssrw", "heap0", "heap3",
		"far", "mark0", "mark1",
	};
	struct run fast = { 0 }, ring = { 0 };
	const struct bft_ring_rec *x;
	const struct tp_event *f;
	size_t i;

	run_touch(_metadata, &fast, "fast");
	run_touch(_metadata, &ring, "ring");
	for (i = 0; i < ARRAY_SIZE(spots); i++) {
		f = line_at(&fast, tp_out(fast.out, spots[i]));
		x = record_at(&ring, tp_out(ring.out, spots[i]));
		ASSERT_TRUE(f && x) TH_LOG("no fault at %s", spots[i]);
		EXPECT_STREQ("unknown",
			     name_of(obj_names, ARRAY_SIZE(obj_names), x->obj));
		EXPECT_EQ(-1, x->seg);
		EXPECT_EQ(BFT_RING_OFF_NONE, x->off);
		EXPECT_STREQ(tp_get(f, "access"),
			     name_of(access_names, ARRAY_SIZE(access_names),
				     x->access)) TH_LOG("%s", spots[i]);
		EXPECT_STREQ(tp_get(f, "mode"),
			     name_of(mode_names, ARRAY_SIZE(mode_names),
				     x->mode)) TH_LOG("%s", spots[i]);
		EXPECT_EQ(strcmp(spots[i], "far") ? 0 : 1,
			  x->ip == tp_out(ring.out, "far"));
	}
	free_run(&fast);
	free_run(&ring);
}

/*
 * 64 KiB a CPU holds under a thousand records; bench writes 4096 pages,
 * unread: the oldest go, the newest stay.
 */
TEST_F_TIMEOUT(ring, a_full_ring_keeps_the_newest_and_counts_the_lost, 90)
{
	char *argv[] = { BENCH, "anon", "4096", "1", NULL };
	const struct bft_ring_rec *x, *last = NULL;
	uint64_t lost = 0, records = 0, faults;
	long long over0, over1;
	const struct tp_event *exit_ev;
	struct tp_event sl;
	struct run r = { 0 };

	ASSERT_EQ(0, tp_write_file(PARAMS "ring_kb", "64"));
	over0 = tp_stat("ring_overwritten");
	run_traced(_metadata, &r, "ring", argv);
	over1 = tp_stat("ring_overwritten");
	for (x = r.rec.r; x < r.rec.r + r.rec.n; x++) {
		if (x->type == BFT_RING_LOST) {
			lost += x->addr;
			EXPECT_EQ(0ULL, x->session);
			continue;
		}
		ASSERT_EQ(BFT_RING_FAULT, x->type);
		EXPECT_EQ(r.s, x->session);
		records++;
		if (is_fault_of(x, &r))
			last = x;
	}
	ASSERT_EQ(0, tp_session_line(r.s, &sl));
	faults = tp_d(&sl, "faults");
	EXPECT_LT(4096ULL, faults);
	EXPECT_LT(0ULL, lost);
	EXPECT_EQ((uint64_t)(over1 - over0), lost);
	EXPECT_EQ(faults, records + lost);
	/* The last fault before the exit was kept: the newest survive. */
	exit_ev = event_of(&r, "mm_exit");
	ASSERT_TRUE(last && exit_ev);
	EXPECT_EQ((uint32_t)(tp_d(exit_ev, "minflt") + tp_d(exit_ev, "majflt")),
		  counts(last) + 1);
	tp_event_free(&sl);
	free_run(&r);
}

TEST_F(ring, short_reads_are_refused_and_an_empty_ring_is_end_of_file)
{
	struct bft_ring_rec two[2];
	struct records drained;
	int fd;

	ASSERT_EQ(0, read_records(&drained));
	free(drained.r);
	fd = open(RAW, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, read(fd, two, sizeof(two) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, read(fd, two, sizeof(two)));
	close(fd);
}

/*
 * A read whose buffer faults loses no record: one into an unmapped page
 * is EFAULT; one whose second record would cross into it returns the
 * first; every record the ring held is then read, once, in time order.
 */
TEST_F_TIMEOUT(ring, a_read_into_a_bad_buffer_loses_no_record, 60)
{
	const size_t rec = sizeof(struct bft_ring_rec);
	char *argv[] = { TOUCH, NULL }, *out = NULL, *page;
	struct records drained, rest;
	long long unread;
	struct bft_ring_rec first;
	ssize_t got;
	size_t i;
	pid_t pid;
	int fd;

	ASSERT_TRUE(tp_wait_disarmed());
	ASSERT_EQ(0, tp_write_file(PARAMS "fault_capture", "ring"));
	ASSERT_EQ(0, read_records(&drained));
	free(drained.r);
	ASSERT_EQ(0, tp_run(TOUCH, argv, &out, &pid));
	free(out);
	unread = tp_stat("ring_unread");
	ASSERT_LT(2, unread);

	page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, mprotect(page + 4096, 4096, PROT_NONE));
	fd = open(RAW, O_RDONLY);
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, read(fd, page + 4096, 2 * rec));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(unread, tp_stat("ring_unread"));
	got = read(fd, page + 4096 - rec, 4 * rec);
	EXPECT_EQ((ssize_t)rec, got);
	memcpy(&first, page + 4096 - rec, rec);
	EXPECT_EQ(unread - 1, tp_stat("ring_unread"));
	close(fd);

	ASSERT_EQ(0, read_records(&rest));
	EXPECT_EQ((size_t)unread - 1, rest.n);
	EXPECT_EQ(0, tp_stat("ring_unread"));
	ASSERT_LT(0UL, rest.n);
	EXPECT_LE(first.ts, rest.r[0].ts);
	for (i = 1; i < rest.n; i++)
		EXPECT_LE(rest.r[i - 1].ts, rest.r[i].ts);
	free(rest.r);
	munmap(page, 2 * 4096);
}

/*
 * The latest mmap event of @f's session at or before @f's time (the
 * trace file has the ring's lines last) whose range holds its address.
 */
static const struct tp_event *mmap_holding(const struct tp_trace *t,
					   const struct tp_event *f)
{
	const struct tp_event *ev, *found = NULL;
	uint64_t a = tp_x(f, "addr"), start;

	for (ev = t->ev; ev < t->ev + t->n; ev++) {
		if (ev->session != f->session || !tp_is(ev, "mmap") ||
		    tp_eq(ev, "file", "-") || ev->ts_us > f->ts_us)
			continue;
		start = tp_x(ev, "result");
		if (start != TP_BAD && a >= start &&
		    a < start + tp_x(ev, "len") &&
		    (!found || ev->ts_us >= found->ts_us))
			found = ev;
	}
	return found;
}

TEST_F_TIMEOUT(ring, bft_run_turns_the_records_into_lines, 60)
{
	char *argv[] = { "/bin/bft", "run", "--summary-only", "--trace-out",
			 TRACE_OUT, PROGS "/hello-dynamic", NULL };
	const struct tp_event *ev, *m;
	unsigned long faults = 0, lines = 0, libs = 0;
	char *out, *line, *text, want[128];
	struct tp_trace t = { 0 };
	const char *why;
	pid_t pid;

	ASSERT_TRUE(tp_wait_disarmed());
	ASSERT_EQ(0, tp_write_file(PARAMS "fault_capture", "ring"));
	ASSERT_EQ(0, tp_run(argv[0], argv, &out, &pid)) TH_LOG("%s", out);
	line = tp_summary_line(out, "faults");
	ASSERT_NE(NULL, line) TH_LOG("%s", out);
	ASSERT_EQ(1, sscanf(line, "faults: %lu", &faults));
	free(line);
	EXPECT_LT(20UL, faults);
	line = tp_summary_line(out, "result");
	snprintf(want, sizeof(want),
		 "result: minor %lu, major 0, retry 0, sigsegv 0, sigbus 0, oom 0",
		 faults);
	EXPECT_STREQ(want, line ?: "(none)") TH_LOG("%s", out);
	free(line);
	line = tp_summary_line(out, "lost");
	EXPECT_STREQ("lost: 0", line ?: "(none)") TH_LOG("%s", out);
	free(line);

	text = tp_read_file(TRACE_OUT, NULL);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, tp_parse_text(text, &t));
	free(text);
	EXPECT_EQ(0U, t.nbad);
	for (ev = t.ev; ev < t.ev + t.n; ev++) {
		if (!tp_is(ev, "page_fault"))
			continue;
		lines++;
		EXPECT_TRUE(tp_check_format(ev, &why)) TH_LOG("%s: %s", why,
							     ev->line);
		if (!tp_eq(ev, "obj", "lib"))
			continue;
		libs++;
		m = mmap_holding(&t, ev);
		EXPECT_NE(NULL, m) TH_LOG("no mmap holds %s", ev->line);
		if (m)
			EXPECT_STREQ(tp_get(m, "file"), tp_get(ev, "file"));
	}
	EXPECT_EQ(faults, lines);
	EXPECT_LT(0UL, libs);
	tp_free(&t);
	unlink(TRACE_OUT);
	free(out);
}

/*
 * What a page_fault line says of its page, as one comparable string.  The
 * page, not the address: where in a page a libc string function first
 * reads depends on AT_RANDOM and the stack's contents.  Not file=: the
 * fast capture's lines leave it out (bft_run_turns_the_records_into_lines
 * checks the ring's).
 */
static char *fault_key(const struct tp_event *ev)
{
	char *key;

	if (asprintf(&key, "page=0x%llx access=%s mode=%s obj=%s seg=%s off=%s",
		     (unsigned long long)(tp_x(ev, "addr") & ~4095ULL),
		     tp_get(ev, "access"), tp_get(ev, "mode"),
		     tp_get(ev, "obj"), tp_get(ev, "seg"),
		     tp_get(ev, "off")) < 0)
		return NULL;
	return key;
}

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct keys {
	char **k;
	size_t n;
};

/* bft run @argv with @capture: its page_fault lines' keys, sorted. */
static void run_keys(struct __test_metadata *_metadata, const char *capture,
		     char *const prog[], struct keys *keys)
{
	char *argv[16] = { "/bin/bft", "run", "--summary-only",
			   "--trace-out", TRACE_OUT };
	const struct tp_event *ev;
	struct tp_trace t = { 0 };
	char *out, *text;
	size_t i, n = 5;
	pid_t pid;

	for (i = 0; prog[i] && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = prog[i];
	argv[n] = NULL;
	ASSERT_TRUE(tp_wait_disarmed());
	ASSERT_EQ(0, tp_write_file(PARAMS "fault_capture", capture));
	ASSERT_EQ(0, tp_run(argv[0], argv, &out, &pid)) TH_LOG("%s", out);
	free(out);
	text = tp_read_file(TRACE_OUT, NULL);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, tp_parse_text(text, &t));
	free(text);
	memset(keys, 0, sizeof(*keys));
	for (ev = t.ev; ev < t.ev + t.n; ev++) {
		if (!tp_is(ev, "page_fault"))
			continue;
		keys->k = realloc(keys->k, (keys->n + 1) * sizeof(*keys->k));
		keys->k[keys->n++] = fault_key(ev);
	}
	qsort(keys->k, keys->n, sizeof(*keys->k), compare_keys);
	tp_free(&t);
	unlink(TRACE_OUT);
}

static void free_keys(struct keys *keys)
{
	size_t i;

	for (i = 0; i < keys->n; i++)
		free(keys->k[i]);
	free(keys->k);
}

/* Count the objs of @keys into @seen ("exe interp ..." as found). */
static void note_objs(const struct keys *keys, char *seen, size_t len)
{
	size_t i;

	for (i = 0; i < keys->n; i++) {
		const char *o = strstr(keys->k[i], " obj=") + 5;
		char word[16];

		snprintf(word, sizeof(word), "%.*s ", (int)strcspn(o, " "), o);
		if (!strstr(seen, word) && strlen(seen) + strlen(word) < len)
			strcat(seen, word);
	}
}

TEST_F_TIMEOUT(ring, bft_run_places_records_as_the_kernel_places_faults, 240)
{
	static char *const progs[][5] = {
		{ PROGS "/hello-dynamic", NULL },
		{ PROGS "/mmcalls", NULL },
		{ PROGS "/forker", NULL },
		{ TOUCH, NULL },
		{ BENCH, "anon", "16", "1", NULL },
	};
	static const char *const kinds[] = {
		" exe ", " interp ", " lib ", " heap ", " stack ", " anon ",
		" vdso ", " vvar ",
	};
	struct keys fast, ring;
	char seen[256] = " ";
	struct utsname u;
	size_t i, j;

	/* There the fast capture's probe may not take mmap_lock: no oracle. */
	ASSERT_EQ(0, uname(&u));
	if (strstr(u.version, "PREEMPT_RT"))
		SKIP(return, "PREEMPT_RT: the fast capture places nothing");
	/* One layout for every run: the same addresses in both captures. */
	ASSERT_LE(0, personality(ADDR_NO_RANDOMIZE));
	for (i = 0; i < ARRAY_SIZE(progs); i++) {
		/* The first run warms the page cache: fault-around agrees. */
		run_keys(_metadata, "fast", progs[i], &fast);
		free_keys(&fast);
		run_keys(_metadata, "fast", progs[i], &fast);
		run_keys(_metadata, "ring", progs[i], &ring);
		EXPECT_LT(10U, ring.n) TH_LOG("%s", progs[i][0]);
		EXPECT_EQ(fast.n, ring.n) TH_LOG("%s", progs[i][0]);
		for (j = 0; j < fast.n && j < ring.n; j++)
			EXPECT_STREQ(fast.k[j], ring.k[j])
				TH_LOG("%s: fault %zu", progs[i][0], j);
		note_objs(&ring, seen, sizeof(seen));
		free_keys(&fast);
		free_keys(&ring);
	}
	/* Every kind of place was among them. */
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		EXPECT_NE(NULL, strstr(seen, kinds[i])) TH_LOG("seen:%s", seen);
}

TEST_HARNESS_MAIN
