// SPDX-License-Identifier: GPL-2.0
/*
 * loader.c - load_binary for wrapped executables.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "bft_format.h"
#include "binfmt_trace.h"

/**
 * bft_load_binary - the linux_binfmt.load_binary hook
 * @bprm: the exec in progress; bprm->buf holds the first bytes of the file
 *
 * Return: -ENOEXEC for files that are not ours, so that other binary
 * formats get their turn.
 */
int bft_load_binary(struct linux_binprm *bprm)
{
	const struct bft_header *h = (const struct bft_header *)bprm->buf;

	if (memcmp(h->magic, BFT_MAGIC, BFT_MAGIC_LEN) != 0)
		return -ENOEXEC;
	if (le16_to_cpu(h->version) != BFT_VERSION) {
		pr_info_ratelimited("%s: wrapper version %u not supported\n",
				    bprm->filename, le16_to_cpu(h->version));
		return -ENOEXEC;
	}

	/* The loader proper lands with the next step. */
	return -ENOEXEC;
}
