#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh - in-VM exec fuzzing ('make stress').  Boots each kernel once
# with qemu/stress-guest.sh, which runs selftests/stress_exec: N mutated
# executables (plus the fixed regression cases), each exec'd plain by the
# kernel's ELF loader, marked for in-place loading and wrapped, with the
# outcomes compared.  A kernel fails on any mismatch, any kernel complaint
# in the console log (qemu/run's list, and flake.sh's stalls), a mutants'
# tmpfs that cannot be unmounted, a module that does not unload, a slab
# (module unloaded, caches dropped) more than STRESS_SLAB_MARGIN KiB
# (default 1024) above its baseline, or a guest that did not finish.
#
# Usage: scripts/stress.sh [N] [KERNEL...]     (default: 50000, 6.1 6.12)
#   STRESS_SEED=S      the runner's seed (default 1)
#   STRESS_TIME=SEC    stop each kernel's run after SEC seconds and report
#                      the number of cases done (default: no limit)
#   (each mutant's alarm is 2 s, 20 s on a -debug kernel)
#
# Prints one TAP line per kernel, the mismatches, and
# "stress: K: N cases, M mismatches, C kernel complaints, slab +D KiB".
# Mismatching mutants are copied to build/stress-K/mismatches/.
# Exit 0 only when every kernel passed.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50000}
shift || true
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)
case $n in ''|*[!0-9]*|0)
	echo "usage: scripts/stress.sh [N] [KERNEL...]: N is a positive number" >&2
	exit 2 ;;
esac
seed=${STRESS_SEED:-1}
time_limit=${STRESS_TIME:-0}
margin=${STRESS_SLAB_MARGIN:-1024}

complaint_re=$(sed -n "s/^complaint_re='\(.*\)'$/\1/p" "$top/qemu/run")
[ -n "$complaint_re" ] || { echo "stress: no complaint_re in qemu/run" >&2; exit 2; }
complaint_re="$complaint_re|soft lockup|self-detected stall|rcu_preempt detected stalls|rcu_sched detected stalls"
rc=0

# complaints CONSOLE-LOG: its kernel complaints.  A mutant's own crash,
# should exception-trace be on, is reported as "traps: NAME[PID] general
# protection fault ip:..." and is no complaint of the kernel's.
complaints() {
	grep -E "$complaint_re" "$1" 2>/dev/null |
		grep -Ev '^\[ *[0-9.]+\] traps: [^ ]+\[[0-9]+\] general protection fault ip:[0-9a-f]+ sp:'
}

# field NAME LINE: the value of NAME=value in LINE.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

stress_kernel() {
	local k=$1 out=$top/build/stress-$k vm=$top/build/vm-$1 script log
	local sum cases mism lfs complaints slab signed why= timeout t0 t1
	local append=() alarm=2
	mkdir -p "$out"
	# A mutant's alarm (stress_exec -a): a debug kernel execs a plain
	# program slowly enough that 2 s cut some runs short, and a run cut
	# short in one of its three execs only is a false mismatch.
	case $k in *-debug) alarm=20 ;; esac
	script=$out/stress-guest.sh
	log=$out/run.log
	{
		echo '#!/bin/sh'
		echo "STRESS_CASES=$n STRESS_SEED=$seed STRESS_TIME=$time_limit STRESS_ALARM=$alarm"
		tail -n +2 "$top/qemu/stress-guest.sh"
	} > "$script"
	# About 0.1 s a case under TCG here; ample room, and the time limit.
	# The debug kernel (KASAN, lockdep) is about 7 times slower, and boots
	# with no5lvl as make check-debug does (docs/hardening.md).
	timeout=$((900 + n / 4))
	case $k in *-debug)
		timeout=$((1800 + n * 4))
		append=(--append no5lvl) ;;
	esac
	[ "$time_limit" = 0 ] || timeout=$((time_limit + 900))
	t0=$(date +%s)
	# The guest's serial output ends its lines with CR LF.
	bash "$top/qemu/run" --kver "$k" --mode demo --script "$script" \
		--timeout "$timeout" "${append[@]}" 2>&1 | tr -d '\r' > "$log"
	t1=$(date +%s)
	cp "$vm/console.log" "$out/console.log" 2>/dev/null

	sum=$(grep '^stress_exec: seed=' "$log" | tail -n 1)
	cases=$(field cases "$sum")
	mism=$(field mismatches "$sum")
	lfs=$(field lfs_skipped "$sum")
	complaints=$(complaints "$out/console.log" | wc -l)
	slab=$(sed -n 's/^stress-guest: slab .* delta=\(-\{0,1\}[0-9]*\) kB$/\1/p' "$log")

	[ -n "$sum" ] || why="$why; the runner did not finish"
	[ "${mism:-1}" = 0 ] || why="$why; $mism mismatches"
	[ "${complaints:-0}" = 0 ] || why="$why; $complaints kernel complaints"
	[ "$(field stopped "$sum")" != time ] || why="$why; stopped by the time limit after $cases of $n cases"
	grep -q '^stress-guest: umount of the mutants.* ok$' "$log" ||
		why="$why; the mutants' tmpfs did not unmount"
	grep -q '^stress-guest: rmmod: ok$' "$log" || why="$why; rmmod failed"
	if [ -z "$slab" ]; then
		why="$why; no slab figures"
	elif [ "$slab" -gt "$margin" ]; then
		why="$why; slab grew by $slab KiB (margin $margin KiB)"
	fi
	grep -q '^BFT-GUEST-END rc=0' "$log" || why="$why; the guest did not end with rc=0"

	if grep -q '^stress-guest: [1-9][0-9]* mismatch files' "$log"; then
		rm -rf "$out/mismatches"
		debugfs -R "rdump /stress-mismatches $out" "$vm/disk.img" \
			>/dev/null 2>&1 && mv "$out/stress-mismatches" "$out/mismatches"
	fi

	signed=${slab:-?}
	[ "${slab:--1}" -lt 0 ] || signed=+$slab
	if [ -z "$why" ]; then
		echo "ok - stress: $k: $cases cases plain, marked and wrapped alike, clean kernel log, slab $signed KiB, rmmod and umount clean"
	else
		echo "not ok - stress: $k:${why#;} (see $log)"
		grep -E '^mismatch: ' "$log" | head -n 40 | sed 's/^/#   /'
		complaints "$out/console.log" | head -n 20 | sed 's/^/#   /'
		[ -n "$sum" ] || tail -n 20 "$log" | sed 's/^/#   /'
		rc=1
	fi
	grep -E '^stress-guest: (slab|largest|  )' "$log" | sed 's/^/# /'
	echo "# $k: $sum"
	echo "# $k: boot and run took $((t1 - t0)) s, kernel $(sed -n 's/^stress-guest: \([^:]*\): [0-9]* cases.*/\1/p' "$log")"
	echo "stress: $k: ${cases:-0} cases, ${mism:-?} mismatches, ${complaints:-?} kernel complaints, slab $signed KiB, ${lfs:-0} wrapped runs skipped at the 2^63 limit"
}

for k in "${kernels[@]}"; do
	stress_kernel "$k"
done
exit $rc
