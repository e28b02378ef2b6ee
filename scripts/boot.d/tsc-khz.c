// SPDX-License-Identifier: GPL-2.0
/*
 * tsc-khz: print the host's TSC frequency in kHz, measured against
 * CLOCK_MONOTONIC_RAW over 200 ms. Under qemu's TCG the guest's TSC is
 * the host's, and a tinyconfig guest (no ACPI, so no HPET or PM timer)
 * often fails to calibrate it against the emulated PIT and falls back
 * to the jiffies clock; scripts/boot passes this figure as tsc_early_khz.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	int64_t t0, t1;
	uint64_t c0, c1;

	t0 = now_ns();
	c0 = __rdtsc();
	do
		t1 = now_ns();
	while (t1 - t0 < 200000000);
	c1 = __rdtsc();
	printf("%llu\n",
	       (unsigned long long)((c1 - c0) * 1000000ULL / (uint64_t)(t1 - t0)));
	return 0;
}
