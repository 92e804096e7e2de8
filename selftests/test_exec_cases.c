// SPDX-License-Identifier: GPL-2.0
/*
 * test_exec_cases - the ways a program can be executed, each giving a
 * wrapped program the same result as the plain one: setuid, setgid, file
 * capabilities and no_new_privs, noexec mounts, #! scripts, execveat and fexecve (also of a memfd), a missing or non-ELF
 * interpreter, and a crash with a core dump.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/xattr.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "bft_test.h"

#define DIR		"/tmp/cases"
#define PROBE		"/selftests/progs/probe-static"
#define DYNAMIC_PROBE	"/selftests/progs/probe-dynamic-pie"
#define STOCK_INTERP	"/lib64/ld-linux-x86-64.so.2"

static void sh(struct __test_metadata *_metadata, const char *cmd)
{
	ASSERT_EQ(0, system(cmd)) TH_LOG("%s", cmd);
}

/* Output and status of @path run in a child set up by @prep (may be NULL). */
static int run_capture(const char *path, char *const argv[], void (*prep)(void),
		       char *out, size_t size, int *status)
{
	char *envp[] = { "PATH=/bin", NULL };
	int pipefd[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		if (prep)
			prep();
		execve(path, argv, envp);
		_exit(100 + errno);
	}
	close(pipefd[1]);
	while (len + 1 < size &&
	       (n = read(pipefd[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	return waitpid(pid, status, 0) == pid ? 0 : -1;
}

static void become_user(void)
{
	if (setgid(1000) || setuid(1000))
		_exit(124);
}

/* The value of auxv entry @type in a probe report, or ~0. */
static unsigned long auxv_value(const char *report, unsigned long type)
{
	char needle[32];
	const char *p;

	snprintf(needle, sizeof(needle), "auxv %lu ", type);
	p = strstr(report, needle);
	return p ? strtoul(p + strlen(needle), NULL, 16) : ~0UL;
}

FIXTURE(cases) {
	char out[65536];
};

FIXTURE_SETUP(cases)
{
	sh(_metadata, "rm -rf " DIR " && mkdir -p " DIR " && chmod 755 " DIR);
}

FIXTURE_TEARDOWN(cases)
{
	umount(DIR "/noexec");
	system("rm -rf " DIR);
}

TEST_F(cases, setuid_root_wrapped_program_run_by_user_is_secure)
{
	char *argv[] = { "probe", NULL };
	int status;

	sh(_metadata, "bft wrap " PROBE " " DIR "/suid && chmod 4755 " DIR "/suid");
	ASSERT_EQ(0, run_capture(DIR "/suid", argv, become_user, self->out,
				 sizeof(self->out), &status));
	ASSERT_EQ(0, status);
	EXPECT_EQ(1UL, auxv_value(self->out, AT_SECURE));
	EXPECT_EQ(1000UL, auxv_value(self->out, AT_UID));
	EXPECT_EQ(0UL, auxv_value(self->out, AT_EUID));
	EXPECT_EQ(1000UL, auxv_value(self->out, AT_GID));
	EXPECT_EQ(1000UL, auxv_value(self->out, AT_EGID));
}

static void become_user_no_new_privs(void)
{
	become_user();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(125);
}

/* The credentials and AT_SECURE a probe reports, as one line. */
static void creds_of(const char *report, char *buf, size_t size)
{
	snprintf(buf, size, "secure=%lu uid=%lu euid=%lu gid=%lu egid=%lu",
		 auxv_value(report, AT_SECURE), auxv_value(report, AT_UID),
		 auxv_value(report, AT_EUID), auxv_value(report, AT_GID),
		 auxv_value(report, AT_EGID));
}

/*
 * Run DIR/plain and DIR/wrapped (set up by @setup, a shell command with
 * both names in it) as user 1000 after @prep; both must succeed with the
 * same credentials and AT_SECURE, and those must be @want.
 */
static void same_creds(struct __test_metadata *_metadata, char *out,
		       size_t size, const char *setup, void (*prep)(void),
		       const char *want)
{
	char *argv[] = { "probe", NULL };
	char plain[128], wrapped[128];
	int status;

	sh(_metadata, "cp " PROBE " " DIR "/plain && bft wrap " PROBE " "
	   DIR "/wrapped");
	sh(_metadata, setup);
	ASSERT_EQ(0, run_capture(DIR "/plain", argv, prep, out, size,
				 &status));
	ASSERT_EQ(0, status);
	creds_of(out, plain, sizeof(plain));
	ASSERT_EQ(0, run_capture(DIR "/wrapped", argv, prep, out, size,
				 &status));
	ASSERT_EQ(0, status);
	creds_of(out, wrapped, sizeof(wrapped));
	EXPECT_STREQ(plain, wrapped);
	EXPECT_STREQ(want, wrapped);
}

TEST_F(cases, setgid_wrapped_program_gets_the_stock_credentials)
{
	same_creds(_metadata, self->out, sizeof(self->out),
		   "chown 0:0 " DIR "/plain " DIR "/wrapped && "
		   "chmod 2755 " DIR "/plain " DIR "/wrapped", become_user,
		   "secure=1 uid=1000 euid=1000 gid=1000 egid=0");
}

/* no_new_privs: the setuid bit is ignored, for stock and for us. */
TEST_F(cases, setuid_wrapped_program_under_no_new_privs_gains_nothing)
{
	same_creds(_metadata, self->out, sizeof(self->out),
		   "chmod 4755 " DIR "/plain " DIR "/wrapped",
		   become_user_no_new_privs,
		   "secure=0 uid=1000 euid=1000 gid=1000 egid=1000");
}

/* File capabilities (cap_net_raw+ep) make the exec secure, as stock. */
TEST_F(cases, file_capabilities_make_a_wrapped_exec_secure)
{
	struct vfs_cap_data cap = {
		.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE,
		.data[0].permitted = 1U << CAP_NET_RAW,
	};
	char *argv[] = { "probe", NULL };
	char plain[128], wrapped[128];
	int status;

	sh(_metadata, "cp " PROBE " " DIR "/plain && bft wrap " PROBE " "
	   DIR "/wrapped");
	ASSERT_EQ(0, setxattr(DIR "/plain", "security.capability", &cap,
			      sizeof(cap), 0));
	ASSERT_EQ(0, setxattr(DIR "/wrapped", "security.capability", &cap,
			      sizeof(cap), 0));
	ASSERT_EQ(0, run_capture(DIR "/plain", argv, become_user, self->out,
				 sizeof(self->out), &status));
	ASSERT_EQ(0, status);
	creds_of(self->out, plain, sizeof(plain));
	ASSERT_EQ(0, run_capture(DIR "/wrapped", argv, become_user, self->out,
				 sizeof(self->out), &status));
	ASSERT_EQ(0, status);
	creds_of(self->out, wrapped, sizeof(wrapped));
	EXPECT_STREQ(plain, wrapped);
	EXPECT_STREQ("secure=1 uid=1000 euid=1000 gid=1000 egid=1000", wrapped);
}

TEST_F(cases, wrapped_program_on_noexec_mount_is_refused_with_eacces)
{
	sh(_metadata, "mkdir " DIR "/noexec");
	ASSERT_EQ(0, mount("tmpfs", DIR "/noexec", "tmpfs", MS_NOEXEC, NULL));
	sh(_metadata, "bft wrap " PROBE " " DIR "/noexec/probe");
	EXPECT_EQ(EACCES, bft_exec_errno(DIR "/noexec/probe"));
}

TEST_F(cases, script_whose_interpreter_is_wrapped_runs)
{
	char *argv[] = { "script", NULL };
	int status;

	sh(_metadata, "bft wrap " PROBE " " DIR "/interp && "
	   "printf '#!" DIR "/interp one\\n' > " DIR "/script && "
	   "chmod 755 " DIR "/script");
	ASSERT_EQ(0, run_capture(DIR "/script", argv, NULL, self->out,
				 sizeof(self->out), &status));
	EXPECT_EQ(0, status);
	/* interpreter, its argument, the script: as binfmt_script builds it */
	EXPECT_NE(NULL, strstr(self->out, "argc 3\n"));
}

static int exec_fd_status(int fd, int use_execveat)
{
	char *argv[] = { "probe", NULL };
	char *envp[] = { NULL };
	int status, devnull;
	pid_t pid = fork();

	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		if (use_execveat)
			syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		else
			fexecve(fd, argv, envp);
		_exit(100 + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

TEST_F(cases, execveat_and_fexecve_of_a_wrapped_file_run)
{
	int fd;

	sh(_metadata, "bft wrap " PROBE " " DIR "/probe");
	fd = open(DIR "/probe", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, exec_fd_status(fd, 1));
	EXPECT_EQ(0, exec_fd_status(fd, 0));
	close(fd);
}

TEST_F(cases, fexecve_of_a_wrapped_memfd_runs)
{
	char buf[65536];
	ssize_t n;
	int in, fd;

	sh(_metadata, "bft wrap " PROBE " " DIR "/probe");
	in = open(DIR "/probe", O_RDONLY);
	fd = memfd_create("wrapped-probe", MFD_CLOEXEC);
	ASSERT_LE(0, in);
	ASSERT_LE(0, fd);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(fd, buf, n));
	close(in);
	EXPECT_EQ(0, exec_fd_status(fd, 0));
	EXPECT_EQ(0, exec_fd_status(fd, 1));
	close(fd);
}

/* Read all of @path into a malloc'ed buffer; its size in @size. */
static char *slurp(const char *path, size_t *size)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) ||
	    !(buf = malloc(st.st_size)) ||
	    read(fd, buf, st.st_size) != st.st_size) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	*size = st.st_size;
	return buf;
}

/*
 * Copy the dynamic probe with its PT_INTERP path replaced by @interp (same
 * length as the stock one), plain to @plain and wrapped to @wrapped.
 */
static void with_interp(struct __test_metadata *_metadata, const char *interp,
			const char *plain, const char *wrapped)
{
	char cmd[512], *elf, *at;
	size_t size;
	int fd;

	ASSERT_EQ(strlen(STOCK_INTERP), strlen(interp)) TH_LOG("%s", interp);
	elf = slurp(DYNAMIC_PROBE, &size);
	ASSERT_NE(NULL, elf);
	at = memmem(elf, size, STOCK_INTERP, strlen(STOCK_INTERP));
	ASSERT_NE(NULL, at);
	memcpy(at, interp, strlen(interp));
	fd = open(plain, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)size, write(fd, elf, size));
	close(fd);
	free(elf);
	snprintf(cmd, sizeof(cmd), "bft wrap %s %s", plain, wrapped);
	sh(_metadata, cmd);
}

TEST_F(cases, missing_interpreter_fails_like_stock_with_enoent)
{
	with_interp(_metadata, "/lib64/ld-linux-x86-64.so.X",
		    DIR "/plain", DIR "/wrapped");
	ASSERT_EQ(ENOENT, bft_exec_errno(DIR "/plain"));
	EXPECT_EQ(ENOENT, bft_exec_errno(DIR "/wrapped"));
}

TEST_F(cases, non_elf_interpreter_fails_like_stock)
{
	int stock, fd;

	/*
	 * 27 characters, like the stock interpreter path; long enough for the
	 * ELF header read to succeed, so the magic check is what refuses it.
	 */
	sh(_metadata, "seq 1000 > " DIR "/not-an-elf-ld.so && "
	   "chmod 755 " DIR "/not-an-elf-ld.so");
	with_interp(_metadata, DIR "/not-an-elf-ld.so", DIR "/plain",
		    DIR "/wrapped");
	stock = bft_exec_errno(DIR "/plain");
	ASSERT_EQ(ELIBBAD, stock);
	EXPECT_EQ(stock, bft_exec_errno(DIR "/wrapped"));

	/*
	 * open_exec() denied writes to the interpreter; the failed exec must
	 * have given that back, or writing it would fail with ETXTBSY.
	 */
	fd = open(DIR "/not-an-elf-ld.so", O_WRONLY);
	EXPECT_LE(0, fd) TH_LOG("interpreter left write-denied: %s",
				strerror(errno));
	close(fd);
}

TEST_F(cases, wrapped_interpreter_fails_like_stock)
{
	int stock;

	/* ld.so is a shared library to bft wrap: --force. */
	sh(_metadata, "bft wrap --force " STOCK_INTERP " " DIR "/wrapped-ld.so.2.");
	with_interp(_metadata, DIR "/wrapped-ld.so.2.", DIR "/plain",
		    DIR "/wrapped");
	stock = bft_exec_errno(DIR "/plain");
	ASSERT_EQ(ELIBBAD, stock);
	EXPECT_EQ(stock, bft_exec_errno(DIR "/wrapped"));
}

static void allow_core(void)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_CORE, &unlimited);
	if (chdir(DIR) != 0)
		_exit(123);
}

