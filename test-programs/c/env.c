// SPDX-License-Identifier: GPL-2.0
/*
 * env: the environment, one variable a line, from main's envp.
 * env NAME...: the value of each (getenv), 1 if one is not set.
 */

int main(int argc, char **argv, char **envp)
{
	int status = 0;
	const char *value;
	int i;

	if (argc < 2) {
		for (; *envp; envp++)
			puts(*envp);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		value = getenv(argv[i]);
		if (value)
			puts(value);
		else
			status = 1;
	}
	return status;
}
