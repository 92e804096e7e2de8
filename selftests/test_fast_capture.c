// SPDX-License-Identifier: GPL-2.0
/*
 * test_fast_capture - fault_capture=fast, the exception tracepoints:
 *
 *   - the probes arm with the capture the parameter names, and the stats
 *     file says which; a bad value is refused;
 *   - every fault of touch is written, as it starts: result=- lock=-
 *     cache=- lat=0, and the task's counts; from its first fault to its
 *     mm_exit the kernel counted exactly one fault per event, and from
 *     mark0 to mark1 as many as touch's own getrusage() says;
 *   - each of touch's pages is classified (obj, seg, off, access, mode)
 *     exactly as the detail capture classifies the same page, or on
 *     PREEMPT_RT as unknown (obj, seg, off, file);
 *   - bft run gives every fault a result from the counts (all minor) and
 *     says latency, lock and page cache are unknown.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS		"/selftests/progs"
#define PARAMS		"/sys/module/" BFT_MODULE_NAME "/parameters/"
#define TOUCH		"/tmp/fast-touch.bft"

static bool stats_say(const char *line)
{
	char *text = tp_read_file(BFT_DEBUGFS "/stats", NULL);
	bool found = text && strstr(text, line);

	free(text);
	return found;
}

struct run {
	char *out;
	pid_t pid;
	struct tp_trace t;
	uint32_t s;
};

/* Run touch traced with @capture; its trace in @r. */
static void run_touch(struct __test_metadata *_metadata, struct run *r,
		      const char *capture)
{
	char *argv[] = { TOUCH, NULL };
	int status;

	ASSERT_TRUE(tp_wait_disarmed());
	ASSERT_EQ(0, tp_write_file(PARAMS "fault_capture", capture));
	ASSERT_EQ(0, tp_clear());
	status = tp_run(TOUCH, argv, &r->out, &r->pid);
	ASSERT_EQ(0, status) TH_LOG("%s", r->out);
	ASSERT_EQ(0, tp_read_trace(&r->t));
	r->s = tp_session_of_pid(&r->t, r->pid);
	ASSERT_NE(0U, r->s);
}

static void free_run(struct run *r)
{
	free(r->out);
	tp_free(&r->t);
}

/* The faults of @r's task at @addr's page; retries of detail skipped. */
static const struct tp_event *fault_at(const struct run *r, uint64_t addr)
{
	const struct tp_event *ev;

	for (ev = r->t.ev; ev < r->t.ev + r->t.n; ev++)
		if (ev->session == r->s && tp_is(ev, "page_fault") &&
		    ev->tid == r->pid && !tp_eq(ev, "result", "retry") &&
		    (tp_x(ev, "addr") & ~4095ULL) == (addr & ~4095ULL))
			return ev;
	return NULL;
}

static uint64_t counts(const struct tp_event *ev)
{
	return tp_d(ev, "minflt") + tp_d(ev, "majflt");
}

FIXTURE(fast) {
	char delay[32];
};

FIXTURE_SETUP(fast)
{
	ASSERT_EQ(0, tp_swap_file(PARAMS "disarm_delay_ms", "100", self->delay,
				  sizeof(self->delay)));
	ASSERT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
	ASSERT_EQ(0, tp_write_file(TP_INSTANCE "/trace_clock", "mono"));
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", TOUCH, "fast", 0));
}

FIXTURE_TEARDOWN(fast)
{
	tp_wait_disarmed();
	tp_write_file(PARAMS "fault_capture", "detail");
	tp_write_file(PARAMS "disarm_delay_ms", self->delay);
	unlink(TOUCH);
}

TEST_F(fast, parameter_takes_detail_or_fast_and_stats_say_which)
{
	struct run r = { 0 };
	char *v;

	EXPECT_NE(0, tp_write_file(PARAMS "fault_capture", "quick"));
	v = tp_read_file(PARAMS "fault_capture", NULL);
	ASSERT_NE(NULL, v);
	EXPECT_STREQ("detail\n", v);
	free(v);
	run_touch(_metadata, &r, "fast");
	EXPECT_TRUE(stats_say("fault_capture fast\n"));
	free_run(&r);
	run_touch(_metadata, &r, "detail");
	EXPECT_TRUE(stats_say("fault_capture detail\n"));
	free_run(&r);
}

