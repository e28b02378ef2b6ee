// SPDX-License-Identifier: GPL-2.0
/*
 * The in-guest checks that every architecture runs, on the programs of
 * /progs (test-programs/ARCH/, listed with their sizes in
 * /progs/programs.list), and the series' kselftest (/bin/binfmt_com_test,
 * a result for each of its cases): flatcom-checks [WORD]. With WORD, only
 * the checks whose description has WORD in it run (kselftest cases by
 * their name, "kselftest dir.NAME").
 *
 * Prints TAP: "ok N - WHAT", "not ok N - WHAT" (with "#" lines saying
 * why), "ok N - WHAT # SKIP WHY", then the plan and, last, "N passed,
 * N failed, N skipped". Exits 0 only if nothing failed. tests.sh relays
 * these on x86-64; the init of the other architectures runs this alone.
 *
 * Every program runs in a child, started with a bare execve(): the
 * kernel's answer is the result, not a shell's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

#define KING "\u265a"
#define TMP "/tmp/checks"

static const char *filter = "";
static int tap_n, tap_passed, tap_failed, tap_skipped;

static bool wanted(const char *what)
{
	return strstr(what, filter) != NULL;
}

/* diag: a "#" line under the next result, saying why it failed. */
static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void result(bool ok, const char *what)
{
	tap_n++;
	if (ok)
		tap_passed++;
	else
		tap_failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", tap_n, what);
	fflush(stdout);
}

static void skip(const char *what, const char *why)
{
	if (!wanted(what))
		return;
	tap_n++;
	tap_skipped++;
	printf("ok %d - %s # SKIP %s\n", tap_n, what, why);
}

/* check: one result, if the filter lets WHAT run; FN says ok or not. */
#define check(what, fn, ...) do {					\
	if (wanted(what))						\
		result(fn(__VA_ARGS__), what);				\
} while (0)

/* How a child is started, and what became of it. */
struct run {
	const char *in;			/* stdin: a file, or /dev/null */
	int in_fd;			/* or this descriptor, if >= 0 */
	char *const *envp;
	unsigned long persona;		/* personality() if not 0 */
	rlim_t stack;			/* RLIMIT_STACK if not 0 */
	/* what became of it */
	int err;			/* execve()'s errno, or 0 */
	int status;			/* waitpid()'s */
	char *out;			/* stdout, NUL-terminated */
	size_t len;
};

static char *default_env[] = { "PATH=/bin", NULL };

static void write_file(const char *path, const void *data, size_t len, mode_t mode);
static bool runs_as(pid_t pid, const char *want);

static char *slurp(const char *path, size_t *len)
{
	size_t size = 4096, n = 0;
	char *buf = malloc(size + 1);
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (!buf || fd < 0) {
		perror(path);
		exit(2);
	}
	while ((got = read(fd, buf + n, size - n)) > 0) {
		n += got;
		if (n == size) {
			size *= 2;
			buf = realloc(buf, size + 1);
			if (!buf)
				exit(2);
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* start: fork and execve ARGV as R says; the child's pid, or -1. */
static pid_t start(char *const argv[], struct run *r)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int in = r->in_fd;
		int out = open(TMP "/out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int errfd = open(TMP "/err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		struct rlimit rl = { r->stack, r->stack };

		if (in < 0)
			in = open(r->in ? r->in : "/dev/null", O_RDONLY);
		if (in < 0 || out < 0 || errfd < 0 || dup2(in, 0) < 0 ||
		    dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
			_exit(126);
		if (r->persona && personality(r->persona) < 0)
			_exit(126);
		if (r->stack) {
			getrlimit(RLIMIT_STACK, &rl);
			rl.rlim_cur = r->stack;
			if (setrlimit(RLIMIT_STACK, &rl))
				_exit(126);
		}
		exec_or_report(argv[0], argv, r->envp ? r->envp : default_env,
			       pipefd[1]);
	}
	close(pipefd[1]);
	r->err = exec_errno(pipefd[0]);
	return pid;
}

/* finish: wait for PID, and take what it printed. */
static void finish(pid_t pid, struct run *r)
{
	if (pid < 0 || waitpid(pid, &r->status, 0) != pid) {
		r->status = -1;
		r->err = r->err ? r->err : ECHILD;
	}
	free(r->out);
	r->out = slurp(TMP "/out", &r->len);
}

static void run(char *const argv[], struct run *r)
{
	finish(start(argv, r), r);
}

/* describe: what became of a run, for a "#" line. */
static const char *describe(const struct run *r)
{
	static char buf[128];

	if (r->err)
		snprintf(buf, sizeof(buf), "execve() failed: %s", strerror(r->err));
	else if (WIFSIGNALED(r->status))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(r->status));
	else if (WIFEXITED(r->status))
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(r->status));
	else
		snprintf(buf, sizeof(buf), "wait status %#x", r->status);
	return buf;
}

static bool exited_with(const char *name, const struct run *r, int want)
{
	if (!r->err && WIFEXITED(r->status) && WEXITSTATUS(r->status) == want)
		return true;
	diag("%s: %s, want exit status %d", name, describe(r), want);
	return false;
}

/* exits: PATH, run with no argument but its name, exits with WANT. */
static bool exits(const char *path, int want)
{
	struct run r = { .in_fd = -1 };
	char *argv[] = { (char *)path, NULL };
	bool ok;

	run(argv, &r);
	ok = exited_with(path, &r, want);
	free(r.out);
	return ok;
}

/* prints: ARGV exits 0 with ENVP, having printed exactly WANT. */
static bool prints_env(char *const argv[], char *const envp[], const char *want)
{
	struct run r = { .in_fd = -1, .envp = envp };
	bool ok;

	run(argv, &r);
	ok = exited_with(argv[0], &r, 0);
	if (ok && (r.len != strlen(want) || memcmp(r.out, want, r.len))) {
		diag("%s printed %zu bytes, want %zu: \"%.200s\"", argv[0],
		     r.len, strlen(want), r.out);
		ok = false;
	}
	free(r.out);
	return ok;
}

static bool prints(char *const argv[], const char *want)
{
	return prints_env(argv, NULL, want);
}

/*
 * expect: ARGV, with ENVP (NULL: PATH only) and IN (LEN bytes) on its
 * stdin, exits STATUS having printed exactly OUT (OUT_LEN bytes; OUT
 * NULL: whatever it prints).
 */
static bool expect(char *const argv[], char *const envp[], const char *in,
		   size_t len, int status, const char *out, size_t out_len)
{
	struct run r = { .in = TMP "/in", .in_fd = -1, .envp = envp };
	bool ok;

	write_file(TMP "/in", in, len, 0644);
	run(argv, &r);
	ok = exited_with(argv[0], &r, status);
	if (ok && out && (r.len != out_len || memcmp(r.out, out, out_len))) {
		diag("%s printed %zu bytes, want %zu: \"%.200s\"", argv[0],
		     r.len, out_len, r.out);
		ok = false;
	}
	free(r.out);
	return ok;
}

/* refused: execve() of PATH fails with "Exec format error". */
static bool refused(const char *path)
{
	struct run r = { .in_fd = -1 };
	char *argv[] = { (char *)path, NULL };

	run(argv, &r);
	free(r.out);
	if (r.err == ENOEXEC)
		return true;
	diag("%s: %s, want ENOEXEC", path, describe(&r));
	return false;
}

static bool size_is(const char *name, long long want)
{
	struct stat st;

	if (stat(name, &st)) {
		diag("%s: %s", name, strerror(errno));
		return false;
	}
	if (st.st_size == want)
		return true;
	diag("%s is %lld bytes, want %lld", name, (long long)st.st_size, want);
	return false;
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd)) {
		perror(path);
		exit(2);
	}
	chmod(path, mode);
}

