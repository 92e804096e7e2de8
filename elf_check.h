/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sanity checks of load_elf_binary(), as pure functions.
 *
 * Everything declared here looks only at bytes already read from the file
 * and returns the errno the stock loader returns for the same input.  It
 * uses no kernel service, only types and constants that the UAPI headers
 * also give userspace, so elf_check.c can be built into a fuzz harness.
 */
#ifndef BFT_ELF_CHECK_H
#define BFT_ELF_CHECK_H

#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/types.h>

#include "bft_format.h"

/* ELF_MIN_ALIGN of fs/binfmt_elf.c on x86_64: PAGE_SIZE. */
#define BFT_ELF_MIN_ALIGN	4096UL
/* PATH_MAX, the bound load_elf_binary() puts on PT_INTERP. */
#define BFT_PATH_MAX		4096
/* elf_check_arch() of x86_64's asm/elf.h accepts only this machine. */
#define BFT_ELF_MACHINE		EM_X86_64

/**
 * struct bft_wrapper - struct bft_header decoded to host byte order
 * @version: format version, must be BFT_VERSION
 * @header_size: must be sizeof(struct bft_header)
 * @flags: BFT_FLAG_* bits, all within BFT_FLAGS_KNOWN
 * @elf_offset: where the ELF starts in the file
 * @elf_size: how long the ELF is
 * @label: the label, always NUL-terminated here
 */
struct bft_wrapper {
	__u16	version;
	__u16	header_size;
	__u32	flags;
	__u64	elf_offset;
	__u64	elf_size;
	char	label[BFT_LABEL_LEN + 1];
};

const char *bft_check_wrapper_fields(const struct bft_wrapper *wrapper,
				     __u64 file_size);
int bft_check_elf_header(const struct elf64_hdr *ehdr);
int bft_check_phdrs_size(const struct elf64_hdr *ehdr, __u32 *size);
int bft_check_interp_size(const struct elf64_phdr *phdr);
int bft_check_interp_path(const char *path, __u64 size);
int bft_check_interp_header(const struct elf64_hdr *ehdr);
int bft_check_interp_type(const struct elf64_hdr *ehdr);
int bft_check_load_segment(const struct elf64_phdr *phdr, __u64 load_addr,
			   __u64 task_size, int error);

#endif /* BFT_ELF_CHECK_H */
