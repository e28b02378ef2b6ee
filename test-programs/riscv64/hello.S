# hello.com: prints "hello, world".
	li	a0, 1
	la	a1, msg
	li	a2, 13
	li	a7, 64		# __NR_write
	ecall
	li	a0, 0
	li	a7, 93		# __NR_exit
	ecall
msg:	.ascii	"hello, world\n"