static bool copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = slurp(from, &len);

	write_file(to, data, len, 0755);
	free(data);
	return true;
}

/*
 * copies: PROG copies 300 KiB of stdin to stdout (more than cat's 64 KiB
 * chunk: the heap must grow), exits WANT, and prints nothing for an
 * empty stdin.
 */
static char *data;
static size_t data_len;

static bool copies(const char *prog, int want)
{
	struct run r = { .in = TMP "/data", .in_fd = -1 };
	char *argv[] = { (char *)prog, NULL };
	bool ok;

	run(argv, &r);
	ok = exited_with(prog, &r, want);
	if (ok && (r.len != data_len || memcmp(r.out, data, data_len))) {
		diag("%s: copied %zu bytes, not the same %zu", prog, r.len, data_len);
		ok = false;
	}
	r.in = NULL;
	run(argv, &r);
	if (ok && r.len) {
		diag("%s: printed %zu bytes for an empty stdin", prog, r.len);
		ok = false;
	}
	free(r.out);
	return ok;
}

/* layout: brk(0) and the stack pointer at entry of layout.com. */
static bool layout(unsigned long persona, unsigned long *brk, unsigned long *sp)
{
	struct run r = { .in_fd = -1, .persona = persona };
	char *argv[] = { "./layout.com", NULL };
	bool ok;

	run(argv, &r);
	ok = exited_with(argv[0], &r, 0) &&
	     sscanf(r.out, "brk=%lx sp=%lx\n", brk, sp) == 2;
	if (!ok)
		diag("layout.com printed \"%.100s\"", r.out);
	free(r.out);
	return ok;
}

/*
 * Without randomization the heap starts at the end of the image's page
 * and two runs agree; the stack is 16-byte aligned.
 */
static bool fixed_layout(void)
{
	unsigned long brk1, sp1, brk2, sp2;
	unsigned long page = sysconf(_SC_PAGESIZE);
	unsigned long want = 0x10000 + page;

	if (!layout(PER_LINUX | ADDR_NO_RANDOMIZE, &brk1, &sp1) ||
	    !layout(PER_LINUX | ADDR_NO_RANDOMIZE, &brk2, &sp2))
		return false;
	if (brk1 == want && brk1 == brk2 && sp1 == sp2 && !(sp1 % 16))
		return true;
	diag("without randomization: brk %#lx sp %#lx, then brk %#lx sp %#lx; want brk %#lx twice, the same 16-byte aligned sp",
	     brk1, sp1, brk2, sp2, want);
	return false;
}

/* Randomized, heap and stack differ between runs; the heap is above the image. */
static bool random_layout(void)
{
	unsigned long brk1, sp1, brk2, sp2;
	unsigned long page = sysconf(_SC_PAGESIZE);

	if (!layout(0, &brk1, &sp1) || !layout(0, &brk2, &sp2))
		return false;
	if (brk1 != brk2 && sp1 != sp2 && brk1 >= 0x10000 + page &&
	    brk2 >= 0x10000 + page)
		return true;
	diag("randomized: brk %#lx sp %#lx, then brk %#lx sp %#lx", brk1, sp1,
	     brk2, sp2);
	return false;
}

/*
 * echo.com with so many empty arguments that the entry stack's pointer
 * tables (8 bytes each) reach far below what setup_arg_pages() made the
 * stack (the strings and 128 KiB): the stack grows under the loader's
 * writes, as it does for ELF's.
 */
#define MANY 40000
static bool many_arguments(void)
{
	char **argv = calloc(MANY + 2, sizeof(*argv));
	char *want = malloc(MANY + 1);
	bool ok;
	int i;

	if (!argv || !want)
		exit(2);
	argv[0] = "./echo.com";
	for (i = 1; i <= MANY; i++)
		argv[i] = "";
	memset(want, ' ', MANY - 1);
	want[MANY - 1] = '\n';
	want[MANY] = '\0';
	ok = prints(argv, want);
	free(argv);
	free(want);
	return ok;
}

/* PROG runs under a RLIMIT_STACK of 16 KiB and exits WANT. */
static bool small_stack(const char *prog, int want)
{
	struct run r = { .in_fd = -1, .stack = 16 * 1024 };
	char *argv[] = { (char *)prog, "one", "two", NULL };
	bool ok;

	run(argv, &r);
	ok = exited_with(prog, &r, want);
	free(r.out);
	return ok;
}

/*
 * The rest of the image's last page reads as zeros, whatever the page
 * cache holds past the end of the file: an image that jumps to its own
 * end, with exit(7) written past it through a shared mapping of the
 * file, dies there on the zeros (SIGSEGV on x86-64, where 00 00 stores
 * through rax = 0; SIGILL elsewhere, where zeros are no instruction)
 * instead of exiting 7.
 */
#if defined(__x86_64__)
static const unsigned char jump_to_end[] = { 0xeb, 0x00 };	/* jmp .+2 */
static const unsigned char stale_exit7[] = {
	0xb8, 0x3c, 0x00, 0x00, 0x00,	/* mov $60, %eax */
	0xbf, 0x07, 0x00, 0x00, 0x00,	/* mov $7, %edi */
	0x0f, 0x05,			/* syscall */
};
#define ZEROS_SIGNAL SIGSEGV
#elif defined(__aarch64__)
static const unsigned char jump_to_end[] = { 0x01, 0x00, 0x00, 0x14 };	/* b .+4 */
static const unsigned char stale_exit7[] = {
	0xe0, 0x00, 0x80, 0xd2,		/* mov x0, #7 */
	0xa8, 0x0b, 0x80, 0xd2,		/* mov x8, #93 */
	0x01, 0x00, 0x00, 0xd4,		/* svc #0 */
};
#define ZEROS_SIGNAL SIGILL
#elif defined(__riscv)
static const unsigned char jump_to_end[] = { 0x6f, 0x00, 0x40, 0x00 };	/* j .+4 */
static const unsigned char stale_exit7[] = {
	0x13, 0x05, 0x70, 0x00,		/* li a0, 7 */
	0x93, 0x08, 0xd0, 0x05,		/* li a7, 93 */
	0x73, 0x00, 0x00, 0x00,		/* ecall */
};
#define ZEROS_SIGNAL SIGILL
#endif