/* Crash @path, return its core file's ELF header in @eh. */
static void crash_and_read_core(struct __test_metadata *_metadata,
				const char *path, const char *core,
				Elf64_Ehdr *eh)
{
	char *argv[] = { "probe", "crash", NULL };
	char out[64];
	int status, fd;

	ASSERT_EQ(0, run_capture(path, argv, allow_core, out, sizeof(out),
				 &status));
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	EXPECT_TRUE(WCOREDUMP(status));
	fd = open(core, O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("no core file %s", core);
	ASSERT_EQ((ssize_t)sizeof(*eh), read(fd, eh, sizeof(*eh)));
	close(fd);
}

TEST_F(cases, crashing_wrapped_program_dumps_core_like_stock)
{
	Elf64_Ehdr plain, wrapped;

	sh(_metadata, "echo " DIR "/core.%e > /proc/sys/kernel/core_pattern && "
	   "cp " PROBE " " DIR "/plain && bft wrap " PROBE " " DIR "/wrapd");
	crash_and_read_core(_metadata, DIR "/plain", DIR "/core.plain", &plain);
	crash_and_read_core(_metadata, DIR "/wrapd", DIR "/core.wrapd", &wrapped);
	EXPECT_EQ(0, memcmp(wrapped.e_ident, ELFMAG, SELFMAG));
	EXPECT_EQ(ET_CORE, wrapped.e_type);
	EXPECT_EQ(EM_X86_64, wrapped.e_machine);
	EXPECT_EQ(plain.e_phnum, wrapped.e_phnum);
}

TEST_HARNESS_MAIN
