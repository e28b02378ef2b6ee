// SPDX-License-Identifier: GPL-2.0
/* Thread-local storage, which a flat binary has no TLS block for. */

__thread int counter = 40;

int main(int argc, char **argv)
{
	counter += argc + (argv[0] != 0);
	return counter;
}