static bool stale_page_cache(void)
{
	const char *path = TMP "/stale.com";
	size_t off = sizeof(jump_to_end);
	struct run r = { .in_fd = -1 };
	char *argv[] = { (char *)path, NULL };
	unsigned char *map;
	bool there;
	int fd;

	write_file(path, jump_to_end, off, 0755);
	fd = open(path, O_RDWR | O_CLOEXEC);
	map = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					 MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		diag("%s: %s", path, strerror(errno));
		return false;
	}
	memcpy(map + off, stale_exit7, sizeof(stale_exit7));
	munmap(map, 4096);
	/* The bytes are in the page cache, past the end of the file. */
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	there = map != MAP_FAILED &&
		!memcmp(map + off, stale_exit7, sizeof(stale_exit7));
	if (map != MAP_FAILED)
		munmap(map, 4096);
	close(fd);
	if (!there) {
		diag("the page cache did not keep the bytes past the end of %s", path);
		return false;
	}
	run(argv, &r);
	free(r.out);
	if (!r.err && WIFSIGNALED(r.status) && WTERMSIG(r.status) == ZEROS_SIGNAL)
		return true;
	diag("%s: %s, want killed by signal %d (%s)", path, describe(&r),
	     ZEROS_SIGNAL, strsignal(ZEROS_SIGNAL));
	return false;
}

/*
 * wait.com, started as R says with a pipe on its stdin (*FEED, its other
 * end): it runs until release(*FEED).
 */
static pid_t start_waiting(struct run *r, int *feed)
{
	char *argv[] = { "./wait.com", NULL };
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		exit(2);
	r->in_fd = fds[0];
	pid = start(argv, r);
	close(fds[0]);
	*feed = fds[1];
	return pid;
}

static void release(int feed)
{
	if (write(feed, "x", 1) != 1)
		diag("wait.com's stdin: %s", strerror(errno));
	close(feed);
}

/*
 * An image never runs with READ_IMPLIES_EXEC, whatever its caller had:
 * its personality, read while it waits, lacks the flag.
 */
static bool no_read_implies_exec(void)
{
	struct run r = { .persona = PER_LINUX | READ_IMPLIES_EXEC };
	unsigned long persona = ~0UL;
	char path[64], *text;
	size_t len;
	int feed;
	pid_t pid;

	pid = start_waiting(&r, &feed);
	if (runs_as(pid, "wait.com")) {
		snprintf(path, sizeof(path), "/proc/%d/personality", pid);
		text = slurp(path, &len);
		persona = strtoul(text, NULL, 16);
		free(text);
	}
	release(feed);
	finish(pid, &r);
	free(r.out);
	if (persona != ~0UL && !(persona & READ_IMPLIES_EXEC))
		return true;
	diag("wait.com started with READ_IMPLIES_EXEC runs with personality %#lx",
	     persona);
	return false;
}

/*
 * Entry tables that a 16 KiB RLIMIT_STACK cannot hold, random gap or
 * not (3072 empty arguments: 3 KiB of strings, 24 KiB of pointers):
 * known before the point of no return, so execve() fails with E2BIG and
 * the caller runs on, where ELF's image is killed. With pages larger
 * than 4 KiB all of it fits in the strings' first page.
 */
#define TABLE_ARGS 3072
static bool stack_too_small(const char *prog)
{
	struct run r = { .in_fd = -1, .stack = 16 * 1024 };
	char **argv = calloc(TABLE_ARGS + 2, sizeof(*argv));
	int i;

	if (!argv)
		exit(2);
	argv[0] = (char *)prog;
	for (i = 1; i <= TABLE_ARGS; i++)
		argv[i] = "";
	run(argv, &r);
	free(argv);
	free(r.out);
	if (r.err == E2BIG)
		return true;
	diag("%s with %d arguments under a 16 KiB RLIMIT_STACK: %s, want E2BIG",
	     prog, TABLE_ARGS, describe(&r));
	return false;
}

/* The kernel log, for what the loader says. */
static char *kernel_log(void)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	int n;

	if (size <= 0)
		size = 1 << 17;
	buf = malloc(size + 1);
	if (!buf)
		exit(2);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static bool write_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value);

	if (fd >= 0)
		close(fd);
	if (!ok)
		diag("%s: cannot write %s: %s", path, value, strerror(errno));
	return ok;
}

/*
 * vm.mmap_min_addr above the load address: execve() fails with EPERM
 * and the caller runs on. The refusal is logged with its cause and the
 * caller's pid first: a long file name of unprintable bytes (escaped,
 * four bytes each) must not push "see vm.mmap_min_addr" out of the
 * kernel's 1 KiB log record.
 */
static bool mmap_min_addr_refused(void)
{
	const char *sysctl = "/proc/sys/vm/mmap_min_addr";
	char dir[260], path[600], old[32] = "", want[96], *log, *line, *last = NULL;
	struct run r = { .in_fd = -1 };
	char *argv[] = { path, NULL };
	size_t len;
	pid_t pid;
	bool ok;
	int i;

	snprintf(dir, sizeof(dir), TMP "/%0200d", 0);
	mkdir(dir, 0755);
	len = snprintf(path, sizeof(path), "%s/", dir);
	for (i = 0; i < 250; i++)
		path[len++] = '\001';
	strcpy(path + len, ".com");
	copy_file("tiny.com", path);
	{
		char *v = slurp(sysctl, &len);

		snprintf(old, sizeof(old), "%s", v);
		free(v);
	}
	if (!write_sysctl(sysctl, "131072"))
		return false;
	pid = start(argv, &r);
	finish(pid, &r);
	write_sysctl(sysctl, old);
	unlink(path);
	rmdir(dir);
	free(r.out);
	if (r.err != EPERM) {
		diag("with vm.mmap_min_addr 131072: %s, want EPERM", describe(&r));
		return false;
	}
	log = kernel_log();
	for (line = strtok(log, "\n"); line; line = strtok(NULL, "\n"))
		if (strstr(line, "binfmt_flat_com: "))
			last = line;
	snprintf(want, sizeof(want),
		 "not allowed, see vm.mmap_min_addr (pid %d, ", pid);
	ok = last && strstr(last, want);
	if (!ok)
		diag("the last line of binfmt_flat_com (caller's pid %d): %.300s",
		     pid, last ? last : "(none)");
	free(log);
	return ok;
}

