#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - what binfmt_trace does today, run inside the VM by 'make demo'.
# Everything printed here is produced live in the guest.
set -e
step() { printf '\n== %s\n' "$*"; }

step "kernel $(uname -r); binfmt_trace is loaded:"
grep binfmt_trace /proc/modules

step "a glibc-dynamic hello world, loaded by the kernel's own ELF loader:"
cp /selftests/progs/hello-dynamic /tmp/hello
/tmp/hello

step "bft wrap /tmp/hello /tmp/hello.bft; bft info /tmp/hello.bft"
bft wrap --label demo-hello /tmp/hello /tmp/hello.bft
bft info /tmp/hello.bft

step "the wrapped hello, loaded by binfmt_trace (ld.so and libc included):"
/tmp/hello.bft

step "a wrapped program's view of itself: its auxv and /proc/self/maps"
bft wrap /selftests/progs/probe-dynamic-pie /tmp/probe.bft
/tmp/probe.bft | grep -E '^(auxv|map) '
