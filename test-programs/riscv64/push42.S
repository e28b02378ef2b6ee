# The calm program that exits 42 on riscv64, 6 bytes with the compressed
# c.sdsp (8 without): it overwrites the exit word on top of the stack,
# which the epilogue passes to exit(2).
	li	t0, 42
	sd	t0, 0(sp)
