; echo.com: prints its arguments, separated by spaces, and a newline.
; Entry stack: [rsp] argc, [rsp + 8] argv, [rsp + 16] envp.
bits 64
org 0x10000
	mov rbx, [rsp + 8]
	add rbx, 8		; skip argv[0]
	mov rsi, [rbx]
	test rsi, rsi
	jz .done
.next:	call puts
	add rbx, 8
	mov rsi, [rbx]
	test rsi, rsi
	jz .done
	mov al, ' '
	call putc
	mov rsi, [rbx]
	jmp .next
.done:	mov al, 10
	call putc
	mov eax, 60
	xor edi, edi
	syscall

%include "lib.inc"
