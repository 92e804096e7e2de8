// SPDX-License-Identifier: GPL-2.0
/*
 * The sanity checks of load_elf_binary(), as pure functions.
 *
 * Each check mirrors one test of fs/binfmt_elf.c (identical in the 6.1 and
 * 6.12 kernels we target) and returns the errno the stock loader returns
 * for it, so that a malformed ELF fails the same way inside a wrapper as
 * it does bare.  No kernel service is called here: see elf_check.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "elf_check.h"

/**
 * bft_check_wrapper_fields - validate a decoded wrapper header
 * @wrapper: the header, already known to carry BFT_MAGIC
 * @file_size: size of the whole wrapped file
 *
 * The ELF must start on a page boundary, so that its segments can be
 * mapped straight from the wrapped file, and must run to the end of the
 * file, so that nothing hides behind it.
 *
 * Return: NULL if the header is good, else why it is not (for the log).
 */
const char *bft_check_wrapper_fields(const struct bft_wrapper *wrapper,
				     __u64 file_size)
{
	if (wrapper->version != BFT_VERSION)
		return "unknown version";
	if (wrapper->header_size != sizeof(struct bft_header))
		return "bad header_size";
	if (wrapper->flags & ~(__u32)BFT_FLAGS_KNOWN)
		return "unknown flags";
	if (wrapper->elf_offset == 0 ||
	    wrapper->elf_offset % BFT_ELF_ALIGN != 0)
		return "elf_offset is not a non-zero multiple of the page size";
	if (wrapper->elf_offset >= file_size)
		return "elf_offset is beyond the end of the file";
	if (wrapper->elf_size != file_size - wrapper->elf_offset)
		return "elf_offset + elf_size is not the file size";
	return NULL;
}

static int bft_has_elf_magic(const struct elf64_hdr *ehdr)
{
	return ehdr->e_ident[EI_MAG0] == ELFMAG0 &&
	       ehdr->e_ident[EI_MAG1] == ELFMAG1 &&
	       ehdr->e_ident[EI_MAG2] == ELFMAG2 &&
	       ehdr->e_ident[EI_MAG3] == ELFMAG3;
}

/*
 * elf_check_fdpic() is false on every architecture without FDPIC ELF, x86
 * included; the function keeps the order of the stock checks visible.
 */
static int bft_elf_check_fdpic(const struct elf64_hdr *ehdr)
{
	return 0;
}

/**
 * bft_check_elf_header - the "simple consistency checks" of load_elf_binary
 * @ehdr: the ELF header of the wrapped executable
 *
 * Return: 0, or -ENOEXEC as stock returns for every failure here.
 */
int bft_check_elf_header(const struct elf64_hdr *ehdr)
{
	if (!bft_has_elf_magic(ehdr))
		return -ENOEXEC;
	if (ehdr->e_type != ET_EXEC && ehdr->e_type != ET_DYN)
		return -ENOEXEC;
	if (ehdr->e_machine != BFT_ELF_MACHINE)
		return -ENOEXEC;
	if (bft_elf_check_fdpic(ehdr))
		return -ENOEXEC;
	return 0;
}

/**
 * bft_check_phdrs_size - the checks load_elf_phdrs() makes before reading
 * @ehdr: the ELF header whose program header table is about to be read
 * @size: set to the size of the table in bytes on success
 *
 * The product cannot overflow: e_phnum is 16 bits.  Stock caps the table
 * at 64 KiB and at one page; the page is the tighter bound.
 *
 * Return: 0, or -ENOEXEC.  load_elf_phdrs() reports every failure as NULL,
 * which the caller turns into -ENOEXEC (executable) or -ELIBBAD
 * (interpreter).
 */
int bft_check_phdrs_size(const struct elf64_hdr *ehdr, __u32 *size)
{
	__u32 total;

	if (ehdr->e_phentsize != sizeof(struct elf64_phdr))
		return -ENOEXEC;

	total = (__u32)sizeof(struct elf64_phdr) * ehdr->e_phnum;
	if (total == 0 || total > 65536 || total > BFT_ELF_MIN_ALIGN)
		return -ENOEXEC;

	*size = total;
	return 0;
}

/**
 * bft_check_interp_size - bound the PT_INTERP path before reading it
 * @phdr: the PT_INTERP program header
 *
 * Return: 0, or -ENOEXEC for a path longer than PATH_MAX or too short to
 * hold one character and its NUL.
 */
int bft_check_interp_size(const struct elf64_phdr *phdr)
{
	if (phdr->p_filesz > BFT_PATH_MAX || phdr->p_filesz < 2)
		return -ENOEXEC;
	return 0;
}

/**
 * bft_check_interp_path - the PT_INTERP path must be NUL-terminated
 * @path: the bytes read from the file
 * @size: their number, p_filesz, already checked to be at least 2
 *
 * Return: 0, or -ENOEXEC.
 */
int bft_check_interp_path(const char *path, __u64 size)
{
	if (path[size - 1] != '\0')
		return -ENOEXEC;
	return 0;
}

/**
 * bft_check_interp_header - "Some simple consistency checks for the
 * interpreter" of load_elf_binary, made before the point of no return
 * @ehdr: the interpreter's ELF header
 *
 * The interpreter's e_type is not checked here; stock checks it only in
 * load_elf_interp(), after the point of no return (bft_check_interp_type).
 *
 * Return: 0, or -ELIBBAD.
 */
int bft_check_interp_header(const struct elf64_hdr *ehdr)
{
	if (!bft_has_elf_magic(ehdr))
		return -ELIBBAD;
	if (ehdr->e_machine != BFT_ELF_MACHINE || bft_elf_check_fdpic(ehdr))
		return -ELIBBAD;
	return 0;
}

/**
 * bft_check_interp_type - the first checks of load_elf_interp()
 * @ehdr: the interpreter's ELF header
 *
 * Stock fails these with its initial error value ~0UL, which
 * load_elf_binary() truncates to (int)-1, that is -EPERM.  The task is
 * killed anyway, the point of no return being passed.
 *
 * Return: 0, or -EPERM.
 */
int bft_check_interp_type(const struct elf64_hdr *ehdr)
{
	if (ehdr->e_type != ET_EXEC && ehdr->e_type != ET_DYN)
		return -EPERM;
	if (ehdr->e_machine != BFT_ELF_MACHINE || bft_elf_check_fdpic(ehdr))
		return -EPERM;
	return 0;
}

/**
 * bft_check_load_segment - does a PT_LOAD fit in the task's address space
 * @phdr: the PT_LOAD program header
 * @load_addr: what stock adds to p_vaddr before the check: 0 for the
 *	executable (it checks the unbiased address), the bias for the
 *	interpreter
 * @task_size: TASK_SIZE of the task being set up
 * @error: what to return on failure: stock uses -EINVAL in
 *	load_elf_binary() and -ENOMEM in load_elf_interp()
 *
 * p_filesz must not exceed p_memsz, so only p_memsz needs bounding.
 *
 * Return: 0, or @error.
 */
int bft_check_load_segment(const struct elf64_phdr *phdr, __u64 load_addr,
			   __u64 task_size, int error)
{
	__u64 start = load_addr + phdr->p_vaddr;

	if (start >= task_size || phdr->p_filesz > phdr->p_memsz ||
	    phdr->p_memsz > task_size || task_size - phdr->p_memsz < start)
		return error;
	return 0;
}
