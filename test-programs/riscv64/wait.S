# wait.com: reads one byte from stdin, then exits 42. Keeps an image of
# the com format running for as long as a test needs it.
	mv	a1, sp			# read(0, sp, 1): a0 is 0
	li	a2, 1
	li	a7, 63
	ecall
	li	a0, 42
	li	a7, 93
	ecall
