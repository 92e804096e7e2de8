#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - what binfmt_trace shows today, run inside the VM by 'make demo'.
# Everything printed here is produced live in the guest.
set -e
echo "== kernel $(uname -r), binfmt_trace loaded:"
grep binfmt_trace /proc/modules
echo "== debugfs:"
ls -la /sys/kernel/debug/binfmt_trace/
echo "== a glibc-dynamic hello world, loaded by the kernel's own ELF loader:"
/selftests/progs/hello-dynamic
