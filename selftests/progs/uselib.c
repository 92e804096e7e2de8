// SPDX-License-Identifier: GPL-2.0
/*
 * uselib - a dynamic PIE that calls into libbftdemo.so (found through its
 * RUNPATH, /selftests/progs), for bft report's golden tests.
 */
#include <stdio.h>

int demo_touch(void);

int main(void)
{
	printf("demo_touch %d\n", demo_touch());
	return 0;
}
