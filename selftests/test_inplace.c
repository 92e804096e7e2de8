// SPDX-License-Identifier: GPL-2.0
/*
 * test_inplace - tracing a plain ELF where it is, and who may trace:
 *
 *   - a thread that writes "1" to trace_next_exec has its next exec loaded
 *     by binfmt_trace from the unmodified file: the same process image as
 *     the kernel's own loader gives (ASLR off), /proc/PID/exe the real
 *     file, and one session;
 *   - after drop_caches, bft run of a plain ELF (and of a wrapped one) on
 *     ext4 reports exactly the major faults that getrusage() counts for
 *     the same exec, and as many as an untraced exec takes;
 *   - an exec that is not marked is the kernel's: no session;
 *   - the mark is for one exec, and "0" takes it back;
 *   - an unprivileged user can neither mark an exec nor read, enable or
 *     resize anything, and the wrapped files it runs are traced only when
 *     the users parameter names it;
 *   - after 1,000 traced execs that nobody read, bft run still shows its
 *     program's whole trace: the newest events win.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS		"/selftests/progs"
#define DISK		"/mnt/disk"
#define MARK_FILE	BFT_DEBUGFS "/trace_next_exec"
#define USERS_PARAM	"/sys/module/" BFT_MODULE_NAME "/parameters/users"
#define NOBODY		65534

/* One exec in a child: its output, status and rusage. */
struct child {
	pid_t pid;
	int status;
	struct rusage ru;
	char *out;
	char exe[PATH_MAX];	/* /proc/PID/exe, read while it waited */
};

struct spawn_opts {
	const char *mark;	/* written to trace_next_exec first, or NULL */
	bool unmark;		/* then "0" */
	bool no_aslr;
	bool read_exe;		/* the program waits for EOF on stdin */
	uid_t uid;		/* 0: stay root */
};

/* In the child: become what @o says, then exec. */
static void child_exec(const char *path, char *const argv[],
		       const struct spawn_opts *o)
{
	char *envp[] = { "PATH=/bin:/sbin", NULL };

	if (o->no_aslr && personality(ADDR_NO_RANDOMIZE) < 0)
		_exit(121);
	if (o->uid && (setgid(o->uid) || setuid(o->uid)))
		_exit(122);
	if (o->mark && tp_write_file(MARK_FILE, o->mark))
		_exit(123);
	if (o->unmark && tp_write_file(MARK_FILE, "0"))
		_exit(124);
	execve(path, argv, envp);
	_exit(127);
}

/* Read all of @fd into a malloc'ed string. */
static char *read_all(int fd)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	ssize_t n;

	while (buf) {
		if (len == cap)
			buf = realloc(buf, (cap *= 2) + 1);
		if (!buf)
			break;
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Run @path to its end as @o says.  Returns the wait status, or -1. */
static int spawn(const char *path, char *const argv[],
		 const struct spawn_opts *o, struct child *c)
{
	int out[2], in[2];
	char link[64];
	ssize_t n;

	memset(c, 0, sizeof(*c));
	if (pipe2(out, O_CLOEXEC) || pipe2(in, O_CLOEXEC))
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		child_exec(path, argv, o);
	}
	close(out[1]);
	close(in[0]);
	if (o->read_exe) {
		/* The first output line comes after the exec. */
		char first;

		if (read(out[0], &first, 1) == 1) {
			snprintf(link, sizeof(link), "/proc/%d/exe", c->pid);
			n = readlink(link, c->exe, sizeof(c->exe) - 1);
			if (n > 0)
				c->exe[n] = '\0';
		}
	}
	close(in[1]);
	c->out = read_all(out[0]);
	close(out[0]);
	if (c->pid < 0 || wait4(c->pid, &c->status, 0, &c->ru) != c->pid)
		return -1;
	return c->status;
}

static int drop_caches(void)
{
	sync();
	return tp_write_file("/proc/sys/vm/drop_caches", "3");
}

/* The number after "@key" in the report line that starts with @line. */
static long report_number(const char *report, const char *line,
			  const char *key)
{
	const char *p = report, *k;

	while (p && strncmp(p, line, strlen(line))) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return -1;
	k = strstr(p, key);
	if (!k || k > strchrnul(p, '\n'))
		return -1;
	return strtol(k + strlen(key), NULL, 10);
}

FIXTURE(inplace) {
	long long started;	/* sessions_started before the test */
};

