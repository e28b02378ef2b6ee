; cat.com: reads all of stdin into the heap, growing it with brk(2), then
; writes it to stdout. Exits 0, or 1 if a read, write or brk fails.
;
; Assembled with -DCALM it is cat.<king>: the same, without its exit
; code. On success it falls off its end with the stack as it found it,
; so the epilogue exits with the status the loader took from the name
; ('t', 116); on failure it pushes 1 first.
bits 64
org 0x10000
CHUNK	equ 65536
	mov al, 12		; brk(0): where the heap starts
	syscall
	mov r12, rax		; start of the data
	mov r13, rax		; end of the data
	mov r14, rax		; end of the heap
.read:	lea rdi, [r13 + CHUNK]	; room for one more chunk?
	cmp rdi, r14
	jbe .room
	mov eax, 12
	syscall
	cmp rax, rdi
	jb .fail
	mov r14, rax
.room:	xor eax, eax		; read(0, end, CHUNK)
	xor edi, edi
	mov rsi, r13
	mov edx, CHUNK
	syscall
	test rax, rax
	js .fail
	jz .eof
	add r13, rax
	jmp .read
.eof:	mov rsi, r12
.write:	mov rdx, r13
	sub rdx, rsi
	jz .ok
	mov eax, 1
	mov edi, 1
	syscall
	test rax, rax
	js .fail
	add rsi, rax
	jmp .write
%ifdef CALM
.fail:	push 1
.ok:				; fall into the epilogue
%else
.ok:	xor edi, edi
	jmp .exit
.fail:	mov edi, 1
.exit:	mov eax, 60
	syscall
%endif
