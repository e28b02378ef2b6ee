// cat.com: reads all of stdin into the heap, growing it with brk(2),
// then writes it to stdout. Exits 0, or 1 if a read, write or brk fails.
//
// Assembled with --defsym=CALM=1 it is cat.<king>: the same, without its
// exit code. On success it falls off its end with the stack as it found
// it, so the epilogue exits with the status the loader took from the
// name ('t', 116); on failure it writes 1 to the exit word first.
	.set	CHUNK, 0x10000
	mov	x8, #214		// brk(0): where the heap starts
	svc	#0
	mov	x19, x0			// start of the data
	mov	x20, x0			// end of the data
	mov	x21, x0			// end of the heap
read:	add	x0, x20, #CHUNK		// room for one more chunk?
	cmp	x0, x21
	b.ls	room
	mov	x22, x0
	mov	x8, #214
	svc	#0
	cmp	x0, x22
	b.lo	fail
	mov	x21, x0
room:	mov	x0, #0			// read(0, end, CHUNK)
	mov	x1, x20
	mov	x2, #CHUNK
	mov	x8, #63
	svc	#0
	cmp	x0, #0
	b.lt	fail
	b.eq	eof
	add	x20, x20, x0
	b	read
eof:	mov	x1, x19
write:	subs	x2, x20, x1
	b.eq	ok
	mov	x0, #1
	mov	x8, #64
	svc	#0
	cmp	x0, #0
	b.lt	fail
	add	x1, x1, x0
	b	write
.ifdef CALM
fail:	mov	x0, #1
	str	x0, [sp]
ok:					// fall into the epilogue
.else
ok:	mov	x0, #0
	b	exit
fail:	mov	x0, #1
exit:	mov	x8, #93
	svc	#0
.endif