FIXTURE_SETUP(inplace)
{
	ASSERT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
	ASSERT_EQ(0, tp_clear());
	self->started = tp_stat("sessions_started");
	ASSERT_LE(0, self->started);
}

FIXTURE_TEARDOWN(inplace)
{
	tp_write_file(USERS_PARAM, "0");
}

/*
 * loadinfo (a dynamic PIE) with ASLR off, marked and not: the same argv,
 * auxv, brk and /proc/self/maps, line for line; /proc/PID/exe is the real
 * file; the marked exec is one session, loaded from offset 0.
 */
TEST_F(inplace, marked_exec_gets_the_stock_process_image)
{
	char *argv[] = { "loadinfo", "wait", NULL };
	struct spawn_opts o = { .no_aslr = true, .read_exe = true };
	const struct tp_event *start;
	struct child plain, marked;
	struct tp_trace t;
	uint32_t s;

	ASSERT_EQ(0, spawn(PROGS "/loadinfo", argv, &o, &plain));
	EXPECT_EQ(self->started, tp_stat("sessions_started"));
	o.mark = "1";
	ASSERT_EQ(0, spawn(PROGS "/loadinfo", argv, &o, &marked));
	EXPECT_EQ(self->started + 1, tp_stat("sessions_started"));

	EXPECT_STREQ(plain.out, marked.out);
	EXPECT_NE(NULL, strstr(marked.out, "map "));
	EXPECT_STREQ(PROGS "/loadinfo", plain.exe);
	EXPECT_STREQ(PROGS "/loadinfo", marked.exe);

	ASSERT_EQ(0, tp_read_trace(&t));
	s = tp_session_of_pid(&t, marked.pid);
	ASSERT_NE(0U, s) tp_dump(&t, 0, 0, 40);
	EXPECT_EQ(0U, tp_session_of_pid(&t, plain.pid));
	start = tp_find(&t, s, "load_start");
	ASSERT_NE(NULL, start);
	EXPECT_TRUE(tp_eq(start, "file", PROGS "/loadinfo"))
		tp_log_line(start->line);
	EXPECT_EQ(0ULL, tp_x(start, "elf_offset")) tp_log_line(start->line);
	start = tp_find(&t, s, "load_end");
	ASSERT_NE(NULL, start);
	EXPECT_EQ(0, tp_d(start, "result")) tp_log_line(start->line);
	tp_free(&t);
	free(plain.out);
	free(marked.out);
}

/*
 * The mark is taken by the next exec only: a marked busybox sh that execs
 * another program in the same process is one session, the shell's.  And
 * "0" takes a mark back: nothing is traced.
 */
TEST_F(inplace, mark_is_for_one_exec_and_0_takes_it_back)
{
	char *argv[] = { "sh", "-c", "exec " PROGS "/hello-static", NULL };
	char *hello[] = { "hello-static", NULL };
	struct spawn_opts o = { .mark = "1" };
	const struct tp_event *start;
	size_t i, starts = 0;
	struct child c;
	struct tp_trace t;

	ASSERT_EQ(0, spawn("/bin/sh", argv, &o, &c));
	EXPECT_EQ(self->started + 1, tp_stat("sessions_started"));
	ASSERT_EQ(0, tp_read_trace(&t));
	for (i = 0; i < t.n; i++)
		starts += tp_is(&t.ev[i], "load_start");
	EXPECT_EQ(1UL, starts) tp_dump(&t, 0, 0, 40);
	start = tp_find(&t, tp_session_of_pid(&t, c.pid), "load_start");
	ASSERT_NE(NULL, start);
	EXPECT_TRUE(tp_eq(start, "file", "/bin/sh")) tp_log_line(start->line);
	tp_free(&t);
	free(c.out);

	o.unmark = true;
	ASSERT_EQ(0, spawn(PROGS "/hello-static", hello, &o, &c));
	EXPECT_EQ(self->started + 1, tp_stat("sessions_started"));
	EXPECT_NE(NULL, strstr(c.out, "hello"));
	free(c.out);

	EXPECT_EQ(-EINVAL, tp_write_file(MARK_FILE, "2"));
	EXPECT_EQ(-EINVAL, tp_write_file(MARK_FILE, "1 80 x"));
	EXPECT_EQ(-EINVAL, tp_write_file(MARK_FILE, "0 2"));
	EXPECT_EQ(0, tp_write_file(MARK_FILE, "0"));
}

