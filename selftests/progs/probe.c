// SPDX-License-Identifier: GPL-2.0
/*
 * probe - report what the loader gave this process, so that a run loaded
 * by the kernel's ELF loader and a run loaded by binfmt_trace can be
 * compared line by line: argv/envp addresses, the auxv, the brk, a fresh
 * mmap, code and stack addresses, and /proc/self/maps.
 *
 * Built several ways (static, static-pie, dynamic PIE and non-PIE, musl,
 * executable stack, huge bss); see Makefile.inc.  "probe crash" dies of
 * SIGSEGV at once, for the core dump tests.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef HUGE_BSS
/* p_memsz > 1 GiB: the bss is mapped but never touched beyond one page. */
static char huge_bss[(1UL << 30) + (1UL << 29)];
#endif

extern char **environ;

static void print_auxv(void)
{
	uint64_t pair[2];
	FILE *f = fopen("/proc/self/auxv", "r");

	if (!f)
		return;
	while (fread(pair, sizeof(pair), 1, f) == 1 && pair[0] != 0)
		printf("auxv %lu 0x%lx\n", (unsigned long)pair[0],
		       (unsigned long)pair[1]);
	fclose(f);
}

static void print_maps(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("map %s", line);
	fclose(f);
}

int main(int argc, char **argv)
{
	int on_stack = 0;
	void *fresh;
	int i;

	if (argc > 1 && strcmp(argv[1], "crash") == 0)
		*(volatile int *)0 = 1;		/* for the core dump tests */

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	printf("argc %d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv %d %p\n", i, (void *)argv[i]);
	for (i = 0; environ[i]; i++)
		printf("envp %d %p\n", i, (void *)environ[i]);
	print_auxv();
	fresh = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("brk %p\n", sbrk(0));
	printf("mmap %p\n", fresh);
	printf("main %p\n", (void *)main);
	printf("stack %p\n", (void *)&on_stack);
#ifdef HUGE_BSS
	huge_bss[sizeof(huge_bss) - 1] = 1;
	printf("huge_bss %p\n", (void *)huge_bss);
#endif
	print_maps();
	return 0;
}
