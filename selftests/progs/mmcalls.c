// SPDX-License-Identifier: GPL-2.0
/*
 * mmcalls - memory-map system calls whose events test_mm_events checks.
 * Linked dynamically with -z relro -z now, so that ld.so mprotect()s the
 * executable's PT_GNU_RELRO read-only before main().  Prints:
 *   bias=0x...             the executable's load bias (dl_iterate_phdr)
 *   relro_vaddr=0x...      its PT_GNU_RELRO p_vaddr and p_memsz
 *   relro_memsz=0x...
 *   libc=PATH              realpath() of the libc ld.so mapped
 *   anon=0x...             mmap(NULL, 3 pages, rw-, PRIVATE|ANONYMOUS)
 *   mprotect=N             mprotect(anon + 1 page, 1 page, r--)
 *   mremap=0x...           mremap(anon + 2 pages, 1 page, 3 pages, MAYMOVE)
 *   munmap=N               munmap(mremap, 3 pages)
 *   brk=0x...              brk(0)
 *   badfd=N                mmap(NULL, 1 page, r--, PRIVATE, BADFD, 0)
 * Numbers as the system calls returned them (raw: -errno on failure).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE	4096L
#define BADFD	987

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	char real[PATH_MAX];
	int *first = data;
	int i;

	if (*first) {
		*first = 0;
		printf("bias=0x%lx\n", (unsigned long)info->dlpi_addr);
		for (i = 0; i < info->dlpi_phnum; i++)
			if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO)
				printf("relro_vaddr=0x%lx\nrelro_memsz=0x%lx\n",
				       (unsigned long)info->dlpi_phdr[i].p_vaddr,
				       (unsigned long)info->dlpi_phdr[i].p_memsz);
		return 0;
	}
	if (strstr(info->dlpi_name, "/libc.so") &&
	    realpath(info->dlpi_name, real))
		printf("libc=%s\n", real);
	return 0;
}

int main(void)
{
	long anon, moved;
	int first = 1;

	dl_iterate_phdr(phdr_cb, &first);
	anon = syscall(SYS_mmap, 0L, 3 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0L);
	printf("anon=0x%lx\n", anon);
	printf("mprotect=%ld\n",
	       syscall(SYS_mprotect, anon + PAGE, PAGE, PROT_READ));
	/* The last page: mremap() takes one vma, and there are three. */
	moved = syscall(SYS_mremap, anon + 2 * PAGE, PAGE, 3 * PAGE,
			MREMAP_MAYMOVE, 0L);
	printf("mremap=0x%lx\n", moved);
	printf("munmap=%ld\n", syscall(SYS_munmap, moved, 3 * PAGE));
	printf("brk=0x%lx\n", syscall(SYS_brk, 0L));
	/* syscall() turns -errno into -1 and errno. */
	if (syscall(SYS_mmap, 0L, PAGE, PROT_READ, MAP_PRIVATE, (long)BADFD,
		    0L) == -1)
		printf("badfd=%d\n", -errno);
	return 0;
}
