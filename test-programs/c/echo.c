// SPDX-License-Identifier: GPL-2.0
/* echo [-n] [ARG...]: the arguments, separated by spaces. */

int main(int argc, char **argv)
{
	int newline = 1;
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i = 2;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	return 0;
}
