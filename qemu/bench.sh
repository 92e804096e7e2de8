#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - what tracing costs, run inside the VM by 'make bench'.
#
# 'make bench' boots with -smp 1 -icount shift=0,sleep=off: guest time then
# counts instructions and repeats within a fraction of a percent, so the
# ratios below compare like with like.  Each number is the median of five
# runs, in guest microseconds.
set -e
D=/sys/kernel/debug/binfmt_trace
B=/selftests/progs/bench
PAGES=4096 ROUNDS=8 SPAWNS=100

median5() {
	for i in 1 2 3 4 5; do "$@"; done | sort -n | sed -n 3p
}
armed() { sed -n 's/^probes_armed //p' $D/stats; }
us() { echo $(($1 / 1000)); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

bft wrap $B /tmp/bench.bft
bft wrap /selftests/progs/hello-static /tmp/hello.bft

# Every exec on the machine asks binfmt_trace first (it is inserted ahead
# of binfmt_elf, for marked execs): the cost of its early -ENOEXEC is the
# module loaded, idle, against the module unloaded.
rmmod binfmt_trace
spawn_nomod=$(median5 $B spawn $SPAWNS /selftests/progs/hello-static)
insmod /lib/modules/binfmt_trace.ko

sleep 2
echo "probes armed before: $(armed) (expected 0)"
faults_cold=$(median5 $B faults $PAGES $ROUNDS)
spawn_cold=$(median5 $B spawn $SPAWNS /selftests/progs/hello-static)

# A traced process that only sleeps keeps the probes armed.
/tmp/bench.bft sleep &
sleeper=$!
sleep 1
echo "probes armed with a traced sleeper: $(armed) (expected 1)"
faults_armed=$(median5 $B faults $PAGES $ROUNDS)
spawn_armed=$(median5 $B spawn $SPAWNS /selftests/progs/hello-static)

# The same workloads traced: every fault and exec recorded.
echo 16384 > $D/buffer_size_kb
faults_traced=$(median5 /tmp/bench.bft faults $PAGES $ROUNDS)
spawn_traced=$(median5 $B spawn $SPAWNS /tmp/hello.bft)
kill $sleeper
wait $sleeper 2>/dev/null || true

n=$((PAGES * ROUNDS))
printf '\n%-44s %10s %10s\n' "workload (guest us, median of 5)" "time" "ratio"
printf '%-44s %10s %10s\n' "$n faults, untraced, probes disarmed" \
	"$(us "$faults_cold")" 1.000
printf '%-44s %10s %10s\n' "$n faults, untraced, probes armed" \
	"$(us "$faults_armed")" "$(ratio "$faults_armed" "$faults_cold")"
printf '%-44s %10s %10s\n' "$n faults, traced" \
	"$(us "$faults_traced")" "$(ratio "$faults_traced" "$faults_cold")"
printf '%-44s %10s %10s\n' "$SPAWNS exec of static hello, no module" \
	"$(us "$spawn_nomod")" 1.000
printf '%-44s %10s %10s\n' "$SPAWNS exec of static hello, module idle" \
	"$(us "$spawn_cold")" "$(ratio "$spawn_cold" "$spawn_nomod")"
printf '%-44s %10s %10s\n' "$SPAWNS exec of static hello, probes armed" \
	"$(us "$spawn_armed")" "$(ratio "$spawn_armed" "$spawn_nomod")"
printf '%-44s %10s %10s\n' "$SPAWNS exec of static hello, traced" \
	"$(us "$spawn_traced")" "$(ratio "$spawn_traced" "$spawn_nomod")"
grep -E '^events_(written|dropped) ' $D/stats
