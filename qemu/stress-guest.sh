#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# stress-guest.sh - one boot of 'make stress' (scripts/stress.sh, which
# sets STRESS_CASES, STRESS_SEED, STRESS_TIME and STRESS_ALARM at the top
# of a copy of this file; STRESS_TIME, if not 0, ends the run after that
# many seconds; STRESS_ALARM is each mutant's alarm, stress_exec -a).
#
# Measures the slab with the module unloaded, loads it, runs
# selftests/stress_exec on mutants kept in a tmpfs of their own, then
# checks that nothing was left holding a file, an mm or the module: the
# mutants can be deleted and their tmpfs unmounted, the module unloads,
# and the slab, measured again the same way, is back to its baseline.
# Prints the runner's output and "stress-guest: ..." lines that the host
# parses; mismatching mutants are saved on the ext4 disk in
# /stress-mismatches (scripts/stress.sh copies them out).
set -u
CASES=${STRESS_CASES:-500}
SEED=${STRESS_SEED:-1}
TIME=${STRESS_TIME:-0}
ALARM=${STRESS_ALARM:-2}
P=/selftests/progs
S=/mnt/stress
SAVE=/mnt/disk/stress-mismatches
KO=/lib/modules/binfmt_trace.ko
BASES="$P/hello-static $P/probe-static $P/probe-static-pie $P/probe-dynamic-pie
       $P/probe-dynamic-nopie $P/probe-musl-static $P/probe-many-loads"

# settle: drop the page cache, dentries and inodes, and have every slab
# cache give back its empty slabs, so that what is left is in use.
settle() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 > "$f" 2>/dev/null
	done
	sleep 2
	echo 3 > /proc/sys/vm/drop_caches
}

slab_kb() { sed -n 's/^Slab: *\([0-9]*\) kB$/\1/p' /proc/meminfo; }

# slabinfo: "name bytes-in-use" per cache.
slabinfo() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo | sort; }

# rmmod_retry: the probes of the last session leave ten seconds after it.
rmmod_retry() {
	i=0
	while ! rmmod binfmt_trace 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 30 ] || { rmmod binfmt_trace; return 1; }
		sleep 1
	done
}

# A mutant's crash is no news: without exception-trace the console gets
# no "segfault at" or "traps: ... general protection fault" line per
# crash (slow on a serial console), and kernel complaints stand out.
echo 0 > /proc/sys/debug/exception-trace

mkdir -p $S $SAVE
rm -f $SAVE/*
mount -t tmpfs -o size=64m stress $S || exit 2

# The baseline: the module out, caches dropped.  A first short run fills
# the kernel's lazily grown caches (pid, proc, tmpfs inodes) beforehand.
/selftests/stress_exec -s $((SEED + 1000000)) -n 100 -p 0 -a "$ALARM" -d $S $BASES \
	> /tmp/warmup.log 2>&1
echo "stress-guest: warm-up: $(tail -n 1 /tmp/warmup.log)"
rm -f $S/*
rmmod_retry || { echo "stress-guest: rmmod before the run failed"; exit 2; }
settle
before=$(slab_kb)
slabinfo > /tmp/slab-before
insmod $KO || { echo "stress-guest: insmod failed"; exit 2; }

echo "stress-guest: $(uname -r): $CASES cases, seed $SEED"
start=$(date +%s)
/selftests/stress_exec -s "$SEED" -n "$CASES" -t "$TIME" -a "$ALARM" \
	-d $S -o $SAVE \
	$BASES
rc=$?
end=$(date +%s)
echo "stress-guest: runner exit $rc, $((end - start)) s"

rm -f $S/*
if umount $S; then
	echo "stress-guest: umount of the mutants' tmpfs: ok"
else
	echo "stress-guest: umount of the mutants' tmpfs: FAILED"
	rc=1
fi
if rmmod_retry; then
	echo "stress-guest: rmmod: ok"
else
	echo "stress-guest: rmmod: FAILED"
	rc=1
fi
settle
after=$(slab_kb)
slabinfo > /tmp/slab-after
echo "stress-guest: slab before=$before after=$after delta=$((after - before)) kB"
echo "stress-guest: largest slab cache growth (bytes):"
awk 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d > 0) print d, $1 }' \
	/tmp/slab-before /tmp/slab-after | sort -rn | head -n 8 |
	sed 's/^/stress-guest:   /'
nsaved=$(ls $SAVE | wc -l)
echo "stress-guest: $nsaved mismatch files saved in /stress-mismatches"
insmod $KO
exit $rc
