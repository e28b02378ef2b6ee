; layout.com: prints where its heap and stack start, as
; "brk=<16 hex digits> sp=<16 hex digits>": brk(0) and rsp at entry.
bits 64
org 0x10000
	mov rbx, rsp
	mov al, 12		; brk(0)
	syscall
	mov r12, rax
	mov rsi, s_brk
	call puts
	mov rax, r12
	call puthex
	mov rsi, s_sp
	call puts
	mov rax, rbx
	call puthex
	mov al, 10
	call putc
	mov eax, 60
	xor edi, edi
	syscall
s_brk:	db "brk=", 0
s_sp:	db " sp=", 0

%include "lib.inc"
%include "hex.inc"
