// SPDX-License-Identifier: GPL-2.0
/*
 * test_zz_memory - what the module holds: its buffers while nothing is
 * traced, and its memory per traced process.
 *
 * insmod shrinks the module's instance to idle_buffer_kb (4) a CPU, which ftrace
 * rounds to two pages of 4080 bytes: 7 KiB.  The first traced exec of
 * root's grows it back to ftrace's size before its first event, so its
 * session is whole; so do naming another user in users= and marking an
 * exec; a module loaded with users= naming others is not shrunk; a size
 * somebody wrote meanwhile is kept; idle_buffer_kb=0 keeps ftrace's size.
 * Neither loading the module nor the grow changes the top instance's
 * buffer_size_kb (test_ftrace_top checks ftrace's "expanded" flag, which
 * is global on 6.1, while nothing else has set it).
 *
 * A traced process holds its session (listed in the sessions file after
 * it exits too) and one entry of the traced-mm table: the stats file's
 * sessions_bytes and tracked_mm_bytes count them in kmalloc()'s sizes.
 *
 * Named to sort after the other tests: it unloads and reloads the module.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROG		"/tmp/bft-idle"
#define TOP_SIZE	"/sys/kernel/debug/tracing/buffer_size_kb"
#define INSTANCE	"/sys/kernel/debug/tracing/instances/binfmt_trace"

/* 4 KiB asked: ftrace's minimum of two pages of 4080 bytes of data. */
#define IDLE_KB		(2 * 4080 / 1024)

FIXTURE(idle) {
	long long full_kb;
	char *top;
};

FIXTURE_SETUP(idle)
{
	ASSERT_EQ(0, tp_buffer_awake());
	self->full_kb = tp_buffer_kb();
	ASSERT_LT(IDLE_KB, self->full_kb);
	self->top = tp_read_file(TOP_SIZE, NULL);
	ASSERT_NE(NULL, self->top);
	ASSERT_EQ(0, tp_wrap("/selftests/progs/loadinfo", PROG, "idle", 0));
	ASSERT_EQ(0, chmod(PROG, 0755));
	ASSERT_EQ(0, tp_unload_module());
}

/* The module as the other tests find it after a boot: loaded, idle. */
FIXTURE_TEARDOWN(idle)
{
	tp_unload_module();
	EXPECT_EQ(0, tp_load_module(""));
	free(self->top);
	unlink(PROG);
}

