// SPDX-License-Identifier: GPL-2.0
/*
 * A pointer in initialized data: built as a shared object (-fPIC -shared),
 * it needs a run-time relocation, which a flat binary cannot have.
 */

static int answer = 42;
int *pointer = &answer;

int main(void)
{
	return *pointer;
}
