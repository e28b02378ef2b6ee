// wait.com: reads one byte from stdin, then exits 42. Keeps an image of
// the com format running for as long as a test needs it.
	mov	x1, sp			// read(0, sp, 1): x0 is 0
	mov	x2, #1
	mov	x8, #63
	svc	#0
	mov	x0, #42
	mov	x8, #93
	svc	#0
