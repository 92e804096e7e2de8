// SPDX-License-Identifier: GPL-2.0
/* The smallest program that still needs ld.so and libc: printf. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from %s\n", argc > 0 ? argv[0] : "?");
	return 0;
}
