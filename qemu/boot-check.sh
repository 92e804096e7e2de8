#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# boot-check.sh - the smallest guest script: says the guest booted with
# the module loaded.  make check boots it with an accelerator that cannot
# run, to see qemu/run fall back to TCG.
grep -q '^binfmt_trace ' /proc/modules || { echo "module not loaded"; exit 1; }
echo "guest booted: $(uname -r), binfmt_trace loaded"
