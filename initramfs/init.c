// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's /init: runs the script /init.sh with busybox's sh. An ELF
 * and not a "#!" script, so that a kernel with binfmt_script as a module
 * (the debug kernel's, for the tests of the formats' order) can start
 * it: /init.sh loads the modules.
 */
#include <stdio.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	char *args[] = { "sh", "/init.sh", NULL };

	execve("/bin/busybox", args, environ);
	perror("init: /bin/busybox");
	return 1;
}
