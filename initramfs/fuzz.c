// SPDX-License-Identifier: GPL-2.0
/*
 * flatcom-fuzz [--seed S] [--cases N] [--seconds T] [--case K]: random
 * execs of com and calm files, for the debug kernel's checkers to watch
 * (KASAN, lockdep, kmemleak: the harness reads the console).
 *
 * Each case is made from the seed and its number alone, so that
 * "--seed S --case K" runs case K of a run again by itself: a file of
 * random size (empty to a few pages, often at a page edge), under a
 * random name around the suffixes (.com, the king, parts of it, upper
 * case, long names, paths at PATH_MAX), run with random argument and
 * environment counts and lengths (up to and past the limits), and at
 * times random rlimits and personality bits. Each runs in a child, with
 * a time limit.
 *
 * The images are not random code: one that runs must show that it is
 * this file's. Most start with a prologue that sums the image's bytes
 * and exits with the sum, so that an image run with another file's (or
 * the old image's) contents exits with another status; others jump to
 * their own end, where calm's epilogue exits with the name's status and
 * com's zeros fault; the smallest are no-ops. What the contract says of
 * the name, the size and the limits (no format: ENOEXEC; an empty com:
 * ENOEXEC; a string over 128 KiB: E2BIG) decides what each case must
 * do; under random rlimits, an errno of the limits (E2BIG, ENOMEM,
 * EFBIG) or SIGSEGV (past the point of no return) is allowed too, and
 * E2BIG for more than 1 MiB of strings (the limit is a quarter of the
 * stack's, 2 MiB by default, less what the exec puts there first).
 *
 * Prints TAP: one result for the run, with a "#" line for each case
 * that did what it must not (with the command that replays it), a
 * progress line every 100 cases, and the tally. x86-64 only: the
 * prologue is x86-64 code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

#define KING "\xe2\x99\x9a"
#define DIR "/tmp/fuzz"
#define PAGE 4096
#define CASE_SECONDS 20
#define MAX_ARG_STRLEN (32 * PAGE)

static uint64_t rng;

static uint64_t next(void)
{
	return splitmix64(&rng);
}

static unsigned int below(unsigned int n)
{
	return next() % n;
}

enum format { NONE, COM, CALM };
enum kind { SUM, TO_END, NOPS };

struct fcase {
	char path[PATH_MAX + 64];
	enum format format;
	unsigned char exit_char;	/* calm: the byte before the dot */
	enum kind kind;
	unsigned char *image;
	size_t size;
	char **argv, **envp;
	bool too_long;			/* a string over MAX_ARG_STRLEN */
	size_t arg_bytes;		/* the strings and their pointers */
	bool limited;			/* random rlimits */
	struct rlimit stack, data, as;
	unsigned long persona;
	char what[256];
};

/* A directory whose path is DEEP_LEN bytes: names there reach PATH_MAX. */
static char deep[PATH_MAX];

static void make_deep(void)
{
	char part[201];
	size_t len;

	memset(part, 'd', 200);
	part[200] = '\0';
	snprintf(deep, sizeof(deep), "%s", DIR);
	mkdir(deep, 0755);
	while ((len = strlen(deep)) + 202 < PATH_MAX - 120) {
		snprintf(deep + len, sizeof(deep) - len, "/%s", part);
		if (mkdir(deep, 0755) && errno != EEXIST) {
			perror(deep);
			exit(2);
		}
	}
}

static const char * const suffixes[] = {
	".com", ".com", ".com", ".com", ".com", ".com",
	"." KING, "." KING, "." KING, "." KING, "." KING, "." KING,
	".COM", ".Com", ".co", "com", "." "\xe2\x99", "." "\xe2", KING,
	"." "\xe2\x99\x9b", ".com." KING, "." KING ".com", "." KING "x",
	".com.", "", ".exe",
};

/* The format the contract gives BASE. */
static enum format format_of(const char *base, unsigned char *exit_char)
{
	size_t len = strlen(base);

	if (len > 4 && !strcmp(base + len - 4, ".com"))
		return COM;
	if (len > 4 && !strcmp(base + len - 4, "." KING)) {
		*exit_char = base[len - 5];
		return CALM;
	}
	return NONE;
}

