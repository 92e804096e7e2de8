/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bft_format.h - the binfmt_trace wrapper format, shared by the kernel
 * module and the bft tool.  See docs/format.md.
 *
 * A wrapped executable is a small header, zero padding up to a page
 * boundary, then an unmodified ELF file.  Because the ELF starts on a page
 * boundary, its segments can be mapped straight from the wrapped file.
 */
#ifndef BFT_FORMAT_H
#define BFT_FORMAT_H

#include <linux/types.h>

/* The release of the module and of bft, as --version and modinfo say. */
#define BFT_RELEASE		"0.6.0"

#define BFT_MAGIC		"BFTWRAP\0"
#define BFT_MAGIC_LEN		8
#define BFT_VERSION		1
#define BFT_ELF_ALIGN		4096
#define BFT_LABEL_LEN		32

/* Per-binary trace options, in bft_header.flags. */
#define BFT_FLAG_NO_LOAD_EVENTS		0x1	/* do not record load steps */
#define BFT_FLAG_NO_FAULT_EVENTS	0x2	/* do not record page faults */
#define BFT_FLAGS_KNOWN		(BFT_FLAG_NO_LOAD_EVENTS | \
				 BFT_FLAG_NO_FAULT_EVENTS)

/**
 * struct bft_header - the header at offset 0 of a wrapped executable
 * @magic: BFT_MAGIC, 8 bytes
 * @version: BFT_VERSION; anything else is refused with -ENOEXEC
 * @header_size: sizeof(struct bft_header)
 * @flags: BFT_FLAG_* trace options; unknown bits are refused
 * @elf_offset: file offset of the ELF, a non-zero multiple of BFT_ELF_ALIGN
 * @elf_size: size of the ELF in bytes; elf_offset + elf_size == file size
 * @label: optional NUL-padded label shown in the trace
 *
 * All integers are little-endian.
 */
struct bft_header {
	char	magic[BFT_MAGIC_LEN];
	__le16	version;
	__le16	header_size;
	__le32	flags;
	__le64	elf_offset;
	__le64	elf_size;
	char	label[BFT_LABEL_LEN];
};

#endif /* BFT_FORMAT_H */
