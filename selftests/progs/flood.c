// SPDX-License-Identifier: GPL-2.0
/*
 * flood - take 64 x 16384 = 1048576 page faults, fast: read every page of
 * a 64 MiB anonymous mapping (each read maps the zero page), drop them
 * all with MADV_DONTNEED, 64 times.  Prints "faults=<reads>".
 */
#include <stdio.h>
#include <sys/mman.h>

#define PAGE	4096UL
#define SIZE	(64UL << 20)
#define ROUNDS	64

int main(void)
{
	volatile char *p;
	unsigned long i, r, sum = 0;

	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < SIZE; i += PAGE)
			sum += p[i];
		if (madvise((void *)p, SIZE, MADV_DONTNEED))
			return 3;
	}
	printf("faults=%lu\n", ROUNDS * (SIZE / PAGE));
	return sum != 0;
}
