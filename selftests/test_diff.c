// SPDX-License-Identifier: GPL-2.0
/*
 * test_diff - bft diff, the self-check of the loader, run as /bin/bft:
 *
 *   - every test program (static, static-pie, glibc dynamic PIE and
 *     non-PIE, musl), with arguments and an environment of its own, is
 *     identical loaded by the kernel and by binfmt_trace: exit 0, each
 *     part "same", and the session it names is in the sessions file with
 *     the program's file and the mark's label;
 *   - the AT_RANDOM mask is needed, and is all that is: two stock runs
 *     of one program differ in exactly the 16 bytes at AT_RANDOM;
 *   - --against a copy with one byte of its output string changed:
 *     exit 1, stdout and nothing else differs, by exactly that line;
 *   - --against a copy with the first PT_LOAD made writable: exit 1,
 *     maps and nothing else differs, by exactly that line's permissions;
 *   - usage errors, a missing program, a wrapped program, recording off
 *     and an unprivileged user: exit 2 and the reason on stderr.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS		"/selftests/progs"
#define BFT		"/bin/bft"
#define OUT_FILE	"/tmp/test_diff.out"
#define ERR_FILE	"/tmp/test_diff.err"
#define NOBODY		65534

/* bft diff's stdout and stderr, and its exit status. */
struct result {
	int rc;			/* exit status, or -1 */
	char *out;
	char *err;
};

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/*
 * Run "bft diff @args..." as @uid (0: root) with @envp, its stdout and
 * stderr to files, and read them back.
 */
static void bft_diff(char *const args[], char *const envp[], uid_t uid,
		     struct result *r)
{
	char *argv[32] = { "bft", "diff" };
	int status, i, fd;
	pid_t pid;

