#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - what binfmt_trace does, run inside the VM by 'make demo'.
# Everything printed here is produced live in the guest.
set -e
step() { printf '\n== %s\n' "$*"; }

step "kernel $(uname -r); binfmt_trace is loaded:"
grep binfmt_trace /proc/modules

# The hello world and its libc sit on the ext4 disk, so that their pages
# go through the page cache and filemap_fault(); in the initramfs they
# would be shmem pages, always present.
mkdir -p /mnt/disk/lib
cp /selftests/progs/hello-dynamic /mnt/disk/hello
cp /lib/x86_64-linux-gnu/libc.so.6 /mnt/disk/lib/
export LD_LIBRARY_PATH=/mnt/disk/lib

step "a glibc-dynamic hello world, loaded by the kernel's own ELF loader:"
/mnt/disk/hello

step "cold page cache (sync; echo 3 > drop_caches), then: bft run -- /mnt/disk/hello"
echo "   (traced in place: the file is not copied, wrapped or read before the exec)"
sync
echo 3 > /proc/sys/vm/drop_caches
bft run --trace-out /tmp/hello.trace -- /mnt/disk/hello

step "again, its pages now in the page cache: bft run --summary-only -- /mnt/disk/hello"
bft run --summary-only -- /mnt/disk/hello

step "a wrapped file is traced for whoever runs it (users parameter: $(cat /sys/module/binfmt_trace/parameters/users)):"
echo "   bft wrap --label demo-hello /mnt/disk/hello /mnt/disk/hello.bft; bft info; /mnt/disk/hello.bft"
bft wrap --label demo-hello /mnt/disk/hello /mnt/disk/hello.bft
bft info /mnt/disk/hello.bft
/mnt/disk/hello.bft

step "/sys/kernel/debug/binfmt_trace/sessions"
cat /sys/kernel/debug/binfmt_trace/sessions

step "/sys/kernel/debug/binfmt_trace/stats"
cat /sys/kernel/debug/binfmt_trace/stats

step "the cold run, explained: bft report /tmp/hello.trace"
echo "   (every fault named by object, section and symbol, from the trace's own"
echo "   load and map events and the ELF files' symbol tables)"
bft report /tmp/hello.trace

step "the same as a Perfetto timeline and a page heat map:"
mkdir -p /mnt/disk/out
echo "   bft report --format perfetto -o /mnt/disk/out/hello.perfetto.json /tmp/hello.trace"
bft report --format perfetto -o /mnt/disk/out/hello.perfetto.json /tmp/hello.trace
echo "   bft report --format svg -o /mnt/disk/out/hello.svg /tmp/hello.trace"
bft report --format svg -o /mnt/disk/out/hello.svg /tmp/hello.trace
cp /tmp/hello.trace /mnt/disk/out/hello.trace
sync
echo "   open hello.perfetto.json at https://ui.perfetto.dev (Open trace file),"
echo "   hello.svg in a browser; make demo copies them out of the VM:"
