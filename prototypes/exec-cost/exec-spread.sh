#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# exec-spread.sh - how far loops of 100 execs spread in one boot, with
# ASLR on and off (docs/cost-study.md); guest ns for one exec.
# Run: qemu/run --kver 6.12 --mode demo --icount --script prototypes/exec-cost/exec-spread.sh
B=/selftests/progs/bench
$B anon 4096 4 >/dev/null
for r in 2 0; do
	echo $r > /proc/sys/kernel/randomize_va_space
	for prog in /selftests/progs/hello-static /selftests/progs/hello-dynamic; do
		v=""
		for i in 1 2 3 4 5 6; do v="$v $($B spawn 100 $prog | awk '{print int($1/100)}')"; done
		echo "aslr=$r $(basename $prog):$v"
	done
done
