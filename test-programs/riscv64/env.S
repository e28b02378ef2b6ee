# env.com: prints its environment, one string a line.
	ld	s0, 16(sp)		# envp
	ld	a1, 0(s0)
	beqz	a1, done
next:	jal	puts
	li	a0, 10
	jal	putc
	addi	s0, s0, 8
	ld	a1, 0(s0)
	bnez	a1, next
done:	li	a0, 0
	li	a7, 93
	ecall

	.include "lib.inc"
