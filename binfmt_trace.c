// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_trace - a binary format that loads wrapped ELF executables with
 * its own re-implementation of load_elf_binary() and records every step.
 *
 * This file holds the module's lifetime: registering the binary format and
 * creating /sys/kernel/debug/binfmt_trace/.  Who is traced (exec marks,
 * the users parameter) is in control.c.  The loader is in loader.c,
 * the events in trace.h and trace_event.c, their tracefs instance and
 * files in trace_fs.c, the page fault probes in fault_hooks.c.
 * Core dumps of the tasks we load are written by binfmt_elf's own dumper,
 * found with the other unexported symbols at init (ksyms.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/module.h>

#include "bft_format.h"
#include "binfmt_trace.h"
#include "control.h"
#include "fault_hooks.h"
#include "ksyms.h"
#include "session.h"
#include "trace.h"

struct linux_binfmt bft_format = {
	.module		= THIS_MODULE,
	.load_binary	= bft_load_binary,
};

struct dentry *bft_debugfs_dir;

/*
 * A task we load is an ordinary ELF task once running: dump it as
 * binfmt_elf would, with the same dumper and the same minimum size.
 */
static int bft_borrow_elf_core_dump(void)
{
	const struct linux_binfmt *elf_format = bft_ksyms.elf_format;

	if (!elf_format->core_dump) {
		pr_err("cannot resolve symbol elf_format: it has no core_dump\n");
		return -ENOENT;
	}
	bft_format.core_dump = elf_format->core_dump;
	bft_format.min_coredump = elf_format->min_coredump;
	return 0;
}

static int __init binfmt_trace_init(void)
{
	int ret;

	ret = bft_resolve_ksyms();
	if (ret)
		return ret;
	ret = bft_borrow_elf_core_dump();
	if (ret)
		return ret;
	ret = bft_fault_hooks_init();
	if (ret)
		return ret;
	ret = bft_buffer_init();
	if (ret)
		return ret;

	bft_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(bft_debugfs_dir)) {
		ret = PTR_ERR(bft_debugfs_dir);
		pr_err("cannot create debugfs directory: %d\n", ret);
		goto err_buffer;
	}
	ret = bft_trace_fs_init(bft_debugfs_dir);
	if (ret)
		goto err_debugfs;
	ret = bft_control_init(bft_debugfs_dir);
	if (ret)
		goto err_debugfs;

	/* Ahead of binfmt_elf: a marked exec of a plain ELF is ours. */
	insert_binfmt(&bft_format);
	return 0;

err_debugfs:
	debugfs_remove_recursive(bft_debugfs_dir);
	/* Nothing if bft_trace_fs_init() failed: it cleaned up after itself. */
	bft_trace_fs_exit();
err_buffer:
	bft_buffer_exit();
	return ret;
}

/*
 * Every task we loaded pins the module through mm->binfmt, and every open
 * debugfs file through its fops owner: by now none is left.
 */
static void __exit binfmt_trace_exit(void)
{
	unregister_binfmt(&bft_format);
	bft_control_exit();
	bft_fault_hooks_exit();
	debugfs_remove_recursive(bft_debugfs_dir);
	bft_trace_fs_exit();
	bft_ring_exit();
	bft_buffer_exit();
	bft_sessions_exit();
}

module_init(binfmt_trace_init);
module_exit(binfmt_trace_exit);

MODULE_DESCRIPTION("Load wrapped ELF executables and trace every step");
MODULE_LICENSE("GPL");
MODULE_VERSION(BFT_RELEASE);