/*
 * bft run of @path after drop_caches: the report's major faults equal the
 * program's own rusage (its last line) and @want_majflt, and are not 0.
 */
static void check_cold_bft_run(struct __test_metadata *_metadata,
			       const char *path, long want_majflt)
{
	char *argv[] = { "bft", "run", "-o", "/tmp/inplace.report", "--",
			 (char *)path, NULL };
	struct spawn_opts o = { 0 };
	long traced, rusage;
	struct child c;
	char *report;

	ASSERT_EQ(0, drop_caches());
	ASSERT_EQ(0, spawn("/bin/bft", argv, &o, &c)) TH_LOG("%s", c.out);
	report = tp_read_file("/tmp/inplace.report", NULL);
	ASSERT_NE(NULL, report);
	traced = report_number(report, "result:", "major ");
	rusage = report_number(report, "rusage:", "majflt=");
	EXPECT_LT(0, traced) TH_LOG("%s", report);
	EXPECT_EQ(rusage, traced) TH_LOG("%s", report);
	EXPECT_EQ(want_majflt, traced) TH_LOG("%s", report);
	/* -o: the program's stdout has none of the report. */
	EXPECT_EQ(NULL, strstr(c.out, "== bft run")) TH_LOG("%s", c.out);
	free(report);
	free(c.out);
}

/*
 * Cold start, honestly: progs/touch on ext4, after drop_caches, takes as
 * many major faults untraced as bft run reports for it, in place; the same
 * for its wrapped copy, against its own untraced run.
 */
TEST_F_TIMEOUT(inplace, cold_bft_run_major_faults_equal_rusage, 120)
{
	char *argv[] = { "touch", NULL };
	struct spawn_opts o = { 0 };
	struct child c;

	ASSERT_EQ(0, tp_copy_file(PROGS "/touch", DISK "/inplace-touch"));
	ASSERT_EQ(0, tp_wrap(PROGS "/touch", DISK "/inplace-touch.bft",
			     "", 0));

	ASSERT_EQ(0, drop_caches());
	ASSERT_EQ(0, spawn(DISK "/inplace-touch", argv, &o, &c));
	EXPECT_EQ(self->started, tp_stat("sessions_started"));
	free(c.out);
	check_cold_bft_run(_metadata, DISK "/inplace-touch", c.ru.ru_majflt);

	ASSERT_EQ(0, tp_write_file(USERS_PARAM, "none"));
	ASSERT_EQ(0, drop_caches());
	ASSERT_EQ(0, spawn(DISK "/inplace-touch.bft", argv, &o, &c));
	free(c.out);
	ASSERT_EQ(0, tp_write_file(USERS_PARAM, "0"));
	check_cold_bft_run(_metadata, DISK "/inplace-touch.bft",
			   c.ru.ru_majflt);

	unlink(DISK "/inplace-touch");
	unlink(DISK "/inplace-touch.bft");
}