	for (i = 0; args[i] && i < 29; i++)
		argv[i + 2] = args[i];
	argv[i + 2] = NULL;
	r->rc = -1;
	pid = fork();
	if (pid == 0) {
		fd = open(OUT_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		fd = open(ERR_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		if (uid && (setgid(uid) || setuid(uid)))
			_exit(100);
		execve(BFT, argv, envp);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->rc = WEXITSTATUS(status);
	r->out = tp_read_file(OUT_FILE, NULL);
	r->err = tp_read_file(ERR_FILE, NULL);
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
}

static char *default_env[] = { "PATH=/bin:/sbin", NULL };

/* The lines of @text that start with @sign, in one string. */
static char *lines_with(const char *text, char sign)
{
	size_t len = 0;
	char *out = calloc(1, strlen(text) + 1);
	const char *p, *nl;

	for (p = text; out && *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (*p == sign && strncmp(p, "---", 3) && strncmp(p, "+++", 3)) {
			memcpy(out + len, p, nl - p + 1);
			len += nl - p + (*nl ? 1 : 0);
		}
		if (!*nl)
			break;
	}
	return out;
}

/*
 * @prog with @args, an environment of its own: identical, each part
 * "same", and the session named is the program's, marked by bft diff.
 */
static void check_identical(struct __test_metadata *_metadata,
			    const char *prog)
{
	char *args[] = { "--", (char *)prog, "first arg", "--second", NULL };
	char *envp[] = { "PATH=/bin:/sbin", "BFT_DIFF_TEST=with spaces",
			 "LANG=C", NULL };
	char want[512], *verdict, session[16];
	struct tp_event ev;
	struct result r;

	bft_diff(args, envp, 0, &r);
	ASSERT_EQ(0, r.rc) TH_LOG("%s\n%s", r.out, r.err);
	snprintf(want, sizeof(want), "status: same\nstdout: same\n"
		 "stderr: same\nmaps: same\nauxv: same\n"
		 "bft diff: identical: %s loaded by the kernel and by "
		 "binfmt_trace (session ", prog);
	ASSERT_EQ(0, strncmp(r.out, want, strlen(want))) TH_LOG("%s", r.out);
	verdict = r.out + strlen(want);
	snprintf(session, sizeof(session), "%ld", strtol(verdict, NULL, 10));
	ASSERT_EQ(0, tp_session_line_where("session", session, &ev));
	EXPECT_TRUE(tp_eq(&ev, "file", prog)) TH_LOG("%s", ev.line);
	EXPECT_TRUE(tp_eq(&ev, "label", "bft-diff")) TH_LOG("%s", ev.line);
	EXPECT_TRUE(tp_eq(&ev, "result", "0")) TH_LOG("%s", ev.line);
	EXPECT_STREQ("", r.err);
	tp_event_free(&ev);
	result_free(&r);
}

TEST(identical_static)
{
	check_identical(_metadata, PROGS "/probe-static");
}

TEST(identical_static_pie)
{
	check_identical(_metadata, PROGS "/probe-static-pie");
}

TEST(identical_dynamic_pie)
{
	check_identical(_metadata, PROGS "/probe-dynamic-pie");
}

TEST(identical_dynamic_nopie)
{
	check_identical(_metadata, PROGS "/probe-dynamic-nopie");
}

TEST(identical_hello_dynamic_and_static)
{
	check_identical(_metadata, PROGS "/hello-dynamic");
	check_identical(_metadata, PROGS "/hello-static");
}

TEST(identical_musl)
{
	if (access(PROGS "/probe-musl-static", X_OK))
		SKIP(return, "no musl-gcc when the guest was built");
	check_identical(_metadata, PROGS "/probe-musl-static");
}

/* A program found in $PATH, as a shell finds it. */
TEST(identical_found_in_path)
{
	char *args[] = { "--", "probe-static", NULL };
	char *envp[] = { "PATH=/nonexistent:" PROGS, NULL };
	struct result r;

	bft_diff(args, envp, 0, &r);
	EXPECT_EQ(0, r.rc) TH_LOG("%s\n%s", r.out, r.err);
	EXPECT_NE(NULL, strstr(r.out, "identical: " PROGS "/probe-static "));
	result_free(&r);
}

/*
 * Why AT_RANDOM's bytes are masked: two stock runs of one program, as
 * --keep keeps them, have the same maps and the same auxv but for those
 * bytes (the address is the same).
 */
TEST(stock_runs_differ_in_at_random_bytes_only)
{
	char *k1[] = { "--keep=/tmp/diff-k1", "--", PROGS "/probe-dynamic-pie",
		       NULL };
	char *k2[] = { "--keep=/tmp/diff-k2", "--", PROGS "/probe-dynamic-pie",
		       NULL };
	char *a1, *a2, *m1, *m2, *l1, *l2, *e1, *e2;
	struct result r;

	bft_diff(k1, default_env, 0, &r);
	ASSERT_EQ(0, r.rc) TH_LOG("%s\n%s", r.out, r.err);
	EXPECT_NE(NULL, strstr(r.out, "kept: /tmp/diff-k1/stock and "
				      "/tmp/diff-k1/bft\n"));
	result_free(&r);
	bft_diff(k2, default_env, 0, &r);
	ASSERT_EQ(0, r.rc) TH_LOG("%s\n%s", r.out, r.err);
	result_free(&r);
	a1 = tp_read_file("/tmp/diff-k1/stock/auxv", NULL);
	a2 = tp_read_file("/tmp/diff-k2/stock/auxv", NULL);
	m1 = tp_read_file("/tmp/diff-k1/stock/maps", NULL);
	m2 = tp_read_file("/tmp/diff-k2/stock/maps", NULL);
	ASSERT_TRUE(a1 && a2 && m1 && m2);
	EXPECT_STREQ(m1, m2);
	l1 = strstr(a1, "\nAT_RANDOM 0x");
	l2 = strstr(a2, "\nAT_RANDOM 0x");
	ASSERT_TRUE(l1 && l2) TH_LOG("%s", a1);
	e1 = strstr(l1, " bytes=");
	e2 = strstr(l2, " bytes=");
	ASSERT_TRUE(e1 && e2);
	/* Same text up to the bytes: the same address too. */
	EXPECT_EQ(e1 - a1, e2 - a2);
	EXPECT_EQ(0, strncmp(a1, a2, e1 - a1));
	EXPECT_EQ(0, strncmp(e1, e2, 7));
	EXPECT_NE(0, strncmp(e1, e2, 7 + 32)) TH_LOG("%.40s", e1);
	EXPECT_STREQ(strchr(e1, '\n'), strchr(e2, '\n'));
	free(a1);
	free(a2);
	free(m1);
	free(m2);
}

/* A copy of hello-dynamic that says "jello": only stdout differs. */
TEST(against_changed_string_differs_in_stdout)
{
	char *args[] = { "--against", "/tmp/diff-jello", "--",
			 PROGS "/hello-dynamic", NULL };
	size_t size;
	char *elf = tp_read_file(PROGS "/hello-dynamic", &size), *hit;
	struct result r;
	int fd;

	ASSERT_NE(NULL, elf);
	hit = memmem(elf, size, "hello from", 10);
	ASSERT_NE(NULL, hit);
	ASSERT_EQ(NULL, memmem(hit + 1, size - (hit + 1 - elf), "hello from",
			       10));
	*hit = 'j';
	fd = open("/tmp/diff-jello", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)size, write(fd, elf, size));
	close(fd);
	free(elf);

	bft_diff(args, default_env, 0, &r);
	EXPECT_EQ(1, r.rc) TH_LOG("%s\n%s", r.err, r.out);
	EXPECT_STREQ("status: same\n"
		     "stdout: differ\n"
		     "--- stock\n"
		     "+++ binfmt_trace\n"
		     "@@ -1,1 +1,1 @@\n"
		     "-hello from " PROGS "/hello-dynamic\n"
		     "+jello from " PROGS "/hello-dynamic\n"
		     "stderr: same\n"
		     "maps: same\n"
		     "auxv: same\n"
		     "bft diff: differ: stdout\n", r.out);
	EXPECT_STREQ("", r.err);
	result_free(&r);
}

/* Make the first PT_LOAD of the ELF in @buf writable; it must be R only. */
static int make_first_load_writable(char *buf, size_t size)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	size_t i, off;

	if (size < sizeof(eh))
		return -1;
	memcpy(&eh, buf, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		off = eh.e_phoff + i * sizeof(ph);
		if (off + sizeof(ph) > size)
			return -1;
		memcpy(&ph, buf + off, sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_flags != PF_R)
			return -1;
		ph.p_flags = PF_R | PF_W;
		memcpy(buf + off, &ph, sizeof(ph));
		return 0;
	}
	return -1;
}

/*
 * A copy of hello-static whose first PT_LOAD is RW instead of R: only
 * maps differ, by that one line, "r--p" now "rw-p".
 */
TEST(against_changed_p_flags_differs_in_maps)
{
	char *args[] = { "--keep=/tmp/diff-rw", "--against", "/tmp/diff-rw.elf",
			 "--", PROGS "/hello-static", NULL };
	size_t size;
	char *elf = tp_read_file(PROGS "/hello-static", &size);
	char *maps, *line, *nl, want[1024], *minus, *plus;
	struct result r;
	int fd;

	ASSERT_NE(NULL, elf);
	ASSERT_EQ(0, make_first_load_writable(elf, size));
	fd = open("/tmp/diff-rw.elf", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)size, write(fd, elf, size));
	close(fd);
	free(elf);

