// SPDX-License-Identifier: GPL-2.0
/*
 * flatcom-race [--seconds T]: execs of com and calm files on every CPU
 * while this process removes and inserts the formats' modules, for at
 * least T seconds (10 by default), for the debug kernel's checkers to
 * watch.
 *
 * One worker per CPU, pinned there, runs in turn a com and a calm image,
 * and each again under PR_SET_MDWE, which the loader refuses (EACCES)
 * after its format took the file: the error path, with its module
 * reference, while the modules come and go. Each image waits on its
 * stdin, a pipe, and exits 42 at its end of file (com by its own code,
 * calm through the epilogue and the exit word of its name). Once an
 * image's execve() has succeeded (a close-on-exec pipe closed), its
 * worker holds it for a short or a long time before it closes the
 * image's stdin, and says so in a count of its own (odd while it holds
 * an image, with the image's format beside it). Meanwhile the parent
 * removes binfmt_com or binfmt_calm at random moments and inserts it
 * again; it keeps a generation count of each module, odd from before
 * its delete_module() until it is back, and a count of its removals.
 *
 * What must hold:
 *  - every image that ran exits 42; every execve() that failed did so
 *    with EACCES under MDWE, or with ENOEXEC, and never with ENOEXEC
 *    while its format's module stayed loaded (the generation was the
 *    same even number before and after it);
 *  - a module is never removed while an image of its format runs (its
 *    count of removals is the same before and after a hold), a removal
 *    fails only with EWOULDBLOCK, and finit_module() succeeds;
 *  - the run interleaved: each format ran, was refused under MDWE and
 *    got ENOEXEC, and each module was removed, and was refused removal
 *    while a worker held an image of its format from before the call
 *    until after it; the run goes on past T seconds until all of it
 *    happened, for up to 6T;
 *  - afterwards, with every image gone, both modules are removed and
 *    inserted again (no reference was left), and both formats run.
 *
 * Prints TAP, with a "#" line for each thing that went wrong and the
 * counts; x86-64 only (the images are x86-64 code). Needs two CPUs: on
 * one, its checks are skipped, and say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

#define KING "\xe2\x99\x9a"
#define DIR "/tmp/race"
#define EXEC_SECONDS 60
#define MAX_WORKERS 8
#define MAX_DIAGS 20
/*
 * How long a worker holds an image: on the debug kernel under emulation
 * an exec takes about 0.1 s and a removal 0.2 s, so half the holds are
 * short (many execs, racing with the formats' coming and going), half
 * long enough for removals to start and end within them.
 */
#define SHORT_HOLD_US 5000
#define LONG_HOLD_US 300000

enum { COM, CALM, FORMATS };
/* The checks, in the order of what[]: each failure counts against one. */
enum { EXECS, MODULES, INTERLEAVED, AFTERWARDS, CHECKS };

static const char * const modules[FORMATS] = { "binfmt_com", "binfmt_calm" };
static const char * const paths[FORMATS] = { DIR "/wait.com", DIR "/wait*." KING };

/* wait.com: read(0, rsp, 1), then exit(42) (rax, rdi are 0 at entry). */
static const unsigned char com_image[] = {
	0x48, 0x89, 0xe6,		/* mov %rsp, %rsi */
	0xba, 0x01, 0x00, 0x00, 0x00,	/* mov $1, %edx */
	0x0f, 0x05,			/* syscall */
	0x6a, 0x2a,			/* push $42 */
	0x5f,				/* pop %rdi */
	0xb0, 0x3c,			/* mov $60, %al */
	0x0f, 0x05,			/* syscall */
};

/*
 * wait*.KING: read(0, rsp - 16, 1), leaving the exit word ('*', 42) at
 * rsp for the epilogue.
 */
static const unsigned char calm_image[] = {
	0x48, 0x8d, 0x74, 0x24, 0xf0,	/* lea -16(%rsp), %rsi */
	0xba, 0x01, 0x00, 0x00, 0x00,	/* mov $1, %edx */
	0x0f, 0x05,			/* syscall */
};

/* What the workers and the parent share (MAP_SHARED). */
struct shared {
	int stop;
	unsigned long hold[MAX_WORKERS];	/* odd: holding an image */
	int hold_format[MAX_WORKERS];
	unsigned long gen[FORMATS];		/* odd: being removed, or away */
	unsigned long removed[FORMATS];
	unsigned long ran[FORMATS], enoexec[FORMATS], eacces[FORMATS];
	unsigned long failed[CHECKS], diags;
};

