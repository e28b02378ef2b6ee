// SPDX-License-Identifier: GPL-2.0
/* cat [FILE...]: the files, or standard input ("-" or no FILE), in order. */

static int copy(int fd, const char *name)
{
	char buf[4096];
	ssize_t n, done, w;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (done = 0; done < n; done += w) {
			w = write(1, buf + done, n - done);
			if (w < 0) {
				perror("cat: write");
				return 1;
			}
		}
	}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;
	int i, fd;

	if (argc < 2)
		return copy(0, "-");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			status |= copy(0, "-");
			continue;
		}
		fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
