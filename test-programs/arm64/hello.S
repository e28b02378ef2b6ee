// hello.com: prints "hello, world".
	mov	x0, #1
	adr	x1, msg
	mov	x2, #13
	mov	x8, #64		// __NR_write
	svc	#0
	mov	x0, #0
	mov	x8, #93		// __NR_exit
	svc	#0
msg:	.ascii	"hello, world\n"
