; wait.com: reads one byte from stdin, then exits 42. Keeps an image of
; the com format running for as long as a test needs it.
bits 64
	mov rsi, rsp		; read(0, rsp, 1): rax and rdi are 0
	mov edx, 1
	syscall
	push 42
	pop rdi
	mov al, 60
	syscall