static bool module_loaded(const char *name)
{
	size_t len, n = strlen(name);
	char *mods = slurp("/proc/modules", &len), *p;
	bool found = false;

	for (p = mods; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			found = true;
	free(mods);
	return found;
}

static bool rmmod(const char *name)
{
	if (!syscall(SYS_delete_module, name, O_NONBLOCK))
		return true;
	diag("rmmod %s: %s", name, strerror(errno));
	return false;
}

static bool rmmod_fails(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return true;
	diag("rmmod %s succeeded", name);
	return false;
}

static bool insmod(const char *name)
{
	char path[128];
	int fd, rc;

	snprintf(path, sizeof(path), "/lib/modules/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		diag("%s: %s", path, strerror(errno));
		return false;
	}
	rc = syscall(SYS_finit_module, fd, "", 0);
	if (rc)
		diag("insmod %s: %s", path, strerror(errno));
	close(fd);
	return !rc;
}

/* The comm of PID is WANT, within 10 s. */
static bool runs_as(pid_t pid, const char *want)
{
	char path[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	for (i = 0; i < 100; i++) {
		size_t len;
		char *comm = slurp(path, &len);
		bool same = len && !strncmp(comm, want, len - 1);

		free(comm);
		if (same)
			return true;
		usleep(100000);
	}
	diag("pid %d is not %s after 10 s", pid, want);
	return false;
}

static bool rmmod_both(void)
{
	return rmmod("binfmt_calm") && rmmod("binfmt_com");
}

/* A running image keeps its format's module in use; unloaded, it refuses. */
static void module_checks(void)
{
	static const char * const progs[] = {
		"tiny.com", "hello.com", "cat.com", "*." KING, "push42." KING,
		"cat." KING,
	};
	struct run r = { 0 };
	char what[128];
	unsigned int i;
	bool out;
	int feed;
	pid_t pid;

	pid = start_waiting(&r, &feed);
	if (wanted("rmmod binfmt_com fails while wait.com runs"))
		result(runs_as(pid, "wait.com") && rmmod_fails("binfmt_com"),
		       "rmmod binfmt_com fails while wait.com runs");
	release(feed);
	finish(pid, &r);
	check("wait.com exits 42 once it has read", exited_with, "wait.com", &r, 42);
	free(r.out);
	/*
	 * The refusals need the modules out, and the rest of the suite
	 * needs them back: both steps run, and are reported, whenever one
	 * of them or a refusal is wanted (--filter tiny).
	 */
	out = wanted("rmmod binfmt_calm binfmt_com") ||
	      wanted("insmod binfmt_com") || wanted("insmod binfmt_calm");
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		snprintf(what, sizeof(what), "%s is refused without the modules", progs[i]);
		out |= wanted(what);
	}
	if (out) {
		result(rmmod_both(), "rmmod binfmt_calm binfmt_com");
		for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
			snprintf(what, sizeof(what), "%s is refused without the modules", progs[i]);
			check(what, refused, progs[i]);
		}
		result(insmod("binfmt_com"), "insmod binfmt_com");
		result(insmod("binfmt_calm"), "insmod binfmt_calm");
	}
	check("tiny.com exits 42 again", exits, "./tiny.com", 42);
	check("*." KING " exits 42 again", exits, "./*." KING, 42);
}

/*
 * Systematic fault injection (CONFIG_FAULT_INJECTION, the debug kernel):
 * for N = 1, 2, ..., the Nth allocation or user copy of an execve() that
 * could fail does (/proc/PID/fail-nth), until an exec completes with
 * none failed. Each N ends in one of three ways: execve() returns an
 * errno and the caller runs on; the new image is killed (a failure past
 * the point of no return); or the image runs as it does with nothing
 * failed (the exec could do without what failed, or did it again: a
 * user copy whose page fault fails is redone, byte by byte on x86-64,
 * and the second fault succeeds). Never ENOEXEC: a format whose
 * allocation fails must not pass the file on as not its own. KASAN,
 * lockdep and the console scan of the harness catch the rest, kmemleak
 * the leaks (at the end of tests.sh). And the commit charge of the
 * overcommit policy (Committed_AS) must be where it was once the child
 * is gone, whichever way it ended: what an exec charges, the teardown
 * of its mm takes back, no less and no more.
 *
 * The child stops at its exec event (PTRACE_O_TRACEEXEC: nothing is
 * allocated for that stop), where the exec is complete: its fail-nth
 * is still counting down if nothing failed. The parent turns injection
 * off there and lets the image run.
 *
 * Where each failure was comes from the kernel log: with verbose 2, the
 * fault attributes log their name and a stack trace (at the default
 * level, which the console is set not to print while this runs; it
 * still prints warnings and worse).
 */
#define FAULT_DEBUGFS "/sys/kernel/debug/"
#define FAULT_MAX 5000
#define FAULT_SECONDS 30

enum fault_end { F_ERRNO, F_KILLED, F_RAN, F_BAD };

struct fault_case {
	const char *name;
	char **argv;
	char **envp;
	const char *in;			/* stdin, or /dev/null */
	int status;			/* the exit status it has */
	const char *out;		/* what it prints, */
	size_t out_len;			/* so many bytes */
};

/* The setting FILE of the fault attributes, and what it was. */
static const struct {
	const char *file, *value;
} fault_settings[] = {
	{ FAULT_DEBUGFS "failslab/ignore-gfp-wait", "N" },
	{ FAULT_DEBUGFS "fail_page_alloc/ignore-gfp-wait", "N" },
	{ FAULT_DEBUGFS "fail_page_alloc/ignore-gfp-highmem", "N" },
	{ FAULT_DEBUGFS "fail_page_alloc/min-order", "0" },
	{ FAULT_DEBUGFS "failslab/verbose", "2" },
	{ FAULT_DEBUGFS "fail_page_alloc/verbose", "2" },
	{ FAULT_DEBUGFS "fail_usercopy/verbose", "2" },
	{ FAULT_DEBUGFS "failslab/verbose_ratelimit_interval_ms", "0" },
	{ FAULT_DEBUGFS "fail_page_alloc/verbose_ratelimit_interval_ms", "0" },
	{ FAULT_DEBUGFS "fail_usercopy/verbose_ratelimit_interval_ms", "0" },
	/* console: warnings and worse; messages without a level: not */
	{ "/proc/sys/kernel/printk", "5 6 1 7" },
};
#define FAULT_SETTINGS (sizeof(fault_settings) / sizeof(fault_settings[0]))
static char fault_old[FAULT_SETTINGS][32];

/* fault_setup: the settings made (OFF: put back); false if one failed. */
static bool fault_setup(bool off)
{
	bool ok = true;
	size_t i, len;

	for (i = 0; i < FAULT_SETTINGS; i++) {
		if (!off) {
			char *v = slurp(fault_settings[i].file, &len);

			snprintf(fault_old[i], sizeof(fault_old[i]), "%s", v);
			free(v);
		}
		ok &= write_sysctl(fault_settings[i].file,
				   off ? fault_old[i] : fault_settings[i].value);
	}
	return ok;
}

/* Frames of the allocators and of fault injection: not where a failure is. */
static bool fault_frame_inner(const char *fn)
{
	static const char * const inner[] = {
		"dump_stack", "fail_dump", "should_fail", "__should_fail",
		"should_failslab", "slab_", "kmem_cache_alloc", "__kmem_cache",
		"__kmalloc", "kmalloc", "kzalloc", "kvmalloc", "__kvmalloc",
		"alloc_pages", "__alloc_pages", "alloc_frozen", "__alloc_frozen",
		"folio_alloc", "__folio_alloc", "vma_alloc_folio", "prepare_alloc",
		"__get_free_pages", "get_zeroed_page", "_copy_from_user",
		"_copy_to_user", "copy_from_user", "copy_to_user",
		"strncpy_from_user", "kasan_", "__kasan", "kmemleak_",
		"create_object", "__create_object", "__alloc_object",
		"mem_pool_alloc", "alloc_slab", "allocate_slab", "new_slab",
		"___slab_alloc", "__slab_alloc",
	};
	size_t i;

	for (i = 0; i < sizeof(inner) / sizeof(inner[0]); i++)
		if (!strncmp(fn, inner[i], strlen(inner[i])))
			return true;
	return false;
}

/* A frame of the exec: where the path that failed came from. */
static bool fault_frame_exec(const char *fn)
{
	return strstr(fn, "flat_com") || strstr(fn, "binfmt") ||
	       strstr(fn, "exec") || strstr(fn, "bprm") ||
	       strstr(fn, "copy_string") || strstr(fn, "arg_pages");
}