TEST_F_TIMEOUT(fast, every_counted_fault_has_its_event, 60)
{
	const struct tp_event *ev, *first = NULL, *exit_ev = NULL, *m0, *m1;
	uint64_t n = 0, window = 0;
	struct run r = { 0 };
	const char *why;

	run_touch(_metadata, &r, "fast");
	for (ev = r.t.ev; ev < r.t.ev + r.t.n; ev++) {
		if (ev->session != r.s)
			continue;
		EXPECT_TRUE(tp_check_format(ev, &why)) TH_LOG("%s: %s",
							     why, ev->line);
		if (tp_is(ev, "mm_exit") && ev->tid == r.pid)
			exit_ev = ev;
		if (!tp_is(ev, "page_fault"))
			continue;
		EXPECT_TRUE(tp_eq(ev, "result", "-") && tp_eq(ev, "lock", "-") &&
			    tp_eq(ev, "cache", "-") && tp_d(ev, "lat") == 0)
			TH_LOG("%s", ev->line);
		if (ev->tid != r.pid)
			continue;
		if (!first)
			first = ev;
		n++;
	}
	ASSERT_NE(NULL, first);
	ASSERT_NE(NULL, exit_ev);
	EXPECT_EQ(counts(exit_ev) - counts(first), n)
		TH_LOG("first fault %s; mm_exit %s", first->line, exit_ev->line);

	m0 = fault_at(&r, tp_out(r.out, "mark0"));
	m1 = fault_at(&r, tp_out(r.out, "mark1"));
	ASSERT_TRUE(m0 && m1);
	for (ev = m0; ev <= m1; ev++)
		window += ev->session == r.s && ev->tid == r.pid &&
			  tp_is(ev, "page_fault");
	EXPECT_EQ(tp_out(r.out, "minflt") + tp_out(r.out, "majflt"), window);
	free_run(&r);
}

TEST_F_TIMEOUT(fast, pages_are_classified_as_detail_does, 60)
{
	static const char *const spots[] = {
		"data0", "data3", "bss0", "bss3", "bssrw", "heap0", "heap3",
		"far", "mark0", "mark1",
	};
	static const char *const keys[] = {
		"obj", "seg", "off", "access", "mode", "file",
	};
	/* PREEMPT_RT: no fault is classified (docs/trace-format.md). */
	static const char *const rt_want[] = {
		"unknown", "-1", "-", NULL, NULL, "-",
	};
	struct run fast = { 0 }, detail = { 0 };
	const struct tp_event *f, *d;
	struct utsname u;
	size_t i, k;
	bool rt;

	ASSERT_EQ(0, uname(&u));
	rt = strstr(u.version, "PREEMPT_RT") != NULL;

	run_touch(_metadata, &detail, "detail");
	run_touch(_metadata, &fast, "fast");
	for (i = 0; i < ARRAY_SIZE(spots); i++) {
		d = fault_at(&detail, tp_out(detail.out, spots[i]));
		f = fault_at(&fast, tp_out(fast.out, spots[i]));
		EXPECT_TRUE(d && f) TH_LOG("no fault at %s", spots[i]);
		if (!d || !f)
			continue;
		for (k = 0; k < ARRAY_SIZE(keys); k++) {
			const char *dv = tp_get(d, keys[k]) ?: "(none)";
			const char *fv = tp_get(f, keys[k]) ?: "(none)";

			if (rt && rt_want[k])
				dv = rt_want[k];
			EXPECT_STREQ(dv, fv);
			if (strcmp(dv, fv))
				TH_LOG("%s: %s differs:\n  detail %s\n  fast   %s",
				       spots[i], keys[k], d->line ?: "",
				       f->line ?: "");
		}
	}
	free_run(&fast);
	free_run(&detail);
}

/*
 * bft run's summary: every fault minor, none left unknown; latency, lock
 * and page cache are what the fast capture does not record.
 */
TEST_F_TIMEOUT(fast, bft_run_gives_every_fault_its_result, 60)
{
	char *argv[] = { "/bin/bft", "run", "--summary-only", TOUCH, NULL };
	char *out, *faults_line, *result, *lock, *cache, *lat;
	unsigned long faults = 0;
	char want[128];
	pid_t pid;

	ASSERT_TRUE(tp_wait_disarmed());
	ASSERT_EQ(0, tp_write_file(PARAMS "fault_capture", "fast"));
	ASSERT_EQ(0, tp_run(argv[0], argv, &out, &pid)) TH_LOG("%s", out);
	faults_line = tp_summary_line(out, "faults");
	ASSERT_NE(NULL, faults_line) TH_LOG("%s", out);
	ASSERT_EQ(1, sscanf(faults_line, "faults: %lu", &faults));
	EXPECT_LT(20UL, faults);
	result = tp_summary_line(out, "result");
	snprintf(want, sizeof(want),
		 "result: minor %lu, major 0, retry 0, sigsegv 0, sigbus 0, oom 0",
		 faults);
	EXPECT_STREQ(want, result ?: "(none)") TH_LOG("%s", out);
	lat = tp_summary_line(out, "latency");
	snprintf(want, sizeof(want), "latency: total 0 ns, max 0 ns, unknown %lu",
		 faults);
	EXPECT_STREQ(want, lat ?: "(none)");
	lock = tp_summary_line(out, "lock");
	snprintf(want, sizeof(want), "lock: vma 0, mmap 0, unknown %lu", faults);
	EXPECT_STREQ(want, lock ?: "(none)");
	cache = tp_summary_line(out, "cache");
	snprintf(want, sizeof(want), "cache: hit 0, miss 0, none 0, unknown %lu",
		 faults);
	EXPECT_STREQ(want, cache ?: "(none)");
	free(faults_line);
	free(result);
	free(lat);
	free(lock);
	free(cache);
	free(out);
}

TEST_HARNESS_MAIN
