// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_bft_wrapped - libFuzzer harness for bft's readers of wrapped files
 * and ELF headers: what bft info, unwrap and wrap parse.  bft.c is
 * included whole, its main renamed, so that its static parsers are
 * reachable.  Run it with -close_fd_mask=3: bft prints what it parses
 * and why it refuses, and libFuzzer keeps its own stderr for reports.
 *
 * Properties: a header decode_header() accepts describes an ELF that
 * lies inside the input and runs to its end; wrap_image() of any input
 * is a file decode_header() accepts and whose ELF is the input, byte
 * for byte; check_elf_input() accepts only ELF magic.
 */
#define main bft_main
#include "../../bft/bft.c"
#undef main

#include <stdint.h>

#define CHECK(cond)	do { if (!(cond)) abort(); } while (0)

static void check_roundtrip(const uint8_t *data, size_t size)
{
	struct blob in = { (unsigned char *)data, size, 0 }, out;
	struct wrapped w;
	struct hdr h, back;
	size_t i, off = 0;

	hdr_init(&h);
	wrap_image(&in, &h, &w);
	out.len = 0;
	for (i = 0; i < 3; i++)
		out.len += w.chunks[i].len;
	out.data = malloc(out.len ? out.len : 1);
	CHECK(out.data);
	for (i = 0; i < 3; i++) {
		memcpy(out.data + off, w.chunks[i].data, w.chunks[i].len);
		off += w.chunks[i].len;
	}
	CHECK(decode_header("fuzz", &out, &back) == (size ? EXIT_OK : EXIT_BAD));
	if (size)
		CHECK(back.elf_size == size &&
		      !memcmp(out.data + back.elf_offset, data, size));
	free(out.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blob b = { (unsigned char *)data, size, 0 };
	const char *why;
	struct hdr h;

	if (decode_header("fuzz", &b, &h) == EXIT_OK) {
		CHECK(h.elf_offset && h.elf_offset <= size);
		CHECK(h.elf_offset + h.elf_size == size);
		print_header(&h);
		print_elf(b.data + h.elf_offset, h.elf_size);
	}
	print_elf(b.data, size);
	why = check_elf_input(&b);
	if (!why)
		CHECK(size >= sizeof(Elf64_Ehdr) && !memcmp(data, ELFMAG, SELFMAG));
	check_roundtrip(data, size);
	return 0;
}