/*
 * fault_site: from the kernel log records since the last call (KMSG, an
 * open /dev/kmsg), where the failure was: the fault attribute, the
 * first two callers outside the allocators and the first caller of the
 * exec's own after them, "failslab: a < b ... c"; SITE is "" if nothing
 * was logged (__GFP_NOWARN allocations log nothing).
 */
static void fault_site(int kmsg, char *site, size_t size)
{
	enum { IDLE, HEADER, TRACE } state = IDLE;
	char rec[1024], *msg, *end;
	int frames = 0;
	bool exec_seen = false;
	ssize_t n;

	site[0] = '\0';
	for (;;) {
		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten: on from the oldest */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		/* one record: "FAULT_INJECTION: ...\x0aname failslab, ..." */
		if (!strncmp(msg, "FAULT_INJECTION: forcing a failure.", 35)) {
			char *name = strstr(msg, "name ");

			state = HEADER;
			frames = 0;
			exec_seen = false;
			site[0] = '\0';
			if (name)
				snprintf(site, size, "%.*s:",
					 (int)strcspn(name + 5, ","), name + 5);
			continue;
		}
		if (state == HEADER && !strcasecmp(msg, "Call Trace:")) {
			state = TRACE;
			continue;
		}
		if (state != TRACE)
			continue;
		while (*msg == ' ')
			msg++;
		if (!strcmp(msg, "</TASK>")) {
			state = IDLE;
			continue;
		}
		end = strchr(msg, '+');
		if (!end || !strncmp(msg, "? ", 2) || exec_seen)
			continue;
		*end = '\0';
		if (fault_frame_inner(msg))
			continue;
		if (frames < 2) {
			snprintf(site + strlen(site), size - strlen(site), "%s%s",
				 frames ? " < " : " ", msg);
			frames++;
			exec_seen = fault_frame_exec(msg);
		} else if (fault_frame_exec(msg)) {
			snprintf(site + strlen(site), size - strlen(site),
				 " ... %s", msg);
			exec_seen = true;
		}
	}
}

/*
 * fault_run: C's exec with its Nth failure; how it ended, why it is bad
 * (WHY, for F_BAD), its errno or signal (*CODE), and whether the exec
 * completed with nothing failed (*DONE: the last N).
 */
static enum fault_end fault_run(const struct fault_case *c, int n, int *code,
				bool *done, char *why, size_t size)
{
	char path[64], nth[16];
	bool seized = false, execd = false, hung = false;
	int pipefd[2], st, err = 0;
	long left = -1;
	size_t len;
	char *out;
	pid_t pid;

	*code = 0;
	*done = false;
	if (pipe2(pipefd, O_CLOEXEC))
		exit(2);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		exit(2);
	if (!pid) {
		int in = open(c->in ? c->in : "/dev/null", O_RDONLY);
		int outfd = open(TMP "/out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fd = open("/proc/thread-self/fail-nth", O_WRONLY | O_CLOEXEC);

		len = snprintf(nth, sizeof(nth), "%d", n);
		if (in < 0 || outfd < 0 || fd < 0 || dup2(in, 0) < 0 ||
		    dup2(outfd, 1) < 0 || ptrace(PTRACE_TRACEME, 0, NULL, NULL) ||
		    raise(SIGSTOP))
			_exit(126);
		/* From here on, the Nth failure is armed: no more than the exec. */
		if (write(fd, nth, len) != (ssize_t)len)
			_exit(126);
		exec_or_report(c->argv[0], c->argv, c->envp, pipefd[1]);
	}
	close(pipefd[1]);
	child_timer(FAULT_SECONDS);
	for (;;) {
		hung |= wait_child(pid, &st);
		if (!WIFSTOPPED(st))
			break;
		if (WSTOPSIG(st) == SIGSTOP && !seized) {
			/* the child's own stop, before the exec */
			seized = true;
			ptrace(PTRACE_SETOPTIONS, pid, NULL,
			       (void *)(PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL));
			ptrace(PTRACE_CONT, pid, NULL, NULL);
		} else if (st >> 8 == (SIGTRAP | PTRACE_EVENT_EXEC << 8)) {
			char *v;

			execd = true;
			snprintf(path, sizeof(path), "/proc/%d/fail-nth", pid);
			v = slurp(path, &len);
			left = strtol(v, NULL, 10);
			free(v);
			*done = left > 0;
			write_sysctl(path, "0");
			ptrace(PTRACE_DETACH, pid, NULL, NULL);
		} else {
			ptrace(PTRACE_CONT, pid, NULL, (void *)(long)WSTOPSIG(st));
		}
	}
	alarm(0);
	err = exec_errno(pipefd[0]);
	if (hung) {
		snprintf(why, size, "still running after %d s", FAULT_SECONDS);
		return F_BAD;
	}
	if (!execd) {
		if (WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGKILL)) {
			*code = WTERMSIG(st);
			return F_KILLED;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127 && err && err != ENOEXEC) {
			*code = err;
			return F_ERRNO;
		}
		if (err)
			snprintf(why, size, "execve() failed: %s", strerror(err));
		else if (WIFSIGNALED(st))
			snprintf(why, size, "killed by signal %d before its exec completed",
				 WTERMSIG(st));
		else
			snprintf(why, size, "wait status %#x before its exec completed", st);
		return F_BAD;
	}
	out = slurp(TMP "/out", &len);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != c->status) {
		snprintf(why, size, "ran, wait status %#x, want exit status %d",
			 st, c->status);
		free(out);
		return F_BAD;
	}
	if (len != c->out_len || memcmp(out, c->out, len)) {
		snprintf(why, size, "ran, printed %zu bytes, want %zu: \"%.60s\"",
			 len, c->out_len, out);
		free(out);
		return F_BAD;
	}
	free(out);
	return F_RAN;
}

/*
 * fault_sites: the distinct places and ends seen for a case, with how
 * many times each, as "#" lines.
 */
struct fault_seen {
	char what[200];
	int count;
};

static void fault_note(struct fault_seen *seen, int *nseen, const char *what)
{
	int i;

	for (i = 0; i < *nseen; i++) {
		if (!strcmp(seen[i].what, what)) {
			seen[i].count++;
			return;
		}
	}
	if (*nseen == 64)
		return;
	snprintf(seen[i].what, sizeof(seen[i].what), "%s", what);
	seen[i].count = 1;
	(*nseen)++;
}

/*
 * committed_kb: Committed_AS of /proc/meminfo. A uniprocessor kernel
 * prints the counter as it is, so one that went below zero reads as a
 * huge unsigned number: taken back as the negative one it is.
 */
static long committed_kb(void)
{
	size_t len;
	char *m = slurp("/proc/meminfo", &len), *p;
	long kb;

	p = strstr(m, "Committed_AS:");
	if (!p)
		exit(2);
	kb = (long)strtoul(p + strlen("Committed_AS:"), NULL, 10);
	free(m);
	return kb;
}

