// SPDX-License-Identifier: GPL-2.0
/*
 * test_kptr - no kernel address leaves the module.
 *
 * After a workload that makes every kind of event (a dynamic program with
 * kernel-mode faults, a fork, threads, a refused wrapped file), nothing a
 * user can read from binfmt_trace holds a kernel address: not the trace
 * (ftrace's file and bft run's report), not sessions, stats, enable,
 * the module parameters, nor the module's lines in the kernel log.
 *
 * A kernel address on x86_64 is 0xffff8... or above: sixteen hex digits
 * whose first five are ffff8 to fffff.  Its hashed %p form is not one.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS	"/selftests/progs"

/*
 * Where in @text a kernel address starts, or NULL: 16 hex digits, not part
 * of a longer run of hex digits, that begin with ffff8-ffff.
 */
static const char *find_kernel_address(const char *text)
{
	const char *p = text;
	size_t run;

	while (*p) {
		if (!isxdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		for (run = 0; isxdigit((unsigned char)p[run]); run++)
			;
		if (run == 16 && !strncasecmp(p, "ffff", 4) &&
		    strchr("89abcdefABCDEF", p[4]))
			return p;
		p += run;
	}
	return NULL;
}

/*
 * Whether @path can be read and holds no kernel address; if not, @bad
 * says why (the line with the address).
 */
static bool file_is_clean(const char *path, char *bad, size_t size)
{
	char *text = tp_read_file(path, NULL);
	const char *hit, *start;

	if (!text) {
		snprintf(bad, size, "%s: cannot read it", path);
		return false;
	}
	hit = find_kernel_address(text);
	if (hit) {
		for (start = hit; start > text && start[-1] != '\n'; start--)
			;
		snprintf(bad, size, "%s: %.*s", path,
			 (int)(strchrnul(hit, '\n') - start), start);
	}
	free(text);
	return !hit;
}

/* Run @argv with stdout and stderr to @out (a file). Returns its status. */
static int run_to(char *const argv[], const char *out)
{
	char *envp[] = { "PATH=/bin:/sbin", NULL };
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* A wrapped file the loader refuses with a log line: version 99. */
static int exec_refused_wrapped(void)
{
	static const char path[] = "/tmp/kptr-refused.bft";
	struct bft_header h;
	char elf[64] = "\x7f" "ELF";

	bft_header_init(&h, sizeof(elf));
	h.version = htole16(99);
	if (bft_write_wrapped(path, &h, elf, sizeof(elf)))
		return -1;
	return bft_exec_errno(path);
}

/*
 * Check every kernel log record newer than @fd's cursor that contains
 * @needle.  Returns how many there were; the first one holding a kernel
 * address is copied to @bad (else @bad is "").
 */
static int kmsg_check_lines(int fd, const char *needle, char *bad,
			    size_t size)
{
	char rec[2048];
	int count = 0;
	ssize_t n;

	bad[0] = '\0';
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (!strstr(rec, needle))
			continue;
		count++;
		if (!bad[0] && find_kernel_address(rec))
			snprintf(bad, size, "%.500s", rec);
	}
	return count;
}

TEST(nothing_readable_holds_a_kernel_address)
{
	char *runs[][4] = {
		{ "/bin/bft", "run", PROGS "/hello-dynamic", NULL },
		{ "/bin/bft", "run", PROGS "/forker", NULL },
		{ "/bin/bft", "run", PROGS "/threads", NULL },
	};
	static const char *const files[] = {
		BFT_DEBUGFS "/trace", BFT_DEBUGFS "/sessions",
		BFT_DEBUGFS "/stats", BFT_DEBUGFS "/enable",
		BFT_DEBUGFS "/buffer_size_kb", TP_INSTANCE "/trace",
		TP_INSTANCE "/per_cpu/cpu0/stats",
	};
	char path[PATH_MAX], bad[600];
	struct dirent *d;
	size_t i;
	DIR *dir;
	int kmsg;

	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, tp_clear());
	for (i = 0; i < ARRAY_SIZE(runs); i++) {
		snprintf(path, sizeof(path), "/tmp/kptr-run%zu.out", i);
		ASSERT_EQ(0, run_to(runs[i], path)) TH_LOG("%s", runs[i][2]);
		EXPECT_TRUE(file_is_clean(path, bad, sizeof(bad)))
			TH_LOG("%s", bad);
	}
	ASSERT_EQ(ENOEXEC, exec_refused_wrapped());
	/* The workload was traced: the check below has something to read. */
	ASSERT_LE(3, tp_stat("sessions_listed"));

	for (i = 0; i < ARRAY_SIZE(files); i++)
		EXPECT_TRUE(file_is_clean(files[i], bad, sizeof(bad)))
			TH_LOG("%s", bad);

	dir = opendir("/sys/module/" BFT_MODULE_NAME "/parameters");
	ASSERT_NE(NULL, dir);
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s",
			 BFT_MODULE_NAME, d->d_name);
		EXPECT_TRUE(file_is_clean(path, bad, sizeof(bad)))
			TH_LOG("%s", bad);
	}
	closedir(dir);

	/* The refusal above wrote one line; every line of ours is checked. */
	ASSERT_LT(0, kmsg_check_lines(kmsg, BFT_MODULE_NAME ": ", bad,
				      sizeof(bad)));
	EXPECT_STREQ("", bad);
	close(kmsg);
}

TEST(the_checker_finds_a_kernel_address)
{
	/* The check must be able to fail: known positives and negatives. */
	EXPECT_NE(NULL, find_kernel_address("ip=0xffffffff81234567 x"));
	EXPECT_NE(NULL, find_kernel_address("ffff888003a1c000"));
	EXPECT_EQ(NULL, find_kernel_address("addr=0x7fcfbdb9f020"));
	EXPECT_EQ(NULL, find_kernel_address("0xffffffffffffffffff"));
	EXPECT_EQ(NULL, find_kernel_address("v=0x0000ffff81234567"));
	EXPECT_EQ(NULL, find_kernel_address("vm_fault=0x400 ffff7fffffffffff"));
}

TEST(the_file_check_finds_kallsyms)
{
	static const char knob[] = "/proc/sys/kernel/kptr_restrict";
	char bad[600], *was = tp_read_file(knob, NULL);
	bool clean;

	/* Root reads real addresses there (kptr_restrict 0 or 1). */
	ASSERT_NE(NULL, was);
	ASSERT_EQ(0, tp_write_file(knob, "1"));
	clean = file_is_clean("/proc/kallsyms", bad, sizeof(bad));
	tp_write_file(knob, was);
	free(was);
	EXPECT_FALSE(clean);
	EXPECT_NE(NULL, strstr(bad, "/proc/kallsyms: ffff")) TH_LOG("%s", bad);
}

TEST_HARNESS_MAIN
