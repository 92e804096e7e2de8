// SPDX-License-Identifier: GPL-2.0
/*
 * bench - the workloads of qemu/bench.sh; prints guest nanoseconds.
 *
 *   bench faults PAGES ROUNDS   map PAGES anonymous pages, write each,
 *                               unmap; ROUNDS times
 *   bench maps ROUNDS           mmap one anonymous page, mprotect it,
 *                               munmap it, never touched; ROUNDS times
 *   bench spawn N PROG          fork, execve PROG, wait; N times
 *   bench sleep                 sleep until killed (keeps a traced
 *                               process alive, hence the probes armed)
 *   bench anon PAGES ROUNDS     as faults, printing "NS FAULTS": guest ns
 *                               and the page faults getrusage() counted
 *   bench file FILE ROUNDS      map FILE shared read-only, read a byte of
 *                               each page, unmap; ROUNDS times; prints
 *                               "NS FAULTS" (a warm file takes one fault
 *                               per fault-around block, 16 pages)
 *   bench cow FILE ROUNDS       map FILE private, write a byte of each
 *                               page (filemap_fault, then a copy); prints
 *                               "NS FAULTS"
 *   bench rate PER_S SECONDS    write-fault anonymous pages at PER_S a
 *                               second (as fast as it can if that is too
 *                               many); prints "NS FAULTS"
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int faults(long pages, int rounds)
{
	long long start = now_ns();
	volatile char *p;
	long i;
	int r;

	for (r = 0; r < rounds; r++) {
		p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < pages; i++)
			p[i * 4096] = 1;
		munmap((void *)p, pages * 4096);
	}
	printf("%lld\n", now_ns() - start);
	return 0;
}

/* Memory-map system calls alone: no page is faulted in. */
static int maps(int rounds)
{
	long long start = now_ns();
	void *p;
	int r;

	for (r = 0; r < rounds; r++) {
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED || mprotect(p, 4096, PROT_READ) ||
		    munmap(p, 4096))
			return 1;
	}
	printf("%lld\n", now_ns() - start);
	return 0;
}

static long rusage_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

/* Map @len bytes of @fd, touch each page, unmap; @rounds times. */
static int touch_rounds(int fd, size_t len, int prot, int flags, int write,
			int rounds)
{
	long long start = now_ns();
	long before = rusage_faults();
	volatile char *p;
	size_t i;
	int r;

	for (r = 0; r < rounds; r++) {
		p = mmap(NULL, len, prot, flags, fd, 0);
		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < len; i += 4096) {
			if (write)
				p[i] = 1;
			else
				(void)p[i];
		}
		munmap((void *)p, len);
	}
	printf("%lld %ld\n", now_ns() - start, rusage_faults() - before);
	return 0;
}

static int file_faults(const char *path, int rounds, int cow)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		return 1;
	}
	if (st.st_size < 4096) {
		fprintf(stderr, "%s: smaller than a page\n", path);
		close(fd);
		return 1;
	}
	ret = touch_rounds(fd, st.st_size & ~4095L, cow ?
			   PROT_READ | PROT_WRITE : PROT_READ,
			   cow ? MAP_PRIVATE : MAP_SHARED, cow, rounds);
	close(fd);
	return ret;
}

#define RATE_WINDOW	4096	/* pages mapped at a time by bench rate */

/*
 * Write-fault anonymous pages at @per_s a second for @seconds: fault i
 * waits until start + i / @per_s; a 16 MiB window is unmapped and mapped
 * again when used up.  Prints "NS FAULTS": the time taken and the faults
 * getrusage() counted, so the rate reached is FAULTS / NS.
 */
static int rate(long per_s, int seconds)
{
	long long start = now_ns(), due;
	long total = per_s * seconds, before = rusage_faults(), i;
	volatile char *p = MAP_FAILED;

	for (i = 0; i < total; i++) {
		if (i % RATE_WINDOW == 0) {
			if (p != MAP_FAILED)
				munmap((void *)p, RATE_WINDOW * 4096L);
			p = mmap(NULL, RATE_WINDOW * 4096L,
				 PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				return 1;
		}
		due = start + i * 1000000000LL / per_s;
		while (now_ns() < due)
			;
		p[(i % RATE_WINDOW) * 4096] = 1;
	}
	printf("%lld %ld\n", now_ns() - start, rusage_faults() - before);
	return 0;
}

static int spawn(int n, char *prog)
{
	char *argv[] = { prog, NULL };
	long long start = now_ns();
	int i, status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (!pid) {
			/* Only bench's own number goes to stdout. */
			dup2(open("/dev/null", O_WRONLY), STDOUT_FILENO);
			execv(prog, argv);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || status)
			return 1;
	}
	printf("%lld\n", now_ns() - start);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "faults"))
		return faults(atol(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "maps"))
		return maps(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "spawn"))
		return spawn(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "anon"))
		return touch_rounds(-1, atol(argv[2]) * 4096,
				    PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, 1,
				    atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "file"))
		return file_faults(argv[2], atoi(argv[3]), 0);
	if (argc == 4 && !strcmp(argv[1], "cow"))
		return file_faults(argv[2], atoi(argv[3]), 1);
	if (argc == 4 && !strcmp(argv[1], "rate") && atol(argv[2]) > 0)
		return rate(atol(argv[2]), atoi(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "sleep"))
		for (;;)
			pause();
	fprintf(stderr, "usage: bench faults PAGES ROUNDS | maps ROUNDS | spawn N PROG | sleep |\n"
		"       anon PAGES ROUNDS | file FILE ROUNDS | cow FILE ROUNDS |\n"
		"       rate PER_S SECONDS\n");
	return 2;
}
