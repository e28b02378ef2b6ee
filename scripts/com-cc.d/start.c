// SPDX-License-Identifier: GPL-2.0
/*
 * The startup of a C program built by scripts/com-cc: the first bytes of
 * the flat image, run at 0x10000.
 *
 * The kernel leaves, at the stack pointer, the words argc, argv and envp
 * (pointers to the NULL-terminated arrays above them), 16-byte aligned;
 * a calm image gets its exit status on top, in one word on x86-64 and a
 * 16-byte slot on arm64 and riscv64. There is no
 * auxiliary vector. This turns that into main(argc, argv, envp), runs
 * the constructors and destructors as nolibc's own startup would, and
 * exits with what main returns. nolibc provides the rest.
 */
/* nolibc comes first, through -include nolibc.h. */

#ifndef COM_CALM
#error "build with -DCOM_CALM=0 (.com) or -DCOM_CALM=1 (calm)"
#endif

/* An empty auxiliary vector (AT_NULL), so that getauxval() finds nothing. */
static const unsigned long com_no_auxv[2];

extern void (*const __preinit_array_start[])(int, char **, char **) __attribute__((weak));
extern void (*const __preinit_array_end[])(int, char **, char **) __attribute__((weak));
extern void (*const __init_array_start[])(int, char **, char **) __attribute__((weak));
extern void (*const __init_array_end[])(int, char **, char **) __attribute__((weak));
extern void (*const __fini_array_start[])(void) __attribute__((weak));
extern void (*const __fini_array_end[])(void) __attribute__((weak));

void __attribute__((noreturn, used)) com_start_c(long *sp)
{
	/* Whatever its prototype in the program, main gets three arguments. */
	int com_main(int, char **, char **) __asm__("main");
	void (*const *ctor)(int, char **, char **);
	void (*const *dtor)(void);
	int argc = (int)sp[0];
	char **argv = (char **)sp[1];
	char **envp = (char **)sp[2];
	int status;

	environ = envp;
	_auxv = com_no_auxv;
	for (ctor = __preinit_array_start; ctor < __preinit_array_end; ctor++)
		(*ctor)(argc, argv, envp);
	for (ctor = __init_array_start; ctor < __init_array_end; ctor++)
		(*ctor)(argc, argv, envp);
	status = com_main(argc, argv, envp);
	for (dtor = __fini_array_end; dtor > __fini_array_start;)
		(*--dtor)();
	exit(status);
}

/*
 * The entry, placed first in the image by the linker script: drop the
 * calm exit word (main's status wins), clear the outermost frame, and
 * call com_start_c with the stack pointer 16-byte aligned, as each ABI
 * wants at a call.
 */
#if defined(__x86_64__)
__asm__(
"	.section .text.com_start, \"ax\", @progbits\n"
"	.globl com_start\n"
"com_start:\n"
#if COM_CALM
"	pop %rax\n"		/* one word */
#endif
"	xor %ebp, %ebp\n"
"	mov %rsp, %rdi\n"
"	and $-16, %rsp\n"
"	call com_start_c\n"
"	hlt\n"
"	.previous\n");
#elif defined(__aarch64__)
__asm__(
"	.section .text.com_start, \"ax\", @progbits\n"
"	.globl com_start\n"
"com_start:\n"
#if COM_CALM
"	add sp, sp, #16\n"	/* a 16-byte slot */
#endif
"	mov x29, #0\n"
"	mov x30, #0\n"
"	mov x0, sp\n"
"	bl com_start_c\n"
"	brk #0\n"
"	.previous\n");
#elif defined(__riscv) && __riscv_xlen == 64
__asm__(
"	.section .text.com_start, \"ax\", @progbits\n"
"	.globl com_start\n"
"com_start:\n"
#if COM_CALM
"	addi sp, sp, 16\n"	/* a 16-byte slot */
#endif
"	li fp, 0\n"
"	li ra, 0\n"
"	mv a0, sp\n"
"	andi sp, sp, -16\n"
"	call com_start_c\n"
"	ebreak\n"
"	.previous\n");
#else
#error "scripts/com-cc knows the entry of x86-64, arm64 and riscv64 only"
#endif
