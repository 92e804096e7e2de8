/* SPDX-License-Identifier: GPL-2.0 */
/*
 * binfmt_trace.h - what the parts of the module share.
 */
#ifndef BINFMT_TRACE_H
#define BINFMT_TRACE_H

#include <linux/binfmts.h>

struct dentry;

extern struct linux_binfmt bft_format;
extern struct dentry *bft_debugfs_dir;

int bft_load_binary(struct linux_binprm *bprm);

#endif /* BINFMT_TRACE_H */
