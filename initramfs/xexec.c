// SPDX-License-Identifier: GPL-2.0
/*
 * xexec PATH [ARG...]: execve(2) PATH with ARGs (argv[0] is PATH) and
 * the current environment, and nothing else. Shells and execvp(3) run a
 * file that fails with ENOEXEC as a shell script instead; the tests need
 * to see the kernel's answer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: xexec PATH [ARG...]\n");
		return 2;
	}
	execve(argv[1], argv + 1, environ);
	fprintf(stderr, "xexec: %s: %s\n", argv[1], strerror(errno));
	return 126;
}
