// SPDX-License-Identifier: GPL-2.0
/* hello: the first program, in C, on nolibc. */

int main(void)
{
	printf("hello, world\n");
	return 0;
}
