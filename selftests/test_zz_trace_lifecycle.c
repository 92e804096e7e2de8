// SPDX-License-Identifier: GPL-2.0
/*
 * test_zz_trace_lifecycle - trace_pipe and the module's lifetime: an
 * empty pipe gives EAGAIN to O_NONBLOCK readers and wakes poll() when an
 * event arrives; the module cannot go while a traced program runs; a
 * reader of trace_pipe holds the module's tracefs instance, not the
 * module, which goes and comes back under the reader; it is loaded again
 * at the end, as the other tests found it.
 *
 * Named to sort last among the test_* programs, since it unloads and
 * reloads the module (run-guest runs them in alphabetical order).
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROG		"/tmp/bft-life"
#define READER_OUT	"/tmp/bft-life-reader.out"
#define MODULE_SYS	"/sys/module/" BFT_MODULE_NAME
#define INSTANCE	"/sys/kernel/debug/tracing/instances/binfmt_trace"

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* delete_module(O_NONBLOCK): 0 or the errno. */
static int unload_module(void)
{
	return syscall(SYS_delete_module, BFT_MODULE_NAME, O_NONBLOCK) ?
	       errno : 0;
}

static long long refcnt(void)
{
	return tp_read_number(MODULE_SYS "/refcnt");
}

/* Run PROG to its end, quietly.  Returns its pid, or -1 if it failed. */
static pid_t run_prog(void)
{
	char *argv[] = { "bft-life", NULL };
	pid_t pid = tp_spawn(PROG, argv, -1, -1);
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		return -1;
	return pid;
}

/*
 * Unloading must be refused with EWOULDBLOCK (delete_module's answer for
 * a module whose reference count is not zero: "in use"); if it went
 * through anyway, load the module again so that the tests go on.
 */
static void expect_unload_refused(struct __test_metadata *_metadata,
				  const char *why)
{
	int err = unload_module();

	if (err == 0)
		tp_load_module("");
	EXPECT_EQ(EWOULDBLOCK, err) TH_LOG("rmmod while %s: %s", why,
					   err ? strerror(err) : "unloaded");
	EXPECT_LT(0, refcnt()) TH_LOG("refcnt while %s", why);
	EXPECT_TRUE(path_exists(MODULE_SYS));
	EXPECT_TRUE(path_exists(BFT_DEBUGFS "/trace_pipe"));
}

FIXTURE(life) {
	pid_t reader;
};

FIXTURE_SETUP(life)
{
	self->reader = 0;
	ASSERT_EQ(0, tp_wrap("/selftests/progs/loadinfo", PROG, "life", 0));
	ASSERT_EQ(0, tp_clear());
}

/* Leave the system as found: no reader, the module loaded. */
FIXTURE_TEARDOWN(life)
{
	if (self->reader > 0) {
		kill(self->reader, SIGKILL);
		waitpid(self->reader, NULL, 0);
	}
	if (!path_exists(MODULE_SYS)) {
		EXPECT_EQ(0, tp_load_module(""));
	}
	unlink(PROG);
	unlink(READER_OUT);
}

/*
 * O_NONBLOCK on an empty trace_pipe: read() is EAGAIN, poll() says
 * nothing to read.  poll() then sleeps until a traced program writes
 * events 300 ms later, and returns POLLIN; the read that follows gives
 * whole, well-formed lines.
 */
