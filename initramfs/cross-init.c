// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's /init on the architectures without Debian's busybox there
 * (arm64 and riscv64 boot this one). It mounts /proc, /sys and /dev,
 * loads the modules of /lib/modules, and does what the kernel command
 * line's flatcom= asks, as init.sh does on x86-64:
 *   flatcom=test   the checks every architecture runs
 *                  (/bin/flatcom-checks, initramfs/checks.c), the
 *                  kselftest among them; with flatcom.filter=WORD only
 *                  those with WORD in their name, with flatcom.storm=N
 *                  a storm of N execs in the kselftest
 *   flatcom=run    run tiny.com and *.<king> from /progs, each as the
 *                  shell would ("$ ./tiny.com; echo $?"), and show their
 *                  exit statuses
 *   flatcom=shell  a prompt that runs one program a line (no shell:
 *                  there is none on these guests) and shows its exit
 *                  status
 *   flatcom=bench  time the programs of /bench, in the order of
 *                  /bench/order (flatcom.rounds=R, flatcom.execs=N: see
 *                  /bin/bench, initramfs/bench.c), and print their CSV
 *                  between "bench-csv-begin" and "bench-csv-end", as
 *                  init.sh does
 *   flatcom=probe  nothing: the boot only checks that init starts
 * There is no isa-debug-exit device on these machines: the verdict is a
 * console line, "flatcom: verdict N" (0: passed), and then the machine
 * powers off (PSCI on arm64, SBI on riscv64).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void verdict(int status)
{
	printf("flatcom: verdict %d\n", status);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* Only if the machine did not power off: panic, which -no-reboot ends. */
	exit(status);
}

/* Load every module of /lib/modules, twice, as init.sh does. */
static void load_modules(void)
{
	int round;

	for (round = 1; round <= 2; round++) {
		struct dirent *d;
		DIR *dir = opendir("/lib/modules");

		if (!dir)
			return;
		while ((d = readdir(dir))) {
			char path[300];
			int fd;

			if (!strstr(d->d_name, ".ko"))
				continue;
			snprintf(path, sizeof(path), "/lib/modules/%s", d->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST &&
			    round == 2)
				printf("init: insmod %s failed: %s\n", path,
				       strerror(errno));
			close(fd);
		}
		closedir(dir);
	}
}

/* flatcom.storm=N: the kselftest's storm of execs, in its environment. */
static char storm[64];

/* Run ARGV as a shell would, and return what "echo $?" would show. */
static int run(char *const argv[])
{
	const char *path = argv[0];
	char *envp[] = { "PATH=/bin", storm[0] ? storm : NULL, NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 127;
	if (!pid) {
		execve(path, argv, envp);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 127;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* What bench's timings are taken with, at the start and at the end. */
static void clock_report(const char *when)
{
	char clock[64] = "unknown";
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	if (f) {
		if (fgets(clock, sizeof(clock), f))
			clock[strcspn(clock, "\n")] = '\0';
		fclose(f);
	}
	printf("guest clocksource%s%s: %s\n", when ? " at the " : "", when ? when : "", clock);
}

/* flatcom=bench: /bin/bench ROUNDS EXECS, on the programs of /bench/order. */
static int bench(const char *rounds, const char *execs)
{
	char *argv[16] = { "/bin/bench", (char *)rounds, (char *)execs };
	static char names[16][64];
	int argc = 3, rc;
	FILE *order;

	if (chdir("/bench") || !(order = fopen("order", "r"))) {
		perror("init: /bench/order");
		return 1;
	}
	while (argc < 15 && fgets(names[argc], sizeof(names[argc]), order)) {
		names[argc][strcspn(names[argc], "\n")] = '\0';
		argv[argc] = names[argc];
		argc++;
	}
	fclose(order);
	argv[argc] = NULL;
	printf("bench: %s rounds of %s execs of each program\n", rounds, execs);
	printf("bench-csv-begin\n");
	rc = run(argv);
	printf("bench-csv-end\n");
	clock_report("end");
	return rc;
}

/*
 * The prompt of flatcom=shell: each line is a program and its arguments,
 * split at blanks, run from /progs; "cd DIR" and "exit" are understood.
 */
static void prompt(void)
{
	char line[1024];

	printf("No shell here: each line runs one program with its arguments (split at\n"
	       "blanks, no quoting) and shows its exit status. Try ./tiny.com, ./*.\u265a\n"
	       "or ./echo.com a b. Leave with exit.\n");
	for (;;) {
		char *argv[64], *word;
		int argc = 0;

		printf("%s ", getuid() ? "$" : "#");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return;
		for (word = strtok(line, " \t\n"); word && argc < 63;
		     word = strtok(NULL, " \t\n"))
			argv[argc++] = word;
		argv[argc] = NULL;
		if (!argc)
			continue;
		if (!strcmp(argv[0], "exit"))
			return;
		if (!strcmp(argv[0], "cd")) {
			if (chdir(argc > 1 ? argv[1] : "/progs"))
				printf("cd: %s\n", strerror(errno));
			continue;
		}
		printf("[exit status %d]\n", run(argv));
	}
}

int main(void)
{
	static const char * const progs[] = { "./tiny.com", "./*.\u265a" };
	char cmdline[4096] = "";
	const char *mode = "test", *filter = "", *rounds = "21", *execs = "200";
	int fd, status = 0;
	unsigned int i;
	char *arg;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* scripts/accel and scripts/boot wait for this line. */
	printf("flatcom: init started\n");
	/* No modprobe: keep the kernel from calling one for unknown formats. */
	fd = open("/proc/sys/kernel/modprobe", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "\n", 1) != 1)
			perror("init: /proc/sys/kernel/modprobe");
		close(fd);
	}

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);

		cmdline[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	for (arg = strtok(cmdline, " \n"); arg; arg = strtok(NULL, " \n"))
		if (!strncmp(arg, "flatcom=", 8))
			mode = arg + 8;
		else if (!strncmp(arg, "flatcom.filter=", 15))
			filter = arg + 15;
		else if (!strncmp(arg, "flatcom.rounds=", 15))
			rounds = arg + 15;
		else if (!strncmp(arg, "flatcom.execs=", 14))
			execs = arg + 14;
		else if (!strncmp(arg, "flatcom.storm=", 14))
			snprintf(storm, sizeof(storm),
				 "BINFMT_COM_STORM_EXECS=%s", arg + 14);
	if (!strcmp(mode, "probe"))
		verdict(0);

	load_modules();
	if (!strcmp(mode, "bench")) {
		clock_report(NULL);
		verdict(bench(rounds, execs));
	}
	if (!strcmp(mode, "test")) {
		char *argv[] = { "/bin/flatcom-checks", (char *)filter, NULL };

		verdict(run(argv));
	}
	if (chdir("/progs")) {
		perror("init: /progs");
		verdict(1);
	}
	if (!strcmp(mode, "shell")) {
		prompt();
		verdict(0);
	}
	if (strcmp(mode, "run")) {
		printf("init: flatcom=%s is not there on this architecture (test, run, shell, bench, probe)\n",
		       mode);
		verdict(1);
	}
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		char *argv[] = { (char *)progs[i], NULL };
		int rc;

		printf("$ %s; echo $?\n", progs[i]);
		rc = run(argv);
		printf("%d\n", rc);
		if (rc != 42)
			status = 1;
	}
	verdict(status);
	return 1;
}
