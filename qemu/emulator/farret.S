/* SPDX-License-Identifier: GPL-2.0 */
/*
 * farret.S - a user-mode far return to code selector 0.  On hardware the
 * CPU raises #GP and the kernel sends SIGSEGV.  QEMU 7.2's TCG instead
 * raises a page fault on the stack read as a supervisor access from user
 * mode, which the guest kernel reports as an Oops (with or without
 * binfmt_trace loaded).  docs/hardening.md, "Emulator issues".
 */
	.globl _start
_start:
	push	$0
	push	$0
	lretq