/* Run PROG as @uid; its session's pid, or -1. */
static pid_t run_as(uid_t uid)
{
	char *argv[] = { "bft-idle", NULL }, *envp[] = { NULL };
	pid_t pid = fork();
	int status, null;

	if (pid == 0) {
		null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		if (uid && (setgid(uid) || setuid(uid)))
			_exit(124);
		execve(PROG, argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		return -1;
	return pid;
}

/*
 * The session of @pid is in the trace whole: every event the sessions
 * file counts for it, load_start to load_end, none dropped.
 */
static void expect_whole_session(struct __test_metadata *_metadata,
				 pid_t pid)
{
	struct tp_trace t = { 0 };
	struct tp_event line;
	uint32_t s;

	ASSERT_EQ(0, tp_read_trace(&t));
	EXPECT_EQ(0UL, t.nbad) tp_dump_bad(&t);
	s = tp_session_of_pid(&t, pid);
	ASSERT_NE(0U, s) tp_dump(&t, 0, 0, 20);
	EXPECT_NE(NULL, tp_find(&t, s, "load_end"));
	ASSERT_EQ(0, tp_session_line(s, &line));
	EXPECT_EQ(tp_d(&line, "events"), (int64_t)tp_count(&t, s, NULL));
	EXPECT_EQ(0, tp_d(&line, "dropped"));
	tp_event_free(&line);
	tp_free(&t);
}

TEST_F(idle, insmod_shrinks_the_instance)
{
	char *top;

	ASSERT_EQ(0, tp_load_module(""));
	EXPECT_EQ(1, tp_stat("buffer_idle"));
	EXPECT_EQ(1, tp_stat("buffer_resizes"));
	EXPECT_EQ(IDLE_KB, tp_buffer_kb());
	EXPECT_EQ(IDLE_KB * get_nprocs_conf(),
		  tp_read_kb(INSTANCE "/buffer_total_size_kb"));
	EXPECT_EQ(0, tp_stat("buffer_resize_errors"));
	top = tp_read_file(TOP_SIZE, NULL);
	ASSERT_NE(NULL, top);
	EXPECT_STREQ(self->top, top);
	free(top);
}

TEST_F(idle, the_first_session_grows_them_before_its_first_event)
{
	char *top;
	pid_t pid;

	ASSERT_EQ(0, tp_load_module(""));
	ASSERT_EQ(0, tp_clear());
	pid = run_as(0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(self->full_kb, tp_buffer_kb());
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	EXPECT_EQ(2, tp_stat("buffer_resizes"));
	EXPECT_EQ(0, tp_stat("buffer_resize_errors"));
	top = tp_read_file(TOP_SIZE, NULL);
	ASSERT_NE(NULL, top);
	EXPECT_STREQ(self->top, top);
	free(top);
	expect_whole_session(_metadata, pid);
}

/*
 * Only root's processes lend the page the resize goes through: naming
 * uid 1000 in users= grows the buffers then, in the writer's process, so
 * that user's exec meets them grown; its session is whole.
 */
TEST_F(idle, naming_another_user_grows_them_before_their_exec)
{
	pid_t pid;

	ASSERT_EQ(0, tp_load_module(""));
	ASSERT_EQ(0, tp_write_file("/sys/module/" BFT_MODULE_NAME
				   "/parameters/users", "0,1000"));
	EXPECT_EQ(self->full_kb, tp_buffer_kb());
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	ASSERT_EQ(0, tp_clear());
	pid = run_as(1000);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, tp_stat("buffer_resize_errors"));
	expect_whole_session(_metadata, pid);
}

/* A module loaded to trace other users keeps ftrace's size. */
TEST_F(idle, a_module_loaded_for_other_users_is_not_shrunk)
{
	ASSERT_EQ(0, tp_load_module("users=all"));
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	EXPECT_EQ(0, tp_stat("buffer_resizes"));
	EXPECT_EQ(self->full_kb, tp_buffer_kb());
}

/*
 * A thread that marks its next exec (root, as trace_next_exec wants)
 * grows them: the exec may come after a setuid() to another user.
 */
TEST_F(idle, marking_an_exec_grows_them)
{
	ASSERT_EQ(0, tp_load_module(""));
	ASSERT_EQ(0, tp_write_file(BFT_DEBUGFS "/trace_next_exec", "1"));
	EXPECT_EQ(self->full_kb, tp_buffer_kb());
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	ASSERT_EQ(0, tp_write_file(BFT_DEBUGFS "/trace_next_exec", "0"));
}

/*
 * As uid @uid, keep of root's capabilities CAP_SYS_ADMIN (which marking
 * takes) and CAP_DAC_OVERRIDE (which the debugfs file's mode takes), mark
 * the next exec and exec loadinfo as it is.  Its session's pid, or -1.
 */
static pid_t mark_as_admin(uid_t uid)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	char *argv[] = { "loadinfo", NULL }, *envp[] = { NULL };
	pid_t pid = fork();
	int status, null, fd;

	if (pid == 0) {
		null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(0, NULL) ||
		    setgid(uid) || setuid(uid) ||
		    syscall(SYS_capget, &h, d))
			_exit(124);
		d[0].effective = d[0].permitted &
			((1U << CAP_SYS_ADMIN) | (1U << CAP_DAC_OVERRIDE));
		/* Not root any more: without them the file is out of reach. */
		fd = open(BFT_DEBUGFS "/trace_next_exec", O_WRONLY);
		if (fd >= 0 || syscall(SYS_capset, &h, d) ||
		    (fd = open(BFT_DEBUGFS "/trace_next_exec", O_WRONLY)) < 0 ||
		    write(fd, "1", 1) != 1)
			_exit(125);
		execve("/selftests/progs/loadinfo", argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		return -1;
	return pid;
}

/*
 * Marking takes CAP_SYS_ADMIN, not uid 0: such a process lends its page
 * too (only one with its capabilities may write its memory), so a
 * non-root admin's marked exec meets grown buffers and is whole.
 */
TEST_F(idle, a_non_root_admins_mark_grows_them)
{
	pid_t pid;

	ASSERT_EQ(0, tp_load_module(""));
	ASSERT_EQ(1, tp_stat("buffer_idle"));
	ASSERT_EQ(0, tp_clear());
	pid = mark_as_admin(1000);
	ASSERT_LT(0, pid);
	EXPECT_EQ(self->full_kb, tp_buffer_kb());
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	EXPECT_EQ(0, tp_stat("buffer_resize_errors"));
	expect_whole_session(_metadata, pid);
}

TEST_F(idle, a_size_written_while_idle_is_kept)
{
	ASSERT_EQ(0, tp_load_module(""));
	ASSERT_EQ(0, tp_write_file(BFT_DEBUGFS "/buffer_size_kb", "64"));
	ASSERT_LT(0, run_as(0));
	/* ftrace rounds 64 KiB up to 17 pages of 4080 bytes. */
	EXPECT_EQ(17 * 4080 / 1024, tp_buffer_kb());
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	EXPECT_EQ(0, tp_stat("buffer_resize_errors"));
}

TEST_F(idle, idle_buffer_kb_0_keeps_ftraces_size)
{
	ASSERT_EQ(0, tp_load_module("idle_buffer_kb=0"));
	EXPECT_EQ(self->full_kb, tp_buffer_kb());
	EXPECT_EQ(0, tp_stat("buffer_idle"));
	ASSERT_LT(0, run_as(0));
	EXPECT_EQ(self->full_kb, tp_buffer_kb());
	EXPECT_EQ(0, tp_stat("buffer_resizes"));
}

/*
 * A fresh module holds no session and no traced mm.  PROG waiting on its
 * stdin is one traced mm, whose entry (an hlist node, two pointers and an
 * rcu_head: 48 bytes) kmalloc() serves from its 64-byte cache, and one
 * session; once it exits its mm entry is freed and its session stays
 * listed, with the same size.
 */
TEST_F(idle, a_traced_process_holds_its_session_and_one_mm_entry)
{
	char *argv[] = { "bft-idle", "wait", NULL };
	long long session_bytes;
	struct tp_waiting w;
	int i;

	ASSERT_EQ(0, tp_load_module(""));
	EXPECT_EQ(0, tp_stat("sessions_bytes"));
	EXPECT_EQ(0, tp_stat("tracked_mms"));
	EXPECT_EQ(0, tp_stat("tracked_mm_bytes"));
	ASSERT_EQ(0, tp_start_waiting(PROG, argv, &w));

	EXPECT_EQ(1, tp_stat("tracked_mms"));
	EXPECT_EQ(64, tp_stat("tracked_mm_bytes"));
	session_bytes = tp_stat("sessions_bytes");
	EXPECT_LT(0, session_bytes);
	EXPECT_EQ(0, session_bytes % 8);

	EXPECT_EQ(0, tp_stop_waiting(&w));
	for (i = 0; i < 200 && tp_stat("tracked_mms") != 0; i++)
		tp_sleep_ms(10);
	EXPECT_EQ(0, tp_stat("tracked_mms"));
	EXPECT_EQ(0, tp_stat("tracked_mm_bytes"));
	EXPECT_EQ(session_bytes, tp_stat("sessions_bytes"));
}

TEST_HARNESS_MAIN
