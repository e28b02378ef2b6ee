# echo.com: prints its arguments, separated by spaces, and a newline.
# Entry stack: 0(sp) argc, 8(sp) argv, 16(sp) envp.
	ld	s0, 8(sp)
	addi	s0, s0, 8		# skip argv[0]
	ld	a1, 0(s0)
	beqz	a1, done
next:	jal	puts
	addi	s0, s0, 8
	ld	a1, 0(s0)
	beqz	a1, done
	li	a0, ' '
	jal	putc
	ld	a1, 0(s0)
	j	next
done:	li	a0, 10
	jal	putc
	li	a0, 0
	li	a7, 93
	ecall

	.include "lib.inc"
