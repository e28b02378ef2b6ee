/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the in-guest programs (checks.c, fuzz.c, race.c) do with a child that
 * runs an image: the child reports a failed execve() through a pipe,
 * and the parent waits for it with a time limit. And the generator that
 * makes fuzz.c's and race.c's runs reproducible from their seed.
 */
#ifndef FLATCOM_CHILD_H
#define FLATCOM_CHILD_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* splitmix64: the next number of the sequence in *STATE. */
static inline uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* In the child: execve(), or its errno written to FD and exit 127. */
static inline void __attribute__((noreturn))
exec_or_report(const char *path, char *const argv[], char *const envp[], int fd)
{
	int err;

	execve(path, argv, envp);
	err = errno;
	if (write(fd, &err, sizeof(err)) != sizeof(err))
		_exit(125);
	_exit(127);
}

/* In the parent: the errno the child wrote to FD, 0 if it wrote none. */
static inline int exec_errno(int fd)
{
	int err;

	if (read(fd, &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(fd);
	return err;
}

static inline void child_alarm(int sig)
{
	(void)sig;
}

/* child_timer: wait_child gives up SECONDS from now (alarm(0): never). */
static inline void child_timer(unsigned int seconds)
{
	struct sigaction sa = { .sa_handler = child_alarm };

	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/*
 * wait_child: waitpid() for PID, into *STATUS; true if the time of
 * child_timer ran out first, and PID was killed.
 */
static inline bool wait_child(pid_t pid, int *status)
{
	bool hung = false;

	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			exit(2);
		hung = true;
		kill(pid, SIGKILL);
	}
	return hung;
}

#endif