/* faults: every failure of C's exec, in turn; true if each ended well. */
static bool faults(const struct fault_case *c, int kmsg)
{
	static struct fault_seen seen[64];
	int n, code, nseen = 0, errnos = 0, killed = 0, ran = 0, bad = 0, i;
	char site[160], why[160], what[200];
	bool done = false;
	enum fault_end e;
	long before, after;

	for (n = 1; n <= FAULT_MAX; n++) {
		why[0] = '\0';
		before = committed_kb();
		e = fault_run(c, n, &code, &done, why, sizeof(why));
		fault_site(kmsg, site, sizeof(site));
		if (!site[0])
			snprintf(site, sizeof(site), "(not logged)");
		after = committed_kb();
		if (e != F_BAD && after != before) {
			snprintf(why, sizeof(why),
				 "the commit charge moved by %+ld kB (Committed_AS %ld kB before)",
				 after - before, before);
			e = F_BAD;
		}
		if (e == F_BAD) {
			bad++;
			diag("%s, %s %d (%s): %s", c->name, done ? "with nothing failed, run" :
			     "failure", n, site, why);
		}
		if (done)
			break;
		if (e == F_ERRNO) {
			errnos++;
			snprintf(what, sizeof(what), "%s -> %s", site,
				 strerrorname_np(code));
		} else if (e == F_KILLED) {
			killed++;
			snprintf(what, sizeof(what), "%s -> killed (SIG%s)", site,
				 sigabbrev_np(code));
		} else if (e == F_RAN) {
			ran++;
			snprintf(what, sizeof(what), "%s -> ran", site);
		} else {
			continue;
		}
		fault_note(seen, &nseen, what);
	}
	if (!done) {
		diag("%s: still failing after %d failures", c->name, FAULT_MAX);
		bad++;
	}
	diag("%s: %d failure points: %d errno, %d killed, %d ran on; %d bad",
	     c->name, n - 1, errnos, killed, ran, bad);
	for (i = 0; i < nseen; i++)
		diag("  %3d x %s", seen[i].count, seen[i].what);
	return !bad && n > 1;	/* n == 1: nothing could fail, nothing was tested */
}

#if defined(__x86_64__)
static const unsigned char nop[] = { 0x90 };
#elif defined(__aarch64__)
static const unsigned char nop[] = { 0x1f, 0x20, 0x03, 0xd5 };
#elif defined(__riscv)
static const unsigned char nop[] = { 0x13, 0x00, 0x00, 0x00 };
#endif

/* write_nops: PATH, LEN bytes of no-ops, then TAIL (TAIL_LEN bytes). */
static void write_nops(const char *path, size_t len, const void *tail, size_t tail_len)
{
	unsigned char *image = malloc(len + tail_len);
	size_t i;

	if (!image)
		exit(2);
	for (i = 0; i < len; i += sizeof(nop))
		memcpy(image + i, nop, sizeof(nop));
	memcpy(image + len, tail, tail_len);
	write_file(path, image, len + tail_len, 0755);
	free(image);
}

#define FAULT_ARGS 64

static void fault_what(char *what, size_t size, const struct fault_case *c)
{
	snprintf(what, size,
		 "fault injection: every failure of execve() of %s in turn ends in an errno, a kill or a correct run",
		 c->name);
}

static void fault_checks(void)
{
	static char arg_text[FAULT_ARGS][72];
	static char want_echo[FAULT_ARGS * 72 + 1];
	char *tiny[] = { "./tiny.com", NULL };
	char *empty[] = { "./*." KING, NULL };
	char *calm_page[] = { TMP "/page*." KING, NULL };
	char *pages[] = { TMP "/pages.com", NULL };
	char *cat[] = { "./cat." KING, NULL };
	char *echo[FAULT_ARGS + 2] = { "./echo.com" };
	char *env[] = { "PATH=/bin", "A=1", "B=two words", NULL };
	const struct fault_case cases[] = {
		{ "tiny.com", tiny, env, NULL, 42, "", 0 },
		{ "*." KING " (empty)", empty, env, NULL, 42, "", 0 },
		{ "a calm image of a page, its epilogue on the next", calm_page,
		  env, NULL, 42, "", 0 },
		{ "a com image of four pages", pages, env, NULL, 42, "", 0 },
		{ "echo.com with 64 arguments of 64 bytes", echo, env, NULL, 0,
		  want_echo, 0 },
		{ "cat." KING " copying 64 KiB through the heap", cat, env,
		  TMP "/fault-in", 116, NULL, 64 * 1024 },
	};
	char what[160], *tiny_image;
	struct fault_case c;
	size_t i, len;
	int kmsg;

	if (access("/proc/self/fail-nth", F_OK)) {
		skip("fault injection: every failure of execve() in turn ends in an errno, a kill or a correct run",
		     "no CONFIG_FAULT_INJECTION in this kernel (the debug kernel has it)");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fault_what(what, sizeof(what), &cases[i]);
		if (wanted(what))
			break;
	}
	if (i == sizeof(cases) / sizeof(cases[0]))
		return;
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0) {
		diag("/dev/kmsg: %s", strerror(errno));
		result(false, "fault injection: the kernel log can be read");
		return;
	}
	if (!fault_setup(false)) {
		result(false, "fault injection: failslab, fail_page_alloc and fail_usercopy set up");
		fault_setup(true);
		close(kmsg);
		return;
	}
	tiny_image = slurp("tiny.com", &len);
	write_nops(TMP "/page*." KING, 4096, "", 0);
	write_nops(TMP "/pages.com", 4 * 4096 - len, tiny_image, len);
	free(tiny_image);
	want_echo[0] = '\0';
	for (i = 0; i < FAULT_ARGS; i++) {
		snprintf(arg_text[i], sizeof(arg_text[i]), "argument-%02zu-%053d", i, 0);
		echo[i + 1] = arg_text[i];
		strcat(want_echo, arg_text[i]);
		strcat(want_echo, i + 1 < FAULT_ARGS ? " " : "\n");
	}
	write_file(TMP "/fault-in", data, 64 * 1024, 0644);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = cases[i];
		if (c.out == want_echo)
			c.out_len = strlen(want_echo);
		if (!c.out)
			c.out = data;
		fault_what(what, sizeof(what), &c);
		check(what, faults, &c, kmsg);
	}
	if (!fault_setup(true))
		result(false, "fault injection: the settings put back");
	close(kmsg);
}

/*
 * The series' kselftest (tools/testing/selftests/binfmt_com), one result
 * here for each of its cases, with what a failing case said above it.
 */
#define KSELFTEST "/bin/binfmt_com_test"
#define KSELFTEST_LOG TMP "/kselftest"

/*
 * kselftest_run: the kselftest with ARGS, its stdout and stderr in LOG;
 * with NOEXEC, in a mount namespace whose /tmp is a noexec, nosuid
 * tmpfs, and a short storm. Its wait status, or -1.
 */
