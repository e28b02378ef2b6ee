// SPDX-License-Identifier: GPL-2.0
/*
 * factor [NUMBER...]: the prime factors of each number (64-bit, by trial
 * division), from the arguments or, without any, from standard input.
 */

static int factor(const char *s)
{
	unsigned long long n, d;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (!*s || *s == '-' || *end || errno) {
		fprintf(stderr, "factor: '%s' is not a valid positive integer\n", s);
		return 1;
	}
	printf("%llu:", n);
	while (n > 1 && !(n % 2)) {
		printf(" 2");
		n /= 2;
	}
	for (d = 3; d <= n / d; d += 2) {
		while (!(n % d)) {
			printf(" %llu", d);
			n /= d;
		}
	}
	if (n > 1)
		printf(" %llu", n);
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	char word[32];
	int status = 0;
	size_t len = 0;
	int c, i;

	for (i = 1; i < argc; i++)
		status |= factor(argv[i]);
	if (argc > 1)
		return status;

	do {
		c = getchar();
		if (c == EOF || c == ' ' || c == '\t' || c == '\n') {
			if (len) {
				word[len] = 0;
				status |= factor(word);
				len = 0;
			}
		} else if (len < sizeof(word) - 1) {
			word[len++] = c;
		}
	} while (c != EOF);
	return status;
}