/* As @uid: open @path with @flags; 0 or the errno. */
static int open_as(uid_t uid, const char *path, int flags)
{
	pid_t pid = fork();
	int status, fd;

	if (pid == 0) {
		if (setgid(uid) || setuid(uid))
			_exit(100);
		fd = open(path, flags);
		_exit(fd >= 0 ? 0 : errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Nothing of binfmt_trace opens for an unprivileged user. */
TEST_F(inplace, unprivileged_user_cannot_mark_read_enable_or_resize)
{
	static const struct { const char *file; int flags; } files[] = {
		{ MARK_FILE, O_WRONLY },
		{ BFT_DEBUGFS "/trace", O_RDONLY },
		{ BFT_DEBUGFS "/trace_pipe", O_RDONLY | O_NONBLOCK },
		{ BFT_DEBUGFS "/sessions", O_RDONLY },
		{ BFT_DEBUGFS "/enable", O_WRONLY },
		{ BFT_DEBUGFS "/buffer_size_kb", O_WRONLY },
		{ USERS_PARAM, O_WRONLY },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		const char *file = files[i].file;

		EXPECT_EQ(EACCES, open_as(NOBODY, file, files[i].flags))
			TH_LOG("%s", file ? file : "?");
	}
}

/*
 * A wrapped file run by a user the users parameter does not name runs,
 * untraced; named (or "all"), it is traced.
 */
TEST_F(inplace, wrapped_file_is_traced_for_the_users_named_only)
{
	char *argv[] = { "hello", NULL };
	struct spawn_opts o = { .uid = NOBODY };
	char users[64];
	struct child c;
	char *text;

	text = tp_read_file(USERS_PARAM, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("0\n", text);
	free(text);
	ASSERT_EQ(0, tp_wrap(PROGS "/hello-static", "/tmp/inplace-hello.bft",
			     "", 0));

	ASSERT_EQ(0, spawn("/tmp/inplace-hello.bft", argv, &o, &c));
	EXPECT_EQ(self->started, tp_stat("sessions_started"));
	EXPECT_NE(NULL, strstr(c.out, "hello"));
	free(c.out);

	snprintf(users, sizeof(users), "0,%u", NOBODY);
	ASSERT_EQ(0, tp_write_file(USERS_PARAM, users));
	text = tp_read_file(USERS_PARAM, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(0, strncmp(text, users, strlen(users)));
	free(text);
	ASSERT_EQ(0, spawn("/tmp/inplace-hello.bft", argv, &o, &c));
	EXPECT_EQ(self->started + 1, tp_stat("sessions_started"));
	free(c.out);

	ASSERT_EQ(0, tp_write_file(USERS_PARAM, "all"));
	ASSERT_EQ(0, spawn("/tmp/inplace-hello.bft", argv, &o, &c));
	EXPECT_EQ(self->started + 2, tp_stat("sessions_started"));
	free(c.out);

	EXPECT_EQ(-EINVAL, tp_write_file(USERS_PARAM, "0,x"));
	EXPECT_EQ(-EINVAL, tp_write_file(USERS_PARAM, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17"));
	ASSERT_EQ(0, tp_write_file(USERS_PARAM, "0"));
	unlink("/tmp/inplace-hello.bft");
}

/* The first line of @text that contains all of @a and @b, or NULL. */
static const char *line_with(const char *text, const char *a, const char *b)
{
	const char *p, *end;

	for (p = text; p && *p; p = end ? end + 1 : NULL) {
		end = strchr(p, '\n');
		if (memmem(p, end ? (size_t)(end - p) : strlen(p), a,
			   strlen(a)) &&
		    memmem(p, end ? (size_t)(end - p) : strlen(p), b,
			   strlen(b)))
			return p;
	}
	return NULL;
}

/*
 * 1,000 traced execs of a wrapped hello that nobody reads fill the buffer
 * many times over; then bft run of progs/touch still reports its whole
 * session: load_start, load_end, the write fault of its first .bss page,
 * and no event lost.
 */
TEST_F_TIMEOUT(inplace, newest_session_survives_1000_unread_ones, 600)
{
	char *hello[] = { "hello", NULL };
	char *argv[] = { "bft", "run", "-o", "/tmp/inplace.report", "--",
			 PROGS "/touch", NULL };
	struct spawn_opts o = { 0 };
	char want[64], *report;
	unsigned long bss0;
	struct child c;
	int i;

	ASSERT_EQ(0, tp_wrap(PROGS "/hello-static", "/tmp/inplace-hello.bft",
			     "", 0));
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, spawn("/tmp/inplace-hello.bft", hello, &o, &c));
		free(c.out);
	}
	EXPECT_EQ(self->started + 1000, tp_stat("sessions_started"));

	ASSERT_EQ(0, spawn("/bin/bft", argv, &o, &c)) TH_LOG("%s", c.out);
	bss0 = tp_out(c.out, "bss0");
	ASSERT_NE(TP_BAD, bss0) TH_LOG("%s", c.out);
	report = tp_read_file("/tmp/inplace.report", NULL);
	ASSERT_NE(NULL, report);
	EXPECT_NE(NULL, line_with(report, "load_start",
				  "file=" PROGS "/touch "))
		TH_LOG("%s", report);
	EXPECT_NE(NULL, line_with(report, "load_end", "result=0"))
		TH_LOG("%s", report);
	snprintf(want, sizeof(want), "addr=0x%lx ", bss0);
	EXPECT_NE(NULL, line_with(report, want, "access=write mode=user obj=exe"))
		TH_LOG("%s", report);
	EXPECT_NE(NULL, line_with(report, "lost: 0", "")) TH_LOG("%s", report);
	free(report);
	free(c.out);
	unlink("/tmp/inplace-hello.bft");
}

TEST_HARNESS_MAIN
