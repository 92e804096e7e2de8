// SPDX-License-Identifier: GPL-2.0
/*
 * test_report_vm - bft report's reading of a real trace against what the
 * traced program itself sees:
 *
 *   - the initial stack: the argv array, argc (sp) and the strings (p=)
 *     where loadinfo finds them, AT_RANDOM and AT_EXECFN where its auxv
 *     says;
 *   - where execution starts: AT_ENTRY as in its auxv, the first
 *     instruction ld.so's _start at AT_BASE + ld.so's entry, by name.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PROGS	"/selftests/progs"

/* Run @argv with stdout to @out; returns the wait status. */
static int run_to(char *const argv[], const char *out)
{
	char *envp[] = { "PATH=/bin:/sbin", NULL };
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* The hex number after @key in @text (e.g. "argvp=0x7ff..."), or 0. */
static unsigned long long after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

/* The address that starts the report line holding @what, or 0. */
static unsigned long long row_address(const char *report, const char *what)
{
	const char *p = strstr(report, what);

	while (p && p > report && p[-1] != '\n')
		p--;
	return p ? strtoull(p, NULL, 16) : 0;
}

/* The line of @report that starts with @start (after blanks), or NULL. */
static const char *line_of(const char *report, const char *start)
{
	const char *p = report;

	while (p && *p) {
		const char *q = p + strspn(p, " ");

		if (!strncmp(q, start, strlen(start)))
			return q;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

FIXTURE(report) {
	char *out;	/* loadinfo's own output */
	char *text;	/* bft report of its trace */
};

FIXTURE_SETUP(report)
{
	char *run[] = { "/bin/bft", "run", "-o", "/tmp/rv.run",
			"--trace-out", "/tmp/rv.trace", "--",
			PROGS "/loadinfo", "one", "two", NULL };
	char *report[] = { "/bin/bft", "report", "/tmp/rv.trace", NULL };

	ASSERT_EQ(0, run_to(run, "/tmp/rv.out"));
	ASSERT_EQ(0, run_to(report, "/tmp/rv.txt"));
	self->out = tp_read_file("/tmp/rv.out", NULL);
	self->text = tp_read_file("/tmp/rv.txt", NULL);
	ASSERT_NE(NULL, self->out);
	ASSERT_NE(NULL, self->text);
}

FIXTURE_TEARDOWN(report)
{
	free(self->out);
	free(self->text);
}

TEST_F(report, initial_stack_is_where_the_program_finds_it)
{
	unsigned long long argvp = after(self->out, "argvp=");
	unsigned long long argv0 = after(self->out, "argv0=");

	/* Every value compared below is there: none is a 0 of "not found". */
	ASSERT_NE(0ULL, argvp) TH_LOG("%s", self->out);
	ASSERT_NE(0ULL, argv0);
	ASSERT_NE(0ULL, after(self->out, "auxv 25 "));
	ASSERT_NE(0ULL, after(self->out, "auxv 31 "));
	ASSERT_NE(0ULL, after(self->out, "auxv 15 "));
	EXPECT_EQ(argvp, row_address(self->text, "argv: 3 pointers, then NULL"))
		TH_LOG("%s", self->text);
	EXPECT_EQ(argvp - 8, row_address(self->text, "argc = 3 "));
	EXPECT_EQ(argv0, row_address(self->text, "argv strings, then envp strings (p="));
	EXPECT_EQ(after(self->out, "auxv 25 "),
		  row_address(self->text, "random bytes (AT_RANDOM)"));
	EXPECT_EQ(after(self->out, "auxv 31 "),
		  row_address(self->text, "the file name exec was given (AT_EXECFN)"));
	EXPECT_EQ(after(self->out, "auxv 15 "),
		  row_address(self->text, "the platform string (AT_PLATFORM)"));
}

TEST_F(report, execution_starts_at_ld_so_start_then_at_entry)
{
	const char *first = line_of(self->text, "first instruction:");
	const char *entry = line_of(self->text, "AT_ENTRY:");

	ASSERT_NE(NULL, first) TH_LOG("%s", self->text);
	ASSERT_NE(NULL, entry);
	ASSERT_NE(0ULL, after(self->out, "auxv 9 "));
	ASSERT_NE(0ULL, after(self->out, "auxv 7 "));
	EXPECT_EQ(after(self->out, "auxv 9 "),
		  strtoull(entry + strlen("AT_ENTRY:"), NULL, 16));
	EXPECT_NE(NULL, strstr(entry, " loadinfo:.text:_start+0x0\n"))
		TH_LOG("%.120s", entry);
	EXPECT_NE(NULL, strstr(first, " ld-linux-x86-64.so.2:"))
		TH_LOG("%.120s", first);
	/*
	 * Debian's ld.so is stripped and its _start is not in .dynsym: the
	 * guest, without libc6-dbg, names its section only.
	 */
	EXPECT_NE(NULL, strstr(first, ":.text:"));
	EXPECT_LT(after(self->out, "auxv 7 "),
		  strtoull(first + strlen("first instruction:"), NULL, 16));
}

/* bft run --report json: bft report's JSON of the run, in -o's file. */
TEST(bft_run_report_json)
{
	char *run[] = { "/bin/bft", "run", "--report", "json", "-o",
			"/tmp/rv-run.json", "--", PROGS "/hello-static", NULL };
	static const char head[] = "{\"schema\":\"bft-report/1\",";
	char *json;

	ASSERT_EQ(0, run_to(run, "/tmp/rv-run.out"));
	json = tp_read_file("/tmp/rv-run.json", NULL);
	ASSERT_NE(NULL, json);
	EXPECT_EQ(0, strncmp(json, head, sizeof(head) - 1))
		TH_LOG("%.80s", json);
	EXPECT_NE(NULL, strstr(json, "\"file\":\"" PROGS "/hello-static\""));
	EXPECT_NE(NULL, strstr(json, "\"symbol\":\"main\""));
	free(json);
}

TEST_HARNESS_MAIN