static struct shared *sh;
static uint64_t rng;
/* The check that run_one()'s failures count against. */
static int execs_check = EXECS;
/* In a worker: its number. */
static int me;

static uint64_t next(void)
{
	return splitmix64(&rng);
}

static unsigned int below(unsigned int n)
{
	return next() % n;
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define ADD(x, n) __atomic_add_fetch(&(x), (n), __ATOMIC_SEQ_CST)

/* Something that must not happen: counted against CHECK, and said. */
static void __attribute__((format(printf, 2, 3))) fail(int check, const char *fmt, ...)
{
	va_list ap;

	ADD(sh->failed[check], 1);
	if (ADD(sh->diags, 1) > MAX_DIAGS)
		return;	/* counted, and said at the end */
	va_start(ap, fmt);
	printf("# race: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static void write_image(const char *path, const unsigned char *image, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	if (fd < 0 || write(fd, image, size) != (ssize_t)size || close(fd)) {
		perror(path);
		exit(2);
	}
}

/*
 * One exec of format F's image, under PR_SET_MDWE with MDWE: it must
 * exit 42, or fail with EACCES under MDWE, or with ENOEXEC while its
 * module was away. With HOLD, keep it running for a short or a long
 * time, said in the worker's hold count; its module must not be removed
 * meanwhile.
 */
static void run_one(int f, bool mdwe, bool hold)
{
	char *argv[] = { (char *)paths[f], NULL }, *envp[] = { NULL };
	unsigned long g0, g1, removals = 0;
	int in[2], rep[2], err, st;
	bool hung, removed = false;
	unsigned int left;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) || pipe2(rep, O_CLOEXEC)) {
		fail(execs_check, "pipe: %s", strerror(errno));
		exit(2);
	}
	g0 = LOAD(sh->gen[f]);
	pid = fork();
	if (pid < 0) {
		fail(execs_check, "fork: %s", strerror(errno));
		exit(2);
	}
	if (!pid) {
		dup2(in[0], 0);
		if (mdwe && prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0)) {
			err = -1;
			_exit(write(rep[1], &err, sizeof(err)) == sizeof(err) ? 126 : 125);
		}
		exec_or_report(paths[f], argv, envp, rep[1]);
	}
	close(in[0]);
	close(rep[1]);
	child_timer(EXEC_SECONDS);
	err = exec_errno(rep[0]);
	left = alarm(0);
	g1 = LOAD(sh->gen[f]);
	if (!left) {
		fail(execs_check, "%s: execve() still not done after %d s", paths[f], EXEC_SECONDS);
		kill(pid, SIGKILL);
	} else if (!err) {
		/* The exec holds the module since before: it stays. */
		removals = LOAD(sh->removed[f]);
		if (hold) {
			__atomic_store_n(&sh->hold_format[me], f, __ATOMIC_SEQ_CST);
			ADD(sh->hold[me], 1);
			usleep(below(2) ? below(SHORT_HOLD_US) :
			       LONG_HOLD_US + below(2 * LONG_HOLD_US));
			ADD(sh->hold[me], 1);
		}
		removed = LOAD(sh->removed[f]) != removals;
	} else if (err == ENOEXEC) {
		ADD(sh->enoexec[f], 1);
		if (g0 == g1 && !(g0 & 1))
			fail(execs_check, "%s: ENOEXEC while %s stayed loaded", paths[f], modules[f]);
	} else if (err == EACCES && mdwe) {
		ADD(sh->eacces[f], 1);
	} else if (err == -1) {
		fail(execs_check, "prctl(PR_SET_MDWE) failed in the child");
	} else {
		fail(execs_check, "%s%s: execve() failed: %s", paths[f],
		     mdwe ? " under MDWE" : "", strerror(err));
	}
	close(in[1]);
	child_timer(EXEC_SECONDS);
	hung = wait_child(pid, &st);
	alarm(0);
	if (hung) {
		fail(execs_check, "%s: still running %d s after its stdin closed", paths[f], EXEC_SECONDS);
	} else if (!left || err) {
		;
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 42) {
		fail(execs_check, "%s%s: wait status %#x, want exit status 42", paths[f],
		     mdwe ? " under MDWE" : "", st);
	} else {
		ADD(sh->ran[f], 1);
		/* An image killed past its point of no return holds nothing. */
		if (removed)
			fail(MODULES, "%s was removed while %s ran", modules[f], paths[f]);
	}
}

