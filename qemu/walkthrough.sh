#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# walkthrough.sh - the commands of docs/walkthrough.md, run in the VM:
#
#   qemu/run --mode demo --script qemu/walkthrough.sh
#
# Each question of the walkthrough is answered by one bft command; this
# runs them all on the demo's hello world (its libc on the ext4 disk, page
# cache dropped first) and prints each command before its output.  make
# check runs it too, so that the walkthrough's commands keep working.
set -e
say() { printf '\n$ %s\n' "$*"; }
run() { say "$*"; "$@"; }

mkdir -p /mnt/disk/lib /mnt/disk/out
cp /selftests/progs/hello-dynamic /mnt/disk/hello
cp /lib/x86_64-linux-gnu/libc.so.6 /mnt/disk/lib/
cp /selftests/progs/mmcalls /mnt/disk/relro
export LD_LIBRARY_PATH=/mnt/disk/lib
sync
echo 3 > /proc/sys/vm/drop_caches

# 1. The trace of one cold exec; every later answer reads it.
run bft run -o /mnt/disk/out/hello.run --trace-out /mnt/disk/out/hello.trace -- /mnt/disk/hello
cat /mnt/disk/out/hello.run | head -3

# 2. The report: load steps, start, stack, objects, faults, first touch.
run bft report /mnt/disk/out/hello.trace

# 3. The second run, its pages cached.
run bft run --summary-only -- /mnt/disk/hello

# 4. A full-RELRO program: the mprotect(PROT_READ) of its RELRO range.
run bft run --trace-out /mnt/disk/out/relro.trace -o /mnt/disk/out/relro.run -- /mnt/disk/relro
run bft report /mnt/disk/out/relro.trace

# 5. The loader compared with the kernel's.
run bft diff -- /mnt/disk/hello
sync