TEST_F(life, nonblocking_read_is_eagain_and_poll_wakes_up)
{
	struct pollfd pfd = { .events = POLLIN };
	char buf[65536], *nl;
	size_t len = 0;
	uint64_t t0, waited;
	struct tp_event ev;
	const char *why;
	pid_t helper;
	ssize_t n;
	int i, status, ret;

	pfd.fd = open(BFT_DEBUGFS "/trace_pipe", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	for (i = 0; i < 100000 && read(pfd.fd, buf, sizeof(buf)) > 0; i++)
		;
	errno = 0;
	EXPECT_EQ(-1, read(pfd.fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	helper = fork();
	ASSERT_LE(0, helper);
	if (helper == 0) {
		tp_sleep_ms(300);
		_exit(run_prog() > 0 ? 0 : 1);
	}
	t0 = tp_now_us();
	ret = poll(&pfd, 1, 10000);
	waited = tp_now_us() - t0;
	EXPECT_EQ(1, ret);
	EXPECT_TRUE(pfd.revents & POLLIN) TH_LOG("revents 0x%x", pfd.revents);
	EXPECT_LE(250000UL, waited) TH_LOG("poll returned after %llu us",
					 (unsigned long long)waited);

	/* Read up to the first newline; the line parses. */
	for (i = 0; i < 100 && len < sizeof(buf) - 1; i++) {
		n = read(pfd.fd, buf + len, sizeof(buf) - 1 - len);
		if (n > 0)
			len += n;
		buf[len] = '\0';
		if (strchr(buf, '\n'))
			break;
		tp_sleep_ms(10);
	}
	nl = strchr(buf, '\n');
	ASSERT_NE(NULL, nl) TH_LOG("read %zu bytes, no whole line", len);
	*nl = '\0';
	EXPECT_EQ(0, tp_parse_line(buf, &ev, &why))
		TH_LOG("%s: '%s'", why, buf);
	EXPECT_TRUE(tp_check_format(&ev, &why)) TH_LOG("%s: '%s'", why, buf);
	tp_event_free(&ev);
	ASSERT_EQ(helper, waitpid(helper, &status, 0));
	EXPECT_EQ(0, status);
	close(pfd.fd);
}

/*
 * A traced program that is still running (blocked reading its stdin)
 * holds the module: rmmod is refused; once it exits, nothing holds it.
 */
TEST_F(life, rmmod_refused_while_a_traced_program_runs)
{
	char *argv[] = { "bft-life", "wait", NULL };
	struct tp_waiting w;
	int i;

	EXPECT_EQ(0, refcnt());
	/* It printed its maps: it runs, loaded, and waits. */
	ASSERT_EQ(0, tp_start_waiting(PROG, argv, &w));

	expect_unload_refused(_metadata, "a traced program runs");
	ASSERT_EQ(0, run_prog() > 0 ? 0 : -1);

	EXPECT_EQ(0, tp_stop_waiting(&w));
	for (i = 0; i < 200 && refcnt() != 0; i++)
		tp_sleep_ms(10);
	EXPECT_EQ(0, refcnt());
}

/* A reader blocked in read(trace_pipe), copying what it reads to a file. */
static pid_t start_reader(void)
{
	char buf[65536];
	pid_t pid = fork();
	ssize_t n;
	int fd, out;

	if (pid)
		return pid;
	out = open(READER_OUT, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	fd = open(BFT_DEBUGFS "/trace_pipe", O_RDONLY);
	if (fd < 0 || out < 0)
		_exit(2);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		if (write(out, buf, n) != n)
			_exit(4);
	}
}

/* The reader has trace_pipe open and sleeps (in read()). */
static bool reader_blocked(pid_t pid)
{
	char path[64], link[256], stat[512], *p;
	ssize_t n;
	bool open_pipe = false;
	int fd;

	for (fd = 0; fd < 16 && !open_pipe; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			open_pipe = strstr(link, "trace_pipe") != NULL;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return false;
	stat[n] = '\0';
	p = strrchr(stat, ')');
	return open_pipe && p && p[1] == ' ' && p[2] == 'S';
}

/*
 * Whether the reader's copy holds the whole session of each of @pids,
 * load_start to load_end; every whole line in it must parse (@bad counts
 * those that do not).
 */
static bool reader_saw(const pid_t *pids, int n, size_t *bad,
		       struct tp_trace *t)
{
	char *text = tp_read_file(READER_OUT, NULL);
	uint32_t s;
	int i;
	bool all = true;

	tp_free(t);
	if (!text || tp_parse_text(text, t)) {
		free(text);
		return false;
	}
	free(text);
	*bad = t->nbad;
	for (i = 0; i < n && all; i++) {
		s = tp_session_of_pid(t, pids[i]);
		all = s && tp_find(t, s, "load_end");
	}
	return all;
}

/*
 * A reader blocks in read() on trace_pipe while three traced programs run
 * at once; it gets all their sessions.  It holds the tracefs instance,
 * not the module: rmmod goes through and removes the debugfs directory
 * and the binfmt, but the instance stays while the reader has it open;
 * insmod takes the instance up again, and the next session (numbered 1
 * again) reaches the same reader.  Once the reader is gone, rmmod removes
 * the instance too, and insmod makes a fresh one, which has the default
 * size from its first session on.
 */
TEST_F_TIMEOUT(life, reader_holds_the_instance_not_the_module, 120)
{
	struct tp_trace t = { 0 };
	pid_t pids[4];
	size_t bad = 0;
	int i, status;
	char *argv[] = { "bft-life", NULL }, *out;
	long long size_kb, idle_kb;
	uint32_t s;

	ASSERT_EQ(0, tp_buffer_awake());
	size_kb = tp_buffer_kb();
	EXPECT_LT(0, size_kb);
	EXPECT_EQ(0, refcnt());
	self->reader = start_reader();
	ASSERT_LT(0, self->reader);
	for (i = 0; i < 500 && !reader_blocked(self->reader); i++)
		tp_sleep_ms(10);
	ASSERT_TRUE(reader_blocked(self->reader));
	EXPECT_EQ(0, refcnt());

	for (i = 0; i < 3; i++) {
		pids[i] = tp_spawn(PROG, argv, -1, -1);
		ASSERT_LT(0, pids[i]);
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, status);
	}
	for (i = 0; i < 500 && !reader_saw(pids, 3, &bad, &t); i++)
		tp_sleep_ms(20);
	EXPECT_TRUE(reader_saw(pids, 3, &bad, &t)) {
		TH_LOG("the reader did not get the three sessions:");
		tp_dump(&t, 0, 0, 100);
	}
	EXPECT_EQ(0UL, bad) tp_dump_bad(&t);

	/* The module goes from under the blocked reader. */
	ASSERT_EQ(0, tp_unload_module());
	EXPECT_FALSE(path_exists(BFT_DEBUGFS));
	EXPECT_FALSE(path_exists(MODULE_SYS));
	EXPECT_EQ(ENOEXEC, bft_exec_errno(PROG));
	EXPECT_TRUE(path_exists(INSTANCE "/trace_pipe"));
	EXPECT_TRUE(reader_blocked(self->reader));

	/* It comes back to the same instance and reader. */
	ASSERT_EQ(0, tp_load_module(""));
	EXPECT_TRUE(path_exists(BFT_DEBUGFS "/trace_pipe"));
	EXPECT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
	EXPECT_EQ(0, tp_session_count());
	pids[3] = run_prog();
	ASSERT_LT(0, pids[3]);
	for (i = 0; i < 500 && !reader_saw(pids + 3, 1, &bad, &t); i++)
		tp_sleep_ms(20);
	EXPECT_TRUE(reader_saw(pids + 3, 1, &bad, &t))
		tp_dump(&t, 0, 0, 100);
	EXPECT_EQ(1U, tp_session_of_pid(&t, pids[3]));

	kill(self->reader, SIGKILL);
	ASSERT_EQ(self->reader, waitpid(self->reader, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("reader status 0x%x", status);
	self->reader = 0;

	/* Nobody holds anything: the instance goes with the module. */
	ASSERT_EQ(0, tp_unload_module());
	EXPECT_FALSE(path_exists(INSTANCE));
	ASSERT_EQ(0, tp_load_module(""));
	EXPECT_TRUE(path_exists(INSTANCE "/trace_pipe"));
	/* Idle until its first session (test_zz_memory). */
	idle_kb = 2 * 4080 / 1024;
	EXPECT_EQ(1, tp_stat("buffer_idle"));
	EXPECT_EQ(idle_kb, tp_buffer_kb());
	tp_free(&t);
	ASSERT_EQ(0, tp_run(PROG, argv, &out, &pids[0]));
	EXPECT_EQ(size_kb, tp_buffer_kb());
	ASSERT_EQ(0, tp_read_trace(&t));
	s = tp_session_of_pid(&t, pids[0]);
	EXPECT_EQ(1U, s) tp_dump(&t, 0, 0, 20);
	tp_free(&t);
	free(out);
}

TEST_HARNESS_MAIN
