// SPDX-License-Identifier: GPL-2.0
/*
 * bench [-p FILE] ROUNDS EXECS PROGRAM...: the cost of running each
 * PROGRAM, which must exit 42. Each round runs EXECS fork+execve+wait
 * cycles of every program in turn (the order rotates from round to
 * round, so that no program always runs first), and takes the mean time
 * of one cycle.
 * Prints, for each program, one CSV line:
 *
 *   name,bytes,median_ns,min_ns,max_ns,q1_ns,q3_ns,minflt,maxrss_kb
 *
 * over the rounds, with the minor page faults of one child and the
 * largest resident size a child reached (from wait4()'s rusage).
 *
 * With -p FILE, "1" is written to FILE right before the cycles and "0"
 * right after them: with ftrace's function_profile_enabled, the profile
 * holds the cycles and nothing of bench's own start or report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct prog {
	const char *path;
	const char *name;
	long long bytes;
	long long *ns;		/* per round */
	long long minflt;
	long maxrss;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int run_once(struct prog *p, char **envp)
{
	char *argv[] = { (char *)p->path, NULL };
	struct rusage ru;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		execve(p->path, argv, envp);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 42) {
		fprintf(stderr, "bench: %s: status %#x, want exit 42\n",
			p->path, status);
		return -1;
	}
	p->minflt = ru.ru_minflt;
	if (ru.ru_maxrss > p->maxrss)
		p->maxrss = ru.ru_maxrss;
	return 0;
}

static int toggle(const char *file, const char *value)
{
	FILE *f;

	if (!file)
		return 0;
	f = fopen(file, "w");
	if (!f || fputs(value, f) == EOF || fclose(f)) {
		fprintf(stderr, "bench: %s: %s\n", file, strerror(errno));
		return -1;
	}
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv, char **envp)
{
	const char *profile = NULL;
	struct prog *progs;
	int rounds, execs, n, r, i, j, k;
	struct stat st;

	if (argc > 2 && !strcmp(argv[1], "-p")) {
		profile = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: bench [-p FILE] ROUNDS EXECS PROGRAM...\n");
		return 2;
	}
	rounds = atoi(argv[1]);
	execs = atoi(argv[2]);
	n = argc - 3;
	if (rounds < 1 || execs < 1) {
		fprintf(stderr, "bench: ROUNDS and EXECS must be positive\n");
		return 2;
	}
	progs = calloc(n, sizeof(*progs));
	for (i = 0; i < n; i++) {
		progs[i].path = argv[i + 3];
		progs[i].name = strrchr(argv[i + 3], '/') ?
				strrchr(argv[i + 3], '/') + 1 : argv[i + 3];
		if (stat(progs[i].path, &st)) {
			fprintf(stderr, "bench: %s: %s\n", progs[i].path,
				strerror(errno));
			return 1;
		}
		progs[i].bytes = st.st_size;
		progs[i].ns = calloc(rounds, sizeof(long long));
	}

	if (toggle(profile, "1"))
		return 1;
	for (r = 0; r < rounds; r++) {
		for (j = 0; j < n; j++) {
			struct prog *p = &progs[(j + r) % n];
			long long t0 = now_ns();

			for (k = 0; k < execs; k++)
				if (run_once(p, envp))
					return 1;
			p->ns[r] = (now_ns() - t0) / execs;
		}
	}
	if (toggle(profile, "0"))
		return 1;

	for (i = 0; i < n; i++) {
		struct prog *p = &progs[i];

		qsort(p->ns, rounds, sizeof(long long), cmp_ll);
		printf("%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%ld\n", p->name,
		       p->bytes, p->ns[rounds / 2], p->ns[0], p->ns[rounds - 1],
		       p->ns[rounds / 4], p->ns[(3 * rounds) / 4], p->minflt,
		       p->maxrss);
	}
	return 0;
}
