// layout.com: prints where its heap and stack start, as
// "brk=<16 hex digits> sp=<16 hex digits>": brk(0) and sp at entry.
	mov	x19, sp
	mov	x0, #0
	mov	x8, #214		// brk(0)
	svc	#0
	mov	x20, x0
	adr	x1, s_brk
	bl	puts
	mov	x0, x20
	bl	puthex
	adr	x1, s_sp
	bl	puts
	mov	x0, x19
	bl	puthex
	mov	w0, #10
	bl	putc
	mov	x0, #0
	mov	x8, #93
	svc	#0
s_brk:	.asciz	"brk="
s_sp:	.asciz	" sp="
	.balign	4

	.include "lib.inc"
