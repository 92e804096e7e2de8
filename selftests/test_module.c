// SPDX-License-Identifier: GPL-2.0
/*
 * test_module - the module's lifetime: it is loaded, it registers its
 * binary format and debugfs directory, it unloads cleanly and loads again.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "bft_test.h"

static bool path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A wrapped file with a version this module does not know. */
static void write_future_version(struct __test_metadata *_metadata,
				 const char *path)
{
	static const char elf[] = "\177ELF";
	struct bft_header h;

	bft_header_init(&h, sizeof(elf));
	h.version = htole16(BFT_VERSION + 98);
	ASSERT_EQ(0, bft_write_wrapped(path, &h, elf, sizeof(elf)));
}

TEST(module_is_live)
{
	char state[32] = "";
	FILE *f = fopen("/sys/module/" BFT_MODULE_NAME "/initstate", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(state, sizeof(state), f));
	fclose(f);
	EXPECT_STREQ("live\n", state);
}

TEST(debugfs_directory_exists)
{
	EXPECT_TRUE(path_is_dir(BFT_DEBUGFS));
}

/*
 * Only a registered binfmt sees the file: the stock handlers refuse it
 * silently, ours refuses it with one log line naming the version.
 */
TEST(binfmt_is_registered_and_refuses_unknown_version)
{
	const char *path = "/tmp/future-version";
	int kmsg = kmsg_open();

	ASSERT_LE(0, kmsg);
	write_future_version(_metadata, path);
	EXPECT_EQ(ENOEXEC, bft_exec_errno(path));
	EXPECT_TRUE(kmsg_find(kmsg, BFT_MODULE_NAME ": "));
	close(kmsg);
	unlink(path);
}

/*
 * A valid ELF behind a header we must refuse: each field out of bounds in
 * turn.  Every one is -ENOEXEC with a log line, never a half-done load.
 */
static void expect_refused(struct __test_metadata *_metadata,
			   struct bft_header *h, const char *what)
{
	static char elf[64 * 1024];
	const char *path = "/tmp/refused";
	ssize_t size;
	int fd, kmsg;

	fd = open("/selftests/progs/probe-static", O_RDONLY);
	ASSERT_LE(0, fd);
	size = read(fd, elf, sizeof(elf));
	close(fd);
	ASSERT_LT(0, size);
	if (!h->elf_size)
		h->elf_size = htole64(size);
	ASSERT_EQ(0, bft_write_wrapped(path, h, elf, size));
	kmsg = kmsg_open();
	EXPECT_EQ(ENOEXEC, bft_exec_errno(path)) TH_LOG("%s", what);
	EXPECT_TRUE(kmsg_find(kmsg, BFT_MODULE_NAME ": ")) TH_LOG("%s", what);
	close(kmsg);
	unlink(path);
}

TEST(refuses_headers_out_of_bounds)
{
	struct bft_header h;

	bft_header_init(&h, 0);
	h.flags = htole32(0x80);
	expect_refused(_metadata, &h, "unknown flag");
	bft_header_init(&h, 0);
	h.header_size = htole16(sizeof(h) + 8);
	expect_refused(_metadata, &h, "header_size");
	bft_header_init(&h, 0);
	h.elf_size = htole64(1);
	expect_refused(_metadata, &h, "elf_size short of the file");
}

static int load_module(void)
{
	int fd = open(BFT_MODULE_PATH, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

TEST(unload_removes_everything_and_reload_restores_it)
{
	const char *path = "/tmp/future-version";
	int kmsg;

	write_future_version(_metadata, path);
	ASSERT_EQ(0, syscall(SYS_delete_module, BFT_MODULE_NAME, O_NONBLOCK));
	EXPECT_FALSE(path_is_dir("/sys/module/" BFT_MODULE_NAME));
	EXPECT_FALSE(path_is_dir(BFT_DEBUGFS));

	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	EXPECT_EQ(ENOEXEC, bft_exec_errno(path));
	EXPECT_FALSE(kmsg_find(kmsg, BFT_MODULE_NAME ": "));
	close(kmsg);

	ASSERT_EQ(0, load_module());
	EXPECT_TRUE(path_is_dir(BFT_DEBUGFS));
	EXPECT_EQ(ENOEXEC, bft_exec_errno(path));
	unlink(path);
}

/*
 * Exec a wrapped program over and over while the module is removed and
 * loaded again: each exec either runs the program or, with the module
 * gone, fails with ENOEXEC; nothing else, and the kernel log stays clean
 * (the harness checks it).  The module ends loaded and working.
 */
TEST(exec_while_the_module_is_removed_and_loaded_is_safe)
{
	const char *path = "/tmp/race.bft";
	char *argv[] = { "race", NULL };
	char *envp[] = { NULL };
	int i, status, err, unloads = 0, bad = 0, pipefd[2];
	pid_t pid;

	ASSERT_EQ(0, system("bft wrap /selftests/progs/hello-static " "/tmp/race.bft"));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[0]);
		for (;;) {
			err = bft_spawn(path, argv, envp, true, 5, &status);
			if (err == ENOEXEC ||
			    (!err && WIFEXITED(status) && !WEXITSTATUS(status)))
				continue;
			if (write(pipefd[1], &err, sizeof(err)) < 0)
				_exit(2);
			_exit(1);
		}
	}
	close(pipefd[1]);
	for (i = 0; i < 20; i++) {
		if (!syscall(SYS_delete_module, BFT_MODULE_NAME, O_NONBLOCK)) {
			unloads++;
			usleep(20000);
			ASSERT_EQ(0, load_module());
		}
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	EXPECT_TRUE(WIFSIGNALED(status)) {
		if (read(pipefd[0], &err, sizeof(err)) == sizeof(err))
			TH_LOG("an exec failed with errno %d", err);
		bad = 1;
	}
	close(pipefd[0]);
	EXPECT_EQ(0, bad);
	EXPECT_LT(0, unloads);
	EXPECT_TRUE(path_is_dir(BFT_DEBUGFS));
	EXPECT_EQ(0, bft_exec_errno(path));
	unlink(path);
}

TEST_HARNESS_MAIN