	bft_diff(args, default_env, 0, &r);
	EXPECT_EQ(1, r.rc) TH_LOG("%s\n%s", r.err, r.out);
	EXPECT_NE(NULL, strstr(r.out, "status: same\nstdout: same\n"
				      "stderr: same\nmaps: differ\n"));
	EXPECT_NE(NULL, strstr(r.out, "\nauxv: same\n"));
	EXPECT_NE(NULL, strstr(r.out, "\nbft diff: differ: maps\n"));
	/* The stock run's first line of the program, and it made rw-p. */
	maps = tp_read_file("/tmp/diff-rw/stock/maps", NULL);
	ASSERT_NE(NULL, maps);
	line = strstr(maps, " r--p 00000000 ");
	ASSERT_NE(NULL, line);
	nl = strchr(line, '\n');
	while (line > maps && line[-1] != '\n')
		line--;
	ASSERT_NE(NULL, nl);
	snprintf(want, sizeof(want), "-%.*s\n", (int)(nl - line), line);
	minus = lines_with(r.out, '-');
	EXPECT_STREQ(want, minus);
	memcpy(strstr(want, " r--p ") + 1, "rw-p", 4);
	want[0] = '+';
	plus = lines_with(r.out, '+');
	EXPECT_STREQ(want, plus);
	free(minus);
	free(plus);
	free(maps);
	result_free(&r);
}

static void check_exit2(struct __test_metadata *_metadata, char *const args[],
			uid_t uid, const char *err)
{
	struct result r;

	bft_diff(args, default_env, uid, &r);
	EXPECT_EQ(2, r.rc) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.out);
	EXPECT_NE(NULL, strstr(r.err, err)) TH_LOG("%s", r.err);
	result_free(&r);
}

TEST(usage_errors_exit_2)
{
	char *none[] = { NULL };
	char *dashdash[] = { "--", NULL };
	char *bogus[] = { "--bogus", PROGS "/hello-static", NULL };
	char *against[] = { "--against", NULL };
	char *keep[] = { "--keep=", PROGS "/hello-static", NULL };

	check_exit2(_metadata, none, 0, "bft diff: missing program\n"
		    "usage: bft diff ");
	check_exit2(_metadata, dashdash, 0, "bft diff: missing program\n");
	check_exit2(_metadata, bogus, 0, "unknown option '--bogus'");
	check_exit2(_metadata, against, 0, "option '--against' needs an "
		    "argument");
	check_exit2(_metadata, keep, 0, "--keep= needs a directory");
}

TEST(cannot_run_exits_2)
{
	char *missing[] = { "--", "/nonexistent/prog", NULL };
	char *against[] = { "--against", "/nonexistent/copy", "--",
			    PROGS "/hello-static", NULL };
	char *wrapped[] = { "--", "/tmp/diff-hello.bft", NULL };
	char *user[] = { "--", PROGS "/hello-static", NULL };

	check_exit2(_metadata, missing, 0, "bft diff: cannot run "
		    "/nonexistent/prog: No such file or directory\n");
	check_exit2(_metadata, against, 0, "bft diff: --against "
		    "/nonexistent/copy: No such file or directory\n");
	ASSERT_EQ(0, tp_wrap(PROGS "/hello-static", "/tmp/diff-hello.bft",
			     "w", 0));
	check_exit2(_metadata, wrapped, 0, "a wrapped file");
	check_exit2(_metadata, user, NOBODY, "bft diff: must be root");
	ASSERT_EQ(0, tp_write_file(BFT_DEBUGFS "/enable", "0"));
	check_exit2(_metadata, user, 0, "bft diff: recording is off");
	ASSERT_EQ(0, tp_write_file(BFT_DEBUGFS "/enable", "1"));
}

TEST_HARNESS_MAIN
