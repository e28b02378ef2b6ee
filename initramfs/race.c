// SPDX-License-Identifier: GPL-2.0
/*
 * flatcom-race [--seconds T]: execs of com and calm files on every CPU
 * while this process removes and inserts the formats' modules, for T
 * seconds (10 by default), for the debug kernel's checkers to watch.
 *
 * One worker per CPU, pinned there, runs images of the two formats in
 * turn. Each image waits on its stdin, a pipe, and exits 42 at its end
 * of file (com by its own code, calm through the epilogue and the exit
 * word of its name). Once an image's execve() has succeeded (a
 * close-on-exec pipe closed), its worker holds it for a random time
 * before it closes the image's stdin, and says so in a count of its
 * own: odd while it holds an image, with the image's format beside it.
 * Meanwhile the parent removes binfmt_com or binfmt_calm at random
 * moments and inserts it again, and keeps a generation count of each:
 * odd from before its delete_module() until the module is back.
 *
 * What must hold:
 *  - every image that ran exits 42, and every execve() that failed did
 *    so with ENOEXEC, never while its format's module stayed loaded (the
 *    generation was the same even number before and after it);
 *  - delete_module() never succeeds while a worker held an image of
 *    that module's format from before the call until after it (a
 *    running image keeps its module in use), fails only with
 *    EWOULDBLOCK, and finit_module() succeeds;
 *  - the run interleaved: each format ran and was refused, and each
 *    module was removed, and was refused removal while a worker held an
 *    image of its format, at least once;
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

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
	unsigned long gen[FORMATS];
	unsigned long ran[FORMATS], enoexec[FORMATS];
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
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
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
		return;
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
 * One exec of format F's image: it must exit 42 or fail with ENOEXEC
 * while its module was away. With HOLD, keep it running for a short or
 * a long time, said in the worker's hold count.
 */
static void run_one(int f, bool hold)
{
	char *argv[] = { (char *)paths[f], NULL }, *envp[] = { NULL };
	int in[2], rep[2], err, st;
	unsigned long g0, g1;
	unsigned int left;
	bool hung;
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
		if (hold) {
			__atomic_store_n(&sh->hold_format[me], f, __ATOMIC_SEQ_CST);
			ADD(sh->hold[me], 1);
			usleep(below(2) ? below(SHORT_HOLD_US) :
			       LONG_HOLD_US + below(2 * LONG_HOLD_US));
			ADD(sh->hold[me], 1);
		}
		ADD(sh->ran[f], 1);
	} else if (err == ENOEXEC) {
		ADD(sh->enoexec[f], 1);
		if (g0 == g1 && !(g0 & 1))
			fail(execs_check, "%s: ENOEXEC while %s stayed loaded", paths[f], modules[f]);
	} else {
		fail(execs_check, "%s: execve() failed: %s", paths[f], strerror(err));
	}
	close(in[1]);
	child_timer(EXEC_SECONDS);
	hung = wait_child(pid, &st);
	alarm(0);
	if (hung)
		fail(execs_check, "%s: still running %d s after its stdin closed", paths[f], EXEC_SECONDS);
	else if (left && !err && !(WIFEXITED(st) && WEXITSTATUS(st) == 42))
		fail(execs_check, "%s: wait status %#x, want exit status 42", paths[f], st);
}

static void __attribute__((noreturn)) worker(int cpu)
{
	cpu_set_t set;
	unsigned long k;

	me = cpu;
	rng ^= (uint64_t)cpu << 32;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fail(EXECS, "worker on CPU %d: sched_setaffinity: %s", cpu, strerror(errno));
		_exit(1);
	}
	for (k = 0; !LOAD(sh->stop); k++)
		run_one((k + cpu) % FORMATS, true);
	_exit(0);
}

