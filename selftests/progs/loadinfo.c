// SPDX-License-Identifier: GPL-2.0
/*
 * loadinfo - what test_trace compares the load events with:
 *   argvp=0x...        where argv[] is (the initial sp + 8)
 *   argv0=0x...        argv[0], the lowest string of the stack
 *   start_brk=0x...    field 47 of /proc/self/stat
 *   auxv ID 0xVALUE    every pair of /proc/self/auxv, AT_NULL included
 *   map LINE           every line of /proc/self/maps
 * Linked as a dynamic PIE.  With "wait", it then reads stdin until EOF.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_start_brk(void)
{
	char buf[2048], *p;
	unsigned long long v = 0;
	size_t n;
	int field;
	FILE *f = fopen("/proc/self/stat", "r");

	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return;
	/* After "pid (comm)" comes field 3. */
	for (field = 2; field < 47 && p; field++)
		p = strchr(p + 1, ' ');
	if (p && sscanf(p + 1, "%llu", &v) == 1)
		printf("start_brk=0x%llx\n", v);
}

int main(int argc, char **argv)
{
	uint64_t pair[2];
	char line[512], c;
	FILE *f;

	printf("argvp=%p\n", (void *)argv);
	printf("argv0=%p\n", (void *)argv[0]);
	print_start_brk();
	f = fopen("/proc/self/auxv", "r");
	while (f && fread(pair, sizeof(pair), 1, f) == 1) {
		printf("auxv %llu 0x%llx\n", (unsigned long long)pair[0],
		       (unsigned long long)pair[1]);
		if (pair[0] == 0)
			break;
	}
	if (f)
		fclose(f);
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f))
		printf("map %s", line);
	if (f)
		fclose(f);
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "wait") == 0)
		while (read(0, &c, 1) > 0)
			;
	return 0;
}
