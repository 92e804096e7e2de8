// SPDX-License-Identifier: GPL-2.0
/*
 * test_hostile - malformed executables fail the same way wrapped as plain.
 *
 * Every case of the corpus (scripts/gen-hostile-corpus.py) runs once plain,
 * through the kernel's ELF loader, and once wrapped with 'bft wrap --force',
 * through binfmt_trace.  The outcome, the errno of execve or the way the
 * process ended, must be the same; then a good wrapped program must still
 * run.  The console log is checked for oops and WARN by the VM runner.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "bft_test.h"

#define CORPUS		"/selftests/hostile"
#define DIR		"/tmp/hostile"
#define GOOD		"/selftests/progs/probe-static"

/*
 * The outcome of executing @path: "errno N" if execve failed, else how
 * the process ended ("exit N" or "signal N").  Programs that load are cut
 * short by an alarm that survives the exec.
 */
static void outcome(const char *path, char *buf, size_t size)
{
	char *argv[] = { "hostile", NULL };
	char *envp[] = { NULL };
	int err, status;

	err = bft_spawn(path, argv, envp, true, 5, &status);
	if (err)
		snprintf(buf, size, "errno %d (%s)", err, strerror(err));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
}

static void sh(struct __test_metadata *_metadata, const char *cmd)
{
	ASSERT_EQ(0, system(cmd)) TH_LOG("%s", cmd);
}

FIXTURE(hostile) {
	char plain[128];
	char wrapped[128];
};

FIXTURE_VARIANT(hostile) {
	const char *file;
};

#define HOSTILE_CASE(id, name) \
	FIXTURE_VARIANT_ADD(hostile, id) { .file = name };
#include "hostile/hostile_cases.h"

FIXTURE_SETUP(hostile)
{
	char cmd[1024];

	/* The interpreters some cases name (see gen-hostile-corpus.py). */
	sh(_metadata, "mkdir -p " DIR " && echo 'not an elf' > " DIR "/not-an-elf"
	   " && chmod 755 " DIR "/not-an-elf && bft wrap --force "
	   "/lib64/ld-linux-x86-64.so.2 " DIR "/wrapped-interp");
	snprintf(self->plain, sizeof(self->plain), DIR "/plain-%s",
		 variant->file);
	snprintf(self->wrapped, sizeof(self->wrapped), DIR "/wrapd-%s",
		 variant->file);
	snprintf(cmd, sizeof(cmd), "cp " CORPUS "/%s %s && chmod 755 %s && "
		 "bft wrap --force %s %s", variant->file, self->plain,
		 self->plain, self->plain, self->wrapped);
	sh(_metadata, cmd);
}

FIXTURE_TEARDOWN(hostile)
{
	unlink(self->plain);
	unlink(self->wrapped);
}

TEST_F(hostile, fails_like_stock_then_good_exec_works)
{
	char plain[64], wrapped[64];

	outcome(self->plain, plain, sizeof(plain));
	outcome(self->wrapped, wrapped, sizeof(wrapped));
	TH_LOG("plain: %s, wrapped: %s", plain, wrapped);
	EXPECT_STREQ(plain, wrapped);
	sh(_metadata, "bft wrap " GOOD " " DIR "/good");
	EXPECT_EQ(0, bft_exec_errno(DIR "/good"));
}

TEST_HARNESS_MAIN