static int kselftest_run(char *const args[], bool noexec, char **log)
{
	char *argv[64] = { KSELFTEST };
	int status = -1, i;
	size_t len;
	pid_t pid;

	for (i = 0; args[i] && i < 62; i++)
		argv[i + 1] = args[i];
	fflush(stdout);
	pid = fork();
	if (!pid) {
		int fd = open(KSELFTEST_LOG, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		if (noexec && (unshare(CLONE_NEWNS) ||
			       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
			       mount("none", "/tmp", "tmpfs", MS_NOEXEC | MS_NOSUID, NULL) ||
			       setenv("BINFMT_COM_STORM_EXECS", "4", 1))) {
			perror("a noexec, nosuid tmpfs on /tmp");
			_exit(126);
		}
		execv(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) != pid)
		status = -1;
	*log = slurp(KSELFTEST_LOG, &len);
	return status;
}

/* The harness's progress lines, which say nothing a result does not. */
static bool kselftest_noise(const char *line)
{
	return !strncmp(line, "#  RUN", 6) || !strncmp(line, "# Totals", 8) ||
	       !strncmp(line + 1 + strspn(line + 1, " "), "OK ", 3);
}

/*
 * kselftest_relay: a result for each "ok N NAME" or "not ok N NAME" of
 * LOG; how many there were, how many failed and how many the plan
 * ("1..N") announced.
 */
static int kselftest_relay(char *log, int *failed, int *plan)
{
	char *line, *save, *name, *why, what[256];
	int cases = 0;
	bool ok;

	*failed = 0;
	*plan = -1;
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "1..", 3)) {
			*plan = atoi(line + 3);
			continue;
		}
		if (line[0] == '#') {
			if (!kselftest_noise(line))
				puts(line);
			continue;
		}
		ok = !strncmp(line, "ok ", 3);
		if (!ok && strncmp(line, "not ok ", 7))
			continue;
		name = strchr(line + (ok ? 3 : 7), ' ');
		if (!name)
			continue;
		cases++;
		*failed += !ok;
		why = strstr(++name, " # SKIP");
		if (why)
			*why = '\0';
		snprintf(what, sizeof(what), "kselftest %s", name);
		if (why)
			skip(what, why + 7 + strspn(why + 7, " "));
		else
			result(ok, what);
	}
	return cases;
}

