// env.com: prints its environment, one string a line.
	ldr	x19, [sp, #16]		// envp
	ldr	x1, [x19]
	cbz	x1, done
next:	bl	puts
	mov	w0, #10
	bl	putc
	ldr	x1, [x19, #8]!
	cbnz	x1, next
done:	mov	x0, #0
	mov	x8, #93
	svc	#0

	.include "lib.inc"