/* What the parent knows of the workers and the modules. */
static int workers;
static unsigned long removed[FORMATS], refused[FORMATS], held_refused[FORMATS];
static double delete_ms, insert_ms;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Remove module F and insert it again; or see it refused as in use,
 * which it must be if a worker held an image of F from before until
 * after the delete_module().
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
	delete_ms += now_ms() - t;
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
		held_refused[f] += !!held;
		return;
	}
	if (held)
		fail(MODULES, "delete_module(%s) succeeded while an image of its format ran",
		     modules[f]);
	removed[f]++;
	usleep(below(2000));
	t = now_ms();
	if (syscall(SYS_finit_module, fd, "", 0)) {
		fail(MODULES, "finit_module(%s): %s", modules[f], strerror(errno));
		ADD(sh->stop, 1);
		return;
	}
	insert_ms += now_ms() - t;
	ADD(sh->gen[f], 1);
}

static const char *const what[CHECKS] = {
	"each image ran whole and exited 42, or failed with ENOEXEC while its module was away",
	"delete_module() refused a format whose image ran (EWOULDBLOCK), finit_module() took it back",
	"the run interleaved: each format ran and was refused, each module was removed and was refused removal while its image ran",
	"afterwards both modules come out and go back in (no reference left), and both formats run",
};

int main(int argc, char **argv)
{
	unsigned long seconds = 10, failed = 0;
	int fds[FORMATS], i, f, st;
	pid_t pids[MAX_WORKERS];
	struct timespec ts;
	time_t end;
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
	rng = ts.tv_sec * 1000000007ULL ^ ts.tv_nsec;
	printf("# race: %d workers, one on each CPU, for %lu s\n", workers, seconds);

	for (i = 0; i < workers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 2;
		}
		if (!pids[i])
			worker(i);
	}
	end = time(NULL) + seconds;
	while (time(NULL) < end && !LOAD(sh->stop)) {
		f = below(FORMATS);
		cycle(f, fds[f]);
		usleep(below(2000));
	}
	ADD(sh->stop, 1);
	for (f = 0, i = 0; f < FORMATS; f++)
		i += removed[f] + refused[f];
	printf("# race: delete_module() took %.1f ms on average, finit_module() %.1f ms\n",
	       i ? delete_ms / i : 0, removed[0] + removed[1] ? insert_ms / (removed[0] + removed[1]) : 0);
	for (i = 0; i < workers; i++)
		if (waitpid(pids[i], &st, 0) != pids[i] || st)
			fail(EXECS, "worker on CPU %d: wait status %#x", i, st);

	for (f = 0; f < FORMATS; f++) {
		printf("# race: %s: ran %lu, ENOEXEC %lu; %s: removed %lu, refused (in use) %lu, %lu of them while a worker held its image\n",
		       f == COM ? "com" : "calm", LOAD(sh->ran[f]), LOAD(sh->enoexec[f]),
		       modules[f], removed[f], refused[f], held_refused[f]);
		if (!LOAD(sh->ran[f]) || !LOAD(sh->enoexec[f]) || !removed[f] || !held_refused[f])
			fail(INTERLEAVED, "not every case happened for %s; a longer run (--seconds) may interleave",
			     f == COM ? "com" : "calm");
	}

	/* Every image is gone: nothing may hold a module now. */
	execs_check = AFTERWARDS;
	for (f = FORMATS - 1; f >= 0; f--)
		if (syscall(SYS_delete_module, modules[f], O_NONBLOCK))
			fail(AFTERWARDS, "delete_module(%s): %s", modules[f], strerror(errno));
	for (f = 0; f < FORMATS; f++)
		if (syscall(SYS_finit_module, fds[f], "", 0))
			fail(AFTERWARDS, "finit_module(%s): %s", modules[f], strerror(errno));
	for (f = 0; f < FORMATS; f++) {
		unsigned long ran = LOAD(sh->ran[f]);

		run_one(f, false);
		if (LOAD(sh->ran[f]) == ran)
			fail(AFTERWARDS, "%s did not run", paths[f]);
	}

	for (i = 0; i < CHECKS; i++) {
		printf("%sok %d - race: %s\n", sh->failed[i] ? "not " : "", i + 1, what[i]);
		failed += !!sh->failed[i];
	}
	printf("1..%d\n%lu passed, %lu failed, 0 skipped\n", CHECKS, CHECKS - failed, failed);
	return failed ? 1 : 0;
}