/* kselftest_has: the kselftest said "ok N dir.NAME", not skipped. */
static bool kselftest_has(const char *log, const char *name)
{
	const char *p = log;
	size_t len = strlen(name);

	while ((p = strstr(p, name))) {
		const char *bol = p;

		while (bol > log && bol[-1] != '\n')
			bol--;
		if (!strncmp(bol, "ok ", 3) && p[-1] == ' ' &&
		    (p[len] == '\n' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

/* diag_text: TITLE, then each line of TEXT, as "#" lines. */
static void diag_text(const char *title, const char *text)
{
	const char *end;

	diag("%s", title);
	for (; *text; text = *end ? end + 1 : end) {
		end = strchrnul(text, '\n');
		diag("  %.*s", (int)(end - text), text);
	}
}

static bool kselftest_noexec_tmp(void)
{
	char *args[] = { "-t", "com_entry_state", "-t", "setuid", NULL };
	char *log;
	int status = kselftest_run(args, true, &log);
	bool ok = status == 0 && !strstr(log, "\nnot ok ") &&
		  kselftest_has(log, "dir.com_entry_state") &&
		  kselftest_has(log, "dir.setuid");

	if (!ok) {
		diag("wait status 0x%x", status);
		diag_text("the kselftest under a noexec, nosuid /tmp said:", log);
	}
	free(log);
	return ok;
}

static void kselftest_checks(void)
{
	char *args[64] = { NULL }, *log, *mounts, *after, *line, *save;
	int n = 0, status, cases, failed, plan;
	char what[256];
	size_t len;

	if (access(KSELFTEST, X_OK)) {
		result(false, "kselftest binfmt_com_test is in the initramfs");
		return;
	}
	/* The filter picks cases by name, with the harness's -t. */
	if (*filter) {
		kselftest_run((char *[]){ "-l", NULL }, false, &log);
		for (line = strtok_r(log, "\n", &save); line && n < 60;
		     line = strtok_r(NULL, "\n", &save)) {
			char *t = strrchr(line, ' ');

			if (line[0] == '#' || line[0] == '-' || !t || !t[1])
				continue;
			snprintf(what, sizeof(what), "kselftest dir.%s", t + 1);
			if (wanted(what)) {
				args[n++] = "-t";
				args[n++] = strdup(t + 1);
			}
		}
		free(log);
		if (!n)
			return;
	}
	mounts = slurp("/proc/mounts", &len);
	status = kselftest_run(args, false, &log);
	cases = kselftest_relay(log, &failed, &plan);
	free(log);
	/* A crash would end the run early: every case has its result. */
	if (cases != plan || !WIFEXITED(status) || !WEXITSTATUS(status) != !failed)
		diag("%d results of a plan of %d; wait status 0x%x", cases, plan, status);
	result(cases > 0 && cases == plan && WIFEXITED(status) &&
	       !WEXITSTATUS(status) == !failed,
	       "kselftest ran all its cases, and its exit status says the same");
	after = slurp("/proc/mounts", &len);
	if (wanted("kselftest left no mount behind")) {
		if (strcmp(mounts, after)) {
			diag_text("/proc/mounts before the kselftest:", mounts);
			diag_text("and after:", after);
		}
		result(!strcmp(mounts, after), "kselftest left no mount behind");
	}
	free(mounts);
	free(after);
	check("kselftest runs under a noexec, nosuid /tmp, skipping nothing",
	      kselftest_noexec_tmp);
}

/* The lines "1" to "N", up or down, for tac. */
static char *lines(int n, bool down, size_t *len)
{
	char *buf = malloc(n * 8 + 1), *p = buf;
	int i;

	if (!buf)
		exit(2);
	for (i = 1; i <= n; i++)
		p += sprintf(p, "%d\n", down ? n + 1 - i : i);
	*len = p - buf;
	return buf;
}

/* The C programs of scripts/com-cc (on nolibc), as NAME.EXT in /progs/c. */
static void c_checks(const char *ext)
{
	char hello[32], echo[32], env[32], cat[32], tac[32], factor[32], malloc_[32];
	char what[160], *up, *down, *cat_want;
	size_t up_len, down_len;

	snprintf(hello, sizeof(hello), "c/hello.%s", ext);
	snprintf(echo, sizeof(echo), "c/echo.%s", ext);
	snprintf(env, sizeof(env), "c/env.%s", ext);
	snprintf(cat, sizeof(cat), "c/cat.%s", ext);
	snprintf(tac, sizeof(tac), "c/tac.%s", ext);
	snprintf(factor, sizeof(factor), "c/factor.%s", ext);
	snprintf(malloc_, sizeof(malloc_), "c/malloc.%s", ext);
#define C_CHECK(fmt, ...) do {						\
	snprintf(what, sizeof(what), fmt, ext);				\
	if (wanted(what))						\
		result(__VA_ARGS__, what);				\
} while (0)
#define OUT(s) s, sizeof(s) - 1
	{
		char *argv[] = { hello, NULL };

		C_CHECK("C hello.%s prints hello, world",
			expect(argv, NULL, "", 0, 0, OUT("hello, world\n")));
	}
	{
		char *argv[] = { echo, "one", "two  three", NULL };
		char *argv_n[] = { echo, "-n", "a", "b", NULL };

		C_CHECK("C echo.%s prints its arguments",
			expect(argv, NULL, "", 0, 0, OUT("one two  three\n")));
		C_CHECK("C echo.%s -n prints no newline",
			expect(argv_n, NULL, "", 0, 0, OUT("a b")));
	}
	{
		char *argv[] = { env, NULL };
		char *argv_x[] = { env, "X", NULL };
		char *vars[] = { "A=1", "B=two words", NULL };
		char *x[] = { "X=42", NULL };
		char *none[] = { NULL };

		C_CHECK("C env.%s prints its environment",
			expect(argv, vars, "", 0, 0, OUT("A=1\nB=two words\n")));
		C_CHECK("C env.%s NAME prints its value, exits 1 if unset",
			expect(argv_x, x, "", 0, 0, OUT("42\n")) &&
			expect(argv_x, none, "", 0, 1, NULL, 0));
	}
	{
		char *argv[] = { cat, TMP "/data", "-", TMP "/data", NULL };
		char *argv_missing[] = { cat, "/nonexistent", NULL };

		cat_want = malloc(2 * data_len + 4);
		if (!cat_want)
			exit(2);
		memcpy(cat_want, data, data_len);
		memcpy(cat_want + data_len, "mid\n", 4);
		memcpy(cat_want + data_len + 4, data, data_len);
		C_CHECK("C cat.%s copies files and stdin, in order",
			expect(argv, NULL, "mid\n", 4, 0, cat_want, 2 * data_len + 4));
		free(cat_want);
		C_CHECK("C cat.%s reports a missing file and exits 1",
			expect(argv_missing, NULL, "", 0, 1, NULL, 0));
	}
	{
		char *argv[] = { tac, NULL };

		up = lines(20000, false, &up_len);
		down = lines(20000, true, &down_len);
		C_CHECK("C tac.%s reverses 20000 lines",
			expect(argv, NULL, up, up_len, 0, down, down_len));
		free(up);
		free(down);
	}
	{
		char *argv[] = { factor, "600851475143", "18446744073709551615", "1", NULL };
		char *argv_in[] = { factor, NULL };
		char *argv_bad[] = { factor, "12x", NULL };

		C_CHECK("C factor.%s factors its arguments",
			expect(argv, NULL, "", 0, 0,
			       OUT("600851475143: 71 839 1471 6857\n"
				   "18446744073709551615: 3 5 17 257 641 65537 6700417\n"
				   "1:\n")));
		C_CHECK("C factor.%s reads numbers from stdin",
			expect(argv_in, NULL, OUT("12 17\n1000000007\n"), 0,
			       OUT("12: 2 2 3\n17: 17\n1000000007: 1000000007\n")));
		C_CHECK("C factor.%s refuses 12x with status 1",
			expect(argv_bad, NULL, "", 0, 1, NULL, 0));
	}
	{
		char *argv[] = { malloc_, NULL };

		C_CHECK("C malloc.%s: 14 MB of malloc, realloc, free, and brk",
			expect(argv, NULL, "", 0, 0,
			       OUT("malloc: ok, 14451816 bytes in 48 blocks, realloc, free, 1 MiB of brk\n")));
	}
#undef C_CHECK
#undef OUT
}

/* The size of every program is part of the product. */
static void size_checks(void)
{
	size_t len;
	char *list = slurp("programs.list", &len), *line, *save;

	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char src[64], flags[128], name[64], what[160];
		long long size;

		if (line[0] == '#' || sscanf(line, "%63s %127s %63s %lld", src,
					     flags, name, &size) != 4)
			continue;
		snprintf(what, sizeof(what), "%s is %lld bytes", name, size);
		check(what, size_is, name, size);
	}
	free(list);
}

int main(int argc, char **argv)
{
	char *echo[] = { "./echo.com", "one", "two three", "", "four", NULL };
	char *echo0[] = { "./echo.com", NULL };
	char *hello[] = { "./hello.com", NULL };
	char *env[] = { "./env.com", NULL };
	char *env_vars[] = { "A=1", "B=two words", NULL };
	unsigned long x = 0x2545f4914f6cdd1dUL;
	size_t i;

	if (argc > 1)
		filter = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (chdir("/progs")) {
		perror("/progs");
		return 2;
	}
	mkdir(TMP, 0755);
	printf("TAP version 13\n");
	if (*filter)
		printf("# only the checks with '%s' in their name\n", filter);

	size_checks();
	check("tiny.com exits 42", exits, "./tiny.com", 42);
	check("*." KING " (empty) exits 42", exits, "./*." KING, 42);
	check("push42." KING " exits 42", exits, "./push42." KING, 42);
	check("heap at the end of the image's page and a fixed stack without randomization",
	      fixed_layout);
	check("heap and stack randomized otherwise", random_layout);
	check("hello.com prints hello, world", prints, hello, "hello, world\n");
	check("echo.com prints its arguments", prints, echo, "one two three  four\n");
	check("echo.com with no arguments prints a newline", prints, echo0, "\n");
	check("env.com prints its environment", prints_env, env, env_vars,
	      "A=1\nB=two words\n");
	check("echo.com with 40000 empty arguments: the stack grows under the entry tables",
	      many_arguments);
	check("tiny.com runs under a 16 KiB RLIMIT_STACK", small_stack, "./tiny.com", 42);
	check("push42." KING " runs under a 16 KiB RLIMIT_STACK", small_stack,
	      "./push42." KING, 42);
	if (sysconf(_SC_PAGESIZE) != 4096) {
		skip("entry tables beyond a 16 KiB RLIMIT_STACK: E2BIG",
		     "written for 4 KiB pages");
	} else {
		check("tiny.com with 3072 arguments under a 16 KiB RLIMIT_STACK: E2BIG",
		      stack_too_small, "./tiny.com");
		check("push42." KING " with 3072 arguments under a 16 KiB RLIMIT_STACK: E2BIG",
		      stack_too_small, "./push42." KING);
	}
	check("the rest of the last page is zeros, not what the page cache holds past the file",
	      stale_page_cache);
	check("an image started with READ_IMPLIES_EXEC runs without it",
	      no_read_implies_exec);

	/* 300 KiB of bytes of every value. */
	data_len = 300 * 1024;
	data = malloc(data_len);
	if (!data)
		return 2;
	for (i = 0; i < data_len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		data[i] = x;
	}
	write_file(TMP "/data", data, data_len, 0644);
	check("cat.com copies 300 KiB through the heap", copies, "./cat.com", 0);
	check("cat." KING " copies 300 KiB and exits 116 ('t')", copies,
	      "./cat." KING, 116);

	/* Names and sizes that are not binaries of ours. */
	copy_file("tiny.com", TMP "/.com");
	check("a file named .com alone is refused", refused, TMP "/.com");
	write_file(TMP "/empty.com", "", 0, 0755);
	check("an empty .com is refused", refused, TMP "/empty.com");
	copy_file("tiny.com", TMP "/tiny.bin");
	check("tiny.com under another name is refused", refused, TMP "/tiny.bin");
	check("vm.mmap_min_addr above 0x10000: EPERM, logged with its cause and the caller's pid first",
	      mmap_min_addr_refused);

	c_checks("com");
	c_checks(KING);
	{
		char *argv[] = { "c/hello.elf", NULL };

		check("C hello.elf (static ELF, nolibc) prints the same", expect,
		      argv, NULL, "", 0, 0, "hello, world\n", 13);
	}

	if (module_loaded("binfmt_com"))
		module_checks();
	else
		skip("the modules: unloaded, reloaded, in use while an image runs",
		     "the formats are built in");
	fault_checks();
	kselftest_checks();

	printf("1..%d\n", tap_n);
	printf("%d passed, %d failed, %d skipped\n", tap_passed, tap_failed,
	       tap_skipped);
	return tap_failed ? 1 : 0;
}
