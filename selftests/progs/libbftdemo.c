// SPDX-License-Identifier: GPL-2.0
/*
 * libbftdemo.so - a small shared library that ld.so maps with mmap(2), so
 * that bft report's golden tests attribute a library's faults by name
 * (selftests/fixtures/report/): demo_touch() writes the first byte of two
 * .bss pages and a .data page of the library.
 */
char demo_bss[3 * 4096] __attribute__((aligned(4096)));
int demo_data[2048] __attribute__((aligned(4096))) = { 1 };

int demo_touch(void)
{
	demo_bss[0] = 1;
	demo_bss[4096] = 2;
	demo_data[0]++;
	return demo_bss[0] + demo_bss[4096] + demo_data[0];
}
