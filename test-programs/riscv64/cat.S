# cat.com: reads all of stdin into the heap, growing it with brk(2),
# then writes it to stdout. Exits 0, or 1 if a read, write or brk fails.
#
# Assembled with --defsym=CALM=1 it is cat.<king>: the same, without its
# exit code. On success it falls off its end with the stack as it found
# it, so the epilogue exits with the status the loader took from the
# name ('t', 116); on failure it writes 1 to the exit word first.
	.set	CHUNK, 0x10000
	li	a7, 214			# brk(0): where the heap starts
	ecall
	mv	s0, a0			# start of the data
	mv	s1, a0			# end of the data
	mv	s2, a0			# end of the heap
read:	li	t0, CHUNK		# room for one more chunk?
	add	a0, s1, t0
	bleu	a0, s2, room
	mv	s3, a0
	li	a7, 214
	ecall
	bltu	a0, s3, fail
	mv	s2, a0
room:	li	a0, 0			# read(0, end, CHUNK)
	mv	a1, s1
	li	a2, CHUNK
	li	a7, 63
	ecall
	bltz	a0, fail
	beqz	a0, eof
	add	s1, s1, a0
	j	read
eof:	mv	a1, s0
write:	sub	a2, s1, a1
	beqz	a2, ok
	li	a0, 1
	li	a7, 64
	ecall
	bltz	a0, fail
	add	a1, a1, a0
	j	write
.ifdef CALM
fail:	li	t0, 1
	sd	t0, 0(sp)
ok:					# fall into the epilogue
.else
ok:	li	a0, 0
	j	exit
fail:	li	a0, 1
exit:	li	a7, 93
	ecall
.endif
