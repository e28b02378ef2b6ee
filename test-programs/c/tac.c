// SPDX-License-Identifier: GPL-2.0
/*
 * tac [FILE...]: the lines of the files (or of standard input), last line
 * first. A last line without a newline gets one. The input is read into
 * one buffer that grows with realloc().
 */

static char *buf;
static size_t len, size;

static int slurp(int fd, const char *name)
{
	ssize_t n;

	for (;;) {
		if (len == size) {
			size = size ? 2 * size : 4096;
			buf = realloc(buf, size);
			if (!buf) {
				fprintf(stderr, "tac: out of memory\n");
				exit(1);
			}
		}
		n = read(fd, buf + len, size - len);
		if (n < 0) {
			fprintf(stderr, "tac: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (!n)
			return 0;
		len += n;
	}
}

int main(int argc, char **argv)
{
	int status = 0;
	size_t end, start;
	int i, fd;

	if (argc < 2)
		status = slurp(0, "-");
	for (i = 1; i < argc; i++) {
		fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;
		if (fd < 0) {
			fprintf(stderr, "tac: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= slurp(fd, argv[i]);
		if (fd)
			close(fd);
	}

	end = len;
	if (end && buf[end - 1] == '\n')
		end--;
	while (len) {
		start = end;
		while (start && buf[start - 1] != '\n')
			start--;
		write(1, buf + start, end - start);
		write(1, "\n", 1);
		if (!start)
			break;
		end = start - 1;
	}
	free(buf);
	return status;
}
