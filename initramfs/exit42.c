// SPDX-License-Identifier: GPL-2.0
/* exit42: what the benchmarks run in every format, as C. */

int main(void)
{
	return 42;
}
