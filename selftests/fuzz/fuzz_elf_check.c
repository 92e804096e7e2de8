// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_elf_check - libFuzzer harness for elf_check.c, the checks the
 * module makes on bytes read from a file before trusting them.
 *
 * The input is taken as a wrapped executable: a struct bft_header, then
 * (at its elf_offset if that lies inside the input, else at 64) an ELF
 * header and its program headers, exactly as the loader would read them.
 * Every check runs on what it would see, under ASan and UBSan, and each
 * accepted value must have the property the loader then relies on:
 *
 *   - a wrapper accepted: elf_offset a non-zero multiple of 4096, inside
 *     the file, and elf_offset + elf_size == the file size, no overflow;
 *   - a program header table accepted: e_phentsize 56, 1 to 73 entries;
 *   - a PT_LOAD accepted: [bias + p_vaddr, + p_memsz) inside the task,
 *     computed without wrap-around, and p_filesz <= p_memsz;
 *   - an interpreter path accepted: 2 to 4096 bytes, NUL at the end;
 *   - every return value is 0 or the one errno stock gives there.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_check.h"

#define TASK_SIZE_64	((1ULL << 47) - 4096)

#define CHECK(cond)	do { if (!(cond)) abort(); } while (0)

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void check_wrapper(const uint8_t *data, size_t size)
{
	struct bft_wrapper w = { 0 };
	const char *why;

	if (size < sizeof(struct bft_header))
		return;
	w.version = get_le(data + 8, 2);
	w.header_size = get_le(data + 10, 2);
	w.flags = get_le(data + 12, 4);
	w.elf_offset = get_le(data + 16, 8);
	w.elf_size = get_le(data + 24, 8);
	/* The file size is the input's, or a large one from the input. */
	why = bft_check_wrapper_fields(&w, size);
	if (!why) {
		CHECK(w.version == BFT_VERSION);
		CHECK(w.header_size == sizeof(struct bft_header));
		CHECK(!(w.flags & ~(uint32_t)BFT_FLAGS_KNOWN));
		CHECK(w.elf_offset && w.elf_offset % BFT_ELF_ALIGN == 0);
		CHECK(w.elf_offset < size);
		CHECK((unsigned __int128)w.elf_offset + w.elf_size == size);
	}
	why = bft_check_wrapper_fields(&w, UINT64_MAX - get_le(data + 32, 4));
	if (!why)
		CHECK((unsigned __int128)w.elf_offset + w.elf_size ==
		      UINT64_MAX - get_le(data + 32, 4));
}

static void check_phdr(const struct elf64_phdr *ph, uint64_t bias)
{
	uint64_t task_sizes[] = { TASK_SIZE_64, (1ULL << 56) - 4096,
				  bias | 4096 };
	unsigned __int128 end;
	char path[BFT_PATH_MAX];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(task_sizes) / sizeof(task_sizes[0]); i++) {
		ret = bft_check_load_segment(ph, bias, task_sizes[i], -EINVAL);
		CHECK(ret == 0 || ret == -EINVAL);
		if (ret)
			continue;
		end = (unsigned __int128)(uint64_t)(bias + ph->p_vaddr) +
		      ph->p_memsz;
		CHECK(end <= task_sizes[i]);
		CHECK(ph->p_filesz <= ph->p_memsz);
	}
	ret = bft_check_interp_size(ph);
	CHECK(ret == 0 || ret == -ENOEXEC);
	if (ret)
		return;
	CHECK(ph->p_filesz >= 2 && ph->p_filesz <= BFT_PATH_MAX);
	/* The path's bytes: the header's own, repeated. */
	for (i = 0; i < ph->p_filesz; i++)
		path[i] = ((const char *)ph)[i % sizeof(*ph)];
	ret = bft_check_interp_path(path, ph->p_filesz);
	CHECK(ret == 0 || ret == -ENOEXEC);
	CHECK(!ret == (path[ph->p_filesz - 1] == '\0'));
}

static void check_elf(const uint8_t *p, size_t len)
{
	struct elf64_hdr eh;
	struct elf64_phdr ph;
	uint32_t size;
	int ret, i;

	if (len < sizeof(eh))
		return;
	memcpy(&eh, p, sizeof(eh));
	ret = bft_check_elf_header(&eh);
	CHECK(ret == 0 || ret == -ENOEXEC);
	ret = bft_check_interp_header(&eh);
	CHECK(ret == 0 || ret == -ELIBBAD);
	ret = bft_check_interp_type(&eh);
	CHECK(ret == 0 || ret == -EPERM);

	ret = bft_check_phdrs_size(&eh, &size);
	CHECK(ret == 0 || ret == -ENOEXEC);
	if (ret)
		return;
	CHECK(eh.e_phentsize == sizeof(ph));
	CHECK(size == eh.e_phnum * sizeof(ph) && size && size <= 4096);
	for (i = 0; i < eh.e_phnum; i++) {
		if (eh.e_phoff > len || len - eh.e_phoff < (i + 1) * sizeof(ph))
			break;
		memcpy(&ph, p + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		check_phdr(&ph, 0);
		check_phdr(&ph, eh.e_entry);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t elf_offset;

	check_wrapper(data, size);
	elf_offset = size >= 24 ? get_le(data + 16, 8) : 0;
	if (elf_offset && elf_offset < size)
		check_elf(data + elf_offset, size - elf_offset);
	else if (size > 64)
		check_elf(data + 64, size - 64);
	check_elf(data, size);
	return 0;
}
