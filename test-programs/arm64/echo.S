// echo.com: prints its arguments, separated by spaces, and a newline.
// Entry stack: [sp] argc, [sp + 8] argv, [sp + 16] envp.
	ldr	x19, [sp, #8]
	ldr	x1, [x19, #8]!		// skip argv[0]
	cbz	x1, done
next:	bl	puts
	ldr	x1, [x19, #8]!
	cbz	x1, done
	mov	w0, #' '
	bl	putc
	ldr	x1, [x19]
	b	next
done:	mov	w0, #10
	bl	putc
	mov	x0, #0
	mov	x8, #93
	svc	#0

	.include "lib.inc"
