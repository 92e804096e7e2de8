#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# study-markers.sh - do the markers of bft_cost hook=combo fire?  Not a
# measurement: counts, per workload of a traced bench, the records and the
# markers (page-cache miss, mmap_lock, GUP) the module wrote.
# Run by run-study.sh KVER TAG 1 study-markers.sh.
B=/selftests/progs/bench
K=/extra/bft_cost.ko
P=/sys/module/bft_cost/parameters
F=/mnt/disk/costfile

rmmod binfmt_trace 2>/dev/null
dd if=/dev/zero of=$F bs=1M count=16 2>/dev/null
sync
echo "INFO kernel $(uname -r)"
insmod $K hook=combo record=1
traced() {
	before=$(cat $P/written)
	out=$(sh -c "echo \$\$ > $P/tgid; exec $B $*")
	echo "MARK $1: bench says '$out'; written/lost/markers before: $before; after: $(cat $P/written)"
}
traced anon 4096 1
echo 3 > /proc/sys/vm/drop_caches
traced file $F 1
traced file $F 1
echo 3 > /proc/sys/vm/drop_caches
traced cow $F 1
traced cow $F 1
rmmod bft_cost
rm -f $F
echo "INFO done"
