; elf42: the smallest ELF executable these tools make that exits 42, for
; the benchmarks to compare against: 112 bytes, an ELF header and one
; program header with the same 7 bytes as tiny.com. Two tricks that
; binfmt_elf accepts make it small: the code sits in the padding of
; e_ident, and the program header starts at the header's last 8 bytes
; (e_phnum 1 and e_shentsize 0 read as p_type PT_LOAD, e_shnum 5 and
; e_shstrndx 0 as p_flags R+X; there are no section headers to count).
; nasm -f bin writes every byte.
bits 64
org 0x400000

ehdr:
	db 0x7f, "ELF", 2, 1, 1, 0	; 64-bit, little endian, version 1
_start:					; e_ident's 8 bytes of padding
	push 42
	pop rdi
	mov al, 60
	syscall
	db 0
	dw 2				; ET_EXEC
	dw 0x3e				; x86-64
	dd 1
	dq _start			; entry
	dq phdr - $$			; program headers
	dq 0				; no section headers
	dd 0
	dw phdr - ehdr + 8, phdrsize	; e_ehsize 64, e_phentsize 56
phdr:
	dw 1, 0				; e_phnum, e_shentsize / p_type PT_LOAD
	dw 5, 0				; e_shnum, e_shstrndx / p_flags R+X
	dq 0				; from the start of the file
	dq $$, $$
	dq filesize, filesize
	dq 0x1000
phdrsize equ $ - phdr

filesize equ $ - $$
