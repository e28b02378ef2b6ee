; hello.com: prints "hello, world" and exits 0.
; Registers start at zero: eax, edx need only their low byte.
bits 64
org 0x10000
	inc eax			; write
	mov edi, eax		; fd 1
	mov esi, msg
	mov dl, len
	syscall
	push 60			; exit, whatever write returned
	pop rax
	xor edi, edi
	syscall
msg:	db "hello, world", 10
len	equ $ - msg
