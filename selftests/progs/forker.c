// SPDX-License-Identifier: GPL-2.0
/*
 * forker - fork a child that writes one page its parent never touches,
 * then exits, or with "exec PATH" then execs PATH.  Prints "parent=<pid>",
 * then from the child "child=<pid>" and "page=0x<addr>".  The parent waits
 * for the child and exits 0 if it did.
 *
 * "forker many N" forks N children at once, each writing its page and
 * exiting, then waits for them all; prints "children=N" and exits 0 if
 * every one exited 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char page[4096] __attribute__((aligned(4096)));

static int fork_many(int n)
{
	int i, status, bad = 0;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			*(volatile char *)page = 1;
			_exit(0);
		}
	}
	for (i = 0; i < n; i++) {
		if (wait(&status) < 0)
			return 3;
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	dprintf(1, "children=%d\n", n);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	char *args[] = { NULL, NULL };
	pid_t pid;
	int status;

	dprintf(1, "parent=%d\n", getpid());
	if (argc > 2 && strcmp(argv[1], "many") == 0)
		return fork_many(atoi(argv[2]));
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		*(volatile char *)page = 1;
		dprintf(1, "child=%d\npage=%p\n", getpid(), (void *)page);
		if (argc > 2 && strcmp(argv[1], "exec") == 0) {
			args[0] = argv[2];
			execv(argv[2], args);
			_exit(127);
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 3;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