static void __attribute__((noreturn)) worker(int cpu)
{
	cpu_set_t set;
	unsigned long k;

	me = cpu;
	rng ^= (cpu + 1) * 0xd1342543de82ef95ULL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fail(EXECS, "worker on CPU %d: sched_setaffinity: %s", cpu, strerror(errno));
		_exit(1);
	}
	/* com, calm, com under MDWE, calm under MDWE; each CPU its own phase */
	for (k = cpu; !LOAD(sh->stop); k++)
		run_one(k % FORMATS, k / FORMATS % 2, true);
	_exit(0);
}

/* What the parent knows of the workers and the modules. */
static int workers;
static unsigned long refused[FORMATS], held_refused[FORMATS];
static double removing_ms, refusing_ms, inserting_ms;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Each format ran, was refused and got ENOEXEC; each module was removed
 * and was refused removal while its image was held. */
static bool interleaved(void)
{
	int f;

	for (f = 0; f < FORMATS; f++)
		if (!LOAD(sh->ran[f]) || !LOAD(sh->eacces[f]) || !LOAD(sh->enoexec[f]) ||
		    !LOAD(sh->removed[f]) || !held_refused[f])
			return false;
	return true;
}

/*
 * Remove module F and insert it again; or see it refused as in use, and
 * count the refusals that met an image of F held from before the call
 * until after it (the workers check that no removal did).
 */
static void cycle(int f, int fd)
{
	unsigned long before[MAX_WORKERS];
	int w, err = 0, held = 0;
	double t;

	for (w = 0; w < workers; w++)
		before[w] = LOAD(sh->hold[w]);
	ADD(sh->gen[f], 1);
	t = now_ms();
	if (syscall(SYS_delete_module, modules[f], O_NONBLOCK))
		err = errno;
	else
		ADD(sh->removed[f], 1);	/* before the module can come back */
	t = now_ms() - t;
	for (w = 0; w < workers; w++)
		if ((before[w] & 1) && LOAD(sh->hold_format[w]) == f &&
		    LOAD(sh->hold[w]) == before[w])
			held++;
	if (err) {
		ADD(sh->gen[f], 1);
		if (err != EWOULDBLOCK) {
			fail(MODULES, "delete_module(%s): %s, want EWOULDBLOCK",
			     modules[f], strerror(err));
			return;
		}
		refused[f]++;
		refusing_ms += t;
		held_refused[f] += !!held;
		return;
	}
	removing_ms += t;
	usleep(below(2000));
	t = now_ms();
	if (syscall(SYS_finit_module, fd, "", 0)) {
		fail(MODULES, "finit_module(%s): %s", modules[f], strerror(errno));
		ADD(sh->stop, 1);
		return;
	}
	inserting_ms += now_ms() - t;
	ADD(sh->gen[f], 1);
}

static const char *const what[CHECKS] = {
	"each image ran whole and exited 42, or failed with EACCES under MDWE, or with ENOEXEC while its module was away",
	"no module was removed while an image of its format ran (EWOULDBLOCK), and finit_module() took each back",
	"the run interleaved: each format ran, was refused and got ENOEXEC; each module was removed, and refused removal while its image ran",
	"afterwards both modules come out and go back in (no reference left), and both formats run",
};

/* The module's reference count, for a removal that should have worked. */
static void say_refcnt(const char *module)
{
	char path[64], buf[32] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", module);
	fp = fopen(path, "r");
	if (fp && fgets(buf, sizeof(buf), fp))
		printf("# race: %s: refcnt %s", module, buf);
	if (fp)
		fclose(fp);
}

static void stop_workers(const pid_t *pids, int n)
{
	int i, st;

	ADD(sh->stop, 1);
	for (i = 0; i < n; i++) {
		if (waitpid(pids[i], &st, 0) != pids[i])
			fail(EXECS, "worker on CPU %d: waitpid: %s", i, strerror(errno));
		else if (st)
			fail(EXECS, "worker on CPU %d: wait status %#x", i, st);
	}
}