static void make_name(struct fcase *c)
{
	static const char chars[] = "abcXYZ019*-_.~ ";
	char base[NAME_MAX + 1];
	const char *suffix = suffixes[below(sizeof(suffixes) / sizeof(suffixes[0]))];
	size_t stem, i, max = NAME_MAX - strlen(suffix);
	unsigned int r = below(10);

	if (r == 0)
		stem = 0;
	else if (r < 8)
		stem = 1 + below(8);
	else
		stem = max - below(4);
	for (i = 0; i < stem; i++)
		base[i] = r == 9 && i < stem - 1 ? 'L' : chars[below(sizeof(chars) - 1)];
	strcpy(base + stem, suffix);
	if (!strcmp(base, "") || !strcmp(base, ".") || !strcmp(base, ".."))
		strcat(base, "x");	/* a file, not the directory */
	if (below(8) == 0) {
		/* near PATH_MAX: as long as fits, or one byte past */
		size_t room = PATH_MAX - 1 - strlen(deep) - 1;

		if (strlen(base) < room) {
			size_t pad = room - strlen(base) + below(2);

			if (pad > NAME_MAX - strlen(base))
				pad = NAME_MAX - strlen(base);
			memmove(base + pad, base, strlen(base) + 1);
			memset(base, 'p', pad);
		}
		snprintf(c->path, sizeof(c->path), "%s/%s", deep, base);
	} else {
		snprintf(c->path, sizeof(c->path), "%s/%s", DIR, base);
	}
	c->format = format_of(base, &c->exit_char);
}

/* The prologue of SUM: the image's byte sum, low byte, as exit status. */
static const unsigned char sum_prologue[] = {
	0x31, 0xd2,			/* xor %edx, %edx */
	0xb9, 0, 0, 0, 0,		/* mov $size, %ecx */
	0xbe, 0x00, 0x00, 0x01, 0x00,	/* mov $0x10000, %esi */
	0x0f, 0xb6, 0x06,		/* 1: movzbl (%rsi), %eax */
	0x01, 0xc2,			/* add %eax, %edx */
	0x48, 0xff, 0xc6,		/* inc %rsi */
	0xff, 0xc9,			/* dec %ecx */
	0x75, 0xf4,			/* jnz 1b */
	0x0f, 0xb6, 0xfa,		/* movzbl %dl, %edi */
	0xb8, 0x3c, 0x00, 0x00, 0x00,	/* mov $60, %eax */
	0x0f, 0x05,			/* syscall */
};

static void make_image(struct fcase *c)
{
	unsigned int r = below(10);
	size_t i, min;

	c->kind = r < 6 ? SUM : r < 9 ? TO_END : NOPS;
	min = c->kind == SUM ? sizeof(sum_prologue) : c->kind == TO_END ? 5 : 0;
	if (c->kind == NOPS) {
		c->size = below(5);
	} else if (below(2)) {
		/* at a page edge */
		c->size = PAGE * (1 + below(3)) + below(17) - 8;
	} else {
		c->size = min + below(3 * PAGE);
	}
	if (c->size < min)
		c->size = min;
	c->image = malloc(c->size + 1);
	if (!c->image)
		exit(2);
	for (i = 0; i < c->size; i++)
		c->image[i] = c->kind == NOPS ? 0x90 : next();
	if (c->kind == SUM) {
		uint32_t size = c->size;

		memcpy(c->image, sum_prologue, sizeof(sum_prologue));
		memcpy(c->image + 3, &size, 4);
	} else if (c->kind == TO_END) {
		int32_t rel = c->size - 5;

		c->image[0] = 0xe9;	/* jmp to 0x10000 + size */
		memcpy(c->image + 1, &rel, 4);
	}
}

/*
 * Strings for argv or envp (NULL-terminated): mostly a few short ones,
 * at times hundreds or thousands (near the 2 MiB the default stack
 * allows), and in one list in 32 one over MAX_ARG_STRLEN.
 */
static char **make_strings(struct fcase *c, bool env)
{
	unsigned int r = below(10), count, i, too_long = ~0U;
	char **v;

	count = r < 6 ? below(8) : r < 9 ? below(300) : below(3000);
	if (!env && count == 0 && below(2))
		count = 1;
	if (count && below(32) == 0)
		too_long = below(count);
	v = calloc(count + 1, sizeof(*v));
	if (!v)
		exit(2);
	for (i = 0; i < count; i++) {
		size_t len = i == too_long ? MAX_ARG_STRLEN - 1 + below(3) :
			     below(count > 300 ? 20 : 10) ? below(64) : below(8 * PAGE);
		size_t j;

		if (len >= MAX_ARG_STRLEN)
			c->too_long = true;
		c->arg_bytes += len + 1 + sizeof(char *);
		v[i] = malloc(len + 1);
		if (!v[i])
			exit(2);
		for (j = 0; j < len; j++)
			v[i][j] = 'a' + below(26);
		v[i][len] = '\0';
		if (env && len > 1)
			v[i][len / 2] = '=';
	}
	return v;
}

