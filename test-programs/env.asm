; env.com: prints its environment, one string a line.
; Entry stack: [rsp] argc, [rsp + 8] argv, [rsp + 16] envp.
bits 64
org 0x10000
	mov rbx, [rsp + 16]
.next:	mov rsi, [rbx]
	test rsi, rsi
	jz .done
	call puts
	mov al, 10
	call putc
	add rbx, 8
	jmp .next
.done:	mov eax, 60
	xor edi, edi
	syscall

%include "lib.inc"
