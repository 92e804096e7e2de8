// SPDX-License-Identifier: GPL-2.0
/*
 * probe - report what the loader gave this process, so that a run loaded
 * by the kernel's ELF loader and a run loaded by binfmt_trace can be
 * compared line by line: argv/envp addresses, the auxv, the brk, a fresh
 * mmap, code and stack addresses, and /proc/self/maps.
 *
 * Built several ways (static, static-pie, dynamic PIE and non-PIE, musl,
 * executable stack, huge bss, many PT_LOADs); see Makefile.inc.  "probe crash" dies of
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

#ifdef MANY_SEGMENTS
/* Six data sections that the link places far apart: six more PT_LOADs. */
#define SEGMENT(n) \
	__attribute__((section(".segment" #n), used)) int segment##n[1024] = { n }
SEGMENT(1); SEGMENT(2); SEGMENT(3); SEGMENT(4); SEGMENT(5); SEGMENT(6);
#endif

extern char **environ;

/* The names of the auxv types the kernel writes on x86_64. */
static const char *auxv_name(unsigned long type)
{
	static const char * const names[] = {
		[3] = "AT_PHDR", [4] = "AT_PHENT", [5] = "AT_PHNUM",
		[6] = "AT_PAGESZ", [7] = "AT_BASE", [8] = "AT_FLAGS",
		[9] = "AT_ENTRY", [11] = "AT_UID", [12] = "AT_EUID",
		[13] = "AT_GID", [14] = "AT_EGID", [15] = "AT_PLATFORM",
		[16] = "AT_HWCAP", [17] = "AT_CLKTCK", [23] = "AT_SECURE",
		[24] = "AT_BASE_PLATFORM", [25] = "AT_RANDOM",
		[26] = "AT_HWCAP2", [27] = "AT_RSEQ_FEATURE_SIZE",
		[28] = "AT_RSEQ_ALIGN", [31] = "AT_EXECFN",
		[33] = "AT_SYSINFO_EHDR", [51] = "AT_MINSIGSTKSZ",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "?";
}

/*
 * The auxv from /proc/self/auxv, or, where a secure exec (setgid, file
 * capabilities) made /proc/self root's, from the stack: it follows the
 * NULL that ends the environment.
 */
static void print_auxv(void)
{
	uint64_t pair[2];
	const uint64_t *stack;
	char **p = environ;
	FILE *f = fopen("/proc/self/auxv", "r");

	if (f) {
		while (fread(pair, sizeof(pair), 1, f) == 1 && pair[0] != 0)
			printf("auxv %lu 0x%lx %s\n", (unsigned long)pair[0],
			       (unsigned long)pair[1], auxv_name(pair[0]));
		fclose(f);
		return;
	}
	while (*p)
		p++;
	for (stack = (const uint64_t *)(p + 1); stack[0]; stack += 2)
		printf("auxv %lu 0x%lx %s\n", (unsigned long)stack[0],
		       (unsigned long)stack[1], auxv_name(stack[0]));
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
#ifdef MANY_SEGMENTS
	printf("segments %d\n", segment1[0] + segment2[0] + segment3[0] +
	       segment4[0] + segment5[0] + segment6[0]);
#endif
#ifdef HUGE_BSS
	huge_bss[sizeof(huge_bss) - 1] = 1;
	printf("huge_bss %p\n", (void *)huge_bss);
#endif
	print_maps();
	return 0;
}
