// SPDX-License-Identifier: GPL-2.0
/*
 * threads - four threads, each writing the 8 pages of its own anonymous
 * mapping once, then printing "tid=<gettid> addr=0x<page>" per page.  The
 * main thread prints "pid=<pid>" and touches none of those pages.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE		4096UL
#define THREADS		4
#define PAGES		8

static pthread_barrier_t start;

static void *worker(void *arg)
{
	char lines[PAGES * 64];
	volatile char *region;
	pid_t tid = gettid();
	int i, len = 0;

	region = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return (void *)1;
	pthread_barrier_wait(&start);
	for (i = 0; i < PAGES; i++)
		region[i * PAGE] = 1;
	for (i = 0; i < PAGES; i++)
		len += snprintf(lines + len, sizeof(lines) - len,
				"tid=%d addr=%p\n", tid,
				(void *)(region + i * PAGE));
	/* One write per thread: lines of threads never interleave. */
	if (write(1, lines, len) != len)
		return (void *)1;
	return NULL;
}

int main(void)
{
	pthread_t threads[THREADS];
	void *ret;
	int i, failed = 0;

	dprintf(1, "pid=%d\n", getpid());
	pthread_barrier_init(&start, NULL, THREADS);
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&threads[i], NULL, worker, NULL))
			return 2;
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		failed |= ret != NULL;
	}
	return failed;
}
