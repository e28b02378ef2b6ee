// SPDX-License-Identifier: GPL-2.0
/*
 * malloc: allocate, fill, check, grow and free blocks over several
 * megabytes (nolibc's malloc maps them), then move the program break
 * with brk() and use the heap the kernel put behind the image. Exits 0
 * and says "ok" only if every byte read back is the one written.
 */

#define BLOCKS	48

static unsigned char pattern(int block, size_t i)
{
	return (unsigned char)(block * 31 + i * 7 + (i >> 12));
}

static int check(const unsigned char *p, int block, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != pattern(block, i)) {
			fprintf(stderr, "malloc: block %d byte %lu is wrong\n",
				block, (unsigned long)i);
			return 1;
		}
	}
	return 0;
}

int main(void)
{
	unsigned char *blk[BLOCKS];
	size_t len[BLOCKS], total = 0, i;
	char *brk0, *p;
	int b;

	for (b = 0; b < BLOCKS; b++) {
		len[b] = 4096 * (b + 1) * 3 + b;
		blk[b] = malloc(len[b]);
		if (!blk[b]) {
			fprintf(stderr, "malloc: block %d of %lu bytes failed\n",
				b, (unsigned long)len[b]);
			return 1;
		}
		for (i = 0; i < len[b]; i++)
			blk[b][i] = pattern(b, i);
		total += len[b];
	}
	for (b = 0; b < BLOCKS; b++)
		if (check(blk[b], b, len[b]))
			return 1;
	for (b = 0; b < BLOCKS; b += 2) {
		p = realloc(blk[b], 2 * len[b]);
		if (!p || check((unsigned char *)p, b, len[b]))
			return 1;
		blk[b] = (unsigned char *)p;
	}
	for (b = 0; b < BLOCKS; b++)
		free(blk[b]);

	/* The heap: brk(2) behind the image. */
	brk0 = sbrk(0);
	if (brk0 == (void *)-1 || brk(brk0 + (1 << 20))) {
		fprintf(stderr, "malloc: brk failed\n");
		return 1;
	}
	for (i = 0; i < (1 << 20); i++)
		brk0[i] = pattern(BLOCKS, i);
	if (check((unsigned char *)brk0, BLOCKS, 1 << 20) ||
	    sbrk(0) != brk0 + (1 << 20) || brk(brk0)) {
		fprintf(stderr, "malloc: the heap is wrong\n");
		return 1;
	}
	printf("malloc: ok, %lu bytes in %d blocks, realloc, free, 1 MiB of brk\n",
	       (unsigned long)total, BLOCKS);
	return 0;
}
