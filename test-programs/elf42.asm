; elf42: the smallest ELF executable these tools make that exits 42, for
; the benchmarks to compare against: an ELF header, one program header
; and the same 7 bytes as tiny.com. nasm -f bin writes every byte.
bits 64
org 0x400000

ehdr:
	db 0x7f, "ELF", 2, 1, 1, 0	; 64-bit, little endian, version 1
	dq 0
	dw 2				; ET_EXEC
	dw 0x3e				; x86-64
	dd 1
	dq _start			; entry
	dq phdr - $$			; program headers
	dq 0				; no section headers
	dd 0
	dw ehdrsize, phdrsize, 1	; one program header
	dw 0, 0, 0
ehdrsize equ $ - ehdr

phdr:
	dd 1				; PT_LOAD
	dd 5				; read, execute
	dq 0				; from the start of the file
	dq $$, $$
	dq filesize, filesize
	dq 0x1000
phdrsize equ $ - phdr

_start:
	push 42
	pop rdi
	mov al, 60
	syscall

filesize equ $ - $$