static rlim_t pick(const rlim_t *from, unsigned int n)
{
	return from[below(n)];
}

static void make_case(struct fcase *c, uint64_t seed, unsigned long k)
{
	static const rlim_t stacks[] = { 16 << 10, 64 << 10, 1 << 20, 8 << 20, RLIM_INFINITY };
	static const rlim_t datas[] = { 0, 4 << 10, 64 << 10, 1 << 20, RLIM_INFINITY };
	static const rlim_t ases[] = { 256 << 10, 1 << 20, 16 << 20, RLIM_INFINITY };
	static const unsigned long flags[] = {
		ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, ADDR_LIMIT_3GB,
		ADDR_COMPAT_LAYOUT, MMAP_PAGE_ZERO, ADDR_LIMIT_32BIT,
		SHORT_INODE, WHOLE_SECONDS, STICKY_TIMEOUTS, UNAME26,
	};
	unsigned int i;

	memset(c, 0, sizeof(*c));
	rng = seed ^ (k * 0xd1342543de82ef95ULL);
	next();
	make_name(c);
	make_image(c);
	c->argv = make_strings(c, false);
	c->envp = make_strings(c, true);
	if (below(4) == 0) {
		c->limited = true;
		c->stack.rlim_cur = c->stack.rlim_max = pick(stacks, 5);
		c->data.rlim_cur = c->data.rlim_max = pick(datas, 5);
		c->as.rlim_cur = c->as.rlim_max = pick(ases, 4);
	}
	if (below(4) == 0)
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (below(3) == 0)
				c->persona |= flags[i];
	snprintf(c->what, sizeof(c->what), "%s %zu bytes (%s), %s%s",
		 c->format == COM ? "com" : c->format == CALM ? "calm" : "no format",
		 c->size, c->kind == SUM ? "sums itself" : c->kind == TO_END ?
		 "jumps to its end" : "no-ops", c->limited ? "rlimits, " : "",
		 c->persona ? "personality bits" : "default personality");
}

static void free_case(struct fcase *c)
{
	char **v;

	for (v = c->argv; *v; v++)
		free(*v);
	for (v = c->envp; *v; v++)
		free(*v);
	free(c->argv);
	free(c->envp);
	free(c->image);
}

/* How the cases ended: "exited", a signal's name or an errno's. */
static struct {
	const char *what;
	unsigned long count;
} ends[32];

static void tally(const char *what)
{
	int i;

	for (i = 0; i < 32 && ends[i].what; i++)
		if (!strcmp(ends[i].what, what))
			break;
	if (i == 32)
		return;
	ends[i].what = what;
	ends[i].count++;
}

