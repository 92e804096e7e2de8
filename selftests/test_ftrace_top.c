// SPDX-License-Identifier: GPL-2.0
/*
 * test_ftrace_top - the module's resizes of its own trace instance leave
 * ftrace's top instance as the boot left it.
 *
 * The module shrinks its instance at insmod and grows it back at the
 * first traced exec (trace_size.c).  ftrace's top instance keeps its boot
 * size, 7 KiB a CPU, until something enables an event there; then it
 * expands to ftrace's default.  Until then its buffer_size_kb reads
 * "N (expanded: M)".  On 6.12 each instance has its own "expanded" flag;
 * on 6.1 the flag is global and every resize sets it, and the module puts
 * it back after each of its own: on both kernels the top instance must
 * read "(expanded: M)" after the module's resizes, and still expand to M
 * at its first event.
 *
 * Sorts before test_trace and test_tracefs, which resize instances and
 * enable events of the top instance: until they run, nothing in the test
 * VM has touched the top instance (the fixture checks it).  So it needs
 * a fresh boot, and the first test before the second: a second run in the
 * same boot fails at the fixture, as it should (the flag is set by then,
 * and nothing but a reboot clears it).  Reloads the module, as
 * test_module does, to count its resizes from insmod.
 */
#define _GNU_SOURCE
#include "kselftest_harness.h"
#include "trace_parse.h"

#define TRACING		"/sys/kernel/debug/tracing"
#define TOP_SIZE	TRACING "/buffer_size_kb"
#define TOP_EVENT	TRACING "/events/sched/sched_process_exec/enable"
#define PROG		"/tmp/bft-top"

/*
 * The top instance's buffer_size_kb as "N (expanded: M)": 0 with *@kb N
 * and *@expanded M, or -1 when it reads anything else (a plain "N" once
 * the top instance is expanded).
 */
static int top_size(long long *kb, long long *expanded)
{
	char *text = tp_read_file(TOP_SIZE, NULL);
	char tail[4] = "";
	int n;

	if (!text)
		return -1;
	n = sscanf(text, "%lld (expanded: %lld%3s", kb, expanded, tail);
	free(text);
	return n == 3 && !strcmp(tail, ")") ? 0 : -1;
}

FIXTURE(top) {
	long long kb, expanded;
};

FIXTURE_SETUP(top)
{
	ASSERT_EQ(0, top_size(&self->kb, &self->expanded))
		TH_LOG("the top instance is expanded before this test: a test before it, or the module, set ftrace's flag");
	ASSERT_LT(self->kb, self->expanded);
	ASSERT_EQ(0, tp_wrap("/selftests/progs/hello-static", PROG, "top", 0));
	ASSERT_EQ(0, tp_unload_module());
	ASSERT_EQ(0, tp_load_module(""));
}

/* Not the event's enable file: a write of even "0" expands the top. */
FIXTURE_TEARDOWN(top)
{
	unlink(PROG);
}

TEST_F(top, a_shrink_and_a_grow_leave_it_at_its_boot_size)
{
	char *argv[] = { "bft-top", NULL }, *out = NULL;
	long long kb, expanded;
	pid_t pid;

	/* insmod shrank the module's instance... */
	EXPECT_EQ(1, tp_stat("buffer_resizes"));
	EXPECT_EQ(1, tp_stat("buffer_idle"));
	ASSERT_EQ(0, top_size(&kb, &expanded));
	EXPECT_EQ(self->kb, kb);
	EXPECT_EQ(self->expanded, expanded);

	/* ...and the first traced exec grew it. */
	ASSERT_EQ(0, tp_run(PROG, argv, &out, &pid));
	free(out);
	EXPECT_EQ(2, tp_stat("buffer_resizes"));
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	EXPECT_EQ(0, tp_stat("buffer_resize_errors"));
	ASSERT_EQ(0, top_size(&kb, &expanded));
	EXPECT_EQ(self->kb, kb);
	EXPECT_EQ(self->expanded, expanded);
}

/* Runs last: it leaves the top instance expanded, as test_tracefs does. */
TEST_F(top, and_it_still_expands_at_its_first_event)
{
	/* ftrace rounds up to whole pages of 4080 bytes: 1408 reads 1410. */
	long long full = (self->expanded * 1024 + 4079) / 4080 * 4080 / 1024;

	EXPECT_EQ(1, tp_stat("buffer_resizes"));
	ASSERT_EQ(0, tp_write_file(TOP_EVENT, "1"));
	EXPECT_EQ(full, tp_read_number(TOP_SIZE));
	EXPECT_EQ(-1, top_size(&self->kb, &self->expanded));
	EXPECT_EQ(0, tp_write_file(TOP_EVENT, "0"));
}

TEST_HARNESS_MAIN