int main(int argc, char **argv)
{
	unsigned long seconds = 10, failed = 0, diags, removed;
	int fds[FORMATS], i, f;
	pid_t pids[MAX_WORKERS];
	double start, took;
	struct timespec ts;
	uint64_t seed;
	char path[64];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = strtoul(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: flatcom-race [--seconds T]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	workers = sysconf(_SC_NPROCESSORS_ONLN);
	if (workers < 2) {
		for (i = 0; i < CHECKS; i++)
			printf("ok %d - race: %s # SKIP one CPU here (scripts/boot --cpus 2)\n",
			       i + 1, what[i]);
		printf("1..%d\n0 passed, 0 failed, %d skipped\n", CHECKS, CHECKS);
		return 0;
	}
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (f = 0; f < FORMATS; f++) {
		snprintf(path, sizeof(path), "/lib/modules/%s.ko", modules[f]);
		fds[f] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[f] < 0) {
			perror(path);
			return 2;
		}
	}
	mkdir(DIR, 0755);
	write_image(paths[COM], com_image, sizeof(com_image));
	write_image(paths[CALM], calm_image, sizeof(calm_image));
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = ts.tv_sec * 1000000007ULL ^ ts.tv_nsec;
	rng = seed;
	printf("# race: %d workers, one on each CPU, for %lu s or until all happened (seed %llu; timing decides the rest)\n",
	       workers, seconds, (unsigned long long)seed);

	for (i = 0; i < workers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			stop_workers(pids, i);
			return 2;
		}
		if (!pids[i])
			worker(i);
	}
	start = now_ms();
	while (!LOAD(sh->stop)) {
		took = (now_ms() - start) / 1e3;
		if (took >= 6 * seconds || (took >= seconds && interleaved()))
			break;
		f = below(FORMATS);
		cycle(f, fds[f]);
		usleep(below(2000));
	}
	stop_workers(pids, workers);
	removed = LOAD(sh->removed[COM]) + LOAD(sh->removed[CALM]);
	printf("# race: %.1f s; a removal took %.1f ms, a refused one %.1f ms, an insertion %.1f ms\n",
	       (now_ms() - start) / 1e3, removed ? removing_ms / removed : 0,
	       refused[COM] + refused[CALM] ? refusing_ms / (refused[COM] + refused[CALM]) : 0,
	       removed ? inserting_ms / removed : 0);
	for (f = 0; f < FORMATS; f++)
		printf("# race: %s: ran %lu, EACCES under MDWE %lu, ENOEXEC %lu; %s: removed %lu, refused (in use) %lu, %lu of them while a worker held its image\n",
		       f == COM ? "com" : "calm", LOAD(sh->ran[f]), LOAD(sh->eacces[f]),
		       LOAD(sh->enoexec[f]), modules[f], LOAD(sh->removed[f]), refused[f],
		       held_refused[f]);
	if (!interleaved())
		fail(INTERLEAVED, "not all of it happened in %lu s", 6 * seconds);

	/* Every image is gone: nothing may hold a module now. */
	execs_check = AFTERWARDS;
	for (f = FORMATS - 1; f >= 0; f--) {
		if (!syscall(SYS_delete_module, modules[f], O_NONBLOCK))
			continue;
		fail(AFTERWARDS, "delete_module(%s): %s", modules[f], strerror(errno));
		say_refcnt(modules[f]);
	}
	for (f = 0; f < FORMATS; f++)
		if (syscall(SYS_finit_module, fds[f], "", 0))
			fail(AFTERWARDS, "finit_module(%s): %s", modules[f], strerror(errno));
	for (f = 0; f < FORMATS; f++) {
		unsigned long ran = LOAD(sh->ran[f]);

		run_one(f, false, false);
		if (LOAD(sh->ran[f]) == ran)
			fail(AFTERWARDS, "%s did not run", paths[f]);
	}

	diags = LOAD(sh->diags);
	if (diags > MAX_DIAGS)
		printf("# race: %lu more failures, not shown\n", diags - MAX_DIAGS);
	for (i = 0; i < CHECKS; i++) {
		printf("%sok %d - race: %s\n", sh->failed[i] ? "not " : "", i + 1, what[i]);
		failed += !!sh->failed[i];
	}
	printf("1..%d\n%lu passed, %lu failed, 0 skipped\n", CHECKS, CHECKS - failed, failed);
	return failed ? 1 : 0;
}