/* run_case: true if the case did what the contract says; WHY if not. */
static bool run_case(struct fcase *c, char *why, size_t size)
{
	int pipefd[2], st, err, want_status = -1, fd;
	bool hung, ok;
	unsigned int sum = 0;
	size_t i;
	pid_t pid;

	unlink(c->path);
	fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 && errno != ENAMETOOLONG) {
		snprintf(why, size, "cannot write the file: %s", strerror(errno));
		return false;
	}
	if (fd >= 0) {
		if (write(fd, c->image, c->size) != (ssize_t)c->size) {
			snprintf(why, size, "cannot write the file: %s", strerror(errno));
			close(fd);
			return false;
		}
		close(fd);
	}
	if (pipe2(pipefd, O_CLOEXEC))
		exit(2);
	pid = fork();
	if (pid < 0)
		exit(2);
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		if ((c->limited && (setrlimit(RLIMIT_STACK, &c->stack) ||
				    setrlimit(RLIMIT_DATA, &c->data) ||
				    setrlimit(RLIMIT_AS, &c->as))) ||
		    (c->persona && personality(c->persona) < 0)) {
			/* not an errno: any exit status may be the image's */
			int none = -1;

			if (write(pipefd[1], &none, sizeof(none)) != sizeof(none))
				_exit(125);
			_exit(126);
		}
		exec_or_report(c->path, c->argv, c->envp, pipefd[1]);
	}
	close(pipefd[1]);
	child_timer(CASE_SECONDS);
	hung = wait_child(pid, &st);
	alarm(0);
	err = exec_errno(pipefd[0]);
	if (fd >= 0)
		unlink(c->path);
	if (hung) {
		snprintf(why, size, "still running after %d s", CASE_SECONDS);
		return false;
	}
	if (err > 0)
		tally(strerrorname_np(err));
	else if (WIFSIGNALED(st))
		tally(sigabbrev_np(WTERMSIG(st)));
	else
		tally("exited");
	if (err == -1) {
		snprintf(why, size, "the child could not set its limits");
		return false;
	}

	/* What the contract says. */
	if (fd < 0) {
		ok = err == ENAMETOOLONG;
		snprintf(why, size, "a path over PATH_MAX: %s, want ENAMETOOLONG",
			 err ? strerror(err) : "it ran");
		return ok;
	}
	/* The strings are copied before any format is asked. */
	if (c->too_long) {
		ok = err == E2BIG;
		snprintf(why, size, "a string over 128 KiB: %s, want E2BIG",
			 err ? strerror(err) : "it ran");
		return ok;
	}
	/* Near a quarter of the 8 MiB stack, the strings may not fit. */
	if (c->arg_bytes > (1 << 20) && err == E2BIG)
		return true;
	if (c->limited && (err == E2BIG || err == ENOMEM || err == EFBIG))
		return true;
	if (c->format == NONE || (c->format == COM && !c->size)) {
		ok = err == ENOEXEC;
		snprintf(why, size, "%s, want ENOEXEC", err ? strerror(err) : "it ran");
		return ok;
	}
	if (err == ENOEXEC) {
		snprintf(why, size, "ENOEXEC for a file of the format");
		return false;
	}
	if (c->limited && !err && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		return true;
	if (c->kind == SUM) {
		for (i = 0; i < c->size; i++)
			sum += c->image[i];
		want_status = sum & 0xff;
	} else if (c->format == CALM) {
		want_status = c->exit_char;
	}
	if (err) {
		snprintf(why, size, "execve() failed: %s", strerror(err));
		return false;
	}
	if (want_status < 0) {
		/* com past its end: the zeros fault */
		ok = WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
		snprintf(why, size, "wait status %#x, want SIGSEGV", st);
		return ok;
	}
	ok = WIFEXITED(st) && WEXITSTATUS(st) == want_status;
	snprintf(why, size, "wait status %#x, want exit status %d", st, want_status);
	return ok;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0;
	unsigned long cases = 100, seconds = 0, only = 0, k, failed = 0, n = 0;
	bool seeded = false, one = false;
	time_t start = time(NULL);
	struct fcase c;
	char why[256];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
			seeded = true;
		} else if (!strcmp(argv[i], "--cases") && i + 1 < argc) {
			cases = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--case") && i + 1 < argc) {
			only = strtoul(argv[++i], NULL, 0);
			one = true;
		} else {
			fprintf(stderr, "usage: flatcom-fuzz [--seed S] [--cases N] [--seconds T] [--case K]\n");
			return 2;
		}
	}
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ts.tv_sec * 1000000007ULL ^ ts.tv_nsec;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir(DIR, 0755);
	make_deep();
	printf("# fuzz: seed %llu (flatcom-fuzz --seed %llu --case K replays case K)\n",
	       (unsigned long long)seed, (unsigned long long)seed);
	for (k = one ? only : 0;; k++) {
		if (one ? k > only : seconds ? time(NULL) - start >= (time_t)seconds : k >= cases)
			break;
		make_case(&c, seed, k);
		if (!run_case(&c, why, sizeof(why))) {
			failed++;
			printf("# case %lu: %s: %s (flatcom-fuzz --seed %llu --case %lu)\n",
			       k, c.what, why, (unsigned long long)seed, k);
		}
		free_case(&c);
		n++;
		if (n % 100 == 0)
			printf("# fuzz: %lu cases, %lu failed, %ld s\n", n, failed,
			       (long)(time(NULL) - start));
	}
	printf("# fuzz: how the cases ended:");
	for (i = 0; i < 32 && ends[i].what; i++)
		printf(" %s %lu%s", ends[i].what, ends[i].count,
		       i + 1 < 32 && ends[i + 1].what ? "," : "\n");
	printf("%sok 1 - fuzz: %lu random execs of com and calm files (seed %llu) did what the contract says\n",
	       failed ? "not " : "", n, (unsigned long long)seed);
	printf("1..1\n%d passed, %d failed, 0 skipped\n", failed ? 0 : 1, failed ? 1 : 0);
	return failed ? 1 : 0;
}
