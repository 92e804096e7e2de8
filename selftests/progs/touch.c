// SPDX-License-Identifier: GPL-2.0
/*
 * touch - touch known pages once each, for test_trace, and print where
 * they are as "name=0xADDR" lines:
 *
 *   data0..3  written: 4 pages of an initialized array (.data), alone in
 *             a 64 KiB-aligned window so that no fault-around maps them
 *   bss0..3   written: 4 pages of a zero array (.bss), beyond the file part
 *   bssrw     read, then written: one more .bss page
 *   heap0..3  written: 4 pages of heap from sbrk(), page aligned
 *   file0..3  read: pages 0, 32, 64, 96 of FILE mapped MAP_PRIVATE
 *             (only with a FILE argument; it must be 128 pages or more)
 *   far       executed: a function alone in a 64 KiB-aligned window of
 *             .text, with 256 KiB of untouched padding on each side so
 *             that neither fault-around nor read-around reaches it
 *
 * Between mark0 (written first) and mark1 (written last), getrusage()
 * counts the faults: minflt= and majflt= are what it counted from just
 * before mark0 to just after mark1.
 *
 * Usage: touch [FILE]
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define PAGE		4096UL
#define WINDOW		(16 * PAGE)	/* fault_around_bytes */
#define FILE_PAGES	128
#define FILE_STRIDE	32

static char data_pages[WINDOW] __attribute__((aligned(WINDOW))) = { 1 };
static char bss_pages[WINDOW] __attribute__((aligned(WINDOW)));

void bft_far(void);
asm(".pushsection .text.bftfar,\"ax\",@progbits\n"
    ".balign 65536\n"
    ".skip 262144\n"
    ".globl bft_far\n"
    ".type bft_far,@function\n"
    "bft_far:\n"
    "	ret\n"
    ".size bft_far,.-bft_far\n"
    ".skip 262144\n"
    ".popsection\n");

struct spot {
	const char *name;
	uintptr_t addr;
};

static struct spot spots[32];
static int nspots;

static void note(const char *name, const void *addr)
{
	spots[nspots].name = name;
	spots[nspots].addr = (uintptr_t)addr;
	nspots++;
}

static void put(const char *name, unsigned long value, int hex)
{
	char line[128];
	int n = snprintf(line, sizeof(line), hex ? "%s=0x%lx\n" : "%s=%lu\n",
			 name, value);

	if (write(1, line, n) != n)
		_exit(3);
}

int main(int argc, char **argv)
{
	static const char * const data_names[] = { "data0", "data1", "data2",
						   "data3" };
	static const char * const bss_names[] = { "bss0", "bss1", "bss2",
						  "bss3" };
	static const char * const heap_names[] = { "heap0", "heap1", "heap2",
						   "heap3" };
	static const char * const file_names[] = { "file0", "file1", "file2",
						   "file3" };
	volatile char *mark0 = bss_pages + 8 * PAGE;
	volatile char *mark1 = bss_pages + 9 * PAGE;
	volatile char *p;
	struct rusage r0, r1;
	uintptr_t brk_now;
	char *heap, *map = NULL;
	int i, fd;

	memset(&r0, 0, sizeof(r0));
	memset(&r1, 0, sizeof(r1));
	getrusage(RUSAGE_SELF, &r0);
	*mark0 = 1;
	/* Nothing the compiler may move between getrusage() and mark0. */
	asm volatile("" ::: "memory");

	for (i = 0; i < 4; i++) {
		p = data_pages + i * PAGE;
		*p = 2;
		note(data_names[i], (const void *)p);
	}
	for (i = 0; i < 4; i++) {
		p = bss_pages + i * PAGE;
		*p = 1;
		note(bss_names[i], (const void *)p);
	}
	p = bss_pages + 4 * PAGE;
	(void)*p;
	*p = 1;
	note("bssrw", (const void *)p);

	brk_now = (uintptr_t)sbrk(0);
	if (brk_now & (PAGE - 1))
		sbrk(PAGE - (brk_now & (PAGE - 1)));
	heap = sbrk(4 * PAGE);
	if (heap == (void *)-1)
		return 2;
	for (i = 0; i < 4; i++) {
		p = heap + i * PAGE;
		*p = 1;
		note(heap_names[i], (const void *)p);
	}

	if (argc > 1) {
		fd = open(argv[1], O_RDONLY);
		if (fd < 0)
			return 4;
		map = mmap(NULL, FILE_PAGES * PAGE, PROT_READ, MAP_PRIVATE, fd,
			   0);
		close(fd);
		if (map == MAP_FAILED)
			return 5;
		for (i = 0; i < 4; i++) {
			p = map + i * FILE_STRIDE * PAGE;
			(void)*p;
			note(file_names[i], (const void *)p);
		}
	}

	bft_far();
	note("far", (const void *)bft_far);

	asm volatile("" ::: "memory");
	*mark1 = 1;
	getrusage(RUSAGE_SELF, &r1);

	note("mark0", (const void *)mark0);
	note("mark1", (const void *)mark1);
	for (i = 0; i < nspots; i++)
		put(spots[i].name, spots[i].addr, 1);
	put("minflt", r1.ru_minflt - r0.ru_minflt, 0);
	put("majflt", r1.ru_majflt - r0.ru_majflt, 0);
	put("pid", getpid(), 0);
	return 0;
}
