/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of every coded value an event carries, as the lists of
 * { value, "name" } that ftrace's __print_symbolic() and __print_flags()
 * take.  The tracepoints' TP_printk() (tracepoints.h) prints with them, so
 * perf, trace-cmd and the tracefs files show names, never codes; anything
 * that needs a name for a value takes it from here too.
 *
 * __print_symbolic() prints a value missing from its list as "0x%lx".
 * Some lists use that on purpose: BFT_NONE_SYMBOLS names only the value
 * that means "none" ("-"), so every other value prints in hex.
 *
 * docs/trace-format.md documents the names.
 */
#ifndef BFT_TRACE_SYMBOLS_H
#define BFT_TRACE_SYMBOLS_H

#include <linux/auxvec.h>
#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/mman.h>

#include "trace.h"

/*
 * uapi since 6.3.  6.1 never puts them in the auxv, but the names are the
 * same for both kernels.
 */
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE	27
#define AT_RSEQ_ALIGN		28
#endif

/* obj=: enum bft_object. */
#define BFT_OBJ_SYMBOLS					\
	{ BFT_OBJ_EXE,		"exe" },		\
	{ BFT_OBJ_INTERP,	"interp" },		\
	{ BFT_OBJ_LIB,		"lib" },		\
	{ BFT_OBJ_HEAP,		"heap" },		\
	{ BFT_OBJ_STACK,	"stack" },		\
	{ BFT_OBJ_ANON,		"anon" },		\
	{ BFT_OBJ_VDSO,		"vdso" },		\
	{ BFT_OBJ_VVAR,		"vvar" },		\
	{ BFT_OBJ_NONE,		"none" },		\
	{ BFT_OBJ_UNKNOWN,	"unknown" }

/* access=: enum bft_access. */
#define BFT_ACCESS_SYMBOLS				\
	{ BFT_ACCESS_READ,	"read" },		\
	{ BFT_ACCESS_WRITE,	"write" },		\
	{ BFT_ACCESS_EXEC,	"exec" }

/* mode=: enum bft_mode. */
#define BFT_MODE_SYMBOLS				\
	{ BFT_MODE_USER,	"user" },		\
	{ BFT_MODE_KERNEL,	"kernel" },		\
	{ BFT_MODE_REMOTE,	"remote" }

/* result= of page_fault: enum bft_result. */
#define BFT_LOCK_SYMBOLS				\
	{ BFT_LOCK_MMAP,	"mmap" },		\
	{ BFT_LOCK_VMA,		"vma" },		\
	{ BFT_LOCK_NONE,	"-" }

#define BFT_RESULT_SYMBOLS				\
	{ BFT_RESULT_MINOR,	"minor" },		\
	{ BFT_RESULT_MAJOR,	"major" },		\
	{ BFT_RESULT_RETRY,	"retry" },		\
	{ BFT_RESULT_SIGSEGV,	"sigsegv" },		\
	{ BFT_RESULT_SIGBUS,	"sigbus" },		\
	{ BFT_RESULT_OOM,	"oom" },		\
	{ BFT_RESULT_NONE,	"-" }

/* cache=: enum bft_cache. */
#define BFT_CACHE_SYMBOLS				\
	{ BFT_CACHE_NONE,	"-" },			\
	{ BFT_CACHE_HIT,	"hit" },		\
	{ BFT_CACHE_MISS,	"miss" }

/* exec_stack=: EXSTACK_*, from PT_GNU_STACK. */
#define BFT_EXEC_STACK_SYMBOLS				\
	{ EXSTACK_DEFAULT,	"default" },		\
	{ EXSTACK_DISABLE_X,	"disable" },		\
	{ EXSTACK_ENABLE_X,	"enable" }

/* type= of load_start: e_type. */
#define BFT_ELF_TYPE_SYMBOLS				\
	{ ET_EXEC,		"EXEC" },		\
	{ ET_DYN,		"DYN" }

/* type= of load_phdr: p_type, as readelf names it without PT_. */
#define BFT_PHDR_TYPE_SYMBOLS				\
	{ PT_NULL,		"NULL" },		\
	{ PT_LOAD,		"LOAD" },		\
	{ PT_DYNAMIC,		"DYNAMIC" },		\
	{ PT_INTERP,		"INTERP" },		\
	{ PT_NOTE,		"NOTE" },		\
	{ PT_SHLIB,		"SHLIB" },		\
	{ PT_PHDR,		"PHDR" },		\
	{ PT_TLS,		"TLS" },		\
	{ PT_GNU_EH_FRAME,	"GNU_EH_FRAME" },	\
	{ PT_GNU_STACK,		"GNU_STACK" },		\
	{ PT_GNU_RELRO,		"GNU_RELRO" },		\
	{ PT_GNU_PROPERTY,	"GNU_PROPERTY" }

/*
 * flags= of load_phdr: the eight combinations of PF_R, PF_W, PF_X as
 * readelf's letters without its spaces; any other bit makes the value
 * print in hex.
 */
#define BFT_PHDR_FLAGS_SYMBOLS				\
	{ 0,			"-" },			\
	{ PF_R,			"R" },			\
	{ PF_W,			"W" },			\
	{ PF_X,			"E" },			\
	{ PF_R | PF_W,		"RW" },			\
	{ PF_R | PF_X,		"RE" },			\
	{ PF_W | PF_X,		"WE" },			\
	{ PF_R | PF_W | PF_X,	"RWE" }

