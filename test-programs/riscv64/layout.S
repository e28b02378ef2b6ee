# layout.com: prints where its heap and stack start, as
# "brk=<16 hex digits> sp=<16 hex digits>": brk(0) and sp at entry.
	mv	s0, sp
	li	a0, 0
	li	a7, 214			# brk(0)
	ecall
	mv	s1, a0
	la	a1, s_brk
	jal	puts
	mv	a0, s1
	jal	puthex
	la	a1, s_sp
	jal	puts
	mv	a0, s0
	jal	puthex
	li	a0, 10
	jal	putc
	li	a0, 0
	li	a7, 93
	ecall
s_brk:	.asciz	"brk="
s_sp:	.asciz	" sp="
	.balign	4

	.include "lib.inc"
