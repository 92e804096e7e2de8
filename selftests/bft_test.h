/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bft_test.h - small helpers shared by the in-guest tests.
 */
#ifndef BFT_TEST_H
#define BFT_TEST_H

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bft_format.h"

#define BFT_MODULE_NAME	"binfmt_trace"
#define BFT_MODULE_PATH	"/lib/modules/binfmt_trace.ko"
#define BFT_DEBUGFS	"/sys/kernel/debug/binfmt_trace"

/* Fill @h with a valid header for an ELF of @elf_size bytes. */
static inline void bft_header_init(struct bft_header *h, size_t elf_size)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, BFT_MAGIC, BFT_MAGIC_LEN);
	h->version = htole16(BFT_VERSION);
	h->header_size = htole16(sizeof(*h));
	h->elf_offset = htole64(BFT_ELF_ALIGN);
	h->elf_size = htole64(elf_size);
}

/*
 * Write a wrapped executable: @h, zero padding to BFT_ELF_ALIGN, then
 * @elf.  Returns 0 or -errno.
 */
static inline int bft_write_wrapped(const char *path,
				    const struct bft_header *h,
				    const void *elf, size_t elf_size)
{
	static const char zero[BFT_ELF_ALIGN];
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return -errno;
	if (write(fd, h, sizeof(*h)) != (ssize_t)sizeof(*h) ||
	    write(fd, zero, BFT_ELF_ALIGN - sizeof(*h)) !=
	    (ssize_t)(BFT_ELF_ALIGN - sizeof(*h)) ||
	    (elf_size && write(fd, elf, elf_size) != (ssize_t)elf_size))
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

/*
 * Kernel log cursor: kmsg_open() starts after the last record logged so
 * far; kmsg_find() then tells whether a newer record contains @needle.
 */
static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline bool kmsg_find(int fd, const char *needle)
{
	char rec[2048];
	ssize_t n;
	bool found = false;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: keep going */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, needle))
			found = true;
	}
	return found;
}

/*
 * bft_spawn - execve() @path in a child and wait for it.
 * @quiet: send the child's stdout and stderr to /dev/null
 * @alarm_seconds: if not 0, an alarm that survives the exec cuts it short
 *
 * Returns the errno execve failed with, or 0 once the program ran, its
 * wait status then in @status.  The errno travels through a close-on-exec
 * pipe, so a program's own exit code is never mistaken for one.
 */
static inline int bft_spawn(const char *path, char *const argv[],
			    char *const envp[], bool quiet,
			    unsigned int alarm_seconds, int *status)
{
	int pipefd[2], err = 0, devnull;
	pid_t pid;

	*status = -1;
	if (pipe2(pipefd, O_CLOEXEC))
		return errno;
	pid = fork();
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (quiet && devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		if (alarm_seconds)
			alarm(alarm_seconds);
		execve(path, argv, envp);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0 || read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = pid < 0 ? errno : 0;
	close(pipefd[0]);
	if (pid > 0 && waitpid(pid, status, 0) != pid)
		*status = -1;
	return err;
}

/*
 * execve() @path with no arguments in a child.  Returns the errno execve
 * failed with, 0 if the program ran and exited 0, or -1 otherwise.
 */
static inline int bft_exec_errno(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { NULL };
	int status, err;

	err = bft_spawn(path, argv, envp, false, 0, &status);
	if (err)
		return err;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

#endif /* BFT_TEST_H */