/* prot=: the eight combinations of PROT_READ, PROT_WRITE, PROT_EXEC. */
#define BFT_PROT_SYMBOLS					\
	{ 0,						"---" },	\
	{ PROT_READ,					"r--" },	\
	{ PROT_WRITE,					"-w-" },	\
	{ PROT_EXEC,					"--x" },	\
	{ PROT_READ | PROT_WRITE,			"rw-" },	\
	{ PROT_READ | PROT_EXEC,			"r-x" },	\
	{ PROT_WRITE | PROT_EXEC,			"-wx" },	\
	{ PROT_READ | PROT_WRITE | PROT_EXEC,		"rwx" }

/* A mapping type since 6.11 (uapi); 6.1's mmap() rejects it. */
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE		0x08
#endif

/*
 * flags= of load_map and mmap, for __print_flags() with "|": the mapping
 * type first (SHARED_VALIDATE is both type bits, so it must come before
 * SHARED), then single bits in the order of their values; the bits left
 * over (the MAP_HUGE_* size of MAP_HUGETLB among them) print last in hex.
 */
#define BFT_MAP_FLAGS_SYMBOLS				\
	{ MAP_SHARED_VALIDATE,	"SHARED_VALIDATE" },	\
	{ MAP_SHARED,		"SHARED" },		\
	{ MAP_PRIVATE,		"PRIVATE" },		\
	{ MAP_DROPPABLE,	"DROPPABLE" },		\
	{ MAP_FIXED,		"FIXED" },		\
	{ MAP_ANONYMOUS,	"ANONYMOUS" },		\
	{ MAP_32BIT,		"32BIT" },		\
	{ MAP_GROWSDOWN,	"GROWSDOWN" },		\
	{ MAP_DENYWRITE,	"DENYWRITE" },		\
	{ MAP_EXECUTABLE,	"EXECUTABLE" },		\
	{ MAP_LOCKED,		"LOCKED" },		\
	{ MAP_NORESERVE,	"NORESERVE" },		\
	{ MAP_POPULATE,		"POPULATE" },		\
	{ MAP_NONBLOCK,		"NONBLOCK" },		\
	{ MAP_STACK,		"STACK" },		\
	{ MAP_HUGETLB,		"HUGETLB" },		\
	{ MAP_SYNC,		"SYNC" },		\
	{ MAP_FIXED_NOREPLACE,	"FIXED_NOREPLACE" }

/* flags= of mremap: MREMAP_* without MREMAP_, joined by "|". */
#define BFT_MREMAP_FLAGS_SYMBOLS			\
	{ MREMAP_MAYMOVE,	"MAYMOVE" },		\
	{ MREMAP_FIXED,		"FIXED" },		\
	{ MREMAP_DONTUNMAP,	"DONTUNMAP" }

/* key= of load_auxv: the AT_* names of the ids. */
#define BFT_AT(id)	{ id, #id }
#define BFT_AUXV_SYMBOLS						\
	BFT_AT(AT_NULL), BFT_AT(AT_IGNORE), BFT_AT(AT_EXECFD),		\
	BFT_AT(AT_PHDR), BFT_AT(AT_PHENT), BFT_AT(AT_PHNUM),		\
	BFT_AT(AT_PAGESZ), BFT_AT(AT_BASE), BFT_AT(AT_FLAGS),		\
	BFT_AT(AT_ENTRY), BFT_AT(AT_NOTELF), BFT_AT(AT_UID),		\
	BFT_AT(AT_EUID), BFT_AT(AT_GID), BFT_AT(AT_EGID),		\
	BFT_AT(AT_PLATFORM), BFT_AT(AT_HWCAP), BFT_AT(AT_CLKTCK),	\
	BFT_AT(AT_SECURE), BFT_AT(AT_BASE_PLATFORM), BFT_AT(AT_RANDOM),	\
	BFT_AT(AT_HWCAP2), BFT_AT(AT_RSEQ_FEATURE_SIZE),		\
	BFT_AT(AT_RSEQ_ALIGN), BFT_AT(AT_EXECFN),			\
	BFT_AT(AT_SYSINFO_EHDR), BFT_AT(AT_MINSIGSTKSZ)

/*
 * result= of load_map, mmap and mremap: the mapped address, or for a
 * failure the negative errno that vm_mmap(), the loader and the system
 * calls return, by name.  An errno not listed prints as a 64-bit hex
 * number.
 */
#define BFT_MAP_ERRNO_SYMBOLS				\
	{ -EPERM,	"-1" },				\
	{ -ENOENT,	"-2" },				\
	{ -EINTR,	"-4" },				\
	{ -EIO,		"-5" },				\
	{ -ENXIO,	"-6" },				\
	{ -EBADF,	"-9" },				\
	{ -EAGAIN,	"-11" },			\
	{ -ENOMEM,	"-12" },			\
	{ -EACCES,	"-13" },			\
	{ -EFAULT,	"-14" },			\
	{ -EEXIST,	"-17" },			\
	{ -ENODEV,	"-19" },			\
	{ -EINVAL,	"-22" },			\
	{ -ENFILE,	"-23" },			\
	{ -EMFILE,	"-24" },			\
	{ -ETXTBSY,	"-26" },			\
	{ -EFBIG,	"-27" },			\
	{ -EOVERFLOW,	"-75" },				\
	{ -EOPNOTSUPP,	"-95" }

/*
 * An absent value: ip=, off= of page_fault.  The value that means "none"
 * prints as "-", every other one in hex.
 */
#define BFT_NONE_SYMBOLS(none)	{ none, "-" }

#endif /* BFT_TRACE_SYMBOLS_H */
